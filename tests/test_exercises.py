"""The exercises keep their promises: every solution passes, every stub and mutant is rejected clearly."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import jupytext
import numpy as np
import pytest
import torch
from exercise_cases import checked_cases
from torch import nn

from seqtut.exercises import REGISTRY, Case, check, checker, describe, run_cases, same
from seqtut.exercises.core import (
    NOT_IMPLEMENTED,
    AnyOf,
    FromTheRun,
    _mistake,
    any_of,
    call_learner,
    from_the_run,
    nameable,
)

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
MUTANT_FILES = sorted((ROOT / "tests").glob("test_exercises_*.py"))


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_loaded_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _solutions() -> dict[str, object]:
    """Every `my_<exercise>` function in solutions/, by exercise name."""
    found = {}
    for path in SOLUTIONS:
        module = _load(path)
        for name, value in vars(module).items():
            if name.startswith("my_") and callable(value):
                found[name.removeprefix("my_")] = value
    return found


def _mutants() -> dict[str, list]:
    """Every test file's `MUTANTS` (exercise name -> wrong answers), merged."""
    merged: dict[str, list] = {}
    for path in MUTANT_FILES:
        for name, wrong in getattr(_load(path), "MUTANTS", {}).items():
            merged.setdefault(name, []).extend(wrong)
    return merged


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_exercise_has_a_solution_that_passes(name):
    solutions = _solutions()
    assert name in solutions, f"solutions/: no my_{name}"
    result = check.__getattr__(name).run(solutions[name])
    assert result.passed, result.message


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_stub_is_reported_as_not_implemented_without_raising(name, capsys):
    def stub(*args, **kwargs):
        raise NotImplementedError

    REGISTRY[name](stub)
    printed = capsys.readouterr().out
    assert NOT_IMPLEMENTED in printed and "Traceback" not in printed


def _stub_cases() -> list[Case]:
    return [Case("two values", (2,), torch.tensor([0.0, 1.0]))]


def test_a_stub_of_any_kind_of_callable_is_not_implemented():
    """A function, a method, a `partial` or a callable object whose own body raises: the stub."""
    import functools

    class Stub:
        def __call__(self, n):
            raise NotImplementedError("your code here")

        def method(self, n):
            raise NotImplementedError

    def stub(n, unused=None):
        raise NotImplementedError("your code here")

    for function in (stub, functools.partial(stub, unused=1), Stub(), Stub().method):
        assert run_cases("arange", function, _stub_cases()).not_implemented


def test_a_stub_is_not_implemented_in_a_thread_too():
    """Off the main thread the checker runs the function in a worker thread and re-raises its error there."""
    import threading

    def stub(n):
        raise NotImplementedError("your code here")

    found = []
    worker = threading.Thread(target=lambda: found.append(run_cases("arange", stub, _stub_cases())))
    worker.start()
    worker.join()
    assert found[0].not_implemented


def test_a_not_implemented_error_from_a_library_the_learner_called_is_an_error_of_their_code():
    """Not the stub: the report names the error, its message and the line of the learner's code that called it."""

    def calls_a_module_without_forward(n):
        return nn.Module()(torch.arange(n))

    result = run_cases("arange", calls_a_module_without_forward, _stub_cases())
    assert not result.passed and not result.not_implemented
    assert result.message.startswith("✗ arange: case 1 of 1 fails: two values"), result.message
    assert 'problem:  NotImplementedError: Module [Module] is missing the required "forward" function' in result.message
    assert "of your code: `return nn.Module()(torch.arange(n))`" in result.message
    assert NOT_IMPLEMENTED not in result.message


def test_a_helper_left_as_a_stub_is_named_by_its_line():
    """The learner's function is written, a helper it calls is not: the report points at the helper's raise."""

    def helper(n):
        raise NotImplementedError

    def written(n):
        return helper(n) + 1

    result = run_cases("arange", written, _stub_cases())
    assert not result.not_implemented and "problem:  NotImplementedError (line " in result.message, result.message
    assert "of your code: `raise NotImplementedError`" in result.message


def test_the_gru_step_that_calls_an_abstract_rnn_is_not_called_a_stub():
    """An expert read's answer: `nn.RNNBase('GRU', ...)` has no `forward`; it used to be called 'not implemented'."""

    def gru_step_with_rnn_base(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
        layer = nn.RNNBase("GRU", x_t.shape[1], h.shape[1])
        return layer(x_t.unsqueeze(0), h.unsqueeze(0))[1][0]

    result = check.gru_step.run(gru_step_with_rnn_base)
    assert not result.passed and not result.not_implemented, result.message
    assert "NotImplementedError: Module [RNNBase] is missing" in result.message, result.message


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_checker_rejects_at_least_three_mutants(name):
    wrong = _mutants().get(name, [])
    assert len(wrong) >= 3, f"tests/test_exercises_*.py: MUTANTS[{name!r}] holds {len(wrong)} wrong answers"
    for mutant in wrong:
        result = REGISTRY[name].run(mutant)
        assert not result.passed, f"{name}: the mutant {mutant.__name__} passed"
        assert result.message.startswith(f"✗ {name}: case "), result.message
        assert "expected:" in result.message and "got:" in result.message


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_ends_with_checked_stubs(path):
    """Exercise cells hold stubs (never solutions), each followed by its checker's call."""
    cells = jupytext.read(path).cells
    start = next((i for i, c in enumerate(cells) if c.cell_type == "markdown" and "## Exercises" in c.source), None)
    assert start is not None, f"{path.name}: no '## Exercises' heading"
    code = "\n".join(c.source for c in cells[start:] if c.cell_type == "code")
    stubs = re.findall(r"^def (my_\w+)\(", code, flags=re.M)
    calls = re.findall(r"check\.(\w+)\((my_\w+)\)", code)
    assert 2 <= len(stubs) <= 4, f"{path.name}: {len(stubs)} exercises"
    assert code.count("raise NotImplementedError") >= len(stubs)
    assert {f"my_{name}" for name, _ in calls} == set(stubs) == {fn for _, fn in calls}
    assert all(name in REGISTRY for name, _ in calls)


def test_run_cases_reports_the_first_failing_case_in_words():
    cases = [Case("two values", (2,), torch.tensor([0.0, 1.0]), hint="count from 0")]
    assert run_cases("arange", lambda n: torch.arange(n, dtype=torch.float32), cases).passed
    wrong = run_cases("arange", lambda n: torch.arange(1, n + 1, dtype=torch.float32), cases)
    assert not wrong.passed and wrong.failed_case == 1
    assert wrong.message.splitlines() == [
        "✗ arange: case 1 of 1 fails: two values",
        "  input:    n=2",
        "  expected: tensor (2,) float32 [0.0, 1.0]",
        "  got:      tensor (2,) float32 [1.0, 2.0]",
        "  problem:  wrong value at index (0,): expected 0.0, got 1.0",
        "  hint:     count from 0",
    ]
    raised = run_cases("arange", lambda n: [][n], cases)
    assert "IndexError: list index out of range" in raised.message and "Traceback" not in raised.message
    assert run_cases("arange", None, cases).message == "arange: expected your function, got None"


def test_inputs_are_copied_so_a_function_that_edits_them_cannot_spoil_later_cases():
    shared = torch.zeros(2)
    cases = [Case("first", (shared,), torch.ones(2)), Case("second", (shared,), torch.ones(2))]
    assert run_cases("fill", lambda t: t.add_(1), cases).passed
    assert torch.equal(shared, torch.zeros(2))


@pytest.mark.parametrize(
    ("expected", "got", "problem"),
    [
        (torch.zeros(2, 2), torch.zeros(2), "expected shape (2, 2), got shape (2,)"),
        (torch.zeros(2, dtype=torch.bool), torch.zeros(2), "expected a bool tensor (True/False), got dtype float32"),
        (torch.zeros(2), [0.0, 0.0], "expected a tensor, got list"),
        (torch.tensor([float("-inf"), 0.0]), torch.tensor([float("-inf"), 0.0]), None),
        ((1, torch.ones(1)), (1, torch.zeros(1)), "in item [1]: wrong value at index (0,): expected 1.0, got 0.0"),
        (((2, 6), (1, 2)), ((2, 6), (2, 2)), "in item [1][0]: expected 1, got 2"),
        (torch.tensor([3, 4]), torch.tensor([3.4, 4.0]), "expected integers (dtype int64), got dtype float32"),
        (3, 3.0, "expected an integer, got 3.0"),
        (0.5, 0.75, "expected 0.5, got 0.75"),
        ("EOS", "EOS", None),
        ("EOS", "SOS", "expected 'EOS', got 'SOS'"),
        (0.5, 0.5 + 1e-7, None),
        (0.5, "0.5", "expected a number, got '0.5'"),
        ((2, 3), (2, 3), None),
        ((2, 3), (2,), "expected 2 items, got (2)"),
    ],
)
def test_same_says_what_differs(expected, got, problem):
    assert same(expected, got) == problem


def test_describe_is_short_for_big_tensors():
    assert describe(torch.zeros(2, dtype=torch.long)) == "tensor (2,) int64 [0, 0]"
    assert describe(torch.zeros(200)).startswith("tensor (200,) float32 (first values [0.0")
    assert describe(np.zeros((2, 2), dtype=bool)) == "numpy array (2, 2) bool [[False, False], [False, False]]"


def test_the_got_line_tells_a_missing_return_from_an_error():
    cases = [Case("one", (torch.ones(2),), torch.ones(2))]
    returned_nothing = run_cases("probe", lambda x: None, cases).message
    assert "  got:      None: your function returned nothing (a missing `return`?)" in returned_nothing
    raised = run_cases("probe", lambda x: 1 / 0, cases).message
    assert "  got:      no answer (see the problem line)" in raised and "ZeroDivisionError" in raised


def test_checker_names_come_from_the_cases_function_and_check_names_unknown_ones():
    @checker
    def _probe_only_cases():
        """Probe."""
        return [Case("one", (1,), 1)]

    try:
        assert check._probe_only.run(lambda x: x).message == "✓ _probe_only: the 1 case passes"
        with pytest.raises(AttributeError, match="check.nope: no such exercise"):
            check.nope  # noqa: B018
        with pytest.raises(ValueError, match="registered twice"):
            checker(_probe_only_cases.make_cases)
    finally:
        REGISTRY.pop("_probe_only")


def test_an_error_in_the_learners_code_is_named_by_its_line():
    def mine(n):
        values = [0.0] * n
        return values[n]  # the line the report quotes

    report = run_cases("arange", mine, [Case("two values", (2,), torch.zeros(2))]).message
    assert "IndexError: list index out of range (line " in report
    assert "of your code: `return values[n]  # the line the report quotes`)" in report


def test_a_function_that_never_returns_is_stopped_at_the_time_limit():
    def forever(n):
        while True:
            pass

    def sleeper(n):
        import time

        time.sleep(60)

    cases = [Case("two values", (2,), torch.zeros(2))]
    for function in (forever, sleeper):
        result = run_cases("arange", function, cases, time_limit=0.2)
        assert not result.passed
        assert "your function ran for more than 0.2 s on this case" in result.message
        assert "make your function finish on this input" in result.message  # no line to name: none raised
        assert "problem line names" not in result.message


def test_a_function_that_never_returns_is_left_behind_off_the_main_thread():
    import threading
    import time

    found = {}
    cases = [Case("two values", (2,), torch.zeros(2))]
    worker = threading.Thread(target=lambda: found.update(r=run_cases("x", lambda n: time.sleep(5), cases, 0.2)))
    started = time.perf_counter()
    worker.start()
    worker.join()
    assert time.perf_counter() - started < 3
    assert "ran for more than 0.2 s" in found["r"].message


class _Hostile:
    """An answer whose repr and == raise."""

    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        raise RuntimeError("no ==")

    __hash__ = None


def test_answers_on_another_device_with_grad_or_hostile_are_judged_not_raised():
    cases = [Case("two values", (2,), [torch.zeros(2), torch.ones(2)])]
    right = run_cases("pair", lambda n: [torch.zeros(2, requires_grad=True), torch.ones(2, requires_grad=True)], cases)
    assert right.passed, right.message
    hostile = run_cases("pair", lambda n: _Hostile(), cases)
    assert not hostile.passed and "a _Hostile that cannot be shown (RuntimeError: no repr)" in hostile.message
    odd = run_cases("flag", lambda n: _Hostile(), [Case("a string", (1,), "EOS")])
    assert not odd.passed and "Traceback" not in odd.message
    exiting = run_cases("pair", lambda n: exit(3), cases)
    assert not exiting.passed and "SystemExit: 3" in exiting.message


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_right_answer_on_cuda_passes():
    cases = [Case("two values", (2,), torch.tensor([0.0, 1.0]))]
    assert run_cases("arange", lambda n: torch.arange(n, dtype=torch.float32, device="cuda"), cases).passed


def test_floats_are_shown_rounded():
    assert describe(torch.tensor([0.123456789, 2.0])) == "tensor (2,) float32 [0.1235, 2.0]"
    assert describe(1 / 3) == "0.3333"


def test_the_hint_names_the_mistake_made_and_a_matrix_is_drawn_beside_the_target():
    target = torch.ones(3, 3, dtype=torch.bool).triu(1)
    diagonal = "a position may see itself: triu(1), not triu()"
    case = Case(
        "3 positions",
        (3,),
        target,
        hint="compare with the picture",
        mistakes={
            diagonal: target | torch.eye(3, dtype=torch.bool),
            "a float mask": lambda got: got.is_floating_point(),
        },
    )
    hidden_diagonal = run_cases("causal", lambda n: torch.ones(n, n, dtype=torch.bool).triu(), [case]).message
    assert f"hint:     {diagonal}" in hidden_diagonal
    assert hidden_diagonal.splitlines()[-4:] == [
        "  · ■ ■   ■ ■ ■   ×    ",
        "  · · ■   · ■ ■     ×  ",
        "  · · ·   · · ■       ×",
        "  (■ True, · False)",
    ]
    assert "expected: tensor (3, 3) bool (drawn below)" in hidden_diagonal
    floats = run_cases("causal", lambda n: torch.zeros(n, n), [case]).message
    assert "hint:     a float mask" in floats
    other = run_cases("causal", lambda n: torch.zeros(n, n, dtype=torch.bool), [case]).message
    assert "hint:     compare with the picture" in other


def test_a_case_drops_a_mistake_that_gives_the_right_answer_or_another_mistakes_answer():
    """A hint must name the mistake made: a mistake the right answer makes too, or two that give one answer,
    could name one not made (a right answer that fails for its calls; the other of the two)."""
    target = torch.tensor([1.0, 2.0])
    case = Case(
        "two values",
        (2,),
        target,
        hint="count from 1",
        mistakes={
            "right by chance here": target.clone(),
            "within tolerance of the right answer": target + 1e-7,
            "one cause": torch.tensor([0.0, 1.0]),
            "another cause, one answer": torch.tensor([0.0, 1.0 + 1e-7]),
            "its own answer": torch.tensor([2.0, 4.0]),
            "several forms": any_of([target, torch.tensor([0.0, 1.0]), torch.tensor([1.0, 3.0])]),
            "a test the right answer passes": lambda got: bool((got > 0).all()),
            "a test it fails": lambda got: got.dtype != torch.float32,
            "from the run": from_the_run(lambda: True),
        },
    )
    assert list(case.mistakes) == ["its own answer", "several forms", "a test it fails", "from the run"]
    assert [t.tolist() for t in case.mistakes["several forms"].forms] == [[1.0, 3.0]]  # the one form left
    run = run_cases("ones", lambda n: torch.tensor([0.0, 1.0]), [case]).message
    assert "hint:     from the run" in run  # no hint names one of the two causes; the run's record still counts
    without_the_run = Case(
        "two values", (2,), target, hint="count from 1", mistakes=dict(list(case.mistakes.items())[:3])
    )
    assert "hint:     count from 1" in run_cases("ones", lambda n: torch.tensor([0.0, 1.0]), [without_the_run]).message
    assert "hint:     its own answer" in run_cases("ones", lambda n: torch.tensor([2.0, 4.0]), [case]).message
    assert "hint:     several forms" in run_cases("ones", lambda n: torch.tensor([1.0, 3.0]), [case]).message


def test_nameable_reads_the_right_answer_as_any_of_reads_answers_and_keeps_what_it_cannot_judge():
    steps = any_of([[1, 2]], read=sorted)  # step numbers in any order
    assert isinstance(steps, AnyOf) and steps([2, 1]) and not steps([1]) and repr(steps) == "any_of([[1, 2]])"
    assert nameable({"in any order": steps}, [2, 1]) == {}  # the right answer, read as answers are read
    none = {"no answer at all": None, "zero": 0}
    assert nameable(none, None, right_answer_known=False) == none  # a case that expects an error: no right answer
    assert nameable(none, None) == {"zero": 0}
    record = from_the_run(lambda: False)
    assert isinstance(record, FromTheRun) and not record("any answer")
    assert nameable({"calls": record}, 1) == {"calls": record}
    shape = lambda got: got.shape == (2,)  # noqa: E731 - a test that cannot read the right answer does not accept it
    assert nameable({"a shape": shape}, "a string") == {"a shape": shape}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_no_mistake_a_case_names_gives_its_right_answer_or_another_mistakes_answer(name):
    """Over every checker: the right answer, after a right run, matches no mistake of its case, and each
    mistake's answer is named by its own hint (or by a test listed before it, which reads the answer itself)."""
    for case in checked_cases(REGISTRY[name]):  # the solution has run: stand-ins hold a right run's record
        if case.raises is not None:
            continue
        where = f"{name}, {case.description!r}"
        assert _mistake(case, case.expected) is None, (
            f"{where}: the right answer is named {_mistake(case, case.expected)!r}"
        )
        hints = list(case.mistakes)
        for hint, wrong in case.mistakes.items():
            forms = wrong.forms if isinstance(wrong, AnyOf) else [] if callable(wrong) else [wrong]
            for form in forms:
                named = _mistake(case, form)
                tests_before = [
                    h
                    for h in hints[: hints.index(hint)]
                    if callable(case.mistakes[h]) and not isinstance(case.mistakes[h], AnyOf)
                ]
                assert named == hint or named in tests_before, f"{where}: {hint!r}'s answer is named {named!r}"


def test_hints_come_in_tiers_and_the_solution_is_pointed_to_not_printed(capsys):
    @checker(hints=["think of the diagonal", "torch.triu has a diagonal argument"])
    def _probe_tiers_cases():
        """Probe."""
        return [Case("one", (1,), 1)]

    try:
        probe = REGISTRY["_probe_tiers"]
        probe.hint()
        probe.hint()
        probe.hint()
        probe.solution()
        printed = capsys.readouterr().out.splitlines()
        assert printed[0] == "_probe_tiers, hint 1 of 2: think of the diagonal"
        assert printed[1].startswith("_probe_tiers, hint 2 of 2 (the last one: next, check._probe_tiers.solution())")
        assert printed[2] == printed[1]
        assert printed[3] == "_probe_tiers: the solution is `my__probe_tiers` in solutions/ of the seqtut repository"
    finally:
        REGISTRY.pop("_probe_tiers")


def test_a_drawn_answer_shows_large_and_infinite_values_plainly():
    target = torch.tensor([[112.0, 118.0], [float("-inf"), 0.5]])
    answer = torch.tensor([[112.0, 120.0], [float("nan"), float("inf")]])
    drawn = run_cases("grid", lambda n: answer, [Case("a grid", (1,), target)]).message.splitlines()[-3:]
    assert drawn == ["  expected   yours     differs", "  112 118   112 120         ×", "   -∞ 0.5   nan   ∞     ×   ×"]


def test_the_readmes_example_checker_prints_what_the_readme_says():
    readme = (ROOT / "README.md").read_text()
    name, count = re.search(r"`✓ (\w+): all (\d+) cases pass`", readme).groups()
    assert f"def my_{name}(" in readme and f"check.{name}(my_{name})" in readme
    assert REGISTRY[name].run(_solutions()[name]).message == f"✓ {name}: all {count} cases pass"


def test_code_that_raises_gets_a_hint_about_the_error_not_the_cases():
    def broken(*args, **kwargs):
        return 1 / 0

    for name in ("lstm_shapes", "local_causal_mask", "year_over_year"):
        message = REGISTRY[name].run(broken).message
        assert "ZeroDivisionError" in message and "line " in message, message
        assert "no answer came back" in message and f"check.{name}.hint()" in message, message


def test_a_switched_off_layer_gets_the_no_answer_hint():
    from torch import nn

    def uses_the_layer(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
        return nn.GRUCell(x_t.shape[1], h.shape[1])(x_t, h)

    message = REGISTRY["gru_step"].run(uses_the_layer).message
    assert "SwitchedOff" in message and "no answer came back" in message, message


def test_an_answer_of_the_wrong_form_gets_a_hint_about_its_form():
    def wrong_shape(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
        return h.unsqueeze(0)

    message = REGISTRY["gru_step"].run(wrong_shape).message
    assert "expected shape" in message and "fix the answer's shape or dtype first" in message, message


# --- call_learner: a function the learner handed in, called as the checker calls theirs ---------------------------


def test_call_learner_returns_the_value_and_no_problem():
    assert call_learner(lambda a, b=1: a + b, 2, b=3) == (5, None)
    value, problem = call_learner(lambda: [torch.ones(2, requires_grad=True) * 2, "kept"])
    assert problem is None and value[1] == "kept"  # tensors inside a list are detached and on the CPU
    assert not value[0].requires_grad and torch.equal(value[0], torch.tensor([2.0, 2.0]))


def test_call_learner_names_the_error_and_the_line_of_the_learners_code_that_raised_it():
    def inverse(windows, outputs):
        raise ValueError("windows and outputs differ in shape")

    def silent(windows, outputs):
        raise RuntimeError

    def calls_torch(windows, outputs):
        return windows @ outputs

    def exits(windows, outputs):
        raise SystemExit(3)

    first = inverse.__code__.co_firstlineno
    assert call_learner(inverse, torch.zeros(2), torch.zeros(3)) == (
        None,
        f"raised ValueError: windows and outputs differ in shape (line {first + 1} of your code: "
        '`raise ValueError("windows and outputs differ in shape")`)',
    )
    line = silent.__code__.co_firstlineno + 1
    assert call_learner(silent, 1, 2) == (None, f"raised RuntimeError (line {line} of your code: `raise RuntimeError`)")
    value, problem = call_learner(calls_torch, torch.zeros(2), torch.zeros(3))
    line = calls_torch.__code__.co_firstlineno + 1
    assert value is None and problem.startswith("raised RuntimeError: ")  # torch's own message, then the caller's line
    assert problem.endswith(f"(line {line} of your code: `return windows @ outputs`)")
    line = exits.__code__.co_firstlineno + 1
    assert call_learner(exits, 1, 2) == (
        None,
        f"raised SystemExit: 3 (line {line} of your code: `raise SystemExit(3)`)",
    )


def test_call_learner_stops_a_function_at_the_time_limit_and_lets_an_interrupt_through(monkeypatch):
    import time

    monkeypatch.setattr("seqtut.exercises.core.TIME_LIMIT", 0.05)
    assert call_learner(time.sleep, 2) == (None, "ran for more than 0.05 s (a loop that never ends?)")

    def stopped():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call_learner(stopped)

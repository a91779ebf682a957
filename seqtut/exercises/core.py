"""The machinery every checker shares: cases, comparison and a report in plain words.

A checker is built from a function that returns `Case`s. `checker` turns it into the function a
notebook calls, `check.local_causal_mask(my_local_causal_mask)`, which runs the learner's function on every
case and prints either `✓ all N cases pass` or the first failing case: its input, what was
expected, what came, and a hint. It never raises for a learner's mistake, so a notebook whose
exercises are still stubs runs top to bottom, and it never prints the solution's code.

Whatever the learner's function does, the checker reports instead of raising: a
`NotImplementedError` raised by the function's own body is the untouched stub ("not implemented
yet"); any other error, one raised inside a library their code called included, is named with the
line of their code that raised it; an answer on the GPU, one that requires
grad, or one whose `repr` or `==` misbehaves is judged on its values (copied to the CPU, detached)
by the expected value's own comparison; a function that runs past `TIME_LIMIT` seconds on one case
is stopped where the platform allows it (a SIGALRM timer, on Linux and macOS, in the main thread)
and otherwise left behind in a background thread while the checker reports.
"""

from __future__ import annotations

import copy
import functools
import inspect
import linecache
import math
import signal
import sys
import sysconfig
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

NOT_IMPLEMENTED = "not implemented yet: replace `raise NotImplementedError` with your code, then run this cell again"
TIME_LIMIT = 10.0  # seconds a learner's function may take on one case
ATOL, RTOL = 1e-5, 1e-4  # `same`'s tolerance for floats, which `_apart` and the drawn grid's marks share

Compare = Callable[[Any, Any], str | None]
"""`compare(expected, got)`: None when `got` is right, otherwise what is wrong, in words."""


@dataclass
class Case:
    """One input to try, what a right answer gives, and a hint for a learner who gets it wrong."""

    description: str  # in plain words, e.g. "3 rows, PAD in the middle of row 1"
    args: tuple[Any, ...]
    expected: Any
    hint: str = ""  # shown when the answer is wrong in a way no entry of `mistakes` names
    kwargs: dict[str, Any] = field(default_factory=dict)
    compare: Compare | None = None  # default: `same`
    raises: type[Exception] | None = None  # a right answer raises this instead of returning (`expected`: None)
    mistakes: dict[str, Any] = field(default_factory=dict)
    """A usual mistake's hint -> the answer that mistake gives, `any_of` its several answers, or a test
    `answer -> bool` (`from_the_run` for one that reads how the function ran): the hint of the first
    mistake a wrong answer matches is shown instead of `hint`.

    A hint must name the mistake made, so the case keeps only the mistakes it can tell apart (see
    `nameable`): an answer (or a test) that the right answer matches, and an answer that another
    mistake gives too, are dropped here, whoever builds the case; a wrong answer that matched one
    gets `hint`. A test's answers are unknown: two tests, or a test and an answer, that accept the
    same wrong answer keep their order, the first named."""

    def __post_init__(self) -> None:
        self.mistakes = nameable(self.mistakes, self.expected, right_answer_known=self.raises is None)


class AnyOf:
    """A usual mistake with several forms: an answer equal (by `same`) to any of `forms`, after `read`, makes it.

    A test `answer -> bool`, like any other, but one whose answers are known: a case drops the forms that
    the right answer, or another mistake, gives (`nameable`). `read` turns an answer into what the forms
    are compared with (a 0-d tensor into its number, step numbers in any order into a sorted list).
    """

    def __init__(self, forms: Iterable[Any], read: Callable[[Any], Any] | None = None) -> None:
        self.forms, self.read = tuple(forms), read  # a generator is read once, here

    def __call__(self, got: Any) -> bool:
        answer = got if self.read is None else self.read(got)
        return any(same(form, answer) is None for form in self.forms)

    def __repr__(self) -> str:
        return f"any_of({describe(list(self.forms))})"


def any_of(forms: Iterable[Any], read: Callable[[Any], Any] | None = None) -> AnyOf:
    """The mistake test of an answer equal to any of `forms` (after `read`): see `AnyOf`."""
    return AnyOf(forms, read)


class FromTheRun:
    """A usual mistake read from a record of how the learner's function ran (a stand-in's calls), not from its
    answer: `test()` -> bool. No answer can coincide with it, so a case never drops it; before any run its
    record may say anything ("never called"), so it is never tried on the right answer."""

    def __init__(self, test: Callable[[], bool]) -> None:
        self.test = test

    def __call__(self, got: Any) -> bool:
        return bool(self.test())


def from_the_run(test: Callable[[], bool]) -> FromTheRun:
    """The mistake test that reads `test()`, a stand-in's record of the run, whatever the answer: see `FromTheRun`."""
    return FromTheRun(test)


def nameable(mistakes: dict[str, Any], expected: Any, *, right_answer_known: bool = True) -> dict[str, Any]:
    """`mistakes` (a case's hint -> answer or test) less those whose hint could name a mistake not made.

    Dropped: an answer that equals `expected` (a right answer that fails for another reason, such as a
    stand-in called twice, would get that hint), a test that accepts `expected`, and an answer that
    another mistake gives too (an answer that matches both would get the hint of the first), both of
    them; for `any_of`, each such form alone. "Equal" is by `same`, either way round: its tolerance,
    the one a wrong answer is matched with, keeps two close mistakes (two clips' losses) apart.
    `right_answer_known` False (a case that expects an error): only the last rule.
    A `from_the_run` test is always kept; other tests are tried on `expected` only.
    """
    forms: dict[str, list[tuple[Any, Callable[[Any], Any] | None]]] = {}
    kept: dict[str, Any] = {}
    for hint, wrong in mistakes.items():
        if isinstance(wrong, AnyOf):
            forms[hint] = [(form, wrong.read) for form in wrong.forms]
        elif not callable(wrong):
            forms[hint] = [(wrong, None)]
        elif isinstance(wrong, FromTheRun) or not right_answer_known or not _accepts(wrong, expected):
            kept[hint] = wrong
    if right_answer_known:
        forms = {hint: [(f, read) for f, read in fs if not _agree(f, expected, read)] for hint, fs in forms.items()}
    shared: set[tuple[str, int]] = set()
    listed = [(hint, k, form) for hint, fs in forms.items() for k, (form, _) in enumerate(fs)]
    for i, (hint, k, form) in enumerate(listed):
        for other, j, value in listed[i + 1 :]:
            if other != hint and _agree(form, value):
                shared |= {(hint, k), (other, j)}
    result = {}
    for hint, wrong in mistakes.items():
        if hint in kept:
            result[hint] = kept[hint]
        elif hint in forms:
            left = [form for k, (form, _) in enumerate(forms[hint]) if (hint, k) not in shared]
            if isinstance(wrong, AnyOf) and left:
                result[hint] = wrong if len(left) == len(wrong.forms) else AnyOf(left, wrong.read)
            elif left:
                result[hint] = wrong
    return result


def _agree(form: Any, value: Any, read: Callable[[Any], Any] | None = None) -> bool:
    """Whether `form` and `value` (read by `read`) are the same answer, by `same` either way round."""
    try:
        value = value if read is None else read(value)
        if _apart(form, value):
            return False
        return same(form, value) is None or same(value, form) is None
    except Exception:  # noqa: BLE001 - what cannot be compared does not agree
        return False


def _apart(a: Any, b: Any, atol: float = ATOL, rtol: float = RTOL) -> bool:
    """A quick True where `same` would find `a` and `b` apart either way round: tensors (in tuples and lists) of
    other shapes or other values; False where unsure. A case compares its mistakes pairwise, mostly apart."""
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) != len(b) or any(_apart(x, y, atol, rtol) for x, y in zip(a, b, strict=True))
    if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
        return False
    if a.shape != b.shape:
        return True
    if a.is_complex() or b.is_complex():
        return False
    if not (a.is_floating_point() or b.is_floating_point()):  # bool and integer tensors: compared as integers
        return not torch.equal(a.long(), b.long())
    if not (a.is_floating_point() and b.is_floating_point()):
        return True  # `same` refuses a float tensor for an integer one and the reverse
    a, b = a.detach().double(), b.detach().double()
    return bool(((a - b).abs() > atol + rtol * torch.maximum(a.abs(), b.abs())).any())  # NaN, inf - inf: unsure


def _accepts(test: Callable[[Any], Any], answer: Any) -> bool:
    """Whether a mistake's test accepts `answer`; a test that cannot read it does not."""
    try:
        return bool(test(answer))
    except Exception:  # noqa: BLE001
        return False


@dataclass(frozen=True)
class Result:
    """What a checker found: whether every case passed, and the message it prints."""

    name: str
    passed: bool
    cases: int
    message: str
    failed_case: int | None = None  # 1-based index of the first failing case

    @property
    def not_implemented(self) -> bool:
        return self.message.startswith(f"{self.name}: {NOT_IMPLEMENTED}")


def describe(value: Any, limit: int = 12) -> str:
    """A short, readable description of a value: a tensor's dtype, shape and (small) contents, rounded.

    Never raises: a learner's object whose repr fails is described by its type and the error.
    """
    try:
        return _describe(value, limit)
    except Exception as error:  # noqa: BLE001 - a report must not fail on a learner's object
        return f"a {type(value).__name__} that cannot be shown ({type(error).__name__}: {error})"


def _describe(value: Any, limit: int) -> str:
    """`describe`, which may raise on a learner's object."""
    if isinstance(value, torch.Tensor):
        value, head = value.detach().cpu(), _head(value)
        if value.numel() <= 3 * limit:  # more would fill lines: the first values say enough
            return f"{head} {_rounded(value.tolist())}"
        return f"{head} (first values {_rounded(value.flatten()[:limit].tolist())} …)"
    if isinstance(value, np.ndarray):  # "numpy array (4, 4) bool [...]": a learner must see it is not a tensor
        return "numpy array" + describe(torch.as_tensor(value), limit).removeprefix("tensor")
    if isinstance(value, tuple | list) and len(value) <= limit:
        inner = ", ".join(describe(v, limit) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, float | np.floating):
        return repr(_rounded(float(value)))
    if isinstance(value, torch.optim.Optimizer):
        return f"{type(value).__name__}(lr={value.defaults.get('lr')})"
    text = " ".join(repr(value).split())  # a module's repr on one line
    return text if len(text) <= 200 else text[:200] + " …"


def _head(tensor: torch.Tensor) -> str:
    """'tensor (2, 3) float32': a tensor's shape and dtype."""
    return f"tensor {tuple(tensor.shape)} {str(tensor.dtype).removeprefix('torch.')}"


def _rounded(value: Any, digits: int = 4) -> Any:
    """Floats (in nested lists) to `digits` significant digits, so that one input fits on a line."""
    if isinstance(value, list):
        return [_rounded(v, digits) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.{digits}g}")
    return value


def same(expected: Any, got: Any, *, atol: float = ATOL, rtol: float = RTOL) -> str | None:
    """None when `got` equals `expected` (tensors: shape, kind and values; floats: within tolerance)."""
    return _same(expected, got, "", atol, rtol)


def _same(expected: Any, got: Any, where: str, atol: float, rtol: float) -> str | None:
    """`same` for the item at `where` ("" for the whole answer, "[1][0]" inside nested items)."""
    at = f"in item {where}: " if where else ""
    if isinstance(expected, torch.Tensor):
        if isinstance(got, np.ndarray):
            got = torch.as_tensor(got)
        if not isinstance(got, torch.Tensor):
            return f"{at}expected a tensor, got {type(got).__name__}"
        if tuple(got.shape) != tuple(expected.shape):
            return f"{at}expected shape {tuple(expected.shape)}, got shape {tuple(got.shape)}"
        dtype = str(got.dtype).removeprefix("torch.")
        if expected.dtype == torch.bool and got.dtype != torch.bool:
            return f"{at}expected a bool tensor (True/False), got dtype {dtype}"
        if expected.is_floating_point():
            if not got.is_floating_point():
                return f"{at}expected a float tensor, got dtype {dtype}"
            both_inf = torch.isinf(expected) & (got == expected)
            close = torch.isclose(got.double(), expected.double(), atol=atol, rtol=rtol) | both_inf
        elif got.is_floating_point() or got.is_complex():
            return f"{at}expected integers (dtype {str(expected.dtype).removeprefix('torch.')}), got dtype {dtype}"
        else:
            close = got.to(expected.dtype) == expected
        if not bool(close.all()):
            index = tuple(int(i) for i in (~close).nonzero()[0])
            want, came = _rounded(expected[index].item(), 6), _rounded(got[index].item(), 6)
            return f"{at}wrong value at index {index}: expected {want}, got {came}"
        return None
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            return f"{at}expected {len(expected)} items, got {describe(got)}"
        for index, (e, g) in enumerate(zip(expected, got, strict=True)):
            problem = _same(e, g, f"{where}[{index}]", atol, rtol)
            if problem is not None:
                return problem
        return None
    if isinstance(expected, float):
        if not isinstance(got, int | float | np.floating | np.integer) or isinstance(got, bool):
            return f"{at}expected a number, got {describe(got)}"
        if math.isclose(float(got), expected, rel_tol=rtol, abs_tol=atol):
            return None
        return f"{at}expected {_rounded(expected, 6)}, got {_rounded(float(got), 6)}"
    if isinstance(expected, int) and not isinstance(expected, bool):
        if not isinstance(got, int | np.integer) or isinstance(got, bool):
            return f"{at}expected an integer, got {describe(got)}"
        return None if int(got) == expected else f"{at}expected {expected}, got {int(got)}"
    # anything else: the expected value's own ==, on an answer of exactly its type (never the answer's ==)
    if type(got) is type(expected) and expected.__eq__(got) is True:
        return None
    return f"{at}expected {describe(expected)}, got {describe(got)}"


NO_ANSWER = object()  # what a case got when the learner's function raised or ran out of time: no value came back


def run_cases(name: str, function: Any, cases: Sequence[Case], time_limit: float = TIME_LIMIT) -> Result:
    """Run `function` on every case; the `Result` names the first case that fails and why."""
    if not callable(function):
        return Result(name, False, len(cases), f"{name}: expected your function, got {describe(function)}")
    for index, case in enumerate(cases, start=1):
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)  # a learner may edit inputs in place
        got, stopped = NO_ANSWER, ""  # stopped: what to fix when the learner's code raised or ran out of time
        try:
            got = _call(function, args, kwargs, time_limit)
            problem = _judge(case, got)
        except _TimeUp:
            problem = f"your function ran for more than {time_limit:g} s on this case (a loop that never ends?)"
            stopped = "make your function finish on this input"
        except KeyboardInterrupt:
            raise  # the learner stopped the cell
        except BaseException as error:  # the learner's code failed (SystemExit too): say where, with no traceback
            if isinstance(error, NotImplementedError) and _raised_by(error, function):
                return Result(name, False, len(cases), f"{name}: {NOT_IMPLEMENTED}", index)  # the stub, untouched
            if case.raises is not None and isinstance(error, case.raises):
                continue  # the error this case asks for
            problem = f"{_named(error)}{_where(error)}"
            own = isinstance(error, Refused) or _learners_own(error)  # a refusal, or the learner's code itself
            if own and case.raises is None:  # else the case's hint still fits
                stopped = "fix what the problem line names"
        if problem is not None:
            report = _failure(name, index, len(cases), case, function, got, problem, stopped=stopped)
            return Result(name, False, len(cases), report, index)
    passed = "the 1 case passes" if len(cases) == 1 else f"all {len(cases)} cases pass"
    return Result(name, True, len(cases), f"✓ {name}: {passed}")


def call_learner(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
    """Call a function the learner handed in (an inverse, a step) as the checker calls theirs.

    Returns `(value, None)`, or `(None, problem)` in words: past `TIME_LIMIT`, or the error with the
    line of the learner's code that raised it. For a `compare` that calls part of an answer.
    """
    try:
        return _on_cpu(_call(function, args, kwargs, TIME_LIMIT)), None
    except _TimeUp:
        return None, f"ran for more than {TIME_LIMIT:g} s (a loop that never ends?)"
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # noqa: BLE001 - the learner's code failed: say where
        return None, f"raised {_named(error)}{_where(error)}"


def _judge(case: Case, got: Any) -> str | None:
    """None when `got` answers `case`, else what is wrong; never raises, whatever `got` is."""
    if case.raises is not None:
        return f"expected a {case.raises.__name__}, but the function returned {describe(got)}"
    try:
        return (case.compare or same)(case.expected, _on_cpu(got))
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # noqa: BLE001 - an answer the comparison cannot read is a wrong answer
        return f"your answer could not be compared ({type(error).__name__}: {error})"


def _on_cpu(value: Any) -> Any:
    """Tensors (also inside lists, tuples and dicts) detached and copied to the CPU: judged on values alone."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, list | tuple) and type(value) in (list, tuple):
        return type(value)(_on_cpu(v) for v in value)
    if isinstance(value, dict) and type(value) is dict:
        return {k: _on_cpu(v) for k, v in value.items()}
    return value


class Refused(RuntimeError):
    """Raised by a checker's guard when the learner calls what the exercise asks them to write themselves."""


class _TimeUp(BaseException):
    """Raised into a learner's function that has run past the time limit (not an Exception it could catch)."""


def _call(function: Callable[..., Any], args: tuple, kwargs: dict, time_limit: float) -> Any:
    """`function(*args, **kwargs)`, stopped by `_TimeUp` after `time_limit` seconds."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _alarm(time_limit):
            return function(*args, **kwargs)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=target, daemon=True)  # no timer here: leave a runaway function behind
    worker.start()
    worker.join(time_limit)
    if worker.is_alive():
        raise _TimeUp
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise `_TimeUp` in this (main) thread after `seconds`, unless the block ends first."""

    def ring(signum: int, frame: Any) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_LIBRARIES = tuple(
    str(Path(p).resolve()) for p in {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]}
) + (str(Path(__file__).resolve().parents[1]),)


def _where(error: BaseException) -> str:
    """' (line N of your code: `...`)': the last line outside Python, its libraries and seqtut that raised."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        filename = frame.filename
        if filename.startswith("<frozen") or str(Path(filename).resolve()).startswith(_LIBRARIES):
            continue
        line = (frame.line or linecache.getline(filename, frame.lineno or 0)).strip()
        return f" (line {frame.lineno} of your code: `{line}`)" if line else f" (line {frame.lineno} of your code)"
    return ""


def _named(error: BaseException) -> str:
    """'ValueError: its message', or the error's type alone when it has no message."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _raised_by(error: BaseException, function: Any) -> bool:
    """Whether `error` was raised in `function`'s own body (a stub's `raise`), not in any code it called.

    Only then is a `NotImplementedError` the untouched stub: one raised inside a library the learner
    called (a module without `forward`, an operator a backend lacks) is an error of their code.
    """
    innermost = error.__traceback__
    if innermost is None:
        return False
    while innermost.tb_next is not None:
        innermost = innermost.tb_next
    return innermost.tb_frame.f_code is _code_of(function)


def _code_of(function: Any) -> Any:
    """The code object a callable runs: a function's, a method's, a `partial`'s or a callable object's `__call__`."""
    function = inspect.unwrap(function) if inspect.isfunction(function) else function
    while isinstance(function, functools.partial):
        function = function.func
    if inspect.ismethod(function):
        function = function.__func__
    code = getattr(function, "__code__", None)
    if code is None and callable(function) and not isinstance(function, type):
        code = getattr(type(function).__call__, "__code__", None)
    return code


def _learners_own(error: BaseException) -> bool:
    """Whether `error` came from the learner's code or torch, not from a checker's stand-in reacting to the answer."""
    frames = traceback.extract_tb(error.__traceback__)
    return not frames or Path(frames[-1].filename).resolve().parent != Path(__file__).resolve().parent


def _named_inputs(function: Any, case: Case) -> str:
    """The case's inputs, named by the learner's own parameters where they bind (else by position)."""
    try:
        bound = inspect.signature(function).bind(*case.args, **case.kwargs).arguments
        parts = [f"{k}={describe(v)}" for k, v in bound.items()]
    except (TypeError, ValueError):
        parts = [describe(a) for a in case.args] + [f"{k}={describe(v)}" for k, v in case.kwargs.items()]
    return ", ".join(parts)


def _failure(
    name: str, index: int, total: int, case: Case, function: Any, got: Any, problem: str, *, stopped: str = ""
) -> str:
    """The report of one failing case, in plain words; `stopped`: what to fix when no answer came (an error, the time
    limit), empty when one did."""
    picture = _side_by_side(case.expected, got)
    expected = f"a {case.raises.__name__}" if case.raises else describe(case.expected)
    if got is NO_ANSWER:
        came = "no answer (see the problem line)"
    elif got is None:
        came = "None: your function returned nothing (a missing `return`?)"
    else:
        came = describe(got)
    if picture:  # the values are drawn below: name the tensors only
        expected, came = (f"{_head(t)} (drawn below)" for t in (case.expected, got))
    lines = [
        f"✗ {name}: case {index} of {total} fails: {case.description}",
        f"  input:    {_named_inputs(function, case)}",
        f"  expected: {expected}",
        f"  got:      {came}",
        f"  problem:  {problem}",
    ]
    if stopped:  # the case's hint is about answers; this one is about the code that gave none
        hint = f"no answer came back, so none could be judged: {stopped}, then run the check again"
        hint += f" (check.{name}.hint() for the method)"
    else:
        hint = _mistake(case, None if got is NO_ANSWER else got) or _form_hint(name, problem) or case.hint
    if hint:
        lines.append(f"  hint:     {hint}")
    return "\n".join(lines + picture)


def _form_hint(name: str, problem: str) -> str | None:
    """A hint for an answer of the wrong form (shape, dtype, a tensor for a number): the case's hint is not about it."""
    if "expected a number, got tensor" in problem:
        return "return a Python number: `.item()` turns a one-element tensor into one"
    if "expected shape" in problem or "got dtype" in problem:
        return (
            f"fix the answer's shape or dtype first (the problem line says which); check.{name}.hint() for the method"
        )
    return None


def _mistake(case: Case, got: Any) -> str | None:
    """The hint of the first usual mistake that `got` matches, if any."""
    if got is None:
        return None
    answer = _on_cpu(got)
    for hint, wrong in case.mistakes.items():
        try:
            if wrong(answer) if callable(wrong) else same(wrong, answer) is None:
                return hint
        except Exception:  # noqa: BLE001, S112 - a test that cannot read the answer does not match it
            continue
    return None


def _side_by_side(expected: Any, got: Any, largest: int = 16) -> list[str]:
    """A small expected matrix and the answer drawn side by side, differing cells marked with ×.

    Only for 2-D tensors of the same shape, at most `largest` × `largest`: a mask or attention
    pattern, where the picture says more than the first wrong index.
    """
    if not (isinstance(expected, torch.Tensor) and isinstance(got, torch.Tensor)):
        return []
    got = got.detach().cpu()
    if expected.dim() != 2 or got.shape != expected.shape or max(expected.shape) > largest:
        return []

    def cell(value: float) -> str:
        if isinstance(value, bool):
            return "■" if value else "·"
        if not math.isfinite(value):
            return {float("inf"): "∞", float("-inf"): "-∞"}.get(value, "nan")
        return f"{value:.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.2g}"

    rows_e = [[cell(v) for v in row] for row in expected.tolist()]
    rows_g = [[cell(v) for v in row] for row in got.tolist()]
    width = max(len(c) for row in rows_e + rows_g for c in row)
    differs = ~torch.isclose(expected.double(), got.double(), atol=ATOL, rtol=RTOL, equal_nan=True)
    marks = [["×" if d else " " for d in row] for row in differs.tolist()]
    left = [" ".join(c.rjust(width) for c in row) for row in rows_e]
    right = [" ".join(c.rjust(width) for c in row) for row in rows_g]
    diff = [" ".join(m.rjust(width) for m in row) for row in marks]
    span = len(left[0])
    lines = [f"  {'expected'.ljust(span)}   {'yours'.ljust(span)}   differs"]
    lines += [f"  {a}   {b}   {d}" for a, b, d in zip(left, right, diff, strict=True)]
    legend = "  (■ True, · False)" if expected.dtype == torch.bool else ""
    return lines + ([legend] if legend else [])


class Checker:
    """A notebook's checker: `check.x(my_x)` prints the report; `.hint()` and `.solution()` help on request."""

    def __init__(
        self,
        name: str,
        make_cases: Callable[[], Sequence[Case]],
        doc: str,
        hints: Sequence[str] = (),
        solution: str = "",
    ) -> None:
        self.name, self.make_cases, self.__doc__ = name, make_cases, doc
        self.hints, self.solution_file = tuple(hints), solution
        self._hints_shown = 0

    def run(self, function: Any) -> Result:
        """Run every case and return the `Result` (tests use this)."""
        return run_cases(self.name, function, self.make_cases())

    def __call__(self, function: Any) -> None:
        print(self.run(function).message)

    def hint(self) -> None:
        """Print the next hint: each call goes one step further towards the answer."""
        if not self.hints:
            print(f"{self.name}: no hints beyond the checker's own; see check.{self.name}.solution()")
            return
        level = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown = level + 1
        last = " (the last one: next, check." + self.name + ".solution())" if level == len(self.hints) - 1 else ""
        print(f"{self.name}, hint {level + 1} of {len(self.hints)}{last}: {self.hints[level]}")

    def solution(self) -> None:
        """Say where the solution is; it is not printed here, so that a glance cannot give it away."""
        where = f"solutions/{self.solution_file}.py" if self.solution_file else "solutions/"
        print(f"{self.name}: the solution is `my_{self.name}` in {where} of the seqtut repository")

    def __repr__(self) -> str:
        return f"<checker {self.name}: {self.__doc__}>"


REGISTRY: dict[str, Checker] = {}


def checker(make_cases: Callable[[], Sequence[Case]] | None = None, *, hints: Sequence[str] = ()) -> Any:
    """Register `make_cases` (named `<exercise>_cases`) as the checker `check.<exercise>`.

    Used bare (`@checker`) or with tiered hints, from a nudge to nearly the answer
    (`@checker(hints=[...])`). The solution file is the module's `NOTEBOOK` (e.g.
    "06_transformer_masking"), when it sets one.
    """
    if make_cases is None:
        return lambda function: checker(function, hints=hints)
    name = make_cases.__name__.removesuffix("_cases")
    if name in REGISTRY:
        raise ValueError(f"checker: {name!r} is registered twice")
    doc = (make_cases.__doc__ or "").strip().splitlines()[0] if make_cases.__doc__ else name
    notebook = getattr(sys.modules.get(make_cases.__module__), "NOTEBOOK", "")
    REGISTRY[name] = Checker(name, make_cases, doc, hints, notebook)
    return REGISTRY[name]

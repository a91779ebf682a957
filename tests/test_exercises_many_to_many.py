"""Notebook 03's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch
from exercise_cases import checked_cases
from torch import nn

from seqtut.baselines import ar2_forecast
from seqtut.exercises import check, many_to_many
from seqtut.exercises.many_to_many import OneStep

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions" / "03_many_to_many.py"


def _solutions():
    spec = importlib.util.spec_from_file_location("_solutions_03", SOLUTIONS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# 1. What the head never read ------------------------------------------------------------------------------------


def unseen_includes_the_read_step(length, read):
    return list(range(read % length, length))


def unseen_ignores_negative_reads(length, read):
    return list(range(read + 1, length))


def unseen_numbered_from_1(length, read):
    return list(range(read % length + 2, length + 1))


def unseen_before_the_read_step(length, read):  # as if the LSTM read right to left
    return list(range(read % length))


def unseen_counts_minus_read(length, read):  # "-5 misses 5 steps", and reading step k >= 0 misses nothing
    return list(range(length + read, length)) if read < 0 else []


def unseen_for_a_window_of_50(length, read):  # the notebook's window length, whatever `length` is
    return list(range(read % 50 + 1, 50))


def unseen_hard_codes_the_notebooks_heads(length, read):  # passes the two heads the notebook shows, nothing else
    return {-5: [46, 47, 48, 49], -1: []}.get(read, [])


def unseen_ignores_backward(length, read, backward=False):  # the forward answer for both directions
    return list(range(read % length + 1, length))


def unseen_backward_without_the_read_step(length, read, backward=False):
    at = read % length
    return list(range(at + 1)) if backward else list(range(at + 1, length))


def unseen_backward_reads_everything(length, read, backward=False):  # as if the head read both halves
    return [] if backward else list(range(read % length + 1, length))


# 2. The best forecast of an AR(p) --------------------------------------------------------------------------------


def _recurrence(start, steps, phis):
    values = list(start.unbind(dim=1))
    for _ in range(steps):
        values.append(sum(phi * values[-1 - j] for j, phi in enumerate(phis)))
    return torch.stack(values[start.shape[1] :], dim=1)


def ar_calls_the_package(windows, steps, phis):  # ar2_forecast knows p = 2 only, and its own phi1, phi2
    return ar2_forecast(windows, steps)


def ar_swapped_coefficients(windows, steps, phis):
    return _recurrence(windows[:, -len(phis) :], steps, phis[::-1])


def ar_from_the_first_values(windows, steps, phis):
    return _recurrence(windows[:, : len(phis)], steps, phis)


def ar_without_feedback(windows, steps, phis):  # every step from the window's own values
    first = _recurrence(windows[:, -len(phis) :], 1, phis)
    return first.expand(-1, steps)


def ar_starts_with_the_last_value(windows, steps, phis):
    return torch.cat([windows[:, -1:], _recurrence(windows[:, -len(phis) :], steps - 1, phis)], dim=1)


# 3. A one-step model rolled forward -----------------------------------------------------------------------------


def rolled_row_by_row(one_step, windows, steps):  # the right values, N calls per step
    rows = []
    for row in windows:
        window, out = row.unsqueeze(0), []
        for _ in range(steps):
            out.append(one_step(window))
            window = torch.cat([window[:, 1:], out[-1].unsqueeze(1)], dim=1)
        rows.append(torch.cat(out))
    return torch.stack(rows)


def rolled_with_a_growing_window(one_step, windows, steps):  # the window keeps every value: L + 1, L + 2, ...
    forecasts = []
    for _ in range(steps):
        forecasts.append(one_step(windows))
        windows = torch.cat([windows, forecasts[-1].unsqueeze(1)], dim=1)
    return torch.stack(forecasts, dim=1)


def rolled_without_feedback(one_step, windows, steps):
    return torch.stack([one_step(windows) for _ in range(steps)], dim=1)


def rolled_once_and_repeated(one_step, windows, steps):  # one call: the right count for one step only
    return one_step(windows).unsqueeze(1).expand(-1, steps)


def rolled_dropping_the_newest(one_step, windows, steps):
    forecasts = []
    for _ in range(steps):
        forecasts.append(one_step(windows))
        windows = torch.cat([windows[:, :-1], forecasts[-1].unsqueeze(1)], dim=1)
    return torch.stack(forecasts, dim=1)


def rolled_with_the_forecast_first(one_step, windows, steps):
    forecasts = []
    for _ in range(steps):
        forecasts.append(one_step(windows))
        windows = torch.cat([forecasts[-1].unsqueeze(1), windows[:, :-1]], dim=1)
    return torch.stack(forecasts, dim=1)


def rolled_in_place(one_step, windows, steps):  # the right values, but the caller's windows are overwritten
    forecasts = []
    for _ in range(steps):
        forecasts.append(one_step(windows).clone())
        windows[:, :-1] = windows[:, 1:].clone()
        windows[:, -1] = forecasts[-1]
    return torch.stack(forecasts, dim=1)


MUTANTS = {
    "unseen_steps": [
        unseen_includes_the_read_step,
        unseen_ignores_negative_reads,
        unseen_numbered_from_1,
        unseen_before_the_read_step,
        unseen_counts_minus_read,
        unseen_for_a_window_of_50,
        unseen_hard_codes_the_notebooks_heads,
        unseen_ignores_backward,
        unseen_backward_without_the_read_step,
        unseen_backward_reads_everything,
    ],
    "ar_forecast": [
        ar_calls_the_package,
        ar_swapped_coefficients,
        ar_from_the_first_values,
        ar_without_feedback,
        ar_starts_with_the_last_value,
    ],
    "recursive_forecast": [
        rolled_row_by_row,
        rolled_with_a_growing_window,
        rolled_without_feedback,
        rolled_once_and_repeated,
        rolled_dropping_the_newest,
        rolled_with_the_forecast_first,
        rolled_in_place,
    ],
}


# 1. ----------------------------------------------------------------------------------------------------------------


def test_the_unseen_steps_are_what_a_real_lstm_shows():
    """The gradient of out[:, read] (or its backward half) is exactly 0 at the input steps it never read."""
    torch.manual_seed(0)
    forward = nn.LSTM(1, 4, num_layers=2, batch_first=True).double()
    bidirectional = nn.LSTM(1, 4, num_layers=1, batch_first=True, bidirectional=True).double()
    for case in check.unseen_steps.make_cases():
        length, read = case.args
        x = torch.randn(1, length, 1, dtype=torch.float64, requires_grad=True)
        if case.kwargs.get("backward"):
            bidirectional(x)[0][:, read, 4:].sum().backward()  # the backward direction's half of out
        else:
            forward(x)[0][:, read].sum().backward()
        unseen = [t for t in range(length) if bool((x.grad[0, t] == 0).all())]
        assert unseen == case.expected, case.description


@pytest.mark.parametrize(
    "answer",
    [
        lambda n, r, backward=False: range(r % n) if backward else range(r % n + 1, n),
        lambda n, r, backward=False: tuple(range(r % n) if backward else range(r % n + 1, n)),
        lambda n, r, backward=False: set(range(0, r % n) if backward else range(r % n + 1, n)),  # order: any
        lambda n, r, backward=False: frozenset(range(r % n) if backward else range(r % n + 1, n)),
        lambda n, r, backward=False: np.arange(0, r % n) if backward else np.arange(r % n + 1, n),
    ],
)
def test_the_unseen_steps_may_come_as_a_range_a_tuple_a_set_or_an_integer_array(answer):
    assert check.unseen_steps.run(answer).passed


def test_a_wrong_set_of_unseen_steps_is_still_judged_and_its_mistake_named():
    message = check.unseen_steps.run(
        lambda n, r, backward=False: set(range(r % n, n))
    ).message  # includes the read step
    assert "not expected [5]" in message and "has read x[:, t] too" in message
    assert "expected step numbers (integers)" in check.unseen_steps.run(lambda n, r, backward=False: {0.5}).message


def test_the_unseen_steps_may_come_in_any_order_but_each_once():
    def descending(n, r, backward=False):
        return list(range(r % n - 1, -1, -1)) if backward else list(range(n - 1, r % n, -1))

    assert check.unseen_steps.run(descending).passed
    twice = check.unseen_steps.run(lambda n, r, backward=False: [*range(r % n + 1, n), n - 1]).message
    assert "problem:  a step is listed twice" in twice


def test_float_steps_are_rejected_with_a_reason():
    message = check.unseen_steps.run(
        lambda n, r, backward=False: torch.arange(r % n + 1, n, dtype=torch.float32)
    ).message
    assert "expected step numbers (integers), got a tensor (2,) of dtype float32" in message


def test_an_empty_float_tensor_holds_no_wrong_step_and_passes():
    def unseen(length, read, backward=False):  # torch.tensor([]) is float32 when no step is left
        at = read % length
        steps = range(at) if backward else range(at + 1, length)
        return torch.tensor(list(steps)) if steps else torch.tensor([])

    assert check.unseen_steps.run(unseen).passed


def test_a_small_case_comes_first_and_each_usual_mistake_gets_its_own_hint():
    message = check.unseen_steps.run(unseen_includes_the_read_step).message
    assert message.startswith("✗ unseen_steps: case 1 of 11 fails: windows of 8, a head reading out[:, -3]")
    assert "input:    length=8, read=-3" in message and "not expected [5]" in message
    assert "hint:     the output at step t has read x[:, t] too" in message
    hints = {
        unseen_ignores_negative_reads: "a negative `read` counts from the end",
        unseen_numbered_from_1: "number steps from 0",
        unseen_before_the_read_step: "reads left to right",
        unseen_for_a_window_of_50: "not the notebook's 50",
        unseen_ignores_backward: "reads right to left",
        unseen_backward_without_the_read_step: "has read x[:, t] too, as the forward one does",
        unseen_backward_reads_everything: "the backward half alone",
    }
    for mutant, hint in hints.items():
        assert hint in check.unseen_steps.run(mutant).message.split("hint:")[1], mutant.__name__


def test_an_answer_written_for_the_notebooks_two_heads_fails_on_the_first_case():
    """The notebook shows windows of 50 read at -5 (46..49 unseen) and at -1 (none): those cases come later."""
    cases = check.unseen_steps.make_cases()
    assert (cases[0].args[0], cases[1].args[0]) == (8, 8)
    assert {(50, -5), (50, -1)} <= {c.args for c in cases}
    assert check.unseen_steps.run(unseen_hard_codes_the_notebooks_heads).failed_case == 1


# 2. ----------------------------------------------------------------------------------------------------------------


def test_the_package_cannot_answer_and_the_p2_case_is_what_it_gives():
    cases = check.ar_forecast.make_cases()
    assert {len(case.args[2]) for case in cases} == {1, 2, 3}
    ar2 = [case for case in cases if list(case.args[2]) == [1.8, -0.95]]
    assert ar2 and all(torch.allclose(case.expected, ar2_forecast(case.args[0], case.args[1])) for case in ar2)
    assert check.ar_forecast.run(ar_calls_the_package).failed_case == 1  # AR(1): ar2_forecast needs 2 values


def test_each_usual_ar_mistake_gets_its_own_hint():
    hints = {
        ar_swapped_coefficients: "phis[0] multiplies the newest value",
        ar_from_the_first_values: "start from each window's last p values",
        ar_without_feedback: "forecasts feed the recurrence",
        ar_starts_with_the_last_value: "the first column is the value after the window",
    }
    for mutant, hint in hints.items():
        message = check.ar_forecast.run(mutant).message
        assert hint in message.split("hint:")[1], (mutant.__name__, message)


def test_an_equivalent_ar_answer_passes():
    def with_a_matrix(windows, steps, phis):  # the last p values times the coefficients, newest first
        p, state, out = len(phis), windows[:, -len(phis) :].flip(1), []
        for _ in range(steps):
            new = state @ torch.tensor(phis, dtype=windows.dtype)
            out.append(new)
            state = torch.cat([new.unsqueeze(1), state[:, : p - 1]], dim=1)
        return torch.stack(out, 1)

    assert check.ar_forecast.run(with_a_matrix).passed


# 3. ----------------------------------------------------------------------------------------------------------------


def test_one_call_per_step_on_the_whole_batch_is_required():
    message = check.recursive_forecast.run(rolled_row_by_row).message
    expected = (
        "one_step was called 10 times for 5 steps: call it once per step, on the whole batch of 2 windows at once"
    )
    assert expected in message


def test_a_window_of_another_length_is_refused_by_one_step_and_named_in_the_learners_line():
    message = check.recursive_forecast.run(rolled_with_a_growing_window).message
    assert "ValueError: one_step reads windows (N, 6): 6 values each, got (2, 7)" in message
    assert "of your code: `forecasts.append(one_step(windows))`" in message


def test_the_first_case_is_the_equation_rolled_and_its_input_is_shown_in_words():
    case = check.recursive_forecast.make_cases()[0]
    one_step, windows, steps = case.args
    assert torch.allclose(case.expected, ar2_forecast(windows, steps), atol=1e-5)
    message = check.recursive_forecast.run(rolled_without_feedback).message
    assert "one_step=a one-step model (the AR(2) equation" in message and "<function" not in message


def test_each_usual_rolling_mistake_gets_its_own_hint():
    hints = {
        rolled_without_feedback: "every forecast came from the same windows",
        rolled_dropping_the_newest: "drop the oldest value (column 0), not the newest",
        rolled_with_the_forecast_first: "it goes at the end of the window",
        rolled_in_place: "leave `windows` as it was, the caller still needs it",
    }
    for mutant, hint in hints.items():
        message = check.recursive_forecast.run(mutant).message
        assert hint in message.split("hint:")[1], (mutant.__name__, message)


def rolled_with_a_spare_call_for_one_step(one_step, windows, steps):
    """Right values, but a single step calls one_step twice: the values a last look, the forecast the first."""
    forecasts = _solutions().my_recursive_forecast(one_step, windows, steps)
    if steps == 1:
        one_step(windows)
    return forecasts


def test_right_values_from_two_calls_in_one_step_get_no_hint_of_a_mistake_whose_values_are_right_there():
    """A reviewer's reproduction: in "one step only", every forecast from the same windows is the right answer,
    so an answer with right values that fails for its calls was told that mistake too."""
    message = check.recursive_forecast.run(rolled_with_a_spare_call_for_one_step).message
    assert "case 4 of 4 fails: one step only" in message, message
    assert "one_step was called twice for 1 steps" in message
    hint = message.split("hint:")[1]
    assert "every forecast came from the same windows" not in hint, message
    assert hint.strip().startswith("each call reads the latest L values"), message  # the case's own hint
    (one_step_only,) = [case for case in check.recursive_forecast.make_cases() if case.args[2] == 1]
    assert not any(hint.startswith("every forecast came from") for hint in one_step_only.mistakes)
    assert any(hint.startswith("leave `windows` as it was") for hint in one_step_only.mistakes)  # from the run


def test_calls_are_counted_on_the_instance_the_checker_reads_even_after_the_inputs_are_copied():
    import copy

    windows = torch.zeros(1, 2)
    one_step = OneStep(lambda w: w[:, -1], "newest", windows)
    copied_step, copied_windows = copy.deepcopy((one_step, windows))
    assert copied_step is one_step
    assert one_step.handed is copied_windows and copied_windows is not windows  # the learner's copy, kept
    one_step(torch.zeros(1, 2))
    assert one_step.calls == [(1, 2)]


def test_an_answer_that_overwrites_the_callers_windows_is_rejected_with_its_own_message():
    result = check.recursive_forecast.run(rolled_in_place)
    assert not result.passed
    assert "changed `windows`, the caller's tensor, in place" in result.message, result.message
    assert result.failed_case == 1


def test_the_solutions_pass_and_a_numpy_answer_is_judged_on_its_values():
    solutions = _solutions()
    assert check.unseen_steps.run(solutions.my_unseen_steps).passed
    assert check.ar_forecast.run(lambda *a: solutions.my_ar_forecast(*a).numpy()).passed
    assert check.recursive_forecast.run(solutions.my_recursive_forecast).passed


# --- the case builders and their helper, called directly -----------------------------------------------------------


def test_ar_recurrence_runs_from_each_rows_last_p_values_phis_0_on_the_newest():
    halves = many_to_many.ar_recurrence(torch.tensor([[0.0, 2.0]]), 3, [0.5])
    assert torch.equal(halves, torch.tensor([[1.0, 0.5, 0.25]]))
    # x_t = x_{t-1} - 0.5 x_{t-2}: from (1, 2): 2 - 0.5 = 1.5, then 1.5 - 1 = 0.5; from (4, 0): -2, then -2
    windows = torch.tensor([[9.0, 1.0, 2.0], [7.0, 4.0, 0.0]])
    assert torch.equal(many_to_many.ar_recurrence(windows, 2, [1.0, -0.5]), torch.tensor([[1.5, 0.5], [-2.0, -2.0]]))


def test_unseen_steps_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(many_to_many.unseen_steps_cases)
    by_args = {(c.args, c.kwargs.get("backward", False)): c.expected for c in cases}
    assert by_args[(8, -3), False] == [6, 7]  # out[:, -3] is step 5: steps 6 and 7 come after it
    assert by_args[(50, -1), False] == [] and by_args[(8, 2), True] == [0, 1]


def test_ar_forecast_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(many_to_many.ar_forecast_cases)
    assert cases[0].args[1:] == (3, [0.5]) and torch.equal(cases[0].expected, torch.tensor([[1.0, 0.5, 0.25]]))


def test_recursive_forecast_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(many_to_many.recursive_forecast_cases)
    (case,) = [c for c in cases if c.args[2] == 1]  # one step of "newest + 1"
    assert torch.equal(case.expected, torch.tensor([[2.0], [8.0], [3.0], [0.0]]))

"""Notebook 04's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import copy

import torch
from exercise_cases import checked_cases
from torch import nn

from seqtut.exercises import check, sequence_generation
from seqtut.exercises.sequence_generation import CountingLinear, multi_horizon_pairs, seeded_head

# --- 1. a time-first head: (L, N, H) -> (N, L), one call of the head ---


def loops_over_the_steps(head, features):  # right values, one call per step: the constraint
    return torch.stack([head(features[t]).squeeze(-1) for t in range(features.shape[0])], dim=1)


def loops_over_the_windows(head, features):  # right values, one call per window: the constraint
    return torch.stack([head(features[:, n]).squeeze(-1) for n in range(features.shape[1])])


def bypasses_the_head(head, features):  # right values from the head's weights, the head never called
    return (features @ head.weight.T + head.bias).squeeze(-1).transpose(0, 1)


def keeps_time_first(head, features):
    return head(features).squeeze(-1)


def reshapes_instead_of_transposing(head, features):
    steps, windows = features.shape[:2]
    return head(features).reshape(windows, steps)


def squeezes_every_size_1_dimension(head, features):
    out = head(features).squeeze()
    return out.T if out.dim() == 2 else out


def keeps_the_last_dimension(head, features):
    return head(features).transpose(0, 1)


# --- 2. per-step targets of `horizon` values, none in the test split ---


def reads_the_test_split(series, window, horizon, test_start):  # windows the whole series: the constraint
    runs = series.unfold(0, window + horizon, 1)
    return runs[:, :window], runs[:, 1:].unfold(1, horizon, 1)


def targets_start_at_the_value_read(series, window, horizon, test_start):
    runs = series[:test_start].unfold(0, window + horizon, 1)
    return runs[:, :window], runs[:, :-1].unfold(1, horizon, 1)


def horizon_before_steps(series, window, horizon, test_start):
    runs = series[:test_start].unfold(0, window + horizon, 1)
    return runs[:, :window], runs[:, 1:].unfold(1, horizon, 1).transpose(1, 2)


def one_window_short(series, window, horizon, test_start):
    runs = series[: test_start - 1].unfold(0, window + horizon, 1)
    return runs[:, :window], runs[:, 1:].unfold(1, horizon, 1)


def the_shift_targets_only(series, window, horizon, test_start):  # this notebook's shift = horizon, (N, window)
    runs = series[:test_start].unfold(0, window + horizon, 1)
    return runs[:, :window], runs[:, horizon:]


MUTANTS = {
    "time_first_head": [
        loops_over_the_steps,
        loops_over_the_windows,
        bypasses_the_head,
        keeps_time_first,
        reshapes_instead_of_transposing,
        squeezes_every_size_1_dimension,
        keeps_the_last_dimension,
    ],
    "multi_horizon_pairs": [
        reads_the_test_split,
        targets_start_at_the_value_read,
        horizon_before_steps,
        one_window_short,
        the_shift_targets_only,
    ],
}


def _hint(name, function):
    message = getattr(check, name).run(function).message
    return next(line for line in message.splitlines() if line.startswith("  hint:"))


def test_a_loop_with_the_right_values_is_rejected_for_its_calls_and_told_why():
    message = check.time_first_head.run(loops_over_the_steps).message
    assert "case 1 of 5" in message
    assert "the values are right, but `head` was called 4 times; the exercise asks for one call" in message
    assert "a loop calls the head once per step or per window" in _hint("time_first_head", loops_over_the_steps)
    assert "the head was not called" in _hint("time_first_head", bypasses_the_head)


def test_each_usual_mistake_of_the_head_gets_its_own_hint():
    assert "your answer is time first, (L, N)" in _hint("time_first_head", keeps_time_first)
    assert "reshape and view regroup the values" in _hint("time_first_head", reshapes_instead_of_transposing)
    assert "squeeze() without a dimension" in _hint("time_first_head", squeezes_every_size_1_dimension)
    assert "drop it" in _hint("time_first_head", keeps_the_last_dimension)


def test_time_first_answers_are_caught_when_steps_and_windows_are_as_many():
    """The square case: a time-first answer has the right shape, and only the values tell it apart."""
    message = check.time_first_head.run(keeps_time_first).message
    assert message.startswith("✗ time_first_head: case 1 of 5")  # (4, 3): caught by its shape first
    square = check.time_first_head.make_cases()[1]
    head, features = square.args
    assert features.shape[:2] == (3, 3)
    assert not torch.allclose(keeps_time_first(head, features).detach(), square.expected)


def test_the_head_counts_its_calls_across_the_copies_the_checker_makes():
    head = seeded_head(3, seed=1)
    copied = copy.deepcopy(head)
    copied(torch.zeros(2, 3))
    assert head.calls.count == 1 and repr(head).startswith("Linear(in_features=3, out_features=1")
    assert isinstance(copied, CountingLinear) and copied.weight is not head.weight


def test_each_usual_mistake_of_the_pairs_gets_its_own_hint():
    assert "reach into the test split" in _hint("multi_horizon_pairs", reads_the_test_split)
    assert "its targets start with the value after it" in _hint("multi_horizon_pairs", targets_start_at_the_value_read)
    assert "(N, window, horizon), not (N, horizon, window)" in _hint("multi_horizon_pairs", horizon_before_steps)
    assert "one window short" in _hint("multi_horizon_pairs", one_window_short)


def test_the_test_split_is_nan_in_one_case_so_reading_it_shows():
    cases = check.multi_horizon_pairs.make_cases()
    hidden = next(c for c in cases if "NaN" in c.description)
    series, window, horizon, test_start = hidden.args
    assert torch.isnan(series[test_start:]).all() and not torch.isnan(series[:test_start]).any()
    assert not torch.isnan(hidden.expected[1]).any()
    message = check.multi_horizon_pairs.run(reads_the_test_split).message
    assert message.startswith("✗ multi_horizon_pairs: case 3 of 5")


def test_the_reference_pairs_follow_the_step_convention():
    series = torch.arange(10, dtype=torch.float32)
    inputs, targets = multi_horizon_pairs(series, 3, 2, 8)
    assert inputs.tolist() == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]
    # step t of window 0 reads series[t - 1]; its targets are the 2 values after it
    assert targets[0].tolist() == [[1, 2], [2, 3], [3, 4]]
    assert targets[-1, -1].tolist() == [6, 7]  # the last target sits just before test_start = 8


# --- the case builders, called directly ---------------------------------------------------------------------------


def test_time_first_head_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(sequence_generation.time_first_head_cases)
    for case in cases:
        head, features = case.args
        length, batch, _ = features.shape
        with torch.no_grad():  # nn.Linear's own forward: the head's call count is the checker's
            by_step = torch.stack(
                [nn.Linear.forward(head, features[t, n]) for n in range(batch) for t in range(length)]
            )
        assert case.expected.shape == (batch, length) and torch.allclose(case.expected.flatten(), by_step.flatten())


def test_multi_horizon_pairs_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(sequence_generation.multi_horizon_pairs_cases)
    series, window, horizon, test_start = cases[0].args  # the line 0..9, windows of 3, 2 values per step
    assert torch.equal(series, torch.arange(10.0)) and (window, horizon, test_start) == (3, 2, 10)
    inputs, targets = cases[0].expected
    first = torch.arange(6.0)  # the last window, 5..7, has its last step's targets 8, 9 before index 10
    assert torch.equal(inputs, first[:, None] + torch.arange(3.0))
    assert torch.equal(targets, first[:, None, None] + torch.arange(1.0, 4.0)[:, None] + torch.arange(2.0))

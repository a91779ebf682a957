"""Notebook 02's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import math
import random

import numpy as np
import torch
from exercise_cases import checked_cases

from seqtut.exercises import check, extrapolation
from seqtut.exercises.extrapolation import ALL_ALIKE, NOT_FINITE, SHAPE_MISTAKES, STATIONARY_MISTAKES
from seqtut.scalers import RelativeScaler, Standardizer


def _hint(mistakes, start):
    return next(hint for hint in mistakes if hint.startswith(start))


def inputs_of_the_package_relative_scaler(windows):
    """The constraint: the notebook's own scaler, which keeps each window's steepness."""
    return RelativeScaler(scale=2.0).inputs(windows).unsqueeze(-1)


def inputs_standardized_for_the_whole_series(windows):
    return Standardizer(mean=300.0, std=500.0).inputs(windows).unsqueeze(-1)


def inputs_relative_over_the_batch_std(windows):
    return ((windows - windows[:, -1:]) / windows.std()).unsqueeze(-1)


def inputs_without_a_floor(windows):
    return ((windows - windows[:, -1:]) / windows.std(dim=1, keepdim=True)).unsqueeze(-1)


def inputs_as_ranks(windows):
    return windows.argsort(dim=1).argsort(dim=1).float().unsqueeze(-1)  # alike for every rising window


def inputs_normalized_again_over_the_batch(windows):
    """The constraint: each window alone, then the batch's own mean and std (inputs depend on the other windows)."""
    alone = (windows - windows[:, -1:]) / windows.std(dim=1, keepdim=True).clamp(min=1e-8)
    return ((alone - alone.mean()) / alone.std()).unsqueeze(-1)


def inputs_without_the_feature_dimension(windows):
    return (windows - windows[:, -1:]) / windows.std(dim=1, keepdim=True).clamp(min=1e-8)


def inputs_over_last_minus_first(windows):
    """Right for every rising window: last minus first is negative for a falling one, and floored at 1e-8."""
    return ((windows - windows[:, -1:]) / (windows[:, -1:] - windows[:, :1]).clamp(min=1e-8)).unsqueeze(-1)


def inputs_over_the_last_step(windows):
    """Right while the last step rises: a falling last step is floored at 1e-8."""
    return ((windows - windows[:, -1:]) / (windows[:, -1:] - windows[:, -2:-1]).clamp(min=1e-8)).unsqueeze(-1)


def inputs_over_the_size_of_last_minus_first(windows):
    """Right unless a window ends where it began without being constant."""
    span = (windows[:, -1:] - windows[:, :1]).abs().clamp(min=1e-8)
    return ((windows - windows[:, -1:]) / span).unsqueeze(-1)


def inputs_over_the_size_of_the_first_step(windows):
    """Right unless a window's first two values are equal without the window being constant."""
    step = (windows[:, 1:2] - windows[:, :1]).abs().clamp(min=1e-8)
    return ((windows - windows[:, -1:]) / step).unsqueeze(-1)


def inputs_normalized_as_revin(windows):
    """RevIN's instance normalization (Kim et al., 2022): 1e-5 added to the variance, which is no floor."""
    variance = windows.var(dim=1, keepdim=True, unbiased=False)
    return ((windows - windows.mean(dim=1, keepdim=True)) / (variance + 1e-5).sqrt()).unsqueeze(-1)


def inputs_sorted_in_each_window(windows):
    """Alike for a·w + b, but sorting loses the time order: the line and the line with two values swapped agree."""
    spread = windows.std(dim=1, keepdim=True).clamp(min=1e-8)
    return ((windows - windows[:, -1:]) / spread).sort(dim=1).values.unsqueeze(-1)


def _row(n, block, length, high=None, wrap=True):
    """One row of runs end to end: each from a random start below `high` (default n), `length(block)` long."""
    row = []
    while len(row) < n:
        start, size = random.randrange(high or n), length(block)
        row.extend((start + i) % n for i in range(size)) if wrap else row.extend(range(start, min(start + size, n)))
    return row[:n]


def _geometric(block):
    """1, 2, ... with chance (1 - p)^(k - 1)·p, p = 1/block: a right run length."""
    return int(torch.empty(1).geometric_(1 / block)) if block > 1 else 1


def _rows(n, block, resamples, length=_geometric, high=None, wrap=True):
    return torch.tensor([_row(n, block, length, high, wrap) for _ in range(resamples)])


def stationary_by_lengths(n, block, resamples):
    """Right: run lengths from Tensor.geometric_, which counts from 1."""
    return _rows(n, block, resamples)


def stationary_step_by_step(n, block, resamples):
    """Right: a loop that begins a new run with probability 1/block."""
    rows = []
    for _ in range(resamples):
        index = random.randrange(n)
        row = [index]
        for _ in range(n - 1):
            index = random.randrange(n) if random.random() < 1 / block else (index + 1) % n
            row.append(index)
        rows.append(row)
    return torch.tensor(rows)


def runs_of_fixed_length_that_wrap(n, block, resamples):
    """The constraint: the notebook's circular bootstrap, two edits away from its cell."""
    runs, size = -(-n // math.ceil(block)), math.ceil(block)
    starts = torch.randint(0, n, (resamples, runs, 1))
    return ((starts + torch.arange(size)) % n).flatten(start_dim=1)[:, :n]


def runs_cut_at_the_last_window(n, block, resamples):
    return _rows(n, block, resamples, wrap=False)


def runs_one_too_long(n, block, resamples):
    return _rows(n, block, resamples, length=lambda b: int(torch.empty(1).geometric_(1 / b)) + 1)


def runs_begun_with_the_wrong_probability(n, block, resamples):
    return _rows(n, block, resamples, length=lambda b: int(torch.empty(1).geometric_(1 - 1 / b)) if b > 1 else 1)


def runs_of_uniform_length(n, block, resamples):
    """Mean block, but not geometric: lengths 1 .. 2·block - 1, evenly."""
    return _rows(n, block, resamples, length=lambda b: random.randint(1, max(1, round(2 * b - 1))))


def runs_that_start_no_later_than_n_minus_block(n, block, resamples):
    return _rows(n, block, resamples, high=n - math.ceil(block) + 1)


def runs_the_same_in_every_row(n, block, resamples):
    return stationary_step_by_step(n, block, 1).expand(resamples, n)


def runs_as_floats(n, block, resamples):
    return stationary_step_by_step(n, block, resamples).float()


MUTANTS = {
    "shape_inputs": [
        inputs_of_the_package_relative_scaler,
        inputs_standardized_for_the_whole_series,
        inputs_relative_over_the_batch_std,
        inputs_without_a_floor,
        inputs_as_ranks,
        inputs_normalized_again_over_the_batch,
        inputs_without_the_feature_dimension,
        inputs_over_last_minus_first,
        inputs_over_the_last_step,
        inputs_over_the_size_of_last_minus_first,
        inputs_over_the_size_of_the_first_step,
        inputs_normalized_as_revin,
        inputs_sorted_in_each_window,
    ],
    "stationary_indices": [
        runs_of_fixed_length_that_wrap,
        runs_cut_at_the_last_window,
        runs_one_too_long,
        runs_begun_with_the_wrong_probability,
        runs_of_uniform_length,
        runs_that_start_no_later_than_n_minus_block,
        runs_the_same_in_every_row,
        runs_as_floats,
    ],
}


def test_other_scalers_with_the_properties_pass_too():
    """The checker tests properties, not one formula: a window z-score and a min-max version pass."""

    def z_score(windows):
        spread = windows.std(dim=1, keepdim=True).clamp(min=1e-8)
        return ((windows - windows.mean(dim=1, keepdim=True)) / spread).unsqueeze(-1)

    def by_range(windows):
        span = (windows.max(dim=1, keepdim=True).values - windows.min(dim=1, keepdim=True).values).clamp(min=1e-8)
        return ((windows - windows[:, :1]) / span).unsqueeze(-1)

    def in_numpy(windows):
        values = windows.numpy().astype(np.float64)
        spread = np.maximum(values.std(axis=1, keepdims=True), 1e-8)
        return ((values - values[:, -1:]) / spread)[..., None]

    def by_mean_absolute_deviation(windows):
        centred = windows - windows.mean(dim=1, keepdim=True)
        return (centred / centred.abs().mean(dim=1, keepdim=True).clamp(min=1e-8)).unsqueeze(-1)

    def guarded_by_where(windows):
        spread = windows.std(dim=1, keepdim=True, unbiased=False)
        return ((windows - windows[:, -1:]) / torch.where(spread > 1e-8, spread, 1.0)).unsqueeze(-1)

    def reversed_in_time(windows):
        spread = windows.std(dim=1, keepdim=True).clamp(min=1e-8)
        return ((windows - windows[:, -1:]) / spread).flip(1).unsqueeze(-1)

    for answer in (z_score, by_range, in_numpy, by_mean_absolute_deviation, guarded_by_where, reversed_in_time):
        assert check.shape_inputs.run(answer).passed, answer.__name__


def test_each_usual_shape_mistake_gets_its_own_hint():
    steep = _hint(SHAPE_MISTAKES, "measured from the last value alone")
    report = check.shape_inputs.run(inputs_of_the_package_relative_scaler).message
    assert "case 1 of 9" in report and "window 2 (the line × 3 + 1500) got other inputs" in report
    assert f"hint:     {steep}" in report
    report = check.shape_inputs.run(inputs_standardized_for_the_whole_series).message
    assert f"hint:     {_hint(SHAPE_MISTAKES, 'one scale and shift')}" in report
    report = check.shape_inputs.run(inputs_without_a_floor).message
    assert "case 8 of 9" in report and f"hint:     {NOT_FINITE}" in report
    report = check.shape_inputs.run(inputs_as_ranks).message
    assert "case 7 of 9" in report and f"hint:     {ALL_ALIKE}" in report
    assert "window 1 (a parabola) got the same inputs as window 0 (the line 0, 1, ..., 5), though it is not a·w" in (
        report
    )


def test_inputs_that_lose_the_time_order_are_caught():
    report = check.shape_inputs.run(inputs_sorted_in_each_window).message
    assert "case 7 of 9" in report and f"hint:     {ALL_ALIKE}" in report
    assert "window 6 (the line, its first two values swapped) got the same inputs as window 0" in report


def test_inputs_that_use_the_other_windows_are_caught():
    report = check.shape_inputs.run(inputs_normalized_again_over_the_batch).message
    assert "got other inputs here than in case 1, in another batch: each window's inputs may use that window only" in (
        report
    )


def test_a_second_run_starts_afresh():
    def solution(windows):
        spread = windows.std(dim=1, keepdim=True).clamp(min=1e-8)
        return ((windows - windows[:, -1:]) / spread).unsqueeze(-1)

    assert check.shape_inputs.run(lambda w: 1000 * solution(w)).passed  # another answer, its own line's inputs
    assert check.shape_inputs.run(solution).passed  # the line's inputs of the run before are forgotten


def test_falling_windows_catch_a_divisor_that_is_only_positive_for_rising_ones():
    blown_up = _hint(SHAPE_MISTAKES, "some inputs are huge")
    for mutant in (inputs_over_last_minus_first, inputs_over_the_last_step):
        report = check.shape_inputs.run(mutant).message
        assert "case 2 of 9 fails: a falling line" in report and f"hint:     {blown_up}" in report, mutant.__name__
    report = check.shape_inputs.run(inputs_over_the_size_of_last_minus_first).message
    assert "case 5 of 9 fails: a bump that ends where it began" in report and f"hint:     {blown_up}" in report
    report = check.shape_inputs.run(inputs_over_the_size_of_the_first_step).message
    assert "case 6 of 9 fails: a step that begins flat" in report and f"hint:     {blown_up}" in report


def test_right_stationary_answers_pass_however_they_are_written():
    for answer in (stationary_by_lengths, stationary_step_by_step):
        random.seed(0)
        torch.manual_seed(0)
        assert check.stationary_indices.run(answer).passed, answer.__name__


def test_each_usual_stationary_mistake_gets_its_own_hint():
    for mutant, start in [
        (runs_of_fixed_length_that_wrap, "your runs all have length block"),
        (runs_cut_at_the_last_window, "hardly any run goes on from window n - 1"),
        (runs_one_too_long, "your runs are too long: they average about block + 1"),
        (runs_begun_with_the_wrong_probability, "your runs average about block / (block - 1)"),
        (runs_that_start_no_later_than_n_minus_block, "no run starts after window n - block"),
        (runs_the_same_in_every_row, "every row is a resample of its own"),
    ]:
        random.seed(1)
        torch.manual_seed(1)
        report = check.stationary_indices.run(mutant).message
        assert f"hint:     {_hint(STATIONARY_MISTAKES, start)}" in report, mutant.__name__
    report = check.stationary_indices.run(runs_of_uniform_length).message
    assert "runs of exactly 1 indices lie between two others" in report  # the lengths' distribution, not their mean
    report = check.stationary_indices.run(runs_as_floats).message
    assert "expected integer indices (torch.randint gives int64), got floats" in report


def test_a_right_answer_passes_on_every_seed_tried():
    def solution(n, block, resamples):
        begins = torch.rand(resamples, n) < 1 / block
        begins[:, 0] = True
        starts = torch.randint(0, n, (resamples, n))
        positions = torch.arange(n).expand(resamples, n)
        began = torch.where(begins, positions, 0).cummax(dim=1).values
        return (starts.gather(1, began) + positions - began) % n

    for seed in range(20):
        torch.manual_seed(seed)
        assert check.stationary_indices.run(solution).passed, seed


def test_the_shape_hints_come_in_tiers_and_none_gives_the_solution_away():
    hints = check.shape_inputs.hints
    assert len(hints) == 3
    for hint in hints:  # none names the spread to take or the floor: the learner picks both
        assert not any(word in hint for word in ("standard deviation", "std", "max − min", "spread", "clamp"))
    assert "two values of a window can be equal" in hints[1]
    assert "measured over all its values" in hints[2] and "for a constant window" in hints[2]


def test_the_last_hint_warns_that_geometric_refuses_a_block_of_one():
    def lengths_from_geometric_everywhere(n, block, resamples):
        return _rows(n, block, resamples, length=lambda b: int(torch.empty(1).geometric_(1 / b)))

    random.seed(1)
    torch.manual_seed(1)
    report = check.stationary_indices.run(lengths_from_geometric_everywhere).message
    assert "case 5 of 5" in report and "geometric_ expects p to be in (0, 1)" in report
    hints = check.stationary_indices.hints
    assert "geometric_ refuses p = 1 (block = 1), where every run has length 1" in hints[-1]


def test_an_epsilon_added_to_the_spread_or_the_variance_gets_its_own_hint():
    def plus_epsilon(w):  # alike for a·w + b only while the spread dwarfs 1e-3
        return ((w - w[:, -1:]) / (w.std(dim=1, keepdim=True) + 1e-3)).unsqueeze(-1)

    def layer_norm(w):  # torch's, with its default eps of 1e-5 added to the variance
        return torch.nn.functional.layer_norm(w, (w.shape[1],)).unsqueeze(-1)

    added = _hint(SHAPE_MISTAKES, "an epsilon added to the spread or the variance")
    for mutant in (plus_epsilon, layer_norm, inputs_normalized_as_revin):
        report = check.shape_inputs.run(mutant).message
        assert "window 5 (the line × 0.001 + 0.5) got other inputs" in report, mutant.__name__
        assert f"hint:     {added}" in report, mutant.__name__
    for other in (
        inputs_of_the_package_relative_scaler,
        inputs_without_a_floor,
        inputs_standardized_for_the_whole_series,
    ):
        assert f"hint:     {added}" not in check.shape_inputs.run(other).message, other.__name__  # other mistakes


def test_a_guard_that_acts_above_a_spread_of_1e_8_is_rejected_and_one_below_passes():
    def floored_at(floor):
        return lambda w: ((w - w[:, -1:]) / w.std(dim=1, keepdim=True).clamp(min=floor)).unsqueeze(-1)

    def plus_epsilon(epsilon):
        return lambda w: ((w - w[:, -1:]) / (w.std(dim=1, keepdim=True) + epsilon)).unsqueeze(-1)

    added = _hint(SHAPE_MISTAKES, "an epsilon added to the spread or the variance")
    for guard in (floored_at(1e-3), floored_at(1e-7), floored_at(2e-8), plus_epsilon(1e-8)):
        report = check.shape_inputs.run(guard).message  # each changes the line 1e-8 a step (std 1.87e-8)
        assert "case 1 of 9 fails" in report and "window 6 (the line × 1e-08 + 0) got other inputs" in report
        assert f"hint:     {added}" in report
    for guard in (floored_at(1e-8), floored_at(1e-9)):
        assert check.shape_inputs.run(guard).passed


def test_an_epsilon_too_small_to_show_at_1e_minus_3_is_rejected_too():
    """An expert read's answer: 1e-12 or 1e-11 added to the std changed the line 1e-8 a step by 5e-5 and 5e-4, within
    the 1e-3 of the other rows' comparison, so it passed; the text asks for that window "exactly" as it was."""
    added = _hint(SHAPE_MISTAKES, "an epsilon added to the spread or the variance")
    for epsilon in (1e-11, 1e-12):
        report = check.shape_inputs.run(
            lambda w, e=epsilon: ((w - w[:, -1:]) / (w.std(dim=1, keepdim=True) + e)).unsqueeze(-1)
        ).message
        assert "case 1 of 9 fails" in report and "window 6 (the line × 1e-08 + 0)'s inputs differ from" in report
        assert "so the guard must leave it exactly as it would be without one" in report
        assert f"hint:     {added}" in report, epsilon


# --- the case builders, called directly ---------------------------------------------------------------------------


def test_shape_inputs_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(extrapolation.shape_inputs_cases)
    windows = cases[0].args[0]  # one line at 7 levels and steepnesses
    line = torch.arange(6.0)
    assert (
        torch.equal(windows[0], line)
        and torch.equal(windows[1], line + 500)
        and torch.equal(windows[2], 3 * line + 1500)
    )
    assert repr(cases[0].expected) == "inputs (7, 6, 1), every row the same"


def test_stationary_indices_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(extrapolation.stationary_indices_cases)
    assert cases[0].args == (100, 6, 2000) and repr(cases[0].expected) == (
        "integer indices (2000, 100): runs of consecutive windows wrapping from 99 to 0, lengths geometric with "
        "mean 6, each run starting anywhere from 0 to 99"
    )
    assert {case.args[1] for case in cases} >= {1, 2.5}  # a run length of 1 (an ordinary bootstrap), and a fraction

"""Notebook 02's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import numpy as np
import torch

from seqtut.exercises import check
from seqtut.exercises.extrapolation import ALL_ALIKE, BLOCK_MISTAKES, NOT_FINITE, SHAPE_MISTAKES
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


def _starts(n, block, resamples, high):
    runs = -(-n // block)
    return torch.randint(0, high, (resamples, runs, 1)), runs


def blocks_that_wrap(n, block, resamples):
    """The constraint: the notebook's circular bootstrap."""
    starts, _ = _starts(n, block, resamples, n)
    return ((starts + torch.arange(block)) % n).flatten(start_dim=1)[:, :n]


def blocks_that_never_start_at_the_last_window(n, block, resamples):
    starts, _ = _starts(n, block, resamples, n - block)  # randint's high is exclusive
    return (starts + torch.arange(block)).flatten(start_dim=1)[:, :n]


def blocks_clamped_at_the_end(n, block, resamples):
    starts, _ = _starts(n, block, resamples, n)
    return (starts.clamp(max=n - block) + torch.arange(block)).flatten(start_dim=1)[:, :n]


def blocks_at_multiples_of_the_block(n, block, resamples):
    runs = -(-n // block)
    starts = torch.randint(0, (n - block) // block + 1, (resamples, runs, 1)) * block
    return (starts + torch.arange(block)).flatten(start_dim=1)[:, :n]


def blocks_cut_short_at_the_end(n, block, resamples):
    rows = []
    for _ in range(resamples):
        row = []
        while len(row) < n:
            start = int(torch.randint(0, n, (1,)))
            row.extend(range(start, min(start + block, n)))  # a run cut at the end instead of wrapping
        rows.append(row[:n])
    return torch.tensor(rows)


def blocks_with_the_same_starts_in_every_row(n, block, resamples):
    starts, _ = _starts(n, block, 1, n - block + 1)
    return (starts + torch.arange(block)).flatten(start_dim=1)[:, :n].expand(resamples, n)


def blocks_as_floats(n, block, resamples):
    starts, _ = _starts(n, block, resamples, n - block + 1)
    return (starts + torch.arange(block)).flatten(start_dim=1)[:, :n].float()


MUTANTS = {
    "shape_inputs": [
        inputs_of_the_package_relative_scaler,
        inputs_standardized_for_the_whole_series,
        inputs_relative_over_the_batch_std,
        inputs_without_a_floor,
        inputs_as_ranks,
        inputs_normalized_again_over_the_batch,
        inputs_without_the_feature_dimension,
    ],
    "block_indices": [
        blocks_that_wrap,
        blocks_that_never_start_at_the_last_window,
        blocks_clamped_at_the_end,
        blocks_at_multiples_of_the_block,
        blocks_cut_short_at_the_end,
        blocks_with_the_same_starts_in_every_row,
        blocks_as_floats,
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

    for answer in (z_score, by_range, in_numpy):
        assert check.shape_inputs.run(answer).passed, answer.__name__


def test_each_usual_shape_mistake_gets_its_own_hint():
    steep = _hint(SHAPE_MISTAKES, "measured from the last value alone")
    report = check.shape_inputs.run(inputs_of_the_package_relative_scaler).message
    assert "case 1 of 5" in report and "window 2 (the line × 3 + 1500) got other inputs" in report
    assert f"hint:     {steep}" in report
    report = check.shape_inputs.run(inputs_standardized_for_the_whole_series).message
    assert f"hint:     {_hint(SHAPE_MISTAKES, 'one scale and shift')}" in report
    report = check.shape_inputs.run(inputs_without_a_floor).message
    assert "case 4 of 5" in report and f"hint:     {NOT_FINITE}" in report
    report = check.shape_inputs.run(inputs_as_ranks).message
    assert "case 3 of 5" in report and f"hint:     {ALL_ALIKE}" in report


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


def test_each_usual_block_mistake_gets_its_own_hint():
    for mutant, start in [
        (blocks_that_wrap, "that is the notebook's circular version"),
        (blocks_that_never_start_at_the_last_window, "no run ever starts at n - block"),
        (blocks_clamped_at_the_end, "starts pile up at n - block"),
        (blocks_at_multiples_of_the_block, "a run may start at any window"),
    ]:
        assert f"hint:     {_hint(BLOCK_MISTAKES, start)}" in check.block_indices.run(mutant).message, mutant.__name__
    report = check.block_indices.run(blocks_as_floats).message
    assert "expected integer indices (torch.randint gives int64), got floats" in report


def test_a_right_answer_passes_on_every_seed_tried():
    def solution(n, block, resamples):
        runs = -(-n // block)
        starts = torch.randint(0, n - block + 1, (resamples, runs, 1))
        return (starts + torch.arange(block)).flatten(start_dim=1)[:, :n]

    for seed in range(5):
        torch.manual_seed(seed)
        assert check.block_indices.run(solution).passed, seed

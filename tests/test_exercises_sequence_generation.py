"""Notebook 04's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import torch

from seqtut.exercises import check
from seqtut.exercises.sequence_generation import pairs


def squeezes_every_size_1_dimension(head, features):
    return head(features).squeeze()


def keeps_the_last_dimension(head, features):
    return head(features)


def reads_only_the_last_step(head, features):
    return head(features[:, -1])


def averages_the_features_first(head, features):
    return head(features.mean(dim=1)).expand(-1, features.shape[1])


def _stack(series, starts, window):
    return torch.stack([series[i : i + window] for i in starts])


def one_pair_short(series, window, shift, test_start):
    starts = range(test_start - window - shift)
    return _stack(series, starts, window), _stack(series, [i + shift for i in starts], window)


def shifted_the_wrong_way(series, window, shift, test_start):
    starts = range(shift, test_start - window + 1)
    return _stack(series, starts, window), _stack(series, [i - shift for i in starts], window)


def targets_overlap_the_test_split(series, window, shift, test_start):
    starts = range(min(test_start - window + 1, len(series) - window - shift + 1))
    return _stack(series, starts, window), _stack(series, [i + shift for i in starts], window)


def shifted_one_too_far(series, window, shift, test_start):
    starts = range(test_start - window - shift)
    return _stack(series, starts, window), _stack(series, [i + shift + 1 for i in starts], window)


MUTANTS = {
    "per_step_head": [
        squeezes_every_size_1_dimension,
        keeps_the_last_dimension,
        reads_only_the_last_step,
        averages_the_features_first,
    ],
    "training_pairs": [one_pair_short, shifted_the_wrong_way, targets_overlap_the_test_split, shifted_one_too_far],
}


def test_pairs_keep_every_target_before_the_test_split():
    series = torch.arange(10, dtype=torch.float32)
    inputs, targets = pairs(series, 3, 2, 8)
    assert inputs.tolist() == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]
    assert targets.tolist() == [[2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7]]


def test_overlapping_targets_are_caught_where_a_test_split_exists():
    message = check.training_pairs.run(targets_overlap_the_test_split).message
    assert message.startswith("✗ training_pairs: case 3 of 5 fails: the same squares, test split from index 9 on")


def test_a_bare_squeeze_fails_on_the_single_window_case():
    message = check.per_step_head.run(squeezes_every_size_1_dimension).message
    assert "case 2 of 4" in message and "expected shape (1, 5), got shape (5,)" in message


def test_seeded_heads_are_the_same_on_every_call():
    from seqtut.exercises.sequence_generation import seeded_head

    a, b = seeded_head(3, seed=7), seeded_head(3, seed=7)
    assert a.weight.shape == (1, 3) and torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)

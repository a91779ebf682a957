"""Each public function of seqtut.metrics names its own wrong argument, what it expected and what it got."""

import pytest
import torch

from seqtut.metrics import (
    exact_match,
    first_error_positions,
    mae_per_step,
    mape,
    mean_and_sd,
    metrics,
    paired_difference,
    part_means_spread,
    screen_ratio,
    smape,
    teacher_forced_accuracy,
    token_accuracy,
)
from seqtut.tokens import Seq2SeqDataset, Vocab


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: mae_per_step(torch.zeros(2, 3), torch.zeros(2, 2)), r"^predictions: .*\(2, 2\) like targets"),
        (lambda: mape(torch.zeros(0), torch.zeros(0)), "^targets: expected at least one value"),
        (lambda: smape(torch.zeros(3), torch.zeros(4)), r"^predictions: expected shape \(4,\)"),
        (lambda: metrics([[1.0]], [[1.0, 2.0]]), r"^predictions: expected shape \(1, 2\)"),
        # paired_difference has no `predictions`: its own argument names, errors_b as the reference
        (
            lambda: paired_difference(torch.zeros(5), torch.zeros(4), block=2),
            r"^errors_a: expected shape \(4,\) like errors_b, got \(5,\)$",
        ),
        (
            lambda: paired_difference(torch.zeros(5), torch.zeros(5, 1), block=2),
            r"^errors_a: expected shape \(5, 1\) like errors_b, got \(5,\)$",
        ),
        (lambda: paired_difference(torch.zeros(0), torch.zeros(0), block=2), "^errors_b: expected at least one"),
        (lambda: paired_difference(torch.zeros(5), torch.zeros(5), block=2, resamples=0), "^resamples: "),
        (lambda: exact_match([], []), "^expected: expected at least one sequence, got none$"),
        (lambda: exact_match([[1]], [[1], [2]]), "^predicted: expected 2 sequences"),
        (lambda: token_accuracy([], []), "^expected: expected at least one sequence"),
        (lambda: token_accuracy([[1], [2]], [[1]]), "^predicted: expected 1 sequences"),
        (lambda: first_error_positions([[1]], [[1], [2]]), "^predicted: expected 2 sequences"),
        (lambda: mean_and_sd([]), "^member_maes: expected at least one error, got none$"),
        (lambda: part_means_spread(torch.zeros(5), 0, 1.0), "^parts: "),
        (lambda: part_means_spread(torch.zeros(5), 2, -1.0), "^width: "),
        (lambda: screen_ratio(torch.zeros(1), 2, 1.0), "^differences: "),
    ],
)
def test_metrics_name_the_wrong_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_first_error_positions_of_no_pairs_is_empty():
    assert first_error_positions([], []) == []


def test_teacher_forced_accuracy_names_batch_size():
    data = Seq2SeqDataset([[1]], [[1]], Vocab(10))
    with pytest.raises(ValueError, match="^batch_size: expected a positive int, got 0$"):
        teacher_forced_accuracy(torch.nn.Linear(1, 1), data, batch_size=0)

"""Windows, splits, scalers and window datasets: exact contents, not just shapes."""

import numpy as np
import pytest
import torch

from seqtut.data import (
    WindowDataset,
    as_series,
    chronological_split,
    make_windows,
    sliding_windows,
    toy_series,
    window_splits,
)
from seqtut.scalers import RelativeScaler, Scaler, Standardizer, fit_windows, make_scaler, scaler_from_state


def test_toy_series_counts_up_from_start():
    assert torch.equal(toy_series(4, start=10), torch.tensor([10.0, 11.0, 12.0, 13.0]))
    assert len(toy_series()) == 1000 and toy_series()[-1] == 999


def test_sliding_windows_contents():
    windows = sliding_windows(toy_series(6), 3)
    assert torch.equal(windows, torch.tensor([[0.0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]))


def test_make_windows_horizon_and_shift():
    inputs, targets = make_windows(toy_series(8), window=3, horizon=2)
    assert torch.equal(inputs[0], torch.tensor([0.0, 1, 2])) and torch.equal(targets[0], torch.tensor([3.0, 4]))
    assert inputs.shape == (4, 3) and torch.equal(targets[-1], torch.tensor([6.0, 7]))
    inputs, targets = make_windows(toy_series(8), window=3, shift=2)
    assert torch.equal(targets[0], torch.tensor([2.0, 3, 4])) and inputs.shape == targets.shape == (4, 3)


def test_chronological_split_keeps_targets_disjoint():
    train, val, test = chronological_split(toy_series(100), (0.8, 0.1, 0.1), context=5)
    assert train[-1] == 79 and val[0] == 75 and val[-1] == 89 and test[0] == 85 and test[-1] == 99
    _, train_targets = make_windows(train, 5, horizon=2)
    _, test_targets = make_windows(test, 5, horizon=2)
    assert train_targets.max() < test_targets.min() == 90


def test_window_splits_fit_scaler_on_training_only():
    train, val, test = window_splits(toy_series(100), 5, horizon=1, scaler="standard")
    assert train.scaler is test.scaler
    assert train.scaler.mean == pytest.approx(train.windows.mean().item())
    assert test.targets.min() >= 90


@pytest.mark.parametrize(
    "scaler", [Scaler(), Standardizer(), RelativeScaler(), RelativeScaler(log=True), RelativeScaler(anchor=0)]
)
def test_scalers_round_trip(scaler):
    windows, targets = make_windows(toy_series(30, start=1), 4, horizon=3)
    scaler.fit(windows)
    scaled = scaler.targets(windows, targets)
    assert torch.allclose(scaler.inverse(windows, scaled), targets, atol=1e-4)
    rebuilt = scaler_from_state(scaler.state())
    assert torch.equal(rebuilt.inputs(windows), scaler.inputs(windows))


def test_relative_inputs_are_the_same_for_every_window_of_a_line():
    windows, _ = make_windows(toy_series(50), 5, horizon=1)
    x = RelativeScaler().fit(windows).inputs(windows)
    assert torch.equal(x[0], x[-1]) and x[0, -1] == 0


def test_start_relative_inputs_only_use_values_already_read():
    windows = torch.tensor([[2.0, 3.0, 5.0]])
    start = make_scaler("start-relative").fit(windows)
    assert start.kind == "start-relative"
    assert torch.allclose(start.inputs(windows) * start.scale, torch.tensor([[0.0, 1.0, 3.0]]))
    last = make_scaler("relative").fit(windows)
    assert torch.allclose(last.inputs(windows) * last.scale, torch.tensor([[-3.0, -2.0, 0.0]]))  # step 0 "knows" 5
    rebuilt = scaler_from_state(make_scaler("log-start-relative").fit(windows).state())
    assert rebuilt.anchor == 0 and rebuilt.log


def test_window_dataset_items_and_batches():
    data = WindowDataset(toy_series(10), 3, horizon=1)
    x, y = data[0]
    assert x.shape == (3, 1) and y.tolist() == [3.0]
    xb, yb = data[[0, 2]]
    assert xb.shape == (2, 3, 1) and yb.flatten().tolist() == [3.0, 5.0]
    assert len(data) == 7


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: as_series([[1.0, 2.0]]), "series: expected a 1-D series"),
        (lambda: as_series([1.0, float("nan")]), "series: expected finite values, got nan at index 1"),
        (lambda: as_series([1.0, float("inf")]), "expected finite values"),
        (lambda: as_series("abc"), "series: expected a 1-D sequence of numbers"),
        (lambda: toy_series(0), "length: expected a positive int, got 0"),
        (lambda: sliding_windows(toy_series(3), 4), "size: expected at most len(series) = 3, got 4"),
        (lambda: make_windows(toy_series(10), 0, horizon=1), "window: expected a positive int, got 0"),
        (lambda: make_windows(toy_series(10), 3, horizon=-1), "horizon: expected a positive int, got -1"),
        (lambda: make_windows(toy_series(10), 8, horizon=3), "longer than the series"),
        (lambda: make_windows(toy_series(10), 3), "give exactly one"),
        (lambda: chronological_split(toy_series(10), (0.5, 0.6)), "fractions: expected positive numbers"),
        (lambda: make_scaler("minmax"), "scaler: expected one of"),
        (lambda: WindowDataset(toy_series(10), 3, horizon=1, scaler=Standardizer()), "expected a fitted scaler"),
        (lambda: RelativeScaler(log=True).fit(torch.tensor([[0.0, 1.0]])), "needs positive values"),
        (lambda: RelativeScaler(anchor=2), "anchor: expected 0 .first value. or -1"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_as_series_accepts_numpy_and_lists():
    assert torch.equal(as_series(np.arange(3)), as_series([0, 1, 2]))


NOT_2D = "windows: expected a float tensor (N, L), got"


def test_fit_windows_returns_the_very_windows_it_was_given():
    for windows in (torch.zeros(1, 2), torch.arange(12.0).reshape(3, 4), torch.ones(5, 1, dtype=torch.float64)):
        assert fit_windows(windows) is windows


@pytest.mark.parametrize(
    ("windows", "message"),
    [
        (torch.zeros(4), f"{NOT_2D} torch.float32 of shape (4,)"),
        (torch.zeros(2, 3, 1), f"{NOT_2D} torch.float32 of shape (2, 3, 1)"),
        (torch.zeros(2, 2, dtype=torch.long), f"{NOT_2D} torch.int64 of shape (2, 2)"),
        ([[1.0, 2.0]], f"{NOT_2D} [[1.0, 2.0]]"),
        (torch.zeros(1, 1), "windows: expected at least 2 values to fit a scale, got 1"),
        (torch.zeros(0, 5), "windows: expected at least 2 values to fit a scale, got 0"),
        (torch.tensor([[1.0, float("nan")]]), "windows: expected finite values, got NaN or infinity"),
        (torch.tensor([[float("-inf"), 1.0]]), "windows: expected finite values, got NaN or infinity"),
    ],
)
def test_fit_windows_says_why_windows_cannot_fit_a_scale(windows, message):
    with pytest.raises(ValueError) as raised:
        fit_windows(windows)
    assert str(raised.value) == message

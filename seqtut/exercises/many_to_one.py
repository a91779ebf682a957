"""Checkers for notebook 01's exercises: sliding windows, a split in time without leakage, the training loop."""

from __future__ import annotations

import torch
from torch import nn

from seqtut.data import make_windows
from seqtut.exercises.core import Case, checker
from seqtut.lstm import ManyToOneLSTM
from seqtut.training import train_step, window_mse


def _series(values: list[float]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float32)


@checker
def windows_cases() -> list[Case]:
    """Every window of `window` consecutive values and the value after it: series (T,) -> (T - L, L), (T - L, 1)."""
    hint = "a window needs a value after it; slide it one step at a time, and keep the target 2-D"
    cases = []
    for values, window, words in [
        ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 5, "the line 0..6 with windows of 5: two windows"),
        ([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0], 3, "a series that is not a line, windows of 3"),
        ([2.0, 7.0, 1.0, 8.0], 1, "windows of a single value"),
        ([5.0, 4.0, 3.0], 2, "a series only one value longer than the window"),
    ]:
        series = _series(values)
        cases.append(Case(words, (series, window), make_windows(series, window, horizon=1), hint))
    return cases


def _split(series: torch.Tensor, window: int, cut: int) -> tuple[tuple[torch.Tensor, torch.Tensor], ...]:
    """Training windows of series[:cut]; test windows of series[cut - window:], whose targets start at `cut`."""
    return make_windows(series[:cut], window, horizon=1), make_windows(series[cut - window :], window, horizon=1)


@checker
def split_windows_cases() -> list[Case]:
    """Windows split in time at index `cut`: training targets lie before it, test targets from it on."""
    hint = (
        "no training target may lie at index `cut` or later, and the first test target is series[cut]: "
        "its window reads the `window` values before it"
    )
    cases = []
    for length, window, cut, words in [
        (12, 3, 8, "12 values, windows of 3, cut at 8"),
        (20, 5, 15, "20 values, windows of 5, cut at 15: 5 test targets"),
        (10, 4, 5, "a cut just after the first training window"),
        (9, 2, 8, "a cut that leaves one test target"),
    ]:
        series = (torch.arange(length, dtype=torch.float32) ** 2) / 10  # not a line: every value differs in steps
        cases.append(Case(words, (series, window, cut), _split(series, window, cut), hint))
    return cases


class Batches:
    """A few (x, y) batches to loop over, with a one-line description for the checker's report."""

    def __init__(self, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        self.batches = batches

    def __iter__(self):
        return iter(self.batches)

    def __len__(self) -> int:
        return len(self.batches)

    def __repr__(self) -> str:
        x, y = self.batches[0]
        return f"{len(self.batches)} batch(es) of x {tuple(x.shape)}, y {tuple(y.shape)}"


def _training_setup(seed: int, optimizer: str, lr: float, batches: int, scale: float) -> tuple:
    """A tiny seeded model, its optimizer and `batches` batches (N=4, L=5) of targets far from 0."""
    torch.manual_seed(seed)
    model = ManyToOneLSTM(hidden_size=3)
    opt = torch.optim.SGD(model.parameters(), lr=lr) if optimizer == "SGD" else torch.optim.Adam(model.parameters(), lr)
    data = Batches([(torch.randn(4, 5, 1), scale * torch.randn(4, 1) + scale) for _ in range(batches)])
    return model, data, opt


def _losses(model: nn.Module, data: Batches, optimizer: torch.optim.Optimizer, clip: float) -> list[float]:
    """The package's own `train_step` over `data`: each batch's loss, before its step."""
    return [train_step(model, batch, window_mse, optimizer, clip) for batch in data]


@checker
def train_loop_cases() -> list[Case]:
    """One pass: zero_grad -> forward -> MSE -> backward -> clip -> step per batch; returns each batch's loss."""
    hint = (
        "each loss is measured before its own step; gradients from the previous batch must be cleared, "
        "and clipping only means something between backward and step"
    )
    cases = []
    for seed, optimizer, lr, batches, scale, clip, words in [
        (2, "SGD", 0.1, 1, 1.0, 100.0, "one batch only"),
        (0, "SGD", 0.5, 4, 3.0, 1.0, "4 batches, SGD, gradients larger than the clip of 1"),
        (3, "SGD", 0.1, 4, 1.0, 100.0, "4 batches, SGD, a clip of 100 that never acts"),
        (1, "Adam", 0.1, 4, 3.0, 0.5, "4 batches, Adam, clip 0.5"),
    ]:
        model, data, opt = _training_setup(seed, optimizer, lr, batches, scale)
        expected = _losses(*_training_setup(seed, optimizer, lr, batches, scale)[:3], clip)
        cases.append(Case(words, (model, data, opt, clip), expected, hint))
    return cases

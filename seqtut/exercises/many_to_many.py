"""Checkers for notebook 03's exercises: the head's read of `out`, the drift baseline, the AR(2) floor."""

from __future__ import annotations

import torch

from seqtut.baselines import ar2_forecast
from seqtut.exercises.core import Case, checker


def crafted_out(batch: int, length: int, hidden: int) -> torch.Tensor:
    """An LSTM output (N, L, H) whose every entry names its place: 100 * sample + 10 * step + feature."""
    n = torch.arange(batch).view(-1, 1, 1)
    t = torch.arange(length).view(1, -1, 1)
    h = torch.arange(hidden).view(1, 1, -1)
    return (100 * n + 10 * t + h).float()


@checker
def head_features_cases() -> list[Case]:
    """The head reads the LSTM's output at the last time step: out (N, L, H) -> (N, H)."""
    hint = "the head must read the one step that has seen the whole window; which index is that for any L?"
    cases = []
    for batch, length, hidden, words in [
        (1, 6, 2, "one window of 6 steps: step -5 is step 1 here"),
        (3, 8, 4, "a batch of 3 windows of 8 steps"),
        (2, 5, 3, "windows of 5 steps: step -5 is the first step"),
        (2, 1, 3, "windows of a single step"),
    ]:
        out = crafted_out(batch, length, hidden)
        cases.append(Case(words, (out,), out[:, -1].clone(), hint))
    return cases


def _windows(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


@checker
def drift_forecast_cases() -> list[Case]:
    """FPP3's drift: last value plus k times the window's mean step, k = 1..horizon: (N, L) -> (N, horizon)."""
    hint = "the mean step is (last value - first value) / (L - 1); step k ahead adds it k times"

    def drift(windows: torch.Tensor, horizon: int) -> torch.Tensor:
        step = (windows[:, -1:] - windows[:, :1]) / (windows.shape[1] - 1)
        return windows[:, -1:] + step * torch.arange(1, horizon + 1, dtype=windows.dtype)

    cases = []
    for rows, horizon, words in [
        ([[0.0, 1.0, 2.0, 3.0]], 3, "one window of the line 0..3, 3 steps ahead"),
        ([[5.0, 1.0, 2.0, 4.0]], 2, "a window whose last step (+2) differs from its mean step (-1/3)"),
        ([[1.0, 3.0], [10.0, 7.0], [0.0, 0.0]], 4, "3 windows of 2 values: rising, falling, flat"),
        ([[2.0, 2.5, 1.0, 0.5, 4.0]], 1, "one step ahead only"),
    ]:
        windows = _windows(rows)
        cases.append(Case(words, (windows, horizon), drift(windows, horizon), hint))
    return cases


@checker
def ar2_forecast_cases() -> list[Case]:
    """x_t = 1.8 x_{t-1} - 0.95 x_{t-2} run forward from each window's last two values: (N, L) -> (N, steps)."""
    hint = "start from the last two values; each new value needs the two before it, the newest one included"
    cases = []
    for rows, steps, words in [
        ([[0.0, 1.0]], 1, "two values, one step ahead"),
        ([[0.0, 1.0]], 3, "two values, three steps ahead: each step feeds the next"),
        ([[7.0, -3.0, 2.0, 1.0]], 2, "a window of 4: only its last two values matter"),
        ([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]], 5, "a batch of 2 windows, five steps ahead"),
    ]:
        windows = _windows(rows)
        cases.append(Case(words, (windows, steps), ar2_forecast(windows, steps), hint))
    return cases

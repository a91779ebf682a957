"""03 · Many-to-many: a window of the line -> the next `horizon` values at once (notebook 03_many_to_many).

`interval_coverage` is the notebook's simulation of how often rough bootstrap intervals miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from seqtut.baselines import ar2_forecast
from seqtut.lstm import ManyToManyLSTM
from seqtut.metrics import Difference, paired_difference
from seqtut.sections.base import bound, modes
from seqtut.sections.forecasting import ForecastSection, ForecastSettings
from seqtut.series import ar2_series


@dataclass(frozen=True)
class ManyToManySettings(ForecastSettings):
    window: int = 50
    horizon: int | None = 5
    epochs: int = modes(full=30, fast=3)
    # The notebook's second series, a noisy AR(2) swing (standardized inputs):
    ar2_length: int = modes(full=4000, fast=2000)
    ar2_epochs: int = modes(full=10, fast=3)
    # Bounds the notebook's claims check. Fast mode trains 3 epochs; each fast bound sits above what a
    # fast run measured (in brackets), with a margin, and below what an untrained model gives. No bound
    # asks for a model to be below the floor: a dip below it is chance or a leak, never a pass.
    line_mae_bound: float = bound(full=5e-5, fast=0.1)  # both heads' worst MAE per step on the line (0.025)
    floor_ratio_bound: float = bound(full=1.05, fast=1.3)  # LSTM MAE / the floor's, every step, test windows (1.10)
    fresh_ratio_bound: float = bound(full=1.1, fast=1.3)  # the same on the fresh stretch (1.18)
    minus5_ratio_min: float = bound(full=3.5, fast=2.5)  # step -5 head / step -1 head, one step ahead (3.97)
    minus5_ratio_max: float = bound(full=5.0, fast=5.0)  # ... and at most this: "about 4.4 times" in full mode (3.97)
    minus5_floor_bound: float = bound(full=1.1, fast=1.3)  # step -5 head / its floor, test and fresh (1.10)
    coverage_max: float = bound(full=0.9, fast=0.9)  # simulated share of 95 % intervals that cover the truth (0.665)


class ManyToMany(ForecastSection):
    name = "many-to-many"
    notebook = "03_many_to_many"
    Settings = ManyToManySettings

    def build_model(self, s: Any) -> ManyToManyLSTM:
        return ManyToManyLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers, horizon=s.horizon)


def interval_coverage(
    window: int, horizon: int, n_windows: int, *, stretches: int = 200, truth_length: int = 200_000
) -> tuple[float, list[Difference]]:
    """How often a 95 % interval of `paired_difference` from `n_windows` windows of `ar2_series` holds the truth.

    The difference measured needs no training: |last value's error| - |the equation's error|, one
    step ahead, for every window of `window` values (as `WindowDataset` cuts them, with `horizon`).
    Its true mean is estimated from one series of `truth_length` values (seed 2); each of
    `stretches` series (seeds 100, 101, ...) just long enough for `n_windows` windows gives one
    interval, with runs of window + horizon windows. Returns (the true mean, the intervals).
    """
    span = window + horizon

    def last_minus_floor(series: torch.Tensor) -> torch.Tensor:  # (N,)
        windows = series.unfold(0, span, 1)  # (N, window + horizon)
        past, target = windows[:, :window], windows[:, window]
        return (past[:, -1] - target).abs() - (ar2_forecast(past, 1)[:, 0] - target).abs()

    true_mean = last_minus_floor(ar2_series(truth_length, seed=2)).mean().item()
    intervals = []
    for k in range(stretches):
        d = last_minus_floor(ar2_series(n_windows + span - 1, seed=100 + k))
        intervals.append(paired_difference(d, torch.zeros_like(d), block=span))  # d minus 0: d's own interval
    return true_mean, intervals

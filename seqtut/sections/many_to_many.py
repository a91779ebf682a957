"""03 · Many-to-many: a window of the line -> the next `horizon` values at once (notebook 03_many_to_many)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqtut.lstm import ManyToManyLSTM
from seqtut.sections.base import bound, modes
from seqtut.sections.forecasting import ForecastSection, ForecastSettings


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
    minus5_ratio_max: float = bound(full=5.0, fast=5.0)  # ... and at most this: "about 4 times" (3.97)
    minus5_floor_bound: float = bound(full=1.1, fast=1.3)  # step -5 head / the floor from what it read (1.10)
    coverage_max: float = bound(full=0.9, fast=0.9)  # simulated share of 95 % intervals that cover the truth (0.60)


class ManyToMany(ForecastSection):
    name = "many-to-many"
    notebook = "03_many_to_many"
    Settings = ManyToManySettings

    def build_model(self, s: Any) -> ManyToManyLSTM:
        return ManyToManyLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers, horizon=s.horizon)

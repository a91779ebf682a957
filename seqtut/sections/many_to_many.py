"""03 · Many-to-many: a window of the line -> the next `horizon` values at once (notebook 03_many_to_many)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqtut.lstm import ManyToManyLSTM
from seqtut.sections.base import modes
from seqtut.sections.forecasting import ForecastSection, ForecastSettings


@dataclass(frozen=True)
class ManyToManySettings(ForecastSettings):
    window: int = 50
    horizon: int | None = 5
    epochs: int = modes(full=30, fast=3)
    # The notebook's second series, a noisy AR(2) swing (standardized inputs):
    ar2_length: int = modes(full=4000, fast=2000)
    ar2_epochs: int = modes(full=10, fast=3)
    # Bounds the notebook's claims check (fast mode trains too little to be exact):
    line_mae_bound: float = modes(full=5e-5, fast=0.1)  # both heads' worst held-out MAE per step on the line
    floor_ratio_bound: float = modes(full=1.0, fast=1.3)  # LSTM MAE / the equation's, every step, test windows
    floor_low_bound: float = modes(full=0.0, fast=0.5)  # lower end of every interval "LSTM minus the equation"
    minus5_ratio_min: float = modes(full=3.5, fast=2.5)  # step -5 head / step -1 head, one step ahead
    fresh_ratio_bound: float = modes(full=1.1, fast=1.3)  # LSTM MAE / the equation's on the fresh stretch


class ManyToMany(ForecastSection):
    name = "many-to-many"
    notebook = "03_many_to_many"
    Settings = ManyToManySettings

    def build_model(self, s: Any) -> ManyToManyLSTM:
        return ManyToManyLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers, horizon=s.horizon)

"""01/02 · Many-to-one: a window of the line -> the next value (notebooks 01_many_to_one and 02_extrapolation).

The model trains on windows of every length from `window` to `max_window`, so its answer
does not depend on how much history it reads (the original's probe is 8 values long).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqtut.lstm import ManyToOneLSTM
from seqtut.sections.base import modes
from seqtut.sections.forecasting import ForecastSection, ForecastSettings


@dataclass(frozen=True)
class ManyToOneSettings(ForecastSettings):
    window: int = 5
    horizon: int | None = 1
    max_window: int | None = 8  # train on windows of `window`..`max_window` steps (MixedLengthWindows)
    epochs: int = modes(full=20, fast=3)
    # What notebooks 01 and 02 claim, in series units (last value's error is 1 on every window):
    mae_bound: float = 0.05  # a working model's held-out MAE, inside and above the training range
    broken_mae: float = 100.0  # raw and standardized inputs, above the training range: at least this far off
    probe_bound: float = modes(full=0.01, fast=0.05)  # |forecast - 18| at the lengths trained on
    longer_probe_bound: float = modes(full=0.02, fast=0.1)  # |forecast - 18| at 9..20 steps, never trained
    timed_epochs: int = modes(full=3, fast=1)  # notebook 02's num_workers timing: epochs per run ...
    timed_workers: tuple[int, ...] = modes(full=(0, 2, 4), fast=(0, 2))  # ... and the worker counts timed


class ManyToOne(ForecastSection):
    name = "many-to-one"
    notebook = "01_many_to_one"
    Settings = ManyToOneSettings

    def build_model(self, s: Any) -> ManyToOneLSTM:
        return ManyToOneLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers)

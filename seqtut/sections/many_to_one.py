"""01/02 · Many-to-one: a window of the line -> the next value (notebooks 01_many_to_one and 02_extrapolation).

The model trains on windows of every length from `window` to `max_window`, so its answer
does not depend on how much history it reads (the original's probe is 8 values long).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqtut.lstm import ManyToOneLSTM
from seqtut.sections.base import bound, modes
from seqtut.sections.forecasting import ForecastSection, ForecastSettings


@dataclass(frozen=True)
class ManyToOneSettings(ForecastSettings):
    window: int = 5
    horizon: int | None = 1
    max_window: int | None = 8  # train on windows of `window`..`max_window` steps (MixedLengthWindows)
    epochs: int = modes(full=20, fast=3)
    # What notebooks 01 and 02 claim, in series units (last value's error is 1 on every window):
    mae_bound: float = bound(full=0.05, fast=0.05)  # a working model's error, per window and on average (fast: 0.03)
    broken_mae: float = bound(full=100.0, fast=100.0)  # raw and standardized, above the training range (fast: 646)
    probe_bound: float = bound(full=0.01, fast=0.05)  # |forecast - 18| at the lengths trained on (fast: 0.027)
    longer_probe_bound: float = bound(
        full=0.02, fast=0.1
    )  # |forecast - 18| at 9..20 steps, never trained (fast: 0.054)
    # Notebook 02's raw model: its largest training forecast / its head's largest output (full 0.999, fast 0.98) ...
    at_cap: float = bound(full=0.95, fast=0.95)
    # ... and the farthest a head weight moved / the summed learning rates: Adam's ~lr per step (full 1.09, fast 1.0)
    adam_travel_max: float = bound(full=1.25, fast=1.25)
    timed_epochs: int = modes(full=3, fast=1)  # notebook 02's num_workers timing: epochs per run ...
    timed_workers: tuple[int, ...] = modes(full=(0, 2, 4), fast=(0, 2))  # ... and the worker counts timed
    # ... an epoch with workers ÷ the same epoch without, > 1: slower (2-core full runs: 2.6 to 14) ...
    workers_slower: float = bound(full=1.0, fast=None)
    # ... and a pass over the loader alone, no training, with workers ÷ without (2-core full runs: 28 to 488)
    workers_loading_slower: float = bound(full=5.0, fast=None)


class ManyToOne(ForecastSection):
    name = "many-to-one"
    notebook = "01_many_to_one"
    Settings = ManyToOneSettings

    def build_model(self, s: Any) -> ManyToOneLSTM:
        return ManyToOneLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers)

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


class ManyToMany(ForecastSection):
    name = "many-to-many"
    notebook = "03_many_to_many"
    Settings = ManyToManySettings

    def build_model(self, s: Any) -> ManyToManyLSTM:
        return ManyToManyLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers, horizon=s.horizon)

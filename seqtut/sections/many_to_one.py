"""01 · Many-to-one: a window of the line -> the next value (notebook 01_many_to_one).

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


class ManyToOne(ForecastSection):
    name = "many-to-one"
    notebook = "01_many_to_one"
    Settings = ManyToOneSettings

    def build_model(self, s: Any) -> ManyToOneLSTM:
        return ManyToOneLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers)

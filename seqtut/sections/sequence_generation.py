"""04 · Sequence generation: one output per step, the window moved `shift` ahead (notebook 04_sequence_generation).

Inputs are measured from the window's first value ("start-relative"): measured from its last,
input t would already tell the model where the window ends, a value it has not read at step t.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from seqtut.lstm import SequenceLSTM
from seqtut.scalers import Scaler
from seqtut.sections.base import modes
from seqtut.sections.forecasting import ForecastSection, ForecastSettings


@dataclass(frozen=True)
class SequenceGenerationSettings(ForecastSettings):
    window: int = 50
    shift: int | None = 5
    scaler: str = "start-relative"
    epochs: int = modes(full=100, fast=3)
    # The notebook's second series, a noisy AR(2) swing:
    ar2_length: int = modes(full=4000, fast=2000)
    ar2_epochs: int = modes(full=20, fast=3)


class SequenceGeneration(ForecastSection):
    name = "sequence-generation"
    notebook = "04_sequence_generation"
    Settings = SequenceGenerationSettings

    def build_model(self, s: Any) -> SequenceLSTM:
        return SequenceLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers)

    def forecast(self, model: nn.Module, scaler: Scaler, window: torch.Tensor, s: Any) -> torch.Tensor:
        """One output per step; the last `shift` of them lie beyond the window: (shift,)."""
        return super().forecast(model, scaler, window, s)[-s.shift :]

"""04-05 · Sequence generation: one output per step, the window moved `shift` ahead.

Notebook 04_sequence_generation trains it on the line; notebook 05_causal_scaling uses the same
settings on a noisy AR(2) swing. Inputs are measured from the window's first value
("start-relative"): measured from its last, input t would already tell the model where the
window ends, a value it has not read at step t. Every per-step score leaves out step 1 (`warmup`),
the one step at which nothing a forecast needs has been read: with start-relative inputs its input
is 0 in every window, and drift and the AR(2) floor need two values. Fixed by that reason, which
looks at no model's errors, the same for every model and series, and independent of `shift`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from seqtut.lstm import SequenceLSTM
from seqtut.scalers import Scaler
from seqtut.sections.base import bound, modes
from seqtut.sections.forecasting import ForecastSection, ForecastSettings


@dataclass(frozen=True)
class SequenceGenerationSettings(ForecastSettings):
    window: int = 50
    shift: int | None = 5
    scaler: str = "start-relative"
    warmup: int = 1  # per-step scores run from step 2 ("test MAE from step 2")
    epochs: int = modes(full=100, fast=3)
    # Notebook 05's series, a noisy AR(2) swing:
    ar2_length: int = modes(full=4000, fast=2000)
    ar2_epochs: int = modes(full=20, fast=3)
    # Bounds the notebooks' claims check. Fast mode trains 3 epochs; each fast bound sits above (or
    # below) what a fast run measured (in brackets), with a margin; None: only full mode checks the
    # claim, because a fast run trains too little for a bound it could miss. No bound asks a model
    # without a leak to be below the floor. Notebook 04, the line:
    mae_bound: float = bound(full=0.1, fast=1.5)  # MAE from step 2, mean and every step (0.27; worst 1.09)
    head_speedup_min: float = bound(full=2.0, fast=1.5)  # batched head vs the per-sample loop (10; timings are noisy)
    step_speedup_min: float = bound(full=1.2, fast=1.0)  # a whole training step, batched vs looped (2.7)
    # Notebook 05, the noisy swing, as MAE / the floor's or as paired differences, model minus the floor:
    leak_ratio_bound: float = bound(full=0.85, fast=None)  # the leaky model on the fresh stretch, at its test step
    leak_high_bound: float = bound(full=0.0, fast=None)  # upper end of that difference's interval, fresh stretch
    causal_ratio_bound: float = bound(full=1.05, fast=1.3)  # the standardized model, steps 2-50, fresh (1.09)
    step1_min: float = bound(full=1.3, fast=1.3)  # the standardized model's step 1 / its MAE over steps 2-50 (1.81)
    start_step2_min: float = bound(full=2.0, fast=2.0)  # the start-relative model's step 2 / the floor's (2.56)
    step2_fresh_min: float = bound(full=1.1, fast=1.1)  # the standardized model's step 2 / the floor's, fresh (1.54)


class SequenceGeneration(ForecastSection):
    name = "sequence-generation"
    notebook = "04_sequence_generation"
    Settings = SequenceGenerationSettings

    def build_model(self, s: Any) -> SequenceLSTM:
        return SequenceLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers)

    def forecast(self, model: nn.Module, scaler: Scaler, window: torch.Tensor, s: Any) -> torch.Tensor:
        """One output per step; the last `shift` of them lie beyond the window: (shift,)."""
        return super().forecast(model, scaler, window, s)[-s.shift :]

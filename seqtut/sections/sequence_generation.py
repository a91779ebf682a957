"""04-05 · Sequence generation: one output per step, the window moved `shift` ahead.

The name is the original notebook's. Nothing is generated: no output is ever read back as an input.
Step t (numbered from 1) reads x[t - 1] and forecasts x[t - 1 + shift]; only the last `shift`
outputs lie beyond the window, each a separate `shift`-step-ahead forecast (`forecast`, `predict`).
Notebook 04_sequence_generation trains it on the line and times its batched head against the
original's per-sample loop (`time_heads`); notebook 05_causal_scaling uses the same settings on a
noisy AR(2) swing. Inputs are measured from the window's first value
("start-relative"): measured from its last, input t would already tell the model where the
window ends, a value it has not read at step t. Every headline score leaves out step 1 (`warmup`),
the one step before two values have been read: with start-relative inputs its input is 0 in every
window, and drift and the AR(2) floor need two values. Fixed by that reason, which
looks at no model's errors, the same for every model and both series of notebooks 04-05 (an AR(p)
floor with p > 2, or a seasonal baseline, would need more), and independent of `shift`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from seqtut.lstm import SequenceLSTM
from seqtut.scalers import Scaler
from seqtut.sections.base import bound, modes, parse_numbers
from seqtut.sections.forecasting import LINE_PICKED_ON, ForecastSection, ForecastSettings


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
    # Notebook 05's fresh stretch, `ar2_series(fresh_length, seed=1)`: fast mode reads fewer values
    fresh_length: int = modes(full=20_000, fast=10_000)
    # Bounds the notebooks' claims check. Fast mode trains 3 epochs; each fast bound sits above (or
    # below) what a fast run measured (in brackets), with a margin; None: only full mode checks the
    # claim, because a fast run trains too little for a bound it could miss. No bound asks a model
    # without a leak to be below the floor. Notebook 04, the line:
    mae_bound: float = bound(full=0.1, fast=1.5)  # MAE from step 2, mean and every step (0.27; worst 1.09)
    head_speedup_min: float = bound(full=2.0, fast=1.5)  # batched head vs the per-sample loop (10; timings are noisy)
    step_speedup_min: float = bound(full=1.2, fast=1.0)  # forward and backward pass, batched vs looped (2.7)
    # Notebook 05, the noisy swing, as MAE / the floor's or as paired differences, model minus the floor:
    leak_ratio_bound: float = bound(full=0.85, fast=None)  # the leaky model on the fresh stretch, at its test step
    leak_high_bound: float = bound(full=0.0, fast=None)  # upper end of that difference's interval, fresh stretch
    causal_ratio_bound: float = bound(full=1.05, fast=1.3)  # the standardized model, steps 2-50, fresh (1.08)
    step1_min: float = bound(full=1.3, fast=1.3)  # the standardized model's step 1 / its MAE over steps 2-50 (1.81)
    start_step2_min: float = bound(full=2.0, fast=2.0)  # the start-relative model's step 2 / the floor's (2.56)
    step2_fresh_min: float = bound(full=1.1, fast=1.1)  # the standardized model's step 2 / the floor's, fresh (1.52)
    calm_sd_max: float = bound(full=0.9, fast=0.9)  # the test stretch's sd / the whole series' (data only: 0.84)
    start_vs_standard_low_bound: float = bound(full=0.0, fast=0.0)  # start-relative minus standard, fresh (0.33)
    step2_wild_min: float = bound(
        full=1.1, fast=1.1
    )  # step 2 / the floor, wilder half of the fresh windows / calmer (1.40)
    # The standardized model's error minus the floor's, fresh, blocks of 275, at each of steps 3-5 minus the same
    # over steps 6-50: as a share of its MAE over steps 6-50 (0.015 at most; a fast run's 0.14), and the lower
    # ends, above 0 at each of the three (0.0077 at least, step 4); a fast run's model is too far from settled:
    steps_3_5_excess_max: float = bound(full=0.02, fast=None)
    steps_3_5_low_min: float = bound(full=0.0, fast=None)
    # Notebook 02's trend screen on every comparison notebook 05 judges by its rule (`TrendScreens`): the spread of
    # the part means ÷ the screen's own threshold, which flags above 1 (test windows: 0.94 at most; on the fresh
    # stretch, each comparison with its longest block or, where that is flagged, after this notebook's remedy, longer
    # blocks: 1.00 at most, to two decimals); and how many verdicts the remedy changes:
    trend_screen_max: float = bound(full=1.0, fast=None)
    remedy_changed_max: int = bound(full=0, fast=None)
    # The lower end of drift minus last value, at each step 2-50 on the test windows; a fast run's 151
    # windows (2.75 blocks of 55) leave some intervals across 0, so only full mode checks it:
    drift_low_bound: float = bound(full=0.0, fast=None)
    # The upper end of the standardized model minus the training stretch's mean, steps 2-50, on the test windows (full:
    # the mean's 4.31 against the model's 3.43) and the fresh stretch; a fast run's model is too far from settled, so
    # only full mode checks it:
    mean_high_bound: float | None = bound(full=0.0, fast=None)


class SequenceGeneration(ForecastSection):
    name = "sequence-generation"
    notebook = "04_sequence_generation"
    Settings = SequenceGenerationSettings
    picked_on = LINE_PICKED_ON

    def build_model(self, s: Any) -> SequenceLSTM:
        return SequenceLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers)

    def forecast(self, model: nn.Module, scaler: Scaler, window: torch.Tensor, s: Any) -> torch.Tensor:
        """The outputs of the last `shift` steps of `window` (1, L), in series units: (shift,).

        With shift 5, these are the outputs at steps L - 4 to L (numbered from 1). Each is a
        separate 5-step-ahead forecast made from the values read up to its own step: step t reads
        x[t - 1] and forecasts x[t + 4], so together they forecast x[L] to x[L + 4], the 5 values
        after the window, but not as one path: step L - 4 has not read the window's last 4 values.
        (Fewer, from step 1, when L < shift.) To forecast after a fully read window, read the last
        step with a `horizon` head (notebook 03's many-to-many section).
        """
        return super().forecast(model, scaler, window, s)[-s.shift :]

    def predict(self, model: nn.Module, scaler: Scaler | None, s: Any, values: list[str]) -> list[str]:
        """Two lines: which steps answer and what each forecasts, then their outputs (`forecast`)."""
        window = torch.tensor([parse_numbers(values)], dtype=torch.float32)  # (1, L)
        outputs = self.forecast(model, scaler, window, s).tolist()
        last = window.shape[1]
        first = last - len(outputs) + 1
        label = (
            f"steps {first}-{last} of {last} (step t has read x[0] to x[t - 1]): {s.shift}-step-ahead forecasts "
            f"of x[{first - 1 + s.shift}] to x[{last - 1 + s.shift}], each from what its own step has read "
            "(not one forecast after the whole window)"
        )
        return [label, " ".join(f"{v:.4f}" for v in outputs)]


@dataclass(frozen=True)
class HeadTimings:
    """Seconds per call: the head alone and a forward and backward pass, batched and looped over the batch."""

    head_batched: float
    head_looped: float
    step_batched: float
    step_looped: float

    @property
    def head_speedup(self) -> float:
        """How many times faster the batched head is than the loop, the head alone."""
        return self.head_looped / self.head_batched

    @property
    def step_speedup(self) -> float:
        """How many times faster a forward and backward pass (no optimizer step) is with the batched head."""
        return self.step_looped / self.step_batched

    def __str__(self) -> str:
        head = f"batched {self.head_batched * 1e6:8.1f} µs | loop {self.head_looped * 1e6:8.1f} µs"
        step = f"batched {self.step_batched * 1e3:8.2f} ms | loop {self.step_looped * 1e3:8.2f} ms"
        head_line = f"{'head only:':19s} {head} | {self.head_speedup:.1f}x"
        return f"{head_line}\nforward + backward: {step} | {self.step_speedup:.1f}x"


def seconds_per_call_in_turn(
    functions: Sequence[Callable[[], Any]], number: int, device: torch.device | str = "cpu", *, repeat: int = 5
) -> list[float]:
    """Per function, the best of `repeat` timings of `number` calls, per call, waiting for a CUDA device after
    each; each round times every function in turn, so a stretch of load on a shared machine falls on all of
    them, not on one alone."""
    cuda = torch.device(device).type == "cuda"
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for k, function in enumerate(functions):
            started = time.perf_counter()
            for _ in range(number):
                function()
                if cuda:
                    torch.cuda.synchronize()
            best[k] = min(best[k], (time.perf_counter() - started) / number)
    return best


def _head_per_sample(head: nn.Module, features: torch.Tensor) -> torch.Tensor:
    """The original's loop: a zeros tensor (N, L) filled one sample at a time, head(features[b]) (L, 1) -> (L,)."""
    result = torch.zeros(features.shape[0], features.shape[1], device=features.device)
    for b in range(features.shape[0]):
        result[b] = head(features[b]).view(-1)
    return result


def time_heads(
    batched: SequenceLSTM,
    looped: SequenceLSTM,
    x: torch.Tensor,
    y: torch.Tensor,
    device: torch.device | str = "cpu",
    *,
    head_calls: int = 200,
    step_calls: int = 20,
) -> HeadTimings:
    """Time the batched per-step head against a Python loop over the batch, on one batch x (N, L, 1), y (N, L).

    The head alone, on the LSTM's features (N, L, hidden), computed once beforehand: `batched.head` in one
    call, against `looped.head` once per sample, filling a zeros tensor (N, L) one row at a time as the
    notebook's `LoopsOverTheBatch` and the original do. A forward and backward pass (zero_grad,
    forward, MSE, backward; no optimizer step): `batched` against `looped`, a model whose forward loops over the batch.
    Both models move to `device`. Each figure is the best of 5 timings of `head_calls` (or
    `step_calls`) calls, per call, the two of a pair timed in turn in each round
    (`seconds_per_call_in_turn`); timings depend on the machine and its load, their ratios less so.
    """
    batched.to(device)
    looped.to(device)
    x, y = x.to(device), y.to(device)
    with torch.no_grad():
        features = batched.features(x)  # (N, L, hidden)

    def training_step(model: nn.Module) -> None:
        model.zero_grad()
        F.mse_loss(model(x), y).backward()

    with torch.no_grad():
        head_batched, head_looped = seconds_per_call_in_turn(
            [lambda: batched.head(features).squeeze(-1), lambda: _head_per_sample(looped.head, features)],
            head_calls,
            device,
        )
    modes = batched.training, looped.training
    batched.train()  # a training pass in training mode: cuDNN's LSTM backward refuses eval mode
    looped.train()
    step_batched, step_looped = seconds_per_call_in_turn(
        [lambda: training_step(batched), lambda: training_step(looped)], step_calls, device
    )
    batched.train(modes[0])
    looped.train(modes[1])
    return HeadTimings(head_batched, head_looped, step_batched, step_looped)

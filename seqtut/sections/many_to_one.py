"""01/02 · Many-to-one: a window of the line -> the next value (notebooks 01_many_to_one and 02_extrapolation).

The model trains on windows of every length from `window` to `max_window`, so its answer
changes little with the history length in that range (the original's probe is 8 values long);
notebook 02 measures it there, beyond it up to 20 values, and below `window`, where it errs more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqtut.lstm import ManyToOneLSTM
from seqtut.sections.base import bound, modes
from seqtut.sections.forecasting import LINE_PICKED_ON, ForecastSection, ForecastSettings


@dataclass(frozen=True)
class ManyToOneSettings(ForecastSettings):
    window: int = 5
    horizon: int | None = 1
    max_window: int | None = 8  # train on windows of `window`..`max_window` steps (MixedLengthWindows)
    epochs: int = modes(full=20, fast=3)
    # What notebooks 01 and 02 claim, in series units (last value's error is 1 on every window):
    mae_bound: float = bound(
        full=0.05, fast=0.05
    )  # a working model's error, per window and on average (measured fast: 0.03)
    broken_mae: float = bound(full=100.0, fast=100.0)  # raw and standardized, above the training range (fast: 646)
    # Notebook 02's probe, |forecast - 18|, on each of seeds 0..4 (the seed sweep at the last epoch; the
    # seed-0 model before it at its picked epoch): trained on 5 steps only, at 5 steps (full 0.0000,
    # fast 0.0046) ...
    five_step_bound: float = bound(full=0.01, fast=0.02)
    # ... trained on 5..8 steps, the worst at the lengths trained on (full 0.0048, fast 0.055) ...
    probe_bound: float = bound(full=0.02, fast=0.1)
    # ... and the worst at 9..20 steps, never trained (full 0.0074, fast 0.054)
    longer_probe_bound: float = bound(full=0.03, fast=0.1)
    # Notebook 02's raw model: training windows from which on its last hidden state stays within 0.001 of
    # the last window's (full 645, fast 552 of 795) ...
    raw_settled: int = bound(full=600, fast=500)
    # ... and its largest minus smallest forecast on them (full 9.2e-05, fast 5.1e-05)
    settled_spread: float = bound(full=0.01, fast=0.01)
    # Notebook 02's crossed scalers. Standard inputs, raw targets: |its training MAE ÷ the raw model's - 1|
    # (full 0.002, fast 0.011) ...
    standard_in_like_raw: float = bound(full=0.05, fast=0.05)
    # ... and its largest minus smallest training forecast (full 0.10, fast 0.075) ...
    standard_in_spread: float = bound(full=1.0, fast=1.0)
    # ... raw inputs, standard targets: its training MAE ÷ that of standard inputs, raw targets (full 0.010,
    # fast 0.114 on a CPU with AVX2 kernels; 0.020 and 0.058 on the earlier machine's CPU: the last bits differ and
    # training carries them on)
    standard_targets_ratio: float = bound(full=0.1, fast=0.25)
    # The raw model's largest training forecast ÷ its head's largest output, |bias| + sum |weights| (full 0.999,
    # fast 0.980); the same for the run of `longer_epochs` (full 0.9925, fast 0.999)
    head_max_share: float = bound(full=0.95, fast=0.95)
    # The farthest a head weight of the raw model moved ÷ the summed learning rates: Adam moves a weight
    # about lr a step (full 1.09, fast 1.00)
    head_travel_max: float = bound(full=1.25, fast=1.25)
    # The same raw model trained `longer_epochs` (5 × `epochs`): its training MAE ÷ the short run's
    # (full 0.340, fast 0.871) ...
    longer_epochs: int = modes(full=100, fast=15)
    longer_mae_ratio: float = bound(full=0.5, fast=0.95)
    # ... and its largest forecast ÷ the short run's largest head output (full 4.33, fast 4.45)
    longer_reach: float = bound(full=2.0, fast=2.0)
    # With raw targets (raw or standard inputs): the share of i, f, g, o pre-activations beyond ±5 at the last
    # step (full 0.94 and 1.00, fast 0.98 and 0.96) and of h's features beyond ±0.999 on the last window
    # (full 0.94 and 1.00, fast 0.81 and 0.88); raw inputs, standard targets: the latter (full 0.125, fast 0.062)
    flat_gates: float = bound(full=0.9, fast=0.9)
    pinned_features: float = bound(full=0.75, fast=0.75)
    free_features: float = bound(full=0.25, fast=0.25)
    # Notebook 02's trend screen on stationary differences (100 windows, blocks of 6): runs simulated per kind ...
    screen_runs: int = modes(full=1000, fast=200)
    # ... and the share of them it flags, at 3, 4 and 5 parts (full 0.3 % to 5.3 %; other seeds up to 6.8 %) and
    # with any of them, as the rule applies it (full 2.1 % and 9.6 %, close to the bound; other seeds not measured)
    screen_false_alarms: float = bound(full=0.1, fast=0.15)
    timed_epochs: int = modes(full=3, fast=1)  # notebook 02's num_workers timing: epochs per run ...
    timed_workers: tuple[int, ...] = modes(full=(0, 2, 4), fast=(0, 2))  # ... and the worker counts timed
    # ... at batch 64, how many times faster an epoch runs than at batch 4, no workers (full 8 to 20, fast 11) ...
    batch_speed_up: float = bound(full=2.0, fast=2.0)
    # ... the mean seconds per epoch with workers ÷ without, clear of timing noise (2-core full runs: 1.9 to 14) ...
    workers_slower: float = bound(full=1.5, fast=None)
    # ... and per pass over the loader alone, no training, with workers ÷ without (2-core full runs: 26.5 to 488)
    workers_loading_slower: float = bound(full=5.0, fast=None)


class ManyToOne(ForecastSection):
    name = "many-to-one"
    notebook = "01_many_to_one"
    Settings = ManyToOneSettings
    picked_on = LINE_PICKED_ON

    def build_model(self, s: Any) -> ManyToOneLSTM:
        return ManyToOneLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers)

"""05 · Causal scaling: the pieces notebook 05_causal_scaling adds to notebook 04's section.

The notebook trains `SequenceGeneration`'s per-step LSTM on the noisy AR(2) swing with three
scalers and compares each, step by step, with the floor (the best forecast from the values read)
and the baselines, by notebook 02's rule (`seqtut.metrics.paired_difference`). Steps are numbered
from 1, as in notebooks 04 and 05: step t reads x[t - 1] and forecasts x[t - 1 + shift]. Error
tables are (N, L): one row per test window, one column per step (step t is column t - 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

from seqtut.baselines import ar2_forecast
from seqtut.data import WindowDataset
from seqtut.metrics import Difference, paired_difference
from seqtut.plots import legend_outside, plot_errors_per_step
from seqtut.sections.many_to_many import ScreenReport, TrendScreens, on_steps

LABELS = {
    "relative": "LSTM, relative to the last value (leaks)",
    "start-relative": "LSTM, start-relative",
    "standard": "LSTM, standardized",
}
"""The notebook's name for the model trained with each scaler."""


def floor_errors(dataset: WindowDataset, shift: int, *, phi1: float = 1.8, phi2: float = -0.95) -> torch.Tensor:
    """|best forecast - target| for every window and step, (N, L); NaN at step 1, where the recursion lacks x[t - 2].

    The best forecast at step t runs the AR(2) recurrence (`phi1`, `phi2`: those of the series)
    `shift` steps forward from x[t - 2] and x[t - 1]; `unfold` cuts every pair of neighbouring
    values out of each window at once. Step 1 has read one value: its best forecast, the
    autocorrelation at lag `shift` times x[0] (Yule-Walker), is not this recursion and not computed.
    """
    pairs = dataset.windows.unfold(-1, 2, 1)  # (N, L - 1, 2): every pair of neighbouring values
    best = ar2_forecast(pairs, shift, phi1=phi1, phi2=phi2)[..., -1]  # (N, L - 1): `shift` steps after each pair
    return torch.cat([torch.full_like(best[:, :1], float("nan")), (best - dataset.targets[:, 1:]).abs()], dim=1)


def scored(per_step: Sequence[float], warmup: int) -> float:
    """The mean of per-step MAEs over the scored steps, from step `warmup + 1` to the last."""
    return sum(per_step[warmup:]) / len(per_step[warmup:])


def side(ratio: float) -> str:
    """A model's MAE over the floor's, as a percentage below or above it: '19 % below'."""
    return f"{100 * abs(ratio - 1):.0f} % {'below' if ratio < 1 else 'above'}"


def error_table(rows: Mapping[str, Sequence[float]], warmup: int) -> str:
    """Per-step MAEs as a table: step 1, step 2 and the mean over the scored steps; '-' for a NaN at step 1."""
    lines = [
        f"{'test MAE':16} {'step 1':>7} {'step 2':>7} {f'steps {warmup + 1}-{len(next(iter(rows.values())))}':>10}"
    ]
    for name, errors in rows.items():
        first = "-" if errors[0] != errors[0] else f"{errors[0]:.3f}"  # NaN: no forecast at step 1
        lines.append(f"{name:16} {first:>7} {errors[1]:7.3f} {scored(errors, warmup):10.3f}")
    return "\n".join(lines)


def plot_ratios(
    ratios: Mapping[str, Sequence[float]],
    title: str,
    warmup: int,
    *,
    shift: int = 5,
    zoom: tuple[float, float] | None = None,
) -> Axes:
    """Each model's MAE ÷ the floor's at every step (scaler -> L ratios), the floor at 1, the warm-up shaded.

    Step t (from 1) is index t - 1; it reads x[t - 1] and forecasts x[t - 1 + shift], as the x label says.
    With `zoom` = (low, high), a second panel below draws the same lines on that range of ratios, so that a
    gap of a percent or two from the floor shows (lines leave it where they leave the range). Returns the
    upper panel; the lower one, when drawn, is `ax.figure.axes[1]`.
    """
    rows = 1 if zoom is None else 2  # each panel wide, so that the warm-up's band shows
    axes = plt.subplots(rows, 1, figsize=(9, 3.5 * rows), layout="constrained", sharex=True, squeeze=False)[1]
    xlabel = f"time step t (index t - 1; reads x[t - 1], forecasts x[t + {shift - 1}])"
    steps = f"steps 1-{warmup}" if warmup > 1 else "step 1"
    for row, ax in enumerate(axes[:, 0]):
        plot_errors_per_step(
            {LABELS.get(k, k): r for k, r in ratios.items()},
            ax=ax,
            title=title if zoom is None or row == 0 else f"the same, ratios {zoom[0]:g} to {zoom[1]:g} only",
            xlabel=xlabel if row == rows - 1 else "",
            ylabel="MAE ÷ the floor's MAE (ratio)",
        )
        ax.axhline(1, color="black", linewidth=1, linestyle="--", label="the AR(2) forecast (the floor)")
        ax.axvspan(
            0.5,
            warmup + 0.5,
            color="tab:red",
            alpha=0.3,
            linewidth=0,
            label=f"{steps}: the warm-up (no AR(2)-recursion floor)",
        )
        ax.set(yscale="linear")
        ax.set_xticks(step_ticks(len(next(iter(ratios.values())))))
        if zoom is None or row == 0:
            legend_outside(ax)
        else:
            ax.get_legend().remove()  # the upper panel's legend serves both
            ax.set_ylim(*zoom)
    return axes[0, 0]


def step_ticks(length: int) -> list[int]:
    """Where to label a per-step axis of steps 1..length: every step up to 12, else step 1 and every 10th.

    Steps count from 1, so an axis ticked at 0, 6, 12, ... names a step 0 that does not exist and
    leaves step 1 and the last steps unlabelled.
    """
    return list(range(1, length + 1)) if length <= 12 else [1, *range(10, length + 1, 10)]


@dataclass(frozen=True)
class VersusFloor:
    """One model against the floor on some steps: MAE ratio and the paired difference, model minus floor.

    `flagged`: the trend screen flagged this interval (`versus_floor` with `screens`), which is then void.
    """

    model: str
    steps: tuple[int, ...]
    ratio: float
    difference: Difference
    flagged: bool = False

    def __str__(self) -> str:
        d, steps = self.difference, self.steps
        where = f"step {steps[0]}" if len(steps) == 1 else f"steps {steps[0]}-{steps[-1]}"
        ratio = f"{self.ratio:.3f} x the floor ({side(self.ratio)})"
        void = "; flagged by the trend screen: void" if self.flagged else ""
        return f"{self.model:15} {where:11} {ratio}; minus the floor {d}: {d.verdict}{void}"


def versus_floor(
    errors: Mapping[str, torch.Tensor],
    model: str,
    steps: Sequence[int],
    block: int,
    floor: str = "AR(2) forecast",
    *,
    screens: TrendScreens | None = None,
    where: str = "",
) -> VersusFloor:
    """`errors[model]` against `errors[floor]`, both (N, L), on `steps` (numbered from 1), by notebook 02's rule.

    Per window, the model's mean error over those steps minus the floor's; the mean of these and
    a 95 % interval from the block bootstrap over runs of `block` windows (`paired_difference`);
    and the ratio of the two MAEs. With `screens`, the rule's trend screen is recorded there too,
    the comparison named with `where` (the windows it reads), and a flag marks the result `flagged`.
    """
    mine, best = on_steps(errors[model], steps), on_steps(errors[floor], steps)
    ratio = (mine.mean() / best.mean()).item()
    if screens is None:
        return VersusFloor(model, tuple(steps), ratio, paired_difference(mine, best, block=block))
    named = f"step {steps[0]}" if len(steps) == 1 else f"steps {steps[0]}-{steps[-1]}"
    difference = screens.judge(f"{model} minus the floor, {named}, {where}", mine, best, block=block)
    return VersusFloor(model, tuple(steps), ratio, difference, flagged=screens.judged[-1].flagged)


def per_step_differences(
    errors_a: torch.Tensor,
    errors_b: torch.Tensor,
    steps: Sequence[int],
    block: int,
    *,
    screens: TrendScreens | None = None,
    name: str = "",
    where: str = "",
) -> list[Difference]:
    """A minus B, both (N, L), at each of `steps` (numbered from 1), by notebook 02's rule: one interval per step.

    With `screens`, each step's trend screen is recorded there too, as "`name`, step t, `where`".
    """
    if screens is None:
        return [paired_difference(errors_a[:, step - 1], errors_b[:, step - 1], block=block) for step in steps]
    return [
        screens.judge(step_name(name, step, where), errors_a[:, step - 1], errors_b[:, step - 1], block=block)
        for step in steps
    ]


def step_name(name: str, step: int, where: str) -> str:
    """The name `per_step_differences` records a step's comparison under: "`name`, step t, `where`"."""
    return f"{name}, step {step}, {where}"


def counted_per_step(report: ScreenReport, name: str, steps: Sequence[int], where: str) -> dict[int, Difference]:
    """Step -> the interval that counts (`report.counted()`) for `per_step_differences`'s comparison `name` there.

    That is the interval with the longest block the step was judged with, or, where the trend screen
    flags it, notebook 05's remedy's with a longer block. Every step must have been judged in `report`.
    """
    counted = report.counted()
    return {step: counted[step_name(name, step, where)] for step in steps}


def verdict_counts(differences: Sequence[Difference], steps: Sequence[int] | None = None) -> str:
    """Intervals, one per step -> "{verdict: how many}; the intervals' ends from <lowest low> to <highest high>".

    With `steps` (the step of each interval), the steps whose interval is rough (`Difference.rough`) are named.
    """
    counts = dict(sorted(Counter(d.verdict for d in differences).items()))
    low, high = min(d.low for d in differences), max(d.high for d in differences)
    line = f"{counts}; the intervals' ends from {low:+.4g} to {high:+.4g}"
    if steps is None:
        return line
    rough = [str(step) for step, d in zip(steps, differences, strict=True) if d.rough]
    return f"{line}; rough at {'steps ' + ', '.join(rough) if rough else 'no step'}"

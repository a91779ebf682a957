"""Figures the notebooks show. Each helper draws on a new or given Axes and returns it."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, MaxNLocator

from seqtut.checks import positive_int
from seqtut.metrics import Difference, paired_difference

ArrayLike = Sequence[float] | np.ndarray | torch.Tensor

STYLE = {
    "figure.facecolor": "white",  # opaque: readable on JupyterLab's dark theme and GitHub's light page
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": "small",
}
plt.rcParams.update(STYLE)  # after pyplot's import, so it also wins over the inline backend's transparent default


def legend_outside(ax: Axes, **kwargs: object) -> None:
    """Put the legend to the right of the axes, outside the data."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kwargs)


class EpochLocator(MaxNLocator):
    """MaxNLocator's integer ticks within epochs 1..`epochs` only: an axis widened later gets none past the last."""

    def __init__(self, epochs: int) -> None:
        super().__init__(integer=True)
        self.epochs = epochs

    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:
        ticks = super().tick_values(vmin, vmax)
        return ticks[(ticks >= 1) & (ticks <= self.epochs)]


def epoch_axis(ax: Axes, epochs: int, best: int | None = None) -> None:
    """Integer epoch ticks (1-based, none past `epochs`) and, with `best` (0-based), a marked best epoch."""
    ax.xaxis.set_major_locator(EpochLocator(epochs))
    ax.set_xlim(0.5, epochs + max(0.5, 0.03 * epochs))  # room to see a best last epoch's line
    ax.set_xlabel("epoch")
    if best is not None:
        ax.axvline(best + 1, color="black", linestyle=":", linewidth=1.5, zorder=3, label=f"best epoch ({best + 1})")


def _axes(ax: Axes | None, size: tuple[float, float] = (7, 3.5)) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=size, layout="constrained")[1]


def _numpy(values: ArrayLike) -> np.ndarray:
    return values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(values)


def plot_forecast(
    history: ArrayLike,
    actual: ArrayLike,
    forecasts: Mapping[str, ArrayLike],
    *,
    start: int = 0,
    ax: Axes | None = None,
    title: str = "Forecast vs actual",
    history_label: str = "input window",
    ylabel: str = "value",
) -> Axes:
    """The input `history`, then `actual` future values and each named forecast after it.

    The history's line runs on to the first actual value (out of the legend), so that no gap reads
    as a missing step.
    """
    ax = _axes(ax)
    history, actual = _numpy(history), _numpy(actual)
    future = np.arange(start + len(history), start + len(history) + len(actual))
    ax.plot(np.arange(start, start + len(history)), history, color="0.4", label=history_label)
    if len(history) and len(actual):
        ax.plot([future[0] - 1, future[0]], [history[-1], actual[0]], color="0.4", label="_history to actual")
    ax.plot(future, actual, "o-", color="black", label="actual", markersize=4)
    for (name, values), marker in zip(forecasts.items(), "xs^dv*+"):
        ax.plot(future, _numpy(values), marker=marker, linestyle="--", label=name)
    ax.set(xlabel="position in the series", ylabel=ylabel, title=title)
    legend_outside(ax)
    return ax


def plot_losses(
    train_loss: Sequence[float],
    val_loss: Sequence[float] = (),
    *,
    best_epoch: int | None = None,
    ax: Axes | None = None,
    title: str = "Training curve",
    ylabel: str = "MSE (scaled)",
) -> Axes:
    """Training (and validation) loss per epoch, log scale; `best_epoch` (0-based) is marked.

    A loss of exactly 0 has no place on a log axis, so when one occurs the axis turns linear
    below the smallest positive loss (`zero_floor_axis`) instead of dropping the point.
    """
    ax = _axes(ax)
    epochs = np.arange(1, len(train_loss) + 1)
    ax.plot(epochs, train_loss, marker="o", markersize=3, label="train")
    if len(val_loss):
        ax.plot(epochs[: len(val_loss)], val_loss, marker="o", markersize=3, label="validation")
    values = np.concatenate([np.asarray(train_loss, dtype=float), np.asarray(val_loss, dtype=float)])
    if np.any(values <= 0) and np.any(values > 0):
        zero_floor_axis(ax, values[values > 0])
    else:
        ax.set_yscale("log")
    epoch_axis(ax, len(train_loss), best_epoch)
    ax.set(ylabel=ylabel, title=title)
    legend_outside(ax)
    return ax


def zero_floor_axis(ax: Axes, positive: ArrayLike, labels: int = 8) -> list[float]:
    """A y axis for values that reach 0: log from the power of 10 under the smallest `positive` value, linear below.

    matplotlib's "symlog" scale with that power as `linthresh`; the axis starts just below 0, so the
    tick "0" stays clear of the lowest decade. At most `labels` (≥ 2) ticks carry a label: 0 and every
    k-th decade from the highest one under the largest value; the other decades keep an unlabelled
    tick. Returns the labelled ticks.
    """
    positive = _numpy(positive).astype(float).ravel()
    if positive.size == 0 or not np.all(positive > 0):
        raise ValueError(f"positive: expected values above 0, got {positive.tolist()[:5]}")
    if positive_int(labels, "labels") < 2:
        raise ValueError(f"labels: expected at least 2 (0 and one decade), got {labels}")
    low, high = (int(np.floor(np.log10(value))) for value in (positive.min(), positive.max()))
    ax.set_yscale("symlog", linthresh=10.0**low)
    ax.set_ylim(bottom=-(10.0**low) / 2)  # no negative values to show
    decades = [10.0**power for power in range(high, low - 1, -1)]  # from the top down, each within the data
    step = -(-len(decades) // (labels - 1))  # ceil: at most labels - 1 labelled decades
    ticks = [0.0, *sorted(decades[::step])]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(FixedLocator(decades))
    return ticks


def _tick_labels(count: int, labels: Sequence[str] | None) -> list[str]:
    """`labels`, or the indices 0..count-1 with every k-th shown so that at most 25 are."""
    if labels is not None:
        if len(labels) != count:
            raise ValueError(f"labels: expected {count}, one per row or column, got {len(labels)}")
        return [str(label) for label in labels]
    step = -(-count // 25)  # ceil(count / 25)
    return [str(i) if i % step == 0 else "" for i in range(count)]


def plot_heatmap(
    matrix: ArrayLike,
    *,
    xlabels: Sequence[str] | None = None,
    ylabels: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str = "",
    cmap: str = "viridis",
    annotate: bool = False,
    xlabel: str = "",
    ylabel: str = "",
) -> Axes:
    """A matrix (a mask or attention weights) as a heatmap, rows top to bottom (e.g. query × key).

    Drawn by seaborn's `heatmap` (imported here, so that a kernel drawing none does not pay for
    it). Cell (i, j) is the square [j, j + 1] × [i, i + 1]; NaN and ±inf cells stay blank;
    `annotate` writes each value in its cell (dark or white, whichever reads better on its
    colour) instead of drawing a colour bar.
    """
    values = _numpy(matrix).astype(float)
    if values.ndim != 2 or 0 in values.shape:
        raise ValueError(f"matrix: expected 2-D with at least one row and column, got shape {values.shape}")
    rows, cols = values.shape
    xticks, yticks = _tick_labels(cols, xlabels), _tick_labels(rows, ylabels)
    import seaborn as sns  # here, not at the top: its import (pandas, scipy.stats) takes about a second

    ax = _axes(ax, (1 + 0.35 * cols, 1 + 0.3 * rows))
    sns.heatmap(
        values,
        mask=~np.isfinite(values),  # seaborn masks NaN only; an inf would also break its colour scale
        ax=ax,
        cmap=cmap,
        annot=annotate,
        fmt=".2g",
        cbar=not annotate,
        xticklabels=xticks,
        yticklabels=yticks,
    )
    ax.tick_params(axis="x", labelrotation=90 if max(map(len, xticks)) > 2 else 0, length=0)
    ax.tick_params(axis="y", labelrotation=0, length=0)  # seaborn turns them by whether they overlap
    ax.grid(False)  # the style's grid would cross the cells
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


def plot_errors_per_step(
    errors: Mapping[str, ArrayLike],
    *,
    ax: Axes | None = None,
    title: str = "Held-out MAE per step",
    xlabel: str = "step",
    ylabel: str = "MAE",
) -> Axes:
    """Mean absolute error per output step for several models or baselines (log scale)."""
    ax = _axes(ax)
    for name, values in errors.items():
        values = _numpy(values)
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", markersize=3, label=name)
    ax.set(xlabel=xlabel, ylabel=ylabel, yscale="log", title=title)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend_outside(ax)
    return ax


def _step_columns(differences: Mapping[str, ArrayLike], steps: Sequence[int]) -> dict[str, np.ndarray]:
    """Each comparison's differences at `steps` (numbered from 1): name -> (N, len(steps)), checked."""
    if not isinstance(differences, Mapping) or not differences:
        raise ValueError(f"differences: expected a non-empty mapping of name -> (N, L) tensor, got {differences!r}")
    numbers = isinstance(steps, Sequence) and not isinstance(steps, str) and len(steps) == len(set(steps)) > 0
    if not numbers or not all(isinstance(t, int) and not isinstance(t, bool) and t >= 1 for t in steps):
        raise ValueError(f"steps: expected a non-empty sequence of distinct step numbers (ints from 1), got {steps!r}")
    columns = {}
    for name, values in differences.items():
        table = _numpy(values).astype(np.float64)
        if table.ndim != 2 or len(table) < 2:
            raise ValueError(
                f"differences[{name!r}]: expected a 2-D (N, L) table, N >= 2 windows, got shape {table.shape}"
            )
        if max(steps) > table.shape[1]:
            raise ValueError(f"steps: expected steps from 1 to {table.shape[1]} (L of {name!r}), got {max(steps)}")
        picked = table[:, [t - 1 for t in steps]]
        if not np.isfinite(picked).all():
            bad = steps[int(np.flatnonzero(~np.isfinite(picked).all(axis=0))[0])]
            raise ValueError(f"differences[{name!r}]: expected finite values at every step, got NaN or inf at {bad}")
        columns[name] = picked
    return columns


def plot_step_intervals(
    differences: Mapping[str, ArrayLike],
    steps: Sequence[int],
    *,
    block: int,
    ax: Axes | None = None,
    title: str = "Paired differences per step, with 95 % block-bootstrap intervals",
    ylabel: str = "difference of errors",
) -> Axes:
    """Name -> (N, L) per-window differences a - b: at each of `steps` (from 1), the mean and its 95 % interval.

    The bars are the intervals `per_step_differences(a, b, steps, block)` gives (the same block
    bootstrap and seed): seaborn's `pointplot` hands each step's N differences, in window order,
    to an `errorbar` function that runs `paired_difference` on them.
    """
    columns = _step_columns(differences, steps)
    positive_int(block, "block")
    import pandas as pd  # here, as seaborn: a kernel that draws no such figure does not import them
    import seaborn as sns

    def interval(values: pd.Series) -> tuple[float, float]:
        ordered = torch.from_numpy(np.array(values.sort_index(), dtype=np.float64))  # window order: runs of `block`
        found = paired_difference(ordered, torch.zeros_like(ordered), block=block)
        return found.low, found.high

    long = pd.concat(  # one row per (comparison, step, window), windows in order within each (comparison, step)
        pd.DataFrame({"comparison": name, "step": np.repeat(steps, len(table)), "difference": table.T.ravel()})
        for name, table in columns.items()
    ).reset_index(drop=True)
    ax = _axes(ax, (9, 3.5))
    with warnings.catch_warnings():  # seaborn 0.13.0 and 0.13.1 call pandas 2.2+ in ways it warns of (fixed in 0.13.2)
        warnings.filterwarnings("ignore", category=FutureWarning, module="seaborn")
        sns.pointplot(
            long,
            x="step",
            y="difference",
            hue="comparison",
            errorbar=interval,
            native_scale=True,  # steps at their numbers on x (step 10 at 10)
            dodge=0.4 if len(columns) > 1 else False,  # side by side within a step, so no bar hides another
            markersize=4,
            linewidth=1.2,  # thinner than seaborn's default: many steps, several comparisons
            ax=ax,
        )
    legend = ax.get_legend()  # seaborn's, one entry per comparison: moved outside the data, the line at 0 added
    zero = ax.axhline(0.0, color="black", linewidth=1, linestyle="--", zorder=1)
    labels = [*(text.get_text() for text in legend.get_texts()), "0: no difference"]
    legend_outside(ax, handles=[*legend.legend_handles, zero], labels=labels)
    # the steps themselves, or the first and every 10th: a locator's 0, 6, 12, ... would name a step 0 that is not there
    ax.set_xticks(list(steps) if len(steps) <= 12 else [steps[0], *(t for t in steps if t % 10 == 0 and t != steps[0])])
    ax.set(xlabel="step", ylabel=ylabel, title=title)
    return ax


def plot_block_bootstrap(
    differences: ArrayLike,
    result: Difference,
    *,
    axes: tuple[Axes, Axes] | None = None,
    unit: str = "",
    names: tuple[str, str] = ("a", "b"),
) -> tuple[Axes, Axes]:
    """How `paired_difference` made `result` from `differences` (N,), the per-window errors a - b (`names`).

    One legend for both panels sits under them, outside the axes (with constrained layout, which makes room).
    """
    values = _numpy(differences).astype(float)
    if result.means is None or result.first_runs is None or values.shape != (result.n,):
        raise ValueError(f"differences: expected the ({result.n},) values `result` was computed from")
    if axes is None:
        axes = tuple(plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained", width_ratios=(1.4, 1))[1])
    windows, means = axes
    windows.plot(values, color="0.3", linewidth=1, label=f"error of {names[0]} − error of {names[1]}")
    runs = result.first_runs.tolist()
    last = result.n - (len(runs) - 1) * result.block  # the last run is cut short, so the resample holds N windows
    for k, start in enumerate(runs):  # overlapping runs shade darker; a run past the end wraps
        length = last if k == len(runs) - 1 else result.block
        for left, right in ((start, min(start + length, result.n)), (0, start + length - result.n)):
            windows.axvspan(left - 0.5, right - 0.5, color="tab:blue", alpha=0.12) if right > left else None
    windows.axhline(result.mean, color="tab:red", label=f"their mean, {result.mean:+.3g}")
    shaded = f"shaded: the {len(runs)} runs of one resample, darker where they overlap; a run past the end wraps"
    windows.set(xlabel=f"test window ({shaded})", ylabel=f"difference{unit}")
    drawn = f"{len(runs)} runs of {result.block}"
    if last < result.block:
        drawn = f"{len(runs) - 1} runs of {result.block} and one of {last}"
    windows.set_title(f"1. The paired differences; one resample draws {drawn}")
    means.hist(_numpy(result.means), bins=40, color="0.6")
    means.axvline(0.0, color="black", label="0: no difference")
    for x, label in ((result.low, "2.5th and 97.5th percentiles"), (result.high, "_nolegend_")):
        means.axvline(x, color="tab:red", linestyle="--", label=label)
    means.set(xlabel=f"mean of one resample{unit}", ylabel="resamples")
    means.set_title(f"2. The means of {len(result.means)} resamples")
    handles = [h for ax in axes for h in ax.get_legend_handles_labels()[0]]
    # one legend under both panels, outside the axes, so it hides no data (constrained layout makes room for it)
    windows.figure.legend(handles=handles, loc="outside lower center", ncol=len(handles))
    return windows, means


def frequency_order(d_model: int) -> list[int]:
    """The dimensions of a sin/cos table, sin ones (0, 2, ...) then cos ones (1, 3, ...): fast to slow in each."""
    if not isinstance(d_model, int) or d_model < 2 or d_model % 2:
        raise ValueError(f"d_model: expected an even int >= 2, got {d_model!r}")
    return [*range(0, d_model, 2), *range(1, d_model, 2)]


def plot_positional_encoding(
    pe: ArrayLike, *, dims: Sequence[int] = (0, 1, 10, 20), axes: tuple[Axes, Axes] | None = None
) -> tuple[Axes, Axes]:
    """A (positions, D) sin/cos table: a few dimensions as curves, then all of them in frequency order."""
    table = _numpy(pe).astype(float)
    if table.ndim != 2 or table.shape[1] < 2 or table.shape[1] % 2:
        raise ValueError(f"pe: expected a 2-D (positions, even D) table, got shape {table.shape}")
    length, d_model = table.shape
    if any(not 0 <= d < d_model for d in dims):
        raise ValueError(f"dims: expected dimensions in 0..{d_model - 1}, got {list(dims)}")
    if axes is None:
        axes = tuple(plt.subplots(2, 1, figsize=(9, 7), layout="constrained", height_ratios=(1, 1.4))[1])
    curves, heat = axes
    fine = np.linspace(0, length - 1, 20 * length)  # between the whole positions, where no code exists
    for d in dims:
        period, wave = 2 * np.pi * 10000 ** (2 * (d // 2) / d_model), (np.sin, np.cos)[d % 2]
        line = curves.plot(fine, wave(2 * np.pi * fine / period), linewidth=0.8)[0]  # thin: the underlying wave
        label = f"dim {d}: {wave.__name__}, period {period:.1f}"
        curves.plot(np.arange(length), table[:, d], ".", color=line.get_color(), label=label)
    curves.set(xlabel="position", ylabel="code value", title="A few dimensions against position")
    curves.set(ylim=(-1.15, 1.65), yticks=[-1, -0.5, 0, 0.5, 1])  # room above the waves for the legend
    curves.legend(loc="upper center", ncol=len(dims), fontsize="x-small")
    order = frequency_order(d_model)
    names = [f"{'sin' if d % 2 == 0 else 'cos'} {d}" for d in order]
    plot_heatmap(
        table[:, order].T,
        ax=heat,
        cmap="RdBu",
        title="Every dimension: sin ones, then cos ones, each from fast to slow",
        xlabels=[str(p) if p % 5 == 0 else "" for p in range(length)],
        ylabels=[name if k % 4 == 0 else "" for k, name in enumerate(names)],
        xlabel="position",
        ylabel="dimension (sin, then cos)",
    )
    heat.collections[0].colorbar.set_label("code value")
    return curves, heat

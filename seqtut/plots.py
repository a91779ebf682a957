"""Figures the notebooks show. Each helper draws on a new or given Axes and returns it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
import torch
from matplotlib.axes import Axes

ArrayLike = Sequence[float] | np.ndarray | torch.Tensor


def _axes(ax: Axes | None, size: tuple[float, float] = (7, 3.5)) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=size, layout="constrained")[1]


def _numpy(values: ArrayLike) -> np.ndarray:
    return values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(values)


def plot_forecast(history: ArrayLike, actual: ArrayLike, forecasts: Mapping[str, ArrayLike], *,
                  start: int = 0, ax: Axes | None = None, title: str = "Forecast vs actual") -> Axes:
    """The input `history`, then `actual` future values and each named forecast after it."""
    ax = _axes(ax)
    history, actual = _numpy(history), _numpy(actual)
    future = np.arange(start + len(history), start + len(history) + len(actual))
    ax.plot(np.arange(start, start + len(history)), history, color="0.4", label="input window")
    ax.plot(future, actual, "o-", color="black", label="actual", markersize=4)
    for (name, values), marker in zip(forecasts.items(), "xs^dv*+"):
        ax.plot(future, _numpy(values), marker=marker, linestyle="--", label=name)
    ax.set(xlabel="time step", ylabel="value", title=title)
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_losses(train_loss: Sequence[float], val_loss: Sequence[float] = (), *, ax: Axes | None = None,
                title: str = "Training curve") -> Axes:
    """Training (and validation) loss per epoch on a log scale."""
    ax = _axes(ax)
    epochs = np.arange(1, len(train_loss) + 1)
    ax.plot(epochs, train_loss, label="train")
    if len(val_loss):
        ax.plot(epochs[: len(val_loss)], val_loss, label="validation")
    ax.set(xlabel="epoch", ylabel="loss", yscale="log", title=title)
    ax.legend()
    return ax


def plot_heatmap(matrix: ArrayLike, *, xlabels: Sequence[str] | None = None, ylabels: Sequence[str] | None = None,
                 ax: Axes | None = None, title: str = "", cmap: str = "viridis", annotate: bool = False) -> Axes:
    """A matrix (a mask or attention weights) as a heatmap, rows top to bottom."""
    values = _numpy(matrix).astype(float)
    if values.ndim != 2:
        raise ValueError(f"matrix: expected 2-D, got shape {values.shape}")
    ax = _axes(ax, (1 + 0.35 * values.shape[1], 1 + 0.3 * values.shape[0]))
    sns.heatmap(values, ax=ax, cmap=cmap, annot=annotate, fmt=".2g", cbar=not annotate, square=False,
                xticklabels=xlabels if xlabels is not None else "auto",
                yticklabels=ylabels if ylabels is not None else "auto")
    ax.set_title(title)
    return ax


def plot_errors_per_step(errors: Mapping[str, ArrayLike], *, ax: Axes | None = None,
                         title: str = "Held-out MAE per step", xlabel: str = "step") -> Axes:
    """Mean absolute error per output step for several models or baselines (log scale)."""
    ax = _axes(ax)
    for name, values in errors.items():
        values = _numpy(values)
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", markersize=3, label=name)
    ax.set(xlabel=xlabel, ylabel="MAE", yscale="log", title=title)
    ax.legend(fontsize="small")
    return ax

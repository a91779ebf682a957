"""Sliding windows, chronological splits and window datasets for the forecasting sections.

Shapes: N windows, L = `window` time steps, H = `horizon` (or L for sequence generation).
A model reads `x` of shape (N, L, 1) and is trained to output `y` of shape (N, H); both are
in scaled units, and a scaler (`seqtut.scalers`) turns predictions back into the series' own units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch.utils.data import Dataset

from seqtut.checks import non_negative_int, positive_int
from seqtut.scalers import Scaler, make_scaler
from seqtut.series import toy_series  # noqa: F401 (re-exported: notebooks meet a series with its windows)


def as_series(series: object, name: str = "series") -> torch.Tensor:
    """Return `series` as a finite 1-D float32 tensor, or raise naming `name`."""
    try:
        values = torch.as_tensor(np.asarray(series, dtype=np.float64)).float()
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name}: expected a 1-D sequence of numbers, got {type(series).__name__}") from error
    if values.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D series, got shape {tuple(values.shape)}")
    if not torch.isfinite(values).all():
        bad = int((~torch.isfinite(values)).nonzero()[0])
        raise ValueError(f"{name}: expected finite values, got {values[bad].item()} at index {bad}")
    return values


def sliding_windows(series: torch.Tensor, size: int) -> torch.Tensor:
    """All windows of `size` consecutive values, shape (len(series) - size + 1, size).

    `Tensor.unfold` returns a strided view: no Python loop, no copy.
    """
    series = as_series(series)
    positive_int(size, "size")
    if size > len(series):
        raise ValueError(f"size: expected at most len(series) = {len(series)}, got {size}")
    return series.unfold(0, size, 1)


def make_windows(
    series: torch.Tensor, window: int, horizon: int | None = None, shift: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut `series` into (inputs, targets) pairs.

    - `horizon=h`: targets are the h values after the window, shape (N, h).
    - `shift=s`: targets are the window moved s steps ahead, shape (N, window).
    Inputs have shape (N, window). Give exactly one of `horizon` and `shift`.
    """
    series = as_series(series)
    positive_int(window, "window")
    if (horizon is None) == (shift is None):
        raise ValueError(f"horizon/shift: give exactly one, got horizon={horizon!r}, shift={shift!r}")
    extra = positive_int(horizon, "horizon") if horizon is not None else positive_int(shift, "shift")
    if window + extra > len(series):
        raise ValueError(
            f"window: window + {'horizon' if horizon else 'shift'} = {window + extra} "
            f"is longer than the series ({len(series)} values)"
        )
    blocks = sliding_windows(series, window + extra)  # (N, window + extra)
    inputs = blocks[:, :window]
    targets = blocks[:, window:] if horizon is not None else blocks[:, extra:]
    return inputs.contiguous(), targets.contiguous()


def chronological_split(
    series: torch.Tensor, fractions: Sequence[float] = (0.8, 0.1, 0.1), context: int = 0
) -> list[torch.Tensor]:
    """Split `series` in time order into segments, e.g. train, validation, test.

    Each segment after the first also gets the `context` values before it, so its first
    window can read history while every target it holds lies after the previous segment's
    targets: use `context=window` for forecasting and `context=shift` for sequence generation.
    """
    series = as_series(series)
    if not fractions or any(f <= 0 for f in fractions) or not math.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions: expected positive numbers that sum to 1, got {tuple(fractions)}")
    non_negative_int(context, "context")
    bounds = [0] + [round(len(series) * f) for f in np.cumsum(fractions)]
    return [series[max(0, lo - context if i else lo) : hi] for i, (lo, hi) in enumerate(zip(bounds, bounds[1:]))]


class WindowDataset(Dataset):
    """Windows of a series with their targets, scaled for a model.

    Attributes: `windows` (N, L) and `targets` (N, H) in series units; `x` (N, L, 1) and
    `y` (N, H) in model units. Indexing with an int or a list of ints returns `(x, y)`, so a
    DataLoader with a batch sampler fetches a whole batch in one indexing operation.
    """

    def __init__(
        self,
        series: torch.Tensor,
        window: int,
        horizon: int | None = None,
        shift: int | None = None,
        scaler: Scaler | None = None,
    ) -> None:
        scaler = scaler if scaler is not None else Scaler()
        if not scaler.fitted:
            raise ValueError("scaler: expected a fitted scaler (fit it on the training windows), got an unfitted one")
        self.window, self.horizon, self.shift, self.scaler = window, horizon, shift, scaler
        self.windows, self.targets = make_windows(series, window, horizon=horizon, shift=shift)
        self.x = scaler.inputs(self.windows).unsqueeze(-1)  # (N, L, 1)
        self.y = scaler.targets(self.windows, self.targets)  # (N, H)

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, index: int | list[int] | torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x[index], self.y[index]


def window_splits(
    series: torch.Tensor,
    window: int,
    *,
    horizon: int | None = None,
    shift: int | None = None,
    scaler: str | Scaler = "raw",
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
    max_window: int | None = None,
) -> list[WindowDataset | MixedLengthWindows]:
    """Chronological train/validation/test window datasets; the scaler is fitted on training only.

    With `max_window`, the training set shows its windows at every length from `window` to
    `max_window` (`MixedLengthWindows`); validation and test windows keep `window` steps.
    """
    context = window if horizon is not None else (shift or 0)
    segments = chronological_split(series, fractions, context=context)
    scaler = make_scaler(scaler) if isinstance(scaler, str) else scaler
    train_windows, _ = make_windows(segments[0], window, horizon=horizon, shift=shift)
    scaler.fit(train_windows)
    splits = [WindowDataset(segment, window, horizon, shift, scaler) for segment in segments]
    if max_window is not None:
        splits[0] = MixedLengthWindows(WindowDataset(segments[0], max_window, horizon, shift, scaler), window)
    return splits


class MixedLengthWindows(Dataset):
    """Training windows shown at several lengths: each batch keeps the last k steps of its windows.

    Wraps a `WindowDataset` with `horizon` targets and windows of L steps. Every batch (a list of
    indices) gets one length k, with `min_length` <= k <= L, so a model learns that its answer
    must not depend on how much history it is given, and a window longer than `min_length` is no
    surprise at prediction time. k is drawn by a generator seeded with the batch's first index:
    it does not use or change the global random state and is the same in DataLoader workers.
    Each batch cuts the windows in series units, then scales them with the wrapped dataset's
    scaler, so a cut window is scaled as a window of k steps is, whatever the scaler (one anchored
    on the window's first value, "start-relative", included).

    Indexing with an int or a list of ints returns `(x, y)`: x (N, k, 1) (or (k, 1) for an
    int) and y (N, H) (or (H,)). `scaler` is the wrapped dataset's scaler.
    """

    def __init__(self, dataset: WindowDataset, min_length: int) -> None:
        if not isinstance(dataset, WindowDataset):
            raise TypeError(f"dataset: expected a WindowDataset, got {type(dataset).__name__}")
        if dataset.horizon is None:
            raise ValueError(
                "dataset: expected windows with `horizon` targets, got a `shift` dataset "
                "(its targets follow every step, so its windows cannot be cut)"
            )
        positive_int(min_length, "min_length")
        if min_length > dataset.window:
            raise ValueError(f"min_length: expected at most the window length {dataset.window}, got {min_length}")
        self.dataset, self.min_length, self.scaler = dataset, min_length, dataset.scaler

    def length_for(self, index: int | list[int] | torch.Tensor) -> int:
        """The number of steps k that the batch `index` keeps."""
        first = int(torch.as_tensor(index).reshape(-1)[0])
        generator = torch.Generator().manual_seed(first)
        return int(torch.randint(self.min_length, self.dataset.window + 1, (1,), generator=generator))

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int | list[int] | torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        windows, targets = self.dataset.windows[index], self.dataset.targets[index]  # (N, L), (N, H) or (L,), (H,)
        one = windows.ndim == 1
        cut = (windows.unsqueeze(0) if one else windows)[:, -self.length_for(index) :]  # (N, k)
        x = self.scaler.inputs(cut).unsqueeze(-1)  # (N, k, 1)
        y = self.scaler.targets(cut, targets.unsqueeze(0) if one else targets)  # (N, H)
        return (x[0], y[0]) if one else (x, y)

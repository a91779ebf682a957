"""Sliding windows, chronological splits, scalers and window datasets for the LSTM sections.

Shapes: N windows, L = `window` time steps, H = `horizon` (or L for sequence generation).
A model reads `x` of shape (N, L, 1) and is trained to output `y` of shape (N, H); both are
in scaled units, and a scaler turns predictions back into the series' own units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch.utils.data import Dataset

from seqtut.series import positive_int as _positive_int
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
    _positive_int(size, "size")
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
    _positive_int(window, "window")
    if (horizon is None) == (shift is None):
        raise ValueError(f"horizon/shift: give exactly one, got horizon={horizon!r}, shift={shift!r}")
    extra = _positive_int(horizon, "horizon") if horizon is not None else _positive_int(shift, "shift")
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
    if context < 0:
        raise ValueError(f"context: expected an int >= 0, got {context!r}")
    bounds = [0] + [round(len(series) * f) for f in np.cumsum(fractions)]
    return [series[max(0, lo - context if i else lo) : hi] for i, (lo, hi) in enumerate(zip(bounds, bounds[1:]))]


class Scaler:
    """Turns windows and targets into model units and predictions back into series units."""

    kind = "raw"

    def fit(self, windows: torch.Tensor) -> Scaler:
        """Learn the scaler's parameters from training windows (N, L); return self."""
        return self

    @property
    def fitted(self) -> bool:
        return True

    def inputs(self, windows: torch.Tensor) -> torch.Tensor:
        """Scale input windows (N, L) -> (N, L)."""
        return windows.clone()

    def targets(self, windows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Scale targets (N, H) that follow `windows` (N, L) -> (N, H)."""
        return targets.clone()

    def inverse(self, windows: torch.Tensor, scaled: torch.Tensor) -> torch.Tensor:
        """Undo `targets`: predictions (N, H) in model units -> series units."""
        return scaled.clone()

    def state(self) -> dict[str, float | str]:
        """Everything needed to rebuild this scaler (see `scaler_from_state`)."""
        return {"kind": self.kind}


class Standardizer(Scaler):
    """(value - mean) / std with one mean and std for the whole training series.

    It fails outside the training range: values above the training maximum map to inputs
    the model has never seen, and it must output numbers it was never trained to produce.
    """

    kind = "standard"

    def __init__(self, mean: float | None = None, std: float | None = None) -> None:
        self.mean, self.std = mean, std

    def fit(self, windows: torch.Tensor) -> Standardizer:
        self.mean, self.std = windows.mean().item(), max(windows.std().item(), 1e-8)
        return self

    @property
    def fitted(self) -> bool:
        return self.mean is not None

    def inputs(self, windows: torch.Tensor) -> torch.Tensor:
        return (windows - self.mean) / self.std

    def targets(self, windows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return (targets - self.mean) / self.std

    def inverse(self, windows: torch.Tensor, scaled: torch.Tensor) -> torch.Tensor:
        return scaled * self.std + self.mean

    def state(self) -> dict[str, float | str]:
        return {"kind": self.kind, "mean": self.mean, "std": self.std}


class RelativeScaler(Scaler):
    """Values relative to one value of the window (its `anchor`), divided by a fitted scale.

    With `anchor=-1` (kind "relative") everything is measured from the window's last value:
    right for forecasting what comes after the window. For one output per time step use
    `anchor=0` (kind "start-relative"): measured from the last value, input t would already
    tell the model where the window ends, a value it has not read yet at step t.
    With `log=True` it works on log values, so a relative value is a growth rate: right for
    series whose seasonal swings grow with their level (airline passengers). Every window
    looks the same wherever it sits on the series, so the model extrapolates.
    """

    def __init__(self, log: bool = False, scale: float | None = None, anchor: int = -1) -> None:
        if anchor not in (0, -1):
            raise ValueError(f"anchor: expected 0 (first value) or -1 (last value), got {anchor!r}")
        self.log, self.scale, self.anchor = log, scale, anchor
        self.kind = ("log-" if log else "") + ("start-relative" if anchor == 0 else "relative")

    def _prepare(self, values: torch.Tensor) -> torch.Tensor:
        if self.log and (values <= 0).any():
            raise ValueError("series: log-relative scaling needs positive values, got a value <= 0")
        return values.log() if self.log else values

    def _reference(self, windows: torch.Tensor) -> torch.Tensor:
        """The anchor value of each window, (N, 1), in prepared (log or raw) units."""
        index = self.anchor % windows.shape[1]
        return self._prepare(windows)[:, index : index + 1]

    def fit(self, windows: torch.Tensor) -> RelativeScaler:
        self.scale = max((self._prepare(windows) - self._reference(windows)).std().item(), 1e-8)
        return self

    @property
    def fitted(self) -> bool:
        return self.scale is not None

    def inputs(self, windows: torch.Tensor) -> torch.Tensor:
        return (self._prepare(windows) - self._reference(windows)) / self.scale

    def targets(self, windows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return (self._prepare(targets) - self._reference(windows)) / self.scale

    def inverse(self, windows: torch.Tensor, scaled: torch.Tensor) -> torch.Tensor:
        values = scaled * self.scale + self._reference(windows)
        return values.exp() if self.log else values

    def state(self) -> dict[str, float | str]:
        return {"kind": self.kind, "scale": self.scale}


SCALERS = ("raw", "standard", "relative", "log-relative", "start-relative", "log-start-relative")


def make_scaler(kind: str) -> Scaler:
    """A new, unfitted scaler by name: one of `SCALERS`."""
    if kind == "raw":
        return Scaler()
    if kind == "standard":
        return Standardizer()
    if kind in SCALERS:
        return RelativeScaler(log=kind.startswith("log-"), anchor=0 if "start" in kind else -1)
    raise ValueError(f"scaler: expected one of {SCALERS}, got {kind!r}")


def scaler_from_state(state: dict) -> Scaler:
    """Rebuild a fitted scaler from `Scaler.state()`."""
    scaler = make_scaler(str(state.get("kind")))
    for key, value in state.items():
        if key != "kind":
            setattr(scaler, key, value)
    return scaler


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
    The scalers here treat each value on its own, given the window's last value (which is
    kept), so cutting a scaled window equals scaling the cut window.

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
        _positive_int(min_length, "min_length")
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
        x, y = self.dataset[index]
        return x[..., -self.length_for(index) :, :], y

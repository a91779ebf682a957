"""Scalers: turn windows and targets into model units, and predictions back into series units.

Shapes: N windows, L time steps, H targets per window. A scaler is fitted on training windows
only; `state()` is everything a checkpoint needs to rebuild it (`scaler_from_state`).
"""

from __future__ import annotations

import math

import torch

from seqtut.checks import one_of


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

    def _require_fitted(self) -> None:
        if not self.fitted:
            raise ValueError(f"scaler: this {self.kind!r} scaler is not fitted; call fit(training_windows) first")


def fit_windows(windows: torch.Tensor) -> torch.Tensor:
    """Return `windows` if they can fit a scale: a finite 2-D float tensor (N, L) with at least 2 values."""
    if not isinstance(windows, torch.Tensor) or windows.ndim != 2 or not windows.is_floating_point():
        got = f"{windows.dtype} of shape {tuple(windows.shape)}" if isinstance(windows, torch.Tensor) else repr(windows)
        raise ValueError(f"windows: expected a float tensor (N, L), got {got}")
    if windows.numel() < 2:
        raise ValueError(f"windows: expected at least 2 values to fit a scale, got {windows.numel()}")
    if not torch.isfinite(windows).all():
        raise ValueError("windows: expected finite values, got NaN or infinity")
    return windows


class Standardizer(Scaler):
    """(value - mean) / std, with one mean and std fitted on the training windows' inputs.

    `fit` takes the input windows (N, L): each value counts once per window that holds it, and a
    value that is only ever a target (in no window) is not counted.

    Values above the training maximum map to inputs the model has never seen, and forecasting
    them needs outputs it was never trained to produce: in notebook 08's full-mode runs (5 seeds per
    network), no network trained this way forecast a month above that maximum.
    """

    kind = "standard"

    def __init__(self, mean: float | None = None, std: float | None = None) -> None:
        self.mean, self.std = mean, std

    def fit(self, windows: torch.Tensor) -> Standardizer:
        fit_windows(windows)
        self.mean, self.std = windows.mean().item(), max(windows.std().item(), 1e-8)
        return self

    @property
    def fitted(self) -> bool:
        return self.mean is not None

    def inputs(self, windows: torch.Tensor) -> torch.Tensor:
        self._require_fitted()
        return (windows - self.mean) / self.std

    def targets(self, windows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        self._require_fitted()
        return (targets - self.mean) / self.std

    def inverse(self, windows: torch.Tensor, scaled: torch.Tensor) -> torch.Tensor:
        self._require_fitted()
        return scaled * self.std + self.mean

    def state(self) -> dict[str, float | str]:
        return {"kind": self.kind, "mean": self.mean, "std": self.std}


class RelativeScaler(Scaler):
    """Values relative to one value of the window (its `anchor`), divided by a fitted scale.

    With `anchor=-1` (kind "relative") everything is measured from the window's last value:
    right for forecasting what comes after the window. For one output per time step use
    `anchor=0` (kind "start-relative"): measured from the last value, input t would already
    tell the model where the window ends, a value it has not read yet at step t.
    With `log=True` it works on log values, so a relative value is a log change (log of a ratio): right for
    series whose seasonal swings grow with their level (airline passengers). The window's level is
    removed, not its shape: a series above its training maximum need not be outside the training
    range in these units.
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
        fit_windows(windows)
        self.scale = max((self._prepare(windows) - self._reference(windows)).std().item(), 1e-8)
        return self

    @property
    def fitted(self) -> bool:
        return self.scale is not None

    def inputs(self, windows: torch.Tensor) -> torch.Tensor:
        self._require_fitted()
        return (self._prepare(windows) - self._reference(windows)) / self.scale

    def targets(self, windows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        self._require_fitted()
        return (self._prepare(targets) - self._reference(windows)) / self.scale

    def inverse(self, windows: torch.Tensor, scaled: torch.Tensor) -> torch.Tensor:
        self._require_fitted()
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
    one_of(kind, SCALERS, "scaler")
    return RelativeScaler(log=kind.startswith("log-"), anchor=0 if "start" in kind else -1)


def scaler_from_state(state: dict) -> Scaler:
    """Rebuild a fitted scaler from `Scaler.state()`; a state of the wrong shape is a ValueError naming `state`."""
    if not isinstance(state, dict):
        raise ValueError(f"state: expected a dict from Scaler.state(), got {type(state).__name__}")
    scaler = make_scaler(str(state.get("kind")))
    wanted = set(scaler.state()) - {"kind"}  # the parameters this kind keeps
    if set(state) - {"kind"} != wanted:
        raise ValueError(f"state: a {scaler.kind!r} scaler keeps {sorted(wanted)}, got {sorted(set(state) - {'kind'})}")
    for key in wanted:
        value = state[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"state: {key} must be a finite number, got {value!r}")
        if key in ("std", "scale") and value <= 0:
            raise ValueError(f"state: {key} must be positive, got {value!r}")
        setattr(scaler, key, value)
    return scaler

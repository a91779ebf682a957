"""Checkers for notebook 02's exercises: window-relative inputs, their inverse, the scale fitted on training windows."""

from __future__ import annotations

import math

import numpy as np
import torch

from seqtut.exercises.core import Case, checker
from seqtut.scalers import RelativeScaler


def _windows(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


WINDOWS = [
    ([[10.0, 11.0, 12.0, 13.0, 14.0]], 0.7, "one window of the line"),
    ([[0.0, 1.0, 2.0], [500.0, 501.0, 502.0], [1500.0, 1501.0, 1502.0]], 2.0, "the same shape at three levels"),
    ([[3.0, 1.0, 4.0, 1.0], [-2.0, 5.0, 0.0, 2.0]], 1.5, "two windows that are not lines"),
    ([[7.0, 7.0, 7.0, 7.0]], 0.5, "a constant window"),
    ([[42.0], [43.0]], 1.0, "windows of a single value"),
]


@checker
def relative_inputs_cases() -> list[Case]:
    """Windows (N, L) and a fitted `scale` -> model inputs (N, L, 1), measured from each window's last value."""
    hint = "each window is measured from its own last value (nothing outside the window), divided by the scale"
    cases = []
    for rows, scale, words in WINDOWS:
        windows = _windows(rows)
        cases.append(Case(words, (windows, scale), RelativeScaler(scale=scale).inputs(windows).unsqueeze(-1), hint))
    return cases


@checker
def relative_inverse_cases() -> list[Case]:
    """Windows (N, L), forecasts (N, H) in model units and `scale` -> forecasts (N, H) in series units."""
    hint = "undo the two steps in reverse order: times the scale, then add back each window's own last value"
    cases = []
    for (rows, scale, words), horizon in zip(WINDOWS, (1, 1, 3, 2, 1), strict=True):
        windows = _windows(rows)
        targets = windows[:, -1:] + torch.arange(1, horizon + 1, dtype=torch.float32) * (1 + scale)
        scaled = RelativeScaler(scale=scale).targets(windows, targets)  # round trip: back to `targets`
        cases.append(Case(f"{words}, {horizon} step(s) ahead", (windows, scaled, scale), targets, hint))
    return cases


def _same_scale(expected: float, got: object) -> str | None:
    """None when `got` is a positive number within 0.01 % of `expected` (the floor 1e-8 included)."""
    if isinstance(got, torch.Tensor) and got.numel() == 1 or isinstance(got, np.ndarray | np.generic) and got.size == 1:
        got = got.item()  # a 0-d tensor, a NumPy scalar such as np.float32, or a 1-element array
    if isinstance(got, bool) or not isinstance(got, int | float):
        return f"expected a number, got {type(got).__name__}"
    if not got > 0:
        return f"expected a positive scale, got {got}: a scale of 0 divides by zero"
    return None if math.isclose(got, expected, rel_tol=1e-4) else f"expected {expected:.6g}, got {got:.6g}"


@checker
def relative_scale_cases() -> list[Case]:
    """Training windows (N, L) -> the scale: the std of every value minus its window's last value, at least 1e-8."""
    hint = "measure each value from its own window's last value first; then one std over all of them (torch's default)"
    cases = []
    for rows, words in [
        ([[0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 4.0, 5.0, 6.0]], "three windows of a line"),
        ([[3.0, 1.0, 4.0], [1.0, 5.0, 9.0]], "two windows that are not lines"),
        ([[100.0, 90.0], [0.0, 30.0], [50.0, 50.0], [7.0, 1.0]], "four windows of two values"),
        ([[5.0, 5.0, 5.0], [8.0, 8.0, 8.0]], "constant windows: every relative value is 0"),
    ]:
        windows = _windows(rows)
        scale = RelativeScaler().fit(windows).scale
        cases.append(Case(words, (windows,), scale, hint, compare=_same_scale))
    return cases

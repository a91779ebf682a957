"""The series the tutorial trains on: the original's straight line and a noisy oscillation.

The airline passengers data, a real series, lives in `seqtut.airline`.
"""

from __future__ import annotations

import torch


def positive_int(value: object, name: str) -> int:
    """Return `value` if it is a positive int; otherwise raise a ValueError naming `name`."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value!r}")
    return value


def toy_series(length: int = 1000, start: int = 0) -> torch.Tensor:
    """The original tutorial's series start, start + 1, ..., start + length - 1, shape (length,)."""
    positive_int(length, "length")
    return torch.arange(start, start + length, dtype=torch.float32)


def _ar2_coefficients(phi1: float, phi2: float) -> None:
    """Raise unless x_t = phi1 x_{t-1} + phi2 x_{t-2} + noise is stationary (does not blow up)."""
    if not (abs(phi2) < 1 and phi1 + phi2 < 1 and phi2 - phi1 < 1):
        raise ValueError(
            f"phi1, phi2: expected a stationary AR(2) (|phi2| < 1, phi1 + phi2 < 1, phi2 - phi1 < 1), "
            f"got phi1={phi1!r}, phi2={phi2!r}"
        )


def ar2_series(
    length: int = 4000, *, phi1: float = 1.8, phi2: float = -0.95, noise: float = 1.0, seed: int = 0, burn_in: int = 500
) -> torch.Tensor:
    """A noisy oscillation, shape (length,): x_t = phi1 x_{t-1} + phi2 x_{t-2} + noise * e_t.

    An autoregressive process of order 2 (AR(2)) with e_t ~ N(0, 1) drawn from a generator
    seeded with `seed` (the global random state is left alone). With the defaults it is a
    damped swing, period about 16 steps, that random kicks keep going: the last two values
    say where the swing is heading, and each kick is news that no model can foresee. The
    first `burn_in` values are dropped, so the series starts in its steady regime.
    """
    positive_int(length, "length")
    _ar2_coefficients(phi1, phi2)
    if not noise > 0:
        raise ValueError(f"noise: expected a positive number, got {noise!r}")
    if not isinstance(burn_in, int) or burn_in < 0:
        raise ValueError(f"burn_in: expected an int >= 0, got {burn_in!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed: expected a non-negative int, got {seed!r}")
    kicks = (noise * torch.randn(burn_in + length, generator=torch.Generator().manual_seed(seed))).tolist()
    values = [0.0, 0.0]
    for kick in kicks:  # a recurrence: each value needs the two before it, so a loop (4500 steps: milliseconds)
        values.append(phi1 * values[-1] + phi2 * values[-2] + kick)
    return torch.tensor(values[2 + burn_in :], dtype=torch.float32)


def ar2_forecast(windows: torch.Tensor, steps: int, *, phi1: float = 1.8, phi2: float = -0.95) -> torch.Tensor:
    """The best forecast of an `ar2_series` after each window: its recurrence run without the kicks.

    windows (..., L) with L >= 2, in series units; only the last two values are used.
    Returns (..., steps): the expected next `steps` values given the window. No model can
    have a lower mean squared error on average, so it is the floor a learned forecast is
    measured against.
    """
    if not isinstance(windows, torch.Tensor) or windows.ndim < 1 or windows.shape[-1] < 2:
        shape = tuple(windows.shape) if isinstance(windows, torch.Tensor) else type(windows).__name__
        raise ValueError(f"windows: expected a tensor (..., L) with L >= 2, got {shape}")
    positive_int(steps, "steps")
    _ar2_coefficients(phi1, phi2)
    before, last = windows[..., -2], windows[..., -1]
    forecasts = []
    for _ in range(steps):
        before, last = last, phi1 * last + phi2 * before
        forecasts.append(last)
    return torch.stack(forecasts, dim=-1)

"""The series the tutorial trains on: the original's straight line and a noisy oscillation.

The airline passengers data, a real series, lives in `seqtut.sections.airline`; the
forecasts these series are measured against live in `seqtut.baselines`.
"""

from __future__ import annotations

import torch

from seqtut.checks import non_negative_int, positive_int


def toy_series(length: int = 1000, start: int = 0) -> torch.Tensor:
    """The original tutorial's series start, start + 1, ..., start + length - 1, shape (length,)."""
    positive_int(length, "length")
    if not isinstance(start, int) or isinstance(start, bool):
        raise ValueError(f"start: expected an int, got {start!r}")
    return torch.arange(start, start + length, dtype=torch.float32)


def ar2_coefficients(phi1: float, phi2: float) -> None:
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
    ar2_coefficients(phi1, phi2)
    if not noise > 0:
        raise ValueError(f"noise: expected a positive number, got {noise!r}")
    non_negative_int(burn_in, "burn_in")
    non_negative_int(seed, "seed")
    kicks = (noise * torch.randn(burn_in + length, generator=torch.Generator().manual_seed(seed))).tolist()
    values = [0.0, 0.0]
    for kick in kicks:  # a recurrence: each value needs the two before it, so a loop (4500 steps: milliseconds)
        values.append(phi1 * values[-1] + phi2 * values[-2] + kick)
    return torch.tensor(values[2 + burn_in :], dtype=torch.float32)

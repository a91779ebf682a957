"""Checkers for notebook 08 (airline passengers): seasonal naive, and a forecast that beats the drift.

`check.seasonal_naive(my_seasonal_naive)`: history (L,), horizon -> the next `horizon` values (horizon,),
each the value one season before; a history shorter than one season must raise a ValueError. A tensor,
a list or a NumPy array of the right values passes.
`check.airline_forecast(my_forecast)`: history of monthly totals (L,) -> the next 12 months (12,), run on
several held-out years; it passes when its MAE is below that of the seasonal random walk with drift on
values (`seasonal_random_walk_drift(history, 12)`) on every one of them. That bar is not the lower of
notebook 08's two drifts on these years: the drift on logs, the reference solution, errs less on each
(tests/test_airline.py computes both).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from seqtut.baselines import SEASON, seasonal_naive, seasonal_random_walk_drift
from seqtut.exercises.core import Case, checker, describe, same
from seqtut.sections.airline import load_airline

HELD_OUT_YEARS = (1957, 1959, 1960)
"""The years `airline_forecast` forecasts, each from the months before it. 1958 is left out on purpose:
growth nearly stopped that year (+3.4 %), and methods that extrapolate past growth overshoot it. The drift
on logs, which passes the other three years, errs 39.7 on it against the bar's 18.9, SARIMA 27.6 and
additive Holt-Winters 24.6; seasonal naive (12.6) and multiplicative Holt-Winters (15.6) beat the bar on
1958 but not on 1957. With 1958 in, none of these six methods would pass (tests/test_airline.py computes
all of this)."""

DRIFT_ON_VALUES = "the seasonal random walk with drift on values"
"""The bar of `airline_forecast`, as its messages name it."""


def _as_tensor(expected: Any, got: Any) -> str | None:
    """`same`, after turning a list, tuple or NumPy array into a tensor: the exercise asks for values, not a type."""
    if isinstance(got, list | tuple | np.ndarray):
        try:
            got = torch.as_tensor(np.asarray(got, dtype=np.float32))
        except (TypeError, ValueError) as error:
            return f"expected {len(expected)} numbers, got {describe(got)} ({error})"
    return same(expected, got)


def _month(start: int, count: int) -> torch.Tensor:
    """The float tensor start, start + 1, ..., start + count - 1: a history whose values name their month."""
    return torch.arange(start, start + count, dtype=torch.float32)


@checker
def seasonal_naive_cases() -> list[Case]:
    """Seasonal naive: every forecast is the value one season (12 months) before."""
    _, values = load_airline()
    short = "a history shorter than one season has no value one season back: raise a ValueError that says so"
    season_hint = "the value for step h ahead is the one `season` steps before it: history[-season:], repeated"
    cases = [
        Case("two years of months numbered 1..24, horizon 12", (_month(1, 24), 12), _month(13, 12), season_hint),
        Case(
            "horizon 5, shorter than a season: the first 5 months of the last season",
            (_month(1, 24), 5),
            _month(13, 5),
            "a horizon shorter than the season uses only the start of the last season",
        ),
        Case(
            "horizon 30, longer than two seasons: the last season repeated, cut after 30 values",
            (_month(1, 24), 30),
            seasonal_naive(_month(1, 24), 30),
            "repeat the last season as often as needed, then cut",
        ),
        Case(
            "quarterly data: season=4, horizon 6",
            (_month(1, 10), 6),
            torch.tensor([7.0, 8, 9, 10, 7, 8]),
            "use the `season` argument, not 12",
            {"season": 4},
        ),
        Case("a history exactly one season long", (_month(1, 12), 12), _month(1, 12), season_hint),
        Case(
            "airline passengers up to December 1959, forecasting 1960",
            (values[:132], 12),
            values[120:132],
            "1960's forecast is 1959, month by month",
        ),
        Case("a history of 7 months, season 12", (_month(1, 7), 12), None, short, raises=ValueError),
        Case("an empty history", (torch.zeros(0), 3), None, short, raises=ValueError),
    ]
    for case in cases:
        case.compare = None if case.raises else _as_tensor
    return cases


def _bar(history: torch.Tensor, actual: torch.Tensor) -> float:
    """The MAE on `actual` of the seasonal random walk with drift on values, fitted to `history`."""
    return (seasonal_random_walk_drift(history, SEASON) - actual).abs().mean().item()


def _beats_the_drift(year: int, history: torch.Tensor, actual: torch.Tensor) -> Callable[[Any, Any], str | None]:
    """A compare: the forecast is 12 finite numbers whose MAE on `year` is below the drift on values'."""
    bar = _bar(history, actual)

    def compare(expected: Any, got: Any) -> str | None:
        if isinstance(got, list | tuple | np.ndarray):
            got = torch.as_tensor(np.asarray(got, dtype=np.float32))
        if not isinstance(got, torch.Tensor):
            return f"expected a tensor of {SEASON} monthly forecasts, got {describe(got)}"
        if tuple(got.shape) != (SEASON,):
            return f"expected shape ({SEASON},): one forecast per month of {year}, got shape {tuple(got.shape)}"
        if not bool(torch.isfinite(got.float()).all()):
            return "expected 12 finite numbers, got NaN or infinity"
        mae = (got.float() - actual).abs().mean().item()
        if not mae < bar:
            return f"MAE {mae:.2f} on {year} is not below {bar:.2f}, the MAE of {DRIFT_ON_VALUES}"
        return None

    return compare


@checker
def airline_forecast_cases() -> list[Case]:
    """Forecast 12 months from the history alone; beat the drift on values' MAE on each held-out year."""
    _, values = load_airline()
    cases = []
    for year in HELD_OUT_YEARS:
        end = (year - 1949) * SEASON  # the first month of `year`
        history, actual = values[:end], values[end : end + SEASON]
        bar = _bar(history, actual)
        cases.append(
            Case(
                f"history 1949-01..{year - 1}-12 ({end} months), forecast {year}: MAE below the drift on values'",
                (history,),
                f"{SEASON} finite forecasts whose MAE on {year} is below {bar:.2f} ({DRIFT_ON_VALUES})",
                "the drift on values adds the same number of passengers every year, however busy the year;"
                " here growth rises with the level",
                compare=_beats_the_drift(year, history, actual),
            )
        )
    return cases

"""Checkers for notebook 08's exercises: growth over a season net of the window's drift, and back to passengers.

The notebook's log-relative scaler measures every month from the window's last value (notebook 02's
rule, on logs), and its drift on logs adds one b, the mean log change over a year, to seasonal naive.
These exercises build targets in which the drift on logs is the output 0, for any season length m:

- `check.year_over_year(my_year_over_year)`: windows (N, L), L > m, targets (N, H) in passengers and
  `season` m -> (N, H): log(month T + h) - log(month T + h - m) (a target when h > m), minus the window's
  own b, the mean of log(x_t) - log(x_{t-m}) over its L - m pairs. The package's `RelativeScaler` cannot
  express this (its reference is one value per window).
- `check.year_over_year_inverse(my_year_over_year_inverse)`: windows, growths (N, H) in those units and
  `season` -> forecasts (N, H) in passengers; from month T + m + 1 on, the month a season before is a
  forecast. Growth 0 gives the seasonal random walk with drift on logs fitted to the window
  (tests/test_exercises_airline.py checks it against `seasonal_random_walk_drift(..., log=True)`), -b
  seasonal naive.

Expected values are computed here pair by pair and month by month, by loops that share nothing with an
answer's style.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from seqtut.exercises.core import Case, checker
from seqtut.sections.airline import load_airline

NOTEBOOK = "08_airline_passengers"


def drift(windows: torch.Tensor, season: int) -> torch.Tensor:
    """Each window's b, (N, 1): the mean of log(x_t) - log(x_{t - season}) over the window's pairs."""
    rows = windows.double()
    pairs = [rows[:, t].log() - rows[:, t - season].log() for t in range(season, rows.shape[1])]
    return torch.stack(pairs, dim=1).mean(dim=1, keepdim=True)


def plain_change(windows: torch.Tensor, targets: torch.Tensor, season: int) -> torch.Tensor:
    """log(month T + h) - log(month T + h - season), b not taken off."""
    joined = torch.cat([windows, targets], dim=1).double()  # the window, then the targets, in time order
    length = windows.shape[1]
    columns = [joined[:, length + h].log() - joined[:, length + h - season].log() for h in range(targets.shape[1])]
    return torch.stack(columns, dim=1)


def year_over_year(windows: torch.Tensor, targets: torch.Tensor, season: int) -> torch.Tensor:
    """The right answer to exercise 1: the change over a season minus the window's b."""
    return (plain_change(windows, targets, season) - drift(windows, season)).float()


def compounded(last_season: torch.Tensor, growth: torch.Tensor, grow: Callable = torch.exp) -> torch.Tensor:
    """Month T + h = the month a season before it times grow(growth[:, h - 1]); `last_season` (N, m) starts it."""
    season = last_season.shape[1]
    months = list(last_season.double().unbind(dim=1))
    for j in range(growth.shape[1]):  # column j (from 0): month T + j + 1
        months.append(months[j] * grow(growth[:, j].double()))  # months[j] lies a season before the new month
    return torch.stack(months[season:], dim=1).float()


def year_over_year_inverse(windows: torch.Tensor, growth: torch.Tensor, season: int) -> torch.Tensor:
    """The right answer to exercise 2: b added back, then compounded within each month of the season."""
    return compounded(windows[:, -season:], growth.double() + drift(windows, season))


def _tiled(last_season: torch.Tensor, horizon: int) -> torch.Tensor:
    """The columns of `last_season` repeated and cut to `horizon`: seasonal naive's references."""
    return last_season[:, torch.arange(horizon) % last_season.shape[1]]


def _shape_is(*shapes: tuple[int, ...]) -> Callable[[Any], bool]:
    """A mistake test: the answer is a tensor of one of `shapes`."""
    return lambda got: isinstance(got, torch.Tensor) and tuple(got.shape) in shapes


def _positive(rows: int, length: int, generator: torch.Generator) -> torch.Tensor:
    """`rows` made-up series of `length` whole numbers from 100 to 599, not seasonal: any month can differ."""
    return torch.randint(100, 600, (rows, length), generator=generator).float()


def _doubling(years: int) -> torch.Tensor:
    """One series of `years` years of 12 months, 10, 20, ..., 120 in the first, each year twice the one before."""
    first = torch.arange(1.0, 13.0) * 10
    return torch.cat([first * 2**k for k in range(years)])[None]


# 1. Growth over a season, net of the window's drift ------------------------------------------------------------


@checker(
    hints=[
        "Two parts. The change: month T + h minus month T + h - season, on natural logs; that month lies in the "
        "window while h <= season and is an earlier target after that. Then b: the same change, but between "
        "months of the window only, averaged; take it off every column.",
        "Put the window and the targets end to end, (N, L + H), in time order: every month's reference then lies "
        "`season` columns to its left. b is one number per window, from the window's own L - season pairs.",
        "The pitfalls: a reference sliced from the window alone runs out after `season` targets; a b that "
        "averages over the targets too, or over the whole batch, or one step instead of a season. The key "
        "functions: torch.cat along dim 1, and .mean(dim=1, keepdim=True) so that b broadcasts over the H columns.",
    ]
)
def year_over_year_cases() -> list[Case]:
    """The change over a season minus the window's b: windows (N, L), targets (N, H), season -> (N, H)."""
    generator = torch.Generator().manual_seed(8)
    _, values = load_airline()
    hint = "month T + h minus month T + h - season on natural logs, minus b: the mean such change within the window"
    doubling = _doubling(4)  # every month twice the same month a year before: b = log 2
    cases = [
        (
            "one window of 24 months, each twice the same month a year before, and targets that go on doubling: "
            "0 in every column",
            doubling[:, :24],
            doubling[:, 24:],
            12,
        ),
        ("2 windows of 15 days, 20 targets, season 7 (a week)", *_split(generator, 15, 20, 2), 7),
        ("2 windows of 10 quarters, 3 targets, season 4", *_split(generator, 10, 3, 2), 4),
        ("one window of 13 months (one pair for b), 12 targets", *_split(generator, 13, 12), 12),
        (
            "3 windows of 9 quarters, 11 targets, season 4: from target 5 on, an earlier target",
            *_split(generator, 9, 11, 3),
            4,
        ),
        ("3 windows of 24 months, 30 targets", *_split(generator, 24, 30, 3), 12),
        ("airline passengers: 1957-1959 in, 1960's 12 months as targets", values[96:132][None], values[132:][None], 12),
        (
            "2 windows of 5 months, 3 targets, season 1: no seasons, each month from the one before",
            *_split(generator, 5, 3, 2),
            1,
        ),
    ]
    return [_year_over_year_case(words, windows, targets, season, hint) for words, windows, targets, season in cases]


def _split(generator: torch.Generator, length: int, horizon: int, rows: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Made-up windows (rows, length) and the targets after them (rows, horizon)."""
    series = _positive(rows, length + horizon, generator)
    return series[:, :length], series[:, length:]


def _year_over_year_case(words: str, windows: torch.Tensor, targets: torch.Tensor, season: int, hint: str) -> Case:
    length, horizon, rows = windows.shape[1], targets.shape[1], windows.shape[0]
    change = plain_change(windows, targets, season)
    b = drift(windows, season)
    exact = change - b
    expected = exact.where(exact.abs() > 1e-12, 0.0).float()  # a float64 residue of an exact 0 is shown as 0
    joined = torch.cat([windows, targets], dim=1).double()
    logs = joined.log()
    mistakes: dict[str, Any] = {
        "that is the change over a season; take off b, the window's own mean change over a season, so that 0 "
        "means the drift on logs": change,
        "take b off, not add it: an output 0 must mean the drift on logs, so a month that grew by b gives 0": change
        + b,
        "b comes from the window alone: at forecast time the targets are unknown, so exercise 2 could not add your "
        "b back": change - (logs[:, season:] - logs[:, :-season]).mean(dim=1, keepdim=True),
        "b is the mean change over a season (month t minus month t - season), not over one month": change
        - (logs[:, length - 1 : length] - logs[:, :1]) / (length - 1),
        "a month's reference is the window's value only for the first `season` targets; after them it is an "
        "earlier target (at training time the targets are known)": targets.log()
        - _tiled(windows[:, -season:], horizon).log()
        - b,
        "the same month a season before month T + 1 is the window's value `season` from its end (index L - season), "
        "not its first value": targets.log() - _tiled(windows[:, :season], horizon).log() - b,
        "one month off: month T + h's reference is `season` months before it, not season + 1": torch.stack(
            [logs[:, length + h] - logs[:, length + h - season - 1] for h in range(horizon)], dim=1
        )
        - b,
        "target minus reference, not the other way round: the change is positive when a month got busier": -expected,
        "log here is the natural log (torch.log, base e); yours is in base 10": expected / math.log(10),
        "keep one row per window: a tensor (N, H), even when N is 1": _shape_is((horizon,), (horizon, rows)),
    }
    if rows > 1:
        mistakes["one b per window (row), not one for the whole batch: each window is its own history"] = (
            change - b.mean()
        )
    if season != 12 and length > 12:
        mistakes["use `season`, not 12: this case's season is " + str(season)] = year_over_year(windows, targets, 12)
    return Case(words, (windows, targets, season), expected, hint, mistakes=mistakes)


# 2. Back to passengers ------------------------------------------------------------------------------------------


@checker(
    hints=[
        "Undo exercise 1 step by step, in reverse order: its last step was taking b off, its first taking "
        "natural logs. Which month does month T + h grow from?",
        "Add the window's b back to every growth, then multiply the month a season before by exp(that). From "
        "month T + season + 1 on, the month a season before is a forecast you have already made.",
        "Go month by month (a loop over the H months is fine), keeping the months in a list that starts with the "
        "window's last `season` months: the month a season before the new one is always `season` entries back. "
        "The pitfalls: forgetting b (growth 0 must give the drift, not seasonal naive), and 1 + g instead of "
        "torch.exp(g). Stack the new months along dim 1 at the end.",
    ]
)
def year_over_year_inverse_cases() -> list[Case]:
    """Back to passengers: windows (N, L), growths (N, H) in exercise 1's units, season -> forecasts (N, H)."""
    generator = torch.Generator().manual_seed(9)
    _, values = load_airline()
    hint = (
        "try growth 0 first: it must give the drift on logs fitted to the window, and growth -b seasonal naive; "
        "`check.year_over_year_inverse.hint()` gives a hint each call"
    )
    doubling = _doubling(2)
    history = values[:108]  # 1949-1957, split B's history
    random_windows = _positive(2, 24, generator)
    cases = [
        (  # first: b added for the first season only and the window's months tiled differ here, not with growth 0
            "2 windows of 15 days, growths for 20 days, season 7",
            _positive(2, 15, generator),
            _growth(2, 20, generator),
            7,
        ),
        (
            "one window of 24 months, each twice the same month a year before; growth 0 for 24 months: 4 and 8 "
            "times the first year",
            doubling,
            torch.zeros(1, 24),
            12,
        ),
        (
            "2 windows of 10 quarters, growths for 5 quarters, season 4",
            _positive(2, 10, generator),
            _growth(2, 5, generator),
            4,
        ),
        ("a window of 13 months, growths for 30 months", _positive(1, 13, generator), _growth(1, 30, generator), 12),
        ("2 windows of 24 months, growths for 36 months (as long as split B's test)", *_pair(generator, 24, 36), 12),
        (
            "growth -b, each window's own, for 30 months: seasonal naive",
            random_windows,
            (-drift(random_windows, 12)).float().expand(2, 30).clone(),
            12,
        ),
        ("1949-1957 as one window, growth 0 for 36 months: the drift on logs", history[None], torch.zeros(1, 36), 12),
        (
            "2 windows of 5 months, growths for 3 months, season 1",
            _positive(2, 5, generator),
            _growth(2, 3, generator),
            1,
        ),
    ]
    return [_inverse_case(words, windows, growth, season, hint) for words, windows, growth, season in cases]


def _growth(rows: int, horizon: int, generator: torch.Generator) -> torch.Tensor:
    """Made-up growths (rows, horizon) from -0.2 to 0.4 in steps of 0.01: large enough that exp(g) is not 1 + g."""
    return torch.randint(-20, 41, (rows, horizon), generator=generator) / 100


def _pair(generator: torch.Generator, length: int, horizon: int) -> tuple[torch.Tensor, torch.Tensor]:
    return _positive(2, length, generator), _growth(2, horizon, generator)


def _inverse_case(words: str, windows: torch.Tensor, growth: torch.Tensor, season: int, hint: str) -> Case:
    rows, horizon = growth.shape
    length = windows.shape[1]
    last_season = windows[:, -season:]
    b = drift(windows, season)
    full = growth.double() + b
    seasons_ahead = torch.arange(horizon) // season  # FPP3's k: month T + h lies k + 1 seasons ahead
    expected = compounded(last_season, full)
    mistakes: dict[str, Any] = {
        "add the window's b back first: in exercise 1's units growth 0 is the drift on logs, not seasonal naive": (
            compounded(last_season, growth)
        ),
        "b is added back, not taken off: exercise 1 took it off": compounded(last_season, growth.double() - b),
        "b is added every season ahead: month T + h grows from month T + h - season by its growth + b, whichever "
        "season (from month T + season + 1 on, from your own forecast)": compounded(
            last_season, growth.double() + b * (torch.arange(horizon) < season)
        ),
        "from month T + season + 1 on, the month a season before is your own forecast, not the window's: it "
        "already holds a season's growth": _tiled(last_season, horizon) * full.exp(),
        "growth compounds too, not only b: month T + h grows from your forecast of month T + h - season, which "
        "already holds that month's earlier growths": (
            _tiled(last_season, horizon).double().log() + growth.double() + (seasons_ahead + 1) * b
        ).exp(),
        "that measures from the window's last value, as the notebook's scaler does; here each month grows from "
        "the month a season before": windows[:, -1:] * full.exp(),
        "a month's growth carries over only to the same month of later seasons, not to the next month": _tiled(
            last_season, horizon
        )
        * full.cumsum(dim=1).exp(),
        "the growths are in log units: a growth g multiplies by exp(g), not by 1 + g": compounded(
            last_season, full, grow=lambda g: 1 + g
        ),
        "the same month a season before month T + 1 is the window's value `season` from its end (index L - season), "
        "not its first value": compounded(windows[:, :season], full),
        "one month off: month T + 1's reference is the window's value `season` from its end, not season + 1": (
            compounded(windows[:, -season - 1 : -1], full)
        ),
        "keep one row per window: a tensor (N, H), even when N is 1": _shape_is((horizon,), (horizon, rows)),
    }
    if rows > 1:
        mistakes["one b per window (row), not one for the whole batch: each window is its own history"] = compounded(
            last_season, growth.double() + b.mean()
        )
    if season != 12 and length > 12:
        mistakes["use `season`, not 12: this case's season is " + str(season)] = year_over_year_inverse(
            windows, growth, 12
        )
    return Case(words, (windows, growth, season), expected, hint, mistakes=mistakes)

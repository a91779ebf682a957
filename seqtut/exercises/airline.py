"""Checkers for notebook 08's exercises: growth over the same month a year before, and back to passengers.

The notebook's log-relative scaler measures every month from the window's last value (notebook 02's
rule, on logs). These exercises measure each month from the same month a year before instead, a
reference the package's `RelativeScaler` cannot express (its reference is one value per window):

- `check.year_over_year(my_year_over_year)`: windows (N, L), L >= 12, and targets (N, H) in passengers
  -> (N, H), each target's natural log minus that of the same month a year before (in the window for the
  first 12 months, an earlier target after them). A network that outputs 0 in these units forecasts
  seasonal naive.
- `check.year_over_year_inverse(my_year_over_year_inverse)`: windows (N, L) and growths (N, H) in those
  units -> forecasts (N, H) in passengers; from month 13 on, the month a year before is a forecast. A
  constant growth, the window's mean yearly log change, gives the seasonal random walk with drift on
  logs (tests/test_exercises_airline.py checks it against `seasonal_random_walk_drift(..., log=True)`).

Expected values are computed here month by month, by loops that share nothing with an answer's style.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from seqtut.baselines import SEASON
from seqtut.exercises.core import Case, checker
from seqtut.sections.airline import load_airline

NOTEBOOK = "08_airline_passengers"


def year_over_year(windows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The right answer to exercise 1, month by month: log(target) - log(the same month a year before)."""
    joined = torch.cat([windows, targets], dim=1).double()  # the window, then the targets, in time order
    length = windows.shape[1]
    columns = [joined[:, length + h].log() - joined[:, length + h - SEASON].log() for h in range(targets.shape[1])]
    return torch.stack(columns, dim=1).float()


def compounded(last_year: torch.Tensor, growth: torch.Tensor, grow: Callable = torch.exp) -> torch.Tensor:
    """Month T + h = the month 12 before it times grow(growth[:, h - 1]); `last_year` (N, 12): the first references."""
    months = list(last_year.double().unbind(dim=1))
    for j in range(growth.shape[1]):  # column j (from 0): month T + j + 1
        months.append(months[j] * grow(growth[:, j].double()))  # months[j] lies 12 before the new month
    return torch.stack(months[SEASON:], dim=1).float()


def _tiled(last_year: torch.Tensor, horizon: int) -> torch.Tensor:
    """The 12 columns of `last_year` repeated and cut to `horizon`: seasonal naive's references."""
    return last_year[:, torch.arange(horizon) % SEASON]


def _shape_is(*shapes: tuple[int, ...]) -> Callable[[Any], bool]:
    """A mistake test: the answer is a tensor of one of `shapes`."""
    return lambda got: isinstance(got, torch.Tensor) and tuple(got.shape) in shapes


def _positive(rows: int, length: int, generator: torch.Generator) -> torch.Tensor:
    """`rows` made-up monthly series of `length` whole numbers from 100 to 599, not seasonal: any month can differ."""
    return torch.randint(100, 600, (rows, length), generator=generator).float()


# 1. Growth over the same month a year before --------------------------------------------------------------------


@checker(
    hints=[
        "Number the target months T + 1, ..., T + H, the window's last month being T. The same month a year "
        "before month T + h is month T + h - 12: in the window while h <= 12, an earlier target after that.",
        "Put the window and the targets end to end, (N, L + H), in time order: every target's month a year "
        "before then lies 12 columns to its left. Work on logs.",
        "The pitfall: a reference sliced from the window alone runs out after 12 targets, so a case with H = 30 "
        "fails or repeats last year. The key function is torch.cat along the time axis (dim 1).",
    ]
)
def year_over_year_cases() -> list[Case]:
    """Each target's log minus the log of the same month a year before: windows (N, L), targets (N, H) -> (N, H)."""
    generator = torch.Generator().manual_seed(8)
    _, values = load_airline()
    hint = "month T + h is measured from month T + h - 12: the window's value 12 months before it, or an earlier target"
    months = torch.arange(1.0, 25.0).unsqueeze(0) * 10  # 10, 20, ..., 240: two years, January to December
    cases = [
        # three times, not twice: log2(2) = 2 / 1 - 1 would make a base-2 log and the relative change look alike
        ("one window of 24 months, every target 3 times the same month a year before", months, months[:, 12:] * 3),
        ("2 windows of 24 months, 5 targets", _positive(2, 24, generator), _positive(2, 5, generator)),
        ("a window of 13 months: its first month is not a year before any target", *_split(generator, 13, 12)),
        ("3 windows of 24 months, 30 targets: from month 13 on, an earlier target", *_split(generator, 24, 30, 3)),
        ("airline passengers: 1958-1959 in, 1960's 12 months as targets", values[108:132][None], values[132:][None]),
        ("one window of 12 months, one target", *_split(generator, 12, 1)),
    ]
    return [_year_over_year_case(words, windows, targets, hint) for words, windows, targets in cases]


def _split(generator: torch.Generator, length: int, horizon: int, rows: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Made-up windows (rows, length) and the targets after them (rows, horizon)."""
    series = _positive(rows, length + horizon, generator)
    return series[:, :length], series[:, length:]


def _year_over_year_case(words: str, windows: torch.Tensor, targets: torch.Tensor, hint: str) -> Case:
    length, horizon, rows = windows.shape[1], targets.shape[1], windows.shape[0]
    expected = year_over_year(windows, targets)
    joined = torch.cat([windows, targets], dim=1)
    right_reference = torch.stack([joined[:, length + h - SEASON] for h in range(horizon)], dim=1)
    first_year = windows[:, :SEASON]
    mistakes: dict[str, Any] = {
        "that measures every month from the window's last value, as the notebook's scaler does; here each month "
        "is measured from the same month a year before": targets.log() - windows[:, -1:].log(),
        "the same month a year before month T + 1 is the window's value 12 from its end (index L - 12), "
        "not its first value": targets.log() - _tiled(first_year, horizon).log(),
        "the month a year before is the window's value only for the first 12 months; after them it is an earlier "
        "target (at training time the targets are known)": targets.log() - _tiled(windows[:, -SEASON:], horizon).log(),
        "one month off: month T + h's reference is 12 months before it, not 13": targets.log()
        - torch.stack([joined[:, length + h - SEASON - 1] for h in range(horizon)], dim=1).log(),
        "the growth is in log units: log(target) - log(reference), 0 for no growth; yours is a ratio": targets
        / right_reference,
        "the growth is in log units: log(target) - log(reference); yours is a difference in passengers": targets
        - right_reference,
        "the growth is in log units: log(target) - log(reference); yours is the relative change, target / "
        "reference - 1": targets / right_reference - 1,
        "target minus reference, not the other way round: growth is positive when the month got busier": -expected,
        "log here is the natural log (torch.log, base e); yours is in base 10": expected / math.log(10),
        "log here is the natural log (torch.log, base e); yours is in base 2": expected / math.log(2),
        "keep one row per window: a tensor (N, H), even when N is 1": _shape_is((horizon,), (horizon, rows)),
    }
    return Case(words, (windows, targets), expected, hint, mistakes=mistakes)


# 2. Back to passengers ------------------------------------------------------------------------------------------


@checker(
    hints=[
        "For the first 12 months this undoes exercise 1: the same month a year before, in the window, times "
        "exp(growth). From month 13 on, the month a year before is a forecast you have already made.",
        "Go month by month (a loop over the H months is fine), keeping the months in a list: start it with the "
        "window's last 12 months; the month a year before the new one is always 12 entries back.",
        "The pitfall: after month 12, reading the month a year before from the window (it then lacks a year's "
        "growth) instead of from your own forecasts. The key functions: torch.exp (a log growth g multiplies by "
        "exp(g), not 1 + g) and torch.stack along dim 1 at the end.",
    ]
)
def year_over_year_inverse_cases() -> list[Case]:
    """Back to passengers: windows (N, L) and growths (N, H) over the same month a year before -> forecasts (N, H)."""
    generator = torch.Generator().manual_seed(9)
    _, values = load_airline()
    hint = "month T + h is the same month a year before times exp(its growth); from month 13 on, that month is yours"
    months = torch.arange(1.0, 25.0).unsqueeze(0) * 10  # 10, 20, ..., 240: two years, January to December
    history = values[:108]  # 1949-1957, split B's history
    b = (history[SEASON:].log() - history[:-SEASON].log()).mean()  # the mean yearly log change
    cases = [
        (
            "one window of 24 months, growth log 2 in every month: each month twice the same month a year before",
            months,
            torch.full((1, 12), math.log(2)),
        ),
        ("2 windows of 24 months, growths for 5 months", _positive(2, 24, generator), _growth(2, 5, generator)),
        ("a window of 13 months, growths for 12 months", _positive(1, 13, generator), _growth(1, 12, generator)),
        ("2 windows of 24 months, growths for 36 months (as long as split B's test)", *_pair(generator, 24, 36)),
        ("a window of 13 months, growths for 30 months", _positive(1, 13, generator), _growth(1, 30, generator)),
        ("growth 0 for 30 months: seasonal naive", _positive(2, 24, generator), torch.zeros(2, 30)),
        (
            "1949-1957 as one window, 36 months of one growth b, its mean yearly log change: the drift on logs",
            history[None],
            torch.full((1, 36), b.item()),
        ),
    ]
    return [_inverse_case(words, windows, growth, hint) for words, windows, growth in cases]


def _growth(rows: int, horizon: int, generator: torch.Generator) -> torch.Tensor:
    """Made-up growths (rows, horizon) from -0.2 to 0.4 in steps of 0.01: large enough that exp(g) is not 1 + g."""
    return torch.randint(-20, 41, (rows, horizon), generator=generator) / 100


def _pair(generator: torch.Generator, length: int, horizon: int) -> tuple[torch.Tensor, torch.Tensor]:
    return _positive(2, length, generator), _growth(2, horizon, generator)


def _inverse_case(words: str, windows: torch.Tensor, growth: torch.Tensor, hint: str) -> Case:
    rows, horizon = growth.shape
    last_year = windows[:, -SEASON:]
    expected = compounded(last_year, growth)
    month_before = windows[:, -SEASON - 1 : -1]  # one month early
    mistakes: dict[str, Any] = {
        "from month 13 on, the month a year before is your own forecast, not the window's: it already holds a "
        "year's growth": _tiled(last_year, horizon) * growth.exp(),
        "that measures from the window's last value, as the notebook's scaler does; here each month grows from "
        "the same month a year before": windows[:, -1:] * growth.exp(),
        "that adds up every month's growth from the window's last value; a month's growth carries over only to the "
        "same month of later years": windows[:, -1:] * growth.cumsum(dim=1).exp(),
        "a month's growth carries over only to the same month of later years, not to the next month": _tiled(
            last_year, horizon
        )
        * growth.cumsum(dim=1).exp(),
        "the growths are in log units: a growth g multiplies by exp(g), not by 1 + g": compounded(
            last_year, growth, grow=lambda g: 1 + g
        ),
        "the growths are natural logs: a growth g multiplies by exp(g), not by 10 ** g": compounded(
            last_year, growth, grow=lambda g: 10**g
        ),
        "the growths are natural logs: a growth g multiplies by exp(g), not by 2 ** g": compounded(
            last_year, growth, grow=lambda g: 2**g
        ),
        "the same month a year before month T + 1 is the window's value 12 from its end (index L - 12), not its "
        "first value": compounded(windows[:, :SEASON], growth),
        "one month off: month T + 1's reference is the window's value 12 from its end, not 13": compounded(
            month_before, growth
        ),
        "keep one row per window: a tensor (N, H), even when N is 1": _shape_is((horizon,), (horizon, rows)),
    }
    return Case(words, (windows, growth), expected, hint, mistakes=mistakes)

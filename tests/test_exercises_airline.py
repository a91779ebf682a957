"""Notebook 08's checkers: wrong answers they must reject, the hint each usual mistake gets, and the claims
its exercise text and solutions make (growth 0 gives the drift on logs; growth -b, seasonal naive)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch
from exercise_cases import checked_cases

from seqtut.baselines import seasonal_naive, seasonal_random_walk_drift
from seqtut.exercises import airline, check
from seqtut.exercises.airline import compounded, drift, plain_change, year_over_year, year_over_year_inverse
from seqtut.scalers import RelativeScaler
from seqtut.sections.airline import load_airline

ROOT = Path(__file__).resolve().parent.parent


def _solutions():
    spec = importlib.util.spec_from_file_location("_solutions_08", ROOT / "solutions" / "08_airline_passengers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hint(result) -> str:
    """The hint line of a failing report."""
    assert not result.passed, result.message
    return next(line for line in result.message.splitlines() if line.startswith("  hint:     "))


def _change(windows, targets, season):
    """The change over a season, written as a learner might (b not taken off)."""
    logs = torch.cat([windows, targets], dim=1).log()
    return (logs[:, season:] - logs[:, :-season])[:, -targets.shape[1] :]


def _window_b(windows, season):
    logs = windows.log()
    return (logs[:, season:] - logs[:, :-season]).mean(dim=1, keepdim=True)


# 1. year_over_year: wrong answers ------------------------------------------------------------------------------


def yoy_without_b(windows, targets, season):
    """The change over a season, right, but b not taken off: 0 would mean seasonal naive."""
    return _change(windows, targets, season)


def yoy_b_added(windows, targets, season):
    """b added instead of taken off."""
    return _change(windows, targets, season) + _window_b(windows, season)


def yoy_b_from_the_targets_too(windows, targets, season):
    """b averaged over every pair of window and targets: it peeks at the targets."""
    logs = torch.cat([windows, targets], dim=1).log()
    pairs = logs[:, season:] - logs[:, :-season]
    return pairs[:, -targets.shape[1] :] - pairs.mean(dim=1, keepdim=True)


def yoy_b_of_the_batch(windows, targets, season):
    """One b for the whole batch."""
    return _change(windows, targets, season) - _window_b(windows, season).mean()


def yoy_one_step_b(windows, targets, season):
    """b as the mean change over one month, (last - first) / (L - 1), on logs."""
    logs = windows.log()
    return _change(windows, targets, season) - (logs[:, -1:] - logs[:, :1]) / (windows.shape[1] - 1)


def yoy_season_12(windows, targets, season):
    """The season hard-coded to 12, the notebook's."""
    return year_over_year(windows, targets, 12)


def yoy_from_the_window_only(windows, targets, season):
    """The window's last season repeated: right for `season` targets or fewer, wrong after them."""
    reference = seasonal_naive(windows, targets.shape[1], season)
    return targets.log() - reference.log() - _window_b(windows, season)


def yoy_first_months(windows, targets, season):
    """The window's first months as the season before."""
    reference = windows[:, :season][:, torch.arange(targets.shape[1]) % season]
    return targets.log() - reference.log() - _window_b(windows, season)


def yoy_one_month_off(windows, targets, season):
    """Measured from season + 1 months before."""
    logs, length = torch.cat([windows, targets], dim=1).log(), windows.shape[1]
    return logs[:, length:] - logs[:, length - season - 1 : logs.shape[1] - season - 1] - _window_b(windows, season)


def yoy_reversed(windows, targets, season):
    """Reference minus target, b's sign following."""
    return -year_over_year(windows, targets, season)


def yoy_log10(windows, targets, season):
    """Right months, but base-10 logs."""
    return year_over_year(windows, targets, season) / np.log(10)


def yoy_package_scaler(windows, targets, season):
    """The package's own RelativeScaler, log and scale 1: every month from the window's last value."""
    return RelativeScaler(log=True, scale=1.0).targets(windows, targets)


def yoy_one_row(windows, targets, season):
    """The right values for the first window only, without the batch dimension."""
    return year_over_year(windows, targets, season)[0]


# 2. year_over_year_inverse: wrong answers ----------------------------------------------------------------------


def inverse_without_b(windows, growth, season):
    """Compounded right, but b never added back: growth 0 would give seasonal naive."""
    return compounded(windows[:, -season:], growth)


def inverse_b_taken_off(windows, growth, season):
    """b taken off instead of added back."""
    return compounded(windows[:, -season:], growth - _window_b(windows, season))


def inverse_b_of_the_batch(windows, growth, season):
    """One b for the whole batch."""
    return compounded(windows[:, -season:], growth + _window_b(windows, season).mean())


def inverse_season_12(windows, growth, season):
    """The season hard-coded to 12."""
    return year_over_year_inverse(windows, growth, 12)


def inverse_not_compounded(windows, growth, season):
    """Every month from the window's same month: right for `season` months or fewer, wrong after them."""
    return seasonal_naive(windows, growth.shape[1], season) * (growth + _window_b(windows, season)).exp()


def inverse_growth_not_compounded(windows, growth, season):
    """b added k + 1 times, but each growth applied alone to the window's same month (a reader's answer)."""
    seasons_ahead = torch.arange(growth.shape[1]) // season  # k = floor((h - 1) / m)
    reference = seasonal_naive(windows, growth.shape[1], season)
    return (reference.log() + growth + (seasons_ahead + 1) * _window_b(windows, season)).exp()


def inverse_b_first_season_only(windows, growth, season):
    """Compounded on its own forecasts, but b added for the first season only (a reader's answer)."""
    b = _window_b(windows, season)
    logs = list(windows[:, -season:].log().unbind(dim=1))
    for j in range(growth.shape[1]):
        logs.append(logs[j] + growth[:, j] + (b[:, 0] if j < season else 0))
    return torch.stack(logs[season:], dim=1).exp()


def inverse_package_scaler(windows, growth, season):
    """The package's own RelativeScaler's inverse, log and scale 1, b added: from the window's last value."""
    return RelativeScaler(log=True, scale=1.0).inverse(windows, growth + _window_b(windows, season))


def inverse_summed_across_months(windows, growth, season):
    """Growth summed across all months, not only within a month of the season."""
    full = growth + _window_b(windows, season)
    return seasonal_naive(windows, growth.shape[1], season) * full.cumsum(dim=1).exp()


def inverse_one_plus_growth(windows, growth, season):
    """Compounded right, but multiplied by 1 + g instead of exp(g)."""
    return compounded(windows[:, -season:], growth + _window_b(windows, season), grow=lambda g: 1 + g)


def inverse_first_months(windows, growth, season):
    """Compounded from the window's first season."""
    return compounded(windows[:, :season], growth + _window_b(windows, season))


def inverse_one_month_off(windows, growth, season):
    """Compounded from the season before the window's last month."""
    return compounded(windows[:, -season - 1 : -1], growth + _window_b(windows, season))


def inverse_one_row(windows, growth, season):
    """The right values for the first window only, without the batch dimension."""
    return year_over_year_inverse(windows, growth, season)[0]


MUTANTS = {
    "year_over_year": [
        yoy_without_b,
        yoy_b_added,
        yoy_b_from_the_targets_too,
        yoy_b_of_the_batch,
        yoy_one_step_b,
        yoy_season_12,
        yoy_from_the_window_only,
        yoy_first_months,
        yoy_one_month_off,
        yoy_reversed,
        yoy_log10,
        yoy_package_scaler,
        yoy_one_row,
    ],
    "year_over_year_inverse": [
        inverse_without_b,
        inverse_b_taken_off,
        inverse_b_of_the_batch,
        inverse_season_12,
        inverse_not_compounded,
        inverse_growth_not_compounded,
        inverse_b_first_season_only,
        inverse_package_scaler,
        inverse_summed_across_months,
        inverse_one_plus_growth,
        inverse_first_months,
        inverse_one_month_off,
        inverse_one_row,
    ],
}


@pytest.mark.parametrize(
    ("mutant", "hint"),
    [
        (yoy_without_b, "that is the change over a season; take off b"),
        (yoy_b_added, "take b off, not add it"),
        (yoy_b_from_the_targets_too, "b comes from the window alone"),
        (yoy_b_of_the_batch, "one b per window (row), not one for the whole batch"),
        (yoy_one_step_b, "b is the mean change over a season (month t minus month t - season), not over one month"),
        (yoy_season_12, "use `season`, not 12: this case's season is 7"),
        (yoy_from_the_window_only, "a month's reference is the window's value only for the first `season` targets"),
        (yoy_first_months, "is the window's value `season` from its end (index L - season), not its first value"),
        (yoy_one_month_off, "one month off: month T + h's reference is `season` months before it, not season + 1"),
        (yoy_reversed, "target minus reference, not the other way round"),
        (yoy_log10, "log here is the natural log (torch.log, base e); yours is in base 10"),
        (yoy_one_row, "keep one row per window: a tensor (N, H), even when N is 1"),
    ],
)
def test_each_usual_mistake_in_year_over_year_gets_its_own_hint(mutant, hint):
    assert hint in _hint(check.year_over_year.run(mutant))


@pytest.mark.parametrize(
    ("mutant", "hint"),
    [
        (inverse_without_b, "add the window's b back first"),
        (inverse_b_taken_off, "b is added back, not taken off"),
        (inverse_b_of_the_batch, "one b per window (row), not one for the whole batch"),
        (inverse_season_12, "use `season`, not 12: this case's season is 7"),
        (inverse_not_compounded, "the month a season before is your own forecast, not the window's"),
        (inverse_growth_not_compounded, "growth compounds too, not only b: month T + h grows from your forecast"),
        (inverse_b_first_season_only, "b is added every season ahead: month T + h grows from month T + h - season"),
        (inverse_package_scaler, "that measures from the window's last value, as the notebook's scaler does"),
        (inverse_summed_across_months, "a month's growth carries over only to the same month of later seasons"),
        (inverse_one_plus_growth, "a growth g multiplies by exp(g), not by 1 + g"),
        (inverse_first_months, "is the window's value `season` from its end (index L - season), not its first value"),
        (inverse_one_month_off, "one month off: month T + 1's reference is the window's value `season` from its end"),
        (inverse_one_row, "keep one row per window: a tensor (N, H), even when N is 1"),
    ],
)
def test_each_usual_mistake_in_the_inverse_gets_its_own_hint(mutant, hint):
    assert hint in _hint(check.year_over_year_inverse.run(mutant))


def test_growth_not_compounded_passes_the_generic_hints_own_test_but_is_named():
    """The mistake the generic hint cannot find: growth 0 gives the drift on logs, yet h > season is wrong."""
    windows = torch.randint(100, 600, (2, 24), generator=torch.Generator().manual_seed(3)).float()
    zero = torch.zeros(2, 30)
    assert torch.allclose(inverse_growth_not_compounded(windows, zero, 12), year_over_year_inverse(windows, zero, 12))
    hint = _hint(check.year_over_year_inverse.run(inverse_growth_not_compounded))
    assert "try growth 0 first" not in hint and "already holds that month's earlier growths" in hint


def test_answers_in_other_forms_pass():
    solutions = _solutions()
    as_array = lambda w, t, m: solutions.my_year_over_year(w, t, m).numpy()  # noqa: E731
    in_float64 = lambda w, g, m: solutions.my_year_over_year_inverse(w.double(), g.double(), m)  # noqa: E731
    assert check.year_over_year.run(as_array).passed
    assert check.year_over_year_inverse.run(in_float64).passed


@pytest.mark.parametrize(("season", "length", "horizon"), [(12, 24, 30), (4, 9, 11), (7, 15, 20), (1, 5, 3)])
def test_the_inverse_undoes_year_over_year(season, length, horizon):
    solutions = _solutions()
    generator = torch.Generator().manual_seed(season)
    windows = torch.randint(100, 600, (3, length), generator=generator).double()
    targets = torch.randint(100, 600, (3, horizon), generator=generator).double()
    growth = solutions.my_year_over_year(windows, targets, season)
    assert torch.allclose(solutions.my_year_over_year_inverse(windows, growth, season), targets, rtol=1e-9)
    assert torch.allclose(growth, year_over_year(windows, targets, season).double(), atol=1e-5)


@pytest.mark.parametrize("season", [12, 4])
def test_growth_zero_is_the_drift_on_logs_and_minus_b_seasonal_naive(season):
    """The exercise text's claims, against the package's baselines (statsmodels for the drift)."""
    _, values = load_airline()
    history = values[:108]  # 1949-1957, as in the checker's case
    forecast = year_over_year_inverse(history[None], torch.zeros(1, 36), season)[0]
    assert torch.allclose(forecast, seasonal_random_walk_drift(history, 36, season, log=True), rtol=1e-5)
    windows = torch.randint(100, 600, (2, 24), generator=torch.Generator().manual_seed(1)).float()
    minus_b = (-drift(windows, season)).float().expand(2, 30)
    assert torch.allclose(year_over_year_inverse(windows, minus_b, season), seasonal_naive(windows, 30, season))
    # exercise 1's side: seasonal naive's forecast measures as -b in every column
    naive_units = year_over_year(windows, seasonal_naive(windows, 30, season), season)
    assert torch.allclose(naive_units, minus_b, atol=1e-6)


def test_expected_values_are_exact_on_hand_made_cases():
    months = torch.arange(1.0, 13.0)[None] * 10
    doubled = torch.cat([months, months * 2], dim=1)
    assert torch.allclose(drift(doubled, 12), torch.full((1, 1), np.log(2), dtype=torch.float64))
    assert torch.allclose(plain_change(months, months * 2, 12), torch.full((1, 12), np.log(2), dtype=torch.float64))
    assert torch.allclose(year_over_year(doubled, months * 4, 12), torch.zeros(1, 12), atol=1e-6)
    assert torch.allclose(
        year_over_year_inverse(doubled, torch.zeros(1, 24), 12), torch.cat([months * 4, months * 8], 1)
    )


# --- the case builders, called directly ---------------------------------------------------------------------------


def test_year_over_year_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(airline.year_over_year_cases)
    windows, targets, season = cases[0].args  # every month twice the same month a year before: growth b, net 0
    first = torch.arange(1.0, 13.0) * 10
    assert torch.equal(windows, torch.cat([first, 2 * first])[None]) and torch.equal(targets[:, :12], 4 * first[None])
    assert season == 12 and torch.allclose(cases[0].expected, torch.zeros(1, 24), atol=1e-6)


def test_year_over_year_inverse_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(airline.year_over_year_inverse_cases)
    (case,) = [c for c in cases if c.args[1].shape == (1, 24) and not c.args[1].any()]  # growth 0 for 24 months
    first = torch.arange(1.0, 13.0) * 10
    assert torch.equal(case.args[0], torch.cat([first, 2 * first])[None]) and case.args[2] == 12
    assert torch.allclose(case.expected, torch.cat([4 * first, 8 * first])[None], rtol=1e-5)  # the drift on logs

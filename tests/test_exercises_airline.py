"""Notebook 08's checkers: wrong answers they must reject, and how they report an expected error."""

from __future__ import annotations

import torch

from seqtut.baselines import seasonal_naive, seasonal_random_walk_drift
from seqtut.exercises import check
from seqtut.exercises.core import Case, run_cases


def naive_last_horizon(history, horizon, season=12):
    """The last `horizon` values: right only when horizon == season."""
    return history[-horizon:]


def naive_no_cut(history, horizon, season=12):
    """The last season, not repeated or cut to the horizon."""
    return history[-season:]


def naive_off_by_one(history, horizon, season=12):
    """One month late: the season ends one value before the last."""
    return history[-season - 1 : -1].repeat(-(-horizon // season))[:horizon]


def naive_ignores_season(history, horizon, season=12):
    """Always 12, whatever `season` says."""
    return history[-12:].repeat(-(-horizon // 12))[:horizon]


def naive_never_raises(history, horizon, season=12):
    """Tiles whatever history there is, even when it is shorter than a season."""
    return history[-season:].repeat(horizon)[:horizon]


def forecast_seasonal_naive(history):
    """Seasonal naive: far above the bar on 1957, 1959 and 1960."""
    return seasonal_naive(history, 12)


def forecast_drift_on_values(history):
    """The seasonal random walk with drift on values, imported: equal to the bar, not below it."""
    return seasonal_random_walk_drift(history, 12)


def forecast_last_value(history):
    """December repeated for 12 months."""
    return history[-1:].repeat(12)


def forecast_mean(history):
    """The mean of the whole history, 12 times."""
    return history.mean().repeat(12)


def forecast_season_off_by_one(history):
    """Seasonal naive one month late: month m forecast by month m - 13."""
    return history[-13:-1]


def forecast_wrong_length(history):
    """The seasonal random walk with drift for 13 months instead of 12."""
    return seasonal_random_walk_drift(history, 13)


def forecast_nan(history):
    """A good forecast with one month missing (NaN)."""
    forecast = seasonal_random_walk_drift(history, 12, log=True)
    forecast[5] = float("nan")
    return forecast


MUTANTS = {
    "seasonal_naive": [naive_last_horizon, naive_no_cut, naive_off_by_one, naive_ignores_season, naive_never_raises],
    "airline_forecast": [
        forecast_seasonal_naive,
        forecast_drift_on_values,
        forecast_last_value,
        forecast_mean,
        forecast_season_off_by_one,
        forecast_wrong_length,
        forecast_nan,
    ],
}


def test_the_drift_on_logs_passes_the_forecast_checker_and_the_drift_on_values_does_not():
    # the drift on values is the bar; the mutants (tests/test_exercises.py runs them) include it
    assert check.airline_forecast.run(lambda history: seasonal_random_walk_drift(history, 12, log=True)).passed
    assert not check.airline_forecast.run(forecast_drift_on_values).passed


def test_the_seasonal_naive_checker_accepts_a_list_or_an_array():
    as_list = lambda history, horizon, season=12: seasonal_naive(history, horizon, season).tolist()  # noqa: E731
    as_array = lambda history, horizon, season=12: seasonal_naive(history, horizon, season).numpy()  # noqa: E731
    assert check.seasonal_naive.run(as_list).passed and check.seasonal_naive.run(as_array).passed
    wrong = check.seasonal_naive.run(lambda history, horizon, season=12: naive_off_by_one(history, horizon).tolist())
    assert not wrong.passed and "wrong value at index" in wrong.message


def test_the_package_seasonal_naive_passes_its_own_checker():
    assert check.seasonal_naive.run(seasonal_naive).passed


def too_short(history):
    raise ValueError("too short")


def test_an_expected_error_and_an_unexpected_one_are_reported_in_words():
    wants_error = [Case("too short", (torch.zeros(1),), None, "raise", raises=ValueError)]
    assert run_cases("f", too_short, wants_error).passed
    returned = run_cases("f", lambda x: x, wants_error).message
    assert "  expected: a ValueError" in returned
    assert "problem:  expected a ValueError, but the function returned tensor (1,) float32 [0.0]" in returned
    other = run_cases("f", lambda x: [][1], wants_error).message  # the wrong kind of error is a failure
    assert "problem:  IndexError: list index out of range" in other
    wants_value = [Case("a value", (torch.zeros(1),), torch.zeros(1), "return it")]
    raised = run_cases("f", too_short, wants_value).message
    assert "problem:  ValueError: too short" in raised and "Traceback" not in raised
    message = check.seasonal_naive.run(naive_never_raises).message
    assert "case 7 of 8 fails: a history of 7 months, season 12" in message
    assert "expected a ValueError, but the function returned" in message


def test_the_forecast_checker_says_what_is_wrong():
    wrong_length = check.airline_forecast.run(forecast_wrong_length).message
    assert "expected shape (12,): one forecast per month of 1957, got shape (13,)" in wrong_length
    assert "expected 12 finite numbers, got NaN or infinity" in check.airline_forecast.run(forecast_nan).message
    plain = check.airline_forecast.run(forecast_seasonal_naive).message
    assert "MAE 40.17 on 1957 is not below 12.17, the MAE of the seasonal random walk with drift on values" in plain
    bar = check.airline_forecast.run(forecast_drift_on_values).message
    assert "MAE 12.17 on 1957 is not below 12.17" in bar
    assert check.airline_forecast.run(forecast_mean).failed_case == 1

"""Notebook 08's checkers: wrong answers they must reject, the hint each usual mistake gets, and the claims
its exercise text and solutions make (a constant growth gives the drift on logs; growth 0, seasonal naive)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch

from seqtut.baselines import seasonal_naive, seasonal_random_walk_drift
from seqtut.exercises import check
from seqtut.exercises.airline import compounded, year_over_year
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


def _joined_logs(windows, targets):
    return torch.cat([windows, targets], dim=1).log()


# 1. year_over_year: wrong answers ------------------------------------------------------------------------------


def yoy_from_last_value(windows, targets):
    """The notebook's log-relative reference, the window's last value (its scale left out)."""
    return targets.log() - windows[:, -1:].log()


def yoy_package_scaler(windows, targets):
    """The package's own RelativeScaler, log and fitted with scale 1: it cannot measure from a year before."""
    return RelativeScaler(log=True, scale=1.0).targets(windows, targets)


def yoy_from_the_window_only(windows, targets):
    """The window's last 12 months repeated: right for 12 targets or fewer, wrong after them."""
    return targets.log() - seasonal_naive(windows, targets.shape[1]).log()


def yoy_first_months(windows, targets):
    """The window's first months as the year before: right only when the window is 12 months long."""
    reference = windows[:, :12][:, torch.arange(targets.shape[1]) % 12]
    return targets.log() - reference.log()


def yoy_one_month_off(windows, targets):
    """Measured from 13 months before."""
    logs, length = _joined_logs(windows, targets), windows.shape[1]
    return logs[:, length:] - logs[:, length - 13 : logs.shape[1] - 13]


def yoy_ratio(windows, targets):
    """The ratio to the same month a year before, not its log."""
    joined, length = torch.cat([windows, targets], dim=1), windows.shape[1]
    return joined[:, length:] / joined[:, length - 12 : joined.shape[1] - 12]


def yoy_reversed(windows, targets):
    """Reference minus target."""
    logs, length = _joined_logs(windows, targets), windows.shape[1]
    return logs[:, length - 12 : logs.shape[1] - 12] - logs[:, length:]


def yoy_log10(windows, targets):
    """Right months, but base-10 logs instead of the natural log the exercise asks for."""
    logs, length = torch.cat([windows, targets], dim=1).log10(), windows.shape[1]
    return logs[:, length:] - logs[:, length - 12 : logs.shape[1] - 12]


def yoy_log2(windows, targets):
    """Right months, but base-2 logs."""
    logs, length = torch.cat([windows, targets], dim=1).log2(), windows.shape[1]
    return logs[:, length:] - logs[:, length - 12 : logs.shape[1] - 12]


def yoy_one_row(windows, targets):
    """The right values for the first window only, without the batch dimension."""
    return year_over_year(windows, targets)[0]


# 2. year_over_year_inverse: wrong answers ----------------------------------------------------------------------


def inverse_not_compounded(windows, growth):
    """Every month from the window's same month: right for 12 months or fewer, wrong after them."""
    return seasonal_naive(windows, growth.shape[1]) * growth.exp()


def inverse_package_scaler(windows, growth):
    """The package's own RelativeScaler's inverse, log and scale 1: every month from the window's last value."""
    return RelativeScaler(log=True, scale=1.0).inverse(windows, growth)


def inverse_running_sum(windows, growth):
    """Every month's growth summed from the window's last value."""
    return windows[:, -1:] * growth.cumsum(dim=1).exp()


def inverse_summed_across_months(windows, growth):
    """Growth summed across all months, not only within a calendar month."""
    return seasonal_naive(windows, growth.shape[1]) * growth.cumsum(dim=1).exp()


def inverse_one_plus_growth(windows, growth):
    """Compounded right, but multiplied by 1 + g instead of exp(g)."""
    return compounded(windows[:, -12:], growth, grow=lambda g: 1 + g)


def inverse_power_of_10(windows, growth):
    """Compounded right, but as if the growths were base-10 logs: 10 ** g instead of exp(g)."""
    return compounded(windows[:, -12:], growth, grow=lambda g: 10**g)


def inverse_power_of_2(windows, growth):
    """Compounded right, but 2 ** g instead of exp(g)."""
    return compounded(windows[:, -12:], growth, grow=lambda g: 2**g)


def inverse_first_months(windows, growth):
    """Compounded from the window's first 12 months."""
    return compounded(windows[:, :12], growth)


def inverse_one_month_off(windows, growth):
    """Compounded from the 12 months before the window's last."""
    return compounded(windows[:, -13:-1], growth)


def inverse_one_row(windows, growth):
    """The right values for the first window only, without the batch dimension."""
    return compounded(windows[:, -12:], growth)[0]


MUTANTS = {
    "year_over_year": [
        yoy_from_last_value,
        yoy_package_scaler,
        yoy_from_the_window_only,
        yoy_first_months,
        yoy_one_month_off,
        yoy_ratio,
        yoy_reversed,
        yoy_log10,
        yoy_log2,
        yoy_one_row,
    ],
    "year_over_year_inverse": [
        inverse_not_compounded,
        inverse_package_scaler,
        inverse_running_sum,
        inverse_summed_across_months,
        inverse_one_plus_growth,
        inverse_power_of_10,
        inverse_power_of_2,
        inverse_first_months,
        inverse_one_month_off,
        inverse_one_row,
    ],
}


@pytest.mark.parametrize(
    ("mutant", "hint"),
    [
        (yoy_from_last_value, "that measures every month from the window's last value, as the notebook's scaler"),
        (yoy_package_scaler, "that measures every month from the window's last value, as the notebook's scaler"),
        (yoy_from_the_window_only, "the month a year before is the window's value only for the first 12 months"),
        (yoy_first_months, "is the window's value 12 from its end (index L - 12), not its first value"),
        (yoy_one_month_off, "one month off: month T + h's reference is 12 months before it, not 13"),
        (yoy_ratio, "yours is a ratio"),
        (yoy_reversed, "target minus reference, not the other way round"),
        (yoy_log10, "log here is the natural log (torch.log, base e); yours is in base 10"),
        (yoy_log2, "log here is the natural log (torch.log, base e); yours is in base 2"),
        (yoy_one_row, "keep one row per window: a tensor (N, H), even when N is 1"),
    ],
)
def test_each_usual_mistake_in_year_over_year_gets_its_own_hint(mutant, hint):
    assert hint in _hint(check.year_over_year.run(mutant))


@pytest.mark.parametrize(
    ("mutant", "hint"),
    [
        (inverse_not_compounded, "from month 13 on, the month a year before is your own forecast, not the window's"),
        (inverse_package_scaler, "that measures from the window's last value, as the notebook's scaler does"),
        (inverse_running_sum, "that adds up every month's growth from the window's last value"),
        (inverse_summed_across_months, "a month's growth carries over only to the same month of later years, not"),
        (inverse_one_plus_growth, "a growth g multiplies by exp(g), not by 1 + g"),
        (inverse_power_of_10, "the growths are natural logs: a growth g multiplies by exp(g), not by 10 ** g"),
        (inverse_power_of_2, "the growths are natural logs: a growth g multiplies by exp(g), not by 2 ** g"),
        (inverse_first_months, "is the window's value 12 from its end (index L - 12), not its first value"),
        (inverse_one_month_off, "one month off: month T + 1's reference is the window's value 12 from its end"),
        (inverse_one_row, "keep one row per window: a tensor (N, H), even when N is 1"),
    ],
)
def test_each_usual_mistake_in_the_inverse_gets_its_own_hint(mutant, hint):
    assert hint in _hint(check.year_over_year_inverse.run(mutant))


def test_the_package_scaler_fails_on_the_first_case_and_the_uncompounded_inverse_only_past_a_year():
    assert check.year_over_year.run(yoy_package_scaler).failed_case == 1
    not_compounded = check.year_over_year_inverse.run(inverse_not_compounded)
    assert not_compounded.failed_case == 4 and "wrong value at index (0, 12)" in not_compounded.message


def test_answers_in_other_forms_pass():
    solutions = _solutions()
    as_array = lambda w, t: solutions.my_year_over_year(w, t).numpy()  # noqa: E731
    in_float64 = lambda w, g: solutions.my_year_over_year_inverse(w.double(), g.double())  # noqa: E731
    assert check.year_over_year.run(as_array).passed
    assert check.year_over_year_inverse.run(in_float64).passed


def test_the_inverse_undoes_year_over_year():
    solutions = _solutions()
    generator = torch.Generator().manual_seed(0)
    windows = torch.randint(100, 600, (3, 24), generator=generator).float()
    targets = torch.randint(100, 600, (3, 30), generator=generator).float()
    growth = solutions.my_year_over_year(windows, targets)
    assert torch.allclose(solutions.my_year_over_year_inverse(windows, growth), targets, rtol=1e-5)
    assert torch.allclose(growth, year_over_year(windows, targets), atol=1e-6)


def test_growth_zero_is_seasonal_naive_and_a_constant_growth_is_the_drift_on_logs():
    """The exercise text's claims: the checker's last two cases are the package's baselines."""
    _, values = load_airline()
    history = values[:108]  # 1949-1957, as in the checker's last case
    b = (history[12:].log() - history[:-12].log()).mean()
    drift = compounded(history[None, -12:], torch.full((1, 36), b.item()))[0]
    assert torch.allclose(drift, seasonal_random_walk_drift(history, 36, log=True), rtol=1e-5)
    windows = torch.randint(100, 600, (2, 24), generator=torch.Generator().manual_seed(1)).float()
    assert torch.equal(compounded(windows[:, -12:], torch.zeros(2, 30)), seasonal_naive(windows, 30))
    # exercise 1's claim: growth 0 in every month is what seasonal naive's forecast would be measured as
    assert torch.allclose(year_over_year(windows, seasonal_naive(windows, 30)), torch.zeros(2, 30), atol=1e-6)


def test_expected_values_are_exact_on_hand_made_cases():
    months = torch.arange(1.0, 13.0)[None] * 10
    assert torch.allclose(year_over_year(months, months * 2), torch.full((1, 12), float(np.log(2))))
    assert torch.allclose(
        compounded(months, torch.full((1, 24), float(np.log(2)))), torch.cat([months * 2, months * 4], 1)
    )

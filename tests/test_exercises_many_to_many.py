"""Notebook 03's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import torch

from seqtut.exercises import check
from seqtut.exercises.many_to_many import crafted_out


def reads_step_minus5(out):
    return out[:, -5]


def reads_step_0(out):
    return out[:, 0]


def averages_every_step(out):
    return out.mean(dim=1)


def keeps_the_time_dimension(out):
    return out[:, -1:]


def drift_with_the_last_step(windows, horizon):  # linear extrapolation of the last two values, not FPP3's drift
    step = windows[:, -1:] - windows[:, -2:-1]
    return windows[:, -1:] + step * torch.arange(1, horizon + 1, dtype=windows.dtype)


def drift_divided_by_the_length(windows, horizon):
    step = (windows[:, -1:] - windows[:, :1]) / windows.shape[1]
    return windows[:, -1:] + step * torch.arange(1, horizon + 1, dtype=windows.dtype)


def drift_counted_from_0(windows, horizon):
    step = (windows[:, -1:] - windows[:, :1]) / (windows.shape[1] - 1)
    return windows[:, -1:] + step * torch.arange(horizon, dtype=windows.dtype)


def drift_added_once(windows, horizon):
    step = (windows[:, -1:] - windows[:, :1]) / (windows.shape[1] - 1)
    return (windows[:, -1:] + step).expand(-1, horizon)


def _ar2(before, last, steps, phi1=1.8, phi2=-0.95):
    forecasts = []
    for _ in range(steps):
        before, last = last, phi1 * last + phi2 * before
        forecasts.append(last)
    return torch.stack(forecasts, dim=1)


def ar2_swapped_coefficients(windows, steps):
    return _ar2(windows[:, -2], windows[:, -1], steps, phi1=-0.95, phi2=1.8)


def ar2_from_the_first_two_values(windows, steps):
    return _ar2(windows[:, 0], windows[:, 1], steps)


def ar2_starts_with_the_last_value(windows, steps):
    return torch.cat([windows[:, -1:], _ar2(windows[:, -2], windows[:, -1], steps - 1)], dim=1)


def ar2_never_updates_before(windows, steps):
    before, last = windows[:, -2], windows[:, -1]
    forecasts = []
    for _ in range(steps):
        last = 1.8 * last - 0.95 * before
        forecasts.append(last)
    return torch.stack(forecasts, dim=1)


MUTANTS = {
    "head_features": [reads_step_minus5, reads_step_0, averages_every_step, keeps_the_time_dimension],
    "drift_forecast": [drift_with_the_last_step, drift_divided_by_the_length, drift_counted_from_0, drift_added_once],
    "ar2_forecast": [
        ar2_swapped_coefficients,
        ar2_from_the_first_two_values,
        ar2_starts_with_the_last_value,
        ar2_never_updates_before,
    ],
}


def test_crafted_out_gives_every_step_its_own_values():
    out = crafted_out(2, 6, 3)
    assert out.shape == (2, 6, 3)
    assert out[1, 5].tolist() == [150.0, 151.0, 152.0] and out[0, 1].tolist() == [10.0, 11.0, 12.0]
    assert not torch.equal(out[:, -5], out[:, -1])


def test_the_step_minus5_head_fails_on_the_first_case_with_a_hint():
    message = check.head_features.run(reads_step_minus5).message
    assert message.startswith("✗ head_features: case 1 of 4 fails: one window of 6 steps")
    assert "hint:" in message and "out[:, -1]" not in message


def test_a_single_step_window_is_reported_as_an_error_not_a_traceback():
    message = check.head_features.run(lambda out: out[:, -5] if out.shape[1] == 1 else out[:, -1]).message
    assert "case 4 of 4" in message and "IndexError" in message and "Traceback" not in message

"""The noisy oscillation (AR(2)) of notebooks 03 and 05, and its best possible forecast."""

import pytest
import torch

from seqtut.baselines import ar2_forecast
from seqtut.series import ar2_coefficients, ar2_series


def test_series_is_seeded_and_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    first = ar2_series(300, seed=1)
    assert torch.equal(torch.rand(1), before)
    assert first.shape == (300,) and first.dtype == torch.float32
    assert torch.equal(first, ar2_series(300, seed=1))
    assert not torch.equal(first, ar2_series(300, seed=2))


def test_series_follows_its_recurrence():
    series = ar2_series(1000, phi1=1.5, phi2=-0.7, noise=0.5).double()
    kicks = series[2:] - 1.5 * series[1:-1] + 0.7 * series[:-2]
    assert abs(kicks.std().item() - 0.5) < 0.05  # what is left is the noise, nothing else
    assert series.abs().max() < 100  # stationary: it does not blow up


def test_forecast_continues_the_recurrence_without_kicks():
    windows = torch.tensor([[0.0, 1.0], [5.0, 2.0]])  # (2, 2)
    forecast = ar2_forecast(windows, 3, phi1=1.8, phi2=-0.95)
    assert forecast.shape == (2, 3)
    first = 1.8 * windows[:, 1] - 0.95 * windows[:, 0]
    second = 1.8 * first - 0.95 * windows[:, 1]
    assert torch.allclose(forecast[:, 0], first) and torch.allclose(forecast[:, 1], second)
    assert ar2_forecast(torch.zeros(4, 7, 10), 5).shape == (4, 7, 5)  # any leading shape


def test_forecast_beats_the_last_value_on_held_out_values():
    series = ar2_series(2000, seed=3)
    windows, future = series[:-1].unfold(0, 2, 1)[:-4], series[2:].unfold(0, 5, 1)  # (N, 2), (N, 5)
    best = (ar2_forecast(windows, 5) - future).abs().mean(0)
    last = (windows[:, -1:] - future).abs().mean(0)
    assert (best < last).all()
    assert abs(best[0].item() - (2 / torch.pi) ** 0.5) < 0.05  # one step ahead only the kick is unknown


def test_noise_only_rescales_the_series():
    """Why the notebooks' "Try next" change phi1 and phi2, not noise: the recurrence is linear and starts at 0."""
    base = ar2_series(4000)
    for noise in (0.1, 0.3, 2.0):
        assert torch.allclose(ar2_series(4000, noise=noise), noise * base, atol=1e-5 * noise * base.abs().max())


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ar2_series(0), "length"),
        (lambda: ar2_series(10, phi1=1.0, phi2=0.5), "phi1, phi2"),
        (lambda: ar2_series(10, noise=0), "noise"),
        (lambda: ar2_series(10, burn_in=-1), "burn_in"),
        (lambda: ar2_series(10, seed=-1), "seed"),
        (lambda: ar2_forecast(torch.zeros(3, 1), 2), "windows"),
        (lambda: ar2_forecast([1.0, 2.0], 2), "windows"),
        (lambda: ar2_forecast(torch.zeros(3, 2), 0), "steps"),
    ],
)
def test_bad_arguments_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(("phi1", "phi2"), [(1.8, -0.95), (0.0, 0.0), (0.5, 0.49), (-1.9, -0.95), (0.0, -0.999)])
def test_ar2_coefficients_accepts_a_stationary_pair(phi1, phi2):
    assert ar2_coefficients(phi1, phi2) is None


@pytest.mark.parametrize(
    ("phi1", "phi2"),
    [
        (0.0, 1.0),  # |phi2| < 1 fails
        (0.0, -1.0),
        (0.5, 0.5),  # phi1 + phi2 < 1 fails: a random walk
        (1.2, -0.1),
        (-0.5, 0.6),  # phi2 - phi1 < 1 fails
        (float("nan"), 0.0),  # no comparison with NaN holds
    ],
)
def test_ar2_coefficients_names_the_three_conditions_and_the_pair(phi1, phi2):
    with pytest.raises(ValueError) as raised:
        ar2_coefficients(phi1, phi2)
    assert str(raised.value) == (
        "phi1, phi2: expected a stationary AR(2) (|phi2| < 1, phi1 + phi2 < 1, phi2 - phi1 < 1), "
        f"got phi1={phi1!r}, phi2={phi2!r}"
    )

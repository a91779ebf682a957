"""Yardsticks for every learned forecast: forecasts that learn (almost) nothing, and classical models.

- `naive_forecast`: the naive method ("last": the last value seen), the drift method ("drift": the
  last value plus the window's mean step) and the mean method ("mean": the mean of the values seen), as
  *Forecasting: Principles and Practice* defines them, with the window as the history, (N, H).
- `mean_forecast`: the mean method with a longer history, such as a training stretch.
- `seasonal_naive`: the same month a year before (airline passengers).
- `seasonal_random_walk_drift`: seasonal naive plus the mean yearly change, once per year ahead, a
  combination of FPP3's seasonal naive and drift methods (statsmodels); `sarima_log_forecast` and
  `holt_winters_forecast`: the classical models.
- `ar2_forecast`: the best possible forecast of an `ar2_series`, the floor for a noisy series.
"""

from __future__ import annotations

import warnings

import torch

from seqtut.checks import one_of, positive_int
from seqtut.data import WindowDataset
from seqtut.series import ar2_coefficients

SEASON = 12
"""Months in a year: the airline series' seasonal period."""


def naive_forecast(dataset: WindowDataset, kind: str = "last") -> torch.Tensor:
    """Forecasts with no learning, (N, H), from values a model at that step has already seen.

    Three methods of Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed.,
    section 5.2), with the window as the history (all a model reading the window sees, but for what
    its scaler was fitted on):
    "last" is the naive method, the last value seen, repeated; "drift" is the last value plus
    h times the mean step, (last - first) / (values seen - 1); "mean" is the mean of the values
    seen, for a series that keeps returning to one level (the book's mean method averages the whole
    history; over a long stationary history that mean is the better forecast, notebook 03). For a
    `shift` dataset the forecast for step t uses the values up to t; at the first step, with one
    value seen and no step to average, drift and mean fall back to the last value.
    """
    one_of(kind, ("last", "drift", "mean"), "kind")
    windows = dataset.windows
    if dataset.shift is not None:  # target t is the value `shift` steps after input t
        seen, ahead = windows, float(dataset.shift)
        steps_seen = torch.arange(windows.shape[1], dtype=windows.dtype).clamp(min=1)  # 1, 1, 2, 3, ...
        mean_step = (windows - windows[:, :1]) / steps_seen  # 0 at the first step
        mean_seen = windows.cumsum(1) / torch.arange(1, windows.shape[1] + 1, dtype=windows.dtype)
    else:  # targets are the `horizon` values after the window
        horizon = dataset.targets.shape[1]
        seen = windows[:, -1:].expand(-1, horizon)
        ahead = torch.arange(1, horizon + 1, dtype=windows.dtype)
        mean_step = (windows[:, -1:] - windows[:, :1]) / max(dataset.window - 1, 1)
        mean_seen = windows.mean(1, keepdim=True).expand(-1, horizon)
    if kind == "mean":
        return mean_seen.clone()
    return seen.clone() if kind == "last" else seen + mean_step * ahead


def mean_forecast(history: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """FPP3's mean method on a whole history: every target forecast by the mean of `history` (T,), shaped like
    `targets` (N, H) (notebooks 03 and 05: the training stretch, whose mean is fixed before any test window)."""
    values = torch.as_tensor(history)
    if values.ndim != 1 or len(values) == 0 or not torch.isfinite(values).all():
        raise ValueError(f"history: expected a non-empty 1-D series of finite values, got shape {tuple(values.shape)}")
    return torch.full_like(targets, values.mean().item())


def _history(history: object, horizon: int, season: int) -> torch.Tensor:
    """Check the arguments of a baseline; return `history` as a float tensor (L,) or (N, L)."""
    positive_int(horizon, "horizon")
    positive_int(season, "season")
    values = torch.as_tensor(history, dtype=torch.float32)
    if values.ndim not in (1, 2) or values.shape[-1] < max(season, 2):
        raise ValueError(
            f"history: expected shape (L,) or (N, L) with L >= {max(season, 2)}, got {tuple(values.shape)}"
        )
    return values


def seasonal_naive(history: torch.Tensor, horizon: int, season: int = SEASON) -> torch.Tensor:
    """Repeat the last `season` values: the forecast for each month is the same month a year before.

    `history` (L,) or (N, L) with L >= season -> forecasts (horizon,) or (N, horizon).
    """
    values = _history(history, horizon, season)
    last_season = values[..., -season:]
    repeats = -(-horizon // season)  # ceiling division
    return last_season.tile(repeats)[..., :horizon].clone()


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
    ar2_coefficients(phi1, phi2)
    before, last = windows[..., -2], windows[..., -1]
    forecasts = []
    for _ in range(steps):
        before, last = last, phi1 * last + phi2 * before
        forecasts.append(last)
    return torch.stack(forecasts, dim=-1)


def _statsmodels(name: str):
    """A statsmodels model class, or an ImportError that says in one line how to get statsmodels."""
    try:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing
        from statsmodels.tsa.statespace.sarimax import SARIMAX
    except ImportError:
        raise ImportError(f"{name} needs statsmodels: pip install statsmodels (Kaggle and Colab have it)") from None
    return {"sarima": SARIMAX, "holt_winters": ExponentialSmoothing}[name]


def sarima_log_forecast(history: torch.Tensor, horizon: int, season: int = SEASON) -> torch.Tensor:
    """The "airline model": SARIMA(0,1,1)(0,1,1)_season fitted to log values, forecast back in series units.

    Box & Jenkins fitted this model to this very series (their series G). `history` (L,) of
    positive values -> (horizon,). Fitted by maximum likelihood with statsmodels' SARIMAX.
    """
    values = _history(history, horizon, season)
    if values.ndim != 1 or (values <= 0).any():
        raise ValueError("history: expected one series (L,) of positive values (the model works on logs)")
    model = _statsmodels("sarima")(values.double().log().numpy(), order=(0, 1, 1), seasonal_order=(0, 1, 1, season))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the optimizer
        fitted = model.fit(disp=False)
    return torch.from_numpy(fitted.forecast(horizon)).exp().float()


def seasonal_random_walk_drift(
    history: torch.Tensor, horizon: int, season: int = SEASON, *, log: bool = False
) -> torch.Tensor:
    """The seasonal random walk with drift, fitted and forecast by statsmodels: `history` (L,) -> (horizon,).

    The model is y_t = y_{t-m} + b + e_t (m = `season`), and its forecast for h steps ahead is

        y_{T+h-m(k+1)} + (k + 1) b,   k = floor((h - 1) / m),   b = mean(y_t - y_{t-m}):

    the seasonal naive forecast plus the mean seasonal change once per season ahead. Hyndman &
    Athanasopoulos, "Forecasting: Principles and Practice" (3rd ed., section 5.2) use four
    benchmark methods: mean, naive, seasonal naive and drift; this one is not among them but is a
    natural combination of their seasonal naive and drift methods (drift applied to seasonal
    steps), available in fable as `SNAIVE(y ~ drift())` and in the forecast package as an
    ARIMA(0,0,0)(0,1,0)m with drift (its `snaive` is the same model without the constant).
    statsmodels fits exactly that: SARIMAX(order=(0, 0, 0), seasonal_order=(0, 1, 0, m), trend="c"),
    whose constant is b. Not to be confused with seasonal naive plus h times (last - first) / (L - 1),
    which adds a one-step drift to a forecast that lags a whole season.

    `log=True` fits the model to log values and exponentiates the forecast (a median, not a
    mean: FPP3 section 5.6); b is then the mean log change per season, and each season ahead
    multiplies the forecast by exp(b). Needs L >= season + 2 (statsmodels cannot fit a single
    seasonal difference). `season=1` is FPP3's drift method, fitted as ARIMA(0,1,0) with a constant.
    """
    values = _history(history, horizon, season)
    if values.ndim != 1 or len(values) < season + 2:
        raise ValueError(
            f"history: expected one series (L,) with L >= season + 2 = {season + 2}, got shape {tuple(values.shape)}"
        )
    if log and (values <= 0).any():
        raise ValueError("history: expected positive values with log=True")
    series = values.double().log() if log else values.double()
    # statsmodels' seasonal periodicity must exceed 1: season 1 differences once, as a plain ARIMA
    order, seasonal = ((0, 0, 0), (0, 1, 0, season)) if season > 1 else ((0, 1, 0), (0, 0, 0, 0))
    model = _statsmodels("sarima")(series.numpy(), order=order, seasonal_order=seasonal, trend="c")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the optimizer
        fitted = model.fit(disp=False)
    forecast = torch.from_numpy(fitted.forecast(horizon))
    return (forecast.exp() if log else forecast).float()


def holt_winters_forecast(
    history: torch.Tensor, horizon: int, season: int = SEASON, seasonal: str = "additive"
) -> torch.Tensor:
    """Holt-Winters exponential smoothing: additive trend, `seasonal` ("additive" or "multiplicative") season.

    `history` (L,) -> (horizon,). Fitted with statsmodels' ExponentialSmoothing (least squares).
    The published 5.11 % MAPE on the airline series' last 36 months is the additive-seasonal variant.
    """
    one_of(seasonal, ("additive", "multiplicative"), "seasonal")
    values = _history(history, horizon, season)
    if values.ndim != 1:
        raise ValueError(f"history: expected one series (L,), got shape {tuple(values.shape)}")
    model = _statsmodels("holt_winters")(
        values.double().numpy(), trend="add", seasonal=seasonal[:3], seasonal_periods=season
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit()
    return torch.from_numpy(fitted.forecast(horizon)).float()

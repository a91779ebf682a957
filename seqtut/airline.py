"""The airline passengers series, its baselines, and the section's settings and end-to-end run.

Data: Box & Jenkins (1976), "Time Series Analysis: Forecasting and Control", Series G:
international airline passengers per month, in thousands, January 1949 to December 1960
(144 values). It ships with the package (`airline_passengers.csv`), so nothing is downloaded.

Shapes: H = horizon, L = history length, M = ensemble members (seeds), N windows.
`AIRLINE` holds every number the notebook `06_airline_passengers` and `run_airline` use.
"""

from __future__ import annotations

import csv
import io
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from importlib import resources
from pathlib import Path

import torch
from torch import nn

from seqtut.checkpoints import save_checkpoint
from seqtut.data import Scaler, WindowDataset, as_series, make_scaler, make_windows
from seqtut.forecaster_transformer import TransformerForecaster
from seqtut.lstm import ManyToManyLSTM
from seqtut.settings import FAST, choose_device, seed_everything
from seqtut.training import fit, mape, metrics, predict, smape

SEASON = 12
"""Months in a year: the series' seasonal period."""


@dataclass(frozen=True)
class AirlineSettings:
    """Everything the airline section trains with; one copy shared by the notebook and the CLI.

    The model settings were chosen by forecasting 1957, 1958 and 1959 from the months before
    each (rolling origin), never by looking at 1960 or at the 36-month test period.
    """

    window: int = 24  # months the model reads
    horizon: int = 12  # months it forecasts at once
    test_months: int = 12  # split A: the last 12 months (1960) are the test year
    long_test_months: int = 36  # split B (sktime / Darts documentation): the last 36 months
    seeds: int = 5  # ensemble members, seeds seed, seed + 1, ...
    batch_size: int = 32
    lstm_hidden: int = 64
    lstm_epochs: int = 100
    lstm_lr: float = 1e-2
    d_model: int = 16
    nhead: int = 2
    num_layers: int = 1
    dim_feedforward: int = 32
    dropout: float = 0.0
    transformer_epochs: int = 100
    transformer_lr: float = 1e-3
    headline: str = "transformer"  # the model `run_airline` reports: "lstm" or "transformer"


AIRLINE = AirlineSettings()
AIRLINE_FAST_OVERRIDES: dict[str, object] = dict(seeds=2, lstm_epochs=15, transformer_epochs=20)
MODEL_KINDS = ("lstm", "transformer")


def airline_settings(fast: bool | None = None) -> AirlineSettings:
    """`AIRLINE`, with the fast-mode overrides when `fast` (default: `SEQTUT_FAST`)."""
    fast = FAST if fast is None else fast
    return replace(AIRLINE, **AIRLINE_FAST_OVERRIDES) if fast else AIRLINE


def load_airline() -> tuple[list[str], torch.Tensor]:
    """The 144 months as 'YYYY-MM' strings and the passengers (thousands) as a float tensor (144,)."""
    text = resources.files("seqtut").joinpath("airline_passengers.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [row["month"] for row in rows], torch.tensor([float(row["passengers"]) for row in rows])


# --- Baselines: no learning, only the history before the forecast ---------------------------------


def _history(history: object, horizon: int, season: int) -> torch.Tensor:
    """Check the arguments of a baseline; return `history` as a float tensor (L,) or (N, L)."""
    for name, value in {"horizon": horizon, "season": season}.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name}: expected a positive int, got {value!r}")
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


def seasonal_naive_drift(history: torch.Tensor, horizon: int, season: int = SEASON) -> torch.Tensor:
    """Seasonal naive plus h times the average step of the whole history, (last - first) / (L - 1).

    This is the "seasonal naive with drift" of Hyndman & Athanasopoulos, "Forecasting:
    Principles and Practice" (section 5.2). Shapes as `seasonal_naive`.
    """
    values = _history(history, horizon, season)
    drift = (values[..., -1:] - values[..., :1]) / (values.shape[-1] - 1)  # (1,) or (N, 1)
    steps = torch.arange(1, horizon + 1, dtype=values.dtype)
    return seasonal_naive(values, horizon, season) + drift * steps


# --- Models, ensembles and forecasts ----------------------------------------------------------------


def build_model(kind: str, s: AirlineSettings) -> nn.Module:
    """A fresh "lstm" (ManyToManyLSTM) or "transformer" (TransformerForecaster) sized by `s`."""
    if kind == "lstm":
        return ManyToManyLSTM(hidden_size=s.lstm_hidden, horizon=s.horizon)
    if kind == "transformer":
        return TransformerForecaster(
            s.window,
            s.horizon,
            d_model=s.d_model,
            nhead=s.nhead,
            num_layers=s.num_layers,
            dim_feedforward=s.dim_feedforward,
            dropout=s.dropout,
        )
    raise ValueError(f"kind: expected one of {MODEL_KINDS}, got {kind!r}")


def airline_datasets(
    train_series: torch.Tensor, test_series: torch.Tensor, s: AirlineSettings, scaler: str = "log-relative"
) -> tuple[WindowDataset, WindowDataset]:
    """Training windows of `train_series` and the test window(s) of `test_series`.

    `test_series` must hold the `window` months before the test period followed by the test
    months. The scaler is fitted on training windows only.
    """
    fitted = make_scaler(scaler).fit(make_windows(train_series, s.window, horizon=s.horizon)[0])
    return (
        WindowDataset(train_series, s.window, s.horizon, scaler=fitted),
        WindowDataset(test_series, s.window, s.horizon, scaler=fitted),
    )


def fit_seeds(
    kind: str,
    train: WindowDataset,
    s: AirlineSettings,
    *,
    seed: int = 0,
    device: torch.device | str = "cpu",
    progress: bool | None = None,
) -> tuple[list[nn.Module], float]:
    """Train `s.seeds` models of `kind` (seeds seed, seed + 1, ...); return them and the seconds spent.

    Each member is seeded before it is built, so its weights and batch order depend on its
    seed only: the notebook and `run_airline` train exactly the same models.
    """
    if not isinstance(s.seeds, int) or s.seeds < 1:
        raise ValueError(f"seeds: expected a positive int, got {s.seeds!r}")
    epochs, lr = (s.lstm_epochs, s.lstm_lr) if kind == "lstm" else (s.transformer_epochs, s.transformer_lr)
    models, seconds = [], 0.0
    for member in range(seed, seed + s.seeds):
        seed_everything(member)
        model = build_model(kind, s)
        history = fit(
            model,
            train,
            epochs=epochs,
            lr=lr,
            batch_size=s.batch_size,
            device=device,
            seed=member,
            progress_bar=progress,
        )
        models.append(model)
        seconds += history.seconds
    return models, seconds


def predict_members(
    models: Sequence[nn.Module], dataset: WindowDataset, device: torch.device | str = "cpu"
) -> torch.Tensor:
    """Every member's forecasts for every window of `dataset`, in series units: (M, N, H)."""
    if not models:
        raise ValueError("models: expected at least one model, got none")
    return torch.stack([predict(model, dataset, device) for model in models])


@torch.no_grad()
def forecast_ahead(
    model: nn.Module,
    scaler: Scaler,
    history: torch.Tensor,
    steps: int,
    *,
    window: int,
    device: torch.device | str = "cpu",
) -> torch.Tensor:
    """Forecast `steps` months after `history` (L,) by feeding forecasts back in: -> (steps,).

    A model that outputs H months is applied to the last `window` values, its forecast is
    appended, and again, until `steps` months exist. From the second round on it reads its
    own forecasts, so errors can compound.
    """
    history = as_series(history, "history")
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps: expected a positive int, got {steps!r}")
    if len(history) < window:
        raise ValueError(f"history: expected at least window = {window} values, got {len(history)}")
    model.eval().to(device)
    values = history.clone()
    while len(values) < len(history) + steps:
        recent = values[-window:].unsqueeze(0)  # (1, L)
        scaled = model(scaler.inputs(recent).unsqueeze(-1).to(device)).cpu()  # (1, H)
        values = torch.cat([values, scaler.inverse(recent, scaled)[0]])
    return values[len(history) : len(history) + steps]


def summary(member_maes: Sequence[float]) -> str:
    """'mean ± sd' of per-seed errors (sd with n - 1; 0 for one seed)."""
    sd = statistics.stdev(member_maes) if len(member_maes) > 1 else 0.0
    return f"{statistics.mean(member_maes):.1f} ± {sd:.1f}"


def run_airline(
    *,
    fast: bool | None = None,
    seed: int = 0,
    device: str | None = None,
    out: str | Path | None = None,
    progress: bool | None = None,
) -> dict:
    """Train the notebook's headline ensemble, measure it on 1960 and on the last 36 months.

    Returns the keys of `sections.run` (name, metric, value, baseline, baseline_name,
    seconds, device, fast, checkpoint) plus sMAPE, per-seed MAEs, the 36-month MAPE and the
    checkpoints of all members (`model.pt` is the first one, seed `seed`).
    """
    s = airline_settings(fast)
    kind = s.headline
    chosen = choose_device(device, recurrent=kind == "lstm")
    started = time.perf_counter()
    _, values = load_airline()
    split = len(values) - s.test_months
    train, test = airline_datasets(values[:split], values[split - s.window :], s)
    models, train_seconds = fit_seeds(kind, train, s, seed=seed, device=chosen, progress=progress)
    forecasts = predict_members(models, test, chosen)  # (M, 1, H)
    ensemble, actual = forecasts.mean(0), test.targets
    member_maes = [metrics(member, actual).mae for member in forecasts]
    baseline = seasonal_naive(values[:split], s.horizon)

    # Split B: train on 1949-01..1957-12, forecast the last 36 months by feeding forecasts back.
    long_split = len(values) - s.long_test_months
    long_train, _ = airline_datasets(values[:long_split], values[long_split - s.window :], s)
    long_models, long_seconds = fit_seeds(kind, long_train, s, seed=seed, device=chosen, progress=progress)
    long_forecasts = torch.stack(
        [
            forecast_ahead(
                model, long_train.scaler, values[:long_split], s.long_test_months, window=s.window, device=chosen
            )
            for model in long_models
        ]
    )  # (M, 36)
    long_actual = values[long_split:]

    folder = Path(out or Path("runs") / "airline")
    config = {"section": "airline", "settings": {**asdict(s), "scaler": "log-relative"}, "seed": seed}
    paths = [
        save_checkpoint(
            folder / ("model.pt" if i == 0 else f"member{i}.pt"),
            model.cpu(),
            scaler=train.scaler,
            config={**config, "seed": seed + i},
        )
        for i, model in enumerate(models)
    ]
    return {
        "name": "airline",
        "metric": f"1960 MAE, {kind} ensemble of {s.seeds}",
        "value": metrics(ensemble, actual).mae,
        "baseline": metrics(baseline.unsqueeze(0), actual).mae,
        "baseline_name": "seasonal naive",
        "smape": smape(ensemble, actual),
        "member_maes": [round(m, 4) for m in member_maes],
        "member_summary": summary(member_maes),
        "forecast": [round(v, 2) for v in ensemble[0].tolist()],
        "long_mape": mape(long_forecasts.mean(0), long_actual),
        "long_member_mapes": [round(mape(f, long_actual), 4) for f in long_forecasts],
        "long_baseline_mape": mape(seasonal_naive(values[:long_split], s.long_test_months), long_actual),
        "train_seconds": round(train_seconds + long_seconds, 3),
        "seconds": round(time.perf_counter() - started, 3),
        "device": chosen.type,
        "fast": FAST if fast is None else fast,
        "checkpoint": str(paths[0]),
        "checkpoints": [str(p) for p in paths],
    }

"""08 · Airline passengers: a real series, its settings, ensembles and both test splits (notebook 08).

Data: Box & Jenkins (1976), "Time Series Analysis: Forecasting and Control", Series G:
international airline passengers per month, in thousands, January 1949 to December 1960
(144 values). It ships with the package (`airline_passengers.csv`), so nothing is downloaded.

Shapes: H = horizon, L = history length, M = ensemble members (seeds), N windows.
`AirlineSettings` holds the model, training and data settings and the claim bounds the notebook
`08_airline_passengers` and `run` use; published figures the notebook reproduces stay in its cells.
"""

from __future__ import annotations

import csv
import io
import math
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from seqtut.baselines import (
    SEASON,
    _statsmodels,
    holt_winters_forecast,
    sarima_log_forecast,
    seasonal_naive,
    seasonal_random_walk_drift,
)
from seqtut.checks import positive_int
from seqtut.claims import claim, machine_dependent
from seqtut.data import WindowDataset, as_series, make_windows
from seqtut.forecaster_transformer import TransformerForecaster
from seqtut.lstm import ManyToManyLSTM
from seqtut.metrics import (
    ROUGH_BLOCKS,
    Difference,
    mape,
    mean_and_sd,
    metrics,
    paired_difference,
    part_means_spread,
    screen_ratio,
    smape,
)
from seqtut.runtime import seed_everything
from seqtut.scalers import Scaler, make_scaler
from seqtut.sections.base import Callback, SectionSettings, Trained, bound, modes
from seqtut.sections.forecasting import ForecastSection
from seqtut.training import fit, predict

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class AirlineSettings(SectionSettings):
    """Everything the airline section trains with; one copy shared by the notebook and the CLI.

    The message of the section's first commit (3ef92ff) says: "Settings were chosen on 1957-1959,
    never on the test year." (its docstring: "by forecasting 1957, 1958 and 1959 from the months
    before each (rolling origin)"). That search was not recorded (which settings were tried, how each
    scored), so it can be neither checked nor repeated. The full-mode model settings are unchanged
    since; `headline` was "transformer" there and became "lstm" in 59f4720, after both tests had
    been seen. The 36-month test period (1958-1960) holds two of the years the settings were chosen on.
    """

    window: int = 24  # months the model reads
    horizon: int = 12  # months it forecasts at once
    test_months: int = 12  # split A: the last 12 months (1960) are the test year
    long_test_months: int = 36  # split B (sktime / Darts documentation): the last 36 months
    seeds: int = modes(full=5, fast=2)  # ensemble members, seeds seed, seed + 1, ...
    batch_size: int = 32
    lstm_hidden: int = 64
    lstm_epochs: int = modes(full=100, fast=10)
    lstm_lr: float = 1e-2
    d_model: int = 16
    nhead: int = 2
    num_layers: int = 1
    dim_feedforward: int = 32
    dropout: float = 0.0
    transformer_epochs: int = modes(full=100, fast=12)
    transformer_lr: float = 1e-3
    headline: str = "lstm"  # the model `run` reports: "lstm" or "transformer"
    scaler: str = "log-relative"  # the headline models' scaler
    # Bars the notebook's claims hold the results to. fast=None: checked in full mode only (a fast
    # run trains 2 seeds for a few epochs, too little for any bound on it to mean something).
    # log-relative 1960 MAE / seasonal naive's, both networks: "about a third" in full mode (fast: only below it)
    relative_vs_naive: float = bound(full=0.4, fast=1.0)  # the larger ratio <= this
    relative_vs_naive_low: float | None = bound(full=0.27, fast=None)  # the smaller ratio >= this
    standard_near_naive: float = bound(full=10.0, fast=45.0)  # guard: |standardized - seasonal naive| 1960 MAE
    networks_vs_naive: float = bound(full=0.5, fast=1.2)  # a guard: both networks' 1960 MAE / seasonal naive's (0.36)
    long_vs_naive: float = bound(full=0.9, fast=1.5)  # a guard: split B network MAPE / seasonal naive's (0.77)
    bias_gap_bound: float | None = bound(full=5.0, fast=None)  # |LSTM - SARIMA| yearly mean error, thousands
    reach_gap: float | None = bound(full=200.0, fast=None)  # a standardized head's bound - its input search's best
    trained_zero: float | None = bound(full=0.0, fast=None)  # 0 in claims on what training achieved (ranks, peaks)
    max_train_seconds: float = bound(full=300.0, fast=60.0)  # a guard against a run gone wrong, not a benchmark
    # statsmodels' fits (1960 MAE, 36-month MAPE) held to the values its version here gives (the notebook prints
    # it): an optimizer that stops elsewhere, on another version or machine, fails the check
    statsmodels_tolerance: float = bound(full=0.02, fast=0.02)
    # The rule of notebook 02 on the months of one forecast: blocks of `block` months, and the other
    # block lengths whose verdicts the notebook also shows (each leaves at least 3 blocks).
    block: int = 3
    other_blocks: tuple[int, ...] = (2, 4, 6, 12)
    # Notebook 02's trend screen on independent noise with the tables' months and blocks (`screen_false_alarms`),
    # runs simulated ...
    screen_runs: int = modes(full=2000, fast=500)
    # ... and the share flagged with some k: 12 months (full 13.5 %; seeds 0 to 4: 12.5 % to 13.9 %, with 500 runs
    # 12.6 % to 16.4 %) ...
    screen_alarms_12_low: float = bound(full=0.08, fast=0.06)
    screen_alarms_12_high: float = bound(full=0.2, fast=0.25)
    # ... and 36 months (full 2.8 %; seeds 0 to 4: 2.8 % to 4.3 %, with 500 runs 2.4 % to 4.2 %)
    screen_alarms_36: float = bound(full=0.07, fast=0.08)
    # 36 months, the pairs the screen does not flag: |median autocorrelation| at lag 3, a block's length, below one
    # estimate's standard error were the differences independent, 1/sqrt(36) (full: -0.11; lag 2, within a block, +0.04)
    correlation_near_zero: float | None = bound(full=1 / 6, fast=None)


MODEL_KINDS = ("lstm", "transformer")


def load_airline() -> tuple[list[str], torch.Tensor]:
    """The 144 months as 'YYYY-MM' strings and the passengers (thousands) as a float tensor (144,)."""
    text = resources.files("seqtut").joinpath("airline_passengers.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [row["month"] for row in rows], torch.tensor([float(row["passengers"]) for row in rows])


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
    callback: Callback | None = None,
) -> tuple[list[nn.Module], float]:
    """Train `s.seeds` models of `kind` (seeds seed, seed + 1, ...); return them and the seconds spent.

    Each member is seeded before it is built, so its weights and batch order depend on its
    seed only: the notebook and `Airline.run` train exactly the same models.
    """
    positive_int(s.seeds, "seeds")
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
            callback=callback,
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
def head_ceiling(model: nn.Module) -> torch.Tensor:
    """An upper bound on what `model`'s Linear head can write for each of the H steps, whatever the input: (H,).

    On the CPU, in the model's own (scaled) units; no input need reach it. ManyToManyLSTM: the head reads the LSTM's
    output h, each component in (-1, 1), so step j is at most bias_j + sum_i |W_ji|.
    TransformerForecaster: the head reads every position's LayerNorm output gamma * z + beta,
    where z has mean 0 and squared norm at most D (= d_model); w . z under those constraints is
    at most sqrt(D) * |w - mean(w)|, so step j is at most bias_j + W_j . beta (every position)
    + sqrt(D) * sum over positions of |u - mean(u)|, u = that position's weights times gamma.
    """
    if not isinstance(model, ManyToManyLSTM | TransformerForecaster):
        raise ValueError(f"model: expected a ManyToManyLSTM or a TransformerForecaster, got {type(model).__name__}")
    weight, bias = model.head.weight.double(), model.head.bias.double()  # (H, F), (H,)
    if isinstance(model, ManyToManyLSTM):
        return (bias + weight.abs().sum(dim=1)).float().cpu()
    last = model.encoder.layers[-1]
    if model.encoder.norm is not None or last.norm_first:
        raise ValueError("model: expected a post-norm encoder without a final norm")
    gamma, beta = last.norm2.weight.double(), last.norm2.bias.double()  # (D,): the last thing the head reads
    per_position = weight.reshape(len(bias), -1, len(gamma))  # (H, L, D)
    u = per_position * gamma
    spread = (u - u.mean(dim=-1, keepdim=True)).norm(dim=-1)  # (H, L)
    return (bias + (per_position * beta).sum(dim=(1, 2)) + len(gamma) ** 0.5 * spread.sum(dim=1)).float().cpu()


def head_reach(
    model: nn.Module, length: int, low: float, high: float, *, starts: int = 4, steps: int = 200
) -> torch.Tensor:
    """The highest output an input search finds for each of the H steps, `length` inputs held in [low, high]: (H,).

    A lower bound on what the model can write (each value is the output of an input found), in its
    own (scaled) units, beside `head_ceiling`'s upper bound. Gradient ascent with Adam on `starts`
    random windows per step, each input kept in the box as low + (high - low) * sigmoid(z); the
    highest output any search reached is kept. A search can miss the true maximum.
    """
    model = model.eval()
    device = model.head.weight.device  # the search runs where the model is
    horizon = model.head.out_features
    generator = torch.Generator().manual_seed(0)  # on the CPU: the same starts on every device
    z = torch.randn(starts * horizon, length, 1, generator=generator).to(device).requires_grad_()  # (N, L, 1)
    step = torch.arange(horizon, device=device).repeat(starts)  # search i maximizes step i % H
    optimizer = torch.optim.Adam([z], lr=0.1)
    best = torch.full((horizon,), -math.inf, device=device)
    # cuDNN's LSTM backward refuses eval mode (a GPU-only error); PyTorch's own kernels do not
    with torch.backends.cudnn.flags(enabled=False):
        for _ in range(steps + 1):
            x = low + (high - low) * torch.sigmoid(z)
            out = model(x)[torch.arange(len(step), device=device), step]  # each search's own step
            with torch.no_grad():
                best = torch.maximum(best, out.detach().reshape(starts, horizon).max(dim=0).values)
            optimizer.zero_grad()
            (-out.sum()).backward()
            optimizer.step()
    return best.cpu()


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
    positive_int(steps, "steps")
    if len(history) < window:
        raise ValueError(f"history: expected at least window = {window} values, got {len(history)}")
    model.eval().to(device)
    values = history.clone()
    while len(values) < len(history) + steps:
        recent = values[-window:].unsqueeze(0)  # (1, L)
        scaled = model(scaler.inputs(recent).unsqueeze(-1).to(device)).cpu()  # (1, H)
        values = torch.cat([values, scaler.inverse(recent, scaled)[0]])
    return values[len(history) : len(history) + steps]


def long_split_forecasts(
    kind: str,
    values: torch.Tensor,
    s: AirlineSettings,
    *,
    seed: int = 0,
    device: torch.device | str = "cpu",
    **fit_options: Any,
) -> tuple[torch.Tensor, float]:
    """Split B: train on all but the last `s.long_test_months`, then forecast them by feeding forecasts back.

    Returns every member's forecasts (M, long_test_months) in passengers, and the training seconds.
    """
    long_split = len(values) - s.long_test_months
    train, _ = airline_datasets(values[:long_split], values[long_split - s.window :], s, s.scaler)
    models, seconds = fit_seeds(kind, train, s, seed=seed, device=device, **fit_options)
    history = values[:long_split]
    forecasts = [
        forecast_ahead(m, train.scaler, history, s.long_test_months, window=s.window, device=device) for m in models
    ]
    return torch.stack(forecasts), seconds


# --- Every method on one test period, compared by the rule of notebook 02 -----------------------

SEASONAL_NAIVE, DRIFT, DRIFT_LOG = "seasonal naive", "seasonal RW + drift, values", "seasonal RW + drift, logs"
SARIMA, HW_MUL, HW_ADD = "SARIMA, log values", "Holt-Winters, mult. season", "Holt-Winters, add. season"
LSTM, TRANSFORMER = "lstm, log-relative", "transformer, log-relative"  # the two log-relative ensembles
NETWORKS = (LSTM, TRANSFORMER)
LSTM_STANDARD, TRANSFORMER_STANDARD = "lstm, standard", "transformer, standard"  # the globally standardized ensembles
STANDARDIZED = (LSTM_STANDARD, TRANSFORMER_STANDARD)
OTHERS = (SEASONAL_NAIVE, DRIFT, DRIFT_LOG, SARIMA, HW_MUL, HW_ADD)  # every method that is not a network
SHORT = {
    LSTM: "LSTM",
    TRANSFORMER: "Transformer",
    LSTM_STANDARD: "standardized LSTM",
    TRANSFORMER_STANDARD: "standardized Transformer",
    DRIFT: "drift on values",
    DRIFT_LOG: "drift on logs",
    SARIMA: "SARIMA",
    HW_MUL: "HW mult.",
    HW_ADD: "HW add.",
}
"""Short names for the comparison tables (RW: random walk; HW: Holt-Winters)."""


def is_network(name: str) -> bool:
    """'lstm, log-relative', 'transformer, standard', ...: True for a network's ensemble, False for other methods."""
    return name.partition(", ")[0] in MODEL_KINDS


def label(name: str) -> str:
    """'lstm, standard' -> 'LSTM ensemble, standardized': a network's name in tables and figures; others unchanged."""
    kinds = {"lstm": "LSTM", "transformer": "Transformer"}
    kind, _, scaling = name.partition(", ")
    if kind not in kinds:
        return name
    return f"{kinds[kind]} ensemble, {'standardized' if scaling == 'standard' else scaling}"


BASELINE_NAME = "seasonal random walk with drift, on values"
"""The report's name for its baseline, `DRIFT`: FPP3's seasonal naive and drift combined (fable: SNAIVE(y ~ drift()))"""

PICKED_AFTER_TESTS = "lstm"
"""The headline network chosen after both tests had been seen (59f4720; before it, "transformer"): a selection
every report of that headline names (`baseline_label`)."""


def baseline_label(
    others_mae: dict[str, float],
    other_start_mae: float,
    network: str,
    bar: tuple[Difference, str],
    beside: tuple[Difference, str],
    drift_mae: float,
    long: tuple[float, float, str],
) -> str:
    """The result's `baseline_name`: the bar, the headline against it, the drift on values beside it, then the
    second test.

    The bar is the lowest of `others_mae` (the 1960 MAE of each of the six methods that are not networks); if that is
    `HW_MUL`, the label says what `other_start_mae` (its MAE fitted by `fit(use_brute=False)`) makes the lowest.
    `bar` and `beside` are the headline ensemble's (`network`: "lstm" or "transformer") comparisons on 1960 with the
    bar and with the drift on values (`BASELINE_NAME`, MAE `drift_mae`), each an interval of the absolute errors
    (12,), the headline's minus the other's, and its verdict by notebook 02's rule (`screened_verdict`). The drift
    is another simple reference, not the bar. `long` is the second test, the last 36 months:
    the headline's MAPE, the drift on values' and the verdict of the headline against it by the rule. For
    `PICKED_AFTER_TESTS` the label adds that the headline was picked after the tests; every label ends with where
    the networks' settings were chosen (1957-1959, inside the second test):
    'HW mult., the lowest 1960 MAE of the six methods that are not networks (default fit; 16.80 from another start,
    SARIMA 13.25 then lowest); LSTM against it on 1960 (notebook 02's rule, rough): no clear difference; another
    reference: seasonal random walk with drift, on values, 21.42, LSTM against it: no clear difference; last 36 months,
    MAPE: LSTM 8.40 %, the drift on values 4.12 %, LSTM against it: clearly higher error; LSTM made the headline
    after the tests; the networks' settings were, by the section's first commit (unrecorded, so unchecked), chosen
    on 1957-1959, two of the 36-month test's years'.
    """
    name = {"lstm": "LSTM", "transformer": "Transformer"}[network]

    def said(verdict: str) -> str:
        return {"below 0": "clearly lower error", "above 0": "clearly higher error"}.get(verdict, verdict)

    rule = "notebook 02's rule" + (", rough" if bar[0].rough else "")
    lowest = min(others_mae, key=others_mae.get)
    text = f"{SHORT.get(lowest, lowest)}, the lowest 1960 MAE of the six methods that are not networks"
    if lowest == HW_MUL:
        other = others_mae | {HW_MUL: other_start_mae}
        then = min(other, key=other.get)
        text += f" (default fit; {other_start_mae:.2f} from another start, {SHORT.get(then, then)}"
        text += f" {other[then]:.2f} then lowest)"
    tail = f"; {name} made the headline after the tests" if network == PICKED_AFTER_TESTS else ""
    tail += "; the networks' settings were, by the section's first commit (unrecorded, so unchecked), chosen on"
    tail += " 1957-1959, two of the 36-month test's years"
    return (
        f"{text}; {name} against it on 1960 ({rule}): {said(bar[1])}; "
        f"another reference: {BASELINE_NAME}, {drift_mae:.2f}, {name} against it: {said(beside[1])}; "
        f"last 36 months, MAPE: {name} {long[0]:.2f} %, the drift on values {long[1]:.2f} %, {name} against it: "
        f"{said(long[2])}{tail}"
    )


NO_CLEAR = "no clear difference"
CLEAR = ("below 0", "above 0")
"""The two verdicts of a clear difference (`Difference.verdict`)."""
TREND = "trends: no verdict"
"""The verdict of a trending pair whose monthly differences do not all share one sign (year means aside)."""
TREND_PREFIX = "trends:"
"""How every verdict of a pair the trend screen flags begins (`TREND`, `TREND_ABOVE`, `TREND_BELOW`)."""
TREND_ABOVE = "trends: every month above 0, no interval"
TREND_BELOW = "trends: every month below 0, no interval"
"""The verdict of a trending pair whose every monthly difference has one sign: notebook 02's rule (when the
differences trend, the block bootstrap's interval is not valid; what holds without it is a sign every single
difference has)."""
Pair = tuple[str, str]


def classical_forecasts(history: torch.Tensor, horizon: int) -> dict[str, torch.Tensor]:
    """SARIMA on logs and both Holt-Winters variants, fitted to `history` (L,): the next `horizon` months."""
    return {
        SARIMA: sarima_log_forecast(history, horizon),
        HW_MUL: holt_winters_forecast(history, horizon, seasonal="multiplicative"),
        HW_ADD: holt_winters_forecast(history, horizon, seasonal="additive"),
    }


@dataclass(frozen=True)
class HoltWintersFit:
    """One multiplicative Holt-Winters fit: its forecast (H,), SSE, the optimizer's report and the smoothing weights."""

    forecast: torch.Tensor  # (H,), passengers
    sse: float  # sum of squared one-step errors
    converged: bool
    message: str  # the optimizer's own words
    warnings: list[str]  # statsmodels' warnings during the fit
    weights: dict[str, float]  # α (level), β (trend), γ (season)


HW_STARTS = {"fit() (default, used here)": {}, "fit(use_brute=False)": {"use_brute": False}}
"""Two of statsmodels' optimizer starts: a brute-force grid search over the weights (its default), or fixed values
(it offers others, `start_params` and other `method`s, not tried here)."""


def holt_winters_starts(history: torch.Tensor, horizon: int) -> dict[str, HoltWintersFit]:
    """`HW_MUL` fitted to `history` (L,) from each start in `HW_STARTS`: one least-squares problem, two starts.

    The default start is `classical_forecasts`' fit. Each start's forecast of the next `horizon` months is (H,).
    """
    model = _statsmodels("holt_winters")(history.double().numpy(), trend="add", seasonal="mul", seasonal_periods=SEASON)
    fits, parts = {}, {"α": "level", "β": "trend", "γ": "seasonal"}
    for start, options in HW_STARTS.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fitted = model.fit(**options)
        fits[start] = HoltWintersFit(
            forecast=torch.from_numpy(fitted.forecast(horizon)).float(),
            sse=float(fitted.sse),
            converged=bool(fitted.mle_retvals.success),
            message=str(fitted.mle_retvals.message).strip(),
            warnings=[str(w.message) for w in caught],
            weights={w: float(fitted.params[f"smoothing_{part}"]) for w, part in parts.items()},
        )
    return fits


def baseline_forecasts(history: torch.Tensor, horizon: int) -> dict[str, torch.Tensor]:
    """Seasonal naive and the seasonal random walk with drift on values and on logs: the next `horizon` months."""
    return {
        SEASONAL_NAIVE: seasonal_naive(history, horizon),
        DRIFT: seasonal_random_walk_drift(history, horizon),
        DRIFT_LOG: seasonal_random_walk_drift(history, horizon, log=True),
    }


def comparison_pairs(best: str) -> list[Pair]:
    """Each network against each other method and against the other network; each other method against `best`."""
    pairs = [(network, other) for network in NETWORKS for other in OTHERS] + [(LSTM, TRANSFORMER)]
    return pairs + [(other, best) for other in OTHERS if other != best]


STANDARDIZED_PAIRS: list[Pair] = [(network, SEASONAL_NAIVE) for network in STANDARDIZED]
"""Each globally standardized ensemble against seasonal naive: notebook 08's extrapolation lesson."""


def trends(monthly: torch.Tensor, difference: Difference, parts: int) -> bool:
    """Notebook 02's trend screen on one pair's differences (N,), in month order, split into `parts` runs of months
    (over 36 months, 3 parts are the years).

    True when the part means spread (largest minus smallest) wider than sqrt(parts) times the width of
    `difference`'s interval (`metrics.part_means_spread`): the differences then change with the position, or depend
    over more units (here months) than a block holds; no interval of their mean is valid either way. Within it, the
    screen finds no change with the position (it can miss one): year means that rise every year do not count by
    themselves.
    """
    return part_means_spread(monthly, parts, difference.high - difference.low)[2]


def trend_verdict(monthly: torch.Tensor) -> str:
    """What holds without an interval for a trending pair, from its differences (N,), one per month.

    Notebook 02's rule: above 0 if every difference is, below 0 if every difference is, else no
    verdict. Not the year means: a sign every year's mean has is weaker than the interval (a pair
    that does not trend can have it and no clear difference), so it would favour trending pairs.
    """
    if bool((monthly > 0).all()):
        return TREND_ABOVE
    if bool((monthly < 0).all()):
        return TREND_BELOW
    return TREND


def _years_text(years: Sequence[int]) -> str:
    """[1958] -> '1958'; [1959, 1960] -> '1959 and 1960'; [1958, 1959, 1960] -> '1958, 1959 and 1960'."""
    names = [str(y) for y in years]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


SCREEN_PARTS = (3, 4, 5)
"""Notebook 02's trend screen cuts a pair's N monthly differences, in order, into k consecutive parts, k from 3 to
5; a flag with any k withholds the interval. Over 36 months, k = 3 makes the parts the years."""


def screen_ratios(
    monthly: torch.Tensor, difference: Difference, parts: Sequence[int] = SCREEN_PARTS
) -> dict[int, float]:
    """Notebook 02's trend screen on one pair's differences (N,), in month order: k -> spread / limit, for each k in
    `parts` that leaves at least 2 months a part.

    The spread is that of the k part means (largest minus smallest), the limit sqrt(k) times the width of
    `difference`'s interval (`metrics.part_means_spread`). Above 1 for some k, the screen flags the pair (`trends`).
    """
    width = difference.high - difference.low
    return {k: screen_ratio(monthly, k, width) for k in parts if len(monthly) >= 2 * k}


def screened_verdict(monthly: torch.Tensor, difference: Difference, parts: Sequence[int] = SCREEN_PARTS) -> str:
    """Notebook 02's rule on one pair: `difference`'s verdict, or, if the trend screen flags the differences (N,) with
    any k in `parts` (`screen_ratios` above 1), no interval, only a sign every month's difference has (`trend_verdict`).
    """
    flagged = any(ratio > 1 for ratio in screen_ratios(monthly, difference, parts).values())
    return trend_verdict(monthly) if flagged else difference.verdict


def judged(a: torch.Tensor, b: torch.Tensor, block: int) -> tuple[Difference, str]:
    """Notebook 02's rule on one pair of errors (N,) each, in month order: a minus b's interval and its verdict."""
    difference = paired_difference(a, b, block=block)
    return difference, screened_verdict(a - b, difference)


def block_means_interval(
    monthly: torch.Tensor, block: int, level: float = 0.95, start: int = 0
) -> tuple[torch.Tensor, float, float]:
    """A second look where blocks are few: Student's t interval on the means of consecutive blocks of months.

    The batch-means method, standard for dependent simulation output (Schmeiser, *Operations Research*
    30(3), 1982, studies how many batches to use and advises 10 to 30): the differences (N,), in month
    order, cut into N // `block` blocks, the first starting at month `start` (the months before it wrap
    to the end, as the bootstrap's circular blocks do: a circular variant, since the standard method's
    batches are consecutive; months left over are not used), whose means are taken as independent,
    with a t interval (blocks - 1 degrees of freedom; statsmodels' `DescrStatsW.tconfint_mean`). With
    4 blocks it is a rough check too, and its verdict can depend on `start`. Returns the block means
    (N // block,), low, high.
    """
    values = torch.as_tensor(monthly).double()
    positive_int(block, "block")
    if values.ndim != 1 or len(values) < 2 * block:
        raise ValueError(f"monthly: expected (N,) with N >= 2 * block = {2 * block}, got shape {tuple(values.shape)}")
    if not 0 < level < 1:
        raise ValueError(f"level: expected a share between 0 and 1, got {level!r}")
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start < block:
        raise ValueError(f"start: expected a month from 0 to block - 1 = {block - 1}, got {start!r}")
    values = torch.roll(values, -start)  # month `start` first, the months before it last
    from statsmodels.stats.weightstats import DescrStatsW  # here: only notebook 08 asks for it

    means = values[: len(values) // block * block].reshape(-1, block).mean(dim=1)  # (blocks,)
    low, high = DescrStatsW(means.numpy()).tconfint_mean(alpha=1 - level)
    return means, float(low), float(high)


@dataclass(frozen=True)
class SecondLook:
    """`block_means_interval`'s (low, high) with the first block starting at each month of a block, in order."""

    intervals: tuple[tuple[float, float], ...]

    @property
    def kept(self) -> bool:
        """A clear verdict survives the second look only if every start's interval excludes 0."""
        return all(not low <= 0 <= high for low, high in self.intervals)

    def __str__(self) -> str:
        ends = "; ".join(f"{low:+.1f} to {high:+.1f}" for low, high in self.intervals)
        return f"{ends}; {'kept' if self.kept else 'includes 0'}"


def second_look(monthly: torch.Tensor, block: int) -> SecondLook:
    """Notebook 08's second look at a clear verdict on few blocks: the t interval on the block means of the
    differences (N,), with the blocks starting in each month of the first block (its verdict can depend on it)."""
    return SecondLook(tuple(block_means_interval(monthly, block, start=k)[1:] for k in range(block)))


@dataclass(frozen=True)
class FalseAlarms:
    """How often notebook 02's trend screen flags independent Gaussian noise (no trend, no dependence) of `months`
    values, blocks of `block`. The screen also flags dependence over more months than a block holds."""

    months: int
    block: int
    runs: int  # simulated series
    by_parts: dict[int, float]  # k -> the share of runs flagged with k parts (notebook 02's k)
    any_parts: float  # the share flagged with some k: the runs that would get no interval verdict

    def __str__(self) -> str:
        shares = ", ".join(f"{100 * share:.1f} %" for share in self.by_parts.values())
        parts = ", ".join(str(k) for k in self.by_parts)
        return (
            f"the trend screen on independent Gaussian noise (no trend, no dependence), {self.months} months, blocks"
            f" of {self.block} ({self.runs} runs):"
            f" flagged at k = {parts}: {shares}; with any k: {100 * self.any_parts:.1f} %"
        )

    def against(self, comparison: Comparison) -> str:
        """How many of `comparison`'s pairs independent Gaussian noise would flag, beside how many its screen flags."""
        pairs = len(comparison.differences)
        flagged = len(comparison.trending())
        return (
            f"independent Gaussian noise would flag about {self.any_parts * pairs:.1f} of {pairs} pairs;"
            f" flagged here: {flagged}"
        )


def screen_false_alarms(
    months: int, block: int, runs: int, *, seed: int = 0, parts: Sequence[int] = SCREEN_PARTS
) -> FalseAlarms:
    """The trend screen's false-alarm rate: the share of `runs` series of `months` i.i.d. Gaussian values (no trend,
    no dependence) that it flags, applied as the tables apply it.

    Each series (months,) gets `compare`'s interval (`paired_difference` against zeros, blocks of `block`, its
    default resamples and seed), then the screen with each k in `parts` that leaves at least 2 months a part
    (`screen_ratios`). With its seed fixed, `paired_difference`'s resampled means are a fixed linear map of the
    differences, (resamples, months), read off the unit vectors: one matrix product then gives every series'
    resampled means (runs, resamples). The screen does not depend on the noise's scale. The series come from one
    generator seeded with `seed`.
    """
    positive_int(months, "months")
    positive_int(runs, "runs")
    if months < 2:
        raise ValueError(f"months: expected at least 2, got {months}")
    noise = torch.randn(runs, months, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    units = [paired_difference(unit, torch.zeros_like(unit), block=block) for unit in torch.eye(months).double()]
    weights = torch.stack([unit.means for unit in units], dim=1)  # (resamples, months)
    tails = torch.tensor([(1 - units[0].level) / 2, (1 + units[0].level) / 2], dtype=torch.float64)
    low, high = torch.quantile(noise @ weights.T, tails, dim=1)  # (runs,) each: every series' interval
    flagged = {}  # k -> (runs,) bool
    for k in [k for k in parts if months >= 2 * k]:
        means = torch.stack([part.mean(dim=1) for part in torch.tensor_split(noise, k, dim=1)], dim=1)  # (runs, k)
        flagged[k] = means.max(dim=1).values - means.min(dim=1).values > math.sqrt(k) * (high - low)
    flagged_any = torch.stack(list(flagged.values())).any(dim=0) if flagged else torch.zeros(runs, dtype=torch.bool)
    shares = {k: flags.double().mean().item() for k, flags in flagged.items()}
    return FalseAlarms(months, block, runs, shares, flagged_any.double().mean().item())


def ratio_text(ratio: float) -> str:
    """A trend screen ratio to 2 decimals, or to as many more (up to 4) as tell it from 1: 0.84, 0.996, 1.21."""
    for digits in (2, 3, 4):
        text = f"{ratio:.{digits}f}"
        if float(text) != 1 or ratio == 1:
            return text
    return text


def significant(x: float, rough: bool) -> str:
    """`x` signed, to 2 significant digits when its interval is rough (it earns fewer), else 3: +3.00, -31."""
    return f"{x:+#.{2 if rough else 3}g}".rstrip(".")


def interval_text(difference: Difference) -> str:
    """ "mean (low to high)" of `difference`, printed as the verdict tables print it (`significant`)."""
    low, high = significant(difference.low, difference.rough), significant(difference.high, difference.rough)
    return f"{significant(difference.mean, difference.rough)} ({low} to {high})"


@dataclass(frozen=True)
class Comparison:
    """Paired differences A - B on one test period, their verdicts, and the verdicts with other block lengths."""

    title: str
    differences: dict[Pair, Difference]
    other_verdicts: dict[int, dict[Pair, str]]  # block length -> pair -> verdict (that length's interval and screen)
    correlations: torch.Tensor  # (pairs, 3): each pair's differences, their autocorrelation at lags 1, 2, 3
    year_means: dict[Pair, torch.Tensor]  # pair -> the mean difference in each year (empty: a single year)
    first_year: int | None = None  # the calendar year of year_means' first entry
    monthly: dict[Pair, torch.Tensor] = field(default_factory=dict)  # pair -> its difference in each month

    def ratios(self, a: str, b: str) -> dict[int, float]:
        """Notebook 02's trend screen for (a, b): k -> spread of the k part means / its limit (`screen_ratios`)."""
        return screen_ratios(self.monthly[a, b], self.differences[a, b])

    def trending(self) -> list[Pair]:
        """The pairs the trend screen flags with some k in `SCREEN_PARTS` (a ratio above 1): no interval verdict."""
        return list(self._trending)

    @cached_property
    def _trending(self) -> dict[Pair, None]:
        """`trending`'s pairs, in order, screened once: `verdict` asks for every pair, every table for every verdict."""
        return {pair: None for pair in self.differences if any(r > 1 for r in self.ratios(*pair).values())}

    def trending_in_parts(self, parts: int) -> list[Pair]:
        """The pairs whose differences, cut into `parts` consecutive runs of months, fail notebook 02's trend screen."""
        return [pair for pair, d in self.differences.items() if trends(self.monthly[pair], d, parts)]

    def screened_correlations(self, flagged: bool) -> torch.Tensor:
        """(pairs, 3): `correlations` of the pairs the trend screen flags (`flagged`, `trending`) or does not.

        A drift in a flagged pair's mean difference, if there is one, dominates its autocorrelations, which then
        do not say how far the dependence between months reaches.
        """
        rows = [i for i, pair in enumerate(self.differences) if (pair in self._trending) == flagged]
        return self.correlations[rows]

    def verdict(self, a: str, b: str) -> str:
        """The interval's verdict; for a trending pair, a sign every month's difference has (`trend_verdict`)."""
        return trend_verdict(self.monthly[a, b]) if (a, b) in self._trending else self.differences[a, b].verdict

    def by_year(self, a: str, b: str) -> str:
        """Not a verdict: 'A worse in 1958, better in 1959 and 1960' by year means (worse: higher errors).

        With the per-month differences kept and every year's mean of one sign, the months whose
        difference has the other sign are counted too: 'A worse in 1958, 1959 and 1960 (year means;
        9 of 36 months the other way)'. Only 0 months the other way is a verdict (`trend_verdict`).
        """
        groups: dict[str, list[int]] = {}
        for i, m in enumerate(self.year_means[a, b].tolist()):
            word = "worse" if m > 0 else "better" if m < 0 else "level"
            groups.setdefault(word, []).append(self.first_year + i)
        parts = sorted(groups.items(), key=lambda item: item[1][0])  # in the order of the years
        text = f"{SHORT.get(a, a)} " + ", ".join(f"{word} in {_years_text(years)}" for word, years in parts)
        months = self.monthly.get((a, b))
        if months is not None and len(groups) == 1 and "level" not in groups:
            sign = 1 if "worse" in groups else -1
            against = int((months * sign < 0).sum())
            text += f" (year means; {against} of {len(months)} months the other way)"
        return text

    def year_disagreements(self) -> list[str]:
        """'A - B: above 0, but its 1958 mean is -1.04' for each clear verdict that some year's mean contradicts."""
        lines = []
        for (a, b), means in self.year_means.items():
            verdict = self.verdict(a, b)
            sign = {"above 0": 1, "below 0": -1}.get(verdict)
            for i, m in enumerate(means.tolist()):
                if sign is not None and m * sign <= 0:
                    lines.append(f"{a} - {b}: {verdict}, but its {self.first_year + i} mean is {m:+.2f}")
        return lines

    def changing(self) -> dict[Pair, dict[int, str]]:
        """The pairs with a verdict that is not the same with every block length: pair -> {block length: verdict}.

        One rule at every block length, notebook 02's (that length's interval and trend screen): a pair the
        screen flags with one length and not another changes too.
        """
        block = next(iter(self.differences.values())).block
        changing = {}
        for pair in self.differences:
            verdicts = {block: self.verdict(*pair)} | {b: v[pair] for b, v in self.other_verdicts.items()}
            if len(set(verdicts.values())) > 1:
                changing[pair] = dict(sorted(verdicts.items()))
        return changing

    def differing(self, block: int) -> list[Pair]:
        """The pairs whose verdict with blocks of `block` months (one of `other_verdicts`) is not their verdict."""
        return [pair for pair, verdict in self.other_verdicts[block].items() if verdict != self.verdict(*pair)]

    def flagged(self, block: int) -> list[Pair]:
        """The pairs the trend screen flags with blocks of `block` months: the main block length or another."""
        if block == next(iter(self.differences.values())).block:
            return self.trending()
        return [pair for pair, verdict in self.other_verdicts[block].items() if verdict.startswith(TREND_PREFIX)]

    def block_changes(self, pairs: bool = True) -> str:
        """How the verdicts change with the block length, by one rule (interval and trend screen) at every length.

        'with blocks of 2 and 4 months instead (interval and trend screen), 1 of 2 verdicts changes', then a line
        per other block length: '  blocks of 4 (3 blocks, rough): 1 differs from blocks of 3's; the screen flags 1
        (with 3: 0)', then, with `pairs`, one line per pair `changing` returns, its verdict with every block
        length: '  A - B: 2 (6 blocks, rough): above 0; ...'.
        """
        name = lambda n: SHORT.get(n, n)  # noqa: E731
        block = next(iter(self.differences.values())).block
        blocks, changing = [str(b) for b in self.other_verdicts], self.changing()
        blocks = " and ".join([", ".join(blocks[:-1]), blocks[-1]] if len(blocks) > 1 else blocks)
        changes = f"{len(changing)} of {len(self.differences)} verdicts " + (
            "changes" if len(changing) == 1 else "change"
        )
        lines = [f"with blocks of {blocks} months instead (interval and trend screen), {changes}"]
        for other in self.other_verdicts:
            count = len(self.differing(other))
            lines.append(
                f"  blocks of {self.blocks(other)}: {count} {'differs' if count == 1 else 'differ'} from blocks of"
                f" {block}'s; the screen flags {len(self.flagged(other))} (with {block}: {len(self.trending())})"
            )
        for (a, b), verdicts in changing.items() if pairs else ():
            by_block = "; ".join(f"{self.blocks(k)}: {v}" for k, v in verdicts.items())
            lines.append(f"  {name(a)} - {name(b)}: {by_block}")
        return "\n".join(lines)

    def blocks(self, block: int) -> str:
        """'12 (3 blocks, rough)' for a block length leaving fewer than `ROUGH_BLOCKS` blocks, else '3'."""
        count = next(iter(self.differences.values())).n / block
        return f"{block} ({count:.3g} blocks, rough)" if count < ROUGH_BLOCKS else str(block)

    def mismatches(self, stated: dict[Pair, str]) -> list[str]:
        """'A - B: stated ..., interval says ...' for every pair whose verdict is not the `stated` one."""
        return [
            f"{a} - {b}: stated {verdict}, interval says {self.verdict(a, b)}"
            for (a, b), verdict in stated.items()
            if self.verdict(a, b) != verdict
        ]

    def __str__(self) -> str:
        """The verdict table: per pair, its verdict, then the mean difference and its interval.

        Over several years, also the year means; last, notebook 02's trend screen: spread / limit for each k in
        `SCREEN_PARTS` (above 1: flagged). `diagnostics` says how far to trust the verdicts.
        """
        name = lambda n: SHORT.get(n, n)  # noqa: E731
        first = next(iter(self.differences.values()))  # every pair has the same months and blocks
        number = lambda x: significant(x, first.rough)  # noqa: E731
        header = ["A - B", "verdict", f"mean difference ({100 * first.level:.0f} % interval)"]
        if self.year_means:
            count = len(next(iter(self.year_means.values())))
            header.append("year means " + ", ".join(str(self.first_year + i) for i in range(count)))
        header.append("screen, k = " + ", ".join(str(k) for k in self.ratios(*next(iter(self.differences)))))
        trending, rows, groups = self.trending(), [header], {}
        against = {b for a, b in self.differences if is_network(a)}  # what the networks are held against
        networks = f"against {name(next(iter(against)))}" if len(against) == 1 else "against each method and each other"
        for (a, b), d in self.differences.items():
            group = (
                f"the networks, {networks}:"
                if is_network(a)
                else f"the methods that are not networks, each against {name(b)}:"
            )
            groups.setdefault(group, len(rows))
            interval = "(no interval)" if (a, b) in trending else f"({number(d.low)} to {number(d.high)})"
            row = [f"{name(a)} - {name(b)}", self.verdict(a, b), f"{number(d.mean)} {interval}"]
            if self.year_means:
                row.append(" ".join(f"{m:+6.2f}" for m in self.year_means[a, b].tolist()))
            rows.append([*row, " ".join(ratio_text(r) for r in self.ratios(a, b).values())])
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [f"{self.title}:"]
        if first.rough:
            lines.append(f"(every interval: rough, {first.blocks:.3g} blocks of {first.block}, likely too narrow)")
        starts = {index: group for group, index in groups.items()}
        for index, row in enumerate(rows):
            if index in starts:
                lines.append(f"-- {starts[index]}")
            lines.append(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip(" |"))
        return "\n".join(lines)

    def diagnostics(self, parts: Sequence[int] = SCREEN_PARTS) -> str:
        """How far to trust the verdicts of `str`: trend screen, correlations, block lengths, multiple comparisons.

        The trend screen cuts the N months into each number of `parts` in turn (`trending_in_parts`), where the
        period holds at least 2 months per part; a flag with any k withholds the interval (`trending`).
        """
        name = lambda n: SHORT.get(n, n)  # noqa: E731
        first = next(iter(self.differences.values()))
        level = f"{100 * first.level:.0f} %"
        trending = self.trending()
        lines = [f"{self.title}: how far to trust these verdicts"]
        for count in [p for p in parts if first.n >= 2 * p]:
            found = self.trending_in_parts(count)
            lines.append(
                f"notebook 02's trend screen, the {first.n} months in {count} parts ({first.n / count:.3g} months"
                f" each): {len(found)} of {len(self.differences)} pairs flagged"
                + (": " + "; ".join(f"{name(a)} - {name(b)}" for a, b in found) if found else "")
            )
        if trending:
            lines.append(
                f"flagged with some k: {len(trending)} pairs, no interval (a trend, or dependence over more months"
                " than a block holds); verdict as in 02: a sign every month's difference has, or none"
            )
        if trending and self.year_means:
            lines.append("  year by year (a description):")
            lines += [f"  {name(a)} - {name(b)}: {self.by_year(a, b)}" for a, b in trending]
        error = 1 / first.n**0.5  # one autocorrelation estimate's standard error from n independent values
        unflagged, flagged = self.screened_correlations(flagged=False), self.screened_correlations(flagged=True)
        groups = (
            (
                unflagged,
                f"correlation of the differences between months, over the {len(unflagged)} pairs the screen does not"
                f" flag (were they independent, one estimate's standard error would be about 1/sqrt({first.n})"
                f" = {error:.2f}):",
            ),
            (
                flagged,
                f"the same over the {len(flagged)} pairs it flags, where a trend in the differences would dominate"
                " them:",
            ),
        )
        for correlations, heading in [(c, h) for c, h in groups if len(c)]:
            lines.append(heading)
            for lag, r in enumerate(correlations.T, start=1):
                lines.append(f"  lag {lag}: median {r.median():+.2f}, from {r.min():+.2f} to {r.max():+.2f}")
        lines.append(self.block_changes())
        count = len(self.differences) - len(trending)  # the pairs judged by an interval
        lines.append(
            f"if no pair truly differed, at least one of {count} exact, independent {level} intervals would exclude 0"
            f" with probability {100 * (1 - first.level**count):.0f} %: only a guide, as pairs that share a method"
            " are not independent and the intervals are not exact"
        )
        # readable without scrolling: long lines wrap at spaces, continued after 4 spaces
        wrap = lambda line: textwrap.fill(line, 110, subsequent_indent=" " * 4, break_on_hyphens=False)  # noqa: E731
        return "\n".join(wrap(line) for line in "\n".join(lines).splitlines())


def compare(
    errors: dict[str, torch.Tensor],
    pairs: Sequence[Pair],
    *,
    block: int,
    other_blocks: Sequence[int],
    title: str,
    first_year: int | None = None,
) -> Comparison:
    """The rule of notebook 02 for each pair (a, b): mean(errors[a] - errors[b]) over the months, blocks of `block`.

    `errors[name]` holds one error per month (N,). The verdicts are also computed, by the same rule (that block
    length's interval and trend screen, `screened_verdict`), with each block length of `other_blocks` that leaves
    at least 3 blocks in the N months, and the autocorrelation
    of each pair's differences at lags 1 to 3: over the pairs the trend screen does not flag
    (`Comparison.screened_correlations`), a rough look at how far the dependence between
    months reaches. From N values, each estimate's standard error is about 1 / sqrt(N) if the
    differences are independent (white noise); under dependence, Bartlett's formula gives another.

    With `first_year` (the calendar year of the first month) and N holding two years or more, each
    pair's mean difference per year is kept too (a description). A pair that notebook 02's trend screen flags
    with some k in `SCREEN_PARTS` (`screened_verdict`) gets no interval verdict, only a sign every month's
    difference has (`trend_verdict`).
    """
    differences = {(a, b): paired_difference(errors[a], errors[b], block=block) for a, b in pairs}
    n = len(next(iter(errors.values())))
    others = [b for b in other_blocks if b != block and n // b >= 3]
    other_verdicts = {  # the same rule with each other block length: its interval, its trend screen
        b: {(x, y): judged(errors[x], errors[y], b)[1] for x, y in pairs} for b in others
    }
    centred = [(errors[a] - errors[b]).double() - (errors[a] - errors[b]).double().mean() for a, b in pairs]
    correlations = torch.tensor(
        [[((d[:-lag] * d[lag:]).sum() / (d * d).sum()).item() for lag in (1, 2, 3)] for d in centred]
    )
    year_means = {}
    if first_year is not None and n % SEASON == 0 and n // SEASON >= 2:
        year_means = {(a, b): (errors[a] - errors[b]).double().reshape(-1, SEASON).mean(dim=1) for a, b in pairs}
    monthly = {(a, b): errors[a] - errors[b] for a, b in pairs}
    return Comparison(title, differences, other_verdicts, correlations, year_means, first_year, monthly)


def _pairs_stated(
    best: str, networks: dict[str, str], others: dict[str, str], lstm_transformer: str
) -> dict[Pair, str]:
    """Verdicts by pair: each network against each other method, LSTM - Transformer, each other method - `best`."""
    stated = {(network, other): networks[other] for network in NETWORKS for other in OTHERS}
    return stated | {(LSTM, TRANSFORMER): lstm_transformer} | {(o, best): v for o, v in others.items()}


TEXT_VERDICTS: dict[str, dict[Pair, str]] = {
    "1960": _pairs_stated(
        HW_MUL,
        networks={SEASONAL_NAIVE: "below 0"} | {other: NO_CLEAR for other in OTHERS[1:]},
        others={SEASONAL_NAIVE: "above 0", DRIFT: "above 0", DRIFT_LOG: NO_CLEAR, SARIMA: TREND, HW_ADD: NO_CLEAR},
        lstm_transformer=NO_CLEAR,
    )
    | {(TRANSFORMER, SEASONAL_NAIVE): TREND, (TRANSFORMER, DRIFT): TREND},
    "36 months": _pairs_stated(
        DRIFT,
        networks={SEASONAL_NAIVE: TREND, DRIFT: "above 0", DRIFT_LOG: "below 0", SARIMA: "above 0", HW_MUL: "above 0"}
        | {HW_ADD: "above 0"},
        others={SEASONAL_NAIVE: TREND, DRIFT_LOG: TREND_ABOVE, SARIMA: "above 0", HW_MUL: TREND, HW_ADD: "above 0"},
        lstm_transformer="below 0",
    )
    | {(LSTM, SARIMA): NO_CLEAR},
    "1960, standardized": {pair: NO_CLEAR for pair in STANDARDIZED_PAIRS},
}
"""The verdict notebook 08's text states for each pair it compares: on 1960, on the last 36 months, and for the
standardized ensembles against seasonal naive on 1960 (`TREND`, `TREND_ABOVE`, `TREND_BELOW`: the trend screen
flags the pair, so the text gives no interval verdict, only a sign every month's difference has, or none)."""

TEXT_VERDICTS_OTHER_START: dict[Pair, str] = {
    pair: verdict for pair, verdict in TEXT_VERDICTS["1960"].items() if pair[1] == HW_MUL and pair[0] in OTHERS
} | {(SARIMA, HW_MUL): NO_CLEAR}
"""The 1960 verdicts the text states for each other method against `HW_MUL` fitted by `fit(use_brute=False)`: the
default fit's, except for SARIMA (no trend flagged, no clear difference)."""

TEXT_CHANGING: dict[str, set[Pair]] = {
    "1960": {(TRANSFORMER, SEASONAL_NAIVE), (TRANSFORMER, DRIFT), (TRANSFORMER, HW_MUL)},
    "36 months": set(comparison_pairs(DRIFT))
    - {(LSTM, DRIFT_LOG), (TRANSFORMER, HW_MUL), (TRANSFORMER, HW_ADD), (SARIMA, DRIFT), (HW_ADD, DRIFT)},
    "1960, standardized": {(TRANSFORMER_STANDARD, SEASONAL_NAIVE)},
}
"""The pairs whose verdict changes with the block length (one rule at every length: interval and trend screen), the
pairs the text counts: on 1960 3 of 18 and 1 of 2, over 36 months 13 of 18."""

TEXT_OTHER_BLOCKS: dict[str, dict[int, dict[Pair, str]]] = {
    "1960": {
        2: {(TRANSFORMER, SEASONAL_NAIVE): "below 0", (TRANSFORMER, HW_MUL): "above 0", (TRANSFORMER, DRIFT): NO_CLEAR}
    }
    | {4: {(TRANSFORMER, SEASONAL_NAIVE): TREND, (TRANSFORMER, HW_MUL): "above 0", (TRANSFORMER, DRIFT): NO_CLEAR}},
    "36 months": {2: dict(TEXT_VERDICTS["36 months"])},  # with blocks of 2, every verdict is the one with 3
    "1960, standardized": {},
}
"""The verdicts the text states with other block lengths: period -> block length -> pair -> verdict."""


def claim_verdicts(
    comparison: Comparison, period: str, trained_zero: float | None, *, fragile: tuple[str, str] | None = None
) -> None:
    """Claim that every verdict, every change with the block length and every verdict with another block length
    (`TEXT_VERDICTS`, `TEXT_CHANGING`, `TEXT_OTHER_BLOCKS`) is the one the text states for `period`.

    Over several years, a clear verdict must also have the sign of every year's mean difference
    (what holds without the interval), and a pair the text gives no interval verdict must trend.
    Pairs with a network depend on training: they are held to `trained_zero` (0 in full mode,
    None, i.e. not checked, in fast mode); the other pairs are held to 0 in both modes.
    `fragile` = (method, reason): the pairs with that method are claimed apart, in a
    `machine_dependent(reason)` block (a fit that lands elsewhere on some machines).
    """
    wrong = comparison.mismatches(TEXT_VERDICTS[period]) + comparison.year_disagreements()
    changing = set(comparison.changing())
    wrong += [f"{a} - {b}: changes with the block length" for a, b in changing - TEXT_CHANGING[period]]
    wrong += [f"{a} - {b}: does not change with the block length" for a, b in TEXT_CHANGING[period] - changing]
    for block, stated in TEXT_OTHER_BLOCKS.get(period, {}).items():
        found = comparison.other_verdicts[block]
        wrong += [
            f"{a} - {b}: with blocks of {block}, stated {v}, the rule says {found[a, b]}"
            for (a, b), v in stated.items()
            if found[a, b] != v
        ]
    for line in wrong:
        print(f"  {line}")
    what = "the rule (any block length)" + (" or a year's mean" if comparison.year_means else "")
    apart = [line for line in wrong if fragile and fragile[0] in line.split(": ", 1)[0]]  # "A - B: ..."
    _claim_contradictions(f"{period}: verdicts in the text that {what} contradicts", wrong, apart, trained_zero)
    if fragile:
        method, reason = fragile
        with machine_dependent(reason):
            label = f"{period}: verdicts on pairs with {SHORT.get(method, method)} that {what} contradicts"
            _claim_contradictions(label, apart, [], trained_zero)


def _claim_contradictions(label: str, lines: list[str], left_out: list[str], trained_zero: float | None) -> None:
    """Claim no contradiction in `lines` less `left_out`: pairs without a network at 0, with one at `trained_zero`."""
    kept = [line for line in lines if line not in left_out]
    networks = [line for line in kept if is_network(line)]  # each line starts with its pair's first method
    claim(f"{label}, pairs without a network", len(kept) - len(networks), "==", 0)
    claim(f"{label}, pairs with a network", len(networks), "==", trained_zero)


# --- Forecast figures ----------------------------------------------------------------------------------

METHOD_STYLE: dict[str, tuple[str, str]] = {
    LSTM: ("tab:blue", "s"),
    TRANSFORMER: ("tab:orange", "^"),
    "lstm, standard": ("tab:cyan", "<"),
    "transformer, standard": ("tab:brown", ">"),
    SEASONAL_NAIVE: ("tab:red", "x"),
    DRIFT: ("tab:green", "v"),
    DRIFT_LOG: ("tab:olive", "P"),
    SARIMA: ("tab:purple", "d"),
    HW_MUL: ("teal", "*"),  # far from SARIMA's purple: the two overlap at the 1960 peak
    HW_ADD: ("#b8860b", "D"),  # dark goldenrod
}
"""One colour and marker per method, the same in every panel and figure of notebook 08."""


def forecast_panel(ax: Axes, start: int, end: int, shown: dict[str, torch.Tensor], title: str, tick_every: int) -> Axes:
    """One panel of notebook 08: the passengers of months [start, end), the actual months after them, and
    each forecast in `shown` (name -> (H,)), in `METHOD_STYLE`, with the maximum of months [0, end) as a dotted line.

    Month ticks every `tick_every` months and on the last one; the legend sits outside the axes.
    """
    from seqtut.plots import legend_outside, plot_forecast  # matplotlib, only when a figure is drawn

    dates, values = load_airline()
    future = values[end : end + len(next(iter(shown.values())))]
    plot_forecast(
        values[start:end],
        future,
        {label(n): f for n, f in shown.items()},
        start=start,
        ax=ax,
        title=title,
        history_label=f"history {dates[start]}..{dates[end - 1]}",
        ylabel="passengers (thousands)",
    )
    by_label = {label(n): n for n in shown}
    for line in ax.get_lines():  # plot_forecast colours forecasts in order: give each method its own style
        if line.get_label() in by_label:
            color, marker = METHOD_STYLE[by_label[line.get_label()]]
            line.set(color=color, marker=marker)
    top = int(values[:end].argmax())  # the maximum before the forecasts (the training maximum), in the legend
    ax.axhline(
        values[top],
        color="0.15",
        linewidth=1.6,
        linestyle=(0, (1, 1.5)),
        label=f"training maximum ({values[top]:.0f}, {dates[top]})",
    )
    ticks = [*range(start, end + len(future), tick_every), end + len(future) - 1]
    ax.set_xticks(ticks, [dates[i] for i in ticks], rotation=45)
    ax.set(xlabel="month")
    legend_outside(ax, fontsize="small")
    return ax


class Airline(ForecastSection):
    name = "airline"
    notebook = "08_airline_passengers"
    Settings = AirlineSettings
    input_help = "the last 24 monthly values, in thousands"
    recurrent = True  # the headline ensemble is an LSTM: an automatic device choice skips MPS

    def pipeline(self, s: Any, *, seed: int, device: torch.device, progress: bool | None, callback: Callback | None):
        kind, (_, values) = s.headline, load_airline()
        split = len(values) - s.test_months
        train, test = airline_datasets(values[:split], values[split - s.window :], s, s.scaler)
        options = dict(seed=seed, device=device, progress=progress, callback=callback)
        models, train_seconds = fit_seeds(kind, train, s, **options)
        forecasts = predict_members(models, test, device)  # (M, 1, H)
        ensemble, actual = forecasts.mean(0), test.targets
        member_maes = [metrics(member, actual).mae for member in forecasts]
        long_forecasts, long_seconds = long_split_forecasts(kind, values, s, **options)  # (M, 36)
        long_actual, long_history = values[-s.long_test_months :], values[: -s.long_test_months]
        # the baseline: the bar, the lowest 1960 MAE of the six methods that are not networks (baselines and classical
        # models); beside it, another reference, the seasonal random walk with drift on values (not one of FPP3 5.2's
        # four benchmarks, but its seasonal naive and drift combined, fable's SNAIVE(y ~ drift()))
        others = baseline_forecasts(values[:split], s.horizon) | classical_forecasts(values[:split], s.horizon)
        others_mae = {name: metrics(forecast.unsqueeze(0), actual).mae for name, forecast in others.items()}
        lowest_other = min(others_mae, key=others_mae.get)  # the bar
        # the headline against the bar and against the drift on 1960, by notebook 02's rule (trend screen included)
        mine = (ensemble - actual).abs()[0]  # (12,)
        compared = {other: judged(mine, (others[other] - actual[0]).abs(), s.block) for other in (lowest_other, DRIFT)}
        other_start = holt_winters_starts(values[:split], s.horizon)["fit(use_brute=False)"].forecast
        other_start_mae = metrics(other_start.unsqueeze(0), actual).mae
        long_baseline = seasonal_random_walk_drift(long_history, s.long_test_months)
        # the second test, the last 36 months: the headline against the drift on values by the rule, on % errors
        long_mine = 100 * (long_forecasts.mean(0) - long_actual).abs() / long_actual  # (36,)
        long_drift = 100 * (long_baseline - long_actual).abs() / long_actual  # (36,)
        long_verdict = judged(long_mine, long_drift, s.block)[1]
        long_mape, long_baseline_mape = mape(long_forecasts.mean(0), long_actual), mape(long_baseline, long_actual)
        long = (long_mape, long_baseline_mape, long_verdict)
        label = baseline_label(
            others_mae, other_start_mae, kind, compared[lowest_other], compared[DRIFT], others_mae[DRIFT], long
        )
        measured = {
            "metric": f"1960 MAE, {kind} {s.scaler} ensemble of {s.seeds}",
            "value": metrics(ensemble, actual).mae,
            "baseline": others_mae[lowest_other],
            "baseline_name": label,
            "baseline_verdict": compared[lowest_other][1],
            "lowest_other": lowest_other,
            "drift_mae": others_mae[DRIFT],
            "drift_verdict": compared[DRIFT][1],
            "long_drift_verdict": long_verdict,
            "smape": smape(ensemble, actual),
            "member_maes": [round(m, 4) for m in member_maes],
            "member_summary": mean_and_sd(member_maes),
            "forecast": [round(v, 2) for v in ensemble[0].tolist()],
            "seasonal_naive_mae": others_mae[SEASONAL_NAIVE],
            "long_mape": long_mape,
            "long_member_mapes": [round(mape(f, long_actual), 4) for f in long_forecasts],
            "long_baseline_mape": long_baseline_mape,
            "long_seasonal_naive_mape": mape(seasonal_naive(long_history, s.long_test_months), long_actual),
            "train_seconds": round(train_seconds + long_seconds, 3),
        }
        return Trained(models, train.scaler, measured)

    def forecast(self, model: nn.Module, scaler: Scaler, window: torch.Tensor, s: Any) -> torch.Tensor:
        if window.shape[1] != s.window:
            raise ValueError(f"VALUE: expected the last {s.window} monthly values, got {window.shape[1]}")
        if (window <= 0).any():
            raise ValueError("VALUE: expected positive passenger counts (the model reads log values), got a value <= 0")
        return super().forecast(model, scaler, window, s)

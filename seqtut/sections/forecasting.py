"""The pipeline the LSTM forecasting sections share: windows -> LSTM -> `fit` with MSE -> test MAE.

A forecasting section subclasses `ForecastSection`, declares its `Settings` and says which
model to build; notebooks 01-05 call the same pieces (`data`, `build_model`, `train`, `evaluate`).
Shapes: windows (N, L, 1) in, forecasts (N, H) out, H = `horizon` (or L with a `shift`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn
from torch.utils.data import Dataset

from seqtut.baselines import naive_forecast
from seqtut.data import WindowDataset, toy_series, window_splits
from seqtut.metrics import Metrics, metrics
from seqtut.runtime import seed_everything
from seqtut.scalers import Scaler
from seqtut.sections.base import Callback, Section, SectionSettings, Trained, history_details, parse_numbers
from seqtut.training import History, evaluate


@dataclass(frozen=True)
class ForecastSettings(SectionSettings):
    """An LSTM section: data, scaling, model size and training."""

    window: int = 5
    horizon: int | None = None  # targets: the `horizon` values after the window ...
    shift: int | None = None  # ... or the window moved `shift` steps ahead
    # A per-step model (a `shift`): its score leaves out its first `warmup` steps, fixed by what those
    # steps have read (not by any model's errors) and the same for every model compared on a series
    # (not the Transformers' learning-rate warm-up).
    warmup: int = 0
    scaler: str = "relative"
    series_length: int = 1000
    hidden_size: int = 32
    num_layers: int = 1
    epochs: int = 30
    lr: float = 1e-2
    batch_size: int = 32
    patience: int | None = None
    max_window: int | None = None  # train on windows of `window`..`max_window` steps (MixedLengthWindows)


# the line's validation windows equal its test windows in model units
LINE_PICKED_ON = " (series units; epoch picked on windows equal to these in model units)"


class ForecastSection(Section):
    """A section that trains an LSTM forecaster on the toy line 0, 1, ..., 999."""

    recurrent = True
    input_help = "a window of numbers, e.g. 10 11 12 13 14"
    # Added to the metric `run` reports by a section whose validation windows equal its test windows in model
    # units: `fit` restores the epoch of lowest validation loss, so its figure is picked on them (notebook 02).
    # On the line with a relative scaler they do (LINE_PICKED_ON); a section on other data sets "".
    picked_on: ClassVar[str] = ""

    def data(self, s: Any, *, scaler: str | Scaler | None = None, series: torch.Tensor | None = None) -> list[Dataset]:
        """Chronological train / validation / test windows of `series` (default: the line of `s.series_length`).

        Scaled by `scaler` (default `s.scaler`), fitted on the training windows only. With
        `s.max_window`, the training windows come at every length from `s.window` to it.
        """
        series = toy_series(s.series_length) if series is None else series
        scaler = scaler or s.scaler
        return window_splits(series, s.window, horizon=s.horizon, shift=s.shift, scaler=scaler, max_window=s.max_window)

    def build_model(self, s: Any) -> nn.Module:
        """A fresh model sized by `s`."""
        raise NotImplementedError

    def fit_options(self, s: Any) -> dict[str, Any]:
        """MSE (fit's default loss), with early stopping on the validation windows when `s.patience` is set."""
        return {"patience": s.patience}

    def train_fresh(
        self, s: Any, train: Dataset, val: Dataset | None = None, **kwargs: Any
    ) -> tuple[nn.Module, History]:
        """Seed with `seed` (default 0), build the model, train it: the steps `run` takes, in its order."""
        seed_everything(kwargs.get("seed", 0))
        model = self.build_model(s)
        return model, self.train(model, train, s, val=val, **kwargs)

    def evaluate(self, model: nn.Module, test: WindowDataset, s: Any, device: torch.device | str = "cpu") -> dict:
        """Test MAE in series units beside last value and drift, on the same steps.

        A per-step model (`s.shift`) is scored from step `s.warmup + 1` on ("test MAE from step 2"):
        every step but its first `s.warmup`, for the model and both baselines alike. `mae` and
        `mae_per_step` keep every step.
        """
        found = evaluate(model, test, device)
        last = metrics(naive_forecast(test, "last"), test.targets)
        drift = metrics(naive_forecast(test, "drift"), test.targets)
        first, steps = s.warmup, len(found.mae_per_step)  # scored: steps first + 1 .. steps, numbered from 1
        if first and (s.shift is None or not 0 < first < steps):
            raise ValueError(
                f"warmup: expected 0, or 1..{steps - 1} for a per-step model (a `shift`); got {first!r}"
                + ("" if s.shift is not None else " for a model that forecasts after the window")
            )

        def score(measured: Metrics) -> float:
            return sum(measured.mae_per_step[first:]) / (steps - first) if first else measured.mae

        return {
            "metric": "test MAE" + (f" from step {first + 1}" if first else ""),
            "value": score(found),
            "baseline": score(last),
            "baseline_name": "last value",
            "drift": score(drift),
            "mae": found.mae,
            "mae_per_step": found.mae_per_step,
        }

    def pipeline(self, s: Any, *, seed: int, device: torch.device, progress: bool | None, callback: Callback | None):
        train, val, test = self.data(s)
        model = self.build_model(s)
        history = self.train(model, train, s, val=val, device=device, seed=seed, progress=progress, callback=callback)
        measured = self.evaluate(model, test, s, device)
        measured["metric"] += self.picked_on
        return Trained([model], train.scaler, {**measured, **history_details(history)})

    @torch.no_grad()
    def forecast(self, model: nn.Module, scaler: Scaler, window: torch.Tensor, s: Any) -> torch.Tensor:
        """The model's forecast after `window` (1, L), in series units: (H,)."""
        device = next(model.parameters()).device
        inputs = scaler.inputs(window)  # (1, L) in model units
        if not torch.isfinite(inputs).all():
            raise ValueError("VALUE: these values overflow float32 once scaled; give values closer together")
        scaled = model(inputs.unsqueeze(-1).to(device)).cpu()  # (1, H) or (1, L)
        forecast = scaler.inverse(window, scaled)[0]
        if not torch.isfinite(forecast).all():
            raise ValueError("VALUE: the forecast is not finite; the input lies too far outside what float32 can hold")
        return forecast

    def predict(self, model: nn.Module, scaler: Scaler | None, s: Any, values: list[str]) -> list[str]:
        window = torch.tensor([parse_numbers(values)], dtype=torch.float32)  # (1, L)
        return [" ".join(f"{v:.4f}" for v in self.forecast(model, scaler, window, s).tolist())]

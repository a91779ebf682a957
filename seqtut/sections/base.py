"""What every section shares: settings with full and fast values side by side, a typed result, `report`.

A section is a subclass of `Section` in a module of its own. It declares its `Settings` and
fills in `pipeline` (data -> model -> fit -> evaluate) and `predict`; `Section.run` adds what
every run does: seeding, the device, timing and the checkpoints.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

import torch
from torch import nn
from torch.utils.data import Dataset

from seqtut.checkpoints import save_checkpoint
from seqtut.runtime import choose_device, fast_mode, results_file, seed_everything
from seqtut.scalers import Scaler
from seqtut.training import History, fit


def modes(full: Any, fast: Any) -> Any:
    """A settings field: `full` in full mode and `fast` in fast mode, declared side by side.

    For a claim's bound, `fast=None` means that only full mode checks the claim (`seqtut.claims`).
    """
    return field(default=full, metadata={"fast": fast})


def bound(full: float, fast: float | None) -> Any:
    """A settings field holding a notebook claim's threshold, `full` in full mode and `fast` in fast mode.

    Like `modes`, but left out of the settings' repr and of `same_training`: a threshold never
    changes what is trained. `fast=None`: a fast run trains too little, or reads too few
    windows, for any bound it could miss, so only full mode checks the claim (`seqtut.claims`).
    """
    return field(default=full, repr=False, metadata={"fast": fast, "bound": True})


@dataclass(frozen=True)
class SectionSettings:
    """Base of every section's settings; fields declared with `modes` change in fast mode."""

    @classmethod
    def for_mode(cls, fast: bool | None = None) -> SectionSettings:
        """The full-mode settings, or in fast mode (`runtime.fast_mode`) every `modes` field's fast value."""
        if not fast_mode(fast):
            return cls()
        return cls(**{f.name: f.metadata["fast"] for f in fields(cls) if "fast" in f.metadata})


@dataclass(frozen=True)
class Result:
    """A section's headline (held-out, with any figure printed beside it) and its baseline, and how the run went."""

    name: str
    metric: str
    value: float
    baseline: float
    baseline_name: str
    seconds: float
    device: str
    fast: bool
    checkpoint: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """One flat dict (the `--json` line): the headline, the details, then the run."""
        head = {k: getattr(self, k) for k in ("name", "metric", "value", "baseline", "baseline_name")}
        tail = {k: getattr(self, k) for k in ("seconds", "device", "fast", "checkpoint")}
        return {**head, **self.details, **tail}


@dataclass
class Trained:
    """What a section's pipeline hands back: its models, their scaler and what it measured."""

    models: list[nn.Module]
    scaler: Scaler | None
    measured: dict[str, Any]  # metric, value, baseline, baseline_name, then any details


Callback = Callable[[int, nn.Module], None]


def history_details(history: History) -> dict[str, Any]:
    """How a `fit` went, for a result's details: epochs run, training seconds, each epoch's seconds."""
    return {
        "epochs_run": len(history.train_loss),
        "train_seconds": history.seconds,
        "epoch_seconds": [round(t, 4) for t in history.epoch_seconds],
    }


class Section:
    """One tutorial section: its settings, its pipeline, and how `predict` reads its input."""

    name: ClassVar[str]  # the CLI name: `python -m seqtut run NAME`
    notebook: ClassVar[str]  # the notebook that teaches it, e.g. "01_many_to_one"
    Settings: ClassVar[type[SectionSettings]]
    input_help: ClassVar[str]  # what `predict NAME VALUE...` expects
    recurrent: ClassVar[bool] = False  # an LSTM: an automatic device choice skips MPS

    def settings(self, fast: bool | None = None) -> Any:
        """This section's settings, fast-mode ones when `fast` (default: `SEQTUT_FAST`)."""
        return self.Settings.for_mode(fast)

    def fit_options(self, s: Any) -> dict[str, Any]:
        """What this section's `fit` needs beyond epochs, lr and batch size (a loss, warm-up, patience)."""
        return {}

    def train(
        self,
        model: nn.Module,
        train: Dataset,
        s: Any,
        *,
        val: Dataset | None = None,
        device: torch.device | str = "cpu",
        seed: int = 0,
        progress: bool | None = None,
        callback: Callback | None = None,
    ) -> History:
        """`fit` with the section's settings: `s.epochs`, `s.lr`, `s.batch_size` and `fit_options(s)`."""
        return fit(
            model,
            train,
            epochs=s.epochs,
            lr=s.lr,
            batch_size=s.batch_size,
            val=val,
            device=device,
            seed=seed,
            progress_bar=progress,
            callback=callback,
            **self.fit_options(s),
        )

    def pipeline(
        self, s: Any, *, seed: int, device: torch.device, progress: bool | None, callback: Callback | None
    ) -> Trained:
        """Build the data and model, train, measure on held-out data."""
        raise NotImplementedError

    def predict(self, model: nn.Module, scaler: Scaler | None, s: Any, values: list[str]) -> list[str]:
        """Answer for the command line's VALUE strings with a loaded model: lines to print."""
        raise NotImplementedError

    def run(
        self,
        *,
        fast: bool | None = None,
        seed: int = 0,
        device: str | None = None,
        out: str | Path | None = None,
        progress: bool | None = None,
        settings: Any = None,
        callback: Callback | None = None,
    ) -> Result:
        """Train this section, measure it on held-out data, save a checkpoint per model; return the result.

        `settings` replaces `self.settings(fast)`; `callback(epoch, model)` goes to every `fit`.
        """
        s = settings if settings is not None else self.settings(fast)
        seed_everything(seed)
        chosen = choose_device(device, recurrent=self.recurrent)
        started = time.perf_counter()
        trained = self.pipeline(s, seed=seed, device=chosen, progress=progress, callback=callback)
        folder = Path(out or Path("runs") / self.name)
        config = {"section": self.name, "settings": asdict(s)}
        paths = [
            str(
                save_checkpoint(
                    folder / ("model.pt" if i == 0 else f"member{i}.pt"),
                    model.cpu(),
                    scaler=trained.scaler,
                    config={**config, "seed": seed + i},
                )
            )
            for i, model in enumerate(trained.models)
        ]
        headline = {k: trained.measured.pop(k) for k in ("metric", "value", "baseline", "baseline_name")}
        if len(paths) > 1:
            trained.measured["checkpoints"] = paths
        return Result(
            self.name,
            **headline,
            seconds=round(time.perf_counter() - started, 3),
            device=chosen.type,
            fast=fast_mode(fast),
            checkpoint=paths[0],
            details=trained.measured,
        )


def report(
    name: str,
    metric: str,
    value: float,
    baseline: float,
    baseline_name: str,
    *,
    label: str | None = None,
    **details: object,
) -> dict:
    """Print a section's headline result beside its baseline (and `reference`'s figure, if any), as one line.

    The headline is held-out; a section may print another figure beside it (the `transformer` section:
    greedy exact match on trained starts).

    `label` replaces "baseline (baseline_name)" in the printed line only (`TokenSection.report_scores` puts the
    figure beside the headline before it); the JSON row keeps `baseline_name`.
    When `SEQTUT_RESULTS` names a file, the result is appended to it as a JSON line:
    `make run` collects these to print one table for the whole tutorial.
    """
    result = {
        "name": name,
        "metric": metric,
        "value": float(value),
        "baseline": float(baseline),
        "baseline_name": baseline_name,
        "fast": fast_mode(),
        **details,
    }
    shown = label if label is not None else f"baseline ({baseline_name})"
    second = reference(result)  # drift, or a token task's exact rule
    print(f"{name}: {metric} {value:.4f} | {shown} {baseline:.4f}" + (f" | {second}" if second else ""))
    path = results_file()
    if path:
        with open(path, "a") as stream:
            stream.write(json.dumps(result) + "\n")
    return result


def reference(row: dict[str, Any]) -> str | None:
    """'drift 0.0000' or 'exact rule (reversing the source) 1.0000': the figure a result prints after its baseline.

    Drift, where a section scores it (on the toy line it is exact by construction, so it stands beside
    the baseline, last value, rather than being named as it), or a token task's exact rule, right by
    construction too: a baseline is a simple method a model should beat (FPP3 §5.2).
    """
    if "drift" in row:
        return f"drift {float(row['drift']):.4f}"
    if "exact_rule" in row:
        return f"exact rule ({row['exact_rule_name']}) {float(row['exact_rule']):.4f}"
    return None


def parse_numbers(values: list[str], *, integers: bool = False) -> list[Any]:
    """The command line's VALUE strings as finite numbers (ints when `integers`), or a ValueError naming VALUE."""
    if not values:
        raise ValueError("VALUE: expected at least one value, got none")
    numbers = []
    for text in values:
        try:
            number = int(text) if integers else float(text)
        except ValueError:
            kind = "an integer" if integers else "a number"
            raise ValueError(f"VALUE: expected {kind}, got {text!r}") from None
        if not integers and not torch.isfinite(torch.tensor(number, dtype=torch.float32)):
            raise ValueError(f"VALUE: expected a finite number within float32's range, got {text!r}")
        numbers.append(number)
    return numbers

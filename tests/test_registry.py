"""The section registry: a toy section added in a test works through the whole command line."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from pathlib import Path

import pytest
import torch

from seqtut import sections
from seqtut.baselines import naive_forecast
from seqtut.cli import main
from seqtut.data import toy_series, window_splits
from seqtut.lstm import ManyToOneLSTM
from seqtut.metrics import metrics
from seqtut.sections import Section, SectionSettings, modes, parse_numbers
from seqtut.sections.base import Trained, history_details
from seqtut.sections.forecasting import LINE_PICKED_ON
from seqtut.training import History, fit, predict


@dataclass(frozen=True)
class DoublingSettings(SectionSettings):
    window: int = 3
    hidden_size: int = 4
    epochs: int = modes(full=4, fast=1)


class Doubling(Section):
    """A toy lesson: one module's worth of code, written here as a teacher would write it."""

    name = "toy-doubling"
    notebook = "99_toy"
    Settings = DoublingSettings
    input_help = "a window of numbers"
    recurrent = True

    def pipeline(self, s, *, seed, device, progress, callback):
        train, _, test = window_splits(toy_series(60), s.window, horizon=1, scaler="relative")
        model = ManyToOneLSTM(hidden_size=s.hidden_size)
        fit(model, train, epochs=s.epochs, device=device, seed=seed, progress_bar=False, callback=callback)
        found = metrics(predict(model, test, device), test.targets)
        baseline = metrics(naive_forecast(test, "last"), test.targets)
        measured = {"metric": "test MAE", "value": found.mae, "baseline": baseline.mae, "baseline_name": "last value"}
        return Trained([model], train.scaler, {**measured, "windows": len(test)})

    def predict(self, model, scaler, s, values):
        window = torch.tensor([parse_numbers(values)])
        if window.shape[1] != s.window:
            raise ValueError(f"VALUE: expected {s.window} numbers, got {window.shape[1]}")
        with torch.no_grad():
            return [f"{scaler.inverse(window, model(scaler.inputs(window).unsqueeze(-1)))[0, 0]:.3f}"]


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(sections.REGISTRY, Doubling.name, Doubling())  # the one registry line
    return Doubling.name


def test_the_registry_lists_every_section_once_in_tutorial_order():
    assert sections.names() == (
        "many-to-one",
        "many-to-many",
        "sequence-generation",
        "transformer",
        "reverse",
        "airline",
    )
    notebooks = [section.notebook for section in sections.REGISTRY.values()]
    assert notebooks == sorted(notebooks)
    with pytest.raises(ValueError, match="name: expected one of 'many-to-one'"):
        sections.get("nope")


def test_fast_and_full_values_sit_side_by_side():
    assert DoublingSettings.for_mode(fast=False).epochs == 4 and DoublingSettings.for_mode(fast=True).epochs == 1
    for section in sections.REGISTRY.values():
        full, fast = section.settings(fast=False), section.settings(fast=True)
        changed = [f.name for f in fields(full) if getattr(full, f.name) != getattr(fast, f.name)]
        assert changed and all("fast" in f.metadata for f in fields(full) if f.name in changed), section.name


def test_a_toy_section_runs_predicts_and_fails_cleanly_through_the_cli(toy, tmp_path, capsys):
    out = tmp_path / "toy"
    assert main(["run", toy, "--fast", "--out", str(out), "--json"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(f"{toy}: test MAE ") and printed[1] == f"checkpoint: {out / 'model.pt'}"
    result = json.loads(printed[-1])
    assert result["name"] == toy and result["fast"] is True and result["windows"] == 6
    assert list(result)[:5] == ["name", "metric", "value", "baseline", "baseline_name"]

    assert main(["predict", toy, "--checkpoint", str(out / "model.pt"), "10", "11", "12"]) == 0
    assert abs(float(capsys.readouterr().out) - 13) < 5  # one epoch: near, not exact

    for argv, message in [
        (["predict", toy, "--checkpoint", str(out / "model.pt"), "1", "2"], "VALUE: expected 3 numbers, got 2"),
        (["predict", toy, "--checkpoint", str(out / "model.pt"), "1", "x", "3"], "VALUE: expected a number"),
        (["predict", toy, "--checkpoint", str(tmp_path / "none.pt"), "1"], "--checkpoint: no checkpoint at"),
        (["predict", "many-to-one", "--checkpoint", str(out / "model.pt"), "1"], "expected a 'many-to-one' checkpoint"),
        (["run", toy, "--seed", "-1"], "--seed: expected an int in 0..4294967295, got -1"),
    ]:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err, (argv, err)


def test_run_accepts_settings_and_a_callback(toy, tmp_path):
    epochs = []
    result = sections.run(
        toy, out=tmp_path, settings=DoublingSettings(epochs=2), callback=lambda e, m: epochs.append(e)
    )
    assert epochs == [0, 1] and result.details == {"windows": 6}


def test_the_readme_example_section_is_valid_code(monkeypatch):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    code = re.search(r"## Adding a section.*?```python\n(.*?)```", readme, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    lesson = namespace["MyLesson"]()
    monkeypatch.setitem(sections.REGISTRY, lesson.name, lesson)
    s = sections.settings("my-lesson", fast=True)
    train, val, test = lesson.data(s)
    model = lesson.build_model(s)
    assert s.epochs == 3 and model(test.x[:2]).shape == (2, 3)
    assert lesson.picked_on == LINE_PICKED_ON  # on the line, it says where its epoch was picked, as 01-04 do


def test_history_details_counts_the_epochs_run_and_rounds_each_epochs_seconds():
    history = History(
        train_loss=[1.0, 0.5, 0.25],
        val_loss=[2.0, 1.0],
        best_epoch=1,
        seconds=1.5,
        epoch_seconds=[0.12345, 0.5, 0.87654],
    )
    assert history_details(history) == {"epochs_run": 3, "train_seconds": 1.5, "epoch_seconds": [0.1235, 0.5, 0.8765]}
    assert history_details(History()) == {"epochs_run": 0, "train_seconds": 0.0, "epoch_seconds": []}

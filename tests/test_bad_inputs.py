"""A corpus of bad checkpoint files and bad command lines: each gets one line on stderr, exit 2, the culprit named."""

from __future__ import annotations

import fcntl
import json
import pickle
from dataclasses import asdict

import pytest
import torch

from seqtut import sections
from seqtut.checkpoints import save_checkpoint, weights_digest
from seqtut.cli import main
from seqtut.lstm import ManyToOneLSTM
from seqtut.scalers import make_scaler


class RunsCode:
    def __reduce__(self):
        return (print, ("this must never run",))


def valid(tmp_path) -> dict:
    """A small, valid many-to-one checkpoint, saved and read back as the dict it holds."""
    torch.manual_seed(0)
    scaler = make_scaler("relative").fit(torch.arange(20.0).reshape(4, 5))
    settings = asdict(sections.settings("many-to-one", fast=True))
    path = tmp_path / "valid.pt"
    save_checkpoint(
        path, ManyToOneLSTM(hidden_size=4), scaler=scaler, config={"section": "many-to-one", "settings": settings}
    )
    return torch.load(path, weights_only=True)


def with_digest(saved: dict) -> dict:
    return {**saved, "digest": weights_digest(saved["state_dict"])}


BAD_CHECKPOINTS = {
    "empty file": lambda v, p: p.write_bytes(b""),
    "truncated to half": lambda v, p: p.write_bytes(p.with_name("valid.pt").read_bytes()[:2000]),
    "truncated to 10 bytes": lambda v, p: p.write_bytes(p.with_name("valid.pt").read_bytes()[:10]),
    "text file": lambda v, p: p.write_text("hello"),
    "json file": lambda v, p: p.write_text(json.dumps({"kind": "ManyToOneLSTM"})),
    "pickle that runs code": lambda v, p: p.write_bytes(pickle.dumps(RunsCode())),
    "torch-saved pickle that runs code": lambda v, p: torch.save({"kind": RunsCode()}, p),
    "a list": lambda v, p: torch.save([1, 2, 3], p),
    "no kind": lambda v, p: torch.save({k: x for k, x in v.items() if k != "kind"}, p),
    "unknown kind": lambda v, p: torch.save({**v, "kind": "EvilNet"}, p),
    "format 1": lambda v, p: torch.save({k: x for k, x in v.items() if k not in ("format", "digest")}, p),
    "format 99": lambda v, p: torch.save({**v, "format": 99}, p),
    "changed weights": lambda v, p: torch.save({**v, "state_dict": {k: x + 1 for k, x in v["state_dict"].items()}}, p),
    "no digest": lambda v, p: torch.save({k: x for k, x in v.items() if k != "digest"}, p),
    "state_dict a list": lambda v, p: torch.save({**v, "state_dict": [1]}, p),
    "model_config a list": lambda v, p: torch.save({**v, "model_config": [4]}, p),
    "model_config unknown key": lambda v, p: torch.save({**v, "model_config": {"hidden": 4}}, p),
    "model_config wrong type": lambda v, p: torch.save({**v, "model_config": {"hidden_size": "4"}}, p),
    "weights of the wrong shape": lambda v, p: torch.save(
        with_digest({**v, "state_dict": ManyToOneLSTM(hidden_size=8).state_dict()}), p
    ),
    "missing weights": lambda v, p: torch.save(with_digest({**v, "state_dict": {}}), p),
    "scaler of unknown kind": lambda v, p: torch.save({**v, "scaler": {"kind": "magic"}}, p),
    "scaler without its scale": lambda v, p: torch.save({**v, "scaler": {"kind": "relative"}}, p),
    "scaler scale negative": lambda v, p: torch.save({**v, "scaler": {"kind": "relative", "scale": -1.0}}, p),
    "scaler scale NaN": lambda v, p: torch.save({**v, "scaler": {"kind": "relative", "scale": float("nan")}}, p),
    "scaler a string": lambda v, p: torch.save({**v, "scaler": "relative"}, p),
    "config a list": lambda v, p: torch.save({**v, "config": [1]}, p),
    "no section": lambda v, p: torch.save({**v, "config": {"settings": v["config"]["settings"]}}, p),
    "another section": lambda v, p: torch.save({**v, "config": {**v["config"], "section": "many-to-many"}}, p),
    "settings missing": lambda v, p: torch.save({**v, "config": {"section": "many-to-one"}}, p),
    "settings with an extra field": lambda v, p: torch.save(
        {**v, "config": {**v["config"], "settings": {**v["config"]["settings"], "magic": 1}}}, p
    ),
    "a folder": lambda v, p: p.mkdir(),
}


@pytest.mark.parametrize("case", BAD_CHECKPOINTS)
def test_a_bad_checkpoint_is_one_line_and_exit_2(case, tmp_path, capsys):
    saved = valid(tmp_path)
    path = tmp_path / "bad.pt"
    BAD_CHECKPOINTS[case](saved, path)
    capsys.readouterr()
    assert main(["predict", "many-to-one", "--checkpoint", str(path), "1", "2", "3"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    assert "checkpoint" in captured.err and "weights_only=False" not in captured.err
    assert "this must never run" not in captured.out + captured.err


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """Untrained fast checkpoints of every section, as `run` would save them."""
    folder = tmp_path_factory.mktemp("checkpoints")
    paths = {}
    for name, section in sections.REGISTRY.items():
        s = section.settings(fast=True)
        if hasattr(section, "longest"):
            _, _, vocab = section.data(s)
            model, scaler = section.build_model(s, vocab), None
        elif name == "airline":
            from seqtut.sections.airline import build_model

            model, scaler = build_model(s.headline, s), make_scaler("log-relative").fit(torch.rand(4, 24) + 1)
        else:
            model, scaler = section.build_model(s), make_scaler(s.scaler).fit(torch.arange(100.0).reshape(2, 50))
        config = {"section": name, "settings": asdict(s), "seed": 0}
        paths[name] = str(save_checkpoint(folder / name / "model.pt", model, scaler=scaler, config=config))
    return paths


BAD_COMMANDS = [
    (["run", "nope"], "NAME: expected one of"),
    (["run"], "the following arguments are required"),
    (["run", "many-to-one", "--seed", "-1"], "--seed: expected an int in 0.."),
    (["run", "many-to-one", "--seed", str(2**32)], "--seed: expected an int in 0.."),
    (["run", "many-to-one", "--seed", "x"], "--seed"),
    (["run", "many-to-one", "--device", "tpu"], "--device"),
    (["run", "many-to-one", "--out", "{file}"], "--out: {file} exists and is not a folder"),
    (["run", "many-to-one", "--out", "{file}/below"], "--out: cannot write to"),
    (["run", "many-to-one", "--bogus"], "unrecognized arguments: --bogus"),
    (["predict", "nope", "1"], "NAME: expected one of"),
    (["predict", "many-to-one", "--checkpoint", "{many-to-one}"], "VALUE: expected at least one value"),
    (["predict", "many-to-one", "--checkpoint", "{many-to-one}", "1", "x"], "VALUE: expected a number, got 'x'"),
    (["predict", "many-to-one", "--checkpoint", "{many-to-one}", "nan"], "VALUE: expected a finite number"),
    (["predict", "many-to-one", "--checkpoint", "{many-to-one}", "inf"], "VALUE: expected a finite number"),
    (["predict", "many-to-one", "--checkpoint", "{many-to-one}", "1e39"], "within float32's range"),
    (["predict", "many-to-one", "--checkpoint", "{missing}", "1"], "--checkpoint: no checkpoint at"),
    (["predict", "many-to-many", "--checkpoint", "{many-to-one}", "1"], "expected a 'many-to-many' checkpoint"),
    (["predict", "transformer", "--checkpoint", "{transformer}", "948"], "VALUE: a start must lie in 0..947"),
    (["predict", "transformer", "--checkpoint", "{transformer}", "-1"], "VALUE: a start must lie in 0..947"),
    (["predict", "transformer", "--checkpoint", "{transformer}", "4.5"], "VALUE: expected an integer, got '4.5'"),
    (["predict", "reverse", "--checkpoint", "{reverse}", "1", "2", "10"], "VALUE: every token must lie in 0..9"),
    (["predict", "reverse", "--checkpoint", "{reverse}", *["1"] * 13], "VALUE: expected 3 to 12 digits"),
    (["predict", "reverse", "--checkpoint", "{reverse}", "1", "2"], "VALUE: expected 3 to 12 digits"),
    (["predict", "reverse", "--checkpoint", "{reverse}"], "VALUE: expected at least one value"),
    (["predict", "airline", "--checkpoint", "{airline}", "1", "2"], "VALUE: expected the last 24 monthly values"),
    (["predict", "airline", "--checkpoint", "{airline}", *["100"] * 23, "0"], "VALUE: expected positive passenger"),
    (
        ["predict", "sequence-generation", "--checkpoint", "{sequence-generation}", "3e38", "-3e38"],
        "VALUE: these values overflow float32 once scaled",
    ),
]


@pytest.mark.parametrize(("argv", "message"), BAD_COMMANDS)
def test_a_bad_command_line_is_one_line_and_exit_2(argv, message, checkpoints, tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    names = {**checkpoints, "file": str(tmp_path / "file"), "missing": str(tmp_path / "none.pt")}
    argv = [a.format(**names) for a in argv]
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message.format(**names) in err and err.count("\n") == 1 and "Traceback" not in err, err


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SEQTUT_THREADS", "0", "SEQTUT_THREADS: expected an int >= 1, got '0'"),
        ("SEQTUT_THREADS", "two", "SEQTUT_THREADS: expected an int >= 1, got 'two'"),
        ("SEQTUT_FAST", "maybe", "SEQTUT_FAST: expected one of 1, true"),
        ("SEQTUT_PROGRESS", "2", "SEQTUT_PROGRESS: expected one of"),
        ("SEQTUT_DEVICE", "tpu", "SEQTUT_DEVICE: expected one of 'cpu', 'cuda', 'mps', got 'tpu'"),
    ],
)
def test_a_bad_environment_variable_is_named(variable, value, message, monkeypatch, capsys):
    monkeypatch.setenv(variable, value)
    assert main(["run", "many-to-one", "--fast"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_run_into_a_folder_another_run_is_writing_fails_clearly(tmp_path, capsys):
    with open(tmp_path / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(["run", "many-to-one", "--fast", "--out", str(tmp_path)]) == 2
    assert "another `run` is writing to" in capsys.readouterr().err
    assert not (tmp_path / "model.pt").exists()


def test_the_corpus_is_large_enough():
    assert len(BAD_CHECKPOINTS) + len(BAD_COMMANDS) + 5 + 1 >= 40

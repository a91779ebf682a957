"""`python -m seqtut`: run, predict and the one-line errors (exit status 2)."""

import json
import runpy
import sys
from argparse import Namespace
from dataclasses import asdict
from pathlib import Path

import pytest
import torch

from seqtut import parity, sections
from seqtut.checkpoints import save_checkpoint
from seqtut.cli import (
    UsageError,
    build_parser,
    command_parity,
    command_predict,
    command_run,
    headline,
    main,
    only_writer,
    writable_folder,
)
from seqtut.lstm import ManyToOneLSTM
from seqtut.runtime import MAX_SEED
from seqtut.scalers import make_scaler
from seqtut.sections.base import reference


@pytest.fixture(scope="module")
def many_to_one_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "many-to-one"
    return out, main(["run", "many-to-one", "--fast", "--out", str(out), "--json"])


def test_run_prints_a_json_line_and_saves_a_checkpoint(many_to_one_run, capsys):
    out, status = many_to_one_run
    assert status == 0 and (out / "model.pt").is_file()


def test_the_result_line_says_full_mode_for_a_full_run():
    result = sections.Result("demo", "test MAE", 0.25, 1.0, "last value", 1.5, "cpu", False, "runs/demo/model.pt")
    assert headline("demo", result) == "demo: test MAE 0.2500 | baseline (last value) 1.0000 | 1.5 s on cpu, full mode"
    fast = sections.Result("demo", "test MAE", 0.25, 1.0, "last value", 1.5, "cpu", True, "runs/demo/model.pt")
    assert headline("demo", fast).endswith("1.5 s on cpu, fast mode")


def test_the_result_line_prints_drift_or_an_exact_rule_after_the_baseline():
    """`reference`: a figure right by construction (the line's drift, a token task's exact rule), not a baseline."""
    line = sections.Result("demo", "test MAE", 0.25, 1.0, "last value", 1.5, "cpu", False, "m.pt", {"drift": 0.0})
    assert headline("demo", line).startswith("demo: test MAE 0.2500 | baseline (last value) 1.0000 | drift 0.0000 |")
    exact = {"exact_rule": 1.0, "exact_rule_name": "reversing the source"}
    tokens = sections.Result("demo", "exact match", 1.0, 0.004, "copying the source", 1.5, "cpu", False, "m.pt", exact)
    assert " | baseline (copying the source) 0.0040 | exact rule (reversing the source) 1.0000 | " in headline(
        "demo", tokens
    )
    assert reference({"drift_mae": 21.4}) is None  # the airline section's references live in its label


def test_run_json_has_the_promised_keys(tmp_path, capsys):
    assert main(["run", "many-to-many", "--fast", "--out", str(tmp_path), "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    for key in ("name", "metric", "value", "baseline", "seconds", "device", "fast", "checkpoint"):
        assert key in result
    assert result["name"] == "many-to-many" and result["value"] < result["baseline"] and result["fast"] is True
    headline = next(line for line in lines if line.startswith("many-to-many: ") and " s on " in line)
    assert headline.endswith(", fast mode")  # the printed line says which mode ran, as the JSON does


def test_predict_uses_the_checkpoint(many_to_one_run, capsys):
    out, _ = many_to_one_run
    capsys.readouterr()
    assert (
        main(["predict", "many-to-one", "--checkpoint", str(out / "model.pt"), "100", "101", "102", "103", "104"]) == 0
    )
    assert abs(float(capsys.readouterr().out) - 105) < 1.0  # fast mode: near, not exact


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "nope"], "NAME: expected one of many-to-one"),
        (["run", "many-to-one", "--bogus"], "unrecognized arguments: --bogus"),
        (["predict", "many-to-one", "--checkpoint", "{ckpt}"], "VALUE: expected at least one value, got none"),
        (["predict", "many-to-one", "--checkpoint", "{ckpt}", "1", "x"], "VALUE: expected a number, got 'x'"),
        (["predict", "many-to-one", "--checkpoint", "{ckpt}", "1", "nan"], "VALUE: expected a finite number"),
        (["predict", "many-to-one", "--checkpoint", "{missing}", "1"], "--checkpoint: no checkpoint at"),
        (["predict", "many-to-many", "--checkpoint", "{ckpt}", "1"], "expected a 'many-to-many' checkpoint"),
        ([], "the following arguments are required"),
    ],
)
def test_bad_arguments_print_one_line_and_exit_2(argv, message, many_to_one_run, tmp_path, capsys):
    out, _ = many_to_one_run
    argv = [a.format(ckpt=out / "model.pt", missing=tmp_path / "none.pt") for a in argv]
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point_exits_2_without_traceback(monkeypatch, capsys):
    """`python -m seqtut` runs seqtut/__main__.py as runpy does; here in this process, not a new interpreter."""
    monkeypatch.setattr(sys, "argv", ["seqtut", "run", "nope"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("seqtut", run_name="__main__")
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith("error: NAME") and "Traceback" not in err


def test_settings_fast_mode_shrinks_and_names_are_checked():
    assert sections.settings("many-to-one", fast=True).epochs < sections.settings("many-to-one", fast=False).epochs
    with pytest.raises(ValueError, match="name: expected one of"):
        sections.settings("nope")


def test_report_appends_json_lines(tmp_path, monkeypatch, capsys):
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("SEQTUT_RESULTS", str(path))
    sections.report("demo", "test MAE", 0.25, 1.0, "last value", extra=3)
    sections.report("demo2", "test MAE", 0.5, 1.0, "last value", drift=0.0)
    assert capsys.readouterr().out.splitlines() == [
        "demo: test MAE 0.2500 | baseline (last value) 1.0000",
        "demo2: test MAE 0.5000 | baseline (last value) 1.0000 | drift 0.0000",  # drift, when given, is printed too
    ]
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["name"] for line in lines] == ["demo", "demo2"] and lines[0]["extra"] == 3


def test_seeded_runs_repeat_exactly(tmp_path):
    first = sections.run("many-to-many", fast=True, seed=3, out=tmp_path / "a", progress=False)
    second = sections.run("many-to-many", fast=True, seed=3, out=tmp_path / "b", progress=False)
    assert first.value == second.value and first.details["mae_per_step"] == second.details["mae_per_step"]
    assert (tmp_path / "a" / "model.pt").read_bytes() != b"" and first.details["epochs_run"] == second.details[
        "epochs_run"
    ]


# --- the parser and each command on its own, with the sections' training stubbed out -----------------------------


def test_build_parser_reads_every_command_with_its_defaults():
    parser = build_parser()
    assert parser.prog == "python -m seqtut"
    assert vars(parser.parse_args(["run", "many-to-one"])) == {
        "command": "run",
        "name": "many-to-one",
        "fast": False,
        "seed": 0,
        "device": None,
        "out": None,
        "json": False,
    }
    given = ["run", "reverse", "--fast", "--seed", "7", "--device", "cpu", "--out", "o", "--json"]
    assert vars(parser.parse_args(given)) == {
        "command": "run",
        "name": "reverse",
        "fast": True,
        "seed": 7,
        "device": "cpu",
        "out": "o",
        "json": True,
    }
    assert vars(parser.parse_args(["predict", "many-to-one", "1", "2.5", "--checkpoint", "m.pt"])) == {
        "command": "predict",
        "name": "many-to-one",
        "values": ["1", "2.5"],
        "checkpoint": "m.pt",
    }
    assert vars(parser.parse_args(["parity"])) == {"command": "parity", "sections": None}
    assert parser.parse_args(["parity", "--sections", "reverse,airline"]).sections == "reverse,airline"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: command"),
        (["fly"], "argument command: invalid choice: 'fly'"),
        (["run"], "the following arguments are required: name"),
        (["run", "reverse", "--device", "tpu"], "argument --device: invalid choice: 'tpu'"),
        (["run", "reverse", "--seed", "one"], "argument --seed: invalid int value: 'one'"),
        (["parity", "extra"], "unrecognized arguments: extra"),
    ],
)
def test_build_parser_raises_a_usage_error_not_argparses_exit(argv, message):
    with pytest.raises(UsageError) as raised:
        build_parser().parse_args(argv)
    assert str(raised.value).startswith(message)


def test_predict_without_a_name_asks_for_the_name_only():
    with pytest.raises(UsageError) as raised:
        build_parser().parse_args(["predict"])
    assert str(raised.value) == "the following arguments are required: name"  # not "name, values": values may be none


def test_writable_folder_creates_the_folder_and_leaves_nothing_in_it(tmp_path):
    out = tmp_path / "runs" / "deep" / "er"
    assert writable_folder(out) == out and out.is_dir() and list(out.iterdir()) == []
    assert writable_folder(out) == out  # an existing folder is fine


def test_writable_folder_refuses_a_file_and_a_path_below_a_file(tmp_path):
    path = tmp_path / "model.pt"
    path.write_text("")
    with pytest.raises(UsageError) as raised:
        writable_folder(path)
    assert str(raised.value) == f"--out: {path} exists and is not a folder"
    with pytest.raises(UsageError) as raised:
        writable_folder(path / "runs")
    assert str(raised.value) == f"--out: cannot write to {path / 'runs'} (Not a directory)"


def test_only_writer_holds_the_folder_until_the_block_ends(tmp_path):
    message = f"--out: another `run` is writing to {tmp_path}; wait for it or pick another --out"
    with only_writer(tmp_path):
        assert (tmp_path / ".lock").is_file()
        with pytest.raises(UsageError) as raised, only_writer(tmp_path):
            pass
        assert str(raised.value) == message
    with only_writer(tmp_path):  # released: the next run may write
        pass


def _stub_run(monkeypatch, calls):
    """Replace many-to-one's training with a stub that records its arguments and the lock it ran under."""

    def run(**kwargs):
        calls.append({**kwargs, "locked": (kwargs["out"] / ".lock").is_file()})
        checkpoint = str(kwargs["out"] / "model.pt")
        return sections.Result(
            "many-to-one", "test MAE", 0.25, 1.0, "last value", 1.5, "cpu", True, checkpoint, {"k": 2}
        )

    monkeypatch.setattr(sections.REGISTRY["many-to-one"], "run", run)


def test_command_run_runs_the_section_in_its_folder_and_prints_the_result(monkeypatch, tmp_path, capsys):
    calls = []
    _stub_run(monkeypatch, calls)
    out = tmp_path / "new" / "folder"
    command_run(build_parser().parse_args(["run", "many-to-one", "--fast", "--seed", "3", "--out", str(out), "--json"]))
    assert calls == [{"fast": True, "seed": 3, "device": None, "out": out, "locked": True}]
    assert capsys.readouterr().out.splitlines() == [
        "many-to-one: test MAE 0.2500 | baseline (last value) 1.0000 | 1.5 s on cpu, fast mode",
        f"checkpoint: {out / 'model.pt'}",
        json.dumps(
            {
                "name": "many-to-one",
                "metric": "test MAE",
                "value": 0.25,
                "baseline": 1.0,
                "baseline_name": "last value",
                "k": 2,
                "seconds": 1.5,
                "device": "cpu",
                "fast": True,
                "checkpoint": str(out / "model.pt"),
            }
        ),
    ]


def test_command_run_without_fast_leaves_the_mode_to_the_environment_and_defaults_to_runs_name(
    monkeypatch, tmp_path, capsys
):
    calls = []
    _stub_run(monkeypatch, calls)
    monkeypatch.chdir(tmp_path)
    command_run(build_parser().parse_args(["run", "many-to-one"]))
    assert calls == [{"fast": None, "seed": 0, "device": None, "out": Path("runs/many-to-one"), "locked": True}]
    assert len(capsys.readouterr().out.splitlines()) == 2  # the result and the checkpoint, no JSON line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "nope"], "NAME: expected one of many-to-one, many-to-many,"),
        (["run", "many-to-one", "--seed", "-1"], f"--seed: expected an int in 0..{MAX_SEED}, got -1"),
        (["run", "many-to-one", "--seed", str(MAX_SEED + 1)], f"--seed: expected an int in 0..{MAX_SEED}, got"),
    ],
)
def test_command_run_checks_its_arguments_before_anything_is_written(argv, message, monkeypatch, tmp_path):
    calls = []
    _stub_run(monkeypatch, calls)
    out = tmp_path / "out"
    with pytest.raises(UsageError) as raised:
        command_run(build_parser().parse_args([*argv, "--out", str(out)]))
    assert str(raised.value).startswith(message) and calls == [] and not out.exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_command_run_reports_a_missing_gpu_before_making_the_folder(monkeypatch, tmp_path):
    calls = []
    _stub_run(monkeypatch, calls)
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="device: 'cuda' was requested but torch sees no CUDA GPU"):
        command_run(build_parser().parse_args(["run", "many-to-one", "--device", "cuda", "--out", str(out)]))
    assert calls == [] and not out.exists()


def _checkpoint(path, section="many-to-one", **extra_settings):
    """A many-to-one checkpoint whose head writes 0: its forecast, in series units, is the window's last value."""
    torch.manual_seed(0)
    model = ManyToOneLSTM(hidden_size=4)
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
    scaler = make_scaler("relative").fit(torch.arange(20.0).reshape(4, 5))
    settings = {**asdict(sections.settings("many-to-one", fast=True)), **extra_settings}
    save_checkpoint(path, model, scaler=scaler, config={"section": section, "settings": settings})
    return path


def test_command_predict_prints_the_checkpoints_forecast(tmp_path, capsys):
    path = _checkpoint(tmp_path / "model.pt")
    command_predict(Namespace(name="many-to-one", checkpoint=str(path), values=["100", "101", "102", "103", "104.5"]))
    assert capsys.readouterr().out == "104.5000\n"


def test_command_predict_reads_runs_name_model_pt_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as raised:
        command_predict(Namespace(name="many-to-one", checkpoint=None, values=["1"]))
    assert str(raised.value) == (
        "--checkpoint: no checkpoint at runs/many-to-one/model.pt; run `python -m seqtut run many-to-one` first"
    )
    (tmp_path / "runs" / "many-to-one").mkdir(parents=True)
    _checkpoint(tmp_path / "runs" / "many-to-one" / "model.pt")
    command_predict(Namespace(name="many-to-one", checkpoint=None, values=["3", "2", "1"]))
    assert capsys.readouterr().out == "1.0000\n"


def test_command_predict_refuses_another_sections_checkpoint_and_other_settings(tmp_path):
    other = _checkpoint(tmp_path / "other.pt", section="many-to-many")
    with pytest.raises(UsageError) as raised:
        command_predict(Namespace(name="many-to-one", checkpoint=str(other), values=["1"]))
    assert str(raised.value) == "--checkpoint: expected a 'many-to-one' checkpoint, got 'many-to-many'"
    changed = _checkpoint(tmp_path / "changed.pt", magic=1)
    with pytest.raises(UsageError) as raised:
        command_predict(Namespace(name="many-to-one", checkpoint=str(changed), values=["1"]))
    assert str(raised.value) == (
        f"--checkpoint: {changed} holds other settings than this seqtut's 'many-to-one'; re-run `run`"
    )


def _parity_row(name, device, seed=0):
    return parity.Row(name, device, "test MAE", 0.2 if device == "cpu" else 0.9, 1.0, 2.0)


def test_command_parity_runs_the_sections_asked_and_prints_the_table_and_the_tolerance(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(parity, "accelerators", lambda: [])
    monkeypatch.setattr(
        parity, "run_section", lambda name, device, seed=0: calls.append((name, device)) or _parity_row(name, device)
    )
    command_parity(Namespace(sections="reverse,many-to-one"))
    assert calls == [("reverse", "cpu"), ("many-to-one", "cpu")]
    assert capsys.readouterr().out.splitlines() == [
        "accelerators: none present: only the CPU half runs",
        "| section | metric | device | value | baseline | seconds | |Δ| vs CPU | tolerance | agrees |",
        "|---|---|---|---|---|---|---|---|---|",
        "| reverse | test MAE | cpu | 0.2000 | 1.0000 | 2.0 | — | — | — |",
        "| many-to-one | test MAE | cpu | 0.2000 | 1.0000 | 2.0 | — | — | — |",
        "tolerance: |Δ| <= 0.02 + 0.1 x |baseline - CPU value|, in the metric's units",
    ]
    calls.clear()
    command_parity(Namespace(sections=None))  # every section
    assert calls == [(name, "cpu") for name in sections.names()]


def test_command_parity_exits_1_after_the_table_when_an_accelerator_disagrees(monkeypatch, capsys):
    monkeypatch.setattr(parity, "accelerators", lambda: ["cuda"])
    monkeypatch.setattr(parity, "run_section", _parity_row)
    with pytest.raises(SystemExit) as stopped:
        command_parity(Namespace(sections="reverse"))
    assert stopped.value.code == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "accelerators: cuda" and lines[4].endswith("| 0.7000 | 0.1000 | NO |")
    assert lines[-1].startswith("tolerance: ")


def test_command_parity_names_a_bad_section_before_running_any(monkeypatch):
    calls = []
    monkeypatch.setattr(parity, "run_section", lambda name, device, seed=0: calls.append(name))
    with pytest.raises(UsageError, match="--sections: expected one of .*, got 'nope'"):
        command_parity(Namespace(sections="reverse,nope"))
    assert calls == []

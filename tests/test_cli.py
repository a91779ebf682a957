"""`python -m seqtut`: run, predict and the one-line errors (exit status 2)."""

import json
import runpy
import sys

import pytest

from seqtut import sections
from seqtut.cli import headline, main


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

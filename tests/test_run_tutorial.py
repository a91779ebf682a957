"""`make run`'s scheduler: dependencies kept, table order fixed, kernels over IPC."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("run_tutorial", ROOT / "scripts" / "run_tutorial.py")
run_tutorial = importlib.util.module_from_spec(spec)
sys.modules["run_tutorial"] = run_tutorial  # dataclasses look their module up there
spec.loader.exec_module(run_tutorial)


def test_a_notebook_that_needs_another_runs_after_it_on_the_same_worker():
    names = ["00_rnn_io", "01_many_to_one", "06_transformer_masking", "07_sos_eos_decoding", "08_airline_passengers"]
    groups = [[p.stem for p in g] for g in run_tutorial.chains([ROOT / "notebooks" / f"{n}.ipynb" for n in names])]
    assert ["06_transformer_masking", "07_sos_eos_decoding"] in groups  # 07 reuses the model 06 saves
    assert sorted(n for g in groups for n in g) == names and all(len(g) == 1 for g in groups if "07" not in g[-1])
    stated = [sum(run_tutorial.stated_seconds(ROOT / "notebooks" / f"{n}.ipynb") for n in g) for g in groups]
    assert stated == sorted(stated, reverse=True)  # the longest stated work first


def test_chains_start_the_longest_stated_work_first_and_unknown_work_before_all(tmp_path):
    def notebook(name: str, line: str) -> Path:
        path = tmp_path / f"{name}.ipynb"
        path.write_text(f'{{"cells": [{{"source": ["{line}"]}}]}}')
        return path

    short = notebook("01_short", "**Run time:** about 5 s in full mode, 2 s fast")
    long = notebook("02_long", "**Run time:** about 90 s in full mode, 9 s fast")
    silent = notebook("03_silent", "no run time stated")
    alike = notebook("04_alike", "**Run time:** about 6–7 s in either mode (full, or fast with `SEQTUT_FAST=1`)")
    assert [run_tutorial.stated_seconds(p) for p in (short, long, alike)] == [5.0, 90.0, 7.0]  # a range: its upper end
    assert run_tutorial.stated_seconds(silent) == run_tutorial.stated_seconds(tmp_path / "missing.ipynb") == math.inf
    assert [g[0].stem for g in run_tutorial.chains([short, long, silent])] == ["03_silent", "02_long", "01_short"]


def test_every_notebook_states_its_full_mode_run_time():
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert run_tutorial.stated_seconds(notebook) < math.inf, notebook.name


def test_a_dependent_notebook_run_alone_is_its_own_chain():
    groups = run_tutorial.chains([Path("07_sos_eos_decoding.ipynb")])
    assert [[p.stem for p in g] for g in groups] == [["07_sos_eos_decoding"]]


def test_every_dependency_names_a_notebook_that_exists():
    stems = {p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    for notebook, needed in run_tutorial.NEEDS.items():
        assert {notebook, needed} <= stems


def test_kernels_are_configured_for_ipc(tmp_path):
    manager = run_tutorial.ipc_kernel_manager(tmp_path / "nb")(kernel_name="python3")
    assert manager.transport == "ipc" and manager.ip == str(tmp_path / "nb")


def test_peak_memory_reads_this_process_and_is_nan_for_a_missing_one():
    import math
    import os

    assert run_tutorial._peak_mib(os.getpid()) > 1
    assert math.isnan(run_tutorial._peak_mib(None))


def test_a_bad_seqtut_fast_is_one_line_and_exit_2_before_anything_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SEQTUT_FAST", "maybe")
    build = tmp_path / "build"
    assert run_tutorial.main(["--build", str(build)]) == 2
    out, err = capsys.readouterr()
    assert err == "error: SEQTUT_FAST: expected one of 1, true, yes, on, 0, false, no, off, got 'maybe'\n"
    assert out == "" and not build.exists()


def test_the_mode_is_seqtut_runtimes_and_every_kernel_gets_it(tmp_path, monkeypatch, capsys):
    for name, value in (
        ("SEQTUT_FAST", "yes"),
        ("SEQTUT_PROGRESS", "1"),
        ("SEQTUT_THREADS", "1"),
        ("OMP_NUM_THREADS", "1"),
    ):
        monkeypatch.setenv(name, value)  # main() sets these for its kernels; monkeypatch puts them back
    monkeypatch.setattr(run_tutorial, "fast_mode", lambda: True)  # as seqtut.runtime reads "yes" at import
    modes = []

    def fake_run(source: Path, build: Path, timeout: int, ipc_dir: Path, env: dict[str, str]) -> object:
        modes.append(env["SEQTUT_FAST"])
        return run_tutorial.Run(source.stem, 0.5, 100.0, 0)

    monkeypatch.setattr(run_tutorial, "run_notebook", fake_run)
    notebook = tmp_path / "01_demo.ipynb"
    notebook.write_text("{}")
    assert run_tutorial.main(["--build", str(tmp_path / "build"), "--jobs", "1", str(notebook)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("running 1 notebooks in fast mode, 1 at a time") and "Held-out results (fast mode):" in out
    assert modes == ["1"]


def test_a_figure_beside_a_headline_is_printed_in_its_row(tmp_path, monkeypatch, capsys):
    """make run's table: the transformer row (held-out starts) carries its trained starts' exact match."""
    row = {
        "name": "transformer",
        "metric": "greedy exact match, held-out starts",
        "value": 0.0,
        "baseline": 0.0,
        "baseline_name": "copying the source",
        "exact_rule": 1.0,
        "exact_rule_name": "counting from the source's sixth number",
        "train_exact_match": 1.0,
    }

    def fake_run(source: Path, build: Path, timeout: int, ipc_dir: Path, env: dict[str, str]) -> object:
        Path(env["SEQTUT_RESULTS"]).write_text(json.dumps(row) + "\n")
        return run_tutorial.Run(source.stem, 0.5, 100.0, 0)

    monkeypatch.setattr(run_tutorial, "run_notebook", fake_run)
    notebook = tmp_path / "06_demo.ipynb"
    notebook.write_text("{}")
    assert run_tutorial.main(["--build", str(tmp_path / "build"), "--jobs", "1", str(notebook)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("transformer"))
    assert line.endswith(
        "copying the source; exact rule (counting from the source's sixth number) 1.0000; trained starts 1.0000"
    )

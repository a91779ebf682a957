"""`make run`'s scheduler: dependencies kept, table order fixed, kernels over IPC."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("run_tutorial", ROOT / "scripts" / "run_tutorial.py")
run_tutorial = importlib.util.module_from_spec(spec)
sys.modules["run_tutorial"] = run_tutorial  # dataclasses look their module up there
spec.loader.exec_module(run_tutorial)


def test_a_notebook_that_needs_another_runs_after_it_on_the_same_worker():
    names = ["00_rnn_io", "01_many_to_one", "06_transformer_masking", "07_sos_eos_decoding", "08_airline_passengers"]
    groups = run_tutorial.chains([Path(f"{n}.ipynb") for n in names])
    assert [[p.stem for p in g] for g in groups] == [
        ["06_transformer_masking", "07_sos_eos_decoding"],
        ["00_rnn_io"],
        ["01_many_to_one"],
        ["08_airline_passengers"],
    ]


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

"""Each notebook's "**Run time:**" line is what `make execute` measured, not a figure typed by hand."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
spec = importlib.util.spec_from_file_location("execute", ROOT / "scripts" / "execute.py")
execute = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute)


def paragraph(notebook: dict) -> str:
    """The notebook's one "**Run time:**" paragraph, on one line."""
    sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"]
    found = [m.group(0) for s in sources for m in [execute.PARAGRAPH.search(s)] if m]
    assert len(found) == 1, f"expected one '**Run time:**' paragraph, found {len(found)}"
    return " ".join(found[0].split())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_run_time_line_quotes_what_make_execute_measured(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    run_time = notebook["metadata"].get("seqtut_run_time")
    assert run_time, f"{path.name}: no measured run time in its metadata: run `make execute`"
    assert paragraph(notebook) == execute.run_time_line(path.stem, run_time), f"{path.name}: run `make execute`"


def test_the_line_reads_as_the_scheduler_of_make_run_expects():
    line = execute.run_time_line(
        "07_sos_eos_decoding", {"full_s": 69.6, "fast_s": 9.4, "calib_s": 6.81, "machine": "a 2-core AMD EPYC"}
    )
    assert line == (
        "**Run time:** about 70 s in full mode after 06, whose saved model it reuses, kernel start included, "
        "and 9 s fast (`SEQTUT_FAST=1`), measured by `make execute` on a 2-core AMD EPYC, where a fixed reference "
        "workload (`benchmarks/calib.py`) took 6.8 s: scale by your machine's time for it."
    )
    assert re.search(r"\*\*Run time:\*\* about (\d+) s in full mode", line).group(1) == "70"  # run_tutorial's RUN_TIME
    wrapped = execute.wrapped(line)
    assert max(map(len, wrapped.splitlines())) <= execute.WIDTH and " ".join(wrapped.split()) == line


def test_modes_that_take_about_as_long_share_one_range():
    """A fast run that saves less than a fifth of the full run's time is noise: the line gives no slower fast."""
    measured = {"full_s": 5.7, "fast_s": 7.3, "calib_s": 11.34, "machine": "a 2-core AMD EPYC"}
    line = execute.run_time_line("00_rnn_io", measured)
    assert line.startswith(
        "**Run time:** about 6–7 s in either mode (full, or fast with `SEQTUT_FAST=1`), kernel start included, "
        "measured by `make execute` on a 2-core AMD EPYC"
    )
    assert " s fast" not in line
    same = execute.run_time_line("01_many_to_one", {**measured, "full_s": 10.6, "fast_s": 10.9})
    assert same.startswith("**Run time:** about 11 s in either mode (full, or fast with `SEQTUT_FAST=1`), kernel")
    after = execute.run_time_line("07_sos_eos_decoding", {**measured, "full_s": 10.0, "fast_s": 9.0})
    assert "about 9–10 s in either mode (full, or fast with `SEQTUT_FAST=1`) after 06, whose saved model" in after
    apart = execute.run_time_line("02_extrapolation", {**measured, "full_s": 10.0, "fast_s": 8.0})  # 0.8: apart
    assert apart.startswith("**Run time:** about 10 s in full mode, kernel start included, and 8 s fast")
    stated = [re.search(r"about (?:\d+[–-])?(\d+) s in (?:full|either) mode", x).group(1) for x in (line, same, apart)]
    assert stated == ["7", "11", "10"]  # what run_tutorial's RUN_TIME reads: the upper end of a range

"""Refresh the committed notebooks from one full run, and write their "Run time" lines from it: `make execute`.

Runs every notebook in fast mode (for its time only: those outputs are thrown away), then every
notebook in full mode, in place, in notebook order (07 reuses the model 06 saves). Then it rewrites
each notebook's "**Run time:**" paragraph from the seconds just measured, and stores those seconds,
the machine and the calib workload's time (`benchmarks/calib.py`, run before and after) in the
notebook's metadata (`seqtut_run_time`: the key `seqtut` marks a bundled notebook), where
`tests/test_run_time_lines.py` checks the line against them. The .py files follow through
jupytext's pairing. Nothing about a run time is typed by hand.
Usage: python scripts/execute.py [NOTEBOOK.ipynb ...]   (default: every notebooks/NN_*.ipynb)
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from notebook_metadata import normalize  # noqa: E402
from run_tutorial import NEEDS, ipc_kernel_manager  # noqa: E402

PARAGRAPH = re.compile(r"\*\*Run time:\*\*.*?(?=\n\s*\n|\Z)", re.S)
WIDTH = 98  # the .py wraps Markdown at 100 columns, "# " included


def machine() -> str:
    """'a 2-core AMD EPYC': the core count and the CPU's model name."""
    cpu = platform.processor() or "unknown CPU"
    try:
        names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = names[0].strip() if names else cpu
    except OSError:
        pass
    return f"a {os.cpu_count()}-core {cpu}"


def calib() -> float:
    """Seconds of the calib workload, in a fresh one-thread interpreter."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    found = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "calib.py")], env=env, capture_output=True)
    return float(found.stdout.decode().strip().splitlines()[-1])


ALIKE = 0.8
"""Fast mode above this share of the full run's seconds saves too little to tell from noise: one range for both."""


def run_time_line(name: str, run_time: dict) -> str:
    """The "**Run time:**" paragraph of notebook `name`, from what `make execute` measured (unwrapped).

    When the fast run took more than `ALIKE` of the full run's time (little is trained, so kernel start
    and imports dominate), the line gives one range for both modes rather than a fast time that may
    even exceed the full one by noise.
    """
    after = f" after {NEEDS[name][:2]}, whose saved model it reuses" if name in NEEDS else ""
    full, fast = max(1, round(run_time["full_s"])), max(1, round(run_time["fast_s"]))
    if run_time["fast_s"] > ALIKE * run_time["full_s"]:
        low, high = sorted((full, fast))
        seconds = f"{low}–{high}" if low < high else f"{low}"
        modes = f"{seconds} s in either mode (full, or fast with `SEQTUT_FAST=1`){after}, kernel start included"
    else:
        modes = f"{full} s in full mode{after}, kernel start included, and {fast} s fast (`SEQTUT_FAST=1`)"
    return (
        f"**Run time:** about {modes}, measured by `make execute` on {run_time['machine']}, where a fixed "
        f"reference workload (`benchmarks/calib.py`) took {run_time['calib_s']:.1f} s: scale by your machine's "
        "time for it."
    )


def wrapped(line: str) -> str:
    return textwrap.fill(line, width=WIDTH, break_long_words=False, break_on_hyphens=False)


def execute(path: Path, *, fast: bool, ipc_dir: Path, timeout: int) -> tuple[nbformat.NotebookNode, float]:
    """Run the notebook at `path` in fast or full mode; return it with its outputs, and the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    env = {**os.environ, "SEQTUT_FAST": "1" if fast else "0", "SEQTUT_PROGRESS": "0", "SEQTUT_THREADS": "1"}
    env.pop("SEQTUT_RESULTS", None)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=ipc_kernel_manager(ipc_dir / f"{path.stem}-{'fast' if fast else 'full'}"),
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.perf_counter()
    client.execute(env=env)
    return notebook, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/NN_*.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:  # an edited .py first reaches its .ipynb (jupytext syncs from the newer of the pair)
        if path.with_suffix(".py").exists():
            subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(path)], check=True)
    host, calibs, fast_seconds, full = machine(), [calib()], {}, {}
    print(f"calib {calibs[0]:.2f} s on {host}", flush=True)
    with tempfile.TemporaryDirectory(prefix="seqtut-ipc-") as ipc:
        for path in paths:  # fast mode first, in order, as a learner running them all fast would
            fast_seconds[path] = execute(path, fast=True, ipc_dir=Path(ipc), timeout=args.timeout)[1]
            print(f"  fast {path.stem:<28} {fast_seconds[path]:6.1f} s", flush=True)
        for path in paths:
            full[path] = execute(path, fast=False, ipc_dir=Path(ipc), timeout=args.timeout)
            print(f"  full {path.stem:<28} {full[path][1]:6.1f} s", flush=True)
    calibs.append(calib())
    print(f"calib {calibs[1]:.2f} s", flush=True)
    for path, (notebook, seconds) in full.items():
        run_time = {
            "full_s": round(seconds, 1),
            "fast_s": round(fast_seconds[path], 1),
            "calib_s": round(sum(calibs) / len(calibs), 2),
            "machine": host,
        }
        notebook.metadata["seqtut_run_time"] = run_time
        line = wrapped(run_time_line(path.stem, run_time))
        cells = [c for c in notebook.cells if c.cell_type == "markdown" and PARAGRAPH.search(c.source)]
        if len(cells) != 1:
            raise SystemExit(f"error: {path.name}: expected one '**Run time:**' paragraph, found {len(cells)}")
        cells[0].source = PARAGRAPH.sub(lambda _, text=line: text, cells[0].source)
        nbformat.write(notebook, path)
        normalize(path)
        paired = path.with_suffix(".py")
        if paired.exists():  # the .py follows the .ipynb just written (jupytext's pairing, jupytext.toml)
            subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(path)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

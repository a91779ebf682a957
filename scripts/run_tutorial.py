"""Run the whole tutorial headless, in full mode: `make run`.

Executes every `notebooks/NN_name.ipynb` into `build/notebooks/`, up to one notebook per CPU core
at a time (each kernel on one torch thread), saves each figure as a PNG under `build/figures/`,
and prints every section's held-out metric beside its baseline (each notebook reports them through
`seqtut.sections.report`), in notebook order whatever the order in which they finish.

A notebook that reuses what another one saved runs after it, on the same worker (`NEEDS`). The
longest work starts first (by the full-mode run time each notebook states in its "**Run time:**"
line), so that short notebooks, not a long one, fill the end of the run while other cores go idle.
Kernels talk to this script over IPC sockets (local files), not TCP, so nothing is listening on a
port and ipykernel has no unencrypted-TCP warning to print.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from seqtut.runtime import check_environment, fast_mode  # the CLI's reading of SEQTUT_* (true/yes/on too)

ROOT = Path(__file__).resolve().parent.parent
NEEDS = {"07_sos_eos_decoding": "06_transformer_masking"}
"""Notebook -> the notebook whose saved model it loads (it trains its own when run alone)."""
RUN_TIME = re.compile(r"\*\*Run time:\*\* about (?:\d+[–-])?(\d+) s in (?:full|either) mode")


@dataclass
class Run:
    """One executed notebook: its name, seconds, peak resident memory of its kernel (MiB), figures."""

    name: str
    seconds: float
    peak_mib: float
    figures: int


def _peak_mib(pid: int | None) -> float:
    """The high-water resident memory of process `pid` in MiB (Linux /proc), or nan where unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return float("nan")


def ipc_kernel_manager(prefix: Path) -> type[KernelManager]:
    """A KernelManager class whose kernels use IPC sockets named after `prefix`."""

    class IPCKernelManager(KernelManager):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(transport="ipc", ip=str(prefix), **kwargs)

    return IPCKernelManager


def run_notebook(source: Path, build: Path, timeout: int, ipc_dir: Path, env: dict[str, str]) -> Run:
    """Execute one notebook into `build/notebooks/`, extract its figures, measure time and memory."""
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=ipc_kernel_manager(ipc_dir / source.stem),
        timeout=timeout,
        resources={"metadata": {"path": str(source.parent)}},
    )
    peak = [float("nan")]

    def sample(**_: object) -> None:  # after each cell: VmHWM only grows, so the last read is the peak
        peak[0] = _peak_mib(getattr(client.km.provisioner, "pid", None))

    client.on_cell_executed = sample
    started = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - started
    nbformat.write(notebook, build / "notebooks" / source.name)
    figure = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                figure += 1
                (build / "figures" / f"{source.stem}_{figure:02d}.png").write_bytes(base64.b64decode(png))
    return Run(source.stem, seconds, peak[0], figure)


def stated_seconds(notebook: Path) -> float:
    """The full-mode seconds a notebook states in its "**Run time:**" line; inf if it states none.

    A line that gives one range for both modes ("about 6–7 s in either mode") states its upper end.
    """
    found = RUN_TIME.search(notebook.read_text(encoding="utf-8")) if notebook.exists() else None
    return float(found.group(1)) if found else math.inf  # unknown: assume long, so start it early


def chains(notebooks: list[Path]) -> list[list[Path]]:
    """Group notebooks so that each runs after the one it `NEEDS`, on the same worker; longest first."""
    by_name = {n.stem: n for n in notebooks}
    groups: list[list[Path]] = []
    for notebook in notebooks:
        before = NEEDS.get(notebook.stem)
        group = next((g for g in groups if before is not None and g[-1].stem == before), None)
        if group is not None and before in by_name:
            group.append(notebook)
        else:
            groups.append([notebook])
    # Longest processing time first. With the per-notebook seconds of the last bench on 2 cores, notebook
    # order ends at 185 s (08 starts last, alone) and this order at 171 s. Ties keep notebook order.
    return sorted(groups, key=lambda g: sum(stated_seconds(n) for n in g), reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="output folder (default build/)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks at a time (default: cores)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/NN_*.ipynb")
    args = parser.parse_args(argv)
    try:
        check_environment()  # as `python -m seqtut` does: a bad SEQTUT_FAST stops here, before any kernel
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    fast = fast_mode()
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("error: no notebooks found under notebooks/", file=sys.stderr)
        return 1
    if args.jobs < 1:
        print(f"error: --jobs: expected a positive int, got {args.jobs}", file=sys.stderr)
        return 2
    for folder in ("notebooks", "figures", "results"):
        (args.build / folder).mkdir(parents=True, exist_ok=True)
    # Every kernel gets the mode this script reports (unset or empty SEQTUT_FAST: full), spelled plainly.
    os.environ.update(SEQTUT_PROGRESS="0", SEQTUT_THREADS="1", OMP_NUM_THREADS="1", SEQTUT_FAST="1" if fast else "0")
    lock, runs, started = threading.Lock(), {}, time.perf_counter()
    mode = "fast" if fast else "full"
    print(f"running {len(notebooks)} notebooks in {mode} mode, {args.jobs} at a time ...", flush=True)

    def run_chain(group: list[Path], ipc_dir: Path) -> None:
        for source in group:
            results = (args.build / "results" / f"{source.stem}.jsonl").resolve()
            results.unlink(missing_ok=True)
            env = {**os.environ, "SEQTUT_RESULTS": str(results)}  # this kernel's own results file
            run = run_notebook(source, args.build, args.timeout, ipc_dir, env)
            with lock:
                runs[run.name] = run
                print(
                    f"  [{len(runs)}/{len(notebooks)}] {run.name:<28} {run.seconds:6.1f} s  "
                    f"peak {run.peak_mib:5.0f} MiB  {run.figures} figures",
                    flush=True,
                )

    with tempfile.TemporaryDirectory(prefix="seqtut-ipc-") as ipc, ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_chain, group, Path(ipc)) for group in chains(notebooks)]
        for future in futures:
            future.result()
    print(f"all notebooks done in {time.perf_counter() - started:.1f} s (wall clock)")
    rows = []
    for source in notebooks:  # notebook order, whatever the order of completion
        path = args.build / "results" / f"{source.stem}.jsonl"
        rows += [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    from seqtut.sections.base import reference  # here: it imports torch, which nothing above needs
    from seqtut.sections.seq2seq import beside_headline

    print(f"\nHeld-out results ({'fast' if fast_mode() else 'full'} mode):")
    print(f"  {'section':<28} {'metric':<52} {'value':>10}  {'baseline':>10}  baseline is")
    for row in rows:
        asides = (reference(row), beside_headline(row["name"], row))  # drift or an exact rule; trained starts
        print(
            f"  {row['name']:<28} {row['metric']:<52} {row['value']:>10.4f}  {row['baseline']:>10.4f}  "
            + "; ".join(filter(None, (row["baseline_name"], *asides)))
        )
    summary = {name: {"seconds": r.seconds, "peak_mib": r.peak_mib} for name, r in sorted(runs.items())}
    (args.build / "run_times.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nExecuted notebooks in {args.build / 'notebooks'}, figures in {args.build / 'figures'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

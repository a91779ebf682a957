"""Run the whole tutorial headless, in full mode: `make run`.

Executes every `notebooks/NN_name.ipynb` into `build/notebooks/`, saves each figure as a
PNG under `build/figures/`, and prints every section's held-out metric beside its baseline
(each notebook reports them through `seqtut.sections.report`).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run_notebook(source: Path, build: Path, timeout: int) -> float:
    """Execute one notebook into `build/notebooks/`, extract its figures; return the seconds taken."""
    notebook = nbformat.read(source, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}}
    ).execute()
    seconds = time.perf_counter() - started
    nbformat.write(notebook, build / "notebooks" / source.name)
    figure = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                figure += 1
                (build / "figures" / f"{source.stem}_{figure:02d}.png").write_bytes(base64.b64decode(png))
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="output folder (default build/)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/NN_*.ipynb")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("error: no notebooks found under notebooks/", file=sys.stderr)
        return 1
    for folder in ("notebooks", "figures"):
        (args.build / folder).mkdir(parents=True, exist_ok=True)
    results = args.build / "results.jsonl"
    results.unlink(missing_ok=True)
    os.environ.update(SEQTUT_RESULTS=str(results.resolve()), SEQTUT_PROGRESS="0")
    os.environ.setdefault("SEQTUT_FAST", "0")
    for source in notebooks:
        print(f"running {source.name} ...", flush=True)
        print(f"  done in {run_notebook(source, args.build, args.timeout):.1f} s", flush=True)
    rows = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    print(f"\nHeld-out results ({'fast' if os.environ['SEQTUT_FAST'] == '1' else 'full'} mode):")
    print(f"  {'section':<28} {'metric':<52} {'value':>10}  {'baseline':>10}  baseline is")
    for row in rows:
        print(
            f"  {row['name']:<28} {row['metric']:<52} {row['value']:>10.4f}  {row['baseline']:>10.4f}  "
            f"{row['baseline_name']}"
        )
    print(f"\nExecuted notebooks in {args.build / 'notebooks'}, figures in {args.build / 'figures'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

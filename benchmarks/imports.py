"""What importing seaborn costs a kernel that draws with it (issue #30), in seconds and in calib units.

seqtut imports seaborn inside `plot_heatmap` and `plot_step_intervals` only, so a kernel pays for it
the first time it draws one of those figures, on top of what `import seqtut` already loaded. Each run
is a fresh one-thread interpreter that first imports what such a kernel has (matplotlib.pyplot, torch,
seqtut.plots) and then times `import seaborn` in three parts, which together are exactly what that
import loads: pandas, then scipy.stats, then seaborn itself with the rest (ipywidgets where installed,
for its widgets module). As in `speed.py`, each run is bracketed by calib runs (`calib.py`, a copy of
`shared/tools/calib.py`), one just before and one just after it, and divided by the mean of its own
two; the median of the runs' ratios is reported, and a run whose two calibs differ by more than
SPREAD_LIMIT is marked uncertain.

The report is printed and goes between the `<!-- imports -->` markers of benchmarks/RESULTS.md.

    python benchmarks/imports.py               # 7 runs, about a minute and a half on 2 cores
    python benchmarks/imports.py --repeats 3
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from results import write_block  # noqa: E402  (benchmarks/results.py)
from run import child_env, host  # noqa: E402  (benchmarks/run.py)
from speed import SPREAD_LIMIT, calib, spread  # noqa: E402  (benchmarks/speed.py)

REPEATS = 7
PARTS = ("pandas", "scipy.stats", "seaborn")
CHILD = """
import importlib, importlib.metadata, json, sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot, torch, seqtut.plots  # what a kernel that imported seqtut already has
assert "seaborn" not in sys.modules and "pandas" not in sys.modules, "seqtut imported them: nothing left to time"
seconds = {}
for name in PARTS:
    started = time.perf_counter()
    importlib.import_module(name)
    seconds[name] = time.perf_counter() - started
versions = {n: importlib.metadata.version(n) for n in ("seaborn", "pandas", "scipy", "matplotlib", "torch")}
print(json.dumps({"seconds": seconds, "versions": versions}))
"""


def import_once() -> dict:
    """One fresh interpreter: the seconds of each part of `import seaborn`, and the versions it found."""
    code = f"PARTS = {PARTS!r}\n{CHILD}"
    env = child_env(PYTHONPATH=str(ROOT), MPLBACKEND="Agg")  # this checkout's seqtut, whatever is installed
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the timed interpreter failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(runs: list[dict], calibs: list[float]) -> str:
    """The Markdown block: each run, the median in seconds and in calib units, and the parts' medians."""
    totals = [sum(run["seconds"].values()) for run in runs]
    ratios = [total / statistics.mean(run["calibs"]) for total, run in zip(totals, runs)]
    uncertain = [spread(run["calibs"]) > SPREAD_LIMIT for run in runs]
    parts = {name: statistics.median(run["seconds"][name] for run in runs) for name in PARTS}
    median_seconds, median_units = statistics.median(totals), statistics.median(ratios)
    versions = runs[-1]["versions"]
    each = "; ".join(
        f"{total:.2f} ({' / '.join(f'{c:.2f}' for c in run['calibs'])}) → {ratio:.3f}" + (" uncertain" if shaky else "")
        for total, run, ratio, shaky in zip(totals, runs, ratios, uncertain)
    )
    shaky = sum(uncertain) > len(runs) / 2
    judged = f" (uncertain: most runs' calibs differ by more than {SPREAD_LIMIT:.0%})" if shaky else ""
    return "\n".join(
        [
            "## Import cost of seaborn (issue #30)",
            "",
            "Written by `benchmarks/imports.py` (`make bench-imports`). What a kernel pays the first time it draws "
            "with seaborn (`plot_heatmap`, `plot_step_intervals`): `import seaborn` in a fresh one-thread interpreter "
            "that has already imported matplotlib.pyplot, torch and seqtut.plots, timed in three parts (pandas, then "
            "scipy.stats, then seaborn itself with the rest). A kernel that draws neither never imports it. Calib "
            "units: a run's seconds ÷ the mean of the calib workload (`benchmarks/calib.py`) run just before and "
            f"just after it; a run whose two calibs differ by more than {SPREAD_LIMIT:.0%} of their mean is marked "
            f"uncertain. Calib runs in order: {', '.join(f'{c:.2f}' for c in calibs)} s.",
            "",
            *host(),  # the date, the code and the machine
            f"- Python {platform.python_version()}, torch {versions['torch']}, matplotlib {versions['matplotlib']}, "
            f"seaborn {versions['seaborn']}, pandas {versions['pandas']}, scipy {versions['scipy']}; "
            "one thread (OMP_NUM_THREADS=1)",
            "",
            "| import | each run: seconds (its calibs, s) → units | median seconds | median units |",
            "|---|---|---|---|",
            f"| `import seaborn` | {each} | {median_seconds:.2f} | {median_units:.3f}{judged} |",
            "",
            "Its parts, median seconds: "
            + ", ".join(f"{name} {parts[name]:.2f}" for name in PARTS[:-1])
            + f", seaborn itself and the rest {parts['seaborn']:.2f}.",
        ]
    )


def write(text: str, out: Path = HERE / "RESULTS.md") -> None:
    """Put `text` between the `<!-- imports -->` markers of `out` (appended if it has none)."""
    write_block("imports", text, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"fresh interpreters (default {REPEATS})")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="the file whose block it writes")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats: expected a positive int, got {args.repeats}")
    calibs = [calib()]
    print(f"[imports] calib {calibs[0]:.2f} s", flush=True)
    runs = []
    for repeat in range(1, args.repeats + 1):
        found = import_once()
        calibs.append(calib())
        found["calibs"] = calibs[-2:]  # the calib runs just before and just after this one
        runs.append(found)
        total = sum(found["seconds"].values())
        print(f"[imports] run {repeat} of {args.repeats}: {total:.2f} s; calib after it {calibs[-1]:.2f} s", flush=True)
    text = report(runs, calibs)
    print(text)
    write(text, args.out)
    print(f"[imports] written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

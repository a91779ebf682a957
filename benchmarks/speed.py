"""Issue #12's speed targets, measured in one run and divided by the calib workload run beside them.

Shared machines differ by 2x and more, so every time here is also given in calib units: seconds
divided by what `benchmarks/calib.py` takes (a copy of `shared/tools/calib.py`). Each timed command
is bracketed by calib runs, one just before and one just after it, and divided by the mean of its
own two: a shared machine's speed can change by 2x within a bench run, so a calib taken minutes away
from a command says little about it. Each command runs REPEATS times (the two interleaved, so a slow
stretch of the machine falls on both), and its ratio is the median of its runs' ratios; the report
shows every run. A run whose two calibs differ by more than SPREAD_LIMIT is marked uncertain, and so
is a median most of whose runs are. Measured:

- `make run` (scripts/run_tutorial.py, full mode, a notebook per core): wall seconds, and each
  notebook's seconds and peak resident memory;
- `pytest --nbval --nbval-current-env -n auto --dist loadfile`, as `make test` runs it (fast mode);
- each Transformer task's training time with the settings before the issue and with today's, for
  3 seeds, with greedy exact match (`transformer_speed.py`).

The report is printed and goes between the `<!-- speed -->` markers of benchmarks/RESULTS.md;
--quick skips the Transformer seeds and says so in the report.

    python benchmarks/speed.py            # everything (about 32 minutes on 2 cores)
    python benchmarks/speed.py --quick    # calib, make run and pytest only
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import transformer_speed  # noqa: E402  (benchmarks/transformer_speed.py)
from results import write_block  # noqa: E402  (benchmarks/results.py)
from run import child_env, host, time_make_run, time_pytest, versions  # noqa: E402  (benchmarks/run.py)

from seqtut.runtime import set_threads  # noqa: E402

# Issue #12's starting point, on a 2-core Intel machine whose calib took 6.1 s, and its targets.
BEFORE_UNITS = {"make run": 60, "pytest": 14}
TARGET_UNITS = {"make run": 25, "pytest": 8}
TRANSFORMER_TARGET_RATIO = 0.5
MEMORY_LIMIT_MIB = 1024
SPREAD_LIMIT = 0.25  # a command's two calibs further apart than this (relative to their mean): ratio uncertain
SEEDS = (0, 1, 2)
REPEATS = 3  # runs of each command; the median ratio is judged


def calib() -> float:
    """Seconds of the calib workload, in a fresh one-thread interpreter."""
    result = subprocess.run(
        [sys.executable, str(HERE / "calib.py")], env=child_env(), capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def transformer_rows() -> list[dict]:
    """Both tasks, settings before the issue and today's, every seed (interleaved), as transformer_speed rows."""
    rows = []
    for task in transformer_speed.TASKS:
        for seed in SEEDS:
            for attempt in ("before", "today"):
                rows.append(transformer_speed.train_once(task, attempt, seed))
                row = rows[-1]
                print(f"[speed] {task} {attempt} seed {seed}: {row['seconds']:.1f} s, {100 * row['final']:.1f} %")
    return rows


def verdict(ok: bool) -> str:
    return "✓ within target" if ok else "✗ over target"


def spread(calibs: list[float]) -> float:
    """How far apart a command's calib runs are, relative to their mean."""
    return (max(calibs) - min(calibs)) / statistics.mean(calibs)


def summarize(runs: list[dict]) -> dict:
    """One command's runs -> the median of their ratios (seconds / mean of each run's own calibs)."""
    ratios = [run["seconds"] / statistics.mean(run["calibs"]) for run in runs]
    uncertain = [spread(run["calibs"]) > SPREAD_LIMIT for run in runs]
    return {
        "ratios": ratios,
        "uncertain": uncertain,
        "median": statistics.median(ratios),
        "median_uncertain": sum(uncertain) > len(runs) / 2,
        "failed": [run["rc"] for run in runs if run["rc"] != 0],
    }


def per_notebook(runs: list[dict]) -> dict[str, dict]:
    """Each notebook's median seconds and largest peak memory over the `make run` runs."""
    found: dict[str, list[dict]] = {}
    for run in runs:
        for name, row in run.get("per_notebook", {}).items():
            found.setdefault(name, []).append(row)
    return {
        name: {"seconds": statistics.median(r["seconds"] for r in rows), "peak_mib": max(r["peak_mib"] for r in rows)}
        for name, rows in sorted(found.items())
    }


def report(calibs: list[float], suite: dict[str, list[dict]], transformer: list[dict], wall: float) -> str:
    lines = [
        "## Speed (issue #12)",
        "",
        "Written by `benchmarks/speed.py` (`make bench`). Calib units: a run's seconds ÷ the mean of the calib "
        "workload (`benchmarks/calib.py`) run just before and just after it; each command ran "
        f"{max(map(len, suite.values()))} times, interleaved, and is judged by the median of its runs' ratios. "
        "Calib runs in order: "
        f"{', '.join(f'{c:.2f}' for c in calibs)} s.",
        "",
        *host(),  # the date, the code and the machine
        versions(),  # no original pipeline runs here: no word on its loader workers
        f"- Bench wall time {wall / 60:.1f} min",
        "",
        "| command | each run: seconds (its calibs, s) → units | median units | before the issue | target | outcome |",
        "|---|---|---|---|---|---|",
    ]
    for name, runs in suite.items():
        found = summarize(runs)
        each = "; ".join(
            f"{run['seconds']:.0f} ({' / '.join(f'{c:.2f}' for c in run['calibs'])}) → {ratio:.1f}"
            + (" uncertain" if shaky else "")
            for run, ratio, shaky in zip(runs, found["ratios"], found["uncertain"])
        )
        judged = verdict(found["median"] < TARGET_UNITS[name] and not found["failed"])
        if found["median_uncertain"]:
            judged += f" (uncertain: most runs' calibs differ by more than {SPREAD_LIMIT:.0%})"
        said = {re.sub(r" in [\d.]+s( \([\d:]+\))?$", "", run.get("summary") or f"exit {run['rc']}") for run in runs}
        outcome = "; ".join(sorted(said))  # pytest's summary without its seconds: the same line for every run
        lines.append(
            f"| `{name}` | {each} | {found['median']:.1f} | {BEFORE_UNITS[name]} | < {TARGET_UNITS[name]} "
            f"| {judged}; {outcome} |"
        )
    notebooks = per_notebook(suite.get("make run", []))
    if notebooks:
        largest = max(row["peak_mib"] for row in notebooks.values())
        lines += [
            "",
            "Per notebook under `make run`, a notebook per core at once (the Run-time lines run one at a time, "
            "on the code of their own `make execute`; median seconds over the runs; peak resident memory of its "
            "kernel, "
            f"the largest over the runs; largest {largest:.0f} MiB, "
            f"limit {MEMORY_LIMIT_MIB} MiB: {verdict(largest < MEMORY_LIMIT_MIB)}):",
            "",
            "| notebook | seconds | peak memory |",
            "|---|---|---|",
            *(f"| {name} | {row['seconds']:.1f} | {row['peak_mib']:.0f} MiB |" for name, row in notebooks.items()),
        ]
    if transformer:
        lines += [
            "",
            "Transformer training time (one thread; greedy exact match: the shifted window on all trained "
            "starts, reversal on the held-out strings), the settings before the issue against today's; "
            f"{transformer_target()}:",
            "",
            "| task | settings | seeds | median training s | ratio today/before | slowest seed to 99 % "
            "| lowest exact match | target |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for task in transformer_speed.TASKS:
            mine_before = [r["seconds"] for r in transformer if r["task"] == task and r["attempt"] == "before"]
            before = statistics.median(mine_before)
            for attempt in ("before", "today"):
                mine = [r for r in transformer if r["task"] == task and r["attempt"] == attempt]
                seconds, lowest = statistics.median(r["seconds"] for r in mine), min(r["final"] for r in mine)
                ok = lowest >= transformer_speed.TARGET and seconds <= TRANSFORMER_TARGET_RATIO * before
                reached = [r["seconds_to_target"] for r in mine]
                to_target = "never (some seed)" if None in reached else f"{max(reached):.1f} s"
                lines.append(
                    f"| {task} | {attempt} | {len(mine)} | {seconds:.1f} | {seconds / before:.2f} | {to_target} | "
                    f"{100 * lowest:.1f} % | {verdict(ok) if attempt == 'today' else '—'} |"
                )
    return "\n".join(lines) + "\n"


def transformer_target() -> str:
    """What "✓ within target" means in the Transformer table."""
    return (
        f"target: today's median training time ≤ {TRANSFORMER_TARGET_RATIO:.2f} × before's, and every seed's "
        f"final exact match ≥ {100 * transformer_speed.TARGET:.0f} %"
    )


def kept_transformer_table(results: str) -> str:
    """With --quick: the last full run's Transformer table from `results`, with that run's date and code."""
    block = re.search(r"<!-- speed -->(.*?)<!-- /speed -->", results, flags=re.S)
    heading = r"\n((?:Transformer training time|Transformer seeds last run).*?\|\n)(?=\n|$)"  # a full run's, or kept
    table = re.search(heading, block.group(1), flags=re.S) if block else None
    if table is None:
        return "Transformer seeds: not run (`--quick`); `benchmarks/transformer_speed.py` measures them.\n"
    dated = re.search(r"- Date: (.*?); code: `(\w+)`", block.group(1))
    when = re.search(r"Transformer seeds last run on (.*?), code `(\w+)`", block.group(1)) or dated
    source = f"{when.group(1)}, code `{when.group(2)}`" if when else "an earlier run"
    return (
        f"Transformer seeds last run on {source} (this run was `--quick`, which skips them; "
        f"`benchmarks/speed.py` without it re-measures them; {transformer_target()}):\n\n"
        + table.group(1).split("\n", 2)[2]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the Transformer seeds")
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"runs of each command (default {REPEATS})")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats: expected a positive int, got {args.repeats}")
    set_threads(1)  # the Transformer seeds train here, on one thread as the issue measures them
    started = time.perf_counter()
    calibs = [calib()]
    print(f"[speed] calib {calibs[0]:.2f} s", flush=True)
    suite: dict[str, list[dict]] = {"make run": [], "pytest": []}
    with tempfile.TemporaryDirectory(prefix="seqtut-speed-") as tmp:
        for repeat in range(1, args.repeats + 1):
            for name, timed in (("make run", time_make_run), ("pytest", time_pytest)):
                print(f"[speed] {name}, run {repeat} of {args.repeats} ...", flush=True)
                work = Path(tmp) / f"{name.replace(' ', '_')}_{repeat}"
                work.mkdir()
                found = timed(work)
                calibs.append(calib())
                found["calibs"] = calibs[-2:]  # the runs just before and just after this one
                suite[name].append(found)
                print(f"[speed]   {found['seconds']:.0f} s; calib after it {calibs[-1]:.2f} s", flush=True)
    transformer = [] if args.quick else transformer_rows()
    if transformer:
        calibs.append(calib())
    text = report(calibs, suite, transformer, time.perf_counter() - started)
    out = HERE / "RESULTS.md"
    existing = out.read_text() if out.exists() else ""
    if args.quick:
        text += "\n" + kept_transformer_table(existing)
    print(text)
    write_block("speed", text, out)
    print(f"[speed] written to {out}")
    return 1 if any(run["rc"] for runs in suite.values() for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

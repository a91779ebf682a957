"""Issue #12's speed targets, measured in one run and divided by the calib workload run beside them.

Shared machines differ by 2x and more, so every time here is also given in calib units: seconds
divided by what `benchmarks/calib.py` takes (a copy of `shared/tools/calib.py`). Each timed command
is bracketed by calib runs, one just before and one just after it, and divided by the mean of its
own two: a shared machine's speed can change by 2x within a bench run, so a calib taken minutes away
from a command says little about it. When a command's two calibs differ by more than SPREAD_LIMIT,
the report says its ratio is uncertain. Measured:

- `make run` (scripts/run_tutorial.py, full mode, a notebook per core): wall seconds, and each
  notebook's seconds and peak resident memory;
- `pytest --nbval --nbval-current-env -n auto --dist loadfile`, as `make test` runs it (fast mode);
- each Transformer task's training time with the settings before the issue and with today's, for
  3 seeds, with greedy exact match (`transformer_speed.py`).

The report is printed and goes between the `<!-- speed -->` markers of benchmarks/RESULTS.md;
--quick skips the Transformer seeds and says so in the report.

    python benchmarks/speed.py            # everything (about 25 minutes on 2 cores)
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
from run import child_env, machine, time_make_run, time_pytest  # noqa: E402  (benchmarks/run.py)

from seqtut.runtime import set_threads  # noqa: E402

# Issue #12's starting point, on a 2-core Intel machine whose calib took 6.1 s, and its targets.
BEFORE_UNITS = {"make run": 60, "pytest": 14}
TARGET_UNITS = {"make run": 25, "pytest": 8}
TRANSFORMER_TARGET_RATIO = 0.5
MEMORY_LIMIT_MIB = 1024
SPREAD_LIMIT = 0.25  # a command's two calibs further apart than this (relative to their mean): ratio uncertain
SEEDS = (0, 1, 2)


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


def report(calibs: list[float], suite: dict, transformer: list[dict], wall: float) -> str:
    lines = [
        "## Speed (issue #12)",
        "",
        "Written by `benchmarks/speed.py` (`make bench`). Calib units: a command's seconds ÷ the mean of "
        "the calib workload (`benchmarks/calib.py`) run just before and just after it; calib runs in order: "
        f"{', '.join(f'{c:.2f}' for c in calibs)} s.",
        "",
        *machine(),
        f"- Bench wall time {wall / 60:.1f} min",
        "",
        "| command | seconds | its calibs (s) | calib units | before the issue | target | outcome |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, found in suite.items():
        ratio = found["seconds"] / statistics.mean(found["calibs"])
        outcome = found.get("summary") or ("ok" if found["rc"] == 0 else f"exit {found['rc']}")
        judged = verdict(ratio < TARGET_UNITS[name] and found["rc"] == 0)
        if spread(found["calibs"]) > SPREAD_LIMIT:
            judged += f" (uncertain: its calibs differ by more than {SPREAD_LIMIT:.0%})"
        shown = " / ".join(f"{c:.2f}" for c in found["calibs"])
        lines.append(
            f"| `{name}` | {found['seconds']:.0f} | {shown} | {ratio:.1f} | {BEFORE_UNITS[name]} "
            f"| < {TARGET_UNITS[name]} | {judged}; {outcome} |"
        )
    notebooks = suite.get("make run", {}).get("per_notebook", {})
    if notebooks:
        largest = max(row["peak_mib"] for row in notebooks.values())
        lines += [
            "",
            f"Per notebook under `make run` (peak resident memory of its kernel; largest {largest:.0f} MiB, "
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
            "starts, reversal on the held-out strings), the settings before the issue against today's:",
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the Transformer seeds")
    args = parser.parse_args(argv)
    set_threads(1)  # the Transformer seeds train here, on one thread as the issue measures them
    started = time.perf_counter()
    calibs = [calib()]
    print(f"[speed] calib {calibs[0]:.2f} s", flush=True)
    suite = {}
    with tempfile.TemporaryDirectory(prefix="seqtut-speed-") as tmp:
        for name, timed in (("make run", time_make_run), ("pytest", time_pytest)):
            print(f"[speed] {name} ...", flush=True)
            suite[name] = timed(Path(tmp))
            calibs.append(calib())
            suite[name]["calibs"] = calibs[-2:]  # the runs just before and just after this command
            print(f"[speed]   {suite[name]['seconds']:.0f} s; calib after it {calibs[-1]:.2f} s", flush=True)
    transformer = [] if args.quick else transformer_rows()
    if transformer:
        calibs.append(calib())
    text = report(calibs, suite, transformer, time.perf_counter() - started)
    if args.quick:
        text += "\nTransformer seeds: not run (`--quick`); `benchmarks/transformer_speed.py` measures them.\n"
    print(text)
    out = HERE / "RESULTS.md"
    block = f"<!-- speed -->\n{text}<!-- /speed -->\n"
    existing = out.read_text() if out.exists() else ""
    if "<!-- speed -->" in existing:
        existing = re.sub(r"<!-- speed -->.*?<!-- /speed -->\n?", lambda _: block, existing, flags=re.S)
    else:
        existing += ("\n" if existing else "") + block
    out.write_text(existing)
    print(f"[speed] written to {out}")
    return 1 if any(found["rc"] for found in suite.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

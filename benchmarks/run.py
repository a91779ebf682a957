"""Benchmark the original tutorial's pipelines against seqtut's, on one machine in one run (`make bench`).

For each section the original covers (many-to-one, many-to-many, sequence generation, Transformer) it
trains the original's pipeline once (`original.py`, its hyperparameters and epoch counts) and seqtut's
pipeline as `python -m seqtut run NAME` trains it (`Section.run`, whose `fit` gets a callback),
scores both on the same held-out data after every epoch (evaluation time excluded), and reports seconds
per epoch, time until the target is first reached, the best metric within the original's epoch budget
and the ratios. It also times `pytest` (unit tests and every notebook, fast mode), `make run` (full mode)
and measures the peak memory of each `python -m seqtut run NAME`. The report goes to
`benchmarks/RESULTS.md` (a complete full run) or `build/bench/RESULTS.md` (anything less), and is printed.

    python benchmarks/run.py                   # everything (about half an hour on 2 cores)
    python benchmarks/run.py --fast            # seqtut fast settings, original 2 epochs, 1 repeat, no suite
    python benchmarks/run.py --sections many-to-one,transformer --skip-suite
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import original  # noqa: E402  (benchmarks/original.py, found through the line above)

import seqtut  # noqa: E402
from seqtut import sections, training  # noqa: E402
from seqtut.decoding import decode_dataset  # noqa: E402
from seqtut.metrics import exact_match  # noqa: E402
from seqtut.runtime import seed_everything, set_threads  # noqa: E402
from seqtut.sections.base import reference  # noqa: E402
from seqtut.sections.seq2seq import TokenSection, beside_headline  # noqa: E402
from seqtut.tokens import Seq2SeqDataset  # noqa: E402

THREADS = 1
COMPARED = tuple(name for name in sections.names() if name in original.SECTIONS)  # the sections the original has
TARGETS = {"many-to-one": 0.05, "many-to-many": 0.1, "sequence-generation": 0.1, "transformer": 0.99}  # issue #6
SAMPLE_STARTS = 100  # Transformer: trained start points scored after every epoch
FAST_ORIGINAL_EPOCHS = 2
SEED = 0


# --------------------------------------------------------------------------- the held-out metric


class Probe:
    """One section's held-out metric, computed the same way for an original and a seqtut model.

    LSTM sections: MAE in series units on seqtut's test windows (the last 10 % of 0..999: targets
    900..999), over every predicted step, or for sequence generation from step `warmup + 1` on, its
    warm-up left out (as `seqtut.sections.run` reports it). The original trained on these windows (it
    has no split), but for the last one in many-to-many and sequence generation, which its `__len__`
    drops; seqtut never saw them. Transformer: greedy exact match (every token and EOS) on a fixed
    seeded sample of start points that both pipelines trained on.
    """

    def __init__(self, section: str, fast: bool) -> None:
        self.section = section
        self.section_pieces = sections.get(section)
        self.s = self.section_pieces.settings(fast)
        self.tokens = isinstance(self.section_pieces, TokenSection)
        self.higher_is_better = self.tokens
        self.target = TARGETS[section]
        if self.tokens:
            train, _, vocab = self.section_pieces.data(self.s, SEED)
            usable = [i for i, source in enumerate(train.sources) if source[0] < original.SECTIONS[section].num_windows]
            chosen = sorted(random.Random(SEED).sample(usable, min(SAMPLE_STARTS, len(usable))))
            self.sample = Seq2SeqDataset([train.sources[i] for i in chosen], [train.targets[i] for i in chosen], vocab)
            self.starts = [train.sources[i][0] for i in chosen]
            self.name = f"greedy exact match, {len(chosen)} trained starts"
        else:
            s = self.s
            self.test = self.section_pieces.data(s)[2]
            self.skip = s.warmup  # a per-step score leaves out its warm-up steps (0: none)
            first, last = int(self.test.targets.min()), int(self.test.targets.max())
            after = f", from step {self.skip + 1}" if self.skip else ""
            picked = "seqtut's final epoch picked on windows equal to these in model units"
            self.name = f"test MAE{after} ({len(self.test)} windows, targets {first}..{last}; {picked})"

    def reduce_mae(self, per_step: torch.Tensor) -> float:
        return per_step[self.skip :].mean().item()

    @torch.no_grad()
    def seqtut(self, model: nn.Module) -> float:
        model.eval()
        if self.tokens:
            return exact_match(decode_dataset(model, self.sample), self.sample.targets)
        device = next(model.parameters()).device
        return self.reduce_mae(torch.tensor(training.evaluate(model, self.test, device).mae_per_step))

    @torch.no_grad()
    def original(self, model: nn.Module) -> float:
        model.eval()
        if self.tokens:
            spec = original.SECTIONS[self.section]
            inputs, targets = original.make_windows(spec, self.starts)
            decoded = original.greedy_decode(model, original.wrap_tokens(torch.tensor(inputs)))
            wanted = original.wrap_tokens(torch.tensor(targets))[:, 1:].tolist()  # numbers, then EOS
            return sum(row == want for row, want in zip(decoded, wanted)) / len(wanted)
        predictions = model(self.test.windows.unsqueeze(-1)).reshape(self.test.targets.shape)
        return self.reduce_mae((predictions - self.test.targets).abs().mean(dim=0))

    def reached(self, value: float, target: float | None = None) -> bool:
        target = self.target if target is None else target
        return value >= target if self.higher_is_better else value <= target

    def best(self, values: list[float]) -> float:
        return max(values) if self.higher_is_better else min(values)

    def show(self, value: float) -> str:
        return f"{100 * value:.1f} %" if self.higher_is_better else f"{value:.4f}"

    def show_target(self) -> str:
        return f"≥ {self.show(self.target)}" if self.higher_is_better else f"≤ {self.target:g}"


# --------------------------------------------------------------------------- the two pipelines


def first_reached(probe: Probe, history: list[tuple[int, float, float]], target: float | None = None):
    """The first (epoch, cumulative training seconds, metric) that reaches `target`, or None."""
    return next((row for row in history if probe.reached(row[2], target)), None)


def run_original(probe: Probe, epochs: int) -> dict:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="This DataLoader will create")  # 4 workers on few cores
        result = original.train_original(probe.section, epochs=epochs, eval_every=1, eval_fn=probe.original, seed=SEED)
    return {
        "epochs": len(result["seconds_per_epoch"]),
        "seconds": sum(result["seconds_per_epoch"]),
        "history": [list(row) for row in result["metric_history"]],
        "own_metric": result["metric_name"],
        "own_details": result["final_details"],
        "probe": original.describe_probe(probe.section, result["probe"]),
        "final_train_loss": result["final_train_loss"],
    }


def run_seqtut(probe: Probe, fast: bool, device: str, epochs: int | None) -> dict:
    """`python -m seqtut run NAME` in-process (`Section.run`), scored with `probe` after every epoch."""
    section = sections.get(probe.section)
    s = section.settings(fast)
    s = s if epochs is None else dataclasses.replace(s, epochs=epochs)
    metrics: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        result = section.run(
            settings=s,
            seed=SEED,
            device=device,
            out=out,
            progress=False,
            callback=lambda _, model: metrics.append(probe.seqtut(model)),
        )
    epoch_seconds = result.details["epoch_seconds"]  # fit's own clock: the probe's time is left out
    cumulative = [sum(epoch_seconds[: i + 1]) for i in range(len(epoch_seconds))]
    flat = result.to_dict()
    return {
        "epochs": len(epoch_seconds),
        "seconds": sum(epoch_seconds),
        "history": [[epoch + 1, cumulative[epoch], value] for epoch, value in enumerate(metrics)],
        "final": result.value,
        "final_metric": result.metric,
        "result": {k: v for k, v in flat.items() if isinstance(v, (int, float, str)) and k != "checkpoint"},
    }


def compare(section: str, args: argparse.Namespace) -> dict:
    probe = Probe(section, args.fast)
    spec_epochs = original.SECTIONS[section].epochs
    original_epochs = FAST_ORIGINAL_EPOCHS if args.fast else scaled(spec_epochs, args.epochs_scale)
    seqtut_epochs = None if args.epochs_scale == 1 else scaled(probe.s.epochs, args.epochs_scale)
    say(f"[{section}] original: {original_epochs} epochs ...")
    orig = run_original(probe, original_epochs)
    say(f"[{section}]   {orig['seconds']:.1f} s, final {probe.show(orig['history'][-1][2])}")
    repeats = []
    for repeat in range(args.repeats):
        say(f"[{section}] seqtut, repeat {repeat + 1}/{args.repeats} ...")
        repeats.append(run_seqtut(probe, args.fast, args.device, seqtut_epochs))
        say(f"[{section}]   {repeats[-1]['seconds']:.1f} s, final {probe.show(repeats[-1]['final'])}")
    return {"section": section, "probe": probe, "original": orig, "seqtut": repeats}


# --------------------------------------------------------------------------- suite, make run, memory


def child_env(**overrides: str) -> dict[str, str]:
    """The environment for a child: no SEQTUT_* settings of ours leak in, one thread, and bytecode
    cached under build/pycache as the Makefile has it (its `make test` and `make run` are what is timed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQTUT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(OMP_NUM_THREADS=str(THREADS), SEQTUT_THREADS=str(THREADS))
    env.update(PYTHONPYCACHEPREFIX=str(ROOT / "build" / "pycache"), **overrides)
    return env


# A fresh interpreter starts the command and reports its peak memory. Measuring from here would not do:
# Linux keeps a process's high-water mark across fork and exec, so a child of this (large) process would
# report at least our own memory. RUSAGE_CHILDREN's ru_maxrss is the largest single process in the tree.
LAUNCHER = """import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as stream:
    stream.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_child(command: list[str], env: dict[str, str], log: Path) -> dict:
    """Run `command` in the repository root; return its exit code, wall seconds and peak memory (MiB)."""
    peak = log.with_suffix(".maxrss")
    with open(log, "w") as stream:
        started = time.perf_counter()
        code = subprocess.call(
            [sys.executable, "-c", LAUNCHER, str(peak), *command],
            cwd=ROOT,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
        seconds = time.perf_counter() - started
    per_unit = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    peak_mib = int(peak.read_text()) / per_unit if peak.exists() else float("nan")
    return {"rc": code, "seconds": seconds, "peak_mib": peak_mib, "output": log.read_text(errors="replace")}


def time_pytest(work: Path) -> dict:
    say("timing pytest as make test runs it (whole repository, every core) ...")
    found = run_child(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-n", "auto", "--dist", "loadfile", "-q"],
        child_env(),
        work / "pytest.log",
    )
    summary = [line for line in found["output"].splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    found["summary"] = summary[-1].strip("= ") if summary else f"exit {found['rc']}"
    return found


def time_make_run(work: Path) -> dict:
    say("timing make run (scripts/run_tutorial.py, full mode) ...")
    build = work / "build"
    found = run_child(
        [sys.executable, "scripts/run_tutorial.py", "--build", str(build)],
        child_env(SEQTUT_FAST="0"),
        work / "make_run.log",
    )
    times = build / "run_times.json"  # {notebook: {"seconds": s, "peak_mib": m}}, written by run_tutorial.py
    found["per_notebook"] = json.loads(times.read_text()) if times.exists() else {}
    found["notebooks"] = sorted(((row["seconds"], name) for name, row in found["per_notebook"].items()), reverse=True)
    found["summary"] = f"{len(found['per_notebook'])} notebooks" if found["rc"] == 0 else f"exit {found['rc']}"
    return found


def measure_cli(name: str, fast: bool, device: str, work: Path) -> dict:
    say(f"peak memory of python -m seqtut run {name}{' --fast' if fast else ''} ...")
    command = [sys.executable, "-m", "seqtut", "run", name, "--json", "--device", device, "--out", str(work / name)]
    found = run_child(
        command + (["--fast"] if fast else []), child_env(SEQTUT_FAST="1" if fast else "0"), work / f"cli_{name}.log"
    )
    lines = [line for line in found["output"].splitlines() if line.startswith("{")]
    found["result"] = json.loads(lines[-1]) if found["rc"] == 0 and lines else None
    return found


# --------------------------------------------------------------------------- the report


def scaled(epochs: int, scale: float) -> int:
    return max(1, round(epochs * scale))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def ratio(slow: float | None, fast: float | None, lower_bound: bool = False) -> str:
    """slow / fast to one decimal below 10, in whole numbers from 10 up; a lower bound is rounded down, so "> x" stays
    true."""
    if not slow or not fast:
        return "—"
    value = slow / fast
    digits = 0 if value >= 10 else 1
    if lower_bound:
        value = math.floor(value * 10**digits) / 10**digits
    return f"{value:.{digits}f}×"


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.0f} s" if value >= 100 else f"{value:.1f} s"


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if len(present) == len(values) and present else None


def summarize(found: dict) -> dict:
    """The numbers of one section's comparison, seqtut's times as medians over its repeats."""
    probe, orig, runs = found["probe"], found["original"], found["seqtut"]
    orig_hit = first_reached(probe, orig["history"])
    orig_final = orig["history"][-1][2]
    orig_at_final = first_reached(probe, orig["history"], orig_final)  # it may reach its final level earlier
    hits = [first_reached(probe, run["history"]) for run in runs]
    at_orig_final = [first_reached(probe, run["history"], orig_final) for run in runs]
    budget = orig["epochs"]
    return {
        "orig_per_epoch": orig["seconds"] / orig["epochs"],
        "seq_per_epoch": median([run["seconds"] / run["epochs"] for run in runs]),
        "orig_hit": orig_hit,
        "seq_hit_epoch": hits[0][0] if hits[0] else None,
        "seq_hit_seconds": median([hit[1] if hit else None for hit in hits]),
        "orig_final": orig_final,
        "orig_at_final": orig_at_final,
        "seq_at_orig_final": median([hit[1] if hit else None for hit in at_orig_final]),
        "orig_best": probe.best([row[2] for row in orig["history"]]),
        "seq_best": probe.best([row[2] for row in runs[0]["history"] if row[0] <= budget]),
        "seq_final": runs[0]["final"],
        "deterministic": all(
            run["history"][i][2] == runs[0]["history"][i][2] for run in runs for i in range(len(runs[0]["history"]))
        ),
    }


def comparison_rows(found: dict) -> tuple[str, str]:
    probe, orig, runs = found["probe"], found["original"], found["seqtut"]
    n = summarize(found)
    if n["orig_hit"]:
        orig_time = f"{seconds(n['orig_hit'][1])} (epoch {n['orig_hit'][0]})"
        speedup = ratio(n["orig_hit"][1], n["seq_hit_seconds"])
    else:
        orig_time = f"never in {plural(orig['epochs'], 'epoch')} ({seconds(orig['seconds'])})"
        parts = []
        if n["seq_hit_seconds"]:  # the original would need more than all its training time
            bound = ratio(orig["seconds"], n["seq_hit_seconds"], lower_bound=True)
            parts.append(f"> {bound} (its total / seqtut's time to target)")
        if n["orig_final"] or not probe.higher_is_better:  # (a final exact match of 0 % is no benchmark)
            epoch, reached_after = n["orig_at_final"][:2]  # its first epoch at or past its final level
            parts.append(
                f"at its final {probe.show(n['orig_final'])}, first reached at epoch {epoch}: "
                f"{seconds(reached_after)} vs {seconds(n['seq_at_orig_final'])} = "
                f"{ratio(reached_after, n['seq_at_orig_final'])}"
            )
        speedup = "; ".join(parts) or "—"
    seq_time = (
        f"{seconds(n['seq_hit_seconds'])} (epoch {n['seq_hit_epoch']})"
        if n["seq_hit_epoch"]
        else f"never in {plural(runs[0]['epochs'], 'epoch')}"
    )
    timing = (
        f"| {found['section']} | {probe.show_target()} | {seconds(n['orig_per_epoch'])} | "
        f"{seconds(n['seq_per_epoch'])} | {ratio(n['orig_per_epoch'], n['seq_per_epoch'])} | "
        f"{orig['epochs']} / {runs[0]['epochs']} | {orig_time} | {seq_time} | {speedup} |"
    )
    quality_ratio = "—" if probe.higher_is_better else ratio(n["orig_best"], n["seq_best"])
    quality = (
        f"| {found['section']} | {probe.name} | {probe.show(n['orig_best'])} | {probe.show(n['orig_final'])} "
        f"| {probe.show(n['seq_best'])} | {probe.show(n['seq_final'])} | {quality_ratio} |"
    )
    return timing, quality


def details(found: dict) -> list[str]:
    section, probe, orig, runs = found["section"], found["probe"], found["original"], found["seqtut"]
    own = ", ".join(f"{k} {v:.4g}" for k, v in orig["own_details"].items())
    other = f", not the table's {len(probe.starts)}" if probe.tokens else ""  # original.py's sample is its own
    lines = [
        f"- **{section}**: `original.py`'s built-in evaluation ({orig['own_metric']}{other}): {own}; its probe "
        f"{orig['probe']}; final train loss {orig['final_train_loss']:.4g}."
    ]
    result = runs[0]["result"]
    if probe.tokens:
        lines.append(
            f"  seqtut's full evaluation at the end: greedy exact match {100 * result['train_exact_match']:.1f} % "
            f"on all {probe.s.train_size} trained starts, {100 * result['heldout_exact_match']:.1f} % "
            "on held-out starts "
            f"(baseline {result['baseline_name']}: {100 * result['baseline']:.1f} %"
            + (
                f"; exact rule {result['exact_rule_name']}: {100 * result['exact_rule']:.1f} %"
                if "exact_rule" in result
                else ""
            )
            + ")."
        )
    else:
        lines.append(
            f"  seqtut's final model (its best validation epoch restored; on the line 0..999 with a window- or "
            f"start-relative scaler the validation windows equal the test windows in model units, so the epoch "
            f"was picked on them, notebook 02): "
            f"{result['metric']} "
            f"{result['value']:.4f} (baseline {result['baseline_name']}: {result['baseline']:.4f})."
        )
    if not summarize(found)["deterministic"]:
        lines.append("  Note: seqtut's per-epoch metrics differed between repeats.")
    return lines


def host() -> list[str]:
    """The report lines any benchmark block starts with: the date and the code, then the CPU and the load."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = names[0].strip() if names else platform.processor() or cpu
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    return [
        f"- Date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
        f"code: `{commit.stdout.strip() or 'unknown'}`",
        f"- Machine: {cpu}, {os.cpu_count()} logical cores; load average at the end {load} (1/5/15 min)",
    ]


def versions() -> str:
    """The versions line: Python, torch and seqtut, and the threads this process and its children use."""
    return (
        f"- Python {platform.python_version()}, torch {torch.__version__}, seqtut {seqtut.__version__}; "
        f"torch threads {torch.get_num_threads()} (children: OMP_NUM_THREADS=SEQTUT_THREADS={THREADS})"
    )


def machine() -> list[str]:
    """`host`'s lines and this benchmark's versions and threads, with the original's loader workers."""
    return [*host(), versions() + "; the original's DataLoader uses its 4 worker processes"]


def memory_row(found: dict) -> str:
    """One row of the `python -m seqtut run NAME` table, from `measure_cli`'s record and its JSON result line.

    A section's figure beside its headline (the transformer section's trained starts) shows in brackets.
    """
    result = found["result"]
    head = f"| {found['name']} | {seconds(found['seconds'])} | {found['peak_mib']:.0f} MiB | "
    if result is None:
        return head + f"failed (exit {found['rc']}) | | |"
    aside = beside_headline(found["name"], result)
    value = f"{result['value']:.4f}" + (f" ({aside})" if aside else "")
    second = reference(result)  # drift, or a token task's exact rule
    baseline = f"{result['baseline']:.4f} ({result['baseline_name']})" + (f"; {second}" if second else "")
    return head + f"{result['metric']} | {value} | {baseline} |"


def report(args: argparse.Namespace, compared: list[dict], suite: dict, memory: list[dict], wall: float) -> str:
    mode = "fast" if args.fast else "full"
    out = [
        f"# Benchmark: the original tutorial's pipeline against seqtut ({mode} mode)",
        "",
        "Written by `make bench` (`benchmarks/run.py`); see `benchmarks/README.md` for what is measured. "
        "Issue numbers (#12, #26, ...) are those of this project's issue tracker; each note says what changed. "
        "The same training can show different times in different tables: each table is its own run, at another "
        "moment of a shared machine (whose speed varies up to 2x, hence calib units); compare within a table.",
        "",
        *machine(),
        f"- Repeats: seqtut {args.repeats} (times are medians), the original 1 (its runs are long); "
        f"bench wall time {wall / 60:.1f} min",
        "",
    ]
    if args.fast or args.epochs_scale != 1:
        out += [
            "**Not a real measurement:** "
            + (
                "fast mode: seqtut's fast settings and 2 epochs of the original."
                if args.fast
                else f"epoch counts scaled by {args.epochs_scale}."
            ),
            "",
        ]
    if compared:
        out += [
            "## Time to a good model",
            "",
            "Training time only (per-epoch evaluation excluded, seqtut's validation pass included). An epoch is "
            "not the same work on both sides (batch size, model size, the original's 4 loader workers), so the "
            "s/epoch ratio is no speed-up; the time to target is the fairer comparison, though the original's times "
            "include its 4 loader workers on this machine (notebook 02 measures what they cost), and where it never "
            "reaches the target the ratio is a lower bound for this run: the two sides were timed at different "
            "moments of one bench run on a shared machine, whose speed can drift (see above; within a run not "
            "measured), so the bound holds for these timings, not beyond that drift. "
            "Time to target: training seconds until the metric (next table) first reaches the target. s/epoch: a "
            "run's training seconds over its epochs (seqtut: the median of its repeats, taken apart from the median "
            "time to target), so epochs × s/epoch only approximates a time to target: epochs differ in time.",
            "",
            "| section | target | s/epoch original | s/epoch seqtut | s/epoch ratio (not a speed-up) | "
            "epochs original / seqtut | time to target, original | time to target, seqtut | ratio original/seqtut |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        rows = [comparison_rows(found) for found in compared]
        out += [timing for timing, _ in rows]
        out += [
            "",
            "## The metric: the same code and data for both pipelines",
            "",
            "Both pipelines are scored on the same data by the same metric after every epoch. LSTM sections: MAE "
            "in series units on seqtut's test windows (targets from the last 10 % of 0..999, each after its full "
            "input window; for "
            f"sequence generation from step {sections.settings('sequence-generation').warmup + 1}, its warm-up "
            "left out, as `seqtut run` reports). seqtut never trained on them (in series units; in model units, "
            "with its window- or start-relative scaler, every test window equals a training window, notebook 02); "
            "the original trains on every "
            "window it yields; its target loop stops one window short and `__len__` counts targets, so in "
            "many-to-many and sequence generation it never yields the last valid window, and for it these "
            "windows are in-sample but for that last one. Transformer: greedy exact match "
            "(all 48 numbers, then EOS) "
            "on a seeded sample of start points that both pipelines trained on: what the original's `predict` "
            "would do, scored (that cell never ran). seqtut's best is the best after any epoch within the "
            "original's epoch count; its final is the model `python -m seqtut run` keeps (for the "
            "LSTMs the best validation epoch, restored). The ratio sets best against best, each the lowest test "
            "MAE over its epochs, so it favours both sides: a comparison of two pipelines as each could report "
            "itself, not a headline (notebook 02 headlines last epochs; seqtut's last epochs are not in this table). "
            "On the line seqtut's side is near 0, so a large ratio says its error is near-exact, not how many times "
            "better it is in any stable sense.",
            "",
            "| section | metric | original best | original final | seqtut best | seqtut final | "
            "ratio original/seqtut (best) |",
            "|---|---|---|---|---|---|---|",
        ]
        out += [quality for _, quality in rows]
        out += ["", "Details:", ""] + [line for found in compared for line in details(found)] + [""]
    if suite:
        out += ["## Whole suite", "", "| command | wall time | peak memory | outcome |", "|---|---|---|---|"]
        for label, key in (
            ("`pytest --nbval --nbval-current-env` (whole repo, fast mode)", "pytest"),
            ("`make run` (scripts/run_tutorial.py, full mode)", "make_run"),
        ):
            if key in suite:
                found = suite[key]
                out.append(
                    f"| {label} | {seconds(found['seconds'])} | {found['peak_mib']:.0f} MiB | {found['summary']} |"
                )
        if suite.get("make_run", {}).get("notebooks"):
            slow = ", ".join(f"{name} {secs:.0f} s" for secs, name in suite["make_run"]["notebooks"][:5])
            out += ["", f"Slowest notebooks under `make run`: {slow}."]
        out.append("")
    if memory:
        flag = " --fast" if args.fast else ""
        out += [
            f"## `python -m seqtut run NAME{flag}`",
            "",
            "Peak resident memory (`ru_maxrss` of the largest process in the command's tree, measured by a "
            "fresh launcher interpreter), wall time including interpreter start and imports.",
            "",
            "| section | wall time | peak memory | headline metric | value | baseline |",
            "|---|---|---|---|---|---|",
        ]
        out += [memory_row(found) for found in memory]
        out.append("")
    return "\n".join(out)


def raw_data(compared: list[dict], suite: dict, memory: list[dict]) -> dict:
    strip = ("output",)
    return {
        "compared": [
            {
                "section": f["section"],
                "metric": f["probe"].name,
                "target": f["probe"].target,
                "original": f["original"],
                "seqtut": f["seqtut"],
            }
            for f in compared
        ],
        "suite": {k: {kk: vv for kk, vv in v.items() if kk not in strip} for k, v in suite.items()},
        "memory": [{k: v for k, v in m.items() if k not in strip} for m in memory],
    }


# --------------------------------------------------------------------------- main


BENCH_STARTED = time.perf_counter()


def say(message: str) -> None:
    """Progress on stderr, with the minutes and seconds since the bench started."""
    minutes, secs = divmod(int(time.perf_counter() - BENCH_STARTED), 60)
    print(f"[{minutes:02d}:{secs:02d}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fast",
        action="store_true",
        help="seqtut fast settings, original 2 epochs, 1 repeat, no suite timing (< 2 minutes)",
    )
    parser.add_argument(
        "--sections",
        default=",".join(sections.names()),
        help="comma-separated sections (default: all); the comparison covers "
        f"{', '.join(COMPARED)}, the memory table every section",
    )
    parser.add_argument("--repeats", type=int, default=None, help="seqtut repeats (default 3, fast 1)")
    parser.add_argument("--skip-compare", action="store_true", help="skip the original-vs-seqtut comparison")
    parser.add_argument("--skip-suite", action="store_true", help="skip timing pytest and make run")
    parser.add_argument("--skip-pytest", action="store_true", help="skip timing pytest")
    parser.add_argument("--skip-make-run", action="store_true", help="skip timing make run")
    parser.add_argument("--skip-memory", action="store_true", help="skip the python -m seqtut run memory table")
    parser.add_argument(
        "--device",
        choices=("cpu", "cuda", "mps"),
        default="cpu",
        help="seqtut's device (default cpu; the original always runs on the CPU)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="report file (default benchmarks/RESULTS.md for a complete full run, else build/bench/RESULTS.md)",
    )
    parser.add_argument("--epochs-scale", type=float, default=1.0, help=argparse.SUPPRESS)  # smoke tests only
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.sections.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in sections.REGISTRY]
    if unknown or not chosen:
        parser.error(f"--sections: expected names from {', '.join(sections.names())}, got {args.sections!r}")
    args.sections = chosen
    args.repeats = args.repeats or (1 if args.fast else 3)
    if args.repeats < 1 or not args.epochs_scale > 0:
        parser.error("--repeats and --epochs-scale must be positive")
    if args.fast or args.skip_suite:
        args.skip_pytest = args.skip_make_run = True
    complete = not (  # the suite's times are benchmarks/speed.py's (make bench skips them here)
        args.fast
        or args.epochs_scale != 1
        or args.skip_compare
        or args.skip_memory
        or len(chosen) < len(sections.REGISTRY)
    )
    args.out = args.out or (HERE / "RESULTS.md" if complete else ROOT / "build" / "bench" / "RESULTS.md")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    set_threads(THREADS)
    os.environ.update(OMP_NUM_THREADS=str(THREADS), SEQTUT_THREADS=str(THREADS), SEQTUT_PROGRESS="0")
    seed_everything(SEED)
    compared, suite, memory = [], {}, []
    with tempfile.TemporaryDirectory(prefix="seqtut-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_compare:
            compared = [compare(name, args) for name in COMPARED if name in args.sections]
        if not args.skip_pytest:
            suite["pytest"] = time_pytest(work)
        if not args.skip_make_run:
            suite["make_run"] = time_make_run(work)
        if not args.skip_memory:
            memory = [{"name": name, **measure_cli(name, args.fast, args.device, work)} for name in args.sections]
    text = report(args, compared, suite, memory, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    kept_blocks = (
        r"<!-- (ablation:|speed|compat|accelerator|imports).*?<!-- /(ablation|speed|compat|accelerator|imports) -->\n?"
    )
    kept = [m.group(0) for m in re.finditer(kept_blocks, args.out.read_text(), re.S)] if args.out.exists() else []
    args.out.write_text(text + "".join("\n" + block for block in kept))  # the tables other scripts write stay
    raw = ROOT / "build" / "bench" / "results.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(raw_data(compared, suite, memory), indent=1, default=str))
    print(text)
    say(f"written to {args.out} (raw numbers: {raw})")
    failed = [k for k, v in suite.items() if v["rc"]] + [m["name"] for m in memory if m["rc"]]
    if failed:
        say(f"failed: {', '.join(failed)} (see the table)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Time to 99 % greedy exact match for the two Transformer tasks, before and after issue #12.

Each attempt is a set of changes to a task's full-mode settings before the issue (and, for label
smoothing, to the loss); "today" is the package's own full-mode settings. It is trained on one CPU
thread for every seed asked. After every epoch greedy exact match is measured, outside the training
clock, on 100 trained starts (the shifted window) or on all held-out strings (reversal); at the end
the whole set is scored (the shifted window: all trained starts, as notebook 07 reports).

Reported per attempt and seed: training seconds, the first epoch and training time at which the
metric reached 99 %, and the final metric. The ratio compares an attempt's median training time
with the settings before the issue ("before"), measured in the same run, interleaved seed by seed
so that load on a shared machine falls on both alike.

    python benchmarks/transformer_speed.py --task transformer --attempts before,shorter --seeds 0,1,2
    python benchmarks/transformer_speed.py --list
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import torch

from seqtut import sections
from seqtut.decoding import decode_dataset
from seqtut.metrics import exact_match
from seqtut.runtime import seed_everything, set_threads
from seqtut.tokens import Seq2SeqDataset
from seqtut.training import fit, teacher_forcing_loss

TARGET = 0.99
SAMPLE = {"transformer": 100, "reverse": 1000}  # pairs scored after every epoch; the whole set at the end
TASKS = {"transformer": "trained starts", "reverse": "held-out strings"}

# The full-mode training settings each task had when issue #12 was filed.
MODEL_BEFORE = dict(d_model=64, dim_feedforward=128, num_layers=2, scale_embedding=True)  # both tasks
BEFORE = {
    "transformer": dict(epochs=45, lr=3e-3, batch_size=32, warmup=100, **MODEL_BEFORE),
    "reverse": dict(epochs=8, lr=2e-3, batch_size=64, warmup=200, **MODEL_BEFORE),
}

# Attempts: settings changes on top of BEFORE, plus `label_smoothing` for the loss.
ATTEMPTS: dict[str, dict[str, dict[str, Any]]] = {
    "transformer": {
        "before": {},
        "half-epochs": dict(epochs=22),
        "half-epochs-lr2x": dict(epochs=22, lr=6e-3, warmup=50),
        "half-epochs-smooth": dict(epochs=22, label_smoothing=0.1),
        "batch64-lr2x": dict(epochs=30, batch_size=64, lr=6e-3, warmup=50),
        "small-d32": dict(epochs=30, d_model=32, dim_feedforward=64, lr=6e-3, warmup=50),
        "one-layer": dict(epochs=30, num_layers=1, lr=6e-3, warmup=50),
        "d32-e36-lr2x": dict(epochs=36, d_model=32, dim_feedforward=64, lr=6e-3, warmup=100),
        "e30-lr2x-prenorm": dict(epochs=30, lr=6e-3, warmup=100, norm_first=True),
        "half-epochs-lr3x-w200": dict(epochs=22, lr=1e-2, warmup=200),
        "prenorm-half-epochs-lr3x": dict(epochs=22, lr=1e-2, warmup=200, norm_first=True),
        "unscaled-e20-lr2x": dict(epochs=20, lr=6e-3, scale_embedding=False),
        "unscaled-e18-lr2x": dict(epochs=18, lr=6e-3, scale_embedding=False),
        "scaled-e20-lr2x": dict(epochs=20, lr=6e-3),  # the same with the sqrt(d_model) scaling kept
    },
    "reverse": {
        "before": {},
        "half-epochs": dict(epochs=4),
        "half-epochs-lr2x": dict(epochs=4, lr=4e-3, warmup=100),
        "half-epochs-smooth": dict(epochs=4, label_smoothing=0.1),
        "batch128-lr2x": dict(epochs=6, batch_size=128, lr=4e-3, warmup=100),
        "small-d32": dict(epochs=6, d_model=32, dim_feedforward=64, lr=4e-3, warmup=100),
        "one-layer": dict(epochs=5, num_layers=1, lr=4e-3, warmup=100),
        "d32-e5": dict(epochs=5, d_model=32, dim_feedforward=64, lr=4e-3, warmup=100),
        "d32-e6-lr3x": dict(epochs=6, d_model=32, dim_feedforward=64, lr=6e-3, warmup=100),
        "d32-e5-lr3x": dict(epochs=5, d_model=32, dim_feedforward=64, lr=6e-3, warmup=100),
        "d32-e6-b80-lr3.5x": dict(epochs=6, d_model=32, dim_feedforward=64, batch_size=80, lr=7e-3, warmup=100),
        "d32-e6-b128-lr4x": dict(epochs=6, d_model=32, dim_feedforward=64, batch_size=128, lr=8e-3, warmup=100),
        "unscaled-e3": dict(epochs=3, scale_embedding=False),
        "unscaled-e3-lr1.5x": dict(epochs=3, lr=3e-3, scale_embedding=False),
        "scaled-e3": dict(epochs=3),  # unscaled-e3 with the sqrt(d_model) scaling kept
    },
}


def sampled(dataset: Seq2SeqDataset, size: int, seed: int) -> Seq2SeqDataset:
    """`size` pairs of `dataset`, drawn without replacement with a seeded generator."""
    chosen = sorted(torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed))[:size].tolist())
    return Seq2SeqDataset([dataset.sources[i] for i in chosen], [dataset.targets[i] for i in chosen], dataset.vocab)


def settings_for(task: str, attempt: str) -> tuple[Any, float]:
    """The full-mode settings of `task` with BEFORE and the attempt's changes applied, and its label smoothing.

    The attempt "today" is the package's own full-mode settings, unchanged.
    """
    if attempt == "today":
        return sections.get(task).settings(fast=False), 0.0
    changes = {**BEFORE[task], **ATTEMPTS[task][attempt]}
    smoothing = changes.pop("label_smoothing", 0.0)
    return dataclasses.replace(sections.get(task).settings(fast=False), **changes), smoothing


def train_once(task: str, attempt: str, seed: int) -> dict[str, Any]:
    """Train one attempt with one seed; greedy exact match after every epoch, outside the training clock."""
    section = sections.get(task)
    s, smoothing = settings_for(task, attempt)
    seed_everything(seed)
    train, heldout, vocab = section.data(s, seed)
    final_set = train if task == "transformer" else heldout
    scored = final_set if len(final_set) <= SAMPLE[task] else sampled(final_set, SAMPLE[task], seed)
    model = section.build_model(s, vocab)
    options = section.fit_options(s)
    if smoothing:
        options["loss_fn"] = functools.partial(teacher_forcing_loss, label_smoothing=smoothing)
    curve: list[float] = []

    def measure(_epoch: int, trained: torch.nn.Module) -> None:
        trained.eval()
        with torch.no_grad():
            curve.append(exact_match(decode_dataset(trained, scored), scored.targets))
        trained.train()

    history = fit(
        model, train, epochs=s.epochs, lr=s.lr, batch_size=s.batch_size, seed=seed, progress_bar=False,
        callback=measure, **options,
    )  # fmt: skip
    final = exact_match(decode_dataset(model, final_set), final_set.targets)
    cumulative = [sum(history.epoch_seconds[: i + 1]) for i in range(len(history.epoch_seconds))]
    first = next((i for i, value in enumerate(curve) if value >= TARGET), None)
    return {
        "task": task,
        "attempt": attempt,
        "seed": seed,
        "changes": ATTEMPTS[task].get(attempt, {}),
        "seconds": history.seconds,
        "epochs": s.epochs,
        "final": final,
        "scored_each_epoch": len(scored),
        "curve": curve,
        "first_epoch": None if first is None else first + 1,
        "seconds_to_target": None if first is None else cumulative[first],
        "parameters": sum(p.numel() for p in model.parameters()),
    }


def summarize(rows: list[dict[str, Any]]) -> list[str]:
    """One line per (task, attempt): median seconds, ratio to `before`, lowest final metric over seeds."""
    lines = []
    for task in TASKS:
        base = [r["seconds"] for r in rows if r["task"] == task and r["attempt"] == "before"]
        for attempt in ATTEMPTS[task]:
            mine = [r for r in rows if r["task"] == task and r["attempt"] == attempt]
            if not mine:
                continue
            seconds = statistics.median(r["seconds"] for r in mine)
            ratio = f"{seconds / statistics.median(base):.2f}" if base else "n/a"
            lowest = min(r["final"] for r in mine)
            reached = [r["seconds_to_target"] for r in mine]
            to_target = "never" if None in reached else f"{max(reached):.1f} s"
            ok = "PASS" if lowest >= TARGET and base and seconds <= 0.5 * statistics.median(base) else "----"
            lines.append(
                f"{ok} {task:11s} {attempt:20s} seeds {len(mine)}  train {seconds:6.1f} s  ratio {ratio}  "
                f"lowest final {100 * lowest:5.1f} %  slowest to 99 % {to_target}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=sorted(TASKS), action="append", help="default: both")
    parser.add_argument("--attempts", default="all", help="comma-separated attempt names, or all")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--out", type=Path, default=Path("build/bench/transformer_speed.jsonl"))
    parser.add_argument("--list", action="store_true", help="print the attempts and exit")
    args = parser.parse_args(argv)
    if args.list:
        for task, attempts in ATTEMPTS.items():
            for name, changes in attempts.items():
                print(f"{task:11s} {name:20s} {changes}")
        return 0
    set_threads(1)
    seeds = [int(seed) for seed in args.seeds.split(",")]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for task in args.task or list(TASKS):
        attempts = list(ATTEMPTS[task]) if args.attempts == "all" else args.attempts.split(",")
        unknown = [name for name in attempts if name not in ATTEMPTS[task]]
        if unknown:
            parser.error(f"--attempts: {task} has no attempt {unknown[0]!r}; it has {', '.join(ATTEMPTS[task])}")
        for seed in seeds:  # interleaved: every attempt once per seed, so machine load falls on all alike
            for attempt in attempts:
                started = time.perf_counter()
                row = train_once(task, attempt, seed)
                rows.append(row)
                with args.out.open("a") as out:
                    out.write(json.dumps(row) + "\n")
                print(
                    f"{task} {attempt} seed {seed}: train {row['seconds']:.1f} s, final {100 * row['final']:.1f} %, "
                    f"99 % at epoch {row['first_epoch']} ({time.perf_counter() - started:.0f} s wall)",
                    flush=True,
                )
    print("\n".join(summarize(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Device parity: every section's fast pipeline on the CPU and on each accelerator present, headlines compared.

Training on another device is not bit-identical to the CPU (other kernels, other summation orders,
and the differences grow over training), so the check is on what a learner reads: the headline
metric. An accelerator passes when its headline is within

    tolerance = ATOL + RTOL * |baseline - cpu value|

of the CPU's: as good as the CPU's model up to a tenth of the way back to the baseline, plus a
small absolute slack for metrics that sit at the baseline in fast mode. `python -m seqtut parity`
prints the table; with no accelerator present it runs the CPU half and says so.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import torch

from seqtut import sections

ATOL = 0.02  # absolute slack, in the metric's own units
RTOL = 0.1  # fraction of the CPU model's distance from its baseline


def accelerators() -> list[str]:
    """The accelerators torch can use here: "cuda" and/or "mps", in that order."""
    found = ["cuda"] if torch.cuda.is_available() else []
    return found + (["mps"] if torch.backends.mps.is_available() else [])


@dataclass(frozen=True)
class Row:
    """One section on one device: its headline, the baseline, the seconds it took."""

    section: str
    device: str
    metric: str
    value: float
    baseline: float
    seconds: float


def tolerance(cpu: Row) -> float:
    """How far another device's headline may lie from `cpu`'s."""
    return ATOL + RTOL * abs(cpu.baseline - cpu.value)


def agrees(cpu: Row, other: Row) -> bool:
    """Whether `other`'s headline is within `tolerance(cpu)` of the CPU's."""
    return abs(other.value - cpu.value) <= tolerance(cpu)


def run_section(name: str, device: str, seed: int = 0) -> Row:
    """Train section `name` in fast mode on `device` (checkpoints in a temporary folder) and read its headline."""
    with tempfile.TemporaryDirectory() as out:
        result = sections.get(name).run(fast=True, seed=seed, device=device, out=out, progress=False)
    return Row(name, device, result.metric, result.value, result.baseline, result.seconds)


def parity(names: list[str] | None = None, devices: list[str] | None = None, seed: int = 0) -> list[Row]:
    """Every section of `names` (default: all) on the CPU, then on each of `devices` (default: those present)."""
    names = sections.names() if names is None else names
    devices = ["cpu", *(accelerators() if devices is None else devices)]
    return [run_section(name, device, seed) for name in names for device in devices]


def report(rows: list[Row]) -> tuple[str, bool]:
    """A Markdown table of `rows` (CPU first per section) with each accelerator's difference; and whether all agree."""
    lines = [
        "| section | metric | device | value | baseline | seconds | |Δ| vs CPU | tolerance | agrees |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ok = True
    cpus = {row.section: row for row in rows if row.device == "cpu"}
    for row in rows:
        cpu = cpus[row.section]
        if row.device == "cpu":
            compared = "—", "—", "—"
        else:
            ok &= agrees(cpu, row)
            compared = f"{abs(row.value - cpu.value):.4f}", f"{tolerance(cpu):.4f}", "yes" if agrees(cpu, row) else "NO"
        lines.append(
            f"| {row.section} | {row.metric} | {row.device} | {row.value:.4f} | {row.baseline:.4f} "
            f"| {row.seconds:.1f} | {' | '.join(compared)} |"
        )
    return "\n".join(lines), ok

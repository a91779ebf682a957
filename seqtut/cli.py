"""Command line: `python -m seqtut run NAME` trains a section, `predict NAME VALUE...` uses it,
`parity` compares every section's fast run on the CPU and on each accelerator present.

Bad input prints one line on stderr and exits with status 2, never a traceback. Every
section comes from `seqtut.sections.REGISTRY`; nothing here knows one section from another.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent runs into one folder are not detected
    fcntl = None

from seqtut import parity, sections
from seqtut.checkpoints import load_checkpoint
from seqtut.runtime import DEVICES, MAX_SEED, check_environment, choose_device
from seqtut.sections.base import reference
from seqtut.sections.seq2seq import beside_headline


class UsageError(Exception):
    """A problem with the command line's input, reported in one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(message)


def build_parser() -> Parser:
    names = ", ".join(sections.names())
    parser = Parser(prog="python -m seqtut", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run = commands.add_parser("run", help="train a section's model and report held-out metrics")
    run.add_argument("name", help=f"one of: {names}")
    run.add_argument("--fast", action="store_true", help="fast mode (as SEQTUT_FAST=1)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--device", choices=DEVICES, default=None)
    run.add_argument("--out", default=None, help="checkpoint folder (default runs/NAME/)")
    run.add_argument("--json", action="store_true", help="end with one JSON line of results")
    predict = commands.add_parser("predict", help="load a checkpoint and answer for the given input")
    predict.add_argument("name", help=f"one of: {names}")
    predict.add_argument(
        "values", nargs="*", default=[], help="; ".join(f"{s.name}: {s.input_help}" for s in sections.REGISTRY.values())
    )
    predict.add_argument("--checkpoint", default=None, help="default: runs/NAME/model.pt")
    check = commands.add_parser("parity", help="fast runs on the CPU and every accelerator present, compared")
    check.add_argument("--sections", default=None, help=f"comma-separated, default all: {names}")
    return parser


def section(name: str, argument: str = "NAME") -> sections.Section:
    if name not in sections.REGISTRY:
        raise UsageError(f"{argument}: expected one of {', '.join(sections.names())}, got {name!r}")
    return sections.REGISTRY[name]


def writable_folder(out: Path) -> Path:
    """Create `out` if needed and prove a file can be written there, before any training starts."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise UsageError(f"--out: cannot write to {out} ({error.strerror or type(error).__name__})") from None
    return out


@contextlib.contextmanager
def only_writer(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on `out/.lock` while a run writes there; a second run fails clearly."""
    with open(out / ".lock", "a") as lock:
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise UsageError(
                    f"--out: another `run` is writing to {out}; wait for it or pick another --out"
                ) from None
        yield


def headline(name: str, result: sections.Result) -> str:
    """The printed result line of `run`: the metric (and its held-out figure, for one on trained data) beside
    its baseline and `reference`'s figure, then how the run went and in which mode."""
    mode = "fast" if result.fast else "full"
    aside = beside_headline(name, result.details)
    held_out = f" | {aside}" if aside else ""
    second = reference(result.details)
    also = f" | {second}" if second else ""
    return (
        f"{name}: {result.metric} {result.value:.4f}{held_out} | baseline ({result.baseline_name}) "
        f"{result.baseline:.4f}{also} | {result.seconds:.1f} s on {result.device}, {mode} mode"
    )


def command_run(args: argparse.Namespace) -> None:
    chosen = section(args.name)
    if not 0 <= args.seed <= MAX_SEED:
        raise UsageError(f"--seed: expected an int in 0..{MAX_SEED}, got {args.seed}")
    if args.device is not None:
        choose_device(args.device)  # a missing GPU is reported now, not after loading data
    out = writable_folder(Path(args.out or Path("runs") / args.name))
    with only_writer(out):
        result = chosen.run(fast=True if args.fast else None, seed=args.seed, device=args.device, out=out)
    print(headline(args.name, result))
    print(f"checkpoint: {result.checkpoint}")
    if args.json:
        print(json.dumps(result.to_dict()))


def command_predict(args: argparse.Namespace) -> None:
    chosen = section(args.name)
    path = Path(args.checkpoint or Path("runs") / args.name / "model.pt")
    if not path.is_file():
        raise UsageError(f"--checkpoint: no checkpoint at {path}; run `python -m seqtut run {args.name}` first")
    model, scaler, config = load_checkpoint(path)
    if config.get("section") != args.name:
        raise UsageError(f"--checkpoint: expected a {args.name!r} checkpoint, got {config.get('section')!r}")
    saved = config.get("settings")
    known = {f.name for f in fields(chosen.Settings)}
    if not isinstance(saved, dict) or set(saved) != known:
        raise UsageError(f"--checkpoint: {path} holds other settings than this seqtut's {args.name!r}; re-run `run`")
    for line in chosen.predict(model, scaler, chosen.Settings(**saved), args.values):
        print(line)


def command_parity(args: argparse.Namespace) -> None:
    names = None if args.sections is None else [section(name, "--sections").name for name in args.sections.split(",")]
    found = parity.accelerators()
    print(f"accelerators: {', '.join(found) or 'none present: only the CPU half runs'}", flush=True)
    table, ok = parity.report(parity.parity(names, found))
    print(table)
    print(f"tolerance: |Δ| <= {parity.ATOL} + {parity.RTOL} x |baseline - CPU value|, in the metric's units")
    if not ok:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 bad input)."""
    try:
        check_environment()  # SEQTUT_FAST, SEQTUT_PROGRESS, SEQTUT_THREADS (and sets the threads), SEQTUT_DEVICE
        # parse_known_args lets values follow --checkpoint: `predict NAME --checkpoint P 1 2 3`.
        args, extra = build_parser().parse_known_args(argv)
        unknown = [e for e in extra if e.startswith("--") or args.command != "predict"]
        if unknown:
            raise UsageError(f"unrecognized arguments: {' '.join(unknown)}")
        if args.command == "predict":
            args.values += extra
        commands = {"run": command_run, "predict": command_predict, "parity": command_parity}
        commands[args.command](args)
    except (UsageError, ValueError, TypeError, OSError, FloatingPointError) as error:
        print(f"error: {' '.join(str(error).split())}", file=sys.stderr)  # one line, whatever the message holds
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the last checkpoint written is intact", file=sys.stderr)
        return 130
    return 0

"""Command line: `python -m seqtut run NAME` trains a section, `predict NAME VALUE...` uses it.

Bad input prints one line on stderr and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import torch

from seqtut import sections
from seqtut.checkpoints import load_checkpoint
from seqtut.decoding import greedy_decode
from seqtut.settings import set_threads
from seqtut.tokens import Vocab


class UsageError(Exception):
    """A problem with the command line's input, reported in one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(message)


def build_parser() -> Parser:
    parser = Parser(prog="python -m seqtut", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run = commands.add_parser("run", help="train a section's model and report held-out metrics")
    run.add_argument("name", help=f"one of: {', '.join(sections.SECTIONS)}")
    run.add_argument("--fast", action="store_true", help="fast mode (as SEQTUT_FAST=1)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--device", choices=("cpu", "cuda", "mps"), default=None)
    run.add_argument("--out", default=None, help="checkpoint folder (default runs/NAME/)")
    run.add_argument("--json", action="store_true", help="end with one JSON line of results")
    predict = commands.add_parser("predict", help="load a checkpoint and answer for the given input")
    predict.add_argument("name", help=f"one of: {', '.join(sections.SECTIONS)}")
    predict.add_argument("values", nargs="*", help="a window of numbers, start points, or tokens")
    predict.add_argument("--checkpoint", default=None, help="default: runs/NAME/model.pt")
    return parser


def check_name(name: str) -> None:
    if name not in sections.SECTIONS:
        raise UsageError(f"NAME: expected one of {', '.join(sections.SECTIONS)}, got {name!r}")


def parse_numbers(values: list[str], integers: bool = False) -> list[float] | list[int]:
    """Command-line strings -> finite numbers (ints when `integers`), or a UsageError."""
    if not values:
        raise UsageError("VALUE: expected at least one value, got none")
    numbers = []
    for text in values:
        try:
            number = int(text) if integers else float(text)
        except ValueError:
            kind = "an integer" if integers else "a number"
            raise UsageError(f"VALUE: expected {kind}, got {text!r}") from None
        if not math.isfinite(number):
            raise UsageError(f"VALUE: expected a finite number, got {text!r}")
        numbers.append(number)
    return numbers


def command_run(args: argparse.Namespace) -> None:
    check_name(args.name)
    result = sections.run(args.name, fast=True if args.fast else None, seed=args.seed, device=args.device, out=args.out)
    print(
        f"{args.name}: {result['metric']} {result['value']:.4f} | baseline ({result['baseline_name']}) "
        f"{result['baseline']:.4f} | {result['seconds']:.1f} s on {result['device']}"
    )
    print(f"checkpoint: {result['checkpoint']}")
    if args.json:
        print(json.dumps(result))


def command_predict(args: argparse.Namespace) -> None:
    check_name(args.name)
    path = Path(args.checkpoint or Path("runs") / args.name / "model.pt")
    if not path.is_file():
        raise UsageError(f"--checkpoint: no checkpoint at {path}; run `python -m seqtut run {args.name}` first")
    model, scaler, config = load_checkpoint(path)
    if config.get("section") != args.name:
        raise UsageError(f"--checkpoint: expected a {args.name!r} checkpoint, got {config.get('section')!r}")
    s = config["settings"]
    if "task" not in s:  # an LSTM forecaster: VALUE... is the input window
        window = torch.tensor([parse_numbers(args.values)], dtype=torch.float32)  # (1, L)
        with torch.no_grad():
            scaled = model(scaler.inputs(window).unsqueeze(-1))  # (1, H) or (1, L)
        forecast = scaler.inverse(window, scaled)[0]
        if s.get("shift"):  # one output per step: the last `shift` lie beyond the window
            forecast = forecast[-s["shift"] :]
        print(" ".join(f"{v:.4f}" for v in forecast.tolist()))
        return
    vocab = Vocab(s["n_tokens"])
    if s["task"] == "shifted-window":
        starts = parse_numbers(args.values, integers=True)
        last = vocab.n_tokens - s["window"] - s["shift"]  # the answer ends at start + shift + window - 1
        for start in starts:
            if not 0 <= start <= last:
                raise UsageError(
                    f"VALUE: a start must lie in 0..{last}, so that its window and the answer "
                    f"{s['shift']} ahead stay in 0..{vocab.n_tokens - 1}; got {start}"
                )
        sources = [list(range(start, start + s["window"])) for start in starts]
        max_len = s["window"] + 1
    else:
        sources, max_len = [parse_numbers(args.values, integers=True)], s["max_len"] + 1
    for source in sources:
        bad = [t for t in source if not 0 <= t < vocab.n_tokens]
        if bad:
            raise UsageError(f"VALUE: every token must lie in 0..{vocab.n_tokens - 1}; this input needs {bad[0]}")
    for tokens in greedy_decode(model, vocab.pad([vocab.encode(src) for src in sources]), vocab, max_len):
        print(" ".join(map(str, tokens)))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 bad input)."""
    set_threads()
    try:
        # parse_known_args lets values follow --checkpoint: `predict NAME --checkpoint P 1 2 3`.
        args, extra = build_parser().parse_known_args(argv)
        unknown = [e for e in extra if e.startswith("--") or args.command != "predict"]
        if unknown:
            raise UsageError(f"unrecognized arguments: {' '.join(unknown)}")
        if args.command == "predict":
            args.values += extra
        {"run": command_run, "predict": command_predict}[args.command](args)
    except (UsageError, ValueError, TypeError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0

"""Which change makes the original's Transformer decode its own training data? One change at a time (make bench).

The original's recipe is d_model 32, 2 heads, 3 encoder + 3 decoder layers (it ignores its
`num_layers`), feed-forward 256, dropout 0.1, no positional encoding, no sqrt(d_model) embedding
scaling, Adam at a constant 1e-3, batch 8, 25 epochs. Its Transformer cells never ran; re-run in
benchmarks/original.py, it gets 0 % greedy exact match. Its masks are right (a causal mask when
decoding; its all -inf mask is never used). Here every variant is seqtut's `Seq2SeqTransformer`
trained by `fit` on the `transformer` section's 700 trained starts (seed 0): first the
original's recipe, then each change alone, then all of them, which is exactly seqtut's section,
and last seqtut's section with the paper's sqrt(d_model) embedding scaling, which seqtut leaves
off (notebook 06 says why). Each row: greedy exact match on all trained starts, rows as written
(what the original's `predict`, which never ran, would do, scored; a PAD or SOS before EOS makes a
row wrong), teacher-forced token accuracy, and training time on one CPU thread with the calib
workload's seconds measured in the same run.

    python benchmarks/ablation.py            # full: writes its table into benchmarks/RESULTS.md
    python benchmarks/ablation.py --fast     # smoke test: fast settings, 2 epochs, build/bench/ABLATION.md
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import torch  # noqa: E402
from run import host  # noqa: E402  (benchmarks/run.py: date, commit and CPU)
from speed import calib  # noqa: E402  (benchmarks/speed.py: benchmarks/calib.py in a one-thread child)

from seqtut import sections  # noqa: E402
from seqtut.decoding import decode_dataset  # noqa: E402
from seqtut.metrics import teacher_forced_accuracy  # noqa: E402
from seqtut.runtime import seed_everything, set_threads  # noqa: E402
from seqtut.sections.seq2seq import exact_match_as_written  # noqa: E402
from seqtut.training import fit, teacher_forcing_loss  # noqa: E402
from seqtut.transformer import Seq2SeqTransformer  # noqa: E402

ORIGINAL = dict(
    d_model=32, nhead=2, num_layers=3, dim_feedforward=256, dropout=0.1, positional=False, scale_embedding=False,
    lr=1e-3, lr_floor=1.0, warmup=0, batch_size=8, epochs=25,
)  # fmt: skip
CHANGES = {
    "positional encoding": dict(positional=True),
    "size: d_model 64, 4 heads, 2+2 layers, feed-forward 128": dict(
        d_model=64, nhead=4, num_layers=2, dim_feedforward=128
    ),
    "dropout 0": dict(dropout=0.0),
    "schedule: base lr 6e-3, 100 warm-up steps, cosine toward 1/20": dict(lr=6e-3, lr_floor=1 / 20, warmup=100),
    "batch 32": dict(batch_size=32),
    "20 epochs (the original: 25)": dict(epochs=20),
}
SCALED = "seqtut's section + sqrt(d_model) embedding scaling (the paper's)"
BEGIN, END = "<!-- ablation: benchmarks/ablation.py -->", "<!-- /ablation -->"


def train_and_score(recipe: dict, train, vocab, seed: int = 0) -> dict:
    """Train one recipe on `train`; return greedy exact match, teacher-forced accuracy and seconds."""
    seed_everything(seed)
    model = Seq2SeqTransformer(
        len(vocab),
        recipe["d_model"],
        recipe["nhead"],
        recipe["num_layers"],
        recipe["num_layers"],
        recipe["dim_feedforward"],
        recipe["dropout"],
        pad_id=vocab.pad_id,
        max_len=max(len(row) for row in train.tgt) + 1,
        positional=recipe["positional"],
        scale_embedding=recipe["scale_embedding"],
    )
    history = fit(
        model,
        train,
        epochs=recipe["epochs"],
        lr=recipe["lr"],
        batch_size=recipe["batch_size"],
        loss_fn=teacher_forcing_loss,
        warmup=recipe["warmup"],
        lr_floor=recipe["lr_floor"],
        seed=seed,
        progress_bar=False,
    )
    return {
        "exact": exact_match_as_written(decode_dataset(model, train, raw=True), train.targets, train.vocab),
        "teacher_forced": teacher_forced_accuracy(model, train),
        "seconds": history.seconds,
    }


def table(rows: list[tuple[str, dict]], calib: float, trained: int) -> str:
    lines = [
        f"| recipe | greedy exact match, {trained} trained starts | teacher-forced accuracy | training | calib units |",
        "|---|---|---|---|---|",
    ]
    for name, row in rows:
        lines.append(
            f"| {name} | {100 * row['exact']:.1f} % | {100 * row['teacher_forced']:.1f} % | "
            f"{row['seconds']:.1f} s | {row['seconds'] / calib:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="fast settings and 2 epochs: a smoke test")
    args = parser.parse_args(argv)
    set_threads(1)
    section = sections.get("transformer")
    s = section.settings(args.fast)
    train, _, vocab = section.data(s, seed=0)
    together = dict(ORIGINAL)
    for change in CHANGES.values():
        together.update(change)
    ours = {k: v for k, v in asdict(s).items() if k in together}
    assert {k: together[k] for k in ours} == ours or args.fast, (together, ours)  # all changes = seqtut's section
    recipes = [("the original's recipe", dict(ORIGINAL))]
    recipes += [(f"original + {name}", {**ORIGINAL, **change}) for name, change in CHANGES.items()]
    recipes.append(("all changes together (seqtut's section)", together))
    recipes.append((SCALED, {**together, "scale_embedding": True}))
    if args.fast:
        recipes = [(name, {**recipe, "epochs": 2}) for name, recipe in recipes]
    calib_before = calib()
    rows = []
    for name, recipe in recipes:
        rows.append((name, train_and_score(recipe, train, vocab)))
        print(f"{name}: {100 * rows[-1][1]['exact']:.1f} % in {rows[-1][1]['seconds']:.1f} s", flush=True)
    calib_mean = (calib_before + calib()) / 2
    text = (
        f"{BEGIN}\n## Ablation: the original's Transformer recipe, one change at a time (one seed)\n\n"
        f"`python benchmarks/ablation.py` (part of `make bench`); one seed (0), one CPU thread; calib workload "
        f"{calib_mean:.2f} s (mean of before and after).\n\n" + "\n".join(host()) + "\n"
        f"- Python {platform.python_version()}, torch {torch.__version__}\n\n"
        f"{table(rows, calib_mean, len(train))}\n{END}\n"
    )
    print(text)
    if args.fast:
        out = ROOT / "build" / "bench" / "ABLATION.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    else:
        results = HERE / "RESULTS.md"
        old = results.read_text() if results.exists() else ""
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", re.S)
        results.write_text(pattern.sub(lambda _: text, old) if pattern.search(old) else old.rstrip() + "\n\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

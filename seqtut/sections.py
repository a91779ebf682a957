"""Each tutorial section's settings and an end-to-end run, shared by the notebooks and the CLI.

`settings(name)` returns the numbers a notebook uses (fast or full, by `SEQTUT_FAST`);
`run(name)` trains that section's headline model, measures it on held-out data beside a
baseline and saves a checkpoint. One source of settings: the notebooks read them from here.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from torch.utils.data import Dataset

from seqtut.airline import AirlineSettings, airline_settings, run_airline
from seqtut.checkpoints import save_checkpoint
from seqtut.data import toy_series, window_splits
from seqtut.decoding import decode_dataset, exact_match, teacher_forced_accuracy, token_accuracy
from seqtut.lstm import LSTM_MODELS
from seqtut.settings import FAST, choose_device, results_file, seed_everything
from seqtut.tokens import Seq2SeqDataset, Vocab, reverse_pairs, shifted_window_pairs
from seqtut.training import History, evaluate, fit, metrics, naive_forecast, teacher_forcing_loss
from seqtut.transformer import Seq2SeqTransformer


@dataclass(frozen=True)
class ForecastSettings:
    """An LSTM section: data, scaling, model size and training."""

    model: str
    window: int
    horizon: int | None = None
    shift: int | None = None
    scaler: str = "relative"
    series_length: int = 1000
    hidden_size: int = 32
    num_layers: int = 1
    epochs: int = 30
    lr: float = 1e-2
    batch_size: int = 32
    patience: int | None = None
    max_window: int | None = None  # train on windows of `window`..`max_window` steps (MixedLengthWindows)


@dataclass(frozen=True)
class TokenSettings:
    """A Transformer section: the task, model size and training."""

    task: str
    n_tokens: int
    train_size: int
    heldout_size: int
    d_model: int = 64
    nhead: int = 4
    num_layers: int = 2
    dim_feedforward: int = 128
    dropout: float = 0.0
    epochs: int = 60
    lr: float = 1e-3
    batch_size: int = 32
    window: int = 48
    shift: int = 5
    min_len: int = 3
    max_len: int = 12
    warmup: int = 0  # optimizer steps of linear learning-rate warm-up (fit's `warmup`)
    norm_first: bool = False  # pre-norm Transformer layers


FULL: dict[str, ForecastSettings | TokenSettings] = {
    "many-to-one": ForecastSettings("ManyToOneLSTM", window=5, horizon=1, max_window=8, epochs=20, lr=1e-2),
    "many-to-many": ForecastSettings("ManyToManyLSTM", window=50, horizon=5, epochs=30, lr=1e-2),
    "sequence-generation": ForecastSettings(
        "SequenceLSTM", window=50, shift=5, scaler="start-relative", epochs=100, lr=1e-2
    ),
    "transformer": TokenSettings(
        "shifted-window", n_tokens=1000, train_size=700, heldout_size=248, epochs=45, lr=3e-3, batch_size=32, warmup=100
    ),
    "reverse": TokenSettings(
        "reverse", n_tokens=10, train_size=20000, heldout_size=1000, epochs=8, lr=2e-3, batch_size=64, warmup=200
    ),
}
FAST_OVERRIDES: dict[str, dict] = {
    "many-to-one": dict(epochs=3),
    "many-to-many": dict(epochs=3),
    "sequence-generation": dict(epochs=3),
    "transformer": dict(epochs=5, train_size=200, heldout_size=48, batch_size=16, warmup=10),
    "reverse": dict(epochs=3, train_size=2000, heldout_size=200, batch_size=32, warmup=20),
}
SECTIONS = (*FULL, "airline")  # airline keeps its settings in seqtut.airline


def settings(name: str, fast: bool | None = None) -> ForecastSettings | TokenSettings | AirlineSettings:
    """The settings of section `name`, fast-mode ones when `fast` (default: `SEQTUT_FAST`)."""
    if name == "airline":
        return airline_settings(fast)
    if name not in FULL:
        raise ValueError(f"name: expected one of {', '.join(SECTIONS)}, got {name!r}")
    fast = FAST if fast is None else fast
    return replace(FULL[name], **FAST_OVERRIDES[name]) if fast else FULL[name]


def build_forecaster(s: ForecastSettings) -> torch.nn.Module:
    """The LSTM a forecasting section trains, sized by its settings."""
    extra = {"horizon": s.horizon} if s.model == "ManyToManyLSTM" else {}
    return LSTM_MODELS[s.model](hidden_size=s.hidden_size, num_layers=s.num_layers, **extra)


def token_datasets(s: TokenSettings, seed: int = 0) -> tuple[Seq2SeqDataset, Seq2SeqDataset, Vocab]:
    """Training and held-out datasets of a token task; held-out pairs never appear in training."""
    vocab = Vocab(s.n_tokens)
    if s.task == "shifted-window":
        starts = torch.randperm(s.n_tokens - s.window - s.shift + 1, generator=torch.Generator().manual_seed(seed))
        train_starts = sorted(starts[: s.train_size].tolist())
        heldout_starts = sorted(starts[s.train_size : s.train_size + s.heldout_size].tolist())
        train = shifted_window_pairs(train_starts, s.window, s.shift)
        heldout = shifted_window_pairs(heldout_starts, s.window, s.shift)
    else:
        train = reverse_pairs(s.train_size, min_len=s.min_len, max_len=s.max_len, n_tokens=s.n_tokens, seed=seed)
        seen = {tuple(source) for source in train[0]}
        fresh = reverse_pairs(
            4 * s.heldout_size, min_len=s.min_len, max_len=s.max_len, n_tokens=s.n_tokens, seed=seed + 1
        )
        pairs = [(a, b) for a, b in zip(*fresh) if tuple(a) not in seen][: s.heldout_size]
        heldout = ([a for a, _ in pairs], [b for _, b in pairs])
    return Seq2SeqDataset(*train, vocab), Seq2SeqDataset(*heldout, vocab), vocab


def build_transformer(s: TokenSettings, vocab: Vocab) -> Seq2SeqTransformer:
    """The Transformer a token section trains, sized by its settings."""
    longest = max(s.window, s.max_len) + 2
    return Seq2SeqTransformer(
        len(vocab),
        s.d_model,
        s.nhead,
        s.num_layers,
        s.num_layers,
        s.dim_feedforward,
        s.dropout,
        pad_id=vocab.pad_id,
        max_len=longest + 1,
        norm_first=s.norm_first,
    )


def train_model(
    model: torch.nn.Module,
    train: Dataset,
    s: ForecastSettings | TokenSettings,
    *,
    val: Dataset | None = None,
    device: torch.device | str = "cpu",
    seed: int = 0,
    progress: bool | None = None,
) -> History:
    """`fit` with section settings `s`: the one training call the notebooks and `run` share.

    A forecaster minimises MSE, with early stopping on `val` when `s.patience` is set; a token
    model minimises teacher-forced cross-entropy after `s.warmup` warm-up steps.
    """
    common = dict(epochs=s.epochs, lr=s.lr, batch_size=s.batch_size, device=device, seed=seed, progress_bar=progress)
    if isinstance(s, TokenSettings):
        return fit(model, train, loss_fn=teacher_forcing_loss, warmup=s.warmup, **common)
    return fit(model, train, val=val, patience=s.patience, **common)


def _forecast(name: str, s: ForecastSettings, seed: int, device: torch.device, progress: bool | None):
    train, val, test = window_splits(
        toy_series(s.series_length),
        s.window,
        horizon=s.horizon,
        shift=s.shift,
        scaler=s.scaler,
        max_window=s.max_window,  # None, or train on lengths window..max_window
    )
    model = build_forecaster(s)
    history = train_model(model, train, s, val=val, device=device, seed=seed, progress=progress)
    found = evaluate(model, test, device)
    baseline = metrics(naive_forecast(test, "last"), test.targets)
    value = found.mae
    if s.shift is not None:  # the first steps have seen too little history: report the rest too
        value = sum(found.mae_per_step[s.shift :]) / len(found.mae_per_step[s.shift :])
    result = {
        "metric": "test MAE" + (f" after step {s.shift}" if s.shift else ""),
        "value": value,
        "baseline": baseline.mae,
        "baseline_name": "last value",
        "mae": found.mae,
        "mae_per_step": found.mae_per_step,
        "epochs_run": len(history.train_loss),
        "train_seconds": history.seconds,
    }
    return model, train.scaler, result


def _tokens(name: str, s: TokenSettings, seed: int, device: torch.device, progress: bool | None):
    train, heldout, vocab = token_datasets(s, seed)
    model = build_transformer(s, vocab)
    untrained = copy.deepcopy(model).to(device)  # a baseline: the same network before training
    history = train_model(model, train, s, device=device, seed=seed, progress=progress)
    decoded_train = decode_dataset(model, train)
    decoded_heldout = decode_dataset(model, heldout)
    copy_baseline = exact_match(heldout.sources, heldout.targets)  # answer with the source itself
    result = {
        "train_exact_match": exact_match(decoded_train, train.targets),
        "train_token_accuracy": token_accuracy(decoded_train, train.targets),
        "heldout_exact_match": exact_match(decoded_heldout, heldout.targets),
        "heldout_token_accuracy": token_accuracy(decoded_heldout, heldout.targets),
        "heldout_length_accuracy": sum(len(d) == len(t) for d, t in zip(decoded_heldout, heldout.targets))
        / len(heldout),
        "teacher_forced_accuracy": teacher_forced_accuracy(model, train),
        "heldout_teacher_forced_accuracy": teacher_forced_accuracy(model, heldout),
        "untrained_heldout_exact_match": exact_match(decode_dataset(untrained, heldout), heldout.targets),
        "baseline_name": "copy the source",
        "baseline": copy_baseline,
        "train_size": len(train),
        "heldout_size": len(heldout),
        "epochs_run": len(history.train_loss),
        "train_seconds": history.seconds,
    }
    if s.task == "shifted-window":  # the original's own evaluation: start points it trained on
        result.update(metric="greedy exact match, trained starts", value=result["train_exact_match"])
    else:
        result.update(metric="greedy exact match, held-out", value=result["heldout_exact_match"])
    return model, None, result


def run(
    name: str,
    *,
    fast: bool | None = None,
    seed: int = 0,
    device: str | None = None,
    out: str | Path | None = None,
    progress: bool | None = None,
) -> dict:
    """Train section `name`, measure it on held-out data, save a checkpoint; return the results."""
    if name == "airline":
        return run_airline(fast=fast, seed=seed, device=device, out=out, progress=progress)
    s = settings(name, fast)
    seed_everything(seed)
    chosen = choose_device(device, recurrent=isinstance(s, ForecastSettings))
    started = time.perf_counter()
    runner = _forecast if isinstance(s, ForecastSettings) else _tokens
    model, scaler, result = runner(name, s, seed, chosen, progress)
    path = Path(out or Path("runs") / name) / "model.pt"
    save_checkpoint(path, model.cpu(), scaler=scaler, config={"section": name, "settings": asdict(s), "seed": seed})
    return {
        "name": name,
        **result,
        "seconds": round(time.perf_counter() - started, 3),
        "device": chosen.type,
        "fast": FAST if fast is None else fast,
        "checkpoint": str(path),
    }


def report(name: str, metric: str, value: float, baseline: float, baseline_name: str, **details: object) -> dict:
    """Print a section's headline held-out result beside its baseline, as one line.

    When `SEQTUT_RESULTS` names a file, the result is appended to it as a JSON line:
    `make run` collects these to print one table for the whole tutorial.
    """
    result = {
        "name": name,
        "metric": metric,
        "value": float(value),
        "baseline": float(baseline),
        "baseline_name": baseline_name,
        "fast": FAST,
        **details,
    }
    print(f"{name}: {metric} {value:.4f} | baseline ({baseline_name}) {baseline:.4f}")
    path = results_file()
    if path:
        with open(path, "a") as stream:
            stream.write(json.dumps(result) + "\n")
    return result

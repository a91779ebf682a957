"""The Transformer sections' shared pipeline: token pairs -> `Seq2SeqTransformer` -> teacher forcing -> greedy decoding.

A token section subclasses `TokenSection`, declares its `Settings`, builds its pairs in `data`
and reads the command line's input in `sources`; notebooks 06 and 07 call the same pieces.
Shapes: src (N, S) and tgt (N, T) of ids, wrapped in SOS ... EOS and right-padded with PAD.
Fields declared with `bound` are the notebooks' claim thresholds: training never reads them.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

import torch
from torch import nn

from seqtut.decoding import decode_dataset, faults, greedy_decode
from seqtut.metrics import exact_match, teacher_forced_accuracy, token_accuracy
from seqtut.runtime import seed_everything
from seqtut.scalers import Scaler
from seqtut.sections.base import (
    Callback,
    Section,
    SectionSettings,
    Trained,
    history_details,
    parse_numbers,
    report,
)
from seqtut.tokens import Seq2SeqDataset, Vocab
from seqtut.training import History, teacher_forcing_loss
from seqtut.transformer import Seq2SeqTransformer


def _training_settings(s: Any) -> dict[str, Any]:
    """`asdict(s)` without the `bound` fields (claim thresholds, which training never reads)."""
    bounds = {f.name for f in fields(s) if f.metadata.get("bound")}
    return {name: value for name, value in asdict(s).items() if name not in bounds}


def same_training(saved: dict[str, Any], s: Any) -> bool:
    """Whether settings saved with a model (`asdict` of some settings) train as `s` does: `bound` fields aside."""
    bounds = {f.name for f in fields(s) if f.metadata.get("bound")}
    return {name: value for name, value in saved.items() if name not in bounds} == _training_settings(s)


def saved_model_path(stem: str, s: Any, folder: Path = Path("runs")) -> Path:
    """`folder/<stem>-<8 hex digits>.pt`, the digits a hash of the settings training reads.

    One file per training settings: a fast-mode run (`SEQTUT_FAST=1`, e.g. under nbval) writes its
    own file and never replaces the full-mode model that a later full run (notebook 07) reuses.
    """
    text = json.dumps(_training_settings(s), sort_keys=True, default=repr)
    return folder / f"{stem}-{hashlib.sha256(text.encode()).hexdigest()[:8]}.pt"


def exact_match_as_written(written: list[list[int]], targets: list[list[int]], vocab: Vocab) -> float:
    """The fraction of raw rows (N lists of ids, `raw=True`) that wrote their target's ids, then EOS.

    Nothing is dropped before the comparison, as `Vocab.decode` would drop PAD and SOS: a row
    with a PAD or SOS where a token belongs, or with no EOS, is wrong.
    """
    expected = [vocab.encode(target, wrap=False) + [vocab.eos_id] for target in targets]
    return sum(row[: len(ids)] == ids for row, ids in zip(written, expected, strict=True)) / len(targets)


def result_fields(trained: dict[str, float] | None, fresh: dict[str, float]) -> dict[str, float]:
    """`TokenSection.score`'s dicts on trained (or None) and held-out data as a result's named fields.

    The names `python -m seqtut run` writes: "train_exact_match", "heldout_exact_match", ...;
    "untrained_heldout_exact_match" only when `fresh` scored the untrained network.
    """
    own = trained or {}
    pairs = [
        ("train_exact_match", own.get("exact")),
        ("train_token_accuracy", own.get("token")),
        ("heldout_exact_match", fresh["exact"]),
        ("heldout_token_accuracy", fresh["token"]),
        ("heldout_length_accuracy", fresh["length"]),
        ("teacher_forced_accuracy", own.get("teacher_forced")),
        ("heldout_teacher_forced_accuracy", fresh["teacher_forced"]),
        ("untrained_heldout_exact_match", fresh.get("untrained")),
    ]
    return {name: value for name, value in pairs if value is not None}


@dataclass(frozen=True)
class TokenSettings(SectionSettings):
    """A Transformer section: vocabulary, data sizes, model size and training."""

    n_tokens: int = 10
    train_size: int = 1000
    heldout_size: int = 100
    d_model: int = 64
    nhead: int = 4
    num_layers: int = 2  # encoder layers, and as many decoder layers
    dim_feedforward: int = 128
    dropout: float = 0.0
    epochs: int = 60
    lr: float = 1e-3
    batch_size: int = 32
    warmup: int = 0  # optimizer steps of linear learning-rate warm-up (fit's `warmup`)
    norm_first: bool = False  # True: pre-norm layers; False (here): post-norm, as nn.Transformer's default
    scale_embedding: bool = False  # the paper's x sqrt(D): shrinks positions' share (06); lower in one seed


class TokenSection(Section):
    """A section that trains a `Seq2SeqTransformer` to map one token sequence to another."""

    input_help = "tokens (ints)"
    headline: ClassVar[tuple[str, str]]  # (key of the headline figure, its name); "train_..." keys: trained data
    beside: ClassVar[tuple[str, str] | None] = None  # (key, words) of a figure printed beside the headline
    baseline_name: ClassVar[str] = "copying the source"  # what `baseline` computes, as reports name it
    exact_rule_name: ClassVar[str]  # what `exact_rule` computes, as reports name it

    def data(self, s: Any, seed: int = 0) -> tuple[Seq2SeqDataset, Seq2SeqDataset, Vocab]:
        """Training and held-out datasets; held-out pairs never appear in training."""
        raise NotImplementedError

    def longest(self, s: Any) -> int:
        """The most ids a source or target holds, SOS and EOS included."""
        raise NotImplementedError

    def sources(self, s: Any, values: list[str]) -> list[list[int]]:
        """The command line's VALUE strings as source token lists, or a ValueError naming VALUE."""
        raise NotImplementedError

    def build_model(self, s: Any, vocab: Vocab) -> Seq2SeqTransformer:
        """The Transformer this section trains, sized by its settings."""
        return Seq2SeqTransformer(
            len(vocab),
            s.d_model,
            s.nhead,
            s.num_layers,
            s.num_layers,
            s.dim_feedforward,
            s.dropout,
            pad_id=vocab.pad_id,
            max_len=self.longest(s) + 1,
            norm_first=s.norm_first,
            scale_embedding=s.scale_embedding,
        )

    def baseline(self, s: Any, dataset: Seq2SeqDataset) -> float:
        """The headline's baseline, copying the source: its exact match on `dataset`, a rule that ignores the task."""
        return exact_match(dataset.sources, dataset.targets)

    def exact_rule(self, s: Any, dataset: Seq2SeqDataset) -> float:
        """The exact match, on `dataset`, of the rule that reads the source as the task asks (counting,
        reversing): right by construction, printed beside the baseline as drift is on the toy line."""
        raise NotImplementedError

    def fit_options(self, s: Any) -> dict[str, Any]:
        """Teacher-forced cross-entropy after `s.warmup` steps of learning-rate warm-up."""
        return {"loss_fn": teacher_forcing_loss, "warmup": s.warmup}

    def score(
        self,
        model: nn.Module,
        dataset: Seq2SeqDataset,
        untrained: nn.Module | None = None,
        written: list[list[int]] | None = None,
    ) -> dict[str, float]:
        """Greedy exact match, token and length accuracy, teacher-forced accuracy, and two baselines.

        The baselines, answers that learn nothing of the task: the source itself ("copy"), and
        `untrained`, the same network before training, when given. Both networks are decoded with
        `raw=True` and a row is exactly right only as written, so a PAD or SOS that `Vocab.decode`
        would strip makes it wrong; token and length accuracy read the rows cut at EOS. `written`
        reuses a `decode_dataset(model, dataset, raw=True)` already made (greedy decoding is the
        slow part). The untrained network's `faults` are returned too ("untrained_no_eos",
        "untrained_pad_or_sos_before_eos").
        """
        written = decode_dataset(model, dataset, raw=True) if written is None else written
        decoded = [dataset.vocab.decode(row) for row in written]  # cut at EOS, PAD and SOS dropped
        scores = {
            "exact": exact_match_as_written(written, dataset.targets, dataset.vocab),
            "token": token_accuracy(decoded, dataset.targets),
            "length": sum(len(d) == len(t) for d, t in zip(decoded, dataset.targets)) / len(dataset),
            "teacher_forced": teacher_forced_accuracy(model, dataset),
            "copy": exact_match(dataset.sources, dataset.targets),
        }
        if untrained is not None:
            written = decode_dataset(untrained, dataset, raw=True)  # ids as written: faults can be counted
            found = faults(written, dataset.vocab)
            scores["untrained"] = exact_match_as_written(written, dataset.targets, dataset.vocab)
            scores["untrained_no_eos"] = found["no_eos"]
            scores["untrained_pad_or_sos_before_eos"] = found["pad_or_sos_before_eos"]
        return scores

    def pipeline(self, s: Any, *, seed: int, device: torch.device, progress: bool | None, callback: Callback | None):
        train, heldout, vocab = self.data(s, seed)
        model = self.build_model(s, vocab)
        untrained = copy.deepcopy(model).to(device)  # a baseline: the same network before training
        history = self.train(model, train, s, device=device, seed=seed, progress=progress, callback=callback)
        trained, fresh = self.score(model, train), self.score(model, heldout, untrained)
        measured = {
            **result_fields(trained, fresh),
            "train_size": len(train),
            "heldout_size": len(heldout),
            **history_details(history),
        }
        key, metric = self.headline
        references = self._references(s, train if key.startswith("train_") else heldout)  # on the headline's data
        return Trained([model], None, {"metric": metric, "value": measured[key], **references, **measured})

    def _references(self, s: Any, dataset: Seq2SeqDataset) -> dict[str, Any]:
        """The baseline and the exact rule on the headline's `dataset`, with their names, as a result's fields."""
        return {
            "baseline": self.baseline(s, dataset),
            "baseline_name": self.baseline_name,
            "exact_rule": self.exact_rule(s, dataset),
            "exact_rule_name": self.exact_rule_name,
        }

    def report_scores(self, s: Any, data: dict[str, Seq2SeqDataset], scores: dict[str, dict[str, float]]) -> dict:
        """Print the headline line `python -m seqtut run NAME` prints, from `score`'s dicts; return the JSON row.

        `data` and `scores` map "held-out" (and "trained", needed for a headline on trained data)
        to a dataset and its `score`. The baseline and the exact rule are computed on the headline's data;
        `beside`'s figure comes first in the printed slot.
        """
        row = result_fields(scores.get("trained"), scores["held-out"])
        key, metric = self.headline
        aside = beside_headline(self.name, row)
        shown = " | ".join(filter(None, (aside, f"baseline ({self.baseline_name})")))
        references = self._references(s, data["trained" if key.startswith("train_") else "held-out"])
        baseline, baseline_name = references.pop("baseline"), references.pop("baseline_name")
        return report(self.name, metric, row[key], baseline, baseline_name, label=shown, **row, **references)

    def train_fresh(self, s: Any, seed: int = 0, **kwargs: Any) -> tuple[nn.Module, History, tuple]:
        """Seed, build the data and the model, train: the steps `run` takes. Returns model, history, data."""
        seed_everything(seed)
        train, heldout, vocab = self.data(s, seed)
        model = self.build_model(s, vocab)
        return model, self.train(model, train, s, seed=seed, **kwargs), (train, heldout, vocab)

    def predict(self, model: nn.Module, scaler: Scaler | None, s: Any, values: list[str]) -> list[str]:
        vocab = Vocab(s.n_tokens)
        sources = self.sources(s, values)
        for source in sources:
            bad = [t for t in source if not 0 <= t < vocab.n_tokens]
            if bad:
                raise ValueError(f"VALUE: every token must lie in 0..{vocab.n_tokens - 1}; this input needs {bad[0]}")
        src = vocab.pad([vocab.encode(source) for source in sources])
        return [" ".join(map(str, tokens)) for tokens in greedy_decode(model, src, vocab, self.longest(s) - 1)]


def beside_headline(name: str, row: dict[str, Any]) -> str | None:
    """'trained starts 1.0000': the figure section `name` prints beside its headline, if it has one.

    The transformer section's: its trained starts' exact match (the original's task, in-sample)
    rides beside its held-out headline on every printed line and table row, never alone. `row`: a
    result's fields.
    """
    from seqtut import sections  # here: the registry imports this module

    section = sections.REGISTRY.get(name)
    pair = getattr(section, "beside", None)
    if pair is None or pair[0] not in row:
        return None
    key, words = pair
    return f"{words} {float(row[key]):.4f}"


def integers(values: list[str]) -> list[int]:
    """VALUE strings as ints, or a ValueError naming VALUE."""
    return parse_numbers(values, integers=True)

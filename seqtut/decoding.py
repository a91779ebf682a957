"""Greedy decoding: start every row at SOS, append the most likely next token, stop at EOS.

The model must offer `encode(src) -> memory` and `decode(tgt_in, memory, src) -> logits`,
as `Seq2SeqTransformer` does, so the source is encoded once, not once per new token. A model
that also offers `decode_next(tgt_in, memory, src, cache) -> (logits of the last position, cache)`
is asked for the newest position only, which makes decoding T tokens cost T positions, not T^2/2.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from seqtut.tokens import Seq2SeqDataset, Vocab


@torch.no_grad()
def greedy_decode(model: nn.Module, src: torch.Tensor, vocab: Vocab, max_len: int) -> list[list[int]]:
    """Decode a batch of sources (N, S) into N token lists, each cut at its own EOS.

    Rows that have emitted EOS keep receiving PAD while the others go on; the loop ends
    when every row is done or after `max_len` new tokens. Specials are stripped.
    """
    if not isinstance(max_len, int) or isinstance(max_len, bool) or max_len < 1:
        raise ValueError(f"max_len: expected a positive int, got {max_len!r}")
    if not isinstance(src, torch.Tensor) or src.ndim != 2:
        raise ValueError(f"src: expected a 2-D tensor of ids (batch, length), got {getattr(src, 'shape', src)!r}")
    if not (src == vocab.eos_id).any(dim=1).all():
        row = int((~(src == vocab.eos_id).any(dim=1)).nonzero()[0])
        raise ValueError(f"src: expected every source to end with EOS (id {vocab.eos_id}), row {row} has none")
    model.eval()
    device = next(model.parameters()).device
    src = src.to(device)
    memory = model.encode(src)
    out = torch.full((len(src), 1), vocab.sos_id, dtype=torch.long, device=device)  # (N, 1)
    done = torch.zeros(len(src), dtype=torch.bool, device=device)
    incremental, cache = hasattr(model, "decode_next"), None
    for _ in range(max_len):
        if incremental:  # the same scores, computing only the newest position (cached keys and values)
            logits, cache = model.decode_next(out, memory, src, cache)
        else:
            logits = model.decode(out, memory, src)[:, -1]  # (N, V): the next token's scores
        next_id = logits.argmax(dim=-1).masked_fill(done, vocab.pad_id)
        out = torch.cat([out, next_id.unsqueeze(1)], dim=1)
        done |= next_id == vocab.eos_id
        if done.all():
            break
    return [vocab.decode(row) for row in out.tolist()]


def exact_match(predicted: Sequence[Sequence[int]], expected: Sequence[Sequence[int]]) -> float:
    """Fraction of sequences decoded exactly right, length included."""
    if len(predicted) != len(expected) or not expected:
        raise ValueError(f"predicted: expected {len(expected)} sequences (at least one), got {len(predicted)}")
    return sum(list(p) == list(e) for p, e in zip(predicted, expected)) / len(expected)


def token_accuracy(predicted: Sequence[Sequence[int]], expected: Sequence[Sequence[int]]) -> float:
    """Fraction of expected tokens matched at the same position (missing tokens count as wrong)."""
    if len(predicted) != len(expected) or not expected:
        raise ValueError(f"predicted: expected {len(expected)} sequences (at least one), got {len(predicted)}")
    hits = sum(p == e for pred, exp in zip(predicted, expected) for p, e in zip(pred, exp))
    return hits / sum(len(e) for e in expected)


def first_error_positions(predicted: Sequence[Sequence[int]], expected: Sequence[Sequence[int]]) -> list[int | None]:
    """For each pair, the first position where the decoded tokens go wrong (None if exact)."""
    positions: list[int | None] = []
    for pred, exp in zip(predicted, expected):
        wrong = [i for i, (p, e) in enumerate(zip(pred, exp)) if p != e]
        positions.append(wrong[0] if wrong else (None if len(pred) == len(exp) else min(len(pred), len(exp))))
    return positions


@torch.no_grad()
def teacher_forced_accuracy(model: nn.Module, dataset: Seq2SeqDataset, batch_size: int = 256) -> float:
    """Next-token accuracy when the decoder is fed the true previous tokens (PAD excluded)."""
    model.eval()
    device = next(model.parameters()).device
    hits = total = 0
    for start in range(0, len(dataset), batch_size):
        src, tgt = (t.to(device) for t in dataset[list(range(start, min(start + batch_size, len(dataset))))])
        predicted = model(src, tgt[:, :-1]).argmax(dim=-1)  # (N, T-1)
        real = tgt[:, 1:] != dataset.vocab.pad_id
        hits += (predicted == tgt[:, 1:])[real].sum().item()
        total += real.sum().item()
    return hits / total


def decode_dataset(
    model: nn.Module, dataset: Seq2SeqDataset, max_len: int | None = None, batch_size: int = 512
) -> list[list[int]]:
    """Greedy-decode every source of `dataset`; `max_len` defaults to the longest target + 1."""
    max_len = max_len or dataset.tgt.shape[1]
    decoded: list[list[int]] = []
    for start in range(0, len(dataset), batch_size):
        decoded += greedy_decode(model, dataset.src[start : start + batch_size], dataset.vocab, max_len)
    return decoded

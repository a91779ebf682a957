"""Greedy decoding: start every row at SOS, append the most likely next token, stop at EOS.

The model must offer `encode(src) -> memory` and `decode(tgt_in, memory, src, last_only=True) ->`
the last position's logits, as `Seq2SeqTransformer` does, so the source is encoded once, not once
per new token, and only the last position goes through the output layer. Each new token re-runs
the decoder over the whole prefix: T tokens push about T^2/2 positions through the layers. A
key/value cache would push each position through once (each new query still reads every earlier
key), at the price of rewriting the decoder layer's attention by hand; at these lengths (at most
50 new tokens) the plain loop is fast enough, and it is nn.Transformer's own math.
Notebook 07 shows `greedy_step`, `append_or_pad` and `greedy_decode`.
"""

from __future__ import annotations

import torch
from torch import nn

from seqtut.checks import positive_int
from seqtut.tokens import Seq2SeqDataset, Vocab


def check_sources(src: torch.Tensor, vocab: Vocab) -> None:
    """A ValueError naming `src` unless it is (N, S) ids with an EOS in every row."""
    if not isinstance(src, torch.Tensor) or src.ndim != 2:
        raise ValueError(f"src: expected a 2-D tensor of ids (batch, length), got {getattr(src, 'shape', src)!r}")
    has_eos = (src == vocab.eos_id).any(dim=1)
    if not has_eos.all():
        row = int((~has_eos).nonzero()[0])
        raise ValueError(f"src: expected every source to hold an EOS (id {vocab.eos_id}), row {row} has none")


def greedy_step(model: nn.Module, prefix: torch.Tensor, memory: torch.Tensor, src: torch.Tensor) -> torch.Tensor:
    """One greedy step: the most likely next id (N,) of every row, given the prefix (N, t) written so far."""
    logits = model.decode(prefix, memory, src, last_only=True)  # (N, V): scores of the token after the prefix
    return logits.argmax(dim=-1)


def append_or_pad(
    prefix: torch.Tensor, next_id: torch.Tensor, done: torch.Tensor, vocab: Vocab
) -> tuple[torch.Tensor, torch.Tensor]:
    """Append next_id (N,) to prefix (N, t), PAD in rows already done; rows that wrote EOS are now done (N,)."""
    next_id = next_id.masked_fill(done, vocab.pad_id)  # a finished row writes PAD, whatever the model says
    return torch.cat([prefix, next_id.unsqueeze(1)], dim=1), done | (next_id == vocab.eos_id)


@torch.no_grad()
def greedy_decode(
    model: nn.Module, src: torch.Tensor, vocab: Vocab, max_len: int, *, raw: bool = False
) -> list[list[int]]:
    """Decode a batch of sources (N, S) into N token lists, each cut at its own EOS, specials stripped.

    The loop ends when every row has written EOS, or after `max_len` new tokens. With `raw`, each
    row's ids as written instead (SOS left out; EOS, and the PAD fed after it, kept): see `faults`.
    """
    positive_int(max_len, "max_len")
    check_sources(src, vocab)
    model.eval()
    src = src.to(next(model.parameters()).device)
    memory = model.encode(src)  # (N, S, D): the source is encoded once
    prefix = torch.full((len(src), 1), vocab.sos_id, dtype=torch.long, device=src.device)  # (N, 1): SOS
    done = torch.zeros(len(src), dtype=torch.bool, device=src.device)  # (N,): which rows wrote EOS
    for _ in range(max_len):
        prefix, done = append_or_pad(prefix, greedy_step(model, prefix, memory, src), done, vocab)
        if done.all():
            break
    return prefix[:, 1:].tolist() if raw else [vocab.decode(row) for row in prefix.tolist()]


def decode_dataset(
    model: nn.Module, dataset: Seq2SeqDataset, max_len: int | None = None, batch_size: int = 512, *, raw: bool = False
) -> list[list[int]]:
    """Greedy-decode every source of `dataset` (`raw` as in `greedy_decode`).

    `max_len` defaults to `dataset.tgt.shape[1]`: the longest target with its EOS, plus one token.
    """
    max_len = max_len or dataset.tgt.shape[1]
    decoded: list[list[int]] = []
    for start in range(0, len(dataset), batch_size):
        decoded += greedy_decode(model, dataset.src[start : start + batch_size], dataset.vocab, max_len, raw=raw)
    return decoded


def faults(written: list[list[int]], vocab: Vocab) -> dict[str, int]:
    """Count the raw rows (`raw=True`) that never wrote EOS, and those that wrote PAD or SOS before their EOS
    (anywhere, in a row that never wrote one).

    `Vocab.decode` drops PAD and SOS wherever they stand, so a row written `5 <pad> 6 <eos>` would be
    scored as `5 6`: scores made after decoding hold only where the second count is 0.
    """
    eos, specials = vocab.eos_id, len(vocab.specials)
    cut = [row[: row.index(eos)] if eos in row else row for row in written]  # the ids before the first EOS
    return {
        "no_eos": sum(eos not in row for row in written),
        "pad_or_sos_before_eos": sum(any(i < specials for i in row) for row in cut),
    }

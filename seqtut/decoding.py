"""Greedy decoding: start every row at SOS, append the most likely next token, stop at EOS.

The model must offer `encode(src) -> memory` and `decode(tgt_in, memory, src) -> logits`,
as `Seq2SeqTransformer` does, so the source is encoded once, not once per new token. Each new
token re-runs the decoder over the whole prefix: T tokens push about T^2/2 positions through the
layers. A key/value cache would push each position through once (each new query still reads every
earlier key), at the price of rewriting the decoder layer's attention by hand; at
these lengths (at most 50 new tokens) the plain loop is fast enough, and it is nn.Transformer's own math.
"""

from __future__ import annotations

import torch
from torch import nn

from seqtut.checks import positive_int
from seqtut.tokens import Seq2SeqDataset, Vocab


@torch.no_grad()
def greedy_decode(model: nn.Module, src: torch.Tensor, vocab: Vocab, max_len: int) -> list[list[int]]:
    """Decode a batch of sources (N, S) into N token lists, each cut at its own EOS.

    Rows that have emitted EOS keep receiving PAD while the others go on; the loop ends
    when every row is done or after `max_len` new tokens. Specials are stripped.
    """
    positive_int(max_len, "max_len")
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
    for _ in range(max_len):
        logits = model.decode(out, memory, src)[:, -1]  # (N, V): the next token's scores
        next_id = logits.argmax(dim=-1).masked_fill(done, vocab.pad_id)
        out = torch.cat([out, next_id.unsqueeze(1)], dim=1)
        done |= next_id == vocab.eos_id
        if done.all():
            break
    return [vocab.decode(row) for row in out.tolist()]


def decode_dataset(
    model: nn.Module, dataset: Seq2SeqDataset, max_len: int | None = None, batch_size: int = 512
) -> list[list[int]]:
    """Greedy-decode every source of `dataset`; `max_len` defaults to the longest target + 1."""
    max_len = max_len or dataset.tgt.shape[1]
    decoded: list[list[int]] = []
    for start in range(0, len(dataset), batch_size):
        decoded += greedy_decode(model, dataset.src[start : start + batch_size], dataset.vocab, max_len)
    return decoded

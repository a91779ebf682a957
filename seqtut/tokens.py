"""Tokens for the Transformer sections: a vocabulary with PAD/SOS/EOS, datasets and two tasks.

Ids 0, 1, 2 are PAD, SOS and EOS; token t (an int in 0..n_tokens-1) has id t + 3.
A source or target sequence is stored as SOS, tokens..., EOS, then PAD up to the longest.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.utils.data import Dataset

from seqtut.checks import non_negative_int, positive_int


class Vocab:
    """Integer tokens 0..n_tokens-1 plus the special ids PAD, SOS and EOS."""

    pad_id, sos_id, eos_id = 0, 1, 2
    specials = ("<pad>", "<sos>", "<eos>")

    def __init__(self, n_tokens: int) -> None:
        positive_int(n_tokens, "n_tokens")
        self.n_tokens = n_tokens

    def __len__(self) -> int:
        return self.n_tokens + len(self.specials)

    def __repr__(self) -> str:
        return f"Vocab(n_tokens={self.n_tokens}, pad_id=0, sos_id=1, eos_id=2)"

    def encode(self, tokens: Sequence[int], *, wrap: bool = True) -> list[int]:
        """Token values -> ids, wrapped in SOS ... EOS unless `wrap=False`."""
        bad = [t for t in tokens if not isinstance(t, int) or isinstance(t, bool) or not 0 <= t < self.n_tokens]
        if bad:
            raise ValueError(f"tokens: expected ints in 0..{self.n_tokens - 1}, got {bad[0]!r}")
        ids = [t + len(self.specials) for t in tokens]
        return [self.sos_id, *ids, self.eos_id] if wrap else ids

    def decode(self, ids: Sequence[int]) -> list[int]:
        """Ids -> token values: skip SOS and PAD, stop at the first EOS."""
        tokens = []
        for i in (int(i) for i in ids):
            if not 0 <= i < len(self):
                raise ValueError(f"ids: expected ids in 0..{len(self) - 1}, got {i}")
            if i == self.eos_id:
                break
            if i >= len(self.specials):
                tokens.append(i - len(self.specials))
        return tokens

    def name(self, token_id: int) -> str:
        """A readable label for one id: '<sos>' for a special, the token value otherwise."""
        if not isinstance(token_id, int) or not 0 <= token_id < len(self):
            raise ValueError(f"token_id: expected an id in 0..{len(self) - 1}, got {token_id!r}")
        return self.specials[token_id] if token_id < len(self.specials) else str(token_id - len(self.specials))

    def pad(self, rows: Sequence[Sequence[int]], length: int | None = None) -> torch.Tensor:
        """Right-pad id lists with PAD into one tensor (N, length or the longest row)."""
        longest = max((len(r) for r in rows), default=0)
        length = longest if length is None else length
        non_negative_int(length, "length")
        if length < longest:
            raise ValueError(f"length: expected at least the longest row ({longest}), got {length}")
        batch = torch.full((len(rows), length), self.pad_id, dtype=torch.long)
        for i, row in enumerate(rows):
            batch[i, : len(row)] = torch.as_tensor(row, dtype=torch.long)
        return batch


class Seq2SeqDataset(Dataset):
    """Pairs of token sequences as padded id tensors `src` (N, S) and `tgt` (N, T).

    Both are wrapped in SOS/EOS. The decoder reads `tgt[:, :-1]` (starts with SOS) and is
    trained to output `tgt[:, 1:]` (ends with EOS): teacher forcing.
    """

    def __init__(self, sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]], vocab: Vocab) -> None:
        if len(sources) != len(targets) or not sources:
            raise ValueError(
                f"sources/targets: expected equally many, at least one, got {len(sources)} and {len(targets)}"
            )
        self.vocab = vocab
        self.sources = [list(s) for s in sources]
        self.targets = [list(t) for t in targets]
        self.src = vocab.pad([vocab.encode(s) for s in self.sources])
        self.tgt = vocab.pad([vocab.encode(t) for t in self.targets])

    def __len__(self) -> int:
        return len(self.src)

    def __getitem__(self, index: int | list[int] | torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.src[index], self.tgt[index]


def shifted_window_pairs(
    starts: Sequence[int], window: int = 48, shift: int = 5
) -> tuple[list[list[int]], list[list[int]]]:
    """The original token task: source start..start+window-1, target the same moved `shift` ahead."""
    positive_int(window, "window")
    positive_int(shift, "shift")
    if any(not isinstance(s, int) or s < 0 for s in starts):
        raise ValueError(
            f"starts: expected ints >= 0, got {[s for s in starts if not isinstance(s, int) or s < 0][0]!r}"
        )
    sources = [list(range(s, s + window)) for s in starts]
    targets = [list(range(s + shift, s + shift + window)) for s in starts]
    return sources, targets


def reverse_pairs(
    count: int, *, min_len: int = 3, max_len: int = 12, n_tokens: int = 10, seed: int = 0
) -> tuple[list[list[int]], list[list[int]]]:
    """Random strings of random length and their reversals: a task whose length EOS must decide."""
    positive_int(count, "count")
    positive_int(n_tokens, "n_tokens")
    if not 1 <= min_len <= max_len:
        raise ValueError(f"min_len/max_len: expected 1 <= min_len <= max_len, got {min_len} and {max_len}")
    generator = torch.Generator().manual_seed(seed)
    lengths = torch.randint(min_len, max_len + 1, (count,), generator=generator).tolist()
    sources = [torch.randint(0, n_tokens, (n,), generator=generator).tolist() for n in lengths]
    return sources, [s[::-1] for s in sources]

"""Notebook 06's exercises: token ids with SOS/EOS, the causal mask and the padding mask.

Masks follow the package's convention (that of `nn.Transformer`): a bool tensor, True = hidden.
"""

from __future__ import annotations

from typing import Any

import torch

from seqtut.exercises.core import Case, checker, same
from seqtut.masks import causal_mask, padding_mask
from seqtut.tokens import Vocab

VOCAB = Vocab(1000)


def _bool_mask(expected: Any, got: Any) -> str | None:
    """`same`, with a word about float masks: nn.Transformer takes them, this exercise asks for bool."""
    if isinstance(got, torch.Tensor) and got.is_floating_point():
        return (
            f"expected a bool mask (True = hidden), got dtype {str(got.dtype).removeprefix('torch.')}: "
            "a float mask of -inf and 0 also works in nn.Transformer, but here the answer is True/False"
        )
    return same(expected, got)


@checker
def encode_tokens_cases() -> list[Case]:
    """Token values 0..999 -> ids wrapped in SOS ... EOS (PAD 0, SOS 1, EOS 2, token t -> t + 3)."""
    hint_offset = "ids 0, 1 and 2 belong to PAD, SOS and EOS, so token t gets id t + 3"
    hint_wrap = "every sequence starts with SOS (id 1) and ends with EOS (id 2)"
    cases = [
        ("three tokens", [437, 438, 439], f"{hint_offset}; {hint_wrap}"),
        ("no tokens at all: only the wrapping", [], hint_wrap),
        ("token 0, which must not collide with PAD", [0], hint_offset),
        ("the largest token, 999", [999], hint_offset),
        ("a token repeated", [5, 5, 5, 1], hint_wrap),
    ]
    return [Case(text, (tokens,), VOCAB.encode(tokens), hint) for text, tokens, hint in cases]


@checker
def causal_mask_cases() -> list[Case]:
    """A causal mask (size, size), bool, True where a query may not look: at every later key."""
    hint_diagonal = "a query may always look at its own position: the diagonal stays False"
    hint_side = "rows are queries and columns keys: row i hides the keys j > i, the ones to its right"
    cases = [
        ("size 1: one position, which sees itself", 1, hint_diagonal),
        ("size 2", 2, hint_side),
        ("size 5", 5, hint_side),
        ("size 3, odd", 3, hint_diagonal),
        ("size 7, odd", 7, hint_side),
        ("size 49, the decoder's length in this notebook (SOS and 48 tokens: tgt[:, :-1])", 49, hint_side),
    ]
    return [Case(text, (size,), causal_mask(size), hint, compare=_bool_mask) for text, size, hint in cases]


@checker
def padding_mask_cases() -> list[Case]:
    """A key padding mask: tokens (N, L) and pad_id -> (N, L) bool, True exactly where the id is PAD."""
    hint_only = "hide PAD and nothing else: SOS, EOS and every token stay visible"
    hint_where = "compare each id with pad_id on its own; what comes after a PAD does not matter"
    rows = {
        "no PAD anywhere": ([[1, 440, 441, 2]], 0, hint_only),
        "PAD at the end (right padding)": ([[1, 440, 2, 0, 0]], 0, hint_only),
        "PAD in the middle of a row (two sequences packed together)": ([[1, 440, 2, 0, 1, 7, 2]], 0, hint_where),
        "a row of one token": ([[1]], 0, hint_only),
        "a batch of 3 rows of different lengths": ([[1, 5, 6, 7, 2], [1, 5, 2, 0, 0], [1, 2, 0, 0, 0]], 0, hint_only),
        "another PAD id: 7, and id 0 is a real token here": ([[1, 0, 2, 7], [1, 7, 7, 7]], 7, "use pad_id, not 0"),
    }
    cases = []
    for text, (ids, pad_id, hint) in rows.items():
        tokens = torch.tensor(ids)
        cases.append(Case(text, (tokens, pad_id), padding_mask(tokens, pad_id), hint, compare=_bool_mask))
    return cases

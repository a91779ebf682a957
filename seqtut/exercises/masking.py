"""Notebook 06's exercises: a padding mask from lengths, a sliding-window causal mask, the rows that hide every key.

Masks follow the package's convention (that of `nn.Transformer`): a bool tensor, True = hidden.
Each exercise is a variation the notebook does not display: the padding mask is built from
lengths (no ids to compare, so `padding_mask` cannot serve) and on either side; the causal mask
gets a window (`causal_mask` has none); the last exercise predicts the query rows of section 5
for a batch, with a window, where right padding no longer keeps every row safe.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from seqtut.exercises.core import Case, checker, same

NOTEBOOK = "06_transformer_masking"

FLOAT_MASK = (
    "answer with a bool tensor (True = hidden): nn.Transformer also takes a float mask of -inf and 0, "
    "but this exercise asks for True/False"
)
INVERTED = "True marks what is hidden (nn.Transformer's convention), False what may be read: yours is the other way"


def _not_bool(got: Any) -> bool:
    """A test for the usual mistake of a float (or integer) mask."""
    return isinstance(got, torch.Tensor) and got.dtype != torch.bool


def _bool_mask(expected: Any, got: Any) -> str | None:
    """`same`, saying first that a mask of another dtype is not a bool mask (the values could still match)."""
    if _not_bool(got):
        return f"expected a bool mask (True = hidden), got dtype {str(got.dtype).removeprefix('torch.')}"
    return same(expected, got)


def any_of(wrong: Any) -> Callable[[Any], bool]:
    """A test `answer -> bool` for a usual mistake with several forms: the answer equals one of `wrong`."""
    values = list(wrong)
    return lambda got: any(same(value, got) is None for value in values)


# 1. A padding mask from lengths ---------------------------------------------------------------------------------


def lengths_mask(lengths: torch.Tensor, length: int, left: bool, shift: int = 0) -> torch.Tensor:
    """True at PAD: after each row's ids (right padding) or before them (left); `shift` moves the border (mistakes)."""
    positions = torch.arange(length).unsqueeze(0)  # (1, L)
    if left:
        return positions < (length - lengths).unsqueeze(1) + shift
    return positions >= lengths.unsqueeze(1) + shift


@checker(
    hints=[
        "a row of n ids padded to `length` holds length - n PADs: after its ids (right), before them (left)",
        "compare every position 0 .. length - 1 with a border per row; a (1, length) row of positions against "
        "an (N, 1) column of borders broadcasts to (N, length)",
        "right padding: PAD from position n on; left padding: PAD before position length - n",
    ]
)
def padding_from_lengths_cases() -> list[Case]:
    """A key padding mask from lengths: lengths (N,), length, left -> (N, length) bool, True at PAD."""
    rows = [
        ("3 rows of 3, 5 and 2 ids, padded at the end to 5", [3, 5, 2], 5, False),
        ("the same rows, padded at the start (left=True)", [3, 5, 2], 5, True),
        ("one row of 4 ids padded at the end to 7", [4], 7, False),
        ("a row of 1 id and a row of 6, padded at the start to 6", [1, 6], 6, True),
        ("no PAD at all: every row is `length` long, left=True", [4, 4], 4, True),
        ("padded further than the longest row (to 8), at the start", [5, 2, 7], 8, True),
        ("padded further than the longest row (to 8), at the end", [5, 2, 7], 8, False),
    ]
    cases = []
    for text, lengths, length, left in rows:
        lengths = torch.tensor(lengths)
        expected = lengths_mask(lengths, length, left)
        mistakes: dict[str, Any] = {
            FLOAT_MASK: _not_bool,
            INVERTED: ~expected,
            "left=True puts the PAD at the start of each row, left=False at its end: yours are on the other side": (
                lengths_mask(lengths, length, not left)
            ),
            "True = hidden, and `left` picks the side: yours marks the ids, on the other side": (
                ~lengths_mask(lengths, length, not left)
            ),
            "one position off: a row of n ids holds them at exactly n positions, and PAD at the other length - n": (
                any_of(lengths_mask(lengths, length, left, shift) for shift in (-1, 1))
            ),
        }
        hint = "count, in each row, where its n ids stand and where its length - n PADs stand"
        cases.append(Case(text, (lengths, length, left), expected, hint, compare=_bool_mask, mistakes=mistakes))
    return cases


# 2. A sliding-window causal mask --------------------------------------------------------------------------------


def local_mask(size: int, window: int | None, diagonal: bool = False) -> torch.Tensor:
    """True where query i may not read key j: j > i, or j <= i - window (window None: no limit backwards)."""
    i = torch.arange(size).unsqueeze(1)  # (size, 1): queries
    j = torch.arange(size).unsqueeze(0)  # (1, size): keys
    back = i - j  # how far key j lies before query i
    hidden = back < (1 if diagonal else 0)
    return hidden | (back >= window) if window is not None else hidden


@checker(
    hints=[
        "start from the causal mask of section 3: the window hides, as well, the keys too far back",
        "key j lies i - j positions before query i: it is in the future when i - j < 0, too far back when "
        "i - j >= window",
        "the difference i - j for every pair is a (size, 1) column of query positions minus a (1, size) row of key "
        "positions; compare it with 0 and with window",
    ]
)
def local_causal_mask_cases() -> list[Case]:
    """A sliding-window causal mask: (size, size) bool, query i sees keys i - window + 1 .. i, True elsewhere."""
    sizes = [
        ("size 4, window 1: each query sees only itself", 4, 1),
        ("size 5, window 2: itself and the key before it", 5, 2),
        ("size 6, window 3", 6, 3),
        ("size 7, window 4", 7, 4),
        ("size 3, window 3: as many keys as positions, the plain causal mask", 3, 3),
        ("size 5, window 9, longer than the sequence: the plain causal mask", 5, 9),
        ("size 1, window 1", 1, 1),
    ]
    cases = []
    for text, size, window in sizes:
        expected = local_mask(size, window)
        mistakes: dict[str, Any] = {
            FLOAT_MASK: _not_bool,
            INVERTED + " (SDPA's bool attn_mask reads True as 'may attend', section 3)": ~expected,
            "the window hides, as well, the keys more than window - 1 before the query: row i sees at most "
            "`window` keys": local_mask(size, None),
            "a query always sees itself: the diagonal stays False": any_of(
                local_mask(size, w, diagonal=True) for w in (window, window + 1)
            ),
            "one key off: query i sees `window` keys, itself included, so the earliest is i - window + 1": any_of(
                local_mask(size, w) for w in (window - 1, window + 1) if w
            ),
            "rows are queries, columns keys: row i hides the keys to its right (j > i) and those far to its left": (
                expected.T
            ),
            "causal too: a key after the query stays hidden, whatever the window": band(size, window),
        }
        hint = "draw the (size, size) grid: row i may read the `window` keys ending at column i, nothing else"
        cases.append(Case(text, (size, window), expected, hint, compare=_bool_mask, mistakes=mistakes))
    return cases


def band(size: int, window: int) -> torch.Tensor:
    """The usual mistake of a window on both sides: True where |i - j| >= window, the future left visible."""
    i = torch.arange(size)
    return (i.unsqueeze(1) - i.unsqueeze(0)).abs() >= window


# 3. The rows that hide every key --------------------------------------------------------------------------------


def hiding_rows(tokens: torch.Tensor, pad_id: int, window: int | None) -> torch.Tensor:
    """(N, L) bool: True at the query rows of decoder self-attention (window mask | key padding) that hide every key."""
    hidden = local_mask(tokens.shape[1], window) | (tokens == pad_id).unsqueeze(1)  # (N, L, L)
    return hidden.all(dim=-1)


PAD, SOS, EOS = 0, 1, 2


@checker(
    hints=[
        "build the mask each query of each sequence gets, as nn.MultiheadAttention combines them: hidden when the "
        "window mask or the key padding mask hides the key",
        "each sequence gets its own (L, L) mask, rows queries and columns keys: the window mask, the same for "
        "every sequence, and that sequence's PAD keys, which hide the same columns in every row. With right "
        "padding and a small window, look at the PAD queries far after the last real id",
        "the key padding mask (N, L) as (N, 1, L) combines with the (L, L) window mask into (N, L, L); a query "
        "row hides every key when all of its L entries are True",
    ]
)
def rows_hiding_every_key_cases() -> list[Case]:
    """Query rows that hide every key: tokens (N, L), pad_id, window -> (N, L) bool, True at those rows."""
    batches = [
        ("right padding, window 4 = L: the plain causal mask", [[SOS, 5, 6, EOS], [SOS, 5, EOS, PAD]], PAD, 4),
        ("left padding, window 5 = L", [[PAD, PAD, SOS, 5, EOS], [SOS, 5, 6, 7, EOS]], PAD, 5),
        ("right padding, window 2", [[SOS, 5, EOS, PAD, PAD, PAD], [SOS, 5, 6, 7, 8, EOS]], PAD, 2),
        ("window 1: each query sees only itself", [[SOS, EOS, PAD, PAD], [PAD, SOS, 7, EOS]], PAD, 1),
        (
            "PAD in the middle of a row (two sequences packed), window 3",
            [[SOS, 5, EOS, PAD, PAD, PAD, SOS, 6, EOS]],
            PAD,
            3,
        ),
        ("another PAD id: 7, and id 0 is a real token; window 2", [[SOS, 0, EOS, 7, 7], [7, 7, SOS, 0, EOS]], 7, 2),
    ]
    cases = []
    for text, ids, pad_id, window in batches:
        tokens = torch.tensor(ids)
        expected = hiding_rows(tokens, pad_id, window)
        mistakes: dict[str, Any] = {
            "answer with a bool tensor: True at a row that hides every key, False elsewhere": _not_bool,
            "one flag per query row, (N, L): a row hides every key when all L entries of its row of the combined "
            "mask are True": lambda got: isinstance(got, torch.Tensor) and got.dim() == 3,
            "a PAD query still reads any real key in its window: only a row whose every visible key is PAD hides "
            "every key (the key padding mask hides keys, columns, the same for every query)": tokens == pad_id,
            "the window hides keys far back too: a PAD query more than window - 1 positions after the last real id "
            "sees only PAD": hiding_rows(tokens, pad_id, None),
            "one key off: query i sees the `window` keys i - window + 1 .. i, itself included": (
                any_of(hiding_rows(tokens, pad_id, w) for w in (window - 1, window + 1) if w)
            ),
            "a row hides every key when ALL its entries are True, not any": (
                local_mask(tokens.shape[1], window) | (tokens == pad_id).unsqueeze(1)
            ).any(dim=-1),
        }
        hint = "for each query, list the keys its window lets it read; the row hides every key when all of them are PAD"
        cases.append(Case(text, (tokens, pad_id, window), expected, hint, mistakes=mistakes))
    return cases

"""Notebook 06's exercises: a padding mask from lengths, a sliding-window causal mask, the rows that hide every key.

Masks follow the package's convention (that of `nn.Transformer`): a bool tensor, True = hidden.
Each exercise is a variation the notebook does not display: the padding mask is built from
lengths (no ids to compare, so `padding_mask` cannot serve) and on either side; the causal mask
gets a window (`causal_mask` has none); the last exercise finds section 5's query rows that hide
every key for any attention mask given in SDPA's convention (True = may attend), 2-D or one per
sequence, with each row padded on its own side, given by lengths.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from seqtut.exercises.core import Case, any_of, checker, same

NOTEBOOK = "06_transformer_masking"

FLOAT_MASK = (
    "answer with a bool tensor (True = hidden), not an integer or float one: nn.Transformer also takes a float "
    "mask of -inf and 0, but this exercise asks for True/False"
)
NOT_A_TENSOR = (
    "return a torch tensor: a numpy array or a list will not go into nn.Transformer as a mask (torch.as_tensor turns "
    "either into a tensor)"
)
INVERTED = "True marks what is hidden (nn.Transformer's convention), False what may be read: yours is the other way"


def _not_bool(got: Any) -> bool:
    """A test for the usual mistake of a float (or integer) mask."""
    return isinstance(got, torch.Tensor) and got.dtype != torch.bool


def _numpy(got: Any) -> bool:
    """A test for the mistake of a numpy array or a (nested) list, which `same` would compare by its values."""
    return isinstance(got, (np.ndarray, list, tuple))


def _a_tensor(expected: Any, got: Any) -> str | None:
    """`same`, refusing first an answer that is not a torch tensor (nn.MultiheadAttention refuses a numpy mask)."""
    if not isinstance(got, torch.Tensor):
        module = type(got).__module__.split(".")[0]
        return f"expected a torch tensor, got {'' if module == 'builtins' else module + '.'}{type(got).__name__}"
    return same(expected, got)


def _bool_mask(expected: Any, got: Any) -> str | None:
    """`_a_tensor`, saying first that a mask of another dtype is not a bool mask (the values could still match)."""
    if _not_bool(got):  # False for a non-tensor, which `_a_tensor` refuses
        return f"expected a bool mask (True = hidden), got dtype {str(got.dtype).removeprefix('torch.')}"
    return _a_tensor(expected, got)


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
        "each row's PAD lies on one side of a border position that its length sets; torch.arange gives the "
        "positions, and broadcasting compares them with every row's border in one expression",
        "pitfalls: left padding puts length - n PADs first (from `length`, not from the longest row); a border "
        "one position off marks an id as PAD or a PAD as an id",
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
        # to 8, two beyond the longest row: one beyond, PAD up to the longest row would be the border one off
        ("padded further than the longest row (to 8), at the start", [5, 2, 6], 8, True),
        ("padded further than the longest row (to 8), at the end", [5, 2, 6], 8, False),
        ("a row with no ids at all, padded at the start, beside a full one", [0, 4], 4, True),  # x[:-0] is empty
    ]
    cases = []
    for text, lengths, length, left in rows:
        lengths = torch.tensor(lengths)
        expected = lengths_mask(lengths, length, left)
        mistakes: dict[str, Any] = {
            NOT_A_TENSOR: _numpy,
            FLOAT_MASK: _not_bool,
            INVERTED: ~expected,
            "left=True puts the PAD at the start of each row, left=False at its end: yours are on the other side": (
                lengths_mask(lengths, length, not left)
            ),
            "True = hidden, and `left` picks the side: yours marks the ids, on the other side": (
                ~lengths_mask(lengths, length, not left)
            ),
        }
        if left and int(lengths.max()) < length:  # padded up to the longest row instead of up to `length`
            to_longest = torch.arange(length).unsqueeze(0) < (lengths.max() - lengths).unsqueeze(1)
            mistakes["PAD fills each row up to `length`, not up to the longest row: count length - n PADs"] = to_longest
        mistakes |= {
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
        "whether query i may read key j depends only on how far back key j lies; torch.arange and broadcasting "
        "give that distance for every pair at once",
        "pitfalls: the window counts the query itself, so a query reads `window` keys, not window + 1; rows are "
        "queries, columns keys; True = hidden here, the reverse of SDPA's bool attn_mask",
    ]
)
def local_causal_mask_cases() -> list[Case]:
    """A sliding-window causal mask: (size, size) bool, query i sees keys i - window + 1 .. i, True elsewhere.

    The exercise states `window` >= 1 (a window of 0 would hide every key), so every case keeps to it.
    """
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
            NOT_A_TENSOR: _numpy,
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


# 3. The rows that hide every key ---------------------------------------------------------------------------------


def real_keys(lengths: torch.Tensor, length: int, left: torch.Tensor) -> torch.Tensor:
    """(N, length) bool: True at the keys that hold an id, each row padded on its own side (`left` (N,))."""
    positions = torch.arange(length).unsqueeze(0)  # (1, L)
    at_start = positions >= (length - lengths).unsqueeze(1)  # the ids of a row padded at its start
    at_end = positions < lengths.unsqueeze(1)  # the ids of a row padded at its end
    return torch.where(left.unsqueeze(1), at_start, at_end)


def hiding_rows(allowed: torch.Tensor, lengths: torch.Tensor, left: torch.Tensor) -> torch.Tensor:
    """(N, L) bool: True at the query rows with no key both `allowed` (True = may attend) and real."""
    readable = allowed & real_keys(lengths, allowed.shape[-1], left).unsqueeze(1)  # (N, L, L)
    return ~readable.any(dim=-1)


def _tril(size: int) -> torch.Tensor:
    """SDPA's causal mask: True = may attend, on and below the diagonal."""
    return torch.ones(size, size, dtype=torch.bool).tril()


@checker(
    hints=[
        "query i of row n can read key j when `allowed` lets it attend there AND key j holds an id; the row hides "
        "every key when no key is both",
        "first the keys that hold ids, one flag per key of each row, from `lengths` and that row's own side (as in "
        "exercise 1, with `left` now one flag per row: torch.where picks between the two sides)",
        "pitfalls: `allowed` is in SDPA's convention, True = may attend, the reverse of nn.Transformer's masks; "
        "the key flags must line up with the last axis of `allowed` (keys), not with its queries",
    ]
)
def rows_hiding_every_key_cases() -> list[Case]:
    """Query rows with no key to read: allowed (L, L) or (N, L, L), True = may attend; lengths (N,); left (N,)."""
    window = _tril(6) & ~_tril(6).tril(-2)  # query i may attend to keys i - 1 and i
    batches = [  # the first case tells a transposed `allowed` from PAD queries read as empty (with end padding
        # only, a causal `allowed` transposed gives exactly the PAD queries)
        ("causal (4, 4); row 0 padded at its start, row 1 at its end, 2 ids each", _tril(4), [2, 2], [True, False]),
        ("causal `allowed` (5, 5); both rows padded at the end, 5 and 3 ids", _tril(5), [5, 3], [False, False]),
        ("the same `allowed`; both rows padded at the start, 3 and 5 ids", _tril(5), [3, 5], [True, True]),
        (
            "a window of 2 (query i may attend to keys i - 1 and i), padded at the end, 2 and 6 ids",
            window,
            [2, 6],
            [False, False],
        ),
        (  # row 0's mask read for both rows gives an answer no other mistake gives (everywhere for both would not)
            "(N, L, L): row 0 may attend causally, row 1 everywhere; row 0 padded at its end, row 1 at its start, "
            "2 and 3 ids",
            torch.stack([_tril(4), torch.ones(4, 4, dtype=torch.bool)]),
            [2, 3],
            [False, True],
        ),
        (  # before the next case: where `allowed` is all False, flagging PAD query rows only is reading PAD as empty
            "causal (4, 4), but query 1 may attend to no key at all; 3 ids, padded at the end",
            _tril(4) & (torch.arange(4) != 1).unsqueeze(1),  # row 1 all False
            [3],
            [False],
        ),
        (  # section 3's slip: a real query (the last id) whose allowed keys are all PAD
            "nn.Transformer's causal mask (True = hidden) passed as `allowed` by mistake, (4, 4); 2 ids, padded at "
            "the end",
            ~_tril(4),  # True strictly above the diagonal: query i 'may attend' to keys after it only
            [2],
            [False],
        ),
        (
            "nothing allowed at all (the original's unused all -inf mask), 3 ids, no PAD",
            torch.zeros(3, 3, dtype=torch.bool),
            [3],
            [False],
        ),
        ("causal (3, 3); a row with no ids at all, and a full one", _tril(3), [0, 3], [False, True]),
        (
            "causal (3, 3); a row with no ids at all padded at the start, and a full one",
            _tril(3),
            [0, 3],
            [True, False],
        ),
        (  # one row's mask, or their union, read for every row: both miss row 0's empty queries
            "(N, L, L): row 0 may attend causally, row 1 everywhere; both padded at the start, 2 and 3 ids",
            torch.stack([_tril(4), torch.ones(4, 4, dtype=torch.bool)]),
            [2, 3],
            [True, True],
        ),
    ]
    return [
        _hiding_case(text, allowed, torch.tensor(lengths), torch.tensor(left))
        for text, allowed, lengths, left in batches
    ]


def _hiding_case(text: str, allowed: torch.Tensor, lengths: torch.Tensor, left: torch.Tensor) -> Case:
    """A case of the last exercise, with the usual mistakes' answers on it."""
    expected = hiding_rows(allowed, lengths, left)
    real = real_keys(lengths, allowed.shape[-1], left)
    as_hidden = (allowed | ~real.unsqueeze(1)).all(dim=-1)  # `allowed` read as True = hidden
    nothing_hidden = ~allowed.any(dim=-1).expand_as(expected)  # PAD keys left readable: only empty mask rows
    transposed = hiding_rows(allowed.transpose(-2, -1), lengths, left)  # keys read as queries
    sides = [
        hiding_rows(allowed, lengths, side)
        for side in (torch.zeros_like(left), torch.ones_like(left), ~left, left[:1].expand_as(left))
        if not torch.equal(side, left)
    ]
    # PAD left readable, or every row padded at its end: where both give one answer, one hint names both
    both = same(hiding_rows(allowed, lengths, torch.zeros_like(left)), nothing_hidden) is None
    mistakes: dict[str, Any] = {
        NOT_A_TENSOR: _numpy,
        "answer with a bool tensor: True at a row that hides every key, False elsewhere": _not_bool,
        "one flag per query row, (N, L): a row hides every key when none of the L entries of its row of the "
        "combined mask lets it read": lambda got: isinstance(got, torch.Tensor) and got.dim() == 3,
        "a real query row can hide every key too, when `allowed` lets it attend to no key or only to PAD keys "
        "(hide PAD keys from every query, not only from PAD ones): yours flags only PAD query rows": expected & ~real,
        "`allowed` is in SDPA's convention, True = may attend (section 3); yours reads it as nn.Transformer's, "
        "True = hidden": as_hidden,
        "an (N, L, L) `allowed` holds one mask per sequence: row n reads `allowed[n]`, not `allowed[0]`": any_of(
            [hiding_rows(allowed[0], lengths, left)] if allowed.dim() == 3 else []
        ),
        "no row of yours is left with nothing, yet one padded at its start can be: its first queries are PAD and "
        "may read only PAD keys, which are hidden (`left[n]` True puts row n's PAD at its start)": any_of(
            [nothing_hidden] if both else []
        ),
        "each row is padded on its own side: `left[n]` True puts row n's PAD at its start, False at its end": any_of(
            side for side in sides if not (both and same(nothing_hidden, side) is None)
        ),
        "PAD keys are hidden too: a query whose allowed keys are all PAD reads nothing": any_of(
            [] if both else [nothing_hidden]
        ),
        "a row hides every key when ALL of its entries are hidden, not any": (
            (~allowed | ~real.unsqueeze(1)).any(dim=-1)
        ),
        "`allowed[..., i, j]` is query i's entry for key j: yours reads it transposed, queries as keys": transposed,
        "a PAD query still reads the real keys `allowed` lets it attend to: only a row with no allowed real key "
        "hides every key": ~real,
    }
    hint = "for each query, list the keys `allowed` lets it attend to; the row hides every key when all are PAD"
    return Case(text, (allowed, lengths, left), expected, hint, compare=_a_tensor, mistakes=mistakes)

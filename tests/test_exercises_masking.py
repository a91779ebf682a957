"""Notebook 06's checkers reject plausible wrong answers (the generic tests in test_exercises.py use MUTANTS).

Each checker also gets a mutant for the constraint its exercise sets: the package's own
`padding_mask` on ids padded by `Vocab.pad` (right padding only) where the side is asked for,
and the package's `causal_mask` (no window) where a window is asked for.
"""

import torch

from seqtut.exercises import check
from seqtut.masks import causal_mask, padding_mask
from seqtut.tokens import Vocab

# --- padding_from_lengths


def _positions(length):
    return torch.arange(length).unsqueeze(0)


def _right(lengths, length, left):
    return _positions(length) >= lengths.unsqueeze(1)


def _left(lengths, length, left):
    return _positions(length) < (length - lengths).unsqueeze(1)


def marks_the_ids(lengths, length, left):
    """True where the ids are: the inverted convention."""
    return ~(_left if left else _right)(lengths, length, left)


def ignores_left(lengths, length, left):
    """Always pads at the end."""
    return _right(lengths, length, left)


def border_one_off(lengths, length, left):
    """`>` for `>=` and `<=` for `<`: one PAD too few or too many per row."""
    if left:
        return _positions(length) <= (length - lengths).unsqueeze(1)
    return _positions(length) > lengths.unsqueeze(1)


def float_mask_from_lengths(lengths, length, left):
    """The right pattern as 0/-inf floats."""
    hidden = (_left if left else _right)(lengths, length, left)
    return torch.zeros(hidden.shape).masked_fill(hidden, float("-inf"))


def package_mask_of_padded_ids(lengths, length, left):
    """The package's padding_mask on ids that Vocab.pad pads, at the end only (constraint: the side is asked for)."""
    ids = Vocab(10).pad([[3] * n for n in lengths.tolist()], length)
    return padding_mask(ids, 0)


# --- local_causal_mask


def _local(size, window):
    back = torch.arange(size).unsqueeze(1) - torch.arange(size).unsqueeze(0)
    return (back < 0) | (back >= window)


def package_causal_mask(size, window):
    """The package's causal_mask: no window (constraint: the window is the exercise)."""
    return causal_mask(size)


def one_key_too_many(size, window):
    """Query i sees i - window .. i: window + 1 keys."""
    back = torch.arange(size).unsqueeze(1) - torch.arange(size).unsqueeze(0)
    return (back < 0) | (back > window)


def hides_itself(size, window):
    return _local(size, window) | torch.eye(size, dtype=torch.bool)


def float_local_mask(size, window):
    return torch.zeros(size, size).masked_fill(_local(size, window), float("-inf"))


def sdpa_local_convention(size, window):
    """True = may attend: F.scaled_dot_product_attention's bool convention."""
    return ~_local(size, window)


def window_on_both_sides(size, window):
    """Hides far keys in both directions, and leaves the near future visible."""
    back = torch.arange(size).unsqueeze(1) - torch.arange(size).unsqueeze(0)
    return back.abs() >= window


def transposed_local(size, window):
    return _local(size, window).T


# --- rows_hiding_every_key


def _combined(tokens, pad_id, window):
    return _local(tokens.shape[1], window) | (tokens == pad_id).unsqueeze(1)  # (N, L, L)


def pad_queries(tokens, pad_id, window):
    """Every PAD query, as if it could read nothing."""
    return tokens == pad_id


def package_masks_without_window(tokens, pad_id, window):
    """The package's causal_mask and padding_mask: no window (constraint)."""
    return (causal_mask(tokens.shape[1]) | padding_mask(tokens, pad_id).unsqueeze(1)).all(dim=-1)


def any_instead_of_all(tokens, pad_id, window):
    return _combined(tokens, pad_id, window).any(dim=-1)


def the_whole_mask(tokens, pad_id, window):
    """The combined (N, L, L) mask instead of one flag per row."""
    return _combined(tokens, pad_id, window)


def window_one_key_wider(tokens, pad_id, window):
    return _combined(tokens, pad_id, window + 1).all(dim=-1)


MUTANTS = {
    "padding_from_lengths": [
        marks_the_ids,
        ignores_left,
        border_one_off,
        float_mask_from_lengths,
        package_mask_of_padded_ids,
    ],
    "local_causal_mask": [
        package_causal_mask,
        one_key_too_many,
        hides_itself,
        float_local_mask,
        sdpa_local_convention,
        window_on_both_sides,
        transposed_local,
    ],
    "rows_hiding_every_key": [
        pad_queries,
        package_masks_without_window,
        any_instead_of_all,
        the_whole_mask,
        window_one_key_wider,
    ],
}


def _hint(name, mutant):
    message = getattr(check, name).run(mutant).message
    return next(line for line in message.splitlines() if line.startswith("  hint:")).removeprefix("  hint:     ")


def test_each_usual_mistake_gets_its_own_hint_not_the_cases():
    assert _hint("padding_from_lengths", ignores_left).startswith("left=True puts the PAD at the start")
    assert _hint("padding_from_lengths", marks_the_ids).startswith("True marks what is hidden")
    assert _hint("padding_from_lengths", border_one_off).startswith("one position off")
    assert _hint("local_causal_mask", package_causal_mask).startswith("the window hides, as well")
    assert _hint("local_causal_mask", hides_itself).startswith("a query always sees itself")
    assert _hint("local_causal_mask", one_key_too_many).startswith("one key off")
    assert _hint("local_causal_mask", transposed_local).startswith("rows are queries, columns keys")
    assert _hint("local_causal_mask", window_on_both_sides).startswith("causal too")
    assert "SDPA's bool attn_mask" in _hint("local_causal_mask", sdpa_local_convention)
    assert _hint("rows_hiding_every_key", pad_queries).startswith("a PAD query still reads any real key")
    assert _hint("rows_hiding_every_key", package_masks_without_window).startswith("the window hides keys far back")
    assert _hint("rows_hiding_every_key", the_whole_mask).startswith("one flag per query row")
    assert _hint("rows_hiding_every_key", window_one_key_wider).startswith("one key off")


def test_a_float_mask_with_the_right_pattern_is_told_it_is_a_float_mask_not_about_the_diagonal():
    message = check.local_causal_mask.run(float_local_mask).message
    assert "expected a bool mask (True = hidden), got dtype float32" in message
    assert _hint("local_causal_mask", float_local_mask).startswith("answer with a bool tensor (True = hidden)")
    assert "diagonal" not in _hint("local_causal_mask", float_local_mask)
    assert _hint("padding_from_lengths", float_mask_from_lengths).startswith("answer with a bool tensor")


def test_the_package_functions_pass_only_where_the_exercise_asks_for_nothing_new():
    """The constraint mutants fail at the first case that needs the variation: the side, the window."""
    assert check.padding_from_lengths.run(package_mask_of_padded_ids).failed_case == 2  # the first left-padded
    assert check.local_causal_mask.run(package_causal_mask).failed_case == 1  # window 1
    assert check.rows_hiding_every_key.run(package_masks_without_window).failed_case == 3  # right padding, window 2


def test_a_wrong_mask_is_drawn_beside_the_target():
    message = check.local_causal_mask.run(transposed_local).message
    assert "expected: tensor (5, 5) bool (drawn below)" in message
    assert "(■ True, · False)" in message


def test_row_flags_as_floats_are_told_to_be_bool():
    message = check.rows_hiding_every_key.run(lambda t, p, w: pad_queries(t, p, w).float()).message
    assert "expected a bool tensor (True/False), got dtype float32" in message
    assert "hint:     answer with a bool tensor: True at a row that hides every key" in message


def test_the_broadcast_is_given_only_by_the_last_hint():
    """Hints go from a nudge to nearly the answer: the (N, 1, L) broadcast is the last tier's, not the second's."""
    hints = check.rows_hiding_every_key.hints
    assert len(hints) == 3
    assert not any("(N, 1, L)" in hint or "unsqueeze" in hint for hint in hints[:2])
    assert "(N, 1, L)" in hints[2]

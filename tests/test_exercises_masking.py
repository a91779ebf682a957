"""Notebook 06's checkers reject plausible wrong answers (the generic tests in test_exercises.py use MUTANTS).

Each checker also gets a mutant for the constraint its exercise sets: the package's own
`padding_mask` on ids padded by `Vocab.pad` (right padding only) where the side is asked for,
the package's `causal_mask` (no window) where a window is asked for, and both where any mask in
SDPA's convention and a side per row are given.
"""

import torch
from exercise_cases import checked_cases

from seqtut.exercises import check, masking
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


def left_to_the_longest(lengths, length, left):
    """Left padding up to the longest row, not up to `length`."""
    if not left:
        return _right(lengths, length, left)
    return torch.arange(length).unsqueeze(0) < (lengths.max() - lengths).unsqueeze(1)


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


def _real(lengths, length, left):
    positions = torch.arange(length).unsqueeze(0)
    return torch.where(
        left.unsqueeze(1), positions >= (length - lengths).unsqueeze(1), positions < lengths.unsqueeze(1)
    )


def _hiding(allowed, real):
    return ~(allowed & real.unsqueeze(1)).any(dim=-1)


def nn_transformer_convention(allowed, lengths, left):
    """Reads `allowed` as True = hidden (nn.Transformer's convention), not SDPA's."""
    return (allowed | ~_real(lengths, allowed.shape[-1], left).unsqueeze(1)).all(dim=-1)


def right_padding_only(allowed, lengths, left):
    """Ignores `left`: every row padded at its end."""
    return _hiding(allowed, _real(lengths, allowed.shape[-1], torch.zeros_like(left)))


def one_side_for_the_batch(allowed, lengths, left):
    """Takes row 0's side for every row."""
    return _hiding(allowed, _real(lengths, allowed.shape[-1], left[:1].expand_as(left)))


def package_masks_of_padded_ids(allowed, lengths, left):
    """The package's causal_mask and padding_mask of ids padded by Vocab.pad (constraint: any mask, either side)."""
    ids = Vocab(10).pad([[3] * n for n in lengths.tolist()], allowed.shape[-1])
    length = allowed.shape[-1]
    return (causal_mask(length) | padding_mask(ids, 0).unsqueeze(1)).all(dim=-1)


def pad_queries(allowed, lengths, left):
    """Every PAD query, as if it could read nothing."""
    return ~_real(lengths, allowed.shape[-1], left)


def only_pad_query_rows(allowed, lengths, left):
    """Counts only PAD query rows that read nothing, missing a real row that `allowed` leaves empty."""
    real = _real(lengths, allowed.shape[-1], left)
    return _hiding(allowed, real) & ~real


def any_instead_of_all(allowed, lengths, left):
    return (~allowed | ~_real(lengths, allowed.shape[-1], left).unsqueeze(1)).any(dim=-1)


def the_whole_mask(allowed, lengths, left):
    """The combined (N, L, L) mask instead of one flag per row."""
    return ~(allowed & _real(lengths, allowed.shape[-1], left).unsqueeze(1))


def transposed_allowed(allowed, lengths, left):
    """Reads `allowed` with keys as queries: row j of the transpose for query j."""
    return _hiding(allowed.transpose(-2, -1), _real(lengths, allowed.shape[-1], left))


def first_mask_for_every_row(allowed, lengths, left):
    """Uses `allowed[0]` for every sequence of an (N, L, L) `allowed`: right on PAD and sides."""
    mask = allowed[0] if allowed.dim() == 3 else allowed
    return _hiding(mask, _real(lengths, allowed.shape[-1], left))


def padding_as_numpy(lengths, length, left):
    """The right values as a numpy bool array: nn.MultiheadAttention refuses a numpy mask."""
    return (_left if left else _right)(lengths, length, left).numpy()


def local_as_numpy(size, window):
    return _local(size, window).numpy()


def hiding_as_numpy(allowed, lengths, left):
    return _hiding(allowed, _real(lengths, allowed.shape[-1], left)).numpy()


def padding_ignored(allowed, lengths, left):
    """Only the rows `allowed` leaves empty."""
    return ~allowed.any(dim=-1).expand(len(lengths), allowed.shape[-1])


MUTANTS = {
    "padding_from_lengths": [
        marks_the_ids,
        ignores_left,
        border_one_off,
        float_mask_from_lengths,
        package_mask_of_padded_ids,
        left_to_the_longest,
        padding_as_numpy,
    ],
    "local_causal_mask": [
        package_causal_mask,
        one_key_too_many,
        hides_itself,
        float_local_mask,
        sdpa_local_convention,
        window_on_both_sides,
        transposed_local,
        local_as_numpy,
    ],
    "rows_hiding_every_key": [
        nn_transformer_convention,
        right_padding_only,
        one_side_for_the_batch,
        package_masks_of_padded_ids,
        pad_queries,
        only_pad_query_rows,
        any_instead_of_all,
        the_whole_mask,
        padding_ignored,
        transposed_allowed,
        first_mask_for_every_row,
        hiding_as_numpy,
    ],
}


def _hint(name, mutant):
    message = getattr(check, name).run(mutant).message
    return next(line for line in message.splitlines() if line.startswith("  hint:")).removeprefix("  hint:     ")


def test_each_usual_mistake_gets_its_own_hint_not_the_cases():
    assert _hint("padding_from_lengths", ignores_left).startswith("left=True puts the PAD at the start")
    assert _hint("padding_from_lengths", marks_the_ids).startswith("True marks what is hidden")
    assert _hint("padding_from_lengths", border_one_off).startswith("one position off")
    assert _hint("padding_from_lengths", left_to_the_longest).startswith("PAD fills each row up to `length`")
    assert _hint("local_causal_mask", package_causal_mask).startswith("the window hides, as well")
    assert _hint("local_causal_mask", hides_itself).startswith("a query always sees itself")
    assert _hint("local_causal_mask", one_key_too_many).startswith("one key off")
    assert _hint("local_causal_mask", transposed_local).startswith("rows are queries, columns keys")
    assert _hint("local_causal_mask", window_on_both_sides).startswith("causal too")
    assert "SDPA's bool attn_mask" in _hint("local_causal_mask", sdpa_local_convention)
    assert _hint("rows_hiding_every_key", nn_transformer_convention).startswith("`allowed` is in SDPA's convention")
    assert _hint("rows_hiding_every_key", right_padding_only).startswith("no row of yours is left with nothing")
    assert _hint("rows_hiding_every_key", one_side_for_the_batch).startswith("each row is padded on its own side")
    assert _hint("rows_hiding_every_key", pad_queries).startswith("a PAD query still reads the real keys")
    assert _hint("rows_hiding_every_key", only_pad_query_rows).startswith("a real query row can hide every key")
    assert check.rows_hiding_every_key.run(only_pad_query_rows).failed_case == 6  # a real query allowed no key
    for one_mask in (lambda allowed: allowed[-1], lambda allowed: allowed.any(0)):  # one row's mask, or the union

        def shared_mask(allowed, lengths, left, one_mask=one_mask):
            shared = one_mask(allowed) if allowed.dim() == 3 else allowed
            return ~(shared & masking.real_keys(lengths, shared.shape[-1], left).unsqueeze(1)).any(dim=-1)

        assert check.rows_hiding_every_key.run(shared_mask).failed_case == 11  # row 0's empty queries missed
    assert _hint("rows_hiding_every_key", any_instead_of_all).startswith("a row hides every key when ALL")
    assert _hint("rows_hiding_every_key", the_whole_mask).startswith("one flag per query row")
    assert _hint("rows_hiding_every_key", padding_ignored).startswith("no row of yours is left with nothing")
    assert check.rows_hiding_every_key.run(padding_ignored).failed_case == 1  # the first left-padded case
    assert _hint("rows_hiding_every_key", transposed_allowed).startswith("`allowed[..., i, j]` is query i's entry")
    assert check.rows_hiding_every_key.run(transposed_allowed).failed_case == 1


def test_a_numpy_mask_is_refused_with_its_own_hint():
    """nn.MultiheadAttention refuses a numpy mask, so the right values as numpy fail, told why, at case 1."""
    for name, mutant in [
        ("padding_from_lengths", padding_as_numpy),
        ("local_causal_mask", local_as_numpy),
        ("rows_hiding_every_key", hiding_as_numpy),
    ]:
        result = getattr(check, name).run(mutant)
        assert result.failed_case == 1 and "expected a torch tensor, got numpy.ndarray" in result.message
        hint = _hint(name, mutant)
        assert hint.startswith("return a torch tensor: a numpy array or a list will not go into nn.Transformer")


def test_one_mask_for_every_sequence_gets_its_own_hint_not_the_padding_ones():
    """An (N, L, L) `allowed` read as allowed[0] for every row: right on PAD and sides, wrong at case 5."""
    assert check.rows_hiding_every_key.run(first_mask_for_every_row).failed_case == 5
    assert _hint("rows_hiding_every_key", first_mask_for_every_row).startswith("an (N, L, L) `allowed` holds one mask")


def test_a_transposed_allowed_and_pad_queries_read_as_empty_are_told_apart_at_the_first_case():
    """With end padding only, a causal `allowed` transposed flags exactly the PAD queries: case 1 separates them."""
    first = check.rows_hiding_every_key.make_cases()[0]
    allowed, lengths, left = first.args
    assert bool(left.any()) and not bool(left.all())
    assert not torch.equal(transposed_allowed(*first.args), pad_queries(*first.args))


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
    assert check.rows_hiding_every_key.run(package_masks_of_padded_ids).failed_case == 1  # the first left-padded


def test_a_wrong_mask_is_drawn_beside_the_target():
    message = check.local_causal_mask.run(transposed_local).message
    assert "expected: tensor (5, 5) bool (drawn below)" in message
    assert "(■ True, · False)" in message


def test_row_flags_as_floats_are_told_to_be_bool():
    message = check.rows_hiding_every_key.run(lambda a, n, s: pad_queries(a, n, s).float()).message
    assert "expected a bool tensor (True/False), got dtype float32" in message
    assert "hint:     answer with a bool tensor: True at a row that hides every key" in message


def test_the_hints_go_from_a_nudge_to_pitfalls_never_the_solutions_lines():
    """Tiers: a nudge, the idea, then pitfalls; none spells out the broadcast or the comparison the solution makes."""
    for name in ("padding_from_lengths", "local_causal_mask", "rows_hiding_every_key"):
        hints = getattr(check, name).hints
        assert len(hints) == 3 and hints[2].startswith("pitfalls")
        assert not any(
            text in hint
            for hint in hints
            for text in ("(N, 1, L)", "unsqueeze", ".any", "(1, length)", "(N, 1)", "i - j <", "i - j >=")
        )


def test_the_window_cases_keep_to_the_stated_domain_window_at_least_1():
    """Exercise 2 states `window` >= 1; the checker tries no other window, and each case's `allowed` is L by L."""
    assert all(case.args[1] >= 1 for case in check.local_causal_mask.make_cases())
    for case in check.rows_hiding_every_key.make_cases():
        allowed, lengths, _ = case.args
        assert allowed.shape[-1] == allowed.shape[-2] and int(lengths.max()) <= allowed.shape[-1]


# --- the case builders and their helpers, called directly ----------------------------------------------------------


def _bool(rows):
    return torch.tensor(rows, dtype=torch.bool)


def test_masking_any_of_matches_an_answer_equal_to_any_of_its_values_however_often_asked():
    test = masking.any_of(_bool([[True, False]]) ^ flip for flip in (False, True))  # a generator, read once
    assert test(_bool([[True, False]])) and test(_bool([[False, True]])) and test(_bool([[False, True]]))
    assert not test(_bool([[True, True]])) and not test(_bool([True, False]))  # another value, another shape
    assert not masking.any_of([])(_bool([True]))


def test_lengths_mask_is_true_at_pad_after_or_before_the_ids():
    lengths = torch.tensor([3, 1])
    assert torch.equal(masking.lengths_mask(lengths, 4, False), _bool([[0, 0, 0, 1], [0, 1, 1, 1]]))
    assert torch.equal(masking.lengths_mask(lengths, 4, True), _bool([[1, 0, 0, 0], [1, 1, 1, 0]]))
    assert torch.equal(masking.lengths_mask(lengths, 4, False, shift=1), _bool([[0, 0, 0, 0], [0, 0, 1, 1]]))
    assert torch.equal(masking.lengths_mask(lengths, 4, True, shift=-1), _bool([[0, 0, 0, 0], [1, 1, 0, 0]]))


def test_local_mask_hides_the_future_and_keys_window_or_more_steps_back():
    assert torch.equal(masking.local_mask(4, 2), _bool([[0, 1, 1, 1], [0, 0, 1, 1], [1, 0, 0, 1], [1, 1, 0, 0]]))
    assert torch.equal(masking.local_mask(3, None), _bool([[0, 1, 1], [0, 0, 1], [0, 0, 0]]))  # the causal mask
    assert torch.equal(masking.local_mask(3, None, diagonal=True), _bool([[1, 1, 1], [0, 1, 1], [0, 0, 1]]))


def test_band_hides_keys_window_or_more_away_on_either_side():
    assert torch.equal(masking.band(4, 2), _bool([[0, 0, 1, 1], [0, 0, 0, 1], [1, 0, 0, 0], [1, 1, 0, 0]]))


def test_real_keys_are_each_rows_ids_on_its_own_side():
    lengths, left = torch.tensor([2, 3, 0]), torch.tensor([True, False, True])
    assert torch.equal(masking.real_keys(lengths, 4, left), _bool([[0, 0, 1, 1], [1, 1, 1, 0], [0, 0, 0, 0]]))


def test_hiding_rows_are_the_queries_with_no_allowed_real_key():
    causal = torch.ones(3, 3, dtype=torch.bool).tril()  # SDPA's convention: True = may attend
    # row 0: one id, at the end of a left-padded row: queries 0 and 1 may attend to PAD keys only
    hidden = masking.hiding_rows(causal, torch.tensor([1, 3]), torch.tensor([True, False]))
    assert torch.equal(hidden, _bool([[1, 1, 0], [0, 0, 0]]))
    nothing = torch.zeros(2, 3, 3, dtype=torch.bool)  # one (L, L) per sequence: nothing allowed at all
    assert masking.hiding_rows(nothing, torch.tensor([3, 3]), torch.tensor([False, False])).all()


def test_padding_from_lengths_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(masking.padding_from_lengths_cases)
    first = cases[0]
    assert first.args[1:] == (5, False) and torch.equal(first.args[0], torch.tensor([3, 5, 2]))
    assert torch.equal(first.expected, _bool([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0], [0, 0, 1, 1, 1]]))


def test_local_causal_mask_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(masking.local_causal_mask_cases)
    (case,) = [c for c in cases if c.args == (4, 1)]  # each query sees only itself
    assert torch.equal(case.expected, ~torch.eye(4, dtype=torch.bool))


def test_rows_hiding_every_key_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(masking.rows_hiding_every_key_cases)
    end, start = [c for c in cases if c.args[1].tolist() == [0, 3]]  # a row with no ids, padded at the end or start
    assert torch.equal(end.expected, _bool([[1, 1, 1], [0, 0, 0]]))
    assert torch.equal(start.expected, _bool([[1, 1, 1], [0, 0, 0]]))

"""Notebook 07's exercises: plausible wrong answers each checker must reject, and its stand-in model.

Each checker also gets a mutant for the constraint its exercise sets: the package's `Vocab.decode`
and `exact_match` (which strip PAD) for exact match as written; `Vocab` and `Seq2SeqDataset`
(whose special ids are fixed) for the reversal pair; and, for greedy decoding, a loop like the
package's `greedy_decode` that feeds finished rows PAD, one that calls the model once per row,
one that calls it twice per step, one that swallows the model's errors and runs to max_len, one
with the package's SOS and EOS typed in, and ones that hand the model float ids or a list of rows.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from exercise_cases import checked_cases

from seqtut.exercises import check, decoding
from seqtut.exercises.decoding import EOS, PAD, SOS, ScriptedSteps
from seqtut.metrics import exact_match
from seqtut.tokens import Seq2SeqDataset, Vocab

# --- exact_match_raw


def _fraction(rule, written, targets):
    return sum(bool(rule(r, t)) for r, t in zip(written, targets)) / len(targets)


def package_decode_and_exact_match(written, targets, eos_id):
    """Vocab.decode strips PAD and SOS, and knows only EOS = 2 (constraint: score the rows as written)."""
    vocab = Vocab(10)
    return exact_match([vocab.decode(r) for r in written], [vocab.decode(t) for t in targets])


def accepts_rows_without_eos(written, targets, eos_id):
    return _fraction(lambda r, t: (r[: r.index(eos_id)] if eos_id in r else r) == t, written, targets)


def strips_pad_before_eos(written, targets, eos_id):
    def cut(r):
        return [i for i in r[: r.index(eos_id)] if i != PAD]

    return _fraction(lambda r, t: eos_id in r and cut(r) == t, written, targets)


def cuts_at_the_last_eos(written, targets, eos_id):
    def cut(r):
        return r[: len(r) - 1 - r[::-1].index(eos_id)]

    return _fraction(lambda r, t: eos_id in r and cut(r) == t, written, targets)


def drops_sos_before_eos(written, targets, eos_id):
    """Drops id 1 (the package's SOS) before EOS: the text says drop nothing there."""
    return _fraction(lambda r, t: eos_id in r and [i for i in r[: r.index(eos_id)] if i != SOS] == t, written, targets)


def eos_is_always_two(written, targets, eos_id):
    return _fraction(lambda r, t: EOS in r and r[: r.index(EOS)] == t, written, targets)


def cuts_at_the_first_pad_or_eos(written, targets, eos_id):
    """Raw rows look like "ids, EOS, PAD ...", so it ends each row at its first PAD or EOS: a PAD before EOS is lost."""

    def cut(r):
        return r[: next(k for k, i in enumerate(r) if i in (PAD, eos_id))]

    return _fraction(lambda r, t: eos_id in r and cut(r) == t, written, targets)


def cuts_at_the_first_special(written, targets, eos_id):
    """The same, at the first PAD, SOS (id 1) or EOS."""

    def cut(r):
        return r[: next(k for k, i in enumerate(r) if i in (PAD, SOS, eos_id))]

    return _fraction(lambda r, t: eos_id in r and cut(r) == t, written, targets)


def prefix_match(written, targets, eos_id):
    """Checks the target's ids are written first, not that EOS follows them."""
    return _fraction(lambda r, t: r[: len(t)] == t, written, targets)


# --- reversal_pair


def _pair(sources, pad_id, sos_id, eos_id, *, reverse=True, offset=3, extra=0):
    longest = max(len(s) for s in sources) + extra
    rows = []
    for s in sources:
        digits = s[::-1] if reverse else s
        rows.append([sos_id, *(d + offset for d in digits), eos_id] + [pad_id] * (longest - len(s)))
    full = torch.tensor(rows)
    return full[:, :-1], full[:, 1:]


def package_dataset(sources, pad_id, sos_id, eos_id):
    """Seq2SeqDataset and Vocab: PAD 0, SOS 1, EOS 2 whatever the arguments say (constraint)."""
    tgt = Seq2SeqDataset(sources, [s[::-1] for s in sources], Vocab(10)).tgt
    return tgt[:, :-1], tgt[:, 1:]


def not_reversed(sources, pad_id, sos_id, eos_id):
    return _pair(sources, pad_id, sos_id, eos_id, reverse=False)


def int32_ids(sources, pad_id, sos_id, eos_id):
    """Right values, int32: F.cross_entropy refuses such targets."""
    return tuple(t.int() for t in _pair(sources, pad_id, sos_id, eos_id))


def int32_numpy_ids(sources, pad_id, sos_id, eos_id):
    """Right values, int32 numpy arrays: neither nn.Embedding nor F.cross_entropy takes them."""
    return tuple(t.int().numpy() for t in _pair(sources, pad_id, sos_id, eos_id))


def digits_as_ids(sources, pad_id, sos_id, eos_id):
    return _pair(sources, pad_id, sos_id, eos_id, offset=0)


def left_padded(sources, pad_id, sos_id, eos_id):
    longest = max(len(s) for s in sources)
    full = torch.tensor([[pad_id] * (longest - len(s)) + [sos_id, *(d + 3 for d in s[::-1]), eos_id] for s in sources])
    return full[:, :-1], full[:, 1:]


def no_shift(sources, pad_id, sos_id, eos_id):
    """The decoder reads the very id it must write."""
    first, _ = _pair(sources, pad_id, sos_id, eos_id)
    return first, first


def eos_not_in_shorter_inputs(sources, pad_id, sos_id, eos_id):
    """Input SOS + target then PAD, output target + EOS then PAD: the same loss, not the stated convention."""
    decoder_input, expected_output = _pair(sources, pad_id, sos_id, eos_id)
    return torch.where(decoder_input == eos_id, pad_id, decoder_input), expected_output


def one_pad_too_many(sources, pad_id, sos_id, eos_id):
    return _pair(sources, pad_id, sos_id, eos_id, extra=1)


# --- shrinking_greedy


def _shrinking(step_fn, batch, sos_id, eos_id, max_len, *, keep_eos=False, calls=1, per_row=False):
    written = [[] for _ in range(batch)]
    rows = torch.arange(batch)
    prefix = torch.full((batch, 1), sos_id)
    for _ in range(max_len):
        if len(rows) == 0:
            break
        if per_row:
            new = torch.cat([step_fn(prefix[i : i + 1], rows[i : i + 1]) for i in range(len(rows))]).argmax(dim=-1)
        else:
            for _ in range(calls):
                new = step_fn(prefix, rows).argmax(dim=-1)
        for row, token in zip(rows.tolist(), new.tolist()):
            if token != eos_id or keep_eos:
                written[row].append(token)
        going = new != eos_id
        prefix = torch.cat([prefix, new.unsqueeze(1)], dim=1)[going]
        rows = rows[going]
    return written


def feeds_finished_rows_pad(step_fn, batch, sos_id, eos_id, max_len):
    """The package's greedy_decode: every row, every step, PAD after EOS (constraint: leave finished rows out)."""
    prefix = torch.full((batch, 1), sos_id)
    done = torch.zeros(batch, dtype=torch.bool)
    for _ in range(max_len):
        new = step_fn(prefix, torch.arange(batch)).argmax(dim=-1).masked_fill(done, PAD)
        prefix = torch.cat([prefix, new.unsqueeze(1)], dim=1)
        done |= new == eos_id
        if done.all():
            break
    rows = prefix[:, 1:].tolist()
    return [r[: r.index(eos_id)] if eos_id in r else r for r in rows]


def swallows_errors_and_runs_to_max_len(step_fn, batch, sos_id, eos_id, max_len):
    """Catches whatever the model raises and goes on to max_len (the issue's mutant)."""
    written = [[] for _ in range(batch)]
    done = [False] * batch
    prefix = torch.full((batch, 1), sos_id)
    for _ in range(max_len):
        try:
            new = step_fn(prefix, torch.arange(batch)).argmax(dim=-1)
        except Exception:  # noqa: BLE001 - the mistake under test
            new = torch.full((batch,), PAD)
        for row, token in enumerate(new.tolist()):
            if token == eos_id:
                done[row] = True
            elif not done[row]:
                written[row].append(token)
        prefix = torch.cat([prefix, new.masked_fill(torch.tensor(done), PAD).unsqueeze(1)], dim=1)
    return written


def one_call_per_row(step_fn, batch, sos_id, eos_id, max_len):
    """A loop over rows where one batched call per step is asked (constraint)."""
    return _shrinking(step_fn, batch, sos_id, eos_id, max_len, per_row=True)


def two_calls_per_step(step_fn, batch, sos_id, eos_id, max_len):
    return _shrinking(step_fn, batch, sos_id, eos_id, max_len, calls=2)


def keeps_eos(step_fn, batch, sos_id, eos_id, max_len):
    return _shrinking(step_fn, batch, sos_id, eos_id, max_len, keep_eos=True)


def in_finishing_order(step_fn, batch, sos_id, eos_id, max_len):
    """Lists the rows in the order they finished, not in the batch's order."""
    written = _shrinking(step_fn, batch, sos_id, eos_id, max_len)
    return sorted(written, key=len)


def hard_codes_the_packages_specials(step_fn, batch, sos_id, eos_id, max_len):
    """SOS 1 and EOS 2 typed in, not read from the arguments (one case moves them)."""
    return _shrinking(step_fn, batch, SOS, EOS, max_len)


def float_prefix(step_fn, batch, sos_id, eos_id, max_len):
    """The prefix built as floats: a real model's nn.Embedding refuses such ids."""
    written = [[] for _ in range(batch)]
    rows = torch.arange(batch)
    prefix = torch.full((batch, 1), float(sos_id))
    while len(rows) and prefix.shape[1] <= max_len:
        new = step_fn(prefix, rows).argmax(dim=-1)
        for row, token in zip(rows.tolist(), new.tolist()):
            if token != eos_id:
                written[row].append(token)
        going = new != eos_id
        prefix = torch.cat([prefix, new.unsqueeze(1).float()], dim=1)[going]
        rows = rows[going]
    return written


def rows_as_a_list(step_fn, batch, sos_id, eos_id, max_len):
    """The batch indices handed over as a Python list where a long tensor is asked for."""
    written = [[] for _ in range(batch)]
    rows = list(range(batch))
    prefix = torch.full((batch, 1), sos_id)
    while rows and prefix.shape[1] <= max_len:
        new = step_fn(prefix, rows).argmax(dim=-1).tolist()
        keep = [i for i, token in enumerate(new) if token != eos_id]
        for i in keep:
            written[rows[i]].append(new[i])
        prefix = torch.cat([prefix, torch.tensor(new).view(-1, 1)], dim=1)[keep]
        rows = [rows[i] for i in keep]
    return written


def forgets_to_stop_when_no_row_is_left(step_fn, batch, sos_id, eos_id, max_len):
    """An expert read's loop: no check that a row is still going, so it calls step_fn with torch.tensor([])."""
    written = [[] for _ in range(batch)]
    rows = list(range(batch))
    prefix = torch.full((batch, 1), sos_id)
    while prefix.shape[1] <= max_len:  # the mistake under test: no `rows and`
        new = step_fn(prefix, torch.tensor(rows)).argmax(dim=-1).tolist()  # torch.tensor([]) is float32
        keep = [i for i, token in enumerate(new) if token != eos_id]
        for i in keep:
            written[rows[i]].append(new[i])
        prefix = torch.cat([prefix, torch.tensor(new, dtype=torch.long).view(-1, 1)], dim=1)[keep]
        rows = [rows[i] for i in keep]
    return written


def stops_batch_at_first_eos(step_fn, batch, sos_id, eos_id, max_len):
    written = [[] for _ in range(batch)]
    prefix = torch.full((batch, 1), sos_id)
    for _ in range(max_len):
        new = step_fn(prefix, torch.arange(batch)).argmax(dim=-1)
        if (new == eos_id).any():
            break
        for row, token in enumerate(new.tolist()):
            written[row].append(token)
        prefix = torch.cat([prefix, new.unsqueeze(1)], dim=1)
    return written


MUTANTS = {
    "exact_match_raw": [
        package_decode_and_exact_match,
        accepts_rows_without_eos,
        strips_pad_before_eos,
        drops_sos_before_eos,
        cuts_at_the_last_eos,
        cuts_at_the_first_pad_or_eos,
        cuts_at_the_first_special,
        eos_is_always_two,
        prefix_match,
    ],
    "reversal_pair": [
        package_dataset,
        not_reversed,
        digits_as_ids,
        left_padded,
        no_shift,
        eos_not_in_shorter_inputs,
        one_pad_too_many,
        int32_ids,
        int32_numpy_ids,
    ],
    "shrinking_greedy": [
        feeds_finished_rows_pad,
        swallows_errors_and_runs_to_max_len,
        one_call_per_row,
        two_calls_per_step,
        keeps_eos,
        in_finishing_order,
        stops_batch_at_first_eos,
        hard_codes_the_packages_specials,
        float_prefix,
        rows_as_a_list,
        forgets_to_stop_when_no_row_is_left,
    ],
}


def _hint(name, mutant):
    message = getattr(check, name).run(mutant).message
    return next(line for line in message.splitlines() if line.startswith("  hint:")).removeprefix("  hint:     ")


def test_each_usual_mistake_gets_its_own_hint_not_the_cases():
    assert _hint("exact_match_raw", accepts_rows_without_eos).startswith("a row that never wrote EOS")
    assert _hint("exact_match_raw", strips_pad_before_eos).startswith("drop nothing before EOS")
    assert _hint("exact_match_raw", drops_sos_before_eos).startswith("drop nothing before EOS")
    assert _hint("exact_match_raw", eos_is_always_two).startswith("use eos_id")
    assert _hint("reversal_pair", not_reversed).startswith("each target is its source reversed")
    assert _hint("reversal_pair", digits_as_ids).startswith("digit d has id d + 3")
    assert _hint("reversal_pair", int32_ids).startswith("return long tensors (int64)")
    assert _hint("reversal_pair", int32_numpy_ids).startswith("return torch tensors: a numpy array will not go")
    assert "expected two torch tensors, got ndarray, ndarray" in check.reversal_pair.run(int32_numpy_ids).message
    assert _hint("reversal_pair", left_padded).startswith("pad at the end of each row")
    assert _hint("reversal_pair", no_shift).startswith("the decoder reads SOS first")
    assert _hint("reversal_pair", package_dataset).startswith("use the special ids given")
    assert _hint("reversal_pair", eos_not_in_shorter_inputs).startswith("a shorter row reads its own EOS, then PAD")
    assert check.reversal_pair.run(eos_not_in_shorter_inputs).failed_case == 3  # the prompt states the convention
    assert _hint("reversal_pair", one_pad_too_many).startswith("both tensors have L + 1 columns")
    assert _hint("shrinking_greedy", keeps_eos).startswith("return the ids each row wrote before its EOS")
    assert _hint("shrinking_greedy", in_finishing_order).startswith("one list per batch row, in the batch's order")


def test_the_constraint_mutants_fail_where_the_exercise_asks_something_new():
    result = check.exact_match_raw.run(package_decode_and_exact_match)
    assert not result.passed and result.failed_case == 4  # PAD before EOS, stripped
    result = check.reversal_pair.run(package_dataset)
    assert result.failed_case == 5 and "the specials moved" in result.message
    message = check.shrinking_greedy.run(feeds_finished_rows_pad).message
    assert "case 2 of 7" in message and "row 0 was fed after it wrote EOS: feed only the rows still going" in message
    message = check.shrinking_greedy.run(one_call_per_row).message
    assert "row 1 is still going but was left out of this call" in message
    message = check.shrinking_greedy.run(two_calls_per_step).message
    assert "step_fn was called 8 times; one call per new token, every row still going in it, makes 4" in message


def test_a_decoder_that_swallows_the_models_errors_and_never_stops_early_fails():
    message = check.shrinking_greedy.run(swallows_errors_and_runs_to_max_len).message
    assert message.startswith("✗ shrinking_greedy: case 1 of 7 fails")
    assert "the model complained and your function went on (do not catch its errors)" in message
    assert "called again after every row had written EOS" in message


def test_a_loop_that_forgets_to_stop_hears_about_the_loop_before_the_dtype_of_its_empty_rows():
    """torch.tensor([]) is float32: the call after every row is done is named first, not the dtype of no rows."""
    message = check.shrinking_greedy.run(forgets_to_stop_when_no_row_is_left).message
    assert message.startswith("✗ shrinking_greedy: case 1 of 7 fails")
    assert "step_fn: called again after every row had written EOS (prefix of 5 ids)" in message
    assert "long tensor" not in message and "hint:     stop once the row has written EOS" in message
    done = ScriptedSteps([[EOS, 5], [EOS, 5]], max_len=2)
    with pytest.raises(ValueError, match="called again after every row had written EOS"):
        done(torch.zeros((0, 2), dtype=torch.long), torch.tensor([]))
    with pytest.raises(ValueError, match="expected rows, a long tensor"):  # a row still going: the dtype is the problem
        ScriptedSteps([[5, EOS]], max_len=2)(torch.tensor([[SOS]]), torch.tensor([0.0]))


def test_an_error_the_model_raises_names_the_learners_line():
    message = check.shrinking_greedy.run(feeds_finished_rows_pad).message
    assert "ValueError: step_fn: row 0 was fed after it wrote EOS" in message
    assert "of your code: `new = step_fn(prefix, torch.arange(batch)).argmax(dim=-1).masked_fill(done, PAD)`" in message


def test_the_stand_in_model_writes_its_script_and_checks_what_it_is_fed():
    steps = ScriptedSteps([[5, EOS, 9, 9], [6, 7, 8, 9]], max_len=3)
    assert steps(torch.tensor([[SOS], [SOS]]), torch.tensor([0, 1])).argmax(dim=-1).tolist() == [5, 6]
    assert steps(torch.tensor([[SOS, 5], [SOS, 6]]), torch.tensor([0, 1])).argmax(dim=-1).tolist() == [EOS, 7]
    assert steps(torch.tensor([[SOS, 6, 7]]), torch.tensor([1])).argmax(dim=-1).tolist() == [8]
    assert steps.calls == 3 and steps.complaints == [] and steps.steps_needed() == 3
    with pytest.raises(ValueError, match=r"row 0 was fed after it wrote EOS"):
        steps(torch.tensor([[SOS, 5, EOS], [SOS, 6, 7]]), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match=r"row 1 was fed \[1, 6, 9\], expected \[1, 6, 7\]"):
        steps(torch.tensor([[SOS, 6, 9]]), torch.tensor([1]))
    with pytest.raises(ValueError, match="row 1 is still going but was left out"):
        steps(torch.tensor([[SOS, 5]]), torch.tensor([0]))
    with pytest.raises(ValueError, match="more than max_len=3"):
        steps(torch.tensor([[SOS, 6, 7, 8]]), torch.tensor([1]))
    with pytest.raises(ValueError, match=r"expected a prefix \(2, t\) for the 2 rows given"):
        steps(torch.tensor([[SOS]]), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match=r"expected rows, a long tensor \(n,\) of batch row indices, got \[1\]"):
        steps(torch.tensor([[SOS, 6, 7]]), [1])
    with pytest.raises(ValueError, match=r"expected the prefix as a long tensor of ids, got torch.float32"):
        steps(torch.tensor([[SOS, 6, 7]]).float(), torch.tensor([1]))
    assert len(steps.complaints) == 7  # every complaint is recorded, caught or not
    done = ScriptedSteps([[EOS, 5], [EOS, 5]], max_len=2)
    with pytest.raises(ValueError, match="called again after every row had written EOS"):
        done(torch.tensor([[SOS, EOS], [SOS, EOS]]), torch.tensor([0, 1]))


def test_special_ids_typed_in_an_integer_prefix_and_rows_as_a_tensor_are_checked():
    result = check.shrinking_greedy.run(hard_codes_the_packages_specials)
    assert result.failed_case == 7
    assert "row 0 was fed [1], expected [0]" in result.message
    assert "hint:     use sos_id and eos_id as given: this case moves them" in result.message
    message = check.shrinking_greedy.run(float_prefix).message
    assert "expected the prefix as a long tensor of ids, got torch.float32" in message
    assert "the exercise asks for int64, as greedy_decode keeps them" in message
    message = check.shrinking_greedy.run(rows_as_a_list).message
    assert "expected rows, a long tensor (n,) of batch row indices, got [0]" in message


def test_input_of_the_wrong_form_gets_the_problem_line_as_its_hint_not_the_cases():
    """A list or int32 for rows, a float prefix: the case's hint ("stop once the row has written EOS") does not fit."""

    def int32_rows(step_fn, batch, sos_id, eos_id, max_len):
        return rows_as_a_list(
            lambda prefix, rows: step_fn(prefix, torch.tensor(rows, dtype=torch.int32)),
            batch,
            sos_id,
            eos_id,
            max_len,
        )

    for mutant, problem in (
        (rows_as_a_list, "got [0]"),
        (int32_rows, "got a torch.int32 tensor (1,)"),
        (float_prefix, "got torch.float32"),
    ):
        message = check.shrinking_greedy.run(mutant).message
        assert problem in message and "stop once the row has written EOS" not in message
        assert "hint:     no answer came back, so none could be judged: fix what the problem line names" in message
    with pytest.raises(decoding.WrongInput, match="expected rows"):  # still a ValueError, as the notebook says
        ScriptedSteps([[5, EOS]], max_len=2)(torch.tensor([[SOS]]), [0])
    assert issubclass(decoding.WrongInput, ValueError)


def test_the_last_hints_name_pitfalls_not_the_solutions_lines():
    for name in ("exact_match_raw", "reversal_pair", "shrinking_greedy"):
        hints = getattr(check, name).hints
        assert len(hints) == 3 and hints[2].startswith("pitfall")
    assert not any("all of them but" in hint for hint in check.reversal_pair.hints)
    assert not any("argmax" in hint for hint in check.shrinking_greedy.hints)
    assert not any("compare the part before it" in hint for hint in check.exact_match_raw.hints)


def test_the_stand_in_model_prints_what_each_row_writes_not_an_object_address():
    message = check.shrinking_greedy.run(keeps_eos).message
    assert "object at 0x" not in message
    assert "step_fn=a scripted model (row 0 writes 5 6 7 EOS)" in message
    never = ScriptedSteps([[4, 4, 4, 4, 4], [8, EOS, 9]], max_len=4)
    assert repr(never) == "a scripted model (row 0 writes 4 4 4 4; row 1 writes 8 EOS)"


def test_integers_answered_as_floats_are_rejected():
    def floats(sources, pad_id, sos_id, eos_id):
        first, second = _pair(sources, pad_id, sos_id, eos_id)
        return first.float(), second.float()

    message = check.reversal_pair.run(floats).message
    assert "expected integers (dtype int64), got dtype float32" in message


def _solution_exact_match_raw(written, targets, eos_id):
    right = sum(eos_id in row and row[: row.index(eos_id)] == target for row, target in zip(written, targets))
    return right / len(targets)


def test_the_fraction_may_be_a_0d_tensor_and_its_mistakes_keep_their_hints():
    """Exercise 1 says a float or a 0-d tensor: `(...).float().mean()` is a natural answer and must pass."""
    for dtype in (torch.float32, torch.float64):

        def as_tensor_of(written, targets, eos_id, dtype=dtype):
            return torch.tensor(_solution_exact_match_raw(written, targets, eos_id), dtype=dtype)

        result = check.exact_match_raw.run(as_tensor_of)
        assert result.passed, result.message
    as_tensor = check.exact_match_raw.run(lambda w, t, e: torch.tensor(strips_pad_before_eos(w, t, e)))
    assert not as_tensor.passed and as_tensor.failed_case == 4
    assert _hint("exact_match_raw", lambda w, t, e: torch.tensor(strips_pad_before_eos(w, t, e))).startswith(
        "drop nothing before EOS"
    )
    assert not check.exact_match_raw.run(lambda w, t, e: torch.tensor([_solution_exact_match_raw(w, t, e)])).passed
    assert not check.exact_match_raw.run(lambda w, t, e: torch.tensor(True)).passed


def test_tensors_where_lists_of_ints_are_asked_get_their_own_hint():
    def as_tensors(step_fn, batch, sos_id, eos_id, max_len):
        return [torch.tensor(row, dtype=torch.long) for row in _shrinking(step_fn, batch, sos_id, eos_id, max_len)]

    assert _hint("shrinking_greedy", as_tensors).startswith("answer `batch` lists of Python ints")


def test_a_row_cut_at_its_first_pad_or_sos_fails_where_one_follows_the_target_before_eos():
    """An expert read's answer: cutting each row at its first PAD or EOS passed all 9 cases; case 6 rejects it.

    Its score there is another mistake's (the whole row compared), as is the score of a cut at SOS too (PAD and
    SOS stripped): the case drops those hints, so each of the four gets the case's own, which names the mistake.
    """
    for mutant in (cuts_at_the_first_pad_or_eos, cuts_at_the_first_special, strips_pad_before_eos):
        result = check.exact_match_raw.run(mutant)
        assert not result.passed
        if mutant is not strips_pad_before_eos:  # that one fails case 4 first
            assert result.failed_case == 6, result.message
            assert _hint("exact_match_raw", mutant).startswith("only EOS ends a row: a PAD or SOS written after")
    case = check.exact_match_raw.make_cases()[5]
    assert case.args == ([[5, 6, PAD, EOS], [3, 4, EOS, PAD], [7, 8, SOS, EOS]], [[5, 6], [3, 4], [7, 8]], EOS)
    assert case.expected == 1 / 3 and case.mistakes == {}
    assert cuts_at_the_first_pad_or_eos(*case.args) == 2 / 3 and cuts_at_the_first_special(*case.args) == 1.0

    def with_a_while_loop(written, targets, eos_id):
        right = 0
        for row, target in zip(written, targets):
            k = 0
            while k < len(row) and row[k] != eos_id:
                k += 1
            right += k < len(row) and list(row[:k]) == list(target)
        return right / len(targets)

    def with_numpy(written, targets, eos_id):  # a numpy float answer
        rows = np.array(written)
        first, wrote = np.argmax(rows == eos_id, axis=1), (rows == eos_id).any(axis=1)
        return np.mean([bool(w) and row[:f].tolist() == t for row, w, f, t in zip(rows, wrote, first, targets)])

    for right in (_solution_exact_match_raw, with_a_while_loop, with_numpy):
        result = check.exact_match_raw.run(right)
        assert result.passed, result.message


def test_exact_match_rows_are_rectangular_so_a_tensor_answer_passes():
    """Exercise 1 says the rows come all of one length, as greedy_decode(..., raw=True) returns them."""
    for case in check.exact_match_raw.make_cases():
        written = case.args[0]
        assert len({len(row) for row in written}) == 1, case.description

    def via_tensor(written, targets, eos_id):
        ids = torch.tensor(written)  # (N, L): fails on rows of different lengths
        is_eos = ids == eos_id
        first = torch.where(is_eos.any(dim=1), is_eos.int().argmax(dim=1), -1)  # first EOS per row, -1 if none
        right = [int(f) >= 0 and row[: int(f)].tolist() == t for row, f, t in zip(ids, first, targets)]
        return sum(right) / len(targets)

    result = check.exact_match_raw.run(via_tensor)
    assert result.passed, result.message


# --- the case builders and their helpers, called directly ----------------------------------------------------------


def test_reversal_rows_are_sos_the_reversed_digits_as_ids_eos_then_pad():
    assert torch.equal(decoding.reversal_rows([[3, 1], [5]], PAD, SOS, EOS), torch.tensor([[1, 4, 6, 2], [1, 8, 2, 0]]))
    assert torch.equal(
        decoding.reversal_rows([[3, 1], [5]], 7, 8, 9, reverse=False, offset=0),
        torch.tensor([[8, 3, 1, 9], [8, 5, 9, 7]]),
    )
    assert decoding.reversal_rows([[0, 1, 2]], PAD, SOS, EOS).dtype == torch.long


def test_decoding_any_of_matches_an_answer_equal_to_any_of_its_values():
    test = decoding.any_of(iter([(torch.tensor([1]), torch.tensor([2])), [5, 6]]))
    assert test((torch.tensor([1]), torch.tensor([2]))) and test([5, 6]) and test([5, 6])
    assert not test((torch.tensor([2]), torch.tensor([1]))) and not test([6, 5])


def test_exact_match_raw_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(decoding.exact_match_raw_cases)
    assert [c.expected for c in cases[:3]] == [1.0, 0.5, 1 / 3]  # both right; one wrong id; one right of three
    assert cases[0].args == ([[5, 6, EOS, PAD], [7, EOS, PAD, PAD]], [[5, 6], [7]], EOS)


def test_reversal_pair_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(decoding.reversal_pair_cases)
    (case,) = [c for c in cases if c.args == ([[3, 1, 4]], PAD, SOS, EOS)]
    decoder_input, expected_output = case.expected
    assert torch.equal(decoder_input, torch.tensor([[SOS, 7, 4, 6]]))  # 4, 1, 3 reversed, each digit d as id d + 3
    assert torch.equal(expected_output, torch.tensor([[7, 4, 6, EOS]]))


def test_shrinking_greedy_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(decoding.shrinking_greedy_cases)
    (case,) = [c for c in cases if c.description == "3 rows that write EOS at steps 2, 4 and 3"]
    assert case.expected == [[5], [6, 7, 8], [10, 11]] and case.args[1:] == (3, SOS, EOS, 5)

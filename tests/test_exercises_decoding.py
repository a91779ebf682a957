"""Notebook 07's exercises: plausible wrong answers each checker must reject, and its stand-in model."""

from __future__ import annotations

import pytest
import torch

from seqtut.exercises import check
from seqtut.exercises.decoding import EOS, PAD, SOS, ScriptedSteps

# --- exact_and_token_accuracy


def per_token_over_decoded_length(decoded, targets):
    exact = sum(d == t for d, t in zip(decoded, targets)) / len(targets)
    hits = sum(a == b for d, t in zip(decoded, targets) for a, b in zip(d, t))
    return exact, hits / sum(len(d) for d in decoded)


def exact_ignores_length(decoded, targets):
    exact = sum(all(a == b for a, b in zip(d, t)) for d, t in zip(decoded, targets)) / len(targets)
    hits = sum(a == b for d, t in zip(decoded, targets) for a, b in zip(d, t))
    return exact, hits / sum(len(t) for t in targets)


def token_accuracy_averaged_per_sequence(decoded, targets):
    exact = sum(d == t for d, t in zip(decoded, targets)) / len(targets)
    per_row = [sum(a == b for a, b in zip(d, t)) / len(t) for d, t in zip(decoded, targets)]
    return exact, sum(per_row) / len(per_row)


def extra_tokens_count_as_wrong(decoded, targets):
    exact = sum(d == t for d, t in zip(decoded, targets)) / len(targets)
    hits = sum(a == b for d, t in zip(decoded, targets) for a, b in zip(d, t))
    return exact, hits / sum(max(len(d), len(t)) for d, t in zip(decoded, targets))


# --- teacher_forcing_pair


def _with_sos(target, sos_id):
    return torch.cat([torch.full((len(target), 1), sos_id, dtype=target.dtype), target], dim=1)


def no_shift(target, sos_id):
    """The decoder reads the very token it must write."""
    return _with_sos(target, sos_id)[:, 1:], target


def shifted_by_two(target, sos_id):
    """The expected output is two tokens ahead of the input."""
    full = _with_sos(target, sos_id)
    return full[:, :-1], torch.cat([full[:, 2:], torch.full((len(target), 1), PAD)], dim=1)


def sos_missing(target, sos_id):
    """The package's slicing applied to a target that has no SOS in front."""
    return target[:, :-1], target[:, 1:]


def eos_dropped_from_expected(target, sos_id):
    """The model is never asked to write EOS."""
    return _with_sos(target, sos_id)[:, :-1], target.masked_fill(target == EOS, PAD)


# --- greedy_decode


def _loop(step_fn, batch, sos_id, eos_id, pad_id, max_len, *, pad_done=True, stop_when_done=True, any_done=False):
    prefix = torch.full((batch, 1), sos_id, dtype=torch.long)
    done = torch.zeros(batch, dtype=torch.bool)
    for _ in range(max_len):
        next_id = step_fn(prefix).argmax(dim=-1)
        if pad_done:
            next_id = next_id.masked_fill(done, pad_id)
        prefix = torch.cat([prefix, next_id.unsqueeze(1)], dim=1)
        done |= next_id == eos_id
        if (any_done and done.any()) or (stop_when_done and done.all()):
            break
    return prefix[:, 1:].tolist()


def _cut(rows, eos_id):
    return [row[: row.index(eos_id)] if eos_id in row else row for row in rows]


def does_not_stop_at_eos(step_fn, batch, sos_id, eos_id, pad_id, max_len):
    """Ignores EOS: every row writes max_len tokens, EOS and what follows included."""
    prefix = torch.full((batch, 1), sos_id, dtype=torch.long)
    for _ in range(max_len):
        prefix = torch.cat([prefix, step_fn(prefix).argmax(dim=-1, keepdim=True)], dim=1)
    return prefix[:, 1:].tolist()


def strips_one_token_too_many(step_fn, batch, sos_id, eos_id, pad_id, max_len):
    """The original's `r[1:-2]`: drops EOS and the last real token with it."""
    return [row[:-1] for row in _cut(_loop(step_fn, batch, sos_id, eos_id, pad_id, max_len), eos_id)]


def real_tokens_after_eos(step_fn, batch, sos_id, eos_id, pad_id, max_len):
    """Finished rows keep writing the model's argmax instead of PAD."""
    return _cut(_loop(step_fn, batch, sos_id, eos_id, pad_id, max_len, pad_done=False), eos_id)


def stops_batch_at_first_eos(step_fn, batch, sos_id, eos_id, pad_id, max_len):
    """Ends the whole batch as soon as any row writes EOS."""
    return _cut(_loop(step_fn, batch, sos_id, eos_id, pad_id, max_len, any_done=True), eos_id)


def keeps_eos_in_the_result(step_fn, batch, sos_id, eos_id, pad_id, max_len):
    """Cuts after EOS instead of before it."""
    rows = _loop(step_fn, batch, sos_id, eos_id, pad_id, max_len)
    return [row[: row.index(eos_id) + 1] if eos_id in row else row for row in rows]


def runs_to_max_len(step_fn, batch, sos_id, eos_id, pad_id, max_len):
    """Never leaves the loop early, even when every row is done."""
    return _cut(_loop(step_fn, batch, sos_id, eos_id, pad_id, max_len, stop_when_done=False), eos_id)


MUTANTS = {
    "exact_and_token_accuracy": [
        per_token_over_decoded_length,
        exact_ignores_length,
        token_accuracy_averaged_per_sequence,
        extra_tokens_count_as_wrong,
    ],
    "teacher_forcing_pair": [no_shift, shifted_by_two, sos_missing, eos_dropped_from_expected],
    "greedy_decode": [
        does_not_stop_at_eos,
        strips_one_token_too_many,
        real_tokens_after_eos,
        stops_batch_at_first_eos,
        keeps_eos_in_the_result,
        runs_to_max_len,
    ],
}


def test_the_stand_in_model_writes_its_script_and_checks_what_it_is_fed():
    steps = ScriptedSteps([[5, EOS, 9, 9], [6, 7, 8, 9]], max_len=3)
    assert steps(torch.tensor([[SOS], [SOS]])).argmax(dim=-1).tolist() == [5, 6]
    assert steps(torch.tensor([[SOS, 5], [SOS, 6]])).argmax(dim=-1).tolist() == [EOS, 7]
    assert steps(torch.tensor([[SOS, 5, EOS], [SOS, 6, 7]])).argmax(dim=-1).tolist() == [9, 8]
    with pytest.raises(ValueError, match=r"row 0 was fed \[1, 5, 9\], expected \[1, 5, 2\] \(the prefix"):
        steps(torch.tensor([[SOS, 5, 9], [SOS, 6, 7]]))
    with pytest.raises(ValueError, match="more than max_len=3"):
        steps(torch.tensor([[SOS, 5, EOS, PAD], [SOS, 6, 7, 8]]))
    with pytest.raises(ValueError, match=r"row 0 was fed \[0\], expected \[1\] \(the prefix starts with SOS\)"):
        steps(torch.tensor([[PAD], [SOS]]))
    after = ScriptedSteps([[5, EOS, 9, 9], [6, 7, 8, 9]], max_len=4)
    with pytest.raises(ValueError, match=r"row 0 was fed \[1, 5, 2, 9\], expected \[1, 5, 2, 0\] \(a finished row"):
        after(torch.tensor([[SOS, 5, EOS, 9], [SOS, 6, 7, 8]]))
    done = ScriptedSteps([[EOS, 5], [EOS, 5]], max_len=2)
    with pytest.raises(ValueError, match="called again after every row had written EOS"):
        done(torch.tensor([[SOS, EOS], [SOS, EOS]]))


def test_the_stand_in_model_prints_what_each_row_writes_not_an_object_address():
    message = check.greedy_decode.run(real_tokens_after_eos).message
    assert "object at 0x" not in message
    assert "step_fn=a scripted model (row 0 writes 5 EOS; row 1 writes 6 7 8 EOS; row 2 writes 10 11 EOS)" in message
    never = ScriptedSteps([[4, 4, 4, 4, 4], [8, EOS, 9]], max_len=4)
    assert repr(never) == "a scripted model (row 0 writes 4 4 4 4; row 1 writes 8 EOS)"


def test_a_mutant_that_feeds_real_tokens_after_eos_is_told_so():
    message = check.greedy_decode.run(real_tokens_after_eos).message
    assert "a finished row is fed PAD" in message and "case 2 of 5" in message


def test_the_teacher_forcing_pair_report_names_the_sos_problem():
    message = check.teacher_forcing_pair.run(sos_missing).message
    assert message.startswith("✗ teacher_forcing_pair: case 1 of 4 fails: one row: ids 8 9 10, then EOS")
    assert "expected shape (1, 4), got shape (1, 3)" in message

"""Notebook 06's checkers reject plausible wrong answers (the generic tests in test_exercises.py use MUTANTS)."""

import torch

from seqtut.exercises import check


def no_offset(tokens):
    return [1, *tokens, 2]


def offset_by_two(tokens):
    return [1, *(t + 2 for t in tokens), 2]


def no_eos(tokens):
    return [1, *(t + 3 for t in tokens)]


def sos_and_eos_swapped(tokens):
    return [2, *(t + 3 for t in tokens), 1]


def hides_the_diagonal(size):
    return torch.ones(size, size, dtype=torch.bool).triu(diagonal=0)


def transposed(size):
    return torch.ones(size, size, dtype=torch.bool).triu(diagonal=1).T


def float_minus_inf(size):
    hidden = torch.ones(size, size, dtype=torch.bool).triu(diagonal=1)
    return torch.zeros(size, size).masked_fill(hidden, float("-inf"))


def sdpa_convention(size):
    return torch.ones(size, size, dtype=torch.bool).tril()  # True = may attend: the other convention


def hides_specials_too(tokens, pad_id):
    return (tokens == pad_id) | (tokens < 3)  # hides SOS and EOS, which are not PAD


def inverted(tokens, pad_id):
    return tokens != pad_id


def hides_everything_after_the_first_pad(tokens, pad_id):
    return (tokens == pad_id).cumsum(dim=1) > 0


def pad_id_always_zero(tokens, pad_id):
    return tokens == 0


MUTANTS = {
    "encode_tokens": [no_offset, offset_by_two, no_eos, sos_and_eos_swapped],
    "causal_mask": [hides_the_diagonal, transposed, float_minus_inf, sdpa_convention],
    "padding_mask": [hides_specials_too, inverted, hides_everything_after_the_first_pad, pad_id_always_zero],
}


def test_a_float_mask_is_told_apart_from_a_wrong_bool_one():
    message = check.causal_mask.run(float_minus_inf).message
    assert "case 1 of 6 fails" in message and "expected a bool mask (True = hidden), got dtype float32" in message
    assert "-inf and 0 also works in nn.Transformer" in message


def test_where_each_mask_mutant_is_caught():
    caught = {m.__name__: check.causal_mask.run(m).failed_case for m in MUTANTS["causal_mask"]}
    assert caught == {"hides_the_diagonal": 1, "transposed": 2, "float_minus_inf": 1, "sdpa_convention": 1}
    caught = {m.__name__: check.padding_mask.run(m).failed_case for m in MUTANTS["padding_mask"]}
    assert caught == {
        "hides_specials_too": 1,
        "inverted": 1,
        "hides_everything_after_the_first_pad": 3,
        "pad_id_always_zero": 6,
    }


def test_the_checker_reports_pass_counts():
    assert check.encode_tokens.run(lambda t: [1, *(x + 3 for x in t), 2]).message == "✓ encode_tokens: all 5 cases pass"

"""`seqtut.checks`: each check hands back a good value unchanged and names the argument in its error."""

import math

import pytest

from seqtut.checks import non_negative_int, one_of, positive_int, positive_number


def test_positive_int_returns_an_int_of_at_least_1():
    assert positive_int(1, "epochs") == 1 and positive_int(10**12, "epochs") == 10**12


@pytest.mark.parametrize("value", [0, -3, True, 2.0, "2", None])
def test_positive_int_rejects_zero_negatives_bools_and_other_types(value):
    with pytest.raises(ValueError) as raised:
        positive_int(value, "epochs")
    assert str(raised.value) == f"epochs: expected a positive int, got {value!r}"


def test_non_negative_int_returns_an_int_of_at_least_0():
    assert non_negative_int(0, "seed") == 0 and non_negative_int(7, "seed") == 7


@pytest.mark.parametrize("value", [-1, False, 0.0, "0"])
def test_non_negative_int_rejects_negatives_bools_and_other_types(value):
    with pytest.raises(ValueError) as raised:
        non_negative_int(value, "seed")
    assert str(raised.value) == f"seed: expected an int >= 0, got {value!r}"


def test_positive_number_returns_a_finite_int_or_float_above_0():
    assert positive_number(0.5, "lr") == 0.5 and positive_number(3, "lr") == 3 and positive_number(1e-300, "lr") > 0


@pytest.mark.parametrize("value", [0, 0.0, -1e-9, math.nan, math.inf, True, "1", None])
def test_positive_number_rejects_zero_negatives_non_finite_bools_and_other_types(value):
    with pytest.raises(ValueError) as raised:
        positive_number(value, "lr")
    assert str(raised.value) == f"lr: expected a finite positive number, got {value!r}"


def test_one_of_returns_the_value_when_it_is_a_choice():
    assert one_of("cpu", ("cpu", "cuda"), "device") == "cpu"
    assert one_of(2, [1, 2, 3], "k") == 2


def test_one_of_lists_every_choice_in_order_and_the_value_it_got():
    with pytest.raises(ValueError) as raised:
        one_of("tpu", ("cpu", "cuda", "mps"), "device")
    assert str(raised.value) == "device: expected one of 'cpu', 'cuda', 'mps', got 'tpu'"

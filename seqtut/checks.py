"""Argument checks shared by every public function: each error names the argument, what was expected and what came."""

from __future__ import annotations

import math
from collections.abc import Collection


def positive_int(value: object, name: str) -> int:
    """Return `value` if it is an int >= 1; otherwise raise a ValueError naming `name`."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value!r}")
    return value


def non_negative_int(value: object, name: str) -> int:
    """Return `value` if it is an int >= 0; otherwise raise a ValueError naming `name`."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name}: expected an int >= 0, got {value!r}")
    return value


def positive_number(value: object, name: str) -> float:
    """Return `value` if it is a finite number > 0; otherwise raise a ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a finite positive number, got {value!r}")
    return value


def one_of(value: object, choices: Collection[object], name: str) -> object:
    """Return `value` if it is one of `choices`; otherwise raise a ValueError naming `name`."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: expected one of {listed}, got {value!r}")
    return value

"""Checks that read as sentences: each one prints the claim it keeps, with its number.

`claim("held-out MAE", 0.0005, "<=", 0.05)` prints `✓ held-out MAE 0.0005 ≤ 0.05`; when the
claim is false it raises `ClaimError` with the same sentence marked ✗, so a notebook stops at the
first claim its numbers no longer support. The checks return nothing: a claim as a cell's last line
shows its sentence only, not the raw value again (whose last digits can differ between torch versions).

A bound of None means "full mode only": a fast run trains too little, or reads too few windows, for
any bound it could miss, so the claim prints its value marked ○ and checks nothing, and says so. In
full mode a bound of None is an error: every claim the committed notebooks show is checked (`make run` runs them in CI).

A learner who changes a notebook's settings to explore (its "Try next") calls `explore()` first: a
claim that fails then prints its ✗ sentence and the notebook runs on.

A few numbers depend on the machine as well as the code: an optimizer outside torch can stop at
another point on another CPU. Claims on them sit in `with machine_dependent(reason):`; there a
failed claim prints its ✗ sentence with the reason and the notebook runs on, except in the
maintainers' runs (`SEQTUT_STRICT=1`, set by the Makefile: `make run`, `make test`, CI), where it
raises as any claim does.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from seqtut.checks import one_of
from seqtut.runtime import fast_mode, strict_mode

OPERATORS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "<=": (operator.le, "≤"),
    "<": (operator.lt, "<"),
    ">=": (operator.ge, "≥"),
    ">": (operator.gt, ">"),
    "==": (operator.eq, "="),
}


class ClaimError(AssertionError):
    """A claim a notebook makes that its own numbers do not support."""


_exploring = False  # set by `explore`: a failed claim prints its sentence instead of raising


def explore(on: bool = True) -> None:
    """Let failed claims print `✗ sentence (exploring: not raised)` and run on (`on=False`: raise again)."""
    global _exploring
    _exploring = bool(on)


_machine_reason: str | None = None  # set inside `machine_dependent`: why a failure here may be the machine's


@contextmanager
def machine_dependent(reason: str) -> Iterator[None]:
    """Within the block, a failed claim prints `✗ sentence (not raised: reason)` unless `SEQTUT_STRICT=1`."""
    global _machine_reason
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"reason: expected a sentence saying why the numbers can differ by machine, got {reason!r}")
    outer, _machine_reason = _machine_reason, reason.strip()
    try:
        yield
    finally:
        _machine_reason = outer


def _fail(sentence: str) -> None:
    """Raise `ClaimError(sentence)`; print it when exploring, or in a `machine_dependent` block unless strict."""
    if _exploring:
        print(f"{sentence} (exploring: not raised)")
    elif _machine_reason is not None and not strict_mode():
        print(f"{sentence} (not raised: {_machine_reason})")
    else:
        raise ClaimError(sentence)


def _number(value: object, name: str) -> float:
    """`value` as a float (a 0-d tensor or NumPy scalar too); a ValueError naming `name` otherwise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, got {value!r}") from None
    if math.isnan(number):
        raise ClaimError(f"✗ {name} is NaN")
    return number


def _format(value: float, fmt: str, unit: str) -> str:
    text = f"{value:{fmt}}"
    return f"{text} {unit}" if unit else text


def _full_mode_only(label: str, shown: str, bound: object) -> bool:
    """True (after printing `○ label shown: full mode only`) when `bound` is None in fast mode."""
    if bound is not None:
        return False
    if not fast_mode():
        raise ValueError(f"bound: None means 'checked in full mode only', but this run is full mode ({label})")
    print(f"○ {label} {shown}: checked in full mode only (a fast run is too small to check it)")
    return True


def claim(label: str, value: object, op: str, bound: object, *, fmt: str = ".4g", unit: str = "") -> None:
    """Print `✓ label value op bound`; raise `ClaimError` when it does not hold (bound None: full mode only)."""
    compare, symbol = OPERATORS[one_of(op, OPERATORS, "op")]
    if _full_mode_only(label, _format(_number(value, label), fmt, unit), bound):
        return
    number, limit = _number(value, label), _number(bound, "bound")
    sentence = f"{label} {_format(number, fmt, unit)} {symbol} {_format(limit, fmt, unit)}"
    if not compare(number, limit):
        return _fail(f"✗ {sentence}")
    print(f"✓ {sentence}")


def claim_every(
    label: str,
    values: Iterable[object],
    op: str,
    bound: object,
    *,
    what: str = "values",
    fmt: str = ".4g",
    unit: str = "",
) -> None:
    """Print `✓ label op bound on all N what (worst: v)` (N = 2: on both); raise `ClaimError` at the first failure.

    A bound of None: full mode only, as in `claim`.
    """
    compare, symbol = OPERATORS[one_of(op, OPERATORS, "op")]
    numbers = [_number(v, label) for v in values]
    if not numbers:
        raise ValueError(f"values: expected at least one value for {label!r}, got none")
    worst = max(numbers) if op in ("<=", "<") else min(numbers)
    if _full_mode_only(label, f"on {len(numbers)} {what} (worst: {_format(worst, fmt, unit)})", bound):
        return
    limit = _number(bound, "bound")
    for index, number in enumerate(numbers):
        if not compare(number, limit):
            return _fail(
                f"✗ {label} {symbol} {_format(limit, fmt, unit)} fails at index {index}: {_format(number, fmt, unit)}"
            )
    every = "both" if len(numbers) == 2 else f"all {len(numbers)}"  # "on all 2 models" reads as broken English
    print(f"✓ {label} {symbol} {_format(limit, fmt, unit)} on {every} {what} (worst: {_format(worst, fmt, unit)})")


def claim_that(sentence: str, holds: object) -> None:
    """Print `✓ sentence` when `holds` is true; raise `ClaimError` with `✗ sentence` otherwise."""
    if not bool(holds):
        return _fail(f"✗ {sentence}")
    print(f"✓ {sentence}")


def claim_raises(error: type[BaseException], action: Callable[[], object]) -> None:
    """Run `action`; print `✓ raises Error: message` (no traceback, no path).

    Raise `ClaimError` when `action` raises nothing, or raises another kind of error.
    """
    try:
        action()
    except error as raised:
        message = str(raised).splitlines()[0] if str(raised) else ""
        print(f"✓ raises {type(raised).__name__}: {message}")
        return
    except Exception as other:
        return _fail(f"✗ expected {error.__name__}, got {type(other).__name__}: {other}")
    _fail(f"✗ expected {error.__name__}, but nothing was raised")

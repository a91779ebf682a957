"""The machinery every checker shares: cases, comparison and a report in plain words.

A checker is built from a function that returns `Case`s. `checker` turns it into the function a
notebook calls, `check.causal_mask(my_causal_mask)`, which runs the learner's function on every
case and prints either `✓ all N cases pass` or the first failing case: its input, what was
expected, what came, and a hint. It never raises for a learner's mistake, so a notebook whose
exercises are still stubs runs top to bottom, and it never prints the solution's code.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

NOT_IMPLEMENTED = "not implemented yet: replace `raise NotImplementedError` with your code, then run this cell again"

Compare = Callable[[Any, Any], str | None]
"""`compare(expected, got)`: None when `got` is right, otherwise what is wrong, in words."""


@dataclass
class Case:
    """One input to try, what a right answer gives, and a hint for a learner who gets it wrong."""

    description: str  # in plain words, e.g. "3 rows, PAD in the middle of row 1"
    args: tuple[Any, ...]
    expected: Any
    hint: str = ""
    kwargs: dict[str, Any] = field(default_factory=dict)
    compare: Compare | None = None  # default: `same`
    raises: type[Exception] | None = None  # a right answer raises this instead of returning (`expected`: None)


@dataclass(frozen=True)
class Result:
    """What a checker found: whether every case passed, and the message it prints."""

    name: str
    passed: bool
    cases: int
    message: str
    failed_case: int | None = None  # 1-based index of the first failing case

    @property
    def not_implemented(self) -> bool:
        return self.message.startswith(f"{self.name}: {NOT_IMPLEMENTED}")


def describe(value: Any, limit: int = 12) -> str:
    """A short, readable description of a value: a tensor's dtype, shape and (small) contents."""
    if isinstance(value, torch.Tensor):
        head = f"tensor {tuple(value.shape)} {str(value.dtype).removeprefix('torch.')}"
        if value.numel() <= limit * limit:
            return f"{head} {value.tolist()}"
        return f"{head} (first values {value.flatten()[:limit].tolist()} …)"
    if isinstance(value, np.ndarray):
        return describe(torch.as_tensor(value), limit)
    if isinstance(value, tuple | list) and len(value) <= limit:
        inner = ", ".join(describe(v, limit) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + " …"


def same(expected: Any, got: Any, *, atol: float = 1e-5, rtol: float = 1e-4) -> str | None:
    """None when `got` equals `expected` (tensors: shape, kind and values; floats: within tolerance)."""
    if isinstance(expected, torch.Tensor):
        if isinstance(got, np.ndarray):
            got = torch.as_tensor(got)
        if not isinstance(got, torch.Tensor):
            return f"expected a tensor, got {type(got).__name__}"
        if tuple(got.shape) != tuple(expected.shape):
            return f"expected shape {tuple(expected.shape)}, got shape {tuple(got.shape)}"
        if expected.dtype == torch.bool and got.dtype != torch.bool:
            return f"expected a bool tensor (True/False), got dtype {str(got.dtype).removeprefix('torch.')}"
        if expected.is_floating_point():
            if not got.is_floating_point():
                return f"expected a float tensor, got dtype {str(got.dtype).removeprefix('torch.')}"
            both_inf = torch.isinf(expected) & (got == expected)
            close = torch.isclose(got.double(), expected.double(), atol=atol, rtol=rtol) | both_inf
        else:
            close = got.to(expected.dtype) == expected
        if not bool(close.all()):
            where = tuple(int(i) for i in (~close).nonzero()[0])
            return f"wrong value at index {where}: expected {expected[where].item()}, got {got[where].item()}"
        return None
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            return f"expected {len(expected)} items, got {describe(got)}"
        for index, (e, g) in enumerate(zip(expected, got, strict=True)):
            problem = same(e, g, atol=atol, rtol=rtol)
            if problem is not None:
                return f"item {index}: {problem}"
        return None
    if isinstance(expected, float):
        if not isinstance(got, int | float | np.floating | np.integer) or isinstance(got, bool):
            return f"expected a number, got {describe(got)}"
        return None if math.isclose(float(got), expected, rel_tol=rtol, abs_tol=atol) else "wrong number"
    return None if got == expected else "wrong value"


def run_cases(name: str, function: Any, cases: Sequence[Case]) -> Result:
    """Run `function` on every case; the `Result` names the first case that fails and why."""
    if not callable(function):
        return Result(name, False, len(cases), f"{name}: expected your function, got {describe(function)}")
    for index, case in enumerate(cases, start=1):
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)  # a learner may edit inputs in place
        try:
            got = function(*args, **kwargs)
        except NotImplementedError:
            return Result(name, False, len(cases), f"{name}: {NOT_IMPLEMENTED}", index)
        except Exception as error:  # the learner's code failed: say where, in one line, with no traceback
            if case.raises is not None and isinstance(error, case.raises):
                continue  # the error this case asks for
            message = f"{type(error).__name__}: {error}"
            return Result(name, False, len(cases), _failure(name, index, len(cases), case, None, message), index)
        if case.raises is not None:
            problem = f"expected a {case.raises.__name__}, but the function returned {describe(got)}"
        else:
            problem = (case.compare or same)(case.expected, got)
        if problem is not None:
            return Result(name, False, len(cases), _failure(name, index, len(cases), case, got, problem), index)
    passed = "the 1 case passes" if len(cases) == 1 else f"all {len(cases)} cases pass"
    return Result(name, True, len(cases), f"✓ {name}: {passed}")


def _failure(name: str, index: int, total: int, case: Case, got: Any, problem: str) -> str:
    """The report of one failing case, in plain words."""
    shown = ", ".join([describe(a) for a in case.args] + [f"{k}={describe(v)}" for k, v in case.kwargs.items()])
    lines = [
        f"✗ {name}: case {index} of {total} fails: {case.description}",
        f"  input:    {shown}",
        f"  expected: {f'a {case.raises.__name__}' if case.raises else describe(case.expected)}",
        f"  got:      {'an error' if got is None else describe(got)}",
        f"  problem:  {problem}",
    ]
    if case.hint:
        lines.append(f"  hint:     {case.hint}")
    return "\n".join(lines)


class Checker:
    """A notebook's checker: `checker(my_function)` prints the report; `.run` returns it."""

    def __init__(self, name: str, make_cases: Callable[[], Sequence[Case]], doc: str) -> None:
        self.name, self.make_cases, self.__doc__ = name, make_cases, doc

    def run(self, function: Any) -> Result:
        """Run every case and return the `Result` (tests use this)."""
        return run_cases(self.name, function, self.make_cases())

    def __call__(self, function: Any) -> None:
        print(self.run(function).message)

    def __repr__(self) -> str:
        return f"<checker {self.name}: {self.__doc__}>"


REGISTRY: dict[str, Checker] = {}


def checker(make_cases: Callable[[], Sequence[Case]]) -> Checker:
    """Register `make_cases` (named `<exercise>_cases`) as the checker `check.<exercise>`."""
    name = make_cases.__name__.removesuffix("_cases")
    if name in REGISTRY:
        raise ValueError(f"checker: {name!r} is registered twice")
    doc = (make_cases.__doc__ or "").strip().splitlines()[0] if make_cases.__doc__ else name
    REGISTRY[name] = Checker(name, make_cases, doc)
    return REGISTRY[name]

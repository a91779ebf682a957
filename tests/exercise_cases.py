"""Shared by the tests of the exercise modules: a case builder gives well-formed cases, and its solution passes them.

Not a test file itself (pytest collects `test_*.py` only); the test files import it by name, as pytest
puts `tests/` on `sys.path` for them.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from seqtut.exercises import REGISTRY, Case, Checker, run_cases
from seqtut.exercises.rnn_io import WithoutLayers, switched_off

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


@functools.cache
def solutions(notebook: str) -> ModuleType:
    """solutions/<notebook>.py, loaded once per process."""
    spec = importlib.util.spec_from_file_location(f"_solutions_{notebook}", SOLUTIONS / f"{notebook}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checked_cases(builder: Checker) -> list[Case]:
    """`builder`'s cases, after checking that they are well-formed and that its solution passes every one.

    `builder` is what `@checker` leaves under the builder's name (`masking.local_causal_mask_cases`): the
    checker registered as `check.<exercise>`, whose `make_cases` is the function written in the module.
    Well-formed: at least one case; each a `Case` with its own description, its inputs as a tuple and a
    dict, an error to raise only with no expected value, and usual mistakes named in words.
    """
    name = builder.make_cases.__name__.removesuffix("_cases")
    assert builder.name == name and REGISTRY[name] is builder, f"{name}: not registered as check.{name}"
    cases = builder.make_cases()
    assert isinstance(cases, list) and cases, f"{name}: no cases"
    assert all(isinstance(case, Case) for case in cases)
    descriptions = [case.description for case in cases]
    assert all(isinstance(d, str) and d.strip() for d in descriptions) and len(set(descriptions)) == len(cases)
    for case in cases:
        where = f"{name}, {case.description!r}"
        assert isinstance(case.args, tuple) and isinstance(case.kwargs, dict) and isinstance(case.hint, str), where
        assert case.compare is None or callable(case.compare), where
        assert case.raises is None or (issubclass(case.raises, Exception) and case.expected is None), where
        assert all(isinstance(hint, str) and hint.strip() for hint in case.mistakes), where
    solution = getattr(solutions(builder.solution_file), f"my_{name}")
    assert passes(builder, solution, cases), f"solutions/{builder.solution_file}.py: my_{name} fails its own cases"
    return cases


def passes(builder: Checker, function: Any, cases: list[Case]) -> bool:
    """Whether `function` passes `cases` as `builder`'s checker runs it (layers switched off where it does that)."""
    if isinstance(builder, WithoutLayers):
        with switched_off(builder.targets, builder.why, builder.functions):
            result = run_cases(builder.name, function, cases)
    else:
        result = run_cases(builder.name, function, cases)
    assert result.cases == len(cases)
    if not result.passed:
        print(result.message)
    return result.passed

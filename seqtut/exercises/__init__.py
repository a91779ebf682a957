"""Checkers for the exercises at the end of every notebook: `from seqtut.exercises import check`.

Each notebook's exercises have one module here, named after its section (`masking.py` for
notebook 06, ...); a checker is a function returning `Case`s, registered with `@checker`.
`check.<exercise>(my_function)` runs the learner's function on those cases and prints
`✓ all N cases pass` or the first failing case in plain words. Solutions are in `solutions/`
at the repository root, never here.
"""

from __future__ import annotations

import importlib
import pkgutil

from seqtut.exercises.core import REGISTRY, Case, Checker, Result, call_learner, checker, describe, run_cases, same

for _module in pkgutil.iter_modules(__path__):  # every notebook's checkers, whatever their number
    if _module.name != "core":
        importlib.import_module(f"{__name__}.{_module.name}")


class _Checks:
    """`check.<exercise>`: every registered checker, by name."""

    def __getattr__(self, name: str) -> Checker:
        try:
            return REGISTRY[name]
        except KeyError:
            listed = ", ".join(sorted(REGISTRY))
            raise AttributeError(f"check.{name}: no such exercise; expected one of {listed}") from None

    def __dir__(self) -> list[str]:
        return sorted(REGISTRY)


check = _Checks()

__all__ = ["Case", "Checker", "Result", "call_learner", "check", "checker", "describe", "run_cases", "same"]

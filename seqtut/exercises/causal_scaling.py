"""Checkers for notebook 05's exercises: start-relative inputs and a causal scaler fitted on training data."""

from __future__ import annotations

from typing import Any

import torch

from seqtut.exercises.core import Case, checker, describe, same
from seqtut.scalers import make_scaler


def _rows(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


@checker
def start_relative_cases() -> list[Case]:
    """Each window minus its first value, over `scale`: windows (N, L) -> (N, L)."""
    hint = "step t may only use values up to t: which single value of the window is known at every step?"
    cases = []
    for rows, scale, words in [
        ([[1.0, 2.0, 4.0]], 1.0, "one window, scale 1"),
        ([[3.0, 1.0, 2.0, 6.0]], 2.0, "one window whose first, last and mean values all differ, scale 2"),
        ([[1.0, 5.0, 2.0], [4.0, 4.0, 0.0], [-2.0, 1.0, 7.0]], 0.5, "3 windows of 3 values (as many as steps)"),
        ([[10.0, 12.0], [-3.0, -1.0]], 4.0, "2 windows of 2 values, scale 4"),
    ]:
        windows = _rows(rows)
        cases.append(Case(words, (windows, scale), (windows - windows[:, :1]) / scale, hint))
    return cases


def _compare_scaler(windows: torch.Tensor, outputs: torch.Tensor) -> Any:
    """A compare for (scaled test windows, inverse): the inverse is tried on `outputs` after `windows`."""

    def compare(expected: Any, got: Any) -> str | None:
        scaled, series = expected
        if not isinstance(got, tuple | list) or len(got) != 2 or not callable(got[1]):
            return f"expected (scaled test windows, an inverse function), got {describe(got)}"
        problem = same(scaled, got[0])
        if problem is not None:
            return f"the scaled test windows: {problem}"
        try:
            back = got[1](windows.clone(), outputs.clone())
        except Exception as error:
            return f"inverse(test windows, outputs) raised {type(error).__name__}: {error}"
        problem = same(series, back)
        return None if problem is None else f"inverse(test windows, outputs {describe(outputs)}): {problem}"

    return compare


@checker
def causal_scaler_cases() -> list[Case]:
    """A start-relative scale fitted on training windows only; the test windows scaled, and its inverse."""
    hint = (
        "the scale comes from the training windows alone, each measured from its own first value; "
        "the inverse undoes exactly what the scaling did, with the same reference value"
    )
    generator = torch.Generator().manual_seed(0)
    cases = []
    for train_rows, test_rows, words in [
        ([[0.0, 1.0, 3.0], [2.0, 2.0, 6.0]], [[5.0, 6.0, 4.0]], "2 training windows, 1 test window"),
        (
            [[1.0, 2.0, 3.0, 4.0], [4.0, 2.0, 0.0, -2.0], [0.0, 5.0, 0.0, 5.0]],
            [[10.0, 30.0, 20.0, 50.0], [-1.0, -9.0, -4.0, 0.0]],
            "test windows that swing far more than the training ones",
        ),
    ]:
        train, test = _rows(train_rows), _rows(test_rows)
        cases.append(_scaler_case(train, test, words, hint, generator))
    train = torch.randn(20, 6, generator=generator).cumsum(dim=1)
    test = 3 * torch.randn(5, 6, generator=generator).cumsum(dim=1) + 7
    cases.append(_scaler_case(train, test, "20 random-walk training windows, 5 wider test windows", hint, generator))
    return cases


def _scaler_case(train: torch.Tensor, test: torch.Tensor, words: str, hint: str, generator: torch.Generator) -> Case:
    scaler = make_scaler("start-relative").fit(train)
    outputs = torch.randn(test.shape, generator=generator)  # model outputs, in model units
    expected = (scaler.inputs(test), scaler.inverse(test, outputs))  # the inverse's answer for `outputs`
    return Case(words, (train, test), expected, hint, compare=_compare_scaler(test, outputs))

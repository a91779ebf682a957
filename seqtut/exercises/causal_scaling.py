"""Checkers for notebook 05's exercises: which inputs each value of a window can move, for scalers the
notebook never showed, and a causal scaler measured from a running mean, which seqtut does not have.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from seqtut.exercises.core import Case, call_learner, checker, describe, same

NOTEBOOK = "05_causal_scaling"


class Scaler:
    """A scaler as the exercise hands it in, `scale_fn`: a function, windows (N, L) -> inputs (N, L).

    Its repr gives its rule in words. It is called, `scale_fn(windows)`; it has no methods, and an
    answer that calls one as the notebook's scaler objects have them (`scale_fn.inputs(windows)`)
    raises an AttributeError that says how to call it.
    """

    def __init__(self, words: str, function: Callable[[torch.Tensor], torch.Tensor]) -> None:
        self.words, self.function = words, function

    def __call__(self, windows: torch.Tensor) -> torch.Tensor:
        return self.function(windows)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and friends look for these: the usual answer
            raise AttributeError(name)
        raise AttributeError(
            f"scale_fn is a function, not a scaler object: it has no .{name}; call it as scale_fn(windows), "
            "windows (N, L) -> inputs (N, L)"
        )

    def __repr__(self) -> str:
        return f"<scale_fn: {self.words}>"


def _running_mean(windows: torch.Tensor) -> torch.Tensor:
    """Each step's mean of the values read so far, x[0] to x[t - 1], by loops (shares nothing with an answer)."""
    length = windows.shape[1]
    return torch.stack([windows[:, :t].mean(dim=1) for t in range(1, length + 1)], dim=1)


def _pattern(length: int, kind: str) -> torch.Tensor:
    """Which inputs (rows: steps 1..L) each value (columns: x[0]..x[L-1]) moves, worked out by hand."""
    moves = torch.zeros(length, length, dtype=torch.bool)
    for row in range(length):  # step row + 1, which reads x[row]
        if kind == "start-relative" and row > 0:  # x[row] - x[0]; step 1's x[0] - x[0] is 0 whatever x[0] is
            moves[row, [0, row]] = True
        elif kind == "last-relative" and row < length - 1:  # x[row] - x[L - 1]; the last step's input is 0
            moves[row, [row, length - 1]] = True
        elif kind == "standard":  # (x[row] - a fixed mean) / a fixed std
            moves[row, row] = True
        elif kind == "running-mean" and row > 0:  # x[row] - mean(x[0..row]); step 1's is x[0] - x[0]
            moves[row, : row + 1] = True
        elif kind == "differences" and row > 0:  # x[row] - x[row - 1]; 0 at step 1
            moves[row, [row - 1, row]] = True
        elif kind == "window z-score":  # (x[row] - the window's mean) / the window's std: every value
            moves[row] = True
    return moves


EXAMPLE_SCALERS = {
    "start-relative": Scaler("each value minus the window's first value, over 2", lambda w: (w - w[:, :1]) / 2),
    "last-relative": Scaler("each value minus the window's last value, over 2", lambda w: (w - w[:, -1:]) / 2),
    "standard": Scaler("each value minus 3, over 2: a fixed mean and standard deviation", lambda w: (w - 3) / 2),
    "running-mean": Scaler(
        "each value minus the mean of the window's values up to it",
        lambda w: w - w.cumsum(dim=1) / torch.arange(1, w.shape[1] + 1, dtype=w.dtype),
    ),
    "differences": Scaler(
        "each value minus the one before it (0 at the first step)",
        lambda w: torch.cat([torch.zeros_like(w[:, :1]), w.diff(dim=1)], dim=1),
    ),
    "window z-score": Scaler(
        "each window minus its own mean, over its own standard deviation",
        lambda w: (w - w.mean(dim=1, keepdim=True)) / w.std(dim=1, keepdim=True),
    ),
}


@checker(
    hints=[
        "Steps count from 1 and values from 0: row t - 1 is step t's input, column k the value x[k]. You cannot "
        "read scale_fn's formula, only what it returns: what experiment on the window would show which values "
        "a step's input reads?",
        "Treat scale_fn as a black box and perturb its input: if the value x[k] were different, which of the "
        "scaled inputs would notice?",
        "The pitfalls: scale_fn takes a batch, so give it windows of shape (1, L); change each value on a fresh "
        "copy (clone), or the earlier changes stay; a tolerance can hide a small move.",
    ]
)
def dependence_cases() -> list[Case]:
    """Which inputs each value moves: scale_fn and a window (L,) -> bool (L, L), [t - 1, k] for step t and x[k]."""
    hint = "row t - 1 is the input at step t, column k the value x[k] you change; change one value at a time"
    generator = torch.Generator().manual_seed(5)
    cases = []
    for kind, length, words in [
        ("start-relative", 4, "this notebook's start-relative inputs, 4 steps"),
        ("last-relative", 4, "the leaky scaler: measured from the last value, 4 steps"),
        ("standard", 3, "a standard scaler, 3 steps"),
        ("running-mean", 5, "measured from a running mean, 5 steps"),
        ("differences", 5, "the change since the previous value, 5 steps"),
        ("window z-score", 4, "each window standardized by itself, 4 steps"),
    ]:
        window = torch.randn(length, generator=generator) * 3
        expected = _pattern(length, kind)
        mistakes = {
            "your matrix is all False: no change moved any input. Make the change visible (such as +1: 1e-9 is "
            "lost in float32 rounding) and compare exactly (!=): a tolerance hides small moves": lambda got, n=length: (
                bool(got.dtype == torch.bool and got.shape == (n, n) and not got.any())
            ),
            "you changed only the last value, as the notebook's cell did: change each value in turn, "
            "one column per value": lambda got, e=expected: bool(
                got.dtype == torch.bool and not got[:, :-1].any() and torch.equal(got[:, -1], e[:, -1])
            ),
            "rows are the steps' inputs and columns the values changed: your matrix is the transpose": expected.T,
            "that is a causal pattern guessed, not measured: measure every entry (here a step's input can "
            "ignore its own value, or depend on later ones)": torch.ones(length, length, dtype=torch.bool).tril(),
            "a value can move the inputs of other steps too: compare the inputs at every step, not only at its own": (
                lambda got: bool(got.dtype == torch.bool and not (got & ~torch.eye(len(got), dtype=torch.bool)).any())
            ),
        }
        cases.append(Case(words, (EXAMPLE_SCALERS[kind], window), expected, hint, mistakes=mistakes))
    return cases


def _scaled(train: torch.Tensor, test: torch.Tensor) -> tuple[torch.Tensor, float]:
    """The right answer, step by step: the test windows from their running means, over the training std."""
    scale = (train - _running_mean(train)).std().item()
    return (test - _running_mean(test)) / scale, scale


def _compare_scaler(tries: list[tuple[str, torch.Tensor, torch.Tensor, torch.Tensor]]) -> Any:
    """A compare for (scaled test windows, inverse): the inverse is tried on each (name, windows, outputs, right).

    The first try hands it the test windows; the second, other windows of the same shape that the scaler
    never saw, so an inverse that adds back remembered running means instead of its argument's fails.
    `name` says which windows in the report.
    """

    def compare(expected: Any, got: Any) -> str | None:
        if not isinstance(got, tuple | list) or len(got) != 2 or not callable(got[1]):
            return f"expected (scaled test windows, an inverse function), got {describe(got)}"
        problem = same(expected[0], got[0])
        if problem is not None:
            return f"the scaled test windows: {problem}"
        for name, windows, outputs, right in tries:
            back, failed = call_learner(got[1], windows.clone(), outputs.clone())
            if failed is not None:
                return f"inverse({name}, outputs) {failed}"
            problem = same(right, back)
            if problem is not None:
                return f"inverse({name}, outputs {describe(outputs)}): {problem}"
        return None

    return compare


def _inverse_gives(got: Any, windows: torch.Tensor, outputs: torch.Tensor, wrong: torch.Tensor) -> bool:
    """Does the answer's inverse, handed `windows` and `outputs`, give `wrong` (a usual mistake's values)?"""
    back, failed = call_learner(got[1], windows.clone(), outputs.clone())
    return failed is None and same(wrong, back) is None


def _scaled_wrong(got: Any, wrong: torch.Tensor) -> bool:
    """Is the answer's first item `wrong` (a usual mistake's scaled test windows)?"""
    return same(wrong, got[0]) is None


@checker(
    hints=[
        "Step t has read t values, x[0] to x[t - 1]: their mean is a cumulative sum divided by a count. "
        "Which count, at each step?",
        "A cumulative sum along the steps (dim=1), divided by the counts 1, 2, ..., L, gives every step's mean "
        "at once: counts of shape (L,) line up with the last dimension.",
        "The pitfalls: the scale is one number fitted on the training windows and never refitted on the test "
        "ones; the inverse needs the running means of the windows it is given, not those of the training windows.",
    ]
)
def running_mean_scaler_cases() -> list[Case]:
    """A scaler measured from each step's running mean, its scale fitted on training windows only; and its inverse."""
    hint = (
        "step t's reference is the mean of x[0] to x[t - 1], from the window being scaled; the scale comes from "
        "the training windows alone; the inverse adds back the same reference"
    )
    generator = torch.Generator().manual_seed(0)
    cases = []
    for train_rows, test_rows, words in [
        ([[0.0, 1.0, 3.0], [2.0, 2.0, 6.0]], [[5.0, 7.0, 4.0]], "2 training windows, 1 test window"),
        (
            [[1.0, 2.0, 3.0, 4.0], [4.0, 2.0, 0.0, -2.0], [0.0, 5.0, 0.0, 5.0]],
            [[10.0, 30.0, 20.0, 50.0], [-1.0, -9.0, -4.0, 0.0]],
            "test windows that swing far more than the training ones",
        ),
        (
            [[1.0, 3.0, 2.0], [0.0, -2.0, 4.0], [5.0, 5.0, 8.0]],
            [[2.0, 0.0, 7.0], [-3.0, 1.0, 1.0], [4.0, 9.0, 6.0]],
            "3 windows of 3 steps: as many windows as steps",
        ),
    ]:
        train, test = torch.tensor(train_rows), torch.tensor(test_rows)
        cases.append(_scaler_case(train, test, words, hint, generator))
    train = torch.randn(20, 6, generator=generator).cumsum(dim=1)
    test = 3 * torch.randn(5, 6, generator=generator).cumsum(dim=1) + 7
    cases.append(_scaler_case(train, test, "20 random-walk training windows, 5 wider test windows", hint, generator))
    return cases


def _scaler_case(train: torch.Tensor, test: torch.Tensor, words: str, hint: str, generator: torch.Generator) -> Case:
    scaled, scale = _scaled(train, test)
    outputs = torch.randn(test.shape, generator=generator)  # model outputs, one per step, in model units
    back = outputs * scale + _running_mean(test)  # the inverse's answer for `outputs`
    # windows the scaler never saw, of the test windows' shape: the inverse must read the windows it is given
    other = test.flip(dims=(1,)) + torch.randn(test.shape, generator=generator) * 2 + 1
    other_outputs = torch.randn(test.shape, generator=generator)
    tries = [
        ("test windows", test, outputs, back),
        (f"other windows {describe(other)}", other, other_outputs, other_outputs * scale + _running_mean(other)),
    ]
    train_inputs, test_inputs = train - _running_mean(train), test - _running_mean(test)

    def from_window_mean(w: torch.Tensor) -> torch.Tensor:
        return w - w.mean(dim=1, keepdim=True)

    def down_the_windows(w: torch.Tensor) -> torch.Tensor:  # a running mean over dim 0
        return w - w.cumsum(dim=0) / torch.arange(1, w.shape[0] + 1, dtype=w.dtype)[:, None]

    wrong = {
        "torch's .std() divides by n - 1 (correction=1, its default), as the exercise asks; "
        "yours divides by n": test_inputs / train_inputs.std(correction=0).item(),
        "the mean of the whole window includes values that step t has not read yet: a leak, as with the last "
        "value; use the mean of x[0] to x[t - 1]": from_window_mean(test) / from_window_mean(train).std().item(),
        "the running mean runs along the steps of each window (dim=1), not down the windows (dim=0)": (
            down_the_windows(test) / down_the_windows(train).std().item()
        ),
        "the scale is fitted on the training windows only, never on the windows being scaled": (
            test_inputs / test_inputs.std().item()
        ),
        "the scale is the spread of the training inputs, each value measured from its running mean, "
        "not of the raw training values": test_inputs / train.std().item(),
        "step 1's inputs are all 0, and they count in the standard deviation, as the exercise says": (
            test_inputs / train_inputs[:, 1:].std().item()
        ),
    }
    first = train - train[:, :1]
    wrong[
        "that measures every step from the window's first value (the start-relative scaler); here step t's "
        "reference is the mean of all the values read so far"
    ] = (test - test[:, :1]) / first.std().item()
    mistakes: dict[str, Any] = {text: (lambda got, w=w: _scaled_wrong(got, w)) for text, w in wrong.items()}
    mistakes["step t has read t values (steps count from 1): at step 1 the mean is x[0] itself, over a count of 1"] = (
        lambda got: not bool(torch.isfinite(got[0][:, 0]).all())
    )
    mistakes[
        "your inverse adds back the running means of the test windows, whatever windows it is handed: "
        "use its `windows` argument, so that it serves any windows, not only those you scaled"
    ] = lambda got: _inverse_gives(got, other, other_outputs, other_outputs * scale + _running_mean(test))
    return Case(words, (train, test), (scaled, back), hint, compare=_compare_scaler(tries), mistakes=mistakes)

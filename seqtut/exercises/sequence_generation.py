"""Checkers for notebook 04's exercises: a per-step head on time-first features, and per-step targets
of several values (`horizon`) with no target in the test split.

Neither is a call of seqtut: the package's LSTMs are batch-first, and its windowing functions take a
`horizon` or a `shift`, never both.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from seqtut.exercises.core import Case, checker, from_the_run, same

NOTEBOOK = "04_sequence_generation"


class _Calls:
    """A call counter shared by every copy of the head that holds it (the checker copies each input)."""

    def __init__(self) -> None:
        self.count = 0

    def __deepcopy__(self, memo: dict) -> _Calls:
        return self


class CountingLinear(nn.Linear):
    """An `nn.Linear` that counts how often it is called; shown to the learner as a plain `Linear`."""

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__(in_features, out_features)
        self.calls = _Calls()

    def forward(self, input: torch.Tensor) -> torch.Tensor:  # noqa: A002 - nn.Linear's own name
        self.calls.count += 1
        return super().forward(input)

    def _get_name(self) -> str:
        return "Linear"


def seeded_head(hidden: int, seed: int) -> CountingLinear:
    """A Linear(hidden, 1) with seeded weights, so a case is the same on every run, counting its calls."""
    torch.manual_seed(seed)
    return CountingLinear(hidden, 1)


def _one_call(calls: _Calls) -> Any:
    """A compare: the right (N, L) values, from exactly one call of the head."""

    def compare(expected: torch.Tensor, got: Any) -> str | None:
        problem = same(expected, got)
        if problem is None and calls.count != 1:
            times = "once" if calls.count == 1 else f"{calls.count} times"
            return f"the values are right, but `head` was called {times}; the exercise asks for one call"
        return problem

    return compare


@checker(
    hints=[
        "nn.Linear acts on the last dimension of whatever it is given: every other dimension is carried along.",
        "Apply the head to all of `features` at once, then drop the size-1 dimension it leaves, naming it. "
        "What remains is (L, N): steps first.",
        "Swapping two dimensions is a transpose (or permute), before or after the head. "
        "reshape and view only regroup the values in their order, last dimension fastest: they cannot swap axes.",
    ]
)
def time_first_head_cases() -> list[Case]:
    """The head at every step in one call: Linear(H, 1) and time-first features (L, N, H) -> (N, L)."""
    hint = "the answer is windows first, (N, L): row n is window n, column t - 1 is step t"
    cases = []
    for length, batch, hidden, words in [
        (4, 3, 2, "4 steps of 3 windows, 2 features"),
        (3, 3, 2, "as many steps as windows: a shape alone cannot tell (N, L) from (L, N)"),
        (5, 1, 3, "a batch of one window"),
        (1, 4, 2, "windows of a single step"),
        (1, 1, 3, "one window of one step"),
    ]:
        head = seeded_head(hidden, seed=batch * 10 + length)
        features = torch.randn(length, batch, hidden, generator=torch.Generator().manual_seed(length + batch))
        with torch.no_grad():
            per_step = torch.stack([nn.Linear.forward(head, features[t]) for t in range(length)])  # (L, N, 1)
        expected = per_step.squeeze(-1).T.contiguous()  # (N, L)
        calls = head.calls
        mistakes = {
            "a loop calls the head once per step or per window; nn.Linear takes every step and window at once, "
            "so one call will do": from_the_run(lambda calls=calls: calls.count > 1),
            "the head was not called: apply `head` itself (once), so that its own weights do the work": from_the_run(
                lambda calls=calls: calls.count == 0
            ),
            "your answer is time first, (L, N), as the features are: swap the two axes": expected.T,
            "reshape and view regroup the values in their order (steps first here) without moving any, "
            "so windows and steps get mixed up: swap the axes with a transpose": expected.T.reshape(batch, length),
            "squeeze() without a dimension drops every size-1 dimension, N or L too when either is 1; "
            "name the one to drop": lambda got: got.dim() < 2,
            "the head leaves a last dimension of size 1: drop it": lambda got: got.dim() == 3 and got.shape[-1] == 1,
        }
        cases.append(Case(words, (head, features), expected, hint, compare=_one_call(calls), mistakes=mistakes))
    return cases


def multi_horizon_pairs(
    series: torch.Tensor, window: int, horizon: int, test_start: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every window of `series` with, at each of its steps, the next `horizon` values; none from `test_start` on.

    Written with loops, step by step, so it shares nothing with a vectorised answer.
    """
    inputs, targets = [], []
    i = 0
    while i + window - 1 + horizon < test_start:  # the last step's last target: index i + window - 1 + horizon
        inputs.append(series[i : i + window])
        # step t (1..window) reads series[i + t - 1]; its targets are the `horizon` values after it
        targets.append(torch.stack([series[i + t : i + t + horizon] for t in range(1, window + 1)]))
        i += 1
    return torch.stack(inputs), torch.stack(targets)


def _shifted_targets(series: torch.Tensor, window: int, horizon: int, test_start: int, by: int) -> torch.Tensor:
    """The targets moved `by` steps along the series (by=-1: starting at the value each step reads)."""
    count = test_start - window - horizon + 1
    return torch.stack(
        [torch.stack([series[i + t + by : i + t + by + horizon] for t in range(1, window + 1)]) for i in range(count)]
    )


@checker(
    hints=[
        "Window i spans series[i] to series[i + window - 1]. Which index does the last step's last target reach?",
        "That index must stay below test_start: count the i that keep it so. "
        "Cutting the series at test_start first, then cutting windows, keeps every target out of the test split.",
        "The key function: Tensor.unfold(dimension, size, step) cuts every run of `size` consecutive values in "
        "one call. The pitfall: step t's targets start after the value step t reads, not after the window.",
    ]
)
def multi_horizon_pairs_cases() -> list[Case]:
    """Per-step targets of `horizon` values each: inputs (N, window), targets (N, window, horizon)."""
    hint = "targets[i, t - 1] holds the `horizon` values after series[i + t - 1], the value step t reads"
    squares = torch.arange(12, dtype=torch.float32) ** 2
    walk = torch.randn(9, generator=torch.Generator().manual_seed(4)).cumsum(0)
    hidden_test = squares.clone()
    hidden_test[9:] = float("nan")
    cases = []
    for series, window, horizon, test_start, words in [
        (torch.arange(10, dtype=torch.float32), 3, 2, 10, "the line 0..9, windows of 3, 2 values per step, no test"),
        (squares, 3, 1, 12, "squares 0, 1, ..., 121: one value per step, shift 1's targets in a last dimension of 1"),
        (hidden_test, 4, 3, 9, "squares whose test split, index 9 on, is NaN here: no NaN may reach the answer"),
        (walk, 3, 3, 9, "a random walk; horizon = window, so a shape alone cannot tell the last two axes apart"),
        (squares, 2, 2, 4, "only one window fits before the test split"),
    ]:
        expected = multi_horizon_pairs(series, window, horizon, test_start)
        count = len(expected[0])
        inputs, targets = expected
        mistakes = {
            "some targets reach into the test split (index test_start on): the last step's last target "
            "must come before it": lambda got, count=count: len(got[1]) > count or bool(torch.isnan(got[1]).any()),
            "step t has already read series[i + t - 1]: its targets start with the value after it": (
                inputs,
                _shifted_targets(series, window, horizon, test_start, by=-1),
            ),
            "targets[i, t - 1] is step t's row of `horizon` values: (N, window, horizon), not (N, horizon, window)": (
                inputs,
                targets.transpose(1, 2),
            ),
            "one window short: the last window whose targets all come before test_start counts too": (
                inputs[:-1],
                targets[:-1],
            ),
        }
        cases.append(Case(words, (series, window, horizon, test_start), expected, hint, mistakes=mistakes))
    return cases

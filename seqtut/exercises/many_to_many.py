"""Checkers for notebook 03's exercises: what a head never read, an AR(p)'s best forecast, a one-step model rolled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from seqtut.baselines import ar2_forecast
from seqtut.exercises.core import Case, any_of, checker, describe, from_the_run, same
from seqtut.series import ar2_series

NOTEBOOK = "03_many_to_many"


# 1. What the head never read ------------------------------------------------------------------------------------


def _as_steps(got: Any) -> list[int] | str:
    """A learner's step numbers as a list of ints (from a list, tuple, set, range or integer tensor), or the problem."""
    if isinstance(got, set | frozenset):  # order does not matter, and a set lists each step once
        got = list(got)  # in any order: `_same_steps` sorts them
    if isinstance(got, np.ndarray):
        got = torch.as_tensor(got)
    if isinstance(got, torch.Tensor):
        if got.numel() == 0 and got.dim() == 1:  # torch.tensor([]) is float32, yet it holds no wrong step
            got = got.long()
        if got.is_floating_point() or got.dtype == torch.bool or got.dim() > 1:
            dtype = str(got.dtype).removeprefix("torch.")
            return f"expected step numbers (integers), got a tensor {tuple(got.shape)} of dtype {dtype}"
        got = got.tolist()
    if isinstance(got, range):
        got = list(got)
    if not isinstance(got, list | tuple):
        return f"expected a list, tuple or set of step numbers, got {describe(got)}"
    if not all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in got):
        return f"expected step numbers (integers), got {describe(list(got))}"
    return [int(v) for v in got]


def _same_steps(expected: list[int], got: Any) -> str | None:
    """None when `got` lists exactly the expected steps, each once, in any order."""
    steps = _as_steps(got)
    if isinstance(steps, str):
        return steps
    if sorted(steps) == expected:
        return None  # in any order
    missing = [t for t in expected if t not in steps]
    extra = [t for t in steps if t not in expected]
    parts = ([f"missing {_few(missing)}"] if missing else []) + ([f"not expected {_few(extra)}"] if extra else [])
    return "; ".join(parts) or "a step is listed twice"


def _few(steps: list[int], shown: int = 8) -> str:
    """A list of steps, its middle elided when it is long: '[0, 1, 2, 3, …, 43, 44] (45 steps)'."""
    if len(steps) <= shown:
        return str(steps)
    head, tail = steps[: shown // 2], steps[-(shown // 2) :]
    return f"[{', '.join(map(str, head))}, …, {', '.join(map(str, tail))}] ({len(steps)} steps)"


def _sorted_steps(got: Any) -> list[int] | str:
    """A learner's step numbers, sorted (or the problem, as `_as_steps` says it): an answer in any order is the same."""
    steps = _as_steps(got)
    return sorted(steps) if isinstance(steps, list) else steps


def _steps_are(wrong: list[int]) -> Callable[[Any], bool]:
    """A test `answer -> bool`: the answer lists exactly `wrong` (a usual mistake's steps), in any order."""
    return any_of([sorted(wrong)], read=_sorted_steps)


@checker(
    hints=[
        "the output at step t comes after the LSTM has read x[:, 0], ..., x[:, t]; nothing later has reached it. "
        "The backward direction reads the window from its last step down: at step t it has read x[:, t] to the end",
        "a negative `read` counts from the end, as Python's indexing does: which step has the head read up to?",
        "the pitfalls: steps count from 0, so the last is length - 1; a head that reads the last step has read "
        "everything, and its answer is an empty list; backward, so has one that reads step 0",
    ]
)
def unseen_steps_cases() -> list[Case]:
    """The input steps `out[:, read]` of a one-layer LSTM never read: (length, read, backward) -> [steps].

    backward=False: a one-directional LSTM; backward=True: the backward half of a bidirectional one's output.
    """
    cases = []
    # Small windows first, none of them the notebook's: an answer written for its two heads (windows of 50,
    # reading -5 or -1) fails at once; the notebook's heads come after, as a check of the prediction. Then the
    # backward half of a bidirectional LSTM, the mirror image no cell above shows.
    for length, read, backward, words in [
        (8, -3, False, "windows of 8, a head reading out[:, -3]"),
        (8, 2, False, "windows of 8, a head reading step 2 (read >= 0)"),
        (50, -5, False, "the original's head: windows of 50, it reads out[:, -5]"),
        (50, -1, False, "our head: windows of 50, it reads out[:, -1]"),
        (8, 0, False, "windows of 8, a head reading the first step"),
        (6, -6, False, "windows of 6, read -6"),
        (12, 11, False, "windows of 12, read 11"),
        (8, 2, True, "windows of 8, the backward half of out[:, 2] (bidirectional)"),
        (8, -3, True, "windows of 8, the backward half of out[:, -3] (bidirectional)"),
        (50, -1, True, "windows of 50, the backward half of out[:, -1] (bidirectional)"),
        (6, 0, True, "windows of 6, the backward half of out[:, 0] (bidirectional)"),
    ]:
        at = read % length  # the step number the head reads
        expected = list(range(at)) if backward else list(range(at + 1, length))
        forward_answer, mirror_answer = list(range(at + 1, length)), list(range(at))
        mistakes: dict[str, Any] = {
            "number steps from 0, as tensors do: a window of `length` holds steps 0 to length - 1": _steps_are(
                [t + 1 for t in expected]
            ),
            "a negative `read` counts from the end, as in Python: -1 is step length - 1": lambda got: (
                isinstance(steps := _as_steps(got), list) and any(t < 0 for t in steps)
            ),
        }
        if backward:
            mistakes |= {
                "the backward output at step t has read x[:, t] too, as the forward one does": _steps_are(
                    list(range(at + 1))
                ),
                "the backward direction reads right to left, from the last step: at step t it has read steps t to "
                "length - 1, none before": _steps_are(forward_answer),
                "out[:, t] of a bidirectional LSTM has both halves; the backward half alone has not read the steps "
                "before t": _steps_are([]),
            }
        else:
            mistakes |= {
                "the output at step t has read x[:, t] too: an LSTM step takes in its input before it gives its "
                "output": _steps_are(list(range(at, length))),
                "a one-directional LSTM reads left to right: at step t it has read steps 0 to t, none after": (
                    _steps_are(mirror_answer)
                ),
            }
        if length != 50:  # the answer for the notebook's window of 50, whatever `length` is
            at_50 = read % 50
            mistakes["the window holds `length` steps, not the notebook's 50: work from `length` and `read`"] = (
                _steps_are(list(range(at_50)) if backward else list(range(at_50 + 1, 50)))
            )
        hint = (
            "the backward half of out[:, t] has read steps t to length - 1 and no earlier one"
            if backward
            else "out[:, t] has read steps 0 to t and no later one: which step is `read`, and which come after it?"
        )
        kwargs = {"backward": True} if backward else {}
        cases.append(Case(words, (length, read), expected, hint, kwargs=kwargs, compare=_same_steps, mistakes=mistakes))
    return cases


# 2. The best forecast of an AR(p) --------------------------------------------------------------------------------


def ar_recurrence(windows: torch.Tensor, steps: int, phis: list[float]) -> torch.Tensor:
    """x_t = phis[0] x_{t-1} + ... + phis[p-1] x_{t-p}, run `steps` times from each row's last p values."""
    values = list(windows[:, -len(phis) :].unbind(dim=1))  # oldest .. newest
    for _ in range(steps):
        values.append(sum(phi * values[-1 - j] for j, phi in enumerate(phis)))
    return torch.stack(values[len(phis) :], dim=1)


@checker(
    hints=[
        "only the last p values of each window matter: the recurrence makes the next value from the p before it",
        "the best forecast is the recurrence with its kicks set to their mean, 0; beyond the first step, "
        "the forecasts already made stand in for the values not yet seen",
        "the pitfall is the order: phis[0] multiplies the newest value, the window's last column, not its first",
    ]
)
def ar_forecast_cases() -> list[Case]:
    """The best forecast of an AR(p): its recurrence run without kicks: (N, L), steps, phis -> (N, steps)."""
    swing = ar2_series(16, seed=3)
    cases = []
    for windows, steps, phis, words in [
        (torch.tensor([[0.0, 2.0]]), 3, [0.5], "AR(1), phis [0.5]: each value half the one before"),
        (swing.view(2, 8), 6, [1.8, -0.95], "the notebook's AR(2), 2 windows of 8: ar2_forecast's values"),
        (torch.tensor([[1.0, -1.0, 2.0]]), 4, [0.5, 0.3, -0.2], "AR(3) on a window of exactly 3 values"),
        (torch.tensor([[4.0, 1.0, 2.0], [0.0, -3.0, 1.0]]), 3, [1.2, -0.5], "AR(2), another phi1 and phi2"),
        (
            torch.tensor([[9.0, 5.0, 0.0, 1.0, -2.0, 3.0]]),
            5,
            [0.2, 0.4, 0.1],
            "AR(3), a window of 6: only the last 3 count",
        ),
    ]:
        p = len(phis)
        right = ar_recurrence(windows, steps, phis)
        mistakes = {
            "phis[0] multiplies the newest value x_{t-1}; the last entry of phis the oldest, x_{t-p}": (
                ar_recurrence(windows, steps, phis[::-1])
            ),
            "start from each window's last p values, not its first": ar_recurrence(windows[:, :p], steps, phis),
            "each new value joins the values the next step reads: forecasts feed the recurrence": (
                right[:, :1].expand(-1, steps)
            ),
            "the first column is the value after the window, not the window's last value": torch.cat(
                [windows[:, -1:], right[:, :-1]], dim=1
            ),
        }
        hint = "run x_t = phis[0] x_{t-1} + ... + phis[p-1] x_{t-p} forward, each new value feeding the next"
        cases.append(Case(words, (windows, steps, phis), right, hint, mistakes=mistakes))
    assert torch.allclose(cases[1].expected, ar2_forecast(cases[1].args[0], 6))  # the package's p = 2 agrees
    return cases


# 3. A one-step model rolled forward -----------------------------------------------------------------------------


class OneStep:
    """A one-step model, `(N, L) -> (N,)`, that counts its calls and refuses windows of another length.

    The checker hands an instance to the learner's function; the count and the shapes it was called
    with are then read by the comparison. Copying the case's inputs keeps this very instance, and
    keeps the copy of `windows` the learner is handed (`handed`), so the comparison can tell whether
    the learner changed it in place.
    """

    def __init__(self, rule: Callable[[torch.Tensor], torch.Tensor], words: str, windows: torch.Tensor) -> None:
        self._rule, self.words, self.windows = rule, words, windows
        self.batch, self.length = windows.shape
        self.calls: list[tuple[int, ...]] = []
        self.handed: torch.Tensor | None = None  # the copy of `windows` the learner's function receives

    def __call__(self, windows: torch.Tensor) -> torch.Tensor:
        shape = tuple(windows.shape) if isinstance(windows, torch.Tensor) else type(windows).__name__
        self.calls.append(shape if isinstance(shape, tuple) else ())
        if not isinstance(windows, torch.Tensor) or windows.dim() != 2 or windows.shape[1] != self.length:
            raise ValueError(f"one_step reads windows (N, {self.length}): {self.length} values each, got {shape}")
        return self._rule(windows)

    def __deepcopy__(self, memo: dict) -> OneStep:
        # The learner's calls must be counted on the instance the comparison reads. The case's windows are
        # copied through the same memo (whichever argument is copied first), and that copy is kept.
        self.handed = memo.setdefault(id(self.windows), self.windows.clone())
        return self

    def __repr__(self) -> str:
        return f"a one-step model ({self.words}; it reads windows (N, {self.length}))"


def rolled(
    rule: Callable[[torch.Tensor], torch.Tensor],
    windows: torch.Tensor,
    steps: int,
    *,
    drop_newest: bool = False,
    prepend: bool = False,
) -> torch.Tensor:
    """`steps` forecasts, each `rule` applied to the window that ends with the forecasts so far.

    `drop_newest` and `prepend` give two usual mistakes: the forecast replaces the newest value, or
    it goes in front of the window (the newest value dropped).
    """
    forecasts = []
    for _ in range(steps):
        forecasts.append(rule(windows))
        new = forecasts[-1].unsqueeze(1)
        if prepend:
            windows = torch.cat([new, windows[:, :-1]], dim=1)
        else:
            windows = torch.cat([windows[:, :-1] if drop_newest else windows[:, 1:], new], dim=1)
    return torch.stack(forecasts, dim=1)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _counted(one_step: OneStep, steps: int) -> Callable[[torch.Tensor, Any], str | None]:
    """The comparison of case values, after checking that `one_step` was called once per step on the whole batch."""

    def compare(expected: torch.Tensor, got: Any) -> str | None:
        calls = one_step.calls
        if one_step.handed is not None and not torch.equal(one_step.handed, one_step.windows):
            return "your function changed `windows`, the caller's tensor, in place"
        if len(calls) != steps:
            return (
                f"one_step was called {_times(len(calls))} for {steps} steps: call it once per step, "
                f"on the whole batch of {one_step.batch} windows at once"
            )
        if any(shape[:1] != (one_step.batch,) for shape in calls):
            return (
                f"one_step was handed windows of shapes {calls}: "
                f"each call takes the whole batch of {one_step.batch} windows"
            )
        return same(expected, got)

    return compare


@checker(
    hints=[
        "keep a window of L values per row; after each call, it must end with the forecast just made",
        "picture the window sliding along the time axis, one step per forecast: as a value arrives, which one leaves?",
        "one_step gives (N,): to join it to the windows it needs a dimension of size 1 (unsqueeze, then torch.cat); "
        "for the (N, steps) answer, torch.stack(..., dim=1) adds that dimension itself",
    ]
)
def recursive_forecast_cases() -> list[Case]:
    """A one-step model rolled forward, each forecast fed back: one_step, (N, L), steps -> (N, steps)."""
    swing = ar2_series(12, seed=4)
    cases = []
    for rule, words, windows, steps, description in [
        (
            lambda w: 1.8 * w[:, -1] - 0.95 * w[:, -2],
            "the AR(2) equation, 1.8 x newest - 0.95 x the one before",
            swing.view(2, 6),
            5,
            "one_step is the notebook's equation: rolled 5 times it must give ar2_forecast's values",
        ),
        (
            lambda w: w.mean(dim=1),
            "the mean of the window",
            torch.tensor([[0.0, 4.0, 8.0, 12.0], [1.0, 1.0, 1.0, 5.0], [-2.0, 0.0, 2.0, 0.0]]),
            3,
            "one_step reads every value of the window",
        ),
        (
            lambda w: w[:, -1] - 0.5 * w[:, 0],
            "newest - 0.5 x oldest",
            torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]),
            5,
            "5 steps from windows of 3: the last windows hold forecasts only",
        ),
        (
            lambda w: w[:, -1] + 1.0,
            "newest + 1",
            torch.tensor([[3.0, 1.0], [0.0, 7.0], [2.0, 2.0], [5.0, -1.0]]),
            1,
            "one step only",
        ),
    ]:
        right = rolled(rule, windows, steps)
        first = rule(windows)
        one_step = OneStep(rule, words, windows)
        mistakes = {
            "leave `windows` as it was, the caller still needs it: each new window can be a new tensor": from_the_run(
                lambda one_step=one_step: (
                    one_step.handed is not None and not torch.equal(one_step.handed, one_step.windows)
                )
            ),
            "every forecast came from the same windows: each forecast must join the window the next call reads": (
                first.unsqueeze(1).expand(-1, steps)
            ),
            "drop the oldest value (column 0), not the newest: the window stays in time order": rolled(
                rule, windows, steps, drop_newest=True
            ),
            "the forecast is the newest value: it goes at the end of the window, not the start": rolled(
                rule, windows, steps, prepend=True
            ),
        }
        hint = "each call reads the latest L values: the window's last ones, then your forecasts so far"
        cases.append(
            Case(
                description,
                (one_step, windows, steps),
                right,
                hint,
                compare=_counted(one_step, steps),
                mistakes=mistakes,
            )
        )
    assert torch.allclose(cases[0].expected, ar2_forecast(cases[0].args[1], 5), atol=1e-5)  # the equation, rolled
    return cases

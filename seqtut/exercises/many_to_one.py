"""Checkers for notebook 01's exercises: windows whose target lies `ahead` steps on, a split in time
for them with no target in both sets, and a training loop that accumulates gradients over `k` batches.

Each asks for a variation the notebook does not display: it builds windows of the next value only,
with `window_splits` (whose code it never shows), and writes a loop that steps after every batch.
With `ahead` > 1 the test windows must start earlier, and the accumulating loop steps once per
group of batches: the checker counts `optimizer.step()` calls and compares the weights after the
last step, so the package's `train_step`, which steps after every batch, is rejected.
"""

from __future__ import annotations

import itertools
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from seqtut.exercises.core import Case, checker, same
from seqtut.lstm import ManyToOneLSTM

NOTEBOOK = "01_many_to_one"


# 1. Windows for a forecast `ahead` steps on ----------------------------------------------------------------------


def windows_ahead(series: torch.Tensor, window: int, ahead: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every window of `window` values with a value `ahead` steps after its last one: (N, window), (N, 1).

    Written as a loop over the windows, so it shares nothing with an answer: window i is
    series[i : i + window], its target series[i + window - 1 + ahead].
    """
    count = len(series) - window - ahead + 1
    if count <= 0:  # no window has its target inside the series
        return series.new_zeros(0, window), series.new_zeros(0, 1)
    inputs = torch.stack([series[i : i + window] for i in range(count)])
    targets = torch.stack([series[i + window - 1 + ahead : i + window + ahead] for i in range(count)])
    return inputs, targets


TOO_SHORT = (
    "when the series is too short for any window with its target (T < window + ahead), return empty tensors, "
    "(0, window) and (0, 1): a negative count slices windows off the end instead of keeping none"
)


def _counts_differ(answer: Any) -> bool:
    """A test for an answer with a number of inputs other than its number of targets (a negative count)."""
    inputs, targets = answer
    return len(inputs) != len(targets)


def _series(values: list[float]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float32)


def _window_mistakes(series: torch.Tensor, window: int, ahead: int) -> dict[str, Any]:
    """The usual wrong answers for these windows, each with its hint."""
    inputs, targets = windows_ahead(series, window, ahead)
    if len(inputs) == 0:  # too short for any window: only the count can go wrong
        return {TOO_SHORT: _counts_differ}
    wrong: dict[str, Any] = {
        "keep the target 2-D, (N, 1): the shape the model outputs": (inputs, targets[:, 0]),
        "return only the value `ahead` steps after the window, not every value up to it": (
            inputs,
            torch.stack([series[i + window : i + window + ahead] for i in range(len(inputs))]),
        ),
        "the target is the value `ahead` steps after the window's last one, not the one right after it": (
            windows_ahead(series, window, 1) if ahead > 1 else None
        ),
        "one step too far: with ahead = 1 the target is the value right after the window, index i + window": (
            windows_ahead(series, window, ahead + 1) if len(series) - window - ahead > 0 else None
        ),
        "the target lies after the window: the window's own last value is not it": (inputs, inputs[:, -1:]),
    }
    return {hint: value for hint, value in wrong.items() if value is not None}


@checker(
    hints=[
        "Write out the first window by hand: which indices does it cover, and at which index is its target? "
        "Then count the windows: the last one needs its target inside the series.",
        "Name each window by the index of its first value. Write the indices of its last value and of its "
        "target with that name, window and ahead; the last window is the one whose target is the series' last value.",
        "One call gives every window of a series as a sliding view: Tensor.unfold. The pitfall: its last "
        "windows have no value ahead of them, so keep as many windows as there are targets (none when the "
        "series is too short: unfold refuses a window longer than the series), and keep the targets 2-D.",
    ]
)
def windows_cases() -> list[Case]:
    """Windows (N, window) of a series (T,) and the value `ahead` steps after each one's last value (N, 1)."""
    hint = "write out the first window and its target by hand: the target lies `ahead` steps after its last value"
    cases = []
    for values, window, ahead, words in [
        ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 5, 1, "the line 0..6, windows of 5, the next value: two windows"),
        ([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0], 3, 2, "a series that is not a line, windows of 3, 2 steps ahead"),
        ([v * v / 10 for v in range(10)], 2, 4, "windows of 2, 4 steps ahead"),
        ([2.0, 7.0, 1.0, 8.0], 1, 3, "a single value, 3 steps ahead: one window"),
        ([5.0, 4.0, 3.0], 2, 1, "a series only one value longer than the window"),
        ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], 5, 3, "6 values, windows of 5, 3 steps ahead: no target, so no window"),
        ([3.0, 1.0, 4.0, 1.0], 5, 1, "4 values, windows of 5: not even one window"),
    ]:
        series = _series(values)
        expected = windows_ahead(series, window, ahead)
        mistakes = _window_mistakes(series, window, ahead)
        fitting = hint if len(expected[0]) else TOO_SHORT
        cases.append(Case(words, (series, window, ahead), expected, fitting, mistakes=mistakes))
    return cases


# 2. A split in time, no target in both sets ----------------------------------------------------------------------


def split_ahead(series: torch.Tensor, window: int, ahead: int, cut: int) -> tuple[tuple[torch.Tensor, ...], ...]:
    """Training windows of series[:cut]; test windows whose targets are series[cut:], their inputs before them.

    cut must be at least window - 1 + ahead (below it series[cut] has no full window): else a ValueError.
    """
    first_test_input = cut - (window - 1) - ahead  # the first test target's window starts here
    if first_test_input < 0:
        raise ValueError(f"cut = {cut} leaves series[cut] without a full window: needs cut >= {window - 1 + ahead}")
    return windows_ahead(series[:cut], window, ahead), windows_ahead(series[first_test_input:], window, ahead)


def _too_few_training(expected: Any) -> Any:
    """A test for an answer whose test part is right but whose training part stops early."""

    def matches(answer: Any) -> bool:
        (train_x, train_y), test = answer
        return same(expected[1], test) is None and 0 < len(train_y) < len(expected[0][1])

    return matches


@checker(
    hints=[
        "Cut the series, not the list of windows: which part may the training windows read, and where must "
        "the first test window start so that its target is series[cut]?",
        "Training: the windows of series[:cut], so every target lies before cut. Test: the first target is "
        "series[cut]; its window ends `ahead` steps before it.",
        "The idea: split the series, not the windows, and let your windows function do the rest. The pitfall: "
        "the test part must begin early enough to give the first test target its full window, which depends on "
        "ahead as well as on window.",
    ]
)
def split_windows_cases() -> list[Case]:
    """Windows split in time at index `cut`: training targets before it, test targets series[cut:]."""
    hint = "no training target may lie at index `cut` or later, and the test targets are exactly series[cut:]"
    cases = []
    for length, window, ahead, cut, words in [
        (12, 3, 1, 8, "12 values, windows of 3, the next value, cut at 8"),
        (20, 5, 3, 15, "20 values, windows of 5, 3 steps ahead, cut at 15"),
        (10, 4, 2, 6, "a cut that leaves one training window"),
        (9, 2, 1, 8, "a cut that leaves one test target"),
        (20, 5, 3, 7, "20 values, windows of 5, 3 ahead, cut at 7 = window - 1 + ahead, allowed: no training window"),
    ]:
        series = (torch.arange(length, dtype=torch.float32) ** 2) / 10  # not a line: every value differs in steps
        expected = split_ahead(series, window, ahead, cut)
        every = windows_ahead(series, window, ahead)
        wrong = {
            "cutting the list of windows at `cut` keeps windows whose targets lie at `cut` or later in training "
            "(a leak): cut the series, not the list": (
                (every[0][:cut], every[1][:cut]),
                (every[0][cut:], every[1][cut:]),
            ),
            "the first test window reads values before the cut: start the test series window - 1 + ahead values "
            "before it": (expected[0], windows_ahead(series[cut:], window, ahead)),
            "a window ends `ahead` steps before its target: with ahead > 1 the test series starts earlier than "
            "cut - window": (expected[0], windows_ahead(series[cut - window :], window, ahead)),
            "no training target may lie at index `cut`: the training windows come from series[:cut]": (
                windows_ahead(series[: cut + 1], window, ahead),
                expected[1],
            ),
        }
        mistakes = {h: v for h, v in wrong.items() if _shapes_allow(v)}
        mistakes[
            "your first test target lies before `cut`, where the training targets are (a leak): the test targets "
            "are exactly series[cut:], so start the test series window - 1 + ahead values before the cut, no earlier"
        ] = _test_starts_before(series, cut)
        mistakes[
            "too few training windows: keep every window whose target lies before `cut` (the last one's "
            "target is series[cut - 1])"
        ] = _too_few_training(expected)
        cases.append(Case(words, (series, window, ahead, cut), expected, hint, mistakes=mistakes))
    series = (torch.arange(20, dtype=torch.float32) ** 2) / 10
    cases.append(
        Case(
            "20 values, windows of 5, 3 steps ahead, cut at 6: series[6] has no full window (it needs cut >= 7)",
            (series, 5, 3, 6),
            None,
            "below cut = window - 1 + ahead the first test window would start before index 0: raise a ValueError",
            raises=ValueError,
        )
    )
    return cases


def _test_starts_before(series: torch.Tensor, cut: int) -> Any:
    """A test for an answer whose first test target is a value before `cut` (one a training target may hold)."""

    def matches(answer: Any) -> bool:
        test_targets = answer[1][1].reshape(-1)
        return len(test_targets) > 0 and bool((series[:cut] == test_targets[0]).any())

    return matches


def _shapes_allow(value: Any) -> bool:
    """False for a usual wrong answer that could not be built for this case (an empty slice)."""
    return all(part.numel() > 0 for pair in value for part in pair)


# 3. Accumulating gradients ---------------------------------------------------------------------------------------


class Batches:
    """A few (x, y) batches to loop over, as a DataLoader gives them (iterable, with `len`), described in one line."""

    def __init__(self, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        self.batches = batches

    def __iter__(self):
        return iter(self.batches)

    def __len__(self) -> int:
        return len(self.batches)

    def __repr__(self) -> str:
        x, _ = self.batches[0]
        sizes = ", ".join(str(len(x)) for x, _ in self.batches)
        return f"{len(self.batches)} batch(es) of x (N, {x.shape[1]}, 1), y (N, 1); N = {sizes}"


STEPS: dict[int, dict[str, Any]] = {}  # a case's token -> the steps its optimizer took and the weights after the last
_TOKENS = itertools.count()


class _Counted:
    """An optimizer that records, under its case's token, how often `step` ran and the weights after the last.

    The token lives in `defaults`, which survives the copy the checker makes of a case's inputs
    (an optimizer's own attributes do not: `Optimizer.__getstate__` keeps its state only).
    """

    def step(self, closure: Any = None) -> Any:
        result = super().step(closure)  # type: ignore[misc]
        record = STEPS.setdefault(self.defaults["checker_token"], {"steps": 0})  # type: ignore[attr-defined]
        record["steps"] += 1
        record["weights"] = [p.detach().cpu().clone() for group in self.param_groups for p in group["params"]]  # type: ignore[attr-defined]
        return result


class SGD(_Counted, torch.optim.SGD):
    """torch.optim.SGD, its steps counted for the checker."""


class Adam(_Counted, torch.optim.Adam):
    """torch.optim.Adam, its steps counted for the checker."""


class Watched(ManyToOneLSTM):
    """ManyToOneLSTM that records, under its case's token, the most windows it was given at once, and whether
    a batch's forward pass came before the previous batch's backward (its graph kept: not accumulation)."""

    token: int

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        record = STEPS.setdefault(self.token, {"steps": 0})
        record["widest"] = max(record.get("widest", 0), len(x))
        record["kept"] = record.get("kept", False) or record.get("pending", False)
        out = super().forward(x)
        if out.requires_grad:
            record["pending"] = True

            def backward_reached(grad: torch.Tensor) -> None:
                record["pending"] = False

            out.register_hook(backward_reached)
        return out

    def _get_name(self) -> str:  # its repr reads as the package's model
        return "ManyToOneLSTM"


def _training_setup(seed: int, optimizer: str, lr: float, sizes: list[int], scale: float) -> tuple:
    """A tiny seeded model, its (counted) optimizer and batches of `sizes` windows (L=5), targets far from 0."""
    torch.manual_seed(seed)
    model = Watched(hidden_size=3)
    opt = SGD(model.parameters(), lr=lr) if optimizer == "SGD" else Adam(model.parameters(), lr=lr)
    opt.defaults["checker_token"] = model.token = next(_TOKENS)
    data = Batches([(torch.randn(n, 5, 1), scale * torch.randn(n, 1) + scale) for n in sizes])
    return model, data, opt


def accumulate(
    model: nn.Module, batches: Batches, optimizer: torch.optim.Optimizer, clip: float, k: int, *, mistake: str = ""
) -> tuple[list[float], int]:
    """One pass, a step per group of `k` batches (or as a usual `mistake` does it): each batch's MSE, the steps.

    Each batch's MSE is weighted by its share of its group's samples, so that the summed gradient is
    that of the MSE over all the group's samples: one batch as large as the group.
    """
    losses, steps = [], 0
    everything = list(batches)
    size = 1 if mistake == "step every batch" else k
    model.train()
    for start in range(0, len(everything), size):
        group = everything[start : start + size]
        samples = sum(len(x) for x, _ in group)
        optimizer.zero_grad()
        for x, y in group:
            if mistake == "zero_grad every batch":
                optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            weight = {"no weighting": 1.0, "equal weights": 1 / len(group)}.get(mistake, len(x) / samples)
            (loss * weight).backward()
            if mistake == "clip every batch":
                nn.utils.clip_grad_norm_(model.parameters(), clip)
            losses.append(loss.item() * (weight if mistake == "report the weighted loss" else 1))
        if mistake != "no clip":
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        steps += 1
    return losses, steps


ACCUMULATION_MISTAKES = {
    "step every batch": "the step comes once per group of k batches, after the group's last backward",
    "no weighting": "k backward calls add k gradients: weight each batch's MSE by its share of the group's "
    "samples, so that the step follows the MSE over all of them",
    "equal weights": "batches differ in size: weight each batch's MSE by its share of the group's samples "
    "(its N over the group's total), not by 1 over the number of batches",
    "zero_grad every batch": "zero_grad once per group, before its first batch: zeroing before every batch throws "
    "away the gradients of the group's earlier batches",
    "clip every batch": "clip once per group, the summed gradient, just before the step",
    "no clip": "clip the group's summed gradient to norm `clip` (clip_grad_norm_) once, after its last backward "
    "and before the step",
    "report the weighted loss": "return each batch's own MSE, not the weighted loss",
}


def _accumulation_compare(
    token: int,
    steps: int,
    weights: list[torch.Tensor],
    k: int,
    mistaken: dict[str, list[torch.Tensor]],
    widest: int,
) -> Any:
    """A compare that checks the model's batches, how often the loop stepped, the losses, then the weights it left.

    `mistaken` maps a usual mistake's hint to the weights that mistake leaves: when the losses are right
    but the weights are not (a mistake in the last group's step), the report names the mistake they match.
    """

    def close(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
        return len(a) == len(b) and all(torch.allclose(x, y, atol=1e-5, rtol=1e-4) for x, y in zip(a, b, strict=True))

    def compare(expected: Any, got: Any) -> str | None:
        record = STEPS.pop(token, {"steps": 0})
        if record.get("kept"):
            return (
                "your loop ran a batch's forward pass before the previous batch's backward, so every graph of the "
                "group stays in memory: call backward once per batch, right after its loss"
            )
        if record.get("widest", 0) > widest:
            return (
                f"your loop gave the model {record['widest']} windows at once, more than any batch holds "
                f"({widest}): accumulation exists so that a group never has to fit in memory; run each batch alone"
            )
        if record["steps"] != steps:
            return (
                f"your loop called optimizer.step() {record['steps']} time(s) for {len(expected)} batches in groups "
                f"of k = {k}: expected {steps}, once per group"
            )
        problem = same(expected, got)
        if problem is not None:
            return f"the losses: {problem}"
        if not close(record["weights"], weights):
            named = next((hint for hint, wrong in mistaken.items() if close(record["weights"], wrong)), None)
            cause = f": {named}" if named else " (how the last group's losses are weighted, when it clips)"
            return f"the losses are right, but the weights after your last step are not{cause}"
        return None

    return compare


@checker(
    hints=[
        "Count the batches as you go: a group ends after its k-th batch, or after the last batch of all.",
        "backward adds to the .grad already there, so one backward per batch sums a group's gradients; clear "
        "them once per group, before its first batch.",
        "The idea: a group's gradient is the sum of its batches' backward passes, so each batch's loss must "
        "carry its share of the group's windows. The pitfall: the last group may be short, so know a group's "
        "size before its first backward; clip and step once, after the whole group.",
    ]
)
def accumulated_loop_cases() -> list[Case]:
    """One pass in groups of k batches: zero_grad; per batch, MSE × its share of the samples, backward; clip, step."""
    hint = "one zero_grad, one clip and one step per group; every batch's MSE measured before its group's step"
    cases = []
    for seed, optimizer, lr, sizes, scale, clip, k, words in [
        (2, "SGD", 0.1, [4, 4], 1.0, 100.0, 2, "2 batches, k = 2: one step"),
        (
            0,
            "SGD",
            0.5,
            [4, 2, 3, 4],
            1.0,
            100.0,
            2,
            "4 batches of different sizes in 2 groups, a clip that never acts",
        ),
        (3, "SGD", 0.1, [4, 4, 4, 4, 2], 1.0, 100.0, 2, "5 batches in groups of 2: the last group holds one batch"),
        (0, "SGD", 0.5, [4, 4, 4, 4, 4, 3], 3.0, 1.0, 3, "6 batches in 2 groups, gradients larger than the clip of 1"),
        (1, "Adam", 0.1, [3, 4, 4, 1], 3.0, 0.5, 4, "4 batches, k = 4, Adam, clip 0.5"),
        (4, "SGD", 0.1, [4, 4, 4], 1.0, 100.0, 1, "k = 1: a step per batch, as in the notebook's loop"),
    ]:
        model, data, opt = _training_setup(seed, optimizer, lr, sizes, scale)
        reference = _training_setup(seed, optimizer, lr, sizes, scale)
        expected, steps = accumulate(*reference[:3], clip, k)
        weights = [p.detach().clone() for p in reference[0].parameters()]
        STEPS.pop(reference[2].defaults["checker_token"], None)
        mistakes, mistaken = {}, {}
        for mistake, words_of_mistake in ACCUMULATION_MISTAKES.items():
            wrong_setup = _training_setup(seed, optimizer, lr, sizes, scale)
            wrong, _ = accumulate(*wrong_setup[:3], clip, k, mistake=mistake)
            STEPS.pop(wrong_setup[2].defaults["checker_token"], None)
            if same(expected, wrong) is not None:
                mistakes[words_of_mistake] = wrong
            else:  # the same losses: only the weights after the last step can tell
                mistaken[words_of_mistake] = [p.detach().clone() for p in wrong_setup[0].parameters()]
        compare = _accumulation_compare(opt.defaults["checker_token"], steps, weights, k, mistaken, max(sizes))
        cases.append(Case(words, (model, data, opt, clip, k), expected, hint, compare=compare, mistakes=mistakes))
    return cases

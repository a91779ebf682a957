"""Checkers for notebook 02's exercises: inputs alike for a window at any level and steepness, and
the indices of the stationary bootstrap (Politis & Romano 1994), whose runs have random lengths.

Both ask for a variation the notebook does not display. Its relative inputs remove a window's
level but not its steepness, so `RelativeScaler` fails the first checker, which tests properties
(alike, different, finite, from each window alone) rather than one formula: any scaler with those
properties passes. Its bootstrap draws runs of one fixed length; the second checker reads thousands of
rows and tests what runs of geometric length show: how often they wrap, where they start, how often a
new one begins and how long they are, each count against its expectation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from seqtut.exercises.core import Case, checker

NOTEBOOK = "02_extrapolation"


# 1. Alike at any level and steepness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """What a case expects of the inputs, in words (the report prints it as the expected value)."""

    words: str

    def __repr__(self) -> str:
        return self.words


def _rows(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


def _size(tensor: torch.Tensor) -> float:
    return max(1.0, tensor.abs().max().item())


def _tensor(got: Any) -> Any:
    """A NumPy answer as a tensor (judged like one); anything else unchanged."""
    return torch.as_tensor(got) if isinstance(got, np.ndarray) else got


def _inputs_problem(got: Any, windows: torch.Tensor) -> str | None:
    """None when `got` is a finite float tensor (N, L, 1), else what is wrong."""
    got = _tensor(got)
    if not isinstance(got, torch.Tensor):
        return f"expected a tensor, got {type(got).__name__}"
    shape = (*windows.shape, 1)
    if tuple(got.shape) != shape:
        return f"expected inputs of shape {shape}, one feature per step as the LSTM reads them; got {tuple(got.shape)}"
    if not got.is_floating_point():
        return f"expected a float tensor, got dtype {str(got.dtype).removeprefix('torch.')}"
    if not bool(torch.isfinite(got).all()):
        row = int((~torch.isfinite(got)).any(dim=(1, 2)).nonzero()[0])
        return f"the inputs of window {row} are not finite (NaN or infinity)"
    return None


def _same_row(a: torch.Tensor, b: torch.Tensor) -> bool:
    return bool(torch.allclose(a.double(), b.double(), rtol=1e-3, atol=1e-3 * max(_size(a), _size(b))))


EXACT = 2e-6  # "exactly", in float32: right answers put the line 1e-8 a step within 1.5e-7 of the line's inputs


def _row_gap(a: torch.Tensor, b: torch.Tensor) -> float:
    """The largest difference between rows `a` and `b`, relative to `b`'s largest size."""
    return ((a.double() - b.double()).abs().max() / b.double().abs().max().clamp(min=1e-300)).item()


MEMO: dict[int, torch.Tensor] = {}  # a run of the checker -> the inputs the line 0, 1, ..., 5 got in case 1
_RUNS = itertools.count()


def _shape_compare(
    windows: torch.Tensor, kind: str, run: int | None, names: list[str], exact: int | None = None
) -> Callable[[Any, Any], str | None]:
    """A compare for one case: rows alike ("alike"), pairwise different ("distinct") or finite only ("finite").

    A case whose row 0 is the line 0, 1, ..., 5 (`run` given) also checks that it gets the inputs it
    got in case 1, in another batch: each window's inputs come from that window alone. Row `exact`,
    a window whose spread is just above 1e-8, must match row 0 to within `EXACT` (float32's rounding),
    not only 1e-3: a guard may not change it at all.
    """

    def compare(expected: Any, got: Any) -> str | None:
        problem = _inputs_problem(got, windows)
        if problem is not None:
            return problem
        got = _tensor(got).double()
        if kind == "alike":
            for row in range(1, len(got)):
                if not _same_row(got[row], got[0]):
                    return f"{names[row]} got other inputs than {names[0]}"
        if kind == "distinct":
            for i in range(len(got)):
                for j in range(i):
                    if _same_row(got[i], got[j]):
                        return f"{names[i]} got the same inputs as {names[j]}, though it is not a·w + b of it (a > 0)"
        if exact is not None and (gap := _row_gap(got[exact], got[0])) > EXACT:
            return (
                f"{names[exact]}'s inputs differ from {names[0]}'s by {gap:.1e} of their size: its spread is above "
                "1e-8, so the guard must leave it exactly as it would be without one"
            )
        if run is not None:
            first = MEMO.setdefault(run, got[0].clone())
            if not _same_row(got[0], first):
                return (
                    f"{names[0]} got other inputs here than in case 1, in another batch: each window's inputs may "
                    "use that window only"
                )
        return None

    return compare


def _global_affine(windows: torch.Tensor) -> Callable[[Any], bool]:
    """A test for the usual mistake of one scale and shift for the whole batch: got = a·windows + b."""

    def test(got: Any) -> bool:
        x, y = windows.flatten().double(), _tensor(got).flatten().double()
        design = torch.stack([x, torch.ones_like(x)], dim=1)
        fit = torch.linalg.lstsq(design, y.unsqueeze(1)).solution
        residual = (design @ fit - y.unsqueeze(1)).abs().max().item()
        return residual < 1e-4 * _size(y) and abs(fit[0].item()) > 1e-6  # a = 0 (a constant answer) is another mistake

    return test


def _proportional_to_steepness(windows: torch.Tensor) -> Callable[[Any], bool]:
    """A test for the usual mistake of a level removed but not steepness: rows ∝ each window's range."""

    def test(got: Any) -> bool:
        got = _tensor(got)
        spans = (windows.max(dim=1).values - windows.min(dim=1).values).double()
        if (spans == 0).any() or len(set(spans.tolist())) == 1:
            return False
        shapes = got[:, :, 0].double() / spans.unsqueeze(1)
        return all(_same_row(row, shapes[0]) for row in shapes[1:]) and not _rows_alike(got)

    return test


def _not_finite(got: Any) -> bool:
    got = _tensor(got)
    return isinstance(got, torch.Tensor) and got.is_floating_point() and not bool(torch.isfinite(got).all())


def _rows_alike(got: Any) -> bool:
    got = _tensor(got)
    return isinstance(got, torch.Tensor) and got.dim() == 3 and all(_same_row(row, got[0]) for row in got[1:])


def _two_rows_alike(got: Any) -> bool:
    got = _tensor(got)
    rows = range(len(got)) if isinstance(got, torch.Tensor) and got.dim() == 3 else ()
    return any(_same_row(got[i], got[j]) for i in rows for j in range(i))


def _blown_up(windows: torch.Tensor) -> Callable[[Any], bool]:
    """A test for a signed divisor floored at 1e-8 where it is negative or 0: inputs of 1e5 and more."""

    def test(got: Any) -> bool:
        got = _tensor(got)
        return isinstance(got, torch.Tensor) and got.is_floating_point() and bool((got.abs() > 1e5).any())

    return test


def _floor_added(windows: torch.Tensor) -> Callable[[Any], bool]:
    """A test for an epsilon added to the spread or the variance (RevIN's, `layer_norm`'s): where every window is
    a·w + b of one shape, each row is the steepest window's row shrunk, the more so the smaller its spread."""
    x = windows.double()
    spans = x.max(dim=1).values - x.min(dim=1).values
    reference = int(spans.argmax())
    design = torch.stack([x[reference], torch.ones_like(x[reference])], dim=1)  # (L, 2): row = a·reference + b
    fits = torch.linalg.lstsq(design.expand(len(x), -1, -1), x.unsqueeze(2)).solution  # (N, 2, 1)
    residual = ((design @ fits).squeeze(2) - x).abs().max().item()
    one_shape = residual < 1e-6 * _size(x) and bool((fits[:, 0, 0] > 0).all()) and bool((spans > 0).all())

    def test(got: Any) -> bool:
        rows = _tensor(got)[:, :, 0].double()
        steepest = rows[reference]
        if not one_shape or not bool(steepest.abs().max() > 0):
            return False
        factors = rows @ steepest / (steepest @ steepest)  # each row ≈ factor × the steepest window's row
        order = spans.argsort()
        return (
            all(_same_row(row, factor * steepest) for row, factor in zip(rows, factors))
            and bool(((factors > 0) & (factors <= 1 + 1e-6)).all())
            and bool((factors < 1 - EXACT).any())
            and bool((factors[order].diff() >= -1e-6).all())  # smaller spread, more shrunk
            and not _same_row(factors, spans / spans.max())  # shrunk in proportion to the spread: no scale at all
        )

    return test


SHAPE_MISTAKES = {
    "some inputs are huge: a divisor that can be negative or 0 in a window that is not constant (last minus "
    "first, the first or last step) was floored at 1e-8 there; divide by a size that is positive for every window that "
    "is not constant, such as a spread": _blown_up,
    "one scale and shift for the whole batch leaves each window's level and size in its inputs: measure from a "
    "value of each window, and divide by a size measured in that window": _global_affine,
    "measured from the last value alone, a window twice as steep gets inputs twice as large: divide by a size "
    "measured in the window itself": _proportional_to_steepness,
    "an epsilon added to the spread or the variance (RevIN and layer_norm add 1e-5 to the variance), or a floor "
    "above 1e-8, shrinks the inputs of a window whose spread is small: keep the divisor finite with a floor, "
    "clamp(min=1e-8), which changes only a window whose spread is below it": _floor_added,
}
NOT_FINITE = "a constant window makes a spread of 0: keep your divisor at least 1e-8"
ALL_ALIKE = "windows of different shapes must get different inputs: yours lose what tells them apart"


@checker(
    hints=[
        "Which numbers stay the same when a window w becomes w + b? And when it becomes a·w, a > 0? "
        "Remove the level first, then the steepness: both with numbers taken from the same window.",
        "Differences between values of one window are immune to the shift, as in the relative inputs. For the "
        "steepness, a single step such as w[1] − w[0] is no scale: two values of a window can be equal (a step "
        "of 0), and a step can be negative.",
        "Which size of a window, measured over all its values, grows by a with a·w + b whatever its shape? What "
        "is it for a constant window, and how does a division by it stay finite there without changing any "
        "other window?",
    ]
)
def shape_inputs_cases() -> list[Case]:
    """Inputs (N, L, 1) alike for w and a·w + b (a > 0), different for other shapes, finite, from each window alone."""
    MEMO.clear()
    run = next(_RUNS)  # this run of the checker: case 1 records the line's inputs for the later cases
    line, zigzag = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 2.0, 1.0, 3.0, 2.0, 5.0]
    falling, down_at_the_end, bump = (
        [5.0, 4.0, 3.0, 2.0, 1.0, 0.0],
        [0.0, 2.0, 1.0, 3.0, 4.0, 2.0],
        [0.0, 2, 3, 1, 0, 0],
    )
    step = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    the_line = "window 0 (the line 0, 1, ..., 5)"
    # (b, a): a·line + b; the last, 1e-8 a step at 0 (float32 resolves it), has a spread just above 1e-8 by any
    # measure over its values (std 1.87e-8, range 5e-8): a guard that acts above 1e-8 changes it, and it is
    # compared with the line tightly, so that an epsilon of 1e-12 added to its std (a change of 5e-5) shows
    lines = [(0.0, 1.0), (500.0, 1.0), (1500.0, 3.0), (-20.0, 0.5), (900.0, 10.0), (0.5, 0.001), (0.0, 1e-8)]
    ways = [(0.0, 1.0), (100.0, 4.0), (-7.0, 0.5), (1200.0, 10.0)]  # (b, a): a·window + b, for the other shapes

    def alike(name: str, shape: list[float], words: str) -> Case:
        return _shape_case(
            words,
            _rows([[b + a * v for v in shape] for b, a in ways]),
            "alike",
            None,
            [f"window {i} ({name} × {a:g} + {b:g})" for i, (b, a) in enumerate(ways)],
        )

    return [
        _shape_case(
            "one line at 7 levels and steepnesses, down to 1e-8 a step (a spread just above 1e-8)",
            _rows([[b + a * v for v in line] for b, a in lines]),
            "alike",
            run,
            [the_line] + [f"window {i} (the line × {a:g} + {b:g})" for i, (b, a) in enumerate(lines)][1:],
            exact=len(lines) - 1,
        ),
        alike("the falling line", falling, "a falling line, 5, 4, ..., 0, at 4 levels and steepnesses"),
        alike("the zigzag", zigzag, "a zigzag, stretched and shifted 4 ways"),
        alike("the zigzag", down_at_the_end, "a zigzag whose last step falls, stretched and shifted 4 ways"),
        alike("the bump", bump, "a bump that ends where it began, flat at the end, stretched and shifted 4 ways"),
        alike("the step", step, "a step that begins flat, 0, 0, 0, 1, 1, 1, stretched and shifted 4 ways"),
        _shape_case(
            "7 windows of different shapes: a line, a parabola, a zigzag, a step, a rise that levels off, a fall, "
            "the line with its first two values swapped",
            _rows(
                [
                    line,
                    [v * v for v in line],
                    zigzag,
                    step,
                    [0.0, 3.0, 4.0, 4.5, 4.7, 4.8],
                    falling,
                    [1.0, 0.0, 2.0, 3.0, 4.0, 5.0],  # the line's values in another order: time order matters
                ]
            ),
            "distinct",
            run,
            [
                the_line,
                "window 1 (a parabola)",
                "window 2 (a zigzag)",
                "window 3 (a step)",
                "window 4 (a rise that levels off)",
                "window 5 (the falling line)",
                "window 6 (the line, its first two values swapped)",
            ],
        ),
        _shape_case(
            "the line, a constant window and a zigzag",
            _rows([line, [7.0] * 6, zigzag]),
            "finite",
            run,
            [the_line, "window 1 (constant)", "window 2 (a zigzag)"],
        ),
        _shape_case(
            "windows of 2 values, rising: every one is a line",
            _rows([[0.0, 1.0], [5.0, 9.0], [3.0, 3.5], [-100.0, 50.0]]),
            "alike",
            None,
            ["window 0 (0, 1)", "window 1 (5, 9)", "window 2 (3, 3.5)", "window 3 (-100, 50)"],
        ),
    ]


def _shape_case(
    words: str, windows: torch.Tensor, kind: str, run: int | None, names: list[str], exact: int | None = None
) -> Case:
    """A case of the first exercise: `kind` says what the rows must be; `run` is given where row 0 is the line;
    row `exact` must match row 0 to float32's rounding (see `_shape_compare`)."""
    shape = (*windows.shape, 1)
    wanted = {"alike": "every row the same", "distinct": "no two rows the same", "finite": "all finite"}[kind]
    mistakes: dict[str, Any] = {NOT_FINITE: _not_finite}
    mistakes.update({hint: test(windows) for hint, test in SHAPE_MISTAKES.items()})
    if kind == "distinct":
        mistakes[ALL_ALIKE] = _two_rows_alike
    return Case(
        words,
        (windows,),
        Wanted(f"inputs {shape}, {wanted}"),
        "each row must depend on the window's shape only: not on its level, its steepness or the other windows",
        compare=_shape_compare(windows, kind, run, names, exact),
        mistakes=mistakes,
    )


# 2. The stationary bootstrap ---------------------------------------------------------------------------------------

SIGMAS = 6.0  # how far a count may stray from its expectation, in standard deviations (plus 3), before it fails


def _as_indices(got: Any) -> torch.Tensor | None:
    if isinstance(got, np.ndarray):
        got = torch.as_tensor(got)
    if isinstance(got, torch.Tensor) and got.dim() == 2 and not got.is_floating_point() and got.dtype != torch.bool:
        return got.long()
    return None


def _float_indices(got: Any) -> bool:
    if isinstance(got, np.ndarray):
        return got.dtype.kind == "f"
    return isinstance(got, torch.Tensor) and got.is_floating_point()


def _far(observed: float, expected: float, spread: float) -> bool:
    return abs(observed - expected) > SIGMAS * spread + 3


def _jump_rate(n: int, mean: float) -> float:
    """The chance that an index is not the one after the index before it (mod n): a new run, not by chance (n - 1)/n."""
    return (n - 1) / (n * mean)


@dataclass(frozen=True)
class Runs:
    """What a stationary-bootstrap answer shows, read from its indices alone."""

    rows: int
    jumps: torch.Tensor  # (rows, n - 1) bool: index j + 1 is not index j plus 1 (mod n), so a new run began
    starts: torch.Tensor  # the index at column 0 of each row and after each jump: a new run's start
    wraps: int  # how often n - 1 was followed by 0

    @classmethod
    def read(cls, indices: torch.Tensor, n: int) -> Runs:
        jumps = indices[:, 1:] != (indices[:, :-1] + 1) % n
        starts = torch.cat([indices[:, 0], indices[:, 1:][jumps]])
        wraps = int(((indices[:, :-1] == n - 1) & (indices[:, 1:] == 0)).sum())
        return cls(len(indices), jumps, starts, wraps)

    def gaps(self, longest: int) -> np.ndarray:
        """How many times two jumps in one row lie k = 1..longest columns apart: the runs between them."""
        rows, columns = np.nonzero(self.jumps.numpy())
        apart = np.diff(columns)[np.diff(rows) == 0]
        return np.bincount(apart, minlength=longest + 1)[1 : longest + 1]


def _expected_wraps(n: int, block: float, rows: int) -> float:
    """Each index is n - 1 with chance 1/n; 0 follows if its run goes on, or if a new run starts at 0."""
    p = 1 / block
    return rows * (n - 1) / n * ((1 - p) + p / n)


def _read(got: Any, n: int) -> Runs | None:
    indices = _as_indices(got)
    if indices is None or indices.shape[1] != n or bool((indices < 0).any() or (indices >= n).any()):
        return None
    return Runs.read(indices, n)


def _fixed_lengths(n: int, block: float) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        runs = _read(got, n)
        if runs is None or block != int(block) or block < 2 or not bool(runs.jumps.any()):
            return False
        columns = runs.jumps.nonzero()[:, 1] + 1  # the column where each new run begins
        return bool((columns % int(block) == 0).all())

    return test


def _no_wrap(n: int, block: float) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        runs = _read(got, n)
        expected = _expected_wraps(n, block, runs.rows) if runs is not None else 0.0
        return runs is not None and expected >= 30 and runs.wraps < 0.15 * expected  # new runs that start at 0 only

    return test


def _starts_stop_early(n: int, block: float) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        runs = _read(got, n)
        return runs is not None and block == int(block) and 1 < block < n and int(runs.starts.max()) <= n - block

    return test


def _mean_length(mean: Callable[[float], float]) -> Callable[[int, float], Callable[[Any], bool]]:
    """A test for runs that average `mean(block)` indices instead of `block`."""

    def make(n: int, block: float) -> Callable[[Any], bool]:
        def test(got: Any) -> bool:
            runs = _read(got, n)
            if runs is None or mean(block) <= 1 or abs(mean(block) - block) < 0.5:
                return False
            positions = runs.jumps.numel()
            q = _jump_rate(n, mean(block))
            return not _far(int(runs.jumps.sum()), positions * q, math.sqrt(positions * q * (1 - q)))

        return test

    return make


def _same_rows(n: int, block: float) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        indices = _as_indices(got)
        return indices is not None and len(indices) > 1 and bool((indices == indices[0]).all())

    return test


STATIONARY_MISTAKES: dict[str, Callable[[int, float], Callable[[Any], bool]]] = {
    "every row is a resample of its own: draw new lengths and starts for each row": _same_rows,
    "your runs all have length block, as in the notebook's circular bootstrap: here each run's length is random, "
    "geometric with mean block": _fixed_lengths,
    "your runs are too long: they average about block + 1 indices, not block. If you added 1 to "
    "Tensor.geometric_'s draws, drop it: it already draws 1, 2, ... (P(k) = (1 - p)^(k - 1)·p)": _mean_length(
        lambda block: block + 1
    ),
    "your runs average about block / (block - 1) indices: a new run begins with probability 1/block at each "
    "position, not 1 - 1/block": _mean_length(lambda block: block / (block - 1) if block > 1 else 0.0),
    "no run starts after window n - block: a start may be any window from 0 to n - 1, since runs wrap": (
        _starts_stop_early
    ),
    "hardly any run goes on from window n - 1 to window 0: a run that reaches the last window wraps to the first": (
        _no_wrap
    ),
}


@dataclass(frozen=True)
class Stationary:
    """What the stationary-bootstrap checker expects, in words."""

    n: int
    block: float
    resamples: int

    def __repr__(self) -> str:
        return (
            f"integer indices ({self.resamples}, {self.n}): runs of consecutive windows wrapping from {self.n - 1} "
            f"to 0, lengths geometric with mean {self.block:g}, each run starting anywhere from 0 to {self.n - 1}"
        )


def _stationary_compare(n: int, block: float, resamples: int) -> Callable[[Any, Any], str | None]:
    """Checks the answer's structure, then what thousands of its runs show: wraps, starts, jumps, lengths."""

    def compare(expected: Any, got: Any) -> str | None:
        if _float_indices(got):
            return "expected integer indices (torch.randint gives int64), got floats"
        indices = _as_indices(got)
        if indices is None:
            return f"expected an integer tensor ({resamples}, {n}), got {type(got).__name__}"
        if tuple(indices.shape) != (resamples, n):
            return f"expected shape ({resamples}, {n}): a row per resample, n indices a row; got {tuple(indices.shape)}"
        if bool((indices < 0).any() or (indices >= n).any()):
            return f"indices must lie in 0..{n - 1}; got one at {int(indices[(indices < 0) | (indices >= n)][0])}"
        if resamples > 1 and bool((indices == indices[0]).all()):
            return "every row is the same: each resample draws its own runs"
        runs = Runs.read(indices, n)
        wraps = _expected_wraps(n, block, resamples)
        if wraps >= 30 and _far(runs.wraps, wraps, math.sqrt(wraps)):
            return (
                f"in {resamples} rows, a run went on from window {n - 1} to window 0 {runs.wraps} times, where about "
                f"{wraps:.0f} would: a run that reaches the last window goes on at the first"
            )
        counts = torch.bincount(runs.starts, minlength=n).double()
        mean = counts.mean().item()
        if mean >= 20 and bool((counts == 0).any()):
            never = int((counts == 0).nonzero()[0])
            return (
                f"in {len(runs.starts)} runs, none starts at window {never}: every start from 0 to {n - 1} is possible"
            )
        uneven = [i for i, count in enumerate(counts.tolist()) if _far(count, mean, math.sqrt(mean * (1 - 1 / n)))]
        if uneven:
            i = uneven[0]
            return (
                f"in {len(runs.starts)} runs, {int(counts[i])} start at window {i}, where about {mean:.0f} would: "
                f"each start from 0 to {n - 1} should be equally likely"
            )
        positions, q = runs.jumps.numel(), _jump_rate(n, block)
        jumps = int(runs.jumps.sum())
        if _far(jumps, positions * q, math.sqrt(positions * q * (1 - q))):
            return (
                f"a new run began at {jumps / positions:.3f} of the positions after the first, where runs of mean "
                f"length {block:g} give {q:.3f} (a new run with probability 1/block, unless it starts where the "
                "last one would have gone on)"
            )
        longest = next((k for k in range(1, n - 1) if (n - 1 - k) * q * q * (1 - q) ** (k - 1) * resamples < 10), n - 2)
        for k, count in enumerate(runs.gaps(longest).tolist(), start=1):
            wanted = resamples * (n - 1 - k) * q * q * (1 - q) ** (k - 1)
            if _far(count, wanted, math.sqrt(wanted * (1 + 2 * q))):
                return (
                    f"{count} runs of exactly {k} indices lie between two others, where about {wanted:.0f} would: "
                    f"a run's length k should have the chance (1 - p)^(k - 1)·p, p = 1/{block:g}"
                )
        return None

    return compare


@checker(
    hints=[
        "Walk along a row: each next index either goes on with the current run (one more, wrapping from n - 1 "
        "to 0) or begins a new run at a random window. How often must a run begin for runs to average block?",
        "A run begins at position 0, then at each later position with probability p = 1/block; its lengths "
        "are then 1, 2, ... with chance (1 - p)^(k - 1)·p, mean block. Each start is drawn evenly from 0 to n - 1.",
        "Without a Python loop: draw where runs begin and a start for every position; each position then needs "
        "the position where its run began, which a running maximum (torch.cummax) finds. If you draw lengths "
        "instead: Tensor.geometric_ counts from 1, torch.distributions.Geometric from 0, and geometric_ refuses "
        "p = 1 (block = 1), where every run has length 1.",
    ]
)
def stationary_indices_cases() -> list[Case]:
    """The stationary bootstrap: (n, block, resamples) -> indices (resamples, n), runs of geometric length, wrapping."""
    hint = (
        "runs of consecutive windows that wrap, lengths geometric with mean block, starts drawn evenly from 0 to n - 1"
    )
    cases = []
    for n, block, resamples, words in [
        (100, 6, 2000, "100 windows, mean run length 6, the notebook's block"),
        (20, 5, 3000, "20 windows, mean run length 5"),
        (30, 10, 2000, "30 windows, mean run length 10: many runs wrap"),
        (40, 2.5, 2000, "40 windows, mean run length 2.5: it need not be a whole number"),
        (50, 1, 1000, "mean run length 1: every index a run of its own, an ordinary bootstrap"),
    ]:
        mistakes: dict[str, Any] = {"indices are integers (torch.randint gives int64), not floats": _float_indices}
        mistakes.update({hint_of: make(n, block) for hint_of, make in STATIONARY_MISTAKES.items()})
        compare = _stationary_compare(n, block, resamples)
        cases.append(
            Case(
                words, (n, block, resamples), Stationary(n, block, resamples), hint, compare=compare, mistakes=mistakes
            )
        )
    return cases

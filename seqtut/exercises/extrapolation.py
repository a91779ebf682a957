"""Checkers for notebook 02's exercises: inputs alike for a window at any level and steepness, and
the indices of Künsch's block bootstrap, whose runs never wrap.

Both ask for a variation the notebook does not display. Its relative inputs remove a window's
level but not its steepness, so `RelativeScaler` fails the first checker, which tests properties
(alike, different, finite, from each window alone) rather than one formula: any scaler with those
properties passes. Its bootstrap wraps its runs around the end; the second checker reads thousands of
rows and tests what a non-wrapping run looks like and where its starts fall.
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


MEMO: dict[int, torch.Tensor] = {}  # a run of the checker -> the inputs the line 0, 1, ..., 5 got in case 1
_RUNS = itertools.count()


def _shape_compare(
    windows: torch.Tensor, kind: str, run: int | None, names: list[str]
) -> Callable[[Any, Any], str | None]:
    """A compare for one case: rows alike ("alike"), pairwise different ("distinct") or finite only ("finite").

    A case whose row 0 is the line 0, 1, ..., 5 (`run` given) also checks that it gets the inputs it
    got in case 1, in another batch: each window's inputs come from that window alone.
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
                        return f"{names[i]} got the same inputs as {names[j]}, a window of another shape"
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


SHAPE_MISTAKES = {
    "one scale and shift for the whole batch leaves each window's level and size in its inputs: measure from a "
    "value of each window, and divide by a size measured in that window": _global_affine,
    "measured from the last value alone, a window twice as steep gets inputs twice as large: divide by a size "
    "measured in the window itself": _proportional_to_steepness,
}
NOT_FINITE = "a constant window makes a spread of 0: keep your divisor at least 1e-8"
ALL_ALIKE = "windows of different shapes must get different inputs: yours lose what tells them apart"


@checker(
    hints=[
        "Which numbers stay the same when a window w becomes w + b? And when it becomes a·w, a > 0? "
        "Differences between values of one window are immune to the shift.",
        "Measure each value from a value of the same window, as the relative inputs do, then divide by a size "
        "measured in that window: its spread, or the distance between two of its values.",
        "For example: each value minus the window's last, divided by the window's standard deviation (dim=1, "
        "kept at least 1e-8), then a feature dimension of size 1 at the end.",
    ]
)
def shape_inputs_cases() -> list[Case]:
    """Inputs (N, L, 1) alike for w and a·w + b (a > 0), different for other shapes, finite, from each window alone."""
    MEMO.clear()
    run = next(_RUNS)  # this run of the checker: case 1 records the line's inputs for the later cases
    line, zigzag = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 2.0, 1.0, 3.0, 2.0, 5.0]
    the_line = "window 0 (the line 0, 1, ..., 5)"
    lines = [(0.0, 1.0), (500.0, 1.0), (1500.0, 3.0), (-20.0, 0.5), (900.0, 10.0)]  # (b, a): a·line + b
    zigzags = [(0.0, 1.0), (100.0, 4.0), (-7.0, 0.5), (1200.0, 10.0)]
    return [
        _shape_case(
            "one line at 5 levels and steepnesses",
            _rows([[b + a * v for v in line] for b, a in lines]),
            "alike",
            run,
            [the_line] + [f"window {i} (the line × {a:g} + {b:g})" for i, (b, a) in enumerate(lines)][1:],
        ),
        _shape_case(
            "a zigzag, stretched and shifted 4 ways",
            _rows([[b + a * v for v in zigzag] for b, a in zigzags]),
            "alike",
            None,
            [f"window {i} (the zigzag × {a:g} + {b:g})" for i, (b, a) in enumerate(zigzags)],
        ),
        _shape_case(
            "5 windows of different shapes: a line, a parabola, a zigzag, a step, a rise that levels off",
            _rows(
                [line, [v * v for v in line], zigzag, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0], [0.0, 3.0, 4.0, 4.5, 4.7, 4.8]]
            ),
            "distinct",
            run,
            [
                the_line,
                "window 1 (a parabola)",
                "window 2 (a zigzag)",
                "window 3 (a step)",
                "window 4 (a rise that levels off)",
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


def _shape_case(words: str, windows: torch.Tensor, kind: str, run: int | None, names: list[str]) -> Case:
    """A case of the first exercise: `kind` says what the rows must be; `run` is given where row 0 is the line."""
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
        compare=_shape_compare(windows, kind, run, names),
        mistakes=mistakes,
    )


# 2. Blocks that never wrap ---------------------------------------------------------------------------------------


def _chunks(got: torch.Tensor, block: int) -> list[torch.Tensor]:
    """A row's runs: columns [j·block, (j + 1)·block), the last one cut at n."""
    n = got.shape[1]
    return [got[:, start : min(start + block, n)] for start in range(0, n, block)]


def _starts(got: torch.Tensor, block: int) -> torch.Tensor:
    return torch.cat([chunk[:, 0] for chunk in _chunks(got, block)])


def _as_indices(got: Any) -> torch.Tensor | None:
    if isinstance(got, np.ndarray):
        got = torch.as_tensor(got)
    if isinstance(got, torch.Tensor) and got.dim() == 2 and not got.is_floating_point() and got.dtype != torch.bool:
        return got.long()
    return None


def _wraps(n: int, block: int) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        got = _as_indices(got)
        return got is not None and any(bool((chunk.diff(dim=1) == -(n - 1)).any()) for chunk in _chunks(got, block))

    return test


def _never_the_last_start(n: int, block: int) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        got = _as_indices(got)
        return got is not None and n > block and int(_starts(got, block).max()) == n - block - 1

    return test


def _piled_on_the_last_start(n: int, block: int) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        got = _as_indices(got)
        if got is None or n == block:
            return False
        starts = _starts(got, block)
        return int(starts.max()) == n - block and (starts == n - block).float().mean().item() > 2 / (n - block + 1)

    return test


def _only_multiples(n: int, block: int) -> Callable[[Any], bool]:
    def test(got: Any) -> bool:
        got = _as_indices(got)
        return got is not None and block > 1 and bool((_starts(got, block) % block == 0).all())

    return test


def _float_indices(got: Any) -> bool:
    if isinstance(got, np.ndarray):
        return got.dtype.kind == "f"
    return isinstance(got, torch.Tensor) and got.is_floating_point()


BLOCK_MISTAKES: dict[str, Callable[[int, int], Callable[[Any], bool]]] = {
    "that is the notebook's circular version: here no run wraps from the last window to the first; draw each "
    "start from 0 to n - block": _wraps,
    "no run ever starts at n - block: torch.randint's upper end is exclusive, so high is n - block + 1": (
        _never_the_last_start
    ),
    "a run may start at any window, overlapping others (Künsch's moving blocks), not only at multiples of block": (
        _only_multiples
    ),
    "starts pile up at n - block: draw them evenly from 0 to n - block instead of clamping larger ones": (
        _piled_on_the_last_start
    ),
}


@dataclass(frozen=True)
class Blocks:
    """What the block checker expects, in words."""

    n: int
    block: int
    resamples: int

    def __repr__(self) -> str:
        return (
            f"integer indices ({self.resamples}, {self.n}): runs of {self.block} consecutive windows, each starting "
            f"anywhere from 0 to {self.n - self.block}, never wrapping"
        )


def _blocks_compare(n: int, block: int, resamples: int) -> Callable[[Any, Any], str | None]:
    """Checks the structure of every row, then where the starts fall over all rows."""

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
        for j, chunk in enumerate(_chunks(indices, block)):
            broken = (chunk.diff(dim=1) != 1).any(dim=1)
            if bool(broken.any()):
                row = int(broken.nonzero()[0])
                return (
                    f"row {row}, run {j} (columns {j * block}..{j * block + chunk.shape[1] - 1}) is not consecutive "
                    f"windows: {chunk[row].tolist()}"
                )
        starts = _starts(indices, block)
        last = n - block
        if last > 0 and resamples > 1 and bool((indices == indices[0]).all()):
            return "every row is the same: each resample draws its own starts"
        if int(starts.max()) > last:
            return f"a run starts at window {int(starts.max())}: beyond {last}, it runs past the last window"
        counts = torch.bincount(starts, minlength=last + 1).double()
        never = (counts == 0).nonzero().flatten().tolist()
        if never:
            where = f"in {len(starts)} runs, none starts at window {never[0]}"
            return f"{where}: every start from 0 to {last} must be possible"
        mean = counts.mean().item()
        spread = 6 * math.sqrt(mean * (1 - 1 / (last + 1))) + 2
        uneven = ((counts - mean).abs() > spread).nonzero().flatten().tolist()
        if uneven:
            s = uneven[0]
            return (
                f"in {len(starts)} runs, {int(counts[s])} start at window {s}, where about {mean:.0f} would: "
                f"each start from 0 to {last} should be equally likely"
            )
        return None

    return compare


@checker(
    hints=[
        "A row needs ceil(n / block) runs; each run is block consecutive indices from its own start.",
        "Starts range from 0 to n - block, both included, so that start + block - 1 never passes n - 1: "
        "torch.randint's upper end (high) is exclusive.",
        "Draw a (resamples, runs) tensor of starts, add torch.arange(block) to each start (one more dimension, "
        "broadcast), lay each row's runs end to end and keep its first n indices.",
    ]
)
def block_indices_cases() -> list[Case]:
    """Künsch's moving-block bootstrap: (n, block, resamples) -> indices (resamples, n), runs that never wrap."""
    hint = "each run: block consecutive windows from a start drawn evenly from 0 to n - block"
    cases = []
    for n, block, resamples, words in [
        (20, 5, 2000, "20 windows, blocks of 5: 4 runs a row"),
        (23, 6, 2000, "23 windows, blocks of 6: the last run of each row is cut to 5"),
        (100, 6, 2000, "100 windows, blocks of 6, as in the notebook"),
        (7, 1, 3000, "blocks of 1: single windows, an ordinary bootstrap"),
        (10, 10, 50, "one block as long as the series: every row is 0..9"),
    ]:
        mistakes: dict[str, Any] = {"indices are integers (torch.randint gives int64), not floats": _float_indices}
        mistakes.update({hint_of: make(n, block) for hint_of, make in BLOCK_MISTAKES.items()})
        compare = _blocks_compare(n, block, resamples)
        cases.append(
            Case(words, (n, block, resamples), Blocks(n, block, resamples), hint, compare=compare, mistakes=mistakes)
        )
    return cases

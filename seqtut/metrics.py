"""Held-out errors: forecast metrics (MAE, RMSE, MAPE, sMAPE) and token metrics (exact match, accuracy).

Forecasts and targets are (N, H) tensors in series units; decoded sequences are lists of token lists.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
from torch import nn

from seqtut.checks import positive_int
from seqtut.tokens import Seq2SeqDataset


def _same_shape(
    predictions: torch.Tensor, targets: torch.Tensor, names: tuple[str, str] = ("predictions", "targets")
) -> tuple[torch.Tensor, torch.Tensor]:
    """Both as float tensors, or a ValueError naming the caller's arguments (`names`) if their shapes differ."""
    predictions, targets = torch.as_tensor(predictions).float(), torch.as_tensor(targets).float()
    if predictions.shape != targets.shape:
        raise ValueError(
            f"{names[0]}: expected shape {tuple(targets.shape)} like {names[1]}, got {tuple(predictions.shape)}"
        )
    if targets.numel() == 0:
        raise ValueError(f"{names[1]}: expected at least one value, got an empty tensor")
    return predictions, targets


def _same_count(predicted: Sequence[Sequence[int]], expected: Sequence[Sequence[int]], *, empty: bool = False) -> None:
    """A ValueError unless `predicted` holds as many sequences as `expected` (at least one unless `empty`)."""
    if not expected and not empty:
        raise ValueError("expected: expected at least one sequence, got none")
    if len(predicted) != len(expected):
        raise ValueError(f"predicted: expected {len(expected)} sequences (as in expected), got {len(predicted)}")


def mae_per_step(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean absolute error at each horizon step: (N, H), (N, H) -> (H,)."""
    predictions, targets = _same_shape(predictions, targets)
    return (predictions - targets).abs().mean(dim=0)


def mape(predictions: torch.Tensor, targets: torch.Tensor) -> float:
    """Mean absolute percentage error, in %: mean(|prediction - target| / |target|) * 100 (targets must not be 0)."""
    predictions, targets = _same_shape(predictions, targets)
    if (targets == 0).any():
        raise ValueError("targets: MAPE divides by every target, got a target of 0 (use MAE or sMAPE)")
    return ((predictions - targets).abs() / targets.abs()).mean().item() * 100


def smape(predictions: torch.Tensor, targets: torch.Tensor) -> float:
    """Symmetric MAPE, in %: mean(2 |prediction - target| / (|prediction| + |target|)) * 100."""
    predictions, targets = _same_shape(predictions, targets)
    scale = predictions.abs() + targets.abs()  # 0 only where both are 0: a perfect forecast, error 0
    return (2 * (predictions - targets).abs() / scale.where(scale > 0, torch.ones_like(scale))).mean().item() * 100


ROUGH_BLOCKS = 10
"""Fewer blocks than this in the data (N / block) make a rough interval (`Difference.rough`)."""


@dataclass
class Metrics:
    """Held-out errors in series units: overall MAE and RMSE, and MAE per horizon step."""

    mae: float
    rmse: float
    mae_per_step: list[float]

    def __str__(self) -> str:
        return f"MAE {self.mae:.4f}, RMSE {self.rmse:.4f}"


def metrics(predictions: torch.Tensor, targets: torch.Tensor) -> Metrics:
    """Compare forecasts with targets, both (N, H) in series units."""
    predictions, targets = _same_shape(predictions, targets)
    per_step = mae_per_step(predictions, targets)
    rmse = (predictions - targets).pow(2).mean().sqrt().item()
    return Metrics(per_step.mean().item(), rmse, [round(v, 6) for v in per_step.tolist()])


def exact_match(predicted: Sequence[Sequence[int]], expected: Sequence[Sequence[int]]) -> float:
    """Fraction of sequences decoded exactly right, length included."""
    _same_count(predicted, expected)
    return sum(list(p) == list(e) for p, e in zip(predicted, expected)) / len(expected)


def token_accuracy(predicted: Sequence[Sequence[int]], expected: Sequence[Sequence[int]]) -> float:
    """Fraction of expected tokens matched at the same position (missing tokens count as wrong)."""
    _same_count(predicted, expected)
    hits = sum(p == e for pred, exp in zip(predicted, expected) for p, e in zip(pred, exp))
    total = sum(len(e) for e in expected)
    if total == 0:
        raise ValueError("expected: every expected sequence is empty, so there is no token to score")
    return hits / total


def first_error_positions(predicted: Sequence[Sequence[int]], expected: Sequence[Sequence[int]]) -> list[int | None]:
    """For each pair, the first position where the decoded tokens go wrong (None if exact)."""
    _same_count(predicted, expected, empty=True)
    positions: list[int | None] = []
    for pred, exp in zip(predicted, expected):
        wrong = [i for i, (p, e) in enumerate(zip(pred, exp)) if p != e]
        positions.append(wrong[0] if wrong else (None if len(pred) == len(exp) else min(len(pred), len(exp))))
    return positions


@torch.no_grad()
def teacher_forced_accuracy(model: nn.Module, dataset: Seq2SeqDataset, batch_size: int = 256) -> float:
    """Next-token accuracy when the decoder is fed the true previous tokens (PAD excluded)."""
    positive_int(batch_size, "batch_size")
    model.eval()
    device = next(model.parameters()).device
    hits = total = 0
    for start in range(0, len(dataset), batch_size):
        src, tgt = (t.to(device) for t in dataset[list(range(start, min(start + batch_size, len(dataset))))])
        predicted = model(src, tgt[:, :-1]).argmax(dim=-1)  # (N, T-1)
        real = tgt[:, 1:] != dataset.vocab.pad_id
        hits += (predicted == tgt[:, 1:])[real].sum().item()
        total += real.sum().item()
    return hits / total


def mean_and_sd(member_maes: Sequence[float]) -> str:
    """'mean ± sd' of per-seed errors (sd with n - 1; 0 for one seed)."""
    if len(member_maes) == 0:
        raise ValueError("member_maes: expected at least one error, got none")
    sd = statistics.stdev(member_maes) if len(member_maes) > 1 else 0.0
    return f"{statistics.mean(member_maes):.1f} ± {sd:.1f}"


@dataclass(frozen=True)
class Difference:
    """A paired difference of errors, mean(a - b) over N test windows, with a bootstrap interval at `level`.

    The verdict reads the interval: below 0, a's errors are clearly lower; above 0, clearly
    higher; across 0, "no clear difference" (these windows cannot separate the two, which is
    not the same as showing them equal). With fewer than 10 blocks in the data (N / block < 10)
    the interval is rough, and likely too narrow (block-bootstrap variance estimates are biased
    downward with few blocks; notebook 03 measures one case), and `str` says so.
    """

    mean: float
    low: float
    high: float
    block: int
    n: int
    level: float = 0.95
    means: torch.Tensor | None = field(default=None, compare=False, repr=False)  # the resampled means
    first_runs: torch.Tensor | None = field(default=None, compare=False, repr=False)  # resample 0's run starts

    @property
    def clear(self) -> bool:
        """True when the interval excludes 0: the data tell the two apart at this level."""
        return self.low > 0 or self.high < 0

    @property
    def blocks(self) -> float:
        """How many blocks the N windows hold: N / block."""
        return self.n / self.block

    @property
    def rough(self) -> bool:
        """True with fewer than `ROUGH_BLOCKS` (10) blocks: too few for the percentiles to be more than rough.

        Percentile intervals from few blocks tend to be too narrow: they cover the true mean less often
        than `level` says, so a rough interval that excludes 0 is weak evidence. Many blocks do not
        cure it all: blocks as long as window + horizon can be shorter than the dependence of the
        errors (notebook 03 measures 88 % coverage from 60 blocks of 55 for a nominal 95 %).
        """
        return self.blocks < ROUGH_BLOCKS

    @property
    def verdict(self) -> str:
        """'below 0' (a clearly lower), 'above 0' (a clearly higher) or 'no clear difference'."""
        return "below 0" if self.high < 0 else "above 0" if self.low > 0 else "no clear difference"

    def __str__(self) -> str:
        rough = f"; rough: {self.blocks:.3g} blocks of {self.block}, likely too narrow" if self.rough else ""
        return f"{self.mean:+.4g} ({100 * self.level:.0f} % interval {self.low:+.4g} to {self.high:+.4g}{rough})"


def paired_difference(
    errors_a: torch.Tensor, errors_b: torch.Tensor, *, block: int, resamples: int = 2000, seed: int = 0
) -> Difference:
    """Mean of `errors_a - errors_b` (N,), one error per test window, with a circular block bootstrap interval.

    Sliding windows overlap, so neighbouring differences are correlated, and an ordinary bootstrap,
    which treats them as independent, misstates the uncertainty: its interval is too narrow when
    they correlate positively on balance, too wide when negatively (drift minus last value on a
    noisy line, notebook 02). Resampling runs of `block` consecutive windows keeps that
    correlation (Künsch 1989, for a stationary, weakly dependent sequence of differences).
    Windows fewer than window + horizon apart share a value. A run keeps two windows k apart
    together with probability 1 - k / block (k < block); pairs cut at a run's edge are treated as
    independent, with the same effect, and with few blocks (N / block < 10) the percentiles run
    narrow too. One resample lays runs end to end until it holds N windows (the
    last run cut short) and takes their mean; each run starts at an independent random window,
    so runs may overlap, and a run that passes the last window wraps around to the first (the
    circular block bootstrap of Politis & Romano 1992): every window then has the same chance
    of being drawn at each position, so the resampled means centre on the mean itself. The interval is the 2.5th to
    97.5th percentile of `resamples` such means.
    """
    a, b = _same_shape(errors_a, errors_b, ("errors_a", "errors_b"))
    if a.ndim != 1 or len(a) < 2:
        raise ValueError(f"errors_a: expected a 1-D tensor of at least 2 errors, got shape {tuple(a.shape)}")
    positive_int(block, "block")
    positive_int(resamples, "resamples")
    difference = (a - b).double()  # (N,)
    n, block = len(difference), min(block, len(difference))
    blocks = -(-n // block)  # runs per resample (ceiling division); the last one is cut short
    starts = torch.randint(0, n, (resamples, blocks), generator=torch.Generator().manual_seed(seed))
    lengths = torch.full((blocks,), block)
    lengths[-1] = n - (blocks - 1) * block  # so that every resample holds exactly N windows
    circle = torch.cat([difference, difference[: block - 1]])  # a run past the end wraps to the start
    # The sum of a run is a difference of two prefix sums: memory (resamples, blocks), not (resamples, N).
    prefix = torch.cat([difference.new_zeros(1), circle.cumsum(0)])  # prefix[i] = sum of the first i
    means = (prefix[starts + lengths] - prefix[starts]).sum(dim=1) / n  # (resamples,)
    low, high = torch.quantile(means, torch.tensor([0.025, 0.975], dtype=torch.float64)).tolist()
    return Difference(
        difference.mean().item(), low, high, block, n, means=means, first_runs=starts[0].clone()
    )  # a copy: a view would keep all of `starts` alive


def part_means_spread(differences: torch.Tensor, parts: int, width: float) -> tuple[torch.Tensor, float, bool]:
    """The trend screen: split (N,) differences, in window order, into `parts` consecutive parts and compare.

    Returns the part means (parts,), the threshold sqrt(parts) * `width` and whether the spread of the
    part means (largest minus smallest) exceeds it. `width` is the width of the whole set's interval
    (`Difference.high - Difference.low`). A part holds about N / parts of the windows, so under
    stationary noise its mean is about sqrt(parts) times as noisy as the whole set's, and its interval
    about sqrt(parts) times as wide; the threshold is a rule of thumb built on that, not a test with a
    set false-alarm rate (notebook 02 measures the rate on noise). Beyond it, the differences change
    with the position (a trend, or another shift), or depend over more windows than a block holds: no
    interval with this block is valid (it assumes stationary differences; under a trend the mean gap
    also depends on the period tested). Longer dependence may admit one with longer blocks, if the
    screen then passes. Within it, the screen finds no change with the position (it can miss one: with 3
    to 5 parts and few blocks it is a rough screen). Parts differ in size by at most one window
    (`torch.tensor_split`).
    """
    values = torch.as_tensor(differences).double()
    positive_int(parts, "parts")
    if values.ndim != 1 or parts < 2 or len(values) < parts:
        raise ValueError(
            f"differences: expected a 1-D tensor of at least parts >= 2 values, got shape "
            f"{tuple(values.shape)} and parts={parts}"
        )
    if isinstance(width, bool) or not isinstance(width, int | float) or not math.isfinite(width) or width < 0:
        raise ValueError(f"width: expected a finite number >= 0, got {width!r}")
    means = torch.stack([part.mean() for part in torch.tensor_split(values, parts)])  # (parts,)
    threshold = math.sqrt(parts) * width
    return means, threshold, bool((means.max() - means.min()).item() > threshold)


def screen_ratio(differences: torch.Tensor, parts: int, width: float) -> float:
    """The trend screen as one number: the spread of the `parts` part means ÷ its threshold (`part_means_spread`).

    Above 1, the screen flags the differences; with a threshold of 0 (an interval of width 0), 0 if the
    part means are equal, else infinity.
    """
    means, threshold, _ = part_means_spread(differences, parts, width)
    spread = (means.max() - means.min()).item()
    return spread / threshold if threshold > 0 else 0.0 if spread == 0 else math.inf

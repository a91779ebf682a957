"""03 · Many-to-many: a window of the line -> the next `horizon` values at once (notebook 03_many_to_many).

Also the notebook's plumbing for the noisy AR(2) series: `last_minus_floor_mean` (a true mean known
exactly), `interval_coverage` (how often bootstrap intervals like the notebook's contain it),
`print_mae_table` and `plot_mae_per_step`; `thin_symlog_ticks` for the line's loss plot; and
`TrendScreens` (with `screen_ratio`), notebook 02's rule in both its parts, the interval and the
trend screen, for every comparison notebooks 03 and 05 judge by it, and the checks of its reports.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import torch

from seqtut.baselines import ar2_forecast
from seqtut.claims import claim, claim_every
from seqtut.lstm import ManyToManyLSTM
from seqtut.metrics import Difference, paired_difference
from seqtut.metrics import screen_ratio as metrics_screen_ratio
from seqtut.sections.base import bound, modes
from seqtut.sections.forecasting import LINE_PICKED_ON, ForecastSection, ForecastSettings
from seqtut.series import ar2_series

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class ManyToManySettings(ForecastSettings):
    window: int = 50
    horizon: int | None = 5
    epochs: int = modes(full=30, fast=3)
    # The notebook's second series, a noisy AR(2) swing (standardized inputs):
    ar2_length: int = modes(full=4000, fast=2000)
    ar2_epochs: int = modes(full=10, fast=3)
    # The fresh stretch's values (`ar2_series(fresh_length, seed=1)`), and the simulated stretches per
    # coverage count (`interval_coverage`): fast mode reads fewer of each, to run in less time
    fresh_length: int = modes(full=20_000, fast=10_000)
    stretches: int = modes(full=400, fast=200)
    # Bounds the notebook's claims check. Fast mode trains 3 epochs; each fast bound sits above what a
    # fast run measured (in brackets), with a margin, and below what an untrained model gives. No bound
    # asks for a model to be below the floor: a dip below it is chance or a leak, never a pass.
    line_mae_bound: float = bound(full=5e-5, fast=0.1)  # both heads' worst MAE per step on the line (0.025)
    floor_ratio_bound: float = bound(full=1.05, fast=1.3)  # LSTM MAE / the floor's, every step, test windows (1.10)
    # LSTM MAE / the lowest of last value's, drift's and the mean's, every step, test windows (full: 0.74 at most)
    simple_ratio_max: float | None = bound(full=1.0, fast=None)
    mean_high_max: float | None = bound(full=0.0, fast=None)  # upper end, LSTM minus the training stretch's mean
    fresh_ratio_bound: float = bound(full=1.1, fast=1.3)  # the same on the fresh stretch (1.17)
    # the lower end of every test interval, LSTM minus the floor: at most 0, so each includes 0 (full mode only:
    # a fast run trains too little to reach the floor)
    floor_low_max: float | None = bound(full=0.0, fast=None)
    # step -5 head / step -1 head, one step ahead, on the test windows and the fresh stretch (3.97, 4.15):
    minus5_ratio_min: float = bound(full=3.5, fast=2.5)
    minus5_ratio_max: float = bound(full=5.0, fast=5.0)  # ... and at most this: 4.43 and 4.37 in full mode
    minus5_floor_bound: float = bound(full=1.1, fast=1.3)  # step -5 head / its floor, test and fresh (1.09)
    # drift minus last value is clearly above 0 from this step on (lower ends: full +0.0054 at step 1; fast mode's
    # 196 test windows, no training involved, -0.043, -0.033, -0.021 at steps 1-3, then +0.041 at step 4)
    drift_clear_from: int = bound(full=1, fast=4)
    coverage_max: float = bound(full=0.9, fast=0.9)  # share of 95 % intervals, our test windows' count (0.65)
    # share of simulated stretches as long as the test stretch with an sd at most its own (0.023); fast mode's
    # shorter series ends in a stretch that is not calm (about 0.37), so full mode only
    calm_share_max: float = bound(full=0.1, fast=None)
    # Notebook 02's trend screen on every comparison judged by its rule (`TrendScreens`): the spread of the part
    # means ÷ the screen's own threshold, which flags above 1 (full mode: 0.80 at most); a fast run's step -5 head
    # (3 epochs) against its floor on 196 test windows reached 1.02, so full mode only
    trend_screen_max: float = bound(full=1.0, fast=None)


class ManyToMany(ForecastSection):
    name = "many-to-many"
    notebook = "03_many_to_many"
    Settings = ManyToManySettings
    picked_on = LINE_PICKED_ON

    def build_model(self, s: Any) -> ManyToManyLSTM:
        return ManyToManyLSTM(hidden_size=s.hidden_size, num_layers=s.num_layers, horizon=s.horizon)


SCREEN_PARTS = (3, 4, 5)
"""The part counts notebook 02's trend screen tries."""

SCREEN = "trend screen, spread of the part means ÷ its threshold"
"""How the checks name the screen's ratio (above 1: flagged, no valid interval)."""


def screen_ratio(differences: torch.Tensor, width: float, parts: Sequence[int] = SCREEN_PARTS) -> float:
    """Notebook 02's trend screen on (N,) differences in window order: the largest spread ÷ threshold over `parts`.

    For each part count k, `metrics.part_means_spread` splits the differences into k consecutive parts;
    the spread of their means (largest minus smallest) is divided by the screen's threshold, sqrt(k)
    times `width`, the width of the whole set's interval. Above 1 for some k, the screen flags the
    comparison: the differences change with the position, or depend over more windows than a block
    holds, and no interval with that block is valid. At most 1: it finds nothing (it can miss).
    """
    return max(metrics_screen_ratio(differences, k, width) for k in parts)


@dataclass(frozen=True)
class Screened:
    """One comparison judged by notebook 02's rule: its interval with one block length, and the trend screen's ratio."""

    name: str
    block: int
    ratio: float  # the screen's largest spread ÷ threshold (`screen_ratio`); above 1: flagged, no valid interval
    difference: Difference

    @property
    def flagged(self) -> bool:
        return self.ratio > 1


@dataclass(frozen=True)
class ScreenReport:
    """The trend screen on the comparisons judged since the last report, and notebook 05's remedy for the flagged ones.

    `final` holds, per comparison named in `judged`, the judgement that counts by notebook 02's rule:
    with its longest block, or, where the screen flags that one, with the first longer block that
    passes (or the longest tried). `remedied` holds the latter only; `changed` counts those whose
    verdict differs from one the comparison got before. `str` is one line to print.
    """

    judged: list[Screened]
    final: list[Screened] = field(default_factory=list)
    remedied: list[Screened] = field(default_factory=list)
    changed: int = 0

    @property
    def ratios(self) -> list[float]:
        """Each judgement's spread ÷ the screen's threshold, in the order judged (above 1: flagged)."""
        return [s.ratio for s in self.judged]

    @property
    def final_ratios(self) -> list[float]:
        """The ratio of each comparison's judgement that counts (`final`): at most 1 once the remedy passed."""
        return [s.ratio for s in self.final]

    def counted(self) -> dict[str, Difference]:
        """Comparison name -> its interval that counts (`final`), in the order judged.

        Where the screen flagged a comparison's longest block, this is the remedy's longer-block interval,
        not the flagged one (void too if the screen still flags it: `final_ratios` shows that).
        """
        return {s.name: s.difference for s in self.final}

    def claim_none_flagged(self, bound: float | None) -> None:
        """Check (`claim_every`) that each ratio of `judged` is at most `bound` (1: the screen flags none)."""
        claim_every(SCREEN, self.ratios, "<=", bound, what="comparisons", fmt=".2f")

    def claim_remedied(self, bound: float | None, changed_max: int | None) -> None:
        """Check the rule after notebook 05's remedy: each of `final_ratios` at most `bound`, `changed` at most
        `changed_max`."""
        claim_every(f"{SCREEN}, after longer blocks", self.final_ratios, "<=", bound, what="comparisons", fmt=".2f")
        claim("verdicts that longer blocks change", self.changed, "<=", changed_max, fmt=".0f")

    def __str__(self) -> str:
        if not self.judged:
            return "trend screen: no comparison judged since the last report"
        blocks = sorted({s.block for s in self.judged})
        if not any(s.flagged for s in self.judged):
            counts = f"none of {len(self.judged)} flagged (blocks of {', '.join(map(str, blocks))})"
        else:
            per_block = [[s for s in self.judged if s.block == b] for b in blocks]
            counts = "flagged " + ", ".join(
                f"{sum(s.flagged for s in these)} of {len(these)} with {'blocks of ' if i == 0 else ''}{b}"
                for i, (b, these) in enumerate(zip(blocks, per_block, strict=True))
            )
        line = f"trend screen: {counts}; largest {max(self.ratios):.2f} of its threshold"
        if not self.remedied:
            return line
        passed = sorted({s.block for s in self.remedied if not s.flagged})
        groups = []
        for b in passed:
            these = [s for s in self.remedied if s.block == b and not s.flagged]
            rough = f"; {these[0].difference.blocks:.3g} blocks, rough" if these[0].difference.rough else ""
            groups.append(f"{b} ({len(these)}{rough})")
        still = [s for s in self.remedied if s.flagged]
        outcome = f"passed with {', '.join(groups)}" if groups else ""
        if still:
            outcome += f"{', ' if groups else ''}{len(still)} still flagged with {max(s.block for s in still)}"
        changed = "no verdict changed" if self.changed == 0 else f"{self.changed} verdicts changed"
        return f"{line}; longer blocks for the {len(self.remedied)} flagged with their longest: {outcome}; {changed}"


@dataclass
class TrendScreens:
    """Notebook 02's rule in both parts, the interval and the trend screen, on each comparison a notebook judges.

    `judge` returns a comparison's interval (`paired_difference`) and records it with its screen
    (`screen_ratio`) under a name; `report` sums up the comparisons judged since its last call and,
    with `longer` block lengths, applies notebook 05's remedy to the flagged ones (`with_longer_blocks`): its
    extension of 02's rule, which withholds a flagged interval.
    """

    parts: tuple[int, ...] = SCREEN_PARTS
    longer: tuple[int, ...] = ()  # the remedy's block lengths, tried in turn; none: `report` remedies nothing
    judged: list[Screened] = field(default_factory=list)  # in the order judged
    reported: int = 0  # how many of `judged` earlier reports covered
    differences: dict[str, torch.Tensor] = field(default_factory=dict)  # name -> (N,), kept for flagged ones only
    remedied: list[Screened] = field(default_factory=list)  # every report's remedied judgements, in order

    def judge(self, name: str, errors_a: torch.Tensor, errors_b: torch.Tensor, *, block: int) -> Difference:
        """`paired_difference(errors_a, errors_b, block=block)`, both (N,) in window order; its screen recorded."""
        d = paired_difference(errors_a, errors_b, block=block)
        differences = (torch.as_tensor(errors_a) - torch.as_tensor(errors_b)).double()  # as paired_difference has it
        kept = replace(d, means=None, first_runs=None)  # the bounds only: hundreds of comparisons
        screened = Screened(name, block, screen_ratio(differences, d.high - d.low, self.parts), kept)
        self.judged.append(screened)
        if screened.flagged:
            self.differences[name] = differences
        return d

    def compare(
        self, errors: Mapping[str, torch.Tensor], a: str, b: str, step: int | str, *, block: int, where: str
    ) -> Difference:
        """`judge` forecast a's errors minus b's, `errors[a]` and `errors[b]` each (N, horizon), at `step` (`at_step`).

        Recorded as "a minus b, step k, `where`" ("all steps" for "all"), `where` naming the windows.
        """
        named = "all steps" if step == "all" else f"step {step}"
        return self.judge(
            f"{a} minus {b}, {named}, {where}", at_step(errors[a], step), at_step(errors[b], step), block=block
        )

    def report(self) -> ScreenReport:
        """The comparisons judged since the last report, each flagged one remedied with the `longer` blocks."""
        new, self.reported = self.judged[self.reported :], len(self.judged)
        names = list(dict.fromkeys(s.name for s in new))  # in the order judged, each once
        remedied = self.with_longer_blocks(self.longer, names=names) if self.longer else []
        self.remedied += remedied
        final = {name: self._longest(name) for name in names} | {s.name: s for s in remedied}
        changed = sum({s.difference.verdict} != self.verdicts(s.name) for s in remedied)
        return ScreenReport(new, list(final.values()), remedied, changed)

    def _longest(self, name: str) -> Screened:
        """The comparison's judgement with the longest block (the latest of equals)."""
        return max(reversed([s for s in self.judged if s.name == name]), key=lambda s: s.block)

    def with_longer_blocks(self, lengths: Sequence[int], *, names: Sequence[str] | None = None) -> list[Screened]:
        """Notebook 05's remedy for a flag (02's rule withholds the interval): longer blocks, if the screen then passes.

        Each comparison (of `names`, or all) that the screen flags with the longest block it was
        judged with is judged again with each longer block of `lengths`, in turn, until the screen
        passes. Returns, per such comparison, its last judgement (not recorded in `judged`): passing,
        or flagged with the longest.
        """
        found = []
        for name in names if names is not None else dict.fromkeys(s.name for s in self.judged):
            last = self._longest(name)
            if not last.flagged:
                continue
            for block in (b for b in lengths if b > last.block):
                differences = self.differences[name]
                d = paired_difference(differences, torch.zeros_like(differences), block=block)
                kept = replace(d, means=None, first_runs=None)
                last = Screened(name, block, screen_ratio(differences, d.high - d.low, self.parts), kept)
                if not last.flagged:
                    break
            found.append(last)
        return found

    def verdicts(self, name: str) -> set[str]:
        """The verdicts a comparison got with every block length it was judged with."""
        return {s.difference.verdict for s in self.judged if s.name == name}

    def remedies(self) -> list[str]:
        """One line per comparison the remedy judged again (`remedied`): its flagged block, then the one that counts.

        "name: flagged with blocks of 55 (1.23); passes with 275 (0.95): above 0", each block with the
        screen's ratio, and "rough" where the interval that counts is (`Difference.rough`).
        """
        lines = []
        for last in self.remedied:
            shorter = [s for s in self.judged if s.name == last.name and s.flagged and s.block < last.block]
            flagged, d = max(reversed(shorter), key=lambda s: s.block), last.difference  # what the remedy started from
            rough = f"; {d.blocks:.3g} blocks, rough" if d.rough else ""
            outcome = "still flagged" if last.flagged else "passes"
            lines.append(
                f"{last.name}: flagged with blocks of {flagged.block} ({flagged.ratio:.2f}); "
                f"{outcome} with {last.block} ({last.ratio:.2f}{rough}): {d.verdict}"
            )
        return lines


def on_steps(errors: torch.Tensor, steps: Sequence[int]) -> torch.Tensor:
    """Each window's mean error over `steps` (numbered from 1): (N, L) -> (N,)."""
    return errors[:, [step - 1 for step in steps]].mean(dim=1)


def at_step(errors: torch.Tensor, step: int | str) -> torch.Tensor:
    """Per-window errors (N, horizon) -> (N,): those `step` steps ahead (1 to horizon), or their mean ("all")."""
    return on_steps(errors, range(1, errors.shape[1] + 1) if step == "all" else [step])


def last_minus_floor_mean(*, phi1: float = 1.8, phi2: float = -0.95, noise: float = 1.0) -> float:
    """The exact mean of |last value's error| - |the AR(2) forecast's error|, 1 step ahead, on `ar2_series`.

    The series is stationary and normal, so x_{t+1} - x_t (last value's error) is normal with
    mean 0 and variance 2 (gamma0 - gamma1): gamma0 = noise^2 (1 - phi2) / ((1 + phi2)((1 - phi2)^2
    - phi1^2)) is the series' variance and gamma1 = phi1 gamma0 / (1 - phi2) its covariance at
    lag 1 (the Yule-Walker equations). The AR(2) forecast's error is the kick, N(0, noise^2). And
    E|N(0, sigma^2)| = sigma sqrt(2 / pi). No simulation: a true mean with no estimation error.
    """
    gamma0 = noise**2 * (1 - phi2) / ((1 + phi2) * ((1 - phi2) ** 2 - phi1**2))
    gamma1 = phi1 * gamma0 / (1 - phi2)
    return math.sqrt(2 / math.pi) * (math.sqrt(2 * (gamma0 - gamma1)) - noise)


def _last_minus_floor(series: torch.Tensor, window: int, horizon: int) -> torch.Tensor:
    """|last value's error| - |the AR(2) forecast's error|, 1 step ahead, per window as `WindowDataset` cuts: (N,)."""
    windows = series.unfold(0, window + horizon, 1)  # (N, window + horizon)
    past, target = windows[:, :window], windows[:, window]
    return (past[:, -1] - target).abs() - (ar2_forecast(past, 1)[:, 0] - target).abs()


@dataclass(frozen=True)
class Coverage:
    """How many of `intervals` contain `true_mean`, with a 95 % (Wilson) interval for that share."""

    true_mean: float
    intervals: list[Difference]

    @property
    def contains(self) -> list[bool]:
        """Per stretch, in order (seeds 100, 101, ...): does its interval contain `true_mean`?"""
        return [d.low <= self.true_mean <= d.high for d in self.intervals]

    @property
    def covered(self) -> int:
        return sum(self.contains)

    @property
    def share(self) -> float:
        return self.covered / len(self.intervals)

    @property
    def share_interval(self) -> tuple[float, float]:
        """95 % Wilson interval for the share: the stretches are independent, so `covered` is binomial."""
        from statsmodels.stats.proportion import proportion_confint  # imported here: slow, and only needed here

        low, high = proportion_confint(self.covered, len(self.intervals), alpha=0.05, method="wilson")
        return float(low), float(high)

    @property
    def mean_width(self) -> float:
        return sum(d.high - d.low for d in self.intervals) / len(self.intervals)

    def __str__(self) -> str:
        d, (low, high) = self.intervals[0], self.share_interval
        return (
            f"{len(self.intervals)} stretches of {d.n} windows, {d.blocks:.3g} blocks of {d.block}: "
            f"{self.covered} contain the true mean ({100 * self.share:.0f} %; 95 % Wilson interval {100 * low:.0f} to "
            f"{100 * high:.0f} %); mean width {self.mean_width:.3f}"
        )


def interval_coverage(
    window: int, horizon: int, n_windows: int, *, block: int | None = None, stretches: int = 200
) -> Coverage:
    """How often a 95 % interval of `paired_difference` from `n_windows` windows of `ar2_series` holds the truth.

    The difference measured needs no training: |last value's error| - |the AR(2) forecast's error|, one
    step ahead, for every window of `window` values (as `WindowDataset` cuts them, with `horizon`);
    its true mean is known exactly (`last_minus_floor_mean`). Each of `stretches` series (seeds
    100, 101, ...) just long enough for `n_windows` windows gives one interval, with runs of `block`
    windows (default window + horizon, the notebooks' choice).
    """
    span = window + horizon
    block = span if block is None else block
    intervals = []
    for k in range(stretches):
        d = _last_minus_floor(ar2_series(n_windows + span - 1, seed=100 + k), window, horizon)
        interval = paired_difference(d, torch.zeros_like(d), block=block)  # d minus 0: d's own interval
        # Only the bounds are kept: 400 intervals with their resampled means held about 0.5 GB.
        intervals.append(replace(interval, means=None, first_runs=None))
    return Coverage(last_minus_floor_mean(), intervals)


def paired_coverage(a: Coverage, b: Coverage) -> tuple[int, int, float]:
    """Compare two coverages measured on the same stretches: (held only by a, held only by b, exact McNemar p).

    The stretches are paired (same seeds, same windows), so two shares are compared by the stretches
    where the two intervals disagree: under "equal coverage" each such stretch is a fair coin's toss;
    the p-value is the two-sided exact binomial test on those discordant pairs (statsmodels `mcnemar`).
    """
    from statsmodels.stats.contingency_tables import mcnemar  # imported here: slow, and only needed here

    if len(a.intervals) != len(b.intervals):
        raise ValueError("the two coverages must come from the same stretches")
    only_a = sum(x and not y for x, y in zip(a.contains, b.contains))
    only_b = sum(y and not x for x, y in zip(a.contains, b.contains))
    both = sum(x and y for x, y in zip(a.contains, b.contains))
    neither = len(a.intervals) - only_a - only_b - both
    return only_a, only_b, float(mcnemar([[both, only_a], [only_b, neither]], exact=True).pvalue)


def thin_symlog_ticks(ax: Axes, every: int = 3) -> None:
    """On a symlog y axis, label 0 and every `every`-th decade down from the top only; any other axis is left alone.

    So that a loss falling to exactly 0 stands apart from the decades above the linear threshold.
    """
    if ax.get_yscale() != "symlog":
        return
    top, linthresh = math.ceil(math.log10(ax.get_ylim()[1])), ax.yaxis.get_transform().linthresh
    ax.set_yticks([0, *(10.0**k for k in range(top, math.floor(math.log10(linthresh)) + 1, -every))])


def print_mae_table(rows: Mapping[str, Sequence[float]], title: str = "test MAE, steps ahead:") -> None:
    """One line per forecast: its MAE at each step ahead, 3 decimals."""
    lengths = {len(values) for values in rows.values()}
    if len(lengths) != 1:
        raise ValueError(f"rows: expected one or more rows of equal length, got lengths {sorted(lengths)}")
    (steps,) = lengths
    print(f"{title:34s}", " ".join(f"{h:6d}" for h in range(1, steps + 1)))
    for name, values in rows.items():
        print(f"{name:34s}", " ".join(f"{v:6.3f}" for v in values))


def plot_mae_per_step(
    rows: Mapping[str, Sequence[float]], *, title: str, ticks: Sequence[float] = (1, 2, 4, 8)
) -> Axes:
    """`plot_errors_per_step` on a log axis labelled at `ticks` only, in plain numbers; "the AR(2) forecast..." dashed.

    On a log axis, doubling ticks are evenly spaced; the unlabelled minor ticks mark the integers between.
    """
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter  # the sections import no plotting

    from seqtut.plots import legend_outside, plot_errors_per_step

    ax = plot_errors_per_step(rows, title=title, xlabel="steps ahead", ylabel="MAE (series units, log scale)")
    ax.set_xticks(range(1, len(next(iter(rows.values()))) + 1))
    ax.yaxis.set_major_locator(FixedLocator(list(ticks)))
    ax.yaxis.set_major_formatter(ScalarFormatter())  # 1, 2, 4, 8, not 10⁰ or 2×10⁰
    ax.yaxis.set_minor_formatter(NullFormatter())
    for line in ax.get_lines():  # the floors dashed: they are not models
        line.set_linestyle("--" if line.get_label().startswith("the AR(2) forecast") else "-")
    legend_outside(ax)
    return ax

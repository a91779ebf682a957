"""Notebook 03's plumbing for the noisy AR(2) series (`seqtut.sections.many_to_many`)."""

import inspect
import math
import re

import matplotlib
import pytest
import torch

from seqtut.baselines import ar2_forecast
from seqtut.claims import ClaimError
from seqtut.data import window_splits
from seqtut.metrics import paired_difference, part_means_spread
from seqtut.sections import many_to_many
from seqtut.sections.causal_scaling import floor_errors
from seqtut.sections.many_to_many import (
    TrendScreens,
    at_step,
    interval_coverage,
    last_minus_floor_mean,
    paired_coverage,
    plot_mae_per_step,
    screen_ratio,
)
from seqtut.series import ar2_series

matplotlib.use("Agg")


def _last_minus_floor(series, window, horizon):
    """By hand: |last value's error| - |the AR(2) forecast's error|, 1 step ahead, every window whose horizon fits."""
    past = series[:-horizon].unfold(0, window, 1)
    target = series[window : window + len(past)]
    return (past[:, -1] - target).abs() - (ar2_forecast(past, 1)[:, 0] - target).abs()


def test_the_exact_mean_matches_its_derivation_and_a_long_series():
    phi1, phi2 = 1.8, -0.95
    rho1 = phi1 / (1 - phi2)  # Yule-Walker: rho1 = phi1 + phi2 rho1, rho2 = phi1 rho1 + phi2
    gamma0 = 1 / (1 - phi1 * rho1 - phi2 * (phi1 * rho1 + phi2))
    by_hand = math.sqrt(2 / math.pi) * (math.sqrt(2 * gamma0 * (1 - rho1)) - 1)
    assert last_minus_floor_mean() == pytest.approx(by_hand, rel=1e-12)
    assert last_minus_floor_mean(noise=3.0) == pytest.approx(3 * by_hand, rel=1e-12)  # noise rescales the series
    assert float(ar2_series(300_000, seed=2).var()) == pytest.approx(gamma0, rel=0.1)
    # the simulated mean: its standard error over 1,000,000 values is about 0.009 (batch means of 10,000)
    simulated = _last_minus_floor(ar2_series(1_000_000, seed=3), 50, 5).double().mean().item()
    assert simulated == pytest.approx(last_minus_floor_mean(), abs=0.03)


def test_interval_coverage_measures_last_value_minus_the_equation_one_step_ahead():
    coverage = interval_coverage(5, 2, 40, stretches=3)
    assert coverage.true_mean == last_minus_floor_mean()
    first = _last_minus_floor(ar2_series(40 + 6, seed=100), 5, 2)  # stretch 0: seed 100, just 40 windows
    assert len(first) == 40
    assert coverage.intervals[0].mean == pytest.approx(first.double().mean().item(), rel=1e-6)
    assert len(coverage.intervals) == 3 and all(d.n == 40 and d.block == 7 for d in coverage.intervals)
    assert len({d.mean for d in coverage.intervals}) == 3  # each stretch has its own seed
    assert interval_coverage(5, 2, 40, block=20, stretches=1).intervals[0].block == 20


def test_coverage_counts_the_intervals_that_hold_the_true_mean():
    coverage = interval_coverage(5, 2, 200, stretches=20)
    hits = sum(d.low <= coverage.true_mean <= d.high for d in coverage.intervals)
    assert coverage.covered == hits and coverage.share == hits / 20
    low, high = coverage.share_interval
    assert 0 <= low <= coverage.share <= high <= 1
    assert coverage.mean_width == pytest.approx(sum(d.high - d.low for d in coverage.intervals) / 20)
    assert f"{coverage.covered} contain the true mean" in str(coverage)


def test_paired_coverage_counts_the_discordant_stretches_and_tests_them_exactly():
    from scipy.stats import binomtest

    short, long = (interval_coverage(5, 2, 60, block=b, stretches=30) for b in (7, 20))  # the same 30 stretches
    only_short, only_long, p = paired_coverage(short, long)
    assert only_short == sum(a and not b for a, b in zip(short.contains, long.contains))
    assert only_short - only_long == short.covered - long.covered
    discordant = only_short + only_long
    expected = binomtest(only_short, discordant, 0.5).pvalue if discordant else 1.0
    assert p == pytest.approx(expected)
    with pytest.raises(ValueError, match="same stretches"):
        paired_coverage(short, interval_coverage(5, 2, 60, stretches=3))


def test_plot_mae_per_step_labels_doubling_ticks_and_dashes_the_floors():
    ax = plot_mae_per_step({"model": [0.8, 3.6, 7.5], "the AR(2) forecast": [0.79, 3.5, 7.3]}, title="t")
    assert [t.get_text() for t in ax.get_yticklabels() if t.get_text()] == ["1", "2", "4", "8"]
    assert all(t.get_text() == "" for t in ax.get_yticklabels(minor=True))
    styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
    assert styles == {"model": "-", "the AR(2) forecast": "--"}
    assert list(ax.get_xticks()) == [1, 2, 3]


def test_thin_symlog_ticks_labels_zero_and_every_third_decade_on_symlog_only():
    import matplotlib.pyplot as plt

    from seqtut.sections.many_to_many import thin_symlog_ticks

    fig, ax = plt.subplots()
    ax.plot([0.5, 1e-4, 0.0])
    ax.set_yscale("symlog", linthresh=1e-7)
    ax.set_ylim(0, 0.5)
    thin_symlog_ticks(ax)
    assert list(ax.get_yticks()) == pytest.approx([0, 1, 1e-3])  # 10^0 down, by 3, to above 10^-6
    ax.set_yscale("log")
    before = list(ax.get_yticks())
    thin_symlog_ticks(ax)  # not symlog: left alone
    assert list(ax.get_yticks()) == before
    plt.close(fig)


def test_screen_ratio_is_the_largest_spread_of_the_part_means_over_its_threshold():
    step = torch.cat([torch.zeros(6), torch.ones(6)]).double()  # a shift halfway
    expected = []
    for k in (3, 4, 5):
        means, threshold, _ = part_means_spread(step, k, 0.5)
        expected.append((means.max() - means.min()).item() / threshold)
    assert screen_ratio(step, 0.5) == pytest.approx(max(expected))
    assert screen_ratio(step, 0.5, parts=(3,)) == pytest.approx(1 / (math.sqrt(3) * 0.5))  # means 0, 0.5, 1
    assert screen_ratio(torch.zeros(9), 0.0) == 0.0  # no spread, no width: nothing to flag
    assert screen_ratio(step, 0.0) == math.inf  # a spread where the interval has no width


def _noise_and_trend(n: int = 400) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    noise = torch.randn(n, generator=generator, dtype=torch.float64)
    return noise, noise + torch.linspace(-2, 2, n, dtype=torch.float64)


def test_trend_screens_judge_by_the_rule_and_record_each_screen():
    noise, trend = _noise_and_trend()
    zeros = torch.zeros_like(noise)
    screens = TrendScreens()
    d = screens.judge("noise", noise, zeros, block=10)
    assert d == paired_difference(noise, zeros, block=10) and d.means is not None  # the full interval returned
    screens.judge("trend", trend, zeros, block=10)
    noise_screen, trend_screen = screens.judged
    assert (noise_screen.name, noise_screen.block, noise_screen.difference) == ("noise", 10, d)
    assert noise_screen.difference.means is None  # only the bounds are kept
    assert noise_screen.ratio == pytest.approx(screen_ratio(noise, d.high - d.low))
    assert not noise_screen.flagged and trend_screen.flagged
    assert set(screens.differences) == {"trend"}  # differences are kept for flagged comparisons only
    assert screens.verdicts("noise") == {d.verdict}


def test_trend_screens_report_the_comparisons_judged_since_the_last_report():
    noise, trend = _noise_and_trend()
    zeros = torch.zeros_like(noise)
    screens = TrendScreens()
    screens.judge("noise", noise, zeros, block=10)
    screens.judge("trend", trend, zeros, block=10)
    screens.judge("noise", noise, zeros, block=40)
    report = screens.report()
    assert report.judged == screens.judged and report.ratios == [s.ratio for s in screens.judged]
    assert report.remedied == [] and report.changed == 0  # no `longer` blocks: no remedy
    assert [(s.name, s.block) for s in report.final] == [("noise", 40), ("trend", 10)]  # each with its longest
    assert str(report).startswith("trend screen: flagged 1 of 2 with blocks of 10, 0 of 1 with 40; largest ")
    assert str(screens.report()) == "trend screen: no comparison judged since the last report"
    screens.judge("noise", noise, zeros, block=20)
    report = screens.report()
    assert len(report.ratios) == 1 and str(report).startswith("trend screen: none of 1 flagged (blocks of 20)")


def test_trend_screens_report_remedies_the_new_flagged_comparisons_with_longer_blocks():
    noise, trend = _noise_and_trend()
    zeros = torch.zeros_like(noise)
    step = torch.cat([torch.zeros(200), torch.full((200,), 3.0)]).double() + noise  # a shift halfway
    screens = TrendScreens(longer=(20, 40))
    screens.judge("trend", trend, zeros, block=10)
    first = screens.report()
    assert [(s.name, s.block, s.flagged) for s in first.remedied] == [("trend", 40, True)]  # still flagged
    for name, values in (("noise", noise), ("step", step)):
        screens.judge(name, values, zeros, block=10)
    report = screens.report()
    assert [(s.name, s.block, s.flagged) for s in report.remedied] == [("step", 40, False)]  # the new ones only
    assert screens.remedied == first.remedied + report.remedied  # every report's, in order
    assert [(s.name, s.block) for s in report.final] == [("noise", 10), ("step", 40)]
    assert report.final_ratios == [s.ratio for s in report.final] and max(report.final_ratios) <= 1
    assert report.counted() == {s.name: s.difference for s in report.final}  # the remedy's interval for "step"
    assert report.counted()["step"].block == 40 and first.counted()["trend"].block == 40
    verdict = report.remedied[0].difference.verdict
    assert report.changed == (verdict != screens.judged[-1].difference.verdict)
    assert str(report).endswith(
        "; longer blocks for the 1 flagged with their longest: passed with 40 (1); no verdict changed"
    )
    assert "1 still flagged with 40" in str(first)
    few = TrendScreens(longer=(80,))  # 400 windows: 5 blocks of 80, a rough interval, and the line says so
    few.judge("step", step, zeros, block=10)
    assert "passed with 80 (1; 5 blocks, rough)" in str(few.report())


def test_trend_screens_remedy_tries_longer_blocks_until_the_screen_passes():
    noise, trend = _noise_and_trend()
    zeros = torch.zeros_like(noise)
    step = torch.cat([torch.zeros(200), torch.full((200,), 3.0)]).double() + noise  # a shift halfway
    screens = TrendScreens()
    for name, values in (("noise", noise), ("trend", trend), ("step", step)):
        screens.judge(name, values, zeros, block=10)
    assert [s.flagged for s in screens.judged] == [False, True, True]
    remedied = {s.name: s for s in screens.with_longer_blocks([20, 40])}
    assert set(remedied) == {"trend", "step"}  # the noise passed: nothing to remedy
    for name, s in remedied.items():
        values = trend if name == "trend" else step
        d = paired_difference(values, zeros, block=s.block)
        assert (s.difference.low, s.difference.high) == (d.low, d.high)
        assert s.ratio == pytest.approx(screen_ratio(values, d.high - d.low))
    assert remedied["step"].block == 40 and not remedied["step"].flagged  # flagged with 20, passes with 40
    assert remedied["trend"].block == 40 and remedied["trend"].flagged  # still flagged with the longest
    assert len(screens.judged) == 3  # the remedy records nothing
    screens.judge("trend", trend, zeros, block=40)  # judged with the longest already: no longer block to try
    assert [(s.block, s.flagged) for s in screens.with_longer_blocks([20, 40]) if s.name == "trend"] == [(40, True)]


def test_at_step_picks_one_step_ahead_or_each_window_s_mean():
    errors = torch.tensor([[1.0, 2.0, 6.0], [0.0, 4.0, 2.0]])  # (N, horizon)
    assert torch.equal(at_step(errors, 1), torch.tensor([1.0, 0.0]))
    assert torch.equal(at_step(errors, 3), torch.tensor([6.0, 2.0]))
    assert torch.equal(at_step(errors, "all"), torch.tensor([3.0, 2.0]))


def test_trend_screens_compare_judges_two_forecasts_at_a_step_under_a_name():
    noise, trend = _noise_and_trend()
    errors = {"a": torch.stack([noise, trend], dim=1), "b": torch.zeros(len(noise), 2, dtype=torch.float64)}
    screens = TrendScreens()
    d = screens.compare(errors, "a", "b", 1, block=10, where="test")
    assert d == paired_difference(noise, torch.zeros_like(noise), block=10)
    screens.compare(errors, "a", "b", "all", block=20, where="fresh")
    assert [(s.name, s.block) for s in screens.judged] == [
        ("a minus b, step 1, test", 10),
        ("a minus b, all steps, fresh", 20),
    ]
    assert screens.judged[1].difference.mean == pytest.approx(((noise + trend) / 2).mean().item())


def test_screen_report_claims_pass_or_raise_as_the_ratios_say(capsys):
    noise, trend = _noise_and_trend()
    zeros = torch.zeros_like(noise)
    screens = TrendScreens(longer=(40,))
    screens.judge("noise", noise, zeros, block=10)
    passing = screens.report()
    passing.claim_none_flagged(1.0)
    assert (
        "✓ trend screen, spread of the part means ÷ its threshold ≤ 1.00 on all 1 comparisons"
        in capsys.readouterr().out
    )
    step = torch.cat([torch.zeros(200), torch.full((200,), 3.0)]).double() + noise  # a shift halfway
    screens.judge("step", step, zeros, block=10)
    remedied = screens.report()
    with pytest.raises(ClaimError):
        remedied.claim_none_flagged(1.0)  # flagged with blocks of 10
    remedied.claim_remedied(1.0, 0)  # passes with 40, the verdict unchanged
    assert "after longer blocks ≤ 1.00" in capsys.readouterr().out
    with pytest.raises(ClaimError):
        remedied.claim_remedied(0.0, 0)


def test_trend_screens_remedies_name_each_flagged_comparison_and_its_blocks():
    noise, _ = _noise_and_trend()
    zeros = torch.zeros_like(noise)
    step = torch.cat([torch.zeros(200), torch.full((200,), 3.0)]).double() + noise  # a shift halfway
    screens = TrendScreens(longer=(20, 40))
    assert screens.remedies() == []
    screens.judge("noise", noise, zeros, block=10)
    screens.judge("step", step, zeros, block=10)
    screens.report()
    flagged, last = screens.judged[1], screens.remedied[0]
    assert screens.remedies() == [
        f"step: flagged with blocks of 10 ({flagged.ratio:.2f}); passes with 40 ({last.ratio:.2f}): "
        f"{last.difference.verdict}"
    ]
    screens.judge("step", step, zeros, block=40)  # judged again later with the remedy's block: the line stays
    assert screens.remedies()[0].startswith(f"step: flagged with blocks of 10 ({flagged.ratio:.2f}); passes with 40")
    few = TrendScreens(longer=(80,))  # 5 blocks of 80: rough
    few.judge("step", step, zeros, block=10)
    few.report()
    assert "; 5 blocks, rough)" in few.remedies()[0]


def test_the_constants_notebook_03_types_are_the_packages_defaults():
    """Notebook 03 types fractions=(0.8, 0.1, 0.1) and phi1, phi2 = 1.8, -0.95: they must stay the defaults."""
    assert inspect.signature(window_splits).parameters["fractions"].default == (0.8, 0.1, 0.1)
    for function in (ar2_series, ar2_forecast, floor_errors, last_minus_floor_mean):
        parameters = inspect.signature(function).parameters
        assert (parameters["phi1"].default, parameters["phi2"].default) == (1.8, -0.95), function.__name__


def test_print_mae_table_prints_a_header_of_steps_and_one_row_per_forecast(capsys):
    many_to_many.print_mae_table({"lstm": [0.12345, 1.5], "the AR(2) forecast (the floor)": [10.0, 123.4567]})
    assert capsys.readouterr().out.splitlines() == [
        "test MAE, steps ahead:                  1      2",
        "lstm                                0.123  1.500",
        "the AR(2) forecast (the floor)     10.000 123.457",  # 3 decimals; a wider number pushes its row on
    ]
    many_to_many.print_mae_table({"last value": [2.0]}, title="fresh stretch, MAE:")
    assert capsys.readouterr().out.splitlines() == [
        "fresh stretch, MAE:                     1",
        "last value                          2.000",
    ]


@pytest.mark.parametrize(("rows", "lengths"), [({}, "[]"), ({"lstm": [1.0, 2.0], "last value": [1.0]}, "[1, 2]")])
def test_print_mae_table_refuses_no_rows_or_rows_of_different_lengths(rows, lengths):
    with pytest.raises(
        ValueError, match=re.escape(f"rows: expected one or more rows of equal length, got lengths {lengths}")
    ):
        many_to_many.print_mae_table(rows)

"""Notebook 05's helpers (`seqtut.sections.causal_scaling`): the floor per step, the table, the comparisons."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from seqtut.baselines import ar2_forecast  # noqa: E402
from seqtut.data import WindowDataset  # noqa: E402
from seqtut.metrics import Difference, paired_difference  # noqa: E402
from seqtut.scalers import make_scaler  # noqa: E402
from seqtut.sections.causal_scaling import (  # noqa: E402
    counted_per_step,
    error_table,
    floor_errors,
    on_steps,
    per_step_differences,
    plot_ratios,
    scored,
    side,
    step_name,
    step_ticks,
    verdict_counts,
    versus_floor,
)
from seqtut.sections.many_to_many import TrendScreens  # noqa: E402
from seqtut.series import ar2_series  # noqa: E402


def dataset(series: torch.Tensor, window: int = 8, shift: int = 3) -> WindowDataset:
    scaler = make_scaler("standard").fit(series.unfold(0, window, 1))
    return WindowDataset(series, window, shift=shift, scaler=scaler)


def test_the_floor_is_exact_on_a_swing_without_kicks_and_starts_at_step_2():
    values = [1.0, 0.5]
    for _ in range(40):
        values.append(1.8 * values[-1] - 0.95 * values[-2])
    found = floor_errors(dataset(torch.tensor(values)), 3)
    assert found.shape == (42 - 8 - 3 + 1, 8)
    assert torch.isnan(found[:, 0]).all()
    assert torch.allclose(found[:, 1:], torch.zeros_like(found[:, 1:]), atol=1e-4)


def test_the_floor_at_step_t_runs_the_recurrence_from_the_two_values_read_last():
    data = dataset(ar2_series(60, seed=4), window=8, shift=3)
    found = floor_errors(data, 3)
    for n in (0, 5, len(data) - 1):
        for step in range(2, 9):  # step t reads x[t - 1] and forecasts x[t - 1 + 3]
            best = ar2_forecast(data.windows[n, step - 2 : step], 3)[-1]
            assert found[n, step - 1] == pytest.approx((best - data.targets[n, step - 1]).abs().item(), abs=1e-5)


def test_the_floor_follows_the_series_own_coefficients():
    data = dataset(ar2_series(60, seed=4, phi1=1.2, phi2=-0.5), window=8, shift=3)
    found = floor_errors(data, 3, phi1=1.2, phi2=-0.5)
    best = ar2_forecast(data.windows[:, 2:4], 3, phi1=1.2, phi2=-0.5)[:, -1]  # step 4 reads x[2] and x[3]
    assert torch.allclose(found[:, 3], (best - data.targets[:, 3]).abs(), atol=1e-5)
    assert not torch.allclose(found[:, 3], floor_errors(data, 3)[:, 3], atol=1e-3)  # not the default process's


def test_scored_leaves_out_the_warm_up_and_side_reads_a_ratio():
    assert scored([9.0, 1.0, 2.0, 3.0], 1) == 2.0
    assert scored([9.0, 1.0, 2.0, 3.0], 0) == 3.75
    assert side(0.814) == "19 % below" and side(1.097) == "10 % above"


def test_error_table_prints_step_1_step_2_and_the_scored_mean():
    lines = error_table({"model": [4.0, 2.0, 4.0], "AR(2) forecast": [math.nan, 1.0, 3.0]}, 1).splitlines()
    assert lines[0].split() == ["test", "MAE", "step", "1", "step", "2", "steps", "2-3"]
    assert lines[1].split() == ["model", "4.000", "2.000", "3.000"]
    assert lines[2].split() == ["AR(2)", "forecast", "-", "1.000", "2.000"]


def test_versus_floor_is_the_ratio_and_the_paired_difference_over_the_steps_named():
    torch.manual_seed(0)
    errors = {"m": torch.rand(40, 6) + 1, "AR(2) forecast": torch.rand(40, 6) + 1}
    found = versus_floor(errors, "m", [2, 4], block=5)
    mine, best = errors["m"][:, [1, 3]].mean(dim=1), errors["AR(2) forecast"][:, [1, 3]].mean(dim=1)
    assert found.steps == (2, 4) and found.ratio == pytest.approx((mine.mean() / best.mean()).item())
    assert found.difference == paired_difference(mine, best, block=5)
    assert torch.equal(on_steps(errors["m"], [2, 4]), mine)
    line = str(found)
    assert line.startswith("m ") and "steps 2-4" in line and line.endswith(found.difference.verdict)
    assert "step 3 " in str(versus_floor(errors, "m", [3], block=5))


def test_per_step_differences_gives_one_interval_per_step():
    torch.manual_seed(1)
    a, b = torch.rand(30, 5), torch.rand(30, 5)
    found = per_step_differences(a, b, [2, 5], block=6)
    assert [d.mean for d in found] == pytest.approx([(a - b)[:, 1].mean().item(), (a - b)[:, 4].mean().item()])
    assert all(d.block == 6 and d.n == 30 for d in found)


def test_with_screens_the_comparisons_are_screened_and_named():
    torch.manual_seed(2)
    a, b = torch.rand(30, 5), torch.rand(30, 5)
    screens = TrendScreens()
    found = per_step_differences(a, b, [2, 5], 6, screens=screens, name="a minus b", where="test")
    assert found == per_step_differences(a, b, [2, 5], 6)  # the same intervals
    assert [s.name for s in screens.judged] == ["a minus b, step 2, test", "a minus b, step 5, test"]
    errors = {"m": a + 1, "AR(2) forecast": b + 1}
    screened = versus_floor(errors, "m", [2, 4], 5, screens=screens, where="fresh")
    assert screened == versus_floor(errors, "m", [2, 4], 5)
    assert screens.judged[-1].name == "m minus the floor, steps 2-4, fresh" and screens.judged[-1].block == 5
    versus_floor(errors, "m", [3], 5, screens=screens, where="test")
    assert screens.judged[-1].name == "m minus the floor, step 3, test"


def test_versus_floor_marks_an_interval_the_trend_screen_flags_as_void():
    n = 200
    trend = torch.linspace(0, 4, n)[:, None].expand(n, 3)  # the difference grows along the windows: flagged
    errors = {"m": trend + 1, "AR(2) forecast": torch.ones(n, 3)}
    flagged = versus_floor(errors, "m", [2], 10, screens=TrendScreens(), where="fresh")
    assert flagged.flagged and str(flagged).endswith("; flagged by the trend screen: void")
    torch.manual_seed(1)  # noise: screen ratio 0.34
    calm = {"m": torch.rand(n, 3), "AR(2) forecast": torch.rand(n, 3)}
    passed = versus_floor(calm, "m", [2], 10, screens=TrendScreens(), where="fresh")
    assert not passed.flagged and "void" not in str(passed)
    assert not versus_floor(errors, "m", [2], 10).flagged  # without screens, nothing is screened


def test_plot_ratios_draws_each_model_the_floor_and_the_warm_up():
    ax = plot_ratios({"relative": [math.nan, 0.9, 1.1], "mine": [math.nan, 1.2, 1.0]}, "title", 1)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["LSTM, relative to the last value (leaks)", "mine"]
    assert "the AR(2) forecast (the floor)" in labels and ax.get_yscale() == "linear" and ax.get_title() == "title"
    handles = ax.get_legend().get_texts()  # step 1 has a best forecast (from x[0]), but not the AR(2) recursion
    assert "step 1: the warm-up (no AR(2)-recursion floor)" in [h.get_text() for h in handles]
    assert list(ax.get_xticks()) == [1, 2, 3]  # steps count from 1: no step 0
    plt.close(ax.figure)


def test_plot_ratios_labels_the_step_convention_and_can_zoom():
    ratios = {"standard": [math.nan, 1.2, 1.02, 1.01], "relative": [math.nan, 0.8, 0.9, 1.3]}
    ax = plot_ratios(ratios, "title", 1, shift=5)
    assert (
        len(ax.figure.axes) == 1 and ax.get_xlabel() == "time step t (index t - 1; reads x[t - 1], forecasts x[t + 4])"
    )
    plt.close(ax.figure)
    ax = plot_ratios(ratios, "title", 1, zoom=(0.96, 1.12))
    upper, lower = ax.figure.axes
    assert upper is ax and ax.get_legend() is not None and lower.get_legend() is None
    assert lower.get_ylim() == (0.96, 1.12) and ax.get_ylim()[1] > 1.12  # the upper panel keeps every ratio
    assert [line.get_label() for line in lower.get_lines()][:2] == [
        "LSTM, standardized",
        "LSTM, relative to the last value (leaks)",
    ]
    assert ax.get_xlabel() == "" and lower.get_xlabel().startswith("time step t")
    plt.close(ax.figure)


def test_verdict_counts_count_each_verdict_and_give_the_extreme_ends():
    intervals = [Difference(0.15, 0.1, 0.2, 55, 1000), Difference(0.0, -0.1, 0.1, 55, 1000)]
    intervals.append(Difference(0.3, 0.2, 0.4, 55, 1000))
    assert (
        verdict_counts(intervals) == "{'above 0': 2, 'no clear difference': 1}; the intervals' ends from -0.1 to +0.4"
    )


def test_verdict_counts_with_steps_name_the_steps_whose_interval_is_rough():
    intervals = [Difference(0.15, 0.1, 0.2, 55, 1000), Difference(0.3, 0.2, 0.4, 200, 1000)]  # 5 blocks: rough
    assert verdict_counts(intervals, [2, 7]).endswith("; rough at steps 7")
    assert verdict_counts(intervals[:1], [2]).endswith("; rough at no step")
    with pytest.raises(ValueError):
        verdict_counts(intervals, [2])  # one step per interval


def test_counted_per_step_reads_each_step_s_interval_that_counts():
    generator = torch.Generator().manual_seed(0)
    noise = torch.randn(400, 3, generator=generator, dtype=torch.float64)
    trend = noise.clone()
    trend[:, 1] += torch.linspace(-2, 2, 400, dtype=torch.float64)  # step 2 trends: flagged with blocks of 10
    screens = TrendScreens(longer=(20, 40))
    per_step_differences(trend, torch.zeros_like(trend), [1, 2, 3], 10, screens=screens, name="a", where="test")
    report = screens.report()
    found = counted_per_step(report, "a", [1, 2, 3], "test")
    assert step_name("a", 2, "test") == "a, step 2, test" and list(found) == [1, 2, 3]
    assert found[1].block == found[3].block == 10 and found[2].block == 40  # the remedy's, for the flagged step
    assert found[2] == report.counted()["a, step 2, test"]
    with pytest.raises(KeyError):
        counted_per_step(report, "a", [4], "test")  # a step not judged


def test_step_ticks_label_step_1_and_every_tenth_step():
    assert step_ticks(5) == [1, 2, 3, 4, 5]
    assert step_ticks(50) == [1, 10, 20, 30, 40, 50]
    assert step_ticks(45) == [1, 10, 20, 30, 40]

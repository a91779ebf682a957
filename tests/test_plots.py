"""Plot helpers draw what they are given and return their Axes."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from seqtut.masks import causal_mask  # noqa: E402
from seqtut.metrics import paired_difference  # noqa: E402
from seqtut.plots import (  # noqa: E402
    epoch_axis,
    legend_outside,
    plot_block_bootstrap,
    plot_errors_per_step,
    plot_forecast,
    plot_heatmap,
    plot_losses,
    plot_step_intervals,
    zero_floor_axis,
)
from seqtut.sections.causal_scaling import per_step_differences  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_plot_forecast_draws_every_series():
    ax = plot_forecast(torch.arange(5.0), [5.0, 6.0], {"model": [5.1, 6.2], "naive": [4.0, 4.0]}, start=10)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"input window", "_history to actual", "actual", "model", "naive"}
    assert lines["actual"].get_xdata().tolist() == [15, 16] and lines["model"].get_ydata().tolist() == [5.1, 6.2]
    join = lines["_history to actual"]  # the input's last value to the first actual one: no gap, not in the legend
    assert join.get_xdata().tolist() == [14, 15] and join.get_ydata().tolist() == [4.0, 5.0]
    assert join.get_color() == lines["input window"].get_color()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["input window", "actual", "model", "naive"]
    plt.close("all")


def test_legend_outside_anchors_the_legends_upper_left_corner_just_right_of_the_axes():
    ax = plt.subplots()[1]
    ax.plot([0, 1], [1, 2], label="model")
    legend_outside(ax, title="forecasts", fontsize=7)
    legend = ax.get_legend()
    anchor = legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted())
    assert (round(anchor.x0, 6), round(anchor.y0, 6)) == (1.01, 1.0)  # in axes units: right of the frame, at its top
    assert legend._loc == 2 and legend.borderaxespad == 0.0  # 2: matplotlib's code for "upper left"
    assert [t.get_text() for t in legend.get_texts()] == ["model"] and legend.get_title().get_text() == "forecasts"
    assert legend.get_texts()[0].get_fontsize() == 7.0  # extra keyword arguments reach ax.legend
    plt.close("all")


def test_epoch_axis_gives_integer_1_based_ticks_and_room_after_the_last_epoch():
    ax = plt.subplots()[1]
    epoch_axis(ax, 10)
    assert ax.get_xlim() == (0.5, 10.5) and ax.get_xlabel() == "epoch" and ax.get_lines() == []
    low, high = ax.get_xlim()
    shown = [t for t in ax.get_xticks().tolist() if low <= t <= high]
    assert shown == list(range(1, 11))
    epoch_axis(ax := plt.subplots()[1], 100, best=41)  # 0-based best: epoch 42; room of 3% of 100 epochs
    assert ax.get_xlim() == (0.5, 103.0)
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [42, 42] and line.get_label() == "best epoch (42)" and line.get_linestyle() == ":"
    plt.close("all")


def test_epoch_axis_ticks_no_epoch_past_the_last_even_on_a_wider_axis():
    ax = plt.subplots(figsize=(7, 3.5))[1]
    epoch_axis(ax, 100)
    ax.set_xlim(right=107)  # notebook 04 widens its axis: MaxNLocator alone ticks 15, 30, ..., 105 here
    ax.figure.canvas.draw()
    ticks = ax.get_xticks().tolist()
    assert ticks and max(ticks) <= 100 and min(ticks) >= 1 and all(t == int(t) for t in ticks)
    found = ax.xaxis.get_major_locator().tick_values(-5, 120).tolist()  # MaxNLocator's: 0, 15, ..., 120
    assert found == [15, 30, 45, 60, 75, 90]  # 0, 105 and 120 dropped
    plt.close("all")


def test_plot_losses_and_errors():
    ax = plot_losses([1.0, 0.5, 0.25], [1.2, 0.6])
    assert [line.get_label() for line in ax.get_lines()] == ["train", "validation"]
    assert ax.get_yscale() == "log"
    last_best = plot_losses([1.0] * 100, [1.0] * 100, best_epoch=99)
    assert last_best.get_lines()[-1].get_label() == "best epoch (100)"
    assert last_best.get_xlim()[1] >= 103  # a best last epoch's line is not drawn on the frame
    ax = plot_errors_per_step({"lstm": [0.1, 0.2, 0.3]})
    assert ax.get_lines()[0].get_xdata().tolist() == [1, 2, 3]
    plt.close("all")


def test_losses_that_reach_zero_get_a_symlog_axis_with_few_labels():
    losses = [10.0**-power for power in range(1, 19)] + [4.47e-18, 4.47e-18]  # 20 decades, as notebook 01's loop
    ax = plot_losses(losses, [0.1] * 12 + [0.0] * 8)
    assert ax.get_yscale() == "symlog" and ax.yaxis.get_transform().linthresh == 1e-18
    labelled = ax.yaxis.get_majorticklocs().tolist()
    assert labelled[0] == 0.0 and labelled[-1] == 0.1 and len(labelled) <= 8  # 0, then at most 7 of the 18 decades
    every_tick = {*labelled, *ax.yaxis.get_minorticklocs().tolist()}
    assert ax.get_ylim()[0] == -0.5e-18 and every_tick == {0.0, *(10.0**-p for p in range(1, 19))}  # each decade
    assert zero_floor_axis(plt.subplots()[1], [0.5, 0.02], labels=2) == [0.0, 0.1]  # 0.01 unlabelled
    with pytest.raises(ValueError, match="positive: expected values above 0"):
        zero_floor_axis(plt.subplots()[1], [0.0, 1.0])
    with pytest.raises(ValueError, match="labels: expected at least 2"):
        zero_floor_axis(plt.subplots()[1], [1.0], labels=1)
    plt.close("all")


def test_plot_heatmap_shows_the_matrix():
    ax = plot_heatmap(causal_mask(4), title="causal")
    values = ax.collections[0].get_array().reshape(4, 4)
    assert values.tolist() == causal_mask(4).float().tolist() and ax.get_title() == "causal"
    assert ax.get_ylim() == (4, 0) and ax.get_xlim() == (0, 4)  # row 0 on top, one unit per cell
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "3"]
    assert len(ax.figure.axes) == 2  # the heatmap and its colour bar
    with pytest.raises(ValueError, match="matrix: expected 2-D"):
        plot_heatmap(torch.zeros(2, 2, 2))
    with pytest.raises(ValueError, match=r"matrix: expected 2-D with at least one row and column, got shape \(0, 3\)"):
        plot_heatmap(torch.zeros(0, 3))
    with pytest.raises(ValueError, match="labels: expected 4, one per row or column, got 3"):
        plot_heatmap(causal_mask(4), xlabels=["a", "b", "c"])
    plt.close("all")


def _dark(color: str) -> bool:
    """Whether a text colour is dark (WCAG relative luminance under 0.408, seaborn's threshold)."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] < 0.408


def test_plot_heatmap_annotations_contrast_with_their_cells():
    ax = plot_heatmap(torch.tensor([[0.0, 1.0], [float("nan"), 0.25]]), annotate=True, cmap="Greys")
    written = {(t.get_position(), t.get_text()): _dark(t.get_color()) for t in ax.texts}
    # Greys runs white (0) to black (1): dark text on the white cell, light on the black one; the NaN cell is blank
    assert written == {((0.5, 0.5), "0"): True, ((1.5, 0.5), "1"): False, ((1.5, 1.5), "0.25"): True}
    assert len(ax.figure.axes) == 1  # annotated: no colour bar
    long = plot_heatmap(torch.zeros(2, 60), ylabels=["query", "key"])
    shown = [t.get_text() for t in long.get_xticklabels()]
    assert len(shown) == 60 and [s for s in shown if s] == [str(i) for i in range(0, 60, 3)]  # at most 25 shown
    assert [t.get_text() for t in long.get_yticklabels()] == ["query", "key"]
    plt.close("all")


def test_plot_heatmap_leaves_infinite_cells_blank_draws_no_grid_and_keeps_the_figure_white():
    ax = plot_heatmap(torch.tensor([[0.0, float("inf")], [float("-inf"), 0.5]]))
    assert ax.collections[0].get_array().mask.tolist() == [[False, True], [True, False]]
    assert ax.collections[0].colorbar.vmin == 0.0 and ax.collections[0].colorbar.vmax == 0.5  # a finite scale
    assert not any(line.get_visible() for line in [*ax.get_xgridlines(), *ax.get_ygridlines()])
    ax.figure.canvas.draw()
    # opaque white on a dark theme: seaborn's import changed no style (no set_theme)
    assert ax.figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0) and plt.rcParams["figure.facecolor"] == "white"
    plt.close("all")


def _bars(ax) -> dict[str, list[tuple[float, float, float]]]:
    """The error bars `plot_step_intervals` drew: legend label -> [(x, low, high)] from left to right."""
    colours = {
        to_rgb(h.get_color()): t.get_text() for h, t in zip(ax.get_legend().legend_handles, ax.get_legend().texts)
    }
    found: dict[str, list[tuple[float, float, float]]] = {}
    for line in ax.get_lines():
        x, y = line.get_xdata(), line.get_ydata()
        if len(x) == 2 and x[0] == x[1]:  # a vertical bar: the mean's line has a point per step, the 0 line spans x
            found.setdefault(colours[to_rgb(line.get_color())], []).append((float(x[0]), float(y[0]), float(y[1])))
    return {name: sorted(bars) for name, bars in found.items()}


@pytest.mark.filterwarnings("error::FutureWarning")  # seaborn's pandas warnings must not reach a notebook
def test_plot_step_intervals_draws_the_intervals_per_step_differences_gives():
    generator = torch.Generator().manual_seed(0)
    a, b, c = (torch.rand(48, 6, generator=generator) for _ in range(3))
    b += torch.linspace(0.0, 0.4, 48)[:, None]  # a trend over the windows: their order matters to the interval
    steps, block = [2, 3, 6], 6
    ax = plot_step_intervals({"a minus b": a - b, "a minus c": a - c}, steps, block=block)
    bars = _bars(ax)
    for name, other in (("a minus b", b), ("a minus c", c)):
        expected = per_step_differences(a, other, steps, block)
        assert len(bars[name]) == len(steps)
        for (x, low, high), step, d in zip(bars[name], steps, expected):
            assert abs(x - step) < 0.5  # dodged beside its step, not onto the next
            assert low == pytest.approx(d.low, abs=1e-6) and high == pytest.approx(d.high, abs=1e-6)
        means = [line for line in ax.get_lines() if len(line.get_xdata()) == len(steps)]
        assert any(np.allclose(m.get_ydata(), [d.mean for d in expected]) for m in means)
    zero = [line for line in ax.get_lines() if line.get_label() != "_nolegend_" and list(line.get_ydata()) == [0, 0]]
    assert zero and [t.get_text() for t in ax.get_legend().texts][-1] == "0: no difference"
    legend = ax.get_legend()
    assert legend.get_bbox_to_anchor().x0 >= ax.get_window_extent().x1  # outside the data, to the right
    assert ax.get_xlabel() == "step" and ax.figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert ax.get_xticks().tolist() == steps  # few steps: each one named
    many = plot_step_intervals({"a minus b": (a - b).repeat(1, 6)}, list(range(2, 37)), block=block)
    assert many.get_xticks().tolist() == [2, 10, 20, 30]  # many: the first and every 10th, no step 0
    plt.close("all")


def test_plot_step_intervals_keeps_the_windows_in_time_order():
    # Differences that drift over the windows: a block bootstrap over them in order differs from one over a shuffle
    differences = (torch.linspace(-1.0, 1.0, 60) ** 3)[:, None] + 0.1 * torch.randn(
        60, 1, generator=torch.Generator().manual_seed(1)
    )
    ((_, low, high),) = _bars(plot_step_intervals({"d": differences}, [1], block=10))["d"]
    ordered = paired_difference(differences[:, 0], torch.zeros(60), block=10)
    shuffled = paired_difference(
        differences[torch.randperm(60, generator=torch.Generator().manual_seed(2)), 0], torch.zeros(60), block=10
    )
    assert (low, high) == pytest.approx((ordered.low, ordered.high), abs=1e-9)
    assert abs(shuffled.high - shuffled.low) < 0.8 * abs(ordered.high - ordered.low)  # the test would see a shuffle
    plt.close("all")


def test_plot_step_intervals_names_the_bad_argument():
    good = torch.zeros(10, 3)
    with pytest.raises(
        ValueError, match=r"differences: expected a non-empty mapping of name -> \(N, L\) tensor, got \{\}"
    ):
        plot_step_intervals({}, [1], block=2)
    with pytest.raises(
        ValueError, match=r"differences\['x'\]: expected a 2-D \(N, L\) table, N >= 2 windows, got shape \(10,\)"
    ):
        plot_step_intervals({"x": torch.zeros(10)}, [1], block=2)
    with pytest.raises(
        ValueError, match=r"steps: expected a non-empty sequence of distinct step numbers \(ints from 1\), got \[0\]"
    ):
        plot_step_intervals({"x": good}, [0], block=2)
    with pytest.raises(
        ValueError, match=r"steps: expected a non-empty .* distinct step numbers \(ints from 1\), got \[2, 2\]"
    ):
        plot_step_intervals({"x": good}, [2, 2], block=2)
    with pytest.raises(ValueError, match=r"steps: expected steps from 1 to 3 \(L of 'x'\), got 4"):
        plot_step_intervals({"x": good}, [1, 4], block=2)
    with pytest.raises(
        ValueError, match=r"differences\['x'\]: expected finite values at every step, got NaN or inf at 2"
    ):
        plot_step_intervals({"x": torch.tensor([[0.0, float("nan")], [0.0, 1.0]])}, [1, 2], block=2)
    with pytest.raises(ValueError, match="block: expected a positive int, got 0"):
        plot_step_intervals({"x": good}, [1], block=0)
    plt.close("all")


def test_plot_block_bootstrap_shows_the_differences_and_the_resampled_means():
    differences = torch.linspace(-1.0, 2.0, 40)
    result = paired_difference(differences, torch.zeros(40), block=8, resamples=300)
    windows, means = plot_block_bootstrap(differences, result)
    assert windows.get_lines()[0].get_ydata().tolist() == differences.tolist()
    runs = result.first_runs.tolist()  # the 5 runs of 8 that resample 0 drew (40 windows); a run past 39 wraps
    assert len(windows.patches) == 5 + sum(start + 8 > 40 for start in runs)
    # axvspan draws a Rectangle from matplotlib 3.9 and a Polygon before: read the left edge from the path
    lefts = {float(p.get_patch_transform().transform(p.get_path().vertices)[:, 0].min()) for p in windows.patches}
    assert {start for start in runs} <= {left + 0.5 for left in lefts}
    assert sum(p.get_height() for p in means.patches) == 300  # the histogram holds every resample
    assert [line.get_xdata()[0] for line in means.get_lines()] == [0.0, result.low, result.high]
    (legend,) = windows.figure.legends  # one legend for both panels, outside them: it hides no data
    assert len(legend.get_texts()) == 4 and windows.get_legend() is None and means.get_legend() is None
    windows.figure.canvas.draw()
    assert not any(legend.get_window_extent().overlaps(ax.get_window_extent()) for ax in (windows, means))
    with pytest.raises(ValueError, match=r"differences: expected the \(40,\) values"):
        plot_block_bootstrap(differences[:10], result)
    plt.close("all")


LAZY = """
import importlib, pkgutil, sys
import matplotlib
matplotlib.use("Agg")
import torch
import seqtut, seqtut.plots
from seqtut.metrics import paired_difference
from seqtut.plots import plot_block_bootstrap, plot_errors_per_step, plot_forecast, plot_losses
from seqtut.sections.causal_scaling import plot_ratios
for module in pkgutil.walk_packages(seqtut.__path__, "seqtut."):  # every module, as some notebook imports it
    if not module.name.endswith("__main__"):  # `python -m seqtut`: importing it runs the CLI
        importlib.import_module(module.name)
plot_losses([1.0, 0.5], [1.1, 0.6], best_epoch=1)
plot_forecast(torch.arange(5.0), [5.0, 6.0], {"model": [5.1, 6.2]})
plot_errors_per_step({"lstm": [0.1, 0.2]})
differences = torch.linspace(-1.0, 1.0, 30)
plot_block_bootstrap(differences, paired_difference(differences, torch.zeros(30), block=5))
plot_ratios({"standard": [1.0, 0.9, 1.1]}, "ratios", 1)
print("imported", "seaborn" in sys.modules)
sys.modules["seaborn"] = None  # from here on `import seaborn` fails: does the heatmap import it, here and only here?
try:
    seqtut.plots.plot_heatmap(torch.eye(3))
except ImportError:
    print("the heatmap imports it")
"""


def test_seaborn_is_imported_only_by_a_figure_that_draws_with_it():
    # A fresh interpreter, as a kernel: importing seqtut and drawing the other figures leaves seaborn unimported
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    found = subprocess.run([sys.executable, "-c", LAZY], cwd=ROOT, env=env, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines() == ["imported False", "the heatmap imports it"]

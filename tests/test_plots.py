"""Plot helpers draw what they are given and return their Axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from seqtut.masks import causal_mask  # noqa: E402
from seqtut.plots import plot_errors_per_step, plot_forecast, plot_heatmap, plot_losses  # noqa: E402


def test_plot_forecast_draws_every_series():
    ax = plot_forecast(torch.arange(5.0), [5.0, 6.0], {"model": [5.1, 6.2], "naive": [4.0, 4.0]}, start=10)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"input window", "actual", "model", "naive"}
    assert lines["actual"].get_xdata().tolist() == [15, 16] and lines["model"].get_ydata().tolist() == [5.1, 6.2]
    plt.close("all")


def test_plot_losses_and_errors():
    ax = plot_losses([1.0, 0.5, 0.25], [1.2, 0.6])
    assert [line.get_label() for line in ax.get_lines()] == ["train", "validation"]
    assert ax.get_yscale() == "log"
    ax = plot_errors_per_step({"lstm": [0.1, 0.2, 0.3]})
    assert ax.get_lines()[0].get_xdata().tolist() == [1, 2, 3]
    plt.close("all")


def test_plot_heatmap_shows_the_matrix():
    ax = plot_heatmap(causal_mask(4), title="causal")
    values = ax.collections[0].get_array().reshape(4, 4)
    assert values.tolist() == causal_mask(4).float().tolist() and ax.get_title() == "causal"
    with pytest.raises(ValueError, match="matrix: expected 2-D"):
        plot_heatmap(torch.zeros(2, 2, 2))
    plt.close("all")

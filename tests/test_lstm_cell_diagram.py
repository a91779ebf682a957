"""Notebook 00's diagrams: the LSTM cell names every input, gate and output; the unrolled RNN marks out and h_n."""

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from seqtut.diagrams import lstm_cell, plot_unrolled_rnn  # noqa: E402


def test_lstm_cell_returns_a_figure_with_every_label():
    figure = lstm_cell()
    assert isinstance(figure, Figure)
    texts = {t.get_text() for ax in figure.axes for t in ax.texts}
    for label in ("$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$h_t$", "$c_t$", "cell state", "hidden state", "tanh"):
        assert label in texts, label
    for gate in ("forget gate", "input gate", "output gate", "candidate"):
        assert any(t.startswith(gate) for t in texts), gate
    assert {"$f_t$", "$f_t ⊙ c_{t-1}$", "$i_t ⊙ g_t$"} <= texts
    assert figure.axes[0].get_title() == "One LSTM step (one layer, one time step); ⊙ is the element-wise product"
    matplotlib.pyplot.close(figure)


def test_plot_unrolled_rnn_draws_one_box_per_layer_and_step_and_marks_out_and_h_n():
    ax = plot_unrolled_rnn(length=3, num_layers=2)
    texts = [t.get_text() for t in ax.texts]
    boxes = [t for t in texts if t.startswith("layer ")]
    assert sorted(boxes) == sorted(f"layer {layer}\nstep {t}" for layer in range(2) for t in range(3))
    labels = {text for text in texts if not text.startswith("layer ")}
    assert {"out[:, 0]", "out[:, 2]", "x[:, 1]", "h_n[1], c_n[1]", "h_0[0], c_0[0]"} <= labels
    shaded = [p for p in ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    assert len(shaded) == 3  # the top layer at every step: what `out` holds
    matplotlib.pyplot.close(ax.figure)
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="length: expected a positive int"):
            plot_unrolled_rnn(length=bad)


def test_each_product_is_labelled_on_the_line_that_leaves_its_node():
    """f_t ⊙ c_{t-1} sits on the cell-state line between the first ⊙ and +; the arrow into that ⊙ carries f_t."""
    figure = lstm_cell()
    ax = figure.axes[0]
    where = {t.get_text(): t.get_position() for t in ax.texts}
    first_odot, plus = 3.0, 6.0  # the x of the ⊙ on the cell-state line and of +, both at y = 5.5
    x, y = where["$f_t ⊙ c_{t-1}$"]
    assert first_odot < x < plus and abs(y - 5.5) < 0.3
    x, y = where["$f_t$"]
    assert abs(x - first_odot) < 0.3 and 3.4 < y < 5.3  # beside the forget gate's arrow up into the ⊙
    x, y = where["$i_t ⊙ g_t$"]
    assert abs(x - plus) < 0.3 and 4.6 < y < 5.3  # between the second ⊙ and +
    matplotlib.pyplot.close(figure)

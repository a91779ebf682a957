"""The LSTM cell diagram of notebook 00: a Figure that names every input, gate and output."""

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from seqtut.diagrams import lstm_cell  # noqa: E402


def test_lstm_cell_returns_a_figure_with_every_label():
    figure = lstm_cell()
    assert isinstance(figure, Figure)
    texts = {t.get_text() for ax in figure.axes for t in ax.texts}
    for label in ("$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$h_t$", "$c_t$", "cell state", "hidden state", "tanh"):
        assert label in texts, label
    for gate in ("forget gate", "input gate", "output gate", "candidate"):
        assert any(t.startswith(gate) for t in texts), gate
    assert {"$f_t ⊙ c_{t-1}$", "$i_t ⊙ g_t$"} <= texts
    assert figure.axes[0].get_title() == "One LSTM step (one layer, one time step); ⊙ is the element-wise product"
    matplotlib.pyplot.close(figure)

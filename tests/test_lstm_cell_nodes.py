"""Notebook 00's LSTM cell draws its products with the symbol its title defines (⊙), not ×."""

import matplotlib

matplotlib.use("Agg")

from seqtut.diagrams import lstm_cell  # noqa: E402


def test_the_cell_draws_three_products_as_odot_and_one_sum():
    figure = lstm_cell()
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert "⊙ is the element-wise product" in figure.axes[0].get_title()
    assert texts.count("⊙") == 3  # f ⊙ c_{t-1}, i ⊙ g, o ⊙ tanh(c_t)
    assert texts.count("+") == 1
    assert not any("×" in text for text in texts)
    matplotlib.pyplot.close(figure)

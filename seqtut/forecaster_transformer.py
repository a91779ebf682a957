"""An encoder-only Transformer that forecasts real values: window (N, L, 1) -> next values (N, H).

Shapes: N windows, L = window length, D = d_model, H = horizon. Each scalar of the window
is lifted to D numbers by one Linear layer (the real-valued counterpart of a token
embedding), sinusoidal position codes are added, a stack of self-attention layers mixes
the steps, and one Linear head reads all L positions at once to write the H forecasts.
There is no decoder and no causal mask: the whole window is known when we forecast.
"""

from __future__ import annotations

import torch
from torch import nn

from seqtut.checks import positive_int
from seqtut.config import records_config
from seqtut.lstm import check_batch
from seqtut.transformer import PositionalEncoding


def _check_sizes(
    window: int,
    horizon: int,
    input_size: int,
    d_model: int,
    nhead: int,
    num_layers: int,
    dim_feedforward: int,
    dropout: float,
) -> None:
    """Raise a ValueError naming the first `TransformerForecaster` setting that cannot work."""
    sizes = {"window": window, "horizon": horizon, "input_size": input_size, "d_model": d_model}
    sizes |= {"nhead": nhead, "num_layers": num_layers, "dim_feedforward": dim_feedforward}
    for name, value in sizes.items():
        positive_int(value, name)
    if d_model % nhead:
        raise ValueError(f"d_model: expected a multiple of nhead = {nhead}, got {d_model}")
    if d_model % 2:
        raise ValueError(f"d_model: expected an even number (sin/cos pairs), got {d_model}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout: expected a number in [0, 1), got {dropout!r}")


class TransformerForecaster(nn.Module):
    """Window (N, L, input_size) -> next `horizon` values (N, horizon).

    `window` is fixed at construction because the head reads the flattened (L * D) encoder
    output: every position keeps its own weights, a direct route to a fixed lag such as "the
    value 12 steps back" (attention over the positional codes can learn one too).
    """

    @records_config
    def __init__(
        self,
        window: int,
        horizon: int,
        input_size: int = 1,
        d_model: int = 16,
        nhead: int = 2,
        num_layers: int = 1,
        dim_feedforward: int = 32,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        _check_sizes(window, horizon, input_size, d_model, nhead, num_layers, dim_feedforward, dropout)
        self.window, self.horizon, self.input_size = window, horizon, input_size
        self.embed = nn.Linear(input_size, d_model)  # (N, L, F) -> (N, L, D)
        self.position = PositionalEncoding(d_model, max_len=window)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(window * d_model, horizon)  # (N, L * D) -> (N, H)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_batch(x, self.input_size)
        if x.shape[1] != self.window:
            raise ValueError(f"x: expected windows of length {self.window}, got {x.shape[1]}")
        hidden = self.encoder(self.position(self.embed(x)))  # (N, L, D): each step attends to every step
        return self.head(hidden.flatten(1))  # (N, H)

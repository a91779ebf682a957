"""Three LSTM forecasters that share one body and differ in their head: which outputs it reads
(the last step, or every step) and how many values it gives.

`nn.LSTM(batch_first=True)` maps x (N, L, F) to `out` (N, L, hidden), the last layer's
output at every step, and `(h_n, c_n)`, each (num_layers, N, hidden), every layer's state
after the last step. For a one-directional LSTM `out[:, -1]` equals `h_n[-1]`.
"""

from __future__ import annotations

import torch
from torch import nn

from seqtut.checks import positive_int
from seqtut.config import records_config


def check_batch(x: torch.Tensor, features: int, name: str = "x") -> None:
    """Raise unless `x` is a float batch (N, L, features) with L >= 1."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(x).__name__}")
    if x.ndim != 3 or x.shape[-1] != features or x.shape[1] < 1:
        raise ValueError(f"{name}: expected shape (batch, length, {features}), got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise TypeError(f"{name}: expected a floating-point tensor, got {x.dtype}")


class LSTMForecaster(nn.Module):
    """Shared body: an LSTM over (N, L, input_size) and a Linear head; subclasses pick the step."""

    @records_config
    def __init__(self, input_size: int = 1, hidden_size: int = 32, num_layers: int = 1, outputs: int = 1) -> None:
        super().__init__()
        for name, value in {"input_size": input_size, "hidden_size": hidden_size, "num_layers": num_layers}.items():
            positive_int(value, name)
        positive_int(outputs, "outputs")
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, outputs)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The LSTM's last-layer output at every step, (N, L, hidden)."""
        check_batch(x, self.lstm.input_size)
        out, _ = self.lstm(x)
        return out


class ManyToOneLSTM(LSTMForecaster):
    """Window (N, L, 1) -> next value (N, 1), read from the last time step."""

    @records_config
    def __init__(self, input_size: int = 1, hidden_size: int = 32, num_layers: int = 1) -> None:
        super().__init__(input_size, hidden_size, num_layers, outputs=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x)[:, -1])  # (N, hidden) -> (N, 1)


class ManyToManyLSTM(LSTMForecaster):
    """Window (N, L, 1) -> next `horizon` values (N, horizon), all read from the last time step.

    Only the last step has seen the whole window; step -5 (the original's choice) has not
    seen the four values closest to what it must predict.
    """

    @records_config
    def __init__(self, input_size: int = 1, hidden_size: int = 32, num_layers: int = 1, horizon: int = 5) -> None:
        super().__init__(input_size, hidden_size, num_layers, outputs=positive_int(horizon, "horizon"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x)[:, -1])  # (N, hidden) -> (N, horizon)


class SequenceLSTM(LSTMForecaster):
    """Window (N, L, 1) -> one output per time step (N, L).

    The head is one Linear applied to (N, L, hidden) at once: nn.Linear acts on the last
    dimension, so no loop over the batch or the time steps is needed.
    """

    @records_config
    def __init__(self, input_size: int = 1, hidden_size: int = 32, num_layers: int = 1) -> None:
        super().__init__(input_size, hidden_size, num_layers, outputs=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x)).squeeze(-1)  # (N, L, 1) -> (N, L)

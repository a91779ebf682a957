"""Checkers for notebook 00's exercises: nn.LSTM's output shapes, a bidirectional summary, one LSTM step by hand."""

from __future__ import annotations

import torch
from torch import nn

from seqtut.exercises.core import Case, checker


def lstm_shapes(
    batch_first: bool, num_layers: int, bidirectional: bool, n: int, length: int, h_in: int, h_out: int
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The shapes of `out`, `h_n` and `c_n` that a real nn.LSTM call returns for these sizes."""
    torch.manual_seed(0)
    lstm = nn.LSTM(h_in, h_out, num_layers, batch_first=batch_first, bidirectional=bidirectional)
    x = torch.zeros((n, length, h_in) if batch_first else (length, n, h_in))
    with torch.no_grad():
        out, (h_n, c_n) = lstm(x)
    return tuple(out.shape), tuple(h_n.shape), tuple(c_n.shape)


@checker
def lstm_shapes_cases() -> list[Case]:
    """(batch_first, num_layers, bidirectional, N, L, H_in, H_out) -> the shapes of out, h_n and c_n."""
    hint = "out has every step of the top layer (both directions side by side); h_n and c_n every layer and direction"
    cases = []
    for sizes, words in [
        ((False, 1, False, 2, 6, 3, 4), "one layer, time first (the default)"),
        ((True, 1, False, 2, 6, 3, 4), "one layer, batch_first=True"),
        ((True, 3, False, 2, 6, 3, 4), "3 stacked layers, batch_first=True"),
        ((False, 1, True, 2, 6, 3, 4), "bidirectional, time first"),
        ((True, 2, True, 5, 7, 3, 4), "2 layers, bidirectional, batch_first=True"),
        ((True, 2, True, 1, 1, 1, 8), "one sequence of one step, 2 layers, bidirectional"),
    ]:
        cases.append(Case(words, sizes, lstm_shapes(*sizes), hint))
    return cases


def _bidirectional_run(n: int, length: int, num_layers: int, hidden: int, seed: int) -> tuple[torch.Tensor, ...]:
    """A seeded bidirectional batch-first LSTM's `out` (N, L, 2H) and its top layer's summary (N, 2H)."""
    torch.manual_seed(seed)
    lstm = nn.LSTM(3, hidden, num_layers, batch_first=True, bidirectional=True)
    with torch.no_grad():
        out, (h_n, _) = lstm(torch.randn(n, length, 3))
    return out, torch.cat([h_n[-2], h_n[-1]], dim=1)


@checker
def bidirectional_summary_cases() -> list[Case]:
    """From a bidirectional LSTM's out (N, L, 2H) alone -> cat(h_n[-2], h_n[-1]) (N, 2H)."""
    hint = "each direction ends somewhere else: the forward one at the last step, the backward one at step 0"
    cases = []
    for n, length, num_layers, hidden, words in [
        (1, 4, 1, 2, "one sequence of 4 steps, one layer, H = 2"),
        (3, 6, 1, 4, "a batch of 3 sequences of 6 steps, one layer"),
        (2, 5, 2, 3, "2 stacked layers: only the top layer is in out"),
        (2, 1, 1, 3, "sequences of a single step"),
    ]:
        out, summary = _bidirectional_run(n, length, num_layers, hidden, seed=length)
        cases.append(Case(words, (out, hidden), summary, hint))
    return cases


@checker
def lstm_step_cases() -> list[Case]:
    """One LSTM step from the stacked weights: x_t (N, H_in), h, c (N, H), weight_ih_l0, ... -> (h_t, c_t)."""
    hint = "weight_ih_l0 stacks four blocks of H rows in the order i, f, g, o; g uses tanh, the gates use sigmoid"
    cases = []
    for n, h_in, hidden, words in [
        (1, 1, 1, "one sample, one feature, H = 1"),
        (2, 3, 4, "a batch of 2, H_in = 3, H = 4"),
        (4, 2, 5, "a batch of 4 with a nonzero starting state"),
    ]:
        torch.manual_seed(10 * n + hidden)
        lstm = nn.LSTM(h_in, hidden)
        x_t = torch.randn(n, h_in)
        h, c = torch.randn(n, hidden), torch.randn(n, hidden)
        with torch.no_grad():
            _, (h_t, c_t) = lstm(x_t.unsqueeze(0), (h.unsqueeze(0), c.unsqueeze(0)))
            weights = tuple(p.detach().clone() for p in (lstm.weight_ih_l0, lstm.weight_hh_l0))
            biases = tuple(p.detach().clone() for p in (lstm.bias_ih_l0, lstm.bias_hh_l0))
        cases.append(Case(words, (x_t, h, c, *weights, *biases), (h_t[0], c_t[0]), hint))
    return cases

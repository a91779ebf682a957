"""Checkers for notebook 04's exercises: one batched head for every step, and per-step training pairs."""

from __future__ import annotations

import torch
from torch import nn

from seqtut.exercises.core import Case, checker


def seeded_head(hidden: int, seed: int) -> nn.Linear:
    """A Linear(hidden, 1) with seeded weights, so a case is the same on every run."""
    torch.manual_seed(seed)
    return nn.Linear(hidden, 1)


@checker
def per_step_head_cases() -> list[Case]:
    """The head applied at every step in one call: Linear(H, 1) and features (N, L, H) -> (N, L)."""
    hint = "nn.Linear acts on the last dimension of any tensor; then drop only the size-1 dimension it leaves"
    cases = []
    for batch, length, hidden, words in [
        (3, 4, 2, "3 windows of 4 steps, 2 features"),
        (1, 5, 3, "a batch of one window"),
        (4, 1, 2, "windows of a single step"),
        (1, 1, 3, "one window of one step"),
    ]:
        head = seeded_head(hidden, seed=batch * 10 + length)
        features = torch.randn(batch, length, hidden, generator=torch.Generator().manual_seed(length))
        with torch.no_grad():
            expected = torch.stack([head(features[:, t]).squeeze(-1) for t in range(length)], dim=1)
        cases.append(Case(words, (head, features), expected, hint))
    return cases


def pairs(series: torch.Tensor, window: int, shift: int, test_start: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every (window, window shifted by `shift`) of `series` whose target ends before `test_start`."""
    count = test_start - window - shift + 1
    inputs = torch.stack([series[i : i + window] for i in range(count)])
    targets = torch.stack([series[i + shift : i + shift + window] for i in range(count)])
    return inputs, targets


@checker
def training_pairs_cases() -> list[Case]:
    """Inputs and targets shifted by `shift`, no target in the test split: each (N, window)."""
    hint = "the target starts `shift` steps after its window starts, and its last value must come before test_start"
    squares = torch.arange(12, dtype=torch.float32) ** 2
    cases = []
    for series, window, shift, test_start, words in [
        (torch.arange(8, dtype=torch.float32), 3, 1, 8, "the line 0..7, windows of 3 shifted by 1, no test split"),
        (squares, 3, 2, 12, "squares 0, 1, 4, ..., 121: windows of 3 shifted by 2"),
        (squares, 4, 2, 9, "the same squares, test split from index 9 on"),
        (squares, 3, 3, 10, "a shift as long as the window: targets start where windows end"),
        (squares, 2, 1, 3, "only one pair fits before the test split"),
    ]:
        expected = pairs(series, window, shift, test_start)
        cases.append(Case(words, (series, window, shift, test_start), expected, hint))
    return cases

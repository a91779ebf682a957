"""Notebook 04's section: what `forecast` and `predict` return, and the timing of the batched head."""

from __future__ import annotations

import pytest
import torch

from seqtut import sections
from seqtut.lstm import SequenceLSTM
from seqtut.scalers import make_scaler
from seqtut.sections.sequence_generation import (
    HeadTimings,
    _head_per_sample,
    seconds_per_call_in_turn,
    time_heads,
)


@pytest.fixture(scope="module")
def untrained():
    section = sections.get("sequence-generation")
    s = section.settings(fast=True)
    torch.manual_seed(0)
    model = section.build_model(s).eval()
    scaler = make_scaler(s.scaler).fit(torch.arange(100.0).reshape(2, 50))
    return section, s, model, scaler


def test_forecast_is_the_outputs_of_the_last_shift_steps(untrained):
    section, s, model, scaler = untrained
    window = torch.arange(50.0)[None] * 0.5 + 3  # (1, L)
    with torch.no_grad():
        every_step = scaler.inverse(window, model(scaler.inputs(window).unsqueeze(-1)))[0]  # (L,)
    found = section.forecast(model, scaler, window, s)
    assert found.shape == (s.shift,)
    assert torch.allclose(found, every_step[-s.shift :])


@pytest.mark.parametrize(
    ("length", "steps", "targets"), [(50, "steps 46-50 of 50", "x[50] to x[54]"), (3, "steps 1-3 of 3", "x[5] to x[7]")]
)
def test_predict_names_the_steps_and_what_each_forecasts(untrained, length, steps, targets):
    section, s, model, scaler = untrained
    values = [str(10 + v) for v in range(length)]
    label, numbers = section.predict(model, scaler, s, values)
    assert label.startswith(steps) and f"5-step-ahead forecasts of {targets}" in label
    assert "not one forecast after the whole window" in label
    window = torch.tensor([[float(v) for v in values]])
    expected = section.forecast(model, scaler, window, s).tolist()
    assert numbers == " ".join(f"{v:.4f}" for v in expected)
    assert len(numbers.split()) == min(length, s.shift)


def test_seconds_per_call_in_turn_times_number_calls_five_times_by_default():
    calls = []
    [seconds] = seconds_per_call_in_turn([lambda: calls.append(1)], 3)
    assert len(calls) == 15 and 0 < seconds < 0.1


def test_the_timed_head_loop_is_the_originals_and_matches_the_batched_head():
    torch.manual_seed(0)
    head, features = torch.nn.Linear(4, 1), torch.randn(6, 7, 4)
    found = _head_per_sample(head, features)  # a zeros tensor filled one sample at a time
    assert found.shape == (6, 7)
    assert torch.allclose(found, head(features).squeeze(-1), atol=1e-6)


def test_time_heads_times_both_heads_and_both_training_steps():
    class Looped(SequenceLSTM):
        def forward(self, x):
            out = self.features(x)
            return torch.stack([self.head(out[b]).view(-1) for b in range(len(out))])

    torch.manual_seed(0)
    batched, looped = SequenceLSTM(hidden_size=4), Looped(hidden_size=4)
    looped.load_state_dict(batched.state_dict())
    x, y = torch.randn(6, 7, 1), torch.randn(6, 7)
    batched.eval()  # as notebook 04 hands them over; cuDNN's LSTM backward (on a GPU) refuses eval mode
    found = time_heads(batched, looped, x, y, "cpu", head_calls=2, step_calls=1)
    assert not batched.training and looped.training  # each model's mode is given back as it came
    assert isinstance(found, HeadTimings)
    assert all(t > 0 for t in (found.head_batched, found.head_looped, found.step_batched, found.step_looped))
    assert found.head_speedup == found.head_looped / found.head_batched
    assert found.step_speedup == found.step_looped / found.step_batched
    assert all(p.grad is not None for p in batched.parameters())  # the forward and backward pass ran
    head, step = str(found).splitlines()
    assert head.startswith("head only:") and head.endswith(f"{found.head_speedup:.1f}x")
    assert step.startswith("forward + backward:") and step.endswith(f"{found.step_speedup:.1f}x")


def test_seconds_per_call_in_turn_times_each_function_in_every_round():
    order = []
    found = seconds_per_call_in_turn([lambda: order.append("a"), lambda: order.append("b")], 2, repeat=3)
    assert order == ["a", "a", "b", "b"] * 3  # a round times every function, in turn
    assert len(found) == 2 and all(0 < seconds < 0.1 for seconds in found)

"""Hypothesis properties of the public functions, with a bounded number of examples so the suite stays fast."""

from __future__ import annotations

import functools
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from seqtut.baselines import naive_forecast, seasonal_naive
from seqtut.data import WindowDataset, make_windows, sliding_windows
from seqtut.decoding import greedy_decode
from seqtut.lstm import ManyToManyLSTM, ManyToOneLSTM, SequenceLSTM
from seqtut.masks import causal_mask, padding_mask
from seqtut.metrics import exact_match, mape, metrics, paired_difference, smape, token_accuracy
from seqtut.scalers import make_scaler, scaler_from_state
from seqtut.tokens import Vocab
from seqtut.training import lr_factor
from seqtut.transformer import PositionalEncoding, Seq2SeqTransformer

FEW = settings(max_examples=25, deadline=None, database=None)  # bounded, and nothing written to disk
values = st.floats(-1e4, 1e4, allow_nan=False, width=32)
series = st.lists(values, min_size=3, max_size=40)


@FEW
@given(series, st.integers(1, 10), st.integers(1, 5))
def test_windows_are_consecutive_slices_and_targets_follow_them(points, window, horizon):
    if window + horizon > len(points):
        with pytest.raises(ValueError, match="window"):
            make_windows(torch.tensor(points), window, horizon=horizon)
        return
    x, y = make_windows(torch.tensor(points), window, horizon=horizon)
    whole = sliding_windows(torch.tensor(points), window + horizon)
    assert x.shape == (len(points) - window - horizon + 1, window) and y.shape[1] == horizon
    assert torch.equal(torch.cat([x, y], dim=1), whole)


@FEW
@given(
    st.lists(st.lists(values, min_size=4, max_size=4), min_size=2, max_size=8),
    st.sampled_from(["standard", "relative", "start-relative"]),
)
def test_scalers_invert_what_they_scale_and_stay_finite(rows, kind):
    windows = torch.tensor(rows)
    x, targets = windows[:, :3], windows[:, 3:]
    scaler = scaler_from_state(make_scaler(kind).fit(x).state())
    scaled = scaler.targets(x, targets)
    assert torch.isfinite(scaler.inputs(x)).all() and torch.isfinite(scaled).all()
    assert torch.allclose(scaler.inverse(x, scaled), targets, atol=1e-2, rtol=1e-4)


@FEW
@given(st.sampled_from(["standard", "relative", "log-relative"]), st.floats(0.5, 100))
def test_a_scaler_fitted_on_one_value_is_refused_and_constant_windows_stay_finite(kind, value):
    with pytest.raises(ValueError, match="windows: expected at least 2 values"):
        make_scaler(kind).fit(torch.tensor([[value]]))
    constant = torch.full((3, 4), value)
    assert torch.isfinite(make_scaler(kind).fit(constant).inputs(constant)).all()


@FEW
@given(st.integers(1, 6), st.integers(1, 5), st.data())
def test_metrics_are_finite_ordered_and_refuse_empty_input(n, h, data):
    predictions = torch.tensor(data.draw(st.lists(values, min_size=n * h, max_size=n * h))).reshape(n, h)
    targets = torch.tensor(data.draw(st.lists(values, min_size=n * h, max_size=n * h))).reshape(n, h)
    found = metrics(predictions, targets)
    assert math.isfinite(found.mae) and 0 <= found.mae <= found.rmse + 1e-3 and len(found.mae_per_step) == h
    assert 0 <= smape(predictions, targets) <= 200
    if (targets != 0).all():
        assert mape(predictions, targets) >= 0
    else:
        with pytest.raises(ValueError, match="targets: MAPE"):
            mape(predictions, targets)
    with pytest.raises(ValueError, match="targets: expected at least one value"):
        metrics(torch.zeros(0, h), torch.zeros(0, h))


@FEW
@given(st.integers(1, 30), st.lists(st.integers(0, 29), max_size=12))
def test_vocab_round_trips_and_names_only_real_ids(n_tokens, tokens):
    vocab = Vocab(n_tokens)
    tokens = [t for t in tokens if t < n_tokens]
    assert vocab.decode(vocab.encode(tokens)) == tokens
    assert all(isinstance(vocab.name(i), str) for i in range(len(vocab)))
    for bad in (-1, len(vocab)):
        with pytest.raises(ValueError, match="token_id: expected an id in 0.."):
            vocab.name(bad)
    batch = vocab.pad([vocab.encode(tokens), vocab.encode([])])
    assert batch.shape == (2, len(tokens) + 2) and (batch[1, 2:] == vocab.pad_id).all()


@FEW
@given(st.integers(1, 12), st.lists(st.integers(0, 5), min_size=1, max_size=10))
def test_masks_mean_what_they_say(size, ids):
    mask = causal_mask(size)
    assert all(bool(mask[i, j]) == (j > i) for i in range(size) for j in range(size))
    row = torch.tensor([ids])
    assert torch.equal(padding_mask(row, 0), row == 0)


@FEW
@given(st.integers(1, 20), st.integers(1, 6), st.integers(1, 5), st.integers(0, 12))
def test_the_schedule_warms_up_then_never_rises(steps_per_epoch, epochs, warmup, floor_percent):
    floor = (floor_percent + 1) / 13
    factors = [
        lr_factor(s, steps_per_epoch=steps_per_epoch, epochs=epochs, warmup=warmup, floor=floor)
        for s in range(steps_per_epoch * epochs)
    ]
    assert all(0 < f <= 1 + 1e-12 for f in factors)
    after = factors[warmup:]
    assert all(a >= b - 1e-12 for a, b in zip(after, after[1:]))


@FEW
@given(
    st.integers(1, 4),
    st.integers(1, 9),
    st.sampled_from([ManyToOneLSTM, ManyToManyLSTM, SequenceLSTM]),
    st.floats(-1e3, 1e3),
)
def test_lstm_forecasters_map_finite_windows_to_finite_forecasts(n, length, cls, level):
    torch.manual_seed(0)
    model = cls(hidden_size=4)
    out = model(torch.full((n, length, 1), level))
    assert torch.isfinite(out).all() and out.shape[0] == n


TINY = Vocab(5)


@functools.cache
def tiny_transformer() -> Seq2SeqTransformer:
    torch.manual_seed(0)
    return Seq2SeqTransformer(
        len(TINY),
        d_model=8,
        nhead=2,
        num_encoder_layers=1,
        num_decoder_layers=1,
        dim_feedforward=16,
        dropout=0.0,
        max_len=20,
    ).eval()


sources = st.lists(st.lists(st.integers(0, 4), min_size=0, max_size=6), min_size=1, max_size=4)


@FEW
@given(sources, st.integers(1, 8))
def test_greedy_decoding_stops_within_max_len_and_never_returns_specials(rows, max_len):
    src = TINY.pad([TINY.encode(row) for row in rows])
    decoded = greedy_decode(tiny_transformer(), src, TINY, max_len)
    assert len(decoded) == len(rows) and all(len(d) <= max_len and all(0 <= t < 5 for t in d) for d in decoded)
    assert decoded == greedy_decode(tiny_transformer(), src, TINY, max_len)  # deterministic


@FEW
@given(sources, sources)
def test_the_transformer_gives_finite_logits_or_a_named_error(rows, targets):
    model = tiny_transformer()
    src, tgt = TINY.pad([TINY.encode(r) for r in rows]), TINY.pad([TINY.encode(t) for t in targets])
    if len(rows) != len(targets):
        with pytest.raises(ValueError, match="tgt_in: expected"):
            model(src, tgt[:, :-1])
        return
    with torch.no_grad():
        assert torch.isfinite(model(src, tgt[:, :-1])).all()
    with pytest.raises(ValueError, match="src: row 0 is all PAD"):
        model(torch.zeros_like(src), tgt[:, :-1])


@FEW
@given(st.integers(-3, 0))
def test_positional_encoding_refuses_a_size_below_one(d_model):
    with pytest.raises(ValueError, match="d_model: expected a positive int"):
        PositionalEncoding(d_model)


@FEW
@given(st.lists(st.lists(st.integers(0, 3), max_size=4), min_size=1, max_size=5))
def test_token_metrics_lie_between_0_and_1(expected):
    if sum(map(len, expected)) == 0:
        with pytest.raises(ValueError, match="expected: every expected sequence is empty"):
            token_accuracy(expected, expected)
        return
    assert exact_match(expected, expected) == token_accuracy(expected, expected) == 1.0
    shifted = [[t + 1 for t in e] for e in expected]
    assert 0 <= token_accuracy(shifted, expected) <= 1 and 0 <= exact_match(shifted, expected) <= 1


@FEW
@given(st.lists(values, min_size=2, max_size=30), st.integers(1, 10))
def test_paired_difference_brackets_its_resampled_means(errors, block):
    a = torch.tensor(errors)
    found = paired_difference(a, torch.zeros_like(a), block=block, resamples=200)
    assert found.low <= found.high and a.double().min() - 1e-3 <= found.mean <= a.double().max() + 1e-3


@FEW
@given(st.lists(st.floats(1, 1e3), min_size=12, max_size=30), st.integers(1, 30))
def test_seasonal_naive_repeats_the_last_season(history, horizon):
    forecast = seasonal_naive(torch.tensor(history), horizon)
    assert forecast.shape == (horizon,)
    assert torch.equal(forecast, torch.tensor(history)[-12:].tile(3)[:horizon])


@FEW
@given(st.lists(values, min_size=6, max_size=30))
def test_naive_forecast_repeats_the_last_value(points):
    dataset = WindowDataset(torch.tensor(points), 3, horizon=2)
    assert torch.equal(naive_forecast(dataset, "last"), dataset.windows[:, -1:].expand(-1, 2))

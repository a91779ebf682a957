"""LSTM forecasters and masks: outputs read the right time step; masks are exact."""

import pytest
import torch

from seqtut.lstm import ManyToManyLSTM, ManyToOneLSTM, SequenceLSTM, check_batch
from seqtut.masks import causal_mask, format_mask, padding_mask


def test_many_to_one_reads_the_last_step():
    torch.manual_seed(0)
    model = ManyToOneLSTM(hidden_size=8)
    x = torch.randn(4, 6, 1)
    out, (h_n, _) = model.lstm(x)
    assert torch.equal(out[:, -1], h_n[-1])
    assert torch.allclose(model(x), model.head(h_n[-1]))
    assert model(x).shape == (4, 1)


def test_many_to_many_output_depends_on_the_last_input():
    torch.manual_seed(0)
    model = ManyToManyLSTM(hidden_size=8, horizon=5)
    x = torch.randn(2, 10, 1)
    changed = x.clone()
    changed[:, -1] += 1.0
    assert model(x).shape == (2, 5)
    assert not torch.allclose(model(x), model(changed))


def test_sequence_head_is_causal_and_batched():
    torch.manual_seed(0)
    model = SequenceLSTM(hidden_size=8)
    x = torch.randn(3, 7, 1)
    changed = x.clone()
    changed[:, 4] += 1.0
    y, y_changed = model(x), model(changed)
    assert y.shape == (3, 7)
    assert torch.equal(y[:, :4], y_changed[:, :4]) and not torch.allclose(y[:, 4:], y_changed[:, 4:])
    looped = torch.stack([model.head(model.features(x)[i]).squeeze(-1) for i in range(len(x))])
    assert torch.allclose(y, looped)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        (torch.zeros(4, 5), ValueError, r"x: expected shape \(batch, length, 1\), got \(4, 5\)"),
        (torch.zeros(4, 5, 2), ValueError, r"got \(4, 5, 2\)"),
        (torch.zeros(4, 5, 1, dtype=torch.long), TypeError, "x: expected a floating-point tensor"),
        ([[0.0]], TypeError, "x: expected a torch.Tensor, got list"),
    ],
)
def test_models_reject_bad_batches(x, error, message):
    with pytest.raises(error, match=message):
        ManyToOneLSTM()(x)


NOT_FLOAT = "windows: expected a floating-point tensor"


def test_check_batch_accepts_any_float_batch_of_the_right_width():
    for x in (torch.zeros(1, 1, 1), torch.zeros(3, 7, 2, dtype=torch.float64), torch.zeros(2, 4, 2).half()):
        assert check_batch(x, x.shape[-1]) is None


@pytest.mark.parametrize(
    ("x", "features", "error", "message"),
    [
        ([[[0.0]]], 1, TypeError, "windows: expected a torch.Tensor, got list"),
        (torch.zeros(4, 5), 1, ValueError, "windows: expected shape (batch, length, 1), got (4, 5)"),
        (torch.zeros(4, 0, 3), 3, ValueError, "windows: expected shape (batch, length, 3), got (4, 0, 3)"),
        (torch.zeros(4, 5, 1), 3, ValueError, "windows: expected shape (batch, length, 3), got (4, 5, 1)"),
        (torch.zeros(2, 5, 1, 1), 1, ValueError, "windows: expected shape (batch, length, 1), got (2, 5, 1, 1)"),
        (torch.zeros(4, 5, 1, dtype=torch.int64), 1, TypeError, f"{NOT_FLOAT}, got torch.int64"),
        (torch.zeros(4, 5, 1, dtype=torch.bool), 1, TypeError, f"{NOT_FLOAT}, got torch.bool"),
    ],
)
def test_check_batch_names_the_argument_and_what_is_wrong(x, features, error, message):
    """Type first, then shape (width and at least one step), then dtype; the message is exact."""
    with pytest.raises(error) as raised:
        check_batch(x, features, name="windows")
    assert str(raised.value) == message


def test_constructor_rejects_bad_sizes():
    with pytest.raises(ValueError, match="hidden_size: expected a positive int, got 0"):
        ManyToOneLSTM(hidden_size=0)
    with pytest.raises(ValueError, match="horizon: expected a positive int, got 0"):
        ManyToManyLSTM(horizon=0)


def test_causal_mask_is_exact():
    expected = torch.tensor([[False, True, True], [False, False, True], [False, False, False]])
    assert torch.equal(causal_mask(3), expected)
    assert format_mask(causal_mask(3)) == ". x x\n. . x\n. . ."
    with pytest.raises(ValueError, match="size: expected a positive int, got 0"):
        causal_mask(0)


def test_padding_mask_is_exact():
    ids = torch.tensor([[1, 5, 2, 0], [1, 2, 0, 0]])
    assert padding_mask(ids, pad_id=0).tolist() == [[False, False, False, True], [False, False, True, True]]
    with pytest.raises(ValueError, match="ids: expected a 2-D tensor"):
        padding_mask(torch.tensor([1, 2]), 0)
    with pytest.raises(ValueError, match="mask: expected a 2-D bool tensor"):
        format_mask(torch.zeros(2, 2))

"""MixedLengthWindows: training batches cut to several lengths, and the many-to-one section that uses it."""

import pytest
import torch

from seqtut import sections
from seqtut.data import MixedLengthWindows, WindowDataset, make_windows, toy_series, window_splits
from seqtut.scalers import SCALERS, make_scaler


def relative_windows(length: int = 8) -> WindowDataset:
    series = toy_series(60)
    scaler = make_scaler("relative").fit(make_windows(series, 5, horizon=1)[0])
    return WindowDataset(series, length, horizon=1, scaler=scaler)


def test_batches_keep_the_last_steps_and_every_length_occurs():
    dataset = relative_windows()
    mixed = MixedLengthWindows(dataset, 5)
    lengths = set()
    for first in range(40):
        batch = [first, (first + 7) % len(mixed), (first + 3) % len(mixed)]
        x, y = mixed[batch]
        k = mixed.length_for(batch)
        assert x.shape == (3, k, 1) and 5 <= k <= 8
        # with the relative scaler (last value), cutting the scaled window gives the same bits; targets are untouched
        assert torch.equal(x, dataset.x[batch][:, -k:]) and torch.equal(y, dataset.y[batch])
        lengths.add(k)
    assert lengths == {5, 6, 7, 8}
    assert len(mixed) == len(dataset) and mixed.scaler is dataset.scaler


@pytest.mark.parametrize("kind", SCALERS)
def test_a_cut_window_is_scaled_as_a_window_of_its_length_whatever_the_scaler(kind):
    series = toy_series(60, start=1)  # positive, for the log scalers
    scaler = make_scaler(kind).fit(make_windows(series, 5, horizon=1)[0])
    mixed = MixedLengthWindows(WindowDataset(series, 8, horizon=1, scaler=scaler), 5)
    short = {k: WindowDataset(series, k, horizon=1, scaler=scaler) for k in range(5, 9)}
    for first in range(20):
        for batch in ([first, first + 9, first + 2], first):  # a batch, and one window
            x, y = mixed[batch]
            k = mixed.length_for(batch)
            same = torch.as_tensor(batch) + 8 - k  # window i of 8 steps ends where window i + 8 - k of k steps does
            assert x.shape == short[k].x[same].shape and torch.allclose(x, short[k].x[same])
            assert torch.allclose(y, short[k].y[same])


def test_start_relative_training_windows_start_at_0_at_every_length():
    train, val, _ = window_splits(toy_series(1000), 5, horizon=1, scaler="start-relative", max_window=8)
    for first in range(0, 700, 50):
        x, _ = train[list(range(first, first + 4))]
        assert torch.equal(x[:, 0], torch.zeros(4, 1))  # anchored on each cut window's first value, as val's are
    assert torch.equal(val.x[:, 0], torch.zeros(len(val), 1))


def test_length_is_deterministic_and_leaves_global_random_state_alone():
    mixed = MixedLengthWindows(relative_windows(), 5)
    state = torch.get_rng_state()
    assert [mixed.length_for([i, 0]) for i in range(20)] == [mixed.length_for([i, 1]) for i in range(20)]
    assert mixed[4][0].shape == (mixed.length_for(4), 1)
    assert torch.equal(state, torch.get_rng_state())


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="min_length"):
        MixedLengthWindows(relative_windows(), 9)
    with pytest.raises(ValueError, match="min_length"):
        MixedLengthWindows(relative_windows(), 0)
    with pytest.raises(TypeError, match="dataset"):
        MixedLengthWindows(torch.zeros(3, 5), 2)
    with pytest.raises(ValueError, match="shift"):
        MixedLengthWindows(WindowDataset(toy_series(30), 5, shift=2), 3)


def test_many_to_one_section_trains_on_mixed_lengths(tmp_path):
    s = sections.settings("many-to-one", fast=True)
    assert s.window == 5 and s.max_window == 8
    result = sections.run("many-to-one", fast=True, out=tmp_path, progress=False)
    assert result.value < result.baseline  # better than repeating the last value
    picked = " (series units; epoch picked on windows equal to these in model units)"  # `fit`'s restored epoch
    assert result.metric == "test MAE" + picked


@pytest.mark.parametrize("name", ["many-to-one", "many-to-many", "sequence-generation"])
@pytest.mark.parametrize("fast", [True, False])
def test_the_picked_label_is_true_the_validation_windows_are_the_test_windows_in_model_units(name, fast):
    section = sections.get(name)
    _, val, test = section.data(section.settings(fast))
    assert section.picked_on and torch.equal(val.x, test.x) and torch.equal(val.y, test.y)
    assert not torch.equal(val.windows, test.windows)  # in series units they differ


def test_evaluate_keeps_the_plain_label_for_a_model_read_at_any_epoch():
    section = sections.get("many-to-one")
    s = section.settings(True)
    _, _, test = section.data(s)
    assert section.evaluate(section.build_model(s), test, s)["metric"] == "test MAE"


def test_window_splits_with_max_window_mixes_only_the_training_set():
    from seqtut.data import MixedLengthWindows, toy_series, window_splits

    plain = window_splits(toy_series(100), 5, horizon=1, scaler="relative")
    train, val, test = window_splits(toy_series(100), 5, horizon=1, scaler="relative", max_window=8)
    assert isinstance(train, MixedLengthWindows) and train.dataset.window == 8 and train.min_length == 5
    assert train.dataset.targets.max() == plain[0].targets.max() == 79  # the same training values
    assert torch.equal(val.x, plain[1].x) and torch.equal(test.x, plain[2].x)
    assert train.scaler.state() == plain[0].scaler.state()

"""fit's per-epoch callback: called once per epoch, its time left out, training unchanged."""

import time

import torch

from seqtut.data import toy_series, window_splits
from seqtut.lstm import ManyToOneLSTM
from seqtut.training import evaluate, fit


def train(callback=None, **kwargs):
    train_set, val, test = window_splits(toy_series(200), 5, horizon=1, scaler="relative")
    torch.manual_seed(0)
    model = ManyToOneLSTM(hidden_size=8)
    history = fit(model, train_set, epochs=3, lr=1e-2, val=val, progress_bar=False, callback=callback, **kwargs)
    return model, history, test


def test_callback_sees_every_epoch_and_its_time_is_excluded():
    seen = []

    def slow_callback(epoch, model):
        seen.append(epoch)
        time.sleep(0.2)

    started = time.perf_counter()
    _, history, _ = train(slow_callback)
    wall = time.perf_counter() - started
    assert seen == [0, 1, 2]
    assert len(history.epoch_seconds) == 3 and all(s > 0 for s in history.epoch_seconds)
    assert wall - history.seconds >= 0.2 * 3  # the 0.6 s of sleeping is not training time
    assert sum(history.epoch_seconds) <= history.seconds


def test_callback_does_not_change_training():
    def evaluating_callback(epoch, model):
        model.eval()
        with torch.no_grad():
            model(torch.zeros(2, 5, 1))

    plain_model, plain, test = train()
    watched_model, watched, _ = train(evaluating_callback)
    assert plain.train_loss == watched.train_loss and plain.val_loss == watched.val_loss
    assert evaluate(plain_model, test).mae == evaluate(watched_model, test).mae
    assert len(plain.epoch_seconds) == 3


def test_callback_runs_on_the_epoch_that_stops_early():
    epochs = []
    train_set, val, _ = window_splits(toy_series(200), 5, horizon=1, scaler="relative")
    torch.manual_seed(0)
    model = ManyToOneLSTM(hidden_size=8)
    history = fit(
        model,
        train_set,
        epochs=30,
        lr=0.5,
        val=val,
        patience=2,
        clip=None,
        progress_bar=False,
        callback=lambda epoch, _: epochs.append(epoch),
    )
    assert epochs == list(range(len(history.train_loss)))

"""fit, evaluate, baselines, checkpoints and settings."""

import pytest
import torch

from seqtut import runtime
from seqtut.baselines import mean_forecast, naive_forecast
from seqtut.checkpoints import load_checkpoint, save_checkpoint
from seqtut.data import WindowDataset, toy_series, window_splits
from seqtut.lstm import ManyToManyLSTM, ManyToOneLSTM
from seqtut.metrics import mae_per_step, metrics
from seqtut.training import evaluate, fit, mean_loss, predict


def small_splits():
    return window_splits(toy_series(200), 5, horizon=1, scaler="relative")


def train_once(epochs=3, seed=0):
    torch.manual_seed(seed)
    train, val, _ = small_splits()
    model = ManyToOneLSTM(hidden_size=8)
    return model, fit(model, train, epochs=epochs, lr=1e-2, val=val, seed=seed, progress_bar=False)


def test_fit_lowers_the_loss_and_beats_the_baseline():
    train, _, test = small_splits()
    torch.manual_seed(0)
    model = ManyToOneLSTM(hidden_size=8)
    before = mean_loss(model, train)
    history = fit(model, train, epochs=5, lr=1e-2, progress_bar=False)
    assert history.train_loss[-1] < before / 10
    assert evaluate(model, test).mae < metrics(naive_forecast(test), test.targets).mae


def test_fit_is_deterministic():
    _, first = train_once()
    _, second = train_once()
    assert first.train_loss == second.train_loss and first.val_loss == second.val_loss


def test_early_stopping_restores_the_best_weights():
    train, val, _ = small_splits()
    torch.manual_seed(0)
    model = ManyToOneLSTM(hidden_size=8)
    # lr 0 after the first epoch would never improve; a huge lr makes later epochs worse.
    history = fit(model, train, epochs=30, lr=0.5, val=val, patience=2, progress_bar=False, clip=None)
    assert len(history.val_loss) <= 30
    assert mean_loss(model, val) == pytest.approx(min(history.val_loss), rel=1e-5)
    assert history.val_loss[history.best_epoch] == min(history.val_loss)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs: expected a positive int, got 0"),
        ({"epochs": 1, "lr": 0}, "lr: expected a finite positive number, got 0"),
        ({"epochs": 1, "patience": 2}, "patience: early stopping needs a validation set"),
        ({"epochs": 1, "batch_size": 0}, "batch_size: expected a positive int, got 0"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs, message):
    train, _, _ = small_splits()
    with pytest.raises(ValueError, match=message):
        fit(ManyToOneLSTM(), train, progress_bar=False, **kwargs)


def test_fit_stops_on_a_non_finite_loss():
    train, _, _ = small_splits()
    raw = WindowDataset(toy_series(50) * 1e30, 5, horizon=1)
    with pytest.raises(FloatingPointError, match="loss: became"):
        fit(ManyToOneLSTM(), raw, epochs=2, lr=1.0, progress_bar=False, clip=None)


def test_predict_and_metrics_are_in_series_units():
    train, _, test = small_splits()
    model, _ = train_once(epochs=10)
    forecast = predict(model, test)
    assert forecast.shape == test.targets.shape
    assert (forecast - test.targets).abs().max() < 0.5  # real units: values near 190, errors small
    found = metrics(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[1.0, 4.0], [3.0, 4.0]]))
    assert found.mae == 0.5 and found.mae_per_step == [0.0, 1.0] and found.rmse == 1.0  # sqrt((0 + 4 + 0 + 0) / 4)
    with pytest.raises(ValueError, match="predictions: expected shape"):
        mae_per_step(torch.zeros(2, 2), torch.zeros(2, 3))


def test_naive_forecasts():
    data = WindowDataset(torch.tensor([1.0, 2, 4, 7, 11, 16]), 3, horizon=2)
    assert naive_forecast(data, "last").tolist() == [[4.0, 4.0], [7.0, 7.0]]
    # FPP3's drift: the last value plus h times the window's mean step, (last - first) / (L - 1)
    assert naive_forecast(data, "drift").tolist() == [[5.5, 7.0], [9.5, 12.0]]  # steps 1.5 and 2.5
    shifted = WindowDataset(torch.tensor([1.0, 2, 4, 7, 11]), 3, shift=2)
    assert naive_forecast(shifted, "last").tolist() == [[1.0, 2.0, 4.0]]  # value seen at each step
    assert naive_forecast(shifted, "drift").tolist() == [[1.0, 4.0, 7.0]]  # 1 (no step yet), 2 + 2*1, 4 + 2*1.5
    assert torch.equal(naive_forecast(data, "mean"), torch.tensor([[7.0, 7], [13, 13]]) / 3)  # the window's mean
    up_to_each_step = torch.tensor([[1.0, 3, 7]]) / torch.tensor([1.0, 2, 3])  # 1, (1 + 2) / 2, (1 + 2 + 4) / 3
    assert torch.equal(naive_forecast(shifted, "mean"), up_to_each_step)
    with pytest.raises(ValueError, match="kind: expected one of 'last', 'drift', 'mean', got 'median'"):
        naive_forecast(data, "median")


def test_checkpoint_round_trip_is_bit_exact(tmp_path):
    train, _, test = small_splits()
    model, _ = train_once()
    path = save_checkpoint(tmp_path / "m.pt", model, scaler=train.scaler, config={"section": "x"})
    loaded, scaler, config = load_checkpoint(path, kind="ManyToOneLSTM")
    assert config == {"section": "x"} and scaler.state() == train.scaler.state()
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, loaded.state_dict()[name])
    assert torch.equal(predict(model, test), predict(loaded, test))


def test_checkpoint_errors(tmp_path):
    model = ManyToManyLSTM(horizon=3)
    path = save_checkpoint(tmp_path / "m.pt", model)
    with pytest.raises(ValueError, match="checkpoint: expected a ManyToOneLSTM checkpoint, got 'ManyToManyLSTM'"):
        load_checkpoint(path, kind="ManyToOneLSTM")
    with pytest.raises(FileNotFoundError, match="checkpoint: no file at"):
        load_checkpoint(tmp_path / "missing.pt")
    with pytest.raises(TypeError, match="model: expected one of"):
        save_checkpoint(tmp_path / "x.pt", torch.nn.Linear(1, 1))


def test_seed_everything_repeats_random_numbers():
    runtime.seed_everything(3)
    first = torch.rand(3)
    runtime.seed_everything(3)
    assert torch.equal(first, torch.rand(3))
    with pytest.raises(ValueError, match="seed: expected an int >= 0, got -1"):
        runtime.seed_everything(-1)


def test_device_choice(monkeypatch):
    monkeypatch.delenv("SEQTUT_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert runtime.choose_device().type == "mps"
    assert runtime.choose_device(recurrent=True).type == "cpu"  # LSTMs avoid MPS unless asked
    assert runtime.choose_device("mps", recurrent=True).type == "mps"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert runtime.choose_device(recurrent=True).type == "cuda"
    monkeypatch.setenv("SEQTUT_DEVICE", "cpu")
    assert runtime.choose_device().type == "cpu"  # the environment overrides the automatic choice
    monkeypatch.setenv("SEQTUT_DEVICE", "tpu")
    with pytest.raises(ValueError, match="device: expected one of"):
        runtime.choose_device()
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="'cuda' was requested but torch sees no CUDA GPU"):
        runtime.choose_device("cuda")


def test_threads_and_setup(monkeypatch, capsys):
    monkeypatch.setenv("SEQTUT_THREADS", "1")
    monkeypatch.setenv("SEQTUT_DEVICE", "cpu")
    assert runtime.set_threads() == 1 and torch.get_num_threads() == 1
    with pytest.raises(ValueError, match="threads: expected a positive int, got 0"):
        runtime.set_threads(0)
    assert runtime.setup(seed=1).type == "cpu"
    assert "device cpu | 1 CPU thread(s)" in capsys.readouterr().out


def test_progress_can_be_switched_off(monkeypatch, capsys):
    monkeypatch.setenv("SEQTUT_PROGRESS", "0")
    assert list(runtime.progress(range(3))) == [0, 1, 2]
    assert capsys.readouterr().err == ""
    assert list(runtime.progress(range(3), enabled=True)) == [0, 1, 2]
    assert "3/3" in capsys.readouterr().err


def test_train_epoch_is_fit_s_epoch_and_returns_the_mean_loss_per_sample():
    """One `train_epoch` over fit's first loader gives fit's first training loss and weights, bit for bit."""
    from seqtut.scalers import make_scaler
    from seqtut.training import make_loader, train_epoch, train_step, window_mse

    series = torch.arange(40, dtype=torch.float32)
    train = WindowDataset(series, 5, horizon=1, scaler=make_scaler("relative").fit(series.unfold(0, 5, 1)))
    torch.manual_seed(0)
    by_fit = ManyToOneLSTM(hidden_size=4)
    by_hand = ManyToOneLSTM(hidden_size=4)
    by_hand.load_state_dict(by_fit.state_dict())
    history = fit(by_fit, train, epochs=1, lr=1e-2, batch_size=8, lr_floor=1.0, progress_bar=False)
    optimizer = torch.optim.Adam(by_hand.parameters(), lr=1e-2)
    loss = train_epoch(by_hand, make_loader(train, 8, shuffle=True, seed=0), window_mse, optimizer, 1.0)
    assert loss == history.train_loss[0]
    assert all(torch.equal(a, b) for a, b in zip(by_fit.state_dict().values(), by_hand.state_dict().values()))
    torch.manual_seed(1)
    model = ManyToOneLSTM(hidden_size=3)
    twin = ManyToOneLSTM(hidden_size=3)
    twin.load_state_dict(model.state_dict())
    batches = [train[[0, 1, 2]], train[[3, 4]]]  # 3 then 2 samples: the mean weighs each sample once
    first, second = (train_step(twin, b, window_mse, torch.optim.SGD(twin.parameters(), lr=0.0), None) for b in batches)
    mean = train_epoch(model, batches, window_mse, torch.optim.SGD(model.parameters(), lr=0.0), None)
    assert mean == pytest.approx((3 * first + 2 * second) / 5, rel=1e-6)


def test_mean_forecast_is_the_histories_mean_everywhere_and_names_a_bad_history():
    targets = torch.zeros(3, 2)
    assert mean_forecast(torch.tensor([1.0, 2.0, 6.0]), targets).tolist() == [[3.0, 3.0]] * 3
    for bad in (torch.tensor([]), torch.ones(2, 2), torch.tensor([1.0, float("nan")])):
        with pytest.raises(ValueError, match="history: expected a non-empty 1-D series of finite values"):
            mean_forecast(bad, targets)

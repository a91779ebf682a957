"""The learning-rate schedule, early stopping, model configs and checkpoint format."""

from __future__ import annotations

import math
import pickle

import pytest
import torch

from seqtut.checkpoints import FORMAT, load_checkpoint, save_checkpoint
from seqtut.data import toy_series, window_splits
from seqtut.lstm import ManyToManyLSTM, ManyToOneLSTM
from seqtut.training import EarlyStopping, fit, lr_factor


def test_lr_factor_warms_up_per_step_then_falls_per_epoch():
    factors = [lr_factor(step, steps_per_epoch=4, epochs=3, warmup=2) for step in range(12)]
    assert factors[:2] == [0.5, 1.0]  # (step + 1) / warmup
    assert factors[2:4] == [1.0, 1.0] and len(set(factors[4:8])) == 1 and len(set(factors[8:])) == 1
    assert math.isclose(factors[4], 1 / 20 + (19 / 20) * (1 + math.cos(math.pi / 3)) / 2)
    assert factors[0] < factors[3] and factors[3] > factors[7] > factors[11] > 1 / 20


def test_fit_follows_lr_factor(monkeypatch):
    train, val, _ = window_splits(toy_series(60), 3, horizon=1, scaler="relative")
    seen = []
    step = torch.optim.Adam.step

    def record(self, *args, **kwargs):
        seen.append(self.param_groups[0]["lr"])
        return step(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.Adam, "step", record)
    fit(ManyToOneLSTM(hidden_size=4), train, epochs=2, lr=0.1, batch_size=16, warmup=3, progress_bar=False)
    per_epoch = math.ceil(len(train) / 16)
    wanted = [0.1 * lr_factor(s, steps_per_epoch=per_epoch, epochs=2, warmup=3) for s in range(2 * per_epoch)]
    assert seen == pytest.approx(wanted, rel=1e-12)


def test_early_stopping_keeps_the_best_weights_and_stops_after_patience():
    model = torch.nn.Linear(1, 1)
    stopping = EarlyStopping(patience=2)
    assert not stopping.update(0, 1.0, model)
    best = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():
        model.weight.add_(1.0)
    assert not stopping.update(1, 2.0, model) and stopping.update(2, 1.5, model)
    stopping.restore(model)
    assert stopping.best_epoch == 0 and torch.equal(model.weight, best["weight"])


def test_fit_rejects_a_negative_clip():
    train, _, _ = window_splits(toy_series(60), 3, horizon=1, scaler="relative")
    with pytest.raises(ValueError, match="clip: expected a finite positive number, got -1"):
        fit(ManyToOneLSTM(hidden_size=4), train, epochs=1, clip=-1)


def test_models_record_their_constructor_arguments():
    assert ManyToOneLSTM(hidden_size=8).config == {"input_size": 1, "hidden_size": 8, "num_layers": 1}
    assert ManyToManyLSTM(2, 8, horizon=3).config == {"input_size": 2, "hidden_size": 8, "num_layers": 1, "horizon": 3}


def test_checkpoints_are_written_atomically_and_verified(tmp_path):
    path = tmp_path / "model.pt"
    model = ManyToManyLSTM(hidden_size=4, horizon=2)
    save_checkpoint(path, model, config={"section": "many-to-many"})
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]  # no temporary file left behind
    loaded, scaler, config = load_checkpoint(path)
    assert scaler is None and config == {"section": "many-to-many"}
    assert all(torch.equal(a, b) for a, b in zip(loaded.state_dict().values(), model.state_dict().values()))

    saved = torch.load(path, weights_only=True)
    saved["state_dict"]["head.bias"] += 1
    torch.save(saved, tmp_path / "changed.pt")
    with pytest.raises(ValueError, match="corrupted .*re-create it with `python -m seqtut run many-to-many`"):
        load_checkpoint(tmp_path / "changed.pt")
    old = {k: v for k, v in torch.load(path, weights_only=True).items() if k not in ("format", "digest")}
    torch.save(old, tmp_path / "old.pt")
    with pytest.raises(ValueError, match=f"has format 1, this seqtut reads format {FORMAT}; re-create it"):
        load_checkpoint(tmp_path / "old.pt")
    (tmp_path / "text.pt").write_text("not a checkpoint")
    with pytest.raises(ValueError, match="text.pt is not a readable seqtut checkpoint"):
        load_checkpoint(tmp_path / "text.pt")
    (tmp_path / "half.pt").write_bytes(path.read_bytes()[:500])
    with pytest.raises(ValueError, match="half.pt is not a readable seqtut checkpoint"):
        load_checkpoint(tmp_path / "half.pt")


def test_unreadable_checkpoint_is_one_message_and_no_warning(tmp_path, recwarn):
    """A foreign pickle: no `{section}` placeholder left in the message, and torch's protocol warning kept quiet."""
    (tmp_path / "foreign.pt").write_bytes(pickle.dumps({"a": 1}, protocol=5))  # torch warns about protocol 5
    with pytest.raises(ValueError, match=r"not a readable seqtut checkpoint .*run SECTION`$") as raised:
        load_checkpoint(tmp_path / "foreign.pt")
    assert "{" not in str(raised.value)
    assert [str(w.message) for w in recwarn] == []

"""A run killed while it writes its checkpoint never loses the last good one."""

from __future__ import annotations

import io
import os
import signal
import time

import pytest
import torch

from seqtut.checkpoints import load_checkpoint, save_checkpoint
from seqtut.lstm import ManyToOneLSTM
from seqtut.transformer import Seq2SeqTransformer


def weights(model: torch.nn.Module) -> list[torch.Tensor]:
    return [t.clone() for t in model.state_dict().values()]


def test_a_write_that_dies_after_k_bytes_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    good, newer = ManyToOneLSTM(hidden_size=4), ManyToOneLSTM(hidden_size=16)
    save_checkpoint(path, good, config={"section": "many-to-one"})
    before = path.read_bytes()
    buffer, real_save = io.BytesIO(), torch.save
    real_save({"state_dict": newer.state_dict()}, buffer)
    size = len(buffer.getvalue())
    points = sorted({0, 1, 64, size // 2, size - 1, *range(0, size, max(1, size // 30))})
    for k in points:

        def dies_after_k_bytes(obj, stream, *args, k=k, **kwargs):
            data = io.BytesIO()
            real_save(obj, data, *args, **kwargs)
            stream.write(data.getvalue()[:k])
            stream.flush()
            raise SystemExit(f"killed after {k} bytes")

        monkeypatch.setattr(torch, "save", dies_after_k_bytes)
        with pytest.raises(SystemExit):
            save_checkpoint(path, newer, config={"section": "many-to-one"})
        monkeypatch.setattr(torch, "save", real_save)
        assert path.read_bytes() == before, k
        model, _, _ = load_checkpoint(path)
        assert all(torch.equal(a, b) for a, b in zip(weights(model), weights(good)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.pt"]  # no temporary file left behind
    assert len(points) >= 30


def test_sigkill_during_endless_saves_always_leaves_a_loadable_checkpoint(tmp_path):
    """A forked child saves the checkpoint again and again; it is killed (SIGKILL) at many moments."""
    path = tmp_path / "model.pt"
    torch.manual_seed(0)
    model = Seq2SeqTransformer(20, d_model=64, nhead=4, dim_feedforward=256)  # about a megabyte of weights
    save_checkpoint(path, model, config={"section": "reverse"})
    for delay in (0.001, 0.003, 0.007, 0.012, 0.02, 0.03, 0.05, 0.08):
        child = os.fork()
        if child == 0:  # the child: save forever, until killed
            try:
                while True:
                    save_checkpoint(path, model, config={"section": "reverse"})
            finally:
                os._exit(1)
        time.sleep(delay)
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        loaded, _, _ = load_checkpoint(path)  # raises if the file were half written
        assert all(torch.equal(a, b) for a, b in zip(weights(loaded), weights(model)))

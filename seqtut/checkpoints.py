"""Save a trained model with its scaler and settings; load it back without running pickled code."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from seqtut.data import Scaler, scaler_from_state
from seqtut.forecaster_transformer import TransformerForecaster
from seqtut.lstm import LSTM_MODELS
from seqtut.transformer import Seq2SeqTransformer

MODELS: dict[str, type[nn.Module]] = {**LSTM_MODELS, "Seq2SeqTransformer": Seq2SeqTransformer}
MODELS["TransformerForecaster"] = TransformerForecaster


def save_checkpoint(
    path: str | Path, model: nn.Module, *, scaler: Scaler | None = None, config: dict | None = None
) -> Path:
    """Write weights, the model's constructor arguments, the scaler and `config` to `path`."""
    kind = type(model).__name__
    if kind not in MODELS:
        raise TypeError(f"model: expected one of {sorted(MODELS)}, got {kind}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "kind": kind,
            "model_config": dict(model.config),
            "state_dict": model.state_dict(),
            "scaler": scaler.state() if scaler is not None else None,
            "config": dict(config or {}),
        },
        path,
    )
    return path


def load_checkpoint(
    path: str | Path, *, kind: str | None = None, map_location: str | torch.device = "cpu"
) -> tuple[nn.Module, Scaler | None, dict]:
    """Rebuild `(model, scaler, config)` from `path`; `kind` checks the model class name.

    `weights_only=True` lets torch.load read tensors and plain containers only, so a
    checkpoint from someone else cannot run code on your machine.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint: no file at {path}")
    saved = torch.load(path, map_location=map_location, weights_only=True)
    if kind is not None and saved.get("kind") != kind:
        raise ValueError(f"checkpoint: expected a {kind} checkpoint, got {saved.get('kind')!r} in {path}")
    model = MODELS[saved["kind"]](**saved["model_config"])
    model.load_state_dict(saved["state_dict"])
    scaler = scaler_from_state(saved["scaler"]) if saved["scaler"] is not None else None
    return model.eval(), scaler, saved["config"]

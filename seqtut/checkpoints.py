"""Save a trained model with its scaler and settings; load it back without running pickled code.

A checkpoint is one `torch.save`d dict: `format` (FORMAT), `kind` (the model class),
`model_config` (its constructor arguments, `model.config`), `state_dict`, `digest` (SHA-256
of the weights), `scaler` (`Scaler.state()` or None) and `config` (section, settings, seed).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from pathlib import Path

import torch
from torch import nn

from seqtut.forecaster_transformer import TransformerForecaster
from seqtut.lstm import ManyToManyLSTM, ManyToOneLSTM, SequenceLSTM
from seqtut.scalers import Scaler, scaler_from_state
from seqtut.transformer import Seq2SeqTransformer

FORMAT = 2
"""Checkpoint format: 2 added `format` and `digest` (format 1, before them, must be re-made)."""

MODELS: dict[str, type[nn.Module]] = {
    cls.__name__: cls
    for cls in (ManyToOneLSTM, ManyToManyLSTM, SequenceLSTM, Seq2SeqTransformer, TransformerForecaster)
}
"""Every model class a checkpoint may hold, by name: the one registry of models."""

REMAKE = "re-create it with `python -m seqtut run {section}`"


def weights_digest(state_dict: dict[str, torch.Tensor]) -> str:
    """SHA-256 over every tensor's name, dtype, shape and bytes, in order."""
    digest = hashlib.sha256()
    for name, tensor in state_dict.items():
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def save_checkpoint(
    path: str | Path, model: nn.Module, *, scaler: Scaler | None = None, config: dict | None = None
) -> Path:
    """Write weights, the model's constructor arguments, the scaler and `config` to `path`.

    The file is written next to `path`, flushed to disk, then renamed over it (`os.replace`):
    a run killed at any moment leaves the old checkpoint or the new one, never half of one.
    """
    kind = type(model).__name__
    if kind not in MODELS:
        raise TypeError(f"model: expected one of {sorted(MODELS)}, got {kind}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()}
    saved = {
        "format": FORMAT,
        "kind": kind,
        "model_config": dict(model.config),
        "state_dict": state,
        "digest": weights_digest(state),
        "scaler": scaler.state() if scaler is not None else None,
        "config": dict(config or {}),
    }
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            torch.save(saved, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _read(path: Path, map_location: str | torch.device) -> dict:
    """torch.load with `weights_only=True`; any failure becomes one ValueError naming the file."""
    remake = REMAKE.format(section="SECTION")  # which section wrote it is inside the file, unread
    try:
        with warnings.catch_warnings():  # torch's own warnings (a pickle protocol, say) are not the user's
            warnings.simplefilter("ignore")
            saved = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as error:  # truncated, not a torch file, or a pickle that asks to run code
        reason = type(error).__name__
        raise ValueError(f"checkpoint: {path} is not a readable seqtut checkpoint ({reason}); {remake}") from None
    if not isinstance(saved, dict):
        raise ValueError(f"checkpoint: {path} holds a {type(saved).__name__}, not a seqtut checkpoint; {remake}")
    return saved


def load_checkpoint(
    path: str | Path, *, kind: str | None = None, map_location: str | torch.device = "cpu"
) -> tuple[nn.Module, Scaler | None, dict]:
    """Rebuild `(model, scaler, config)` from `path`; `kind` checks the model class name.

    `weights_only=True` lets torch.load read tensors and plain containers only, not arbitrary
    pickled objects (before torch 2.10 a crafted file could get past it: CVE-2025-32434,
    CVE-2026-24747). Every problem with the file is one ValueError that names it and says how
    to re-make it.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint: no file at {path}")
    saved = _read(path, map_location)
    config = saved.get("config") if isinstance(saved.get("config"), dict) else {}
    remake = REMAKE.format(section=config.get("section", "NAME"))
    if saved.get("format") != FORMAT:
        found = saved.get("format", 1)
        raise ValueError(f"checkpoint: {path} has format {found!r}, this seqtut reads format {FORMAT}; {remake}")
    if saved.get("kind") not in MODELS:
        raise ValueError(f"checkpoint: {path} holds an unknown model {saved.get('kind')!r}; {remake}")
    if kind is not None and saved["kind"] != kind:
        raise ValueError(f"checkpoint: expected a {kind} checkpoint, got {saved['kind']!r} in {path}")
    if not isinstance(saved.get("model_config"), dict) or not isinstance(saved.get("config"), dict):
        raise ValueError(f"checkpoint: {path} lacks its model_config or config dict; {remake}")
    state = saved.get("state_dict")
    if not isinstance(state, dict) or saved.get("digest") != weights_digest(state):
        raise ValueError(f"checkpoint: {path} is corrupted (its weights do not match their checksum); {remake}")
    try:  # the scaler is checked first: it is cheap, and nothing is built from a malformed file
        scaler = scaler_from_state(saved["scaler"]) if saved.get("scaler") is not None else None
        model = MODELS[saved["kind"]](**saved["model_config"])
        model.load_state_dict(state)
    except (TypeError, ValueError, RuntimeError, KeyError, AttributeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"checkpoint: {path} is malformed ({first[:200]}); {remake}") from None
    return model.eval(), scaler, config

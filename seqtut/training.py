"""One readable training loop for every model in the tutorial, and held-out evaluation.

A loss function takes `(model, batch)` and returns a scalar tensor, so the same `fit`
trains a forecaster (`window_mse`) and a Transformer (`teacher_forcing_loss`).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler

from seqtut.data import WindowDataset
from seqtut.settings import progress

Batch = tuple[torch.Tensor, torch.Tensor]
LossFn = Callable[[nn.Module, Batch], torch.Tensor]


def window_mse(model: nn.Module, batch: Batch) -> torch.Tensor:
    """Mean squared error between `model(x)` (N, H) and targets `y` (N, H)."""
    x, y = batch
    return F.mse_loss(model(x), y)


def teacher_forcing_loss(model: nn.Module, batch: Batch) -> torch.Tensor:
    """Cross-entropy of predicting `tgt[:, 1:]` from `tgt[:, :-1]`; PAD targets are ignored."""
    src, tgt = batch
    logits = model(src, tgt[:, :-1])  # (N, T-1, V): the decoder reads SOS, t1, ..., t_{T-1}
    return F.cross_entropy(logits.flatten(0, 1), tgt[:, 1:].flatten(), ignore_index=model.pad_id)


def make_loader(
    dataset: Dataset, batch_size: int, *, shuffle: bool = False, seed: int = 0, num_workers: int = 0
) -> DataLoader:
    """Batches fetched with one indexing call each (`dataset[list_of_indices]`), not N calls."""
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size: expected a positive int, got {batch_size!r}")
    generator = torch.Generator().manual_seed(seed)
    order = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
    return DataLoader(
        dataset, sampler=BatchSampler(order, batch_size, drop_last=False), batch_size=None, num_workers=num_workers
    )


@dataclass
class History:
    """Per-epoch losses of a `fit` run; `best_epoch` is 0-based, `seconds` is training wall time.

    `epoch_seconds` holds each epoch's wall time (validation included); neither it nor `seconds`
    counts the time spent in `fit`'s `callback`.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    best_epoch: int = -1
    seconds: float = 0.0
    epoch_seconds: list[float] = field(default_factory=list)


@torch.no_grad()
def mean_loss(
    model: nn.Module,
    dataset: Dataset,
    loss_fn: LossFn = window_mse,
    batch_size: int = 512,
    device: torch.device | str = "cpu",
) -> float:
    """The average of `loss_fn` over `dataset`, in evaluation mode."""
    model.eval()
    total, count = 0.0, 0
    for batch in make_loader(dataset, batch_size):
        batch = tuple(t.to(device) for t in batch)
        total += loss_fn(model, batch).item() * len(batch[0])
        count += len(batch[0])
    return total / count


def fit(
    model: nn.Module,
    train: Dataset,
    *,
    epochs: int,
    lr: float = 1e-3,
    batch_size: int = 32,
    loss_fn: LossFn = window_mse,
    val: Dataset | None = None,
    patience: int | None = None,
    device: torch.device | str = "cpu",
    seed: int = 0,
    num_workers: int = 0,
    clip: float | None = 1.0,
    progress_bar: bool | None = None,
    callback: Callable[[int, nn.Module], None] | None = None,
    warmup: int = 0,
) -> History:
    """Train `model` with Adam, one pass over `train` per epoch; return the loss history.

    With `val`, the validation loss is measured after each epoch; with `patience` too,
    training stops once it has not improved for `patience` epochs and the best weights
    are restored. The learning rate follows a cosine curve from `lr` down to `lr / 20`.
    `callback(epoch, model)`, if given, runs after each epoch (0-based `epoch`, the weights as
    trained so far, before any restore); its time is left out of `History.seconds`.
    With `warmup=k`, the first k optimizer steps ramp the learning rate linearly up to its
    scheduled value (k/k at step k): a Transformer then tolerates a higher `lr` from the start.
    """
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs: expected a positive int, got {epochs!r}")
    if not lr > 0:
        raise ValueError(f"lr: expected a positive number, got {lr!r}")
    if patience is not None and val is None:
        raise ValueError("patience: early stopping needs a validation set, got val=None")
    if not isinstance(warmup, int) or isinstance(warmup, bool) or warmup < 0:
        raise ValueError(f"warmup: expected a non-negative int (optimizer steps), got {warmup!r}")
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs, eta_min=lr / 20)
    history, best_state, best = History(), None, float("inf")
    started, paused, steps = time.perf_counter(), 0.0, 0
    bar = progress(range(epochs), total=epochs, desc=type(model).__name__, enabled=progress_bar)
    for epoch in bar:
        epoch_started = time.perf_counter()
        model.train()
        total, count = 0.0, 0
        for batch in make_loader(train, batch_size, shuffle=True, seed=seed + epoch, num_workers=num_workers):
            batch = tuple(t.to(device) for t in batch)
            loss = loss_fn(model, batch)
            if not torch.isfinite(loss):
                raise FloatingPointError(f"loss: became {loss.item()} at epoch {epoch}; lower lr (got {lr})")
            optimizer.zero_grad()
            loss.backward()
            if clip is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip)
            if steps < warmup:  # scale this step's lr, then restore it for the cosine schedule
                scheduled = [group["lr"] for group in optimizer.param_groups]
                for group in optimizer.param_groups:
                    group["lr"] *= (steps + 1) / warmup
            optimizer.step()
            if steps < warmup:
                for group, rate in zip(optimizer.param_groups, scheduled):
                    group["lr"] = rate
            steps += 1
            total, count = total + loss.item() * len(batch[0]), count + len(batch[0])
        schedule.step()
        history.train_loss.append(total / count)
        stop = False
        if val is not None:
            history.val_loss.append(mean_loss(model, val, loss_fn, device=device))
            if history.val_loss[-1] < best:
                best, history.best_epoch = history.val_loss[-1], epoch
                best_state = copy.deepcopy(model.state_dict())
            elif patience is not None and epoch - history.best_epoch >= patience:
                stop = True
        history.epoch_seconds.append(time.perf_counter() - epoch_started)
        if callback is not None:
            callback_started = time.perf_counter()
            callback(epoch, model)
            paused += time.perf_counter() - callback_started
        if stop:
            break
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{history.train_loss[-1]:.4g}")
    if best_state is not None:
        model.load_state_dict(best_state)
    else:
        history.best_epoch = len(history.train_loss) - 1
    history.seconds = time.perf_counter() - started - paused
    model.eval()
    return history


@torch.no_grad()
def predict(
    model: nn.Module, dataset: WindowDataset, device: torch.device | str = "cpu", batch_size: int = 1024
) -> torch.Tensor:
    """The model's forecasts for every window of `dataset`, in series units, (N, H)."""
    model.eval().to(device)
    scaled = torch.cat([model(x.to(device)).cpu() for x, _ in make_loader(dataset, batch_size)])
    return dataset.scaler.inverse(dataset.windows, scaled.reshape(dataset.y.shape))


def _same_shape(predictions: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Both as float tensors, or a ValueError if their shapes differ."""
    predictions, targets = torch.as_tensor(predictions).float(), torch.as_tensor(targets).float()
    if predictions.shape != targets.shape:
        raise ValueError(f"predictions: expected shape {tuple(targets.shape)}, got {tuple(predictions.shape)}")
    return predictions, targets


def mae_per_step(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean absolute error at each horizon step: (N, H), (N, H) -> (H,)."""
    predictions, targets = _same_shape(predictions, targets)
    return (predictions - targets).abs().mean(dim=0)


def mape(predictions: torch.Tensor, targets: torch.Tensor) -> float:
    """Mean absolute percentage error, in %: mean(|prediction - target| / |target|) * 100."""
    predictions, targets = _same_shape(predictions, targets)
    return ((predictions - targets).abs() / targets.abs()).mean().item() * 100


def smape(predictions: torch.Tensor, targets: torch.Tensor) -> float:
    """Symmetric MAPE, in %: mean(2 |prediction - target| / (|prediction| + |target|)) * 100."""
    predictions, targets = _same_shape(predictions, targets)
    return (2 * (predictions - targets).abs() / (predictions.abs() + targets.abs())).mean().item() * 100


@dataclass
class Metrics:
    """Held-out errors in series units: overall MAE and RMSE, and MAE per horizon step."""

    mae: float
    rmse: float
    mae_per_step: list[float]

    def __str__(self) -> str:
        return f"MAE {self.mae:.4f}, RMSE {self.rmse:.4f}"


def metrics(predictions: torch.Tensor, targets: torch.Tensor) -> Metrics:
    """Compare forecasts with targets, both (N, H) in series units."""
    per_step = mae_per_step(predictions, targets)
    rmse = (predictions - targets).pow(2).mean().sqrt().item()
    return Metrics(per_step.mean().item(), rmse, [round(v, 6) for v in per_step.tolist()])


def evaluate(model: nn.Module, dataset: WindowDataset, device: torch.device | str = "cpu") -> Metrics:
    """Held-out errors of `model` on `dataset`, after inverting the dataset's scaler."""
    return metrics(predict(model, dataset, device), dataset.targets)


def naive_forecast(dataset: WindowDataset, kind: str = "last") -> torch.Tensor:
    """Forecasts with no learning, (N, H), from values a model at that step has already seen.

    "last" repeats the last value seen; "drift" adds the last step (value - previous value)
    once per step ahead. For a `shift` dataset the forecast for step t uses values up to t.
    """
    if kind not in ("last", "drift"):
        raise ValueError(f"kind: expected 'last' or 'drift', got {kind!r}")
    windows = dataset.windows
    if dataset.shift is not None:  # target t is the value `shift` steps after input t
        seen, ahead = windows, float(dataset.shift)
        step = torch.cat([torch.zeros_like(windows[:, :1]), windows.diff(dim=1)], dim=1)
    else:  # targets are the `horizon` values after the window
        horizon = dataset.targets.shape[1]
        seen = windows[:, -1:].expand(-1, horizon)
        ahead = torch.arange(1, horizon + 1, dtype=windows.dtype)
        step = windows[:, -1:] - windows[:, -2:-1] if dataset.window > 1 else torch.zeros_like(seen)
    return seen.clone() if kind == "last" else seen + step * ahead

"""One readable training loop for every model in the tutorial, its schedule, and held-out evaluation.

A loss function takes `(model, batch)` and returns a scalar tensor, so the same `fit`
trains a forecaster (`window_mse`) and a Transformer (`teacher_forcing_loss`).
"""

from __future__ import annotations

import copy
import functools
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler

from seqtut.checks import non_negative_int, positive_int, positive_number
from seqtut.data import WindowDataset
from seqtut.metrics import Metrics, metrics
from seqtut.runtime import progress

Batch = tuple[torch.Tensor, torch.Tensor]
LossFn = Callable[[nn.Module, Batch], torch.Tensor]


def window_mse(model: nn.Module, batch: Batch) -> torch.Tensor:
    """Mean squared error between `model(x)` (N, H) and targets `y` (N, H)."""
    x, y = batch
    return F.mse_loss(model(x), y)


def teacher_forcing_loss(model: nn.Module, batch: Batch, label_smoothing: float = 0.0) -> torch.Tensor:
    """Cross-entropy of predicting `tgt[:, 1:]` from `tgt[:, :-1]`; PAD targets are ignored.

    `label_smoothing` is `F.cross_entropy`'s: the target mixes the true token with a uniform share.
    """
    src, tgt = batch
    logits = model(src, tgt[:, :-1])  # (N, T-1, V): it reads SOS, t_0, ..., t_{T-3}, where t_i = tgt[:, i + 1]
    return F.cross_entropy(
        logits.flatten(0, 1), tgt[:, 1:].flatten(), ignore_index=model.pad_id, label_smoothing=label_smoothing
    )


def make_loader(
    dataset: Dataset, batch_size: int, *, shuffle: bool = False, seed: int = 0, num_workers: int = 0
) -> DataLoader:
    """Batches fetched with one indexing call each (`dataset[list_of_indices]`), not N calls."""
    positive_int(batch_size, "batch_size")
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


def lr_factor(step: int, *, steps_per_epoch: int, epochs: int, warmup: int = 0, floor: float = 1 / 20) -> float:
    """The learning rate at optimizer step `step` (0-based), as a fraction of the base `lr`.

    A linear warm-up, (step + 1) / warmup over the first `warmup` steps, times a cosine that
    falls once per epoch from 1 toward `floor`: epoch e = 0..E-1 gets floor + (1 - floor)(1 + cos(pi e / E)) / 2,
    so the last epoch stays a little above `floor`; where warm-up lasts past the first epoch, the product peaks below 1.
    A pure function of the step, so it can be printed, plotted and tested on its own.
    """
    non_negative_int(step, "step")
    positive_int(steps_per_epoch, "steps_per_epoch")
    positive_int(epochs, "epochs")
    epoch = step // steps_per_epoch
    cosine = floor + (1 - floor) * (1 + math.cos(math.pi * epoch / epochs)) / 2
    ramp = (step + 1) / warmup if step < warmup else 1.0
    return ramp * cosine


class EarlyStopping:
    """Remember the weights of the best validation epoch; say stop after `patience` epochs without a new best."""

    def __init__(self, patience: int | None = None) -> None:
        self.patience, self.best, self.best_epoch, self.best_state = patience, math.inf, -1, None

    def update(self, epoch: int, loss: float, model: nn.Module) -> bool:
        """Record epoch `epoch`'s validation `loss`; return True when training should stop."""
        if loss < self.best:
            self.best, self.best_epoch, self.best_state = loss, epoch, copy.deepcopy(model.state_dict())
            return False
        return self.patience is not None and epoch - self.best_epoch >= self.patience

    def restore(self, model: nn.Module) -> None:
        """Load the best weights seen, if a validation loss was ever recorded."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state)


def train_step(model: nn.Module, batch: Batch, loss_fn: LossFn, optimizer: Optimizer, clip: float | None) -> float:
    """One optimizer step: forward and loss -> zero_grad -> backward -> clip -> step; returns the loss."""
    loss = loss_fn(model, batch)
    if not torch.isfinite(loss):
        lr = optimizer.param_groups[0]["lr"]
        raise FloatingPointError(f"loss: became {loss.item()} at learning rate {lr:.3g}; lower lr")
    optimizer.zero_grad()
    loss.backward()
    if clip is not None:  # rescale the gradient so its norm is at most `clip`
        nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss.item()


def train_epoch(
    model: nn.Module,
    loader: Iterable[Batch],
    loss_fn: LossFn,
    optimizer: Optimizer,
    clip: float | None,
    schedule: LRScheduler | None = None,
    *,
    device: torch.device | str = "cpu",
) -> float:
    """One pass over `loader`: a `train_step` per batch, then a `schedule` step; returns the mean loss per sample."""
    model.train()
    total, count = 0.0, 0
    for batch in loader:
        batch = tuple(t.to(device) for t in batch)
        total += train_step(model, batch, loss_fn, optimizer, clip) * len(batch[0])
        count += len(batch[0])
        if schedule is not None:
            schedule.step()
    return total / count


def _check_fit(
    train: Dataset,
    val: Dataset | None,
    epochs: int,
    lr: float,
    patience: int | None,
    clip: float | None,
    warmup: int,
    lr_floor: float,
) -> None:
    """Raise a ValueError naming the first of `fit`'s arguments that cannot be used."""
    if len(train) == 0 or (val is not None and len(val) == 0):
        raise ValueError(f"train/val: expected at least one sample each, got {len(train)} and {len(val or [])}")
    positive_int(epochs, "epochs")
    positive_number(lr, "lr")
    if patience is not None:
        positive_int(patience, "patience")
    if patience is not None and val is None:
        raise ValueError("patience: early stopping needs a validation set, got val=None")
    if clip is not None:
        positive_number(clip, "clip")
    non_negative_int(warmup, "warmup")
    if not 0 < lr_floor <= 1:
        raise ValueError(f"lr_floor: expected a fraction in (0, 1], got {lr_floor!r}")


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
    lr_floor: float = 1 / 20,
) -> History:
    """Train `model` with Adam, one shuffled pass over `train` per epoch; return the loss history.

    The learning rate is `lr` times `lr_factor`: a linear warm-up over `warmup` steps times a cosine
    that falls once per epoch toward `lr * lr_floor` (`lr_floor=1`: a constant rate). With `val`, the validation loss
    is measured after each epoch and the best weights are restored at the end; with `patience`
    too, training stops once it has not improved for `patience` epochs. `callback(epoch, model)`
    runs after each epoch, with the weights as trained so far; its time is left out of `History.seconds`.
    """
    _check_fit(train, val, epochs, lr, patience, clip, warmup, lr_floor)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    per_epoch = math.ceil(len(train) / positive_int(batch_size, "batch_size"))
    factor = functools.partial(lr_factor, steps_per_epoch=per_epoch, epochs=epochs, warmup=warmup, floor=lr_floor)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    history, stopping, paused, started = History(), EarlyStopping(patience), 0.0, time.perf_counter()
    for epoch in progress(range(epochs), total=epochs, desc=type(model).__name__, enabled=progress_bar):
        epoch_started = time.perf_counter()
        loader = make_loader(train, batch_size, shuffle=True, seed=seed + epoch, num_workers=num_workers)
        history.train_loss.append(train_epoch(model, loader, loss_fn, optimizer, clip, schedule, device=device))
        stop = False
        if val is not None:
            history.val_loss.append(mean_loss(model, val, loss_fn, device=device))
            stop = stopping.update(epoch, history.val_loss[-1], model)
        history.epoch_seconds.append(time.perf_counter() - epoch_started)
        if callback is not None:
            callback_started = time.perf_counter()
            callback(epoch, model)
            paused += time.perf_counter() - callback_started
        if stop:
            break
    stopping.restore(model)
    model.eval()
    history.best_epoch = stopping.best_epoch if val is not None else len(history.train_loss) - 1
    history.seconds = time.perf_counter() - started - paused
    return history


@torch.no_grad()
def predict(
    model: nn.Module, dataset: WindowDataset, device: torch.device | str = "cpu", batch_size: int = 1024
) -> torch.Tensor:
    """The model's forecasts for every window of `dataset`, in series units, (N, H)."""
    model.eval().to(device)
    scaled = torch.cat([model(x.to(device)).cpu() for x, _ in make_loader(dataset, batch_size)])
    return dataset.scaler.inverse(dataset.windows, scaled.reshape(dataset.y.shape))


def evaluate(model: nn.Module, dataset: WindowDataset, device: torch.device | str = "cpu") -> Metrics:
    """Held-out errors of `model` on `dataset`, after inverting the dataset's scaler."""
    return metrics(predict(model, dataset, device), dataset.targets)

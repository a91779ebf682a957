"""Notebook 01's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import re

import torch
from torch import nn
from torch.nn import functional as F

from seqtut.exercises import check


def windows_including_the_last_one(series, window):
    inputs = series.unfold(0, window, 1)
    return inputs, torch.cat([series[window:], series[-1:]]).unsqueeze(1)


def windows_with_1d_targets(series, window):
    return series.unfold(0, window, 1)[:-1], series[window:]


def windows_with_the_last_value_as_target(series, window):
    inputs = series.unfold(0, window, 1)[:-1]
    return inputs, inputs[:, -1:]


def windows_that_do_not_overlap(series, window):
    inputs = series[: (len(series) - 1) // window * window].reshape(-1, window)
    return inputs, series[window::window][: len(inputs)].unsqueeze(1)


def _windows(series, window):
    return series.unfold(0, window, 1)[:-1], series[window:].unsqueeze(1)


def split_of_the_list_of_windows(series, window, cut):
    inputs, targets = _windows(series, window)  # training targets run on to cut + window - 1: a leak
    return (inputs[:cut], targets[:cut]), (inputs[cut:], targets[cut:])


def split_without_test_history(series, window, cut):
    return _windows(series[:cut], window), _windows(series[cut:], window)


def split_with_the_cut_inside_training(series, window, cut):
    return _windows(series[: cut + 1], window), _windows(series[cut - window :], window)


def split_with_a_shuffle(series, window, cut):
    inputs, targets = _windows(series, window)
    order = torch.randperm(len(inputs), generator=torch.Generator().manual_seed(0))
    inputs, targets = inputs[order], targets[order]
    n_train = cut - window
    return (inputs[:n_train], targets[:n_train]), (inputs[n_train:], targets[n_train:])


def _loop(model, batches, optimizer, clip, *, zero=True, clip_it=True, order="backward-step", after=False):
    losses = []
    for x, y in batches:
        if zero:
            optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        if order == "step-backward":
            optimizer.step()
            loss.backward()
        else:
            loss.backward()
            if clip_it:
                nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
        losses.append(F.mse_loss(model(x), y).item() if after else loss.item())
    return losses


def loop_without_zero_grad(model, batches, optimizer, clip):
    return _loop(model, batches, optimizer, clip, zero=False)


def loop_that_steps_before_backward(model, batches, optimizer, clip):
    return _loop(model, batches, optimizer, clip, order="step-backward")


def loop_without_clipping(model, batches, optimizer, clip):
    return _loop(model, batches, optimizer, clip, clip_it=False)


def loop_that_reports_the_loss_after_the_step(model, batches, optimizer, clip):
    return _loop(model, batches, optimizer, clip, after=True)


MUTANTS = {
    "windows": [
        windows_including_the_last_one,
        windows_with_1d_targets,
        windows_with_the_last_value_as_target,
        windows_that_do_not_overlap,
    ],
    "split_windows": [
        split_of_the_list_of_windows,
        split_without_test_history,
        split_with_the_cut_inside_training,
        split_with_a_shuffle,
    ],
    "train_loop": [
        loop_without_zero_grad,
        loop_that_steps_before_backward,
        loop_without_clipping,
        loop_that_reports_the_loss_after_the_step,
    ],
}


def test_the_leaky_split_fails_on_the_first_case():
    result = check.split_windows.run(split_of_the_list_of_windows)
    assert result.failed_case == 1 and "expected shape (5, 3), got shape (8, 3)" in result.message


def test_a_loop_without_zero_grad_passes_one_batch_and_fails_on_several():
    result = check.train_loop.run(loop_without_zero_grad)
    assert result.failed_case in (2, 3)
    assert re.search(r"problem:  in item \[3\]: expected 26\.94\d*, got 26\.97", result.message)
    assert "4 batch(es) of x (4, 5, 1), y (4, 1)" in result.message  # batches described in one line
    assert "optimizer=SGD(lr=0.5), clip=1.0" in result.message  # every input on one line
    assert len(result.message.splitlines()) == 6

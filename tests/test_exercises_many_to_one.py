"""Notebook 01's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import pytest
import torch
from exercise_cases import checked_cases
from torch import nn
from torch.nn import functional as F

from seqtut.exercises import check, many_to_one
from seqtut.exercises.many_to_one import ACCUMULATION_MISTAKES, STEPS, windows_ahead
from seqtut.lstm import ManyToOneLSTM
from seqtut.training import train_step, window_mse


def windows_from_the_package(series, window, ahead):
    """The package's make_windows, called as it stands: its targets are every value up to `ahead`."""
    from seqtut.data import make_windows

    return make_windows(series, window, horizon=ahead)


def windows_of_the_next_value(series, window, ahead):
    return series.unfold(0, window, 1)[:-1], series[window:].unsqueeze(1)  # the notebook's ahead = 1


def windows_one_step_too_far(series, window, ahead):
    count = len(series) - window - ahead
    return series.unfold(0, window, 1)[:count], series[window + ahead :].unsqueeze(1)


def windows_with_1d_targets(series, window, ahead):
    count = len(series) - window - ahead + 1
    return series.unfold(0, window, 1)[:count], series[window - 1 + ahead :]


def windows_with_every_value_up_to_ahead(series, window, ahead):
    count = len(series) - window - ahead + 1
    later = series[window:].unfold(0, ahead, 1)[:count]
    return series.unfold(0, window, 1)[:count], later


def windows_for_a_series_long_enough(series, window, ahead):
    """Right whenever a window fits; too short a series gives windows without targets, or unfold's error."""
    count = len(series) - window - ahead + 1
    return series.unfold(0, window, 1)[:count], series[window - 1 + ahead :].unsqueeze(1)


def windows_with_a_clamped_count(series, window, ahead):
    """Right while a window fits in the series; a series shorter than the window makes unfold raise."""
    count = max(len(series) - window - ahead + 1, 0)
    return series.unfold(0, window, 1)[:count], series[window - 1 + ahead :].unsqueeze(1)


def _windows(series, window, ahead):
    count = len(series) - window - ahead + 1
    return series.unfold(0, window, 1)[:count], series[window - 1 + ahead :].unsqueeze(1)


def split_of_the_list_of_windows(series, window, ahead, cut):
    inputs, targets = _windows(series, window, ahead)  # training targets run on past the cut: a leak
    return (inputs[:cut], targets[:cut]), (inputs[cut:], targets[cut:])


def split_without_test_history(series, window, ahead, cut):
    return _windows(series[:cut], window, ahead), _windows(series[cut:], window, ahead)


def split_with_the_next_value_rule(series, window, ahead, cut):
    return _windows(series[:cut], window, ahead), _windows(series[cut - window :], window, ahead)


def split_without_the_precondition(series, window, ahead, cut):
    """Right for every cut >= window - 1 + ahead; below it, a negative start fails inside unfold."""
    history = window - 1 + ahead
    return _windows(series[:cut], window, ahead), _windows(series[cut - history :], window, ahead)


def split_clamping_a_short_cut(series, window, ahead, cut):
    """Right for every cut >= window - 1 + ahead; below it, returns windows whose targets are not series[cut:]."""
    history = window - 1 + ahead
    return _windows(series[:cut], window, ahead), _windows(series[max(cut - history, 0) :], window, ahead)


def split_refusing_the_smallest_cut(series, window, ahead, cut):
    """Refuses cut = window - 1 + ahead too, which is allowed (the first test window starts at index 0)."""
    history = window - 1 + ahead
    if cut <= history:
        raise ValueError(f"cut = {cut} leaves series[cut] without a full window: needs cut > {history}")
    return _windows(series[:cut], window, ahead), _windows(series[cut - history :], window, ahead)


def split_with_the_cut_inside_training(series, window, ahead, cut):
    return _windows(series[: cut + 1], window, ahead), _windows(series[cut - window - ahead + 1 :], window, ahead)


def split_with_the_test_series_one_value_early(series, window, ahead, cut):
    """The first test target is series[cut - 1], the last training target too: a leak, with one window too many."""
    history = window - 1 + ahead
    if cut < history:
        raise ValueError(f"cut = {cut} leaves series[cut] without a full window: needs cut >= {history}")
    return _windows(series[:cut], window, ahead), _windows(series[max(cut - history - 1, 0) :], window, ahead)


def _accumulated(
    model, batches, optimizer, clip, k, *, weight="share", zero_each=False, clip_each=False, clip_group=True
):
    losses, everything = [], list(batches)
    for start in range(0, len(everything), k):
        group = everything[start : start + k]
        samples = sum(len(x) for x, _ in group)
        optimizer.zero_grad()
        for x, y in group:
            if zero_each:
                optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            factor = {"share": len(x) / samples, "batches": 1 / len(group), "k": 1 / k, "none": 1.0}[weight]
            (loss * factor).backward()
            if clip_each:
                nn.utils.clip_grad_norm_(model.parameters(), clip)
            losses.append(loss.item())
        if clip_group:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
    return losses


def loop_with_the_package_train_step(model, batches, optimizer, clip, k):
    """The constraint: the package's step, which steps after every batch."""
    return [train_step(model, batch, window_mse, optimizer, clip) for batch in batches]


def loop_without_weights(model, batches, optimizer, clip, k):
    return _accumulated(model, batches, optimizer, clip, k, weight="none")


def loop_dividing_by_the_number_of_batches(model, batches, optimizer, clip, k):
    return _accumulated(model, batches, optimizer, clip, k, weight="batches")


def loop_dividing_by_k(model, batches, optimizer, clip, k):
    return _accumulated(model, batches, optimizer, clip, k, weight="k")


def loop_that_zeroes_every_batch(model, batches, optimizer, clip, k):
    return _accumulated(model, batches, optimizer, clip, k, zero_each=True)


def loop_that_clips_every_batch(model, batches, optimizer, clip, k):
    return _accumulated(model, batches, optimizer, clip, k, clip_each=True)


def loop_that_never_clips(model, batches, optimizer, clip, k):
    return _accumulated(model, batches, optimizer, clip, k, clip_group=False)


def loop_on_the_whole_group_at_once(model, batches, optimizer, clip, k):
    """The constraint: one forward pass on the group's batches put together (the same gradient, no accumulation)."""
    losses, everything = [], list(batches)
    for start in range(0, len(everything), k):
        group = everything[start : start + k]
        x, y = torch.cat([x for x, _ in group]), torch.cat([y for _, y in group])
        optimizer.zero_grad()
        out = model(x)
        F.mse_loss(out, y).backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        edges = torch.tensor([0] + [len(b) for b, _ in group]).cumsum(0)
        losses += [F.mse_loss(out[a:b], y[a:b]).item() for a, b in zip(edges[:-1], edges[1:])]
    return losses


MUTANTS = {
    "windows": [
        windows_from_the_package,
        windows_of_the_next_value,
        windows_one_step_too_far,
        windows_with_1d_targets,
        windows_with_every_value_up_to_ahead,
        windows_for_a_series_long_enough,
        windows_with_a_clamped_count,
    ],
    "split_windows": [
        split_of_the_list_of_windows,
        split_without_test_history,
        split_with_the_next_value_rule,
        split_with_the_cut_inside_training,
        split_with_the_test_series_one_value_early,
        split_without_the_precondition,
        split_clamping_a_short_cut,
        split_refusing_the_smallest_cut,
    ],
    "accumulated_loop": [
        loop_with_the_package_train_step,
        loop_on_the_whole_group_at_once,
        loop_without_weights,
        loop_dividing_by_the_number_of_batches,
        loop_dividing_by_k,
        loop_that_zeroes_every_batch,
        loop_that_clips_every_batch,
        loop_that_never_clips,
    ],
}


def test_the_windows_the_checker_expects_are_those_of_the_package():
    from seqtut.data import make_windows

    series = torch.arange(20, dtype=torch.float32) ** 2
    for window, ahead in [(5, 1), (3, 2), (1, 4)]:
        inputs, targets = make_windows(series, window, horizon=ahead)
        mine = windows_ahead(series, window, ahead)
        assert torch.equal(mine[0], inputs) and torch.equal(mine[1], targets[:, -1:])


def test_each_usual_window_mistake_gets_its_own_hint():
    report = check.windows.run(windows_of_the_next_value).message
    assert "case 2 of 7" in report and "not the one right after it" in report
    report = check.windows.run(windows_with_1d_targets).message
    assert "hint:     keep the target 2-D" in report
    report = check.windows.run(windows_with_every_value_up_to_ahead).message
    assert "hint:     return only the value `ahead` steps after the window" in report


def test_a_series_too_short_for_any_window_gives_empty_tensors():
    from seqtut.exercises.many_to_one import TOO_SHORT

    for values, window, ahead in [(6, 5, 3), (4, 5, 1), (5, 5, 1)]:
        inputs, targets = windows_ahead(torch.arange(values, dtype=torch.float32), window, ahead)
        assert inputs.shape == (0, window) and targets.shape == (0, 1)
    report = check.windows.run(windows_for_a_series_long_enough).message
    assert "case 6 of 7" in report and f"hint:     {TOO_SHORT}" in report, report
    report = check.windows.run(windows_with_a_clamped_count).message
    assert "case 7 of 7 fails: 4 values, windows of 5" in report and "RuntimeError" in report, report


def test_each_usual_split_mistake_gets_its_own_hint():
    report = check.split_windows.run(split_of_the_list_of_windows).message
    assert report.startswith("✗ split_windows: case 1 of 6") and "hint:     cutting the list of windows" in report
    report = check.split_windows.run(split_with_the_next_value_rule).message
    assert "case 2 of 6" in report and "with ahead > 1 the test series starts earlier" in report
    report = check.split_windows.run(split_without_test_history).message
    assert "hint:     the first test window reads values before the cut" in report


def test_a_test_part_that_reaches_back_before_the_cut_is_named_a_leak_before_its_shape():
    report = check.split_windows.run(split_with_the_test_series_one_value_early).message
    assert "case 1 of 6" in report and "expected shape" in report, report
    assert "hint:     your first test target lies before `cut`, where the training targets are (a leak)" in report
    assert "shape or dtype first" not in report


def test_a_cut_too_short_for_a_full_window_must_raise():
    for mutant in (split_without_the_precondition, split_clamping_a_short_cut):
        report = check.split_windows.run(mutant).message
        assert "case 6 of 6" in report and "raise a ValueError" in report, report


def test_the_smallest_allowed_cut_must_not_raise():
    report = check.split_windows.run(split_refusing_the_smallest_cut).message
    assert "case 5 of 6 fails: 20 values, windows of 5, 3 ahead, cut at 7 = window - 1 + ahead, allowed" in report
    assert "ValueError: cut = 7 leaves series[cut] without a full window" in report, report


def test_the_package_step_is_caught_by_the_step_count_and_named():
    report = check.accumulated_loop.run(loop_with_the_package_train_step).message
    assert "your loop called optimizer.step() 2 time(s) for 2 batches in groups of k = 2: expected 1" in report
    assert f"hint:     {ACCUMULATION_MISTAKES['step every batch']}" in report
    assert "batches=2 batch(es) of x (N, 5, 1), y (N, 1); N = 4, 4, optimizer=SGD(lr=0.1), clip=100.0, k=2" in report
    assert not STEPS  # the counts of earlier runs are not kept


def test_a_group_put_together_is_caught_by_the_model_that_counts_its_windows():
    report = check.accumulated_loop.run(loop_on_the_whole_group_at_once).message
    assert "your loop gave the model 8 windows at once, more than any batch holds (4)" in report
    assert "model=ManyToOneLSTM(" in report


def loop_keeping_every_graph_of_a_group(model, batches, optimizer, clip, k):
    """Right losses and weights, but one backward per group on the pooled loss: every graph kept until then."""
    model.train()
    batches = list(batches)
    losses = []
    for start in range(0, len(batches), k):
        group = batches[start : start + k]
        samples = sum(len(x) for x, _ in group)
        optimizer.zero_grad()
        total = 0
        for x, y in group:
            loss = F.mse_loss(model(x), y)
            losses.append(loss.item())
            total = total + loss * len(x) / samples
        total.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
    return losses


def test_a_group_whose_graphs_are_all_kept_until_one_backward_is_caught():
    report = check.accumulated_loop.run(loop_keeping_every_graph_of_a_group).message
    assert "case 1 of 6" in report and "forward pass before the previous batch's backward" in report


def test_equal_weights_for_batches_of_different_sizes_are_caught():
    report = check.accumulated_loop.run(loop_dividing_by_the_number_of_batches).message
    assert "case 2 of 6" in report and f"hint:     {ACCUMULATION_MISTAKES['equal weights']}" in report


def test_each_usual_accumulation_mistake_is_named():
    """By its losses (the hint) or, where the losses are right, by the weights after the last step (the problem)."""
    weights_wrong = "the weights after your last step are not: "
    for mutant, mistake, where in [
        (loop_that_clips_every_batch, "clip every batch", "hint:     "),
        (loop_that_never_clips, "no clip", "hint:     "),
        (loop_without_weights, "no weighting", weights_wrong),
        (loop_that_zeroes_every_batch, "zero_grad every batch", weights_wrong),
    ]:
        assert f"{where}{ACCUMULATION_MISTAKES[mistake]}" in check.accumulated_loop.run(mutant).message, mistake


def test_a_training_part_that_stops_early_is_told_so():
    from seqtut.exercises.many_to_one import split_ahead

    def stops_early(series, window, ahead, cut):
        (train_x, train_y), test = split_ahead(series, window, ahead, cut)
        return (train_x[:-1], train_y[:-1]), test

    message = check.split_windows.run(stops_early).message
    assert "too few training windows" in message, message


# --- the case builders and their helper, called directly -----------------------------------------------------------


class LastValueTimesW(nn.Module):
    """A model small enough to follow by hand: w · (each window's last value), w starting at 0."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w * x[:, -1, :]


def _by_hand_batches() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """3 batches of windows (N, 5, 1) whose last values are 1, 1 | 2 | 1, with targets 2, 2 | 2 | 3."""

    def batch(lasts: list[float], targets: list[float]) -> tuple[torch.Tensor, torch.Tensor]:
        return torch.tensor(lasts).reshape(-1, 1, 1).expand(-1, 5, 1).clone(), torch.tensor(targets).reshape(-1, 1)

    return [batch([1.0, 1.0], [2.0, 2.0]), batch([2.0], [2.0]), batch([1.0], [3.0])]


@pytest.mark.parametrize(
    ("clip", "mistake", "losses", "steps", "w"),
    [
        # group 1 (batches 1, 2: 3 windows) at w = 0: MSEs 4 and 4; the gradient of the MSE over its 3 windows,
        # mean(2 (w x - y) x) = (-4 - 4 - 8) / 3 = -16/3, so w = 0.1 · 16/3 = 0.5333; group 2 (batch 3) at that w:
        # MSE (0.5333 - 3)² = 6.0844, gradient -4.9333, so w = 1.0267
        (100.0, "", [4.0, 4.0, 6.084444], 2, 1.026667),
        (1.0, "", [4.0, 4.0, 8.41], 2, 0.2),  # each group's gradient clipped to norm 1: w = 0.1, then 0.2
        (100.0, "step every batch", [4.0, 1.44, 4.4944], 3, 1.304),
        (100.0, "report the weighted loss", [4.0 * 2 / 3, 4.0 / 3, 6.084444], 2, 1.026667),  # weights 2/3 and 1/3
    ],
)
def test_accumulate_steps_once_per_group_of_k_on_the_mse_over_the_groups_windows(clip, mistake, losses, steps, w):
    model = LastValueTimesW()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    got, stepped = many_to_one.accumulate(model, _by_hand_batches(), optimizer, clip, 2, mistake=mistake)
    assert got == pytest.approx(losses, rel=1e-5) and stepped == steps and model.w.item() == pytest.approx(w, rel=1e-5)


def test_windows_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(many_to_one.windows_cases)
    inputs, targets = cases[0].expected  # the line 0..6, windows of 5, the next value
    assert torch.equal(inputs, torch.tensor([[0.0, 1, 2, 3, 4], [1, 2, 3, 4, 5]]))
    assert torch.equal(targets, torch.tensor([[5.0], [6.0]]))


def test_split_windows_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(many_to_one.split_windows_cases)
    for case in cases:
        series, window, ahead, cut = case.args
        if case.raises is not None:  # below cut = window - 1 + ahead, a ValueError
            assert case.raises is ValueError and cut < window - 1 + ahead
            continue
        (_, train_targets), (_, test_targets) = case.expected
        assert torch.equal(train_targets.flatten(), series[window - 1 + ahead : cut])  # every target before the cut
        assert torch.equal(test_targets.flatten(), series[cut:])  # exactly the values from the cut on
    assert sum(case.raises is not None for case in cases) == 1


def test_accumulated_loop_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(many_to_one.accumulated_loop_cases)
    (case,) = [c for c in cases if c.description == "2 batches, k = 2: one step"]
    model, batches, _, clip, k = case.args
    with torch.no_grad():  # one group, so both losses are measured before its step: at the starting weights
        by_hand = [F.mse_loss(ManyToOneLSTM.forward(model, x), y).item() for x, y in batches]
    assert (clip, k) == (100.0, 2) and case.expected == pytest.approx(by_hand, rel=1e-6)

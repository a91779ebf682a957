# %% [markdown]
# # Solutions to notebook 01's exercises

# %%
from torch import nn
from torch.nn import functional as F

# %% [markdown]
# ## 1. Windows for a forecast `ahead` steps on
#
# Window i is `series[i : i + window]`; its last value sits at `i + window - 1`, so its target sits
# at `i + window - 1 + ahead`. The last window needs that index inside the series, which leaves
# `T - window - ahead + 1` windows (`T - window` for the notebook's `ahead = 1`). `unfold` builds
# every window without a loop; the windows beyond the first N have no target. The target keeps a
# dimension of size 1, `(N, 1)`, the shape the model outputs. A series shorter than `window + ahead`
# has no window: the count would be negative (slicing windows off the end) and `unfold` refuses a
# window longer than the series, so that case returns empty tensors, `(0, window)` and `(0, 1)`.


# %%
def my_windows(series, window, ahead):
    """series (T,) -> inputs (N, window), targets (N, 1): the value `ahead` steps after each window's last."""
    count = len(series) - window - ahead + 1
    if count <= 0:  # no window has its target inside the series
        return series.new_zeros(0, window), series.new_zeros(0, 1)
    inputs = series.unfold(0, window, 1)[:count]
    targets = series[window - 1 + ahead :].unsqueeze(1)
    return inputs, targets


# %% [markdown]
# ## 2. A split in time without leakage
#
# Cut the series, not the windows. Training windows come from `series[:cut]` only, so no training
# target lies at `cut` or later. The first test target is `series[cut]`; its window ends `ahead`
# steps before it, so the test windows read the series from `window - 1 + ahead` values before the
# cut. Their inputs read history the model also trained on (that is allowed: it is the past), while
# their targets, `series[cut:]`, were never training targets. Cutting the list of all windows at
# `cut` instead would train on targets up to `cut + window + ahead - 2`. Below `cut = window - 1 +
# ahead` the first test window would start before index 0, so the function refuses such a cut.


# %%
def my_split_windows(series, window, ahead, cut):
    """series (T,) -> ((train inputs, train targets), (test inputs, test targets)), split at index `cut`."""
    history = window - 1 + ahead  # values the first test target's window reads before the cut, and the gap
    if cut < history:
        raise ValueError(f"cut = {cut} leaves series[cut] without a full window: needs cut >= {history}")
    return my_windows(series[:cut], window, ahead), my_windows(series[cut - history :], window, ahead)


# %% [markdown]
# ## 3. Accumulating gradients
#
# `backward` adds to the gradients already there, so a group's gradients are summed by calling it
# once per batch and clearing them only once per group. The MSE over all of a group's samples is
# the sum of each batch's MSE times its share of those samples (its `N` over their total), so
# weighting each loss so makes the summed gradient that of one batch as large as the group: what
# accumulation stands in for when such a batch does not fit in memory. (Dividing by the number of
# batches instead gives the same only when the batches are the same size; a DataLoader's last batch
# often is not.) The group's samples must be counted before its first `backward`, so the loop
# collects a group's batches first. Then it clips that sum and steps, once. A loss is read before
# its group's step, and reported unweighted.


# %%
def my_accumulated_loop(model, batches, optimizer, clip, k):
    """One pass over `batches`, one step per group of k: returns each batch's MSE, measured before its step."""
    losses, group = [], []
    model.train()
    for batch in batches:
        group.append(batch)
        if len(group) < k and len(losses) + len(group) < len(batches):
            continue  # the group is not complete yet, and more batches follow
        samples = sum(len(x) for x, _ in group)
        optimizer.zero_grad()
        for x, y in group:
            loss = F.mse_loss(model(x), y)
            (loss * len(x) / samples).backward()  # backward adds to .grad: the group's gradients are summed
            losses.append(loss.item())
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        group = []
    return losses

# %% [markdown]
# # Solutions to notebook 03's exercises

# %%
import torch

# %% [markdown]
# ## 1. The head's read of `out`
#
# A one-directional LSTM's output at step `t` has read `x[:, :t + 1]` only, so the one output that
# has read the whole window is the last: `out[:, -1]`. The original's `out[:, -5]` never saw the four
# values closest to the forecast; `out[:, 0]` saw one value; the mean over all steps mixes outputs
# that saw a little of the window with the one that saw all of it.


# %%
def my_head_features(out):
    """out (N, L, H), the LSTM's output at every step -> (N, H), what the head reads."""
    return out[:, -1]


# %% [markdown]
# ## 2. The drift baseline
#
# The mean step over the window is `(windows[:, -1] - windows[:, 0]) / (L - 1)` (FPP3's drift method,
# with the window as the history); `k` steps ahead drift adds it `k` times. Slicing with `-1:` keeps a
# dimension of size 1, so the `(N, 1)` step broadcasts against the `(horizon,)` multipliers 1..horizon
# into `(N, horizon)`.


# %%
def my_drift_forecast(windows, horizon):
    """windows (N, L), L >= 2 -> (N, horizon): last value + k * (mean step), k = 1..horizon."""
    last = windows[:, -1:]
    step = (last - windows[:, :1]) / (windows.shape[1] - 1)
    return last + step * torch.arange(1, horizon + 1, dtype=windows.dtype)


# %% [markdown]
# ## 3. The floor
#
# Without its kicks the recurrence is deterministic: from the last two values, each next value is
# `1.8 * last - 0.95 * before`, and it becomes the `last` of the next step. A loop over the steps is
# needed (each needs the one before); the batch is handled at once by working on columns.


# %%
def my_ar2_forecast(windows, steps):
    """windows (N, L), L >= 2 -> (N, steps): x_t = 1.8 x_{t-1} - 0.95 x_{t-2}, run `steps` times."""
    before, last = windows[:, -2], windows[:, -1]
    forecasts = []
    for _ in range(steps):
        before, last = last, 1.8 * last - 0.95 * before
        forecasts.append(last)
    return torch.stack(forecasts, dim=1)

# %% [markdown]
# # Solutions to notebook 03's exercises

# %%
import torch

# %% [markdown]
# ## 1. What the head never read
#
# A one-directional LSTM gives its output at step `t` after reading `x[:, 0]`, ..., `x[:, t]`, and
# nothing later. `read % length` turns a negative index into its step number, as Python's indexing
# does (`-5` in a window of 50 is step 45); the output there has never read the steps after it. The
# original's head reads step 45 of 0..49 and misses 46..49; a head reading the last step misses
# nothing. The backward direction of a bidirectional layer is the mirror image: it starts at the last
# step, so at step `t` it has read `x[:, t]` to the end and misses the steps before `t` (with one
# layer; in a stack, notebook 00 shows, the layer below has read them all). To check a prediction by
# running, change one input step at a time and see whether `out[:, read]` moves, in float64
# (`lstm.double()`): in float32 a distant step's effect can fall below rounding and look unread.


# %%
def my_unseen_steps(length, read, backward=False):
    """Windows of `length` steps, a head reading out[:, read] (its backward half if `backward`) -> steps never read."""
    at = read % length  # the step the head reads, from 0 to length - 1
    return list(range(at)) if backward else list(range(at + 1, length))


# %% [markdown]
# ## 2. The best forecast of an AR(p)
#
# Given the past, the next value of an AR(p) is `phis[0] * x[t-1] + ... + phis[p-1] * x[t-p]` plus a
# kick no one can foresee, whose mean is 0: so the best forecast (the mean of what can come, given
# the past) runs the recurrence forward without kicks, each forecast standing in for the value it
# forecasts. Only the last `p` values matter. Keeping them in a list from oldest to newest,
# `values[-1 - j]` is the value `j + 1` steps back, the one `phis[j]` multiplies.


# %%
def my_ar_forecast(windows, steps, phis):
    """windows (N, L), L >= p = len(phis) -> (N, steps): x_t = phis[0] x_{t-1} + ... + phis[p-1] x_{t-p}."""
    p = len(phis)
    values = list(windows[:, -p:].unbind(dim=1))  # the last p columns, each (N,), oldest first
    for _ in range(steps):
        values.append(sum(phi * values[-1 - j] for j, phi in enumerate(phis)))
    return torch.stack(values[p:], dim=1)


# %% [markdown]
# ## 3. A one-step model rolled forward
#
# The window slides by one value per step: the oldest value drops out and the forecast just made
# comes in as the newest, so `one_step` always reads `L` values in time order, as it was trained to.
# A forecast read back carries its error into every later step; a head that forecasts all horizon
# steps at once, as notebook 03's does, reads nothing back, but is trained for one horizon only. With
# `one_step` the AR(2) equation, rolling it gives `ar2_forecast`'s values: the equation is a one-step
# model rolled forward.


# %%
def my_recursive_forecast(one_step, windows, steps):
    """one_step: (N, L) -> (N,); windows (N, L) -> (N, steps), each forecast fed back as the newest value."""
    forecasts = []
    for _ in range(steps):
        forecast = one_step(windows)  # (N,)
        forecasts.append(forecast)
        windows = torch.cat([windows[:, 1:], forecast.unsqueeze(1)], dim=1)  # drop the oldest, add the newest
    return torch.stack(forecasts, dim=1)

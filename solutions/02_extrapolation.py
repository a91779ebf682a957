# %% [markdown]
# # Solutions to notebook 02's exercises

# %%
import torch

# %% [markdown]
# ## 1. Alike at any level and steepness
#
# Subtracting a value of the window (here its last) removes the level `b`: `(a·w + b) − (a·w_L + b)`
# is `a·(w − w_L)`. Dividing by a spread measured in the same window (here its standard deviation,
# which `a·w + b` multiplies by `a > 0`) removes `a`. What is left depends on the window's shape
# alone, so a window at 1500 that rises three times as fast as one at 10 gets the same inputs.
# A constant window has a spread of 0: the floor 1e-8 keeps its inputs at 0 instead of 0 / 0, and
# changes no window whose spread is above it.
# Per-window ("instance") normalization, e.g. RevIN (Kim et al., ICLR 2022), is close: it measures
# from the window's mean, and adds 1e-5 to the variance instead of flooring the spread, which shrinks
# the inputs of a window whose spread is small (the checker's line rising 0.001 a step). A model
# trained on such inputs predicts in the same units: its inverse multiplies an output by the window's
# spread and adds the window's last value back.


# %%
def my_shape_inputs(windows):
    """windows (N, L), L >= 2 -> inputs (N, L, 1) that depend on each window's shape only."""
    spread = windows.std(dim=1, keepdim=True).clamp(min=1e-8)
    return ((windows - windows[:, -1:]) / spread)[..., None]


# %% [markdown]
# ## 2. The stationary bootstrap
#
# Politis & Romano (1994) begin a new run at position 0 and then at each later position with
# probability `p = 1/block`, independently, so a run's length is `k` with chance `(1 − p)^(k − 1)·p`
# (geometric, `k = 1, 2, …`, mean `block`). Each run starts at a window drawn evenly from 0 to
# `n − 1` and goes on with the next window, wrapping from `n − 1` to 0. Since every start is
# equally likely and runs wrap, every position of a row holds each window with the same chance,
# `1/n`, and the resampled series is stationary (given the data), which gives the method its name.
#
# Without a loop: `begins` marks where runs begin, `starts` holds a random start for every position
# (only those where a run begins are used). `cummax` over the positions where a run begins gives,
# for each position, where its run began; the index is that run's start plus the distance from
# there, modulo `n`.


# %%
def my_stationary_indices(n, block, resamples):
    """(resamples, n) int64 indices: runs of geometric length with mean `block`, uniform starts, wrapping."""
    begins = torch.rand(resamples, n) < 1 / block  # a new run begins here
    begins[:, 0] = True  # every row begins with a run
    starts = torch.randint(0, n, (resamples, n))  # a start for a run beginning at each position
    positions = torch.arange(n).expand(resamples, n)
    began = torch.where(begins, positions, 0).cummax(dim=1).values  # where the current run began
    return (starts.gather(1, began) + positions - began) % n

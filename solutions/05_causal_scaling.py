# %% [markdown]
# # Solutions to notebook 05's exercises
#
# Steps are numbered from 1, as in notebooks 04 and 05: step `t` reads `x[t - 1]`.

# %%
import torch

# %% [markdown]
# ## 1. Which inputs can a value move?
#
# Change one value at a time, in a fresh copy, and compare the inputs the scaler gives with those of
# the original window: column `k` is where they differ. Changing only the last value, as the
# notebook's cell did, finds the leak of the last-value scaler but misses every other dependence.
# Patterns worth knowing: a causal scaler has nothing above the diagonal (necessary, not sufficient:
# its inverse must also add back only what each step has read); with a start-relative or
# running-mean scaler step 1's input is `x[0] - x[0] = 0`, so even `x[0]` cannot move it; a window
# standardized by its own mean and standard deviation lets every value move every input.


# %%
def my_dependence(scale_fn, window):
    """scale_fn (N, L) -> (N, L), window (L,) -> bool (L, L): [t - 1, k] is True when x[k] moves step t's input."""
    before = scale_fn(window[None])[0]
    columns = []
    for k in range(len(window)):
        changed = window.clone()
        changed[k] += 1.0  # a visible change: one of 1e-9 would be lost in float32 rounding
        columns.append(scale_fn(changed[None])[0] != before)
    return torch.stack(columns, dim=1)


# %% [markdown]
# ## 2. A running-mean scaler
#
# Step `t` has read `t` values, so its mean is the cumulative sum up to `x[t - 1]` divided by `t`: the
# counts `1, 2, ..., L`, shape `(L,)`, line up with the last dimension and divide every window's
# cumulative sums at once. The scale is one number fitted on the training windows (torch's default
# `.std()`, `n - 1` in the denominator, step 1's zeros included) and used unchanged on the test windows,
# never one computed from them. The inverse adds back the running mean of the windows it is given:
# an output at step `t` then depends on `x[0]` to `x[t - 1]` alone.


# %%
def my_running_mean_scaler(train_windows, test_windows):
    """train (M, L), test (N, L) -> (scaled test (N, L), inverse(windows, scaled) -> (N, L))."""

    def running_mean(windows):
        counts = torch.arange(1, windows.shape[1] + 1, dtype=windows.dtype)
        return windows.cumsum(dim=1) / counts

    scale = (train_windows - running_mean(train_windows)).std().item()

    def inverse(windows, scaled):
        return scaled * scale + running_mean(windows)

    return (test_windows - running_mean(test_windows)) / scale, inverse

# %% [markdown]
# # Solutions to notebook 05's exercises

# %% [markdown]
# ## 1. Start-relative inputs
#
# The first value is the only value of the window that every step has read, so measuring from it
# keeps the input at step `t` (numbered from 1, as in notebooks 04 and 05: step `t` reads `x[t - 1]`)
# a function of `x[0]` to `x[t - 1]`, the values read so far. `windows[:, :1]` keeps its dimension,
# `(N, 1)`, so it broadcasts along the steps; `windows[:, 0]`, `(N,)`, would broadcast along the
# wrong axis (or fail) unless reshaped.


# %%
def my_start_relative(windows, scale):
    """windows (N, L), scale a float -> (N, L): each value minus its window's first value, over scale."""
    return (windows - windows[:, :1]) / scale


# %% [markdown]
# ## 2. A causal scaler, fitted on training data only
#
# The scale is fitted once, on the training windows, each measured from its own first value; the test
# windows are then scaled with that same number, never with one computed from themselves (that would
# let the test data shape the model's inputs). The inverse multiplies by the scale and adds back the
# same reference value, the window's first value, so an output at step `t` still depends on
# `x[0]` to `x[t - 1]` alone.


# %%
def my_causal_scaler(train_windows, test_windows):
    """train (M, L), test (N, L) -> (scaled test (N, L), inverse(windows, scaled) -> (N, L))."""
    scale = (train_windows - train_windows[:, :1]).std().item()

    def inverse(windows, scaled):
        return scaled * scale + windows[:, :1]

    return (test_windows - test_windows[:, :1]) / scale, inverse

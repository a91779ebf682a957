# %% [markdown]
# # Solutions to notebook 02's exercises

# %% [markdown]
# ## 1. Window-relative inputs
#
# Each window is measured from its own last value, `windows[:, -1:]` (the `-1:` keeps a dimension
# of size 1, so it broadcasts over the window's L steps), then divided by the scale fitted on the
# training windows. Nothing outside the window is used, so a window at 1500 gives the same inputs as
# the same shape at 10. The LSTM wants one feature per step: `(N, L, 1)`.


# %%
def my_relative_inputs(windows, scale):
    """windows (N, L) in series units, a positive scale -> inputs (N, L, 1) in model units."""
    return ((windows - windows[:, -1:]) / scale).unsqueeze(-1)


# %% [markdown]
# ## 2. The inverse
#
# The targets were scaled the same way, `(target - last value) / scale`, so the inverse undoes the
# two steps in reverse order: multiply by the scale, then add back each window's own last value.


# %%
def my_relative_inverse(windows, scaled, scale):
    """windows (N, L), forecasts (N, H) in model units, the scale -> forecasts (N, H) in series units."""
    return scaled * scale + windows[:, -1:]


# %% [markdown]
# ## 3. Fitting the scale
#
# The scale is the standard deviation of every relative value of the training windows (torch's
# default, unbiased), never of the raw values: the model sees relative values, so those are what
# should come out near unit size. Constant windows give 0, and a scale of 0 would divide by zero,
# so the scale never goes below 1e-8.


# %%
def my_relative_scale(windows):
    """Training windows (N, L) -> the scale, a positive float."""
    return max((windows - windows[:, -1:]).std().item(), 1e-8)

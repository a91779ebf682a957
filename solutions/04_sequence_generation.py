# %% [markdown]
# # Solutions to notebook 04's exercises

# %%
import torch

# %% [markdown]
# ## 1. One head for every step
#
# `nn.Linear` multiplies the **last** dimension by its weight and leaves every other dimension
# alone, so `head(features)` maps `(N, L, H)` to `(N, L, 1)` in one call. `squeeze(-1)` then drops
# only that last size-1 dimension; a bare `squeeze()` would also drop `N` or `L` when either is 1.


# %%
def my_per_step_head(head, features):
    """head nn.Linear(H, 1), features (N, L, H) -> (N, L): the head at every step, in one call."""
    return head(features).squeeze(-1)


# %% [markdown]
# ## 2. Per-step training pairs
#
# Pair `i` reads `series[i : i + window]` and is trained to output `series[i + shift : i + shift +
# window]`. Its target's last value sits at index `i + shift + window - 1`, which must be below
# `test_start`: so `i` runs from 0 to `test_start - window - shift`, that is `test_start - window -
# shift + 1` pairs. Stopping at the inputs' end instead would let targets reach into the test split.


# %%
def my_training_pairs(series, window, shift, test_start):
    """series (T,) -> (inputs, targets), each (N, window); no target value at index >= test_start."""
    count = test_start - window - shift + 1
    inputs = torch.stack([series[i : i + window] for i in range(count)])
    targets = torch.stack([series[i + shift : i + shift + window] for i in range(count)])
    return inputs, targets

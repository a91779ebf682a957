# %% [markdown]
# # Solutions to notebook 04's exercises
#
# Steps are numbered from 1, as in the notebook: step `t` reads `x[t - 1]`.

# %%
import torch  # noqa: F401 - the names a learner's notebook has

# %% [markdown]
# ## 1. A time-first head
#
# `nn.Linear` acts on the **last** dimension and carries every other one along, so one call maps the
# time-first `(L, N, H)` to `(L, N, 1)`. `squeeze(-1)` drops only that size-1 dimension (a bare
# `squeeze()` would also drop `N` or `L` when either is 1), leaving `(L, N)`; `transpose(0, 1)` then
# swaps steps and windows. `reshape(N, L)` would not: it keeps the values in their order, steps first,
# and only regroups them, so its first row would hold step 1's outputs for windows 0, 1, ..., not
# window 0's outputs at steps 1, 2, ...


# %%
def my_time_first_head(head, features):
    """head nn.Linear(H, 1), features (L, N, H), time first -> (N, L): the head at every step, in one call."""
    return head(features).squeeze(-1).transpose(0, 1)


# %% [markdown]
# ## 2. Per-step targets of several values
#
# Window `i` reads `series[i]` to `series[i + window - 1]`, and the targets of its last step run to
# `series[i + window - 1 + horizon]`. That index must be below `test_start`, so cutting the series at
# `test_start` first and windowing what is left keeps every target out of the test split. A window and
# all its targets fit in one run of `window + horizon` values: `unfold` cuts every such run at once. In
# run `i`, step `t` reads value `t - 1`; its targets are the `horizon` values from value `t` on, so the
# run without its first value, cut into runs of `horizon` (`unfold` again, along dimension 1), gives
# the `(window, horizon)` targets of each window.


# %%
def my_multi_horizon_pairs(series, window, horizon, test_start):
    """series (T,) -> inputs (N, window), targets (N, window, horizon); no target at index >= test_start."""
    runs = series[:test_start].unfold(0, window + horizon, 1)  # (N, window + horizon)
    return runs[:, :window], runs[:, 1:].unfold(1, horizon, 1)

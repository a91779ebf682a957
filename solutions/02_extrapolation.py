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
# A constant window has a spread of 0: the floor 1e-8 keeps its inputs at 0 instead of 0 / 0.
# Per-window ("instance") normalization does the same with the window's mean in place of its last
# value, e.g. RevIN (Kim et al., ICLR 2022). A model trained on such inputs predicts in the same
# units: its inverse multiplies an output by the window's spread and adds the window's last value back.


# %%
def my_shape_inputs(windows):
    """windows (N, L), L >= 2 -> inputs (N, L, 1) that depend on each window's shape only."""
    spread = windows.std(dim=1, keepdim=True).clamp(min=1e-8)
    return ((windows - windows[:, -1:]) / spread)[..., None]


# %% [markdown]
# ## 2. Blocks that never wrap
#
# A row needs `ceil(n / block)` runs. Each run starts anywhere from 0 to `n − block`, both included
# (`torch.randint`'s upper end is exclusive, hence `n − block + 1`), so its last index,
# `start + block − 1`, never passes `n − 1` and no run wraps. Adding `arange(block)` to every start
# builds all runs at once; laying a row's runs end to end and keeping `n` indices cuts the last run
# short when `block` does not divide `n`. Unlike the circular version, the first and last
# `block − 1` windows fall in fewer possible runs, so they are drawn less often.


# %%
def my_block_indices(n, block, resamples):
    """(resamples, n) int64 indices: runs of `block` consecutive windows that never wrap (Künsch 1989)."""
    runs = -(-n // block)
    first = torch.randint(0, n - block + 1, (resamples, runs, 1))
    return (first + torch.arange(block)).flatten(start_dim=1)[:, :n]

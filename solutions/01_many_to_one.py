# %% [markdown]
# # Solutions to notebook 01's exercises

# %%
from torch import nn
from torch.nn import functional as F

# %% [markdown]
# ## 1. Sliding windows
#
# A series of T values holds T - L windows that have a value after them: window i is
# `series[i : i + L]` and its target `series[i + L]`. `unfold` builds them all without a loop;
# the last window it returns has no target, so it is dropped. The target keeps a dimension of
# size 1, `(N, 1)`, the shape the model outputs.


# %%
def my_windows(series, window):
    """series (T,) -> inputs (T - window, window), targets (T - window, 1)."""
    inputs = series.unfold(0, window, 1)[:-1]
    targets = series[window:].unsqueeze(1)
    return inputs, targets


# %% [markdown]
# ## 2. A split in time without leakage
#
# Cut the series, not the windows. Training windows come from `series[:cut]` only, so no training
# target lies at `cut` or later. The test windows start `window` values before the cut: their
# inputs read history the model also trained on (that is allowed: it is the past), while their
# targets, `series[cut:]`, were never training targets. Cutting the list of all windows at index
# `cut` instead would train on targets up to `cut + window - 1`.


# %%
def my_split_windows(series, window, cut):
    """series (T,) -> ((train inputs, train targets), (test inputs, test targets)), split at index `cut`."""
    return my_windows(series[:cut], window), my_windows(series[cut - window :], window)


# %% [markdown]
# ## 3. The training loop
#
# The order matters. `zero_grad` first, or the gradient of the previous batch is added to this one.
# `backward` fills the gradients; clipping rescales them, so it goes after `backward`; `step` uses
# them, so it goes last. The loss is read before the step, from the prediction that made it.


# %%
def my_train_loop(model, batches, optimizer, clip):
    """One pass over `batches` of (x (N, L, 1), y (N, 1)): returns each batch's MSE before its step."""
    losses = []
    model.train()
    for x, y in batches:
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        losses.append(loss.item())
    return losses

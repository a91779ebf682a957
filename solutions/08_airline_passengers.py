# %% [markdown]
# # Solutions to notebook 08 · airline passengers
#
# Try each exercise in the notebook first: its checker tells you which case fails and why, and
# `check.<name>.hint()` gives a closer hint each call.

# %%
import torch

from seqtut.exercises import check

# %% [markdown]
# ## 1. Growth over a season, net of the window's drift
#
# Two parts. The change: put the window and the targets end to end, in time order; month T + h's
# reference, month T + h − m, then lies m columns to its left, in the window for the first m
# targets and among the targets after them (at training time every target is known).
# `unfold(1, m + 1, 1)` lists every run of m + 1 consecutive months; each run's last month minus
# its first is one change. The first L − m runs lie inside the window, the last H end at a target.
#
# Then b: the mean of the window's L − m changes, one b per row (`keepdim=True` keeps it a column
# that broadcasts over H). Not over the targets: at forecast
# time they are unknown, and exercise 2 must add b back. Not over the batch: each window is its own
# history. With b taken off, 0 means "grew by the window's mean change over a season", the drift
# on logs; −b means no change, seasonal naive.


# %%
def my_year_over_year(windows: torch.Tensor, targets: torch.Tensor, season: int) -> torch.Tensor:
    """windows (N, L), L > season, targets (N, H) -> (N, H): log change over a season, minus the window's b."""
    # every run of season + 1 months, window and targets end to end: (N, L + H - season, season + 1)
    spans = torch.cat([windows, targets], dim=1).log().unfold(1, season + 1, 1)
    change = spans[..., -1] - spans[..., 0]  # each run's last month against its first, a season before
    inside, ahead = change.split([windows.shape[1] - season, targets.shape[1]], dim=1)  # window pairs, targets
    return ahead - inside.mean(dim=1, keepdim=True)  # b: one per row, a column that broadcasts over H


check.year_over_year(my_year_over_year)

# %% [markdown]
# ## 2. Back to passengers
#
# Exercise 1 backwards, in reverse order: add the window's b back, then month T + h is the month
# a season before times exp(growth + b). For the first m months that month is in the window; after
# them it is a forecast already made, so growth compounds within each month of the season. A list
# that starts with the window's last m months, and to which each new month is appended, always
# holds the month a season before m entries back.
#
# With every growth 0, month T + h is the last observed same month times exp((k + 1) b),
# k = floor((h − 1) / m): the notebook's formula for the seasonal random walk with drift, on logs.
# So, in exercise 1's units, the drift on logs is the output 0 and seasonal naive the output −b.


# %%
def my_year_over_year_inverse(windows: torch.Tensor, growth: torch.Tensor, season: int) -> torch.Tensor:
    """windows (N, L), L > season, growth (N, H) in exercise 1's units -> forecasts (N, H) in passengers."""
    spans = windows.log().unfold(1, season + 1, 1)  # as in exercise 1, inside the window only
    b = (spans[..., -1] - spans[..., 0]).mean(dim=1)  # (N,): the window's mean change over a season
    months = list(windows[:, -season:].unbind(dim=1))  # the last season, each (N,), oldest first
    for j in range(growth.shape[1]):  # column j (from 0): month T + j + 1
        months.append(months[j] * (growth[:, j] + b).exp())  # months[j]: the same month a season before
    return torch.stack(months[season:], dim=1)


check.year_over_year_inverse(my_year_over_year_inverse)

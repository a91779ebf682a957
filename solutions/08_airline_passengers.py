# %% [markdown]
# # Solutions to notebook 08 · airline passengers
#
# Try each exercise in the notebook first: its checker tells you which case fails and why, and
# `check.<name>.hint()` gives a closer hint each call.

# %%
import torch

from seqtut.exercises import check

# %% [markdown]
# ## 1. Growth over the same month a year before
#
# The notebook's `growth` measures one whole series from itself; here the month a year before a
# target past the 12th is another target, so the point is the bookkeeping. Put the window's last 12 months and the targets end to end, in time order: the
# month a year before month T + h is then entry h − 1 (entries counted from 0, as Python does), in
# the window for the first 12 targets and among the targets after them (at training time every
# target is known). On natural logs, the difference is a log change: 0 when a month is as busy as a
# year before, log 2 when it is twice as busy. A network trained on these units that outputs 0
# forecasts seasonal naive; exercise 2 shows what a constant output forecasts.


# %%
def my_year_over_year(windows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """windows (N, L), L >= 12, targets (N, H) -> (N, H): log(target) - log(the same month a year before)."""
    year_before = torch.cat([windows[:, -12:], targets], dim=1)[:, : targets.shape[1]]  # month T + h: entry h - 1
    return targets.log() - year_before.log()


check.year_over_year(my_year_over_year)

# %% [markdown]
# ## 2. Back to passengers
#
# Exercise 1 backwards: month T + h is the same month a year before times exp(its growth). For the
# first 12 months that month is in the window; from month 13 on it is a forecast already made, so
# growth compounds within each calendar month: a forecast two years ahead is the window's month
# times exp of both years' growths. A list that starts with the window's last 12 months, and to
# which each new month is appended, always holds the month a year before 12 entries back.
#
# With every growth equal to b, the window's mean yearly log change, month T + h is the last
# observed same month times exp((k + 1) b), k = floor((h - 1) / 12): the notebook's formula for the
# seasonal random walk with drift, on logs. With every growth 0 it is seasonal naive. So the drift
# on logs is the forecast of a model that, in these units, outputs one constant.


# %%
def my_year_over_year_inverse(windows: torch.Tensor, growth: torch.Tensor) -> torch.Tensor:
    """windows (N, L), L >= 12, growth (N, H) in log units -> forecasts (N, H) in passengers."""
    months = list(windows[:, -12:].unbind(dim=1))  # the last 12 months, each (N,), oldest first
    for j in range(growth.shape[1]):  # column j (from 0): month T + j + 1
        months.append(months[j] * growth[:, j].exp())  # months[j]: the same month a year before
    return torch.stack(months[12:], dim=1)


check.year_over_year_inverse(my_year_over_year_inverse)

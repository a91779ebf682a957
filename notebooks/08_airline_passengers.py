# %% [markdown]
# # 08 · Real data: forecasting airline passengers, honestly
#
# After the toy series of notebooks 01–07, a real one: international airline passengers per month,
# in thousands, January 1949 to December 1960 (Box & Jenkins, *Time Series Analysis*, Series G).

# %% [markdown]
# **You will be able to**
#
# - hold a forecast against simple baselines and classical models (SARIMA, Holt-Winters);
# - present a growing series to a network so that it can forecast above the training maximum (in
#   our runs, on globally standardized values it does not);
# - judge the differences between forecasts of one test period by the rule of notebook 02.
#
# **You need** notebooks 02 (window-relative inputs, the comparison rule), 03 (the many-to-many
# LSTM) and 06 (positional encoding, self-attention), and `statsmodels`.

# %% [markdown]
# **Run time:** about 66 s in full mode, kernel start included, and 17 s fast (`SEQTUT_FAST=1`),
# measured by `make execute` on a 2-core AMD EPYC, where a fixed reference workload
# (`benchmarks/calib.py`) took 6.5 s: scale by your machine's time for it.
#
# **In the original:** no section corresponds: it names stock prices, weather and sales as time
# series, but never loads one; its data sets are windows of the integers 0 to 999
# (`np.arange(0, 1000)`), plus SOS/EOS tokens 1001 and 1002 in its never-run Transformer section.

# %% tags=["nbval-ignore-output"]
import tempfile

import matplotlib.pyplot as plt
import statsmodels
import torch

import seqtut
from seqtut import sections
from seqtut.baselines import SEASON, seasonal_naive, seasonal_random_walk_drift
from seqtut.claims import claim, claim_every, claim_that, machine_dependent
from seqtut.exercises import check
from seqtut.forecaster_transformer import TransformerForecaster
from seqtut.lstm import ManyToManyLSTM
from seqtut.metrics import mape, mean_and_sd, metrics, paired_difference, smape
from seqtut.plots import STYLE
from seqtut.scalers import RelativeScaler
from seqtut.sections import airline  # airline.X: the notebook's scaffolding (tables, labels, checks)
from seqtut.sections.airline import (  # what the lesson teaches, and the names of the methods it compares
    DRIFT,
    DRIFT_LOG,
    HW_ADD,
    HW_MUL,
    LSTM,
    NETWORKS,
    OTHERS,
    SARIMA,
    SEASONAL_NAIVE,
    STANDARDIZED,
    TRANSFORMER,
    airline_datasets,
    classical_forecasts,
    compare,
    fit_seeds,
    forecast_ahead,
    head_ceiling,
    head_reach,
    holt_winters_starts,
    load_airline,
)
from seqtut.show import show

device = seqtut.setup(recurrent=True)
plt.rcParams.update(STYLE)  # seqtut's figure style (white, with a grid), for every figure from the first on

# %% [markdown]
# Training settings: `AirlineSettings` (how they were chosen: the closing aside); the rest: `fit`'s
# defaults.

# %% tags=["nbval-ignore-output"]
S = sections.settings("airline")
for fields in (
    ("window", "horizon", "seeds", "batch_size", "lstm_hidden", "lstm_epochs", "lstm_lr"),
    ("d_model", "nhead", "num_layers", "dim_feedforward", "transformer_epochs", "transformer_lr"),
):
    print("; ".join(f"{field} = {getattr(S, field)}" for field in fields))

# %% [markdown]
# ## The data
#
# The 144 values ship with `seqtut` (`load_airline`); nothing is downloaded.

# %%
dates, values = load_airline()
print(
    f"{len(values)} months, {dates[0]} .. {dates[-1]}; first {values[0]:.0f}, last {values[-1]:.0f}, "
    f"total {values.sum():.0f}"
)
assert len(values) == 144 and values[0] == 112 and values[-1] == 432 and values.sum() == 40363

# %% [markdown]
# The level climbs (a **trend**) and every year peaks in summer (**yearly seasonality**). The yearly
# swings (peak to trough) grow with the level on the whole; on a log scale (right) far less, yet
# still (the log swing of 1957–1960 averages 1.33 times that of 1949–1952; 1959's is 1.39 times
# 1949's): the seasonality is closer to **multiplicative** (a constant swing
# on logs) than additive. This swing, a calendar year's largest month over its smallest, also holds
# part of that year's trend, so it is a rough measure: whether the log swing itself grows is not
# settled here. The table gives the numbers (natural log throughout).

# %%
years = values.reshape(12, SEASON)  # one row per year, 1949..1960
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.5), layout="constrained")
ticks = [*range(0, len(values), 24), len(values) - 1]  # every other January, and the last month
for ax, scale in ((left, "linear"), (right, "log")):
    ax.plot(values, color="black")
    ax.set(yscale=scale, title=f"Passengers per month ({scale} scale)", ylabel=f"passengers (thousands, {scale} scale)")
    ax.set_xticks(ticks, [dates[i] for i in ticks], rotation=45)
log_ticks = [100, 200, 300, 400, 500, 600]
right.set_yticks(log_ticks, [str(t) for t in log_ticks], minor=False)
right.yaxis.set_minor_formatter("")  # plain numbers on the log axis, no 10^2 labels
plt.show()

# %%
swing = years.max(dim=1).values - years.min(dim=1).values
ratio = years.max(dim=1).values / years.min(dim=1).values
log_swing = ratio.log()  # log(max) - log(min): the swing on a log scale
# the peak month of each year, 1 = January; "7/8" where July and August tie
peaks = ["/".join(str(m + 1) for m in (y == y.max()).nonzero().flatten().tolist()) for y in years]
print("year | mean | max - min | max / min | log(max / min) | peak")
for year in (0, 5, 10, 11):
    row = f"{1949 + year} | {years[year].mean():4.0f} | {swing[year]:9.0f} | {ratio[year]:9.2f}"
    print(f"{row} | {log_swing[year]:14.3f} | {peaks[year]:>4}")
print(f"max / min over all 12 years: {ratio.min():.2f} to {ratio.max():.2f}")
print(f"log swing, mean over 1957-1960 / mean over 1949-1952: {log_swing[-4:].mean() / log_swing[:4].mean():.2f}")
print(f"1960 mean / 1949 mean: {years[11].mean() / years[0].mean():.2f}; peak months: {', '.join(peaks)}")
claim("1959's peak-to-trough swing, in multiples of 1949's", swing[10] / swing[0], ">", 4, fmt=".2f")
claim("1959's swing on a log scale, in multiples of 1949's", log_swing[10] / log_swing[0], "<", 1.5, fmt=".2f")
claim("the same multiple (> 1: it still grows)", log_swing[10] / log_swing[0], ">", 1, fmt=".2f")
claim_that("all 12 years peak in July or August", {m for p in peaks for m in p.split("/")} <= {"7", "8"})

# %% [markdown]
# ## Split A: train on 1949–1959, forecast 1960
#
# The networks read 24 months and forecast the next 12. Training windows come from the first 132
# months; the test is one window, 1958–1959 in, 1960 out. The 1960 peak lies **above every training
# value**: forecasting it is an extrapolation.

# %%
split = len(values) - S.test_months  # 132: the first month of 1960
train_series, actual = values[:split], values[split:]
print(f"train {dates[0]}..{dates[split - 1]} ({split} months), test {dates[split]}..{dates[-1]} ({len(actual)} months)")
claim(f"1960 maximum ({dates[split + int(actual.argmax())]})", actual.max(), ">", train_series.max(), fmt=".0f")

# %% [markdown]
# ## Baselines: forecasts that learn (almost) nothing
#
# Built from FPP3's simple benchmarks (Hyndman & Athanasopoulos, *Forecasting: Principles and
# Practice*, 3rd ed., §5.2), for month $T + h$ from a history that ends at month $T$, with season
# $m = 12$ and $k = \lfloor (h-1)/m \rfloor$:
#
# - **seasonal naive**: $\hat y_{T+h} = y_{T+h-m(k+1)}$, the same month of the last observed year;
# - **seasonal random walk (RW) with drift**, FPP3's seasonal naïve and drift methods combined (as
#   in fable, the R package the book fits its models with): it adds $b$, the mean yearly change
#   $y_t - y_{t-m}$, once per year ahead, $\hat y_{T+h} = y_{T+h-m(k+1)} + (k+1)\,b$. On logs, $b$
#   is the mean yearly log change: each year ahead multiplies the forecast by $e^b$.

# %%
show(seasonal_random_walk_drift)

# %% [markdown]
# Errors: mean absolute error (MAE), in thousands.

# %%
baselines = {  # the names are strings from seqtut.sections.airline; RW: random walk
    SEASONAL_NAIVE: seasonal_naive(train_series, S.horizon),
    DRIFT: seasonal_random_walk_drift(train_series, S.horizon),
    DRIFT_LOG: seasonal_random_walk_drift(train_series, S.horizon, log=True),
}
baseline_mae = {name: metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for name, f in baselines.items()}
for name, mae in baseline_mae.items():
    print(f"{name:27s} | 1960 MAE {mae:5.2f}")
# b read off the forecasts: in 1960 (h <= m, so k = 0) each drift is seasonal naive plus b once, on logs times exp(b)
b = baselines[DRIFT] - baselines[SEASONAL_NAIVE]  # (12,), every month the same b
b_log = (baselines[DRIFT_LOG] / baselines[SEASONAL_NAIVE]).log()  # a mean log change, not a growth rate
assert torch.allclose(b, b[0]) and torch.allclose(b_log, b_log[0])
print(
    f"b, 1949..1959: {b[0]:+.2f} thousand a year (values); "
    f"{b_log[0]:+.4f} (logs), exp(b) - 1 = {b_log[0].exp() - 1:+.1%} a year"
)
claim_that("every month of 1960 is above the same month of 1959", (actual > train_series[-SEASON:]).all())

# %% [markdown]
# Seasonal naive repeats 1959, and 1960 was busier in every month. The drift adds 1949–1959's mean
# yearly change, on logs a growth of +12.9 % a year. Exponentiated, a forecast made on logs (this
# drift's, SARIMA's below) is its distribution's median, not its mean, if that distribution is
# symmetric in logs (FPP3 §5.6).

# %% [markdown]
# ## Classical models
#
# Fitted to 1949–1959 with `statsmodels`:
#
# - **SARIMA(0,1,1)(0,1,1)₁₂ on log values** (FPP3 §9.9), Box & Jenkins' "airline model" for this
#   series: seasonal ARIMA, its orders counting autoregressive terms, differences and moving-average
#   terms at lag 1, then lag 12. With $B$ the backshift operator ($B y_t = y_{t-1}$, FPP3 §9.2), the
#   logs differenced at lags 1 and 12, $(1-B)(1-B^{12}) \log y_t$, are modelled as
#   $e_t + \theta e_{t-1} + \Theta e_{t-12} + \theta\Theta e_{t-13}$, $e$ being one-step errors.

# %% [markdown]
# - **Holt-Winters** exponential smoothing (FPP3 §8.3) keeps a level ℓ, a trend b (per month; not
#   the drift's b) and one seasonal term s per calendar month (a factor in the multiplicative
#   variant). Each new value moves the level, the trend and that month's term towards what it
#   implies, each by its own fitted weight (α, β and γ; β is the trend weight that FPP3's component
#   form calls β\*). It forecasts (ℓ + h b) + s (additive) or (ℓ + h b) × s (multiplicative), s the
#   forecast month's term.
#
# SARIMA fits 2 numbers ($\theta$, $\Theta$) and the drift 1 (its $b$, in
# $y_t - y_{t-12} = b + e_t$), each besides a noise variance; the values their differencing needs
# first (13 and 12) are not fitted. Holt-Winters fits 17 by least squares: 3 weights and 14 starting
# values, one redundant (level and trend × c with seasonal factors ÷ c fits the same; additive:
# level + c, seasonal terms − c). The networks have thousands.

# %%
show(classical_forecasts)

# %% tags=["nbval-ignore-output"]
classical = classical_forecasts(train_series, S.horizon)  # fitted on 1949..1959
classical_mae = {name: metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for name, f in classical.items()}
for name, forecast in classical.items():
    print(f"{name:27s} | 1960 MAE {classical_mae[name]:5.2f} | highest forecast {forecast.max():3.0f}")
# statsmodels' default fits, held to the values they give with this version; HW_MUL's 1960 MAE is the
# number that moves with the optimizer's start (next cell)
print(f"statsmodels {statsmodels.__version__}")
expected = {SARIMA: 13.25, HW_MUL: 10.30, HW_ADD: 13.38}
gaps = [abs(classical_mae[name] - mae) for name, mae in expected.items()]
tolerance = S.statsmodels_tolerance
claim_every("|1960 MAE - 13.25, 10.30, 13.38|", gaps, "<", tolerance, what="classical models", fmt=".2f")

# %% tags=["nbval-ignore-output"]
hw_fits = holt_winters_starts(train_series, S.horizon)  # HW_MUL on 1949..1959 from two of statsmodels' starts
hw_mae = {start: metrics(hw.forecast.unsqueeze(0), actual.unsqueeze(0)).mae for start, hw in hw_fits.items()}
print("SSE: the sum of squared one-step errors over 1949..1959, which fit() minimizes")
for start, hw in hw_fits.items():
    shown = ", ".join(f"{w} {weight:.3f}" for w, weight in hw.weights.items())
    print(f"{HW_MUL}, {start:26s} | SSE {hw.sse:6,.0f} | 1960 MAE {hw_mae[start]:5.2f} | weights {shown}")
    print(f"  optimizer converged: {hw.converged} ({hw.message}); warnings: {'; '.join(hw.warnings) or 'none'}")
default, other = hw_fits.values()
default_mae, other_mae = hw_mae.values()
assert default_mae == classical_mae[HW_MUL]  # the default fit is classical_forecasts' fit
claim_that(f"{HW_MUL}: the default fit's SSE is above the other start's", default.sse > other.sse)
claim_that("the default fit converged; the other start did not", default.converged and not other.converged)
# statsmodels keeps 0 <= β <= α (tighter than FPP3's 0 <= β* <= 1; its β is β*) and 0 <= γ <= 1 - α;
# the default fit stops on two of these limits
claim_that("the default fit's trend weight β is 0: its trend never updates", default.weights["β"] == 0)
alpha_gamma = default.weights["α"] + default.weights["γ"]
print(f"default fit: α + γ = {alpha_gamma:.6f}")
claim_that("the default fit's γ is at its upper limit 1 - α (to 1e-9)", abs(alpha_gamma - 1) < 1e-9)
claim_that("the other start's seasonal weight γ is 0: its seasonal factors never update", other.weights["γ"] == 0)

# %% [markdown]
# **The bar depends on the optimizer's start.** Multiplicative Holt-Winters' 1960 MAE is 10.30 with
# statsmodels' default `fit()` and 16.80 with `fit(use_brute=False)`, so the bar (the lowest 1960
# MAE of the six non-network methods) is 10.30, or SARIMA's 13.25 with the second fit. Neither is
# the least-squares minimum: the other start reaches a lower SSE (10,000 against 12,595), though its
# optimizer reports no convergence, and 14 of 40 random starts reach 9,004, a fit whose 1960 MAE,
# 13.89, would also leave SARIMA's 13.25 the bar (`benchmarks/RESULTS.md`, "On an accelerator").
# Both shown fits stop on statsmodels' limits: the default on two, β = 0 (its trend never updates)
# and α + γ = 1; the other start on γ = 0 (its seasonal factors, fitted once, never update). We keep
# the default, the fit statsmodels gives anyone who asks for nothing else.

# %% [markdown]
# ## Two ways to present the windows
#
# `airline_datasets` cuts 97 training windows and the test window; the scaler is fitted on
# training windows only:
#
# - `"standard"`: (value − mean) / std over the training windows' inputs: a month counts once per
#   window holding it, 1959's months (only targets) not at all;
# - `"log-relative"`: log(value) − log(last value of the window), divided by the standard deviation
#   of that log change over every position of the training inputs (the last position's always 0;
#   notebook 02's window-relative inputs, on logs): the model predicts log changes, not levels.
#   Below, `_prepare` takes the log, `_reference` is each window's last (log) value.

# %%
show(RelativeScaler.inputs)

# %%
show(RelativeScaler.inverse)

# %%
standard_train, standard_test = airline_datasets(train_series, values[split - S.window :], S, "standard")
relative_train, relative_test = airline_datasets(train_series, values[split - S.window :], S, "log-relative")
print(
    f"training windows: x {tuple(relative_train.x.shape)}, y {tuple(relative_train.y.shape)}; "
    f"test window: x {tuple(relative_test.x.shape)}; log-relative scale {relative_train.scaler.scale:.3f}"
)
assert len(relative_train) == split - S.window - S.horizon + 1 and torch.equal(relative_test.targets[0], actual)

# %% [markdown]
# In the models' own units: standardized, July and August 1959 (test inputs) lie above every
# training input, July and August 1960 above every training value; log-relative, every test value
# lies inside the training range.


# %%
def outside(test: torch.Tensor, train: torch.Tensor) -> int:
    """How many values of `test` lie outside the range of `train`."""
    return int(((test < train.min()) | (test > train.max())).sum())


print("scaled units | training inputs | test inputs (1958-59) | outside | training targets | 1960 targets | outside")
for name, train, test in (("standard", standard_train, standard_test), ("log-relative", relative_train, relative_test)):
    print(
        f"{name:>12} | {train.x.min():6.2f}..{train.x.max():5.2f} | {test.x.min():12.2f}..{test.x.max():5.2f}"
        f" | {outside(test.x, train.x):2d} of {test.x.numel()} | {train.y.min():9.2f}..{train.y.max():5.2f} | "
        f"{test.y.min():5.2f}..{test.y.max():5.2f} | {outside(test.y, train.y):2d} of {test.y.numel()}"
    )
print(
    f"in thousands: training inputs {standard_train.windows.min():.0f}..{standard_train.windows.max():.0f}, "
    f"test inputs {standard_test.windows.min():.0f}..{standard_test.windows.max():.0f}"
)
claim(
    "standardized test values outside the training range (inputs + targets)",
    outside(standard_test.x, standard_train.x) + outside(standard_test.y, standard_train.y),
    ">",
    0,
)
claim(
    "log-relative test values outside the training range (inputs + targets)",
    outside(relative_test.x, relative_train.x) + outside(relative_test.y, relative_train.y),
    "==",
    0,
)

# %% [markdown]
# ## The models
#
# - **LSTM**: `ManyToManyLSTM` from notebook 03 (named after the original's section; no output per
#   time step): it reads the window and writes all 12 months at once from its last output h_T
#   through a Linear head, the multiple-input multiple-output (MIMO) strategy (Bontempi, 2008;
#   compared with the other multi-step strategies by Ben Taieb et al., 2012).
# - **Transformer**: `TransformerForecaster`, encoder-only: each month lifted to a `d_model`-vector
#   by a Linear layer, notebook 06's sinusoidal positions added, one `nn.TransformerEncoderLayer`
#   (unmasked), and a Linear head (most of the parameters) reading all 24 positions.

# %%
show(ManyToManyLSTM.forward)

# %%
show(TransformerForecaster.__init__)

# %%
show(TransformerForecaster.forward)

# %%
for kind in ("lstm", "transformer"):
    model = airline.build_model(kind, S)
    print(
        f"{type(model).__name__:>21}: {sum(p.numel() for p in model.parameters()):6,} parameters (weights and biases)"
    )
    assert model(relative_train.x[:4]).shape == (4, S.horizon)
head = airline.build_model("transformer", S).head  # Linear(window * d_model -> horizon)
print(
    f"{'in its head':>21}: {sum(p.numel() for p in head.parameters()):6,} (Linear {head.in_features} -> {head.out_features})"
)

# %% [markdown]
# ## Training: four ensembles of five seeds
#
# `fit_seeds` trains `S.seeds` models (five in full mode, two fast), each with its own seed. The seed
# sets a member's initial weights and its batch orders, but the orders are shared: `fit` shuffles
# epoch e with seed + e, so member s's epoch e + 1 has the batch order of member s + 1's epoch e, and
# the members are less independent than separate runs; their spread may understate the variation from seed to
# seed. With no validation set, every model keeps its last epoch. `fit` minimises the mean squared
# error of the scaled targets with Adam, its learning rate falling along a cosine toward lr / 20,
# gradients clipped to total norm 1. We report the members' mean ± standard deviation and their
# **ensemble**, the average of their forecasts (log-relative: an average of exponentiated mean logs, strictly
# neither a mean nor a median).

# %%
show(fit_seeds)

# %% tags=["nbval-ignore-output"]
datasets = {"standard": (standard_train, standard_test), "log-relative": (relative_train, relative_test)}
forecasts, train_seconds, trained = {}, {}, {}
for scaler, (train, test) in datasets.items():
    for kind in ("lstm", "transformer"):
        name = f"{kind}, {scaler}"
        trained[name], train_seconds[name] = fit_seeds(kind, train, S, device=device)
        forecasts[name] = airline.predict_members(trained[name], test, device)[:, 0]  # (seeds, 12)
        print(f"{name:25s}: {S.seeds} seeds in {train_seconds[name]:5.1f} s")

# %% tags=["nbval-ignore-output"]
member_mae = {name: [metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for f in fs] for name, fs in forecasts.items()}
ensemble = {name: fs.mean(0) for name, fs in forecasts.items()}  # the average of the members, (12,)
ensemble_mae = {name: metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for name, f in ensemble.items()}
others = {name: (baselines | classical)[name] for name in OTHERS}  # the six methods that are not networks
others_mae = {name: (baseline_mae | classical_mae)[name] for name in OTHERS}
mean_error = {name: (f - actual).mean().item() for name, f in (ensemble | others).items()}  # > 0: too high
peak_1960 = f"1960 (actual peak {actual.max():.0f})"
print(f"{peak_1960:34s} | MAE per seed, mean ± sd | ensemble MAE | mean error | highest forecast | of any member")
for name in forecasts:
    print(
        f"{airline.label(name):34s} | {mean_and_sd(member_mae[name]):>23s} | {ensemble_mae[name]:12.2f} | "
        f"{mean_error[name]:+10.2f} | {ensemble[name].max():16.0f} | {forecasts[name].max():13.0f}"
    )
for name, forecast in sorted(others.items(), key=lambda item: others_mae[item[0]]):
    print(f"{name:34s} | {'':23s} | {others_mae[name]:12.2f} | {mean_error[name]:+10.2f} | {forecast.max():16.0f} |")

# %% [markdown]
# ## Forecast plots of 1960
#
# `airline.forecast_panel` draws each panel.

# %% tags=["nbval-ignore-output"]
panels = {
    "globally standardized ensembles": {n: ensemble[n] for n in ("lstm, standard", "transformer, standard")},
    "log-relative ensembles": {n: ensemble[n] for n in (LSTM, TRANSFORMER)},
    "classical models": classical,
    "baselines": baselines,
}
fig, axes = plt.subplots(2, 2, figsize=(15, 8), sharey=True, layout="constrained")
for ax, (title, shown) in zip(axes.flat, panels.items()):
    airline.forecast_panel(ax, split - S.window, split, shown, f"1960: {title}", 6)
plt.show()

# %% [markdown]
# In full mode the standardized ensembles stay below the dotted training maximum, seasonal naive
# falls short in every month, and the others follow 1960's shape, with mean errors from −17.67
# (drift on values) to +14.12 (log-relative Transformer).

# %% [markdown]
# ## The extrapolation lesson
#
# The standardized ensembles against seasonal naive, by notebook 02's rule (blocks of 3 months; with
# 4 blocks, below 10, an interval is rough; why 3 months, and what such an interval shows: "How sure
# can one test make us?" below). Last column, 02's trend screen: the spread of the means of k
# consecutive parts (02's k, not the baselines' seasons ahead) ÷ (√k × the interval's width); above
# 1 for any k, no interval:

# %% tags=["nbval-ignore-output"]
errors = {name: (f - actual).abs() for name, f in (ensemble | others).items()}  # every method's, (12,) each
comparison_standard = compare(
    errors,
    airline.STANDARDIZED_PAIRS,
    block=S.block,
    other_blocks=S.other_blocks,
    title="1960, standardized ensembles, absolute error (thousands)",
)
print(comparison_standard)
print(comparison_standard.block_changes())  # the aside checks these verdicts against the text
naive_mae = baseline_mae[SEASONAL_NAIVE]
to_naive = {name: ensemble_mae[name] / naive_mae for name in NETWORKS}  # bounded in the aside
print(
    "log-relative ensemble 1960 MAE / seasonal naive's:",
    "; ".join(f"{airline.SHORT[n]} {r:.2f}" for n, r in to_naive.items()),
)
peak = train_series.max()  # 559, the training maximum
below = min(peak - forecasts[name].max() for name in STANDARDIZED)  # forecasts[name].max(): the highest of any member
# Bounds are `AirlineSettings` fields (S.*), full and fast values side by side; S.trained_zero is 0 in full mode and
# None in fast mode, whose short training skips (○) claims on what training achieved
claim("training maximum - standardized members' highest forecast, both networks", below, ">", S.trained_zero, fmt=".2f")
above = min(forecasts[name].max() - peak for name in NETWORKS)
claim("log-relative members' highest forecast - training maximum, both networks", above, ">", S.trained_zero, fmt=".2f")

# %% [markdown]
# In full mode neither is clearly different from seasonal naive (MAE 43.64 and 53.12 against 47.83;
# rough intervals, 4 blocks of 3). The log-relative ensembles' point MAEs are about a third of it
# (verdicts below), with the same settings (tuned, but for which scaler was not recorded, so they
# may favour one). No standardized model forecasts a month above 559, the training maximum, though
# July 1960 had 622. `head_ceiling` bounds each head's output over all inputs; `head_reach` searches
# inputs (each held to 0..750 thousand) by gradient ascent for the highest output: what some windows
# make a head output, not what realistic ones do (the box exceeds the training inputs' peak, 505).

# %%
show(head_ceiling)

# %% tags=["nbval-ignore-output"]
ceilings, reached = {}, {}  # (seeds, 12): per member and month, in passengers
box = standard_test.scaler.inputs(torch.tensor([0.0, 750.0])).tolist()  # the search's inputs: 0..750 thousand
for kind in ("lstm", "transformer"):
    models = trained[f"{kind}, standard"]
    ceilings[kind] = standard_test.scaler.inverse(None, torch.stack([head_ceiling(m) for m in models]))
    reached[kind] = standard_test.scaler.inverse(None, torch.stack([head_reach(m, S.window, *box) for m in models]))
    found = reached[kind].max(dim=1).values  # each member's highest output found, any month
    print(
        f"{kind:>11}: bound per member and month {ceilings[kind].min():,.0f} to {ceilings[kind].max():,.0f}; "
        f"highest output found, per member: {found.min():.0f} to {found.max():.0f}"
    )

# %% tags=["nbval-ignore-output"]
highest = torch.cat([r.max(dim=1).values for r in reached.values()])  # (10,): each member's highest found
looser = torch.cat([c.max(dim=1).values for c in ceilings.values()]) - highest  # each member's bound above it
claim(
    "the lowest member's highest output found - the training maximum",
    highest.min() - peak,
    ">",
    S.trained_zero,
    fmt=".0f",
)
claim("the smallest gap from a member's highest output found to its bound", looser.min(), ">", S.reach_gap, fmt=".0f")

# %% [markdown]
# In full mode the search takes every member's head above 559; the bounds are hundreds higher. Why
# the forecasts stay below 559, likely (untested): no training target exceeded it, so nothing
# rewarded a higher output. The log-relative models forecast growth relative to December 1959. From
# December to July, 1960's growth lies inside the range of the training windows that end in
# December:

# %%
last_month = [dates[i + S.window - 1] for i in range(len(relative_train))]  # each training window's last month
december = [i for i, month in enumerate(last_month) if month.endswith("-12")]
assert all(relative_train.windows[i, -1] == train_series[i + S.window - 1] for i in december)
to_july = relative_train.targets[december, 6] / relative_train.windows[december, -1] - 1  # July: the 7th target
test_to_july = (actual[6] / train_series[-1]).item() - 1
print(
    f"{len(december)} training windows end in December, {last_month[december[0]]} to {last_month[december[-1]]}; "
    "growth to the next July: " + " ".join(f"{g:+.0%}" for g in to_july.tolist())
)
print(f"range {to_july.min():+.0%} to {to_july.max():+.0%}; December 1959 -> July 1960 (test): {test_to_july:+.0%}")
claim_that(
    "December 1959 -> July 1960 lies inside the range of the training windows that end in December",
    to_july.min() < test_to_july < to_july.max(),
)

# %% [markdown]
# A forecast is December 1959's 405 times (1 + its growth). In the models' own units, every member's
# 1960 forecasts lie inside the range of all scaled training targets, pooled over windows and months
# (full mode): no forecast asks a head for an output beyond the range it was trained towards, pooled
# over months. A loose test: unlike the growth above, it does not hold each month against the
# windows ending in December.

# %% tags=["nbval-ignore-output"]
test_windows = relative_test.windows  # (1, 24): 1958..1959
assert test_windows[0, -1] == 405
low, high = relative_train.y.min(), relative_train.y.max()
print(f"scaled training targets: {low:.2f}..{high:.2f}")
for kind in ("lstm", "transformer"):
    fs = forecasts[f"{kind}, log-relative"]  # (seeds, 12) passengers
    scaled = relative_test.scaler.targets(test_windows.expand(len(fs), -1), fs)
    print(f"{kind:>11}: scaled 1960 forecasts {scaled.min():5.2f}..{scaled.max():4.2f}")
    inside_by = torch.minimum(high - scaled, scaled - low).flatten()  # its distance to the nearer end
    claim_every(f"{kind}: how far inside that range a scaled forecast lies", inside_by, ">", S.trained_zero, fmt=".2f")

# %% [markdown]
# ## How sure can one test make us?
#
# By the rule of notebook 02, per month (A's absolute error minus B's). In the tables, LSTM and
# Transformer are the log-relative ensembles, HW is Holt-Winters, and "drift" is the seasonal random
# walk with drift (fable's `SNAIVE(y ~ drift())`). A row A − B reads: "above 0", A errs more (A is
# clearly behind); "below 0", A errs less (clearly ahead); the text uses the second wording.
#
# **The block length is not 02's.** 02's blocks span at least window + horizon windows; here the
# units are the months of one forecast, all read from the same 24 months, so one such block would
# hold the whole test. We resample blocks of `S.block` = 3 months, circular as in 02: 4 blocks in
# 1960 (a block starting in November or December wraps to January, months 11 apart).

# %% [markdown]
# Three is a choice, not a measurement: 1960's correlations between nearby months (under its table)
# are too noisy to show where the dependence ends.

# %% [markdown]
# **What such an interval means.** It shows how much the mean difference depends on which months are
# counted, not what another year would give. The rule's warnings apply to the 1960 intervals:
#
# - rough (4 blocks);
# - they assume differences of stable mean and spread; the trend screen tests the mean only; errors
#   are expected to grow with the horizon and the level, which 12 months can neither show nor rule out;
# - they cover these months, not seeds, settings or other years;
# - the reference method was picked for its low error here; some may exclude 0 by chance;
# - the classical models' forms (logs, multiplicative season, the airline orders) were chosen, by Box
#   & Jenkins and in the literature since, on all 12 years, 1960 included.

# %% tags=["nbval-ignore-output"]
best = min(OTHERS, key=others_mae.get)  # the lowest 1960 MAE of the six: Holt-Winters, mult. season
print(f"block = {S.block} months; other_blocks = {S.other_blocks}, each shown where it leaves at least 3 blocks")
comparison_1960 = compare(
    errors,
    airline.comparison_pairs(best),
    block=S.block,
    other_blocks=S.other_blocks,
    title="1960, absolute error (thousands)",
)
print(comparison_1960)
alarms_12 = airline.screen_false_alarms(len(actual), S.block, S.screen_runs)  # how often Gaussian noise is flagged
print(alarms_12)
print(alarms_12.against(comparison_1960))

# %% tags=["nbval-ignore-output"]
print(comparison_1960.diagnostics())  # optional: how far to trust these verdicts

# %% tags=["nbval-ignore-output"]
for first, second in [*comparison_1960.trending(), (LSTM, SEASONAL_NAIVE)]:  # flagged: no interval; and the LSTM's
    monthly = comparison_1960.monthly[first, second]
    names = f"{airline.SHORT.get(first, first)} - {airline.SHORT.get(second, second)}"
    blocks = " ".join(f"{m:+.1f}" for m in monthly.reshape(-1, S.block).mean(dim=1).tolist())  # from January
    print(f"{names}: lower in {int((monthly < 0).sum())} of 12 months; block means {blocks}")
lstm_blocks = comparison_1960.monthly[LSTM, SEASONAL_NAIVE].reshape(-1, S.block).mean(dim=1)  # (4,)
claim("LSTM - seasonal naive: blocks of 3 months not below 0", int((lstm_blocks >= 0).sum()), "==", S.trained_zero)
alternative = others_mae | {HW_MUL: other_mae}  # the six, with HW_MUL fitted by fit(use_brute=False)
best_alternative = min(alternative, key=alternative.get)
print(f"{HW_MUL} fitted by fit(use_brute=False): the lowest 1960 MAE of the six is then", end=" ")
print(f"{best_alternative}, {alternative[best_alternative]:.2f}")
claim_that(f"{HW_MUL} has the lowest 1960 MAE of the six methods that are not networks", best == HW_MUL)
claim_that(f"with that fit, {SARIMA} has the lowest 1960 MAE of the six", best_alternative == SARIMA)
behind = min(ensemble_mae[name] for name in NETWORKS) - alternative[best_alternative]
claim(
    "with that fit, 1960 MAE above the lowest of the six, the nearer log-relative ensemble",
    behind,
    ">",
    S.trained_zero,
    fmt=".2f",
)

# %% tags=["nbval-ignore-output"]
other_errors = (other.forecast - actual).abs()  # HW_MUL fitted by fit(use_brute=False), (12,)
print(
    f"each method - {airline.SHORT[HW_MUL]}, 1960 | default fit | fit(use_brute=False): mean difference (95 % interval)"
)
other_verdicts = {}
for name in [name for name in OTHERS if name != HW_MUL]:  # the other five
    d = paired_difference(errors[name], other_errors, block=S.block)
    other_verdicts[(name, HW_MUL)] = airline.screened_verdict(errors[name] - other_errors, d)  # trend screen too
    shown = f"{airline.interval_text(d)} {other_verdicts[(name, HW_MUL)]}"
    print(f"{airline.SHORT.get(name, name):>15} | {comparison_1960.verdict(name, HW_MUL):19s} | {shown}")
print(f"(every interval rough: {d.blocks:.3g} blocks of {d.block}, likely too narrow)")

# %% tags=["nbval-ignore-output"]
to_naive_1960 = {n: paired_difference(errors[n], errors[SEASONAL_NAIVE], block=S.block) for n in (DRIFT, DRIFT_LOG)}
naive_verdicts = {}  # the Summary's first point: both drifts clearly ahead of seasonal naive (trend screen too)
for name, d in to_naive_1960.items():
    naive_verdicts[name] = airline.screened_verdict(errors[name] - errors[SEASONAL_NAIVE], d)
    print(f"{airline.SHORT[name]} - seasonal naive, 1960: {airline.interval_text(d)} {naive_verdicts[name]}")
if d.rough:
    print(f"(rough: {d.blocks:.3g} blocks of {d.block}, likely too narrow)")

# %% [markdown]
# Four blocks are few for a bootstrap: its percentile interval then tends to be too narrow (notebook
# 03 measured 95 % intervals missing the true mean more often than 5 % of the time with many blocks
# too, and far more often with about 7, though it cannot tell fewer blocks from fewer windows). A
# second look at every clear 1960 verdict above (both tables, the other start, the drifts against
# seasonal naive), by the **batch-means** t interval, a standard method for dependent simulation
# output, which takes the 4 block means as independent and puts Student's t with 3 degrees of
# freedom around their mean. Its blocks are fixed, so its verdict can depend on where they start: we
# compute it with the first block starting in each of the first 3 months and keep a verdict only if
# every start excludes 0. A start after January wraps, as the bootstrap's blocks do: its last block
# joins December with January (and February), months 11 apart, which the standard method, with
# consecutive batches, never does; our variant is circular. Schmeiser (1982), who studied how many
# batches to use, advises 10 to 30, and the block means follow the season's level, so with 4 it is a
# second rough check, not a sound one. It also has little power: with 4 block means (3 degrees of
# freedom; with 3, as at some block lengths below, 2) its interval is wide, so a verdict it does not
# keep is unconfirmed, not shown wrong.

# %%
show(airline.block_means_interval)

# %%
show(airline.second_look)

# %% tags=["nbval-ignore-output"]
clear_1960 = {  # every 1960 pair with a clear verdict above -> its monthly differences (12,)
    (a, b): table.monthly[a, b]
    for table in (comparison_standard, comparison_1960)
    for a, b in table.differences
    if table.verdict(a, b) in airline.CLEAR
}
clear_1960 |= {
    (a, SEASONAL_NAIVE): errors[a] - errors[SEASONAL_NAIVE] for a, v in naive_verdicts.items() if v in airline.CLEAR
}
other_start = f"{HW_MUL} (other start)"  # against the fit by fit(use_brute=False)
clear_1960 |= {(a, other_start): errors[a] - other_errors for (a, _), v in other_verdicts.items() if v in airline.CLEAR}


print(f"t intervals on the means of blocks of {S.block}, the blocks starting in January, February, March:")
lost_1960 = []  # the pairs whose t interval includes 0 for some start
for (a, b), monthly in clear_1960.items():
    look = airline.second_look(monthly, S.block)
    if not look.kept:
        lost_1960.append((a, b))
    print(f"{airline.SHORT.get(a, a)} - {airline.SHORT.get(b, b)}: {look}")
print(f"{len(lost_1960)} of {len(clear_1960)} clear 1960 verdicts are not clear by the t interval at every start")
with_network = [(a, b) for a, b in lost_1960 if airline.is_network(a)]  # these depend on training
without = [pair for pair in lost_1960 if pair not in with_network]
claim_that(
    "of the pairs without a network, the t interval loses drift on values - HW mult. (both fits) only",
    without == [(DRIFT, HW_MUL), (DRIFT, other_start)],
)
others_lost = [pair for pair in with_network if pair != (LSTM, SEASONAL_NAIVE)]
claim("pairs with a network the t interval loses, LSTM - seasonal naive aside", len(others_lost), "==", S.trained_zero)
lstm_lost = int((LSTM, SEASONAL_NAIVE) in with_network)
claim("LSTM - seasonal naive lost by the t interval", lstm_lost, "==", None if S.trained_zero is None else 1)

# %% tags=["nbval-ignore-output"]
# the same second look at every clear verdict with the other block lengths: the table's pairs (their
# blocks-of-2-and-4 verdicts are printed by the optional diagnostics cell after the 1960 table),
# then the drifts against seasonal naive and the pairs with the other start
kept_other = {}  # (pair, block length) -> whether the t interval on those blocks' means excludes 0
beyond_table = {(a, SEASONAL_NAIVE): (errors[a], errors[SEASONAL_NAIVE]) for a in (DRIFT, DRIFT_LOG)}
beyond_table |= {(a, other_start): (errors[a], other_errors) for a, _ in other_verdicts}
for length, table_verdicts in comparison_1960.other_verdicts.items():
    verdicts = dict(table_verdicts)
    monthly = {pair: comparison_1960.monthly[pair] for pair in verdicts}
    for pair, (mine, theirs) in beyond_table.items():  # not in the table: judged here at this length
        verdicts[pair] = airline.judged(mine, theirs, length)[1]
        monthly[pair] = mine - theirs
    for (a, b), verdict in verdicts.items():
        if verdict in airline.CLEAR:
            look = airline.second_look(monthly[a, b], length)
            kept_other[(a, b), length] = look.kept
            names = f"{airline.SHORT.get(a, a)} - {airline.SHORT.get(b, b)}"
            print(f"blocks of {length}: {names}: {verdict}; t, each start: {look}")
lost_other = {key for key, kept in kept_other.items() if not kept}
lost_without = sorted((pair, n) for pair, n in lost_other if not airline.is_network(pair[0]))
claim_that(
    "without a network, the t interval loses drift on values - HW mult. (both fits, blocks of 2 and 4), seasonal"
    " naive - HW mult. (default fit, blocks of 4) and drift on logs - seasonal naive (blocks of 4) only",
    set(lost_without)
    == {(pair, n) for pair in ((DRIFT, HW_MUL), (DRIFT, other_start)) for n in (2, 4)}
    | {((SEASONAL_NAIVE, HW_MUL), 4), ((DRIFT_LOG, SEASONAL_NAIVE), 4)},
)
stated = {((TRANSFORMER, HW_MUL), 2), ((TRANSFORMER, HW_MUL), 4), ((LSTM, SEASONAL_NAIVE), 4)}  # the text's
lost_with = {(pair, n) for pair, n in lost_other if airline.is_network(pair[0])}
claim(
    "pairs with a network whose loss by the t interval the text does not state",
    len(lost_with ^ stated),
    "==",
    S.trained_zero,
)

# %% [markdown]
# In full mode, on 1960:
#
# - flagged (5 parts only), so no verdict, three pairs: the Transformer against seasonal naive (lower
#   in 11 of 12 months), the Transformer against the drift on values, and SARIMA against
#   multiplicative Holt-Winters. Weak evidence of a
#   trend: the screen flags 13.5 % of runs of independent Gaussian noise (no trend, no dependence),
#   so such noise would flag about 2.4 of 18 pairs (ours share methods: not independent);
# - the LSTM is ahead of seasonal naive (lower in 11 of 12 months too), clearly by the rule's
#   bootstrap interval but not by the t interval at every start (−67.6 to +4.8 with blocks from
#   January; −56.8 to −6.1 from March): by both together, a direction, not a clear difference;
#   the networks' other pairs: no clear difference;
# - multiplicative Holt-Winters (10.30, default fit) is clearly ahead of seasonal naive by both
#   intervals, and ahead of the drift on values clearly by the bootstrap but not by the t interval
#   at every start (with either fit): by both together, a direction, not a clear difference; with
#   the other fit, SARIMA passes the screen, no clear difference;
# - both drifts are clearly ahead of seasonal naive, by both intervals (with blocks of 4, the t
#   interval loses the drift on logs' lead and keeps the drift on values');
# - with blocks of 2 or 4, 3 of the 18 verdicts change, all the Transformer's:
#
#   | Transformer against | blocks of 2 | blocks of 3 (above) | blocks of 4 |
#   |---|---|---|---|
#   | multiplicative Holt-Winters | clearly behind | no clear difference | clearly behind |
#   | drift on values | no clear difference | flagged, no verdict | no clear difference |
#   | seasonal naive | clearly ahead | flagged, no verdict | flagged, no verdict |
#
# - by the t interval on those blocks' means, at every start (the cell above): the Transformer's
#   deficit against multiplicative Holt-Winters holds with neither length, its lead over seasonal
#   naive with blocks of 2 does; the LSTM's lead over seasonal naive passes it with blocks of 2 (6
#   blocks), not with 3 or 4; with blocks of 4 (3 blocks) no verdict of the table passes it, not
#   even multiplicative Holt-Winters' lead over seasonal naive (default fit), though with the other
#   fit that lead passes it at every start.

# %% [markdown]
# ## Split B: the sktime and Darts documentation split
#
# They train on 1949–1957 and forecast the last 36 months, by MAPE: mean(|forecast − actual| /
# actual) in %. We retrain our networks likewise and apply them three times (`forecast_ahead`),
# reading 1956–57, then 1957 and their forecasts of 1958, then only their forecasts of 1958–59; the
# other methods forecast all 36 months from their fit. Neither side's test is clean: our networks'
# settings were chosen on 1957–1959 (unchecked: the aside), two of these test years, and the
# classical models' forms (logs, multiplicative season, the airline orders) knowing all 12 years, as
# were the networks' log-relative inputs (the plots above that favour logs include 1960). The test
# starts with 1958, whose annual total grew least:

# %%
totals = years.sum(dim=1)
yearly_growth = totals[1:] / totals[:-1] - 1  # 1950..1960 over the year before
print("passengers per year, growth: " + " ".join(f"{1950 + i}: {g:+.1%}" for i, g in enumerate(yearly_growth.tolist())))
claim_that("1958 grew least of all 11 years", yearly_growth.argmin() == 1958 - 1950)

# %%
show(forecast_ahead)

# %% tags=["nbval-ignore-output"]
long_split = len(values) - S.long_test_months  # 108: the first month of 1958
long_series, long_actual = values[:long_split], values[long_split:]
long_windows = long_split - S.window - S.horizon + 1  # 73 training windows from 1949..1957
long_forecasts = {}
for kind in ("lstm", "transformer"):  # S.scaler is "log-relative"
    long_forecasts[kind], train_seconds[f"{kind}, split B"] = airline.long_split_forecasts(
        kind, values, S, device=device
    )
    print(f"{kind}: {long_windows} training windows, {S.seeds} seeds in {train_seconds[f'{kind}, split B']:.1f} s")

# %% tags=["nbval-ignore-output"]
long_fitted = airline.baseline_forecasts(long_series, S.long_test_months) | classical_forecasts(
    long_series, S.long_test_months
)
long_shown = {f"{kind}, log-relative": f.mean(0) for kind, f in long_forecasts.items()} | {
    n: long_fitted[n] for n in OTHERS
}
long_mapes = {name: mape(f, long_actual) for name, f in long_shown.items()}  # each method's 36-month MAPE, %
by_year = {name: (f - long_actual).reshape(3, SEASON) for name, f in long_shown.items()}  # errors, a row a year
print(f"{'last 36 months':34s} | MAPE % | mean error 1958, 1959, 1960 | MAE 1958, 1959, 1960")
for name in sorted(long_shown, key=long_mapes.get):
    bias = " ".join(f"{e:+5.0f}" for e in by_year[name].mean(dim=1).tolist())
    mae = " ".join(f"{e:5.1f}" for e in by_year[name].abs().mean(dim=1).tolist())
    print(f"{airline.label(name):34s} | {long_mapes[name]:6.2f} | {bias:>27s} | {mae:>20s}")
for kind, fs in long_forecasts.items():
    print(f"{airline.label(f'{kind}, log-relative')}: MAPE per seed {mean_and_sd([mape(f, long_actual) for f in fs])}")

# %%
fitted_years = long_split // SEASON  # 9: 1949..1957
yearly_log = (years[1:] / years[:-1]).log()  # (11, 12): 1950..1960, each month against the same month a year before
fitted_growth = yearly_log[: fitted_years - 1].mean().exp() - 1  # 1949..1957: what the drift on logs adds
test_growth = yearly_log[fitted_years - 1 :].mean(dim=1).exp() - 1  # 1958, 1959, 1960
long_b = (years[1:fitted_years] - years[: fitted_years - 1]).mean()  # 1949..1957: what the drift on values adds
print(f"drift on values: b = {long_b:+.2f} thousand a year, from 1949..1957")
print(
    "geometric-mean growth from a month to the same month a year later (exp of the mean log change): "
    f"1949..1957 {fitted_growth:+.1%}"
    " | " + " ".join(f"{1958 + i}: {g:+.1%}" for i, g in enumerate(test_growth.tolist()))
)

# %% tags=["nbval-ignore-output"]
published = {SEASONAL_NAIVE: 13.19, HW_ADD: 5.11}
print(
    "MAPE in sktime's documentation: seasonal naive 13.19; additive Holt-Winters 5.11; AutoARIMA 4.15 (not computed here)"
)
for name, value in published.items():
    claim(f"{name}: 36-month MAPE, rounded (sktime: {value:.2f})", round(long_mapes[name], 2), "==", value)
long_hw = {
    start: mape(hw.forecast, long_actual) for start, hw in holt_winters_starts(long_series, S.long_test_months).items()
}
print(f"{HW_MUL}, 36-month MAPE: " + "; ".join(f"{start} {value:.2f} %" for start, value in long_hw.items()))
assert long_hw["fit() (default, used here)"] == long_mapes[HW_MUL]
HW_MUL_36 = "HW mult.'s default fit on 1949..1957 stops elsewhere on some machines (benchmarks/RESULTS.md)"
with machine_dependent(HW_MUL_36):  # next cell: what this means
    claim(f"{HW_MUL}: |36-month MAPE - 5.07|", abs(long_mapes[HW_MUL] - 5.07), "<", tolerance, fmt=".3f")
    spread = abs(max(long_hw.values()) - min(long_hw.values()))
    claim(f"{HW_MUL}: |the two starts' 36-month MAPEs|", spread, "<", tolerance)
worst_network = max(long_mapes[name] for name in NETWORKS)
claim(
    f"a guard, not a verdict: 36-month MAPE, both networks ÷ seasonal naive's ({long_mapes[SEASONAL_NAIVE]:.2f} %)",
    worst_network / long_mapes[SEASONAL_NAIVE],
    "<",
    S.long_vs_naive,
    fmt=".2f",
)

# %% [markdown]
# Our seasonal naive and additive Holt-Winters reproduce sktime's 13.19 % and 5.11 %: split and
# metric match. AutoARIMA's 4.15 % is quoted only. Multiplicative Holt-Winters' two starts come
# close here (5.07 %, 5.06 %), unlike on 1960, but where the default start stops depends on more
# than the versions of statsmodels and SciPy. On an H100 host's CPU (`benchmarks/RESULTS.md`, "On an
# accelerator"), with statsmodels 0.15.0 as here, it stopped at an SSE of 5,470 (β 0.004) instead of
# 5,404, a 36-month MAPE of 5.64 %; the other start gave 5.06 % there too, and the 1960 fits
# matched. The stored run's machine (SciPy 1.17.1) gives 5,404 with the host's SciPy 1.18.1 too, so
# something else about the machine moved it: its CPU, its core count, or numpy's or Python's patch
# version (RESULTS does not separate them). The checks on this fit sit in `machine_dependent`
# blocks: in your run a failed one prints its ✗ with the reason and the notebook goes on; in the
# maintainers' runs (`SEQTUT_STRICT=1`: `make run`, `make test`, CI) it stops the notebook, as any
# claim does. What the text says of this fit over 36 months is the stored run's.
#
# The last check is a **guard**: a loose check that a run did not go wrong, not a comparison by the
# rule. The two guards on the log-relative networks, this one and 1960's (the aside at the end),
# hold both to seasonal naive, the simplest seasonal method: a network that learned the season and
# the trend should have a much lower point error (on 1960 both had about a third of its MAE; over
# these 36 months at most 0.77 of its MAPE, the guard's figure; the verdicts by the rule are another
# matter), while one that cannot extrapolate lands near it (the standardized networks above). The
# bounds: below half of seasonal naive's 1960 MAE, and below 0.90 of its 36-month MAPE, each set
# above what both networks reached (about a third; 0.77), not derived from anything. A guard's
# bound is on point estimates; the guards and their bounds were chosen with these results in view:
# they catch a run gone wrong, and say nothing about which method is better.

# %% tags=["nbval-ignore-output"]
yearly = {name: e.mean(dim=1) for name, e in by_year.items()}  # mean error in 1958, 1959, 1960 (> 0: too high)
claim_that(
    f"every year {airline.SHORT[SARIMA]} overshoots, and the {airline.SHORT[DRIFT_LOG]} by more",
    (yearly[SARIMA] > 0).all() and (yearly[SARIMA] < yearly[DRIFT_LOG]).all(),
)
claim_that("seasonal naive falls further behind every year", (yearly[SEASONAL_NAIVE].diff() < 0).all())
short = {name: (yearly[name] < 0).tolist() for name in (HW_MUL, HW_ADD)}  # 1958, 1959, 1960: below the actual
claim_that(
    "Holt-Winters falls short in 1960 only (additive), in 1959 and 1960 (multiplicative)",
    short == {HW_ADD: [False, False, True], HW_MUL: [False, True, True]},
)
smallest = min(yearly[name].min() for name in NETWORKS)
claim(
    "the networks' smallest yearly mean error (> 0: both overshoot every year)",
    smallest,
    ">",
    S.trained_zero,
    fmt=".0f",
)
gap = (yearly[LSTM] - yearly[SARIMA]).abs().max()
claim("the largest yearly gap between the LSTM's and SARIMA's mean errors", gap, "<", S.bias_gap_bound, fmt=".1f")

# %% [markdown]
# In full mode SARIMA on logs and the LSTM overshoot all three years by almost the same amounts,
# the drift on logs by more: all three likely extrapolate growth as a *rate* (for the LSTM,
# untested). The drift on logs compounds exp(b) − 1 = +14.2 %, the geometric-mean same-month
# growth of 1949–1957; measured the same way, 1958–1960 grew 3.3 %, 12.5 % and 11.2 %. The drift on
# values adds a fixed 30.22 thousand a year, a rate that shrinks as the level rises; its 36-month
# MAPE is the lowest (4.12 %; multiplicative Holt-Winters 5.07 %).
#
# **Reading the table:** a row per pair A − B of absolute % errors (> 0: A errs more); the last
# column is the trend screen, k = 3 (the years) to 5: above 1, no interval. The reference the other
# methods are held to, the drift on values, is the lowest of the six on these very months, picked
# on them, which favours it, as on 1960.

# %% tags=["nbval-ignore-output"]
long_errors = {name: 100 * (f - long_actual).abs() / long_actual for name, f in long_shown.items()}
long_best = min(OTHERS, key=long_mapes.get)  # the lowest 36-month MAPE of the six: the drift on values
comparison_36 = compare(
    long_errors,
    airline.comparison_pairs(long_best),
    block=S.block,
    other_blocks=S.other_blocks,
    title="last 36 months, absolute % error",
    first_year=1958,  # with it, each pair's mean difference per year: a trend shows there
)
print(comparison_36)
alarms_36 = airline.screen_false_alarms(len(long_actual), S.block, S.screen_runs)
print(alarms_36)
print(alarms_36.against(comparison_36))

# %% tags=["nbval-ignore-output"]
print(comparison_36.diagnostics())  # optional: how far to trust these verdicts

# %% tags=["nbval-ignore-output"]
# 1960's second look, here for the clear verdicts that other block lengths leave on fewer than 10 blocks
kept_36 = {}  # (pair, block length) -> whether the t interval on the block means excludes 0 at every start
for length, verdicts in comparison_36.other_verdicts.items():
    for (a, b), verdict in verdicts.items():
        if verdict in airline.CLEAR and len(long_actual) // length < 10:
            look = airline.second_look(comparison_36.monthly[a, b], length)
            kept_36[(a, b), length] = look.kept
            if not look.kept:
                print(
                    f"blocks of {length}: {airline.SHORT.get(a, a)} - {airline.SHORT.get(b, b)}: {verdict}; t: {look}"
                )
lost_36 = [key for key, kept in kept_36.items() if not kept]
print(f"36 months: {len(lost_36)} of {len(kept_36)} clear verdicts on fewer than 10 blocks fail the t interval")
clear_3 = [pair for pair in comparison_36.differences if comparison_36.verdict(*pair) in airline.CLEAR]  # blocks of 3
not_kept_3 = [p for p in clear_3 if not airline.second_look(comparison_36.monthly[p], S.block).kept]
names_3 = "; ".join(f"{airline.SHORT.get(a, a)} - {airline.SHORT.get(b, b)}" for a, b in not_kept_3)
print(f"blocks of {S.block} (not part of the rule at 12 blocks): the t interval would not keep {len(not_kept_3)} of")
print(f"  the {len(clear_3)} clear verdicts at every start: {names_3 or 'none'}")

# %% [markdown]
# With blocks of 4, 6 or 12 (9, 6 or 3 blocks), 9 of the 30 clear 36-month verdicts are not clear by
# the t interval at every start (full mode): as on 1960, verdicts on few blocks are rough. The
# second look is part of the rule only for fewer than 10 blocks, where the bootstrap is rough; with
# blocks of 3 (12 blocks) the 36-month verdicts below rest on the bootstrap interval. Looked at
# anyway, the t interval would not keep 2 of those 12 clear verdicts at every start (printed above):
# LSTM − Transformer and HW add. − drift on values, so these two are the least sure.

# %% [markdown]
# **Trends first** (full mode). With the years as parts the screen flags seasonal naive against both
# networks and the drift on values, and the drift on logs against the drift on values; with 5 parts,
# multiplicative Holt-Winters against the drift on values; with 4, none: five pairs without an
# interval, where independent Gaussian noise would give about 0.5 (2.8 % of runs). The only verdict
# left is whether all 36 monthly differences share one sign: the drift on logs has a higher absolute
# % error than the drift on values in every one of the 36 months. The screen can miss a change: Transformer − HW add. rises every year (+2.22, +5.98, +7.06)
# and passes.

# %% [markdown]
# In full mode, with 12 blocks of 3 months (each clear verdict has the sign of every year's mean
# difference):
#
# - the drift on values is clearly ahead of SARIMA, additive Holt-Winters and both networks;
# - both networks are clearly behind both Holt-Winters variants and clearly ahead of the drift on
#   logs; the Transformer is also clearly behind SARIMA and the LSTM;
# - the LSTM and SARIMA: no clear difference;
# - the drift on values and multiplicative Holt-Winters: no verdict (flagged).
#
# Not rough (12 blocks). Are the blocks long enough? Over the 13 unflagged pairs the median
# correlation of the monthly differences falls from +0.29 at lag 1 and +0.04 at lag 2 to −0.11 at
# lag 3, a block's length:
#
# - what it suggests: a block of 3 keeps lags 1 and 2 together only in part (2 of 3 pairs one month
#   apart, 1 of 3 two apart), so the positive lag-1 correlation makes the intervals somewhat too
#   narrow; at lag 3 this rule of thumb, not a test, finds no sign of dependence;
# - how precise it is: one pair's estimate has a standard error of about 0.17 if the differences are
#   independent; the pairs share methods, so their median has no simple one;
# - what it cannot rule out: longer lags, above all 12, the same month a year apart, which 3-month
#   blocks cannot hold, so the intervals may be too narrow.
#
# The flagged pairs' higher values (up to +0.79) likely reflect their trends (untested).

# %% tags=["nbval-ignore-output"]
long_panels = {
    "networks (3 rounds, reading their own forecasts)": {n: long_shown[n] for n in NETWORKS},
    "classical models": {n: long_shown[n] for n in (SARIMA, HW_MUL, HW_ADD)},
    "baselines": {n: long_shown[n] for n in (SEASONAL_NAIVE, DRIFT, DRIFT_LOG)},
}
fig, axes = plt.subplots(3, 1, figsize=(12, 11), sharey=True, layout="constrained")
for ax, (title, shown) in zip(axes, long_panels.items()):
    airline.forecast_panel(ax, long_split - S.window, long_split, shown, f"Last 36 months: {title}", 12)
plt.show()

# %% [markdown]
# In full mode, by yearly mean error, top: both networks overshoot every year. Middle: SARIMA
# overshoots; Holt-Winters falls short in 1960 (multiplicative in 1959 too). Bottom: seasonal naive
# falls further short every year.
#
# ## What this says
#
# In full mode, with blocks of 3, on 1960 neither log-relative network is clearly different from any
# simple or classical method (these fit 0 to 17 numbers, starting values included) by both intervals
# together. Against seasonal naive both lean ahead, each lower in 11 of 12 months, and neither lead
# is a clear difference by both intervals, for different reasons: the LSTM's is clear by the rule's
# rough bootstrap interval (4 blocks) but not by the batch-means t interval; the Transformer's is
# withheld by the trend screen (weak evidence of a trend) before either interval is read. The
# Transformer against the drift on values: no verdict either; the standardized networks were
# compared with seasonal naive only. Then, over 36 months both networks are clearly behind the drift
# on values and both Holt-Winters variants (the multiplicative one as fitted in the stored run: see
# above), and the Transformer behind SARIMA too; both are clearly ahead of the drift on logs, and
# the LSTM is not clearly different from SARIMA. With other block lengths on 1960 (the table above):
# blocks of 2 or 4 put the Transformer clearly behind multiplicative Holt-Winters by the bootstrap,
# but not by the t interval; blocks of 2 (6 blocks) put both networks clearly ahead of seasonal
# naive by both.

# %% [markdown]
# As expected for networks trained on one short series: on 1045 monthly M3 series, machine-learning
# methods were "dominated across both accuracy measures used and for all forecasting horizons
# examined" by eight statistical ones (Makridakis, Spiliotis & Assimakopoulos, *PLoS ONE* 13(3),
# 2018). In the M4 competition the six pure machine-learning entries did poorly too, while its
# winner, a hybrid trained across many series, combined exponential smoothing with a recurrent
# network (Makridakis, Spiliotis & Assimakopoulos, *IJF* 34(4), 2018; Smyl, *IJF* 36(1), 2020).

# %% [markdown]
# ## Summary
#
# Full mode, blocks of 3 months; verdicts on these months, each period forecast from one origin.
#
# - Compute simple baselines and classical models first: the seasonal random walk with drift (1960
#   MAE 21.42 on values, 13.47 on logs) and multiplicative Holt-Winters (10.30, default fit) are
#   clearly ahead of seasonal naive (47.83; rough, and by the t interval too; with blocks of 4 the t
#   interval loses the drift on logs' lead and Holt-Winters'). Another start gives
#   that fit 16.80, making SARIMA's 13.25 the bar; either bar is below both networks' point MAEs
#   (16.41, 17.39), though the intervals show no clear difference.
# - On globally standardized values our networks forecast no month above the training maximum; on
#   log-relative values their point MAEs are about a third of seasonal naive's (verdicts: next
#   point).

# %% [markdown]
# - On 1960, rough with 4 blocks of 3, the LSTM is ahead of seasonal naive in all 4 blocks (and in
#   11 of 12 months), clearly by the bootstrap but not by the t interval on the block means (with
#   blocks of 2, by both), and not clearly different from the rest; the Transformer against seasonal naive (lower in 11 of 12
#   months) and the drift on values: no verdict (the screen flags them, weak evidence of a trend).
#   Over 36 months, by MAPE:
#
# | network | clearly behind | no clear difference | clearly ahead | trends: no verdict |
# |---|---|---|---|---|
# | LSTM, 8.40 % | drift on values (4.12 %); both Holt-Winters | SARIMA | drift on logs (12.76 %); Transformer | seasonal naive (network worse in 1958, better in 1959–60) |
# | Transformer, 10.20 % | drift on values; both Holt-Winters; SARIMA; LSTM | none | drift on logs | seasonal naive (likewise) |
#
#   The least sure of these clear verdicts is LSTM − Transformer: the t interval, not part of the
#   rule at 12 blocks, would not keep it at every start (nor HW add.'s lead over the drift on
#   values). The verdicts against multiplicative Holt-Winters are the stored run's: on the H100 host
#   its fit stopped elsewhere and the trend screen flagged the Transformer's pair (no verdict;
#   `benchmarks/RESULTS.md`).
#
# - By the same rule with other block lengths, 4 of the 20 verdicts on 1960 change (all rough; 3 of
#   the log-relative table's 18, 1 of the standardized table's 2), among them the Transformer clearly
#   ahead of seasonal naive with blocks of 2 (by the t interval too), and clearly behind
#   multiplicative Holt-Winters with blocks of 2 and of 4 (not by the t interval); and 13 of 18 over
#   36 months, each with 9 blocks or fewer (rough; 9 of the 30 clear verdicts these lengths give are
#   not clear by the t interval at every start). Trying lengths is a further selection.

# %% [markdown]
# ## Exercises
#
# Each cell's last line checks your function (`✓` or the first failing case, with a hint);
# `check.<name>.hint()` gives a closer hint each call, `check.<name>.solution()` the solution's
# file. Months count as in FPP3: the window ends at month T, the targets are months T + 1, …, T + H;
# month T + h is column h − 1.

# %% [markdown]
# **1. Targets in which the drift is 0.** Write `my_year_over_year(windows, targets, season)`:
# windows `(N, L)`, `L > season` (m), targets `(N, H)` in passengers, any H → `(N, H)`: the natural
# log of month T + h minus that of month T + h − m (a target when h > m), minus b, the mean of that
# change over the window's L − m pairs, one b per window. A network outputting 0 in these units
# forecasts the drift on logs fitted to its window. (The checker tries L = season + 1, where the
# package's `seasonal_random_walk_drift` cannot fit: compute b yourself.)


# %%
def my_year_over_year(windows: torch.Tensor, targets: torch.Tensor, season: int) -> torch.Tensor:
    """windows (N, L), L > season, targets (N, H) -> (N, H): log change over a season, minus the window's b."""
    raise NotImplementedError("your code here")


check.year_over_year(my_year_over_year)

# %% [markdown]
# **2. Back to passengers.** Write `my_year_over_year_inverse(windows, growth, season)`: `growth`
# `(N, H)` in exercise 1's units → forecasts `(N, H)` in passengers. For h > m, month T + h − m is
# your own forecast. Growth 0 must give the drift on logs; −b, seasonal naive. (The package's
# `seasonal_random_walk_drift` needs L ≥ season + 2: statsmodels cannot fit one seasonal difference,
# and the checker tries L = season + 1.)


# %%
def my_year_over_year_inverse(windows: torch.Tensor, growth: torch.Tensor, season: int) -> torch.Tensor:
    """windows (N, L), L > season, growth (N, H) in exercise 1's units -> forecasts (N, H) in passengers."""
    raise NotImplementedError("your code here")


check.year_over_year_inverse(my_year_over_year_inverse)

# %% [markdown]
# ## Try next
#
# - Forecast each year of 1955–1960 from the months before it: which method ranks first on average?
# - Train the LSTM on exercise 1's targets (output 0: the drift on logs): subclass
#   `seqtut.scalers.RelativeScaler` (built with `log=True`, so its inputs are log-relative) and
#   override its `targets` and `inverse` with your two functions, `season=12` passed in, build
#   `WindowDataset`s with it, train with `fit_seeds`, and compare by the rule.

# %% [markdown]
# ## Aside: bookkeeping
#
# Fast runs hold claims on training to looser bounds, or skip them (a skipped claim prints ○;
# `S.trained_zero`: 0 full, `None` fast). The section's first commit says "Settings were chosen on
# 1957-1959, never on the test year": unrecorded, so unchecked; the full-mode model settings are
# unchanged since.
# `S.headline` (the network `python -m seqtut run airline` reports: the headline) was switched to
# the LSTM after the tests (lower in error on both, so favoured by picking). The next cell checks
# the text's verdicts against the three tables at every block length (`airline.TEXT_VERDICTS`; the
# verdicts against the other start and the drifts against seasonal naive with blocks of 3), the
# tables' other statements (screen counts, false alarms, correlations), then training (bounds:
# `AirlineSettings`):

# %% tags=["nbval-ignore-output"]
airline.claim_verdicts(comparison_1960, "1960", S.trained_zero)
airline.claim_verdicts(comparison_standard, "1960, standardized", S.trained_zero)
airline.claim_verdicts(comparison_36, "36 months", S.trained_zero, fragile=(HW_MUL, HW_MUL_36))  # HW mult.'s apart
comparisons = (comparison_1960, comparison_standard, comparison_36)
for comparison in comparisons:  # the Summary's counts: one rule (interval and trend screen) at every block length
    print(f"{comparison.title}: {comparison.block_changes(pairs=False)}")
in_1960 = comparisons[:2]
changing, compared = sum(len(c.changing()) for c in in_1960), sum(len(c.differences) for c in in_1960)
print(f"1960, both tables: {changing} of {compared} verdicts change with the block length")
wrong = [pair for pair, verdict in airline.TEXT_VERDICTS_OTHER_START.items() if other_verdicts[pair] != verdict]
claim(
    f"verdicts in the text that intervals against the other {airline.SHORT[HW_MUL]} fit contradict", len(wrong), "==", 0
)
flagged = [(a, b) for c in in_1960 for parts in (3, 4) for a, b in c.trending_in_parts(parts)]
claim("1960 pairs the trend screen flags with 3 or 4 parts (the text: 5 only)", len(flagged), "==", S.trained_zero)
by_parts = {parts: set(comparison_36.trending_in_parts(parts)) for parts in airline.SCREEN_PARTS}  # flagged, per k
with_hw = {parts: {pair for pair in pairs if HW_MUL in pair} for parts, pairs in by_parts.items()}  # HW mult.'s
text = {3: 4, 4: 0, 5: 0}  # the text: four pairs with the years as parts, none with 4; with 5, HW mult.'s only
claim(
    "36 months: part counts k flagging another number of pairs without HW mult. than the text says",
    sum(len(by_parts[parts] - with_hw[parts]) != n for parts, n in text.items()),
    "==",
    S.trained_zero,
)
with machine_dependent(HW_MUL_36):
    flagged_hw = {parts: len(pairs) for parts, pairs in with_hw.items()}
    claim_that(
        "36 months: the screen flags one pair with HW mult., with 5 parts only", flagged_hw == {3: 0, 4: 0, 5: 1}
    )
    claim_that("with 5 parts the flagged pair is HW mult. - drift on values", (HW_MUL, DRIFT) in by_parts[5])
claim(
    "12 months: share of Gaussian-noise runs flagged, any k",
    alarms_12.any_parts,
    ">=",
    S.screen_alarms_12_low,
    fmt=".3f",
)
claim("the same share", alarms_12.any_parts, "<=", S.screen_alarms_12_high, fmt=".3f")
claim("36 months: the same share", alarms_36.any_parts, "<=", S.screen_alarms_36, fmt=".3f")
not_below = [name for name, verdict in naive_verdicts.items() if verdict != "below 0"]
claim("drifts (values, logs) not clearly below seasonal naive on 1960", len(not_below), "==", 0)
claim_that(f"{DRIFT} has the lowest 36-month MAPE of the six methods that are not networks", long_best == DRIFT)
unflagged = comparison_36.screened_correlations(flagged=False)  # (pairs, 3): lags 1 to 3, the pairs with an interval
medians = unflagged.median(dim=0).values  # over those pairs, per lag
claim("36 months, pairs not flagged: median correlation at lag 1", medians[0], ">", S.trained_zero, fmt="+.2f")
claim(
    "the same at lag 3, a block's length, |median| (a rule of thumb)",
    medians[2].abs(),
    "<",
    S.correlation_near_zero,
    fmt=".2f",
)
# each claim holds both networks (LSTM, Transformer) to the bound through the one further from it
near = max(abs(ensemble_mae[name] - naive_mae) for name in STANDARDIZED)
claim("a guard: |standardized - seasonal naive| 1960 MAE, both", near, "<", S.standard_near_naive, fmt=".2f")
smaller, larger = min(to_naive.values()), max(to_naive.values())  # the text's "about a third", held to 0.27..0.40;
# tighter than the 1960 guard's 0.50 (below), which only catches a run gone wrong
claim("log-relative ensemble 1960 MAE / seasonal naive's, both", larger, "<=", S.relative_vs_naive, fmt=".2f")
claim("the same ratio, the smaller of the two", smaller, ">=", S.relative_vs_naive_low, fmt=".2f")
ahead = min(ensemble_mae[name] for name in NETWORKS) - min(others_mae.values())
claim(
    "1960 MAE above the lowest of the six others', the nearer log-relative ensemble",
    ahead,
    ">",
    S.trained_zero,
    fmt=".2f",
)

# %% [markdown]
# `python -m seqtut run airline` must reproduce the headline.

# %% tags=["nbval-ignore-output"]
headline = f"{S.headline}, log-relative"
with tempfile.TemporaryDirectory() as folder:
    cli_result = sections.run("airline", device=device.type, out=folder, progress=False)
train_seconds["sections.run"] = cli_result.details["train_seconds"]
print(
    f"sections.run: 1960 MAE {cli_result.value:.4f}, 36-month MAPE {cli_result.details['long_mape']:.4f} | "
    f"this notebook: {ensemble_mae[headline]:.4f}, {long_mapes[headline]:.4f}"
)
claim("|sections.run - notebook| 1960 MAE", abs(cli_result.value - ensemble_mae[headline]), "<", 1e-4)
claim("|sections.run - notebook| 36-month MAPE", abs(cli_result.details["long_mape"] - long_mapes[headline]), "<", 1e-4)
other_network = TRANSFORMER if headline == LSTM else LSTM
lead = min(ensemble_mae[other_network] - ensemble_mae[headline], long_mapes[other_network] - long_mapes[headline])
claim("the headline's lead over the other network, the smaller of 1960 MAE and MAPE", lead, ">", S.trained_zero)
claim_that(
    "sections.run's baseline is this notebook's bar, the lowest 1960 MAE of the six methods that are not networks",
    (cli_result.details["lowest_other"], cli_result.baseline) == (best, others_mae[best]),
)
claim_that(
    "sections.run's other 1960 reference and 36-month baseline are this notebook's seasonal random walk with drift on values",
    cli_result.details["drift_mae"] == baseline_mae[DRIFT]
    and cli_result.details["long_baseline_mape"] == long_mapes[DRIFT],
)
claim_that(
    "sections.run's 1960 verdicts, the headline against the bar and against the drift, are this notebook's",
    (cli_result.details["baseline_verdict"], cli_result.details["drift_verdict"])
    == (comparison_1960.verdict(headline, best), comparison_1960.verdict(headline, DRIFT)),
)
claim_that(
    "sections.run's 36-month verdict, the headline against the drift, is this notebook's",
    cli_result.details["long_drift_verdict"] == comparison_36.verdict(headline, DRIFT),
)

# %% tags=["nbval-ignore-output"]
total_seconds = sum(train_seconds.values())
print("training: " + "; ".join(f"{name} {seconds:.1f} s" for name, seconds in train_seconds.items()))
claim("total training time", total_seconds, "<", S.max_train_seconds, fmt=".0f", unit="s")
# the bar (the lowest 1960 MAE of the six others; for HW mult., the other start's `other_mae` too), then the drift on
# values beside it, and the headline against each on 1960 by the rule (screen included)
bar, beside = (
    (comparison_1960.differences[headline, other], comparison_1960.verdict(headline, other)) for other in (best, DRIFT)
)
long = (long_mapes[headline], long_mapes[DRIFT], comparison_36.verdict(headline, DRIFT))  # the second test
label = airline.baseline_label(others_mae, other_mae, S.headline, bar, beside, baseline_mae[DRIFT], long)
claim_that("sections.run's baseline label is this notebook's", cli_result.baseline_name == label)
metric_label = f"1960 MAE, {S.headline} {S.scaler} ensemble of {S.seeds}"
claim_that("sections.run's metric label is this notebook's", cli_result.metric == metric_label)
result = sections.report(
    "airline",
    metric_label,
    ensemble_mae[headline],
    others_mae[best],  # the bar: the lowest 1960 MAE of the six methods that are not networks
    label,
    lowest_other=best,
    drift_mae=baseline_mae[DRIFT],  # another reference, beside the bar
    smape=smape(ensemble[headline], actual),
    member_maes=[round(m, 4) for m in member_mae[headline]],
    seasonal_naive_mae=naive_mae,
    long_mape=long_mapes[headline],
    long_baseline_mape=long_mapes[DRIFT],
    sarima_mae=classical_mae[SARIMA],
    holt_winters_mae={"multiplicative": classical_mae[HW_MUL], "additive": classical_mae[HW_ADD]},
    long_sarima_mape=long_mapes[SARIMA],
    long_holt_winters_mape={"multiplicative": long_mapes[HW_MUL], "additive": long_mapes[HW_ADD]},
)
print(
    f"beside it, 1960 MAE: {airline.SHORT[LSTM]} {ensemble_mae[LSTM]:.2f}, {airline.SHORT[TRANSFORMER]} {ensemble_mae[TRANSFORMER]:.2f};"
    f" the lowest of the six methods that are not networks: {best} {others_mae[best]:.2f}"
)
claim(
    f"a guard, not a verdict: 1960 MAE, both networks ÷ seasonal naive's ({naive_mae:.2f})",
    max(ensemble_mae[name] for name in NETWORKS) / naive_mae,
    "<",
    S.networks_vs_naive,
    fmt=".2f",
)
for comparison in (comparison_1960, comparison_36):
    period = comparison.title.split(",")[0]
    verdicts = "; ".join(
        f"{airline.SHORT[other]} {comparison.verdict(headline, other)}" for other in (DRIFT, DRIFT_LOG)
    )
    print(f"the rule's verdicts, {period}: {airline.SHORT[headline]} - {verdicts}")

# %% tags=["nbval-ignore-output"]
print(seqtut.runtime.provenance())

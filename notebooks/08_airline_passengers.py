# %% [markdown]
# # 08 · Real data: forecasting airline passengers, honestly
#
# The original tutorial says its toy sequence could be "stock prices or weather conditions" and
# never tries: its only data are the numbers 0 to 1000. We try, on the classic monthly airline
# passengers series: international passengers per month, in thousands, January 1949 to December
# 1960 (Box & Jenkins, *Time Series Analysis*, Series G). The sktime and Darts documentation use it
# in their examples, so our numbers can be held against theirs.

# %% [markdown]
# **You will learn**
#
# - to hold a forecast against forecasts that learn nothing (defined below) and against classical
#   statistics (SARIMA, Holt-Winters);
# - why a network trained on globally standardized values cannot forecast a trending series, while
#   log values relative to the window's last value can;
# - to average an ensemble of seeds, and to ask with a bootstrap interval whether one test year can
#   tell two methods apart;
# - to forecast three years by feeding forecasts back in.
#
# **You need** notebooks 02 (window-relative inputs), 03 (the many-to-many LSTM) and 06 (positional
# encoding and self-attention), and `statsmodels` (a dependency of `seqtut`; Kaggle and Colab have it).

# %% [markdown]
# **Run time:** about 53 s in full mode, 9 s fast (SEQTUT_FAST=1), on a 2-core AMD EPYC whose calib
# took 6.8 s (`benchmarks/RESULTS.md`).
#
# **In the original:** no section corresponds. Its introduction names stock prices, weather and
# sales as time series, and its many-to-one section asks the reader to imagine the sequence 0..999
# as stock prices or weather; it never loads a real series. This notebook is the test that promise
# calls for.

# %% [markdown]
# The plan:
#
# 1. look at the series: a trend, and a yearly pattern whose swings grow with the level;
# 2. hold out 1960; compute three forecasts that need no learning, and two classical models;
# 3. train the many-to-many LSTM (notebook 03) and an encoder-only Transformer, each on **globally
#    standardized** values and on **log values relative to the window's last value**, five seeds each;
# 4. explain with numbers why the first kind does not forecast 1960 and the second does, and ask
#    which differences one test year can tell apart from noise;
# 5. repeat on the split the sktime and Darts documentation use (the last 36 months), where we
#    recompute two of their published errors and quote the rest.

# %% tags=["nbval-ignore-output"]
import tempfile

import matplotlib.pyplot as plt
import torch

import seqtut
from seqtut import sections
from seqtut.baselines import (
    SEASON,
    holt_winters_forecast,
    sarima_log_forecast,
    seasonal_naive,
    seasonal_naive_drift,
)
from seqtut.claims import claim, claim_every, claim_that
from seqtut.exercises import check
from seqtut.forecaster_transformer import TransformerForecaster
from seqtut.lstm import ManyToManyLSTM
from seqtut.metrics import mape, mean_and_sd, metrics, paired_difference, smape
from seqtut.plots import legend_outside, plot_forecast
from seqtut.scalers import RelativeScaler
from seqtut.sections.airline import (
    airline_datasets,
    build_model,
    fit_seeds,
    forecast_ahead,
    load_airline,
    long_split_forecasts,
    predict_members,
)
from seqtut.show import show

device = seqtut.setup(recurrent=True)

# %% [markdown]
# Every number this notebook trains with, and every bar its claims hold the results to, lives in one
# settings object, `AirlineSettings` in `seqtut/sections/airline.py`, which `python -m seqtut run
# airline` reads too. Fast mode (CI) trains two seeds for a few epochs, so its numbers and its bars
# differ from the full-mode ones the text quotes. The model settings were chosen by forecasting 1957,
# 1958 and 1959 from the months before each, never by looking at 1960. Split B's 36-month test
# (1958–1960) contains 1958 and 1959, so it is not untouched by that choice: if anything, it
# flatters the networks.

# %% tags=["nbval-ignore-output"]
S = sections.settings("airline")
print(S)

# %% [markdown]
# ## The data
#
# The 144 values ship with `seqtut` as a small CSV file; `load_airline` returns the months as
# `"YYYY-MM"` strings and the passengers as a float tensor. Nothing is downloaded.

# %%
dates, values = load_airline()
print(
    f"{len(values)} months, {dates[0]} .. {dates[-1]}; first {values[0]:.0f}, last {values[-1]:.0f}, "
    f"total {values.sum():.0f}"
)
assert len(values) == 144 and values[0] == 112 and values[-1] == 432 and values.sum() == 40363

# %% [markdown]
# Two things stand out in the plot: the level climbs (a **trend**: the yearly mean grows about 3.8×
# in 12 years) and every year peaks in July or August (**yearly seasonality**). The summer swings
# grow with the level; on a log scale (right) they grow far less. That is close to
# **multiplicative** seasonality: the summer peak is a roughly fixed *percentage* above the trough,
# not a fixed number of passengers.

# %%
years = values.reshape(12, SEASON)  # one row per year, 1949..1960
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.5), layout="constrained")
ticks = [*range(0, len(values), 24), len(values) - 1]  # every other January, and the last month
for ax, scale in ((left, "linear"), (right, "log")):
    ax.plot(values, color="black")
    ax.set(yscale=scale, title=f"Passengers per month ({scale} scale)", ylabel=f"passengers (thousands, {scale} scale)")
    ax.set_xticks(ticks, [dates[i] for i in ticks], rotation=45)
right.set_yticks([100, 200, 300, 400, 600], ["100", "200", "300", "400", "600"], minor=False)
right.yaxis.set_minor_formatter("")  # plain numbers on the log axis, no 10^2 labels
plt.show()

# %%
swing = years.max(dim=1).values - years.min(dim=1).values
ratio = years.max(dim=1).values / years.min(dim=1).values
peak_month = years.argmax(dim=1) + 1  # 1 = January
print("year | mean | max - min | max / min | peak")
for year in (0, 5, 10, 11):
    row = f"{1949 + year} | {years[year].mean():4.0f} | {swing[year]:9.0f} | {ratio[year]:9.2f}"
    print(f"{row} | {peak_month[year]:4d}")
trend = years[11].mean() / years[0].mean()
print(f"1960 mean / 1949 mean: {trend:.2f}; peak months of all 12 years: {peak_month.tolist()}")
claim("1959's summer-to-winter swing, in multiples of 1949's", swing[10] / swing[0], ">", 4, fmt=".2f")
claim("1959's max / min ratio, in multiples of 1949's", ratio[10] / ratio[0], "<", 1.2, fmt=".2f")
claim_that("every year peaks in July or August", set(peak_month.tolist()) <= {7, 8})

# %% [markdown]
# From 1949 to 1959 the summer-to-winter swing grows about 5× in passengers, while the peak stays
# about 1.4 to 1.6 times the trough.
#
# ## Split A: train on 1949–1959, forecast 1960
#
# The model reads a window of 24 months and forecasts the next 12. Training windows come from the
# first 132 months only; the test is one window: 1958–1959 in, 1960 out. Note the last line: the
# 1960 summer peak is **above any value in the training data**. Forecasting it is an extrapolation,
# the situation notebook 02 built on purpose with a straight line.

# %%
split = len(values) - S.test_months  # 132: the first month of 1960
train_series, actual = values[:split], values[split:]
print(f"train {dates[0]}..{dates[split - 1]} ({split} months), test {dates[split]}..{dates[-1]} ({len(actual)} months)")
claim(f"1960 maximum ({dates[split + int(actual.argmax())]})", actual.max(), ">", train_series.max(), fmt=".0f")

# %% [markdown]
# ## Baselines: forecasts that need no learning
#
# - **naive** (also called the *persistence forecast*): every month of 1960 equals December 1959;
# - **seasonal naive**: each month equals the same month one season (12 months) before, so the
#   forecast repeats the last 12 months;
# - **seasonal naive with drift**: seasonal naive plus h times the average monthly step of the whole
#   history, (last − first) / (months − 1), for the h-th month ahead: the seasonal naive and drift
#   methods of Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed., section
#   5.2), combined.
#
# Any learned forecast must beat these to be worth its training. The code, from `seqtut/baselines.py`:

# %%
show(seasonal_naive)

# %%
show(seasonal_naive_drift)

# %% [markdown]
# We report the mean absolute error (MAE, thousands of passengers) and the symmetric MAPE
# (sMAPE, %), mean(2 |forecast − actual| / (|forecast| + |actual|)).

# %%
baselines = {
    "naive": train_series[-1:].expand(S.horizon),
    "seasonal naive": seasonal_naive(train_series, S.horizon),
    "seasonal naive + drift": seasonal_naive_drift(train_series, S.horizon),
}
baseline_mae = {name: metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for name, f in baselines.items()}
print("1960                   |  MAE | sMAPE %")
for name, forecast in baselines.items():
    print(f"{name:22s} | {baseline_mae[name]:4.1f} | {smape(forecast, actual):7.1f}")
assert round(baseline_mae["naive"], 1) == 76.0 and round(baseline_mae["seasonal naive"], 1) == 47.8
assert round(baseline_mae["seasonal naive + drift"], 1) == 33.3
claim_that("every month of 1960 is above the same month of 1959", (actual > train_series[-SEASON:]).all())

# %% [markdown]
# Seasonal naive knows the shape of a year but not the growth: 1960 was busier than 1959 in every
# month, so it is 47.8 too low on average. Adding drift recovers part of the growth.
#
# ## Classical models: what statistics fits to this series
#
# Two standard models, fitted to 1949–1959 only with `statsmodels`:
#
# - **SARIMA(0,1,1)(0,1,1)₁₂ on log values**, `sarima_log_forecast`: Box & Jenkins' "airline
#   model", which they fitted to this very series;
# - **Holt-Winters** exponential smoothing, `holt_winters_forecast`: an additive trend, and a
#   seasonal component that is either **multiplicative** or **additive**. We fit both: the season
#   looks multiplicative, and the published sktime figure used below is additive.
#
# SARIMA fits 3 numbers, Holt-Winters 17 (three smoothing weights, a starting level and trend, and
# 12 starting seasonal values); the networks below have thousands of weights.

# %% tags=["nbval-ignore-output"]
SARIMA, HW_MUL, HW_ADD = "SARIMA, log values", "Holt-Winters, mult. season", "Holt-Winters, add. season"


def classical_forecasts(history: torch.Tensor, horizon: int) -> dict[str, torch.Tensor]:
    """The three classical forecasts of the `horizon` months after `history`, in passengers."""
    return {
        SARIMA: sarima_log_forecast(history, horizon),
        HW_MUL: holt_winters_forecast(history, horizon, seasonal="multiplicative"),
        HW_ADD: holt_winters_forecast(history, horizon, seasonal="additive"),
    }


classical = classical_forecasts(train_series, S.horizon)  # fitted on 1949..1959
classical_mae = {name: metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for name, f in classical.items()}
print("1960                       |   MAE | sMAPE % | highest forecast")
for name, forecast in classical.items():
    print(f"{name:26s} | {classical_mae[name]:5.2f} | {smape(forecast, actual):7.2f} | {forecast.max():16.0f}")

# %% tags=["nbval-ignore-output"]
# statsmodels' optimizers can move these by a few hundredths between versions and machines
# (13.254 for SARIMA on an AVX2-only machine), so the check allows 0.05 and nbval ignores the digits
for name, published in ((SARIMA, 13.26), (HW_MUL, 10.30), (HW_ADD, 13.38)):
    claim(f"|{name} 1960 MAE - {published:.2f}|", abs(classical_mae[name] - published), "<", 0.05, fmt=".2f")
claim_that(
    "Holt-Winters with a multiplicative season has the lowest 1960 MAE of the three",
    min(classical_mae.values()) == classical_mae[HW_MUL],
)

# %% [markdown]
# On 1960, Holt-Winters with a multiplicative season has the lowest error (10.30); SARIMA on logs
# (13.25) and Holt-Winters with an additive season (13.38) follow. All three are far below the
# baselines. Whether one year can rank them, and the networks, is a question we answer below with
# an interval, not by reading the table.

# %% [markdown]
# ## Two ways to present the windows
#
# `airline_datasets` cuts 97 training windows (24 months in, 12 out) from the first 132 months and
# the one test window, and fits a scaler on the training windows only:
#
# - `"standard"`: (value − mean) / std with the mean and std of the training windows, as in many
#   tutorials;
# - `"log-relative"`: log(value) − log(last value of the window), divided by a scale fitted on the
#   training windows (notebook 02's window-relative inputs, on logs). A target of +0.1 (before
#   scaling) means "10.5 % above the last month seen", wherever the window sits. Taking logs turns
#   multiplicative seasonality into additive offsets, and the model predicts growth rates, not
#   levels. `RelativeScaler(log=True)` does it; `inverse` turns growth rates back into passengers:

# %%
show(RelativeScaler.inputs)

# %%
show(RelativeScaler.inverse)

# %%
standard_train, standard_test = airline_datasets(train_series, values[split - S.window :], S, "standard")
relative_train, relative_test = airline_datasets(train_series, values[split - S.window :], S, "log-relative")
print(
    f"training windows: x {tuple(relative_train.x.shape)}, y {tuple(relative_train.y.shape)}; "
    f"test window: x {tuple(relative_test.x.shape)}"
)
assert len(relative_train) == split - S.window - S.horizon + 1 and torch.equal(relative_test.targets[0], actual)

# %% [markdown]
# What the models will read and be asked to produce, in their own units. With standardized values
# part of the test window, the 1959 summer, is already above every input seen in training, and
# 1960's summer targets are above every target the models were trained to produce. With
# log-relative values the test window and its targets sit inside the training ranges.


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
# - **LSTM**: `ManyToManyLSTM` from notebook 03: an LSTM over the window, a Linear head on the last
#   step's output writing all 12 months at once.
# - **Transformer**: `TransformerForecaster`, an encoder-only Transformer for real values. A Linear
#   layer lifts each month's number to a `d_model`-vector (the real-valued counterpart of a token
#   embedding), notebook 06's sinusoidal positions are added, one self-attention layer mixes the 24
#   months, and a Linear head reads all 24 positions (flattened) to write the 12 forecasts. No
#   decoder and no causal mask: the whole window is known when we forecast. Reading every position
#   with its own weights lets the head treat "12 months back" as one fixed input, which suits a
#   seasonal series.

# %%
show(ManyToManyLSTM.forward)

# %%
show(TransformerForecaster.__init__)

# %%
show(TransformerForecaster.forward)

# %%
for kind in ("lstm", "transformer"):
    model = build_model(kind, S)
    print(f"{type(model).__name__:>21}: {sum(p.numel() for p in model.parameters()):6,} weights")
    assert model(relative_train.x[:4]).shape == (4, S.horizon)

# %% [markdown]
# ## Training: four ensembles of five seeds
#
# `fit_seeds` trains `S.seeds` models (five in full mode, two in fast mode), each with its own seed
# (weights and batch order), with the package's `fit`: the training loop of notebook 01, with the
# schedule and progress added. There is no validation set here, so every model keeps its last
# epoch's weights. A single seed can be lucky or unlucky on one test year, so we report the members'
# mean ± standard deviation, and their **ensemble**: the average of their forecasts, month by month.

# %%
show(fit_seeds)

# %% [markdown]
# `predict_members` stacks every member's forecasts; the ensemble is their mean over the first
# (member) dimension, `forecasts.mean(0)`, in passengers, after each member's scaler inverse:

# %%
show(predict_members)

# %% tags=["nbval-ignore-output"]
datasets = {"standard": (standard_train, standard_test), "log-relative": (relative_train, relative_test)}
forecasts, train_seconds = {}, {}
for scaler, (train, test) in datasets.items():
    for kind in ("lstm", "transformer"):
        name = f"{kind}, {scaler}"
        models, train_seconds[name] = fit_seeds(kind, train, S, device=device)
        forecasts[name] = predict_members(models, test, device)[:, 0]  # (seeds, 12)
        print(f"{name:25s}: {S.seeds} seeds in {train_seconds[name]:5.1f} s")

# %% tags=["nbval-ignore-output"]
member_mae = {name: [metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for f in fs] for name, fs in forecasts.items()}
ensemble = {name: fs.mean(0) for name, fs in forecasts.items()}  # the average of the members, (12,)
ensemble_mae = {name: metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for name, f in ensemble.items()}
print(f"{'1960 (actual peak 622)':26s} | MAE per seed, mean ± sd | ensemble MAE | sMAPE % | highest forecast")
for name in forecasts:
    print(
        f"{name:26s} | {mean_and_sd(member_mae[name]):>23s} | {ensemble_mae[name]:12.2f} | "
        f"{smape(ensemble[name], actual):7.2f} | {forecasts[name].max():16.0f}"
    )
others = {**classical, **{name: baselines[name] for name in ("seasonal naive", "seasonal naive + drift")}}
for name, forecast in others.items():
    mae = metrics(forecast.unsqueeze(0), actual.unsqueeze(0)).mae
    print(f"{name:26s} | {'':23s} | {mae:12.2f} | {smape(forecast, actual):7.2f} | {forecast.max():16.0f}")

# %% tags=["nbval-ignore-output"]
headline = f"{S.headline}, log-relative"
naive_mae, drift_mae = baseline_mae["seasonal naive"], baseline_mae["seasonal naive + drift"]
for kind in ("lstm", "transformer"):
    standard, relative = f"{kind}, standard", f"{kind}, log-relative"
    claim(f"{standard} ensemble MAE", ensemble_mae[standard], ">", drift_mae, fmt=".2f")
    claim(
        f"|{standard} - seasonal naive| MAE",
        abs(ensemble_mae[standard] - naive_mae),
        "<",
        S.standard_near_naive,
        fmt=".2f",
    )
    claim(f"{standard}: highest forecast of any member", forecasts[standard].max(), "<", train_series.max(), fmt=".0f")
    claim(f"{relative} ensemble MAE", ensemble_mae[relative], "<=", S.relative_vs_naive * naive_mae, fmt=".2f")
    claim(
        f"{relative}: highest forecast of any member",
        forecasts[relative].max(),
        ">=",
        train_series.max() - S.peak_slack,
        fmt=".0f",
    )
    claim(f"{relative} ensemble MAE", ensemble_mae[relative], ">", max(classical_mae.values()), fmt=".2f")

# %% [markdown]
# ## The extrapolation lesson, with this data's numbers
#
# In full mode the standardized ensembles land near seasonal naive (within 10 either way) and
# behind seasonal naive with drift, while the log-relative ones have less than half seasonal
# naive's error (the bar, `S.relative_vs_naive`, is 0.5 in full mode and 1 in fast mode). None of
# the ten standardized models forecast a month above 559, the training maximum, although July 1960
# had 622 thousand passengers. 1960's summer, and the 1959 summer in their test window, lie above
# every standardized target and input they trained on: nothing in training ever asked their output
# head for such numbers. This is notebook 02's straight line again, on real data.
#
# The log-relative models forecast growth rates relative to December 1959. The growth 1960 needs,
# from December 1959 to July 1960, lies inside the range the ten training years show:

# %%
december_to_july = [(values[12 * year + 18] / values[12 * year + 11]).item() - 1 for year in range(11)]
print("December -> next July, training years: " + " ".join(f"{g:+.0%}" for g in december_to_july[:10]))
print(f"December 1959 -> July 1960 (test):     {december_to_july[10]:+.0%}")
claim_that(
    "December 1959 -> July 1960 lies inside the training years' range",
    min(december_to_july[:10]) < december_to_july[10] < max(december_to_july[:10]),
)

# %% [markdown]
# The scaler turns growth rates back into passengers by multiplying with December 1959's 405. Are
# the log-relative models' outputs, before that step, ordinary numbers? Their scaled forecasts for
# 1960, every member's, against the range of the scaled training targets:

# %% tags=["nbval-ignore-output"]
test_windows = relative_test.windows  # (1, 24): 1958..1959
assert test_windows[0, -1] == 405
low, high = relative_train.y.min(), relative_train.y.max()
print(f"scaled training targets: {low:.2f}..{high:.2f}")
for kind in ("lstm", "transformer"):
    fs = forecasts[f"{kind}, log-relative"]  # (seeds, 12) passengers
    scaled = relative_test.scaler.targets(test_windows.expand(len(fs), -1), fs)
    print(f"{kind:>11}: scaled 1960 forecasts {scaled.min():5.2f}..{scaled.max():4.2f}")
    claim_that(
        f"every {kind} member's scaled 1960 forecast lies inside that range",
        (low < scaled).all() and (scaled < high).all(),
    )

# %% [markdown]
# Every member's scaled forecast lies inside the training targets' range: for these models 1960 is
# an ordinary year, and the forecast goes above 559 without the model producing an unusual number.

# %% [markdown]
# ## How good is good, and how sure can one year make us?
#
# In full mode the networks' ensembles (MAE 16.41 and 17.39) trail SARIMA (13.25) and Holt-Winters
# (10.30 multiplicative, 13.38 additive). But the test is one year: 12 monthly errors of one
# forecast. Is 16.4 against 13.25 a difference, or the luck of the year?
#
# `paired_difference` answers with the tutorial's one rule: take two methods' errors on the same
# months and bootstrap the mean of their difference. Neighbouring months' errors are correlated
# (one forecast misses a whole summer together), so it resamples blocks of 3 consecutive months,
# not single months. With 12 months there are only four blocks per resample: the intervals are
# rough.

# %% tags=["nbval-ignore-output"]
BLOCK = 3  # months per bootstrap block
LSTM, TRANSFORMER = "lstm, log-relative", "transformer, log-relative"


def compare(errors: dict[str, torch.Tensor], pairs: list[tuple[str, str]], title: str) -> dict:
    """Paired block-bootstrap differences mean(errors[a] - errors[b]) for each pair; print them."""
    differences = {(a, b): paired_difference(errors[a], errors[b], block=BLOCK) for a, b in pairs}
    print(f"{title:55s} | mean difference (95 % interval)          | clear?")
    for (a, b), difference in differences.items():
        print(f"{a + ' - ' + b:55s} | {difference!s:41s} | {'yes' if difference.clear else 'no'}")
    return differences


errors = {name: (f - actual).abs() for name, f in {**ensemble, **classical, **baselines}.items()}
differences = compare(
    errors,
    [(LSTM, TRANSFORMER), (LSTM, SARIMA), (TRANSFORMER, SARIMA), (LSTM, HW_MUL), (TRANSFORMER, HW_MUL)]
    + [(LSTM, "seasonal naive"), (TRANSFORMER, "seasonal naive")]
    + [("lstm, standard", "seasonal naive + drift"), ("transformer, standard", "seasonal naive + drift")],
    "1960, absolute error per month (thousands)",
)

# %% [markdown]
# The claims below read each interval as **below 0** (a clearly ahead of b), **above 0** (clearly
# behind) or **includes 0** (one year cannot tell them apart). In fast mode the networks are barely
# trained, so each claim gets a slack (`S.interval_slack`: 0 in full mode, 30 thousand in fast mode).


# %%
def claim_interval(differences: dict, a: str, b: str, verdict: str, slack: float) -> None:
    """Claim that the interval of mean(error a - error b) is `verdict`, give or take `slack`."""
    d = differences[(a, b)]
    holds = {"below 0": d.high < slack, "above 0": d.low > -slack, "includes 0": d.low < slack and d.high > -slack}
    extra = f" (slack {slack:g})" if slack else ""
    claim_that(f"{a} - {b}: interval {d.low:+.2f} to {d.high:+.2f} {verdict}{extra}", holds[verdict])


# %% tags=["nbval-ignore-output"]
for network in (LSTM, TRANSFORMER):
    claim_interval(differences, network, SARIMA, "includes 0", S.interval_slack)
    claim_interval(differences, network, HW_MUL, "includes 0", S.interval_slack)
    claim_interval(differences, network, "seasonal naive", "below 0", S.interval_slack)
claim_interval(differences, LSTM, TRANSFORMER, "includes 0", S.interval_slack)
claim_interval(differences, "transformer, standard", "seasonal naive + drift", "above 0", S.interval_slack)
claim_interval(differences, "lstm, standard", "seasonal naive + drift", "includes 0", S.interval_slack)

# %% [markdown]
# What the intervals say, in full mode:
#
# - **LSTM against Transformer**: −0.98 per month, interval about −15 to +10. One year cannot rank
#   them.
# - **Networks against SARIMA** (+3.2 and +4.1) **and Holt-Winters multiplicative** (+6.1 and
#   +7.1): the classical models have the lower errors on 1960, but every interval includes 0, so
#   this year alone cannot tell the networks from them. That does not make them equally good: 12
#   months are too few to decide.
# - **Networks against seasonal naive**: about −31 and −30, with intervals that stay below −15: a
#   clear gain.
# - **Standardized networks against seasonal naive with drift**: the Transformer's loss is clear;
#   the LSTM's interval reaches just below 0.
#
# What they do not cover: other test years, other seeds (the ± column shows the seeds' spread) or
# other settings. They measure these trained models on this one year.

# %% [markdown]
# ## Forecast plots of 1960
#
# Four panels, each after the two input years 1958–1959, with the dotted training maximum: the
# standardized ensembles, the log-relative ensembles, the classical models, and the baselines.


# %%
def label(name: str) -> str:
    """'lstm, standard' -> 'LSTM ensemble, standardized'; other names unchanged."""
    kinds = {"lstm": "LSTM", "transformer": "Transformer"}
    kind, _, scaling = name.partition(", ")
    if kind not in kinds:
        return name
    return f"{kinds[kind]} ensemble, {'standardized' if scaling == 'standard' else scaling}"


def forecast_panel(ax, start: int, end: int, shown: dict, title: str, tick_every: int, window: bool) -> None:
    """History values[start:end], then the actual months after it and each forecast in `shown`."""
    future = values[end : end + len(next(iter(shown.values())))]
    what = "input window" if window else "history, last 24 months"  # `window`: the networks' one input
    history_label = f"{what} {dates[start]}..{dates[end - 1]}"
    plot_forecast(
        values[start:end],
        future,
        {label(n): f for n, f in shown.items()},
        start=start,
        ax=ax,
        title=title,
        history_label=history_label,
        ylabel="passengers (thousands)",
    )
    top = int(values[:end].argmax())  # the training maximum, in the legend
    ax.axhline(
        values[top],
        color="0.6",
        linewidth=0.8,
        linestyle=":",
        label=f"training maximum ({values[top]:.0f}, {dates[top]})",
    )
    ticks = [*range(start, end + len(future), tick_every), end + len(future) - 1]
    ax.set_xticks(ticks, [dates[i] for i in ticks], rotation=45)
    ax.set(xlabel="month")
    legend_outside(ax)


# %% tags=["nbval-ignore-output"]
panels = {
    "globally standardized ensembles": {n: ensemble[n] for n in ("lstm, standard", "transformer, standard")},
    "log-relative ensembles": {n: ensemble[n] for n in (LSTM, TRANSFORMER)},
    "classical models": classical,
    "baselines": baselines,
}
fig, axes = plt.subplots(2, 2, figsize=(15, 8), sharey=True, layout="constrained")
for ax, (title, shown) in zip(axes.flat, panels.items()):
    forecast_panel(ax, split - S.window, split, shown, f"1960: {title}", 6, window="ensembles" in title)
plt.show()

# %% [markdown]
# In full mode the standardized ensembles flatten the summer peak below the dotted line, the
# training maximum; the log-relative ensembles and the classical models follow the 1960 shape and
# level. Naive is the flat line.

# %% [markdown]
# ## Split B: the sktime and Darts documentation split
#
# Their examples train on 1949-01..1957-12 and forecast the last 36 months in one go. Our models
# forecast 12 months, so we retrain them on the shorter history and apply them three times, feeding
# each year's forecast back in as input for the next (`forecast_ahead`; `long_split_forecasts` does
# both). Errors can compound, and the test starts with 1958, the year that grew least: a hard test
# for anything that learned "every year grows". The classical models forecast all 36 months at
# once from their fit to 1949–1957. The metric here is MAPE, mean(|forecast − actual| / actual) in
# %, as in their documentation.

# %%
show(forecast_ahead)

# %%
totals = years.sum(dim=1)
growth = totals[1:] / totals[:-1] - 1  # 1950..1960 over the year before
print("passengers per year, growth: " + " ".join(f"{1950 + i}: {g:+.1%}" for i, g in enumerate(growth.tolist())))
claim_that("1958 grew least of all years", growth.argmin() == 1958 - 1950)

# %% tags=["nbval-ignore-output"]
long_split = len(values) - S.long_test_months  # 108: the first month of 1958
long_series, long_actual = values[:long_split], values[long_split:]
long_windows = long_split - S.window - S.horizon + 1  # 73 training windows from 1949..1957
long_forecasts = {}
for kind in ("lstm", "transformer"):  # S.scaler is "log-relative"
    long_forecasts[kind], train_seconds[f"{kind}, split B"] = long_split_forecasts(kind, values, S, device=device)
    print(f"{kind}: {long_windows} training windows, {S.seeds} seeds in {train_seconds[f'{kind}, split B']:.1f} s")

# %% tags=["nbval-ignore-output"]
long_mape = {kind: mape(f.mean(0), long_actual) for kind, f in long_forecasts.items()}
long_others = {
    **classical_forecasts(long_series, S.long_test_months),  # fitted on 1949..1957
    "seasonal naive": seasonal_naive(long_series, S.long_test_months),
    "seasonal naive + drift": seasonal_naive_drift(long_series, S.long_test_months),
}
long_other_mape = {name: mape(f, long_actual) for name, f in long_others.items()}
print("last 36 months                              | MAPE %")
for kind, fs in long_forecasts.items():
    per_seed = [mape(f, long_actual) for f in fs]
    print(f"{kind + ', log-relative, ensemble':44s}| {long_mape[kind]:6.2f}  (per seed {mean_and_sd(per_seed)})")
for name, value in long_other_mape.items():
    print(f"{name + ' (computed here)':44s}| {value:6.2f}")
published = {"seasonal naive": 13.19, "Holt-Winters, add. season": 5.11, "AutoARIMA (not computed here)": 4.15}
for name, value in published.items():
    print(f"{name + ', sktime docs':44s}| {value:6.2f}")
long_shown = {f"{kind}, log-relative": f.mean(0) for kind, f in long_forecasts.items()} | long_others
long_bias = {name: f - long_actual for name, f in long_shown.items()}
print("mean error (forecast - actual) | 1958 | 1959 | 1960")
for name, error in long_bias.items():
    print(f"{name:30s} | " + " | ".join(f"{e:+4.0f}" for e in error.reshape(3, SEASON).mean(dim=1).tolist()))

# %% tags=["nbval-ignore-output"]
claim(
    "seasonal naive's 36-month MAPE, rounded (sktime: 13.19)", round(long_other_mape["seasonal naive"], 2), "==", 13.19
)
claim("additive Holt-Winters' 36-month MAPE, rounded (sktime: 5.11)", round(long_other_mape[HW_ADD], 2), "==", 5.11)
claim(f"|{SARIMA} 36-month MAPE - 8.11|", abs(long_other_mape[SARIMA] - 8.11), "<", 0.05, fmt=".2f")
# the multiplicative fit has at least two local optima; which one the optimizer reaches depends on the machine
claim(f"{HW_MUL} 36-month MAPE", long_other_mape[HW_MUL], ">", 5.0, fmt=".2f")
claim(f"{HW_MUL} 36-month MAPE", long_other_mape[HW_MUL], "<", 5.7, fmt=".2f")
yearly_bias = {name: error.reshape(3, SEASON).mean(dim=1) for name, error in long_bias.items()}
claim_every(f"{SARIMA}: mean error per year", yearly_bias[SARIMA], ">", 0, what="years", fmt=".0f")

# %% tags=["nbval-ignore-output"]
for kind in ("lstm", "transformer"):
    claim(f"{kind} 36-month MAPE", long_mape[kind], ">", long_other_mape["seasonal naive + drift"], fmt=".2f")
    claim(f"{kind} 36-month MAPE", long_mape[kind], "<", S.long_mape_bound, fmt=".2f")
    claim_every(f"{kind}: mean error per year", yearly_bias[f"{kind}, log-relative"], ">", 0, what="years", fmt=".0f")
gap = (yearly_bias[LSTM] - yearly_bias[SARIMA]).abs()
claim_every("|LSTM - SARIMA| mean error per year", gap, "<", S.bias_gap_bound, what="years", fmt=".1f")

# %% [markdown]
# Our seasonal naive and our additive-season Holt-Winters reproduce the published 13.19 % and
# 5.11 %, so the split and the metric match sktime's. (The 5.11 % is the additive-season variant.
# The multiplicative one is not stable across machines: its least-squares fit has at least two local
# optima, and which one statsmodels' optimizer reaches depends on the floating-point kernels the CPU
# gets. It scored 5.07 % on the AVX2-only machine that ran the saved outputs and 5.64 % on another, so
# the check above asks only for 5.0–5.7 %.) AutoARIMA's 4.15 % is quoted, not recomputed: sktime's
# AutoARIMA needs pmdarima, which `seqtut` does not install.

# %% [markdown]
# Three years ahead the order changes. In full mode the networks land between seasonal naive with
# drift and seasonal naive (the bar `S.long_mape_bound` is seasonal naive's 13.19 % there). SARIMA
# on logs gets 8.12 %, close to the LSTM's 8.40 %. Both forecast too high in all three years, by
# almost the same amounts: they carry 1949–1957's growth into a 1958 that grew 3.4 %. SARIMA never
# reads its own forecasts, so feeding forecasts back is not needed to explain the LSTM's excess.
# Holt-Winters additive and seasonal naive with drift extrapolate less.
#
# Are these gaps more than noise? The same paired bootstrap, on each month's absolute percentage
# error, blocks of 3 months:

# %% tags=["nbval-ignore-output"]
long_errors = {name: 100 * (f - long_actual).abs() / long_actual for name, f in long_shown.items()}
long_differences = compare(
    long_errors,
    [(LSTM, TRANSFORMER), (LSTM, SARIMA), (TRANSFORMER, SARIMA), (LSTM, HW_ADD), (TRANSFORMER, HW_ADD)]
    + [(SARIMA, HW_ADD), (LSTM, "seasonal naive"), (TRANSFORMER, "seasonal naive")]
    + [(LSTM, "seasonal naive + drift")],
    "last 36 months, absolute % error per month",
)

# %% tags=["nbval-ignore-output"]
# SARIMA's fit moves in the last digit with the machine's BLAS (+4.40 or +4.41 at the top): the claim holds
claim_interval(long_differences, SARIMA, HW_ADD, "above 0", 0)

# %% tags=["nbval-ignore-output"]
slack = S.long_interval_slack  # percentage points: 0 in full mode
claim_interval(long_differences, LSTM, SARIMA, "includes 0", slack)
for network in (LSTM, TRANSFORMER):
    claim_interval(long_differences, network, HW_ADD, "above 0", slack)
    claim_interval(long_differences, network, "seasonal naive", "includes 0", slack)
claim_interval(long_differences, TRANSFORMER, SARIMA, "above 0", slack)
claim_interval(long_differences, LSTM, TRANSFORMER, "below 0", slack)
claim_interval(long_differences, LSTM, "seasonal naive + drift", "includes 0", slack)

# %% [markdown]
# In full mode: the LSTM and SARIMA cannot be told apart (+0.29 points, interval about −0.7 to
# +1.3); Holt-Winters additive is clearly ahead of both, and of the Transformer, which is clearly
# behind SARIMA and the LSTM. The networks' gains over seasonal naive, and the LSTM's loss to
# seasonal naive with drift, are within noise. One caveat makes these intervals, if anything, too
# narrow: over 36 months a forecast's errors stay correlated for longer than 3 months (the
# networks' and SARIMA's yearly mean errors above keep one sign for all three years).
#
# So on this split the LSTM, trained from scratch on 73 windows, cannot be told from the textbook
# airline model, and a 17-parameter Holt-Winters beats both. It is one 36-month path of
# one series: it ranks these methods on it, not in general.

# %% tags=["nbval-ignore-output"]
long_panels = {
    "networks (fed back 3 times) and SARIMA": {n: long_shown[n] for n in (LSTM, TRANSFORMER, SARIMA)},
    "Holt-Winters and baselines": {n: long_shown[n] for n in (HW_ADD, "seasonal naive", "seasonal naive + drift")},
}
fig, axes = plt.subplots(2, 1, figsize=(12, 8), sharey=True, layout="constrained")
for ax, (title, shown) in zip(axes, long_panels.items()):
    forecast_panel(ax, long_split - S.window, long_split, shown, f"Last 36 months: {title}", 12, window=False)
plt.show()

# %% [markdown]
# ## The command line reproduces the headline model
#
# `sections.run("airline", ...)` (what `python -m seqtut run airline` calls) trains the headline
# ensemble from the same settings and seeds, on both splits, and saves the members as checkpoints.
# We run it into a temporary folder and compare:

# %% tags=["nbval-ignore-output"]
with tempfile.TemporaryDirectory() as folder:
    cli_result = sections.run("airline", device=device.type, out=folder, progress=False)
train_seconds["sections.run"] = cli_result.details["train_seconds"]
print(
    f"sections.run: 1960 MAE {cli_result.value:.4f}, 36-month MAPE {cli_result.details['long_mape']:.4f} | "
    f"this notebook: {ensemble_mae[headline]:.4f}, {long_mape[S.headline]:.4f}"
)

# %%
claim("|sections.run - notebook| 1960 MAE", abs(cli_result.value - ensemble_mae[headline]), "<", 1e-4)
claim(
    "|sections.run - notebook| 36-month MAPE", abs(cli_result.details["long_mape"] - long_mape[S.headline]), "<", 1e-4
)
claim_that("sections.run's baseline is this notebook's seasonal naive", cli_result.baseline == naive_mae)

# %% [markdown]
# ## Training time
#
# Every network this notebook trained, on the device the first cell chose (the last line names it),
# with one CPU thread. The classical fits take a few seconds and are not counted. The bar is a guard
# against a run gone wrong, not a benchmark: shared machines vary 2–3×.

# %% tags=["nbval-ignore-output"]
total_seconds = sum(train_seconds.values())
for name, seconds in train_seconds.items():
    print(f"{name:25s}: {seconds:5.1f} s")
print(f"{'total':25s}: {total_seconds:5.1f} s on {device.type}")
claim("total training time", total_seconds, "<", S.max_train_seconds, fmt=".0f", unit="s")

# %% [markdown]
# ## Result

# %% tags=["nbval-ignore-output"]
result = sections.report(
    "airline",
    f"1960 MAE, {S.headline} log-relative ensemble of {S.seeds}",
    ensemble_mae[headline],
    naive_mae,
    "seasonal naive",
    smape=smape(ensemble[headline], actual),
    member_maes=[round(m, 4) for m in member_mae[headline]],
    long_mape=long_mape[S.headline],
    sarima_mae=classical_mae[SARIMA],
    holt_winters_mae={"multiplicative": classical_mae[HW_MUL], "additive": classical_mae[HW_ADD]},
    long_sarima_mape=long_other_mape[SARIMA],
    long_holt_winters_mape={"multiplicative": long_other_mape[HW_MUL], "additive": long_other_mape[HW_ADD]},
)
claim("headline 1960 MAE", result["value"], "<=", S.relative_vs_naive * result["baseline"], fmt=".2f")

# %% [markdown]
# ## Summary
#
# Figures are full mode; "clear" means a paired block-bootstrap interval that excludes 0.
#
# - On real data, compute the baselines and the classical models first: seasonal naive (47.8),
#   seasonal naive with drift (33.3), SARIMA on logs (13.25), Holt-Winters (10.30 multiplicative,
#   13.38 additive season).
# - Trained on globally standardized values, our models forecast no month above the training
#   maximum: a trending series leaves the training range at once.
# - Log values relative to the window's last value keep every 1960 input and target inside the
#   training range; the same LSTM, and a small Transformer, then clearly beat seasonal naive on
#   1960 (MAE 16.4 and 17.4).

# %% [markdown]
# - One test year does not rank the networks against SARIMA or Holt-Winters, nor against each other.
# - Over three years, the LSTM fed its own forecasts ties the log-SARIMA (8.40 % against 8.12 %), and
#   additive-season Holt-Winters (5.11 %) clearly beats both.

# %% [markdown]
# ## Exercises
#
# Each exercise is a function to fill in; the cell under it checks your function on cases the
# checker builds itself and prints `✓` or the first failing case, with a hint. Solutions are in
# `solutions/08_airline_passengers.py`.
#
# **1. Seasonal naive** (a few minutes). Write `my_seasonal_naive(history, horizon, season=12)`:
# `history` is a 1-D tensor (L,), and the result (horizon,) gives, for each step ahead, the value one
# season before it, the last season repeated as often as needed. The checker tries horizons shorter
# and longer than a season, a quarterly `season=4`, and the airline data. A history shorter than one
# season has no value a season back: your function must raise a `ValueError` for it.


# %%
def my_seasonal_naive(history: torch.Tensor, horizon: int, season: int = 12) -> torch.Tensor:
    """history (L,) -> (horizon,): each forecast is the value `season` steps before it."""
    raise NotImplementedError("your code here")


check.seasonal_naive(my_seasonal_naive)

# %% [markdown]
# **2. Beat seasonal naive on years you did not tune to.** Write `my_airline_forecast(history)`:
# `history` holds the monthly totals (L,) from January 1949 to some December, and the result is a
# tensor of the next 12 months. The checker runs it three times, forecasting 1957, 1959 and 1960
# each from the months before it, and it passes when your MAE is strictly below seasonal naive's on
# **every one** of those years (40.17, 47.33 and 47.83), so one lucky year is not enough. It rejects
# a result of the wrong length or with NaN. Your function receives only the history, so peeking at
# the year it forecasts is impossible by construction. 1958 is left out on purpose: seasonal naive
# (12.6) beats even SARIMA (27.6) and Holt-Winters (13.9) that year.


# %%
def my_airline_forecast(history: torch.Tensor) -> torch.Tensor:
    """Monthly totals (L,), L >= 24 -> forecasts of the next 12 months (12,)."""
    raise NotImplementedError("your code here")


check.airline_forecast(my_airline_forecast)

# %% [markdown]
# ## Try next
#
# - Forecast 1958 as in exercise 2 and see why every method here loses to seasonal naive that year;
#   then ask which of them an average over 1955–1960 would rank first.
# - Train the log-relative networks on a window of 12 or 36 months (`dataclasses.replace(S,
#   window=36)`) and see whether split B's ranking moves beyond the intervals.
# - Give Holt-Winters a damped trend (`statsmodels`' `damped_trend=True`) and compare it on split B.

# %% tags=["nbval-ignore-output"]
print(seqtut.runtime.provenance())

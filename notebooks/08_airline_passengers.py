# %% [markdown]
# # 08 · Real data: forecasting airline passengers, honestly
#
# The original tutorial says "imagine this sequence is a time series of stock prices or weather
# conditions" and never tries: its only data are the numbers 0 to 1000. We try, on the classic
# monthly airline passengers series: international passengers per month, in thousands, January 1949
# to December 1960 (Box & Jenkins, *Time Series Analysis*, Series G). The sktime and Darts
# documentation use it in their examples, so our numbers can be held against theirs.

# %% [markdown]
# The plan:
#
# 1. look at the series: a trend, and a yearly pattern whose swings grow with the level;
# 2. hold out 1960, compute three forecasts that need no learning and two classical statistical
#    models (SARIMA and Holt-Winters);
# 3. train the many-to-many LSTM (notebook 03) and an encoder-only Transformer, each on **globally
#    standardized** values and on **log values relative to the window's last value**, five seeds each;
# 4. explain with numbers why the first kind does not forecast 1960 and the second does, and ask
#    which differences one test year can tell apart from noise;
# 5. repeat on the split the sktime and Darts documentation use (the last 36 months), where we
#    recompute two of their published errors and quote the rest.

# %%
# NBVAL_IGNORE_OUTPUT
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
from seqtut.metrics import mape, mean_and_sd, metrics, paired_difference, smape
from seqtut.plots import plot_forecast
from seqtut.runtime import FAST
from seqtut.sections.airline import (
    airline_datasets,
    build_model,
    fit_seeds,
    load_airline,
    long_split_forecasts,
    predict_members,
)

device = seqtut.setup(recurrent=True)

# %% [markdown]
# Every number this notebook trains with lives in one settings object, `AirlineSettings` in
# `seqtut/sections/airline.py`, which `python -m seqtut run airline` reads too. Fast mode (CI)
# trains fewer seeds for fewer epochs, so its printed numbers differ from the full-mode ones the
# text quotes. The model settings were chosen by forecasting 1957, 1958 and 1959 from the months
# before each, never by looking at 1960. The 36-month test period of split B (1958–1960) contains
# 1958 and 1959, so split B is not untouched by that choice: if anything, it flatters the networks.

# %%
# NBVAL_IGNORE_OUTPUT
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
ticks = range(0, len(values), 24)
for ax, scale in ((left, "linear"), (right, "log")):
    ax.plot(values, color="black")
    ax.set(yscale=scale, title=f"Passengers per month ({scale} scale)", ylabel="thousands")
    ax.set_xticks(list(ticks), [dates[i][:4] for i in ticks])
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
assert swing[10] > 4 * swing[0] and ratio[10] < 1.2 * ratio[0]  # swings grow 5x, the ratio far less
assert round(trend.item(), 1) == 3.8 and set(peak_month.tolist()) <= {7, 8}

# %% [markdown]
# From 1949 to 1959 the summer-to-winter swing grows about 5× in passengers, while the peak stays
# about 1.4 to 1.6 times the trough.
#
# ## Split A: train on 1949–1959, forecast 1960
#
# The model reads a window of 24 months and forecasts the next 12. Training windows come from the
# first 132 months only; the test is one window: 1958–1959 in, 1960 out. Note the last line: the
# 1960 summer peak is **above any value in the training data**. Forecasting it is an extrapolation,
# the same situation notebook 01 built on purpose with a straight line.

# %%
split = len(values) - S.test_months  # 132: the first month of 1960
train_series, actual = values[:split], values[split:]
print(f"train {dates[0]}..{dates[split - 1]} ({split} months), test {dates[split]}..{dates[-1]} ({len(actual)} months)")
print(
    f"training maximum {train_series.max():.0f} ({dates[int(train_series.argmax())]}), "
    f"1960 maximum {actual.max():.0f} ({dates[split + int(actual.argmax())]})"
)
assert actual.max() > train_series.max()

# %% [markdown]
# ## Baselines: forecasts that need no learning
#
# - **naive**: every month of 1960 equals December 1959;
# - **seasonal naive**: each month equals the same month a year before (`history[-12:]`);
# - **seasonal naive with drift**: seasonal naive plus h times the average monthly step of the whole
#   history, (last − first) / (months − 1), for the h-th month ahead: the seasonal naive and drift
#   methods of Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed., section
#   5.2), combined.
#
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
assert (actual > train_series[-SEASON:]).all()  # every month of 1960 above the same month of 1959

# %% [markdown]
# Seasonal naive knows the shape of a year but not the growth: 1960 was busier than 1959 in every
# month, so it is 47.8 too low on average. Adding drift recovers part of the growth.
#
# ## Classical models: what statistics fits to this series
#
# Two standard models, fitted to 1949–1959 only with `statsmodels` (the field's standard library;
# Kaggle and Colab preinstall it, elsewhere `pip install statsmodels`; `seqtut` depends on it):
#
# - **SARIMA(0,1,1)(0,1,1)₁₂ on log values**, `sarima_log_forecast`: Box & Jenkins' "airline
#   model", which they fitted to this very series;
# - **Holt-Winters** exponential smoothing, `holt_winters_forecast`: an additive trend, and a
#   seasonal component that is either **multiplicative** or **additive**. We fit both: the season
#   looks multiplicative, and the published sktime figure used below is additive.
#
# SARIMA fits 3 numbers, Holt-Winters 17 (three smoothing weights, a starting level and trend, and
# 12 starting seasonal values); the networks below have thousands of weights.

# %%
# NBVAL_IGNORE_OUTPUT
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

# %%
# statsmodels' optimizers can move these by a few hundredths between versions
assert abs(classical_mae[SARIMA] - 13.26) < 0.05 and abs(classical_mae[HW_MUL] - 10.30) < 0.05
assert abs(classical_mae[HW_ADD] - 13.38) < 0.05
assert min(classical_mae.values()) == classical_mae[HW_MUL]

# %% [markdown]
# On 1960, Holt-Winters with a multiplicative season has the lowest error (10.30); SARIMA on logs
# (13.26) and Holt-Winters with an additive season (13.38) follow. All three are far below the
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
#   training windows. A target of +0.1 (before scaling) means "10.5 % above the last month seen",
#   wherever the window sits. Taking logs first turns multiplicative seasonality into additive
#   offsets, and the model predicts growth rates, not levels.

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
def outside(test: torch.Tensor, train: torch.Tensor) -> str:
    """How many values of `test` lie outside the range of `train`, as 'k of n'."""
    return f"{int(((test < train.min()) | (test > train.max())).sum())} of {test.numel()}"


print("scaled units | training inputs | test inputs (1958-59) | outside | training targets | 1960 targets | outside")
for name, train, test in (("standard", standard_train, standard_test), ("log-relative", relative_train, relative_test)):
    print(
        f"{name:>12} | {train.x.min():6.2f}..{train.x.max():5.2f} | {test.x.min():12.2f}..{test.x.max():5.2f}"
        f" | {outside(test.x, train.x):>7} | {train.y.min():9.2f}..{train.y.max():5.2f} | "
        f"{test.y.min():5.2f}..{test.y.max():5.2f} | {outside(test.y, train.y):>7}"
    )
assert standard_test.x.max() > standard_train.x.max() and standard_test.y.max() > standard_train.y.max()
assert relative_train.x.min() <= relative_test.x.min() and relative_test.x.max() <= relative_train.x.max()
assert relative_train.y.min() < relative_test.y.min() and relative_test.y.max() < relative_train.y.max()

# %% [markdown]
# ## The models
#
# - **LSTM**: `ManyToManyLSTM` from notebook 03: an LSTM over the window, a Linear head on the last
#   step's output writing all 12 months at once.
# - **Transformer**: `TransformerForecaster`, an encoder-only Transformer for real values. A Linear
#   layer lifts each month's number to a `d_model`-vector (the real-valued counterpart of a token
#   embedding), the sinusoidal positions of the Transformer notebooks are added, one self-attention
#   layer mixes the 24 months, and a Linear head reads all 24 positions (flattened) to write the 12
#   forecasts. No decoder and no causal mask: the whole window is known when we forecast. Reading
#   every position with its own weights lets the head treat "12 months back" as one fixed input,
#   which suits a seasonal series.

# %%
for kind in ("lstm", "transformer"):
    model = build_model(kind, S)
    print(f"{type(model).__name__:>21}: {sum(p.numel() for p in model.parameters()):6,} weights")
    assert model(relative_train.x[:4]).shape == (4, S.horizon)

# %% [markdown]
# ## Training: four ensembles of five seeds
#
# `fit_seeds` trains `S.seeds` models (five in full mode, two in fast mode), each with its own seed
# (weights and batch order), with the `fit` loop that notebooks 01–07 train with; here there is no
# validation set, so every model keeps its last epoch's weights. A single seed can be lucky or
# unlucky on one test year, so we report the members' mean ± standard deviation, and their
# **ensemble**: the average of their forecasts.

# %%
# NBVAL_IGNORE_OUTPUT
datasets = {"standard": (standard_train, standard_test), "log-relative": (relative_train, relative_test)}
forecasts, train_seconds = {}, {}
for scaler, (train, test) in datasets.items():
    for kind in ("lstm", "transformer"):
        name = f"{kind}, {scaler}"
        models, train_seconds[name] = fit_seeds(kind, train, S, device=device)
        forecasts[name] = predict_members(models, test, device)[:, 0]  # (seeds, 12)
        print(f"{name:25s}: {S.seeds} seeds in {train_seconds[name]:5.1f} s")

# %%
# NBVAL_IGNORE_OUTPUT
member_mae = {name: [metrics(f.unsqueeze(0), actual.unsqueeze(0)).mae for f in fs] for name, fs in forecasts.items()}
ensemble = {name: fs.mean(0) for name, fs in forecasts.items()}
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

# %%
headline = f"{S.headline}, log-relative"
for kind in ("lstm", "transformer"):  # neither standardized ensemble beats seasonal naive + drift
    assert ensemble_mae[f"{kind}, standard"] > baseline_mae["seasonal naive + drift"]
    assert ensemble_mae[f"{kind}, log-relative"] < baseline_mae["naive"]  # more than "repeat the last value"
if not FAST:
    for kind in ("lstm", "transformer"):
        assert abs(ensemble_mae[f"{kind}, standard"] - baseline_mae["seasonal naive"]) < 10  # near seasonal naive
        assert ensemble_mae[f"{kind}, log-relative"] < baseline_mae["seasonal naive"] / 2  # below half its MAE
        assert 2 * ensemble_mae[f"{kind}, log-relative"] < ensemble_mae[f"{kind}, standard"]
        assert forecasts[f"{kind}, standard"].max() < train_series.max()  # no member, no month above 559
        assert forecasts[f"{kind}, log-relative"].max() > train_series.max()
        assert ensemble_mae[f"{kind}, log-relative"] > max(classical_mae.values())  # behind all three classical

# %% [markdown]
# ## The extrapolation lesson, with this data's numbers
#
# In full mode the standardized ensembles land near seasonal naive (within 10 either way) and
# behind seasonal naive with drift, while the log-relative ones have less than half seasonal
# naive's error. Look at the last column: none of the ten standardized models forecast a month
# above 559, the training maximum, although July 1960 had 622 passengers (thousands). 1960's summer,
# and the 1959 summer in their test window, lie above every standardized target and input they
# trained on (the table before the models): nothing in training ever asked their output head for
# such numbers. This is notebook 01's straight line again, on real data.
#
# The log-relative models forecast growth rates relative to December 1959. The growth 1960 needs,
# from December 1959 to July 1960, lies inside the range the ten training years show:

# %%
december_to_july = [(values[12 * year + 18] / values[12 * year + 11]).item() - 1 for year in range(11)]
print("December -> next July, training years: " + " ".join(f"{g:+.0%}" for g in december_to_july[:10]))
print(f"December 1959 -> July 1960 (test):     {december_to_july[10]:+.0%}")
assert min(december_to_july[:10]) < december_to_july[10] < max(december_to_july[:10])

# %% [markdown]
# The scaler turns growth rates back into passengers by multiplying with December 1959's 405. Are
# the log-relative models' outputs, before that step, ordinary numbers? Their scaled forecasts for
# 1960, every member's, against the range of the scaled training targets:

# %%
# NBVAL_IGNORE_OUTPUT
test_windows = relative_test.windows  # (1, 24): 1958..1959
assert test_windows[0, -1] == 405
for kind in ("lstm", "transformer"):
    fs = forecasts[f"{kind}, log-relative"]  # (seeds, 12) passengers
    scaled = relative_test.scaler.targets(test_windows.expand(len(fs), -1), fs)
    print(f"{kind:>11}: scaled 1960 forecasts {scaled.min():5.2f}..{scaled.max():4.2f}, ", end="")
    print(f"training targets {relative_train.y.min():5.2f}..{relative_train.y.max():4.2f}")
    if not FAST:
        assert relative_train.y.min() < scaled.min() and scaled.max() < relative_train.y.max()

# %% [markdown]
# In full mode every member's scaled forecast lies inside the training targets' range: for these
# models 1960 is an ordinary year, and the forecast goes above 559 without the model producing an
# unusual number.

# %% [markdown]
# ## How good is good, and how sure can one year make us?
#
# In full mode the networks' ensembles (MAE 16.41 and 17.39) trail SARIMA (13.26) and Holt-Winters
# (10.30 multiplicative, 13.38 additive). But the test is one year: 12 monthly errors of one
# forecast. Is 16.4 against 13.26 a difference, or the luck of the year?
#
# `paired_difference` answers with the tutorial's one rule: take two methods' errors on the same
# months and bootstrap the mean of their difference. Neighbouring months' errors are correlated
# (one forecast misses a whole summer together), so it resamples blocks of 3 consecutive months,
# not single months. With 12 months there are only four blocks per resample: the intervals are
# rough.

# %%
# NBVAL_IGNORE_OUTPUT
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

# %%
if not FAST:
    for network in (LSTM, TRANSFORMER):
        assert not differences[(network, SARIMA)].clear and not differences[(network, HW_MUL)].clear
        assert differences[(network, "seasonal naive")].high < 0  # clearly below seasonal naive
    assert not differences[(LSTM, TRANSFORMER)].clear
    assert differences[("transformer, standard", "seasonal naive + drift")].low > 0
    lstm_standard = differences[("lstm, standard", "seasonal naive + drift")]
    assert lstm_standard.low < 0 < lstm_standard.mean  # behind drift, but not clearly

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
# ## Forecast plot of 1960
#
# After the two input years 1958–1959: the standardized ensembles with the baselines (left), the
# log-relative ensembles with the classical models (right).

# %%
# NBVAL_IGNORE_OUTPUT
panels = {
    "globally standardized, and baselines": {
        **{name: ensemble[name] for name in ("lstm, standard", "transformer, standard")},
        **baselines,
    },
    "log-relative, and classical models": {**{name: ensemble[name] for name in (LSTM, TRANSFORMER)}, **classical},
}
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), sharey=True, layout="constrained")
month_ticks = list(range(split - S.window, len(values), 6))
for ax, (title, shown) in zip(axes, panels.items()):
    history = values[split - S.window : split]
    plot_forecast(history, actual, shown, start=split - S.window, ax=ax, title=f"1960: {title}")
    ax.set_xticks(month_ticks, [dates[i] for i in month_ticks], rotation=45)
    ax.axhline(train_series.max(), color="0.6", linewidth=0.8, linestyle=":")
    ax.set(xlabel="month", ylabel="passengers (thousands)")
    ax.legend(loc="upper left", fontsize="small")
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
totals = years.sum(dim=1)
growth = totals[1:] / totals[:-1] - 1  # 1950..1960 over the year before
print("passengers per year, growth: " + " ".join(f"{1950 + i}: {g:+.1%}" for i, g in enumerate(growth.tolist())))
assert growth.argmin() == 1958 - 1950

# %%
# NBVAL_IGNORE_OUTPUT
long_split = len(values) - S.long_test_months  # 108: the first month of 1958
long_series, long_actual = values[:long_split], values[long_split:]
long_windows = long_split - S.window - S.horizon + 1  # 73 training windows from 1949..1957
long_forecasts = {}
for kind in ("lstm", "transformer"):  # S.scaler is "log-relative"
    long_forecasts[kind], train_seconds[f"{kind}, split B"] = long_split_forecasts(kind, values, S, device=device)
    print(f"{kind}: {long_windows} training windows, {S.seeds} seeds in {train_seconds[f'{kind}, split B']:.1f} s")

# %%
# NBVAL_IGNORE_OUTPUT
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

# %%
assert round(long_other_mape["seasonal naive"], 2) == 13.19  # the published figures, reproduced
assert round(long_other_mape[HW_ADD], 2) == 5.11
assert abs(long_other_mape[SARIMA] - 8.11) < 0.05 and abs(long_other_mape[HW_MUL] - 5.64) < 0.05
assert all(torch.isfinite(f).all() and (f > 0).all() for f in long_forecasts.values())
yearly_bias = {name: error.reshape(3, SEASON).mean(dim=1) for name, error in long_bias.items()}
assert (yearly_bias[SARIMA] > 0).all()  # SARIMA too high in all three years
if not FAST:
    for kind in ("lstm", "transformer"):  # point estimates: between seasonal naive and seasonal naive + drift
        assert long_other_mape["seasonal naive + drift"] < long_mape[kind] < long_other_mape["seasonal naive"]
        assert (yearly_bias[f"{kind}, log-relative"] > 0).all()  # too high in all three years
    assert (yearly_bias["lstm, log-relative"] - yearly_bias[SARIMA]).abs().max() < 5  # the LSTM errs as SARIMA does

# %% [markdown]
# Our seasonal naive and our additive-season Holt-Winters reproduce the published 13.19 % and
# 5.11 %, so the split and the metric match sktime's. (The 5.11 % is the additive-season variant;
# the multiplicative one gets 5.64 % here.) AutoARIMA's 4.15 % is quoted, not recomputed: sktime's
# AutoARIMA needs pmdarima, which `seqtut` does not install.
#
# Three years ahead the order changes. SARIMA on logs gets 8.11 %, close to the LSTM's 8.40 %
# (full mode). Both forecast too
# high in all three years, by almost the same amounts: they carry 1949–1957's growth into a 1958
# that grew 3.4 %. SARIMA never reads its own forecasts, so feeding forecasts back is not needed to
# explain the LSTM's excess. Holt-Winters additive and seasonal naive with drift extrapolate less.
#
# Are these gaps more than noise? The same paired bootstrap, on each month's absolute percentage
# error, blocks of 3 months:

# %%
# NBVAL_IGNORE_OUTPUT
long_errors = {name: 100 * (f - long_actual).abs() / long_actual for name, f in long_shown.items()}
long_differences = compare(
    long_errors,
    [(LSTM, TRANSFORMER), (LSTM, SARIMA), (TRANSFORMER, SARIMA), (LSTM, HW_ADD), (TRANSFORMER, HW_ADD)]
    + [(SARIMA, HW_ADD), (LSTM, "seasonal naive"), (TRANSFORMER, "seasonal naive")]
    + [(LSTM, "seasonal naive + drift")],
    "last 36 months, absolute % error per month",
)

# %%
assert long_differences[(SARIMA, HW_ADD)].low > 0  # Holt-Winters additive clearly ahead of SARIMA
if not FAST:
    assert not long_differences[(LSTM, SARIMA)].clear
    for network in (LSTM, TRANSFORMER):
        assert long_differences[(network, HW_ADD)].low > 0  # Holt-Winters additive clearly ahead
        assert not long_differences[(network, "seasonal naive")].clear
    assert long_differences[(TRANSFORMER, SARIMA)].low > 0 and long_differences[(LSTM, TRANSFORMER)].high < 0
    assert not long_differences[(LSTM, "seasonal naive + drift")].clear

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

# %%
# NBVAL_IGNORE_OUTPUT
long_names = (LSTM, TRANSFORMER, SARIMA, HW_ADD, "seasonal naive", "seasonal naive + drift")
long_plot = {name: long_shown[name] for name in long_names}
ax = plot_forecast(
    values[long_split - S.window : long_split],
    long_actual,
    long_plot,
    start=long_split - S.window,
    title="Last 36 months: networks fed back 3 times, classical models and baselines vs actual",
)
ax.figure.set_size_inches(11, 4.5)
month_ticks = list(range(long_split - S.window, len(values), 12))
ax.set_xticks(month_ticks, [dates[i] for i in month_ticks])
ax.set(xlabel="month", ylabel="passengers (thousands)")
plt.show()

# %% [markdown]
# ## The command line reproduces the headline model
#
# `sections.run("airline", ...)` (what `python -m seqtut run airline` calls) trains the headline
# ensemble from the same settings and seeds, on both splits, and saves the members as checkpoints.
# We run it into a temporary folder and compare:

# %%
# NBVAL_IGNORE_OUTPUT
with tempfile.TemporaryDirectory() as folder:
    cli_result = sections.run("airline", device=device.type, out=folder, progress=False)
train_seconds["sections.run"] = cli_result.details["train_seconds"]
print(
    f"sections.run: 1960 MAE {cli_result.value:.4f}, 36-month MAPE {cli_result.details['long_mape']:.4f} | "
    f"this notebook: {ensemble_mae[headline]:.4f}, {long_mape[S.headline]:.4f}"
)

# %%
assert abs(cli_result.value - ensemble_mae[headline]) < 1e-4
assert abs(cli_result.details["long_mape"] - long_mape[S.headline]) < 1e-4
assert cli_result.baseline == baseline_mae["seasonal naive"]

# %% [markdown]
# ## Training time
#
# Every network this notebook trained, on the device the first cell chose (the last line names it),
# with one CPU thread. The classical fits take a few seconds and are not counted:

# %%
# NBVAL_IGNORE_OUTPUT
total_seconds = sum(train_seconds.values())
for name, seconds in train_seconds.items():
    print(f"{name:25s}: {seconds:5.1f} s")
print(f"{'total':25s}: {total_seconds:5.1f} s on {device.type}")

# %%
if not FAST:  # a guard against a run gone wrong, not a benchmark: shared machines vary 2-3x
    assert total_seconds < 300

# %% [markdown]
# ## Result

# %%
# NBVAL_IGNORE_OUTPUT
result = sections.report(
    "airline",
    f"1960 MAE, {S.headline} log-relative ensemble of {S.seeds}",
    ensemble_mae[headline],
    baseline_mae["seasonal naive"],
    "seasonal naive",
    smape=smape(ensemble[headline], actual),
    member_maes=[round(m, 4) for m in member_mae[headline]],
    long_mape=long_mape[S.headline],
    sarima_mae=classical_mae[SARIMA],
    holt_winters_mae={"multiplicative": classical_mae[HW_MUL], "additive": classical_mae[HW_ADD]},
    long_sarima_mape=long_other_mape[SARIMA],
    long_holt_winters_mape={"multiplicative": long_other_mape[HW_MUL], "additive": long_other_mape[HW_ADD]},
)

# %%
assert result["value"] < result["baseline"]
if not FAST:
    assert result["value"] < result["baseline"] / 2

# %% [markdown]
# ## Summary
#
# Figures are full mode; "clear" means a paired block-bootstrap interval that excludes 0.
#
# - On real data, compute the baselines and the classical models: seasonal naive (47.8), seasonal
#   naive with drift (33.3), SARIMA on logs (13.26), Holt-Winters (10.30 multiplicative, 13.38
#   additive season). Say which Holt-Winters: the variants differ (5.64 % against 5.11 % on split B).
# - Our models trained on globally standardized values forecast no month above the training
#   maximum, and trailed seasonal naive with drift (clearly, for the Transformer). A trending series
#   leaves the training range at once.
# - Log values relative to the window's last value keep every window, and every 1960 target,
#   inside the training range: the same LSTM, and a small Transformer, then clearly beat seasonal
#   naive on 1960, with MAE 16.4 and 17.4.

# %% [markdown]
# - One test year does not rank the networks against SARIMA or Holt-Winters, nor against each
#   other: those intervals include 0. The classical models' lower errors are a point estimate.
# - Over three years (split B), the LSTM fed its own forecasts ties the log-SARIMA (8.40 % against
#   8.11 %), both overshooting 1958's weak growth, and additive-season Holt-Winters (5.11 %) clearly
#   beats both. With 9 to 11 years of monthly data, a 17-parameter classical model is the one to beat.

# %% [markdown]
# # 05 · Causal scaling: what a per-step model may know
#
# Notebook 04 gave the LSTM one output per time step and measured every window from its **first**
# value. Here we see why, on a series where the past carries news: the noisy oscillation of notebook
# 03. We train the same per-step model with three scalers, measure each against the best possible
# forecast at every step from 2 on, catch one of them being told part of the answer, and tell that
# leak apart from chance with fresh data.

# %% [markdown]
# **You will learn**
# - why per-step targets need a **causal** scaler: each step scaled only by what is known up to it;
# - how a leak shows, and how to tell it from a lucky test stretch;
# - which first steps are hardest with the level known, and what a one-step warm-up leaves in the
#   score.
#
# **You need** notebooks 02 (the comparison rule), 03 (the noisy oscillation, its floor) and 04
# (per-step targets, `SequenceLSTM`, the warm-up rule).
#
# **Run time:** about 31 s in full mode, kernel start included, and 10 s fast (`SEQTUT_FAST=1`),
# measured by `make execute` on a 2-core AMD EPYC, where a fixed reference workload
# (`benchmarks/calib.py`) took 6.4 s: scale by your machine's time for it.
#
# **In the original:** section 2.3, "Many-to-many sequence generation", none of whose cells ran (its
# one training cell included).
# They would train on raw values (no scaler to leak), on the line only, where no leak could be seen.

# %% tags=["nbval-ignore-output"]
from dataclasses import replace

import matplotlib.pyplot as plt
import torch

import seqtut
from seqtut import sections
from seqtut.baselines import mean_forecast, naive_forecast
from seqtut.claims import claim, claim_every, claim_that
from seqtut.data import WindowDataset, chronological_split
from seqtut.exercises import check
from seqtut.metrics import metrics
from seqtut.plots import plot_step_intervals
from seqtut.scalers import RelativeScaler, make_scaler
from seqtut.sections.causal_scaling import (
    counted_per_step,
    error_table,
    floor_errors,
    per_step_differences,
    plot_ratios,
    scored,
    verdict_counts,
    versus_floor,
)
from seqtut.sections.many_to_many import SCREEN, TrendScreens
from seqtut.series import ar2_series
from seqtut.show import show
from seqtut.training import predict

device = seqtut.setup(recurrent=True)

# %% [markdown]
# The settings are notebook 04's (`sequence-generation`), on the noisy series with its length and
# epochs (`ar2_length`, `ar2_epochs`). Those used here:

# %% tags=["nbval-ignore-output"]
section = sections.get("sequence-generation")  # the section's pieces: data, build_model, train, evaluate
s = sections.settings("sequence-generation")
used = ("window", "shift", "warmup", "hidden_size", "num_layers", "lr", "batch_size", "ar2_length", "ar2_epochs")
print(", ".join(f"{name}={getattr(s, name)!r}" for name in used))

# %% [markdown]
# ## Why per-step targets need a causal scaler
#
# A relative scaler measures each window from one of its own values, its **reference**: the first
# value (`anchor=0`, kind `"start-relative"`) or the last (`anchor=-1`, kind `"relative"`), and divides
# by one scale fitted on the training windows (its `log` option, off here, is for notebook 08's
# airline series):

# %%
show(RelativeScaler._reference)

# %%
show(RelativeScaler.inputs)

# %%
show(RelativeScaler.inverse)

# %% [markdown]
# As in notebook 04, step `t` (1 to 50) reads `x[t - 1]` and forecasts `x[t + 4]`. With the last
# value as the reference, every input is its value minus `x[49]`, telling the model how far each
# value lies from the end of the window, a value it has not read yet; and `inverse` adds `x[49]`
# back to every output. Every output but the last is told part of the future. With the first value,
# each input is its value minus `x[0]` and `inverse` adds `x[0]`: the output at step `t` depends
# only on the values read up to its step, `x[0]` to `x[t - 1]`. That is a **causal** scaler; so is
# `"standard"`, one mean and one standard deviation fitted on the training windows. Change a
# window's last value: which inputs move?

# %%
window = ar2_series(s.window)[None]  # (1, L): one window of the noisy series
changed = window.clone()
changed[0, -1] += 10  # only its last value differs
moved = {}
for kind in ("relative", "start-relative", "standard"):
    scaler = make_scaler(kind).fit(ar2_series(1000, seed=2).unfold(0, s.window, 1))
    moved[kind] = (scaler.inputs(changed) - scaler.inputs(window)).abs()[0, :-1].max().item()  # steps before the last
    print(f"{kind:>14}: the inputs before the last step moved by up to {moved[kind]:.4f}")
claim_that(
    "of these three scalers, only the relative one lets the last value move earlier inputs",
    moved["relative"] > 0 and moved["start-relative"] == moved["standard"] == 0,
)

# %% [markdown]
# ## Three models on the noisy oscillation
#
# `ar2_series` (notebook 03) follows $x_t = 1.8\,x_{t-1} - 0.95\,x_{t-2} + \varepsilon_t$: a swing
# that random kicks keep going. Its best 5-step forecast needs the **last two** values read;
# `ar2_forecast` computes it, so from step 2 on we know the **floor**: the error that no forecast
# using only the values read so far beats in expectation. A model can still land below it by chance
# on one test stretch, or on any stretch if told part of the future. We train the same LSTM three
# times, changing only the scaler: `"relative"` (leaky here, where every step's output is scored as
# a forecast at its own step; notebooks 01 to 03 use it rightly, since there every input precedes
# every forecast), `"start-relative"` (notebook 04's) and `"standard"` (causal too, and it keeps the
# series' level).

# %% tags=["nbval-ignore-output"]
noisy = replace(s, series_length=s.ar2_length, epochs=s.ar2_epochs)
swing = ar2_series(noisy.series_length)  # seed 0
# the test windows and targets in series units, the same for every scaler: the baselines and the floor read these
swing_test = section.data(noisy, series=swing, scaler="raw")[-1]
swing_errors = {}  # scaler -> held-out MAE at each of the 50 steps
window_errors = {}  # scaler -> |forecast - target| of every test window at every step, (N, L)
swing_models = {}  # scaler -> (the trained model, its fitted scaler), for a check on fresh data below
for scaler in ("relative", "start-relative", "standard"):
    train, val, test = section.data(noisy, series=swing, scaler=scaler)  # the same splits, scaled by `scaler`
    assert torch.equal(test.windows, swing_test.windows) and torch.equal(test.targets, swing_test.targets)
    model, _ = section.train_fresh(noisy, train, val, device=device, seed=0)  # seed, build, train
    swing_errors[scaler] = section.evaluate(model, test, noisy, device)["mae_per_step"]
    window_errors[scaler] = (predict(model, test, device) - swing_test.targets).abs()
    swing_models[scaler] = model, train.scaler
print(f"windows: train {len(train)}, validation {len(val)}, test {len(test)}")

# %% [markdown]
# The floor at step `t` runs the recurrence 5 steps forward from `x[t - 2]` and `x[t - 1]`; at step
# 1 there is only one value, so this floor starts at step 2. Notebook 04's warm-up leaves step 1 out
# of every headline score (`warmup` = 1): we score steps 2 to 50.

# %%
show(floor_errors)

# %% tags=["nbval-ignore-output"]
window_errors["AR(2) forecast"] = floor_errors(swing_test, s.shift)
best_per_step = window_errors["AR(2) forecast"].mean(dim=0).tolist()  # NaN at step 1
swing_last = metrics(naive_forecast(swing_test, "last"), swing_test.targets)
swing_drift = metrics(naive_forecast(swing_test, "drift"), swing_test.targets)
swing_mean = metrics(naive_forecast(swing_test, "mean"), swing_test.targets)  # the mean of the values read so far
training_stretch = chronological_split(swing)[0]  # FPP3's mean method, frozen here (FPP3 updates it at each origin)
history_mean_forecast = mean_forecast(training_stretch, swing_test.targets)  # (N, L): one number everywhere
swing_history_mean = metrics(history_mean_forecast, swing_test.targets)
rows = {**swing_errors, "AR(2) forecast": best_per_step, "last value": swing_last.mae_per_step}
rows |= {"drift": swing_drift.mae_per_step, "training mean": swing_history_mean.mae_per_step}
rows["window mean"] = swing_mean.mae_per_step
print(error_table(rows, s.warmup))  # error_table: a row per forecast: step 1, step 2, the mean over steps 2-50
ratios = {scaler: [e / b for e, b in zip(errors, best_per_step)] for scaler, errors in swing_errors.items()}
# plot_ratios: each model's ratio at every step, a dashed line at 1 (the floor), step 1 shaded
plot_ratios(ratios, "Held-out MAE ÷ the floor's, noisy oscillation, test windows", s.warmup, shift=s.shift)
plt.show()

# %% [markdown]
# **Against the baselines, by the rule of notebook 02.** Per window, one forecast's error minus the
# other's at a step; the mean; a 95 % interval from notebook 02's block bootstrap over runs of
# window + shift = 55 test windows, the minimum (its "Blocks too short" asks for several times
# longer here, which 351 windows cannot give); one interval per step from 2 to 50
# (`per_step_differences`), and one for each model's mean over those steps. Each also gets the
# rule's trend screen (`TrendScreens`, notebook 03's).
#
# The table above has two more simple forecasts: FPP3's **mean method** (§5.2), the mean of the
# whole history, here of the training stretch (one number everywhere; the standardized model's
# scaler holds a close value, the mean of the training windows' inputs), and its version restricted
# to the values read so far (`naive_forecast(..., "mean")`, "window mean"). Last value and drift
# suit a series that wanders; this one keeps swinging back to 0, and over steps 2 to 50 the training
# mean's MAE is the lowest of the four: it is the simple forecast the standardized model must beat.
# We judge that model against it over steps 2 to 50 too.

# %% tags=["nbval-ignore-output"]
block = s.window + s.shift  # 55: windows further apart share no value (their errors still correlate)
scored_steps = list(range(s.warmup + 1, s.window + 1))  # 2..50: steps are numbered from 1, as in the text
last_errors = (naive_forecast(swing_test, "last") - swing_test.targets).abs()  # (N, L), as window_errors
drift_errors = (naive_forecast(swing_test, "drift") - swing_test.targets).abs()
print(f"{len(swing_test)} test windows: {len(swing_test) / block:.3g} blocks of {block}, every interval rough")


def over_scored_steps(errors):
    """Each window's mean error over steps 2-50 (columns 1 to 49): (N, L) -> (N,)."""
    return errors[:, s.warmup :].mean(dim=1)


# notebook 03's: the rule's interval and trend screen on each comparison judged; `screens.report()` sums up the
# new ones, and (this notebook's extension of 02's rule, which withholds a flagged interval) judges each flagged
# one again with blocks of 275, 550, 1100 and 2200 in turn until the screen passes
screens = TrendScreens(longer=tuple(m * 5 * block for m in (1, 2, 4, 8)))
last_scored = over_scored_steps(last_errors)
models_vs_last = {  # screens.judge(name, a, b, block=...): paired_difference(a, b, block=...), screened
    m: screens.judge(
        f"{m} minus last value, steps 2-50, test", over_scored_steps(window_errors[m]), last_scored, block=block
    )
    for m in ratios
}
for name, d in models_vs_last.items():
    print(f"{name} minus last value, steps 2-50: {d}: {d.verdict}")
mean_errors = (history_mean_forecast - swing_test.targets).abs()  # (N, L)
standard_vs_mean = screens.judge(
    "standard minus training mean, steps 2-50, test",
    over_scored_steps(window_errors["standard"]),
    over_scored_steps(mean_errors),
    block=block,
)
print(f"standard minus training mean, steps 2-50: {standard_vs_mean}: {standard_vs_mean.verdict}")
# per_step_differences(a, b, steps, block): one interval of a minus b per step (a list), each screened
pairs_on_test = {
    "drift minus last value": (drift_errors, last_errors),
    "standardized LSTM minus last value": (window_errors["standard"], last_errors),
    "standardized LSTM minus drift": (window_errors["standard"], drift_errors),
}
per_step = {
    name: per_step_differences(a, b, scored_steps, block, screens=screens, name=name, where="test")
    for name, (a, b) in pairs_on_test.items()
}
for name, ds in per_step.items():
    print(f"{name}, steps 2-50: {verdict_counts(ds)}")  # {verdict: how many steps}; the lowest and highest ends
test_screens = screens.report()  # the trend screen on the comparisons judged above, and the remedy where it flags
print(test_screens)

# %% tags=["nbval-ignore-output"]
# checks of the numbers above (a reader may skip this cell)
test_screens.claim_none_flagged(s.trend_screen_max)  # the screen's ratio ≤ 1 on each comparison: none flagged
upper_ends = [d.high for d in models_vs_last.values()]
claim_every("upper end, LSTM minus last value, steps 2-50", upper_ends, "<", 0, what="models")
simple = {name: scored(rows[name], s.warmup) for name in ("last value", "drift", "training mean", "window mean")}
lowest_simple = min(simple, key=simple.get)
claim_that(
    "the training mean's MAE over steps 2-50 is the lowest of the four simple forecasts",
    lowest_simple == "training mean",
)
claim("upper end, standardized LSTM minus training mean, steps 2-50", standard_vs_mean.high, "<", s.mean_high_bound)
lower_ends = [d.low for d in per_step["drift minus last value"]]
claim_every("lower end, drift minus last value", lower_ends, ">", s.drift_low_bound, what="steps 2-50")
for name in ("standardized LSTM minus last value", "standardized LSTM minus drift"):
    claim_every(f"upper end, {name}", [d.high for d in per_step[name]], "<", 0, what="steps 2-50")
step_1 = rows["standard"][0] / scored(swing_errors["standard"], s.warmup)  # scored(...): the mean over steps 2-50
claim("standardized LSTM, step 1 ÷ its MAE over steps 2-50", step_1, ">", s.step1_min)
claim("start-relative LSTM, step 2 ÷ the floor", ratios["start-relative"][1], ">", s.start_step2_min, fmt=".3f")

# %%
# the intervals printed above, drawn: one point (the mean) and one bar (its interval) per step and comparison
# plot_step_intervals: seaborn's pointplot, whose bars come from paired_difference with the same block
per_step_tables = {  # name -> (N, L): per window and step, one forecast's error minus the other's
    "drift minus last value": drift_errors - last_errors,
    "standardized LSTM minus last value": window_errors["standard"] - last_errors,
    "standardized LSTM minus drift": window_errors["standard"] - drift_errors,
}
ylabel = "difference of absolute errors (series units)"
title = f"Paired differences per step, 95 % intervals, test windows, blocks of {block} (rough)"
ax = plot_step_intervals(per_step_tables, scored_steps, block=block, title=title, ylabel=ylabel)
ax.set_xlabel(f"time step t (index t - 1; reads x[t - 1], forecasts x[t + {s.shift - 1}])")
plt.show()

# %% [markdown]
# In full mode, over steps 2 to 50, each LSTM's interval against last value lies below 0, and the
# standardized model's against the training mean too. Step by step, each of the 49 intervals of drift minus
# last value lies above 0, and each of the standardized model minus last value or drift below 0 (the
# figure draws them): separate intervals, not a joint statement. The screen flags none. The rule's
# warnings apply: 6.38 blocks of 55 make every interval rough, and likely too narrow (notebook
# 03); they cover these windows' luck only. The fresh stretch below tests them.

# %% [markdown]
# **A dip below the floor: chance or a leak?** The ratio plot (test windows) dips below 1. We judge
# each dip by the same rule, per window the model's error minus the floor's (`versus_floor`). For
# each model we take its **lowest** step from 2 to 49 (before `x[49]` is read), the one most in its
# favour, and its mean over steps 2 to 50; for the leaky model also step 50, its only output for
# which `x[49]` is not in the future (step 50 reads it).

# %%
show(versus_floor)

# %% tags=["nbval-ignore-output"]
lowest = {scaler: min(scored_steps[:-1], key=lambda step: r[step - 1]) for scaler, r in ratios.items()}  # 2..49
compared = {}  # a name -> (the model, the steps compared)
for scaler in ratios:
    compared[f"{scaler}, lowest"] = scaler, [lowest[scaler]]
    compared[f"{scaler}, 2-50"] = scaler, scored_steps
compared["relative, 50"] = "relative", [s.window]  # the leaky model's last output, the only one reading x[49] by then
on_test = {  # with screens: each comparison screened too
    name: versus_floor(window_errors, scaler, steps, block, screens=screens, where="test")
    for name, (scaler, steps) in compared.items()
}
print(*on_test.values(), sep="\n")
test_screens = screens.report()
print(test_screens)

# %% tags=["nbval-ignore-output"]
# checks of the numbers above (a reader may skip this cell)
test_screens.claim_none_flagged(s.trend_screen_max)

# %% [markdown]
# On the test windows (full mode), the leaky model is 19 % below the floor at step 44, its interval
# far below 0. But the standardized model, which cannot leak, is below the floor too: 4 % at step 4
# and 2 % over steps 2 to 50, both intervals below 0. Yet we picked each model's lowest of 48 steps,
# which favours a dip, and every interval is rough: "below 0" on the test windows is weak evidence.
# Fresh data settles it: a leak in what the model is given persists on fresh data from the same
# process, a chance dip does not. We score the same models, at the same steps, on 20,000 new values
# (another seed).

# %% tags=["nbval-ignore-output"]
fresh_series = ar2_series(s.fresh_length, seed=1)  # the same process, other kicks
fresh = WindowDataset(fresh_series, s.window, shift=s.shift)  # no scaler: windows and targets in series units
fresh_errors, fresh_sets = {}, {}  # scaler -> (N, L) errors; scaler -> the fresh windows scaled for its model
for scaler, (model, fitted) in swing_models.items():
    fresh_sets[scaler] = WindowDataset(fresh_series, s.window, shift=s.shift, scaler=fitted)
    fresh_errors[scaler] = (predict(model, fresh_sets[scaler], device) - fresh.targets).abs()
fresh_errors["AR(2) forecast"] = floor_errors(fresh, s.shift)
fresh_ratios = {
    scaler: (fresh_errors[scaler].mean(dim=0) / fresh_errors["AR(2) forecast"].mean(dim=0)).tolist()
    for scaler in swing_errors
}
print(f"fresh stretch: {len(fresh_series):,} values, {len(fresh)} windows; the steps chosen on the test windows")
on_fresh = {
    name: versus_floor(fresh_errors, scaler, steps, block, screens=screens, where="fresh")
    for name, (scaler, steps) in compared.items()
}
print(*on_fresh.values(), sep="\n")
fresh_screens = screens.report()
print(fresh_screens)
title = "Held-out MAE ÷ the floor's, noisy oscillation, fresh stretch"
plot_ratios(fresh_ratios, title, s.warmup, shift=s.shift, zoom=(0.96, 1.12))  # zoom: a second panel, near the floor
plt.show()

# %% tags=["nbval-ignore-output"]
# checks of the numbers above (a reader may skip this cell)
leak = on_fresh["relative, lowest"]  # the leaky model at its lowest test step, on the fresh stretch
claim("leaky LSTM's MAE ÷ the floor's at its lowest test step, fresh", leak.ratio, "<=", s.leak_ratio_bound, fmt=".3f")
claim("upper end of that interval, fresh", leak.difference.high, "<", s.leak_high_bound)
claim("lower end, leaky LSTM minus the floor at step 50, fresh", on_fresh["relative, 50"].difference.low, ">", 0)
causal = ("start-relative", "standard")
causal_ratios = [ratio for scaler in causal for ratio in fresh_ratios[scaler][s.warmup :]]
claim_every("causal LSTMs' MAE ÷ the floor's, fresh", causal_ratios, ">", 1, what="steps 2-50 of both")
causal_lows = [on_fresh[f"{c}, lowest"].difference.low for c in causal]
claim_every("lower end at its lowest test step, fresh", causal_lows, ">", 0, what="causal models")
standard_fresh = on_fresh["standard, 2-50"].ratio
claim("standardized LSTM's MAE ÷ the floor's, steps 2-50, fresh", standard_fresh, "<=", s.causal_ratio_bound)
fresh_screens.claim_remedied(s.trend_screen_max, s.remedy_changed_max)

# %% [markdown]
# **The leak, measured.** On the fresh stretch (full mode) the leaky model is still 20 % below the
# floor at step 44, its interval far below 0: the dip belongs to the model, not to the test windows.
# The two causal models lie **above** the floor at every step from 2 on, by ratio (the lower panel
# zooms in): their dips on the test windows, the standardized model's two intervals below 0
# included, do not persist: they come from this test stretch (perhaps partly from how each model
# meets a calm stretch, not measured here), not from anything the models keep on fresh data. With
# 6.38 blocks the intervals are likely too narrow (notebook 03 measured how often such intervals
# miss). The stretch is also calm, by its standard deviation against the whole series' (below; 03
# measured by simulation how rare its own 450-value test stretch is, which holds these 405 values),
# which is consistent with the dips but was checked after seeing them.
#
# The screen's line under them flags one interval, the standardized model's over steps 2-50, marked
# void. Notebook 02's rule stops there: a flagged interval is withheld. This notebook goes one step
# further, its own extension of the rule: it judges that comparison again with longer blocks (275,
# 550, 1100, 2200 windows, in that order) until the screen passes, and counts that interval (a cell
# below lists every comparison so judged). Such a pass is weak evidence of no trend: the threshold
# is a multiple of the interval's width, which longer blocks widen, and trying several lengths until
# one passes is a selection that can make the interval's 95 % cover less often (not measured). What
# matters here is that no verdict changes. From here on we print, check and quote only the intervals
# that count.
#
# The fresh windows hold 363 blocks of 55, so no interval here is marked rough, but each may be too
# narrow (notebook 03): we redo them, and one per step, with blocks five times as long (73 blocks).

# %% tags=["nbval-ignore-output"]
first_counted = fresh_screens.counted()  # the 7 comparisons above: name -> the interval that counts
long_block = 5 * block  # 275 windows, as in notebook 03: more of the dependence kept, fewer blocks
print(
    f"{len(fresh)} fresh windows: {len(fresh) / block:.0f} blocks of {block}, {len(fresh) / long_block:.0f} of {long_block}"
)
on_fresh_long = {
    name: versus_floor(fresh_errors, scaler, steps, long_block, screens=screens, where="fresh")
    for name, (scaler, steps) in compared.items()
}
widths = {}  # name -> blocks of 275's interval width ÷ blocks of 55's, where the screen passed that one
for name, long in on_fresh_long.items():
    short = on_fresh[name]
    if not short.flagged:
        widths[name] = (long.difference.high - long.difference.low) / (short.difference.high - short.difference.low)
    widen = f"{widths[name]:.1f} x as wide" if name in widths else f"blocks of {block}: void"
    print(f"{name:22} blocks of {long_block}: {long.difference}: {long.difference.verdict}; {widen}")
print(f"width, blocks of {long_block} ÷ {block}, the {len(widths)} the screen passed with {block}: ", end="")
print(f"{min(widths.values()):.1f} to {max(widths.values()):.1f}")
for scaler in causal:  # each causal model minus the floor at each step 2-50, fresh
    floor = fresh_errors["AR(2) forecast"]
    name = f"{scaler} minus the floor"
    per_step_differences(
        fresh_errors[scaler], floor, scored_steps, long_block, screens=screens, name=name, where="fresh"
    )
fresh_screens = screens.report()  # and the remedy where the screen flags
counted = fresh_screens.counted()  # name -> the interval that counts: blocks of 275, or longer where flagged
causal_step_lows = []
for scaler in causal:
    ds = counted_per_step(fresh_screens, f"{scaler} minus the floor", scored_steps, "fresh")  # step -> interval
    print(f"{scaler} minus the floor, fresh, steps 2-50, the intervals that count: ", end="")
    print(verdict_counts(list(ds.values()), scored_steps))
    causal_step_lows += [d.low for d in ds.values()]
fresh_screens.claim_remedied(s.trend_screen_max, s.remedy_changed_max)
claim_that(
    f"each of the fresh stretch's verdicts above is the same with blocks of {long_block}, or longer where flagged",
    all(counted[name].verdict == d.verdict for name, d in first_counted.items()),
)
what = "intervals that count: 2 models, steps 2-50"
claim_every("lower end, causal LSTM minus the floor, fresh", causal_step_lows, ">", 0, what=what)

# %% [markdown]
# Every verdict stands, and each causal model's interval lies above 0 at every step from 2 on (the
# start-relative model's at steps 37 to 39 only after longer blocks: weak evidence, as above). The
# six intervals the screen passed with blocks of 55 change width by a factor of 1.0 to 1.2. With
# blocks of 275 we also redo the test windows' comparisons with last value and drift:

# %% tags=["nbval-ignore-output"]
fresh_last = (naive_forecast(fresh, "last") - fresh.targets).abs()  # (N, L), as last_errors on the test windows
fresh_drift = (naive_forecast(fresh, "drift") - fresh.targets).abs()
fresh_pairs = {  # as per_step_tables: name -> (A's errors, B's errors), each (N, L), and the test windows' verdict
    "drift minus last value": (fresh_drift, fresh_last, "above 0"),
    "standardized LSTM minus last value": (fresh_errors["standard"], fresh_last, "below 0"),
    "standardized LSTM minus drift": (fresh_errors["standard"], fresh_drift, "below 0"),
}
last_scored = over_scored_steps(fresh_last)  # each fresh window's mean over steps 2-50
vs_last = {m: f"{m} minus last value, steps 2-50, fresh" for m in ratios}  # model -> the comparison's name
for m, name in vs_last.items():
    screens.judge(name, over_scored_steps(fresh_errors[m]), last_scored, block=long_block)
vs_mean = "standard minus training mean, steps 2-50, fresh"  # the headline's comparison, on fresh data
fresh_mean = (mean_forecast(training_stretch, fresh.targets) - fresh.targets).abs()  # the training stretch's mean
screens.judge(vs_mean, over_scored_steps(fresh_errors["standard"]), over_scored_steps(fresh_mean), block=long_block)
for name, (errors_a, errors_b, _) in fresh_pairs.items():
    per_step_differences(errors_a, errors_b, scored_steps, long_block, screens=screens, name=name, where="fresh")
fresh_screens = screens.report()
counted = fresh_screens.counted()
print(f"fresh stretch, the intervals that count (blocks of {long_block}, or longer where flagged):")
for name in [*vs_last.values(), vs_mean]:
    print(f"  {name}: {counted[name]}: {counted[name].verdict}")
same = {}  # pair -> its verdict on the test windows at every step 2-50?
for name, (_, _, on_test_windows) in fresh_pairs.items():
    ds = counted_per_step(fresh_screens, name, scored_steps, "fresh")  # step -> the interval that counts
    print(f"  {name}, steps 2-50: {verdict_counts(list(ds.values()), scored_steps)}")
    same[name] = all(d.verdict == on_test_windows for d in ds.values())

# %% tags=["nbval-ignore-output"]
# checks of the numbers above (a reader may skip this cell)
upper_ends = [counted[name].high for name in vs_last.values()]
claim_every("upper end, LSTM minus last value, steps 2-50, fresh", upper_ends, "<", 0, what="models")
claim(
    "upper end, standardized LSTM minus training mean, steps 2-50, fresh", counted[vs_mean].high, "<", s.mean_high_bound
)
for name, (_, _, on_test_windows) in fresh_pairs.items():
    claim_that(f"{name}, fresh: {on_test_windows} at every step 2-50, as on the test windows", same[name])
fresh_screens.claim_remedied(s.trend_screen_max, s.remedy_changed_max)

# %% [markdown]
# On the fresh stretch each of the test windows' verdicts against last value, drift and the training
# mean holds, for drift minus last value at steps 44 and 45 only on rough intervals (9.07 blocks of
# 2200): weak evidence.
#
# **Where the leak is strongest.** On the fresh stretch (full mode) the leaky model's ratio is
# lowest at step 45, 0.780 of the floor. Step 45's target is `x[49]` itself, the value every input
# was measured from, so its scaled target is exactly 0 in every window (checked below): a model that
# knew it was at step 45 could output 0 there and be exact. This one is not.

# %% tags=["nbval-ignore-output"]
leaky_fresh = fresh_ratios["relative"]
lowest_fresh = min(scored_steps, key=lambda step: leaky_fresh[step - 1])
print(f"leaky LSTM, fresh stretch: lowest at step {lowest_fresh}, {leaky_fresh[lowest_fresh - 1]:.3f} x the floor")
for where, r in (("test windows", ratios["relative"]), ("fresh stretch", leaky_fresh)):  # a second dip, steps 2-40
    second = min(scored_steps[:39], key=lambda step: r[step - 1])
    print(f"leaky LSTM, {where}, steps 2-40: lowest at step {second}, {r[second - 1]:.3f} x the floor")
claim_that(
    "with the last value as reference, step 45's scaled target is 0 in every window",
    torch.all(fresh_sets["relative"].y[:, 44] == 0),
)

# %% [markdown]
# The leaky model is no better forecaster, only one told part of the answer: its first steps are far
# worse than the floor, and on the fresh stretch its last output (step 50) is clearly above it (10
# %). Over steps 2 to 50 it is 17 % above the floor there (4 % on the test windows, with no clear
# difference): an average over steps can hide a leak. Both plots show a second, shallower dip,
# lowest at step 29 (printed above), where the target, `x[33]`, lies about one period of the swing
# (16 steps) before the leaked `x[49]`. Why this one model, from one seed, uses the leak there and
# not at other steps we have not measured: the best forecast from the leaky inputs, which we do not
# compute, could gain elsewhere too.

# %% [markdown]
# **When the leak matters.** It is a leak relative to each step's own time: every output before step
# 50 is told `x[49]`, its future. That matters where an output serves as a forecast made at its own
# step (a model run on a stream), not after a fully read window: notebook 03's inputs, relative to
# the last value, use `x[49]` legitimately.

# %% tags=["nbval-ignore-output"]
start_relative, standardized = fresh_ratios["start-relative"], fresh_ratios["standard"]  # ÷ the floor, steps 1-50
worse = sum(a > b for a, b in zip(start_relative[s.warmup :], standardized[s.warmup :]))
late = start_relative[25:]  # steps 26-50, the second half
print(f"start-relative LSTM ÷ the floor, fresh stretch: step 2 {start_relative[1]:.3f}, ", end="")
print(f"steps 26-50 {min(late):.3f} to {max(late):.3f}, steps 2-50 {on_fresh['start-relative, 2-50'].ratio:.3f}")
print(f"above the standardized LSTM's ratio at {worse} of the {len(standardized) - s.warmup} steps 2-50")
claim_that(
    "start-relative LSTM above the standardized one at every step 2-50, fresh", worse == len(standardized) - s.warmup
)
# notebook 02's rule at each step: start-relative minus standardized, per fresh window, blocks of 275
pair = fresh_errors["start-relative"], fresh_errors["standard"]  # each (N, L)
name = "start-relative minus standard"
per_step_differences(*pair, scored_steps, long_block, screens=screens, name=name, where="fresh")
fresh_screens = screens.report()
start_vs_standard = counted_per_step(fresh_screens, name, scored_steps, "fresh")  # step -> the interval that counts
weakest_step = min(scored_steps, key=lambda step: start_vs_standard[step].low)  # the lowest lower end
weakest = start_vs_standard[weakest_step]
print(f"{name}, fresh, steps 2-50, the intervals that count: ", end="")
print(verdict_counts(list(start_vs_standard.values()), scored_steps))
print(f"  smallest lower end at step {weakest_step}, blocks of {weakest.block}: {weakest}")
fresh_screens.claim_remedied(s.trend_screen_max, s.remedy_changed_max)
claim_every(
    "lower end, start-relative minus standardized LSTM, fresh",
    [d.low for d in start_vs_standard.values()],
    ">",
    s.start_vs_standard_low_bound,
    what="steps 2-50, the intervals that count",
)

# %% [markdown]
# **Why the standard scaler does better on the noisy series** (one model per scaler). The
# start-relative model is honest, but on the fresh stretch (full mode) its interval against the
# standardized model lies above 0 at every step from 2 to 50: clearly worse at steps 2 to 30 and 32
# to 41; at steps 31 and 42 to 50 only after longer blocks (weak evidence of no trend), and at 43 to
# 48 those intervals are rough too (9.07 blocks of 2200). It is 2.861 times the floor at step 2,
# still 1.070 to 1.117 over steps 26 to 50. A relative scaler throws away the series' level, which
# here is information: the process is stationary around its mean, 0 (its coefficients meet the AR(2)
# stationarity conditions that `ar2_series` checks), so its best forecast depends on where the
# values read lie relative to 0, not only on their differences. Shifting every value read by c does
# not shift that forecast by c, as it would on the line, and "3 above the window's first value"
# means one thing when that value is −10, another at +10; the model must infer where 0 lies from the
# shape of what it read. The standard scaler keeps the level, just as causally. On the line,
# removing the level lets the model extrapolate.

# %% [markdown]
# ## Are the first steps harder?
#
# Notebook 04 fixed the warm-up at one step, looking at no model's errors. How long does the
# standardized model, with the level known, really need? Per fresh window, we compare its error
# minus the floor's (the kicks largely cancel) at each of its first 5 steps with the same over steps
# 6 to 50; at step 1, where no floor is computed (the best forecast from one value read is not the
# AR(2) recursion's), its own error.

# %% tags=["nbval-ignore-output"]
standard = fresh_errors["standard"]
excess = standard - fresh_errors["AR(2) forecast"]  # (N, L): per window and step, its error minus the floor's
names = {}  # step -> the comparison's name
for step in range(1, 6):
    table = standard if step == 1 else excess  # no floor computed at step 1: its own error there
    names[step] = f"standard{'' if step == 1 else ' minus the floor'}, step {step} minus steps 6-50, fresh"
    screens.judge(names[step], table[:, step - 1], table[:, 5:].mean(dim=1), block=long_block)  # steps 6..50
first_screens = screens.report()  # and the remedy where the screen flags
first_steps = {step: first_screens.counted()[name] for step, name in names.items()}  # step -> the interval that counts
after_5 = standard[:, 5:].mean().item()  # its MAE over steps 6-50, well past the first ones
print(f"standard, fresh stretch, step k minus steps 6-50 (its MAE there: {after_5:.3f}); from step 2, minus the floor:")
for step, d in first_steps.items():
    quantity = "its error" if step == 1 else "its excess over the floor"
    share = f"{100 * d.mean / after_5:.1f} % of that MAE"
    print(f"  step {step} ({quantity}), blocks of {d.block}: {d}: {d.verdict}; {share}")
step_2 = ratios["standard"][1], fresh_ratios["standard"][1]
print(f"standard, step 2: {step_2[0]:.3f} x the floor ({100 * (step_2[0] - 1):+.0f} %) on the test windows, ", end="")
print(f"{step_2[1]:.3f} ({100 * (step_2[1] - 1):+.0f} %) on the fresh stretch")
low, high = min(fresh_ratios["standard"][5:]), max(fresh_ratios["standard"][5:])
print(f"standard, steps 6-50 on the fresh stretch: {low:.3f} to {high:.3f} x the floor, ", end="")
print(f"{100 * (low - 1):.1f} to {100 * (high - 1):.1f} % above it")

# %% tags=["nbval-ignore-output"]
# checks of the numbers above (a reader may skip this cell)
first_screens.claim_remedied(s.trend_screen_max, s.remedy_changed_max)
lows = [first_steps[step].low for step in (1, 2)]
claim_every("lower end, steps 1 and 2 minus steps 6-50, fresh", lows, ">", 0, what="steps")
claim("standardized LSTM, step 2 ÷ the floor, fresh stretch", step_2[1], ">", s.step2_fresh_min, fmt=".3f")
shares = [first_steps[step].mean / after_5 for step in (3, 4, 5)]  # each as a share of its MAE over steps 6-50
claim_every("steps 3-5 minus steps 6-50, as a share of that MAE", shares, "<=", s.steps_3_5_excess_max, what="steps")
lows = [first_steps[step].low for step in (3, 4, 5)]
claim_every("lower end, steps 3-5 minus steps 6-50, fresh", lows, ">", s.steps_3_5_low_min, what="steps")
per_step = standard.mean(dim=0)  # the standardized LSTM's MAE at each step 1-50, fresh
claim_that("step 1 has the largest MAE of the 50 steps, fresh", int(per_step.argmax()) == 0)

# %% [markdown]
# **The first steps, with the level known.** Step 1 has the largest error of the 50 steps (the
# problem's too: from one value even the best forecast errs more; no floor is computed for it here):
# after one value the LSTM cannot tell whether the swing is rising or falling, and the warm-up
# leaves it out. At step 2 the model has read two values, all the equation needs, yet on the fresh
# stretch its error is still 20 % above the floor (on the test windows, 1 %). Against steps 6 to 50,
# as a share of their MAE (full mode): 18.4 % worse at step 2, at most 1.5 % at steps 3 to 5, each
# interval above 0 (step 4's only just; separate intervals, not a joint statement). From step 6 on
# its error is 1.014 to 1.020 times the floor's. Like the floor's, it is mostly the 5 kicks between
# `x[t - 1]` and `x[t + 4]`, which nobody can foresee; the 1.4 to 2.0 % above the floor is the
# model's own.

# %% tags=["nbval-ignore-output"]
print(versus_floor(window_errors, "standard", [2], block, screens=screens, where="test"))  # step 2, test windows
step_2_screens = screens.report()
print(step_2_screens)
# how calm is the test stretch? the values its windows and targets cover, against the whole series and the fresh one
test_values = torch.cat([swing_test.windows[:, 0], swing_test.windows[-1, 1:], swing_test.targets[-1, -s.shift :]])
# the test part, with the values before it that its first window reads: `shift` here, `window` in notebook 03
here, in_03 = (chronological_split(swing, context=context)[-1] for context in (s.shift, s.window))
assert torch.equal(here, test_values)
print(f"test stretch: {len(here)} values here; notebook 03's (its first window read {s.window} values): {len(in_03)}")
for where, values in (("test stretch", test_values), ("whole series", swing), ("fresh stretch", fresh_series)):
    one_step = (values[1:] - values[:-1]).abs().mean()  # last value's MAE 1 step ahead
    print(f"{where}: {len(values):,} values, sd {values.std():.2f}, last value's MAE 1 step ahead {one_step:.2f}")
claim("the test stretch's sd ÷ the whole series'", (test_values.std() / swing.std()).item(), "<", s.calm_sd_max)
claim(SCREEN, step_2_screens.ratios[0], "<=", s.trend_screen_max, fmt=".2f")

# %% tags=["nbval-ignore-output"]
# step 2's excess over the floor, in the calmer and the wilder half of the fresh windows (by each window's sd)
spread = fresh.windows.std(dim=1)  # each fresh window's sd
step_2_halves = {}  # the calmer or the wilder half of the fresh windows -> the model's step 2 ÷ the floor's there
for half, in_half in (("calmer", spread <= spread.median()), ("wilder", spread > spread.median())):
    step_2_halves[half] = (standard[in_half, 1].mean() / fresh_errors["AR(2) forecast"][in_half, 1].mean()).item()
    print(f"standard, step 2 ÷ the floor, the {half} half of the fresh windows: {step_2_halves[half]:.3f}")
wild_over_calm = step_2_halves["wilder"] / step_2_halves["calmer"]
claim("step 2 ÷ the floor, wilder half ÷ calmer half, fresh", wild_over_calm, ">", s.step2_wild_min, fmt=".3f")

# %% [markdown]
# Why 1 % against 20 %? On the test windows step 2 shows no clear difference from the floor (a rough
# interval). On the fresh stretch its excess lies in wide swings (1.031 times the floor in the
# calmer half of the fresh windows, by their standard deviation; 1.348 in the wilder), and the test
# stretch is calm (standard deviation 6.14, the whole series 8.05). The gap is consistent with that
# calm, not shown to come from it: we split the windows after seeing the gap.

# %% tags=["nbval-ignore-output"]
for where, maes in (("test windows", swing_errors["standard"]), ("fresh stretch", standard.mean(dim=0).tolist())):
    print(f"standard, {where}: MAE over steps 2-50 {scored(maes, 1):.4f}, ", end="")
    print(f"over steps 3-50 {scored(maes, 2):.4f}")  # scored(maes, k): the mean of the MAEs from step k + 1

# %% [markdown]
# So the fixed warm-up leaves step 2's excess in the score, where a warm-up chosen from these errors
# would have dropped it. On the test windows that costs little: without step 2 the headline would be
# 3.4293 instead of 3.4307. The cost shows on the fresh stretch: 3.6773 over steps 2 to 50 against
# 3.6636 over steps 3 to 50, still small beside 48 other steps.

# %% [markdown]
# **The trend screen, once for the whole notebook.** Each comparison it flagged (all on the fresh
# stretch), the block it was flagged with, and the longer one with which it passed, the interval
# that counts:

# %% tags=["nbval-ignore-output"]
print(*screens.remedies(), sep="\n")  # name: flagged with blocks of b (its ratio); passes with a longer one: verdict

# %% [markdown]
# ## Result
#
# This notebook's headline: the standardized model's held-out MAE over steps 2 to 50 of the noisy
# series (read at the epoch `fit` picked on the noisy series' validation windows, not its test
# ones), beside the strongest simple forecast here, the training stretch's mean (picked as the
# lowest of the four simple forecasts on these very windows, which favours it; as notebook 08 puts
# its bar, the best method that is not a network, beside its headline), and drift on the same steps;
# last value, step 1 and the floor are printed under it. The rule, stated once in the README: the
# strongest simple forecast compared that is not exact by construction. On the line, where 01 to 04
# put their headlines, drift is exact (they print its 0.0000 beside last value), so the rule gives
# last value, the baseline they headline, and the line is a sanity check, not a contest; on this
# series no simple forecast is exact. The headlined model, the standardized one, also has the lowest
# test MAE of the three trained here (steps 2 to 50, these windows), which favours it too, whatever
# the reason it was picked. Its 3.4307 lies below the floor of these (calm) test windows; on the
# fresh stretch, the other stretch scored, the same model is above it.

# %% tags=["nbval-ignore-output"]
standard_scored = scored(swing_errors["standard"], s.warmup)  # scored(per_step, warmup): the mean over steps 2-50
result = sections.report(
    "causal-scaling",
    "noisy test MAE, steps 2-50 (standard)",
    standard_scored,
    scored(swing_history_mean.mae_per_step, s.warmup),
    "the training stretch's mean, the strongest simple forecast here",
    drift=scored(swing_drift.mae_per_step, s.warmup),
    last_value=scored(swing_last.mae_per_step, s.warmup),
    window_mean=scored(swing_mean.mae_per_step, s.warmup),
    noisy_step_1_mae=swing_errors["standard"][0],
    noisy_best_possible_steps_2_on=scored(best_per_step, s.warmup),
    noisy_lowest_step=lowest,
    noisy_leak_minus_floor=on_test["relative, lowest"].difference.mean,
    noisy_leak_minus_floor_interval=[
        on_test["relative, lowest"].difference.low,
        on_test["relative, lowest"].difference.high,
    ],
    fresh_leak_ratio_to_floor=on_fresh["relative, lowest"].ratio,
    fresh_ratio_to_floor_steps_2_50=on_fresh["standard, 2-50"].ratio,
)
test_ratio, fresh_ratio = on_test["standard, 2-50"].ratio, on_fresh["standard, 2-50"].ratio
print(f"beside them, last value: {result['last_value']:.4f}; the window mean: {result['window_mean']:.4f}")
print(f"step 1 (the warm-up, left out): {swing_errors['standard'][0]:.4f}")
print(f"the floor, steps 2-50: {scored(best_per_step, s.warmup):.4f}; the model: ", end="")
print(f"{test_ratio:.3f} x the floor here ({100 * (test_ratio - 1):+.0f} %), ", end="")
print(f"{fresh_ratio:.3f} x the floor ({100 * (fresh_ratio - 1):+.0f} %) on the fresh stretch")

# %% [markdown]
# ## Summary
#
# - With one output per step, scale each window **causally**: from its first value, or with one
#   fitted mean and standard deviation. Measured from its last value, every output but the last is
#   told where the window ends.
# - A dip below the floor is never a result by itself: the lowest of many steps is favoured by the
#   picking, and the intervals are rough with few blocks, and likely too narrow. Fresh data tells
#   a leak from a dip that does not persist: the leaky model's dip persists, the causal models'
#   vanish.
# - Every headline score leaves out step 1. With the level kept (standard scaler), each of steps 2
#   to 5, taken separately, lies further above the floor than steps 6 to 50 (intervals above 0):
#   by 18.4 % of their MAE at step 2, by at most 1.5 % at steps 3 to 5; all count in the score.
#   From step 6 on the LSTM is within a few percent of the floor. With start-relative scaling every
#   step from 2 to 50 is worse (fresh stretch; at steps 31 and 42 to 50 only after longer blocks,
#   at 43 to 48 on rough intervals), the first ones by far. Each comparison rests on one
#   trained model per scaler: the intervals cover the windows' luck, not training's.

# %% [markdown]
# Next, notebook 06 turns to Transformers: tokens, positional encoding and masks.

# %% [markdown]
# ## Exercises
#
# Fill in each function; the line under it checks it and prints `✓` or the first failing case, with a
# hint. `check.<name>.hint()` gives a closer hint each call; `check.<name>.solution()`, the solution's
# file.
#
# **1. Which inputs can a value move? (a few minutes).** Above, we changed only the last value.
# Write `my_dependence(scale_fn, window)`: `scale_fn` is a function, not a scaler object: call it as
# `scale_fn(windows)`, windows `(N, L)` to inputs `(N, L)`. `window` is `(L,)`. Return a bool tensor
# `(L, L)` whose entry `[t - 1, k]` is True when changing `x[k]` changes the input at step `t`.
# Steps count from 1, values from 0, as above: step `t` reads `x[t - 1]`, so row `r` is the input
# made from `x[r]`. The checker also tries scalers this notebook never used.


# %%
def my_dependence(scale_fn, window):
    """scale_fn(windows (N, L)) -> inputs (N, L); window (L,) -> bool (L, L), [t - 1, k]: x[k] moves step t's input."""
    raise NotImplementedError("your code here")


check.dependence(my_dependence)

# %% [markdown]
# **2. A running-mean scaler.** Write `my_running_mean_scaler(train_windows, test_windows)` →
# `(scaled_test, inverse)`. Step `t`'s input (steps from 1, as above) is `x[t - 1]` minus `m_t`, the
# mean of `x[0]` to `x[t - 1]`, divided by one scale: torch's default `.std()` (`n - 1` in the
# denominator) of every training value so measured, step 1's zeros included.
# `inverse(windows, scaled)` maps `(N, L)` outputs back: times the scale, plus each step's `m_t` of
# `windows` (any windows, not only the test ones).


# %%
def my_running_mean_scaler(train_windows, test_windows):
    """train (M, L), test (N, L) -> (scaled test (N, L), inverse(windows, scaled) -> (N, L))."""
    raise NotImplementedError("your code here")


check.running_mean_scaler(my_running_mean_scaler)

# %% [markdown]
# ## Try next
#
# - Train the leaky model on the straight line: can you see its leak there? Why not?
# - Make the swing die out faster: pass `phi1=1.2, phi2=-0.5` to every `ar2_series` and
#   `floor_errors` call. How does the leak's dip below the floor change? The checks are tuned to the
#   default swing, so expect some to fail. Run `from seqtut.claims import explore; explore()`
#   first: a failed check then prints its ✗ sentence and the notebook runs on.

# %% tags=["nbval-ignore-output"]
print(seqtut.runtime.provenance())

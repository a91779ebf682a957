# %% [markdown]
# # 04 · Sequence generation: one output per time step
#
# In notebook 03 the LSTM read a whole window and answered once, at the end. Here it answers at
# **every** time step, and time steps are numbered from 1 (notebook 03 numbered them from 0; its steps
# *ahead* ran 1 to 5): step `t` reads `x[t - 1]` and forecasts `x[t + 4]`, the value 5 steps later.
# The target is the input window shifted by 5. The last 5 outputs forecast values beyond the window; the earlier ones, values
# inside the window that the LSTM has not read yet. One window thus gives 50 training targets
# instead of 5.

# %% [markdown]
# The name "sequence generation" is the original's. Nothing is generated: no output is ever read
# back as an input. A GPT-style language model also answers at every position, forecasting the next
# token (a word or word piece; tokens come in notebook 06): a shift of 1. It is trained on the
# output at every position but generates from the last one only: it appends the token it picks there
# (sampled, or the most likely) to its input and runs again. Here the shift is 5, and the outputs
# are only scored.

# %% [markdown]
# **You will learn**
# - how to build per-step targets: the window shifted by `shift`;
# - how one batched `nn.Linear` gives an output at every step, and how much faster it is than a loop;
# - why each window is measured from its **first** value here;
# - how to read a held-out error per step, and why a headline score leaves out step 1 (the warm-up).
#
# **You need** notebook 03 (windows, baselines, the head reading the LSTM's output).
#
# **Run time:** about 15 s in full mode, kernel start included, and 8 s fast (`SEQTUT_FAST=1`),
# measured by `make execute` on a 2-core AMD EPYC, where a fixed reference workload
# (`benchmarks/calib.py`) took 6.5 s: scale by your machine's time for it.
#
# **In the original:** section 2.3, "Many-to-many sequence generation": targets shifted by 5, and a
# head that calls its `Linear` once per sample in a Python loop; none of the section's cells ran,
# its one training cell included.

# %% tags=["nbval-ignore-output"]

import matplotlib.pyplot as plt
import torch
from torch.nn import functional as F

import seqtut
from seqtut import sections
from seqtut.baselines import naive_forecast
from seqtut.claims import claim, claim_every, claim_that
from seqtut.exercises import check
from seqtut.lstm import SequenceLSTM
from seqtut.metrics import metrics
from seqtut.plots import legend_outside, plot_errors_per_step, plot_forecast, plot_losses
from seqtut.sections.sequence_generation import time_heads
from seqtut.show import show
from seqtut.training import predict

device = seqtut.setup(recurrent=True)

# %% [markdown]
# The settings come from `sections.settings`, which `python -m seqtut run sequence-generation` reads
# too; the bounds the claims below check are settings, one value per mode. Fast mode (CI) trains for
# fewer epochs. The settings this notebook uses:

# %% tags=["nbval-ignore-output"]
section = sections.get("sequence-generation")  # the section's pieces: data, build_model, train, evaluate
s = sections.settings("sequence-generation")
used = ("window", "shift", "scaler", "series_length", "hidden_size", "num_layers", "epochs", "lr", "batch_size")
print(", ".join(f"{name}={getattr(s, name)!r}" for name in used))

# %% [markdown]
# ## The data: the target is the window shifted by 5
#
# With `shift=5`, `window_splits` pairs each window of 50 values with the 50 values that start 5
# steps later. The splits are in time order as before; each later split gets the `shift` values
# before it, so every test target lies after all the validation targets.

# %%
# `section.data(s)` windows the line 0, 1, ..., 999 (`toy_series(s.series_length)`) with
# `window_splits(series, s.window, shift=s.shift, scaler=s.scaler)`
train, val, test = section.data(s)
print(f"windows: train {len(train)}, validation {len(val)}, test {len(test)}")
print(f"one sample: x {tuple(train.x[0].shape)}, y {tuple(train.y[0].shape)}")
print("first test window: ", test.windows[0, :4].tolist(), "...", test.windows[0, -3:].tolist())
print("its targets:       ", test.targets[0, :4].tolist(), "...", test.targets[0, -3:].tolist())
claim_that(
    f"every target row, training, validation and test, is its window shifted by {s.shift}",
    all(torch.equal(split.targets[:, : -s.shift], split.windows[:, s.shift :]) for split in (train, val, test)),
)

# %% [markdown]
# ## Measure each window from its first value
#
# As in notebooks 01 and 03, the model reads each window relative to one of its own values, divided
# by one scale fitted on the training windows, so a window near 950 looks like a window near 50 and
# the model can forecast beyond the values it trained on. Notebook 03 measured from the window's
# **last** value: right for a model that answers once, after reading everything. Here the output at
# step `t` must depend only on the values read up to its step, `x[0]` to `x[t - 1]`, so this section
# measures from the window's **first** value, `x[0]` (`scaler="start-relative"`): each input is its
# value minus `x[0]`, divided by the scale, and every output is turned back into series units by
# multiplying it by the scale and adding `x[0]`. Notebook 05 shows what the last value would leak.

# %%
claim_that("the section's scaler measures from the window's first value", train.scaler.kind == "start-relative")

# %% [markdown]
# ## The model: one `nn.Linear` applied at every time step
#
# `SequenceLSTM` runs the LSTM (`features`, as in notebook 03) and applies its head,
# `nn.Linear(hidden, 1)`, to the output at every step. `nn.Linear` acts on the **last** dimension of
# whatever it is given, so one call maps `(N, L, hidden)` to `(N, L, 1)`: every sample and every step
# in one matrix multiply, with no loop.

# %%
show(SequenceLSTM.forward)

# %%
torch.manual_seed(0)
batched = SequenceLSTM(hidden_size=s.hidden_size).eval()
x, y = train[list(range(s.batch_size))]  # one batch: (N, L, 1), (N, L)
with torch.no_grad():
    features = batched.features(x)  # (N, L, hidden)
    answer = batched(x)  # head(features): (N, L, 1) -> squeeze -> (N, L)
print(f"x {tuple(x.shape)} -> features {tuple(features.shape)} -> output {tuple(answer.shape)}; y {tuple(y.shape)}")
assert answer.shape == y.shape == (s.batch_size, s.window)

# %% [markdown]
# The original instead fills a tensor of zeros one sample at a time, calling the head once per sample
# in a Python loop. We write that variant as a subclass to compare the two; it exists only for this
# demonstration. (It creates its result on the input's device; the original's `torch.zeros(...)` has
# no `device=`, so it lands on the default device: the CPU, unless `torch.set_default_device` changed
# it.)


# %%
class LoopsOverTheBatch(SequenceLSTM):
    """The original's head: one call of the Linear per sample, in a Python loop. A demonstration only."""

    def forward(self, x):
        out = self.features(x)  # (N, L, hidden)
        result = torch.zeros(out.shape[0], out.shape[1], device=out.device)
        for b in range(out.shape[0]):
            result[b] = self.head(out[b]).view(-1)  # (L, hidden) -> (L, 1) -> (L,)
        return result


looped = LoopsOverTheBatch(hidden_size=s.hidden_size).eval()

# %% [markdown]
# With the same weights, both give the same outputs and the same gradients, checked below on one
# batch; as the two compute the same function, the same holds on every batch: in exact arithmetic
# they would train the same model; in float32 their runs can drift apart, from rounding alone, which
# training can amplify. "The same" means equal up to float32 rounding: a batched matrix multiply may
# add the same products in a different order than 32 small ones, which can change the last bit, so
# we compare with `torch.allclose` rather than `torch.equal`.

# %%
looped.load_state_dict(batched.state_dict())  # the same weights
with torch.no_grad():
    same_outputs = torch.allclose(batched(x), looped(x), atol=1e-6)
gradients = {}
for name, model in {"batched": batched, "looped": looped}.items():
    model.zero_grad()
    F.mse_loss(model(x), y).backward()
    gradients[name] = [p.grad.clone() for p in model.parameters()]
same_gradients = all(torch.allclose(a, b, atol=1e-6) for a, b in zip(gradients["batched"], gradients["looped"]))
claim_that(
    "the batched and the looped head give the same outputs (allclose: within 1e-6 + 1e-5 × |looped value|)",
    same_outputs,
)
claim_that("... and the same gradients", same_gradients)

# %% [markdown]
# Now the time. We measure the head alone (the LSTM's features computed once beforehand) and a
# forward and backward pass (the LSTM and the head; no optimizer step) on one batch of 32 windows; the
# original's batches held 8, and the loop's cost grows with the batch. Timings depend on the machine
# and its load; the ratios are what to look at.

# %% tags=["nbval-ignore-output"]
# `time_heads` (in seqtut.sections.sequence_generation): the best of 5 timings of 200 head calls and of
# 20 forward and backward passes, per call, on this batch of 32 windows, in fast mode too; its
# head-only loop is LoopsOverTheBatch's: a zeros tensor filled one sample at a time
timings = time_heads(batched, looped, x, y, device)
print(timings)
head_speedup, step_speedup = timings.head_speedup, timings.step_speedup
claim("the batched head's speed-up", head_speedup, ">", s.head_speedup_min, fmt=".2g")
claim("the forward and backward pass's speed-up", step_speedup, ">", s.step_speedup_min, fmt=".2g")
claim_that("batching speeds up the head alone more than the forward and backward pass", head_speedup > step_speedup)

# %% [markdown]
# The loop pays Python and PyTorch's per-call overhead 32 times over where the batched head pays it
# once: each pass of the loop dispatches several operations (the slice, the Linear, the reshape, the
# write into `result`), and the backward pass has as many more. The LSTM's own work is the same in
# both, so the gain shrinks from the head to the whole pass (printed above, for the run stored with
# this notebook). Your figures will differ with the machine and its load; the claims check loose
# lower bounds on the two speed-ups, and that the head alone gains more than the whole pass. Batch
# over everything that can be batched: `nn.Linear` acts on the last dimension and treats every
# leading dimension as a batch dimension, so one call serves every step of every window.
#
# ## Training, then the test error at every step
#
# We seed again right before building the model, as `sections.run` does, so the command line
# reproduces the numbers below. On the line, the scaled validation and test windows repeat the
# training inputs and targets exactly (checked further down): "held-out" means new series values here,
# not new model inputs, and the validation loss only measures the fit to the training set's one input.

# %% tags=["nbval-ignore-output"]
seqtut.seed_everything(0)  # as sections.run does, so `python -m seqtut run sequence-generation` gives the same numbers
model = section.build_model(s)
# `section.train` is `fit(model, train, epochs=s.epochs, lr=s.lr, batch_size=s.batch_size, val=val, ...)`
history = section.train(model, train, s, val=val, device=device, seed=0)
print(f"{len(history.train_loss)} epochs in {history.seconds:.2f} s; best validation at epoch {history.best_epoch + 1}")
tail = history.val_loss[-10:]  # the validation loss over the last 10 epochs: still falling?
falls = sum(b < a for a, b in zip(tail, tail[1:]))
print(f"validation loss, last {len(tail)} epochs: {tail[0]:.3g} -> {tail[-1]:.3g}", end=", ")
print(f"{100 * (1 - tail[-1] / tail[0]):.0f} % lower; lower than the epoch before at {falls} of {len(tail) - 1}")

# %% tags=["nbval-ignore-output"]
ax = plot_losses(
    history.train_loss,
    history.val_loss,
    best_epoch=history.best_epoch,
    title="SequenceLSTM, start-relative inputs, on the line",
)
ax.set_ylabel(f"MSE (scaled units, {ax.get_yscale()} scale)")  # symlog if a loss is exactly 0, else log
ax.set_xlim(right=max(ax.get_xlim()[1], 1.07 * len(history.train_loss)))  # the best epoch's line clear of the frame
plt.show()

# %% [markdown]
# We number the outputs by time step, 1 to 50: the output at step `t` comes after the value
# `x[t - 1]` (the window holds `x[0]` to `x[49]`) and forecasts `x[t + 4]`, 5 values later. This is
# a switch: notebook 03 numbered time steps from 0, like the tensor's index, or from the end (its
# step −5 is step 46 here; its steps ahead, 1 to 5, count forecasts); here, and in notebook 05, step
# `t` is index `t - 1`. A few rows, from the settings:

# %%
print("step t | notebook 03's name: index t - 1, or from the end | reads | has read | forecasts")
for step in (1, 2, s.window - s.shift, s.window - s.shift + 1, s.window):  # 1, 2, 45, 46, 50
    i = step - 1  # the output's index along the window
    where = "inside" if i + s.shift < s.window else "beyond"
    names = f"{i}, or {i - s.window}"  # notebook 03's step -5 is index 45: step 46 here
    print(f"{step:6} | {names:47} | {f'x[{i}]':5} | {f'x[:{step}]':8} | x[{i + s.shift}], {where} the window")

# %% [markdown]
# **The warm-up rule, fixed by a reason that looks at no model's errors.** A headline score leaves
# out step 1, and only step 1, for every model and both series of notebooks 04 and 05. Step 1 is the
# only step before two values have been read, and drift (below) and notebook 03's floor (the AR(2)
# recursion) need two: from step 2 on, every baseline of notebooks 03 to 05 can be made (an AR(p)
# floor with p > 2, or a seasonal baseline, would need more). With start-relative inputs, step 1's
# input carries nothing: it is `x[0] - x[0] = 0` in every window (checked below), and the LSTM's
# state starts at zero, so step 1 gives the same output for every window; only `inverse` (times the
# scale, plus `x[0]`) makes its forecasts differ.

# %%
some_windows = torch.randn(8, s.window, generator=torch.Generator().manual_seed(1)).cumsum(dim=1)  # not the line
claim_that(
    "with start-relative inputs, step 1's input is 0 in every window",
    torch.all(train.scaler.inputs(some_windows)[:, 0] == 0),
)
print(f"warmup={s.warmup}: every per-step score starts at step {s.warmup + 1}")

# %% [markdown]
# A warm-up chosen after seeing the errors would leave out whichever early steps a model happens to
# get wrong, and so flatter it: the picking warning of notebook 02's rule. So the rule rests on what
# each step has read, not on how well any model does there, and is held in a setting of its own,
# `warmup`, which does not change with `shift`. (It is not the learning-rate warm-up of notebooks 06
# and 07: here it names the steps a score leaves out.) This section's headline is the **test MAE
# from step 2**; step 1 and the mean over all 50 steps are printed beside it. Notebook 05 applies the
# same warm-up, with step 1 beside its headline.

# %% [markdown]
# The baselines use only values already read. **Last value** forecasts `x[t + 4]` as `x[t - 1]`.
# **Drift**, FPP3's drift method (notebook 03), adds 5 times the mean step so far,
# `(x[t - 1] - x[0]) / (t - 1)`; at step 1 there is no step yet, and it falls back to the last value.

# %%
last = metrics(naive_forecast(test, "last"), test.targets)
drift = metrics(naive_forecast(test, "drift"), test.targets)


def from_step_2(per_step):
    """The mean of per-step MAEs over the steps a score uses: from step `s.warmup + 1` = 2 to 50."""
    return sum(per_step[s.warmup :]) / len(per_step[s.warmup :])


print("last value, steps 1-5:", [round(v, 4) for v in last.mae_per_step[:5]], end=" ")
print(f"| from step 2: {from_step_2(last.mae_per_step):.4f}")
print("drift,      steps 1-5:", [round(v, 4) for v in drift.mae_per_step[:5]], end=" ")
print(f"| from step 2: {from_step_2(drift.mae_per_step):.4f}")
claim_that(
    f"on the line, last value is off by shift = {s.shift} at every step; drift only at step 1",
    last.mae_per_step == [s.shift] * s.window and drift.mae_per_step == [s.shift] + [0] * (s.window - 1),
)

# %% tags=["nbval-ignore-output"]
found = section.evaluate(model, test, s, device)  # metric, value, baseline (last value), drift, mae, mae_per_step
per_step = found["mae_per_step"]  # 50 MAEs, one per time step
beyond = per_step[-s.shift :]  # steps 46..50: the values after the window
print(f"LSTM {found['metric']}: {found['value']:.4f} | last value {found['baseline']:.4f} | drift {found['drift']:.4f}")
print(f"LSTM at step 1: {per_step[0]:.4f}; mean over all 50 steps: {found['mae']:.4f}")
print("LSTM, steps 1-5:", [round(v, 4) for v in per_step[:5]], f"| worst of steps 6-50: {max(per_step[5:]):.4f}")
print(
    "steps 1-5 whose MAE exceeds every step from 6 to 50:",
    [t for t in range(1, 6) if per_step[t - 1] > max(per_step[5:])],
)
print(f"LSTM on the {s.shift} values beyond the window (steps 46-50): mean {sum(beyond) / len(beyond):.4f}")
assert found["value"] == from_step_2(per_step) and found["baseline"] == from_step_2(last.mae_per_step)
claim("LSTM test MAE from step 2", found["value"], "<", found["baseline"])  # more than "repeat the last value"
claim("LSTM test MAE from step 2", found["value"], "<=", s.mae_bound)
claim_every("LSTM test MAE", per_step[s.warmup :], "<=", s.mae_bound, what="steps from step 2")

# %% tags=["nbval-ignore-output"]
ax = plot_errors_per_step(
    {"LSTM, start-relative": per_step, "last value": last.mae_per_step, "drift": drift.mae_per_step},
    ax=plt.subplots(figsize=(9, 3.5), layout="constrained")[1],  # wide, so that one step's band shows
    title="Test MAE at every time step, the line",
    xlabel=f"time step t (index t - 1; reads x[t - 1], forecasts x[t + {s.shift - 1}])",
    ylabel="MAE (series units, symlog)",
)
ax.set_yscale("symlog", linthresh=1e-3)  # logarithmic above 0.001, linear below: errors of exactly 0 stay visible
ax.set_xticks([1, *range(10, s.window + 1, 10)])  # steps count from 1: 1, 10, 20, ..., 50
ax.axvspan(0.5, s.warmup + 0.5, color="tab:red", alpha=0.3, linewidth=0, label="step 1: the warm-up, left out")
ax.axvline(s.warmup + 0.5, color="tab:red", linestyle="--", linewidth=1, label="every score starts here")
legend_outside(ax)
plt.show()

# %% [markdown]
# *The symlog scale stretches the LSTM's tiny errors into wide swings; last value's is a flat 5.
# Every window's scaled inputs are the same (checked below), so each step has one error shared by
# all windows; a dip is where that error crosses 0, not something the model read.*

# %% [markdown]
# From step 2 on, the LSTM is far ahead of last value, whose error is 5 at every step. But drift, a
# one-line rule, is **exact** there (0.0000): on a straight line the mean step is the slope. As in
# notebook 03, the LSTM learned what a one-line rule knows exactly; here less precisely. In full
# mode its validation loss, here the fit to the one input, was lowest at the last epoch, still
# falling slowly (2 % over the last 10 epochs, printed after training) while `fit`'s cosine schedule
# held the learning rate near its minimum, lr / 20. Whether it had converged, we did not measure.

# %% [markdown]
# Four of its first five steps, 1, 2, 4 and 5, have larger errors than any step from 6 to 50; step 3
# does not (full mode, printed above). After scaling, every window of the line, training,
# validation and test, is the same 50 numbers, `0, 1, ..., 49` divided by the scale (checked
# below), so the model outputs the same 50 numbers for every window, and its per-step errors only
# say how precisely it fitted each of them. To see what the values read are worth, we need a series
# where the past carries news: notebook 05.

# %%
ramp = torch.arange(s.window, dtype=train.x.dtype) / train.scaler.scale  # 0, 1, ..., 49 divided by the scale
print(f"scale {train.scaler.scale:.4g}; every scaled window:", *(f"{v:.4f}," for v in ramp[:3]), f"..., {ramp[-1]:.4f}")
claim_that(
    "every scaled window, training, validation and test, is 0, 1, ..., 49 divided by the scale",
    all(torch.equal(split.x[..., 0], ramp.expand(len(split), -1)) for split in (train, val, test)),
)
claim_that(
    "every scaled target row, training, validation and test, is the first training row",
    all(torch.equal(split.y, train.y[:1].expand_as(split.y)) for split in (train, val, test)),
)

# %% [markdown]
# The last 5 outputs, steps 46 to 50, forecast the values after the window, `x[50]` to `x[54]`. They
# are five separate forecasts, each made 5 steps ahead of what the model had read: step 46 (index 45)
# has read up to `x[45]` and forecasts `x[50]`, from the same information as notebook 03's step −5
# head, which cost that head several times the last-step head's error one step ahead on the noisy
# series. So we draw them as points, not as one 5-step path. `python -m seqtut predict
# sequence-generation` prints them, under a line that says so (below). Shifted per-step targets are a
# training design; to forecast after a window, read the last step with a `horizon` head (notebook 03),
# or train with `shift=1` and generate step by step, feeding each forecast back in. For the last test
# window:

# %% tags=["nbval-ignore-output"]
i, shown = len(test) - 1, 15
outputs = predict(model, test, device)  # (N, L): one forecast per time step, series units
forecasts = {
    "LSTM (start-relative), steps 46-50": outputs[i, -s.shift :],
    "last value seen at each step": naive_forecast(test, "last")[i, -s.shift :],
}
ax = plot_forecast(
    test.windows[i, -shown:],
    test.targets[i, -s.shift :],
    forecasts,
    start=s.series_length - s.shift - shown,
    title="The last test window and the 5 values after it",
    history_label=f"input window (its last {shown} of {s.window} values)",
    ylabel="value (series units)",
)
for line in ax.get_lines():  # each output is its own 5-step-ahead forecast: points, not one line
    if line.get_label() in forecasts:
        line.set_linestyle("none")
legend_outside(ax)
plt.show()
# what `python -m seqtut predict sequence-generation` prints for this window, from the saved model and scaler
for line in section.predict(model, train.scaler, s, [str(v) for v in test.windows[i].tolist()]):
    print(line)
claim_that(
    "`predict` prints the outputs of steps 46-50 (`section.forecast`)",
    torch.allclose(section.forecast(model, train.scaler, test.windows[i : i + 1], s), outputs[i, -s.shift :]),
)

# %% [markdown]
# ## Result
#
# The section's headline: the line's held-out MAE from step 2, as `python -m seqtut run
# sequence-generation` reports it, at the epoch `fit` picked (labelled so: on the line that epoch
# was picked on windows equal to the test's, which favours it; 02 headlines the last epoch instead,
# to judge its input kinds without that pick; here the pick is the last epoch), beside last value and
# drift on the same steps; step 1 and the mean over all 50 steps go with it.

# %% tags=["nbval-ignore-output"]
result = sections.report(
    section.name,
    found["metric"] + section.picked_on,  # as `run` labels it: fit's epoch was picked on windows equal to the test's
    found["value"],
    found["baseline"],
    found["baseline_name"],
    drift=found["drift"],
    mae_step_1=per_step[0],
    mae_all_steps=found["mae"],
    worst_from_step_2=max(per_step[s.warmup :]),
    head_speedup=head_speedup,
    step_speedup=step_speedup,
)
print(f"drift from step 2: {found['drift']:.4f}; step 1: {per_step[0]:.4f}; all 50 steps: {found['mae']:.4f}")

# %% [markdown]
# ## Summary
#
# - Per-step targets, the window shifted by `shift`, are a training design: only the last `shift`
#   outputs lie beyond the window, each 5 steps past what it read. To forecast after a window, read
#   the last step (notebook 03) or generate step by step.
# - A per-time-step head is one `nn.Linear` over `(N, L, hidden)`: it acts on the last dimension. The
#   original's loop over the batch gives the same outputs (up to float rounding) and gradients, slower.
# - With one output per step, scale causally, so the output at step `t` depends only on `x[0]` to
#   `x[t - 1]`: here from each window's first value (step 1's input is then 0); notebook 05's fitted
#   mean and standard deviation are causal too, and do better on its noisy series.
# - Every headline score of notebooks 04 and 05 leaves out step 1 (`warmup`), where only one value
#   has been read (step 1 is printed beside it, and here the mean over all 50 steps too). On the
#   line, from step 2, drift is exact; the LSTM nearly so, its validation loss still falling slowly
#   when its 100 epochs ran out.

# %% [markdown]
# ## Exercises
#
# Each exercise is a function for you to fill in; the cell's last line checks it on cases the checker
# builds itself and prints `✓` or the first case that fails, with a hint. `check.<name>.hint()` prints a
# hint, one step closer on each call; `check.<name>.solution()` says where the solution is.
#
# **1. A time-first head (a few minutes).** An `nn.LSTM` built with its default `batch_first=False`
# returns its output time first, `(L, N, H)`. Write `my_time_first_head(head, features)`: `head` is an
# `nn.Linear(H, 1)` and `features` is `(L, N, H)`; return the `(N, L)` outputs, windows first like `y`,
# calling `head` once (the checker counts its calls).


# %%
def my_time_first_head(head, features):
    """head nn.Linear(H, 1), features (L, N, H), time first -> (N, L): the head at every step, in one call."""
    raise NotImplementedError("your code here")


check.time_first_head(my_time_first_head)

# %% [markdown]
# **2. Several values per step.** Steps count from 1, as above, and indices from 0 (notebook 03's
# exercise counted steps from 0, as indices): step `t` is index `t - 1`. Step `t` is trained on one
# value, `shift` steps ahead; train it on the next `horizon` values instead. Write
# `my_multi_horizon_pairs(series, window, horizon, test_start)`: `series` is `(T,)`, and its values
# from index `test_start` on belong to the test split.
# Return `(inputs, targets)`: `inputs[i]` is `series[i : i + window]`, and `targets[i, t - 1]` holds
# the `horizon` values after `series[i + t - 1]`, the value step `t` reads. So `targets` is
# `(N, window, horizon)`, and `targets[:, :, -1]` is this notebook's target with `shift = horizon`.
# Keep, in order, every `i` whose targets all lie before `test_start`.


# %%
def my_multi_horizon_pairs(series, window, horizon, test_start):
    """series (T,) -> inputs (N, window), targets (N, window, horizon); no target at index >= test_start."""
    raise NotImplementedError("your code here")


check.multi_horizon_pairs(my_multi_horizon_pairs)

# %% [markdown]
# ## Try next
#
# - Time the two heads with a batch of 8 (the original's) and of 256: how does the speed-up grow?
# - Train with `shift=1`, the next value at every step (`s = dataclasses.replace(s, shift=1)` at the
#   end of the settings cell, after `import dataclasses`). Which steps are hardest now?
# - Feed the trained model a window of 100 values instead of 50: are the extra outputs still right?

# %% tags=["nbval-ignore-output"]
print(seqtut.runtime.provenance())

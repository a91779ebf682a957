# %% [markdown]
# # 01 · Many-to-one: a window of 5 values → the next value
#
# The original tutorial's first model reads 5 consecutive numbers of the series 0, 1, …, 999 and
# predicts the 6th. We do the same, with a training loop short enough to read line by line. We
# measure it the way a forecast must be measured: on **held-out** windows that come *after* the
# training data in time, in the series' own units, next to **baselines** that need no learning.

# %% [markdown]
# **You will learn**
# - to cut a series into windows and split them in time, so that no test target was ever a training target;
# - to judge a forecaster on held-out windows, window by window, beside baselines that learn nothing;
# - to write and run the training loop: `zero_grad` → forward → loss → `backward` → clip → `step`,
#   and what clipping the gradient does, and does not do, when the optimizer is Adam;
# - what the package's `fit` adds to that loop.

# %% [markdown]
# **You need:** notebook 00 (the shapes of `nn.LSTM`, and why the head reads `out[:, -1]`).
#
# **Run time:** about 7–8 s in either mode (full, or fast with `SEQTUT_FAST=1`), kernel start
# included, measured by `make execute` on a 2-core AMD EPYC, where a fixed reference workload
# (`benchmarks/calib.py`) took 6.4 s: scale by your machine's time for it.
#
# **In the original:** its many-to-one section: windows of 5 from 0..999, a 2-layer LSTM of 256
# units with a Linear head on `out[:, -1]`, 50 epochs (passes over the data) of Adam on raw values,
# then one probe, 10..17 → 17.63. It prints a loss every 5 epochs, the loss of that epoch's last
# mini-batch only: the first, 598,389, is the MSE (mean squared error) of 3 windows (995 windows in batches of 4 leave 3
# for the last batch).

# %% tags=["nbval-ignore-output"]
import math
from dataclasses import replace

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.nn import functional as F

import seqtut
from seqtut import sections
from seqtut.baselines import naive_forecast
from seqtut.claims import claim, claim_every, claim_that
from seqtut.data import toy_series, window_splits
from seqtut.exercises import check
from seqtut.lstm import ManyToOneLSTM
from seqtut.metrics import metrics
from seqtut.plots import legend_outside, plot_losses
from seqtut.show import show
from seqtut.training import make_loader, predict, train_epoch, train_step

device = seqtut.setup(recurrent=True)

# %% [markdown]
# The numbers that set the size of this experiment (the data, the model, the epochs, the batch and
# the learning rate) come from one place, `sections.settings`, which `python -m seqtut run
# many-to-one` reads too; the rest of the recipe is the training code's own (the loop below clips at
# norm 1, as `fit` does by default). Fast mode trains for fewer epochs; the settings also hold the
# bounds of this notebook's claims, in each mode. The ones used here:

# %% tags=["nbval-ignore-output"]
section = sections.get("many-to-one")  # the section's pieces: data, build_model, train, evaluate
s = sections.settings("many-to-one")
used = ("series_length", "window", "horizon", "scaler", "hidden_size", "num_layers", "epochs", "lr", "batch_size")
print(", ".join(f"{name}={getattr(s, name)!r}" for name in used))

# %% [markdown]
# ## The data: one straight line, split in time
#
# `window_splits` cuts the series in time order: the first 80 % for training, the next 10 % for
# validation (to watch for overfitting), the last 10 % for testing. Each later segment also gets the
# `window` values before it, so its first window has a full history, while every target it holds
# comes after all the targets of the segment before. No test target lies at a position that was a
# training target; but on this line, once windows are made relative (below), every test window and
# target equals a training one in the model's units (notebook 02 checks the windows; every target is
# one step of the line, the same number in model units): the split guards against leakage, and here
# cannot show generalisation. Every window here is 5 steps long (notebook 02 also trains on longer
# ones). Here are the three segments, in the series' own values (`scaler="raw"`):

# %%
series = toy_series(s.series_length)  # 0, 1, ..., 999
train_raw, val_raw, test_raw = window_splits(series, s.window, horizon=s.horizon, scaler="raw")
start = 0  # the first value each split owns (its targets and, for training, its inputs)
for name, split in {"train": train_raw, "validation": val_raw, "test": test_raw}.items():
    targets = split.targets[:, 0]
    end = int(targets.max()) + 1
    share = 100 * (end - start) / len(series)
    print(
        f"{name:>10}: owns values {start}..{end - 1} ({share:.0f} %), {len(split):3d} windows, targets {targets.min():.0f}..{end - 1}"
    )
    start = end
claim_that(
    "every validation target comes after every training target, every test target after both",
    train_raw.targets.max() < val_raw.targets.min() and val_raw.targets.max() < test_raw.targets.min(),
)

# %% [markdown]
# One sample is a window `x` of shape `(L, 1)` (5 steps, 1 feature) and its target `y` of shape
# `(1,)`. The `1` feature dimension is there because `nn.LSTM` wants `(N, L, H_in)` (notebook 00);
# the original had to `unsqueeze` and `permute` inside its training loop to get it.

# %%
x, y = train_raw[0]
print("x", tuple(x.shape), x.squeeze(-1).tolist(), "-> y", tuple(y.shape), y.tolist())
assert x.shape == (s.window, 1) and y.shape == (1,) and y.item() == x[-1].item() + 1

# %% [markdown]
# A batch stacks N samples: `x` is `(N, L, 1)`, `y` is `(N, 1)`, the shape the model will output.
# Keeping the target `(N, 1)` rather than `(N,)` matters: `mse_loss` of an `(N, 1)` prediction
# against an `(N,)` target broadcasts to an `(N, N)` matrix of every prediction against every target
# (PyTorch only warns; the original avoids it by flattening its predictions with `.view(-1)`).
# `make_loader` fetches a whole batch with one indexing call, and a seeded shuffle gives the same
# batches on every run:

# %%
x_batch, y_batch = next(iter(make_loader(train_raw, batch_size=4, shuffle=True, seed=0)))
print("x", tuple(x_batch.shape), "y", tuple(y_batch.shape))
print(torch.cat([x_batch.squeeze(-1), y_batch], dim=1).int())  # each row: 5 inputs, then the target
assert x_batch.shape == (4, s.window, 1) and y_batch.shape == (4, 1)

# %% [markdown]
# ## Baselines: forecasts that need no learning
#
# A number means little without something to compare it with. Two forecasts that learn nothing:
#
# - **last value** (the naïve method, also called persistence): tomorrow equals today. On this series
#   it is off by exactly 1 on every window.
# - **drift**: the last value plus the horizon (steps ahead) times the window's mean step,
#   `(last − first) / (L − 1)`, with a horizon of 1 here: the drift method of Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*
#   (FPP3, 3rd ed., section 5.2), with the window as the history. On a straight line it is *exact*,
#   error 0 on every window, so no model can beat it here.
#
# We score a forecast by its MAE, the mean absolute error: |forecast − actual| averaged over the
# windows, in the series' units.

# %%
last_mae = metrics(naive_forecast(test_raw, "last"), test_raw.targets).mae
drift_mae = metrics(naive_forecast(test_raw, "drift"), test_raw.targets).mae
print(f"held-out test MAE | last value {last_mae:.4f} | drift {drift_mae:.4f}")
claim_that(
    "last value is off by exactly 1 on every test window",
    torch.all(naive_forecast(test_raw, "last") - test_raw.targets == -1),
)
claim_that("drift is exact on every test window", torch.all(naive_forecast(test_raw, "drift") == test_raw.targets))

# %% [markdown]
# No forecast has an error below drift's 0: a model can at best match it, so it is useless as a pass
# mark. What this toy line can show: whether a pipeline works end to end (shapes, splits, scaling),
# by landing far inside last value's error of 1. What it cannot show: that a model forecasts well,
# since on a line drift already knows everything. Notebook 08 measures the same kind of model on
# real data (airline passengers), where no simple method is exact (its drift is a seasonal one).

# %% [markdown]
# ## The model
#
# `ManyToOneLSTM` is an LSTM over the window and a Linear head on the last time step's output,
# `out[:, -1]` (which equals `h_n[-1]`, notebook 00). `features` is the LSTM part, `out` of shape `(N, L, hidden)`:

# %%
show(ManyToOneLSTM.forward)

# %% [markdown]
# The original used 2 layers of 256 units for this task; one layer of 32 is enough on this line,
# as the held-out errors below show:

# %%
model = section.build_model(s)
original_model = section.build_model(replace(s, hidden_size=256, num_layers=2))
print(model)
print(
    f"{sum(p.numel() for p in model.parameters()):,} parameters, weights and biases "
    f"(the original's: {sum(p.numel() for p in original_model.parameters()):,})"
)
assert model(x_batch).shape == (4, 1)

# %% [markdown]
# ## What the model reads: window-relative values
#
# The original feeds the raw numbers. We feed each window **minus its own last value**, divided by a
# scale fitted on the training windows: the standard deviation of all their values minus their last
# values, pooled over the windows. Every window here gives −4, −3, −2, −1, 0, so the scale is about √2
# (pooled over hundreds of windows, the n − 1 of `torch.std` barely moves it): the −1 below becomes
# −0.707. We train the model to predict the change from the last value, scaled the same way; adding
# the last value back gives the forecast in series units. Notebook 02 shows that raw and standardized
# values fail on this series, and why these work. This is the section's default
# (`s.scaler == "relative"`):

# %%
train, val, test = window_splits(series, s.window, horizon=s.horizon, scaler=s.scaler)  # window-relative
print("window", train.windows[400].tolist(), "-> x", [round(v, 4) for v in train.x[400, :, 0].tolist()])
print("target", train.targets[400].tolist(), "-> y", [round(v, 4) for v in train.y[400].tolist()])

# %% [markdown]
# ## Training: the loop, written out
#
# One **epoch** is one pass over the training windows, in shuffled batches. For each batch:
# `zero_grad` clears the gradients of the previous batch (`backward` adds to them); the forward pass
# and the loss (mean squared error, in the model's scaled units) measure how wrong the model is;
# `backward` computes the gradients; `clip_grad_norm_` takes the norm of all of them together, as
# one vector, and scales a norm above `max_norm` (1 here) down to just under it, keeping their
# direction (the exact factor: the Summary); `step` moves the weights. We keep the norm
# `clip_grad_norm_` returns (measured before clipping). After each epoch we measure the loss on the
# validation windows, which the loop never trains on.

# %% tags=["nbval-ignore-output"]
seqtut.seed_everything(0)
model = section.build_model(s)
optimizer = torch.optim.Adam(model.parameters(), lr=s.lr)
train_losses, val_losses, grad_norms = [], [], []
for epoch in range(s.epochs):
    model.train()  # training mode, which model.eval() below leaves (this loop runs on the CPU; cuDNN's backward needs it)
    total = 0.0
    for x, y in make_loader(train, s.batch_size, shuffle=True, seed=epoch):  # x (N, 5, 1), y (N, 1)
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        grad_norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0).item())
        optimizer.step()
        total += loss.item() * len(x)
    train_losses.append(total / len(train))
    model.eval()
    with torch.no_grad():  # no gradients needed to measure
        val_losses.append(F.mse_loss(model(val.x), val.y).item())
    print(f"epoch {epoch + 1:2d}: train MSE {train_losses[-1]:.3g} | validation MSE {val_losses[-1]:.3g}")

# %% [markdown]
# Both losses fall to about 0: in the full run the validation MSE is exactly 0 in float32 from
# epoch 13; the training MSE is 4.47e-18 from epoch 14 on (why not 0: appendix). On this line
# every relative window is the same five numbers (notebook 02), so there is almost nothing to learn.
# The validation MSE starts below the training MSE: an epoch's training MSE averages its batches'
# losses, each measured before its step while the weights were still improving; the validation MSE
# is measured once, after the epoch's last step. A loss of 0 would vanish on a log axis, so the plot
# turns linear below the power of 10 under the smallest loss above 0. The loop keeps the weights of
# its last epoch, so the plot marks no "best" one:

# %% tags=["nbval-ignore-output"]
plot_losses(train_losses, val_losses, title="ManyToOneLSTM, window-relative inputs: the plain loop")
plt.show()

# %% tags=["nbval-ignore-output"]
claim("validation MSE (scaled) after the last epoch", val_losses[-1], "<", val_losses[0])

# %% [markdown]
# In this loop clipping rescaled the gradients only in the first epoch, while the loss was large.
# (With Adam that does not cap the step: appendix.)

# %% tags=["nbval-ignore-output"]
# clip_grad_norm_ multiplies the gradients by min(1, max_norm / (norm + 1e-6)): below 1 when norm > max_norm - 1e-6
clipped = [i for i, norm in enumerate(grad_norms) if 1.0 / (norm + 1e-6) < 1]
per_epoch = len(grad_norms) // s.epochs
print(f"clip_grad_norm_ rescaled {len(clipped)} of {len(grad_norms)} steps' gradients ({per_epoch} steps an epoch)")
print(f"the clipped steps: {[i + 1 for i in clipped]}; largest norm before clipping: {max(grad_norms):.3f}")
claim("the last step whose gradient clipping rescaled", max(clipped, default=-1) + 1, "<=", per_epoch)

# %% [markdown]
# ## The held-out result, beside the baselines
#
# On this line the model gets the same relative input on every test window, so its error hardly
# varies from one window to the next, and last value's and drift's do not vary at all (1 and 0).
# So the comparison can be stated on every test window, with no interval. Notebook 02 introduces
# the rule for comparisons whose errors vary from window to window.

# %%
lstm_errors = (predict(model, test, device) - test.targets).abs()[:, 0]  # one error per test window (N,)
last_errors = (naive_forecast(test, "last") - test.targets).abs()[:, 0]
drift_errors = (naive_forecast(test, "drift") - test.targets).abs()[:, 0]
test_mae = lstm_errors.mean().item()

# %% tags=["nbval-ignore-output"]
print(f"held-out test MAE {test_mae:.4f} | last value {last_mae:.4f} | drift {drift_mae:.4f}")
print(
    f"the LSTM's error on each of the {len(test)} test windows: from {lstm_errors.min():.4f} to {lstm_errors.max():.4f}"
)

# %% tags=["nbval-ignore-output"]
claim("held-out test MAE", test_mae, "<=", s.mae_bound)
claim_every(
    "the LSTM's error minus last value's", lstm_errors - last_errors, "<=", s.mae_bound - 1, what="test windows"
)
claim_every("the LSTM's error minus drift's", lstm_errors - drift_errors, "<=", s.mae_bound, what="test windows")

# %% [markdown]
# On every test window the LSTM beats last value by at least 0.95 and trails drift, which is exact,
# by at most 0.05. In full mode its worst window's error is 0: the loop's forecast is exact on every
# test window, as drift's is. It has learned more than "repeat the last value"; on this line it
# cannot learn more than drift knows. This holds for these 100 windows and this seed, not
# necessarily for other seeds or series.
#
# Each forecast below is one step ahead from its own window of 5 values, so the forecasts are
# separate points, not a line; the first window is drawn too:

# %% tags=["nbval-ignore-output"]
shown = 10  # the first 10 test windows: the one-step lag of the last-value baseline is visible
steps = torch.arange(900, 900 + shown)
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
ax.plot(range(895, 900), test.windows[0], "o-", color="0.5", label="input window of the first forecast (5 values)")
ax.plot(steps, test.targets[:shown, 0], "o", color="black", label="actual")
ax.plot(steps, predict(model, test, device)[:shown, 0], "x", markersize=9, label="LSTM, window-relative inputs")
ax.plot(steps, naive_forecast(test, "last")[:shown, 0], "s", fillstyle="none", label="last value")
ax.set(xlabel="time step", ylabel="value (series units)", title="Held-out test windows: one-step forecasts")
legend_outside(ax)
plt.show()

# %% [markdown]
# ## The same loop in the package: `fit`
#
# Later notebooks call the package's `fit` instead of writing the loop out. It is the same loop with
# three things added: the first changes training, the second the model you get back, the third
# guards against a run gone wrong.
#
# - a **learning-rate schedule**, stepped after every batch but changing its factor only at epoch
#   boundaries (and, with a warm-up, rising linearly over its first `warmup` steps; none here), so
#   the rate falls epoch by epoch along a cosine, from `lr` towards `lr / 20`;
# - the **best epoch**: `fit` loads the weights of the epoch with the lowest validation loss back
#   into the model at the end instead of keeping the last (given `patience`, it also stops once that
#   has not improved for `patience` epochs; this section sets none);
# - a check that stops training when the loss is not finite.
#
# The rest is bookkeeping: it moves the model and batches to `device`, shuffles epoch e with
# `seed + e` (our loop's order for seed 0), shows a progress bar, calls an optional `callback` after
# each epoch (notebook 02 uses it) and returns a `History` of the losses. `fit`'s step is
# `train_step`: our loop's steps (its `loss_fn` does the forward pass and the loss in one call) and
# that check. Its `zero_grad` comes after the forward pass,
# which does not touch the gradients.

# %%
show(train_step)

# %% [markdown]
# and one epoch of `fit` is `train_epoch`, our inner loop with the schedule's step after each batch:

# %%
show(train_epoch)

# %% [markdown]
# `section.train_fresh` seeds, builds the model and calls `fit` with the section's settings, as
# `python -m seqtut run many-to-one` does (which also trains on several window lengths: notebook 02).
# On these windows:

# %% tags=["nbval-ignore-output"]
fit_model, history = section.train_fresh(s, train, val, device=device, seed=0)
fit_mae = metrics(predict(fit_model, test, device), test.targets).mae
print(f"fit: {len(history.train_loss)} epochs in {history.seconds:.2f} s, best epoch {history.best_epoch + 1}")
print(
    f"held-out test MAE: plain loop {test_mae:.4f} | fit (epoch picked on windows equal to these) {fit_mae:.4f} | "
    f"last value {last_mae:.4f}"
)

# %% tags=["nbval-ignore-output"]
claim("fit's test MAE (epoch picked on windows equal to these)", fit_mae, "<=", s.mae_bound)

# %% [markdown]
# `fit` keeps its best validation epoch, and on this line the validation windows are, in model units,
# the test windows (notebook 02 checks it): its figure is picked. The headline below is the plain
# loop's last epoch.

# %% [markdown]
# ## Result

# %% tags=["nbval-ignore-output"]
result = sections.report(
    "many-to-one (01: plain loop, windows of 5)", "test MAE", test_mae, last_mae, "last value", drift=drift_mae
)

# %% [markdown]
# ## Summary
#
# - Split a series in time, and give each later split the values before it, so every test target
#   comes after every training target.
# - Measure on held-out windows in the series' units, beside baselines; here the comparison held on
#   every test window. On this line drift is exact: the toy task checks a pipeline, not a model.
# - The training loop is `zero_grad` → forward → loss → `backward` → clip → `step`. `fit` adds the
#   best validation epoch, a schedule, a finite-loss check and progress.
# - Clipping multiplies the gradient by `min(1, max_norm / (norm + 1e-6))`; that caps a plain SGD
#   step (no momentum). With Adam, clipping does not cap the step (appendix).
#
# Next, notebook 02: why raw values fail, how to compare two forecasts whose errors
# vary, and other window lengths.

# %% [markdown]
# ## Appendix (optional): what clipping does, and does not do, with Adam
#
# The take-away: Adam's step does not grow with the gradient's overall scale (only with a jump
# against the gradient's recent history, and boundedly); with the default betas each weight's step
# is at most about 7.27 × `lr` (`eps` only makes it smaller; no weight decay here), and clipping
# does not change that cap. The rest shows why.
#
# With plain SGD (no momentum) a step is `lr × gradient`, so capping the gradient's norm caps the
# step. Adam moves each weight by `lr × m / (√v + eps)`, `m` and `v` being running averages of its
# gradient and of its square (corrected for their start at 0): the gradient's size cancels. One step
# of a fresh model, its loss as it is and × 1000, with and without clipping; the largest change to
# any weight:


# %% tags=["nbval-ignore-output"]
def largest_change(optimizer_class, scale: float, clip: bool) -> float:
    """One step of a fresh model on the first training batch, loss × `scale`: the largest change to a weight."""
    x, y = next(iter(make_loader(train, s.batch_size, shuffle=True, seed=0)))
    seqtut.seed_everything(0)
    net = section.build_model(s)
    before = [p.detach().clone() for p in net.parameters()]
    step_optimizer = optimizer_class(net.parameters(), lr=s.lr)
    (scale * F.mse_loss(net(x), y)).backward()
    if clip:
        nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    step_optimizer.step()
    return max((p.detach() - b).abs().max().item() for p, b in zip(net.parameters(), before))


cases = {"loss × 1": (1, False), "loss × 1000": (1000, False), "loss × 1000, clipped": (1000, True)}
change = {(o.__name__, c): largest_change(o, *cases[c]) for o in (torch.optim.SGD, torch.optim.Adam) for c in cases}
print(f"lr = {s.lr}; largest change to any weight in one step:")
print(f"{'':>5} | " + " | ".join(f"{c:>20}" for c in cases))
for name in ("SGD", "Adam"):
    print(f"{name:>5} | " + " | ".join(f"{change[name, c]:20.4g}" for c in cases))

# %%
sgd_ratio = change["SGD", "loss × 1000"] / change["SGD", "loss × 1"]
claim("SGD: the change with loss × 1000 ÷ the change with loss × 1", sgd_ratio, ">", 999, fmt=".0f")
claim("SGD, loss × 1000, clipped: the change", change["SGD", "loss × 1000, clipped"], "<=", s.lr, fmt=".3f")
claim_that("Adam: the change is lr in all three cases", all(abs(change["Adam", c] - s.lr) < 1e-6 for c in cases))

# %% [markdown]
# SGD's step grows 1000-fold and clipping caps it. Adam's largest change is `lr` in all three cases:
# on a first step the update `m̂ / (√v̂ + ε)` is g / (|g| + ε), the sign of each weight's gradient g
# up to ε (1e-8). Later steps depend on how a weight's gradient has changed, not on its size. One
# weight, `lr = 1`:


# %% tags=["nbval-ignore-output"]
def adam_step(gradients: list[float], clip: float | None = None) -> float:
    """One weight, Adam with lr = 1 and the default betas: the size of its last step after `gradients`."""
    weight = torch.zeros(1, requires_grad=True)
    adam = torch.optim.Adam([weight], lr=1.0)
    for gradient in gradients:
        weight.grad = torch.tensor([gradient])
        if clip is not None:
            nn.utils.clip_grad_norm_([weight], max_norm=clip)
        before = weight.detach().clone()
        adam.step()
    return (weight.detach() - before).abs().item()


beta1, beta2 = 0.9, 0.999  # Adam's defaults
histories = {
    "0.01 for 200 steps": ([0.01] * 200, None),
    "0.01 for 200 steps, then 100": ([0.01] * 200 + [100.0], None),
    "the same, the 100 clipped to norm 1": ([0.01] * 200 + [100.0], 1.0),
    "0 for 3000 steps, then 100 steps rising from 1, × beta2/beta1 a step": (
        [0.0] * 3000 + [(beta2 / beta1) ** k for k in range(100)],
        None,
    ),
}
adam_steps = {name: adam_step(*history) for name, history in histories.items()}
for name, step in adam_steps.items():
    print(f"{name:>68}: its last step {step:.3g} × lr")
one_jump = (1 - beta1) / math.sqrt(1 - beta2)  # Kingma & Ba's bound: one gradient after a long run of zeros
ceiling = one_jump / math.sqrt(1 - beta1**2 / beta2)  # any history: derived below
print(
    f"one gradient after many zeros, in the limit: {one_jump:.3g} × lr; no history gives more than {ceiling:.3g} × lr"
)

# %% tags=["nbval-ignore-output"]
steps_seen = list(adam_steps.values())
claim("a steady gradient: |the step ÷ lr − 1|", abs(steps_seen[0] - 1), "<", 0.01, fmt=".3g")
claim("the jump's step, clipped ÷ unclipped", steps_seen[2] / steps_seen[1], ">", 1, fmt=".3g")
claim("a gradient rising × beta2/beta1 a step: the step ÷ the ceiling", steps_seen[3] / ceiling, ">", 0.95, fmt=".3g")
claim("the largest of these steps ÷ the ceiling", max(steps_seen) / ceiling, "<=", 1, fmt=".3g")
claim("the rising gradient's step ÷ Kingma & Ba's bound", steps_seen[3] / one_jump, ">", 1, fmt=".3g")

# %% [markdown]
# A steady gradient gives steps of about `lr`; a jump at step 201, 1.35 times `lr`, and 1.46 clipped
# (the clipped jump inflates `v` less). So early, `v`'s bias correction still holds the step down;
# after many steady steps the corrections reach 1 and the same jump approaches Kingma & Ba's figure
# below (reasoned from the formulas, not run here). Kingma & Ba (section 2.1) present 3.16 times
# `lr`, $(1-\beta_1)/\sqrt{1-\beta_2}$, reached by one gradient after many zeros, as an upper bound
# on the step. It is not one for every history: a steadily rising gradient reached 7.1 times `lr`.
# No history, clipped or not, gives more than $(1-\beta_1)/\sqrt{(1-\beta_2)(1-\beta_1^2/\beta_2)}$
# = 7.27 times `lr` (default betas). Why: $m_t = (1-\beta_1)\sum_j \beta_1^j g_{t-j}$ and $v_t =
# (1-\beta_2)\sum_j \beta_2^j g_{t-j}^2$; Cauchy–Schwarz on $\beta_1^j g =
# (\beta_1/\sqrt{\beta_2})^j \cdot \beta_2^{j/2} g$ bounds $|m_t|/\sqrt{v_t}$ by that ceiling; the
# bias corrections and a finite $t$ together only lower it (with $r = \beta_1^2/\beta_2$ this needs
# $(1-r^t)(1-\beta_2^t) \le (1-\beta_1^t)^2$, that is $r^t + \beta_2^t \ge 2\beta_1^t$, AM–GM since
# $r^t\beta_2^t = \beta_1^{2t}$), and so does `eps`. Equality needs $g_{t-j} \propto
# (\beta_1/\beta_2)^j$: the rising gradient above. Clipping keeps one outsized gradient from
# inflating `v`, which forgets slowly (`0.999` a step) and would shrink those weights' later steps.

# %% [markdown]
# ## Appendix (optional): why the training MSE stays above 0 on identical windows
#
# float32 stores a number near `y` to the nearest multiple of a spacing, `2^-23` times the power of
# 2 at or below `|y|`: its last bit. The same weights can round one window differently in that bit,
# by batch. Below, the final weights of the plain loop run on the training windows one at a time,
# then in the last epoch's batches of 32 (figures vary by CPU). One at a time, every window gets the
# same answer; a batch of one takes other paths through the matrix kernels, and here that answer
# misses by one float32 spacing. In the batches of 32 the weights were fitted on, few windows miss.
# Neither need match the loop's last training MSE: it measured each batch before its step, and the
# weights still moved in the last epoch.

# %% tags=["nbval-ignore-output"]
model_device = next(model.parameters()).device  # predict() above may have moved the model to the GPU
with torch.no_grad():
    for size in (1, s.batch_size):
        batches = list(make_loader(train, size, shuffle=True, seed=s.epochs - 1))  # the last epoch's order
        got, want = torch.cat([model(x.to(model_device)).cpu() for x, _ in batches]), torch.cat([y for _, y in batches])
        spacing = torch.finfo(torch.float32).eps * 2 ** math.floor(math.log2(want.abs().max().item()))
        print(
            f"batch size {size:2d}: training MSE {F.mse_loss(got, want).item():.3g}; {int((got != want).sum())} of "
            f"{len(train)} windows off their target, by at most {(got - want).abs().max().item():.3g} "
            f"(float32's spacing there: {spacing:.3g}); {got.unique().numel()} distinct output(s)"
        )

# %% [markdown]
# ## Exercises
#
# Fill in each function; the line under it checks it and prints `✓` or the first failing case, with
# a hint. `check.<name>.hint()` gives a closer hint each call; `check.<name>.solution()` names the
# solution file.
#
# **1. Windows for a forecast further ahead** (a few minutes). From a series `(T,)`, return every
# window of `window` consecutive values that has a value `ahead` steps after its last one,
# `(N, window)`, and those values, `(N, 1)`, or empty tensors of those shapes when the series is too
# short for any. With `ahead = 1` these are the notebook's windows.


# %%
def my_windows(series, window, ahead):
    """series (T,) -> inputs (N, window), targets (N, 1)."""
    raise NotImplementedError("your code here")


check.windows(my_windows)

# %% [markdown]
# **2. A split in time, no target in both sets.** With windows as in exercise 1, return
# `((train_inputs, train_targets), (test_inputs, test_targets))`: the training windows are all those
# whose target lies before index `cut`; the test targets are `series[cut:]`, each with its full
# window. `cut` must be at least `window − 1 + ahead` (below it, `series[cut]` has no full window):
# raise a `ValueError` when it is not. (With `ahead` > 1 the last training targets come after the
# first test windows' last inputs; a split at each forecast origin, as in FPP3's time-series
# cross-validation, §5.10, would leave out `ahead − 1` more. This exercise does not.)


# %%
def my_split_windows(series, window, ahead, cut):
    """series (T,) -> ((train inputs, train targets), (test inputs, test targets))."""
    raise NotImplementedError("your code here")


check.split_windows(my_split_windows)

# %% [markdown]
# **3. Accumulating gradients.** To train as if on one batch holding `k` batches, too large for
# memory, sum the gradients of `k` batches, each run alone, then step once. Over `batches` (pairs
# `x`, `y` of any size `N`), in groups of `k` (the last may hold fewer): `zero_grad`; per batch, a
# loss and `backward`; then clip the gradient norm to `clip` and `step`. Choose each batch's loss so
# that the group's summed gradient is the gradient of the MSE over one batch holding all the group's
# windows (batches may differ in size). Return each batch's plain MSE (a float, the value you weight
# before its backward), measured before the group's step. The checker counts the steps.


# %%
def my_accumulated_loop(model, batches, optimizer, clip, k):
    """One pass over `batches` (iterable, with len) -> list of each batch's MSE."""
    raise NotImplementedError("your code here")


check.accumulated_loop(my_accumulated_loop)

# %% [markdown]
# ## Try next
#
# - Train the plain loop on `window_splits(series, s.window, horizon=s.horizon, scaler="raw")` and
#   watch the validation loss.
# - Replace Adam by `torch.optim.SGD(model.parameters(), lr=s.lr)` and train on the raw windows, with and
#   without the clipping line.
# - Before such changes, run `from seqtut.claims import explore; explore()`: the checks are tuned to
#   this notebook's settings, and a failed one then prints its ✗ sentence while the notebook runs on.

# %% tags=["nbval-ignore-output"]
print(seqtut.runtime.provenance())

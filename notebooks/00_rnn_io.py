# %% [markdown]
# # 00 · What `nn.LSTM` takes and returns
#
# Before we forecast anything, we pin down the shapes that go into and come out of PyTorch's
# recurrent layers (`nn.RNN`, `nn.GRU`, `nn.LSTM`). Many bugs in LSTM code are shape bugs that do
# not raise: a tensor with the right number of elements in the wrong order runs without an error,
# and a model trained on it learns the wrong thing. So every shape the text states below is printed
# *and* checked, by an assert or by a computation that uses it (the weights' shapes, by the step
# computed by hand); the exercises' shapes are yours to check.
#
# Nothing is trained here. Every number is seeded and computed on the CPU with one thread: a rerun
# with the same PyTorch version on the same kind of CPU gives the same numbers. Another version,
# thread count or CPU (whose instruction set picks the kernels) may change their last bits.

# %% [markdown]
# **You will learn**
# - what one LSTM step computes: its gates, cell state and hidden state, and where `nn.LSTM` keeps their weights;
# - the shapes of the input, `h_0`/`c_0`, `out`, `h_n` and `c_n`, with and without `batch_first`;
# - why `out[:, -1]` equals `h_n[-1]` for one direction, and which halves match for two;
# - how `nn.RNN` and `nn.GRU` differ (no cell state).
#
# **You need:** Python and a little PyTorch (tensors, `nn.Module`). This is the first notebook.
#
# **Run time:** about 4 s in either mode (full, or fast with `SEQTUT_FAST=1`), kernel start
# included, measured by `make execute` on a 2-core AMD EPYC, where a fixed reference workload
# (`benchmarks/calib.py`) took 6.2 s: scale by your machine's time for it.

# %% [markdown]
# **In the original:** its opening section explains the input and output of `torch.nn.RNN` in prose
# and a borrowed diagram, with no code; its `h_0` shape is wrong (below).

# %% tags=["nbval-ignore-output"]
import itertools
import warnings

import matplotlib.pyplot as plt
import torch
from torch import nn

import seqtut
from seqtut.claims import claim_raises, claim_that
from seqtut.diagrams import lstm_cell, plot_unrolled_rnn
from seqtut.exercises import check
from seqtut.lstm import LSTMForecaster, ManyToOneLSTM
from seqtut.show import show

device = seqtut.setup(device="cpu")  # every layer here runs on the CPU, even where a GPU is present

# %% [markdown]
# We pick sizes that all differ, so that a printed shape tells which size is which (two exceptions
# come later: the bidirectional layer's two directions equal `num_layers`, 2, and the text says which
# 2 is which; the one-window forecast uses sizes of 1):

# %%
seq_len, batch, input_size, hidden_size, num_layers = 6, 5, 3, 9, 2  # L, N, H_in, H_out, layers
print(f"L={seq_len}  N={batch}  H_in={input_size}  H_out={hidden_size}  num_layers={num_layers}")

# %% [markdown]
# ## One LSTM step
#
# At each time step `t` an LSTM layer reads the input `x_t` and its own state from the step before,
# the hidden state `h_{t-1}` and the cell state `c_{t-1}`, and returns the new `h_t` and `c_t`.
# Three gates, each a sigmoid between 0 and 1, decide what happens: the **forget gate** `f` scales the
# old cell state, the **input gate** `i` scales the **candidate** `g` (a tanh) that is added to it, and
# the **output gate** `o` decides how much of `tanh(c_t)` becomes `h_t`:

# %%
lstm_cell()
plt.show()

# %% [markdown]
# PyTorch's `nn.LSTM` documentation writes the same step as
#
# $$
# \begin{array}{ll}
# i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\
# f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \\
# g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \\
# o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\
# c_t = f_t \odot c_{t-1} + i_t \odot g_t \\
# h_t = o_t \odot \tanh(c_t)
# \end{array}
# $$
#
# where $\sigma$ is the sigmoid and $\odot$ the element-wise product. The layer keeps the eight
# matrices in two: `weight_ih_l0`, of shape `(4·hidden_size, input_size)`, stacks
# `W_ii|W_if|W_ig|W_io` in the order i, f, g, o; `weight_hh_l0`, `(4·hidden_size, hidden_size)`,
# stacks the `W_h·` the same way; `bias_ih_l0` and `bias_hh_l0` hold the biases (`_l1` is the second layer).

# %% [markdown]
# We check that order by recomputing one step by hand from the stacked weights and comparing it
# with `nn.LSTM` itself. A `claim_that` line prints ✓ and the sentence it checks; a false one stops
# the notebook with ✗:

# %%
torch.manual_seed(0)
cell = nn.LSTM(input_size, hidden_size)  # one layer
print({name: tuple(p.shape) for name, p in cell.named_parameters()})
x_t, h_prev, c_prev = torch.randn(batch, input_size), torch.randn(batch, hidden_size), torch.randn(batch, hidden_size)
with torch.no_grad():
    _, (h_torch, c_torch) = cell(x_t.unsqueeze(0), (h_prev.unsqueeze(0), c_prev.unsqueeze(0)))  # one step
    stacked = x_t @ cell.weight_ih_l0.T + cell.bias_ih_l0 + h_prev @ cell.weight_hh_l0.T + cell.bias_hh_l0
    i, f, g, o = stacked.chunk(4, dim=1)  # (N, 4·H) -> four (N, H) blocks, in the order i, f, g, o
    c_t = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
    h_t = torch.sigmoid(o) * torch.tanh(c_t)
claim_that(
    "h_t and c_t by hand, gates read in the order i, f, g, o, match nn.LSTM's step",
    torch.allclose(h_t, h_torch[0], atol=1e-6) and torch.allclose(c_t, c_torch[0], atol=1e-6),
)
blocks = stacked.chunk(4, dim=1)
matching = []  # the other 23 orders of the four blocks that would give nn.LSTM's h_t and c_t
for order in itertools.permutations(range(4)):
    i, f, g, o = (blocks[k] for k in order)
    c_other = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
    h_other = torch.sigmoid(o) * torch.tanh(c_other)
    if order != (0, 1, 2, 3) and torch.allclose(h_other, h_torch[0]) and torch.allclose(c_other, c_torch[0]):
        matching.append(order)
claim_that("read in any of the 23 other orders, they do not", matching == [])

# %% [markdown]
# ## The input: `(L, N, H_in)` by default, `(N, L, H_in)` with `batch_first=True`
#
# A recurrent layer reads a sequence one time step at a time. By default PyTorch wants the
# **time** dimension first: `(L, N, H_in)` = (sequence length, batch size, features per step).
# The output `out` has the same layout, with `D·H_out` features per step: `D` = 2 for a
# bidirectional layer (below), else 1, and `H_out` = `hidden_size`, or `proj_size` for an LSTM
# with a projection (at the end of this notebook). Here `D` = 1 and `H_out` = `hidden_size`.

# %%
torch.manual_seed(0)
lstm = nn.LSTM(input_size, hidden_size, num_layers)  # batch_first=False: time comes first
x_time_first = torch.randn(seq_len, batch, input_size)  # (L, N, H_in)
out, (h_n, c_n) = lstm(x_time_first)
print("input", tuple(x_time_first.shape), "-> out", tuple(out.shape), "h_n", tuple(h_n.shape), "c_n", tuple(c_n.shape))
assert out.shape == (seq_len, batch, hidden_size)
assert h_n.shape == c_n.shape == (num_layers, batch, hidden_size)

# %% [markdown]
# Much code (and every model in `seqtut`) keeps the batch first, as a DataLoader delivers it:
# `batch_first=True` makes the layer read and write `(N, L, H_in)` and `(N, L, D·H_out)` (here D = 1).
# It does **not** change `h_0`, `c_0`, `h_n` and `c_n`: they keep the batch in the middle,
# `(D·num_layers, N, H_out)` for `h` (below: `c` has `hidden_size` features).
#
# The two layouts hold the same computation. Copying the weights into a `batch_first` LSTM and
# feeding it the transposed input gives the transposed output, bit for bit:

# %%
lstm_bf = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
lstm_bf.load_state_dict(lstm.state_dict())  # same weights
x = x_time_first.transpose(0, 1).contiguous()  # (N, L, H_in)
out_bf, (h_n_bf, c_n_bf) = lstm_bf(x)
print("input", tuple(x.shape), "-> out", tuple(out_bf.shape), "h_n", tuple(h_n_bf.shape), "c_n", tuple(c_n_bf.shape))
assert out_bf.shape == (batch, seq_len, hidden_size)
assert h_n_bf.shape == (num_layers, batch, hidden_size)  # batch_first leaves h_n alone
assert torch.equal(out_bf, out.transpose(0, 1)) and torch.equal(h_n_bf, h_n) and torch.equal(c_n_bf, c_n)

# %% [markdown]
# A classic silent bug: feeding `(N, L, H_in)` to a layer that expects `(L, N, H_in)`. The LSTM
# cannot complain, since any 3-D tensor with `H_in` features is a valid input; it just reads each
# *batch element* as a time step. Here the layer without `batch_first` takes our batch-first `x` as
# 6 "sequences" of 5 steps: "sequence" `j` is step `j` of our first sequence, then step `j` of our
# second, and so on. A model trained on such input learns from the wrong values. Only the states' shapes
# (`h_n`, `c_n`) give it away, and only because `N` ≠ `L`:

# %%
out_wrong, (h_n_wrong, c_n_wrong) = lstm(x)  # x is (N, L, H_in), but lstm expects (L, N, H_in)
print("out", tuple(out_wrong.shape), "h_n", tuple(h_n_wrong.shape), "c_n", tuple(c_n_wrong.shape))
assert out_wrong.shape == (batch, seq_len, hidden_size)  # no error: 5-step "sequences", batch of 6
assert h_n_wrong.shape == c_n_wrong.shape == (num_layers, seq_len, hidden_size)  # they reveal it: the "batch" is 6

# %% [markdown]
# ## The initial state: `h_0` is `(D·num_layers, N, H_out)`, `c_0` is `(D·num_layers, N, hidden_size)`
#
# An LSTM carries two vectors from step to step: the hidden state `h` and the cell state `c`
# (`nn.RNN` and `nn.GRU` only carry `h`). You may pass their starting values; if you do not,
# PyTorch starts from zeros. One vector per layer, per direction, per sequence in the batch: `h_0`
# is `(D·num_layers, N, H_out)` and `c_0` is `(D·num_layers, N, hidden_size)` (PyTorch's docs call
# that size `H_cell`), without `N` for an unbatched sequence; `D` is 2 for a bidirectional layer,
# else 1. Without a projection `H_out` is `hidden_size`, so the two shapes agree.
#
# Passing zeros explicitly changes nothing:

# %%
h_0 = torch.zeros(num_layers, batch, hidden_size)  # (D*num_layers, N, H_out), D = 1
c_0 = torch.zeros(num_layers, batch, hidden_size)  # (D*num_layers, N, hidden_size)
out_zeros, (h_n_zeros, c_n_zeros) = lstm_bf(x, (h_0, c_0))
print("h_0", tuple(h_0.shape), "c_0", tuple(c_0.shape), "| same as the default:", torch.equal(out_zeros, out_bf))
assert torch.equal(out_zeros, out_bf) and torch.equal(h_n_zeros, h_n_bf) and torch.equal(c_n_zeros, c_n_bf)

# %% [markdown]
# The original's description of `torch.nn.RNN` gives `h_0` the shape
# `(num_layers * num_directions, batch, input_size)`. The last size is wrong: the state lives in the
# layer's hidden space, so it is `H_out` (`hidden_size` here). Its code never passes `h_0`, so the mistake
# never ran there; it also goes unnoticed whenever the two sizes are equal. With H_in = 3 and
# H_out = 9, PyTorch refuses it:

# %% tags=["nbval-ignore-output"]
h_0_wrong = torch.zeros(num_layers, batch, input_size)  # (num_layers, N, H_in): the original's shape
claim_raises(RuntimeError, lambda: lstm_bf(x, (h_0_wrong, h_0_wrong)))  # wording may change between versions

# %% [markdown]
# ## The outputs: `out` is every step of the last layer, `h_n` is the last step of every layer
#
# The diagram shows a 2-layer LSTM unrolled over 4 steps. Each box is one layer at one time
# step; it reads the layer below at the same step and its own state from the step before.
#
# - `out` (`(N, L, D·H_out)` with `batch_first`) holds the **top layer** at **every step**: the shaded row.
# - `h_n` (`(D·num_layers, N, H_out)`) and `c_n` hold **every layer** at the **last step**: the orange column.
#
# They share one box: the top layer at the last step. (This is the one-direction picture; for the
# backward direction of a bidirectional layer, the "last step" is step 0, see below.)

# %%
plot_unrolled_rnn(length=4, num_layers=2)
plt.show()

# %% [markdown]
# So for a one-directional LSTM, `out[:, -1]` (last step, top layer) and `h_n[-1]` (top layer,
# last step) are the same numbers, exactly. `h_n[0]`, the first layer's final state, equals `out`
# at no step, and neither does either layer's `c_n`:

# %%
print("out[:, -1]", tuple(out_bf[:, -1].shape), "h_n[-1]", tuple(h_n_bf[-1].shape))
claim_that("out[:, -1] equals h_n[-1], bit for bit", torch.equal(out_bf[:, -1], h_n_bf[-1]))
steps = [out_bf[:, t] for t in range(seq_len)]
claim_that(
    "h_n[0], c_n[0] and c_n[1] equal out at no step",
    not any(torch.equal(step, state) for step in steps for state in (h_n_bf[0], c_n_bf[0], c_n_bf[1])),
)
claim_that("time first, out[-1] equals h_n[-1] too", torch.equal(out[-1], h_n[-1]))

# %% [markdown]
# One exception: sequences of different lengths. Padded to one length, a short sequence would run on
# through its padding. Packing (`pack_padded_sequence`) keeps the real steps only, so `h_n` holds
# each sequence's state after *its own* last step (`enforce_sorted=False` accepts lengths in any
# order and keeps the batch's).
#
# `pad_packed_sequence` turns `out` back into a tensor, zeros at the padded steps: `out[:, -1]` is
# zeros for every sequence shorter than the longest. Here the second sequence keeps 3 of its 6
# steps, the others all 6:

# %%
packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor([6, 3, 6, 6, 6]), batch_first=True, enforce_sorted=False)
print("batch_sizes", packed.batch_sizes.tolist())  # 5 sequences run for 3 steps, then 4
out_packed, (h_n_packed, _) = lstm_bf(packed)
out_padded, lengths = nn.utils.rnn.pad_packed_sequence(out_packed, batch_first=True)
print("lengths", lengths.tolist(), "| out[1, -1]:", out_padded[1, -1].tolist())
at_own_last = out_padded[torch.arange(len(lengths)), lengths - 1]  # (N, H): each sequence's last real step
print("h_n[-1] equals out at each sequence's own last step:", torch.equal(h_n_packed[-1], at_own_last))
assert torch.equal(out_padded[1, -1], torch.zeros(hidden_size)) and torch.equal(h_n_packed[-1], at_own_last)

# %% [markdown]
# A many-to-one model (notebook 01) packs nothing, so it reads `out[:, -1]`, for one direction
# `h_n[-1]` (above): `seqtut`'s `ManyToOneLSTM` runs its LSTM with `batch_first=True` and puts a
# Linear head on `out[:, -1]`. Its LSTM part, shared by every LSTM forecaster in `seqtut`
# (`ManyToOneLSTM`, `ManyToManyLSTM`, `SequenceLSTM`), is this method (its first line,
# `check_batch`, only raises a clear error unless `x` is a float batch `(N, L, input_size)`):

# %%
show(LSTMForecaster.features)

# %% [markdown]
# We check that the last step of its features is its LSTM's `h_n[-1]`, and that its head reads it:

# %%
torch.manual_seed(0)
many_to_one = ManyToOneLSTM(input_size=1, hidden_size=hidden_size, num_layers=num_layers)
window = torch.arange(float(seq_len)).reshape(1, seq_len, 1)  # one window of 6 steps, 1 feature: (N, L, H_in)
with torch.no_grad():
    all_steps = tuple(many_to_one.features(window).shape)  # out: (N, L, H_out)
    last_step = many_to_one.features(window)[:, -1]  # out[:, -1]: (N, H_out)
    _, (h_n_model, _) = many_to_one.lstm(window)
    prediction = many_to_one(window)
print(
    "features(window)",
    all_steps,
    "| its last step, out[:, -1]",
    tuple(last_step.shape),
    "| prediction",
    tuple(prediction.shape),
)
assert last_step.shape == (1, hidden_size) and prediction.shape == (1, 1)
claim_that("the last step of ManyToOneLSTM's features is its LSTM's h_n[-1]", torch.equal(last_step, h_n_model[-1]))
with torch.no_grad():
    from_h_n = many_to_one.head(h_n_model[-1])  # the head applied to h_n[-1]: (N, 1)
claim_that("its prediction is its head applied to h_n[-1], bit for bit", torch.equal(prediction, from_h_n))

# %% [markdown]
# ## Bidirectional: two directions, and which halves match `h_n`
#
# With `bidirectional=True` (D = 2) every layer runs twice: once forward (step 0 → L−1) and once
# backward (step L−1 → 0). `out` concatenates the two directions' outputs at each step, so its last
# dimension is `2·H_out`: the first `H_out` features are the forward direction, the last `H_out`
# the backward one. `h_n` gets one entry per layer *and* direction, `2·num_layers` in all,
# ordered layer 0 forward, layer 0 backward, layer 1 forward, layer 1 backward.

# %%
torch.manual_seed(0)
bi_lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True, bidirectional=True)
out_bi, (h_n_bi, c_n_bi) = bi_lstm(x)
print("out", tuple(out_bi.shape), "h_n", tuple(h_n_bi.shape), "c_n", tuple(c_n_bi.shape))
assert out_bi.shape == (batch, seq_len, 2 * hidden_size)  # (N, L, D*H_out)
assert h_n_bi.shape == c_n_bi.shape == (2 * num_layers, batch, hidden_size)  # (D*num_layers, N, H_out)

# %% [markdown]
# We check that order by running the two layers one at a time, with the same weights: a one-layer
# bidirectional LSTM with layer 0's weights gives `h_n[0]` and `h_n[1]`, and a second one, fed the
# first one's `out` (both directions, `2·H_out` features), gives `out` and `h_n[2]`, `h_n[3]`.
# (`2·num_layers` = 4 and `2·H_out` = 18 match none of the chosen sizes, so the shapes printed below
# stay readable; the 2 that leads each layer's `h_n` is D, not `num_layers`.)

# %%
weights = bi_lstm.state_dict()
layer_0 = nn.LSTM(input_size, hidden_size, 1, batch_first=True, bidirectional=True)
layer_0.load_state_dict({k: v for k, v in weights.items() if k.endswith(("_l0", "_l0_reverse"))})
layer_1 = nn.LSTM(2 * hidden_size, hidden_size, 1, batch_first=True, bidirectional=True)
layer_1.load_state_dict({k.replace("_l1", "_l0"): v for k, v in weights.items() if "_l1" in k})
out_0, (h_n_0, _) = layer_0(x)
out_1, (h_n_1, _) = layer_1(out_0)  # the top layer reads the lower layer's output, both directions
print("layer 0: h_n", tuple(h_n_0.shape), "| layer 1: out", tuple(out_1.shape), "h_n", tuple(h_n_1.shape))
claim_that("h_n[0:2] (layer 0 forward, backward) come from layer 0 alone", torch.equal(h_n_0, h_n_bi[:2]))
claim_that(
    "out and h_n[2:4] come from layer 1 on top of it",
    torch.equal(out_1, out_bi) and torch.equal(h_n_1, h_n_bi[2:]),
)

# %% [markdown]
# The forward direction finishes at the last step, so the top layer's forward final state,
# `h_n[-2]`, is the **first half of `out` at the last step**, `out[:, -1, :H]`. The backward
# direction finishes at step 0, so its final state, `h_n[-1]`, is the **second half of `out` at the
# first step**, `out[:, 0, H:]`. The tempting `out[:, -1]` pairs the forward final state with the
# backward direction after its *first* step, which is not `h_n[-1]`:

# %%
forward_final, backward_final = h_n_bi[-2], h_n_bi[-1]  # top layer, both directions
checks = {
    "out[:, -1, :H] == h_n[-2] (forward, last step)": torch.equal(out_bi[:, -1, :hidden_size], forward_final),
    "out[:, 0, H:]  == h_n[-1] (backward, step 0)": torch.equal(out_bi[:, 0, hidden_size:], backward_final),
    "out[:, -1, H:] == h_n[-1] (the tempting mistake)": torch.equal(out_bi[:, -1, hidden_size:], backward_final),
}
for name, same in checks.items():
    print(f"{name}: {same}")
claim_that("the first two hold and the tempting one does not", list(checks.values()) == [True, True, False])

# %% [markdown]
# What has that first backward step seen? It has read one input, the one at the last step. In a
# one-layer LSTM that is `x[:, -1]` alone. In a stack it is the lower layer's output at the last
# step, whose forward half has read the whole sequence. Changing only the first step of every
# sequence shows it: `out[:, -1, H:]` stays put in one layer and moves in two:

# %%
x_changed = x.clone()
x_changed[:, 0] += 1.0  # change step 0 only
moved = {
    "1 layer": not torch.equal(layer_0(x_changed)[0][:, -1, hidden_size:], out_0[:, -1, hidden_size:]),
    "2 layers": not torch.equal(bi_lstm(x_changed)[0][:, -1, hidden_size:], out_bi[:, -1, hidden_size:]),
}
for name, changed in moved.items():
    print(f"{name + ':':9} out[:, -1, H:] depends on x[:, 0]: {changed}")
claim_that("out[:, -1, H:] stays put in one layer and moves in two", moved == {"1 layer": False, "2 layers": True})

# %% [markdown]
# So in a stack, `out[:, -1, H:]` does depend on the whole sequence, but only through the lower
# layer; the top backward direction itself has taken one step. It is still not the backward
# summary `h_n[-1]`.

# %% [markdown]
# To summarize a whole sequence with a bidirectional LSTM, a common choice is to concatenate the
# top layer's two final states, `torch.cat([h_n[-2], h_n[-1]], dim=1)` of shape `(N, 2·H_out)`,
# rather than taking `out[:, -1]` (pooling `out` over the steps is another):

# %%
summary = torch.cat([h_n_bi[-2], h_n_bi[-1]], dim=1)
print("summary", tuple(summary.shape))
assert summary.shape == (batch, 2 * hidden_size)
claim_that("the summary is not out[:, -1]", not torch.equal(summary, out_bi[:, -1]))
claim_that(
    "it is cat(out[:, -1, :H], out[:, 0, H:])",
    torch.equal(summary, torch.cat([out_bi[:, -1, :hidden_size], out_bi[:, 0, hidden_size:]], dim=1)),
)

# %% [markdown]
# ## `nn.RNN` and `nn.GRU`: the same shapes, without `c`
#
# The plain RNN and the GRU keep no cell state, so they return `(out, h_n)` instead of
# `(out, (h_n, c_n))`.
# All three also accept an unbatched sequence `(L, H_in)` and then drop the batch dimension from
# every output (`h_n` becomes `(D·num_layers, H_out)`).

# %%
rnn = nn.RNN(input_size, hidden_size, num_layers, batch_first=True)
gru = nn.GRU(input_size, hidden_size, num_layers, batch_first=True)
for layer in (rnn, gru):
    out_r, h_n_r = layer(x)
    out_r_one, h_n_r_one = layer(x[0])  # unbatched
    print(
        f"{type(layer).__name__}: out {tuple(out_r.shape)}, h_n {tuple(h_n_r.shape)}; "
        f"unbatched: out {tuple(out_r_one.shape)}, h_n {tuple(h_n_r_one.shape)}"
    )
    assert out_r.shape == (batch, seq_len, hidden_size) and h_n_r.shape == (num_layers, batch, hidden_size)
    assert out_r_one.shape == (seq_len, hidden_size) and h_n_r_one.shape == (num_layers, hidden_size)
    assert torch.equal(out_r[:, -1], h_n_r[-1])
out_one, (h_n_one, c_n_one) = lstm_bf(x[0])  # one unbatched sequence: (L, H_in)
print(f"LSTM, unbatched: out {tuple(out_one.shape)}, h_n {tuple(h_n_one.shape)}")
assert out_one.shape == (seq_len, hidden_size) and h_n_one.shape == (num_layers, hidden_size)

# %% [markdown]
# Are the unbatched LSTM's numbers those of the batched call's first sequence?

# %% tags=["nbval-ignore-output"]
print(
    f"bit for bit: {torch.equal(out_one, out_bf[0])}; largest difference: "
    f"{(out_one - out_bf[0]).abs().max().item():.2g}"
)
claim_that("the same numbers up to float rounding (torch.allclose)", torch.allclose(out_one, out_bf[0], atol=1e-6))

# %% [markdown]
# PyTorch runs an unbatched call as a batch of one, whose arithmetic need not round like the batch
# of five's; in the committed run the last bits differ, so the check uses
# `torch.allclose`. The `torch.equal` checks above compare computations that were bit-identical on
# the CPU in the committed run (the same kernels on the same numbers); another build may differ. On a GPU, cuDNN may pick other algorithms: compare with
# `torch.allclose` there. The shapes are the same on any device.

# %% [markdown]
# ## Two last cases: a projection, and an unbatched bidirectional sequence
#
# `nn.LSTM(..., proj_size=P)`, with `P < hidden_size`, multiplies each step's `h` by a learned
# `(P, hidden_size)` matrix: `h_0`, `h_n` and each direction of `out` have `P` features, while `c_0`
# and `c_n` keep `hidden_size`. So `H_out` is `P` for `h` and `out`. An unbatched sequence drops `N`
# whatever `D` is, from the states passed in as well as from those returned. Both, with two
# directions and an explicit initial state:

# %%
proj_size = 8  # P < hidden_size; with two directions, out has 2·P = 16 features
bi_projected = nn.LSTM(input_size, hidden_size, num_layers, bidirectional=True, proj_size=proj_size)  # time first
h_0_p = torch.zeros(2 * num_layers, batch, proj_size)  # (D·num_layers, N, P)
c_0_p = torch.zeros(2 * num_layers, batch, hidden_size)  # (D·num_layers, N, hidden_size)
with warnings.catch_warnings():  # torch notes that oneDNN has no projection kernel: a speed remark only
    warnings.filterwarnings("ignore", message="LSTM with projections is not supported with oneDNN")
    out_p, (h_n_p, c_n_p) = bi_projected(x_time_first, (h_0_p, c_0_p))
print("h_0", tuple(h_0_p.shape), "and c_0", tuple(c_0_p.shape), "accepted (PyTorch checks both shapes)")
print(
    f"bidirectional, proj_size={proj_size}: out {tuple(out_p.shape)}, "
    f"h_n {tuple(h_n_p.shape)}, c_n {tuple(c_n_p.shape)}"
)
print("the projection weight_hr_l0:", tuple(bi_projected.weight_hr_l0.shape))
assert bi_projected.weight_hr_l0.shape == (proj_size, hidden_size)  # (P, hidden_size)
assert out_p.shape == (seq_len, batch, 2 * proj_size) and h_n_p.shape == (2 * num_layers, batch, proj_size)  # D·P, P
assert c_n_p.shape == (2 * num_layers, batch, hidden_size)  # c keeps hidden_size
# unbatched, the same layer: no N in the states passed in or in those returned
h_0_one = torch.zeros(2 * num_layers, proj_size)  # (D·num_layers, P)
c_0_one = torch.zeros(2 * num_layers, hidden_size)  # (D·num_layers, hidden_size)
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="LSTM with projections is not supported with oneDNN")
    out_one_p, (h_n_one_p, c_n_one_p) = bi_projected(x_time_first[:, 0], (h_0_one, c_0_one))  # one sequence (L, H_in)
print(
    f"bidirectional, proj_size={proj_size}, unbatched: h_0 {tuple(h_0_one.shape)}, c_0 {tuple(c_0_one.shape)} "
    f"-> out {tuple(out_one_p.shape)}, h_n {tuple(h_n_one_p.shape)}, c_n {tuple(c_n_one_p.shape)}"
)
assert out_one_p.shape == (seq_len, 2 * proj_size)  # (L, D·P)
assert h_n_one_p.shape == (2 * num_layers, proj_size) and c_n_one_p.shape == (2 * num_layers, hidden_size)

# %% [markdown]
# ## Summary
#
# | tensor | default layout | `batch_first=True` |
# |---|---|---|
# | input `x` | `(L, N, H_in)` | `(N, L, H_in)` |
# | `h_0`, `h_n` | `(D·num_layers, N, H_out)` | unchanged |
# | `c_0`, `c_n` | `(D·num_layers, N, hidden_size)` | unchanged |
# | `out` | `(L, N, D·H_out)` | `(N, L, D·H_out)` |
#
# (`H_out` is `hidden_size`, or `proj_size` for an LSTM with a projection. Unbatched: no `N`.)

# %% [markdown]
# - `out` is the last layer at every step; `h_n` is every layer at the last step.
# - One direction: `out[:, -1]` equals `h_n[-1]`. Two directions: for the top layer, `out[:, -1, :H]`
#   is the forward final state `h_n[-2]` and `out[:, 0, H:]` the backward final state `h_n[-1]`;
#   `out[:, -1, H:]` is neither. For packed sequences of different lengths, `out[:, -1]` holds zeros
#   in a row shorter than the longest; where each direction's final state sits then is exercise 2.
#   These index a `batch_first=True` output; time first, they read `out[-1]`, `out[-1, :, :H]`,
#   `out[0, :, H:]` and `out[-1, :, H:]`.
# - The initial state's last size is `H_out` for `h_0` and `hidden_size` for `c_0`, not `input_size`.
# - One step: `c_t = f ⊙ c_{t-1} + i ⊙ g`, `h_t = o ⊙ tanh(c_t)`; `weight_ih_l0` stacks the gates as i, f, g, o.
#
# Next, notebook 01 puts a Linear head on `out[:, -1]` and forecasts the next value of a series.

# %% [markdown]
# ## Exercises
#
# Fill in each function; the line under it checks it on cases of its own and prints `✓` or the first
# failing case, with a hint. `check.<name>.hint()` gives a closer hint each call;
# `check.<name>.solution()` names the solution file.
#
# **1. Predict the shapes** (a few minutes). Return the shapes, as tuples, of `out`, `h_n` and `c_n`
# that `nn.LSTM(input_size, hidden_size, num_layers, bidirectional=..., batch_first=...,
# proj_size=...)` returns for `n` sequences of `length` steps, or for one unbatched sequence when
# `n` is `None` (`proj_size=0`: no projection). A drill: the rules and the shapes printed above
# cover every case; the exercise turns them into one function. The checker compares your shapes with
# real calls, and switches PyTorch's recurrent layers off while your function runs.


# %%
def my_lstm_shapes(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The shapes (as tuples) of out, h_n and c_n; n is None for one unbatched sequence."""
    raise NotImplementedError("your code here")


check.lstm_shapes(my_lstm_shapes)

# %% [markdown]
# **2. The summary of sequences of different lengths.** `out` `(T, N, 2H)` (T ≥ the longest
# length, as `total_length` allows; H = H_out, passed as `hidden_size`) comes from a bidirectional
# LSTM in the default layout, time first, run on packed sequences and padded back to `T` steps
# with zeros. The lengths come as `padding_mask` `(N, T)`, True at padded steps (the convention of
# `nn.Transformer`'s `src_key_padding_mask`, notebook 06). Without `h_n`, return the top layer's two
# final states side by side, `torch.cat([h_n[-2], h_n[-1]], dim=1)` `(N, 2H)`. Does packing move
# where the backward direction ends?


# %%
def my_packed_summary(out, padding_mask, hidden_size):
    """out (T, N, 2H), padding_mask (N, T) bool -> (N, 2H)."""
    raise NotImplementedError("your code here")


check.packed_summary(my_packed_summary)

# %% [markdown]
# **3. One GRU step by hand.** `nn.GRU`'s documentation writes its step with a reset gate `r`, an
# update gate `z` and a new state `n`:
#
# $$
# \begin{array}{ll}
# r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) \\
# z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) \\
# n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})) \\
# h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}
# \end{array}
# $$
#
# `weight_ih_l0`, of shape `(3·hidden_size, input_size)`, stacks `W_ir|W_iz|W_in` in the order r, z,
# n, and `weight_hh_l0` and the biases stack theirs the same way. From `x_t` `(N, H_in)`, `h` `(N, H)`
# and a one-layer `nn.GRU`'s `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, return `h_t`
# `(N, H)`. The checker switches `nn.GRU`, `nn.GRUCell`, `torch.gru` and `torch.gru_cell` off while
# your function runs.


# %%
def my_gru_step(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One GRU step -> h_t."""
    raise NotImplementedError("your code here")


check.gru_step(my_gru_step)

# %% [markdown]
# ## Try next
#
# - With `proj_size=8` and one direction, predict the shape of `weight_hh_l0` (it now reads the projected
#   `h`), and whether `out[:, -1]` still equals `h_n[-1]`; then check.
# - Recompute a whole sequence with your `my_gru_step` in a loop over the steps and compare it with
#   `nn.GRU`'s `out` and `h_n`.

# %% tags=["nbval-ignore-output"]
print(seqtut.runtime.provenance())

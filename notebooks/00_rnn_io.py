# %% [markdown]
# # 00 · What `nn.LSTM` takes and returns
#
# Before we forecast anything, we pin down the shapes that go into and come out of PyTorch's
# recurrent layers (`nn.RNN`, `nn.GRU`, `nn.LSTM`). Most bugs in LSTM code are shape bugs that
# do not raise: a tensor with the right number of elements in the wrong order trains happily
# and learns nothing. So every shape claim below is printed *and* asserted.
#
# Nothing is trained here, and every number is the same on every run.

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import torch
from torch import nn

import seqtut
from seqtut.lstm import ManyToOneLSTM
from seqtut.plots import plot_unrolled_rnn

device = seqtut.setup(recurrent=True)

# %% [markdown]
# This notebook only inspects shapes of tiny tensors, so it builds its layers on the CPU, where
# `torch.equal` compares results bit for bit on every machine. The shapes are the same on any device.
#
# We pick sizes that are all different, so that a shape like `(2, 6, 4)` can only mean one thing:

# %%
seq_len, batch, input_size, hidden_size, num_layers = 6, 2, 3, 4, 2  # L, N, H_in, H_out, layers
print(f"L={seq_len}  N={batch}  H_in={input_size}  H_out={hidden_size}  num_layers={num_layers}")

# %% [markdown]
# ## The input: `(L, N, H_in)` by default, `(N, L, H_in)` with `batch_first=True`
#
# A recurrent layer reads a sequence one time step at a time. By default PyTorch wants the
# **time** dimension first: `(L, N, H_in)` = (sequence length, batch size, features per step).
# The output `out` has the same layout, with `H_out = hidden_size` features per step.

# %%
torch.manual_seed(0)
lstm = nn.LSTM(input_size, hidden_size, num_layers)  # batch_first=False: time comes first
x_time_first = torch.randn(seq_len, batch, input_size)  # (L, N, H_in)
out, (h_n, c_n) = lstm(x_time_first)
print("input", tuple(x_time_first.shape), "-> out", tuple(out.shape), "h_n", tuple(h_n.shape), "c_n", tuple(c_n.shape))
assert out.shape == (seq_len, batch, hidden_size)
assert h_n.shape == c_n.shape == (num_layers, batch, hidden_size)

# %% [markdown]
# Most code (and every model in `seqtut`) keeps the batch first, as a DataLoader delivers it:
# `batch_first=True` makes the layer read and write `(N, L, H_in)` and `(N, L, H_out)`.
# It does **not** change `h_n` and `c_n`: they stay `(num_layers, N, H_out)`, batch in the middle.
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
# A classic silent bug: feeding `(N, L, H_in)` to a layer that expects `(L, N, H_in)`. When
# `N` and `L` differ the LSTM does not complain; it just reads each *batch element* as a time
# step. Here the layer without `batch_first` happily takes our batch-first `x`, reading a
# "sequence" of 2 steps with 6 sequences in the batch:

# %%
out_wrong, (h_n_wrong, _) = lstm(x)  # x is (N, L, H_in), but lstm expects (L, N, H_in)
print("out", tuple(out_wrong.shape), "h_n", tuple(h_n_wrong.shape))
assert out_wrong.shape == (batch, seq_len, hidden_size)  # no error: a 2-step "sequence", batch of 6
assert h_n_wrong.shape == (num_layers, seq_len, hidden_size)  # h_n reveals it: the "batch" is 6

# %% [markdown]
# ## The initial state: `h_0` and `c_0` are `(D·num_layers, N, H_out)`
#
# An LSTM carries two vectors from step to step: the hidden state `h` and the cell state `c`
# (`nn.RNN` and `nn.GRU` only carry `h`). You may pass their starting values; if you do not,
# PyTorch starts from zeros. Both have shape `(D·num_layers, N, H_out)`, where `D` is 2 for a
# bidirectional layer and 1 otherwise: one vector of size `hidden_size` per layer, per
# direction, per sequence in the batch.
#
# Passing zeros explicitly changes nothing:

# %%
h_0 = torch.zeros(num_layers, batch, hidden_size)  # (D*num_layers, N, H_out), D = 1
c_0 = torch.zeros(num_layers, batch, hidden_size)
out_zeros, (h_n_zeros, c_n_zeros) = lstm_bf(x, (h_0, c_0))
print("h_0", tuple(h_0.shape), "c_0", tuple(c_0.shape), "| same as the default:", torch.equal(out_zeros, out_bf))
assert torch.equal(out_zeros, out_bf) and torch.equal(h_n_zeros, h_n_bf) and torch.equal(c_n_zeros, c_n_bf)

# %% [markdown]
# The original tutorial says the last size of `h_0` is `input_size` (H_in). That is wrong: the
# state lives in the layer's hidden space, so its size is `hidden_size` (H_out). The mistake
# goes unnoticed when the two sizes happen to be equal; with H_in = 3 and H_out = 4, PyTorch
# refuses it:

# %% tags=["raises-exception"]
h_0_wrong = torch.zeros(num_layers, batch, input_size)  # (num_layers, N, H_in): the original's shape
lstm_bf(x, (h_0_wrong, h_0_wrong))

# %% [markdown]
# ## The outputs: `out` is every step of the last layer, `h_n` is the last step of every layer
#
# The diagram shows a 2-layer LSTM unrolled over 4 steps. Each box is one layer at one time
# step; it reads the layer below at the same step and its own state from the step before.
#
# - `out` (`(N, L, D·H_out)` with `batch_first`) holds the **top layer** at **every step**: the shaded row.
# - `h_n` and `c_n` (`(D·num_layers, N, H_out)`) hold **every layer** at the **last step**: the orange column.
#
# They share one box: the top layer at the last step.

# %%
plot_unrolled_rnn(length=4, num_layers=2)
plt.show()

# %% [markdown]
# So for a one-directional LSTM, `out[:, -1]` (last step, top layer) and `h_n[-1]` (top layer,
# last step) are the same numbers, exactly. `h_n[0]`, the first layer's final state, appears
# nowhere in `out`, and neither does `c_n`:

# %%
print("out[:, -1]", tuple(out_bf[:, -1].shape), "h_n[-1]", tuple(h_n_bf[-1].shape))
print("out[:, -1] equals h_n[-1]:", torch.equal(out_bf[:, -1], h_n_bf[-1]))
print("out[:, -1] equals h_n[0]: ", torch.equal(out_bf[:, -1], h_n_bf[0]))
assert torch.equal(out_bf[:, -1], h_n_bf[-1])
assert not torch.equal(out_bf[:, -1], h_n_bf[0])
assert torch.equal(out[-1], h_n[-1])  # the same fact in the time-first layout: out[-1] is the last step

# %% [markdown]
# A many-to-one model (notebook 01) reads exactly this vector: `seqtut`'s `ManyToOneLSTM` runs
# its LSTM and puts a Linear head on `out[:, -1]`. We check that the features it reads are its
# LSTM's `h_n[-1]`:

# %%
torch.manual_seed(0)
many_to_one = ManyToOneLSTM(input_size=1, hidden_size=hidden_size, num_layers=num_layers)
window = torch.arange(5.0).reshape(1, 5, 1)  # one window of 5 steps, 1 feature: (N, L, H_in)
with torch.no_grad():
    last_step = many_to_one.features(window)[:, -1]  # out[:, -1]: (N, H_out)
    _, (h_n_model, _) = many_to_one.lstm(window)
    prediction = many_to_one(window)
print("features", tuple(last_step.shape), "| prediction", tuple(prediction.shape))
assert last_step.shape == (1, hidden_size) and prediction.shape == (1, 1)
assert torch.equal(last_step, h_n_model[-1])

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
h_n_by_layer = h_n_bi.view(num_layers, 2, batch, hidden_size)  # (layers, directions, N, H_out)
assert torch.equal(h_n_by_layer[-1, 0], h_n_bi[-2]) and torch.equal(h_n_by_layer[-1, 1], h_n_bi[-1])

# %% [markdown]
# The forward direction finishes at the last step, so its final state is the **first half of
# `out` at the last step**. The backward direction finishes at step 0, so its final state is the
# **second half of `out` at the first step**. The tempting `out[:, -1]` mixes the forward
# direction's final state with the backward direction's *first* step, which has seen one value only:

# %%
forward_final, backward_final = h_n_bi[-2], h_n_bi[-1]  # top layer, both directions
checks = {
    "out[:, -1, :H] == h_n[-2] (forward, last step)": torch.equal(out_bi[:, -1, :hidden_size], forward_final),
    "out[:, 0, H:]  == h_n[-1] (backward, first step)": torch.equal(out_bi[:, 0, hidden_size:], backward_final),
    "out[:, -1, H:] == h_n[-1] (the tempting mistake)": torch.equal(out_bi[:, -1, hidden_size:], backward_final),
}
for name, same in checks.items():
    print(f"{name}: {same}")
assert list(checks.values()) == [True, True, False]

# %% [markdown]
# To summarize a whole sequence with a bidirectional LSTM, concatenate both final states,
# `torch.cat([h_n[-2], h_n[-1]], dim=1)` of shape `(N, 2·H_out)`, rather than taking `out[:, -1]`:

# %%
summary = torch.cat([h_n_bi[-2], h_n_bi[-1]], dim=1)
print("summary", tuple(summary.shape), "| equals out[:, -1]:", torch.equal(summary, out_bi[:, -1]))
assert summary.shape == (batch, 2 * hidden_size) and not torch.equal(summary, out_bi[:, -1])

# %% [markdown]
# ## `nn.RNN` and `nn.GRU`: the same shapes, without `c`
#
# The plain RNN and the GRU keep no cell state, so they return `(out, h_n)` instead of
# `(out, (h_n, c_n))`.
# They also accept an unbatched sequence `(L, H_in)`, as the LSTM does, and then drop the batch
# dimension from every output.

# %%
rnn = nn.RNN(input_size, hidden_size, num_layers, batch_first=True)
gru = nn.GRU(input_size, hidden_size, num_layers, batch_first=True)
for layer in (rnn, gru):
    out_r, h_n_r = layer(x)
    print(f"{type(layer).__name__}: out {tuple(out_r.shape)}, h_n {tuple(h_n_r.shape)}")
    assert out_r.shape == (batch, seq_len, hidden_size) and h_n_r.shape == (num_layers, batch, hidden_size)
    assert torch.equal(out_r[:, -1], h_n_r[-1])
out_one, (h_n_one, c_n_one) = lstm_bf(x[0])  # one unbatched sequence: (L, H_in)
print(f"LSTM, unbatched: out {tuple(out_one.shape)}, h_n {tuple(h_n_one.shape)}")
assert out_one.shape == (seq_len, hidden_size) and h_n_one.shape == (num_layers, hidden_size)
assert torch.allclose(out_one, out_bf[0], atol=1e-6)  # the same numbers, up to float rounding

# %% [markdown]
# ## Summary
#
# | tensor | default layout | `batch_first=True` |
# |---|---|---|
# | input `x` | `(L, N, H_in)` | `(N, L, H_in)` |
# | `h_0`, `c_0`, `h_n`, `c_n` | `(D·num_layers, N, H_out)` | unchanged |
# | `out` | `(L, N, D·H_out)` | `(N, L, D·H_out)` |
#
# - `out` is the last layer at every step; `h_n` is every layer at the last step.
# - One direction: `out[:, -1]` equals `h_n[-1]`. Two directions: the forward half of `out[:, -1]`
#   is `h_n[-2]`, the backward half of `out[:, 0]` is `h_n[-1]`.
# - The initial state has `hidden_size` features, not `input_size`.
#
# Next, notebook 01 puts a Linear head on `out[:, -1]` and forecasts the next value of a series.

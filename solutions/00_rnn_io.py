# %% [markdown]
# # Solutions to notebook 00's exercises

# %%
import torch

# %% [markdown]
# ## 1. The shapes of an `nn.LSTM` call
#
# `D` is 2 for a bidirectional layer, 1 otherwise. `out` holds the top layer at every step, both
# directions side by side, so its last size is `D·H_out`; `batch_first` only swaps its first two
# dimensions. `h_n` and `c_n` hold one vector per layer and direction, `(D·num_layers, N, H_out)`,
# whatever `batch_first` says.


# %%
def my_lstm_shapes(batch_first, num_layers, bidirectional, n, length, h_in, h_out):
    """The shapes (as tuples) of out, h_n and c_n for an nn.LSTM(h_in, h_out, num_layers, ...) call."""
    d = 2 if bidirectional else 1
    out = (n, length, d * h_out) if batch_first else (length, n, d * h_out)
    state = (d * num_layers, n, h_out)
    return out, state, state


# %% [markdown]
# ## 2. A bidirectional summary from `out` alone
#
# The forward direction finishes at the last step: its final state is the first half of `out[:, -1]`.
# The backward direction runs from the last step to step 0, so its final state is the second half of
# `out[:, 0]`. `out[:, -1]` pairs the forward final state with the backward direction after one step.


# %%
def my_bidirectional_summary(out, hidden_size):
    """out (N, L, 2H) of a bidirectional batch-first LSTM -> cat(h_n[-2], h_n[-1]) (N, 2H)."""
    return torch.cat([out[:, -1, :hidden_size], out[:, 0, hidden_size:]], dim=1)


# %% [markdown]
# ## 3. One LSTM step by hand
#
# Both weight matrices stack four blocks of `H` rows in the order i, f, g, o, so one matrix product
# gives all four pre-activations at once; `chunk(4, dim=1)` cuts them apart. The gates use the
# sigmoid, the candidate `g` uses tanh, and `h_t` reads the new cell state through tanh.


# %%
def my_lstm_step(x_t, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    """x_t (N, H_in), h and c (N, H), nn.LSTM's stacked weights and biases -> (h_t, c_t), each (N, H)."""
    gates = x_t @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh  # (N, 4H)
    i, f, g, o = gates.chunk(4, dim=1)
    c_t = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_t = torch.sigmoid(o) * torch.tanh(c_t)
    return h_t, c_t

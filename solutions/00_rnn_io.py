# %% [markdown]
# # Solutions to notebook 00's exercises

# %%
import torch

# %% [markdown]
# ## 1. Predict the shapes
#
# Three sizes decide everything. `D` is 2 for a bidirectional layer, 1 otherwise. `h` carries
# `H_out` features: `proj_size` when there is a projection, `hidden_size` otherwise; `c` always
# carries `hidden_size` (the projection multiplies `h` only). `out` holds the top layer at every
# step, both directions side by side, so `D·H_out` features; `h_n` and `c_n` hold one vector per
# layer and direction. `batch_first` swaps the first two sizes of the input and of `out`, never of
# the states. An unbatched input is `(L, H_in)` whatever `batch_first` says, and every output
# drops `N`.


# %%
def my_lstm_shapes(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The shapes (tuples) of out, h_n and c_n of nn.LSTM(input_size, hidden_size, ...); n None: unbatched."""
    d = 2 if bidirectional else 1
    h_out = proj_size if proj_size > 0 else hidden_size
    steps = (length,) if n is None else (n, length) if batch_first else (length, n)
    per_sequence = () if n is None else (n,)
    return (
        (*steps, d * h_out),
        (d * num_layers, *per_sequence, h_out),
        (d * num_layers, *per_sequence, hidden_size),
    )


# %% [markdown]
# ## 2. The bidirectional summary of padded sequences
#
# First the lengths: `padding_mask` is True at padded steps, so a sequence's length is its number of
# False entries. With packed sequences each direction stops at the sequence's own ends. The forward
# direction reads steps 0 to `lengths[i] - 1`, so its final state is the first half of `out` at step
# `lengths[i] - 1`; beyond that step `out` holds padding, zeros. Packing starts the backward
# direction at step `lengths[i] - 1`, not at the padding, and it ends at step 0, so its final state
# is the second half of `out` at step 0, for every length. `out` is time first: `out[t, i]` is
# sequence `i` at step `t`. One gather per half, a step index beside a sequence index:


# %%
def my_packed_summary(out, padding_mask, hidden_size):
    """out (T, N, 2H) of packed sequences, padded, time first; padding_mask (N, T), True at padding
    -> cat(h_n[-2], h_n[-1]) (N, 2H)."""
    lengths = (~padding_mask).sum(dim=1)
    sequences = torch.arange(out.shape[1])
    forward_end = out[lengths - 1, sequences, :hidden_size]
    backward_end = out[0, :, hidden_size:]
    return torch.cat([forward_end, backward_end], dim=1)


# %% [markdown]
# ## 3. One GRU step by hand
#
# `nn.GRU` stacks three blocks of `H` rows, in the order r (reset), z (update), n (new). Keep the
# input's and the state's products apart: r and z are sigmoids of their sums, but n applies r to the
# state's block, bias included: `r ⊙ (W_hn h + b_hn)`. PyTorch's documentation says this differs from
# "the original paper"; the GRU paper (Cho et al. 2014, arXiv 1406.1078) has both forms. Its first
# version, v1, applies r after the product, as PyTorch does; its v3 applies r to `h` before it,
# `W_hn (r ⊙ h)`, the form of Keras's `reset_after=False`. Then `z` decides how much of the old state
# to keep: `h_t = (1 − z) ⊙ n + z ⊙ h`.


# %%
def my_gru_step(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """x_t (N, H_in), h (N, H), nn.GRU's stacked weights and biases -> h_t (N, H)."""
    from_input = torch.nn.functional.linear(x_t, weight_ih, bias_ih).chunk(3, dim=-1)
    from_state = torch.nn.functional.linear(h, weight_hh, bias_hh).chunk(3, dim=-1)
    reset = torch.sigmoid(from_input[0] + from_state[0])
    update = torch.sigmoid(from_input[1] + from_state[1])
    new = torch.tanh(from_input[2] + reset * from_state[2])
    return (1 - update) * new + update * h

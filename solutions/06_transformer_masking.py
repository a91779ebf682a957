# %% [markdown]
# # Solutions to notebook 06's exercises

# %%
import torch

# %% [markdown]
# ## 1. Token values to ids
#
# Ids 0, 1 and 2 are taken by PAD, SOS and EOS, so every token moves up by the three specials:
# token t gets id t + 3, and token 0 (id 3) can never be mistaken for PAD. The decoder learns
# where a sequence starts and ends only if every sequence is wrapped the same way: SOS first,
# EOS last, even around an empty one.


# %%
def my_encode_tokens(tokens):
    """Token values (ints 0..999) -> ids: SOS, t + 3 for each token t, EOS."""
    return [1, *(t + 3 for t in tokens), 2]


# %% [markdown]
# ## 2. The causal mask
#
# Rows are queries, columns keys. Query i may read keys 0..i, itself included, and must not read
# the keys j > i that come after it: True strictly above the diagonal, which is what
# `triu(diagonal=1)` keeps of a matrix of ones. `diagonal=0` would hide each position from
# itself (and leave row 0 hiding every key); `tril` would hide the past instead of the future.


# %%
def my_causal_mask(size):
    """(size, size) bool: True where a query may not look (at later keys)."""
    return torch.ones(size, size, dtype=torch.bool).triu(diagonal=1)


# %% [markdown]
# ## 3. The padding mask
#
# A key padding mask has one flag per key: True where that id is PAD. It is a comparison of each
# id with `pad_id`, element by element, so it needs neither lengths nor positions, and it stays
# right when PAD sits in the middle of a row or when PAD's id is not 0.


# %%
def my_padding_mask(tokens, pad_id):
    """tokens (N, L) of ids -> (N, L) bool, True exactly where the id is pad_id."""
    return tokens == pad_id

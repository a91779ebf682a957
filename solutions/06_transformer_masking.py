# %% [markdown]
# # Solutions · 06 · The Transformer's masks
#
# Each function below passes its checker in `notebooks/06_transformer_masking.ipynb`
# (`check.<exercise>(my_<exercise>)`). Try the exercise before reading its solution.

# %%
import torch

# %% [markdown]
# ## 1. A padding mask from lengths, right or left
#
# No ids to compare with PAD's: the mask comes from positions alone. A row of n ids padded to
# `length` holds its ids at n positions and PAD at the other `length - n`: from position n on when
# padded at the end, before position `length - n` when padded at the start. One comparison of a
# row of positions (1, length) with a column of borders (N, 1) broadcasts to the whole (N, length)
# mask, already bool. From ids, one comparison with PAD's id serves either side; from lengths, the
# side decides where the border lies. In attention, the side decides which queries can hide every
# key (exercise 3, and section 5).


# %%
def my_padding_from_lengths(lengths, length, left):
    """lengths (N,), rows padded to `length` at the start (left) or the end -> (N, length) bool, True at PAD."""
    positions = torch.arange(length).unsqueeze(0)  # (1, length)
    if left:
        return positions < (length - lengths).unsqueeze(1)  # PAD before the ids
    return positions >= lengths.unsqueeze(1)  # PAD after the ids


# %% [markdown]
# ## 2. A sliding-window causal mask
#
# Key j lies `i - j` positions before query i. It is hidden when it is in the future (`i - j < 0`,
# the causal mask of section 3) or too far back (`i - j >= window`): query i then reads the keys
# from `i - window + 1` (or 0, near the start) to itself, at most `window` of them. With
# `window >= size` nothing is too far back and the mask is the plain causal one. In a stack of such
# layers a position still gets information from further back: each layer reaches `window - 1`
# positions further.


# %%
def my_local_causal_mask(size, window):
    """(size, size) bool: True where query i may not read key j (j > i, or j <= i - window)."""
    back = torch.arange(size).unsqueeze(1) - torch.arange(size).unsqueeze(0)  # (size, size): i - j
    return (back < 0) | (back >= window)


# %% [markdown]
# ## 3. The rows that hide every key
#
# In decoder self-attention, sequence n's query i may read key j when neither the window mask
# nor the key padding mask hides it: the two combine with "or", the key padding mask (N, L) as
# (N, 1, L), the same for every query. A row hides every key when all its L entries are True. One
# way is to build that (N, L, L) mask and ask, per row, whether all of it is True. The function
# below looks at each query's window directly: query i hides every key when the keys
# `i - window + 1` to `i` are all PAD, keys before position 0 counting as hidden (there are none to
# read). Flags of True put in front of the row fill those places, and `unfold` lists, for each
# query, the `window` flags that end at it.
#
# With a plain causal mask and right padding no row hides every key (SOS stays visible); with
# left padding, the leading PAD queries do; with a window, right padding no longer helps: a PAD
# query `window` or more positions after the last real id sees only PAD. These rows get NaN or the
# output projection's bias alone, by torch version, mask dtype and code path (section 5), and at
# the next layer a hidden key's NaN can reach other rows (0 times NaN is NaN): with a window,
# right padding alone does not keep a batch safe.


# %%
def my_rows_hiding_every_key(tokens, pad_id, window):
    """tokens (N, L) -> (N, L) bool: True at the query rows whose every key is hidden (window mask | key padding)."""
    is_pad = tokens == pad_id  # (N, L): the keys the padding mask hides
    before = torch.ones(len(tokens), window - 1, dtype=torch.bool)  # keys before position 0: nothing to read
    windows = torch.cat([before, is_pad], dim=1).unfold(1, window, 1)  # (N, L, window): the keys each query may see
    return windows.all(dim=-1)

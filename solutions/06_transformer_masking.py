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
# ## 3. The rows that hide every key, in SDPA's convention
#
# Query i of row n can read key j when two things hold: `allowed` lets it attend there (SDPA's
# convention, True = may attend, the opposite of `nn.Transformer`'s) and key j holds an id. So the
# question is about "and", not "or": a row hides every key when no key passes both. First the
# keys that hold ids: exercise 1's borders, but the side is chosen per row, so both borders are
# computed and `torch.where` picks one per row. Then the key flags, as (N, 1, L), combine with an
# (L, L) `allowed` (broadcast to every row) or an (N, L, L) one alike, and `any` over the keys asks
# whether a row has something to read.
#
# The prediction: with a causal mask, right padding keeps every row of a sequence that holds at
# least one id safe (key 0 holds an id, SOS here, and every query may attend to it); a sequence with
# no ids hides every key from every query, whichever side it is padded on (case 9). Left padding
# leaves the leading PAD queries with nothing. With a window of 2, right padding no longer helps: a
# PAD query 2 or more positions after the last id sees only PAD (case 4). These rows get NaN or the
# output projection's bias alone, by torch version and code path (section 5), and at the next layer
# a hidden key's NaN can reach every row of its sequence (0 times NaN is NaN): with a window, right
# padding alone does not keep a batch safe.


# %%
def my_rows_hiding_every_key(allowed, lengths, left):
    """allowed (L, L) or (N, L, L), True = may attend; lengths (N,); left (N,) -> (N, L) bool, True: nothing to read."""
    length = allowed.shape[-1]
    positions = torch.arange(length).unsqueeze(0)  # (1, L)
    holds_id = torch.where(  # (N, L): the keys that hold ids, each row padded on its own side
        left.unsqueeze(1), positions >= (length - lengths).unsqueeze(1), positions < lengths.unsqueeze(1)
    )
    return ~(allowed & holds_id.unsqueeze(1)).any(dim=-1)  # (N, L, L) -> (N, L)

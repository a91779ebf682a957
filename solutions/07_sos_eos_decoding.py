# %% [markdown]
# # Solutions · 07 · SOS, EOS and greedy decoding
#
# Each function below passes its checker in `notebooks/07_sos_eos_decoding.ipynb`
# (`check.<exercise>(my_<exercise>)`). Try the exercise before reading its solution.

# %%
import torch

# %% [markdown]
# ## 1. Exact match on rows as written
#
# A row is right when it wrote EOS and what it wrote before its first EOS is the target, length
# included. Nothing is dropped before the comparison: a PAD written where a token belongs stays
# and makes the row wrong, where `vocab.decode` would strip it and score the row right. A row that
# never wrote EOS was stopped by `max_len`, not by the model: wrong even when its ids match.


# %%
def my_exact_match_raw(written, targets, eos_id):
    """The fraction of rows that wrote exactly their target, then EOS (rows as written: EOS and PAD kept)."""
    right = 0
    for row, target in zip(written, targets):
        if eos_id in row:
            right += row[: row.index(eos_id)] == target
    return right / len(targets)


# %% [markdown]
# ## 2. The teacher-forcing pair of the reversal task
#
# Build each target row whole, as the decoder sees it in training: SOS, the source's digits in
# reverse order as ids (digit d is id d + 3), EOS, then PAD up to the longest row: longest + 2
# columns. The decoder reads all but the last column and must output all but the first: at each
# position the id after the one it reads. A shorter row reads its own EOS and then PAD, and must
# output PAD there, which the loss ignores. The special ids come from the arguments, so the
# function works for any vocabulary layout (`Vocab`'s are fixed: PAD 0, SOS 1, EOS 2).


# %%
def my_reversal_pair(sources, pad_id, sos_id, eos_id):
    """Digit lists -> (decoder input, expected output), long tensors (N, longest + 1), for reversing them."""
    longest = max(len(source) for source in sources)
    rows = []
    for source in sources:
        ids = [digit + 3 for digit in reversed(source)]
        rows.append([sos_id, *ids, eos_id] + [pad_id] * (longest - len(source)))
    whole = torch.tensor(rows)  # (N, longest + 2)
    return whole[:, :-1], whole[:, 1:]


# %% [markdown]
# ## 3. Greedy decoding that stops feeding finished rows
#
# Keep the prefix of the rows still going, their batch indices, and one list per batch row. Each
# step: one call with every row still going, the argmax per row, each new id appended to its
# row's list unless it is EOS; then keep only the rows that did not write EOS, in the prefix and
# the indices alike. The loop ends when no row is left or after `max_len` new tokens. Compared
# with `greedy_decode`, a finished row costs nothing more; the price is the bookkeeping of which
# prefix row is which batch row (a real model needs it to pick each row's memory and source).


# %%
def my_shrinking_greedy(step_fn, batch, sos_id, eos_id, max_len):
    """Each row's ids before its EOS; step_fn(prefix (n, t), rows (n,)) scores the next id of the n rows still going."""
    written = [[] for _ in range(batch)]
    rows = list(range(batch))  # the batch rows still going, in the order of the prefix's rows
    prefix = torch.full((batch, 1), sos_id)
    while rows and prefix.shape[1] <= max_len:  # the prefix holds SOS and the new tokens so far
        new = step_fn(prefix, torch.tensor(rows)).argmax(dim=-1).tolist()
        keep = [position for position, token in enumerate(new) if token != eos_id]
        for position in keep:
            written[rows[position]].append(new[position])
        prefix = torch.cat([prefix, torch.tensor(new).view(-1, 1)], dim=1)[keep]
        rows = [rows[position] for position in keep]
    return written

# %% [markdown]
# # Solutions · 07 · SOS, EOS and greedy decoding
#
# Each function below passes its checker in `notebooks/07_sos_eos_decoding.ipynb`
# (`check.<exercise>(my_<exercise>)`). Try the exercise before reading its solution.

# %%
from collections.abc import Callable

import torch

# %% [markdown]
# ## 1. Exact match and token accuracy
#
# Exact match asks for the whole sequence, length included, so a list comparison does it.
# Token accuracy compares position by position and divides by the number of *target* tokens,
# pooled over every sequence: a decoded sequence that stops early loses its missing tokens,
# and one that runs on gains nothing from its extra ones (`seqtut.metrics.token_accuracy`).


# %%
def my_exact_and_token_accuracy(decoded: list[list[int]], targets: list[list[int]]) -> tuple[float, float]:
    """(fraction of sequences exactly right, fraction of target tokens matched at their position)."""
    exact = sum(d == t for d, t in zip(decoded, targets)) / len(targets)
    hits = sum(a == b for d, t in zip(decoded, targets) for a, b in zip(d, t))
    return exact, hits / sum(len(t) for t in targets)


# %% [markdown]
# ## 2. The teacher-forcing shift
#
# Put SOS in front of every row; the result has T + 1 columns. The decoder reads all of it but
# the last column, and must output all of it but the first: at position t it reads the token
# before the one it must write. Both keep the shape (N, T). The longest row loses its EOS from
# the input (nothing comes after it to predict) but keeps it in the expected output, so the model
# learns when to stop. Shorter rows read their EOS and PAD; their PAD targets are ignored by the loss.


# %%
def my_teacher_forcing_pair(target: torch.Tensor, sos_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Decoder input (N, T), SOS first, and expected output (N, T) from targets (N, T) ending with EOS, PAD."""
    sos = torch.full((len(target), 1), sos_id, dtype=target.dtype)
    full = torch.cat([sos, target], dim=1)  # (N, T + 1): SOS, tokens, EOS, PAD
    return full[:, :-1], full[:, 1:]


# %% [markdown]
# ## 3. Greedy decoding that stops each row at its EOS
#
# Keep the prefix (N, t) and a `done` flag per row. Each step: take the argmax of the next-token
# scores, write PAD instead in rows already done, append, and mark rows that just wrote EOS as
# done. Stop when every row is done or after `max_len` new tokens. Finally cut each row at its
# first EOS and drop SOS: what is left is what the row wrote.


# %%
def my_greedy_decode(
    step_fn: Callable[[torch.Tensor], torch.Tensor], batch: int, sos_id: int, eos_id: int, pad_id: int, max_len: int
) -> list[list[int]]:
    """Ids each of `batch` rows writes before its EOS; step_fn(prefix (N, t)) -> next-token logits (N, V)."""
    prefix = torch.full((batch, 1), sos_id, dtype=torch.long)
    done = torch.zeros(batch, dtype=torch.bool)
    for _ in range(max_len):
        next_id = step_fn(prefix).argmax(dim=-1).masked_fill(done, pad_id)
        prefix = torch.cat([prefix, next_id.unsqueeze(1)], dim=1)
        done |= next_id == eos_id
        if done.all():
            break
    rows = []
    for row in prefix[:, 1:].tolist():
        rows.append(row[: row.index(eos_id)] if eos_id in row else row)
    return rows

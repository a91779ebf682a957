"""Attention masks in the convention of `nn.MultiheadAttention` and `nn.Transformer`: True means "may NOT attend".

Beware: `F.scaled_dot_product_attention` reads a boolean mask the other way (True = "may attend").
`causal_mask` hides future positions from the decoder; `padding_mask` hides PAD tokens.
A float mask works too (-inf where hidden, 0 elsewhere). A row that hides every key, with either kind,
leaves softmax nothing to normalise (0/0): the explicit softmax and `nn.MultiheadAttention`'s fused
fast path, which first subtract the row's maximum, compute -inf - (-inf) = NaN; SDPA since
pytorch#133882 (torch 2.13 here) gives zeros, so the output projection's bias alone: wrong either way
(notebook 06, section 5). With right-padded sequences that start with a real token (SOS), no row here
hides every key.
"""

from __future__ import annotations

import torch


def causal_mask(size: int, device: torch.device | str | None = None) -> torch.Tensor:
    """Mask out subsequent positions: (size, size), True strictly above the diagonal."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValueError(f"size: expected a positive int, got {size!r}")
    return torch.ones(size, size, dtype=torch.bool, device=device).triu(diagonal=1)


def padding_mask(ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Mask out padding: ids (N, L) -> (N, L), True where `ids == pad_id`."""
    if not isinstance(ids, torch.Tensor) or ids.ndim != 2:
        shape = tuple(ids.shape) if isinstance(ids, torch.Tensor) else type(ids).__name__
        raise ValueError(f"ids: expected a 2-D tensor (batch, length), got {shape}")
    return ids == pad_id


def format_mask(mask: torch.Tensor, hidden: str = "x", visible: str = ".") -> str:
    """Draw a boolean mask (rows, cols) as text: `hidden` where True, `visible` where False."""
    if mask.ndim != 2 or mask.dtype != torch.bool:
        raise ValueError(f"mask: expected a 2-D bool tensor, got {mask.dtype} of shape {tuple(mask.shape)}")
    return "\n".join(" ".join(hidden if v else visible for v in row) for row in mask.tolist())

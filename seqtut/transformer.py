"""A token-to-token Transformer: embeddings + sinusoidal positions around `nn.Transformer`.

Shapes: N sequences, S source positions, T target positions, D = d_model, V = vocab size.
`forward(src (N, S), tgt_in (N, T)) -> logits (N, T, V)`; `tgt_in` starts with SOS.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from seqtut.masks import causal_mask, padding_mask


class PositionalEncoding(nn.Module):
    """Add sin/cos position codes: pe[p, 2i] = sin(p / 10000^(2i/D)), pe[p, 2i+1] = cos(...).

    Attention is a weighted sum, blind to order: without these codes, permuting the
    source permutes the encoder's output the same way and nothing else.
    """

    def __init__(self, d_model: int, max_len: int = 512) -> None:
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)  # (max_len, 1)
        frequency = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))  # (D/2,)
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(position * frequency)
        pe[:, 1::2] = torch.cos(position * frequency[: d_model // 2])
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] > len(self.pe):
            raise ValueError(f"x: expected at most max_len = {len(self.pe)} positions, got {x.shape[1]}")
        return x + self.pe[: x.shape[1]]  # (N, L, D) + (L, D)


class Seq2SeqTransformer(nn.Module):
    """Encoder-decoder Transformer over token ids with padding and causal masks built inside."""

    def __init__(
        self,
        vocab_size: int,
        d_model: int = 64,
        nhead: int = 4,
        num_encoder_layers: int = 2,
        num_decoder_layers: int = 2,
        dim_feedforward: int = 128,
        dropout: float = 0.1,
        pad_id: int = 0,
        max_len: int = 512,
        positional: bool = True,
        norm_first: bool = False,
    ) -> None:
        super().__init__()
        if d_model % nhead:
            raise ValueError(f"d_model: expected a multiple of nhead = {nhead}, got {d_model}")
        if d_model % 2:
            raise ValueError(f"d_model: expected an even number (sin/cos pairs), got {d_model}")
        if not 0 <= pad_id < vocab_size:
            raise ValueError(f"pad_id: expected an id in 0..{vocab_size - 1}, got {pad_id}")
        self.config = dict(
            vocab_size=vocab_size,
            d_model=d_model,
            nhead=nhead,
            num_encoder_layers=num_encoder_layers,
            num_decoder_layers=num_decoder_layers,
            dim_feedforward=dim_feedforward,
            dropout=dropout,
            pad_id=pad_id,
            max_len=max_len,
            positional=positional,
            norm_first=norm_first,
        )
        self.vocab_size, self.d_model, self.pad_id = vocab_size, d_model, pad_id
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.position = PositionalEncoding(d_model, max_len) if positional else nn.Identity()
        # The encoder is built here only to switch off its nested-tensor shortcut (a prototype torch API
        # that warns); the layers, their names in the state dict and the results are nn.Transformer's own.
        encoder_layer = nn.TransformerEncoderLayer(
            d_model, nhead, dim_feedforward, dropout, batch_first=True, norm_first=norm_first
        )
        encoder = nn.TransformerEncoder(
            encoder_layer, num_encoder_layers, nn.LayerNorm(d_model), enable_nested_tensor=False
        )
        self.transformer = nn.Transformer(
            d_model,
            nhead,
            num_encoder_layers,
            num_decoder_layers,
            dim_feedforward,
            dropout,
            custom_encoder=encoder,
            batch_first=True,
            norm_first=norm_first,
        )
        self.head = nn.Linear(d_model, vocab_size)

    def check_ids(self, ids: torch.Tensor, name: str) -> None:
        """Raise unless `ids` is a (N, L) integer tensor of ids in the vocabulary."""
        if not isinstance(ids, torch.Tensor) or ids.ndim != 2 or ids.dtype not in (torch.long, torch.int):
            got = f"{ids.dtype} of shape {tuple(ids.shape)}" if isinstance(ids, torch.Tensor) else type(ids).__name__
            raise ValueError(f"{name}: expected integer ids of shape (batch, length), got {got}")
        if ids.numel() and (ids.min() < 0 or ids.max() >= self.vocab_size):
            bad = ids[(ids < 0) | (ids >= self.vocab_size)][0].item()
            raise ValueError(f"{name}: expected ids in 0..{self.vocab_size - 1}, got {bad}")

    def embed_ids(self, ids: torch.Tensor) -> torch.Tensor:
        """Ids (N, L) -> embeddings scaled by sqrt(D) plus positions, (N, L, D)."""
        return self.position(self.embed(ids) * math.sqrt(self.d_model))

    def encode(self, src: torch.Tensor) -> torch.Tensor:
        """Source ids (N, S) -> memory (N, S, D); PAD positions are masked out of attention."""
        self.check_ids(src, "src")
        return self.transformer.encoder(self.embed_ids(src), src_key_padding_mask=padding_mask(src, self.pad_id))

    def decode(self, tgt_in: torch.Tensor, memory: torch.Tensor, src: torch.Tensor) -> torch.Tensor:
        """Decoder ids (N, T) reading `memory` of `src` -> next-token logits (N, T, V)."""
        self.check_ids(tgt_in, "tgt_in")
        hidden = self.transformer.decoder(
            self.embed_ids(tgt_in),
            memory,
            tgt_mask=causal_mask(tgt_in.shape[1], tgt_in.device),  # (T, T): no peeking ahead
            tgt_key_padding_mask=padding_mask(tgt_in, self.pad_id),  # (N, T)
            memory_key_padding_mask=padding_mask(src, self.pad_id),  # (N, S)
        )
        return self.head(hidden)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        return self.decode(tgt_in, self.encode(src), src)

    @torch.no_grad()
    def cross_attention(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Last decoder layer's attention from target to source, averaged over heads: (N, T, S)."""
        memory = self.encode(src)
        x = self.embed_ids(tgt_in)
        masks = dict(
            tgt_mask=causal_mask(tgt_in.shape[1], tgt_in.device),
            tgt_key_padding_mask=padding_mask(tgt_in, self.pad_id),
            memory_key_padding_mask=padding_mask(src, self.pad_id),
        )
        *early, last = self.transformer.decoder.layers
        for layer in early:
            x = layer(x, memory, **masks)
        # Replay the last layer's self-attention block as nn.TransformerDecoderLayer does (post- or pre-norm).
        read = last.norm1(x) if last.norm_first else x
        attended = last.self_attn(
            read,
            read,
            read,
            attn_mask=masks["tgt_mask"],
            key_padding_mask=masks["tgt_key_padding_mask"],
            need_weights=False,
        )[0]
        x = x + last.dropout1(attended) if last.norm_first else last.norm1(x + last.dropout1(attended))
        query = last.norm2(x) if last.norm_first else x
        _, weights = last.multihead_attn(
            query,
            memory,
            memory,
            key_padding_mask=masks["memory_key_padding_mask"],
            need_weights=True,
            average_attn_weights=True,
        )
        return weights

    @torch.no_grad()
    def decode_next(
        self, tgt_in: torch.Tensor, memory: torch.Tensor, src: torch.Tensor, cache: dict | None = None
    ) -> tuple[torch.Tensor, dict]:
        """The next token's logits (N, V) after `tgt_in` (N, T), computing only position T-1.

        The same numbers as `decode(tgt_in, memory, src)[:, -1]` (up to float rounding), for
        one position's work instead of T: `cache` (None at T = 1, then what the previous call
        returned) keeps every decoder layer's keys and values of positions 0..T-2, and the
        projected source memory. Greedy decoding calls it once per new token. Evaluation
        only: dropout is not applied.
        """
        self.check_ids(tgt_in, "tgt_in")
        step = tgt_in.shape[1] - 1
        cache = cache if cache is not None else {"step": 0, "self": [], "cross": []}
        if cache["step"] != step:
            raise ValueError(
                f"cache: expected a cache of {step} positions for tgt_in of length {step + 1}, got {cache['step']}"
            )
        x = self.embed(tgt_in[:, -1:]) * math.sqrt(self.d_model)  # (N, 1, D)
        if isinstance(self.position, PositionalEncoding):
            limit = len(self.position.pe)
            if step >= limit:
                raise ValueError(f"tgt_in: expected at most max_len = {limit} positions, got {step + 1}")
            x = x + self.position.pe[step]
        hidden_targets = padding_mask(tgt_in, self.pad_id)  # (N, T): PAD keys stay hidden
        hidden_sources = padding_mask(src, self.pad_id)  # (N, S)
        for index, layer in enumerate(self.transformer.decoder.layers):
            read = layer.norm1(x) if layer.norm_first else x
            keys, values = _project(layer.self_attn, read, parts=(1, 2))
            if step:
                keys = torch.cat([cache["self"][index][0], keys], dim=1)
                values = torch.cat([cache["self"][index][1], values], dim=1)
                cache["self"][index] = (keys, values)
            else:
                cache["self"].append((keys, values))
            attended = _attend(layer.self_attn, read, keys, values, hidden_targets)
            x = x + attended if layer.norm_first else layer.norm1(x + attended)
            if not step:
                cache["cross"].append(_project(layer.multihead_attn, memory, parts=(1, 2)))
            read = layer.norm2(x) if layer.norm_first else x
            attended = _attend(layer.multihead_attn, read, *cache["cross"][index], hidden_sources)
            x = x + attended if layer.norm_first else layer.norm2(x + attended)
            read = layer.norm3(x) if layer.norm_first else x
            fed = layer.linear2(layer.activation(layer.linear1(read)))
            x = x + fed if layer.norm_first else layer.norm3(x + fed)
        if self.transformer.decoder.norm is not None:
            x = self.transformer.decoder.norm(x)
        cache["step"] = step + 1
        return self.head(x[:, 0]), cache


def _project(attention: nn.MultiheadAttention, x: torch.Tensor, parts: tuple[int, ...]) -> tuple[torch.Tensor, ...]:
    """Apply the query (0), key (1) or value (2) projections of `attention` to x (N, L, D)."""
    weights = attention.in_proj_weight.chunk(3)
    biases = attention.in_proj_bias.chunk(3)
    return tuple(nn.functional.linear(x, weights[part], biases[part]) for part in parts)


def _attend(
    attention: nn.MultiheadAttention, x: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, hidden: torch.Tensor
) -> torch.Tensor:
    """Multi-head attention of queries from x (N, 1, D) over projected keys/values (N, L, D); hidden (N, L)."""
    (query,) = _project(attention, x, parts=(0,))
    n, length, d = keys.shape
    heads = attention.num_heads

    def split(t: torch.Tensor) -> torch.Tensor:  # (N, L, D) -> (N, heads, L, D / heads)
        return t.view(n, -1, heads, d // heads).transpose(1, 2)

    visible = ~hidden[:, None, None, :]  # (N, 1, 1, L): True where attention may look
    out = nn.functional.scaled_dot_product_attention(split(query), split(keys), split(values), attn_mask=visible)
    return attention.out_proj(out.transpose(1, 2).reshape(n, 1, d))

"""A token-to-token Transformer: embeddings + sinusoidal positions around `nn.Transformer`.

Shapes: N sequences, S source positions, T target positions, D = d_model, V = vocab size.
`forward(src (N, S), tgt_in (N, T)) -> logits (N, T, V)`; `tgt_in` starts with SOS.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from seqtut.checks import positive_int
from seqtut.config import records_config
from seqtut.masks import causal_mask, padding_mask


class PositionalEncoding(nn.Module):
    """Add sin/cos position codes: pe[p, 2i] = sin(p / 10000^(2i/D)), pe[p, 2i+1] = cos(...).

    Attention is a weighted sum, blind to order: without these codes, permuting the
    source permutes the encoder's output the same way and nothing else.
    """

    def __init__(self, d_model: int, max_len: int = 512) -> None:
        super().__init__()
        positive_int(d_model, "d_model")
        positive_int(max_len, "max_len")
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
    """Encoder-decoder Transformer over token ids with padding and causal masks built inside.

    `scale_embedding=True` multiplies the embeddings by sqrt(D) before adding the position codes
    (Vaswani et al., 2017, section 3.4). It is off by default: `nn.Embedding` draws N(0, 1), so a
    token's norm is already about sqrt(D), and scaling it makes the position codes about sqrt(D)
    times lighter in comparison (notebook 06). A checkpoint records the value it was trained with.
    """

    @records_config
    def __init__(
        self,
        vocab_size: int,
        d_model: int = 64,
        nhead: int = 4,
        num_encoder_layers: int = 2,
        num_decoder_layers: int = 2,
        dim_feedforward: int = 128,
        dropout: float = 0.0,  # the recipe; in the one-seed ablation 0 scored higher than 0.1 (benchmarks/RESULTS.md)
        pad_id: int = 0,
        max_len: int = 512,
        positional: bool = True,
        norm_first: bool = False,
        scale_embedding: bool = False,
    ) -> None:
        super().__init__()
        for name, value in {"vocab_size": vocab_size, "d_model": d_model, "nhead": nhead, "max_len": max_len}.items():
            positive_int(value, name)
        if d_model % nhead:
            raise ValueError(f"d_model: expected a multiple of nhead = {nhead}, got {d_model}")
        if d_model % 2:
            raise ValueError(f"d_model: expected an even number (sin/cos pairs), got {d_model}")
        if not 0 <= pad_id < vocab_size:
            raise ValueError(f"pad_id: expected an id in 0..{vocab_size - 1}, got {pad_id}")
        self.vocab_size, self.d_model, self.pad_id = vocab_size, d_model, pad_id
        self.embedding_scale = math.sqrt(d_model) if scale_embedding else 1.0
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.position = PositionalEncoding(d_model, max_len) if positional else nn.Identity()
        # The encoder is built here only to switch off its nested-tensor shortcut (a prototype torch API
        # that warns); the layers and their names in the state dict are nn.Transformer's own. Results match
        # its default encoder to rounding at real positions; at PAD positions, where that shortcut writes 0 at
        # inference, ours keeps the computed values, which every attention hides.
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
        """Ids (N, L) -> embeddings (times sqrt(D) if `scale_embedding`) plus positions, (N, L, D)."""
        return self.position(self.embed(ids) * self.embedding_scale)

    def encode(self, src: torch.Tensor) -> torch.Tensor:
        """Source ids (N, S) -> memory (N, S, D); PAD positions are masked out of attention.

        A row of PAD only would hide every key from every query, so it is refused (ValueError). Through the
        encoder on torch 2.13 such a row comes out NaN at inference (eval mode, autograd off), where each encoder
        layer runs as one fused kernel (`torch._transformer_encoder_layer_fwd`); in training mode or with autograd
        on, attention runs through SDPA and the row's attention output is the output projection's bias alone.
        """
        self.check_ids(src, "src")
        empty = (src == self.pad_id).all(dim=1)
        if empty.any():
            raise ValueError(f"src: row {int(empty.nonzero()[0])} is all PAD; every source needs a real token")
        return self.transformer.encoder(self.embed_ids(src), src_key_padding_mask=padding_mask(src, self.pad_id))

    def decode(
        self, tgt_in: torch.Tensor, memory: torch.Tensor, src: torch.Tensor, *, last_only: bool = False
    ) -> torch.Tensor:
        """Decoder ids (N, T) reading `memory` of `src` -> next-token logits (N, T, V), or (N, V) with `last_only`.

        `last_only` puts only the last position through the output layer, all greedy decoding needs:
        that layer holds D x V weights, with notebook 06's D = 64 and V = 1003 more than a decoder layer.
        """
        self.check_ids(tgt_in, "tgt_in")
        if len(tgt_in) != len(src) or memory.shape[:2] != src.shape:
            shapes = f"src {tuple(src.shape)}, memory {tuple(memory.shape)}"
            raise ValueError(f"tgt_in: expected {len(src)} rows, one per source ({shapes}), got {len(tgt_in)}")
        if tgt_in.shape[1] == 0 or (tgt_in[:, 0] == self.pad_id).any():
            raise ValueError("tgt_in: expected every row to start with a real token (SOS), got PAD or nothing")
        hidden = self.transformer.decoder(
            self.embed_ids(tgt_in),
            memory,
            tgt_mask=causal_mask(tgt_in.shape[1], tgt_in.device),  # (T, T): no peeking ahead
            tgt_key_padding_mask=padding_mask(tgt_in, self.pad_id),  # (N, T)
            memory_key_padding_mask=padding_mask(src, self.pad_id),  # (N, S)
        )
        return self.head(hidden[:, -1] if last_only else hidden)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        return self.decode(tgt_in, self.encode(src), src)

    @torch.no_grad()
    def cross_attention(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Last decoder layer's attention from target to source, averaged over heads: (N, T, S).

        The weights come from the real forward pass: for that one call, hooks ask the layer's
        `nn.MultiheadAttention` for `need_weights=True` (nn.TransformerDecoderLayer passes False)
        and keep what it returns. Nothing of the layer's math is written again here.
        """
        attention, kept = self.transformer.decoder.layers[-1].multihead_attn, []

        def ask_for_weights(module: nn.Module, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
            return args, {**kwargs, "need_weights": True, "average_attn_weights": True}

        def keep_weights(module: nn.Module, args: tuple, kwargs: dict, output: tuple) -> None:
            kept.append(output[1])  # output = (attended values, weights (N, T, S))

        hooks = [
            attention.register_forward_pre_hook(ask_for_weights, with_kwargs=True),
            attention.register_forward_hook(keep_weights, with_kwargs=True),
        ]
        try:
            self.eval()(src, tgt_in)
        finally:
            for hook in hooks:
                hook.remove()
        return kept[0]

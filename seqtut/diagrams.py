"""Diagrams drawn with matplotlib alone (nothing downloaded): an LSTM cell and the Transformer's masks.

Each function returns the Figure; the notebooks show it where they teach the piece.
"""

from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: F401  (the shared style in seqtut.plots applies)
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

import seqtut.plots  # noqa: F401  (opaque white figures)


def box(ax: Axes, x: float, y: float, w: float, h: float, text: str, *, color: str = "#dde8f5") -> None:
    """A rounded box centred at (x, y) with `text` inside."""
    ax.add_patch(
        FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02", facecolor=color, edgecolor="black")
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], text: str = "", **kwargs: object) -> None:
    """An arrow from `start` to `end`, with an optional label at its middle."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color="black", **kwargs))
    if text:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, text, fontsize=8, ha="center", va="bottom")


def canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A blank figure whose data coordinates run 0..width by 0..height."""
    figure, ax = plt.subplots(figsize=(width, height), layout="constrained")
    ax.set(xlim=(0, width), ylim=(0, height), aspect="equal")
    ax.axis("off")
    return figure, ax


# --- LSTM cell (notebook 00) ---

GATE_COLOR, CANDIDATE_COLOR, NODE_COLOR = "#dde8f5", "#e2f0d9", "white"


def _line(ax: Axes, *points: tuple[float, float]) -> None:
    """A plain connecting line through `points` (no arrow head)."""
    xs, ys = zip(*points, strict=True)
    ax.plot(xs, ys, color="black", linewidth=1.2)


def lstm_cell() -> Figure:
    """One LSTM step: x_t, h_{t-1}, c_{t-1} in; the gates i, f, o and candidate g; c_t and h_t out."""
    figure, ax = canvas(11.0, 6.6)
    cell_y, bus_y = 5.5, 1.8
    ax.text(0.45, cell_y, "$c_{t-1}$", ha="right", va="center", fontsize=11)
    arrow(ax, (0.5, cell_y), (2.8, cell_y))
    box(ax, 3.0, cell_y, 0.36, 0.36, "×", color=NODE_COLOR)
    arrow(ax, (3.2, cell_y), (5.8, cell_y))
    box(ax, 6.0, cell_y, 0.36, 0.36, "+", color=NODE_COLOR)
    arrow(ax, (6.2, cell_y), (10.2, cell_y))
    ax.text(10.25, cell_y, "$c_t$", ha="left", va="center", fontsize=11)
    ax.text(4.5, cell_y + 0.3, "cell state", ha="center", fontsize=9, style="italic")
    ax.text(0.45, bus_y, "$h_{t-1}$", ha="right", va="center", fontsize=11)
    arrow(ax, (0.5, bus_y), (2.0, bus_y))
    ax.text(2.0, 0.1, "$x_t$", ha="center", va="bottom", fontsize=11)
    arrow(ax, (2.0, 0.45), (2.0, bus_y))
    _line(ax, (2.0, bus_y), (7.6, bus_y))
    reads = "each gate: its rows of weight_ih_l0 @ $x_t$ + weight_hh_l0 @ $h_{t-1}$ + the biases"
    ax.text(4.8, bus_y - 0.45, reads, ha="center", fontsize=8)
    gates = [
        (3.0, "forget gate\n$f_t$ = σ(…)", GATE_COLOR),
        (4.6, "input gate\n$i_t$ = σ(…)", GATE_COLOR),
        (6.0, "candidate\n$g_t$ = tanh(…)", CANDIDATE_COLOR),
        (7.6, "output gate\n$o_t$ = σ(…)", GATE_COLOR),
    ]
    for x, text, color in gates:
        arrow(ax, (x, bus_y), (x, 2.6))
        box(ax, x, 3.0, 1.3, 0.8, text, color=color)
    arrow(ax, (3.0, 3.4), (3.0, cell_y - 0.2))  # f multiplies the old cell state
    box(ax, 6.0, 4.4, 0.36, 0.36, "×", color=NODE_COLOR)
    arrow(ax, (4.6, 3.4), (5.82, 4.3))  # i times g ...
    arrow(ax, (6.0, 3.4), (6.0, 4.2))
    arrow(ax, (6.0, 4.6), (6.0, cell_y - 0.2))  # ... is added to it
    ax.text(6.15, 4.9, "$i_t ⊙ g_t$", ha="left", va="center", fontsize=9)
    ax.text(3.15, 5.0, "$f_t ⊙ c_{t-1}$", ha="left", va="center", fontsize=9)
    arrow(ax, (9.0, cell_y), (9.0, 4.75))
    box(ax, 9.0, 4.4, 0.8, 0.5, "tanh", color=CANDIDATE_COLOR)
    box(ax, 9.0, 3.0, 0.36, 0.36, "×", color=NODE_COLOR)
    arrow(ax, (9.0, 4.15), (9.0, 3.2))
    arrow(ax, (8.25, 3.0), (8.8, 3.0))
    _line(ax, (9.0, 2.8), (9.0, bus_y))
    arrow(ax, (9.0, bus_y), (10.2, bus_y))
    ax.text(10.25, bus_y, "$h_t$", ha="left", va="center", fontsize=11)
    ax.text(9.6, bus_y - 0.35, "hidden state", ha="center", fontsize=9, style="italic")
    ax.set_title("One LSTM step (one layer, one time step); ⊙ is the element-wise product")
    return figure


# --- Transformer masks (notebook 06) ---

MASKS_BY_ATTENTION: dict[str, tuple[str, ...]] = {
    "encoder\nself-attention": ("src_key_padding_mask (N, S)",),
    "decoder\nmasked self-attention": ("tgt_mask (T, T)", "tgt_key_padding_mask (N, T)"),
    "decoder\ncross-attention": ("memory_key_padding_mask (N, S)",),
}
"""Each attention block of `nn.Transformer` and the masks `Seq2SeqTransformer` passes it, with their shapes."""

MASK_COLOR = "#b2182b"


def _mask_labels(ax: Axes, x: float, y: float, labels: tuple[str, ...], ha: str) -> None:
    """The masks one attention block reads, stacked beside it at height `y`, in the mask colour."""
    for k, label in enumerate(labels):
        offset = (len(labels) - 1) / 2 - k
        ax.text(x, y + 0.32 * offset, label, ha=ha, va="center", fontsize=9, color=MASK_COLOR, family="monospace")


def transformer_masks() -> Figure:
    """The encoder-decoder Transformer, with each mask beside the attention it acts in and its shape."""
    figure, ax = canvas(11.5, 7.4)
    enc, dec, w = 3.7, 7.8, 2.5
    (enc_attn, dec_attn, cross) = MASKS_BY_ATTENTION
    box(ax, enc, 0.6, w, 0.6, "source ids (N, S)\nSOS ... EOS, PAD", color="white")
    box(ax, enc, 1.7, w, 0.6, "embed · √D + positions")
    box(ax, enc, 3.0, w, 0.8, enc_attn, color="#fde0c5")
    box(ax, enc, 4.2, w, 0.6, "feed-forward")
    box(ax, enc, 5.5, w, 0.6, "memory (N, S, D)", color="white")
    box(ax, dec, 0.6, w, 0.6, "decoder input ids (N, T)\nSOS first, PAD", color="white")
    box(ax, dec, 1.7, w, 0.6, "embed · √D + positions")
    box(ax, dec, 3.0, w, 0.8, dec_attn, color="#fde0c5")
    box(ax, dec, 4.3, w, 0.8, cross, color="#fde0c5")
    box(ax, dec, 5.5, w, 0.6, "feed-forward")
    box(ax, dec, 6.6, w, 0.6, "Linear → logits (N, T, V)", color="white")
    for x, ys in ((enc, (0.6, 1.7, 3.0, 4.2, 5.5)), (dec, (0.6, 1.7, 3.0, 4.3, 5.5, 6.6))):
        for low, high in zip(ys, ys[1:]):
            arrow(ax, (x, low + 0.3 + 0.1 * (low in (3.0, 4.3))), (x, high - 0.3 - 0.1 * (high in (3.0, 4.3))))
    arrow(ax, (enc + w / 2, 5.5), (dec - w / 2, 4.3))
    ax.text(enc + w / 2 + 0.1, 4.75, "keys and values\nof every\ncross-attention", fontsize=8, va="top")
    _mask_labels(ax, enc - w / 2 - 0.15, 3.0, MASKS_BY_ATTENTION[enc_attn], "right")
    _mask_labels(ax, dec + w / 2 + 0.15, 3.0, MASKS_BY_ATTENTION[dec_attn], "left")
    _mask_labels(ax, dec + w / 2 + 0.15, 4.3, MASKS_BY_ATTENTION[cross], "left")
    for x, top, layers in ((enc, 4.65, "num_encoder_layers"), (dec, 5.95, "num_decoder_layers")):
        ax.add_patch(Rectangle((x - w / 2 - 0.1, 2.45), w + 0.2, top - 2.45, fill=False, linestyle="--", color="0.4"))
        ax.text(x - w / 2 - 0.05, top + 0.05, f"× {layers}", fontsize=8, color="0.3", va="bottom")
    notes = (
        "bool masks: True = may not attend",
        "tgt_mask: query × key, the same for every row",
        "*_key_padding_mask: one flag per key, per row",
        "N rows, S source, T target positions",
    )
    ax.text(0.2, 7.2, "\n".join(notes), fontsize=8.5, va="top", color=MASK_COLOR)
    return figure

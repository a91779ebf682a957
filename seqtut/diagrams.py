"""Diagrams drawn with matplotlib alone (nothing downloaded): an unrolled RNN, an LSTM cell, the Transformer's masks.

Each function returns the Figure (or the Axes) it drew; the notebooks show it where they teach the piece.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle

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

    def node(x: float, y: float, symbol: str) -> None:
        """A small operation node: ⊙ (element-wise product) or + (sum), drawn large enough to read."""
        box(ax, x, y, 0.36, 0.36, "", color=NODE_COLOR)
        ax.text(x, y, symbol, ha="center", va="center", fontsize=15)

    cell_y, bus_y = 5.5, 1.8
    ax.text(0.45, cell_y, "$c_{t-1}$", ha="right", va="center", fontsize=11)
    arrow(ax, (0.5, cell_y), (2.8, cell_y))
    node(3.0, cell_y, "⊙")
    arrow(ax, (3.2, cell_y), (5.8, cell_y))
    node(6.0, cell_y, "+")
    arrow(ax, (6.2, cell_y), (10.2, cell_y))
    ax.text(10.25, cell_y, "$c_t$", ha="left", va="center", fontsize=11)
    ax.text(1.65, cell_y + 0.3, "cell state", ha="center", fontsize=9, style="italic")
    ax.text(0.45, bus_y, "$h_{t-1}$", ha="right", va="center", fontsize=11)
    arrow(ax, (0.5, bus_y), (2.0, bus_y))
    ax.text(2.0, 0.1, "$x_t$", ha="center", va="bottom", fontsize=11)
    arrow(ax, (2.0, 0.45), (2.0, bus_y))
    _line(ax, (2.0, bus_y), (7.6, bus_y))
    reads = "each gate and the candidate: its rows of weight_ih_l0 @ $x_t$ + weight_hh_l0 @ $h_{t-1}$ + the biases"
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
    node(6.0, 4.4, "⊙")
    arrow(ax, (4.6, 3.4), (5.82, 4.3))  # i times g ...
    arrow(ax, (6.0, 3.4), (6.0, 4.2))
    arrow(ax, (6.0, 4.6), (6.0, cell_y - 0.2))  # ... is added to it
    ax.text(6.15, 4.9, "$i_t ⊙ g_t$", ha="left", va="center", fontsize=9)
    ax.text(3.15, 4.4, "$f_t$", ha="left", va="center", fontsize=9)  # the gate, into the product
    ax.text(4.5, cell_y + 0.1, "$f_t ⊙ c_{t-1}$", ha="center", va="bottom", fontsize=9)  # the product, out of it
    arrow(ax, (9.0, cell_y), (9.0, 4.75))
    box(ax, 9.0, 4.4, 0.8, 0.5, "tanh", color=CANDIDATE_COLOR)
    node(9.0, 3.0, "⊙")
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


def transformer_masks(*, scale_embedding: bool = False) -> Figure:
    """The encoder-decoder Transformer, with each mask beside the attention it acts in, and both scalings.

    `scale_embedding` says whether the embeddings are multiplied by sqrt(D) (the paper's choice,
    `Seq2SeqTransformer(scale_embedding=True)`); the box says so either way. The other scaling,
    the scores' 1/sqrt(d_k) inside every attention, is always on and is written in each attention box.
    """
    figure, ax = canvas(11.5, 7.4)
    enc, dec, w = 3.7, 7.8, 2.5
    (enc_attn, dec_attn, cross) = MASKS_BY_ATTENTION
    embed = "embed · √D + positions" if scale_embedding else "embed + positions\n(no √D scaling)"
    box(ax, enc, 0.6, w, 0.6, "source ids (N, S)\nSOS ... EOS, PAD", color="white")
    box(ax, enc, 1.7, w, 0.6, embed)
    box(ax, enc, 3.0, w, 0.8, enc_attn, color="#fde0c5")
    box(ax, enc, 4.2, w, 0.6, "feed-forward")
    box(ax, enc, 5.5, w, 0.6, "memory (N, S, D)", color="white")
    box(ax, dec, 0.6, w, 0.6, "decoder input ids (N, T): SOS first;\na shorter row's EOS, then PAD", color="white")
    box(ax, dec, 1.7, w, 0.6, embed)
    box(ax, dec, 3.0, w, 0.8, dec_attn, color="#fde0c5")
    box(ax, dec, 4.3, w, 0.8, cross, color="#fde0c5")
    box(ax, dec, 5.5, w, 0.6, "feed-forward")
    box(ax, dec, 6.6, w, 0.6, "Linear → logits (N, T, V)", color="white")
    for x, y in ((enc, 3.0), (dec, 3.0), (dec, 4.3)):  # the scaling every attention applies to its scores
        ax.text(x, y - 0.29, "scores ÷ √d_k", ha="center", va="center", fontsize=7.5, color="0.25")
    for x, ys in ((enc, (0.6, 1.7, 3.0, 4.2, 5.5)), (dec, (0.6, 1.7, 3.0, 4.3, 5.5, 6.6))):
        for low, high in zip(ys, ys[1:]):
            arrow(ax, (x, low + 0.3 + 0.1 * (low in (3.0, 4.3))), (x, high - 0.3 - 0.1 * (high in (3.0, 4.3))))
    arrow(ax, (enc + w / 2, 5.5), (dec - w / 2, 4.3))
    # the note: clear of the encoder's frame (right edge at enc + w / 2 + 0.1) and under the arrow
    ax.text(enc + w / 2 + 0.25, 4.45, "keys and values\nof every\ncross-attention", fontsize=8, va="top")
    _mask_labels(ax, enc - w / 2 - 0.15, 3.0, MASKS_BY_ATTENTION[enc_attn], "right")
    _mask_labels(ax, dec + w / 2 + 0.15, 3.0, MASKS_BY_ATTENTION[dec_attn], "left")
    _mask_labels(ax, dec + w / 2 + 0.15, 4.3, MASKS_BY_ATTENTION[cross], "left")
    for x, top, layers in ((enc, 4.65, "num_encoder_layers"), (dec, 5.95, "num_decoder_layers")):
        ax.add_patch(Rectangle((x - w / 2 - 0.1, 2.45), w + 0.2, top - 2.45, fill=False, linestyle="--", color="0.4"))
        # outside the frame's top-left corner: above it, the label would cross the arrow leaving the stack
        ax.text(x - w / 2 - 0.15, top, f"× {layers}", fontsize=8, color="0.3", ha="right", va="top")
    notes = (
        "bool masks: True = may not attend",
        "tgt_mask (T, T): query × key, the same for every sequence",
        "*_key_padding_mask: one flag per key, per sequence",
        "N sequences, S source, T target positions",
    )
    ax.text(0.2, 7.35, "\n".join(notes), fontsize=8.5, va="top", color=MASK_COLOR)
    scalings = (
        "every attention: softmax(Q Kᵀ / √d_k, hidden keys −∞) V,",
        "d_k = D / nhead, inside nn.MultiheadAttention",
        "each block also adds its input back and",
        "applies LayerNorm; one more LayerNorm",
        "ends each stack (none drawn)",
    )
    ax.text(0.2, 6.55, "\n".join(scalings), fontsize=8.5, va="top", color="0.25")
    return figure


def plot_unrolled_rnn(
    length: int = 4,
    num_layers: int = 2,
    *,
    ax: Axes | None = None,
    title: str = "An LSTM unrolled: what fills out and what fills h_n",
) -> Axes:
    """A diagram of a one-directional RNN over `length` steps and `num_layers` layers.

    Each box is one layer at one step. The top row (shaded) is what `out` holds, one vector
    per step; the last column (thick orange edge) is what `h_n` (and `c_n`) hold, one per
    layer. The box in both is why `out[:, -1]` equals `h_n[-1]`.
    """
    for name, value in {"length": length, "num_layers": num_layers}.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name}: expected a positive int, got {value!r}")
    if ax is None:
        ax = plt.subplots(figsize=(2.2 + 1.6 * length, 1.6 + 1.2 * num_layers), layout="constrained")[1]
    arrow = dict(arrowstyle="->", color="0.3")
    for layer in range(num_layers):
        for t in range(length):
            in_out, in_h_n = layer == num_layers - 1, t == length - 1
            ax.add_patch(
                FancyBboxPatch(
                    (t - 0.32, layer - 0.22),
                    0.64,
                    0.44,
                    boxstyle="round,pad=0.02",
                    facecolor="#cfe2f3" if in_out else "white",
                    edgecolor="tab:orange" if in_h_n else "0.3",
                    linewidth=2.5 if in_h_n else 1,
                )
            )
            ax.text(t, layer, f"layer {layer}\nstep {t}", ha="center", va="center", fontsize=8)
            if t:  # the state (h, c) carried from step t-1 to step t
                ax.annotate("", (t - 0.34, layer), (t - 0.66, layer), arrowprops=arrow)
            if layer:  # layer l reads layer l-1's output at the same step
                ax.annotate("", (t, layer - 0.24), (t, layer - 0.76), arrowprops=arrow)
        ax.annotate(
            f"h_0[{layer}], c_0[{layer}]",
            (-0.34, layer),
            (-1.3, layer),
            arrowprops=arrow,
            ha="center",
            va="center",
            fontsize=8,
        )
        ax.annotate(
            f"h_n[{layer}], c_n[{layer}]",
            (length - 0.66, layer),
            (length + 0.3, layer),
            arrowprops=dict(arrowstyle="<-", color="tab:orange"),
            ha="center",
            va="center",
            fontsize=8,
            color="tab:orange",
        )
    top = num_layers - 1
    for t in range(length):
        ax.annotate(f"x[:, {t}]", (t, -0.24), (t, -0.8), arrowprops=arrow, ha="center", va="center", fontsize=8)
        ax.annotate(
            f"out[:, {t}]",
            (t, top + 0.24),
            (t, top + 0.8),
            arrowprops=dict(arrowstyle="<-", color="tab:blue"),
            ha="center",
            va="center",
            fontsize=8,
            color="tab:blue",
        )
    ax.set(xlim=(-1.95, length + 0.8), ylim=(-1.05, top + 1.0), title=title)
    ax.axis("off")
    ax.legend(
        handles=[
            Patch(facecolor="#cfe2f3", edgecolor="0.3", label="in out (last layer, every step)"),
            Patch(
                facecolor="white", edgecolor="tab:orange", linewidth=2.5, label="in h_n, c_n (every layer, last step)"
            ),
        ],
        loc="upper left",
        bbox_to_anchor=(0, -0.02),
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    return ax

"""Diagrams drawn with matplotlib alone (nothing downloaded): an LSTM cell and the Transformer's masks.

Each function returns the Figure; the notebooks show it where they teach the piece.
"""

from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: F401  (the shared style in seqtut.plots applies)
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

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


# --- Transformer masks (notebook 06) ---

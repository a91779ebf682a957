"""Notebook 06's figures: the diagram of where each mask acts, and the positional-encoding plot."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402
from matplotlib.path import Path  # noqa: E402

from seqtut.diagrams import MASKS_BY_ATTENTION, transformer_masks  # noqa: E402
from seqtut.plots import frequency_order, plot_positional_encoding  # noqa: E402
from seqtut.transformer import PositionalEncoding  # noqa: E402


def test_each_mask_is_written_beside_the_attention_it_acts_in_with_its_shape():
    assert MASKS_BY_ATTENTION == {
        "encoder\nself-attention": ("src_key_padding_mask (N, S)",),
        "decoder\nmasked self-attention": ("tgt_mask (T, T)", "tgt_key_padding_mask (N, T)"),
        "decoder\ncross-attention": ("memory_key_padding_mask (N, S)",),
    }
    ax = transformer_masks().axes[0]
    texts = {t.get_text(): t.get_position() for t in ax.texts}
    for block, masks in MASKS_BY_ATTENTION.items():
        bx, by = texts[block]
        for mask in masks:
            mx, my = texts[mask]
            assert abs(my - by) < 0.5 and 1.0 < abs(mx - bx) < 2.0, (block, mask)
    assert "bool masks: True = may not attend" in "\n".join(texts)
    plt.close("all")


def test_the_diagram_names_both_scalings_and_draws_the_embedding_one_only_when_it_is_on():
    for scale_embedding, label in ((False, "embed + positions\n(no √D scaling)"), (True, "embed · √D + positions")):
        ax = transformer_masks(scale_embedding=scale_embedding).axes[0]
        texts = [t.get_text() for t in ax.texts]
        assert texts.count(label) == 2  # the encoder's input and the decoder's
        assert not any("√D" in t for t in texts if t != label)  # no other box claims the embedding scaling
        assert texts.count("scores ÷ √d_k") == len(MASKS_BY_ATTENTION)  # in every attention box
        assert any("softmax(Q Kᵀ / √d_k" in t and "d_k = D / nhead" in t for t in texts)
    plt.close("all")


def _text_boxes(ax):
    """{text: its bounding box in data coordinates}, as drawn (after the constrained layout has placed the axes)."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    return {t.get_text(): t.get_window_extent(renderer).transformed(to_data) for t in ax.texts}


def _points_along(path, per_edge=50):
    """Points along an arrow's drawn outline (shaft and head) in data coordinates, `per_edge` on each edge."""
    points = [
        a + (b - a) * k / per_edge
        for polygon in path.to_polygons(closed_only=False)
        for a, b in zip(polygon, polygon[1:])
        for k in range(per_edge + 1)
    ]
    return np.array(points)


def test_no_arrow_crosses_a_label_and_no_label_sits_on_a_layer_frame():
    """An expert read: the arrow to "memory" crossed "× num_encoder_layers"; a note sat on the frame's edge."""
    ax = transformer_masks().axes[0]
    texts = _text_boxes(ax)
    arrows = [_points_along(patch.get_path()) for patch in ax.patches if isinstance(patch, FancyArrowPatch)]
    frames = [patch.get_bbox() for patch in ax.patches if isinstance(patch, Rectangle)]
    assert len(arrows) == 10 and len(frames) == 2  # 4 + 5 up the stacks, and memory to the cross-attention
    for text, bbox in texts.items():
        assert not any(Path(bbox.corners()[[0, 1, 3, 2]]).contains_points(points).any() for points in arrows), text
        for frame in frames:
            inside = frame.x0 + 0.02 < bbox.x0 and bbox.x1 < frame.x1 - 0.02 and frame.y0 < bbox.y0 < bbox.y1 < frame.y1
            apart = bbox.x1 < frame.x0 - 0.02 or bbox.x0 > frame.x1 + 0.02 or bbox.y0 > frame.y1 or bbox.y1 < frame.y0
            assert inside or apart, (text, frame)
    for layers in ("× num_encoder_layers", "× num_decoder_layers"):  # each beside its own frame's top
        assert any(abs(texts[layers].y1 - frame.y1) < 0.05 and texts[layers].x1 < frame.x0 for frame in frames)
    plt.close("all")


def test_frequency_order_puts_sin_dimensions_first():
    assert frequency_order(6) == [0, 2, 4, 1, 3, 5]
    with pytest.raises(ValueError, match="d_model: expected an even int >= 2, got 5"):
        frequency_order(5)


def test_plot_positional_encoding_draws_the_curves_and_the_ordered_table():
    pe = PositionalEncoding(8, 12).pe  # (12, 8)
    curves, heat = plot_positional_encoding(pe, dims=(0, 3))
    lines = [line for line in curves.get_lines() if not line.get_label().startswith("_")]  # the marked positions
    assert [line.get_label() for line in lines] == ["dim 0: sin, period 6.3", "dim 3: cos, period 62.8"]
    assert np.allclose(lines[1].get_ydata(), pe[:, 3].numpy())
    fine = curves.get_lines()[2]  # dim 3's continuous curve, drawn between the positions, through them
    assert np.allclose(np.interp(np.arange(12), fine.get_xdata(), fine.get_ydata()), pe[:, 3].numpy(), atol=1e-3)
    values = heat.collections[0].get_array().reshape(8, 12)
    assert np.allclose(values, pe[:, [0, 2, 4, 6, 1, 3, 5, 7]].T.numpy())
    assert [t.get_text() for t in heat.get_yticklabels()][:5] == ["sin 0", "", "", "", "cos 1"]
    assert heat.collections[0].colorbar.ax.get_ylabel() == "code value"
    assert curves.get_ylim()[1] > 1.5  # the legend's row sits above the waves, which stay within ±1
    with pytest.raises(ValueError, match=r"dims: expected dimensions in 0..7, got \[8\]"):
        plot_positional_encoding(pe, dims=(8,))
    with pytest.raises(ValueError, match=r"pe: expected a 2-D \(positions, even D\) table, got shape \(12,\)"):
        plot_positional_encoding(pe[:, 0])
    plt.close("all")

"""Figures of what a network computes: its stages on real data, its filters and
feature maps, the sub-pixel shuffle and its training patches.

Like :mod:`srlib.plots._images`, every plotting function returns a
:class:`matplotlib.figure.Figure` built without ``pyplot`` state; in a notebook
the returned figure displays itself. Nothing here imports TensorFlow or Keras:
pass NumPy arrays (``layer.get_weights()[0]``, ``np.asarray(model(x))``).

Taught in ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from srlib._checks import check_positive_int
from srlib.plots._style import MODEL_COLORS, new_figure

__all__ = [
    "plot_filters",
    "plot_feature_maps",
    "stage_diagram",
    "distinct_channels",
    "plot_pixel_shuffle",
    "plot_patch_pairs",
]

def _check_numeric(array: Any, name: str, ndim: Sequence[int]) -> np.ndarray:
    data = np.asarray(array)
    if not np.issubdtype(data.dtype, np.number) or np.issubdtype(data.dtype, np.complexfloating):
        raise ValueError(f"{name} must be a real numeric array, got dtype {data.dtype}")
    if data.ndim not in ndim:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndim))} dimensions, got shape {data.shape}")
    if data.size == 0:
        raise ValueError(f"{name} is empty (shape {data.shape})")
    if not np.all(np.isfinite(data)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return data.astype(np.float64)


def _grid(count: int, ncols: int) -> tuple[int, int]:
    ncols = min(ncols, count)
    return math.ceil(count / ncols), ncols


# --------------------------------------------------------------------------- filters
def plot_filters(kernel: Any, *, input_channel: int | None = None, max_filters: int = 64, ncols: int = 8,
                 sort: bool = True, panel_inches: float = 0.9, title: str | None = None) -> Figure:
    """Show the filters of a convolution kernel as small images (red > 0, blue < 0).

    Parameters
    ----------
    kernel : ndarray
        A Keras ``Conv2D`` kernel, shape ``(kh, kw, in_channels, out_channels)``
        (``layer.get_weights()[0]``), or ``(kh, kw, out_channels)``.
    input_channel : int, optional
        Show the filters' slice for this input channel (default: the sum over
        input channels; SRCNN on Y has one input channel, so both agree).
    max_filters : int
        Show at most this many filters.
    ncols : int
        Filters per row.
    sort : bool
        Order the filters by decreasing energy (sum of squares), so that the
        structured ones come first; each panel's title is its channel index.
    panel_inches : float
        Size of one panel in inches.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis per filter, titled ``"#<channel>"``; a shared, symmetric
        colour scale, so weak filters look pale.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    weights = _check_numeric(kernel, "kernel", (3, 4))
    if weights.ndim == 4:
        if input_channel is None:
            weights = weights.sum(axis=2)
        else:
            if not isinstance(input_channel, (int, np.integer)) or not 0 <= input_channel < weights.shape[2]:
                raise ValueError(f"input_channel must be in [0, {weights.shape[2] - 1}], got {input_channel!r}")
            weights = weights[:, :, int(input_channel), :]
    max_filters = check_positive_int(max_filters, "max_filters")
    ncols = check_positive_int(ncols, "ncols")
    order = np.arange(weights.shape[-1])
    if sort:
        order = np.argsort(-(weights ** 2).sum(axis=(0, 1)), kind="stable")
    order = order[:max_filters]
    limit = float(np.abs(weights[..., order]).max()) or 1.0
    nrows, ncols = _grid(len(order), ncols)
    figure = new_figure(panel_inches * ncols, (panel_inches + 0.15) * nrows + (0.35 if title else 0))
    for index, channel in enumerate(order):
        ax = figure.add_subplot(nrows, ncols, index + 1)
        ax.imshow(weights[..., channel], cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(f"#{channel}", fontsize=7, pad=2)
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        figure.suptitle(title)
    return figure


# --------------------------------------------------------------------------- feature maps
def plot_feature_maps(maps: Any, *, max_maps: int = 16, ncols: int = 8, sort: bool = True,
                      panel_inches: float = 1.3, cmap: str = "viridis", title: str | None = None) -> Figure:
    """Show the channels of one layer's output (feature maps) as small images.

    Parameters
    ----------
    maps : ndarray
        ``(H, W, C)`` activations of one image (drop the batch axis first), or
        ``(1, H, W, C)``.
    max_maps : int
        Show at most this many channels.
    ncols : int
        Maps per row.
    sort : bool
        Order channels by decreasing standard deviation (the busiest first);
        channels that never fire (all zero after ReLU) come last.
    panel_inches : float
        Size of one panel in inches.
    cmap : str
        Matplotlib colour map; each map gets its own scale.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis per map, titled ``"#<channel>"``.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    data = _check_numeric(maps, "maps", (3, 4))
    if data.ndim == 4:
        if data.shape[0] != 1:
            raise ValueError(f"maps must hold one image, got a batch of {data.shape[0]}; pass maps[0]")
        data = data[0]
    max_maps = check_positive_int(max_maps, "max_maps")
    ncols = check_positive_int(ncols, "ncols")
    order = np.arange(data.shape[-1])
    if sort:
        order = np.argsort(-data.std(axis=(0, 1)), kind="stable")
    order = order[:max_maps]
    nrows, ncols = _grid(len(order), ncols)
    aspect = data.shape[0] / data.shape[1]
    figure = new_figure(panel_inches * ncols, (panel_inches * aspect + 0.2) * nrows + (0.35 if title else 0))
    for index, channel in enumerate(order):
        ax = figure.add_subplot(nrows, ncols, index + 1)
        ax.imshow(data[..., channel], cmap=cmap, interpolation="nearest")
        ax.set_title(f"#{channel}", fontsize=7, pad=2)
        ax.set_axis_off()
    if title:
        figure.suptitle(title)
    return figure


# --------------------------------------------------------------------------- stage diagram
def _as_display(array: Any, name: str) -> np.ndarray:
    """(H, W) or (H, W, C) real array -> (H, W, C) float64."""
    data = _check_numeric(array, name, (2, 3))
    if data.ndim == 2:
        data = data[..., None]
    return data


def distinct_channels(maps: np.ndarray, count: int, *, min_spread: float = 0.2) -> list[int]:
    """Indices of ``count`` busy channels of ``(H, W, C)`` maps that look unlike each other.

    Greedy: the busiest channel (largest standard deviation) first, then each time
    the channel whose largest absolute correlation with those already chosen is
    smallest, among the channels whose standard deviation is at least ``min_spread``
    times the busiest one's (so that a nearly silent map is not chosen for being
    different). Channels that never vary (dead after ReLU) are never chosen; fewer
    than ``count`` come back when fewer qualify.

    Notes
    -----
    Taught in ``03_srcnn.ipynb`` (the stages of SRCNN, via :func:`stage_diagram`).
    """
    data = np.asarray(maps, dtype=np.float64)
    spread = data.std(axis=(0, 1))
    if spread.max(initial=0.0) <= 1e-12:
        return []
    order = [int(c) for c in np.argsort(-spread, kind="stable") if spread[c] >= min_spread * spread.max()]
    flat = data[..., order].reshape(-1, len(order))
    flat = (flat - flat.mean(axis=0)) / flat.std(axis=0)
    correlation = np.abs(flat.T @ flat) / flat.shape[0]
    chosen = [0]
    while len(chosen) < min(count, len(order)):
        rest = [i for i in range(len(order)) if i not in chosen]
        chosen.append(min(rest, key=lambda i: (correlation[i, chosen].max(), i)))
    return [order[i] for i in chosen]


def _normalised(card: np.ndarray) -> tuple[np.ndarray, float, float]:
    """A map and its display range: the 1st to 99th percentile of its values, or of its non-zero
    values for a sparse map (after ReLU), so that a few hot pixels do not turn the rest black."""
    values = card[card != 0] if np.count_nonzero(card) < 0.5 * card.size and card.min() >= 0 else card
    if values.size == 0:
        return card, 0.0, 1.0
    low, high = (float(v) for v in np.percentile(values, [1, 99]))
    if values is not card:
        low = 0.0
    if high <= low:
        low, high = float(card.min()), float(card.max())
    return card, low, high if high > low else low + 1.0


def stage_diagram(stages: Sequence[tuple[str, str, Any]], *, max_cards: int = 4,
                  panel_inches: float = 2.0, title: str | None = None) -> Figure:
    """Draw a network as a left-to-right chain of its real intermediate data.

    Each stage shows its data - up to ``max_cards`` distinct feature maps in a
    grid for a layer with many channels - labelled with its name and a caption,
    with arrows between stages, so the figure reads like the diagram in a paper
    but shows what the network actually computed on an image.

    Parameters
    ----------
    stages : sequence of (name, caption, array)
        ``array`` is ``(H, W)`` (one grey map) or ``(H, W, C)``: ``C`` feature maps
        of which ``max_cards`` are drawn, chosen by :func:`distinct_channels`
        (busy and unlike each other; the caption should say how many there are).
        ``(H, W, 3)`` uint8 is drawn as one colour image.
    max_cards : int
        Maps drawn per multi-channel stage (1, or a square grid: 4 draws 2 x 2).
    panel_inches : float
        Width of one stage in inches.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis per stage, titled with the stage's name, holding one image per
        map drawn; each map is contrast-normalised on its own (1st to 99th percentile).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if not isinstance(stages, Sequence) or len(stages) == 0:
        raise ValueError(f"stages must be a non-empty list of (name, caption, array), got {stages!r:.80}")
    max_cards = check_positive_int(max_cards, "max_cards")
    figure = new_figure(panel_inches * len(stages), panel_inches * 1.35 + (0.3 if title else 0))
    axes = []
    for index, stage in enumerate(stages):
        if not (isinstance(stage, (tuple, list)) and len(stage) == 3):
            raise ValueError(f"stage {index} must be (name, caption, array), got {type(stage).__name__}")
        name, caption, array = stage
        ax = figure.add_subplot(1, len(stages), index + 1)
        axes.append(ax)
        raw = np.asarray(array)
        colour = raw.ndim == 3 and raw.shape[-1] == 3 and raw.dtype == np.uint8
        if colour:
            cards = [raw]
        else:
            data = _as_display(array, f"stages[{index}] array")
            channels = distinct_channels(data, max_cards) if data.shape[-1] > 1 else [0]
            cards = [data[..., channel] for channel in (channels or [0])]
        per_side = math.ceil(math.sqrt(len(cards)))
        gap = 0.04 if per_side > 1 else 0.0
        size = (1.0 - gap * (per_side - 1)) / per_side
        for card_index, card in enumerate(cards):
            row, col = divmod(card_index, per_side)
            left, top = col * (size + gap), 1.0 - row * (size + gap)
            extent = (left, left + size, top - size, top)
            if colour:
                ax.imshow(card, extent=extent, interpolation="nearest")
            else:
                card, low, high = _normalised(card)
                ax.imshow(card, extent=extent, cmap="gray", vmin=low, vmax=high, interpolation="nearest")
            ax.add_patch(Rectangle((extent[0], extent[2]), size, size, fill=False, edgecolor="black",
                                   linewidth=0.8))
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(str(name), fontsize=9, fontweight="bold")
        ax.text(0.5, -0.06, str(caption), transform=ax.transAxes, ha="center", va="top", fontsize=8, wrap=True)
    for left in axes[:-1]:
        # figure coordinates are only final after layout: anchor the arrow in axes fractions
        arrow = FancyArrowPatch((1.02, 0.5), (1.18, 0.5), transform=left.transAxes, arrowstyle="-|>",
                                mutation_scale=14, color="black", clip_on=False)
        left.add_patch(arrow)
    if title:
        figure.suptitle(title)
    return figure


# --------------------------------------------------------------------------- sub-pixel shuffle
def plot_pixel_shuffle(low_res: Any, high_res: Any, *, panel_inches: float = 0.45,
                       title: str | None = None) -> Figure:
    """Show the sub-pixel shuffle (depth-to-space) on a tiny array, every value written out.

    Parameters
    ----------
    low_res : ndarray
        ``(h, w, r*r)`` input: one grid per channel.
    high_res : ndarray
        ``(h*r, w*r)`` or ``(h*r, w*r, 1)`` output of the shuffle.
    panel_inches : float
        Size of one pixel cell in inches.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        ``r*r`` input axes titled ``"channel <k>"`` and one output axis titled
        ``"after the shuffle"``; each channel has its own colour, so one sees
        where each channel's pixels land.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    low = _check_numeric(low_res, "low_res", (3,))
    high = _check_numeric(high_res, "high_res", (2, 3))
    if high.ndim == 3:
        if high.shape[-1] != 1:
            raise ValueError(f"high_res must have one channel, got shape {high.shape}")
        high = high[..., 0]
    h, w, channels = low.shape
    scale = math.isqrt(channels)
    if scale * scale != channels or scale < 2:
        raise ValueError(f"low_res must have r*r channels (r >= 2), got {channels}")
    if high.shape != (h * scale, w * scale):
        raise ValueError(f"high_res must have shape {(h * scale, w * scale)} for low_res {low.shape}, "
                         f"got {high.shape}")
    palette = [MODEL_COLORS[k % len(MODEL_COLORS)] for k in range(channels)]
    width_units = channels * (w + 0.6) + 1.0 + w * scale
    figure = new_figure(panel_inches * width_units, panel_inches * (h * scale + 2.4))
    grid = figure.add_gridspec(1, channels + 1, width_ratios=[w] * channels + [w * scale])

    def cells(ax: Any, values: np.ndarray, colours: np.ndarray) -> None:
        rows, cols = values.shape
        for r in range(rows):
            for c in range(cols):
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor=palette[colours[r, c]], alpha=0.35,
                                       edgecolor="black", linewidth=0.6))
                value = values[r, c]
                text = f"{value:.0f}" if float(value).is_integer() else f"{value:.2g}"
                ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=7)
        ax.set_xlim(0, cols)
        ax.set_ylim(rows, 0)
        ax.set_aspect("equal")
        ax.set_axis_off()

    for k in range(channels):
        ax = figure.add_subplot(grid[0, k])
        cells(ax, low[..., k], np.full((h, w), k))
        ax.set_title(f"channel {k}", fontsize=8, color=palette[k])
    phase = (np.arange(h * scale)[:, None] % scale) * scale + (np.arange(w * scale)[None, :] % scale)
    ax = figure.add_subplot(grid[0, channels])
    cells(ax, high, phase)
    ax.set_title("after the shuffle", fontsize=8)
    if title:
        figure.suptitle(title)
    return figure


# --------------------------------------------------------------------------- training patches
def plot_patch_pairs(columns: Mapping[str, Any], *, max_pairs: int = 8, panel_inches: float = 1.1,
                     title: str | None = None) -> Figure:
    """Show training pairs: one row per kind of patch (LR, network input, target), one column per pair.

    Parameters
    ----------
    columns : dict of str to ndarray
        ``{row title: batch}``, each batch ``(n, h, w)``, ``(n, h, w, 1)`` (grey) or
        ``(n, h, w, 3)`` (RGB) float in [0, 1] (e.g. the arrays of :meth:`srlib.data.PairedPatches.batch`);
        all batches hold the same pairs in the same order. Patches of different
        sizes are drawn at the same size, so LR pixels look bigger.
    max_pairs : int
        Columns drawn.
    panel_inches : float
        Size of one patch in inches.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        ``rows x pairs`` axes; the first axis of each row carries the row title
        as its y label.

    Notes
    -----
    Taught in ``03_srcnn.ipynb`` (RGB pairs of random degradations: ``06_degradations_and_augmentation.ipynb``).
    """
    if not isinstance(columns, Mapping) or len(columns) == 0:
        raise ValueError("columns must be a non-empty dict {row title: batch of patches}")
    max_pairs = check_positive_int(max_pairs, "max_pairs")
    batches = {}
    for name, batch in columns.items():
        data = _check_numeric(batch, f"columns[{name!r}]", (3, 4))
        if data.ndim == 4:
            if data.shape[-1] not in (1, 3):
                raise ValueError(f"columns[{name!r}] must have one channel (grey) or three (RGB), got shape "
                                 f"{data.shape}")
            data = data[..., 0] if data.shape[-1] == 1 else np.clip(data, 0.0, 1.0)
        batches[str(name)] = data
    counts = {data.shape[0] for data in batches.values()}
    if len(counts) != 1:
        raise ValueError(f"all batches must hold the same number of patches, got {sorted(counts)}")
    pairs = min(max_pairs, counts.pop())
    figure = new_figure(panel_inches * pairs + 0.4, (panel_inches + 0.1) * len(batches) + (0.35 if title else 0))
    for row, (name, data) in enumerate(batches.items()):
        for col in range(pairs):
            ax = figure.add_subplot(len(batches), pairs, row * pairs + col + 1)
            ax.imshow(data[col], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if col == 0:
                ax.set_ylabel(f"{name}\n{data.shape[1]}x{data.shape[2]}", fontsize=8)
    if title:
        figure.suptitle(title)
    return figure

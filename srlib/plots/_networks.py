"""Figures for learned super-resolution: network stages, filters, feature maps,
the sub-pixel shuffle, checkerboard artifacts and a speed-quality chart
and training curves.

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

__all__ = ["MODEL_COLORS", 
    "plot_filters",
    "plot_feature_maps",
    "stage_diagram",
    "plot_pixel_shuffle",
    "speed_quality_chart",
    "plot_training_curve",
    "plot_patch_pairs",
    "contrast_transfer",
    "plot_contrast_transfer",
]

BASELINE_COLOR = "#868e96"
MODEL_COLORS = ("#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599")


def _new_figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


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
    max_filters = _check_positive_int(max_filters, "max_filters")
    ncols = _check_positive_int(ncols, "ncols")
    order = np.arange(weights.shape[-1])
    if sort:
        order = np.argsort(-(weights ** 2).sum(axis=(0, 1)), kind="stable")
    order = order[:max_filters]
    limit = float(np.abs(weights[..., order]).max()) or 1.0
    nrows, ncols = _grid(len(order), ncols)
    figure = _new_figure(panel_inches * ncols, (panel_inches + 0.15) * nrows + (0.35 if title else 0))
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
    max_maps = _check_positive_int(max_maps, "max_maps")
    ncols = _check_positive_int(ncols, "ncols")
    order = np.arange(data.shape[-1])
    if sort:
        order = np.argsort(-data.std(axis=(0, 1)), kind="stable")
    order = order[:max_maps]
    nrows, ncols = _grid(len(order), ncols)
    aspect = data.shape[0] / data.shape[1]
    figure = _new_figure(panel_inches * ncols, (panel_inches * aspect + 0.2) * nrows + (0.35 if title else 0))
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
    """(H, W) or (H, W, C) real array -> list of 2-D panels scaled to [0, 1]."""
    data = _check_numeric(array, name, (2, 3))
    if data.ndim == 2:
        data = data[..., None]
    return data


def stage_diagram(stages: Sequence[tuple[str, str, Any]], *, max_cards: int = 4,
                  panel_inches: float = 2.0, title: str | None = None) -> Figure:
    """Draw a network as a left-to-right chain of its real intermediate data.

    Each stage is drawn as a stack of "cards" (its first channels, offset like
    a deck), labelled with its name and a caption, with arrows between stages,
    so the figure reads like the diagram in a paper but shows what the network
    actually computed on an image.

    Parameters
    ----------
    stages : sequence of (name, caption, array)
        ``array`` is ``(H, W)`` (one card, grey) or ``(H, W, C)`` (``C`` cards
        of which ``max_cards`` are drawn, busiest first; the caption should
        say how many there are). ``(H, W, 3)`` uint8 is drawn as one colour image.
    max_cards : int
        Cards drawn per multi-channel stage.
    panel_inches : float
        Width of one stage in inches.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis per stage, titled with the stage's name.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if not isinstance(stages, Sequence) or len(stages) == 0:
        raise ValueError(f"stages must be a non-empty list of (name, caption, array), got {stages!r:.80}")
    max_cards = _check_positive_int(max_cards, "max_cards")
    figure = _new_figure(panel_inches * len(stages), panel_inches * 1.35 + (0.3 if title else 0))
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
            order = np.argsort(-data.std(axis=(0, 1)), kind="stable")[:max_cards]
            cards = [data[..., channel] for channel in order]
        count = len(cards)
        offset = 0.12
        size = 1.0 - offset * (count - 1) * 0.5 if count > 1 else 1.0
        for card_index in reversed(range(count)):
            card = cards[card_index]
            shift = offset * card_index * 0.5
            extent = (shift, shift + size, 1.0 - shift - size, 1.0 - shift)
            if colour:
                ax.imshow(card, extent=extent, interpolation="nearest")
            else:
                low, high = float(card.min()), float(card.max())
                ax.imshow(card, extent=extent, cmap="gray", vmin=low, vmax=high if high > low else low + 1,
                          interpolation="nearest")
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
    figure = _new_figure(panel_inches * width_units, panel_inches * (h * scale + 2.4))
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


# --------------------------------------------------------------------------- speed vs quality
def _row_value(row: Mapping[str, Any], key: str, index: int) -> float:
    if key not in row:
        raise ValueError(f"rows[{index}] lacks {key!r}; each row needs 'method', 'psnr', "
                         f"'ms_per_megapixel' and 'parameters', got keys {sorted(row)}")
    value = float(row[key])
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"rows[{index}][{key!r}] must be a finite non-negative number, got {row[key]!r}")
    return value


def speed_quality_chart(rows: Sequence[Mapping[str, Any]], *, baseline: str = "bicubic",
                        title: str | None = None, ylabel: str = "Y-PSNR (dB)",
                        inches: tuple[float, float] = (7.0, 4.2)) -> Figure:
    """Scatter quality against speed; the marker area shows the number of parameters.

    Parameters
    ----------
    rows : sequence of dict
        One dict per method with ``"method"`` (label), ``"psnr"`` (dB),
        ``"ms_per_megapixel"`` (inference time per output megapixel) and
        ``"parameters"`` (0 for interpolation). Optional ``"group"`` (e.g. a
        dataset name) draws hollow markers for the rows of a second group, joined
        by a dotted line to the same method's first point.
    baseline : str
        Method drawn in grey with a dashed horizontal line at its PSNR.
    title : str, optional
        Figure title.
    ylabel : str
        Label of the quality axis.
    inches : (float, float)
        Figure size.

    Returns
    -------
    matplotlib.figure.Figure
        One axis with a logarithmic time axis; up and to the left is better.
        The first point of each method is annotated with ``"<method> (<parameters>)"``.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    if not isinstance(rows, Sequence) or len(rows) == 0:
        raise ValueError("rows must be a non-empty list of dicts with 'method', 'psnr', "
                         "'ms_per_megapixel' and 'parameters'")
    figure = _new_figure(*inches)
    ax = figure.add_subplot(1, 1, 1)
    methods: list[str] = []
    for row in rows:
        if not isinstance(row, Mapping) or "method" not in row:
            raise ValueError(f"each row must be a dict with a 'method', got {row!r:.80}")
        if str(row["method"]) not in methods:
            methods.append(str(row["method"]))
    colours = {}
    model_index = 0
    for method in methods:
        if method == baseline:
            colours[method] = BASELINE_COLOR
        else:
            colours[method] = MODEL_COLORS[model_index % len(MODEL_COLORS)]
            model_index += 1
    groups: list[str] = []
    first_point: dict[str, tuple[float, float]] = {}
    labels: list[tuple[float, float, str]] = []
    for index, row in enumerate(rows):
        psnr_value = _row_value(row, "psnr", index)
        speed = _row_value(row, "ms_per_megapixel", index)
        if speed <= 0:
            raise ValueError(f"rows[{index}]['ms_per_megapixel'] must be positive (log axis), got {speed}")
        parameters = _row_value(row, "parameters", index)
        method = str(row["method"])
        group = str(row.get("group", ""))
        if group not in groups:
            groups.append(group)
        hollow = groups.index(group) > 0
        area = 40.0 + 260.0 * math.sqrt(parameters / 60_000.0)
        ax.scatter([speed], [psnr_value], s=area, facecolors="none" if hollow else colours[method],
                   edgecolors=colours[method], linewidths=1.5, alpha=0.85, zorder=3, gid=f"point-{method}")
        if method in first_point:
            # the same method in another group: join the two points instead of labelling again
            ax.plot([first_point[method][0], speed], [first_point[method][1], psnr_value], linestyle=":",
                    color=colours[method], linewidth=1, zorder=2)
            continue
        first_point[method] = (speed, psnr_value)
        labels.append((speed, psnr_value, method if parameters == 0 else f"{method} ({parameters / 1000:.1f}k)"))
        if method == baseline and not hollow:
            ax.axhline(psnr_value, color=BASELINE_COLOR, linestyle="--", linewidth=0.8, zorder=1)
    # from left to right, alternate labels below and above their points so that neighbours do not collide
    for index, (speed, psnr_value, label) in enumerate(sorted(labels)):
        ax.annotate(label, (speed, psnr_value), textcoords="offset points", fontsize=8,
                    xytext=(9, -12) if index % 2 == 0 else (9, 6))
    ax.set_xscale("log")
    ax.set_xlabel("inference time (ms per output megapixel, log scale; left is faster)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.margins(x=0.35, y=0.2)
    if len(groups) > 1:
        ax.text(0.99, 0.01, "filled: " + (groups[0] or "this run") + "   hollow: " + ", ".join(groups[1:]),
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7)
    ax.set_title(title or "speed vs quality (marker area ~ parameters)", fontsize=10)
    return figure


# --------------------------------------------------------------------------- training curve
def plot_training_curve(steps: Sequence[float], psnr_values: Sequence[float], *, baseline: float | None = None,
                        loss_steps: Sequence[float] | None = None, loss: Sequence[float] | None = None,
                        label: str = "model", title: str | None = None,
                        inches: tuple[float, float] = (8.0, 3.2)) -> Figure:
    """Plot validation PSNR against training steps next to the bicubic line (and the loss).

    Parameters
    ----------
    steps, psnr_values : sequence of float
        Validation points (same length, at least one).
    baseline : float, optional
        Bicubic PSNR on the same validation set, drawn as a dashed line.
    loss_steps, loss : sequence of float, optional
        Training loss per step, drawn in a second panel (log scale).
    label : str
        Legend entry of the model curve.
    title : str, optional
        Figure title.
    inches : (float, float)
        Figure size.

    Returns
    -------
    matplotlib.figure.Figure
        One axis titled ``"validation PSNR"`` (and one titled ``"training loss"``).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    x = np.asarray(steps, dtype=np.float64)
    y = np.asarray(psnr_values, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0:
        raise ValueError(f"steps and psnr_values must be 1-D of one non-zero length, got {x.shape} and {y.shape}")
    with_loss = loss is not None
    if with_loss:
        loss_y = np.asarray(loss, dtype=np.float64)
        loss_x = np.arange(1, loss_y.size + 1, dtype=np.float64) if loss_steps is None \
            else np.asarray(loss_steps, dtype=np.float64)
        if loss_y.ndim != 1 or loss_x.shape != loss_y.shape or loss_y.size == 0:
            raise ValueError(f"loss_steps and loss must be 1-D of one non-zero length, "
                             f"got {loss_x.shape} and {loss_y.shape}")
    figure = _new_figure(*inches)
    ax = figure.add_subplot(1, 2 if with_loss else 1, 1)
    ax.plot(x, y, marker="o", color=MODEL_COLORS[0], label=label)
    if baseline is not None:
        ax.axhline(float(baseline), color=BASELINE_COLOR, linestyle="--", label=f"bicubic {float(baseline):.2f} dB")
    ax.set_xlabel("training step")
    ax.set_ylabel("Y-PSNR (dB)")
    ax.set_title("validation PSNR")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    if with_loss:
        loss_ax = figure.add_subplot(1, 2, 2)
        loss_ax.plot(loss_x, loss_y, color=MODEL_COLORS[1], linewidth=1)
        if np.all(loss_y > 0):
            loss_ax.set_yscale("log")
        loss_ax.set_xlabel("training step")
        loss_ax.set_title("training loss")
        loss_ax.grid(True, alpha=0.3)
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
        ``{row title: batch}``, each batch ``(n, h, w)`` or ``(n, h, w, 1)`` float in
        [0, 1] (e.g. the arrays of :meth:`srlib.data.PairedPatches.batch`);
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
    Taught in ``03_srcnn.ipynb``.
    """
    if not isinstance(columns, Mapping) or len(columns) == 0:
        raise ValueError("columns must be a non-empty dict {row title: batch of patches}")
    max_pairs = _check_positive_int(max_pairs, "max_pairs")
    batches = {}
    for name, batch in columns.items():
        data = _check_numeric(batch, f"columns[{name!r}]", (3, 4))
        if data.ndim == 4:
            if data.shape[-1] != 1:
                raise ValueError(f"columns[{name!r}] must have one channel, got shape {data.shape}")
            data = data[..., 0]
        batches[str(name)] = data
    counts = {data.shape[0] for data in batches.values()}
    if len(counts) != 1:
        raise ValueError(f"all batches must hold the same number of patches, got {sorted(counts)}")
    pairs = min(max_pairs, counts.pop())
    figure = _new_figure(panel_inches * pairs + 0.4, (panel_inches + 0.1) * len(batches) + (0.35 if title else 0))
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


# --------------------------------------------------------------------------- what cannot be restored
def contrast_transfer(reference: Any, test: Any, *, max_frequency: float = 0.5,
                      bins: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Measure how much of each spatial frequency an upscaler restores, on a zone plate.

    A zone plate's local frequency grows linearly with the radius (see
    :func:`srlib.patterns.zone_plate`), so each ring of radii is a test at one
    frequency. In each ring the transfer is the least-squares gain of the test
    image's pattern onto the reference's, ``sum(a * b) / sum(a * a)`` with
    ``a``, ``b`` the ring's mean-free reference and test grey levels (the mean of
    the colour channels; a zone plate is grey): 1 when the
    pattern is reproduced, 0 when it is gone (flat grey) or replaced by
    unrelated (aliased) rings. It is a measured modulation transfer function.

    Parameters
    ----------
    reference : ndarray
        The zone plate, ``(N, N)`` or ``(N, N, 3)``, uint8 or float.
    test : ndarray
        The upscaler's output, same shape.
    max_frequency : float
        The zone plate's frequency at the edge midpoints (cycles per pixel), as
        passed to :func:`srlib.patterns.zone_plate`.
    bins : int
        Number of rings between the centre and the edge midpoints.

    Returns
    -------
    frequencies, transfer : ndarray
        ``(bins,)`` ring-centre frequencies in cycles per pixel and the transfer
        in each ring (NaN for an empty or flat ring).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    ref = _check_numeric(reference, "reference", (2, 3))
    out = _check_numeric(test, "test", (2, 3))
    if ref.shape != out.shape:
        raise ValueError(f"reference {ref.shape} and test {out.shape} must have one shape")
    if (np.asarray(reference).dtype == np.uint8) != (np.asarray(test).dtype == np.uint8):
        raise ValueError(f"reference ({np.asarray(reference).dtype}) and test ({np.asarray(test).dtype}) must "
                         "be on one scale: both uint8, or both float")
    if ref.shape[0] != ref.shape[1]:
        raise ValueError(f"a zone plate is square, got shape {ref.shape}")
    bins = _check_positive_int(bins, "bins")
    if not 0 < float(max_frequency) <= 0.5:
        raise ValueError(f"max_frequency must be in (0, 0.5], got {max_frequency!r}")
    if ref.ndim == 3:
        ref, out = ref.mean(axis=-1), out.mean(axis=-1)
    size = ref.shape[0]
    coords = np.arange(size) - (size - 1) / 2.0
    radius = np.hypot(coords[:, None], coords[None, :])
    edges = np.linspace(0.0, size / 2.0, bins + 1)
    frequencies = 0.5 * (edges[:-1] + edges[1:]) / (size / 2.0) * float(max_frequency)
    transfer = np.full(bins, np.nan)
    for index in range(bins):
        ring = (radius >= edges[index]) & (radius < edges[index + 1])
        if ring.sum() < 8:
            continue
        a = ref[ring] - ref[ring].mean()
        b = out[ring] - out[ring].mean()
        energy = float((a * a).sum())
        if energy > 1e-9:
            transfer[index] = float((a * b).sum()) / energy
    return frequencies, transfer


def plot_contrast_transfer(reference: Any, results: Mapping[str, Any], *, max_frequency: float = 0.5,
                           scale: int | None = None, bins: int = 32, title: str | None = None,
                           inches: tuple[float, float] = (6.0, 3.2)) -> Figure:
    """Plot :func:`contrast_transfer` of several upscalers against frequency.

    Parameters
    ----------
    reference : ndarray
        The HR zone plate.
    results : dict of str to ndarray
        ``{method: upscaled zone plate}``.
    max_frequency : float
        The zone plate's frequency at the edge midpoints.
    scale : int, optional
        Draw the LR image's Nyquist limit, ``0.5 / scale`` cycles per HR pixel:
        beyond it the low-resolution input holds no (true) information.
    bins : int
        Rings (frequency samples).
    title : str, optional
        Axis title.
    inches : (float, float)
        Figure size.

    Returns
    -------
    matplotlib.figure.Figure
        One axis, one line per method (label = method name).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if not isinstance(results, Mapping) or len(results) == 0:
        raise ValueError("results must be a non-empty dict {method: upscaled zone plate}")
    figure = _new_figure(*inches)
    ax = figure.add_subplot(1, 1, 1)
    model_index = 0
    for name, image in results.items():
        frequencies, transfer = contrast_transfer(reference, image, max_frequency=max_frequency, bins=bins)
        if str(name).lower().startswith("bicubic"):
            colour = BASELINE_COLOR
        else:
            colour = MODEL_COLORS[model_index % len(MODEL_COLORS)]
            model_index += 1
        ax.plot(frequencies, transfer, marker=".", color=colour, label=str(name))
    if scale is not None:
        scale = _check_positive_int(scale, "scale")
        ax.axvline(0.5 / scale, color="black", linestyle=":", linewidth=1)
        ax.text(0.5 / scale, 1.22, f" LR Nyquist (0.5/{scale})", fontsize=8, va="center", ha="left")
    ax.axhline(0.0, color="black", linewidth=0.5)
    ax.set_xlabel("spatial frequency (cycles per HR pixel)")
    ax.set_ylabel("contrast restored")
    ax.set_ylim(-0.3, 1.3)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or "how much of each frequency comes back (zone plate)", fontsize=10)
    return figure

"""Charts of results: a results table with bars, speed against quality, training
curves, the measured contrast transfer and the cost of each layer.

Like every :mod:`srlib.plots` module, each function returns a
:class:`matplotlib.figure.Figure` built without ``pyplot`` state; nothing here
imports TensorFlow or Keras: pass numbers, not models.

Taught in ``01_interpolation_artifacts.ipynb``, ``02_degradation_and_evaluation.ipynb``,
``03_srcnn.ipynb``, ``04_fast_sr_networks.ipynb`` and ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.table import Table

from srlib._checks import check_positive_int
from srlib.metrics import contrast_transfer
from srlib.plots._style import BAR_COLOR, BASELINE_COLOR, MODEL_COLORS, ROLE_COLORS, method_colors, new_figure

__all__ = ["table_figure", "speed_quality_chart", "plot_training_curve", "plot_contrast_transfer", "layer_cost_chart",
           "plot_perception_distortion"]


# --------------------------------------------------------------------------- results table
def table_figure(rows: Sequence[Sequence[Any]] | Sequence[Mapping[str, Any]], columns: Sequence[str], *,
                 bar_column: str | None = None, group_column: str | None = None,
                 baseline: str | None = "bicubic", title: str | None = None, digits: int = 2) -> Figure:
    """Render a results table as a figure: a bar chart of one column above the table.

    Bars always start at zero, so their heights compare honestly (a 5 % gap looks
    like 5 %). To show small differences, draw a column of differences from the
    baseline (e.g. ``"vs bicubic (dB)"``) instead of the raw PSNR.

    Parameters
    ----------
    rows : sequence of sequences or of dicts
        One row per method/model; the first column is the row's label
        (e.g. ``[["bicubic", 30.39, 0.868], ["SRCNN", 32.4, 0.90]]``), or dicts
        keyed by ``columns``.
    columns : sequence of str
        Column names, e.g. ``["method", "PSNR (dB)", "SSIM"]``.
    bar_column : str, optional
        Column drawn as bars (default: the first numeric column after the label
        and ``group_column``).
    group_column : str, optional
        Column that groups the rows (e.g. ``"scale"``): one cluster of bars per
        row label, one bar per group, coloured by group, with a legend - one chart
        for a table of several scales.
    baseline : str, optional
        Row label marked as the baseline (default ``"bicubic"``): grey bars (without
        groups), "(baseline)" under its bars and a shaded table row.
    title : str, optional
        Figure title.
    digits : int
        Decimals shown for floats in the table (``digits + 2`` in a column whose
        floats are all below 1 in magnitude, e.g. SSIM).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the bar chart (``ylabel`` = ``bar_column``; one bar patch per
        row, in the order of the rows) and the table axis (holding a
        :class:`matplotlib.table.Table`). Long row labels and column
        names are wrapped (bar labels to the width of a bar, table texts at about
        40 and 24 characters), table columns are as wide as their texts, and the
        figure grows with them; with many bars the labels turn vertical.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb`` and ``02_degradation_and_evaluation.ipynb``.
    """
    columns = [str(c) for c in columns]
    if len(columns) < 2:
        raise ValueError(f"columns must name a label column and at least one value column, got {columns!r}")
    table_rows: list[list[Any]] = []
    for index, row in enumerate(rows):
        if isinstance(row, Mapping):
            missing = [c for c in columns if c not in row]
            if missing:
                raise ValueError(f"row {index} lacks columns {missing}; it has {sorted(row)}")
            values = [row[c] for c in columns]
        else:
            values = list(row)
            if len(values) != len(columns):
                raise ValueError(f"row {index} has {len(values)} values but there are "
                                 f"{len(columns)} columns {columns}")
        table_rows.append(values)
    if not table_rows:
        raise ValueError("rows is empty; pass at least one row")

    def numeric(value: Any) -> bool:
        return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)

    if group_column is not None and group_column not in columns[1:]:
        raise ValueError(f"group_column {group_column!r} is not one of the value columns {columns[1:]}")
    if bar_column is None:
        candidates = [c for i, c in enumerate(columns[1:], 1)
                      if c != group_column and all(numeric(r[i]) for r in table_rows)]
        if not candidates:
            raise ValueError(f"no numeric column to draw as bars among {columns[1:]}; pass bar_column")
        bar_column = candidates[0]
    if bar_column not in columns[1:] or bar_column == group_column:
        raise ValueError(f"bar_column {bar_column!r} is not one of the value columns {columns[1:]}"
                         + (f" other than group_column {group_column!r}" if group_column else ""))
    bar_index = columns.index(bar_column)
    row_labels = [str(r[0]) for r in table_rows]
    labels = list(dict.fromkeys(row_labels))  # one cluster of bars per label, in order of appearance
    try:
        heights = [float(r[bar_index]) for r in table_rows]
    except (TypeError, ValueError):
        raise ValueError(f"column {bar_column!r} must be numeric to draw bars") from None
    if group_column is None:
        groups: list[str] = [""]
        row_groups = [""] * len(table_rows)
        colors = [BASELINE_COLOR if label == baseline else BAR_COLOR for label in row_labels]
    else:
        group_index = columns.index(group_column)
        row_groups = [str(r[group_index]) for r in table_rows]
        groups = list(dict.fromkeys(row_groups))
        palette = {group: MODEL_COLORS[i % len(MODEL_COLORS)] for i, group in enumerate(groups)}
        colors = [palette[group] for group in row_groups]
        seen: set[tuple[str, str]] = set()
        for label, group in zip(row_labels, row_groups):
            if (label, group) in seen:
                raise ValueError(f"two rows for {label!r} in group {group!r} of {group_column!r}; "
                                 "each (label, group) pair must appear once")
            seen.add((label, group))
    # floats: `digits` decimals, or `digits + 2` in a column whose floats are all below 1 (e.g. SSIM)
    small = [all(abs(row[i]) < 1 for row in table_rows if isinstance(row[i], (float, np.floating)))
             for i in range(len(columns))]
    cell_text = [[f"{v:.{digits + 2 if small[i] else digits}f}" if isinstance(v, (float, np.floating)) else str(v)
                  for i, v in enumerate(row)] for row in table_rows]

    # ---- layout, in inches, from the length of the texts: wrap long texts, size columns to fit them
    header_text = [_wrap(name, max(16, min(_HEADER_WRAP, max(len(row[i]) for row in cell_text))))
                   for i, name in enumerate(columns)]
    body_text = [[_wrap(text, _LABEL_WRAP) for text in row] for row in cell_text]
    column_chars = [max(_text_width(header_text[i]), *(_text_width(row[i]) for row in body_text)) + 2
                    for i in range(len(columns))]
    row_lines = [_text_lines(header_text)] + [_text_lines(row) for row in body_text]
    table_width = sum(column_chars) * _TABLE_CHAR_INCHES
    table_height = sum(_TABLE_ROW_PAD + _TABLE_LINE_INCHES * lines for lines in row_lines)
    cluster_inches = 0.9 * (1.0 + 0.35 * (len(groups) - 1))  # one label's bars
    width = min(_MAX_TABLE_FIGURE_WIDTH, max(5.0, cluster_inches * len(labels) + 2.0, table_width + 0.4))

    slot_chars = int(0.85 * (width - 1.2) / len(labels) / _TICK_CHAR_INCHES)  # characters under one bar
    if slot_chars >= 8 or all(len(label) <= slot_chars for label in labels):  # e.g. many short labels ("x2")
        tick_labels = [_wrap(label, max(slot_chars, 1)) for label in labels]
        tick_rotation, tick_height = 0.0, _TICK_LINE_INCHES * _text_lines(tick_labels)
    else:  # too many bars for horizontal labels: vertical, one (shortened) line each
        tick_labels = [_shorten(label, 28) for label in labels]
        tick_rotation = 90.0
        tick_height = _TICK_CHAR_INCHES * max(len(label) for label in tick_labels) + _TICK_LINE_INCHES
    if group_column is not None:
        bar_title = f"{bar_column}, by {group_column}" + (f" ({baseline} = baseline)" if baseline in labels else "")
    elif baseline in labels:
        bar_title = f"{bar_column} ({baseline} in grey = baseline)"
    else:
        bar_title = bar_column
    bar_title = _wrap(bar_title, int((width - 0.5) / _TITLE_CHAR_INCHES))
    bar_height = 2.4 + tick_height + 0.17 * _text_lines([bar_title])
    title_text = _wrap(title, int((width - 0.3) / (1.2 * _TITLE_CHAR_INCHES))) if title else None
    title_height = 0.2 * _text_lines([title_text]) + 0.1 if title_text else 0.0

    figure = new_figure(width, title_height + bar_height + table_height + 0.25)
    grid = figure.add_gridspec(2, 1, height_ratios=[bar_height, table_height])
    bar_ax = figure.add_subplot(grid[0])
    positions = np.arange(len(labels))
    bar_width = 0.8 / len(groups)
    offsets = [positions[labels.index(label)] + (groups.index(group) - (len(groups) - 1) / 2) * bar_width
               for label, group in zip(row_labels, row_groups)]
    bars = bar_ax.bar(offsets, heights, width=bar_width, color=colors)
    finite = [h for h in heights if math.isfinite(h)]
    if finite:  # bars from zero, negative values included
        low, high = min(0.0, *finite), max(0.0, *finite)
        pad = 0.08 * max(high - low, 1e-9)
        bar_ax.set_ylim(low - (pad if low < 0 else 0.0), high + (pad if high > 0 else 0.0))
    bar_ax.axhline(0, color="black", linewidth=0.8)
    bar_ax.bar_label(bars, labels=[f"{h:.{digits}f}" for h in heights], fontsize=8 if len(groups) == 1 else 7,
                     padding=2)
    if group_column is not None:
        handles = [bars[row_groups.index(group)] for group in groups]
        bar_ax.legend(handles, [f"{group_column} {group}" for group in groups], fontsize=8, loc="best",
                      ncols=min(len(groups), 4))
    bar_ax.set_xticks(positions, tick_labels, fontsize=_TICK_FONT_SIZE, rotation=tick_rotation)
    bar_ax.set_ylabel(_wrap(bar_column, 34), fontsize=9)
    bar_ax.spines[["top", "right"]].set_visible(False)
    bar_ax.set_title(bar_title, fontsize=10)

    table_ax = figure.add_subplot(grid[1])
    table_ax.set_axis_off()
    # the table keeps its natural width (centred) unless the figure is too narrow for it
    fraction = min(1.0, table_width / max(width - 0.3, 1e-9))
    table = Table(table_ax, bbox=[(1.0 - fraction) / 2, 0.0, fraction, 1.0])
    total_chars = sum(column_chars)
    for row_index, (row, lines) in enumerate(zip([header_text, *body_text], row_lines)):
        for column_index, text in enumerate(row):
            cell = table.add_cell(row_index, column_index, width=column_chars[column_index] / total_chars,
                                  height=_TABLE_ROW_PAD + _TABLE_LINE_INCHES * lines, text=text,
                                  loc="left" if column_index == 0 and row_index > 0 else "center")
            cell.PAD = 1.0 / column_chars[column_index]  # one character of padding (default: 10 % of the width)
    table.auto_set_font_size(False)
    table.set_fontsize(_TABLE_FONT_SIZE)
    for (row_index, _), cell in table.get_celld().items():
        if row_index == 0:
            cell.set_text_props(fontweight="bold")
        elif row_labels[row_index - 1] == baseline:
            cell.set_facecolor("#f1f3f5")
    table_ax.add_table(table)
    if title_text:
        figure.suptitle(title_text)
    return figure


# sizes for table_figure's layout (inches per character / line at the fonts used)
_TABLE_FONT_SIZE = 8
_TABLE_CHAR_INCHES = 0.072  # 8 pt, bold headers included
_TABLE_LINE_INCHES = 0.15
_TABLE_ROW_PAD = 0.09
_TICK_FONT_SIZE = 8
_TICK_CHAR_INCHES = 0.068
_TICK_LINE_INCHES = 0.15
_TITLE_CHAR_INCHES = 0.085  # 10 pt
_HEADER_WRAP = 24  # characters per line of a column name
_LABEL_WRAP = 40  # characters per line of a row label or text cell
_MAX_TABLE_FIGURE_WIDTH = 16.0


def _wrap(text: str, width: int) -> str:
    """``text`` wrapped at ``width`` characters per line (existing line breaks kept)."""
    width = max(1, int(width))
    lines = []
    for line in str(text).split("\n"):
        lines.extend(textwrap.wrap(line, width=width, break_long_words=True, break_on_hyphens=False) or [line])
    return "\n".join(lines)


def _text_width(text: str) -> int:
    return max(len(line) for line in text.split("\n"))


def _text_lines(texts: Sequence[str]) -> int:
    return max(text.count("\n") + 1 for text in texts)


def _shorten(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


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
    figure = new_figure(*inches)
    ax = figure.add_subplot(1, 1, 1)
    methods: list[str] = []
    for row in rows:
        if not isinstance(row, Mapping) or "method" not in row:
            raise ValueError(f"each row must be a dict with a 'method', got {row!r:.80}")
        if str(row["method"]) not in methods:
            methods.append(str(row["method"]))
    colours = method_colors(methods, baseline)
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
    figure = new_figure(*inches)
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


# --------------------------------------------------------------------------- what cannot be restored
def plot_contrast_transfer(reference: Any, results: Mapping[str, Any], *, max_frequency: float = 0.5,
                           scale: int | None = None, bins: int = 32, title: str | None = None,
                           inches: tuple[float, float] = (6.0, 3.2)) -> Figure:
    """Plot :func:`srlib.metrics.contrast_transfer` of several upscalers against frequency.

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
    figure = new_figure(*inches)
    ax = figure.add_subplot(1, 1, 1)
    colours = method_colors(results, "bicubic")
    for name, image in results.items():
        frequencies, transfer = contrast_transfer(reference, image, max_frequency=max_frequency, bins=bins)
        colour = colours[str(name)]
        ax.plot(frequencies, transfer, marker=".", color=colour, label=str(name))
    if scale is not None:
        scale = check_positive_int(scale, "scale")
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


# --------------------------------------------------------------------------- cost per layer
def _role(layer: str, roles: Mapping[str, str] | None) -> str:
    if roles is not None and layer in roles:
        return str(roles[layer])
    stem = layer.rstrip("0123456789")
    return (stem[:-1] if stem.endswith("_") and stem != layer else layer).replace("_", " ")


def layer_cost_chart(costs: Mapping[str, Mapping[str, float]], *, roles: Mapping[str, str] | None = None,
                     unit: str = "multiply-adds per output pixel", title: str | None = None,
                     width: float = 9.0) -> Figure:
    """Split each network's cost into its layers: one bar per network, one labelled segment per layer.

    Each bar is the network's whole cost (100 %), so the split is readable even
    for a cheap network with many layers; the total is written beside the bar.
    A segment's colour is its layer's *role* and means the same in every bar, with
    one legend for the figure; every segment is labelled (inside when it fits,
    else above the bar with a leader line).

    Parameters
    ----------
    costs : dict of str to dict of str to float
        ``{network: {layer: cost}}``, layers in order, costs non-negative (e.g.
        multiply-adds per output pixel of each layer).
    roles : dict of str to str, optional
        ``{layer: role}``, e.g. ``{"patch_extraction": "feature extraction"}``.
        Default: the layer name without a trailing ``_<number>`` (so
        ``mapping_1`` ... ``mapping_4`` share one colour).
    unit : str
        What the costs count, for the totals and the axis label.
    title : str, optional
        Axis title.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        One axis with one bar patch per layer (``gid`` = ``"<network>/<layer>"``),
        a legend of the roles (in order of first appearance) and x in percent.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    if not isinstance(costs, Mapping) or not costs:
        raise ValueError("costs must be a non-empty dict {network: {layer: cost}}")
    for network, layers in costs.items():
        if not isinstance(layers, Mapping) or not layers:
            raise ValueError(f"costs[{network!r}] must be a non-empty dict {{layer: cost}}, got {layers!r:.60}")
        for layer, value in layers.items():
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(float(value)) or value < 0:
                raise ValueError(f"costs[{network!r}][{layer!r}] must be a finite number >= 0, got {value!r}")
        if sum(float(v) for v in layers.values()) <= 0:
            raise ValueError(f"costs[{network!r}] adds up to 0; nothing to split")
    role_colours: dict[str, str] = {}
    for layers in costs.values():
        for layer in layers:
            role = _role(str(layer), roles)
            role_colours.setdefault(role, ROLE_COLORS[len(role_colours) % len(ROLE_COLORS)])

    spacing = 1.5  # bar pitch in data units: room for the labels above each bar
    figure = new_figure(width, 1.2 + 1.25 * len(costs) + 0.3 * math.ceil(len(role_colours) / 4))
    ax = figure.add_subplot()
    axis_inches = width - 2.6  # about: the axis' width after tick labels and the totals
    char_inches = 0.058  # 7.5 pt
    for index, (network, layers) in enumerate(costs.items()):
        row = spacing * index
        total = sum(float(v) for v in layers.values())
        left = 0.0
        above = 0  # labels that did not fit inside, placed above the bar in a row of their own
        for layer, value in layers.items():
            share = 100.0 * float(value) / total
            role = _role(str(layer), roles)
            ax.barh(row, share, left=left, height=0.5, color=role_colours[role], edgecolor="white",
                    linewidth=1.2, gid=f"{network}/{layer}")
            name = str(layer).replace("_", " ")
            text = f"{name}\n{float(value):,.0f}"
            fits = share / 100.0 * axis_inches >= (max(len(name), 5) + 1) * char_inches
            centre = left + share / 2
            if fits:
                ax.text(centre, row, text, ha="center", va="center", fontsize=7.5, color="white",
                        fontweight="bold")
            else:  # above the bar, staggered in two heights, joined to the segment by a line
                height = row - 0.4 - 0.25 * (above % 2)
                align = "left" if centre < 8 else "right" if centre > 92 else "center"
                ax.annotate(text, (centre, row - 0.25), xytext=(centre, height), ha=align, va="bottom",
                            fontsize=7, arrowprops={"arrowstyle": "-", "color": "#495057", "linewidth": 0.6})
                above += 1
            left += share
        ax.text(101.5, row, f"{total:,.0f}", va="center", ha="left", fontsize=9, fontweight="bold")
    ax.set_yticks([spacing * i for i in range(len(costs))], list(costs), fontsize=10)
    ax.set_ylim(spacing * (len(costs) - 1) + 0.5, -1.2)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"share of the network's {unit} (%); total at the right")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Rectangle((0, 0), 1, 1, color=colour) for colour in role_colours.values()]
    figure.legend(handles, list(role_colours), loc="outside lower center", ncols=min(5, len(role_colours)),
                  fontsize=8, frameon=False, title="colour = the layer's role (the same in every bar)",
                  title_fontsize=8)
    ax.set_title(title or f"where the work is, layer by layer ({unit})", fontsize=10)
    return figure


# --------------------------------------------------------------------------- perception vs distortion
def plot_perception_distortion(points: Mapping[str, Sequence[float]], *, path: Sequence[str] = (),
                               baseline: str = "bicubic", title: str | None = None,
                               inches: tuple[float, float] = (6.4, 4.4)) -> Figure:
    """The perception-distortion plane: Y-PSNR (x, better to the right) against NIQE (y, better down).

    Parameters
    ----------
    points : dict of str to (psnr, niqe)
        One point per method, e.g. ``{"bicubic": (26.0, 7.6), "srresnet": (27.6, 6.3), ...}``.
    path : sequence of str
        Names in ``points`` joined by a line in this order (the network-interpolation sweep
        ``alpha = 0 ... 1``); drawn as small dots, labelled at both ends only.
    baseline : str
        Drawn in the baseline colour (grey).
    title : str, optional
        Axis title.
    inches : (float, float)
        Figure size.

    Returns
    -------
    matplotlib.figure.Figure
        One axis; its y axis is inverted, so "better" is up and to the right (Blau & Michaeli,
        CVPR 2018, draw it the other way up: lower-left is better there).

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    if not isinstance(points, Mapping) or not points:
        raise ValueError("points must be a non-empty dict {method: (psnr, niqe)}")
    values = {}
    for name, pair in points.items():
        try:
            psnr_value, niqe_value = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise ValueError(f"points[{name!r}] must be a pair (psnr, niqe), got {pair!r}") from None
        if not (math.isfinite(psnr_value) and math.isfinite(niqe_value)):
            raise ValueError(f"points[{name!r}] must be finite numbers, got {pair!r}")
        values[str(name)] = (psnr_value, niqe_value)
    missing = [name for name in path if name not in values]
    if missing:
        raise ValueError(f"path names {missing} are not in points")
    figure = new_figure(*inches)
    ax = figure.add_subplot(1, 1, 1)
    singles = [name for name in values if name not in set(path)]
    colors = method_colors(singles, baseline=baseline)
    if path:
        xs, ys = zip(*(values[name] for name in path))
        ax.plot(xs, ys, color=MODEL_COLORS[-1], marker=".", linewidth=1.5, label=f"{path[0]} ... {path[-1]}")
        for name in (path[0], path[-1]):
            ax.annotate(name, values[name], textcoords="offset points", xytext=(6, -10), fontsize=8)
    for name in singles:
        x, y = values[name]
        ax.scatter([x], [y], color=colors[name], s=36, zorder=3)
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
    ax.margins(0.15)
    ax.invert_yaxis()
    ax.set_xlabel("Y-PSNR (dB)  -> less distortion")
    ax.set_ylabel("NIQE  (up = more natural)")
    ax.grid(True, alpha=0.3)
    if path:
        ax.legend(fontsize=8, loc="best")
    ax.set_title(title or "perception-distortion plane")
    return figure

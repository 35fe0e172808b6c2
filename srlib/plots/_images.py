"""Image figures: side-by-side comparisons with a zoom, difference maps, spectra
and line profiles.

Every function returns a :class:`matplotlib.figure.Figure` built without
``pyplot`` state (safe under the Agg backend, in tests and in scripts); nothing
calls ``plt.show()``. In a notebook the returned figure displays itself as the
cell's result. Images are shown with nearest-neighbour display so that what
you see is the pixels, not the browser's or matplotlib's own resampling.

Taught in ``01_interpolation_artifacts.ipynb``.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from srlib.plots._style import BASELINE_COLOR, CAPTION_FONT_SIZE, PANEL_INCHES, ZOOM_COLOR, new_figure

__all__ = [
    "compare",
    "difference_map",
    "spectrum",
    "plot_spectra",
    "line_profile",
    "difference",
]

# --------------------------------------------------------------------------- helpers
def _check_image(image: Any, name: str = "image") -> np.ndarray:
    """Return ``image`` as a uint8 array of shape (H, W) or (H, W, 3) for display."""
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[-1] not in (3, 4)):
        raise ValueError(f"{name} must have shape (H, W) or (H, W, 3), got {array.shape}; "
                         "pass one image, not a batch")
    if array.ndim == 3 and array.shape[-1] == 4:
        array = array[..., :3]
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError(f"{name} is empty (shape {array.shape})")
    if array.dtype == np.uint8:
        return array
    if np.issubdtype(array.dtype, np.bool_):
        return array.astype(np.uint8) * 255
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must be numeric, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.integer):
        if array.min() < 0 or array.max() > 255:
            raise ValueError(f"{name} has integer values outside [0, 255] "
                             f"({array.min()}..{array.max()}); convert it to uint8 first")
        return array.astype(np.uint8)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    low, high = float(array.min()), float(array.max())
    if low < -1e-3 or high > 1 + 1e-3:
        raise ValueError(f"float {name} must lie in [0, 1], got {low:.3g}..{high:.3g}; "
                         "use srlib.images.to_float for uint8 images")
    from srlib.images import to_uint8  # the one float -> uint8 conversion (rounds halves up, like MATLAB)

    return to_uint8(np.clip(array, 0.0, 1.0))


def _check_images(images: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if not isinstance(images, Mapping) or len(images) == 0:
        raise ValueError("images must be a non-empty dict {title: image}, "
                         f"got {type(images).__name__} of length {len(images) if hasattr(images, '__len__') else '?'}")
    return {str(name): _check_image(image, f"images[{name!r}]") for name, image in images.items()}


def _luma(image: np.ndarray) -> np.ndarray:
    """BT.601 luma Y of a display image (uint8 RGB or grey) as float64 on the [0, 255] scale."""
    if image.ndim == 2:
        return image.astype(np.float64)
    from srlib.images import rgb_to_y

    return np.asarray(rgb_to_y(image, rounded=False), dtype=np.float64)


def _style_image_axis(ax: Any, title: str | None = None) -> None:
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)


def _show(ax: Any, image: np.ndarray, **kwargs: Any) -> Any:
    if image.ndim == 2:
        kwargs.setdefault("cmap", "gray")
        kwargs.setdefault("vmin", 0)
        kwargs.setdefault("vmax", 255)
    return ax.imshow(image, interpolation="nearest", **kwargs)


def _check_zoom(zoom: Sequence[int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    try:
        y, x, h, w = (int(v) for v in zoom)
    except (TypeError, ValueError):
        raise ValueError(f"zoom must be (y, x, height, width) in pixels, got {zoom!r}") from None
    height, width = shape[:2]
    if h < 1 or w < 1 or y < 0 or x < 0 or y + h > height or x + w > width:
        raise ValueError(f"zoom {zoom!r} (y, x, height, width) does not fit inside an image "
                         f"of {height}x{width}; pick a region inside the image")
    return y, x, h, w


def _metric_caption(reference: np.ndarray, image: np.ndarray, border: int, channel: str) -> str:
    from srlib.metrics import psnr, ssim

    if image.shape != reference.shape:
        return f"size {image.shape[1]}x{image.shape[0]} (no metrics)"
    psnr_value = float(psnr(reference, image, border=border, channel=channel))
    if math.isinf(psnr_value):
        return "reference"
    ssim_value = float(ssim(reference, image, border=border, channel=channel))
    return f"PSNR {psnr_value:.2f} dB  SSIM {ssim_value:.4f}"


# --------------------------------------------------------------------------- compare
def compare(images: Mapping[str, Any], *, zoom: Sequence[int] | None = None,
            reference: Any | None = None, border: int = 0, channel: str = "y",
            ncols: int | None = None, panel_inches: float = PANEL_INCHES,
            title: str | None = None) -> Figure:
    """Show images side by side, optionally with a shared zoom and PSNR/SSIM captions.

    Parameters
    ----------
    images : dict of str to ndarray
        ``{title: image}``; uint8 or float in [0, 1], (H, W) or (H, W, 3).
        With ``zoom`` all images must share one height and width.
    zoom : (y, x, height, width), optional
        Region drawn as a rectangle on every full image and shown magnified
        (nearest neighbour) in a second row under each panel.
    reference : ndarray, optional
        Ground truth: each panel of the same shape gets ``PSNR / SSIM`` (computed
        with :func:`srlib.metrics.psnr` / ``ssim``, ``border`` and ``channel``)
        written under it, at :data:`srlib.plots._style.CAPTION_FONT_SIZE` (10 pt), as
        the x label (``gid="metric-caption"``) of its lowest axis.
    border : int
        Pixels ignored at each edge for the metrics (the protocol uses the scale).
    channel : str
        Channel for the metrics (``"y"`` in the protocol).
    ncols : int, optional
        Panels per row (default: all in one row, at most 4).
    panel_inches : float
        Size of one panel in inches.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One image axis per panel (``ax.get_title()`` is the panel's name) and,
        with ``zoom``, one more per panel titled ``"<name> (zoom)"``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``; used in every lesson (00-04) to compare results.
    """
    panels = _check_images(images)
    ref = None if reference is None else _check_image(reference, "reference")
    if ncols is None:
        ncols = min(len(panels), 4)
    if not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    if not isinstance(border, (int, np.integer)) or border < 0:
        raise ValueError(f"border must be a non-negative integer, got {border!r}")
    box = None
    if zoom is not None:
        shapes = {image.shape[:2] for image in panels.values()}
        if len(shapes) != 1:
            raise ValueError(f"with zoom, all images must share one size, got {sorted(shapes)}; "
                             "upscale them to the ground-truth size first")
        box = _check_zoom(zoom, next(iter(shapes)))
    ncols = int(min(ncols, len(panels)))
    nrows = math.ceil(len(panels) / ncols)
    rows_per_panel = 2 if box else 1
    caption_inches = 0.25 if ref is not None else 0.0
    figure = new_figure(panel_inches * ncols, ((panel_inches + 0.35) * rows_per_panel + caption_inches) * nrows)
    grid = figure.add_gridspec(nrows * rows_per_panel, ncols)
    for index, (name, image) in enumerate(panels.items()):
        row, col = divmod(index, ncols)
        ax = figure.add_subplot(grid[row * rows_per_panel, col])
        _show(ax, image)
        _style_image_axis(ax, name)
        caption = None if ref is None else _metric_caption(ref, image, int(border), channel)
        if box:
            y, x, h, w = box
            ax.add_patch(Rectangle((x - 0.5, y - 0.5), w, h, fill=False, edgecolor=ZOOM_COLOR, linewidth=1.5))
            zoom_ax = figure.add_subplot(grid[row * rows_per_panel + 1, col])
            _show(zoom_ax, image[y:y + h, x:x + w])
            _style_image_axis(zoom_ax, f"{name} (zoom)")
            for spine in zoom_ax.spines.values():
                spine.set_edgecolor(ZOOM_COLOR)
            caption_ax = zoom_ax
        else:
            caption_ax = ax
        if caption:  # as the axis' x label, so that the layout keeps room for it under the panel
            caption_ax.set_axis_on()
            caption_ax.set_xticks([])
            caption_ax.set_yticks([])
            caption_ax.spines[:].set_visible(bool(box))  # the zoom keeps its orange frame
            caption_ax.set_xlabel(caption, fontsize=CAPTION_FONT_SIZE, labelpad=3)
            caption_ax.xaxis.label.set_gid("metric-caption")
    if title:
        figure.suptitle(title)
    return figure


# --------------------------------------------------------------------------- difference map
def difference_map(reference: Any, test: Any, *, signed: bool = True, channel: str = "y",
                   vmax: float | None = None, title: str | None = None,
                   zoom: Sequence[int] | None = None, panel_inches: float = 4.0) -> Figure:
    """Show ``test - reference`` (or its absolute value) as a colour map with a colour bar.

    Parameters
    ----------
    reference, test : ndarray
        Images of the same shape; uint8 or float in [0, 1].
    signed : bool
        Signed difference in a diverging map (red: too bright, blue: too dark),
        else the absolute difference.
    channel : {"y", "rgb"}
        ``"y"``: BT.601 luma; ``"rgb"``: mean over the colour channels.
    vmax : float, optional
        Colour-bar limit in grey levels (default: the 99.5th percentile of
        ``|difference|``, at least 1). When the data go beyond it, the colour bar
        gets arrows and its label gives the limit and the largest difference.
    title : str, optional
        Axis title (default: ``"test - reference (Y)"`` or ``"|test - reference|"``).
    zoom : (y, x, height, width), optional
        Show only this region.
    panel_inches : float
        Figure height in inches.

    Returns
    -------
    matplotlib.figure.Figure
        One image axis plus a colour-bar axis labelled in grey levels (0-255 scale).

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb`` and ``04_fast_sr_networks.ipynb`` (tiling seams).
    """
    ref = _check_image(reference, "reference")
    img = _check_image(test, "test")
    if ref.shape != img.shape:
        raise ValueError(f"reference and test must have the same shape, got {ref.shape} and {img.shape}")
    if channel not in ("y", "rgb"):
        raise ValueError(f"channel must be 'y' or 'rgb', got {channel!r}")
    diff = difference(ref, img, channel=channel)
    if zoom is not None:
        y, x, h, w = _check_zoom(zoom, diff.shape)
        diff = diff[y:y + h, x:x + w]
    if not signed:
        diff = np.abs(diff)
    if vmax is None:
        vmax = max(1.0, float(np.percentile(np.abs(diff), 99.5)))
    if not vmax > 0:
        raise ValueError(f"vmax must be positive, got {vmax!r}")
    label = "Y" if channel == "y" else "RGB mean"
    if title is None:
        title = f"test - reference ({label})" if signed else f"|test - reference| ({label})"
    aspect = diff.shape[1] / diff.shape[0]
    figure = new_figure(panel_inches * aspect + 1.0, panel_inches)
    ax = figure.add_subplot()
    if signed:
        shown = ax.imshow(diff, cmap="RdBu_r", vmin=-vmax, vmax=vmax, interpolation="nearest")
    else:
        shown = ax.imshow(diff, cmap="magma", vmin=0, vmax=vmax, interpolation="nearest")
    _style_image_axis(ax, textwrap.fill(title, max(20, int(11 * panel_inches * aspect))))
    largest = float(np.abs(diff).max())
    clipped = largest > vmax
    bar = figure.colorbar(shown, ax=ax, shrink=0.85, extend=("both" if signed else "max") if clipped else "neither")
    label = "difference (grey levels, 0-255)"
    if clipped:  # say so: the colours stop at vmax, the data go further
        label += f"\nsaturates at {'±' if signed else ''}{vmax:.3g} (largest {largest:.3g})"
    bar.set_label(label, fontsize=9)
    return figure


def difference(reference: Any, test: Any, *, channel: str = "y") -> np.ndarray:
    """Return the signed difference ``test - reference`` in grey levels (float64, 0-255 scale).

    Parameters
    ----------
    reference, test : ndarray
        Images of the same shape; uint8 or float in [0, 1].
    channel : {"y", "rgb"}
        BT.601 luma or the mean over the colour channels.

    Returns
    -------
    ndarray
        (H, W) float64.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb`` (through :func:`difference_map`).
    """
    ref = _check_image(reference, "reference")
    img = _check_image(test, "test")
    if ref.shape != img.shape:
        raise ValueError(f"reference and test must have the same shape, got {ref.shape} and {img.shape}")
    if channel == "y":
        return _luma(img) - _luma(ref)
    if channel == "rgb":
        diff = img.astype(np.float64) - ref.astype(np.float64)
        return diff.mean(axis=-1) if diff.ndim == 3 else diff
    raise ValueError(f"channel must be 'y' or 'rgb', got {channel!r}")


# --------------------------------------------------------------------------- spectra
def spectrum(image: Any, *, window: str | None = "hann") -> np.ndarray:
    """Return the centred log-magnitude 2-D Fourier spectrum of the image's luma.

    ``log(1 + |FFT(Y - mean(Y))|)`` with the zero frequency in the middle. A
    separable Hann window (default) removes the bright cross that the image's
    borders would otherwise add; interpolation artifacts then show as copies
    of the spectrum (imaging) or missing high frequencies (blur).

    Parameters
    ----------
    image : ndarray
        uint8 or float in [0, 1], (H, W) or (H, W, 3).
    window : {"hann", None}
        Taper applied before the transform.

    Returns
    -------
    ndarray
        (H, W) float64, non-negative.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    if window not in ("hann", None):
        raise ValueError(f"window must be 'hann' or None, got {window!r}")
    return _log_spectrum(_luma(_check_image(image)), window)


def _log_spectrum(y: np.ndarray, window: str | None) -> np.ndarray:
    """Centred ``log(1 + |FFT|)`` of a 2-D luma array (the body of :func:`spectrum`)."""
    y = y - y.mean()
    if window == "hann":
        y = y * np.outer(np.hanning(y.shape[0]), np.hanning(y.shape[1]))
    return np.log1p(np.abs(np.fft.fftshift(np.fft.fft2(y))))


def plot_spectra(images: Mapping[str, Any], *, window: str | None = "hann", ncols: int | None = None,
                 panel_inches: float = PANEL_INCHES, title: str | None = None) -> Figure:
    """Show the log-magnitude spectra of several images with one shared colour scale.

    Parameters
    ----------
    images : dict of str to ndarray
        ``{title: image}``, e.g. ``{"ground truth": hr, "nearest": ..., "bicubic": ...}``.
    window : {"hann", None}
        See :func:`spectrum`.
    ncols : int, optional
        Panels per row (default: all in one row, at most 4).
    panel_inches : float
        Size of one panel in inches.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis per image titled with its name; frequencies in cycles/pixel
        run from -0.5 to 0.5 on both axes.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``; used again in ``03_srcnn.ipynb`` and
    ``04_fast_sr_networks.ipynb`` (checkerboard peaks).
    """
    panels = _check_images(images)
    spectra = {name: spectrum(image, window=window) for name, image in panels.items()}
    high = max(float(s.max()) for s in spectra.values())
    low = min(float(np.percentile(s, 1)) for s in spectra.values())
    if ncols is None:
        ncols = min(len(panels), 4)
    if not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    ncols = int(min(ncols, len(panels)))
    nrows = math.ceil(len(panels) / ncols)
    figure = new_figure(panel_inches * ncols + 0.8, (panel_inches + 0.3) * nrows)
    axes = []
    shown = None
    for index, (name, values) in enumerate(spectra.items()):
        ax = figure.add_subplot(nrows, ncols, index + 1)
        shown = ax.imshow(values, cmap="magma", vmin=low, vmax=high, interpolation="nearest",
                          extent=(-0.5, 0.5, 0.5, -0.5))
        ax.set_title(name, fontsize=10)
        ax.set_xticks([-0.5, 0, 0.5])
        ax.set_yticks([-0.5, 0, 0.5])
        ax.tick_params(labelsize=7)
        axes.append(ax)
    bar = figure.colorbar(shown, ax=axes, shrink=0.8)
    bar.set_label("log(1 + |FFT(Y)|)")
    figure.suptitle(textwrap.fill(title or "Spectra (cycles/pixel)", int(8.5 * (panel_inches * ncols + 0.8))))
    return figure


# --------------------------------------------------------------------------- line profile
def line_profile(images: Mapping[str, Any], *, row: int, span: tuple[int, int] | None = None,
                 channel: str = "y", reference: str | None = None, title: str | None = None) -> Figure:
    """Plot intensity along one image row for several images (ringing, overshoot, blur).

    Parameters
    ----------
    images : dict of str to ndarray
        ``{name: image}``, all of one size (e.g. ground truth and upscaled versions).
    row : int
        Image row to plot.
    span : (start, stop), optional
        Column range (default: the whole row).
    channel : {"y", "rgb"}
        Luma (BT.601, grey levels) or the mean of the colour channels.
    reference : str, optional
        Name of the ground-truth entry, drawn as a thick grey line.
    title : str, optional
        Axis title.

    Returns
    -------
    matplotlib.figure.Figure
        One axis with one line per image (``label`` = name), x = column index,
        y = grey level; dashed lines at 0 and 255 (drawn when the data comes
        within 40 grey levels of them) show where overshoot clips.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    panels = _check_images(images)
    shapes = {image.shape[:2] for image in panels.values()}
    if len(shapes) != 1:
        raise ValueError(f"all images must share one size for a profile, got {sorted(shapes)}")
    height, width = next(iter(shapes))
    if not isinstance(row, (int, np.integer)) or not 0 <= row < height:
        raise ValueError(f"row must be an integer in [0, {height - 1}], got {row!r}")
    start, stop = (0, width) if span is None else (int(span[0]), int(span[1]))
    if not 0 <= start < stop <= width:
        raise ValueError(f"span must satisfy 0 <= start < stop <= {width}, got {span!r}")
    if channel not in ("y", "rgb"):
        raise ValueError(f"channel must be 'y' or 'rgb', got {channel!r}")
    if reference is not None and reference not in panels:
        raise ValueError(f"reference {reference!r} is not one of {list(panels)}")
    figure = new_figure(7.0, 3.2)
    ax = figure.add_subplot()
    columns = np.arange(start, stop)
    low, high = np.inf, -np.inf
    for name, image in panels.items():
        if channel == "y":
            values = _luma(image)[row, start:stop]
        else:
            values = image.astype(np.float64)[row, start:stop]
            values = values.mean(axis=-1) if values.ndim == 2 else values
        low, high = min(low, float(values.min())), max(high, float(values.max()))
        if name == reference:
            ax.plot(columns, values, color=BASELINE_COLOR, linewidth=3, alpha=0.7, label=name, zorder=1)
        else:
            ax.plot(columns, values, linewidth=1.3, marker=".", markersize=3, label=name, zorder=2)
    for level in (0, 255):  # the clipping limits, where overshoot gets cut (drawn when near)
        if abs(level - low) < 40 or abs(level - high) < 40:
            ax.axhline(level, color="black", linestyle="--", linewidth=0.7, gid=f"clip-{level}")
    ax.set_xlabel("column (pixels)")
    ax.set_ylabel("Y (grey levels)" if channel == "y" else "mean RGB (grey levels)")
    ax.set_title(title or f"Profile along row {row}", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    return figure

"""Interactive method explorer: compare interpolation methods on one image, live.

``explorer()`` builds a :class:`MethodExplorer`: pick an image (the bundled
photos or a test pattern), a scale factor, the methods to compare and whether
the downscale that makes the low-resolution (LR) input is antialiased; move
the zoom box. It shows, always with bicubic beside the chosen methods:

* the upscaled images with a magnified zoom (nearest-neighbour display),
* the signed luma difference to the ground truth in the zoom and the
  absolute difference over the whole image,
* the log-magnitude spectra (imaging copies, lost high frequencies),
* a PSNR/SSIM table against the ground truth (protocol: Y channel, border = scale).

Every control's callback sets ``widgets.Image.value`` (PNG bytes rendered with
Pillow) and ``widgets.HTML.value`` directly, so the explorer also works, and is
tested, outside a kernel. Results are cached per (image, scale, antialias,
method) and only what an interaction changes is recomputed: the ground truth's
luma and SSIM statistics once per (image, scale) (a :class:`srlib.metrics.Scorer`),
each method's upscaling, luma, scores, spectrum and difference maps once per
setting; a zoom move only re-composes two PNGs. The PSNR/SSIM shown are the
protocol's, from the Scorer that :func:`srlib.metrics.psnr` / :func:`srlib.metrics.ssim`
use (PSNR identical; SSIM filtered in float32, within a few 1e-6).
:func:`srlib.widgets.widget_latency` (also run by ``python -m srlib benchmark``)
times the interactions on a 512 x 512 photo: about 60-90 ms of CPU for a cold
change of image, scale or methods, about 20 ms for a zoom move, well under
1 ms for a revisited setting.

Taught in ``01_interpolation_artifacts.ipynb``.
"""
from __future__ import annotations

import html
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import numpy as np
from PIL import Image, ImageDraw

from srlib.metrics import Scorer
from srlib.widgets._common import BASELINE, GROUND_TRUTH, ZOOM_RGB, label_font, metrics_table, png

__all__ = ["MethodExplorer", "explorer", "DEFAULT_METHODS", "SCALES", "PATTERN_PREFIX"]

#: Methods shown by default besides the bicubic baseline.
DEFAULT_METHODS: tuple[str, ...] = ("nearest", "bilinear", "lanczos3")
#: Scale factors offered.
from srlib.models.registry import SCALES  # noqa: E402 - the one list of scales
#: Prefix of test-pattern entries in the image list.
PATTERN_PREFIX = "pattern: "
#: Signed differences saturate at this many grey levels in the zoom difference map.
DIFF_RANGE = 48.0

_LABEL_HEIGHT = 20
_GAP = 4
_BACKGROUND = (255, 255, 255)


# --------------------------------------------------------------------------- rendering helpers
@lru_cache(maxsize=4)
def _colormap(name: str) -> np.ndarray:
    """(256, 3) uint8 look-up table of a matplotlib colour map."""
    import matplotlib

    table = matplotlib.colormaps[name](np.linspace(0.0, 1.0, 256))[:, :3]
    return np.clip(np.rint(table * 255.0), 0, 255).astype(np.uint8)


# Colour-mapped outputs (differences, spectra) are palette PNGs: one byte per pixel instead of three
# makes the PNG encoding (the costliest step of an interaction) about three times cheaper.
_GREYS = 16  # palette 0..15: black..white ramp for the antialiased labels (15 = white background)
_MAP_LEVELS = 120  # levels kept of each colour map
_MAGMA = _GREYS  # palette offset of magma
_RDBU = _GREYS + _MAP_LEVELS  # palette offset of RdBu_r


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    """The 256-entry RGB palette: grey ramp, magma, RdBu_r."""
    greys = np.repeat(np.rint(np.linspace(0.0, 255.0, _GREYS)).astype(np.uint8)[:, None], 3, axis=1)
    levels = np.rint(np.linspace(0.0, 255.0, _MAP_LEVELS)).astype(np.intp)
    table = np.concatenate([greys, _colormap("magma")[levels], _colormap("RdBu_r")[levels]])
    return table.ravel().tolist()


def _palette_indices(values: np.ndarray, low: float, high: float, offset: int) -> np.ndarray:
    """Palette indices (uint8) of ``values`` in a colour map starting at ``offset``."""
    scaled = (np.clip(values, low, high) - low) * ((_MAP_LEVELS - 1) / max(high - low, 1e-12))
    return (np.rint(scaled) + offset).astype(np.uint8)


def _thumbnail(array: np.ndarray, width: int) -> Image.Image:
    image = Image.fromarray(array)
    height = max(1, round(array.shape[0] * width / array.shape[1]))
    return image.resize((width, height), Image.Resampling.BILINEAR, reducing_gap=2.0)


def _max_pool_thumbnail(values: np.ndarray, width: int) -> np.ndarray:
    """Shrink a 2-D map keeping maxima (thin error lines stay visible)."""
    factor = max(1, int(np.ceil(values.shape[1] / width)))
    if factor == 1:
        return values
    height = -(-values.shape[0] // factor) * factor
    cols = -(-values.shape[1] // factor) * factor
    padded = np.zeros((height, cols), dtype=values.dtype)
    padded[:values.shape[0], :values.shape[1]] = values
    rows = padded[0::factor].copy()  # strided maxima: much faster than a reshaped max(axis=(1, 3))
    for offset in range(1, factor):
        np.maximum(rows, padded[offset::factor], out=rows)
    pooled = rows[:, 0::factor].copy()
    for offset in range(1, factor):
        np.maximum(pooled, rows[:, offset::factor], out=pooled)
    return pooled


def _composite(columns: Sequence[tuple[str, Sequence[Image.Image]]], width: int) -> Image.Image:
    """Columns of (label, [tiles]) -> one RGB image with the labels on top."""
    heights = [sum(tile.height for tile in tiles) + _GAP * (len(tiles) - 1) for _, tiles in columns]
    canvas = Image.new("RGB", (len(columns) * (width + _GAP) - _GAP, _LABEL_HEIGHT + max(heights)), _BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    for index, (label, tiles) in enumerate(columns):
        left = index * (width + _GAP)
        draw.text((left + 2, 3), label, fill=(0, 0, 0), font=label_font())
        top = _LABEL_HEIGHT
        for tile in tiles:
            canvas.paste(tile, (left, top))
            top += tile.height + _GAP
    return canvas


def _composite_indexed(columns: Sequence[tuple[str, Sequence[np.ndarray]]], width: int) -> Image.Image:
    """Like :func:`_composite` for tiles of palette indices -> one palette ("P") image."""
    heights = [sum(tile.shape[0] for tile in tiles) + _GAP * (len(tiles) - 1) for _, tiles in columns]
    size = (len(columns) * (width + _GAP) - _GAP, _LABEL_HEIGHT + max(heights))
    labels = Image.new("L", (size[0], _LABEL_HEIGHT), 255)
    draw = ImageDraw.Draw(labels)
    canvas = np.full((size[1], size[0]), _GREYS - 1, dtype=np.uint8)
    for index, (label, tiles) in enumerate(columns):
        left = index * (width + _GAP)
        draw.text((left + 2, 3), label, fill=0, font=label_font())
        top = _LABEL_HEIGHT
        for tile in tiles:
            canvas[top:top + tile.shape[0], left:left + tile.shape[1]] = tile
            top += tile.shape[0] + _GAP
    strip = np.asarray(labels, dtype=np.float32) * ((_GREYS - 1) / 255.0)
    canvas[:_LABEL_HEIGHT] = np.rint(strip).astype(np.uint8)
    image = Image.fromarray(canvas)
    image.putpalette(_palette())
    return image


@lru_cache(maxsize=8)
def _difference_legend(width: int) -> np.ndarray:
    """Palette indices of the difference maps' colour scales: |difference| (magma) and signed (RdBu_r).

    Two labelled colour bars side by side, ``width`` pixels in all, in grey levels (0-255 scale).
    """
    height, bar_top, bar_height = 50, 18, 12
    half = (width - 3 * _GAP) // 2
    text = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(text)
    bars = []
    for index, (title, low, high, offset, ticks) in enumerate((
            ("whole image: |difference|", 0.0, DIFF_RANGE, _MAGMA, ("0", f"{DIFF_RANGE:g}+ grey levels")),
            ("zoom: difference", -DIFF_RANGE, DIFF_RANGE, _RDBU,
             (f"-{DIFF_RANGE:g} too dark", "0", f"+{DIFF_RANGE:g} too bright")))):
        left = _GAP + index * (half + _GAP)
        draw.text((left, 1), title, fill=0, font=label_font())
        bars.append((left, _palette_indices(np.linspace(low, high, half), low, high, offset)))
        positions = [left, left + half] if len(ticks) == 2 else [left, left + half // 2, left + half]
        for tick, position in zip(ticks, positions):
            box = draw.textbbox((0, 0), tick, font=label_font())
            tick_width = box[2] - box[0]
            anchor = min(max(left, position - tick_width // 2), left + half - tick_width)
            if position == left:
                anchor = left
            draw.text((anchor, bar_top + bar_height + 2), tick, fill=0, font=label_font())
    legend = np.rint(np.asarray(text, dtype=np.float32) * ((_GREYS - 1) / 255.0)).astype(np.uint8)
    for left, row in bars:
        legend[bar_top:bar_top + bar_height, left:left + len(row)] = row[None, :]
    return legend


# --------------------------------------------------------------------------- fast analysis helpers
def _luma_planes(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(unrounded float32 Y, protocol uint8 Y)`` of a uint8 RGB image from one ``rgb_to_y`` call.

    The uint8 plane is exactly ``srlib.images.rgb_to_y(image)`` (same expression, same rounding).
    """
    from srlib.images import rgb_to_y

    luma = rgb_to_y(image, rounded=False)
    protocol = np.clip(np.floor(luma + 0.5), 0, 255).astype(np.uint8)
    return luma.astype(np.float32), protocol


@lru_cache(maxsize=8)
def _hann2d(height: int, width: int) -> np.ndarray:
    return np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)


def _fast_log_spectrum(luma: np.ndarray) -> np.ndarray:
    """float32 twin of :func:`srlib.plots._images.spectrum` (Hann window) for a float32 luma plane."""
    import scipy.fft

    centred = luma - np.float32(luma.mean(dtype=np.float64))
    centred *= _hann2d(*luma.shape)
    magnitude = np.abs(scipy.fft.fft2(centred))
    np.log1p(magnitude, out=magnitude)
    return np.fft.fftshift(magnitude)


def _spectrum_thumbnail(luma: np.ndarray, width: int) -> np.ndarray:
    """Log spectrum shrunk to ``width`` as magma palette indices (shrunk before the colour map: cheaper)."""
    values = _fast_log_spectrum(luma)
    # fixed range so that tiles compare: 0 .. log1p of a bright spectral peak
    high = float(np.log1p(0.05 * values.size * 255.0))
    return _palette_indices(np.asarray(_thumbnail(values, width)), high * 0.25, high, _MAGMA)


def _as_rgb_uint8(image: Any, name: str) -> np.ndarray:
    from srlib.images import as_rgb_uint8

    array = as_rgb_uint8(image, name, allow_float=True)
    if min(array.shape[:2]) < 4 * max(SCALES):
        raise ValueError(f"image {name!r} of shape {array.shape} is too small for the explorer; "
                         f"use at least {4 * max(SCALES)} x {4 * max(SCALES)} pixels")
    return array


def _center_crop(array: np.ndarray, size: int) -> np.ndarray:
    top = max(0, (array.shape[0] - size) // 2)
    left = max(0, (array.shape[1] - size) // 2)
    return array[top:top + size, left:left + size]


def _default_sources(size: int) -> dict[str, Callable[[], np.ndarray]]:
    """Image name -> loader: bundled photos, then the test patterns."""
    sources: dict[str, Callable[[], np.ndarray]] = {}
    try:
        from srlib.data import DEFAULT_IMAGES, default_images
    except ImportError:  # pragma: no cover - srlib.data is part of the package
        DEFAULT_IMAGES, default_images = (), None  # type: ignore[assignment]
    for name in DEFAULT_IMAGES:  # loaded on first selection
        sources[str(name)] = (lambda n=name: default_images(names=[n])[n])  # type: ignore[misc]
    try:
        from srlib.patterns import PATTERNS, pattern
    except ImportError:  # pragma: no cover
        PATTERNS, pattern = (), None  # type: ignore[assignment]
    for name in PATTERNS:
        if name == "text_chart":  # only its top holds text: keep the inked rows (as lesson 01 does)
            sources[PATTERN_PREFIX + str(name)] = (lambda n=name: _inked_rows(pattern(n, size)))  # type: ignore[misc]
        else:
            sources[PATTERN_PREFIX + str(name)] = (lambda n=name: pattern(n, size))  # type: ignore[misc]
    return sources


def _inked_rows(image: np.ndarray, margin: int = 8) -> np.ndarray:
    """The rows of a dark-on-white chart that hold ink, plus ``margin`` white rows below."""
    inked = np.flatnonzero((np.asarray(image) < 128).any(axis=tuple(range(1, image.ndim))))
    if inked.size == 0:
        return image
    return image[: min(image.shape[0], int(inked.max()) + 1 + margin)]


#: Where the zoom box starts on a pattern whose detail is everywhere, as (row, column) fractions of
#: its centre: the zone plate at a quarter of the way from the centre to the edge (0.25 cycles per
#: pixel): above the LR Nyquist limit at x3 and x4 (flat grey, or moire without antialiasing).
_PATTERN_ZOOM_CENTRES = {PATTERN_PREFIX + "zone_plate": (0.5, 0.75)}


def _detail_box(image: np.ndarray, side: int) -> tuple[int, int]:
    """Top-left ``(y, x)`` of the ``side`` x ``side`` box with the most luma gradient (edges, text, texture).

    Boxes on a grid of stride ``side // 4``; ties go to the box nearest the centre.
    """
    luma = image.astype(np.float32).mean(axis=-1)
    energy = np.zeros_like(luma)
    energy[:, 1:] += np.abs(np.diff(luma, axis=1))
    energy[1:, :] += np.abs(np.diff(luma, axis=0))
    total = np.zeros((energy.shape[0] + 1, energy.shape[1] + 1), np.float64)
    total[1:, 1:] = energy.cumsum(axis=0).cumsum(axis=1)
    height, width = luma.shape
    stride = max(1, side // 4)
    rows = np.arange(0, height - side + 1, stride)
    cols = np.arange(0, width - side + 1, stride)
    sums = (total[rows[:, None] + side, cols[None, :] + side] - total[rows[:, None], cols[None, :] + side]
            - total[rows[:, None] + side, cols[None, :]] + total[rows[:, None], cols[None, :]])
    distance = np.hypot(rows[:, None] + side / 2 - height / 2, cols[None, :] + side / 2 - width / 2)
    best = np.lexsort((distance.ravel(), -np.round(sums.ravel(), 3)))[0]
    row, col = np.unravel_index(best, sums.shape)
    return int(rows[row]), int(cols[col])


# --------------------------------------------------------------------------- the explorer
class MethodExplorer:
    """Compare upscaling methods on one image with live controls.

    Parameters
    ----------
    images : dict of str to ndarray, optional
        Images to offer (uint8 RGB or float in [0, 1]). Default: the bundled
        photos of :func:`srlib.data.default_images` and the test patterns of
        :mod:`srlib.patterns` (listed as ``"pattern: <name>"``).
    image : str, optional
        Image selected at start (default: the first one).
    scale : int
        Scale factor at start, one of :data:`SCALES`.
    methods : sequence of str
        Methods selected at start; bicubic is always shown too.
    antialias : bool
        Antialias the downscale that makes the LR input (MATLAB's default).
    zoom : (y, x, size), optional
        Zoom box in ground-truth pixels (default: :meth:`default_zoom`, a
        ``zoom_size`` box where the image's detail is; each new image gets its own).
    zoom_size : int
        Default side of the zoom box.
    size : int
        Images larger than ``size`` x ``size`` are centre-cropped to it (speed).
    panel_width : int
        Width in pixels of each panel in the rendered PNGs.
    available_methods : sequence of str, optional
        Methods offered (default: :data:`srlib.resize.METHODS`). Anything
        :func:`srlib.upscale.upscale` accepts works.
    max_cache_entries : int
        Bound of the result cache (least recently used entries are dropped).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The container to display (DOM class ``srlib-explorer``).
    image_dropdown, scale_dropdown, methods_select, antialias_checkbox, zoom_x, zoom_y, zoom_size : ipywidgets
        The controls; setting their ``.value`` updates the outputs.
    panels_image, diff_image, spectrum_image : ipywidgets.Image
        PNG outputs (DOM classes ``srlib-explorer-panels`` / ``-diff`` / ``-spectrum``).
    metrics_html, status_html : ipywidgets.HTML
        PSNR/SSIM table and a one-line status (timings, errors).

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """

    def __init__(self, images: Mapping[str, Any] | None = None, *, image: str | None = None,
                 scale: int = 3, methods: Sequence[str] = DEFAULT_METHODS, antialias: bool = True,
                 zoom: Sequence[int] | None = None, zoom_size: int = 48, size: int = 512,
                 panel_width: int = 192, available_methods: Sequence[str] | None = None,
                 max_cache_entries: int = 256) -> None:
        if not isinstance(size, (int, np.integer)) or size < 4 * max(SCALES):
            raise ValueError(f"size must be an integer >= {4 * max(SCALES)}, got {size!r}")
        if not isinstance(panel_width, (int, np.integer)) or not 32 <= panel_width <= 1024:
            raise ValueError(f"panel_width must be an integer in [32, 1024], got {panel_width!r}")
        if not isinstance(max_cache_entries, (int, np.integer)) or max_cache_entries < 8:
            raise ValueError(f"max_cache_entries must be an integer >= 8, got {max_cache_entries!r}")
        if isinstance(zoom_size, bool) or not isinstance(zoom_size, (int, np.integer)) or not 8 <= zoom_size <= 256:
            raise ValueError(f"zoom_size must be an integer in [8, 256], got {zoom_size!r}")
        if isinstance(scale, bool) or scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
        if available_methods is None:
            from srlib.resize import METHODS

            available_methods = METHODS
        self.available_methods = tuple(str(m) for m in available_methods)
        if BASELINE not in self.available_methods:
            self.available_methods = (BASELINE, *self.available_methods)
        if isinstance(methods, str):
            methods = (methods,)
        unknown = [m for m in methods if m not in self.available_methods]
        if unknown:
            raise ValueError(f"unknown methods {unknown}; choose from {list(self.available_methods)}")

        self.size = int(size)
        self.panel_width = int(panel_width)
        self.max_cache_entries = int(max_cache_entries)
        if images is None:
            self._sources = _default_sources(self.size)
        else:
            if not isinstance(images, Mapping) or not images:
                raise ValueError("images must be a non-empty dict {name: image}, "
                                 f"got {type(images).__name__}")
            self._sources = {}
            for name, array in images.items():
                checked = _as_rgb_uint8(array, str(name))
                self._sources[str(name)] = (lambda a=checked: a)
        if not self._sources:
            raise ValueError("no images to explore: pass images={name: array}")
        names = list(self._sources)
        if image is None:
            image = names[0]
        if image not in self._sources:
            raise ValueError(f"unknown image {image!r}; choose from {names}")

        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self.cache_hits = 0
        self.cache_misses = 0
        self.last_error: BaseException | None = None
        self.last_update_ms = 0.0
        self._busy = False

        style = {"description_width": "initial"}
        self.image_dropdown = widgets.Dropdown(options=names, value=image, description="image", style=style)
        self.scale_dropdown = widgets.Dropdown(options=list(SCALES), value=int(scale), description="scale",
                                               style=style, layout=widgets.Layout(width="120px"))
        self.methods_select = widgets.SelectMultiple(options=list(self.available_methods),
                                                     value=tuple(methods), description="methods",
                                                     rows=min(6, len(self.available_methods)), style=style,
                                                     tooltip="methods to compare (bicubic is always shown)")
        self.antialias_checkbox = widgets.Checkbox(value=bool(antialias), description="antialias LR",
                                                   indent=False, style=style,
                                                   tooltip="antialias the bicubic downscale that makes the LR input")
        self.zoom_x = widgets.IntSlider(value=0, min=0, max=1, description="zoom x", continuous_update=False,
                                        style=style)
        self.zoom_y = widgets.IntSlider(value=0, min=0, max=1, description="zoom y", continuous_update=False,
                                        style=style)
        self.zoom_size = widgets.IntSlider(value=int(zoom_size), min=8, max=256, step=4, description="zoom size",
                                           continuous_update=False, style=style)
        self.panels_image = widgets.Image(format="png")
        self.diff_image = widgets.Image(format="png")
        self.spectrum_image = widgets.Image(format="png")
        self.metrics_html = widgets.HTML()
        self.status_html = widgets.HTML()
        for control, css in ((self.image_dropdown, "image"), (self.scale_dropdown, "scale"),
                             (self.methods_select, "methods"), (self.antialias_checkbox, "antialias"),
                             (self.zoom_x, "zoom-x"), (self.zoom_y, "zoom-y"), (self.zoom_size, "zoom-size"),
                             (self.panels_image, "panels"), (self.diff_image, "diff"),
                             (self.spectrum_image, "spectrum"), (self.metrics_html, "metrics"),
                             (self.status_html, "status")):
            control.add_class(f"srlib-explorer-{css}")
        for image_widget in (self.panels_image, self.diff_image, self.spectrum_image):
            image_widget.add_class("srlib-explorer-output")

        self.widget = widgets.VBox([
            widgets.HTML("<b>Interpolation explorer</b>: the LR input is the ground truth downscaled "
                         "(bicubic) by the scale; each method upscales it back. Bicubic is always shown."),
            widgets.HBox([self.image_dropdown, self.scale_dropdown, self.antialias_checkbox]),
            widgets.HBox([self.methods_select, widgets.VBox([self.zoom_x, self.zoom_y, self.zoom_size])]),
            self.status_html,
            widgets.HTML("<b>Upscaled</b> (top: whole image with the zoom box; bottom: zoom, "
                         "nearest-neighbour display)"),
            self.panels_image,
            self.metrics_html,
            widgets.HTML(f"<b>Difference to the ground truth</b> (Y, in grey levels of 0-255; top: "
                         f"|difference| over the whole image; bottom: signed in the zoom, red = too bright, "
                         f"blue = too dark; both saturate at {DIFF_RANGE:g}, colour scales below)"),
            self.diff_image,
            widgets.HTML("<b>Spectra</b> (log |FFT(Y)|, zero frequency in the centre; copies of the "
                         "spectrum = imaging artifacts, dark rim = lost detail)"),
            self.spectrum_image,
        ])
        self.widget.add_class("srlib-explorer")

        self._configure_zoom(zoom, reset=zoom is None)
        for control in (self.image_dropdown, self.scale_dropdown, self.methods_select, self.antialias_checkbox):
            control.observe(self._on_source_change, names="value")
        for control in (self.zoom_x, self.zoom_y, self.zoom_size):
            control.observe(self._on_zoom_change, names="value")
        self.update()

    # ----------------------------------------------------------------- cache
    def _cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if key in self._cache:
            self.cache_hits += 1
            self._cache.move_to_end(key)
            return self._cache[key]
        self.cache_misses += 1
        value = compute()
        self._cache[key] = value
        while len(self._cache) > self.max_cache_entries:
            self._cache.popitem(last=False)
        return value

    def cache_info(self) -> dict[str, int]:
        """Return ``{"hits", "misses", "entries"}`` of the result cache.

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        return {"hits": self.cache_hits, "misses": self.cache_misses, "entries": len(self._cache)}

    def clear_cache(self) -> None:
        """Forget every cached result (the next interaction recomputes).

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        self._cache.clear()

    # ----------------------------------------------------------------- data
    @property
    def shown_methods(self) -> list[str]:
        """Methods in display order: bicubic first, then the selected ones."""
        return [BASELINE] + [m for m in self.methods_select.value if m != BASELINE]

    def _state(self) -> tuple[str, int, bool]:
        return self.image_dropdown.value, int(self.scale_dropdown.value), bool(self.antialias_checkbox.value)

    def _hr(self, name: str) -> np.ndarray:
        def load() -> np.ndarray:
            return _center_crop(_as_rgb_uint8(self._sources[name](), name), self.size)

        return self._cached(("hr", name), load)

    def ground_truth(self) -> np.ndarray:
        """The current ground truth: the image cropped to a multiple of the scale (uint8 RGB).

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        from srlib.images import modcrop

        name, scale, _ = self._state()
        return self._cached(("gt", name, scale), lambda: np.ascontiguousarray(modcrop(self._hr(name), scale)))

    def low_resolution(self) -> np.ndarray:
        """The current LR input: the ground truth downscaled by the scale (bicubic, antialias as set).

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        from srlib.resize import imresize

        name, scale, antialias = self._state()
        return self._cached(("lr", name, scale, antialias),
                            lambda: imresize(self.ground_truth(), 1.0 / scale, method="bicubic",
                                             antialias=antialias))

    def upscaled(self, method: str) -> np.ndarray:
        """The current LR input upscaled with ``method`` by :func:`srlib.upscale.upscale` (uint8 RGB).

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        from srlib.upscale import upscale

        name, scale, antialias = self._state()
        if method not in self.available_methods:
            raise ValueError(f"unknown method {method!r}; choose from {list(self.available_methods)}")

        def compute() -> np.ndarray:
            result = np.asarray(upscale(method, self.low_resolution(), scale))
            expected = self.ground_truth().shape
            if result.shape != expected:
                raise ValueError(f"upscale({method!r}) returned shape {result.shape}, expected {expected}")
            return result

        return self._cached(("sr", name, scale, antialias, method), compute)

    def results(self) -> dict[str, np.ndarray]:
        """``{"ground truth": hr, "bicubic": ..., <method>: ...}`` for the current controls.

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        out = {GROUND_TRUTH: self.ground_truth()}
        for method in self.shown_methods:
            out[method] = self.upscaled(method)
        return out

    def metrics(self) -> dict[str, dict[str, float]]:
        """``{method: {"psnr": dB, "ssim": value}}`` vs the ground truth (Y, border = scale).

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        return {method: self._method_metrics(method) for method in self.shown_methods}

    def _method_metrics(self, method: str) -> dict[str, float]:
        name, scale, antialias = self._state()

        def compute() -> dict[str, float]:
            scorer = self._scorer()
            test_y = self._luma_planes((name, scale, antialias, method), self.upscaled(method))[1]
            return {"psnr": scorer.psnr(test_y), "ssim": scorer.ssim(test_y)}

        return self._cached(("metrics", name, scale, antialias, method), compute)

    def _thumb(self, label: str, image: np.ndarray) -> Image.Image:
        name, scale, antialias = self._state()
        key = ("thumb", name, scale) if label == GROUND_TRUTH else ("thumb", name, scale, antialias, label)
        return self._cached(key, lambda: _thumbnail(image, self.panel_width))

    def _difference(self, method: str) -> np.ndarray:
        """Unrounded luma of ``method``'s result minus the ground truth's (float32)."""
        name, scale, antialias = self._state()
        key = (name, scale, antialias, method)
        return self._cached(("diff", *key),
                            lambda: self._luma_planes(key, self.upscaled(method))[0] - self._truth_luma()[0])

    def _luma_planes(self, key: Hashable, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._cached(("y", *key), lambda: _luma_planes(image))

    def _truth_luma(self) -> tuple[np.ndarray, np.ndarray]:
        name, scale, _ = self._state()
        return self._luma_planes(("gt", name, scale), self.ground_truth())

    def _scorer(self) -> Scorer:
        """PSNR/SSIM against the current ground truth's Y; its SSIM statistics are computed once."""
        name, scale, _ = self._state()
        return self._cached(("scorer", name, scale),
                            lambda: Scorer(self._truth_luma()[1], border=scale, precision="float32"))

    def _spectrum_tile(self, key: Hashable, image: np.ndarray) -> np.ndarray:
        return self._cached(("spectrum", *key),
                            lambda: _spectrum_thumbnail(self._luma_planes(key, image)[0], self.panel_width))

    def _abs_diff_tile(self, key: Hashable, difference: np.ndarray) -> np.ndarray:
        def compute() -> np.ndarray:
            pooled = _max_pool_thumbnail(np.abs(difference), self.panel_width)
            return _palette_indices(np.asarray(_thumbnail(pooled, self.panel_width)), 0.0, DIFF_RANGE, _MAGMA)

        return self._cached(("absdiff", *key), compute)

    # ----------------------------------------------------------------- zoom
    def default_zoom(self, side: int | None = None) -> tuple[int, int, int]:
        """The current image's default zoom box ``(y, x, size)``: where its detail is.

        The box of side ``side`` (default: the zoom size slider) with the most luma
        gradient - edges, text, texture - except on the zone plate, whose detail is
        everywhere: there, the rings at a quarter of the way to the edge, which
        x3 and x4 cannot keep. Chosen when the explorer opens and on every change of image.

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        name, _, _ = self._state()
        height, width = self.ground_truth().shape[:2]
        side = int(min(self.zoom_size.value if side is None else side, height, width))
        if name in _PATTERN_ZOOM_CENTRES:
            fraction_y, fraction_x = _PATTERN_ZOOM_CENTRES[name]
            y = int(round(fraction_y * height - side / 2))
            x = int(round(fraction_x * width - side / 2))
        else:
            y, x = self._cached(("zoom", name, side), lambda: _detail_box(self._hr(name), side))
        return min(max(0, y), height - side), min(max(0, x), width - side), side

    def _configure_zoom(self, zoom: Sequence[int] | None = None, *, reset: bool = False) -> None:
        """Fit the zoom sliders to the current ground truth (clamping the box inside it).

        ``zoom`` sets the box; ``reset`` moves it to :meth:`default_zoom` (a new image).
        """
        height, width = self.ground_truth().shape[:2]
        side_max = max(8, min(256, height, width))
        was_busy, self._busy = self._busy, True
        try:
            if zoom is not None:
                try:
                    y, x, side = (int(v) for v in zoom)
                except (TypeError, ValueError):
                    raise ValueError(f"zoom must be (y, x, size) in pixels, got {zoom!r}") from None
                if side < 8 or y < 0 or x < 0 or y + side > height or x + side > width:
                    raise ValueError(f"zoom {tuple(zoom)!r} (y, x, size) does not fit in the "
                                     f"{height}x{width} image; size >= 8 and inside the image")
                self.zoom_size.max = side_max
                self.zoom_size.value = side
                self.zoom_x.max = max(1, width - side)
                self.zoom_y.max = max(1, height - side)
                self.zoom_x.value, self.zoom_y.value = x, y
            else:
                self.zoom_size.max = side_max
                side = min(self.zoom_size.value, side_max)
                self.zoom_size.value = side
                self.zoom_x.max = max(1, width - side)
                self.zoom_y.max = max(1, height - side)
                if reset:
                    y, x, _ = self.default_zoom(side)
                    self.zoom_x.value, self.zoom_y.value = x, y
        finally:
            self._busy = was_busy

    def zoom_box(self) -> tuple[int, int, int]:
        """The zoom box ``(y, x, size)`` in ground-truth pixels, clamped inside the image.

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        height, width = self.ground_truth().shape[:2]
        side = int(min(self.zoom_size.value, height, width))
        y = int(min(self.zoom_y.value, height - side))
        x = int(min(self.zoom_x.value, width - side))
        return y, x, side

    # ----------------------------------------------------------------- rendering
    def _show(self, target: widgets.Image, kind: str, compose: Callable[[], Image.Image],
              zoom: bool = True) -> None:
        """Set ``target`` to the PNG of ``compose()``, cached per control state (and zoom box)."""
        key = ("png", kind, *self._state(), tuple(self.shown_methods), self.zoom_box() if zoom else None)

        def render() -> tuple[str, bytes]:
            image = compose()
            return str(image.width), png(image)

        width, data = self._cached(key, render)
        target.width = width  # natural pixel size: no rescaling by the browser
        target.value = data

    def _render_panels(self) -> None:
        y, x, side = self.zoom_box()
        width = self.panel_width

        def compose() -> Image.Image:
            columns = []
            for label, image in self.results().items():
                thumb = self._thumb(label, image).copy()
                ratio = thumb.width / image.shape[1]
                ImageDraw.Draw(thumb).rectangle(
                    [round(x * ratio), round(y * ratio), round((x + side) * ratio) - 1,
                     round((y + side) * ratio) - 1], outline=ZOOM_RGB, width=2)
                crop = Image.fromarray(np.ascontiguousarray(image[y:y + side, x:x + side]))
                crop = crop.resize((width, width), Image.Resampling.NEAREST)
                ImageDraw.Draw(crop).rectangle([0, 0, width - 1, width - 1], outline=ZOOM_RGB, width=2)
                columns.append((f"{label} (baseline)" if label == BASELINE else label, [thumb, crop]))
            return _composite(columns, width)

        self._show(self.panels_image, "panels", compose)

    def _render_diff(self) -> None:
        y, x, side = self.zoom_box()
        name, scale, antialias = self._state()
        width = self.panel_width

        def compose() -> Image.Image:
            columns = []
            for method in self.shown_methods:
                difference = self._difference(method)
                full = self._abs_diff_tile((name, scale, antialias, method), difference)
                zoomed = _palette_indices(difference[y:y + side, x:x + side], -DIFF_RANGE, DIFF_RANGE, _RDBU)
                tile = np.asarray(Image.fromarray(zoomed).resize((width, width), Image.Resampling.NEAREST))
                columns.append((f"{method} - truth", [full, tile]))
            maps = np.asarray(_composite_indexed(columns, width))
            legend = _difference_legend(max(maps.shape[1], 400))  # the colour scales of both rows
            canvas = np.full((maps.shape[0] + _GAP + legend.shape[0], legend.shape[1]), _GREYS - 1, np.uint8)
            canvas[:maps.shape[0], :maps.shape[1]] = maps
            canvas[maps.shape[0] + _GAP:] = legend
            stacked = Image.fromarray(canvas)
            stacked.putpalette(_palette())
            return stacked

        self._show(self.diff_image, "diff", compose)

    def _render_spectra(self) -> None:
        name, scale, antialias = self._state()

        def compose() -> Image.Image:
            columns = []
            for label, image in self.results().items():
                key = ("gt", name, scale) if label == GROUND_TRUTH else (name, scale, antialias, label)
                columns.append((label, [self._spectrum_tile(key, image)]))
            return _composite_indexed(columns, self.panel_width)

        self._show(self.spectrum_image, "spectrum", compose, zoom=False)

    def _render_metrics(self) -> None:
        _, scale, _ = self._state()
        self.metrics_html.value = metrics_table(self.metrics(), scale=scale, baseline=BASELINE)

    def _status(self, started: float, what: str) -> None:
        self.last_update_ms = (time.perf_counter() - started) * 1000.0
        name, scale, antialias = self._state()
        truth = self.ground_truth()
        lr = self.low_resolution()
        self.status_html.value = (
            f"<span class='srlib-status'>{html.escape(name)}: ground truth {truth.shape[1]}x{truth.shape[0]}"
            f" &rarr; LR {lr.shape[1]}x{lr.shape[0]} (x{scale}, antialias {'on' if antialias else 'off'})"
            f" &middot; {what} in {self.last_update_ms:.0f} ms</span>")

    def _error(self, err: BaseException) -> None:
        self.last_error = err
        self.status_html.value = (f"<span class='srlib-status srlib-error' style='color:#c92a2a'>"
                                  f"error: {html.escape(type(err).__name__)}: {html.escape(str(err))}</span>")

    def update(self) -> None:
        """Recompute and redraw every output for the current control values.

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        started = time.perf_counter()
        self._render_panels()
        self._render_metrics()
        self._render_diff()
        self._render_spectra()
        self.last_error = None
        self._status(started, "updated")

    def _on_source_change(self, change: Mapping[str, Any]) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            if change.get("owner") in (self.image_dropdown, self.scale_dropdown):
                # a new image gets its own default zoom; a new scale keeps the box (clamped)
                self._configure_zoom(reset=change.get("owner") is self.image_dropdown)
            self.update()
        except Exception as err:  # noqa: BLE001 - shown to the learner instead of a silent kernel log
            self._error(err)
        finally:
            self._busy = False

    def _on_zoom_change(self, change: Mapping[str, Any]) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            if change.get("owner") is self.zoom_size:
                self._configure_zoom()
            started = time.perf_counter()
            self._render_panels()
            self._render_diff()
            self.last_error = None
            self._status(started, "zoom redrawn")
        except Exception as err:  # noqa: BLE001
            self._error(err)
        finally:
            self._busy = False

    # ----------------------------------------------------------------- display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def display(self) -> None:
        """Display the explorer in the notebook (same as ending a cell with it).

        Notes
        -----
        Taught in ``01_interpolation_artifacts.ipynb``.
        """
        from IPython.display import display

        display(self.widget)


def explorer(**kwargs: Any) -> MethodExplorer:
    """Build a :class:`MethodExplorer`; end a notebook cell with it to display it.

    Parameters
    ----------
    **kwargs
        Passed to :class:`MethodExplorer` (``images``, ``image``, ``scale``,
        ``methods``, ``antialias``, ``zoom``, ``size``, ...).

    Returns
    -------
    MethodExplorer
        Its ``.widget`` is the ipywidgets container.

    Examples
    --------
    >>> from srlib.widgets._explorer import explorer
    >>> explorer(image="pattern: zone_plate", scale=4)  # doctest: +SKIP

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    return MethodExplorer(**kwargs)

"""Flip between super-resolution results on a chosen region, like blinking in a viewer.

Side-by-side panels hide small differences; flipping between two results *in
place* makes them jump out (the eye is very good at seeing change). The
:class:`RegionFlipper` takes finished results (``{method: uint8 RGB image}``,
all of one size, e.g. from :func:`srlib.upscale`) and shows:

* an overview of the whole image with the chosen region outlined,
* the region magnified with nearest-neighbour pixels for the chosen method,
* a caption with the region's and the whole image's Y-PSNR against the ground
  truth, for every method, the shown one in bold.

Controls: a toggle per method, region position and size, and a play button
that cycles through the methods. Nothing is computed on interaction except a
crop, a PSNR on the crop and a PNG encoding, so it is instant. Callbacks set
``widgets.Image.value`` and ``widgets.HTML.value`` directly, so the widget also
works, and is tested, outside a kernel.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from PIL import Image, ImageDraw

from srlib.images import as_rgb_uint8
from srlib.widgets._common import GROUND_TRUTH, ZOOM_RGB, label_font, png

__all__ = ["RegionFlipper", "region_flipper", "REGION_SIZES"]

#: Region sides offered (output pixels).
REGION_SIZES: tuple[int, ...] = (24, 32, 48, 64, 96, 128)


class RegionFlipper:
    """Flip between methods' results on one magnified region.

    Parameters
    ----------
    results : dict of str to ndarray
        ``{method: image}``, uint8 RGB (or grey) images of one size, e.g.
        ``{"bicubic": ..., "SRCNN": ..., "ESPCN": ...}``.
    reference : ndarray, optional
        Ground truth of the same size: it becomes one more entry to flip to
        (``"ground truth"``) and the captions give Y-PSNR against it.
    border : int
        Pixels ignored at each edge for the whole-image PSNR (the protocol
        uses the scale).
    region : (y, x, size), optional
        Top-left corner and side of the region (default: a 48-pixel square in
        the centre, or the largest of :data:`REGION_SIZES` that fits).
    magnification : int
        Each region pixel is drawn as a ``magnification`` x ``magnification``
        block (default: enough to make the region about 384 pixels wide).
    overview_width : int
        Width in pixels of the overview image.
    method : str, optional
        Method shown first (default: the first of ``results``).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The container to display (DOM class ``srlib-flipper``).
    method : ipywidgets.ToggleButtons
        Which result is shown.
    region_x, region_y : ipywidgets.IntSlider
        Top-left corner of the region.
    region_size : ipywidgets.Dropdown
        Side of the region.
    play : ipywidgets.Play
        Cycles ``method`` through the results (runs in the browser).
    overview, zoom : ipywidgets.Image
        PNG outputs; the zoom carries the shown method's name in its corner.
    caption : ipywidgets.HTML
        Y-PSNR of every method in the region and over the whole image.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """

    def __init__(self, results: Mapping[str, Any], *, reference: Any | None = None, border: int = 0,
                 region: Sequence[int] | None = None, magnification: int | None = None,
                 overview_width: int = 320, method: str | None = None) -> None:
        if not isinstance(results, Mapping) or len(results) == 0:
            raise ValueError("results must be a non-empty dict {method: uint8 image}, "
                             f"got {type(results).__name__}")
        images = {str(name): as_rgb_uint8(image, str(name)) for name, image in results.items()}
        if GROUND_TRUTH in images:
            raise ValueError(f"{GROUND_TRUTH!r} is reserved for the reference; pass it as reference=")
        shapes = {image.shape for image in images.values()}
        if len(shapes) != 1:
            raise ValueError(f"all results must have one size, got {sorted(shapes)}; "
                             "upscale them to the same output size")
        shape = next(iter(shapes))
        self.reference: np.ndarray | None = None
        if reference is not None:
            self.reference = as_rgb_uint8(reference, "reference")
            if self.reference.shape != shape:
                raise ValueError(f"reference has shape {self.reference.shape}, results have {shape}")
        if isinstance(border, bool) or not isinstance(border, (int, np.integer)) or border < 0:
            raise ValueError(f"border must be a non-negative integer, got {border!r}")
        if 2 * int(border) >= min(shape[:2]):
            raise ValueError(f"border {border} leaves nothing of an image of {shape[1]}x{shape[0]}")
        if isinstance(overview_width, bool) or not isinstance(overview_width, (int, np.integer)) \
                or not 64 <= overview_width <= 2048:
            raise ValueError(f"overview_width must be an integer in [64, 2048], got {overview_width!r}")
        self.images = dict(images)
        if self.reference is not None:
            self.images[GROUND_TRUTH] = self.reference
        self.height, self.width = shape[:2]
        self.border = int(border)
        self.overview_width = int(overview_width)

        sizes = [s for s in REGION_SIZES if s <= min(self.height, self.width)] or [min(self.height, self.width)]
        if region is None:
            size = 48 if 48 in sizes else sizes[-1]
            region = ((self.height - size) // 2, (self.width - size) // 2, size)
        try:
            y, x, size = (int(v) for v in region)
        except (TypeError, ValueError):
            raise ValueError(f"region must be (y, x, size) in pixels, got {region!r}") from None
        if size < 4 or y < 0 or x < 0 or y + size > self.height or x + size > self.width:
            raise ValueError(f"region {tuple(region)!r} (y, x, size) must lie inside the "
                             f"{self.width}x{self.height} image with size >= 4")
        if size not in sizes:
            sizes = sorted(set(sizes) | {size})
        if magnification is None:
            magnification = max(1, 384 // size)
        if isinstance(magnification, bool) or not isinstance(magnification, (int, np.integer)) \
                or not 1 <= magnification <= 32:
            raise ValueError(f"magnification must be an integer in [1, 32], got {magnification!r}")
        self.magnification = int(magnification)
        if method is None:
            method = next(iter(images))
        if method not in self.images:
            raise ValueError(f"unknown method {method!r}; choose from {list(self.images)}")

        self._whole_psnr = {name: self._psnr(image, border=self.border) for name, image in self.images.items()}
        self._overview_base = self._make_overview_base()

        names = list(self.images)
        self.method = widgets.ToggleButtons(options=names, value=method, description="show",
                                            style={"button_width": "auto"})
        self.play = widgets.Play(value=names.index(method), min=0, max=len(names) - 1, step=1, interval=700,
                                 description="flip", repeat=True)
        self.region_size = widgets.Dropdown(options=sizes, value=size, description="region",
                                            layout=widgets.Layout(width="160px"))
        self.region_x = widgets.IntSlider(value=x, min=0, max=self.width - size, description="x",
                                          continuous_update=True)
        self.region_y = widgets.IntSlider(value=y, min=0, max=self.height - size, description="y",
                                          continuous_update=True)
        self.overview = widgets.Image(format="png")
        self.zoom = widgets.Image(format="png")
        self.caption = widgets.HTML()
        self.method.observe(self._on_method, names="value")
        self.play.observe(self._on_play, names="value")
        self.region_size.observe(self._on_size, names="value")
        self.region_x.observe(self._on_region, names="value")
        self.region_y.observe(self._on_region, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.method, self.play]),
            widgets.HBox([self.region_size, self.region_x, self.region_y]),
            widgets.HBox([self.overview, self.zoom]),
            self.caption,
        ])
        self.widget.add_class("srlib-flipper")
        self.render()

    # ------------------------------------------------------------------ measurements
    def _psnr(self, image: np.ndarray, *, border: int = 0, box: tuple[int, int, int] | None = None) -> float | None:
        if self.reference is None:
            return None
        from srlib.metrics import psnr

        reference = self.reference
        if box is not None:
            y, x, size = box
            reference = reference[y:y + size, x:x + size]
            image = image[y:y + size, x:x + size]
        return float(psnr(reference, image, border=border, channel="y"))

    @property
    def box(self) -> tuple[int, int, int]:
        """The current region as ``(y, x, size)``."""
        return int(self.region_y.value), int(self.region_x.value), int(self.region_size.value)

    def region_psnr(self) -> dict[str, float | None]:
        """Y-PSNR of every entry inside the current region (None without a reference)."""
        return {name: self._psnr(image, box=self.box) for name, image in self.images.items()}

    # ------------------------------------------------------------------ rendering
    def _make_overview_base(self) -> Image.Image:
        base = Image.fromarray(self.reference if self.reference is not None else next(iter(self.images.values())))
        height = max(1, round(self.height * self.overview_width / self.width))
        return base.resize((self.overview_width, height), Image.Resampling.BILINEAR)

    def _render_overview(self) -> bytes:
        image = self._overview_base.copy()
        factor = self.overview_width / self.width
        y, x, size = self.box
        draw = ImageDraw.Draw(image)
        draw.rectangle([x * factor, y * factor, (x + size) * factor - 1, (y + size) * factor - 1],
                       outline=ZOOM_RGB, width=2)
        return png(image)

    def _render_zoom(self) -> bytes:
        y, x, size = self.box
        crop = self.images[self.method.value][y:y + size, x:x + size]
        magnified = np.repeat(np.repeat(crop, self.magnification, axis=0), self.magnification, axis=1)
        image = Image.fromarray(magnified)
        draw = ImageDraw.Draw(image)
        label = str(self.method.value)
        left, top, right, bottom = draw.textbbox((4, 4), label, font=label_font())
        draw.rectangle([left - 3, top - 3, right + 3, bottom + 3], fill=(255, 255, 255))
        draw.text((4, 4), label, fill=(0, 0, 0), font=label_font())
        return png(image)

    def _render_caption(self) -> str:
        shown = self.method.value
        if self.reference is None:
            return f"<b>{html.escape(shown)}</b> (no ground truth given: no PSNR)"
        region = self.region_psnr()
        rows = []
        for name in self.images:
            def fmt(value: float | None) -> str:
                if value is None:
                    return "-"
                return "reference" if math.isinf(value) else f"{value:.2f}"
            cells = f"<td>{html.escape(name)}</td><td>{fmt(region[name])}</td><td>{fmt(self._whole_psnr[name])}</td>"
            style = " style='font-weight:bold;background:#fff4e6'" if name == shown else ""
            rows.append(f"<tr{style}>{cells}</tr>")
        return ("<table class='srlib-flipper-table'><tr><th>method</th><th>Y-PSNR region (dB)</th>"
                f"<th>Y-PSNR image, border {self.border} (dB)</th></tr>" + "".join(rows) + "</table>")

    def render(self) -> None:
        """Redraw the overview, the magnified region and the caption."""
        self.overview.value = self._render_overview()
        self.zoom.value = self._render_zoom()
        self.caption.value = self._render_caption()

    # ------------------------------------------------------------------ callbacks
    def _on_method(self, change: dict[str, Any]) -> None:
        names = list(self.images)
        if self.play.value != names.index(change["new"]):
            self.play.value = names.index(change["new"])
        self.zoom.value = self._render_zoom()
        self.caption.value = self._render_caption()

    def _on_play(self, change: dict[str, Any]) -> None:
        names = list(self.images)
        self.method.value = names[int(change["new"]) % len(names)]

    def _on_size(self, change: dict[str, Any]) -> None:
        size = int(change["new"])
        with self.widget.hold_sync():
            # keep the region's centre where it was, inside the image
            centre_y = self.region_y.value + int(change["old"]) // 2
            centre_x = self.region_x.value + int(change["old"]) // 2
            self.region_y.max = self.height - size
            self.region_x.max = self.width - size
            self.region_y.value = min(max(0, centre_y - size // 2), self.height - size)
            self.region_x.value = min(max(0, centre_x - size // 2), self.width - size)
        self.render()

    def _on_region(self, change: dict[str, Any]) -> None:
        self.render()

    def flip(self) -> str:
        """Show the next method (wrapping around) and return its name."""
        names = list(self.images)
        self.method.value = names[(names.index(self.method.value) + 1) % len(names)]
        return self.method.value

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def region_flipper(results: Mapping[str, Any], **kwargs: Any) -> RegionFlipper:
    """Build a :class:`RegionFlipper`; end a notebook cell with it to display it.

    Parameters
    ----------
    results : dict of str to ndarray
        ``{method: uint8 image}`` of one size.
    **kwargs
        ``reference``, ``border``, ``region``, ``magnification``,
        ``overview_width``, ``method`` (see :class:`RegionFlipper`).

    Returns
    -------
    RegionFlipper

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    return RegionFlipper(results, **kwargs)

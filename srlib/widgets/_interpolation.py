"""Slide between the pixel-loss and the GAN generator (ESRGAN's network interpolation) and watch the numbers.

One slider sets ``alpha`` in ``theta = (1 - alpha) * theta_pixel + alpha * theta_GAN``
(:class:`srlib.models.interpolation.Interpolator`). The widget shows the whole output with
the zoom region outlined, the region magnified next to the same region of the ground truth,
and a table with Y-PSNR (distortion: higher is closer to the ground truth) and NIQE
(perception: lower looks more natural) and the period-``scale`` grid measure for every
``alpha`` computed so far - the perception-distortion trade-off of lesson 05, one move at
a time.

Each new ``alpha`` runs the generator once (then cached); :meth:`InterpolationExplorer.precompute`
fills the cache for every slider position. Callbacks set ``widgets.Image.value`` and
``widgets.HTML.value`` directly, so the widget works, and is tested, outside a kernel.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as widgets
import numpy as np
from PIL import Image, ImageDraw

from srlib.images import as_rgb_uint8
from srlib.widgets._common import GROUND_TRUTH, ZOOM_RGB, label_font, png

__all__ = ["InterpolationExplorer", "interpolation_explorer", "interpolation_latency", "ALPHA_STEP"]

#: The slider's step.
ALPHA_STEP = 0.1


class InterpolationExplorer:
    """An ``alpha`` slider between two generators, with the image, a zoom and PSNR/NIQE/grid.

    Parameters
    ----------
    pixel_model, gan_model : keras.Model
        One architecture trained with the pixel loss and fine-tuned as a GAN
        (``srlib.pretrained.load("srresnet", 4)``, ``load("srresnet_gan", 4)``).
    lr : numpy.ndarray
        The ``uint8`` RGB low-resolution input.
    hr : numpy.ndarray
        Its ground truth, ``scale`` times larger (e.g. ``modcrop(hr, scale)``).
    scale : int
        The factor of both models.
    region : (y, x, size), optional
        The zoomed square in output pixels (default: 64 px at the centre).
    alpha : float
        The first position (default 0.5).
    magnification : int
        Zoom factor of the region (default: enough for about 256 px).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display (DOM class ``srlib-interpolation``).
    alpha : ipywidgets.FloatSlider
        The interpolation weight.
    overview, zoom : ipywidgets.Image
    caption : ipywidgets.HTML
    scores : dict
        ``{alpha: {"psnr", "ssim", "niqe", "grid", "seconds"}}`` for every alpha computed so far
        (NIQE is NaN for outputs smaller than two 96x96 blocks after the border).

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """

    def __init__(self, pixel_model: Any, gan_model: Any, lr: Any, hr: Any, scale: int, *,
                 region: tuple[int, int, int] | None = None, alpha: float = 0.5,
                 magnification: int | None = None) -> None:
        from srlib._checks import check_scale
        from srlib.models.interpolation import Interpolator, check_alpha

        self.scale = check_scale(scale)
        self.lr = as_rgb_uint8(lr, "lr")
        self.hr = as_rgb_uint8(hr, "hr")
        expected = (self.lr.shape[0] * self.scale, self.lr.shape[1] * self.scale, 3)
        if self.hr.shape != expected:
            raise ValueError(f"hr must be the ground truth of lr at x{self.scale}: expected shape {expected}, "
                             f"got {self.hr.shape} (modcrop the HR image and make lr from it)")
        self.height, self.width = self.hr.shape[:2]
        if region is None:
            size = min(64, self.height, self.width)
            region = ((self.height - size) // 2, (self.width - size) // 2, size)
        y, x, size = (int(v) for v in region)
        if size < 8 or y < 0 or x < 0 or y + size > self.height or x + size > self.width:
            raise ValueError(f"region {tuple(region)!r} (y, x, size) must lie inside the {self.width}x{self.height} "
                             "output with size >= 8")
        self.box = (y, x, size)
        self.magnification = max(1, 256 // size) if magnification is None else int(magnification)
        self._interpolator = Interpolator(pixel_model, gan_model)
        self.outputs: dict[float, np.ndarray] = {}
        self.scores: dict[float, dict[str, float]] = {}
        self.alpha = widgets.FloatSlider(value=self._snap(check_alpha(alpha)), min=0.0, max=1.0, step=ALPHA_STEP,
                                         description="alpha", readout_format=".1f", continuous_update=False)
        self.overview = widgets.Image(format="png")
        self.zoom = widgets.Image(format="png")
        self.caption = widgets.HTML()
        self.alpha.observe(self._on_alpha, names="value")
        self.widget = widgets.VBox([widgets.HTML("<b>alpha</b> 0: pixel-loss network (PSNR) &nbsp;&middot;&nbsp; "
                                                 "1: GAN (texture)"), self.alpha,
                                    widgets.HBox([self.overview, self.zoom]), self.caption])
        self.widget.add_class("srlib-interpolation")
        self.render()

    @staticmethod
    def _snap(alpha: float) -> float:
        return round(round(alpha / ALPHA_STEP) * ALPHA_STEP, 10)

    # ------------------------------------------------------------------ computing
    def output(self, alpha: float) -> np.ndarray:
        """The upscaled image at ``alpha`` (snapped to the slider's step), computed once and cached."""
        from srlib.metrics import grid_artifact, niqe, psnr, ssim
        from srlib.upscale import upscale

        alpha = self._snap(float(alpha))
        if alpha not in self.outputs:
            start = time.perf_counter()
            sr = upscale(self._interpolator.at(alpha), self.lr, self.scale)
            seconds = time.perf_counter() - start
            self.outputs[alpha] = sr
            self.scores[alpha] = {"psnr": float(psnr(self.hr, sr, border=self.scale, channel="y")),
                                  "ssim": float(ssim(self.hr, sr, border=self.scale, channel="y")),
                                  "niqe": self._niqe(sr),
                                  "grid": float(grid_artifact(sr, period=self.scale)),
                                  "seconds": seconds}
        return self.outputs[alpha]

    def _niqe(self, sr: np.ndarray) -> float:
        """NIQE of the output, or NaN when it holds fewer than two 96x96 blocks (NIQE is undefined there)."""
        from srlib.niqe import BLOCK_SIZE, MIN_BLOCKS, niqe

        side = lambda n: (n - 2 * self.scale) // BLOCK_SIZE  # noqa: E731
        if side(sr.shape[0]) * side(sr.shape[1]) < MIN_BLOCKS:
            return float("nan")
        return float(niqe(sr, crop_border=self.scale))

    def precompute(self) -> "InterpolationExplorer":
        """Compute every slider position now (then each move is only a redraw); returns self."""
        for step in range(int(round(1 / ALPHA_STEP)) + 1):
            self.output(step * ALPHA_STEP)
        return self

    # ------------------------------------------------------------------ rendering
    def _render_overview(self, sr: np.ndarray) -> bytes:
        image = Image.fromarray(sr)
        y, x, size = self.box
        ImageDraw.Draw(image).rectangle([x, y, x + size - 1, y + size - 1], outline=ZOOM_RGB, width=2)
        return png(image)

    def _render_zoom(self, sr: np.ndarray, alpha: float) -> bytes:
        y, x, size = self.box
        m = self.magnification
        panels = []
        for label, source in ((f"alpha = {alpha:.1f}", sr), (GROUND_TRUTH, self.hr)):
            crop = np.repeat(np.repeat(source[y:y + size, x:x + size], m, axis=0), m, axis=1)
            panel = Image.fromarray(crop)
            draw = ImageDraw.Draw(panel)
            left, top, right, bottom = draw.textbbox((4, 4), label, font=label_font())
            draw.rectangle([left - 3, top - 3, right + 3, bottom + 3], fill=(255, 255, 255))
            draw.text((4, 4), label, fill=(0, 0, 0), font=label_font())
            panels.append(np.asarray(panel))
        gap = np.full((size * m, 6, 3), 255, np.uint8)
        return png(Image.fromarray(np.concatenate([panels[0], gap, panels[1]], axis=1)))

    def _render_caption(self, alpha: float) -> str:
        rows = []
        for key in sorted(self.scores):
            s = self.scores[key]
            style = " style='font-weight:bold;background:#fff4e6'" if key == alpha else ""
            niqe_text = "-" if np.isnan(s["niqe"]) else f"{s['niqe']:.2f}"
            rows.append(f"<tr{style}><td>{key:.1f}</td><td>{s['psnr']:.2f}</td><td>{s['ssim']:.4f}</td>"
                        f"<td>{niqe_text}</td><td>{s['grid']:.3f}</td></tr>")
        return ("<table class='srlib-interpolation-table'><tr><th>alpha</th><th>Y-PSNR (dB) &uarr;</th>"
                "<th>SSIM &uarr;</th><th>NIQE &darr;</th><th>grid &darr;</th></tr>" + "".join(rows) + "</table>"
                f"<small>{html.escape(f'x{self.scale}, border {self.scale}; computed alphas only')}"
                f"{'; NIQE needs an output of at least 192x96 + border' if np.isnan(self.scores[alpha]['niqe']) else ''}"
                "</small>")

    def render(self) -> None:
        """Compute (if needed) and draw the current ``alpha``."""
        alpha = self._snap(float(self.alpha.value))
        sr = self.output(alpha)
        self.overview.value = self._render_overview(sr)
        self.zoom.value = self._render_zoom(sr, alpha)
        self.caption.value = self._render_caption(alpha)

    def _on_alpha(self, change: dict[str, Any]) -> None:
        self.render()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def interpolation_explorer(pixel_model: Any, gan_model: Any, lr: Any, hr: Any, scale: int,
                           **kwargs: Any) -> InterpolationExplorer:
    """Build an :class:`InterpolationExplorer`; end a notebook cell with it to display it.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    return InterpolationExplorer(pixel_model, gan_model, lr, hr, scale, **kwargs)


def interpolation_latency(size: int = 256, *, moves: int = 5, scale: int = 4) -> dict[str, float]:
    """Time slider moves of an :class:`InterpolationExplorer` on a ``size`` x ``size`` output.

    Builds two default-size SRResNet generators (random weights: the time does not depend on
    them) and moves the slider to ``moves`` new alphas (cold: blend + generator + metrics +
    redraw) and then back to visited ones (warm: redraw only).

    Returns
    -------
    dict
        ``cold_ms`` and ``warm_ms`` (medians), ``size``, ``moves``.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``; run by ``python -m srlib benchmark``.
    """
    import keras

    from srlib.data import make_lr
    from srlib.models import srresnet
    from srlib.patterns import pattern

    keras.utils.set_random_seed(0)
    hr = pattern("zone_plate", size)
    explorer = InterpolationExplorer(srresnet(scale), srresnet(scale), make_lr(hr, scale), hr, scale, alpha=0.0)
    cold, warm = [], []
    alphas = [round((i + 1) * ALPHA_STEP, 10) for i in range(moves)]
    for alpha in alphas:
        start = time.perf_counter()
        explorer.alpha.value = alpha
        cold.append(time.perf_counter() - start)
    for alpha in alphas:
        explorer.alpha.value = 0.0
        start = time.perf_counter()
        explorer.alpha.value = alpha
        warm.append(time.perf_counter() - start)
    return {"cold_ms": 1000 * float(np.median(cold)), "warm_ms": 1000 * float(np.median(warm)),
            "size": int(size), "moves": int(moves)}

"""Degrade one image with sliders and watch bicubic and the compared models cope, side by side.

Four controls set the classic degradation chain of :func:`srlib.data.degrade`: Gaussian blur of
the HR image (``blur_sigma``, HR pixels), bicubic downscaling by ``scale``, Gaussian noise
(``noise_sigma``, grey levels) and JPEG (``jpeg_quality``, or none). The noise is seeded, so the
same settings always give the same LR image. The widget shows that LR image (enlarged
nearest-neighbour to the ground truth's size), its bicubic upscale and each compared model's output
from the same LR, beside the ground truth, and a PSNR/SSIM table on the protocol
(:func:`srlib.metrics.psnr` / :func:`srlib.metrics.ssim`: Y channel, ``border=scale``, as
:func:`srlib.evaluate`).

By default the models are the shipped SRResNet x4 trained on clean bicubic LR (``"srresnet"``)
and the same architecture fine-tuned on Real-ESRGAN's degradations (``"srresnet_blind"``): the
first wins on the clean protocol and copies noise and JPEG blocks into its output; the blind one
removes them. A model without weights at the chosen scale gets a placeholder panel and table row
("no shipped weights at x2") instead of an output.

What does not change is kept: the HR crop, its :class:`srlib.metrics.Scorer` and PNG per scale,
the loaded models. Each setting's LR image, outputs, scores and PNGs are cached (the least recently
used dropped), so a revisited setting is only redrawn, and moving the JPEG quality while JPEG is
off recomputes nothing. A new setting runs ``degrade``, bicubic and each model once. Callbacks set
``widgets.Image.value`` / ``widgets.HTML.value`` of the same widgets (no flicker), panel by panel
as each is ready, so the widget works, and is tested, outside a kernel.
:func:`degradation_latency` (also run by ``python -m srlib benchmark``) times the moves.

Taught in ``06_degradations_and_augmentation.ipynb``.
"""
from __future__ import annotations

import html
import math
import numbers
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from PIL import Image, ImageDraw

from srlib.models.registry import SCALES
from srlib.widgets._common import BASELINE, GROUND_TRUTH, label_font, metrics_table, png

__all__ = ["DegradationExplorer", "degradation_explorer", "degradation_latency", "DEFAULT_DEGRADATION_MODELS",
           "BLUR_RANGE", "NOISE_RANGE", "JPEG_RANGE", "LOW_RESOLUTION"]

#: Models compared by default: the shipped bicubic-trained SRResNet x4 and the blind one (lesson 06).
DEFAULT_DEGRADATION_MODELS: tuple[str, ...] = ("srresnet", "srresnet_blind")
#: The default HR image: a centre crop of this :func:`srlib.data.default_images` photo.
DEFAULT_IMAGE = "astronaut"
#: ``(min, max, step)`` of the blur slider, in HR pixels (``blur_sigma`` of :func:`srlib.data.degrade`).
BLUR_RANGE: tuple[float, float, float] = (0.0, 3.0, 0.1)
#: ``(min, max, step)`` of the noise slider, in grey levels of 0..255 (``noise_sigma``).
NOISE_RANGE: tuple[float, float, float] = (0.0, 30.0, 1.0)
#: ``(min, max, step)`` of the JPEG quality slider (``jpeg_quality``; the checkbox off means no JPEG).
JPEG_RANGE: tuple[int, int, int] = (10, 100, 5)
#: Name of the LR panel (the degraded input, enlarged nearest-neighbour).
LOW_RESOLUTION = "LR input (nearest)"

_MIN_SIDE = 4 * max(SCALES)
_PLACEHOLDER_RGB = (241, 243, 245)
_PENDING = "computing..."


# --------------------------------------------------------------------------- argument checks
def _check_number(value: Any, name: str, bounds: tuple[float, float, float]) -> float:
    """``value`` snapped to the slider's step, or a ValueError naming the slider's range."""
    low, high, step = bounds
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)) \
            or not low <= float(value) <= high:
        raise ValueError(f"{name} must be a number in [{low:g}, {high:g}] (the slider's range), got {value!r}")
    return round(round(float(value) / step) * step, 10)


def _check_quality(value: Any) -> int | None:
    low, high, _ = JPEG_RANGE
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= int(value) <= high:
        raise ValueError(f"jpeg_quality must be None (no JPEG) or an integer in [{low}, {high}] "
                         f"(the slider's range), got {value!r}")
    return int(value)


def _check_int(value: Any, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < low \
            or (high is not None and int(value) > high):
        span = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {span}, got {value!r}")
    return int(value)


def _parse_models(models: Any) -> dict[str, Any]:
    """``{label: method}`` from a method name, a sequence of names (or models) or a mapping label -> method."""
    from srlib.upscale import INTERPOLATION_METHODS, PRETRAINED_METHODS, method_name
    from srlib.resize import METHOD_ALIASES

    if isinstance(models, str):
        models = (models,)
    if isinstance(models, Mapping):
        items = [(label, method) for label, method in models.items()]
    elif isinstance(models, Sequence):
        items = [(method if isinstance(method, str) else method_name(method), method) for method in models]
    else:
        raise ValueError(f"models must be a sequence of method names (e.g. {DEFAULT_DEGRADATION_MODELS}) or a "
                         f"mapping label -> method name or keras.Model, got {type(models).__name__}")
    reserved = (BASELINE, GROUND_TRUTH, LOW_RESOLUTION)
    names = (*PRETRAINED_METHODS, *INTERPOLATION_METHODS)
    parsed: dict[str, Any] = {}
    for label, method in items:
        if not isinstance(label, str) or not label:
            raise ValueError(f"every model label must be a non-empty string, got {label!r}")
        if label in reserved or (isinstance(method, str) and method.lower() == BASELINE):
            raise ValueError(f"model {label!r}: {BASELINE!r} is always shown and {reserved[1:]} are panels of "
                             "their own; leave them out of models")
        if label in parsed:
            raise ValueError(f"model label {label!r} appears twice; give each model its own label "
                             "(a mapping label -> method)")
        if isinstance(method, str):
            key = method.lower()
            if key not in names and key not in METHOD_ALIASES:
                raise ValueError(f"unknown method {method!r} in models; choose a shipped model {PRETRAINED_METHODS}, "
                                 f"an interpolation {INTERPOLATION_METHODS}, or pass a keras.Model")
            parsed[label] = key
        elif callable(method) and hasattr(method, "inputs"):
            parsed[label] = method
        else:
            raise ValueError(f"models[{label!r}] must be a method name or a keras.Model, got {method!r}")
    return parsed


def _method_scales(method: Any) -> tuple[int, ...]:
    """The course scales at which ``method`` can run: shipped weights for a name, the model's own scale."""
    from srlib import pretrained
    from srlib.upscale import PRETRAINED_METHODS

    if isinstance(method, str):
        if method in PRETRAINED_METHODS:
            shipped = {scale for name, scale in pretrained.available() if name == method}
            return tuple(scale for scale in SCALES if scale in shipped)
        return SCALES  # an interpolation
    from srlib.models import model_scale, output_factor

    recorded = model_scale(method)
    factor = recorded if recorded is not None else output_factor(method)
    return SCALES if factor == 1 else tuple(scale for scale in SCALES if scale == factor)


def _training_note(method: Any) -> str:
    """What a shipped model was trained on, from the registry (empty for interpolations and model objects)."""
    from srlib.models.registry import MODELS, TRAINED_VARIANTS

    if isinstance(method, str) and method in TRAINED_VARIANTS:
        variant = TRAINED_VARIANTS[method]
        return f"{variant.objective} loss, {variant.degradation} LR"
    if isinstance(method, str) and method in MODELS:
        return "pixel loss, bicubic LR"
    return ""


def _wrapped(text: str, width: int, draw: ImageDraw.ImageDraw) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=label_font()) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _placeholder(shape: tuple[int, ...], text: str) -> np.ndarray:
    """A light grey ``shape`` RGB panel with ``text`` centred (a panel without an output)."""
    height, width = shape[:2]
    image = Image.new("RGB", (width, height), _PLACEHOLDER_RGB)
    draw = ImageDraw.Draw(image)
    lines = _wrapped(text, width - 8, draw)
    line_height = 16
    top = (height - line_height * len(lines)) // 2
    for index, line in enumerate(lines):
        left = (width - draw.textlength(line, font=label_font())) / 2
        draw.text((max(2, left), top + index * line_height), line, fill=(73, 80, 87), font=label_font())
    return np.asarray(image)


# --------------------------------------------------------------------------- the explorer
class DegradationExplorer:
    """Sliders for blur, noise, JPEG and scale; bicubic and each model on the same LR, with PSNR/SSIM.

    Parameters
    ----------
    image : numpy.ndarray, optional
        The HR ground truth, ``uint8`` RGB (grey is repeated to three channels; float in
        ``[0, 1]`` is converted), at least 16 x 16. Default: the centre of the bundled
        ``"astronaut"`` photo (:func:`srlib.data.default_images`).
    models : sequence of str, or mapping of str to (str or keras.Model)
        What to compare with bicubic (always shown): shipped model names (``"srresnet"``,
        ``"espcn"``, ...), interpolation names (``"lanczos3"``), or ``{label: name or model}``.
        Default :data:`DEFAULT_DEGRADATION_MODELS`: the bicubic-trained SRResNet x4 and the blind one.
    scale : int, optional
        The scale at start. The dropdown offers the scales of :data:`srlib.models.SCALES` at which at
        least one model can run: a name's shipped weights (:func:`srlib.pretrained.available`; SRResNet
        ships x4 only, SRCNN/FSRCNN/ESPCN x2-x4), a model's own scale, every scale for an
        interpolation; all of them when none can (then every model shows its placeholder).
        Default: 4 when offered, else the largest offered.
    blur_sigma : float
        Gaussian blur of the HR image in HR pixels, in :data:`BLUR_RANGE` (snapped to its step).
    noise_sigma : float
        Gaussian noise on the LR image in grey levels, in :data:`NOISE_RANGE`.
    jpeg_quality : int, optional
        JPEG quality in :data:`JPEG_RANGE`; None (default) starts with JPEG off.
    seed : int
        Seed of the noise (:func:`srlib.data.degrade`): the same settings give the same pixels.
    size : int, optional
        Larger images are centre-cropped to ``size`` x ``size`` (speed); None keeps them whole.
    panel_width : int
        Display width of each panel in pixels (32-1024).
    max_cache_entries : int
        How many settings keep their LR, outputs and scores (at least 2).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display (DOM class ``srlib-degradation``).
    blur_slider, noise_slider, jpeg_checkbox, jpeg_slider, scale_dropdown : ipywidgets
        The controls; setting their ``.value`` updates the outputs. ``jpeg_slider`` is disabled
        while ``jpeg_checkbox`` is off.
    panels : dict of str to ipywidgets.Image
        ``{LOW_RESOLUTION, "bicubic", <model labels>..., "ground truth"}``: PNG outputs, reused.
    captions : dict of str to ipywidgets.HTML
        The label above each panel.
    metrics_html, status_html : ipywidgets.HTML
        The PSNR/SSIM table and a status line (the ``degrade`` call, timing, errors).
    labels : list of str
        The compared models' labels, in display order.
    scales : tuple of int
        The scales offered.
    last_error : Exception or None
        The error of the last update (shown in the status line), if any.
    last_update_ms : float
        Wall-clock time of the last update.

    Examples
    --------
    >>> from srlib.widgets import degradation_explorer
    >>> degradation_explorer(blur_sigma=1.5, noise_sigma=10, jpeg_quality=40)  # doctest: +SKIP

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    def __init__(self, image: Any = None, *, models: Any = DEFAULT_DEGRADATION_MODELS, scale: int | None = None,
                 blur_sigma: float = 0.0, noise_sigma: float = 0.0, jpeg_quality: int | None = None,
                 seed: int = 0, size: int | None = 256, panel_width: int = 256,
                 max_cache_entries: int = 32) -> None:
        from srlib.widgets._explorer import _as_rgb_uint8, _center_crop

        blur_sigma = _check_number(blur_sigma, "blur_sigma", BLUR_RANGE)
        noise_sigma = _check_number(noise_sigma, "noise_sigma", NOISE_RANGE)
        jpeg_quality = _check_quality(jpeg_quality)
        self.seed = _check_int(seed, "seed", 0)
        if size is not None:
            size = _check_int(size, "size", _MIN_SIDE)
        self.panel_width = _check_int(panel_width, "panel_width", 32, 1024)
        self.max_cache_entries = _check_int(max_cache_entries, "max_cache_entries", 2)
        self.methods = _parse_models(models)
        self.labels = list(self.methods)
        self._method_scales = {label: _method_scales(method) for label, method in self.methods.items()}
        runnable = {scale for scales in self._method_scales.values() for scale in scales}
        self.scales: tuple[int, ...] = tuple(s for s in SCALES if s in runnable) or SCALES
        if scale is None:
            scale = 4 if 4 in self.scales else max(self.scales)
        if isinstance(scale, bool) or scale not in self.scales:
            raise ValueError(f"scale must be one of {self.scales} (the scales at which a compared model has "
                             f"weights), got {scale!r}")

        if image is None:
            from srlib.data import default_images

            image = default_images(names=[DEFAULT_IMAGE])[DEFAULT_IMAGE]
        hr = _as_rgb_uint8(image, "image")
        self.image = np.ascontiguousarray(hr if size is None else _center_crop(hr, size))

        self._per_scale: dict[int, dict[str, Any]] = {}
        self._loaded: dict[tuple[str, int], tuple[Any, str | None]] = {}
        self._cache: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self.cache_hits = 0
        self.cache_misses = 0
        self.last_error: BaseException | None = None
        self.last_update_ms = 0.0

        style = {"description_width": "initial"}
        blur_low, blur_high, blur_step = BLUR_RANGE
        noise_low, noise_high, noise_step = NOISE_RANGE
        jpeg_low, jpeg_high, jpeg_step = JPEG_RANGE
        self.blur_slider = widgets.FloatSlider(value=blur_sigma, min=blur_low, max=blur_high, step=blur_step,
                                               description="blur sigma (HR px)", readout_format=".1f",
                                               continuous_update=False, style=style)
        self.noise_slider = widgets.FloatSlider(value=noise_sigma, min=noise_low, max=noise_high, step=noise_step,
                                                description="noise sigma (grey levels)", readout_format=".0f",
                                                continuous_update=False, style=style)
        self.jpeg_checkbox = widgets.Checkbox(value=jpeg_quality is not None, description="JPEG", indent=False,
                                              style=style, layout=widgets.Layout(width="70px"))
        self.jpeg_slider = widgets.IntSlider(value=jpeg_high if jpeg_quality is None else jpeg_quality,
                                             min=jpeg_low, max=jpeg_high, step=jpeg_step, description="quality",
                                             disabled=jpeg_quality is None, continuous_update=False, style=style)
        self.scale_dropdown = widgets.Dropdown(options=list(self.scales), value=int(scale), description="scale",
                                               style=style, layout=widgets.Layout(width="120px"))
        panel_labels = [LOW_RESOLUTION, BASELINE, *self.labels, GROUND_TRUTH]
        self.panels = {label: widgets.Image(format="png", width=str(self.panel_width)) for label in panel_labels}
        self.captions = {label: widgets.HTML() for label in panel_labels}
        self.metrics_html = widgets.HTML()
        self.status_html = widgets.HTML()
        for control, css in ((self.blur_slider, "blur"), (self.noise_slider, "noise"),
                             (self.jpeg_checkbox, "jpeg"), (self.jpeg_slider, "jpeg-quality"),
                             (self.scale_dropdown, "scale"), (self.metrics_html, "metrics"),
                             (self.status_html, "status")):
            control.add_class(f"srlib-degradation-{css}")
        for image_widget in self.panels.values():
            image_widget.add_class("srlib-degradation-panel")
        boxes = [widgets.VBox([self.captions[label], self.panels[label]], layout=widgets.Layout(margin="0 6px 6px 0"))
                 for label in panel_labels]
        self.widget = widgets.VBox([
            widgets.HTML("<b>Degradation explorer</b>: the LR input is <code>srlib.data.degrade(ground truth)</code>"
                         ": Gaussian blur &rarr; bicubic downscaling &rarr; Gaussian noise (seeded) &rarr; JPEG. "
                         "Bicubic and every model upscale the same LR."),
            widgets.HBox([self.blur_slider, self.noise_slider]),
            widgets.HBox([self.jpeg_checkbox, self.jpeg_slider, self.scale_dropdown]),
            self.status_html,
            widgets.Box(boxes, layout=widgets.Layout(flex_flow="row wrap")),
            self.metrics_html,
        ])
        self.widget.add_class("srlib-degradation")
        for control in (self.blur_slider, self.noise_slider, self.jpeg_checkbox, self.jpeg_slider,
                        self.scale_dropdown):
            control.observe(self._on_change, names="value")
        self.update()

    # ----------------------------------------------------------------- state
    def settings(self) -> dict[str, Any]:
        """The current ``degrade`` arguments: ``srlib.data.degrade(ground_truth(), **settings())`` is the LR.

        Returns
        -------
        dict
            ``{"scale", "blur_sigma", "noise_sigma", "jpeg_quality" (None: no JPEG), "seed"}``.

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        return {"scale": int(self.scale_dropdown.value),
                "blur_sigma": _check_number(self.blur_slider.value, "blur_sigma", BLUR_RANGE),
                "noise_sigma": _check_number(self.noise_slider.value, "noise_sigma", NOISE_RANGE),
                "jpeg_quality": int(self.jpeg_slider.value) if self.jpeg_checkbox.value else None,
                "seed": self.seed}

    def _key(self) -> tuple[Any, ...]:
        s = self.settings()
        return s["scale"], s["blur_sigma"], s["noise_sigma"], s["jpeg_quality"]

    def _entry(self) -> dict[str, Any]:
        """The cache entry of the current settings (LR, outputs, scores, PNGs), created empty on a miss."""
        key = self._key()
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            self._cache[key] = {"lr": None, "sr": {}, "scores": {}, "png": {}}
            while len(self._cache) > self.max_cache_entries:
                self._cache.popitem(last=False)
        return self._cache[key]

    def _scale_state(self, scale: int) -> dict[str, Any]:
        """The ground truth at ``scale`` (modcropped), its Scorer (protocol) and PNG: once per scale."""
        if scale not in self._per_scale:
            from srlib.images import modcrop
            from srlib.metrics import Scorer

            hr = np.ascontiguousarray(modcrop(self.image, scale))
            self._per_scale[scale] = {"hr": hr, "scorer": Scorer(hr, border=scale, channel="y"),
                                      "png": png(Image.fromarray(hr)), "placeholders": {}}
        return self._per_scale[scale]

    def cache_info(self) -> dict[str, int]:
        """Return ``{"hits", "misses", "entries"}`` of the per-setting cache (hits and misses count updates).

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        return {"hits": self.cache_hits, "misses": self.cache_misses, "entries": len(self._cache)}

    def clear_cache(self) -> None:
        """Forget every setting's LR, outputs and scores (the loaded models and ground truths stay).

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        self._cache.clear()

    # ----------------------------------------------------------------- data
    def ground_truth(self) -> np.ndarray:
        """The HR image cropped to a multiple of the current scale (:func:`srlib.images.modcrop`), uint8 RGB.

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        return self._scale_state(int(self.scale_dropdown.value))["hr"]

    def low_resolution(self) -> np.ndarray:
        """The current LR input: :func:`srlib.data.degrade` of the ground truth with :meth:`settings`.

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        from srlib.data import degrade

        entry = self._entry()
        if entry["lr"] is None:
            entry["lr"] = degrade(self.ground_truth(), **self.settings())
        return entry["lr"]

    def _method(self, label: str, scale: int) -> tuple[Any, str | None]:
        """``(what to pass to srlib.upscale, None)``, or ``(None, why not)`` for a model that cannot run here."""
        key = (label, scale)
        if key not in self._loaded:
            from srlib import pretrained
            from srlib.upscale import PRETRAINED_METHODS

            method = self.methods[label]
            if scale not in self._method_scales[label]:
                reason = f"no shipped weights at x{scale}" if isinstance(method, str) else \
                    f"this model does not upscale by x{scale}"
                self._loaded[key] = (None, reason)
            elif isinstance(method, str) and method in PRETRAINED_METHODS:
                try:  # load once: srlib.upscale(name, ...) would check the file's sha256 on every call
                    self._loaded[key] = (pretrained.load(method, scale), None)
                except pretrained.WeightsNotFoundError:
                    self._loaded[key] = (None, f"no shipped weights at x{scale}")
            else:
                self._loaded[key] = (method, None)
        return self._loaded[key]

    def unavailable(self) -> dict[str, str]:
        """``{label: why}`` for the compared models that cannot run at the current scale (placeholders).

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        scale = int(self.scale_dropdown.value)
        reasons = {label: self._method(label, scale)[1] for label in self.labels}
        return {label: reason for label, reason in reasons.items() if reason is not None}

    def upscaled(self, label: str) -> np.ndarray | None:
        """The current LR upscaled by ``"bicubic"`` or a compared model (:func:`srlib.upscale`); None if it cannot run.

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        from srlib.upscale import upscale

        if label != BASELINE and label not in self.methods:
            raise ValueError(f"unknown label {label!r}; choose from {[BASELINE, *self.labels]}")
        scale = int(self.scale_dropdown.value)
        method, _ = (BASELINE, None) if label == BASELINE else self._method(label, scale)
        if method is None:
            return None
        entry = self._entry()
        if label not in entry["sr"]:
            lr = self.low_resolution()
            sr = upscale(method, lr, scale)
            scorer = self._scale_state(scale)["scorer"]
            entry["sr"][label] = sr
            entry["scores"][label] = {"psnr": scorer.psnr(sr), "ssim": scorer.ssim(sr)}
        return entry["sr"][label]

    def results(self) -> dict[str, np.ndarray | None]:
        """Every panel's image: ``{LOW_RESOLUTION, "bicubic", <labels>..., "ground truth"}`` (uint8 RGB).

        The LR input is enlarged nearest-neighbour to the ground truth's size; a model that
        cannot run at this scale (a placeholder panel) is None.

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        out: dict[str, np.ndarray | None] = {LOW_RESOLUTION: self._enlarged_lr(), BASELINE: self.upscaled(BASELINE)}
        for label in self.labels:
            out[label] = self.upscaled(label)
        out[GROUND_TRUTH] = self.ground_truth()
        return out

    def metrics(self) -> dict[str, dict[str, float]]:
        """``{label: {"psnr": dB, "ssim": value}}`` vs the ground truth (Y, border = scale), bicubic first.

        Models that cannot run at this scale are left out (see :meth:`unavailable`).

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        table = {}
        for label in (BASELINE, *self.labels):
            if self.upscaled(label) is not None:
                table[label] = dict(self._entry()["scores"][label])
        return table

    def _enlarged_lr(self) -> np.ndarray:
        from srlib.upscale import upscale

        entry = self._entry()
        if "lr_enlarged" not in entry:
            entry["lr_enlarged"] = upscale("nearest", self.low_resolution(), int(self.scale_dropdown.value))
        return entry["lr_enlarged"]

    # ----------------------------------------------------------------- rendering
    def _panel_png(self, label: str) -> bytes:
        if label == GROUND_TRUTH:
            return self._scale_state(int(self.scale_dropdown.value))["png"]
        entry = self._entry()
        if label not in entry["png"]:
            if label == LOW_RESOLUTION:
                entry["png"][label] = png(Image.fromarray(self._enlarged_lr()))
            else:
                sr = self.upscaled(label)
                entry["png"][label] = self._placeholder_png(label) if sr is None else png(Image.fromarray(sr))
        return entry["png"][label]

    def _placeholder_png(self, label: str) -> bytes:
        scale = int(self.scale_dropdown.value)
        state = self._scale_state(scale)
        reason = self.unavailable()[label]
        if reason not in state["placeholders"]:
            state["placeholders"][reason] = png(Image.fromarray(_placeholder(state["hr"].shape, reason)))
        return state["placeholders"][reason]

    def _caption(self, label: str) -> str:
        scale = int(self.scale_dropdown.value)
        if label == LOW_RESOLUTION:
            lr = self.low_resolution()
            text = f"<b>LR input</b> {lr.shape[1]}x{lr.shape[0]}, shown x{scale} nearest"
        elif label == GROUND_TRUTH:
            text = f"<b>{GROUND_TRUTH}</b> (HR)"
        elif label == BASELINE:
            text = f"<b>{BASELINE}</b> (baseline)"
        else:
            note = _training_note(self.methods[label])
            text = f"<b>{html.escape(label)}</b>" + (f" <small>({html.escape(note)})</small>" if note else "")
        return f"<span class='srlib-degradation-caption'>{text}</span>"

    def _table(self, pending: Sequence[str] = ()) -> str:
        scale = int(self.scale_dropdown.value)
        missing = self.unavailable()
        rows: dict[str, Mapping[str, float] | str] = {}
        for label in (BASELINE, *self.labels):
            if label in missing:
                rows[label] = missing[label]
            elif label in pending:
                rows[label] = _PENDING
            else:
                rows[label] = self._entry()["scores"][label]
        return metrics_table(rows, scale=scale, baseline=BASELINE)

    def _show(self, label: str) -> None:
        self.captions[label].value = self._caption(label)
        self.panels[label].value = self._panel_png(label)

    def update(self) -> None:
        """Compute what the current settings need (cached otherwise) and redraw, panel by panel.

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        started = time.perf_counter()
        scale = int(self.scale_dropdown.value)
        if self._key() in self._cache:
            self.cache_hits += 1
        else:
            self.cache_misses += 1
        self._show(LOW_RESOLUTION)
        self._show(BASELINE)
        pending = [label for label in self.labels if label not in self._entry()["sr"]
                   and label not in self.unavailable()]
        if pending:  # the table must not show the previous setting's numbers while the models run
            self.metrics_html.value = self._table(pending)
        for label in self.labels:
            self._show(label)
        self._show(GROUND_TRUTH)
        self.metrics_html.value = self._table()
        self.last_update_ms = (time.perf_counter() - started) * 1000.0
        self.last_error = None
        s = self.settings()
        hr, lr = self.ground_truth(), self.low_resolution()
        call = (f"degrade(hr {hr.shape[1]}x{hr.shape[0]}, {scale}, blur_sigma={s['blur_sigma']:g}, "
                f"noise_sigma={s['noise_sigma']:g}, jpeg_quality={s['jpeg_quality']}, seed={s['seed']})")
        self.status_html.value = (f"<span class='srlib-status'>LR {lr.shape[1]}x{lr.shape[0]} = "
                                  f"<code>{html.escape(call)}</code> &middot; updated in "
                                  f"{self.last_update_ms:.0f} ms</span>")

    def _error(self, err: BaseException) -> None:
        self.last_error = err
        self.status_html.value = (f"<span class='srlib-status srlib-error' style='color:#c92a2a'>"
                                  f"error: {html.escape(type(err).__name__)}: {html.escape(str(err))}</span>")

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if change.get("owner") is self.jpeg_checkbox:
            self.jpeg_slider.disabled = not self.jpeg_checkbox.value
        try:
            self.update()
        except Exception as err:  # noqa: BLE001 - shown to the learner instead of a silent kernel log
            self._error(err)

    # ----------------------------------------------------------------- display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def display(self) -> None:
        """Display the explorer in the notebook (same as ending a cell with it).

        Notes
        -----
        Taught in ``06_degradations_and_augmentation.ipynb``.
        """
        from IPython.display import display

        display(self.widget)


def degradation_explorer(image: Any = None, **kwargs: Any) -> DegradationExplorer:
    """Build a :class:`DegradationExplorer`; end a notebook cell with it to display it.

    Parameters
    ----------
    image : numpy.ndarray, optional
        The HR ground truth (default: the centre 256 x 256 of the bundled astronaut photo).
    **kwargs
        Passed to :class:`DegradationExplorer` (``models``, ``scale``, ``blur_sigma``,
        ``noise_sigma``, ``jpeg_quality``, ``seed``, ``size``, ...).

    Returns
    -------
    DegradationExplorer
        Its ``.widget`` is the ipywidgets container.

    Examples
    --------
    >>> from srlib.widgets import degradation_explorer
    >>> degradation_explorer(models=("srresnet", "srresnet_blind"), noise_sigma=10)  # doctest: +SKIP

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    return DegradationExplorer(image, **kwargs)


def _stand_ins(models: Any, scale: int) -> tuple[dict[str, Any], dict[str, str]]:
    """Models for timing: a shipped name without weights at ``scale`` is replaced by its architecture.

    The time of a network does not depend on its weights: the architecture's shipped weights
    stand in (``srresnet`` for a missing ``srresnet_blind``), else random ones.
    """
    from srlib import pretrained
    from srlib.models import build_model
    from srlib.models.registry import method_model
    from srlib.upscale import PRETRAINED_METHODS

    resolved, stand_ins = {}, {}
    for label, method in _parse_models(models).items():
        if isinstance(method, str) and method in PRETRAINED_METHODS and scale not in _method_scales(method):
            family = method_model(method)
            if scale in _method_scales(family):
                resolved[label] = pretrained.load(family, scale)
                stand_ins[label] = f"shipped {family} x{scale} (no {method} x{scale} weights; same architecture)"
            else:
                resolved[label] = build_model(family, scale)
                stand_ins[label] = f"{family} x{scale} with random weights (no shipped weights; same architecture)"
        else:
            resolved[label] = method
    return resolved, stand_ins


def degradation_latency(image: Any = None, repeats: int = 5, *, models: Any = DEFAULT_DEGRADATION_MODELS,
                        scale: int = 4) -> dict[str, Any]:
    """Time slider moves of a :class:`DegradationExplorer`, from setting ``.value`` to the new outputs.

    Starts from blur 0, noise 0, JPEG 90 (computed while building, which also traces the models),
    then makes ``repeats`` cold moves, cycling through the blur, noise and JPEG sliders to settings
    never seen (``degrade`` + bicubic + every model + scores + PNGs), and walks back through them
    (warm: every setting is cached, only redrawn). A shipped model without weights at ``scale``
    is timed with its architecture instead (``result["stand_ins"]`` says so): the shipped
    ``srresnet`` while ``srresnet_blind`` has no weights.

    Parameters
    ----------
    image : numpy.ndarray, optional
        The HR image (default: the explorer's, 256 x 256).
    repeats : int
        Cold moves (1-30); as many warm ones.
    models : sequence or mapping
        As for :class:`DegradationExplorer` (default: ``("srresnet", "srresnet_blind")``).
    scale : int
        The scale factor.

    Returns
    -------
    dict
        ``cold_ms``, ``warm_ms`` (wall-clock medians), ``cold_cpu_ms``, ``warm_cpu_ms`` (CPU time of
        this process, less inflated by other work on a busy machine), ``repeats``, ``scale``,
        ``shape`` (the ground truth's), ``models`` (labels) and ``stand_ins`` (``{label: what was run}``).

    Raises
    ------
    ValueError
        Bad ``repeats``, ``scale``, ``models`` or ``image``.
    RuntimeError
        The explorer failed during a move.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``; run by ``python -m srlib benchmark``.
    """
    from srlib._checks import check_scale
    from srlib.widgets._latency import _timed

    repeats = _check_int(repeats, "repeats", 1, 30)
    scale = check_scale(scale, supported=SCALES)
    resolved, stand_ins = _stand_ins(models, scale)
    explorer = DegradationExplorer(image, models=resolved, scale=scale, jpeg_quality=90)
    controls = (explorer.blur_slider, explorer.noise_slider, explorer.jpeg_slider)
    moves = []
    for index in range(repeats):
        step = index // len(controls) + 1
        control = controls[index % len(controls)]
        value = (round(0.2 * step, 1), 2.0 * step, 90 - 5 * step)[index % len(controls)]
        moves.append((control, control.value, value))
    cold = [_timed(lambda c=control, v=new: setattr(c, "value", v)) for control, _, new in moves]
    warm = [_timed(lambda c=control, v=old: setattr(c, "value", v)) for control, old, _ in reversed(moves)]
    if explorer.last_error is not None:
        raise RuntimeError(f"the degradation explorer failed during the benchmark: {explorer.last_error!r}")
    return {"cold_ms": float(np.median([wall for wall, _ in cold])),
            "warm_ms": float(np.median([wall for wall, _ in warm])),
            "cold_cpu_ms": float(np.median([cpu for _, cpu in cold])),
            "warm_cpu_ms": float(np.median([cpu for _, cpu in warm])),
            "repeats": repeats, "scale": scale, "shape": list(explorer.ground_truth().shape),
            "models": list(explorer.labels), "stand_ins": stand_ins}

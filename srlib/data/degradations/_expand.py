"""Degradation-aware resolution augmentation for a classifier: shrink, degrade, expand back.

A classifier trained on clean, full-resolution images meets low-resolution, blurred, noisy,
compressed images at test time, enlarged by whatever method the pipeline uses. This transform
draws, per image, a scale, a realistic degradation and an expansion method, so the classifier
sees all of them during training (the downstream study's "resolution augmentation").
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from srlib._checks import check_scale
from srlib.data.degradations._basic import _check_uint8_image
from srlib.data.degradations._pipelines import ClassicalDegradation, RandomDegradation, _generator
from srlib.images import modcrop

__all__ = ["EXPAND_METHODS", "random_degrade_and_expand"]

#: Default expansion methods: interpolations only (no model weights needed).
EXPAND_METHODS: tuple[str, ...] = ("nearest", "bilinear", "bicubic", "lanczos3")

_DEFAULT_DEGRADATION = ClassicalDegradation(blur_sigma=(0.2, 2.0), noise_sigma=(0.0, 15.0), jpeg_quality=(40, 95))


def _check_expand_methods(methods: Any) -> tuple[Any, ...]:
    from srlib.resize import METHOD_ALIASES, METHODS
    from srlib.upscale import PRETRAINED_METHODS

    if isinstance(methods, str) or not isinstance(methods, Sequence) or not methods:
        raise ValueError(f"methods must be a non-empty sequence of expansion methods, e.g. {EXPAND_METHODS}, "
                         f"got {methods!r}")
    known = set(METHODS) | set(METHOD_ALIASES) | set(PRETRAINED_METHODS)
    for method in methods:
        if isinstance(method, str) and method.lower() not in known:
            raise ValueError(f"unknown expansion method {method!r}; use interpolations {METHODS}, shipped models "
                             f"{PRETRAINED_METHODS} or a Keras model (anything srlib.upscale accepts)")
    return tuple(methods)


def random_degrade_and_expand(image: np.ndarray, rng: np.random.Generator | int, *, scales: Sequence[int] = (1, 2, 4),
                              methods: Sequence[Any] = EXPAND_METHODS, degradation: Any = _DEFAULT_DEGRADATION,
                              details: bool = False) -> Any:
    """Shrink by a random scale with a realistic degradation, then expand back to the input size.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` RGB ``(H, W, 3)`` (or grey ``(H, W)``), any size.
    rng : numpy.random.Generator or int
        Draws the scale, the method and the degradation (an int is a seed).
    scales : sequence of int
        Drawn uniformly; ``1`` keeps the image unchanged (a clean sample).
    methods : sequence
        Expansion methods drawn uniformly, anything :func:`srlib.upscale` accepts: interpolation
        names (default :data:`EXPAND_METHODS`), shipped model names (``"espcn"``, ...; their
        weights must exist for each drawn scale) or Keras models.
    degradation : callable
        A :class:`RandomDegradation` (called with the rng) or a plain ``(hr, scale) -> lr`` such
        as :func:`srlib.data.make_lr` (clean bicubic). Default: a mild
        :class:`ClassicalDegradation` (blur sigma 0.2..2, noise 0..15, JPEG 40..95), suited to
        small classifier images.
    details : bool
        Also return ``{"scale", "method"}`` of the draw.

    Returns
    -------
    numpy.ndarray or (numpy.ndarray, dict)
        ``uint8`` of the input's shape. When ``H`` or ``W`` is not a multiple of the scale, the
        LR image is made from the top-left multiple and the expansion is edge-padded back, so the
        content does not move.

    Raises
    ------
    ValueError
        A bad image, scale, method or rng.

    Notes
    -----
    For the downstream classifier study (degradation-aware augmentation and degraded test
    sets); Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    from srlib.upscale import method_name, upscale

    image = _check_uint8_image(image)
    generator = _generator(rng)
    if isinstance(scales, (str, bytes)) or not isinstance(scales, Sequence) or not scales:
        raise ValueError(f"scales must be a non-empty sequence of integer factors such as (1, 2, 4), got {scales!r}")
    scales = tuple(check_scale(scale, minimum=1, name="every entry of scales") for scale in scales)
    methods = _check_expand_methods(methods)
    if not callable(degradation):
        raise ValueError(f"degradation must be a RandomDegradation or a function (hr, scale) -> lr such as "
                         f"srlib.data.make_lr, got {degradation!r}")
    scale = int(scales[int(generator.integers(len(scales)))])
    method = methods[int(generator.integers(len(methods)))]
    if scale == 1:
        result = image.copy()
    else:
        if min(image.shape[:2]) < scale:
            raise ValueError(f"image of shape {image.shape} is smaller than the drawn scale {scale}; "
                             "use smaller scales or larger images")
        hr = modcrop(image, scale)
        lr = degradation(hr, scale, generator) if isinstance(degradation, RandomDegradation) \
            else degradation(hr, scale)
        expanded = upscale(method, lr, scale)
        if image.ndim == 2:
            expanded = expanded[..., 0]
        elif image.shape[2] == 1:
            expanded = expanded[..., :1]
        pad = ((0, image.shape[0] - expanded.shape[0]), (0, image.shape[1] - expanded.shape[1]))
        result = np.pad(expanded, pad + ((0, 0),) * (expanded.ndim - 2), mode="edge")
    if details:
        return result, {"scale": scale, "method": method_name(method)}
    return result

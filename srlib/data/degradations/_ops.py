"""Resizing, noise and JPEG with their random twins (the non-blur steps of the random pipelines).

Deterministic twins: :func:`srlib.resize.imresize` (with :func:`resize_levels`' antialias rule),
:func:`srlib.data.add_noise` (Gaussian, colour or grey), :func:`add_poisson_noise` and
:func:`srlib.data.jpeg`. Each ``random_*`` function draws its parameters from an explicit
:class:`numpy.random.Generator` within a documented range (defaults: Real-ESRGAN's first round,
Wang et al., ICCVW 2021, options file ``train_realesrgan_x4plus.yml``) and calls its twin.

The ``*_levels`` helpers work on ``float64`` grey levels (0..255 scale, unclipped) so a pipeline
quantises only where the papers do (before JPEG and at the end).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from srlib._checks import check_positive_number, check_rng
from srlib.data.degradations._basic import _check_sigma, _check_uint8_image, _to_uint8_levels, add_noise, jpeg
from srlib.data.degradations._kernels import _check_probabilities, _check_probability, _check_range, require_rng
from srlib.resize import METHODS, imresize

__all__ = ["RESIZE_METHODS", "resize_levels", "random_resize", "random_gaussian_noise", "add_poisson_noise",
           "random_poisson_noise", "random_jpeg", "poisson_noise_levels", "jpeg_levels"]

#: Resizing methods of the random pipelines (PyTorch's ``area`` / ``bilinear`` / ``bicubic`` in Real-ESRGAN,
#: OpenCV's ``INTER_AREA`` / ``INTER_LINEAR`` / ``INTER_CUBIC`` in BSRGAN).
RESIZE_METHODS: tuple[str, ...] = ("area", "bilinear", "bicubic")
#: BT.601 luma weights (OpenCV's ``COLOR_RGB2GRAY``), for grey Poisson noise as in BasicSR.
_LUMA = np.array([0.299, 0.587, 0.114])


# --------------------------------------------------------------------------- resizing
def _check_methods(methods: Any) -> tuple[str, ...]:
    if isinstance(methods, str) or not isinstance(methods, Sequence) or not methods \
            or any(method not in METHODS for method in methods):
        raise ValueError(f"methods must be a non-empty sequence of srlib.resize.METHODS {METHODS}, e.g. "
                         f"{RESIZE_METHODS}, got {methods!r}")
    return tuple(methods)


def resize_levels(levels: np.ndarray, size: Sequence[int], method: str, antialias: bool | None = None) -> np.ndarray:
    """Resize float grey levels to ``size`` with ``method`` the way the random pipelines do.

    ``"area"`` averages (:func:`srlib.resize.imresize` with its box kernel widened when
    shrinking, like PyTorch's ``area`` / OpenCV's ``INTER_AREA``); the other methods do not
    antialias, like ``F.interpolate`` and ``cv2.resize``, so shrinking aliases - part of the
    realistic degradation. (PyTorch's and OpenCV's bicubic use ``a = -0.75``; srlib's Keys kernel
    uses MATLAB's ``a = -0.5``.) ``antialias`` overrides the rule (BSRGAN also uses MATLAB's
    antialiased bicubic).
    """
    height, width = int(size[0]), int(size[1])
    if (height, width) == tuple(levels.shape[:2]):
        return levels
    antialias = method == "area" if antialias is None else bool(antialias)
    return imresize(levels, output_shape=(height, width), method=method, antialias=antialias)


def _draw_factor(rng: np.random.Generator, factor_range: tuple[float, float],
                 probabilities: tuple[float, ...]) -> float:
    """Real-ESRGAN's rule: up (uniform in ``[1, high]``), down (``[low, 1]``) or keep (1)."""
    direction = int(rng.choice(3, p=probabilities))
    if direction == 0:
        return float(1.0 + (factor_range[1] - 1.0) * rng.random())
    if direction == 1:
        return float(factor_range[0] + (1.0 - factor_range[0]) * rng.random())
    return 1.0


def check_factor_range(factor_range: Any, name: str = "factor_range") -> tuple[float, float]:
    """A resize ``(low, high)`` with ``0 < low <= 1 <= high`` (up and down around 1), or a ValueError."""
    bounds = _check_range(factor_range, name, allow_low=False)
    if not bounds[0] <= 1.0 <= bounds[1]:
        raise ValueError(f"{name} must contain 1 (shrink below, enlarge above), e.g. (0.15, 1.5); "
                         f"got {factor_range!r}")
    return bounds


def draw_resize(rng: np.random.Generator, shape: Sequence[int], *, factor_range: tuple[float, float] = (0.15, 1.5),
                probabilities: Sequence[float] = (0.2, 0.7, 0.1), methods: Sequence[str] = RESIZE_METHODS,
                reference: Sequence[int] | None = None) -> dict[str, Any]:
    """The step :func:`random_resize` draws: ``{"op": "resize", "size": [h, w], "method", "factor"}``.

    ``reference`` (default ``shape``) is the size the factor multiplies (Real-ESRGAN's second round
    scales the final LR size, not the current one).
    """
    rng = require_rng(rng)
    bounds = check_factor_range(factor_range)
    probabilities = _check_probabilities(probabilities, 3, "probabilities (up, down, keep)")
    methods = _check_methods(methods)
    factor = _draw_factor(rng, bounds, probabilities)
    method = methods[int(rng.integers(len(methods)))]
    base = tuple(shape[:2]) if reference is None else tuple(reference[:2])
    size = [max(1, int(base[0] * factor)), max(1, int(base[1] * factor))]
    return {"op": "resize", "size": size, "method": method, "factor": factor}


def random_resize(image: np.ndarray, rng: np.random.Generator, *, factor_range: tuple[float, float] = (0.15, 1.5),
                  probabilities: Sequence[float] = (0.2, 0.7, 0.1),
                  methods: Sequence[str] = RESIZE_METHODS) -> np.ndarray:
    """Resize by a random factor with a random method (Real-ESRGAN's resize step).

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` ``(H, W)`` or ``(H, W, 3)``.
    rng : numpy.random.Generator
        Where the parameters come from.
    factor_range : (float, float)
        ``(low, high)`` around 1: an enlargement draws the factor uniformly from ``[1, high]``, a
        reduction from ``[low, 1]`` (Real-ESRGAN: ``(0.15, 1.5)`` first round, ``(0.3, 1.2)`` second).
    probabilities : (float, float, float)
        Probabilities of enlarging, reducing and keeping the size (Real-ESRGAN: ``(0.2, 0.7, 0.1)``
        first round, ``(0.3, 0.4, 0.3)`` second).
    methods : sequence of str
        Drawn uniformly (default :data:`RESIZE_METHODS`; antialias rule of :func:`resize_levels`).

    Returns
    -------
    numpy.ndarray
        ``uint8`` image of ``floor(factor * H) x floor(factor * W)`` pixels (at least 1).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    image = _check_uint8_image(image)
    step = draw_resize(rng, image.shape, factor_range=factor_range, probabilities=probabilities, methods=methods)
    return _to_uint8_levels(resize_levels(image.astype(np.float64), step["size"], step["method"]))


# --------------------------------------------------------------------------- Gaussian noise
def draw_gaussian_noise(rng: np.random.Generator, *, sigma_range: tuple[float, float] = (1.0, 30.0),
                        grey_probability: float = 0.4) -> dict[str, Any]:
    """The step :func:`random_gaussian_noise` draws: ``{"op": "gaussian_noise", "sigma", "grey"}``."""
    rng = require_rng(rng)
    bounds = _check_range(sigma_range, "sigma_range (grey levels)")
    grey_probability = _check_probability(grey_probability, "grey_probability")
    sigma = float(bounds[0] + (bounds[1] - bounds[0]) * rng.random())
    return {"op": "gaussian_noise", "sigma": sigma, "grey": bool(rng.random() < grey_probability)}


def random_gaussian_noise(image: np.ndarray, rng: np.random.Generator, *,
                          sigma_range: tuple[float, float] = (1.0, 30.0), grey_probability: float = 0.4) -> np.ndarray:
    """:func:`srlib.data.add_noise` with ``sigma`` uniform in ``sigma_range``, grey with ``grey_probability``.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` ``(H, W)`` or ``(H, W, 3)``.
    rng : numpy.random.Generator
        Draws the parameters, then the noise.
    sigma_range : (float, float)
        Grey levels (Real-ESRGAN: ``(1, 30)`` first round, ``(1, 25)`` second).
    grey_probability : float
        Probability of one noise value per pixel for all channels (Real-ESRGAN: 0.4).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    image = _check_uint8_image(image)
    step = draw_gaussian_noise(rng, sigma_range=sigma_range, grey_probability=grey_probability)
    return add_noise(image, step["sigma"], grey=step["grey"], rng=rng)


# --------------------------------------------------------------------------- Poisson noise
def _poisson_levels_count(rounded: np.ndarray) -> float:
    """BasicSR's photon scale: the number of distinct grey levels, rounded up to a power of 2."""
    return float(2.0 ** math.ceil(math.log2(max(2, len(np.unique(rounded))))))


def poisson_noise_levels(levels: np.ndarray, scale: float, grey: bool, rng: np.random.Generator,
                         photons: float | None = None) -> np.ndarray:
    """Poisson (shot) noise for float grey levels, in grey levels: BasicSR's ``generate_poisson_noise``.

    The image is rounded to ``uint8`` levels ``v`` and read as ``photons * v / 255`` photon counts;
    the noise is ``scale * 255 * (Poisson(photons * v / 255) / photons - v / 255)``, so its variance is
    ``scale**2 * 255 * v / photons``: proportional to the intensity. ``photons=None`` uses BasicSR's
    rule (the number of distinct levels of the image rounded up to a power of 2; 256 for most
    photographs). ``grey``: one draw on the BT.601 luma, added to every channel.
    """
    values = np.asarray(levels, dtype=np.float64)
    source = values @ _LUMA if grey and values.ndim == 3 and values.shape[2] == 3 else values
    rounded = _to_uint8_levels(source) / 255.0
    count = _poisson_levels_count(rounded) if photons is None else float(photons)
    noise = (rng.poisson(rounded * count) / count - rounded) * 255.0 * float(scale)
    if source is not values:
        noise = np.repeat(noise[:, :, None], values.shape[2], axis=2)
    return noise


def add_poisson_noise(image: np.ndarray, scale: float = 1.0, *, grey: bool = False, photons: float | None = None,
                      rng: np.random.Generator | None = None, seed: int | None = None) -> np.ndarray:
    """Add Poisson (shot) noise whose variance grows with the intensity, as a camera sensor's.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` ``(H, W)`` or ``(H, W, 3)``.
    scale : float
        Noise strength (>= 0; Real-ESRGAN draws ``(0.05, 3)`` first round, ``(0.05, 2.5)`` second);
        ``0`` returns an unchanged copy.
    grey : bool
        One draw per pixel on the luma, added to all channels (Real-ESRGAN's grey noise).
    photons : float, optional
        Photon count of a full-white pixel; ``None``: BasicSR's rule (the image's distinct levels,
        rounded up to a power of 2). The variance at level ``v`` is ``scale**2 * 255 * v / photons``
        grey levels squared.
    rng, seed :
        The generator (or a seed for a fresh one), as in :func:`srlib.data.add_noise`.

    Returns
    -------
    numpy.ndarray
        ``uint8`` image of the same shape.

    Notes
    -----
    See :func:`poisson_noise_levels`. Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    image = _check_uint8_image(image)
    scale = _check_sigma(scale, "scale")
    if photons is not None:
        photons = check_positive_number(photons, "photons")
    generator = check_rng(rng, seed)
    if scale == 0:
        return image.copy()
    return _to_uint8_levels(image + poisson_noise_levels(image, scale, bool(grey), generator, photons))


def draw_poisson_noise(rng: np.random.Generator, *, scale_range: tuple[float, float] = (0.05, 3.0),
                       grey_probability: float = 0.4) -> dict[str, Any]:
    """The step :func:`random_poisson_noise` draws: ``{"op": "poisson_noise", "scale", "grey"}``."""
    rng = require_rng(rng)
    bounds = _check_range(scale_range, "scale_range")
    grey_probability = _check_probability(grey_probability, "grey_probability")
    scale = float(bounds[0] + (bounds[1] - bounds[0]) * rng.random())
    return {"op": "poisson_noise", "scale": scale, "grey": bool(rng.random() < grey_probability)}


def random_poisson_noise(image: np.ndarray, rng: np.random.Generator, *,
                         scale_range: tuple[float, float] = (0.05, 3.0), grey_probability: float = 0.4) -> np.ndarray:
    """:func:`add_poisson_noise` with ``scale`` uniform in ``scale_range``, grey with ``grey_probability``.

    Notes
    -----
    Real-ESRGAN's ranges: ``(0.05, 3)`` first round, ``(0.05, 2.5)`` second; grey 0.4. Taught in
    ``06_degradations_and_augmentation.ipynb``.
    """
    image = _check_uint8_image(image)
    step = draw_poisson_noise(rng, scale_range=scale_range, grey_probability=grey_probability)
    return add_poisson_noise(image, step["scale"], grey=step["grey"], rng=rng)


# --------------------------------------------------------------------------- JPEG
def jpeg_levels(levels: np.ndarray, quality: int) -> np.ndarray:
    """Quantise float grey levels to ``uint8`` (round, clip), JPEG them, return float64 levels again."""
    return jpeg(_to_uint8_levels(levels), int(quality)).astype(np.float64)


def draw_jpeg(rng: np.random.Generator, *, quality_range: tuple[int, int] = (30, 95)) -> dict[str, Any]:
    """The step :func:`random_jpeg` draws: ``{"op": "jpeg", "quality"}``, an integer uniform in the range."""
    rng = require_rng(rng)
    low, high = _check_range(quality_range, "quality_range", low=1, high=100, integer=True)
    return {"op": "jpeg", "quality": int(rng.integers(low, high + 1))}


def random_jpeg(image: np.ndarray, rng: np.random.Generator, *,
                quality_range: tuple[int, int] = (30, 95)) -> np.ndarray:
    """:func:`srlib.data.jpeg` at an integer quality drawn uniformly from ``quality_range`` (inclusive).

    Notes
    -----
    Real-ESRGAN and BSRGAN both use ``(30, 95)`` (Real-ESRGAN draws a real quality for its
    differentiable JPEG; PIL needs an integer). Taught in
    ``06_degradations_and_augmentation.ipynb``.
    """
    image = _check_uint8_image(image)
    return jpeg(image, draw_jpeg(rng, quality_range=quality_range)["quality"])


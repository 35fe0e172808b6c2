"""The protocol's LR image (:func:`make_lr`), the classic chain (:func:`degrade`) and its steps, the resizers.

See :mod:`srlib.data.degradations` for the whole picture. :func:`make_lr` is the one definition
of the clean degradation of the evaluation protocol; :func:`degrade` runs Gaussian blur ->
MATLAB bicubic downscaling -> Gaussian noise -> JPEG; :func:`gaussian_blur`, :func:`add_noise`
and :func:`jpeg` are its steps; :func:`resize_with` compares MATLAB's, PIL's and TensorFlow's
bicubic resizers. ``uint8`` in, ``uint8`` out (rounded half away from zero, clipped); random steps
take a ``seed`` or a :class:`numpy.random.Generator`.

Taught in ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

import io
import math
import numbers
from typing import Any, Literal, Sequence

import numpy as np

from srlib._checks import check_rng, check_scale
from srlib.images import modcrop, round_half_away
from srlib.resize import imresize, output_size

__all__ = ["LIBRARIES", "make_lr", "gaussian_blur", "add_noise", "jpeg", "degrade", "resize_with",
           "gaussian_noise_levels"]

#: Resizers understood by :func:`resize_with`.
LIBRARIES: tuple[str, ...] = ("matlab", "pil", "tf")


# --------------------------------------------------------------------------- helpers
def _check_uint8_image(image: Any, name: str = "image") -> np.ndarray:
    """Return ``image`` as a uint8 array of shape (H, W) or (H, W, C) with C in (1, 3), or raise."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ValueError(f"{name} must be a uint8 image (values 0..255), got dtype {array.dtype}; "
                         "convert a float image in [0, 1] with srlib.images.to_uint8")
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3)):
        raise ValueError(f"{name} must have shape (H, W) or (H, W, 3), got {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} is empty: shape {array.shape}")
    return array


def _check_sigma(sigma: Any, name: str) -> float:
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not math.isfinite(float(sigma)) \
            or float(sigma) < 0:
        raise ValueError(f"{name} must be a finite number >= 0 (0 turns the step off), got {sigma!r}")
    return float(sigma)


def _check_quality(quality: Any) -> int:
    if isinstance(quality, bool) or not isinstance(quality, numbers.Integral) or not 1 <= int(quality) <= 100:
        raise ValueError(f"jpeg quality must be an integer from 1 (worst) to 100 (best; PIL recommends "
                         f"at most 95), got {quality!r}")
    return int(quality)


def _to_uint8_levels(values: np.ndarray) -> np.ndarray:
    """Float grey levels (0..255 scale) -> uint8: round half away from zero, clip."""
    return np.clip(round_half_away(values), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- the protocol's LR
def make_lr(hr: np.ndarray, scale: int) -> np.ndarray:
    """The protocol's LR image: MATLAB bicubic ``imresize(modcrop(hr, scale), 1 / scale)``, ``uint8``.

    Parameters
    ----------
    hr : numpy.ndarray
        ``uint8`` HR image, ``(H, W, 3)`` or ``(H, W)``; cropped here to a multiple of
        ``scale`` (:func:`srlib.images.modcrop`) when it is not one already.
    scale : int
        Integer downscaling factor >= 2.

    Returns
    -------
    numpy.ndarray
        ``uint8`` LR image of shape ``(H // scale, W // scale[, 3])``: MATLAB's bicubic
        with antialiasing, rounded - the LR image every method is scored on.

    Raises
    ------
    ValueError
        Not a ``uint8`` image, or ``scale`` not an integer >= 2.

    Examples
    --------
    >>> import numpy as np
    >>> make_lr(np.zeros((31, 40, 3), np.uint8), 3).shape
    (10, 13, 3)

    Notes
    -----
    The one definition of the clean degradation: :func:`srlib.evaluate` and
    :class:`srlib.data.PairedPatches` use it. Taught in ``02_degradation_and_evaluation.ipynb``
    and ``03_srcnn.ipynb``.
    """
    scale = check_scale(scale)
    hr = modcrop(_check_uint8_image(hr, "hr"), scale)
    return imresize(hr, 1.0 / scale, method="bicubic", antialias=True)


# --------------------------------------------------------------------------- single steps
def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Blur with a Gaussian of standard deviation ``sigma`` pixels (optics, defocus, motion).

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` image, ``(H, W, 3)`` or ``(H, W)``.
    sigma : float
        Standard deviation in pixels (>= 0); ``0`` returns an unchanged copy. Each
        colour channel is blurred separately; borders are mirrored.

    Returns
    -------
    numpy.ndarray
        ``uint8`` image of the same shape.

    Raises
    ------
    ValueError
        Not a ``uint8`` image, or ``sigma`` negative or not finite.

    Examples
    --------
    >>> import numpy as np
    >>> gaussian_blur(np.zeros((8, 8, 3), np.uint8), 1.5).shape
    (8, 8, 3)

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    from scipy.ndimage import gaussian_filter

    image = _check_uint8_image(image)
    sigma = _check_sigma(sigma, "sigma")
    if sigma == 0:
        return image.copy()
    sigmas = (sigma, sigma) + (0,) * (image.ndim - 2)
    return _to_uint8_levels(gaussian_filter(image.astype(np.float64), sigmas, mode="reflect"))


def add_noise(image: np.ndarray, sigma: float, *, grey: bool = False, rng: np.random.Generator | None = None,
              seed: int | None = None) -> np.ndarray:
    """Add Gaussian noise of standard deviation ``sigma`` grey levels (sensor noise).

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` image, ``(H, W, 3)`` or ``(H, W)``.
    sigma : float
        Standard deviation in ``uint8`` grey levels (>= 0), e.g. ``5`` (mild) to
        ``25`` (strong); ``0`` returns an unchanged copy. Each pixel and channel gets
        its own draw.
    grey : bool
        ``True``: one draw per pixel, added to all channels alike (luminance noise, as
        Real-ESRGAN's "grey noise"); ``False`` (default): colour noise, one draw per channel.
    rng : numpy.random.Generator, optional
        Random generator to draw from (use one generator for a whole data set so
        that every image gets different noise).
    seed : int, optional
        Seed for a fresh generator instead of ``rng``: the same seed gives the same
        noise. With neither, the noise is not reproducible.

    Returns
    -------
    numpy.ndarray
        ``uint8`` image of the same shape (rounded, clipped to 0..255).

    Raises
    ------
    ValueError
        Not a ``uint8`` image, ``sigma`` negative, a bad seed, or both ``rng`` and ``seed``.

    Examples
    --------
    >>> import numpy as np
    >>> grey = np.full((64, 64, 3), 128, np.uint8)
    >>> noisy = add_noise(grey, 10, seed=0)
    >>> bool(abs(noisy.std() - 10) < 0.5), bool((noisy == add_noise(grey, 10, seed=0)).all())
    (True, True)

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    image = _check_uint8_image(image)
    sigma = _check_sigma(sigma, "sigma")
    generator = check_rng(rng, seed)
    if sigma == 0:
        return image.copy()
    return _to_uint8_levels(image + gaussian_noise_levels(image.shape, sigma, bool(grey), generator))


def gaussian_noise_levels(shape: tuple[int, ...], sigma: float, grey: bool, rng: np.random.Generator) -> np.ndarray:
    """Zero-mean Gaussian noise of ``sigma`` grey levels, float64 of ``shape``; ``grey``: one draw per pixel.

    The one noise draw of :func:`add_noise` and the random pipelines (colour noise draws
    ``shape`` values in C order, grey noise ``shape[:2]`` and repeats them over the channels).
    """
    if grey and len(shape) == 3:
        return np.repeat(rng.normal(0.0, sigma, shape[:2])[:, :, None], shape[2], axis=2)
    return rng.normal(0.0, sigma, shape)


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    """Compress with JPEG at ``quality`` and decompress again, in memory (PIL).

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` image, ``(H, W, 3)`` or ``(H, W)``.
    quality : int
        JPEG quality from 1 (worst) to 100; typical web images use 70-90,
        heavily compressed ones 10-40. PIL's default is 75; above 95 the file grows
        with little gain.

    Returns
    -------
    numpy.ndarray
        ``uint8`` image of the same shape, with JPEG's 8 x 8 block artifacts and
        colour subsampling.

    Raises
    ------
    ValueError
        Not a ``uint8`` image, or ``quality`` not an integer in 1..100.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    from PIL import Image

    image = _check_uint8_image(image)
    quality = _check_quality(quality)
    squeeze = image.ndim == 3 and image.shape[2] == 1
    pixels = image[..., 0] if squeeze else image
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        result = np.asarray(decoded.convert("L" if pixels.ndim == 2 else "RGB")).copy()
    return result[..., None] if squeeze else result


# --------------------------------------------------------------------------- the chain
def degrade(image: np.ndarray, scale: int, *, blur_sigma: float = 0.0, noise_sigma: float = 0.0,
            jpeg_quality: int | None = None, seed: int | None = None,
            rng: np.random.Generator | None = None) -> np.ndarray:
    """Make an LR image: blur -> MATLAB bicubic downscaling by ``scale`` -> noise -> JPEG.

    With the defaults this is exactly the clean protocol's LR image, :func:`make_lr`;
    each option adds one step of the classic degradation chain.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` HR image, ``(H, W, 3)`` or ``(H, W)``, with ``H`` and ``W``
        divisible by ``scale`` (crop with ``srlib.images.modcrop(image, scale)``).
    scale : int
        Downscaling factor (>= 1; 1 keeps the size and applies only the other steps).
    blur_sigma : float
        Gaussian blur of the HR image, in HR pixels (0: none). See :func:`gaussian_blur`.
    noise_sigma : float
        Gaussian noise added to the LR image, in grey levels (0: none). See :func:`add_noise`.
    jpeg_quality : int, optional
        JPEG quality 1..100 applied last (None: no compression). See :func:`jpeg`.
    seed : int, optional
        Seed of the noise: the same seed gives the same LR image.
    rng : numpy.random.Generator, optional
        Generator for the noise instead of ``seed`` (one generator for a data set).

    Returns
    -------
    numpy.ndarray
        ``uint8`` LR image of shape ``(H // scale, W // scale[, 3])``.

    Raises
    ------
    ValueError
        Not a ``uint8`` image, ``scale`` not a positive integer, a size not divisible
        by ``scale``, a negative sigma, a quality outside 1..100, or a bad seed.

    Examples
    --------
    >>> import numpy as np
    >>> hr = np.random.default_rng(0).integers(0, 256, (64, 48, 3), dtype=np.uint8)
    >>> lr = degrade(hr, 4, blur_sigma=1.0, noise_sigma=5, jpeg_quality=40, seed=1)
    >>> lr.shape, lr.dtype, bool((lr == degrade(hr, 4, blur_sigma=1.0, noise_sigma=5, jpeg_quality=40, seed=1)).all())
    ((16, 12, 3), dtype('uint8'), True)

    Notes
    -----
    Blur acts on the HR image (the camera's optics), noise and JPEG on the LR image
    (the sensor and the file), as in the degradation models of BSRGAN and
    Real-ESRGAN. Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    image = _check_uint8_image(image)
    scale = check_scale(scale, minimum=1)
    if image.shape[0] % scale or image.shape[1] % scale:
        raise ValueError(f"image of shape {image.shape} is not divisible by scale {scale}; "
                         f"crop it first with srlib.images.modcrop(image, {scale})")
    blur_sigma = _check_sigma(blur_sigma, "blur_sigma")
    noise_sigma = _check_sigma(noise_sigma, "noise_sigma")
    if jpeg_quality is not None:
        jpeg_quality = _check_quality(jpeg_quality)
    generator = check_rng(rng, seed)

    result = gaussian_blur(image, blur_sigma) if blur_sigma > 0 else image
    if scale > 1:
        result = make_lr(result, scale)
    if noise_sigma > 0:
        result = add_noise(result, noise_sigma, rng=generator)
    if jpeg_quality is not None:
        result = jpeg(result, jpeg_quality)
    return result.copy() if result is image else result


# --------------------------------------------------------------------------- resizers
def resize_with(library: Literal["matlab", "pil", "tf"], image: np.ndarray, scale: float | None = None, *,
                output_shape: Sequence[int] | None = None, antialias: bool = True) -> np.ndarray:
    """Bicubic resize with MATLAB's (``srlib.resize.imresize``), PIL's or TensorFlow's resizer.

    All three use the Keys kernel (``a = -0.5``); they differ in antialiasing and
    rounding, which is what lesson 02 measures.

    Parameters
    ----------
    library : {"matlab", "pil", "tf"}
        ``"matlab"``: :func:`srlib.resize.imresize`; ``"pil"``:
        ``PIL.Image.resize(..., BICUBIC)``; ``"tf"``: ``tf.image.resize(...,
        "bicubic")`` in float32, then rounded (TensorFlow is imported on first use).
    image : numpy.ndarray
        ``uint8`` image, ``(H, W, 3)`` or ``(H, W)``.
    scale : float, optional
        Scale factor (``1 / 4`` shrinks by 4); the output has ``ceil(scale * H) x
        ceil(scale * W)`` pixels like MATLAB. Give exactly one of ``scale`` and
        ``output_shape``.
    output_shape : (int, int), optional
        Output ``(height, width)``.
    antialias : bool
        Widen the kernel when shrinking (MATLAB's default; ``tf.image.resize``'s
        default is ``False``). PIL always antialiases, so ``library="pil"`` needs
        ``antialias=True``.

    Returns
    -------
    numpy.ndarray
        ``uint8`` image of the new size (rounded, clipped to 0..255).

    Raises
    ------
    ValueError
        Unknown library, not a ``uint8`` image, both or neither of ``scale`` and
        ``output_shape``, a bad size, or ``antialias=False`` with PIL.

    Examples
    --------
    >>> import numpy as np
    >>> resize_with("pil", np.zeros((64, 48, 3), np.uint8), 1 / 4).shape
    (16, 12, 3)

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    if library not in LIBRARIES:
        raise ValueError(f"library must be one of {LIBRARIES}, got {library!r}")
    image = _check_uint8_image(image)
    if (scale is None) == (output_shape is None):
        raise ValueError("give exactly one of scale (e.g. 0.25) and output_shape (e.g. (64, 64)), "
                         f"got scale={scale!r}, output_shape={output_shape!r}")
    if scale is not None:
        size = output_size(image.shape, scale)
    else:
        try:
            size = tuple(int(s) for s in output_shape)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            raise ValueError(f"output_shape must be (height, width), got {output_shape!r}") from None
        if len(size) != 2 or min(size) < 1:
            raise ValueError(f"output_shape must be two positive integers (height, width), got {output_shape!r}")
    if library == "matlab":
        return imresize(image, output_shape=size, antialias=bool(antialias))
    if library == "pil":
        if not antialias:
            raise ValueError("PIL's bicubic resize always antialiases: use antialias=True, or "
                             "library='matlab' / 'tf' with antialias=False")
        from PIL import Image

        squeeze = image.ndim == 3 and image.shape[2] == 1
        pixels = image[..., 0] if squeeze else image
        resized = np.asarray(Image.fromarray(pixels).resize((size[1], size[0]), Image.Resampling.BICUBIC))
        return resized[..., None] if squeeze else resized
    import tensorflow as tf  # only here: the other resizers do not need TensorFlow

    batch = image.astype(np.float32)
    if batch.ndim == 2:
        batch = batch[..., None]
    resized = tf.image.resize(batch[None], size, method="bicubic", antialias=bool(antialias))[0].numpy()
    result = _to_uint8_levels(resized.astype(np.float64))
    return result[..., 0] if image.ndim == 2 else result

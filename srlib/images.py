"""Reading, writing and converting images with the conventions of the SR literature.

Conventions used everywhere in ``srlib``:

* an image is a NumPy array ``(H, W, 3)`` RGB (or ``(H, W)`` grayscale);
* ``uint8`` holds values 0..255, floating point holds values in ``[0, 1]``;
* colour conversion follows MATLAB's ``rgb2ycbcr`` (ITU-R BT.601, "studio
  swing"): Y in [16, 235], Cb and Cr in [16, 240] on the 0..255 scale.

Taught in ``01_interpolation_artifacts.ipynb`` (reading, float/uint8) and
``02_degradation_and_evaluation.ipynb`` (Y channel, modcrop).
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Literal

import numpy as np

from srlib._checks import FLOAT_TOLERANCE as _FLOAT_TOLERANCE, check_scale, check_unit_range
from srlib._jit import numba, use_threads

__all__ = [
    "MAX_PIXELS", "read_image", "write_image", "to_float", "to_uint8",
    "rgb_to_ycbcr", "ycbcr_to_rgb", "rgb_to_y", "modcrop", "round_half_away", "as_rgb_uint8",
]

PathLike = str | os.PathLike

# MATLAB rgb2ycbcr: [Y; Cb; Cr] = offset + T * [R; G; B] with R, G, B in [0, 1]
# and the result on the 0..255 scale.
_YCBCR_MATRIX = np.array([[65.481, 128.553, 24.966],
                          [-37.797, -74.203, 112.0],
                          [112.0, -93.786, -18.214]], dtype=np.float64)
_YCBCR_OFFSET = np.array([16.0, 128.0, 128.0], dtype=np.float64)
_YCBCR_INVERSE = np.linalg.inv(_YCBCR_MATRIX)

#: Default pixel limit of :func:`read_image` (Pillow's ``Image.MAX_IMAGE_PIXELS``).
MAX_PIXELS: int = 89_478_485

# The colour and uint8 conversions run over blocks of rows of about this many values
# (pixels x channels): their float64 temporaries then stay in the CPU cache instead of
# streaming several full-size arrays through memory. Each block does exactly the
# arithmetic of the whole-image expression (same operations, same order, the same
# per-row matrix products), so the results are bit-identical to it.
_BLOCK_VALUES = 1 << 16


def _block_rows(shape: tuple[int, ...]) -> int:
    """Rows (along axis 0) per block for an array of ``shape``."""
    per_row = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
    return max(1, _BLOCK_VALUES // max(per_row, 1))


def _tiled_offset(offset: np.ndarray, width: int) -> np.ndarray:
    """``offset`` repeated for ``width`` pixels: subtracting it from an ``(h, width * 3)`` view
    gives the same values as broadcasting over ``(h, width, 3)``, with a long inner loop."""
    return np.tile(offset, width)


def round_half_away(values: np.ndarray) -> np.ndarray:
    """Round to the nearest integer, halves away from zero (MATLAB's ``round``).

    NumPy's ``np.round`` rounds halves to even (``np.round(2.5) == 2``); MATLAB,
    and therefore every published bicubic table, rounds ``2.5`` to ``3``.

    Parameters
    ----------
    values : numpy.ndarray
        Floating point values.

    Returns
    -------
    numpy.ndarray
        Rounded values, same dtype as ``values``.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    values = np.asarray(values)
    return np.sign(values) * np.floor(np.abs(values) + 0.5)


def _float_image_to_uint8(array: np.ndarray, path: Path) -> np.ndarray:
    """A float image file's values as uint8: [0, 1] is scaled by 255; whole numbers in [0, 255] kept."""
    if array.size and not np.isfinite(array).all():
        raise ValueError(f"{str(path)!r} is a float image with NaN or infinite values; clean it first")
    low, high = (float(array.min()), float(array.max())) if array.size else (0.0, 1.0)
    if low >= -_FLOAT_TOLERANCE and high <= 1.0 + _FLOAT_TOLERANCE:
        return to_uint8(np.clip(array, 0.0, 1.0))
    if low >= 0.0 and high <= 255.0 and np.array_equal(array, np.round(array)):
        return array.astype(np.uint8)
    raise ValueError(f"{str(path)!r} is a float image with values in [{low:.4g}, {high:.4g}]; read_image "
                     "accepts float files in [0, 1] (or whole numbers 0..255). Rescale it, e.g. "
                     "with tifffile/imageio, and pass the array to srlib directly")


def read_image(path: PathLike, mode: Literal["rgb", "keep"] = "rgb", *,
               max_pixels: int | None = MAX_PIXELS) -> np.ndarray:
    """Read an image file into a ``uint8`` array.

    Parameters
    ----------
    path : str or os.PathLike
        An image file Pillow can decode (PNG, BMP, JPEG, ...).
    mode : {"rgb", "keep"}
        ``"rgb"`` (default) always returns ``(H, W, 3)``: grayscale files become three
        equal channels and an alpha channel is dropped. ``"keep"`` returns grayscale
        files as ``(H, W)`` (e.g. Set14's ``bridge.png``) and colour files as RGB.
    max_pixels : int or None
        Refuse images with more pixels than this before decoding them (a "decompression
        bomb": a small file that expands to gigabytes). Default :data:`MAX_PIXELS`
        (Pillow's limit, about 89 MP); ``None`` lifts the limit for files you trust.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array, ``(H, W, 3)`` or ``(H, W)``. 16-bit files are scaled to 8 bits.
        Float files (32-bit TIFF, mode ``F``) must hold values in ``[0, 1]`` (scaled by 255
        and rounded, like :func:`to_uint8`) or in ``[0, 255]`` with integer values (kept).
        The EXIF orientation tag is applied, so a phone photo comes back upright, as image
        viewers show it.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a readable image, is larger than ``max_pixels``, is a float
        image outside the ranges above (or with NaN), or ``mode`` is unknown.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    from PIL import Image, UnidentifiedImageError

    if mode not in ("rgb", "keep"):
        raise ValueError(f"mode must be 'rgb' or 'keep', got {mode!r}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such image file: {str(path)!r}")
    if path.is_dir():
        raise ValueError(f"{str(path)!r} is a directory, not an image file")
    if max_pixels is not None and (isinstance(max_pixels, bool) or not isinstance(max_pixels, int)
                                   or max_pixels < 1):
        raise ValueError(f"max_pixels must be a positive integer or None, got {max_pixels!r}")
    from PIL import ImageOps

    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns (and raises above 2x its limit); ours is below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            previous_limit = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = None
            try:
                with Image.open(path) as opened:
                    width, height = opened.size
                    if max_pixels is not None and width * height > max_pixels:
                        raise ValueError(
                            f"{str(path)!r} is {width}x{height} = {width * height:,} pixels, more than "
                            f"max_pixels={max_pixels:,} (a possible decompression bomb); if you trust the "
                            "file, pass max_pixels=None (or a larger limit) to read_image")
                    opened.load()
                    img = ImageOps.exif_transpose(opened)
            finally:
                Image.MAX_IMAGE_PIXELS = previous_limit
            if img.mode == "F":
                array = _float_image_to_uint8(np.asarray(img, dtype=np.float64), path)
            elif img.mode in ("I;16", "I;16B", "I;16L", "I"):
                array = np.asarray(img, dtype=np.float64)
                maximum = 65535.0 if img.mode.startswith("I;16") or array.max() > 255 else 255.0
                gray = round_half_away(array * (255.0 / maximum)).clip(0, 255).astype(np.uint8)
                array = gray
            elif img.mode in ("L", "1", "LA", "P", "PA"):
                if img.mode in ("P", "PA"):
                    converted = img.convert("RGBA" if "transparency" in img.info or img.mode == "PA" else "RGB")
                    array = np.asarray(converted.convert("RGB"), dtype=np.uint8)
                else:
                    array = np.asarray(img.convert("L"), dtype=np.uint8)
            else:
                array = np.asarray(img.convert("RGB"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ValueError(f"cannot read {str(path)!r} as an image: {err}") from err
    if array.ndim == 2 and mode == "rgb":
        array = np.repeat(array[:, :, None], 3, axis=2)
    return np.ascontiguousarray(array)


def write_image(path: PathLike, image: np.ndarray) -> Path:
    """Write an image file (format from the file extension, e.g. ``.png``).

    Parameters
    ----------
    path : str or os.PathLike
        Destination; parent folders are created.
    image : numpy.ndarray
        ``uint8`` ``(H, W)``, ``(H, W, 1)`` or ``(H, W, 3)``, or float in ``[0, 1]``
        (converted with :func:`to_uint8`).

    Returns
    -------
    pathlib.Path
        The written path.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    from PIL import Image

    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = to_uint8(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if not (image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 3)):
        raise ValueError(f"image must be (H, W), (H, W, 1) or (H, W, 3), got shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"cannot write an empty image of shape {image.shape}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        Image.fromarray(np.ascontiguousarray(image)).save(path)
    except (KeyError, ValueError) as err:
        raise ValueError(f"cannot write {str(path)!r}: unknown image format ({err})") from err
    return path


def to_float(image: np.ndarray) -> np.ndarray:
    """Convert ``uint8`` 0..255 to ``float32`` in ``[0, 1]`` (MATLAB ``im2single``).

    Float input already in ``[0, 1]`` is returned as ``float32`` unchanged in value.

    Raises
    ------
    ValueError
        For other dtypes (int16, bool, ...) or float values outside ``[0, 1]``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image.astype(np.float32) / np.float32(255.0)
    if np.issubdtype(image.dtype, np.floating):
        check_unit_range(image, "to_float")
        return image.astype(np.float32)
    raise ValueError(f"to_float expects uint8 (0..255) or float in [0, 1], got dtype {image.dtype}; "
                     "convert with image.astype(np.uint8) first")


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Convert float in ``[0, 1]`` to ``uint8`` rounding halves up (MATLAB ``im2uint8``).

    Values slightly outside ``[0, 1]`` by floating point noise (``1e-6``) are clipped;
    larger excursions raise, because they mean the caller forgot to clip (e.g. the
    overshoot of bicubic upscaling) or passed 0..255 floats. ``uint8`` input is
    returned unchanged.

    Raises
    ------
    ValueError
        For non-float dtypes other than uint8, NaN, or values outside ``[0, 1]``.

    Notes
    -----
    The result is ``floor(clip(x, 0, 1) * 255 + 0.5)`` computed in float64, bit for bit;
    it is evaluated over cache-sized blocks (one ``min``/``max`` pass validates the input).
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image.copy()
    if not np.issubdtype(image.dtype, np.floating):
        raise ValueError(f"to_uint8 expects float in [0, 1] (or uint8), got dtype {image.dtype}")
    low, high = check_unit_range(image, "to_uint8")
    if image.dtype not in (np.float32, np.float64):
        image = image.astype(np.float64)
    source = np.ascontiguousarray(image).reshape(-1)
    result = np.empty(image.shape, np.uint8)
    target = result.reshape(-1)
    clip = low < 0.0 or high > 1.0  # only when noise-level excursions were tolerated
    buffer = np.empty(min(source.size, _BLOCK_VALUES), np.float64)
    for start in range(0, source.size, _BLOCK_VALUES):
        chunk = source[start:start + _BLOCK_VALUES]
        scaled = buffer[:chunk.size]
        if clip:
            np.clip(chunk, 0.0, 1.0, out=scaled)
            np.multiply(scaled, 255.0, out=scaled)
        else:
            np.multiply(chunk, 255.0, out=scaled, dtype=np.float64)
        np.add(scaled, 0.5, out=scaled)
        # scaled + 0.5 lies in [0.5, 255.5]: truncation by the cast is floor (round half up).
        np.copyto(target[start:start + chunk.size], scaled, casting="unsafe")
    return result




def _check_rgb(image: np.ndarray, name: str, *, slack: float | None = _FLOAT_TOLERANCE) -> np.ndarray:
    """Check a (..., 3) uint8/float image; floats must lie in [0, 1] +- ``slack`` (``None``: only NaN refused)."""
    image = np.asarray(image)
    if image.ndim < 1 or image.shape[-1] != 3:
        raise ValueError(f"{name} expects (..., 3) channels-last colour images, got shape {image.shape}")
    if image.dtype != np.uint8 and not np.issubdtype(image.dtype, np.floating):
        raise ValueError(f"{name} expects uint8 or float in [0, 1], got dtype {image.dtype}")
    if image.dtype != np.uint8:
        if slack is None:
            if image.size and np.isnan(image.min()):  # min propagates NaN: one pass
                raise ValueError(f"{name}: image contains NaN")
        else:
            check_unit_range(image, name, slack=slack)
    return image


def rgb_to_ycbcr(image: np.ndarray) -> np.ndarray:
    """RGB -> YCbCr exactly like MATLAB ``rgb2ycbcr`` (BT.601, studio swing).

    Parameters
    ----------
    image : numpy.ndarray
        ``(..., 3)`` RGB. ``uint8`` (0..255) or float in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        Same dtype convention as MATLAB: ``uint8`` in -> ``uint8`` out, rounded half
        away from zero (Y in 16..235, Cb/Cr in 16..240); float in -> float out on
        the ``[0, 1]`` scale (Y in ``[16/255, 235/255]``), not rounded.

    Notes
    -----
    ``Y = 16 + (65.481 R + 128.553 G + 24.966 B)`` with R, G, B in [0, 1].
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    image = _check_rgb(image, "rgb_to_ycbcr")
    if image.dtype == np.uint8:
        ycc = image.astype(np.float64) @ (_YCBCR_MATRIX.T / 255.0) + _YCBCR_OFFSET
        return np.clip(np.floor(ycc + 0.5), 0, 255).astype(np.uint8)
    ycc = image.astype(np.float64) @ (_YCBCR_MATRIX.T / 255.0) + _YCBCR_OFFSET / 255.0
    return ycc.astype(image.dtype if image.dtype != np.float16 else np.float32)


def ycbcr_to_rgb(image: np.ndarray) -> np.ndarray:
    """YCbCr -> RGB, the inverse of :func:`rgb_to_ycbcr` (MATLAB ``ycbcr2rgb``).

    ``uint8`` in -> ``uint8`` out (rounded, clipped to 0..255); float (``[0, 1]``
    scale) in -> float out, clipped to ``[0, 1]``. Float input may overshoot ``[0, 1]`` by up
    to 0.5 (resampled chroma leaves the gamut a little); NaN and 0..255-scale floats are refused.

    Notes
    -----
    ``RGB = inv(T) @ (YCbCr - offset)`` in float64. Images are converted over blocks of
    rows with the same per-row matrix products as the whole-image expression, so the
    result is bit-identical to it, without full-size float64 temporaries.
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    image = _check_rgb(image, "ycbcr_to_rgb", slack=0.5)  # resampled chroma may leave the gamut a little
    if image.ndim < 3:  # a single colour or a list of colours: one small product
        if image.dtype == np.uint8:
            rgb = (image.astype(np.float64) - _YCBCR_OFFSET) @ _YCBCR_INVERSE.T * 255.0
            return np.clip(np.floor(rgb + 0.5), 0, 255).astype(np.uint8)
        rgb = (image.astype(np.float64) * 255.0 - _YCBCR_OFFSET) @ _YCBCR_INVERSE.T
        return np.clip(rgb, 0.0, 1.0).astype(image.dtype if image.dtype != np.float16 else np.float32)
    # Images: the same arithmetic over blocks of rows (see _BLOCK_VALUES), bit-identical.
    integer = image.dtype == np.uint8
    out_dtype = np.uint8 if integer else (image.dtype if image.dtype != np.float16 else np.float32)
    result = np.empty(image.shape, out_dtype)
    if image.size == 0:
        return result
    step = _block_rows(image.shape)
    offset = _tiled_offset(_YCBCR_OFFSET, int(np.prod(image.shape[1:-1], dtype=np.int64)))
    shifted = np.empty((min(step, image.shape[0]),) + image.shape[1:], np.float64)
    rgb = np.empty_like(shifted)
    for top in range(0, image.shape[0], step):
        block = image[top:top + step]
        rows = block.shape[0]
        flat = shifted[:rows].reshape(rows, -1)
        if integer:
            np.subtract(block.reshape(rows, -1), offset, out=flat, dtype=np.float64)
        else:
            np.multiply(block, 255.0, out=shifted[:rows], dtype=np.float64)
            np.subtract(flat, offset, out=flat)
        np.matmul(shifted[:rows], _YCBCR_INVERSE.T, out=rgb[:rows])
        if integer:
            np.multiply(rgb[:rows], 255.0, out=rgb[:rows])
            np.add(rgb[:rows], 0.5, out=rgb[:rows])
            # clip(floor(x), 0, 255) == trunc(clip(x, 0, 255)): the cast truncates.
            np.clip(rgb[:rows], 0.0, 255.0, out=rgb[:rows])
            np.copyto(result[top:top + rows], rgb[:rows], casting="unsafe")
        else:
            np.clip(rgb[:rows], 0.0, 1.0, out=result[top:top + rows])
    return result


if numba is not None:
    # One body (a row of pixels) and two drivers, threaded and serial: numba's cache keys a compiled
    # function by its code, not by its options, so each variant must be a function of its own.

    @numba.njit(cache=True, nogil=True)
    def _ycc_row(y, chroma, inverse, offset, out, r):  # pragma: no cover - compiled
        """Row ``r``: the arithmetic of the NumPy path in the same order (float64, no FMA)."""
        for c in range(y.shape[1]):
            v0 = np.float64(y[r, c]) * 255.0 - offset[0]
            v1 = np.float64(chroma[r, c, 0]) * 255.0 - offset[1]
            v2 = np.float64(chroma[r, c, 1]) * 255.0 - offset[2]
            for i in range(3):
                value = min(max(inverse[i, 0] * v0 + inverse[i, 1] * v1 + inverse[i, 2] * v2, 0.0), 1.0)
                out[r, c, i] = np.uint8(np.float64(np.float32(value)) * 255.0 + 0.5)

    @numba.njit(parallel=True, cache=True, nogil=True)
    def _ycc_to_rgb_threaded(y, chroma, inverse, offset, out):  # pragma: no cover - compiled
        for r in numba.prange(y.shape[0]):
            _ycc_row(y, chroma, inverse, offset, out, r)

    @numba.njit(cache=True, nogil=True)
    def _ycc_to_rgb_serial(y, chroma, inverse, offset, out):  # pragma: no cover - compiled
        for r in range(y.shape[0]):
            _ycc_row(y, chroma, inverse, offset, out, r)


def _ycbcr_to_rgb_uint8(y: np.ndarray, chroma: np.ndarray, *, compiled: bool = True) -> np.ndarray:
    """uint8 RGB from float Y ``(H, W)`` and CbCr ``(H, W, 2)`` on the ``[0, 1]`` scale.

    Bit-identical to ``to_uint8(ycbcr_to_rgb(np.dstack([y, chroma]).astype(np.float32)))``
    (the float32 RGB it rounds included) without the full-size temporaries: the last
    step of :func:`srlib.inference.upscale_with_model`. One compiled pass over the pixels
    where numba is installed (``compiled=False``: the NumPy blocks, the same bytes).
    """
    y = np.asarray(y, dtype=np.float32)
    chroma = np.ascontiguousarray(chroma, dtype=np.float32)
    if y.ndim != 2 or chroma.shape != y.shape + (2,):
        raise ValueError(f"expected Y (H, W) and CbCr (H, W, 2), got shapes {y.shape} and {chroma.shape}")
    height, width = y.shape
    result = np.empty((height, width, 3), np.uint8)
    if y.size == 0:
        return result
    if compiled and numba is not None:
        kernel = _ycc_to_rgb_threaded if use_threads(result.size) else _ycc_to_rgb_serial
        kernel(y, chroma, _YCBCR_INVERSE, _YCBCR_OFFSET, result)
        return result
    step = _block_rows(result.shape)
    offset = _tiled_offset(_YCBCR_OFFSET, width)
    rows = min(step, height)
    ycc = np.empty((rows, width, 3), np.float64)
    rgb = np.empty_like(ycc)
    rgb32 = np.empty((rows, width, 3), np.float32)
    # (Cb, Cr) pairs seen as one complex number: the interleaving copy then loops over
    # whole rows instead of two values at a time.
    chroma_pairs = chroma.view(np.complex64)[:, :, 0]
    ycc_pairs = ycc[:, :, 1:].view(np.complex128)[:, :, 0]
    for top in range(0, height, step):
        rows = min(step, height - top)
        block, out, single = ycc[:rows], rgb[:rows], rgb32[:rows]
        np.copyto(block[:, :, 0], y[top:top + rows])  # float32 -> float64: exact
        np.copyto(ycc_pairs[:rows], chroma_pairs[top:top + rows])
        flat = block.reshape(rows, -1)
        np.multiply(flat, 255.0, out=flat)
        np.subtract(flat, offset, out=flat)
        np.matmul(block, _YCBCR_INVERSE.T, out=out)  # the same per-row products as ycbcr_to_rgb
        np.clip(out, 0.0, 1.0, out=single)  # ycbcr_to_rgb's float32 result
        np.multiply(single, 255.0, out=out, dtype=np.float64)  # to_uint8: exact in float64
        np.add(out, 0.5, out=out)
        np.copyto(result[top:top + rows], out, casting="unsafe")  # values >= 0.5: truncation = floor
    return result


def rgb_to_y(image: np.ndarray, *, rounded: bool = True) -> np.ndarray:
    """The luma channel Y of MATLAB ``rgb2ycbcr`` as an ``(...)`` array (channel dropped).

    Parameters
    ----------
    image : numpy.ndarray
        ``(..., 3)`` RGB, ``uint8`` or float in ``[0, 1]``.
    rounded : bool
        Only for ``uint8`` input: ``True`` (default, MATLAB) returns ``uint8`` Y rounded
        like ``rgb2ycbcr`` does; ``False`` returns the unrounded ``float64`` Y on the
        0..255 scale (the convention of some Python evaluation scripts).

    Returns
    -------
    numpy.ndarray
        ``uint8`` (16..235) for uint8 input, float on the ``[0, 1]`` scale for float input.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    # Y is linear in RGB: float images on another scale (metrics' data_range=255) are fine; NaN is not.
    image = _check_rgb(image, "rgb_to_y", slack=None)
    weights = _YCBCR_MATRIX[0] / 255.0
    if image.dtype == np.uint8:
        y = image.astype(np.float64) @ weights + 16.0
        if not rounded:
            return y
        return np.clip(np.floor(y + 0.5), 0, 255).astype(np.uint8)
    y = image.astype(np.float64) @ weights + 16.0 / 255.0
    return y.astype(image.dtype if image.dtype != np.float16 else np.float32)


def as_rgb_uint8(image: np.ndarray, name: str = "image", *, allow_float: bool = False) -> np.ndarray:
    """Normalise an image for display: ``uint8`` RGB ``(H, W, 3)``, C-contiguous.

    Grayscale ``(H, W)`` / ``(H, W, 1)`` is repeated to three channels and an alpha channel
    is dropped. With ``allow_float``, float images in ``[0, 1]`` are converted with
    :func:`to_uint8`; otherwise any dtype but ``uint8`` is an error.

    Raises
    ------
    ValueError
        Wrong shape or dtype, naming ``name``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb`` (the method explorer) and used by the
    widgets of ``04_fast_sr_networks.ipynb``.
    """
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[-1] == 4:
        array = array[..., :3]
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim == 2:
        array = np.repeat(array[..., None], 3, axis=-1)
    if array.ndim != 3 or array.shape[-1] != 3:
        raise ValueError(f"image {name!r} must be (H, W) or (H, W, 3), got shape {array.shape}")
    if array.dtype != np.uint8:
        if allow_float and np.issubdtype(array.dtype, np.floating):
            array = to_uint8(array)
        elif allow_float:
            raise ValueError(f"image {name!r} must be uint8 or float in [0, 1], got dtype {array.dtype}")
        else:
            raise ValueError(f"image {name!r} must be uint8 (what srlib.upscale returns), got dtype "
                             f"{array.dtype}; convert with srlib.images.to_uint8")
    return np.ascontiguousarray(array)


def modcrop(image: np.ndarray, scale: int) -> np.ndarray:
    """Crop the bottom/right so height and width are multiples of ``scale``.

    The first step of the evaluation protocol (SRCNN's ``modcrop.m``): the HR image
    is cropped so that downscaling by ``scale`` and upscaling back gives its size.

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W)`` or ``(H, W, C)``.
    scale : int
        Positive integer factor.

    Returns
    -------
    numpy.ndarray
        A view ``image[:H - H % scale, :W - W % scale]``.

    Raises
    ------
    ValueError
        If ``scale`` is not a positive integer, the image is not 2-D/3-D, or it is
        smaller than ``scale``.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    scale = check_scale(scale, minimum=1)
    image = np.asarray(image)
    if image.ndim not in (2, 3):
        raise ValueError(f"modcrop expects (H, W) or (H, W, C), got shape {image.shape}")
    height = image.shape[0] - image.shape[0] % scale
    width = image.shape[1] - image.shape[1] % scale
    if height == 0 or width == 0:
        raise ValueError(f"image of shape {image.shape} is smaller than scale {scale}")
    return image[:height, :width]

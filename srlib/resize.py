"""MATLAB-compatible ``imresize``: the resampler behind every published SR table.

The SR literature makes its low-resolution test images with MATLAB's
``imresize(hr, 1/scale, 'bicubic')``. Other libraries (PIL, OpenCV, TF,
scikit-image) use other kernels, other pixel-centre conventions or no
antialiasing, and their LR images differ from MATLAB's by several grey levels -
enough to move PSNR by tenths of a dB. This module re-implements MATLAB's
algorithm:

* pixel centres map as ``u = x / scale + 0.5 * (1 - 1 / scale)`` (1-based);
* when downscaling with antialiasing the kernel is stretched by ``1 / scale``
  (``h(x) = scale * k(scale * x)``), so every input pixel contributes;
* weights of each output pixel are normalised to sum to 1;
* out-of-range taps are clamped to the first/last pixel (``border="clamp"``,
  the default): the classic ``imresize.m`` does ``indices = min(max(1, indices),
  in_length)``, "which has the effect of replicating end-points", and the
  benchmark LR files of Set5/Set14/BSD100/Urban100 (SelfExSR's ``*_LR.png``)
  were made that way. Later MATLAB releases and several Python ports (BasicSR's
  among them) mirror them instead, the edge pixel repeated (``"symmetric"``);
  the two differ only in the outermost output rows and columns;
* dimensions are resized one after another, the one with the smallest scale
  first; ``uint8`` input is rounded (half away from zero) and saturated after
  each pass, exactly as MATLAB's ``imresizemex`` returns its input class.

Each pass is a sparse weighted sum (precomputed, cached weights) along one
axis, compiled with numba and threaded over the output rows, reading ``uint8``
directly and without transposing the image; the NumPy/SciPy reference of the same
sums (:func:`imresize_reference`, a sparse matrix product) gives bit-identical
output and is what runs where numba is missing.

Taught in ``01_interpolation_artifacts.ipynb`` and ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
import scipy.sparse

from srlib._checks import check_output_pixels
from srlib._jit import numba, use_threads

__all__ = ["imresize", "imresize_reference", "METHODS", "METHOD_ALIASES", "BORDERS", "kernel", "contributions", "output_size"]

#: Interpolation methods understood by :func:`imresize` (aliases: ``"cubic"``,
#: ``"linear"``, ``"triangle"``, ``"box"``).
METHODS: tuple[str, ...] = ("nearest", "bilinear", "bicubic", "lanczos2", "lanczos3", "area")

#: Other accepted spellings (MATLAB's names) -> canonical method name.
METHOD_ALIASES: dict[str, str] = {"cubic": "bicubic", "linear": "bilinear", "triangle": "bilinear", "box": "area"}
_ALIASES = METHOD_ALIASES

#: Border rules of :func:`imresize` for taps outside the image: ``"clamp"`` (classic
#: MATLAB, the default: the edge pixel is repeated) and ``"symmetric"`` (mirrored,
#: the edge pixel repeated: ``... 1 0 | 0 1 2 ...``, later MATLAB and BasicSR).
BORDERS: tuple[str, ...] = ("clamp", "symmetric")


def _box(x: np.ndarray) -> np.ndarray:
    return ((-0.5 <= x) & (x < 0.5)).astype(np.float64)


def _triangle(x: np.ndarray) -> np.ndarray:
    return (x + 1) * ((-1 <= x) & (x < 0)) + (1 - x) * ((0 <= x) & (x <= 1))


def _cubic(x: np.ndarray) -> np.ndarray:
    # Keys (1981) cubic convolution with a = -0.5, as in MATLAB.
    absx = np.abs(x)
    absx2 = absx * absx
    absx3 = absx2 * absx
    return ((1.5 * absx3 - 2.5 * absx2 + 1) * (absx <= 1)
            + (-0.5 * absx3 + 2.5 * absx2 - 4 * absx + 2) * ((1 < absx) & (absx <= 2)))


def _lanczos(lobes: int) -> Callable[[np.ndarray], np.ndarray]:
    eps = np.finfo(np.float64).eps

    def lanczos(x: np.ndarray) -> np.ndarray:
        value = (np.sin(np.pi * x) * np.sin(np.pi * x / lobes) + eps) / ((np.pi ** 2 * x * x / lobes) + eps)
        return value * (np.abs(x) < lobes)

    return lanczos


# method -> (kernel, kernel width) as in MATLAB's imresize
_KERNELS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    "nearest": (_box, 1.0),
    "area": (_box, 1.0),
    "bilinear": (_triangle, 2.0),
    "bicubic": (_cubic, 4.0),
    "lanczos2": (_lanczos(2), 4.0),
    "lanczos3": (_lanczos(3), 6.0),
}


def _canonical_method(method: str) -> str:
    if not isinstance(method, str):
        raise ValueError(f"method must be a string, one of {METHODS}, got {method!r}")
    name = _ALIASES.get(method.lower(), method.lower())
    if name not in _KERNELS:
        raise ValueError(f"unknown resize method {method!r}; choose one of {METHODS}")
    return name


def _check_border(border: object) -> str:
    if not isinstance(border, str) or border not in BORDERS:
        raise ValueError(f"unknown border rule {border!r}; choose one of {BORDERS} "
                         "('clamp' is classic MATLAB imresize, the protocol's)")
    return str(border)


def kernel(method: str) -> tuple[Callable[[np.ndarray], np.ndarray], float]:
    """Return ``(function, width)`` of the interpolation kernel of ``method``.

    E.g. ``kernel("bicubic")[0](np.array([0.5]))`` is ``0.5625``. Taught in
    ``01_interpolation_artifacts.ipynb``.
    """
    return _KERNELS[_canonical_method(method)]


def contributions(in_length: int, out_length: int, scale: float, method: str = "bicubic",
                  antialias: bool = True, border: str = "clamp") -> tuple[np.ndarray, np.ndarray]:
    """Weights and 0-based input indices of each output pixel (MATLAB's ``contributions``).

    Parameters
    ----------
    in_length, out_length : int
        Input and output length along one dimension.
    scale : float
        ``out_length / in_length`` or the scale factor passed by the user.
    method : str
        One of :data:`METHODS`.
    antialias : bool
        Stretch the kernel by ``1 / scale`` when ``scale < 1``.
    border : str
        One of :data:`BORDERS`: where an out-of-range tap reads. ``"clamp"`` (classic
        MATLAB): the nearest edge pixel, ``index -> min(max(index, 0), in_length - 1)``;
        ``"symmetric"``: the mirror image with the edge pixel repeated
        (``-1 -> 0``, ``-2 -> 1``, ``in_length -> in_length - 1``).

    Returns
    -------
    weights : numpy.ndarray
        ``(out_length, taps)`` float64, each row summing to 1.
    indices : numpy.ndarray
        ``(out_length, taps)`` int64 indices into the input, clamped or mirrored at the
        borders (an index may then appear twice in a row; its weights add up).

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    name = _canonical_method(method)
    border = _check_border(border)
    function, width = _KERNELS[name]
    if name == "nearest":
        antialias = False
    if antialias and scale < 1:
        def h(x: np.ndarray) -> np.ndarray:
            return scale * function(scale * x)
        width = width / scale
    else:
        h = function
    x = np.arange(1, out_length + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - width / 2)
    taps = int(math.ceil(width)) + 2
    if taps * out_length > _MAX_WEIGHTS:
        raise ValueError(f"scale {scale!r} needs {taps} taps for each of {out_length} output pixels: the "
                         f"antialiasing kernel would be wider than any image ({in_length} pixels here); "
                         "use a scale closer to 1, or antialias=False")
    indices = left[:, None] + np.arange(taps, dtype=np.float64)[None, :]
    weights = h(u[:, None] - indices)
    weights = weights / weights.sum(axis=1, keepdims=True)
    one_based = indices.astype(np.int64)
    if border == "clamp":
        # classic MATLAB: indices = min(max(1, indices), in_length) ("replicating end-points")
        indices = np.clip(one_based, 1, in_length) - 1
    else:
        # later MATLAB: aux = [1:in_length, in_length:-1:1]; indices = aux(mod(indices - 1, 2 * in_length) + 1)
        period = np.concatenate([np.arange(in_length), np.arange(in_length - 1, -1, -1)])
        indices = period[np.mod(one_based - 1, 2 * in_length)]
    keep = np.any(weights != 0, axis=0)
    return weights[:, keep], indices[:, keep]


@lru_cache(maxsize=256)
def _weight_matrix(in_length: int, out_length: int, scale: float, method: str,
                   antialias: bool, border: str) -> scipy.sparse.csr_matrix:
    weights, indices = contributions(in_length, out_length, scale, method, antialias, border)
    rows = np.repeat(np.arange(out_length), weights.shape[1])
    matrix = scipy.sparse.csr_matrix((weights.ravel(), (rows, indices.ravel())),
                                     shape=(out_length, in_length))
    matrix.sum_duplicates()
    return matrix


def output_size(input_shape: Sequence[int], scale: float) -> tuple[int, int]:
    """``(H, W)`` produced by ``imresize(image, scale)``: ``ceil(scale * size)`` like MATLAB.

    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    scale = _check_factor(scale)
    return (int(math.ceil(scale * input_shape[0])), int(math.ceil(scale * input_shape[1])))


# weights of one 1-D pass above which a scale is refused (the kernel would dwarf the image)
_MAX_WEIGHTS = 50_000_000


def _check_factor(scale: object) -> float:
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise ValueError(f"scale must be a positive number (e.g. 0.5 or 2), got {scale!r}")
    value = float(scale)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")
    return value


# rows per block of the compiled column pass
_BLOCK = 16

if numba is not None:
    # Each output value is ``0.0 + w0 * x0 + w1 * x1 + ...`` in the CSR row's order, one rounding
    # per multiply and per add (no fastmath, so no fused multiply-add): exactly the sums of the
    # sparse matrix product in imresize_reference, hence bit-identical results. Each pass has a
    # body (one output row, or one block of rows) and two drivers: threaded (prange) and serial.

    @numba.njit(cache=True, nogil=True)
    def _row_body(src, indptr, indices, weights, out, integer, i):  # pragma: no cover - compiled
        """``out[i, k] = sum_t weights[t] * src[indices[t], k]`` over row i's taps (2-D arrays)."""
        length = src.shape[1]
        acc = np.zeros(length, np.float64)
        for t in range(indptr[i], indptr[i + 1]):
            w = weights[t]
            row = indices[t]
            for k in range(length):
                acc[k] += w * src[row, k]
        if integer:  # MATLAB: round half away from zero (values here are >= 0 after max), saturate
            for k in range(length):
                out[i, k] = min(max(np.floor(acc[k] + 0.5), 0.0), 255.0)
        else:
            for k in range(length):
                out[i, k] = acc[k]

    @numba.njit(cache=True, nogil=True)
    def _column_block(src, indptr, indices, weights, out, integer, first, block):  # pragma: no cover
        """``out[y, j, c] = sum_t weights[t] * src[y, indices[t], c]`` for rows ``first * block ...``.

        The block is copied once into a small float64 tile with the width first, so the sum over
        the taps runs along contiguous memory (vectorised), with no transpose of the whole image.
        """
        height, width, channels = src.shape
        y0 = first * block
        rows = min(block, height - y0)
        length = rows * channels
        tile = np.empty((width, length), np.float64)
        for b in range(rows):
            for x in range(width):
                for c in range(channels):
                    tile[x, b * channels + c] = src[y0 + b, x, c]
        acc = np.empty(length, np.float64)
        for j in range(out.shape[1]):
            acc[:] = 0.0
            for t in range(indptr[j], indptr[j + 1]):
                w = weights[t]
                x = indices[t]
                for k in range(length):
                    acc[k] += w * tile[x, k]
            if integer:
                for k in range(length):
                    acc[k] = min(max(np.floor(acc[k] + 0.5), 0.0), 255.0)
            for b in range(rows):
                for c in range(channels):
                    out[y0 + b, j, c] = acc[b * channels + c]

    @numba.njit(parallel=True, cache=True, nogil=True)
    def _rows_threaded(src, indptr, indices, weights, out, integer):  # pragma: no cover - compiled
        for i in numba.prange(out.shape[0]):
            _row_body(src, indptr, indices, weights, out, integer, i)

    @numba.njit(cache=True, nogil=True)
    def _rows_serial(src, indptr, indices, weights, out, integer):  # pragma: no cover - compiled
        for i in range(out.shape[0]):
            _row_body(src, indptr, indices, weights, out, integer, i)

    @numba.njit(parallel=True, cache=True, nogil=True)
    def _columns_threaded(src, indptr, indices, weights, out, integer):  # pragma: no cover - compiled
        for first in numba.prange((src.shape[0] + _BLOCK - 1) // _BLOCK):
            _column_block(src, indptr, indices, weights, out, integer, first, _BLOCK)

    @numba.njit(cache=True, nogil=True)
    def _columns_serial(src, indptr, indices, weights, out, integer):  # pragma: no cover - compiled
        for first in range((src.shape[0] + _BLOCK - 1) // _BLOCK):
            _column_block(src, indptr, indices, weights, out, integer, first, _BLOCK)


def _compiled_passes(work: np.ndarray, order: list[int], out_shape: tuple[int, int],
                     matrices: dict[int, scipy.sparse.csr_matrix], integer: bool) -> np.ndarray:
    """Both 1-D passes with the compiled kernels; ``uint8`` stays ``uint8`` between them (exact)."""
    data = np.ascontiguousarray(work, dtype=None if integer else np.float64)
    for dim in order:
        if dim not in matrices:
            continue
        matrix = matrices[dim]
        shape = list(data.shape)
        shape[dim] = out_shape[dim]
        out = np.empty(shape, np.uint8 if integer else np.float64)
        threaded = use_threads(out.size)
        if dim == 0:
            height, width, channels = data.shape
            kernel = _rows_threaded if threaded else _rows_serial
            kernel(data.reshape(height, width * channels), matrix.indptr, matrix.indices, matrix.data,
                   out.reshape(out_shape[0], width * channels), integer)
        else:
            kernel = _columns_threaded if threaded else _columns_serial
            kernel(data, matrix.indptr, matrix.indices, matrix.data, out, integer)
        data = out
    return data


def _resize_axis0(data: np.ndarray, matrix: scipy.sparse.csr_matrix, integer: bool) -> np.ndarray:
    """Apply one 1-D pass along axis 0 of a 2-D float64 array."""
    out = np.asarray(matrix @ data)
    if integer:  # MATLAB: round half away from zero, saturate (in place: this runs per widget event)
        out += 0.5
        np.floor(out, out=out)
        np.clip(out, 0, 255, out=out)
    return out


def imresize(image: np.ndarray, scale: float | None = None, *,
             output_shape: Sequence[int] | None = None, method: str = "bicubic",
             antialias: bool = True, border: str = "clamp", _reference: bool = False) -> np.ndarray:
    """Resize an image exactly like MATLAB's ``imresize``.

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W)`` or ``(H, W, C)``, ``uint8`` or float (float32/float64, any range).
    scale : float, optional
        Scale factor for both dimensions (``0.25`` shrinks by 4, ``3`` enlarges by 3);
        the output has ``ceil(scale * H) x ceil(scale * W)`` pixels. Give exactly one
        of ``scale`` and ``output_shape``.
    output_shape : (int, int), optional
        Output ``(height, width)``; each dimension then uses ``out / in`` as its scale.
    method : str
        One of :data:`METHODS`: ``"bicubic"`` (MATLAB default, Keys a = -0.5),
        ``"bilinear"``, ``"nearest"``, ``"lanczos2"``, ``"lanczos3"`` or ``"area"``
        (MATLAB's ``"box"``: pixel averaging for integer downscaling).
    antialias : bool
        Widen the kernel when downscaling (MATLAB default ``true``; always off for
        ``"nearest"``). Without it, downscaling aliases.
    border : str
        One of :data:`BORDERS`. ``"clamp"`` (default): taps beyond the edge read the
        edge pixel, as the classic MATLAB ``imresize`` that made the benchmark LR files;
        ``"symmetric"``: they read the mirrored image (later MATLAB, BasicSR). Only output
        pixels whose kernel reaches past the edge can differ: for an integer factor, the
        outermost 2 rows and columns when shrinking, about ``1.5 * scale`` when enlarging.

    Returns
    -------
    numpy.ndarray
        Resized image with the input's dtype. ``uint8`` results are rounded half away
        from zero and saturated to 0..255 after each dimension, as MATLAB does;
        float results are not clipped (bicubic overshoots).

    Raises
    ------
    ValueError
        Unknown method or border rule, non-positive scale, both or neither of ``scale`` and
        ``output_shape``, unsupported dtype, or an empty/badly shaped image.

    Examples
    --------
    >>> import numpy as np
    >>> lr = imresize(np.zeros((64, 48, 3), np.uint8), 1 / 4)
    >>> lr.shape, lr.dtype
    ((16, 12, 3), dtype('uint8'))

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb`` and ``02_degradation_and_evaluation.ipynb``.
    """
    image = np.asarray(image)
    name = _canonical_method(method)
    border = _check_border(border)
    if image.dtype == np.uint8:
        integer = True
    elif image.dtype in (np.float32, np.float64, np.float16):
        integer = False
    else:
        raise ValueError(f"imresize supports uint8 or float images, got dtype {image.dtype}; "
                         "convert with srlib.images.to_float or .astype(np.uint8)")
    if image.ndim not in (2, 3):
        raise ValueError(f"imresize expects (H, W) or (H, W, C), got shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0 or (image.ndim == 3 and image.shape[2] == 0):
        raise ValueError(f"cannot resize an empty image of shape {image.shape}")
    if not integer and not np.all(np.isfinite(image)):
        raise ValueError("imresize: image contains NaN or infinity")
    if (scale is None) == (output_shape is None):
        raise ValueError("give exactly one of scale (e.g. 0.5) and output_shape (e.g. (128, 128)), "
                         f"got scale={scale!r}, output_shape={output_shape!r}")
    in_shape = image.shape[:2]
    if scale is not None:
        value = _check_factor(scale)
        scales = (value, value)
        out_shape = output_size(in_shape, value)
    else:
        try:
            out_shape = tuple(int(v) for v in output_shape)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            raise ValueError(f"output_shape must be (height, width), got {output_shape!r}") from None
        if len(out_shape) != 2 or min(out_shape) < 1 or any(
                float(v) != int(v) for v in output_shape):  # type: ignore[union-attr]
            raise ValueError(f"output_shape must be two positive integers (height, width), got {output_shape!r}")
        scales = (out_shape[0] / in_shape[0], out_shape[1] / in_shape[1])
    check_output_pixels(out_shape, f"imresize of a {in_shape[0]}x{in_shape[1]} image",
                        channels=1 if image.ndim == 2 else image.shape[2])

    squeeze = image.ndim == 2
    work = image[:, :, None] if squeeze else image
    # MATLAB resizes the dimension with the smallest scale first (stable for ties).
    order = sorted(range(2), key=lambda dim: scales[dim])
    matrices = {dim: _weight_matrix(int(in_shape[dim]), int(out_shape[dim]), float(scales[dim]),
                                    name, bool(antialias), border)
                for dim in order
                # identity: MATLAB skips it too (weights are the identity)
                if not (out_shape[dim] == in_shape[dim] and scales[dim] == 1.0)}
    if numba is not None and not _reference:
        data = _compiled_passes(work, order, out_shape, matrices, integer)
    else:
        data = _reference_passes(work, order, out_shape, matrices, integer)
    result = data[:, :, 0] if squeeze else data
    return result.astype(np.uint8 if integer else image.dtype, order="C", copy=False)


def imresize_reference(image: np.ndarray, scale: float | None = None, *,
                       output_shape: Sequence[int] | None = None, method: str = "bicubic",
                       antialias: bool = True, border: str = "clamp") -> np.ndarray:
    """:func:`imresize` with NumPy/SciPy only: each pass a sparse matrix product on float64.

    The same arguments, checks and output as :func:`imresize`, bit for bit (the tests compare
    them on many sizes, scales and methods); slower, and what :func:`imresize` runs where numba
    is not installed. Read it to see the algorithm without the compiled loops.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    return imresize(image, scale, output_shape=output_shape, method=method, antialias=antialias,
                    border=border, _reference=True)


def _reference_passes(work: np.ndarray, order: list[int], out_shape: tuple[int, int],
                      matrices: dict[int, scipy.sparse.csr_matrix], integer: bool) -> np.ndarray:
    channels = work.shape[2]
    data = work.astype(np.float64)
    for dim in order:
        if dim not in matrices:
            continue
        matrix = matrices[dim]
        if dim == 0:
            height, width = data.shape[:2]
            flat = _resize_axis0(data.reshape(height, width * channels), matrix, integer)
            data = flat.reshape(out_shape[0], width, channels)
        else:
            moved = np.ascontiguousarray(data.transpose(1, 0, 2))
            height, width = moved.shape[:2]
            flat = _resize_axis0(moved.reshape(height, width * channels), matrix, integer)
            data = flat.reshape(out_shape[1], width, channels).transpose(1, 0, 2)
    return data

"""Blur kernels and their random twins: Gaussian (isotropic/anisotropic), generalized Gaussian, plateau, 2-D sinc.

Every kernel is a ``float64`` array of odd side, non-negative except the sinc's ringing lobes,
summing to 1, with ``kernel[i, j]`` the weight at offset ``(y, x) = (i - c, j - c)`` from the
centre ``c`` (``y`` down the rows, ``x`` along the columns). The anisotropic shapes have the
covariance ``R(angle) diag(sigma_x**2, sigma_y**2) R(angle)^T`` in ``(x, y)`` coordinates: ``angle``
turns the ``sigma_x`` axis from the ``x`` axis towards ``y`` (clockwise on screen, as rows go down).

Each shape has a ``random_*`` twin that draws its parameters from an explicit
:class:`numpy.random.Generator` with the ranges of Real-ESRGAN (Wang et al., ICCVW 2021, Sec. 3.1;
BasicSR's ``degradations.py`` and the options file ``train_realesrgan_x4plus.yml``). A drawn
kernel is described by a small JSON-able dict (its *spec*, see :func:`make_kernel`) so a
pipeline's plan can be stored and replayed.

:func:`blur` convolves a ``uint8`` image with a kernel (mirrored borders, like PyTorch's
``reflect`` padding in Real-ESRGAN's ``filter2D``); the arithmetic is ``float64``.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from srlib._checks import check_positive_number, check_rng
from srlib.data.degradations._basic import _check_uint8_image, _to_uint8_levels

__all__ = ["KERNEL_KINDS", "KERNEL_PROBABILITIES", "KERNEL_SIZES", "gaussian_kernel", "generalized_gaussian_kernel",
           "plateau_kernel", "sinc_kernel", "make_kernel", "kernel_covariance", "blur", "random_gaussian_kernel",
           "random_generalized_gaussian_kernel", "random_plateau_kernel", "random_sinc_kernel", "random_kernel",
           "random_blur"]

#: Real-ESRGAN's kernel families, drawn by :func:`random_kernel` with :data:`KERNEL_PROBABILITIES`.
KERNEL_KINDS: tuple[str, ...] = ("iso", "aniso", "generalized_iso", "generalized_aniso", "plateau_iso",
                                 "plateau_aniso")
#: Real-ESRGAN's probabilities of :data:`KERNEL_KINDS` (``kernel_prob`` of its options file).
KERNEL_PROBABILITIES: tuple[float, ...] = (0.45, 0.25, 0.12, 0.03, 0.12, 0.03)
#: Real-ESRGAN's kernel sides: the odd sizes 7..21, drawn uniformly.
KERNEL_SIZES: tuple[int, ...] = tuple(range(7, 22, 2))

_SHAPES = ("gaussian", "generalized_gaussian", "plateau", "sinc", "delta")


# --------------------------------------------------------------------------- checks
def _check_size(size: Any, name: str = "size") -> int:
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1 or size % 2 == 0:
        raise ValueError(f"kernel {name} must be an odd positive integer (e.g. 21) so the kernel has a centre "
                         f"pixel, got {size!r}")
    return int(size)


def _check_angle(angle: Any) -> float:
    if isinstance(angle, bool) or not isinstance(angle, numbers.Real) or not math.isfinite(float(angle)):
        raise ValueError(f"angle must be a finite number of radians (e.g. math.pi / 4), got {angle!r}")
    return float(angle)


def _check_range(values: Any, name: str, *, low: float = 0.0, high: float = math.inf, allow_low: bool = True,
                 integer: bool = False) -> tuple[float, float]:
    """``(lo, hi)`` with ``low <= lo <= hi <= high`` (``lo > low`` unless ``allow_low``), or a ValueError."""
    kind = "integers" if integer else "numbers"
    try:
        lo, hi = values
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a (low, high) pair of {kind}, got {values!r}") from None
    for value in (lo, hi):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)) \
                or (integer and not float(value).is_integer()):
            raise ValueError(f"{name} must be a (low, high) pair of finite {kind}, got {values!r}")
    lo, hi = float(lo), float(hi)
    if lo > hi or lo < low or hi > high or (not allow_low and lo <= low):
        bound = f"{'>=' if allow_low else '>'} {low:g}" + (f" and high <= {high:g}" if math.isfinite(high) else "")
        raise ValueError(f"{name} must be (low, high) with low <= high, low {bound}; got {values!r}")
    return (int(lo), int(hi)) if integer else (lo, hi)  # type: ignore[return-value]


def _check_probability(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be a probability between 0 and 1, got {value!r}")
    return float(value)


def _check_probabilities(values: Any, count: int, name: str) -> tuple[float, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) != count:
        raise ValueError(f"{name} must be a sequence of {count} probabilities summing to 1, got {values!r}")
    probabilities = tuple(_check_probability(value, f"every entry of {name}") for value in values)
    if abs(sum(probabilities) - 1.0) > 1e-6:
        raise ValueError(f"{name} must sum to 1, got {values!r} (sum {sum(probabilities):g})")
    return probabilities


def _check_sizes(sizes: Any, name: str = "sizes") -> tuple[int, ...]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise ValueError(f"{name} must be a non-empty sequence of odd kernel sizes, e.g. (7, 9, 11), got {sizes!r}")
    return tuple(_check_size(size, f"every entry of {name}") for size in sizes)


def _sigmas(sigma_x: Any, sigma_y: Any) -> tuple[float, float]:
    sigma_x = check_positive_number(sigma_x, "sigma_x (pixels)")
    sigma_y = sigma_x if sigma_y is None else check_positive_number(sigma_y, "sigma_y (pixels)")
    return sigma_x, sigma_y


# --------------------------------------------------------------------------- the shapes
def _quadratic_form(size: int, sigma_x: float, sigma_y: float, angle: float, offset: float = 0.0) -> np.ndarray:
    """``d^T C^-1 d`` on the kernel grid, ``d`` the offset from the (shifted) centre, ``C`` the covariance."""
    radius = size // 2
    yy, xx = np.mgrid[-radius:radius + 1, -radius:radius + 1].astype(np.float64)
    xx, yy = xx + offset, yy + offset  # centre at (-offset, -offset): up and left
    cos, sin = math.cos(angle), math.sin(angle)
    # coordinates along the rotated principal axes
    along_x = cos * xx + sin * yy
    along_y = -sin * xx + cos * yy
    return (along_x / sigma_x) ** 2 + (along_y / sigma_y) ** 2


def _normalised(kernel: np.ndarray) -> np.ndarray:
    total = float(kernel.sum())
    if not math.isfinite(total) or total <= 0:
        raise ValueError("the kernel has no weight inside its window (a sigma far below 1 pixel with an offset?); "
                         "use a larger sigma or a larger size")
    return kernel / total


def gaussian_kernel(size: int, sigma_x: float, sigma_y: float | None = None, angle: float = 0.0, *,
                    offset: float = 0.0) -> np.ndarray:
    """A sampled 2-D Gaussian, ``exp(-d^T C^-1 d / 2)``, normalised to sum 1.

    Parameters
    ----------
    size : int
        Odd side of the kernel (e.g. 21).
    sigma_x : float
        Standard deviation along the first principal axis, in pixels (> 0).
    sigma_y : float, optional
        Along the second axis; ``None`` (default): ``sigma_x`` (isotropic).
    angle : float
        Rotation of the ``sigma_x`` axis from the image ``x`` axis, in radians.
    offset : float
        Moves the centre up and left by ``offset`` pixels (BSRGAN shifts its kernel by
        ``(scale - 1) / 2`` before nearest subsampling so that the kept pixels are centred).

    Returns
    -------
    numpy.ndarray
        ``float64 (size, size)``, sum 1; its covariance is ``C`` when the window is wide
        enough (about ``6 sigma``), see :func:`kernel_covariance`.

    Raises
    ------
    ValueError
        An even or non-positive size, a sigma <= 0, a non-finite angle.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    size = _check_size(size)
    sigma_x, sigma_y = _sigmas(sigma_x, sigma_y)
    return _normalised(np.exp(-0.5 * _quadratic_form(size, sigma_x, sigma_y, _check_angle(angle), float(offset))))


def _check_beta(beta: Any) -> float:
    return check_positive_number(beta, "beta (the shape exponent)")


def generalized_gaussian_kernel(size: int, sigma_x: float, sigma_y: float | None = None, angle: float = 0.0,
                                beta: float = 1.0) -> np.ndarray:
    """A generalized Gaussian, ``exp(-(d^T C^-1 d)**beta / 2)``: ``beta = 1`` is the Gaussian.

    ``beta < 1`` gives a sharper peak with heavier tails, ``beta > 1`` a flatter top with a
    steeper edge (defocus-like). Real-ESRGAN draws ``beta`` in ``[0.5, 4]``. Other parameters as
    :func:`gaussian_kernel`; returns a ``float64`` kernel summing to 1.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    size = _check_size(size)
    sigma_x, sigma_y = _sigmas(sigma_x, sigma_y)
    form = _quadratic_form(size, sigma_x, sigma_y, _check_angle(angle))
    return _normalised(np.exp(-0.5 * np.power(form, _check_beta(beta))))


def plateau_kernel(size: int, sigma_x: float, sigma_y: float | None = None, angle: float = 0.0,
                   beta: float = 1.0) -> np.ndarray:
    """A plateau-shaped kernel, ``1 / (1 + (d^T C^-1 d)**beta)``: a flat top with slowly decaying tails.

    Real-ESRGAN draws ``beta`` in ``[1, 2]``. Other parameters as :func:`gaussian_kernel`;
    returns a ``float64`` kernel summing to 1 (its tails are heavy: the window truncates them).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    size = _check_size(size)
    sigma_x, sigma_y = _sigmas(sigma_x, sigma_y)
    form = _quadratic_form(size, sigma_x, sigma_y, _check_angle(angle))
    return _normalised(1.0 / (1.0 + np.power(form, _check_beta(beta))))


def sinc_kernel(size: int, cutoff: float, *, pad_to: int | None = None) -> np.ndarray:
    """The ideal circular low-pass filter ``cutoff J1(cutoff r) / (2 pi r)``, truncated: ringing and overshoot.

    Parameters
    ----------
    size : int
        Odd side of the window.
    cutoff : float
        Cut-off frequency ``omega_c`` in radians per pixel, ``0 < cutoff <= pi`` (``pi`` is the
        Nyquist frequency). Real-ESRGAN draws it in ``[pi / 3, pi]`` (``[pi / 5, pi]`` for
        kernels of 13 pixels and more).
    pad_to : int, optional
        Zero-pad the kernel to this odd side (Real-ESRGAN pads every kernel to 21).

    Returns
    -------
    numpy.ndarray
        ``float64`` kernel summing to 1 with negative lobes; its spectrum is about 1 below
        ``cutoff`` and about 0 above it (rippled by the truncation).

    Notes
    -----
    J1 is the Bessel function of the first kind of order 1; the centre value is the limit
    ``cutoff**2 / (4 pi)``. Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    from scipy.special import j1

    size = _check_size(size)
    cutoff = check_positive_number(cutoff, "cutoff (radians per pixel)")
    if cutoff > math.pi:
        raise ValueError(f"cutoff must be at most pi (the Nyquist frequency, {math.pi:.4f}), got {cutoff!r}")
    radius = size // 2
    yy, xx = np.mgrid[-radius:radius + 1, -radius:radius + 1].astype(np.float64)
    distance = np.hypot(xx, yy)
    with np.errstate(invalid="ignore", divide="ignore"):
        kernel = cutoff * j1(cutoff * distance) / (2.0 * math.pi * distance)
    kernel[radius, radius] = cutoff ** 2 / (4.0 * math.pi)
    kernel = _normalised(kernel)
    return _padded(kernel, pad_to)


def _padded(kernel: np.ndarray, pad_to: int | None) -> np.ndarray:
    if pad_to is None:
        return kernel
    pad_to = _check_size(pad_to, "pad_to")
    if pad_to < kernel.shape[0]:
        raise ValueError(f"pad_to ({pad_to}) must be at least the kernel size ({kernel.shape[0]})")
    pad = (pad_to - kernel.shape[0]) // 2
    return np.pad(kernel, pad)


def make_kernel(spec: Mapping[str, Any]) -> np.ndarray:
    """Build the kernel a spec describes (the JSON-able record the ``random_*`` draws and the pipelines store).

    Parameters
    ----------
    spec : mapping
        ``{"shape": "gaussian" | "generalized_gaussian" | "plateau", "size", "sigma_x", "sigma_y",
        "angle"[, "beta"][, "offset"][, "pad_to"]}``, ``{"shape": "sinc", "size", "cutoff"[, "pad_to"]}``
        or ``{"shape": "delta"}`` (the identity, 1 x 1).

    Returns
    -------
    numpy.ndarray
        The ``float64`` kernel.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    if not isinstance(spec, Mapping) or spec.get("shape") not in _SHAPES:
        raise ValueError(f"spec must be a mapping with 'shape' one of {_SHAPES}, got {spec!r}")
    shape, pad_to = spec["shape"], spec.get("pad_to")
    if shape == "delta":
        return _padded(np.ones((1, 1)), pad_to)
    if shape == "sinc":
        return sinc_kernel(spec["size"], spec["cutoff"], pad_to=pad_to)
    arguments = (spec["size"], spec["sigma_x"], spec.get("sigma_y"), spec.get("angle", 0.0))
    if shape == "gaussian":
        kernel = gaussian_kernel(*arguments, offset=spec.get("offset", 0.0))
    elif shape == "generalized_gaussian":
        kernel = generalized_gaussian_kernel(*arguments, beta=spec.get("beta", 1.0))
    else:
        kernel = plateau_kernel(*arguments, beta=spec.get("beta", 1.0))
    return _padded(kernel, pad_to)


def kernel_covariance(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's centre of mass and covariance (its second central moments), as a distribution.

    Parameters
    ----------
    kernel : numpy.ndarray
        A 2-D kernel with positive sum (negative lobes allowed).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``mean`` ``(x, y)`` in pixels from the centre, and the ``2 x 2`` covariance in ``(x, y)``
        coordinates (``[[var_x, cov_xy], [cov_xy, var_y]]``), which equals ``C`` of
        :func:`gaussian_kernel` up to the truncation of the window.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0 or not kernel.sum() > 0:
        raise ValueError(f"kernel must be a 2-D array of odd sides with a positive sum, got shape {kernel.shape}")
    weights = kernel / kernel.sum()
    ry, rx = kernel.shape[0] // 2, kernel.shape[1] // 2
    yy, xx = np.mgrid[-ry:ry + 1, -rx:rx + 1].astype(np.float64)
    mean = np.array([(weights * xx).sum(), (weights * yy).sum()])
    dx, dy = xx - mean[0], yy - mean[1]
    covariance = np.array([[(weights * dx * dx).sum(), (weights * dx * dy).sum()],
                           [(weights * dx * dy).sum(), (weights * dy * dy).sum()]])
    return mean, covariance


# --------------------------------------------------------------------------- filtering
def _trimmed(kernel: np.ndarray) -> np.ndarray:
    """The kernel without all-zero border rings (the zero padding of Real-ESRGAN's 21-pixel kernels)."""
    used_rows = np.flatnonzero(np.abs(kernel).sum(axis=1))
    used_cols = np.flatnonzero(np.abs(kernel).sum(axis=0))
    if used_rows.size == 0:
        return kernel
    ring = min(used_rows[0], kernel.shape[0] - 1 - used_rows[-1], used_cols[0], kernel.shape[1] - 1 - used_cols[-1])
    return kernel[ring:kernel.shape[0] - ring, ring:kernel.shape[1] - ring] if ring else kernel


def convolve_levels(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Convolve a float image (grey levels, ``(H, W)`` or ``(H, W, C)``) with ``kernel``, mirrored borders.

    ``float64`` throughout, borders mirrored without repeating the edge (PyTorch's ``reflect``,
    ``scipy.ndimage``'s ``mirror``), the output the input's size. The one filter of :func:`blur`
    and the pipelines. A separable kernel (rank 1: isotropic Gaussians, axis-aligned
    anisotropic ones) runs as two 1-D convolutions, any other one as an FFT convolution; both
    agree with the direct sum to ~1e-12 grey levels.
    """
    from scipy import fft
    from scipy.ndimage import convolve1d

    kernel = _trimmed(np.asarray(kernel, dtype=np.float64))
    values = np.asarray(image, dtype=np.float64)
    if kernel.shape == (1, 1):
        return values * float(kernel[0, 0])
    rows, cols, total = kernel.sum(axis=1), kernel.sum(axis=0), float(kernel.sum())
    if total != 0 and np.abs(np.outer(rows, cols) / total - kernel).max() <= 1e-12 * np.abs(kernel).max():
        result = convolve1d(values, rows / total, axis=0, mode="mirror")
        return convolve1d(result, cols, axis=1, mode="mirror")
    ry, rx = kernel.shape[0] // 2, kernel.shape[1] // 2
    widths = ((ry, ry), (rx, rx)) + ((0, 0),) * (values.ndim - 2)
    padded = np.pad(values, widths, mode="reflect")
    size = (fft.next_fast_len(padded.shape[0], real=True), fft.next_fast_len(padded.shape[1], real=True))
    spectrum = fft.rfft2(kernel, s=size)
    if values.ndim == 3:
        spectrum = spectrum[:, :, None]
    full = fft.irfft2(fft.rfft2(padded, s=size, axes=(0, 1)) * spectrum, s=size, axes=(0, 1))
    return full[2 * ry:padded.shape[0], 2 * rx:padded.shape[1]]


def blur(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Convolve a ``uint8`` image with a 2-D kernel (each channel alike, mirrored borders).

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` ``(H, W)`` or ``(H, W, 3)``.
    kernel : numpy.ndarray
        2-D kernel of odd sides, e.g. from :func:`gaussian_kernel` or :func:`random_kernel`.

    Returns
    -------
    numpy.ndarray
        ``uint8`` image of the same shape (rounded half away from zero, clipped: the sinc's
        overshoot is clipped at 0 and 255).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    image = _check_uint8_image(image)
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0 or not np.isfinite(kernel).all():
        raise ValueError(f"kernel must be a finite 2-D array of odd sides (e.g. gaussian_kernel(21, 2.0)), "
                         f"got shape {kernel.shape}")
    return _to_uint8_levels(convolve_levels(image, kernel))


# --------------------------------------------------------------------------- random twins
def require_rng(rng: Any) -> np.random.Generator:
    """The explicit generator every ``random_*`` function needs (no unseeded default), checked by ``check_rng``."""
    if rng is None:
        raise ValueError("rng is required: pass a numpy.random.Generator such as np.random.default_rng(0) "
                         "(srlib's random degradations never fall back to an unseeded generator)")
    return check_rng(rng)


def _uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(bounds[0] + (bounds[1] - bounds[0]) * rng.random())


def _draw_beta(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    """BasicSR's rule: with probability 1/2 from ``[low, 1]``, else from ``[1, high]`` (when 1 is inside)."""
    low, high = bounds
    if low < 1.0 < high:
        return _uniform(rng, (low, 1.0)) if rng.random() < 0.5 else _uniform(rng, (1.0, high))
    return _uniform(rng, bounds)


def _draw_ellipse(rng: np.random.Generator, sigma_range: tuple[float, float], isotropic: bool,
                  angle_range: tuple[float, float]) -> dict[str, float]:
    sigma_x = _uniform(rng, sigma_range)
    if isotropic:
        return {"sigma_x": sigma_x, "sigma_y": sigma_x, "angle": 0.0}
    return {"sigma_x": sigma_x, "sigma_y": _uniform(rng, sigma_range), "angle": _uniform(rng, angle_range)}


def _kernel_options(size: Any, sigma_range: Any, angle_range: Any) -> tuple[int, tuple[float, float],
                                                                            tuple[float, float]]:
    return (_check_size(size), _check_range(sigma_range, "sigma_range (pixels)", allow_low=False),
            _check_range(angle_range, "angle_range (radians)", low=-math.inf))


def draw_gaussian_spec(rng: np.random.Generator, size: int = 21, sigma_range: tuple[float, float] = (0.2, 3.0),
                       isotropic: bool = True, angle_range: tuple[float, float] = (-math.pi, math.pi)
                       ) -> dict[str, Any]:
    """The spec of :func:`random_gaussian_kernel` (what it draws), for plans."""
    rng = require_rng(rng)
    size, sigma_range, angle_range = _kernel_options(size, sigma_range, angle_range)
    return {"shape": "gaussian", "size": size, **_draw_ellipse(rng, sigma_range, bool(isotropic), angle_range)}


def random_gaussian_kernel(rng: np.random.Generator, size: int = 21, sigma_range: tuple[float, float] = (0.2, 3.0),
                           isotropic: bool = True, angle_range: tuple[float, float] = (-math.pi, math.pi)
                           ) -> np.ndarray:
    """:func:`gaussian_kernel` with random sigmas (and angle): Real-ESRGAN's ``iso`` / ``aniso`` kernels.

    Parameters
    ----------
    rng : numpy.random.Generator
        Where the parameters come from.
    size : int
        Odd kernel side.
    sigma_range : (float, float)
        ``sigma_x`` (and, anisotropic, ``sigma_y`` independently) uniform in this range, pixels;
        Real-ESRGAN: ``(0.2, 3)`` in its first round, ``(0.2, 1.5)`` in its second.
    isotropic : bool
        ``True``: ``sigma_y = sigma_x``, angle 0.
    angle_range : (float, float)
        Uniform angle of an anisotropic kernel (radians; Real-ESRGAN: ``(-pi, pi)``).

    Returns
    -------
    numpy.ndarray
        The kernel (sum 1).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    return make_kernel(draw_gaussian_spec(rng, size, sigma_range, isotropic, angle_range))


def draw_shaped_spec(rng: np.random.Generator, shape: str, size: int, sigma_range: tuple[float, float],
                     beta_range: tuple[float, float], isotropic: bool, angle_range: tuple[float, float]
                     ) -> dict[str, Any]:
    """The spec of a random generalized Gaussian or plateau kernel (what their ``random_*`` draw), for plans."""
    rng = require_rng(rng)
    size, sigma_range, angle_range = _kernel_options(size, sigma_range, angle_range)
    beta_range = _check_range(beta_range, "beta_range", allow_low=False)
    ellipse = _draw_ellipse(rng, sigma_range, bool(isotropic), angle_range)
    return {"shape": shape, "size": size, **ellipse, "beta": _draw_beta(rng, beta_range)}


def random_generalized_gaussian_kernel(rng: np.random.Generator, size: int = 21,
                                       sigma_range: tuple[float, float] = (0.2, 3.0),
                                       beta_range: tuple[float, float] = (0.5, 4.0), isotropic: bool = True,
                                       angle_range: tuple[float, float] = (-math.pi, math.pi)) -> np.ndarray:
    """:func:`generalized_gaussian_kernel` with random sigmas, angle and ``beta``.

    ``beta`` is drawn as in BasicSR: with probability 1/2 uniform in ``[beta_low, 1]``, else in
    ``[1, beta_high]`` (so sharp and flat shapes are equally likely); Real-ESRGAN's range is
    ``(0.5, 4)``. Other parameters as :func:`random_gaussian_kernel`.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    return make_kernel(draw_shaped_spec(rng, "generalized_gaussian", size, sigma_range, beta_range, isotropic,
                                        angle_range))


def random_plateau_kernel(rng: np.random.Generator, size: int = 21, sigma_range: tuple[float, float] = (0.2, 3.0),
                          beta_range: tuple[float, float] = (1.0, 2.0), isotropic: bool = True,
                          angle_range: tuple[float, float] = (-math.pi, math.pi)) -> np.ndarray:
    """:func:`plateau_kernel` with random sigmas, angle and ``beta`` (Real-ESRGAN: ``beta`` in ``(1, 2)``).

    ``beta`` follows BasicSR's rule of :func:`random_generalized_gaussian_kernel`; with
    Real-ESRGAN's range ``(1, 2)`` the lower half ``[1, 1]`` means half the plateau kernels have
    ``beta = 1`` exactly, as in its code.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    return make_kernel(draw_shaped_spec(rng, "plateau", size, sigma_range, beta_range, isotropic, angle_range))


def draw_sinc_spec(rng: np.random.Generator, sizes: Sequence[int] = KERNEL_SIZES,
                   cutoff_range: tuple[float, float] | None = None, pad_to: int | None = 21) -> dict[str, Any]:
    """The spec of :func:`random_sinc_kernel` (what it draws), for plans."""
    rng = require_rng(rng)
    sizes = _check_sizes(sizes)
    if cutoff_range is not None:
        cutoff_range = _check_range(cutoff_range, "cutoff_range (radians per pixel)", high=math.pi,
                                    allow_low=False)
    size = int(sizes[int(rng.integers(len(sizes)))])
    bounds = cutoff_range or ((math.pi / 3, math.pi) if size < 13 else (math.pi / 5, math.pi))
    spec: dict[str, Any] = {"shape": "sinc", "size": size, "cutoff": _uniform(rng, bounds)}
    if pad_to is not None:
        spec["pad_to"] = max(_check_size(pad_to, "pad_to"), size)
    return spec


def random_sinc_kernel(rng: np.random.Generator, sizes: Sequence[int] = KERNEL_SIZES,
                       cutoff_range: tuple[float, float] | None = None, pad_to: int | None = 21) -> np.ndarray:
    """:func:`sinc_kernel` of a random size and cut-off: ringing and overshoot artifacts.

    Parameters
    ----------
    rng : numpy.random.Generator
        Where the parameters come from.
    sizes : sequence of int
        Odd window sides, drawn uniformly (default: Real-ESRGAN's 7..21).
    cutoff_range : (float, float), optional
        Uniform cut-off in radians per pixel; ``None`` (default): Real-ESRGAN's rule,
        ``(pi / 3, pi)`` for windows under 13 pixels and ``(pi / 5, pi)`` otherwise (its final
        sinc filter uses ``(pi / 3, pi)`` for every size).
    pad_to : int, optional
        Zero-pad to this side (default 21, as Real-ESRGAN).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    return make_kernel(draw_sinc_spec(rng, sizes, cutoff_range, pad_to))


def draw_kernel_spec(rng: np.random.Generator, *, sizes: Sequence[int] = KERNEL_SIZES,
                     kinds: Sequence[str] = KERNEL_KINDS, probabilities: Sequence[float] = KERNEL_PROBABILITIES,
                     sigma_range: tuple[float, float] = (0.2, 3.0),
                     generalized_beta_range: tuple[float, float] = (0.5, 4.0),
                     plateau_beta_range: tuple[float, float] = (1.0, 2.0), sinc_probability: float = 0.1,
                     pad_to: int | None = 21) -> dict[str, Any]:
    """The spec of :func:`random_kernel` (what it draws), for plans."""
    rng = require_rng(rng)
    sizes = _check_sizes(sizes)
    if isinstance(kinds, (str, bytes)) or not isinstance(kinds, Sequence) or not kinds \
            or any(kind not in KERNEL_KINDS for kind in kinds):
        raise ValueError(f"kinds must be a non-empty sequence of {KERNEL_KINDS}, got {kinds!r}")
    probabilities = _check_probabilities(probabilities, len(kinds), "probabilities")
    sinc_probability = _check_probability(sinc_probability, "sinc_probability")
    size = int(sizes[int(rng.integers(len(sizes)))])
    if rng.random() < sinc_probability:
        bounds = (math.pi / 3, math.pi) if size < 13 else (math.pi / 5, math.pi)
        spec: dict[str, Any] = {"shape": "sinc", "size": size, "cutoff": _uniform(rng, bounds)}
    else:
        kind = kinds[int(rng.choice(len(kinds), p=probabilities))]
        isotropic = kind.endswith("iso") and not kind.endswith("aniso")
        angle_range = (-math.pi, math.pi)
        if kind.startswith("generalized"):
            spec = draw_shaped_spec(rng, "generalized_gaussian", size, sigma_range, generalized_beta_range,
                                    isotropic, angle_range)
        elif kind.startswith("plateau"):
            spec = draw_shaped_spec(rng, "plateau", size, sigma_range, plateau_beta_range, isotropic, angle_range)
        else:
            spec = draw_gaussian_spec(rng, size, sigma_range, isotropic, angle_range)
    if pad_to is not None:
        spec["pad_to"] = max(_check_size(pad_to, "pad_to"), size)
    return spec


def random_kernel(rng: np.random.Generator, *, sizes: Sequence[int] = KERNEL_SIZES,
                  kinds: Sequence[str] = KERNEL_KINDS, probabilities: Sequence[float] = KERNEL_PROBABILITIES,
                  sigma_range: tuple[float, float] = (0.2, 3.0),
                  generalized_beta_range: tuple[float, float] = (0.5, 4.0),
                  plateau_beta_range: tuple[float, float] = (1.0, 2.0), sinc_probability: float = 0.1,
                  pad_to: int | None = 21) -> np.ndarray:
    """Real-ESRGAN's blur kernel: a random family, size and shape (BasicSR's ``random_mixed_kernels``).

    Parameters
    ----------
    rng : numpy.random.Generator
        Where the parameters come from.
    sizes : sequence of int
        Odd sides drawn uniformly (default 7..21).
    kinds, probabilities : sequences
        Families from :data:`KERNEL_KINDS` and their probabilities (default
        :data:`KERNEL_PROBABILITIES`: 0.45 iso, 0.25 aniso, 0.12 / 0.03 generalized iso / aniso,
        0.12 / 0.03 plateau iso / aniso).
    sigma_range : (float, float)
        Sigmas in pixels (Real-ESRGAN: ``(0.2, 3)`` first round, ``(0.2, 1.5)`` second).
    generalized_beta_range, plateau_beta_range : (float, float)
        ``beta`` of the generalized Gaussian (``(0.5, 4)``) and plateau (``(1, 2)``) shapes.
    sinc_probability : float
        Probability of a sinc kernel instead (0.1; cut-off as :func:`random_sinc_kernel`).
    pad_to : int, optional
        Zero-pad to this side (21, as Real-ESRGAN).

    Returns
    -------
    numpy.ndarray
        The kernel (sum 1).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    return make_kernel(draw_kernel_spec(rng, sizes=sizes, kinds=kinds, probabilities=probabilities,
                                        sigma_range=sigma_range, generalized_beta_range=generalized_beta_range,
                                        plateau_beta_range=plateau_beta_range, sinc_probability=sinc_probability,
                                        pad_to=pad_to))


def random_blur(image: np.ndarray, rng: np.random.Generator, **kernel_options: Any) -> np.ndarray:
    """:func:`blur` with a :func:`random_kernel` (keyword arguments go to it): Real-ESRGAN's blur step.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    image = _check_uint8_image(image)
    return blur(image, random_kernel(rng, **kernel_options))

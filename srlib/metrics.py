"""PSNR and SSIM exactly as the super-resolution literature computes them.

The published tables (SRCNN, VDSR, FSRCNN, ESPCN, EDSR, ...) score:

* the **Y channel** of MATLAB ``rgb2ycbcr`` (BT.601, 16..235), rounded to
  ``uint8`` as MATLAB returns it for ``uint8`` input;
* after cropping a **border of ``scale`` pixels** on each side ("shave");
* PSNR with peak 255: ``10 log10(255^2 / MSE)``;
* SSIM of Wang et al. (2004): 11x11 Gaussian window, sigma 1.5, K1 = 0.01,
  K2 = 0.03, L = 255, "valid" filtering, mean of the SSIM map.

:class:`Scorer` holds one reference and scores many test images against it
(its Y plane and SSIM statistics are computed once); :func:`psnr` and
:func:`ssim` are one-off Scorers, so all three give the same numbers.
:func:`contrast_transfer` measures how much of each spatial frequency an
upscaler restores on a zone plate.

Taught in ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

from typing import Any, Literal

import numpy as np

from srlib._checks import check_positive_int
from srlib.images import rgb_to_y

__all__ = ["psnr", "ssim", "prepare", "Scorer", "contrast_transfer", "niqe", "grid_artifact", "blockiness"]

Channel = Literal["y", "rgb"]

_SSIM_SIZE = 11
_SSIM_SIGMA = 1.5
_SSIM_K1 = 0.01
_SSIM_K2 = 0.03


def _default_range(dtype: np.dtype) -> float:
    return 255.0 if dtype == np.uint8 else 1.0


def _check_image(image: np.ndarray) -> None:
    """Refuse what no metric can score: a dtype other than uint8/float, or a shape other than one image."""
    if image.dtype != np.uint8 and not np.issubdtype(image.dtype, np.floating):
        raise ValueError(f"images must be uint8 or float in [0, 1], got dtype {image.dtype}")
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (1, 3)):
        raise ValueError(f"images must be (H, W), (H, W, 1) or (H, W, 3), got shape {image.shape}")


def _check_same(reference: np.ndarray, test: np.ndarray) -> None:
    if reference.shape != test.shape:
        raise ValueError(f"reference and test must have the same shape, got {reference.shape} and {test.shape}"
                         " (crop the reference with srlib.images.modcrop?)")
    if reference.dtype != test.dtype:
        raise ValueError(f"reference and test must have the same dtype, got {reference.dtype} and {test.dtype}"
                         " (convert both with srlib.images.to_uint8 or to_float)")


def _check_options(shape: tuple[int, ...], border: int, channel: str) -> None:
    if channel not in ("y", "rgb"):
        raise ValueError(f"channel must be 'y' or 'rgb', got {channel!r}")
    if isinstance(border, bool) or not isinstance(border, (int, np.integer)) or border < 0:
        raise ValueError(f"border must be a non-negative integer (the scale factor), got {border!r}")
    height, width = shape[:2]
    if 2 * border >= height or 2 * border >= width:
        raise ValueError(f"border {border} leaves nothing of a {height}x{width} image")


def _scored_plane(image: np.ndarray, border: int, channel: str) -> np.ndarray:
    """The float64 array that is scored: single channel squeezed, Y if asked, border cropped."""
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if channel == "y" and image.ndim == 3:
        image = rgb_to_y(image)
    if border:
        image = image[border:-border, border:-border]
    return image.astype(np.float64)


def prepare(reference: np.ndarray, test: np.ndarray, *, border: int = 0,
            channel: Channel = "y") -> tuple[np.ndarray, np.ndarray]:
    """Validate a pair and return the float64 arrays that are scored.

    Parameters
    ----------
    reference, test : numpy.ndarray
        Same shape and dtype: ``uint8`` (0..255) or float in ``[0, 1]``; ``(H, W)``,
        ``(H, W, 1)`` or ``(H, W, 3)`` RGB.
    border : int
        Pixels cropped from each side before scoring (the protocol uses ``scale``).
    channel : {"y", "rgb"}
        ``"y"``: colour images are reduced to MATLAB's Y (``uint8`` Y, rounded, for
        ``uint8`` input); single-channel images are taken as Y already.
        ``"rgb"``: all channels are scored.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``(H', W')`` or ``(H', W', C)`` float64 arrays, border removed.

    Raises
    ------
    ValueError
        Shape or dtype mismatch, unsupported dtype, unknown channel, bad border.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    reference = np.asarray(reference)
    test = np.asarray(test)
    _check_same(reference, test)
    _check_image(reference)
    _check_options(reference.shape, border, channel)
    return _scored_plane(reference, border, channel), _scored_plane(test, border, channel)


def _check_range(data_range: float | None, dtype: np.dtype) -> float:
    if data_range is None:
        return _default_range(dtype)
    if isinstance(data_range, bool) or not isinstance(data_range, (int, float, np.integer, np.floating)) \
            or not np.isfinite(data_range) or data_range <= 0:
        raise ValueError(f"data_range must be a positive number (255 for uint8, 1 for float), got {data_range!r}")
    return float(data_range)


def _check_values(plane: np.ndarray, dtype: np.dtype, data_range: float | None) -> None:
    """Refuse NaN, and float images on the 0..255 scale scored with the default peak of 1.

    Without this, ``psnr`` of two 0..255 float images is a silent -8 dB-ish number.
    Float values a little outside ``[0, 1]`` (an unclipped model output) are fine.
    """
    if dtype == np.uint8:
        return
    low, high = float(plane.min()), float(plane.max())
    if np.isnan(low + high):  # min/max propagate NaN
        raise ValueError("images contain NaN: nothing to score (check the model output or the conversion)")
    if data_range is None and (high > 1.5 or low < -0.5):
        raise ValueError(f"float images are scored on the [0, 1] scale (peak 1), but these span "
                         f"[{low:.4g}, {high:.4g}]: divide them by 255, convert them to uint8, or pass "
                         "data_range=255")


def _gaussian_window(size: int = _SSIM_SIZE, sigma: float = _SSIM_SIGMA) -> np.ndarray:
    """1-D factor of MATLAB's ``fspecial('gaussian', size, sigma)`` (normalised)."""
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(x * x) / (2.0 * sigma * sigma))
    return g / g.sum()


_WINDOW = _gaussian_window()


def _filter_valid(values: np.ndarray) -> np.ndarray:
    """Separable ``filter2(w' * w, values, 'valid')`` with the SSIM window, in the array's precision.

    The "valid" part only (no border computed and cropped); the window is symmetric,
    so each pair of taps costs one multiplication. In float64 it equals
    ``scipy.ndimage.correlate1d`` along both axes, cropped (tested).
    """
    window = _WINDOW.astype(values.dtype)
    taps = len(window)
    half = taps // 2
    rows = values.shape[0] - taps + 1
    cols = values.shape[1] - taps + 1
    vertical = values[half:half + rows] * window[half]
    pair = np.empty_like(vertical)
    for k in range(half):
        np.add(values[k:k + rows], values[taps - 1 - k:taps - 1 - k + rows], out=pair)
        pair *= window[k]
        vertical += pair
    out = vertical[:, half:half + cols] * window[half]
    pair = np.empty_like(out)
    for k in range(half):
        np.add(vertical[:, k:k + cols], vertical[:, taps - 1 - k:taps - 1 - k + cols], out=pair)
        pair *= window[k]
        out += pair
    return out


class Scorer:
    """PSNR and SSIM of many test images against one reference, the SR-literature way.

    The reference is checked, reduced to what is scored (Y, border cropped) and,
    on the first SSIM, filtered for its local means and variances - once. Each
    test image then costs one conversion, and for SSIM three Gaussian filterings.
    :func:`psnr` and :func:`ssim` are one-off Scorers with the default precision.

    Parameters
    ----------
    reference : numpy.ndarray
        Ground truth, ``uint8`` (0..255) or float in ``[0, 1]``; ``(H, W)``,
        ``(H, W, 1)`` or ``(H, W, 3)`` RGB. A single-channel image is taken as Y.
    border : int
        Pixels cropped on each side; the protocol uses ``border=scale``.
    channel : {"y", "rgb"}
        Score MATLAB's Y channel (default, as the published tables) or all of RGB.
    data_range : float, optional
        Peak value; default 255 for ``uint8`` and 1 for float images.
    precision : {"float64", "float32"}
        Arithmetic of the SSIM filtering. ``"float32"`` is about twice as fast
        (the method explorer's choice) and agrees with float64 to a few 1e-6 (the values are centred on half the
        peak before filtering, which keeps the variances precise); PSNR is always
        computed in float64.

    Raises
    ------
    ValueError
        Unsupported dtype or shape, unknown channel, bad border, ``data_range`` or
        precision, NaN, float images on the 0..255 scale with the default ``data_range``.

    Examples
    --------
    >>> import numpy as np
    >>> reference = np.full((16, 16), 100, np.uint8)
    >>> scorer = Scorer(reference, border=2)
    >>> round(scorer.psnr(reference + 1), 2), scorer.ssim(reference)
    (48.13, 1.0)

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``; the method explorer of
    ``01_interpolation_artifacts.ipynb`` scores with it.
    """

    def __init__(self, reference: np.ndarray, *, border: int = 0, channel: Channel = "y",
                 data_range: float | None = None, precision: str = "float64") -> None:
        reference = np.asarray(reference)
        self.peak = _check_range(data_range, reference.dtype)
        _check_image(reference)
        _check_options(reference.shape, border, channel)
        if precision not in ("float64", "float32"):
            raise ValueError(f"precision must be 'float64' or 'float32', got {precision!r}")
        self.border, self.channel, self.data_range = int(border), channel, data_range
        self.precision = precision
        self._reference = reference
        self._plane = _scored_plane(reference, self.border, channel)
        _check_values(self._plane, reference.dtype, data_range)
        self._statistics: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None = None

    def _test_plane(self, test: np.ndarray) -> np.ndarray:
        test = np.asarray(test)
        _check_same(self._reference, test)
        plane = _scored_plane(test, self.border, self.channel)
        _check_values(plane, test.dtype, self.data_range)
        return plane

    def _channels(self, plane: np.ndarray) -> list[np.ndarray]:
        """The planes that SSIM filters: one per channel, centred on half the peak, in ``precision``."""
        centred = (plane - self.peak / 2).astype(self.precision)
        return [centred] if centred.ndim == 2 else [centred[:, :, c] for c in range(centred.shape[2])]

    def psnr(self, test: np.ndarray) -> float:
        """Peak signal-to-noise ratio of ``test`` in dB (``inf`` when identical), as :func:`psnr`.

        Notes
        -----
        Taught in ``02_degradation_and_evaluation.ipynb``.
        """
        mse = float(np.mean((self._plane - self._test_plane(test)) ** 2))
        if mse == 0.0:
            return float("inf")
        return float(10.0 * np.log10(self.peak * self.peak / mse))

    def ssim(self, test: np.ndarray) -> float:
        """Mean structural similarity of ``test`` (mean over channels for RGB), as :func:`ssim`.

        Notes
        -----
        Taught in ``02_degradation_and_evaluation.ipynb``.
        """
        plane = self._test_plane(test)
        if min(plane.shape[:2]) < _SSIM_SIZE:
            raise ValueError(f"ssim needs at least {_SSIM_SIZE}x{_SSIM_SIZE} pixels after the border crop, "
                             f"got {plane.shape[0]}x{plane.shape[1]}")
        if self._statistics is None:  # the reference's local statistics, once
            self._statistics = []
            for ref in self._channels(self._plane):
                centred_mean = _filter_valid(ref)
                mean = centred_mean + ref.dtype.type(self.peak / 2)
                variance = _filter_valid(ref * ref) - centred_mean * centred_mean
                self._statistics.append((ref, centred_mean, mean, mean * mean, variance))
        dtype = self._statistics[0][0].dtype.type
        c1 = dtype((_SSIM_K1 * self.peak) ** 2)
        c2 = dtype((_SSIM_K2 * self.peak) ** 2)
        values = []
        for (ref, ref_centred_mean, mu1, mu1_sq, sigma1_sq), tst in zip(self._statistics, self._channels(plane)):
            centred_mean = _filter_valid(tst)
            mu2 = centred_mean + dtype(self.peak / 2)
            sigma2_sq = _filter_valid(tst * tst) - centred_mean * centred_mean
            sigma12 = _filter_valid(ref * tst) - ref_centred_mean * centred_mean
            ssim_map = (((2 * mu1 * mu2 + c1) * (2 * sigma12 + c2))
                        / ((mu1_sq + mu2 * mu2 + c1) * (sigma1_sq + sigma2_sq + c2)))
            values.append(float(np.mean(ssim_map, dtype=np.float64)))
        return values[0] if len(values) == 1 else float(np.mean(values))


def psnr(reference: np.ndarray, test: np.ndarray, *, border: int = 0, channel: Channel = "y",
         data_range: float | None = None) -> float:
    """Peak signal-to-noise ratio in dB, the SR-literature way.

    Parameters
    ----------
    reference, test : numpy.ndarray
        Ground truth and reconstruction, same shape and dtype (see :func:`prepare`).
    border : int
        Pixels cropped on each side; the protocol uses ``border=scale``.
    channel : {"y", "rgb"}
        Score MATLAB's Y channel (default, as the published tables) or all of RGB.
    data_range : float, optional
        Peak value; default 255 for ``uint8`` and 1 for float images.

    Returns
    -------
    float
        PSNR in dB; ``inf`` for identical images.

    Raises
    ------
    ValueError
        As :func:`prepare`; bad ``data_range``; NaN values; float images beyond
        ``[-0.5, 1.5]`` (the 0..255 scale) with the default ``data_range``.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.full((8, 8, 3), 100, np.uint8)
    >>> psnr(a, a)
    inf

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``. To score many images
    against one reference, :class:`Scorer` converts the reference once.
    """
    _check_same(np.asarray(reference), np.asarray(test))
    return Scorer(reference, border=border, channel=channel, data_range=data_range).psnr(test)


def ssim(reference: np.ndarray, test: np.ndarray, *, border: int = 0, channel: Channel = "y",
         data_range: float | None = None) -> float:
    """Structural similarity (Wang et al. 2004), the SR-literature way.

    Gaussian 11x11 window with sigma 1.5, K1 = 0.01, K2 = 0.03, "valid" filtering
    (no padding), mean of the SSIM map - MATLAB's ``ssim_index`` and the common
    ``calculate_ssim``. For ``channel="rgb"`` the mean over channels is returned.

    Parameters
    ----------
    reference, test : numpy.ndarray
        Same shape and dtype, at least 11x11 pixels after the border crop.
    border : int
        Pixels cropped on each side; the protocol uses ``border=scale``.
    channel : {"y", "rgb"}
        As in :func:`psnr`.
    data_range : float, optional
        L in the constants; default 255 for ``uint8`` and 1 for float images.

    Returns
    -------
    float
        SSIM, at most 1 (exactly 1 for identical images).

    Raises
    ------
    ValueError
        As :func:`psnr`, or fewer than 11x11 pixels after the border crop.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``. To score many images
    against one reference, :class:`Scorer` filters the reference once.
    """
    _check_same(np.asarray(reference), np.asarray(test))
    return Scorer(reference, border=border, channel=channel, data_range=data_range).ssim(test)


# --------------------------------------------------------------------------- what cannot be restored
def _real_image(array: Any, name: str) -> np.ndarray:
    """``array`` as a finite real float64 image of shape (H, W) or (H, W, C), or a ValueError."""
    data = np.asarray(array)
    if not np.issubdtype(data.dtype, np.number) or np.issubdtype(data.dtype, np.complexfloating):
        raise ValueError(f"{name} must be a real numeric array, got dtype {data.dtype}")
    if data.ndim not in (2, 3) or data.size == 0:
        raise ValueError(f"{name} must be a non-empty (H, W) or (H, W, C) image, got shape {data.shape}")
    if not np.all(np.isfinite(data)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return data.astype(np.float64)


def contrast_transfer(reference: Any, test: Any, *, max_frequency: float = 0.5,
                      bins: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Measure how much of each spatial frequency an upscaler restores, on a zone plate.

    A zone plate's local frequency grows linearly with the radius (see
    :func:`srlib.patterns.zone_plate`), so each ring of radii is a test at one
    frequency. In each ring the transfer is the least-squares gain of the test
    image's pattern onto the reference's, ``sum(a * b) / sum(a * a)`` with
    ``a``, ``b`` the ring's mean-free reference and test grey levels (the mean of
    the colour channels; a zone plate is grey): 1 when the
    pattern is reproduced, 0 when it is gone (flat grey) or replaced by
    unrelated (aliased) rings. It is a measured modulation transfer function.

    Parameters
    ----------
    reference : ndarray
        The zone plate, ``(N, N)`` or ``(N, N, 3)``, uint8 or float.
    test : ndarray
        The upscaler's output, same shape.
    max_frequency : float
        The zone plate's frequency at the edge midpoints (cycles per pixel), as
        passed to :func:`srlib.patterns.zone_plate`.
    bins : int
        Number of rings between the centre and the edge midpoints.

    Returns
    -------
    frequencies, transfer : ndarray
        ``(bins,)`` ring-centre frequencies in cycles per pixel and the transfer
        in each ring (NaN for an empty or flat ring).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``; :func:`srlib.plots.plot_contrast_transfer` draws it.
    """
    ref = _real_image(reference, "reference")
    out = _real_image(test, "test")
    if ref.shape != out.shape:
        raise ValueError(f"reference {ref.shape} and test {out.shape} must have one shape")
    if (np.asarray(reference).dtype == np.uint8) != (np.asarray(test).dtype == np.uint8):
        raise ValueError(f"reference ({np.asarray(reference).dtype}) and test ({np.asarray(test).dtype}) must "
                         "be on one scale: both uint8, or both float")
    if ref.shape[0] != ref.shape[1]:
        raise ValueError(f"a zone plate is square, got shape {ref.shape}")
    bins = check_positive_int(bins, "bins")
    if not 0 < float(max_frequency) <= 0.5:
        raise ValueError(f"max_frequency must be in (0, 0.5], got {max_frequency!r}")
    if ref.ndim == 3:
        ref, out = ref.mean(axis=-1), out.mean(axis=-1)
    size = ref.shape[0]
    coords = np.arange(size) - (size - 1) / 2.0
    radius = np.hypot(coords[:, None], coords[None, :])
    edges = np.linspace(0.0, size / 2.0, bins + 1)
    frequencies = 0.5 * (edges[:-1] + edges[1:]) / (size / 2.0) * float(max_frequency)
    transfer = np.full(bins, np.nan)
    for index in range(bins):
        ring = (radius >= edges[index]) & (radius < edges[index + 1])
        if ring.sum() < 8:
            continue
        a = ref[ring] - ref[ring].mean()
        b = out[ring] - out[ring].mean()
        energy = float((a * a).sum())
        if energy > 1e-9:
            transfer[index] = float((a * b).sum()) / energy
    return frequencies, transfer


from srlib.niqe import niqe  # noqa: E402,F401  (no-reference: srlib/niqe.py; lesson 05)
from srlib.perception import blockiness, grid_artifact  # noqa: E402,F401  (srlib/perception.py)

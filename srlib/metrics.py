"""PSNR and SSIM exactly as the super-resolution literature computes them.

The published tables (SRCNN, VDSR, FSRCNN, ESPCN, EDSR, ...) score:

* the **Y channel** of MATLAB ``rgb2ycbcr`` (BT.601, 16..235), rounded to
  ``uint8`` as MATLAB returns it for ``uint8`` input;
* after cropping a **border of ``scale`` pixels** on each side ("shave");
* PSNR with peak 255: ``10 log10(255^2 / MSE)``;
* SSIM of Wang et al. (2004): 11x11 Gaussian window, sigma 1.5, K1 = 0.01,
  K2 = 0.03, L = 255, "valid" filtering, mean of the SSIM map.

Taught in ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.ndimage import correlate1d

from srlib.images import rgb_to_y

__all__ = ["psnr", "ssim", "prepare"]

Channel = Literal["y", "rgb"]

_SSIM_SIZE = 11
_SSIM_SIGMA = 1.5
_SSIM_K1 = 0.01
_SSIM_K2 = 0.03


def _default_range(dtype: np.dtype) -> float:
    return 255.0 if dtype == np.uint8 else 1.0


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
    if reference.shape != test.shape:
        raise ValueError(f"reference and test must have the same shape, got {reference.shape} and {test.shape}"
                         " (crop the reference with srlib.images.modcrop?)")
    if reference.dtype != test.dtype:
        raise ValueError(f"reference and test must have the same dtype, got {reference.dtype} and {test.dtype}"
                         " (convert both with srlib.images.to_uint8 or to_float)")
    if reference.dtype != np.uint8 and not np.issubdtype(reference.dtype, np.floating):
        raise ValueError(f"images must be uint8 or float in [0, 1], got dtype {reference.dtype}")
    if reference.ndim not in (2, 3) or (reference.ndim == 3 and reference.shape[2] not in (1, 3)):
        raise ValueError(f"images must be (H, W), (H, W, 1) or (H, W, 3), got shape {reference.shape}")
    if channel not in ("y", "rgb"):
        raise ValueError(f"channel must be 'y' or 'rgb', got {channel!r}")
    if isinstance(border, bool) or not isinstance(border, (int, np.integer)) or border < 0:
        raise ValueError(f"border must be a non-negative integer (the scale factor), got {border!r}")
    height, width = reference.shape[:2]
    if 2 * border >= height or 2 * border >= width:
        raise ValueError(f"border {border} leaves nothing of a {height}x{width} image")
    if reference.ndim == 3 and reference.shape[2] == 1:
        reference, test = reference[:, :, 0], test[:, :, 0]
    if channel == "y" and reference.ndim == 3:
        reference, test = rgb_to_y(reference), rgb_to_y(test)
    if border:
        reference = reference[border:-border, border:-border]
        test = test[border:-border, border:-border]
    return reference.astype(np.float64), test.astype(np.float64)


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
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    peak, ref, tst = _scored_pair(reference, test, border, channel, data_range)
    mse = float(np.mean((ref - tst) ** 2))
    if mse == 0.0:
        return float("inf")
    return float(10.0 * np.log10(peak * peak / mse))


def _check_range(data_range: float | None, dtype: np.dtype) -> float:
    if data_range is None:
        return _default_range(dtype)
    if isinstance(data_range, bool) or not isinstance(data_range, (int, float, np.integer, np.floating)) \
            or not np.isfinite(data_range) or data_range <= 0:
        raise ValueError(f"data_range must be a positive number (255 for uint8, 1 for float), got {data_range!r}")
    return float(data_range)


def _scored_pair(reference: np.ndarray, test: np.ndarray, border: int, channel: str,
                 data_range: float | None) -> tuple[float, np.ndarray, np.ndarray]:
    """The common start of :func:`psnr` and :func:`ssim`: peak value and the checked, cropped pair."""
    peak = _check_range(data_range, np.asarray(reference).dtype)
    ref, tst = prepare(reference, test, border=border, channel=channel)
    _check_scored(ref, tst, np.asarray(reference).dtype, data_range)
    return peak, ref, tst


def _check_scored(ref: np.ndarray, tst: np.ndarray, dtype: np.dtype, data_range: float | None) -> None:
    """Refuse NaN, and float images on the 0..255 scale scored with the default peak of 1.

    Without this, ``psnr`` of two 0..255 float images is a silent -8 dB-ish number.
    Float values a little outside ``[0, 1]`` (an unclipped model output) are fine.
    """
    if dtype == np.uint8:
        return
    lows, highs = (float(ref.min()), float(tst.min())), (float(ref.max()), float(tst.max()))
    if np.isnan(lows + highs).any():  # min/max propagate NaN; Python's min() would not
        raise ValueError("images contain NaN: nothing to score (check the model output or the conversion)")
    low, high = min(lows), max(highs)
    if data_range is None and (high > 1.5 or low < -0.5):
        raise ValueError(f"float images are scored on the [0, 1] scale (peak 1), but these span "
                         f"[{low:.4g}, {high:.4g}]: divide them by 255, convert them to uint8, or pass "
                         "data_range=255")


def _gaussian_window(size: int = _SSIM_SIZE, sigma: float = _SSIM_SIGMA) -> np.ndarray:
    """1-D factor of MATLAB's ``fspecial('gaussian', size, sigma)`` (normalised)."""
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(x * x) / (2.0 * sigma * sigma))
    return g / g.sum()


def _filter_valid(image: np.ndarray, window: np.ndarray) -> np.ndarray:
    """Separable ``filter2(w' * w, image, 'valid')`` on a 2-D float64 array."""
    radius = len(window) // 2
    out = correlate1d(image, window, axis=0, mode="constant")
    out = correlate1d(out, window, axis=1, mode="constant")
    return out[radius:-radius, radius:-radius]


def _ssim_2d(ref: np.ndarray, tst: np.ndarray, peak: float) -> float:
    window = _gaussian_window()
    c1 = (_SSIM_K1 * peak) ** 2
    c2 = (_SSIM_K2 * peak) ** 2
    mu1 = _filter_valid(ref, window)
    mu2 = _filter_valid(tst, window)
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = _filter_valid(ref * ref, window) - mu1_sq
    sigma2_sq = _filter_valid(tst * tst, window) - mu2_sq
    sigma12 = _filter_valid(ref * tst, window) - mu1_mu2
    ssim_map = ((2 * mu1_mu2 + c1) * (2 * sigma12 + c2)) / ((mu1_sq + mu2_sq + c1) * (sigma1_sq + sigma2_sq + c2))
    return float(ssim_map.mean())


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
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    peak, ref, tst = _scored_pair(reference, test, border, channel, data_range)
    if min(ref.shape[:2]) < _SSIM_SIZE:
        raise ValueError(f"ssim needs at least {_SSIM_SIZE}x{_SSIM_SIZE} pixels after the border crop, "
                         f"got {ref.shape[0]}x{ref.shape[1]}")
    if ref.ndim == 2:
        return _ssim_2d(ref, tst, peak)
    return float(np.mean([_ssim_2d(ref[:, :, c], tst[:, :, c], peak) for c in range(ref.shape[2])]))
from srlib.niqe import niqe  # noqa: E402,F401  (no-reference: srlib/niqe.py; lesson 05, planned)
from srlib.perception import grid_artifact  # noqa: E402,F401  (srlib/perception.py)

"""NIQE, the "completely blind" image quality score of Mittal, Soundararajan & Bovik (2013).

NIQE needs no reference image: it measures how far an image's local statistics are from
those of a corpus of pristine natural photographs. Lower is better (more natural); it is the
perception axis of the perception-distortion plane (Blau & Michaeli, CVPR 2018) where PSNR
is the distortion axis. Taught in ``05_gan_super_resolution.ipynb``.

The computation, as in the paper and the authors' MATLAB release (``computequality.m``):

1. **Y channel** of MATLAB ``rgb2ycbcr`` (:func:`srlib.images.rgb_to_y`; ``uint8`` input
   gives MATLAB's rounded ``uint8`` Y), on the 0..255 scale; ``crop_border`` pixels removed
   on each side; then cropped to whole **96x96 blocks** from the top-left corner.
2. **MSCN coefficients** (mean-subtracted contrast-normalised, eq. 1):
   ``(I - mu) / (sigma + 1)`` with ``mu`` and ``sigma`` the local mean and standard
   deviation under a 7x7 Gaussian window (sigma 7/6, MATLAB ``fspecial('gaussian', 7, 7/6)``),
   edges replicated (``imfilter(..., 'replicate')``).
3. Per block, **18 features**: the shape and scale of a generalised Gaussian fitted to the
   MSCN values (the release fits the asymmetric model and keeps its shape and mean scale),
   and shape, mean, left and right scale of an asymmetric generalised Gaussian (AGGD) fitted
   to the products of each coefficient with its right, lower, lower-right and lower-left
   neighbour (shifts wrap around inside the block, MATLAB ``circshift``). The fits are the
   release's moment matching over the shape grid ``0.2:0.001:10``.
4. The same at **half scale**: the image is shrunk by MATLAB bicubic ``imresize(im, 0.5)``
   (:func:`srlib.resize.imresize`, antialiased, float) and cut into 48x48 blocks, giving 36
   features per block.
5. A multivariate Gaussian is fitted to the blocks' features (``nanmean``; ``nancov`` on the
   blocks without NaN) and the score is its distance to the pristine model ``(mu_p, S_p)``:
   ``sqrt((mu_p - mu)^T pinv((S_p + S) / 2) (mu_p - mu))`` (eq. 10).

**Patch selection.** The pristine model was fitted on the sharpest patches only: the release's
``estimatemodelparam.m`` keeps the blocks whose mean local ``sigma`` exceeds 0.75 times the
image's largest (``sh_th = 0.75``). At test time ``computequality.m`` computes the same
sharpness but does not use it: *every* block of the test image is scored, because the
distortion being measured may be exactly what removed the sharpness. This module does the
same, and so does BasicSR's ``basicsr/metrics/niqe.py`` (XPixelGroup/BasicSR, Apache-2.0),
which was read as a reference; the code here is written from the paper and the release.

**The model** (``srlib/niqe_data/niqe_pris_params.npz``: the 36-dimensional mean and covariance
of the release's ``modelparameters.mat``, as converted to NumPy by BasicSR) is the LIVE
laboratory's (UT Austin), shipped with BasicSR's Apache-2.0 licence and a NOTICE
acknowledging LIVE / UT Austin, as the release asks. It is loaded with
``np.load(allow_pickle=False)`` after a sha256 check.

**Reference value.** On BasicSR's test image ``baboon.png`` (a 480x492 crop of Set14's
baboon) MATLAB gives 5.72957338; this implementation gives 5.72971 (1.4e-4 away; recorded by
``scripts/niqe_reference.py`` in ``benchmarks/niqe_reference.json``). The image is for
research use only and is not shipped; the tests pin a synthetic image instead. Agreement
closer than about 1e-3 is not to be expected from any re-implementation: each fitted shape
is a point of a grid with step 0.001, and rounding-level differences (a separable instead of
a 2-D filter, 1e-10 of noise) move a few of them by one step, which moves the score by
1e-4 to 5e-4.

**Reliability.** NIQE is a statistic over blocks. Set5's images give 4 to 25 blocks of 96 px,
too few for a stable 36x36 covariance, so NIQE on Set5 is noise: report it as a mean over Set14
(4 to 35 blocks per image after a 4-pixel shave, most above 15: the usual minimum), BSD100 or
larger images. Fewer than 2 blocks are refused.

**Not here.** LPIPS, Ma et al.'s score and the Perceptual Index (PI = (10 - Ma + NIQE) / 2,
the PIRM 2018 challenge) need pretrained networks or learned regression forests (AlexNet/VGG
weights for LPIPS, the Ma model's random forests) that cannot be had offline. srlib does not
ship or imitate them; NIQE, the grid measure (:func:`srlib.perception.grid_artifact`) and
PSNR/SSIM are what the course reports.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy.ndimage import correlate1d
from scipy.special import gamma

from srlib._checks import check_non_negative_int, check_unit_range
from srlib.images import rgb_to_y
from srlib.resize import imresize

__all__ = ["niqe", "BLOCK_SIZE", "MIN_BLOCKS", "pristine_model"]

#: Side of the square blocks NIQE fits its model on (the release's default, 96 px).
BLOCK_SIZE: int = 96
#: Fewest blocks an image must contain: a covariance needs at least two feature vectors.
MIN_BLOCKS: int = 2

_WINDOW_SIZE = 7
_WINDOW_SIGMA = 7.0 / 6.0
_STABILISER = 1.0  # the "+ 1" of eq. 1, on the 0..255 scale
# MATLAB 0.2:0.001:10 (9801 values); linspace spaces them like MATLAB's colon, from both ends.
_SHAPE_GRID = np.linspace(0.2, 10.0, 9801)
# Neighbour offsets (rows, columns) of the paired products: right, below, below-right, below-left
# in the release's circshift convention.
_SHIFTS = ((0, 1), (1, 0), (1, 1), (1, -1))

_MODEL_FILE = "niqe_pris_params.npz"
_MODEL_SHA256 = "2a7c182a68c9e7f1b2e2e5ec723279d6f65d912b6fcaf37eb2bf03d7367c4296"


@lru_cache(maxsize=1)
def _shape_ratio_table() -> np.ndarray:
    """``r(g) = Gamma(2/g)^2 / (Gamma(1/g) Gamma(3/g))`` on the shape grid (strictly increasing)."""
    reciprocal = 1.0 / _SHAPE_GRID
    ratio = gamma(2.0 * reciprocal) ** 2 / (gamma(reciprocal) * gamma(3.0 * reciprocal))
    if not np.all(np.diff(ratio) > 0):  # the nearest-value search below relies on it
        raise RuntimeError("the generalised-Gaussian moment ratio is not increasing on the grid")
    return ratio


@lru_cache(maxsize=1)
def pristine_model() -> tuple[np.ndarray, np.ndarray]:
    """The published NIQE model: mean ``(36,)`` and covariance ``(36, 36)`` of pristine features.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Read-only float64 arrays ``mu_pris_param`` and ``cov_pris_param`` of the LIVE release
        (via BasicSR's ``niqe_pris_params.npz``), checked against their sha256.

    Raises
    ------
    RuntimeError
        The shipped file is missing or altered (reinstall srlib).

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    data = resources.files("srlib").joinpath("niqe_data", _MODEL_FILE).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != _MODEL_SHA256:
        raise RuntimeError(f"srlib/niqe_data/{_MODEL_FILE} has sha256 {digest}, expected {_MODEL_SHA256}: "
                           "the installed copy is damaged; reinstall srlib")
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        mean = np.array(arrays["mu_pris_param"], dtype=np.float64).reshape(-1)
        covariance = np.array(arrays["cov_pris_param"], dtype=np.float64)
    mean.setflags(write=False)
    covariance.setflags(write=False)
    return mean, covariance


def _gaussian_window() -> np.ndarray:
    """1-D factor of ``fspecial('gaussian', 7, 7/6)`` (the 2-D window is its outer product)."""
    x = np.arange(_WINDOW_SIZE, dtype=np.float64) - (_WINDOW_SIZE - 1) / 2.0
    weights = np.exp(-(x * x) / (2.0 * _WINDOW_SIGMA ** 2))
    return weights / weights.sum()


def _local_filter(image: np.ndarray, window: np.ndarray) -> np.ndarray:
    """Separable ``imfilter(image, w' * w, 'replicate')``."""
    return correlate1d(correlate1d(image, window, axis=0, mode="nearest"), window, axis=1, mode="nearest")


def _mscn(image: np.ndarray) -> np.ndarray:
    """Mean-subtracted contrast-normalised coefficients (eq. 1) of a float64 0..255 image."""
    window = _gaussian_window()
    mean = _local_filter(image, window)
    deviation = np.sqrt(np.abs(_local_filter(image * image, window) - mean * mean))
    return (image - mean) / (deviation + _STABILISER)


def _fit_aggd(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Moment-matching AGGD fit of each row of ``samples`` ``(n, m)``: shape, left and right scale.

    The release's ``estimateaggdparam.m``: the shape is the grid value whose moment ratio is
    nearest (first on ties) to the normalised ratio of the data. A row without negative (or
    positive) values gives NaN scales, as MATLAB's mean of an empty set; NIQE then drops it.
    """
    negative, positive = samples < 0, samples > 0
    squares = samples * samples
    with np.errstate(invalid="ignore", divide="ignore"):
        left = np.sqrt(np.sum(squares, axis=1, where=negative) / np.count_nonzero(negative, axis=1))
        right = np.sqrt(np.sum(squares, axis=1, where=positive) / np.count_nonzero(positive, axis=1))
        ratio_lr = left / right
        moment = np.mean(np.abs(samples), axis=1) ** 2 / np.mean(squares, axis=1)
        normalised = moment * (ratio_lr ** 3 + 1) * (ratio_lr + 1) / (ratio_lr ** 2 + 1) ** 2
    table = _shape_ratio_table()
    # argmin((table - x)^2) on an increasing table: the nearer of the two neighbours of x.
    upper = np.clip(np.searchsorted(table, normalised), 1, len(table) - 1)
    lower = upper - 1
    take_upper = (table[upper] - normalised) ** 2 < (table[lower] - normalised) ** 2
    position = np.where(take_upper, upper, lower)
    position[np.isnan(normalised)] = 0  # MATLAB's min over all-NaN returns the first index
    shape = _SHAPE_GRID[position]
    scale = np.sqrt(gamma(1.0 / shape) / gamma(3.0 / shape))
    return shape, left * scale, right * scale


def _block_features(mscn: np.ndarray, block: int) -> np.ndarray:
    """The 18 features of each ``block x block`` tile of ``mscn`` -> ``(tiles, 18)``."""
    rows, columns = mscn.shape[0] // block, mscn.shape[1] // block
    tiles = mscn.reshape(rows, block, columns, block).transpose(0, 2, 1, 3).reshape(-1, block, block)
    count = tiles.shape[0]
    stacked = [tiles.reshape(count, -1)]
    for shift in _SHIFTS:
        stacked.append((tiles * np.roll(tiles, shift, axis=(1, 2))).reshape(count, -1))
    shape, left, right = _fit_aggd(np.concatenate(stacked, axis=0))
    shape, left, right = (values.reshape(len(stacked), count) for values in (shape, left, right))
    features = [shape[0], (left[0] + right[0]) / 2.0]
    for index in range(1, len(stacked)):
        mean = (right[index] - left[index]) * gamma(2.0 / shape[index]) / gamma(1.0 / shape[index])
        features += [shape[index], mean, left[index], right[index]]
    return np.stack(features, axis=1)


def _luma(image: np.ndarray, caller: str) -> np.ndarray:
    """Checked ``(H, W)`` float64 Y on the 0..255 scale from a grey or RGB image.

    The input rule of the no-reference measures (:func:`niqe`, :func:`srlib.perception.grid_artifact`):
    ``caller`` names the function in the messages.
    """
    image = np.asarray(image)
    if image.dtype != np.uint8 and not np.issubdtype(image.dtype, np.floating):
        raise ValueError(f"{caller} expects a uint8 image or a float image in [0, 1], got dtype {image.dtype}; "
                         "convert it with srlib.images.to_uint8 or to_float")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim in (2, 3) and 0 in image.shape[:2]:
        raise ValueError(f"{caller} got an empty image of shape {image.shape}")
    if image.ndim == 3 and image.shape[2] == 3:
        luma = rgb_to_y(image)  # checks the float range
    elif image.ndim == 2:
        if image.dtype != np.uint8:
            check_unit_range(image, caller)
        luma = image
    else:
        raise ValueError(f"{caller} expects an (H, W) grey/Y image or an (H, W, 3) RGB image, got shape {image.shape}")
    if luma.dtype == np.uint8:
        return luma.astype(np.float64)
    return luma.astype(np.float64) * 255.0


def niqe(image: np.ndarray, *, crop_border: int = 0) -> float:
    """NIQE score of one image (no reference needed); lower is more natural.

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W, 3)`` RGB, or ``(H, W)`` / ``(H, W, 1)`` taken as the Y channel already;
        ``uint8`` (0..255) or float in ``[0, 1]``. RGB is reduced to MATLAB's Y
        (:func:`srlib.images.rgb_to_y`): rounded ``uint8`` Y for ``uint8`` input, as MATLAB's
        ``rgb2ycbcr``, unrounded for float input (``to_uint8`` first to score a float image
        exactly as its saved PNG would be).
    crop_border : int
        Pixels removed from each side first: ``niqe(image, crop_border=c)`` equals
        ``niqe(image[c:-c, c:-c])``. SR papers use the scale factor (the border the
        evaluation protocol shaves). The remaining image is then cut into whole 96x96 blocks
        from its top-left corner; the rightmost and bottom remainders are not scored.

    Returns
    -------
    float
        The NIQE score (about 3-5 for sharp photographs, higher when blurred, noisy or
        blocky). MATLAB gives 5.72957338 on BasicSR's ``baboon.png``; this gives
        5.72971.

    Raises
    ------
    ValueError
        Unsupported dtype or shape, float values outside ``[0, 1]`` or NaN, a bad
        ``crop_border``, fewer than :data:`MIN_BLOCKS` blocks of 96x96 after the crop (e.g. an
        image smaller than 192x96), or an image too flat to fit (no block with both positive
        and negative MSCN coefficients).

    Notes
    -----
    NIQE is unreliable on small images: Set5 gives only 4-25 blocks per image. Report it on
    Set14 and larger test sets, as a mean over images. See the module docstring for the
    steps, patch selection and the model's source. Taught in
    ``05_gan_super_resolution.ipynb``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> score = niqe(rng.integers(0, 256, (192, 192), dtype=np.uint8))
    >>> score > 10  # white noise is far from natural
    True
    """
    crop_border = check_non_negative_int(crop_border, "crop_border")
    luma = _luma(image, "niqe")
    height, width = luma.shape
    if 2 * crop_border >= min(height, width):
        raise ValueError(f"crop_border={crop_border} leaves nothing of a {height}x{width} image; "
                         f"use crop_border < {(min(height, width) + 1) // 2} (SR papers use the scale factor)")
    if crop_border:
        luma = luma[crop_border:-crop_border, crop_border:-crop_border]
        height, width = luma.shape
    rows, columns = height // BLOCK_SIZE, width // BLOCK_SIZE
    if rows * columns < MIN_BLOCKS:
        raise ValueError(f"niqe needs at least {MIN_BLOCKS} blocks of {BLOCK_SIZE}x{BLOCK_SIZE} pixels, but a "
                         f"{height}x{width} image (after crop_border={crop_border}) holds {rows * columns}: "
                         f"use an image of at least {2 * BLOCK_SIZE}x{BLOCK_SIZE} (Set14 or larger; NIQE is "
                         "unreliable with few blocks)")
    luma = luma[:rows * BLOCK_SIZE, :columns * BLOCK_SIZE]
    full = _block_features(_mscn(luma), BLOCK_SIZE)
    half = imresize(luma, 0.5, method="bicubic", border="symmetric")
    features = np.concatenate([full, _block_features(_mscn(half), BLOCK_SIZE // 2)], axis=1)

    pristine_mean, pristine_covariance = pristine_model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice": refused just below
        mean = np.nanmean(features, axis=0)
    complete = features[~np.isnan(features).any(axis=1)]
    if len(complete) < MIN_BLOCKS or np.isnan(mean).any():
        raise ValueError(f"niqe cannot fit this {height}x{width} image: only {len(complete)} of {len(features)} "
                         "blocks have texture (positive and negative MSCN coefficients); NIQE is undefined "
                         "on flat or nearly constant images")
    covariance = np.cov(complete, rowvar=False)
    difference = pristine_mean - mean
    distance = difference @ np.linalg.pinv((pristine_covariance + covariance) / 2.0) @ difference
    return float(np.sqrt(distance))

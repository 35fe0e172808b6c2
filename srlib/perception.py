"""A no-reference measure of the periodic "grid" artifact of learned upsamplers.

Networks that upsample with sub-pixel convolution (pixel shuffle) or transposed convolution
compute each of the ``scale x scale`` output phases with different weights. When those phases
disagree, the output carries a fixed pattern that repeats every ``scale`` pixels: a faint grid,
seen in the spectrum as peaks at multiples of ``1 / scale`` cycle/pixel. A GAN prototype for
this course showed a period-4 grid at x4 (peaks at 1/4 cycle/pixel; interpolating its weights
halfway towards the pixel-loss model halved it). :func:`grid_artifact` puts a number on it.

:func:`blockiness` measures another fixed-phase pattern, JPEG's 8 x 8 block edges (lesson 06).

NIQE (:func:`srlib.niqe.niqe`) lives in its own module; all are exported by
:mod:`srlib.metrics`. Taught in ``05_gan_super_resolution.ipynb`` and
``06_degradations_and_augmentation.ipynb``.
"""
from __future__ import annotations

import numpy as np

from srlib._checks import check_positive_int
from srlib.niqe import _luma

__all__ = ["grid_artifact", "phase_means", "blockiness"]

#: Fewest periods the image interior must span in each direction.
_MIN_PERIODS = 4


def _laplacian(luma: np.ndarray) -> np.ndarray:
    """4-neighbour discrete Laplacian ``4 y - (up + down + left + right)`` on the interior pixels."""
    return (4.0 * luma[1:-1, 1:-1] - luma[:-2, 1:-1] - luma[2:, 1:-1] - luma[1:-1, :-2] - luma[1:-1, 2:])


def phase_means(image: np.ndarray, period: int = 4) -> np.ndarray:
    """Mean signed Laplacian of Y at each of the ``period x period`` pixel phases.

    Parameters
    ----------
    image : numpy.ndarray
        As :func:`grid_artifact`.
    period : int
        The pattern's period in pixels (the upscaling factor), >= 2.

    Returns
    -------
    numpy.ndarray
        ``(period, period)`` float64: entry ``[p, q]`` is the mean Laplacian over the pixels
        whose row and column are ``p`` and ``q`` modulo ``period`` (image coordinates, so the
        table does not depend on how far the interior is from the edge).

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    return _phase_table(_checked_laplacian(image, period), _check_period(period))


def _checked_laplacian(image: np.ndarray, period: object) -> np.ndarray:
    period = _check_period(period)
    luma = _luma(image, "grid_artifact")
    _check_size(luma.shape, period)
    return _laplacian(luma)


def _phase_table(laplacian: np.ndarray, period: int) -> np.ndarray:
    table = np.empty((period, period))
    for row in range(period):
        for column in range(period):
            # the interior starts at image pixel (1, 1)
            table[row, column] = laplacian[(row - 1) % period::period, (column - 1) % period::period].mean()
    return table


def _check_period(period: object) -> int:
    value = check_positive_int(period, "period")
    if value < 2:
        raise ValueError(f"period must be at least 2 pixels (the upscaling factor, e.g. 4), got {period!r}")
    return value


def _check_size(shape: tuple[int, ...], period: int) -> None:
    smallest = _MIN_PERIODS * period + 2
    if min(shape[:2]) < smallest:
        raise ValueError(f"grid_artifact with period={period} needs at least {smallest}x{smallest} pixels "
                         f"({_MIN_PERIODS} periods plus a 1-pixel border), got {shape[0]}x{shape[1]}")


def grid_artifact(image: np.ndarray, period: int = 4) -> float:
    """Strength of a pattern repeating every ``period`` pixels, relative to the image's detail.

    The Laplacian of Y is averaged separately over each of the ``period x period`` pixel
    phases (:func:`phase_means`); the score is the standard deviation of those 16 (for
    ``period=4``) means divided by the mean absolute Laplacian::

        grid = std(phase_means(image, period)) / mean(|laplacian(Y)|)

    By Parseval, ``std(phase_means)`` is the root of the summed power of the Laplacian's
    spectrum at the ``period**2 - 1`` non-zero frequencies ``(k, l) / period`` cycle/pixel,
    divided by the number of pixels: the spectral peaks of a grid, nothing else.
    The score is relative to the image's detail, so the same faint pattern counts for more on
    a smooth image than on a textured one (contrast masking); a pure pattern on a flat image
    gives about 1 or more.

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W, 3)`` RGB or ``(H, W)`` / ``(H, W, 1)`` Y; ``uint8`` or float in ``[0, 1]``
        (MATLAB's Y, as :func:`srlib.niqe.niqe`). At least ``4 * period + 2`` pixels a side.
    period : int
        The period to test, in pixels: the upscaling factor of the network (default 4).

    Returns
    -------
    float
        0 for no period-``period`` component. The default images (:func:`srlib.data.default_images`)
        score 0.007-0.03 and their bicubic x4 upscales 0.002-0.04, except where rounding to
        ``uint8`` leaves its own period-4 pattern of a fraction of a grey level on a large
        smooth area: the sky of ``rocket`` scores 0.15 as ``uint8`` (0.002 in float). Adding a
        fixed period-4 pattern of one grey level (standard deviation) gives 0.06-0.4.

    Raises
    ------
    ValueError
        Bad dtype, shape or range (as :func:`srlib.niqe.niqe`), ``period`` not an integer >= 2,
        an image smaller than ``4 * period + 2`` pixels a side, or a flat image (zero Laplacian:
        no detail to compare a pattern with).

    Notes
    -----
    Why the *signed* Laplacian: an interpolator enlarging by 4 is itself periodic in its
    sharpness, since each output phase gets different interpolation weights. The phase means of
    ``|Laplacian|`` of the default images' bicubic x4 upscales span 16-73 % of their mean
    (max - min; 3-34 % for the originals), so a measure built on magnitudes would flag bicubic as a grid. The signed means of
    bicubic (and of any interpolation whose weights sum to one) cancel; only a pattern *added*
    at fixed phases, the grid a viewer sees, survives. The score does not depend on the pattern's
    position (shifting the image permutes the table) nor, through the normalisation, on
    contrast. Taught in ``05_gan_super_resolution.ipynb``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.ndimage import gaussian_filter
    >>> texture = gaussian_filter(np.random.default_rng(0).normal(128, 60, (128, 128)), 2)
    >>> grid = np.tile([[0, 2, 0, -2], [2, 0, -2, 0], [0, -2, 0, 2], [-2, 0, 2, 0]], (32, 32))
    >>> clean = np.clip(texture, 0, 255).astype(np.uint8)
    >>> gridded = np.clip(texture + grid, 0, 255).astype(np.uint8)
    >>> grid_artifact(clean) < 0.05 < 0.2 < grid_artifact(gridded)
    True
    """
    laplacian = _checked_laplacian(image, period)
    table = _phase_table(laplacian, _check_period(period))
    detail = float(np.mean(np.abs(laplacian)))
    if detail == 0.0:
        raise ValueError("grid_artifact is undefined on a flat image (its Laplacian is zero everywhere): "
                         "there is no detail to compare a pattern with")
    return float(np.std(table) / detail)


def blockiness(image: np.ndarray, period: int = 8) -> float:
    """JPEG's block edges: mean |horizontal step| of Y across block boundaries over the mean elsewhere.

    The step between columns ``c`` and ``c + 1`` crosses a block boundary when
    ``c % period == period - 1``. About 1 for an image without blocks; above 1 where a block
    grid shows (a quality-15 JPEG of a photo: about 2-2.5).

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W, 3)`` RGB or ``(H, W)`` / ``(H, W, 1)`` Y; ``uint8`` or float in ``[0, 1]``
        (MATLAB's Y, as :func:`srlib.niqe.niqe`), at least ``2 * period + 1`` pixels wide.
    period : int
        The block size in pixels: 8 for a JPEG, ``8 * scale`` for a JPEG upscaled by ``scale``
        (its blocks are then ``8 * scale`` output pixels wide).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Bad image (as :func:`grid_artifact`), ``period`` not an integer >= 2, an image narrower
        than ``2 * period + 1`` pixels, or a flat image (no step away from the boundaries).

    Notes
    -----
    Horizontal steps only: JPEG's grid is the same in both directions. Taught in
    ``06_degradations_and_augmentation.ipynb`` (its exercise 3 writes it for ``period=8``).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> blocks = np.repeat(rng.integers(60, 200, (16, 4)), 8, axis=1).astype(np.uint8)
    >>> round(blockiness(blocks + rng.integers(0, 3, blocks.shape).astype(np.uint8)), 0) > 5
    True
    """
    period = check_positive_int(period, "period (the block size in pixels, e.g. 8)")
    if period < 2:
        raise ValueError(f"period must be an integer >= 2 (JPEG blocks: 8), got {period}")
    luma = _luma(image, "image")
    if luma.shape[1] < 2 * period + 1:
        raise ValueError(f"the image is {luma.shape[1]} px wide: at least {2 * period + 1} are needed to compare "
                         f"steps across {period}-px blocks with steps inside them")
    steps = np.abs(np.diff(luma.astype(np.float64), axis=1))
    boundary = (np.arange(steps.shape[1]) % period) == period - 1
    inside = float(steps[:, ~boundary].mean())
    if inside == 0.0:
        raise ValueError("the image is flat between block edges (no step to compare with); blockiness needs detail")
    return float(steps[:, boundary].mean() / inside)

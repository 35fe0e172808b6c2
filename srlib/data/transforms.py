"""Paired transforms for training patches: one random draw acts on the LR input and the HR target.

A training pair is only useful if its two halves show the same content. These functions
take the pair, never one half:

- :func:`crop_pair` cuts an LR crop at ``(y, x)`` and the HR crop at
  ``(y * scale, x * scale)``: the offset is drawn once, in LR pixels, and scaled;
- :func:`random_crop_offsets` draws such offsets, every valid position equally likely;
- :func:`dihedral` / :func:`dihedral_pair` apply one of the 8 flips and rotations by 90
  degrees (the dihedral group of the square) to an image / to both halves;
- :class:`Dihedral` is the random augmentation :class:`srlib.data.PairedPatches` applies by
  default: it draws one transform per pair and applies it to both halves.

A transform object for ``PairedPatches(transforms=...)`` has two methods (see
:class:`PairTransform`): ``draw(count, rng)`` returns one parameter per pair (a vectorised
draw from the sampler's generator) and ``__call__(source, target, parameter)`` returns the
transformed pair.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from srlib._checks import check_non_negative_int, check_positive_int, check_scale

__all__ = ["DIHEDRAL_TRANSFORMS", "PairTransform", "Dihedral", "crop_pair", "random_crop_offsets", "dihedral",
           "dihedral_pair"]

#: The 8 transforms of :func:`dihedral`: ``t`` rotates by ``90 * (t % 4)`` degrees after a
#: left-right flip when ``t >= 4``.
DIHEDRAL_TRANSFORMS: tuple[int, ...] = tuple(range(8))


def crop_pair(source: np.ndarray, target: np.ndarray, y: int, x: int, patch_size: int, scale: int, *,
              source_scale: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut the aligned pair at LR offset ``(y, x)``: the HR crop sits at ``(y * scale, x * scale)``.

    Parameters
    ----------
    source : numpy.ndarray
        The input image, ``(h, w)`` or ``(h, w, C)``: the LR image (``source_scale=1``) or an
        image at HR size such as the bicubic-upscaled LR (``source_scale=scale``).
    target : numpy.ndarray
        The HR image, ``scale`` times the LR size.
    y, x : int
        Top-left corner of the crop in LR pixels.
    patch_size : int
        Side of the LR crop; the target crop has side ``patch_size * scale``.
    scale : int
        Scale factor between LR and HR.
    source_scale : int
        Resolution of ``source`` relative to the LR image (1 or ``scale``).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``(source crop, target crop)``, views into the images.

    Raises
    ------
    ValueError
        A bad size or scale, or a crop that does not fit inside either image.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    scale = check_scale(scale)
    patch_size = check_positive_int(patch_size, "patch_size")
    y, x = check_non_negative_int(y, "y"), check_non_negative_int(x, "x")
    if source_scale not in (1, scale):
        raise ValueError(f"source_scale must be 1 (an LR source) or the scale {scale} (an HR-size source), "
                         f"got {source_scale!r}")
    pairs = ((source, source_scale, "source"), (target, scale, "target"))
    crops = []
    for image, factor, label in pairs:
        top, left, side = y * factor, x * factor, patch_size * factor
        if top + side > image.shape[0] or left + side > image.shape[1]:
            raise ValueError(f"the {side}-pixel {label} crop at LR offset ({y}, {x}) does not fit the {label} of "
                             f"shape {image.shape}; use offsets below {image.shape[0] // factor - patch_size + 1}")
        crops.append(image[top:top + side, left:left + side])
    return crops[0], crops[1]


def random_crop_offsets(rows: np.ndarray, cols: np.ndarray, rng: np.random.Generator
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Draw one crop offset per pair, every valid position equally likely.

    Parameters
    ----------
    rows, cols : numpy.ndarray
        Per pair, the number of valid top-left positions (``lr_height - patch_size + 1``
        and ``lr_width - patch_size + 1``).
    rng : numpy.random.Generator
        The sampler's generator: rows are drawn first, then columns.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``int64`` offsets ``ys`` (``0 <= ys < rows``) and ``xs`` in LR pixels.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    if rows.shape != cols.shape or (rows.size and min(rows.min(), cols.min()) < 1):
        raise ValueError(f"rows and cols must be arrays of the same shape with values >= 1, got shapes "
                         f"{rows.shape} and {cols.shape}")
    count = rows.size
    ys = np.minimum((rng.random(count) * rows).astype(np.int64), rows - 1)
    xs = np.minimum((rng.random(count) * cols).astype(np.int64), cols - 1)
    return ys, xs


def dihedral(image: np.ndarray, transform: int) -> np.ndarray:
    """One of the 8 flips/rotations of the square: rot90 by ``transform % 4`` after a flip if ``transform >= 4``.

    Parameters
    ----------
    image : numpy.ndarray
        ``(h, w)`` or ``(h, w, C)``; the first two axes are transformed.
    transform : int
        0 (identity) to 7, see :data:`DIHEDRAL_TRANSFORMS`.

    Returns
    -------
    numpy.ndarray
        A view of ``image``.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    transform = check_non_negative_int(transform, "transform")
    if transform > 7:
        raise ValueError(f"transform must be 0..7 (rot90 k = t % 4, flip = t // 4), got {transform!r}")
    if transform >= 4:
        image = image[:, ::-1]
    return np.rot90(image, transform % 4)


def dihedral_pair(source: np.ndarray, target: np.ndarray, transform: int) -> tuple[np.ndarray, np.ndarray]:
    """Apply the same :func:`dihedral` transform to both halves of a pair.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    return dihedral(source, transform), dihedral(target, transform)


@runtime_checkable
class PairTransform(Protocol):
    """What ``PairedPatches(transforms=...)`` accepts: a vectorised draw and a paired apply.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """

    def draw(self, count: int, rng: np.random.Generator) -> Sequence[Any]:
        """One parameter per pair, drawn from the sampler's generator."""

    def __call__(self, source: np.ndarray, target: np.ndarray, parameter: Any) -> tuple[np.ndarray, np.ndarray]:
        """The pair transformed with ``parameter`` (both halves alike)."""


class Dihedral:
    """Random flips and rotations by 90 degrees: one draw per pair, applied to both halves.

    Parameters
    ----------
    choices : sequence of int
        The transforms to draw from, uniformly (default: all 8 of :data:`DIHEDRAL_TRANSFORMS`;
        e.g. ``(0, 4)`` for left-right flips only).

    Notes
    -----
    The default augmentation of :class:`srlib.data.PairedPatches`: natural images have no
    preferred orientation, so each pair is seen in 8 versions. Taught in ``03_srcnn.ipynb``.
    """

    def __init__(self, choices: Sequence[int] = DIHEDRAL_TRANSFORMS) -> None:
        if isinstance(choices, (str, bytes)) or not isinstance(choices, Sequence) or not choices:
            raise ValueError(f"choices must be a non-empty sequence of transforms 0..7, got {choices!r}")
        values = tuple(check_non_negative_int(choice, "every entry of choices") for choice in choices)
        if max(values) > 7:
            raise ValueError(f"choices must be transforms 0..7, got {choices!r}")
        self.choices = values

    def __repr__(self) -> str:
        return "Dihedral()" if self.choices == DIHEDRAL_TRANSFORMS else f"Dihedral(choices={self.choices})"

    def draw(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` transforms drawn uniformly from :attr:`choices`."""
        return np.asarray(self.choices, dtype=np.int64)[rng.integers(0, len(self.choices), size=count)]

    def __call__(self, source: np.ndarray, target: np.ndarray, parameter: int) -> tuple[np.ndarray, np.ndarray]:
        """Both halves transformed by :func:`dihedral` with ``parameter``."""
        return dihedral_pair(source, target, int(parameter))

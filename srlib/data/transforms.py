"""Paired transforms for training patches: one random draw acts on the LR input and the HR target.

A training pair is only useful if its two halves show the same content. These functions
take the pair, never one half:

- :func:`crop_pair` cuts an LR crop at ``(y, x)`` and the HR crop at
  ``(y * scale, x * scale)``: the offset is drawn once, in LR pixels, and scaled;
- :func:`random_crop_offsets` draws such offsets, every valid position equally likely;
- :func:`dihedral` / :func:`dihedral_pair` apply one of the 8 flips and rotations by 90
  degrees (the dihedral group of the square) to an image / to both halves;
- :class:`Dihedral` is the random augmentation :class:`srlib.data.PairedPatches` applies by
  default: it draws one transform per pair and applies it to both halves;
- SR-specific augmentation of Yoo et al. ("Rethinking Data Augmentation for Image
  Super-resolution", CVPR 2020): :class:`CutBlur` and :class:`Blend` per pair, :class:`MixUp`,
  :class:`CutMix` and :class:`CutMixUp` across the pairs of a batch (:class:`BatchTransform`),
  each acting on both halves alike, boxes scaled by the resolution ratio;
- :func:`pair_misalignment` measures what breaks a pair (PSNR, shift, colour offset).

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
           "dihedral_pair", "BatchTransform", "CutBlur", "Blend", "MixUp", "CutMix", "CutMixUp", "pair_misalignment"]

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


# --------------------------------------------------------------------------- SR-specific augmentation
@runtime_checkable
class BatchTransform(Protocol):
    """A paired augmentation that mixes the pairs of a batch (mixup, CutMix): a vectorised draw and a batch apply.

    ``PairedPatches(transforms=...)`` accepts these beside :class:`PairTransform`; they run after
    every pair transform, on the whole batch ``(n, h, w, C)``.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    def draw(self, count: int, rng: np.random.Generator) -> Any:
        """The batch's parameters (partners, weights, boxes), drawn from the sampler's generator."""

    def apply_batch(self, sources: np.ndarray, targets: np.ndarray, parameters: Any
                    ) -> tuple[np.ndarray, np.ndarray]:
        """New ``(sources, targets)``: each pair mixed with its partner in the same way on both halves."""


def _check_probability(value: Any, name: str) -> float:
    from srlib.data.degradations._kernels import _check_probability as check

    return check(value, name)


def _check_alpha(value: Any, name: str, *, at_most_one: bool = False) -> float:
    from srlib._checks import check_positive_number

    alpha = check_positive_number(value, name)
    if at_most_one and alpha > 1:
        raise ValueError(f"{name} must be in (0, 1] (a fraction of the patch side), got {value!r}")
    return alpha


def _box(shape: tuple[int, ...], ratio: float, fraction_y: float, fraction_x: float) -> tuple[int, int, int, int]:
    """``(top, left, height, width)`` of a box of side ``int(ratio * side)`` at uniform fractions of the free range."""
    ratio = min(max(float(ratio), 0.0), 1.0)
    height, width = int(shape[0] * ratio), int(shape[1] * ratio)
    top = min(int(fraction_y * (shape[0] - height + 1)), shape[0] - height)
    left = min(int(fraction_x * (shape[1] - width + 1)), shape[1] - width)
    return top, left, height, width


def _factor(source: np.ndarray, target: np.ndarray, axis: int = 0) -> int:
    """The integer resolution ratio target / source (1 for an HR-size source), or a ValueError."""
    ratio, remainder = divmod(target.shape[axis], source.shape[axis])
    if ratio < 1 or remainder or target.shape[axis + 1] != ratio * source.shape[axis + 1]:
        raise ValueError(f"target of shape {target.shape} is not an integer multiple of source of shape "
                         f"{source.shape}; pass an aligned (input, target) pair")
    return ratio


def _draw_boxes(count: int, rng: np.random.Generator, alpha: float) -> dict[str, np.ndarray]:
    """Yoo et al.'s cut ratio ``alpha + 0.01 N(0, 1)`` and uniform box positions, per pair."""
    return {"ratio": alpha + 0.01 * rng.standard_normal(count), "fraction_y": rng.random(count),
            "fraction_x": rng.random(count)}


class CutBlur:
    """CutBlur (Yoo et al., CVPR 2020): paste the HR box into the upsampled LR input, or the LR box into HR.

    The model learns *where* to super-resolve (the HR region must stay untouched) and *how*
    (the LR region). The target is always the HR patch; only the input changes.

    Parameters
    ----------
    probability : float
        Share of pairs augmented (the paper: 1.0).
    alpha : float
        Box side as a fraction of the patch side, ``alpha + 0.01 N(0, 1)`` (the paper: 0.7).

    Notes
    -----
    Needs an input at HR size: ``PairedPatches(pre_upsample=True)`` (Yoo et al. upsample the LR
    input with bicubic for every model). Taught in
    ``06_degradations_and_augmentation.ipynb``.
    """

    def __init__(self, probability: float = 1.0, alpha: float = 0.7) -> None:
        self.probability = _check_probability(probability, "probability")
        self.alpha = _check_alpha(alpha, "alpha (box side / patch side)", at_most_one=True)

    def __repr__(self) -> str:
        return f"CutBlur(probability={self.probability}, alpha={self.alpha})"

    def draw(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """Per pair ``[apply, ratio, fraction_y, fraction_x, hr_inside]`` (float64 rows)."""
        apply = rng.random(count) < self.probability
        boxes = _draw_boxes(count, rng, self.alpha)
        inside = rng.random(count) > 0.5
        return np.stack([apply, boxes["ratio"], boxes["fraction_y"], boxes["fraction_x"], inside], axis=1)

    def __call__(self, source: np.ndarray, target: np.ndarray, parameter: Sequence[float]
                 ) -> tuple[np.ndarray, np.ndarray]:
        """``hr_inside``: the input with the HR box pasted in; else the HR patch with the input's box pasted in."""
        if source.shape != target.shape:
            raise ValueError(f"CutBlur needs the input at HR size (got input {source.shape}, target {target.shape}): "
                             "build the sampler with pre_upsample=True")
        apply, ratio, fraction_y, fraction_x, inside = (float(value) for value in parameter)
        if not apply:
            return source, target
        top, left, height, width = _box(source.shape, ratio, fraction_y, fraction_x)
        region = (slice(top, top + height), slice(left, left + width))
        result = np.array(source if inside else target, copy=True)
        result[region] = (target if inside else source)[region]
        return result, target


class Blend:
    """Blend both halves towards one random constant colour (Yoo et al.'s "blend"): a linear, aligned change.

    Parameters
    ----------
    probability : float
        Share of pairs augmented (1.0).
    alpha : float
        The image keeps a weight uniform in ``[alpha, 1]`` (the paper: 0.6); the colour is uniform
        in ``[0, 1]`` per channel (the first one for a Y patch).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    def __init__(self, probability: float = 1.0, alpha: float = 0.6) -> None:
        self.probability = _check_probability(probability, "probability")
        self.alpha = _check_alpha(alpha, "alpha (the smallest weight of the image)", at_most_one=True)

    def __repr__(self) -> str:
        return f"Blend(probability={self.probability}, alpha={self.alpha})"

    def draw(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """Per pair ``[apply, weight, colour_r, colour_g, colour_b]``."""
        apply = rng.random(count) < self.probability
        weight = self.alpha + (1.0 - self.alpha) * rng.random(count)
        return np.concatenate([apply[:, None], weight[:, None], rng.random((count, 3))], axis=1)

    def __call__(self, source: np.ndarray, target: np.ndarray, parameter: Sequence[float]
                 ) -> tuple[np.ndarray, np.ndarray]:
        """``weight * image + (1 - weight) * colour`` for both halves."""
        apply, weight = float(parameter[0]), float(parameter[1])
        if not apply:
            return source, target
        colour = np.asarray(parameter[2:5], dtype=np.float64)
        channels = source.shape[2] if source.ndim == 3 else 1
        fill = colour[:channels] if source.ndim == 3 else colour[0]

        def blend(image: np.ndarray) -> np.ndarray:
            return (weight * image + (1.0 - weight) * fill).astype(image.dtype)

        return blend(source), blend(target)


def _partners(count: int, rng: np.random.Generator) -> np.ndarray:
    return rng.permutation(count)


class MixUp:
    """mixup for SR pairs (Yoo et al., CVPR 2020): each pair blended with a partner, one weight for both halves.

    Parameters
    ----------
    probability : float
        Share of pairs augmented (1.0).
    alpha : float
        The weight of the pair is ``Beta(alpha, alpha)`` (the paper: 1.2).

    Notes
    -----
    A :class:`BatchTransform`; the paper draws one weight per batch, srlib one per pair. Taught in
    ``06_degradations_and_augmentation.ipynb``.
    """

    def __init__(self, probability: float = 1.0, alpha: float = 1.2) -> None:
        self.probability = _check_probability(probability, "probability")
        self.alpha = _check_alpha(alpha, "alpha (of the Beta distribution)")

    def __repr__(self) -> str:
        return f"MixUp(probability={self.probability}, alpha={self.alpha})"

    def draw(self, count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """``{"apply", "partner", "weight"}`` arrays of length ``count``."""
        return {"apply": rng.random(count) < self.probability, "partner": _partners(count, rng),
                "weight": rng.beta(self.alpha, self.alpha, count)}

    def apply_batch(self, sources: np.ndarray, targets: np.ndarray, parameters: dict[str, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray]:
        """``w * pair + (1 - w) * partner`` on both halves (``w = 1`` where not applied)."""
        weight = np.where(parameters["apply"], parameters["weight"], 1.0)
        partner = parameters["partner"]
        shape = (-1,) + (1,) * (sources.ndim - 1)
        mixed_sources = weight.reshape(shape) * sources + (1 - weight.reshape(shape)) * sources[partner]
        mixed_targets = weight.reshape(shape) * targets + (1 - weight.reshape(shape)) * targets[partner]
        return mixed_sources.astype(sources.dtype), mixed_targets.astype(targets.dtype)


class CutMix:
    """CutMix for SR pairs (Yoo et al.): a partner's box replaces the same box of both halves, scaled by the scale.

    The box is drawn on the input grid (LR pixels, or HR pixels for a pre-upsampled input) and
    multiplied by the resolution ratio on the target, so the two halves stay aligned.

    Parameters
    ----------
    probability : float
        Share of pairs augmented (1.0).
    alpha : float
        Box side as a fraction of the patch side, ``alpha + 0.01 N(0, 1)`` (the paper: 0.7).

    Notes
    -----
    A :class:`BatchTransform`. Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    def __init__(self, probability: float = 1.0, alpha: float = 0.7) -> None:
        self.probability = _check_probability(probability, "probability")
        self.alpha = _check_alpha(alpha, "alpha (box side / patch side)", at_most_one=True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(probability={self.probability}, alpha={self.alpha})"

    def draw(self, count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """``{"apply", "partner", "ratio", "fraction_y", "fraction_x"}`` arrays of length ``count``."""
        return {"apply": rng.random(count) < self.probability, "partner": _partners(count, rng),
                **_draw_boxes(count, rng, self.alpha)}

    def _regions(self, sources: np.ndarray, targets: np.ndarray, parameters: dict[str, np.ndarray], n: int
                 ) -> tuple[tuple[slice, slice], tuple[slice, slice]]:
        factor = _factor(sources[0], targets[0])
        top, left, height, width = _box(sources.shape[1:], parameters["ratio"][n], parameters["fraction_y"][n],
                                        parameters["fraction_x"][n])
        small = (slice(top, top + height), slice(left, left + width))
        large = (slice(top * factor, (top + height) * factor), slice(left * factor, (left + width) * factor))
        return small, large

    def apply_batch(self, sources: np.ndarray, targets: np.ndarray, parameters: dict[str, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Each applied pair gets its partner's box (source box, and the scaled target box)."""
        out_sources, out_targets = sources.copy(), targets.copy()
        for n in np.flatnonzero(parameters["apply"]):
            small, large = self._regions(sources, targets, parameters, int(n))
            partner = int(parameters["partner"][n])
            out_sources[n][small] = sources[partner][small]
            out_targets[n][large] = targets[partner][large]
        return out_sources, out_targets


class CutMixUp(CutMix):
    """CutMixup (Yoo et al.): CutMix whose box (or, half the time, its outside) holds a mixup with the partner.

    Parameters
    ----------
    probability, alpha :
        As :class:`CutMix` (the paper: 1.0, 0.7).
    mixup_alpha : float
        ``Beta(mixup_alpha, mixup_alpha)`` weight of the pair in the mixed region (the paper: 1.2).

    Notes
    -----
    A :class:`BatchTransform`. Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    def __init__(self, probability: float = 1.0, alpha: float = 0.7, mixup_alpha: float = 1.2) -> None:
        super().__init__(probability, alpha)
        self.mixup_alpha = _check_alpha(mixup_alpha, "mixup_alpha (of the Beta distribution)")

    def draw(self, count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """CutMix's parameters plus ``"weight"`` (Beta) and ``"inside"`` (the mixup goes in the box)."""
        parameters = super().draw(count, rng)
        parameters["weight"] = rng.beta(self.mixup_alpha, self.mixup_alpha, count)
        parameters["inside"] = rng.random(count) > 0.5
        return parameters

    def apply_batch(self, sources: np.ndarray, targets: np.ndarray, parameters: dict[str, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray]:
        """The mixed pair inside the box (or outside it), the pair itself elsewhere, on both halves."""
        out_sources, out_targets = sources.copy(), targets.copy()
        for n in np.flatnonzero(parameters["apply"]):
            small, large = self._regions(sources, targets, parameters, int(n))
            partner, weight = int(parameters["partner"][n]), float(parameters["weight"][n])
            mixed_source = weight * sources[n] + (1 - weight) * sources[partner]
            mixed_target = weight * targets[n] + (1 - weight) * targets[partner]
            if parameters["inside"][n]:
                out_sources[n][small], out_targets[n][large] = mixed_source[small], mixed_target[large]
            else:
                out_sources[n] = mixed_source
                out_targets[n] = mixed_target
                out_sources[n][small], out_targets[n][large] = sources[n][small], targets[n][large]
        return out_sources, out_targets


# --------------------------------------------------------------------------- what breaks a pair
def _luma(image: np.ndarray) -> np.ndarray:
    from srlib.images import rgb_to_y

    return rgb_to_y(image).astype(np.float64) if image.ndim == 3 and image.shape[2] == 3 else \
        (image[..., 0] if image.ndim == 3 else image).astype(np.float64)


def _phase_shift(reference: np.ndarray, moved: np.ndarray, scale: int) -> tuple[float, float, float]:
    """Sub-pixel ``(dy, dx)`` with ``moved[y, x] ~ reference[y + dy, x + dx]`` by phase correlation, and the peak.

    Only frequencies the LR image carries (below 0.8 of its Nyquist frequency, ``0.4 / scale``
    cycles per HR pixel) vote: above them the HR detail has nothing to match in bicubic(LR).
    """
    window = np.outer(np.hanning(reference.shape[0]), np.hanning(reference.shape[1]))
    first = np.fft.fft2((reference - reference.mean()) * window)
    second = np.fft.fft2((moved - moved.mean()) * window)
    cross = first * np.conj(second)
    frequency_y = np.fft.fftfreq(reference.shape[0])[:, None]
    frequency_x = np.fft.fftfreq(reference.shape[1])[None, :]
    band = np.hypot(frequency_y, frequency_x) < 0.4 / scale
    whitened = np.where(band, cross / np.maximum(np.abs(cross), 1e-12), 0.0)
    surface = np.real(np.fft.ifft2(whitened)) * (cross.size / max(int(band.sum()), 1))
    peak_y, peak_x = np.unravel_index(int(np.argmax(surface)), surface.shape)
    offsets = []
    for peak, axis in ((peak_y, 0), (peak_x, 1)):
        size = surface.shape[axis]
        before = surface[(peak - 1) % size, peak_x] if axis == 0 else surface[peak_y, (peak - 1) % size]
        after = surface[(peak + 1) % size, peak_x] if axis == 0 else surface[peak_y, (peak + 1) % size]
        centre = surface[peak_y, peak_x]
        curvature = before - 2 * centre + after
        fraction = 0.5 * (before - after) / curvature if curvature < 0 else 0.0
        position = peak + fraction
        offsets.append(position - size if position > size / 2 else position)
    return float(offsets[0]), float(offsets[1]), float(surface[peak_y, peak_x])


def pair_misalignment(lr: np.ndarray, hr: np.ndarray, scale: int) -> dict[str, Any]:
    """Measure how well an (LR, HR) pair matches: PSNR of bicubic(LR) vs HR, the shift between them, colour offsets.

    A correct pair (HR and its own degraded LR) gives a high PSNR, no shift, no colour offset.
    Each classic mistake shows in one number: a crop not aligned to the scale shifts the HR window
    (``shift``); colour jitter on one half moves ``mean_difference``; a rotation that is not a
    multiple of 90 degrees (or a different transform on each half) drops ``correlation`` and
    ``psnr`` without a shift.

    Parameters
    ----------
    lr : numpy.ndarray
        LR image ``(h, w)``, ``(h, w, 1)`` or ``(h, w, 3)``, ``uint8`` or float in ``[0, 1]``.
    hr : numpy.ndarray
        HR image of ``scale`` times the LR size, same channels (any of the two dtypes).
    scale : int
        The factor between them.

    Returns
    -------
    dict
        ``psnr`` (dB, Y channel, border = scale: the protocol), ``shift`` ``(dy, dx)`` in HR pixels
        (phase correlation of the Y channels: the HR content sits at ``bicubic(lr)[y + dy, x + dx]``),
        ``correlation`` (Pearson's r of the Y channels inside the border), ``peak`` (height of the
        phase-correlation peak: near 1 for a pure shift, low when no shift explains the pair), ``mean_difference``
        (per channel, ``mean(hr - bicubic(lr))`` in grey levels 0..255; one value for grey).

    Raises
    ------
    ValueError
        Sizes that are not ``scale`` apart, mismatched channels, a bad scale, images too small.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    from srlib.images import to_float
    from srlib.metrics import psnr
    from srlib.resize import imresize

    scale = check_scale(scale)
    floats = []
    for image, label in ((lr, "lr"), (hr, "hr")):
        array = np.asarray(image)
        if array.dtype == np.uint8:
            array = to_float(array)
        elif not np.issubdtype(array.dtype, np.floating):
            raise ValueError(f"{label} must be uint8 or float in [0, 1], got dtype {array.dtype}")
        if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3)):
            raise ValueError(f"{label} must be (H, W), (H, W, 1) or (H, W, 3), got shape {array.shape}")
        floats.append(array.astype(np.float64))
    low, high = floats
    if high.shape[:2] != (low.shape[0] * scale, low.shape[1] * scale) or high.shape[2:] != low.shape[2:]:
        raise ValueError(f"hr of shape {hr.shape} must be scale {scale} times lr of shape {lr.shape} with the same "
                         "channels; crop the HR at (y * scale, x * scale) with srlib.data.crop_pair")
    if min(low.shape[:2]) < 4:
        raise ValueError(f"lr of shape {lr.shape} is too small to measure; use patches of at least 4 LR pixels")
    up = imresize(low, float(scale))
    up_y, high_y = _luma(np.clip(up, 0, 1)), _luma(high)
    inner = (slice(scale, -scale), slice(scale, -scale))
    dy, dx, peak = _phase_shift(up_y[inner], high_y[inner], scale)
    a, b = up_y[inner].ravel(), high_y[inner].ravel()
    spread = float(a.std() * b.std())
    correlation = float(((a - a.mean()) * (b - b.mean())).mean() / spread) if spread > 0 else float("nan")
    difference = (high - up) * 255.0
    channels = difference.shape[2] if difference.ndim == 3 else 1
    mean_difference = difference.reshape(-1, channels).mean(axis=0).tolist()
    score = psnr(high_y, up_y, border=scale, channel="y", data_range=1.0)
    return {"psnr": float(score), "shift": (dy, dx), "correlation": correlation, "peak": peak,
            "mean_difference": mean_difference}

"""Random degradation pipelines: classical, Real-ESRGAN's second-order model and BSRGAN's shuffle.

A degradation is a small frozen dataclass (its configuration: the ranges it draws from),
callable as ``degradation(hr, scale, rng) -> lr``. A call is two steps, both public:

1. :meth:`RandomDegradation.draw` ``(rng, shape, scale)`` returns the *plan*, a tuple of small
   JSON-able dicts (``{"op": "blur", "kernel": {...}}``, ``{"op": "resize", "size": [h, w],
   "method": ...}``, ``{"op": "jpeg", "quality": 57}``, ...): every random parameter, in order;
2. :meth:`RandomDegradation.apply` ``(hr, scale, plan, rng)`` runs it, drawing only the noise
   values from ``rng``.

So a lesson can print what was drawn, a benchmark can store the plan of each image, and the same
seed gives the same image on every machine: NumPy's ``Generator`` streams are portable, all
arithmetic is ``float64`` and quantisation happens only where the papers quantise (before each
JPEG and at the end). JPEG goes through Pillow's libjpeg: a different libjpeg build can change
compressed pixels by a level.

:class:`srlib.data.PairedPatches` recognises a :class:`RandomDegradation` and degrades every
sample's HR patch with its own generator (derived from the sampler's seed), uncached.
"""
from __future__ import annotations

import abc
import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from srlib._checks import check_non_negative_int, check_positive_int, check_rng, check_scale, to_jsonable
from srlib.data.degradations._basic import (_check_uint8_image, _to_uint8_levels, degrade, gaussian_noise_levels,
                                            make_lr)
from srlib.data.degradations._kernels import (KERNEL_KINDS, KERNEL_PROBABILITIES, KERNEL_SIZES, _check_probabilities,
                                              _check_probability, _check_range, _check_sizes, convolve_levels,
                                              draw_kernel_spec, draw_sinc_spec, make_kernel)
from srlib.data.degradations._ops import (RESIZE_METHODS, _check_methods, check_factor_range, draw_gaussian_noise,
                                          draw_jpeg, draw_poisson_noise, draw_resize, jpeg_levels,
                                          poisson_noise_levels, resize_levels)
from srlib.images import modcrop

__all__ = ["RandomDegradation", "ClassicalDegradation", "RealESRGANDegradation", "BSRGANDegradation",
           "DEGRADATION_NAMES", "get_degradation", "apply_plan", "degradation_speed"]

#: Names :func:`get_degradation` knows (``"bicubic"`` is the clean protocol, :func:`srlib.data.make_lr`).
DEGRADATION_NAMES: tuple[str, ...] = ("bicubic", "classical", "realesrgan", "bsrgan")

_OPS = ("blur", "gaussian_blur", "downscale", "resize", "gaussian_noise", "poisson_noise", "clip", "jpeg",
        "subsample")


def _generator(rng: Any) -> np.random.Generator:
    """A Generator, or a non-negative int seed for a fresh one; ``None`` refused (no unseeded default)."""
    if rng is None:
        raise ValueError("a random degradation needs rng: a numpy.random.Generator (np.random.default_rng(seed)) "
                         "or an integer seed; the same seed gives the same LR image")
    if isinstance(rng, np.random.Generator):
        return rng
    return check_rng(None, rng)


# --------------------------------------------------------------------------- the interpreter
def apply_plan(hr: np.ndarray, scale: int, plan: Sequence[Mapping[str, Any]], rng: np.random.Generator
               ) -> np.ndarray:
    """Run a plan (see :meth:`RandomDegradation.draw`) on a ``uint8`` HR image; noise values come from ``rng``.

    Parameters
    ----------
    hr : numpy.ndarray
        ``uint8`` ``(H, W)`` or ``(H, W, 3)``, cropped to a multiple of ``scale`` here.
    scale : int
        The plan's scale (its final size is ``(H // scale, W // scale)``).
    plan : sequence of dict
        Steps with ``"op"`` in ``blur`` (``kernel``: a :func:`srlib.data.make_kernel` spec),
        ``gaussian_blur`` (``sigma``), ``downscale`` (:func:`srlib.data.make_lr` by ``scale``, on the
        image rounded to ``uint8``), ``resize``
        (``size``, ``method``, optional ``antialias``), ``gaussian_noise`` (``sigma``, ``grey``,
        optional ``channel_mixing`` 3 x 3), ``poisson_noise`` (``scale``, ``grey``), ``clip``,
        ``jpeg`` (``quality``), ``subsample`` (``step``).
    rng : numpy.random.Generator
        Draws the noise values.

    Returns
    -------
    numpy.ndarray
        ``uint8`` LR image (rounded half away from zero, clipped).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    scale = check_scale(scale, minimum=1)
    hr = modcrop(_check_uint8_image(hr, "hr"), scale)
    generator = _generator(rng)
    levels = hr.astype(np.float64)
    for step in plan:
        if not isinstance(step, Mapping) or step.get("op") not in _OPS:
            raise ValueError(f"every plan step must be a dict with 'op' one of {_OPS}, got {step!r}")
        levels = _apply_step(levels, step, scale, generator)
    expected = (hr.shape[0] // scale, hr.shape[1] // scale)
    if levels.shape[:2] != expected:
        raise ValueError(f"the plan ends at size {levels.shape[:2]}, not the LR size {expected} of an HR image of "
                         f"shape {hr.shape} at scale {scale}; draw the plan for this shape and scale")
    return _to_uint8_levels(levels)


def _apply_step(levels: np.ndarray, step: Mapping[str, Any], scale: int, rng: np.random.Generator) -> np.ndarray:
    op = step["op"]
    if op == "blur":
        return convolve_levels(levels, make_kernel(step["kernel"]))
    if op == "gaussian_blur":  # degrade()'s blur on levels (scipy, edge-repeating 'reflect' border)
        from scipy.ndimage import gaussian_filter

        sigmas = (step["sigma"],) * 2 + (0,) * (levels.ndim - 2)
        return gaussian_filter(levels, sigmas, mode="reflect") if step["sigma"] > 0 else levels
    if op == "downscale":  # the protocol's LR, srlib.data.make_lr, of the image rounded to uint8
        return make_lr(_to_uint8_levels(levels), scale).astype(np.float64) if scale > 1 else levels
    if op == "resize":
        return resize_levels(levels, step["size"], step["method"], step.get("antialias"))
    if op == "gaussian_noise":
        mixing = step.get("channel_mixing")
        if mixing is None:
            return levels + gaussian_noise_levels(levels.shape, float(step["sigma"]), bool(step["grey"]), rng)
        matrix = np.asarray(mixing, dtype=np.float64)
        if levels.ndim == 3 and levels.shape[2] == 3:
            return levels + rng.standard_normal(levels.shape) @ matrix
        return levels + rng.standard_normal(levels.shape) * float(np.linalg.norm(matrix[:, 0]))
    if op == "poisson_noise":
        return levels + poisson_noise_levels(levels, float(step["scale"]), bool(step["grey"]), rng)
    if op == "clip":
        return np.clip(levels, 0.0, 255.0)
    if op == "jpeg":
        return jpeg_levels(levels, int(step["quality"]))
    return levels[::int(step["step"]), ::int(step["step"])]  # subsample


# --------------------------------------------------------------------------- the base class
class RandomDegradation(abc.ABC):
    """A random degradation: ``degradation(hr, scale, rng) -> lr``, a new LR image for every draw.

    Subclasses are frozen dataclasses holding the ranges; they implement :meth:`draw` and may
    override :meth:`apply` (the default runs the plan with :func:`apply_plan`).
    :class:`srlib.data.PairedPatches` gives every sample its own ``rng`` (from the sampler's seed).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    #: The short name (as in :data:`DEGRADATION_NAMES`).
    name: ClassVar[str] = "random"

    @abc.abstractmethod
    def draw(self, rng: np.random.Generator, shape: Sequence[int], scale: int) -> tuple[dict[str, Any], ...]:
        """The plan for an HR image of ``shape`` (modcropped) at ``scale``: every random parameter, in order."""

    def apply(self, hr: np.ndarray, scale: int, plan: Sequence[Mapping[str, Any]],
              rng: np.random.Generator) -> np.ndarray:
        """Run ``plan`` on ``hr`` (the noise values come from ``rng``): :func:`apply_plan`."""
        return apply_plan(hr, scale, plan, rng)

    def __call__(self, hr: np.ndarray, scale: int, rng: np.random.Generator | int) -> np.ndarray:
        """The LR image: ``apply(hr, scale, draw(rng, shape, scale), rng)``.

        ``hr`` is ``uint8`` ``(H, W[, 3])`` (cropped to a multiple of ``scale``); ``rng`` a
        Generator or an int seed. Returns ``uint8`` of ``(H // scale, W // scale[, 3])``.
        """
        scale = check_scale(scale, minimum=1)
        hr = modcrop(_check_uint8_image(hr, "hr"), scale)
        generator = _generator(rng)
        return self.apply(hr, scale, self.draw(generator, hr.shape, scale), generator)

    def as_dict(self) -> dict[str, Any]:
        """``{"name": ..., **fields}``, JSON-able (for model cards and run logs)."""
        fields = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}  # type: ignore[arg-type]
        return to_jsonable({"name": self.name, **fields})


def _set(instance: Any, name: str, value: Any) -> None:
    object.__setattr__(instance, name, value)


def _optional_range(instance: Any, name: str, **options: Any) -> None:
    value = getattr(instance, name)
    if value is not None:
        _set(instance, name, _check_range(value, name, **options))


# --------------------------------------------------------------------------- classical
@dataclasses.dataclass(frozen=True)
class ClassicalDegradation(RandomDegradation):
    """The classical chain with random strengths: Gaussian blur -> MATLAB bicubic downscaling -> noise -> JPEG.

    :func:`srlib.data.degrade` with parameters drawn uniformly from the ranges (``None`` skips a
    step); with every range ``None`` it is the clean protocol, :func:`srlib.data.make_lr`.

    Parameters
    ----------
    blur_sigma : (float, float) or None
        Gaussian blur of the HR image, pixels (default ``(0.2, 3.0)``, Real-ESRGAN's first-round
        range for its isotropic kernels).
    noise_sigma : (float, float) or None
        Gaussian colour noise on the LR image, grey levels (default ``(1, 30)``, Real-ESRGAN's).
    jpeg_quality : (int, int) or None
        JPEG quality, integers inclusive (default ``(30, 95)``, Real-ESRGAN's and BSRGAN's).

    Notes
    -----
    The "first-order" model of the SR literature (Wang et al., ICCVW 2021, Eq. 1). Taught in
    ``06_degradations_and_augmentation.ipynb``.
    """

    blur_sigma: tuple[float, float] | None = (0.2, 3.0)
    noise_sigma: tuple[float, float] | None = (1.0, 30.0)
    jpeg_quality: tuple[int, int] | None = (30, 95)
    name: ClassVar[str] = "classical"

    def __post_init__(self) -> None:
        _optional_range(self, "blur_sigma")
        _optional_range(self, "noise_sigma")
        _optional_range(self, "jpeg_quality", low=1, high=100, integer=True)

    def draw(self, rng: np.random.Generator, shape: Sequence[int], scale: int) -> tuple[dict[str, Any], ...]:
        """``gaussian_blur`` (sigma), ``downscale``, ``gaussian_noise`` (sigma), ``jpeg`` (quality)."""
        rng = _generator(rng)
        steps: list[dict[str, Any]] = []
        if self.blur_sigma is not None:
            low, high = self.blur_sigma
            steps.append({"op": "gaussian_blur", "sigma": float(low + (high - low) * rng.random())})
        steps.append({"op": "downscale", "scale": int(scale)})
        if self.noise_sigma is not None:
            steps.append(draw_gaussian_noise(rng, sigma_range=self.noise_sigma, grey_probability=0.0))
        if self.jpeg_quality is not None:
            steps.append(draw_jpeg(rng, quality_range=self.jpeg_quality))
        return tuple(steps)

    def apply(self, hr: np.ndarray, scale: int, plan: Sequence[Mapping[str, Any]],
              rng: np.random.Generator) -> np.ndarray:
        """:func:`srlib.data.degrade` with the plan's parameters (it quantises after every step)."""
        values = {step["op"]: step for step in plan}
        scale = check_scale(scale, minimum=1)
        hr = modcrop(_check_uint8_image(hr, "hr"), scale)
        return degrade(hr, scale, blur_sigma=values.get("gaussian_blur", {}).get("sigma", 0.0),
                       noise_sigma=values.get("gaussian_noise", {}).get("sigma", 0.0),
                       jpeg_quality=values.get("jpeg", {}).get("quality"), rng=_generator(rng))


# --------------------------------------------------------------------------- Real-ESRGAN
@dataclasses.dataclass(frozen=True)
class RealESRGANDegradation(RandomDegradation):
    """Real-ESRGAN's second-order degradation: two rounds of blur -> resize -> noise -> JPEG, then a final
    resize + sinc filter and JPEG in random order.

    The defaults are the published settings (Wang et al., "Real-ESRGAN: Training Real-World Blind
    Super-Resolution with Pure Synthetic Data", ICCVW 2021, Sec. 3-4; the official options file
    ``train_realesrgan_x4plus.yml``). Fields ending in ``2`` configure the second round.

    Parameters
    ----------
    kernel_sizes : sequence of int
        Odd blur kernel sides, uniform (7..21; every kernel is zero-padded to 21).
    kernel_kinds, kernel_probabilities :
        Kernel families and their probabilities (:data:`srlib.data.KERNEL_KINDS`,
        ``(0.45, 0.25, 0.12, 0.03, 0.12, 0.03)``), both rounds.
    sinc_probability, sinc_probability2 : float
        A sinc kernel instead of the blur (0.1, 0.1).
    blur_sigma, blur_sigma2 : (float, float)
        ``(0.2, 3)`` and ``(0.2, 1.5)`` pixels.
    generalized_beta, plateau_beta : (float, float)
        ``(0.5, 4)`` and ``(1, 2)``, both rounds.
    second_blur_probability : float
        The second round blurs with probability 0.8.
    resize_probabilities, resize_probabilities2 : (float, float, float)
        Up / down / keep: ``(0.2, 0.7, 0.1)`` and ``(0.3, 0.4, 0.3)``.
    resize_range, resize_range2 : (float, float)
        ``(0.15, 1.5)`` (of the HR size) and ``(0.3, 1.2)`` (of the final LR size).
    resize_methods : sequence of str
        ``("area", "bilinear", "bicubic")``, uniform.
    gaussian_noise_probability, gaussian_noise_probability2 : float
        Gaussian (else Poisson) noise: 0.5, 0.5.
    noise_sigma, noise_sigma2 : (float, float)
        ``(1, 30)`` and ``(1, 25)`` grey levels.
    poisson_scale, poisson_scale2 : (float, float)
        ``(0.05, 3)`` and ``(0.05, 2.5)``.
    grey_noise_probability, grey_noise_probability2 : float
        0.4, 0.4.
    jpeg_quality, jpeg_quality2 : (int, int)
        ``(30, 95)``, ``(30, 95)``.
    final_sinc_probability : float
        The final sinc filter (cut-off uniform in ``(pi / 3, pi)``) with probability 0.8, else none.

    Notes
    -----
    Not reproduced: the unsharp masking of the HR targets (a choice about the target, not the
    degradation) and the differentiable JPEG (Pillow's JPEG at an integer quality instead).
    The whole chain runs on the given HR image, as Real-ESRGAN runs it on each training crop.
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    kernel_sizes: tuple[int, ...] = KERNEL_SIZES
    kernel_kinds: tuple[str, ...] = KERNEL_KINDS
    kernel_probabilities: tuple[float, ...] = KERNEL_PROBABILITIES
    sinc_probability: float = 0.1
    blur_sigma: tuple[float, float] = (0.2, 3.0)
    generalized_beta: tuple[float, float] = (0.5, 4.0)
    plateau_beta: tuple[float, float] = (1.0, 2.0)
    resize_probabilities: tuple[float, float, float] = (0.2, 0.7, 0.1)
    resize_range: tuple[float, float] = (0.15, 1.5)
    gaussian_noise_probability: float = 0.5
    noise_sigma: tuple[float, float] = (1.0, 30.0)
    poisson_scale: tuple[float, float] = (0.05, 3.0)
    grey_noise_probability: float = 0.4
    jpeg_quality: tuple[int, int] = (30, 95)
    second_blur_probability: float = 0.8
    sinc_probability2: float = 0.1
    blur_sigma2: tuple[float, float] = (0.2, 1.5)
    resize_probabilities2: tuple[float, float, float] = (0.3, 0.4, 0.3)
    resize_range2: tuple[float, float] = (0.3, 1.2)
    gaussian_noise_probability2: float = 0.5
    noise_sigma2: tuple[float, float] = (1.0, 25.0)
    poisson_scale2: tuple[float, float] = (0.05, 2.5)
    grey_noise_probability2: float = 0.4
    jpeg_quality2: tuple[int, int] = (30, 95)
    final_sinc_probability: float = 0.8
    resize_methods: tuple[str, ...] = RESIZE_METHODS
    name: ClassVar[str] = "realesrgan"

    def __post_init__(self) -> None:
        _set(self, "kernel_sizes", _check_sizes(self.kernel_sizes, "kernel_sizes"))
        if isinstance(self.kernel_kinds, str) or not isinstance(self.kernel_kinds, Sequence) \
                or not self.kernel_kinds or any(kind not in KERNEL_KINDS for kind in self.kernel_kinds):
            raise ValueError(f"kernel_kinds must be a non-empty sequence of {KERNEL_KINDS}, got {self.kernel_kinds!r}")
        _set(self, "kernel_kinds", tuple(self.kernel_kinds))
        _set(self, "kernel_probabilities", _check_probabilities(self.kernel_probabilities, len(self.kernel_kinds),
                                                                "kernel_probabilities"))
        for name in ("sinc_probability", "sinc_probability2", "gaussian_noise_probability",
                     "gaussian_noise_probability2", "grey_noise_probability", "grey_noise_probability2",
                     "second_blur_probability", "final_sinc_probability"):
            _set(self, name, _check_probability(getattr(self, name), name))
        for name in ("blur_sigma", "blur_sigma2", "generalized_beta", "plateau_beta"):
            _set(self, name, _check_range(getattr(self, name), name, allow_low=False))
        for name in ("noise_sigma", "noise_sigma2", "poisson_scale", "poisson_scale2"):
            _set(self, name, _check_range(getattr(self, name), name))
        for name in ("jpeg_quality", "jpeg_quality2"):
            _set(self, name, _check_range(getattr(self, name), name, low=1, high=100, integer=True))
        for name in ("resize_range", "resize_range2"):
            _set(self, name, check_factor_range(getattr(self, name), name))
        for name in ("resize_probabilities", "resize_probabilities2"):
            _set(self, name, _check_probabilities(getattr(self, name), 3, f"{name} (up, down, keep)"))
        _set(self, "resize_methods", _check_methods(self.resize_methods))

    def _kernel(self, rng: np.random.Generator, second: bool) -> dict[str, Any]:
        return {"op": "blur", "kernel": draw_kernel_spec(
            rng, sizes=self.kernel_sizes, kinds=self.kernel_kinds, probabilities=self.kernel_probabilities,
            sigma_range=self.blur_sigma2 if second else self.blur_sigma, generalized_beta_range=self.generalized_beta,
            plateau_beta_range=self.plateau_beta,
            sinc_probability=self.sinc_probability2 if second else self.sinc_probability, pad_to=21)}

    def _noise(self, rng: np.random.Generator, second: bool) -> dict[str, Any]:
        gaussian = self.gaussian_noise_probability2 if second else self.gaussian_noise_probability
        grey = self.grey_noise_probability2 if second else self.grey_noise_probability
        if rng.random() < gaussian:
            return draw_gaussian_noise(rng, sigma_range=self.noise_sigma2 if second else self.noise_sigma,
                                       grey_probability=grey)
        return draw_poisson_noise(rng, scale_range=self.poisson_scale2 if second else self.poisson_scale,
                                  grey_probability=grey)

    def draw(self, rng: np.random.Generator, shape: Sequence[int], scale: int) -> tuple[dict[str, Any], ...]:
        """blur, resize, noise, clip, jpeg; [blur], resize, noise; then (resize, sinc, clip, jpeg) or
        (clip, jpeg, resize, sinc)."""
        rng = _generator(rng)
        scale = check_scale(scale, minimum=1)
        height, width = int(shape[0]) // scale * scale, int(shape[1]) // scale * scale
        lr_size = (height // scale, width // scale)
        steps: list[dict[str, Any]] = [self._kernel(rng, second=False)]
        first = draw_resize(rng, (height, width), factor_range=self.resize_range,
                            probabilities=self.resize_probabilities, methods=self.resize_methods)
        steps += [first, self._noise(rng, second=False), {"op": "clip"},
                  draw_jpeg(rng, quality_range=self.jpeg_quality)]
        if rng.random() < self.second_blur_probability:
            steps.append(self._kernel(rng, second=True))
        steps += [draw_resize(rng, first["size"], factor_range=self.resize_range2,
                              probabilities=self.resize_probabilities2, methods=self.resize_methods,
                              reference=lr_size),
                  self._noise(rng, second=True)]
        if rng.random() < self.final_sinc_probability:
            sinc = draw_sinc_spec(rng, self.kernel_sizes, cutoff_range=(math.pi / 3, math.pi), pad_to=21)
        else:
            sinc = {"shape": "delta"}
        back = {"op": "resize", "size": list(lr_size),
                "method": self.resize_methods[int(rng.integers(len(self.resize_methods)))]}
        compress = [{"op": "clip"}, draw_jpeg(rng, quality_range=self.jpeg_quality2)]
        resize_and_sinc = [back, {"op": "blur", "kernel": sinc}]
        steps += resize_and_sinc + compress if rng.random() < 0.5 else compress + resize_and_sinc
        return tuple(steps)


# --------------------------------------------------------------------------- BSRGAN
def _orthonormal(matrix: np.ndarray) -> np.ndarray:
    """Gram-Schmidt on the columns (plain float64 arithmetic: the same bits on every machine)."""
    columns: list[np.ndarray] = []
    for column in matrix.T:
        vector = column.copy()
        for basis in columns:
            vector = vector - float(vector @ basis) * basis
        columns.append(vector / math.sqrt(float(vector @ vector)))
    return np.stack(columns, axis=1)


@dataclasses.dataclass(frozen=True)
class BSRGANDegradation(RandomDegradation):
    """BSRGAN's degradation: blur twice, downsample, noise and JPEG in a random order, then JPEG.

    Zhang et al., "Designing a Practical Degradation Model for Deep Blind Image Super-Resolution",
    ICCV 2021 (Sec. 3, and its code's ``degradation_bsrgan``): the seven steps blur, blur,
    downsample (random resize, or a shifted-Gaussian blur and nearest subsampling), the final
    downsample to the LR size, Gaussian noise, JPEG and camera-sensor noise are shuffled (the
    final downsample stays after the first), and a last JPEG follows.

    Parameters
    ----------
    noise_level : (int, int)
        Gaussian noise level, integers inclusive, grey levels (2, 25): colour noise with
        probability 0.4, grey 0.4, channel-correlated 0.2 (covariance ``L**2 U^T D U`` with
        ``L`` the top level, ``D`` uniform diagonal, ``U`` a random rotation).
    jpeg_quality : (int, int)
        (30, 95), integers inclusive, for both JPEG steps.
    jpeg_probability : float
        The shuffled JPEG step happens with probability 0.9.
    halve_probability : float
        At scale 4, first halve the image with probability 0.25 and continue at scale 2.
    kernel_sizes : sequence of int
        Odd blur kernel sides, uniform (7..25).
    resize_methods : sequence of str
        ``("area", "bilinear", "bicubic")`` (OpenCV's area, linear, cubic).

    Notes
    -----
    Blur (the code's ``add_blur`` at the current scale factor ``s``): with probability 1/2 an
    anisotropic Gaussian with variances uniform in ``[0, 4 + s)`` and angle in ``[0, pi)``, else
    an isotropic one with sigma uniform in ``[0, 2 + 0.2 s)``; sigmas below 0.1 pixel are raised
    to 0.1 (a delta to within 1e-21; the code's sigma 0 divides by zero). The shifted-kernel
    downsampling uses a 25-pixel Gaussian of sigma in ``[0.1, 0.6 s)``. Not reproduced: the
    camera-sensor (ISP) noise, which needs the authors' trained ISP model; the correlated
    noise uses the covariance itself where the code takes its element-wise absolute value.
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """

    noise_level: tuple[int, int] = (2, 25)
    jpeg_quality: tuple[int, int] = (30, 95)
    jpeg_probability: float = 0.9
    halve_probability: float = 0.25
    kernel_sizes: tuple[int, ...] = tuple(range(7, 26, 2))
    resize_methods: tuple[str, ...] = RESIZE_METHODS
    name: ClassVar[str] = "bsrgan"

    def __post_init__(self) -> None:
        _set(self, "noise_level", _check_range(self.noise_level, "noise_level", integer=True))
        _set(self, "jpeg_quality", _check_range(self.jpeg_quality, "jpeg_quality", low=1, high=100, integer=True))
        for name in ("jpeg_probability", "halve_probability"):
            _set(self, name, _check_probability(getattr(self, name), name))
        _set(self, "kernel_sizes", _check_sizes(self.kernel_sizes, "kernel_sizes"))
        _set(self, "resize_methods", _check_methods(self.resize_methods))

    def _method(self, rng: np.random.Generator) -> str:
        return self.resize_methods[int(rng.integers(len(self.resize_methods)))]

    def _blur(self, rng: np.random.Generator, factor: int) -> dict[str, Any]:
        size = int(self.kernel_sizes[int(rng.integers(len(self.kernel_sizes)))])
        if rng.random() < 0.5:
            width = 4.0 + factor
            sigma_x, sigma_y = (max(math.sqrt(width * rng.random()), 0.1) for _ in range(2))
            spec = {"shape": "gaussian", "size": size, "sigma_x": sigma_x, "sigma_y": sigma_y,
                    "angle": math.pi * rng.random()}
        else:
            sigma = max((2.0 + 0.2 * factor) * rng.random(), 0.1)
            spec = {"shape": "gaussian", "size": size, "sigma_x": sigma, "sigma_y": sigma, "angle": 0.0}
        return {"op": "blur", "kernel": spec}

    def _noise(self, rng: np.random.Generator) -> dict[str, Any]:
        low, high = self.noise_level
        level = int(rng.integers(low, high + 1))
        branch = rng.random()
        if branch > 0.6:
            return {"op": "gaussian_noise", "sigma": float(level), "grey": False}
        if branch < 0.4:
            return {"op": "gaussian_noise", "sigma": float(level), "grey": True}
        diagonal = rng.random(3)
        rotation = _orthonormal(rng.random((3, 3)))
        mixing = float(high) * np.sqrt(diagonal)[:, None] * rotation  # noise = z @ mixing: covariance U^T D U
        return {"op": "gaussian_noise", "sigma": float(high), "grey": False, "channel_mixing": mixing.tolist()}

    def draw(self, rng: np.random.Generator, shape: Sequence[int], scale: int) -> tuple[dict[str, Any], ...]:
        """The shuffled steps (see the class notes), each with its drawn parameters."""
        rng = _generator(rng)
        scale = check_scale(scale, minimum=1)
        height, width = int(shape[0]) // scale * scale, int(shape[1]) // scale * scale
        factor = scale
        steps: list[dict[str, Any]] = []
        if scale == 4 and rng.random() < self.halve_probability:
            size = [height // 2, width // 2]
            if rng.random() < 0.5:
                steps.append({"op": "resize", "size": size, "method": self._method(rng)})
            else:
                steps.append({"op": "resize", "size": size, "method": "bicubic", "antialias": True})
            steps.append({"op": "clip"})
            height, width, factor = height // 2, width // 2, 2
        order = [int(step) for step in rng.permutation(7)]
        first, final = order.index(2), order.index(3)
        if first > final:
            order[first], order[final] = order[final], order[first]
        current = (height, width)
        for step in order:
            if step in (0, 1):
                steps.append(self._blur(rng, factor))
            elif step == 2:
                if rng.random() < 0.75:
                    shrink = float(1.0 + (2.0 * factor - 1.0) * rng.random())
                    current = (max(1, int(current[0] / shrink)), max(1, int(current[1] / shrink)))
                    steps.append({"op": "resize", "size": list(current), "method": self._method(rng),
                                  "factor": 1.0 / shrink})
                else:
                    sigma = float(0.1 + (0.6 * factor - 0.1) * rng.random())
                    steps.append({"op": "blur", "kernel": {"shape": "gaussian", "size": 25, "sigma_x": sigma,
                                                           "sigma_y": sigma, "angle": 0.0,
                                                           "offset": (factor - 1) / 2}})
                    steps.append({"op": "subsample", "step": factor})
                    current = (-(-current[0] // factor), -(-current[1] // factor))
                steps.append({"op": "clip"})
            elif step == 3:
                current = (height // factor, width // factor)
                steps += [{"op": "resize", "size": list(current), "method": self._method(rng)}, {"op": "clip"}]
            elif step == 4:
                steps += [self._noise(rng), {"op": "clip"}]
            elif step == 5:
                if rng.random() < self.jpeg_probability:
                    steps.append(draw_jpeg(rng, quality_range=self.jpeg_quality))
            # step 6: camera-sensor (ISP) noise, not reproduced (needs the authors' ISP model)
        steps.append(draw_jpeg(rng, quality_range=self.jpeg_quality))
        return tuple(steps)


# --------------------------------------------------------------------------- by name
def get_degradation(name: str) -> Any:
    """The degradation called ``name``: ``"bicubic"`` (:func:`srlib.data.make_lr`) or a default pipeline.

    Parameters
    ----------
    name : str
        One of :data:`DEGRADATION_NAMES` (what a ``--degradation`` option accepts).

    Returns
    -------
    callable
        :func:`srlib.data.make_lr` or a :class:`RandomDegradation` with the published defaults.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    if name == "bicubic":
        return make_lr
    pipelines = {"classical": ClassicalDegradation, "realesrgan": RealESRGANDegradation, "bsrgan": BSRGANDegradation}
    if name not in pipelines:
        raise ValueError(f"unknown degradation {name!r}; choose one of {DEGRADATION_NAMES}")
    return pipelines[name]()


# --------------------------------------------------------------------------- speed
def _speed_patches(count: int, size: int, seed: int) -> list[np.ndarray]:
    """``count`` textured ``uint8`` RGB patches (smooth colour + detail), deterministic."""
    from srlib.resize import imresize

    rng = np.random.default_rng(seed)
    patches = []
    for _ in range(count):
        coarse = imresize(rng.random((size // 8 + 2, size // 8 + 2, 3)), output_shape=(size, size))
        detail = 0.15 * rng.standard_normal((size, size, 1))
        patches.append(_to_uint8_levels(255.0 * np.clip(0.8 * coarse + detail + 0.1, 0, 1)))
    return patches


def degradation_speed(degradations: Mapping[str, Any] | None = None, *, scale: int = 4, hr_size: int = 96,
                      count: int = 40, seed: int = 0) -> dict[str, dict[str, float]]:
    """Patches per second of each degradation on ``hr_size``-pixel HR patches, one thread.

    Parameters
    ----------
    degradations : mapping, optional
        ``{name: degradation}`` (default: every name of :data:`DEGRADATION_NAMES`).
    scale : int
        Scale factor (default 4: 96-pixel HR patches give 24-pixel LR patches).
    hr_size : int
        Side of the HR patches.
    count : int
        Timed patches per degradation (after one untimed warm-up patch).
    seed : int
        Seed of the patches and of the degradations' draws.

    Returns
    -------
    dict
        ``{name: {"patches_per_s", "ms_per_patch", "hr_size", "scale", "count"}}``.

    Notes
    -----
    The degradation alone (no crop, colour conversion or augmentation: see
    :func:`srlib.data.patches_per_second` for the whole sampler). Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    scale = check_scale(scale)
    hr_size = check_positive_int(hr_size, "hr_size")
    if hr_size < scale:
        raise ValueError(f"hr_size ({hr_size}) must be at least the scale ({scale})")
    count = check_positive_int(count, "count")
    seed = check_non_negative_int(seed, "seed")
    chosen = degradations if degradations is not None else {name: get_degradation(name) for name in DEGRADATION_NAMES}
    patches = _speed_patches(count + 1, hr_size, seed)
    results: dict[str, dict[str, float]] = {}
    for name, degradation in chosen.items():
        random = isinstance(degradation, RandomDegradation)

        def run(index: int) -> np.ndarray:
            patch = patches[index]
            if random:
                return degradation(patch, scale, np.random.default_rng([seed, index]))
            return degradation(patch, scale)

        run(count)  # warm-up (imports, caches)
        begin = time.perf_counter()
        for index in range(count):
            run(index)
        seconds = time.perf_counter() - begin
        results[name] = {"patches_per_s": count / seconds, "ms_per_patch": 1000.0 * seconds / count,
                         "hr_size": float(hr_size), "scale": float(scale), "count": float(count)}
    return results


"""Exercises of ``06_degradations_and_augmentation.ipynb``: a blur kernel, an aligned crop, JPEG blockiness.

Use in the notebook::

    from srlib.exercises import lesson06 as ex
    def anisotropic_gaussian(size, sigma_x, sigma_y, angle):
        ...
    ex.q1.check(anisotropic_gaussian)   # ex.q1.hint(), ex.q1.solution()

``q1``-``q3`` are the end-of-lesson exercises; ``c1``-``c2`` the short check-your-understanding
questions after the lesson's sections. Every exercise carries its reference answer and examples
of wrong answers; ``tests/test_exercises_lesson06.py`` checks both, and that the references agree
with :mod:`srlib.data` (``gaussian_kernel``, ``crop_pair``).

Taught in ``06_degradations_and_augmentation.ipynb``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from srlib.exercises import Exercise, Result, function_check, one_of

__all__ = ["q1", "q2", "q3", "c1", "c2", "anisotropic_gaussian", "aligned_crop", "blockiness"]


# --------------------------------------------------------------------------- reference answers
def anisotropic_gaussian(size: int, sigma_x: float, sigma_y: float, angle: float) -> np.ndarray:
    """A ``size x size`` Gaussian blur kernel with standard deviations ``sigma_x``/``sigma_y`` along axes
    rotated by ``angle`` (radians) from the image x axis, normalised to sum 1.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb`` (the library's version:
    ``srlib.data.gaussian_kernel``).
    """
    radius = size // 2
    yy, xx = np.mgrid[-radius:radius + 1, -radius:radius + 1].astype(np.float64)
    along_x = np.cos(angle) * xx + np.sin(angle) * yy
    along_y = -np.sin(angle) * xx + np.cos(angle) * yy
    kernel = np.exp(-0.5 * ((along_x / sigma_x) ** 2 + (along_y / sigma_y) ** 2))
    return kernel / kernel.sum()


def aligned_crop(lr: np.ndarray, hr: np.ndarray, y: int, x: int, size: int, scale: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The ``size x size`` LR crop at ``(y, x)`` and the HR crop that shows the same scene.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb`` (the library's version: ``srlib.data.crop_pair``).
    """
    return lr[y:y + size, x:x + size], hr[y * scale:(y + size) * scale, x * scale:(x + size) * scale]


def blockiness(image: Any) -> float:
    """JPEG's 8x8 block edges, measured: mean |horizontal step| across block boundaries over the mean elsewhere.

    ``image`` is a 2-D array (grey levels). The step between columns ``c`` and ``c + 1`` is a block
    boundary when ``c % 8 == 7``. About 1 for an image without blocks; above 1 when JPEG's blocks show.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    steps = np.abs(np.diff(np.asarray(image, dtype=np.float64), axis=1))
    boundary = (np.arange(steps.shape[1]) % 8) == 7
    return float(steps[:, boundary].mean() / steps[:, ~boundary].mean())


# --------------------------------------------------------------------------- q1
def _q1_cases() -> list[tuple[int, float, float, float]]:
    return [(7, 1.0, 1.0, 0.0), (21, 3.0, 1.0, 0.0), (21, 2.5, 0.8, np.pi / 6), (15, 1.2, 2.0, 2.0),
            (11, 0.5, 0.5, 1.0)]


def _compare_kernels(result: Any, expected: np.ndarray) -> Result:
    kernel = np.asarray(result, dtype=np.float64) if result is not None else None
    if kernel is None or kernel.shape != expected.shape:
        return Result(False, f"return a {expected.shape[0]} x {expected.shape[1]} array, got "
                             f"{None if kernel is None else kernel.shape}")
    if not np.isclose(kernel.sum(), 1.0, atol=1e-9):
        return Result(False, f"the kernel sums to {kernel.sum():.4g}: divide by its sum so that blurring keeps the "
                             "brightness (a kernel that sums to 2 doubles every pixel)")
    if np.allclose(kernel, expected.T, atol=1e-9) and not np.allclose(kernel, expected, atol=1e-9):
        return Result(False, "x and y are swapped: np.mgrid gives (rows, columns) = (y, x); sigma_x belongs to "
                             "the column direction")
    if not np.allclose(kernel, expected, atol=1e-9):
        return Result(False, "not the expected kernel: rotate the offsets (x, y) by the angle, divide each by its "
                             "sigma, and use exp(-(u**2 + v**2) / 2)")
    return Result(True, "")


q1 = Exercise(
    "q1",
    checker=function_check(anisotropic_gaussian, _q1_cases, compare=_compare_kernels),
    answer=anisotropic_gaussian,
    hint=["yy, xx = np.mgrid[-r:r + 1, -r:r + 1] gives every pixel's offset from the centre (r = size // 2).",
          "Along the rotated axes: u = cos(a) x + sin(a) y, v = -sin(a) x + cos(a) y; the kernel is "
          "exp(-((u / sigma_x)**2 + (v / sigma_y)**2) / 2), divided by its sum."],
    solution="def anisotropic_gaussian(size, sigma_x, sigma_y, angle):\n"
             "    r = size // 2\n"
             "    yy, xx = np.mgrid[-r:r + 1, -r:r + 1].astype(float)\n"
             "    u = np.cos(angle) * xx + np.sin(angle) * yy\n"
             "    v = -np.sin(angle) * xx + np.cos(angle) * yy\n"
             "    kernel = np.exp(-0.5 * ((u / sigma_x) ** 2 + (v / sigma_y) ** 2))\n"
             "    return kernel / kernel.sum()",
    explanation="This is srlib.data.gaussian_kernel (and BasicSR's bivariate_Gaussian). Its covariance is "
                "R diag(sigma_x^2, sigma_y^2) R^T: srlib.data.kernel_covariance measures it back from the "
                "sampled kernel, which is how the library's tests check every random draw.",
    wrong=[lambda size, sx, sy, angle: anisotropic_gaussian(size, sx, sy, angle).T,
           lambda size, sx, sy, angle: anisotropic_gaussian(size, sx, sy, angle) * 2],
)


# --------------------------------------------------------------------------- q2
def _q2_cases() -> list[tuple[np.ndarray, np.ndarray, int, int, int, int]]:
    rng = np.random.default_rng(6)
    cases = []
    for scale, (y, x, size) in ((2, (3, 5, 4)), (3, (0, 2, 5)), (4, (6, 1, 3))):
        lr = rng.integers(0, 256, (12, 14, 3), dtype=np.uint8)
        hr = rng.integers(0, 256, (12 * scale, 14 * scale, 3), dtype=np.uint8)
        cases.append((lr, hr, y, x, size, scale))
    return cases


def _compare_pairs(result: Any, expected: tuple[np.ndarray, np.ndarray]) -> Result:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return Result(False, "return a pair (lr_crop, hr_crop)")
    lr_crop, hr_crop = (np.asarray(part) for part in result)
    if not np.array_equal(lr_crop, expected[0]):
        return Result(False, f"the LR crop differs: lr[y:y + size, x:x + size] (shape {expected[0].shape})")
    if hr_crop.shape != expected[1].shape:
        return Result(False, f"the HR crop has shape {hr_crop.shape}, expected {expected[1].shape}: it is "
                             "scale times the LR crop on each side")
    if not np.array_equal(hr_crop, expected[1]):
        return Result(False, "the HR crop has the right size but the wrong place: its corner is (y * scale, "
                             "x * scale), not (y, x)")
    return Result(True, "")


q2 = Exercise(
    "q2",
    checker=function_check(aligned_crop, _q2_cases, compare=_compare_pairs),
    answer=aligned_crop,
    hint=["LR pixel (y, x) covers HR pixels (y * scale .. y * scale + scale - 1, x * scale ...).",
          "Both the corner and the side are multiplied by scale."],
    solution="def aligned_crop(lr, hr, y, x, size, scale):\n"
             "    return (lr[y:y + size, x:x + size],\n"
             "            hr[y * scale:(y + size) * scale, x * scale:(x + size) * scale])",
    explanation="An HR crop at any other position is a pair that is *shifted* by a fraction of an LR pixel: "
                "section 4 measured what that costs (srlib.data.pair_misalignment finds the shift). "
                "srlib.data.crop_pair is this function, and PairedPatches draws LR offsets only.",
    wrong=[lambda lr, hr, y, x, size, scale: (lr[y:y + size, x:x + size],
                                              hr[y:y + size * scale, x:x + size * scale]),
           lambda lr, hr, y, x, size, scale: (lr[y:y + size, x:x + size],
                                              hr[y * scale:y * scale + size, x * scale:x * scale + size])],
)


# --------------------------------------------------------------------------- q3
def _q3_cases() -> list[tuple[np.ndarray]]:
    rng = np.random.default_rng(3)
    smooth = np.cumsum(rng.normal(0, 2, (32, 64)), axis=1)
    blocky = np.repeat(rng.normal(128, 20, (32, 8)), 8, axis=1) + rng.normal(0, 1, (32, 64))
    return [(smooth,), (blocky,), (rng.normal(0, 10, (16, 40)),)]


q3 = Exercise(
    "q3",
    checker=function_check(blockiness, _q3_cases, rtol=1e-9),
    answer=blockiness,
    hint=["steps = np.abs(np.diff(image, axis=1)) has one column less than the image; step c is between "
          "columns c and c + 1.",
          "boundary = (np.arange(steps.shape[1]) % 8) == 7 marks the steps across block edges; divide the mean "
          "over those by the mean over the others."],
    solution="def blockiness(image):\n"
             "    steps = np.abs(np.diff(np.asarray(image, float), axis=1))\n"
             "    boundary = (np.arange(steps.shape[1]) % 8) == 7\n"
             "    return steps[:, boundary].mean() / steps[:, ~boundary].mean()",
    explanation="Run it on the Y channel of data.jpeg(image, q) for q = 90, 50, 20, 10: it rises as the "
                "quality falls, and it rises further after a bicubic-trained model, which sharpens the block "
                "edges it was never taught to remove. A blind model trained with JPEG in its degradations "
                "brings it back towards 1.",
    wrong=[lambda image: float(np.abs(np.diff(np.asarray(image, float), axis=1)).mean()),
           lambda image: 1.0],
)


# --------------------------------------------------------------------------- check your understanding
c1 = Exercise(
    "c1",
    checker=one_of("c", options=("a", "b", "c", "d"), feedback={
        "a": "a second round does not make the LR smaller in the end: the final resize always lands on HR / scale.",
        "b": "the order is random only in the last stage (sinc and JPEG); the two rounds always run in order.",
        "d": "the noise and JPEG of the first round are exactly what the second round blurs and resizes again; "
             "that is the point, not a bug.",
    }),
    hint="Think of a photo taken with a phone, sent through a messenger, then screenshotted and shared again.",
    solution="answer = 'c'",
    explanation="Real images are degraded more than once (camera, editing, compression, re-upload). A single "
                "blur-resize-noise-JPEG chain cannot make, for example, *blurred* JPEG blocks or noise that was "
                "resized; a second round can. Wang et al. found that two rounds cover real photos far better "
                "and a third adds little.",
    wrong=["a", "b", "d"],
)

c2 = Exercise(
    "c2",
    checker=one_of("b", options=("a", "b", "c", "d"), feedback={
        "a": "the network sees both halves; it cannot tell that the colours should have been the same.",
        "c": "the mismatch is in the training pairs, not in the architecture; a larger network learns it better.",
        "d": "colour jitter applied to *both* halves is fine - it is the mismatch between them that hurts.",
    }),
    hint="The network learns whatever maps the inputs to the targets, including a colour shift between them.",
    solution="answer = 'b'",
    explanation="A pair's two halves must show the same scene in the same colours: the network learns the map "
                "from one to the other, including the jitter. Section 4's measurement shows it as a mean "
                "difference of several grey levels per channel: at test time the model would shift every "
                "image's colours.",
    wrong=["a", "c", "d"],
)

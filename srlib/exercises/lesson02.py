"""Exercises of ``02_degradation_and_evaluation.ipynb``: PSNR, the protocol's LR image, Y vs RGB, border.

Use in the notebook::

    from srlib.exercises import lesson02 as ex
    answer = ...
    ex.q1.check(answer)   # ex.q1.hint(), ex.q1.solution()

``q1``-``q4`` are the end-of-lesson exercises; ``c1``-``c3`` the short check-your-understanding
questions after the lesson's main sections (``answer = ...``, then ``ex.c1.check(answer)``).
Every exercise carries its reference answer (``ex.q1.answer()``) and examples of
wrong answers; ``tests/test_exercises_lessons_00_02.py`` checks both.

Taught in ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from srlib.exercises import Exercise, Result, close_to, one_of

__all__ = ["q1", "q2", "q3", "q4", "c1", "c2", "c3", "psnr_from_mse", "exercise_hr", "protocol_lr", "Q2_SCALE",
           "Q2_SIZE"]

#: q1: the mean squared error (0..255 scale).
Q1_MSE: float = 100.0
#: q2: size of the HR zone plate and the scale factor.
Q2_SIZE: int = 100
Q2_SCALE: int = 3
#: q4: image size and scale.
Q4_SIZE: int = 256
Q4_SCALE: int = 4


def psnr_from_mse(mse: float, peak: float = 255.0) -> float:
    """PSNR in dB from a mean squared error: ``10 log10(peak^2 / mse)``.

    Parameters
    ----------
    mse : float
        Mean squared error (> 0), on the scale of ``peak``.
    peak : float
        Largest possible value: 255 for ``uint8`` images, 1 for floats in ``[0, 1]``.

    Returns
    -------
    float
        PSNR in dB.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    for name, value in (("mse", mse), ("peak", peak)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return 10.0 * math.log10(float(peak) ** 2 / float(mse))


def exercise_hr() -> np.ndarray:
    """The HR image of q2: ``srlib.patterns.zone_plate(100)`` (100 x 100, not divisible by 3).

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    from srlib.patterns import zone_plate

    return zone_plate(Q2_SIZE)


def protocol_lr(hr: np.ndarray, scale: int) -> np.ndarray:
    """The protocol's LR image: ``imresize(modcrop(hr, scale), 1 / scale)`` (MATLAB bicubic, antialiased).

    Parameters
    ----------
    hr : numpy.ndarray
        ``uint8`` HR image.
    scale : int
        Integer scale factor (>= 2).

    Returns
    -------
    numpy.ndarray
        ``uint8`` LR image of ``(H // scale, W // scale)`` pixels.

    Notes
    -----
    The one definition is :func:`srlib.data.make_lr`; this name is the lesson's.
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    from srlib.data import make_lr

    return make_lr(hr, scale)


# --------------------------------------------------------------------------- q1
def _check_q1(answer: Any) -> Result:
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if math.isclose(answer, 20 * math.log10(255.0 / Q1_MSE), rel_tol=1e-3):
            return Result(False, "you used the MSE as if it were the RMSE: PSNR = 10 log10(255^2 / MSE), "
                                 "or 20 log10(255 / sqrt(MSE)).")
        if math.isclose(answer, 10 * math.log10(1.0 / Q1_MSE), rel_tol=1e-3):
            return Result(False, "the peak of uint8 images is 255, not 1.")
        if math.isclose(answer, 10 * math.log10(255.0 / Q1_MSE), rel_tol=1e-3):
            return Result(False, "square the peak: 255^2 / MSE.")
    return close_to(psnr_from_mse(Q1_MSE), atol=0.01, unit="dB")(answer)


q1 = Exercise(
    "q1",
    checker=_check_q1,
    answer=psnr_from_mse(Q1_MSE),
    hint="PSNR = 10 log10(peak^2 / MSE), with peak 255 for uint8 images.",
    solution="answer = 10 * np.log10(255 ** 2 / 100)  # 28.13 dB",
    explanation="Every halving of the MSE adds 3.01 dB; an RMS error of 10 grey levels is about 28 dB.",
    wrong=[8.13, -20.0, 4.07, 30.0],
)


# --------------------------------------------------------------------------- q2
def _reference_q2() -> np.ndarray:
    return protocol_lr(exercise_hr(), Q2_SCALE)


def _check_q2(answer: Any) -> Result:
    from srlib.resize import imresize

    if answer is None:
        return Result(False, "your answer is None: assign the LR image to `answer`.")
    if not isinstance(answer, np.ndarray):
        return Result(False, f"expected the LR image (a NumPy array), got {type(answer).__name__}.")
    expected = _reference_q2()
    hr = exercise_hr()
    if answer.shape[:2] == (34, 34):
        return Result(False, "34 x 34: 100 is not divisible by 3 and imresize rounds the size up. "
                             "modcrop the HR image to 99 x 99 first (srlib.images.modcrop).")
    if answer.shape != expected.shape:
        return Result(False, f"shape {answer.shape}, expected {expected.shape}: HR 100 x 100 -> modcrop 99 x 99 "
                             "-> LR 33 x 33 x 3.")
    if answer.dtype != np.uint8:
        return Result(False, f"dtype {answer.dtype}: the protocol's LR images are uint8 "
                             "(imresize returns uint8 for a uint8 input).")
    if np.array_equal(answer, expected):
        return Result(True, "")
    cropped = hr[:99, :99]
    if np.array_equal(answer, imresize(cropped, 1 / 3, antialias=False)):
        return Result(False, "that LR image was made without antialiasing (at x3 the same as keeping every 3rd pixel): "
                             "it aliases. "
                             "The protocol uses imresize's default antialias=True.")
    if np.array_equal(answer, hr[1:99:3, 1:99:3]) or np.array_equal(answer, hr[0:99:3, 0:99:3]):
        return Result(False, "keeping every 3rd pixel is nearest-neighbour sampling without a filter; "
                             "use MATLAB bicubic (srlib.resize.imresize).")
    difference = np.abs(answer.astype(int) - expected.astype(int))
    if difference.mean() < 2:
        return Result(False, f"close (mean difference {difference.mean():.2f} grey levels), but not MATLAB's bicubic: "
                             "another library (PIL, TF) or another rounding? Use srlib.resize.imresize.")
    return Result(False, f"{int((difference > 0).sum())} of {difference.size} values differ from "
                         "imresize(modcrop(hr, 3), 1 / 3).")


q2 = Exercise(
    "q2",
    checker=_check_q2,
    answer_from=_reference_q2,
    hint=["Two steps: crop the HR image to a multiple of the scale, then downscale with MATLAB bicubic.",
          "srlib.images.modcrop(hr, 3), then srlib.resize.imresize(..., 1 / 3)."],
    solution="from srlib.images import modcrop\n"
             "from srlib.resize import imresize\n"
             "hr = ex.exercise_hr()\n"
             "answer = imresize(modcrop(hr, 3), 1 / 3)  # uint8 (33, 33, 3)",
    explanation="modcrop makes HR exactly 3x the LR size, so the SR output and the HR image line up pixel for pixel.",
    wrong=[None, np.zeros((34, 34, 3), np.uint8), np.zeros((33, 33, 3), np.uint8)],
)


# --------------------------------------------------------------------------- q3
def _y_gain_gray() -> float:
    return 20.0 * math.log10(255.0 / 219.0)


def _check_q3(answer: Any) -> Result:
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if math.isclose(answer, 2.0, abs_tol=0.05):
            return Result(False, "'about 2 dB' is the rule of thumb for colour photos; for a grey image it is "
                                 "exact and smaller - work it out from the Y range 16..235.")
        if math.isclose(answer, 10.0 * math.log10(255.0 / 219.0), rel_tol=1e-3):
            return Result(False, "PSNR uses squared errors: the factor 255/219 enters as 20 log10, not 10 log10.")
    return close_to(_y_gain_gray, atol=0.01, unit="dB")(answer)


q3 = Exercise(
    "q3",
    checker=_check_q3,
    answer_from=_y_gain_gray,
    hint=["For a grey image R = G = B = v, MATLAB's Y is 16 + 219 / 255 * v: every error shrinks by 219/255.",
          "Scaling every error by c changes the MSE by c^2, i.e. the PSNR by -20 log10(c) dB."],
    solution="answer = 20 * np.log10(255 / 219)  # 1.32 dB",
    explanation="Y's range 16..235 compresses errors, so Y-PSNR is higher even before colour enters; "
                "colour images add more (chroma errors count in RGB, not in Y).",
    wrong=[2.0, 0.66, -1.32, 0.0],
)


# --------------------------------------------------------------------------- q4
def _border_pixels() -> int:
    return (Q4_SIZE - 2 * Q4_SCALE) ** 2


def _check_q4(answer: Any) -> Result:
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        if answer == Q4_SIZE ** 2:
            return Result(False, "that is every pixel: the protocol drops a border of `scale` pixels.")
        if answer == (Q4_SIZE - Q4_SCALE) ** 2:
            return Result(False, "the border is removed on *each* side: top and bottom, left and right.")
        if answer == Q4_SIZE ** 2 - _border_pixels():
            return Result(False, "that is the number of pixels *removed*; the question asks how many are scored.")
    elif isinstance(answer, (float, np.floating)) and float(answer).is_integer():
        answer = int(answer)
    elif not isinstance(answer, (int, np.integer)):
        return Result(False, f"expected a whole number of pixels, got {type(answer).__name__} {answer!r}.")
    if answer == _border_pixels():
        return Result(True, "")
    return Result(False, f"{answer} is not it: the scored region is (256 - 2 x 4) pixels on each side.")


q4 = Exercise(
    "q4",
    checker=_check_q4,
    answer_from=_border_pixels,
    hint="psnr(..., border=4) crops 4 pixels from the top, bottom, left and right.",
    solution="answer = (256 - 2 * 4) ** 2  # 61504 of 65536 pixels (93.8 %)",
    explanation="About 6 % of the pixels are ignored at x4 - more at larger scales and on smaller images.",
    wrong=[65536, 63504, 4032, "61504"],
)


# =========================================================================== check your understanding
# Short questions after the lesson's sections (c1 after section 1, c2 after 2, c3 after 3), checked
# like the exercises; the notebook cell holds `answer = ...` and `ex.cN.check(answer)`.

#: c1: the HR size (height, width) and the scale.
C1_SHAPE: tuple[int, int] = (301, 451)
C1_SCALE: int = 3


def _c1_expected() -> tuple[int, int]:
    return (C1_SHAPE[0] // C1_SCALE, C1_SHAPE[1] // C1_SCALE)


def _check_c1(answer: Any) -> Result:
    expected = _c1_expected()
    if isinstance(answer, np.ndarray) or not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Result(False, f"give the size as two numbers (height, width), e.g. (10, 20); got {answer!r:.40}.")
    values = tuple(answer)
    if values == expected:
        return Result(True, "")
    if values == expected[::-1]:
        return Result(False, "height and width are swapped: the photo is 301 pixels high and 451 wide.")
    rounded_up = (math.ceil(C1_SHAPE[0] / C1_SCALE), math.ceil(C1_SHAPE[1] / C1_SCALE))
    if values == rounded_up:
        return Result(False, "that is what imresize gives without modcrop (it rounds the size up), and then SR "
                             "and HR do not line up: modcrop the HR image to a multiple of 3 first.")
    if all(isinstance(v, float) and not float(v).is_integer() for v in values):
        return Result(False, "an image has a whole number of pixels: modcrop removes the rows and columns "
                             "that do not fit.")
    return Result(False, f"{values} is not it: modcrop 301 x 451 to a multiple of 3, then divide by 3.")


c1 = Exercise(
    "c1",
    checker=_check_c1,
    answer=_c1_expected(),
    hint="modcrop drops the last rows and columns so that both sides divide by the scale: 301 -> 300.",
    solution="answer = (301 // 3, 451 // 3)  # modcrop to 300 x 450, then LR 100 x 150",
    explanation="The HR image scored is the modcropped 300 x 450, exactly 3 times the LR size.",
    wrong=[(101, 151), (150, 100), (100.33, 150.33), (301, 451)],
)

c2 = Exercise(
    "c2",
    checker=one_of("c", options=("a", "b", "c"), feedback={
        "a": "PIL's bicubic is antialiased like MATLAB's; it only rounds a little differently (its LR images "
             "are more than 45 dB close to MATLAB's).",
        "b": "with antialias=True, tf.image.resize stretches the kernel when shrinking, as MATLAB does: the "
             "LR images agree up to rounding.",
    }),
    hint="Which resizer does not low-pass filter before shrinking, by default?",
    solution="answer = 'c'  # tf.image.resize's default antialias=False: no low-pass filter, aliasing",
    explanation="Without the antialias filter the LR images alias (the zone plate above): a different task, "
                "whose scores move by 0.4-1.2 dB and are not comparable with published ones.",
    wrong=["a", "b", "tf"],
)

c3 = Exercise(
    "c3",
    checker=one_of("c", options=("a", "b", "c"), feedback={
        "a": "32.1 on Y and 31.0 on RGB are not comparable: section 3 measured Y-PSNR 1.3-2.5 dB above "
             "RGB-PSNR for the *same* images, so B could well be the better method.",
        "b": "B's number is lower, but it is on RGB: the same result scores 1.3-2.5 dB higher on Y. "
             "From these two numbers you cannot tell.",
    }),
    hint="Section 3: how much higher is Y-PSNR than RGB-PSNR for the very same upscaled images?",
    solution="answer = 'c'  # the channel alone is worth 1.3-2.5 dB, more than the 1.1 dB gap",
    explanation="Compare only numbers measured with the same protocol (channel, border, resizer); "
                "srlib.evaluate always uses one, and scores bicubic beside the method.",
    wrong=["a", "b"],
)

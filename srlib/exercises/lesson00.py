"""Exercises of ``00_start_here.ipynb``: quick/workshop mode, image sizes, ``srlib.upscale``.

Use in the notebook::

    from srlib.exercises import lesson00 as ex
    answer = ...
    ex.q1.check(answer)   # ex.q1.hint(), ex.q1.solution()

Every exercise carries its reference answer (``ex.q1.answer()``) and examples of
wrong answers; ``tests/test_exercises_lessons_00_02.py`` checks both.

Taught in ``00_start_here.ipynb``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from srlib.exercises import Exercise, Result, equals, one_of

__all__ = ["q1", "q2", "q3", "q4", "exercise_image", "upscaled_exercise_image"]

#: q2: the low-resolution image size (height, width) and the scale factor.
Q2_SHAPE: tuple[int, int] = (75, 120)
Q2_SCALE: int = 4


def exercise_image() -> np.ndarray:
    """The small image of q3: a 64 x 64 centre crop of the default image ``"coffee"``.

    Returns
    -------
    numpy.ndarray
        ``uint8`` ``(64, 64, 3)``.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    from srlib.data import default_images

    return default_images(names=["coffee"], size=64)["coffee"]


def upscaled_exercise_image() -> np.ndarray:
    """Reference answer of q3: :func:`exercise_image` upscaled 3x with bicubic.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    from srlib.upscale import upscale

    return upscale("bicubic", exercise_image(), 3)


# --------------------------------------------------------------------------- q1
def _check_q1(answer: Any) -> Result:
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool) and answer == 50:
        return Result(False, "50 is the *quick* value; the question asks about workshop mode (SRLIB_QUICK unset).")
    return equals(2000)(answer)


q1 = Exercise(
    "q1",
    checker=_check_q1,
    answer=2000,
    hint="pick(quick, workshop) returns its first argument only when SRLIB_QUICK=1 is set.",
    solution="answer = 2000  # pick(50, 2000) in workshop mode; 50 in quick mode",
    explanation="In quick mode (make test) the same line gives 50: one notebook, two run lengths.",
    wrong=[50, "2000", 2050],
)


# --------------------------------------------------------------------------- q2
def _check_q2(answer: Any) -> Result:
    expected = (Q2_SHAPE[0] * Q2_SCALE, Q2_SHAPE[1] * Q2_SCALE)
    if isinstance(answer, np.ndarray):
        return Result(False, "give the size as a tuple (height, width), e.g. (10, 20), not an array.")
    if isinstance(answer, (tuple, list)) and tuple(answer) == (expected[0], expected[1], 3):
        return Result(False, "only (height, width) please - leave out the 3 colour channels.")
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Result(False, f"give two numbers (height, width), got {answer!r}.")
    if tuple(answer) == expected[::-1]:
        return Result(False, "height and width are swapped: NumPy shapes are (height, width), "
                             "so a 75 x 120 array has 75 rows.")
    if tuple(answer) == (Q2_SHAPE[0] * Q2_SCALE ** 2, Q2_SHAPE[1] * Q2_SCALE ** 2) or \
            tuple(answer) == (Q2_SHAPE[0] ** 2, Q2_SHAPE[1] ** 2):
        return Result(False, "each side grows by the scale factor (4), not by its square.")
    if tuple(answer) != expected:
        return Result(False, f"{tuple(answer)} is not it: multiply the height 75 and the width 120 by the scale 4.")
    return Result(True, "")


q2 = Exercise(
    "q2",
    checker=_check_q2,
    answer=(Q2_SHAPE[0] * Q2_SCALE, Q2_SHAPE[1] * Q2_SCALE),
    hint="Upscaling by s multiplies the height and the width by s: the image gets s * s times more pixels.",
    solution="answer = (75 * 4, 120 * 4)  # (300, 480)",
    explanation="It has 16 times more pixels, and 15 of every 16 were invented by the upscaler.",
    wrong=[(480, 300), (300, 480, 3), (1200, 1920), (76, 121)],
)


# --------------------------------------------------------------------------- q3
def _check_q3(answer: Any) -> Result:
    if answer is None:
        return Result(False, "your answer is None: srlib.upscale returns the image, assign it to `answer`.")
    if not isinstance(answer, np.ndarray):
        return Result(False, f"expected the upscaled image (a NumPy array), got {type(answer).__name__}.")
    expected = upscaled_exercise_image()
    if answer.shape == (64, 64, 3):
        return Result(False, "that is still 64 x 64: did you pass scale=3?")
    if answer.shape != expected.shape:
        return Result(False, f"the image has shape {answer.shape}, expected {expected.shape} (scale 3, RGB).")
    if answer.dtype != np.uint8:
        return Result(False, f"dtype {answer.dtype}: srlib.upscale returns uint8, pass it the uint8 image.")
    if np.array_equal(answer, expected):
        return Result(True, "")
    from srlib.upscale import upscale

    low_res = exercise_image()
    for other in ("nearest", "bilinear", "lanczos3", "area", "lanczos2"):
        if np.array_equal(answer, upscale(other, low_res, 3)):
            return Result(False, f"that is the {other!r} result; the exercise asks for 'bicubic'.")
    return Result(False, "the size is right but the pixels differ from srlib.upscale('bicubic', image, 3).")


q3 = Exercise(
    "q3",
    checker=_check_q3,
    answer_from=upscaled_exercise_image,
    hint="srlib.upscale(method, image, scale) takes the method name first: 'bicubic'.",
    solution="image = ex.exercise_image()\nanswer = srlib.upscale('bicubic', image, 3)",
    explanation="Every lesson upscales through this one function, so interpolation and networks are compared fairly.",
    wrong=[None, np.zeros((64, 64, 3), np.uint8), np.zeros((192, 192, 3), np.uint8)],
)


# --------------------------------------------------------------------------- q4
_Q4_CHOICE = one_of("bicubic", options=("nearest", "bicubic"))


def _check_q4(answer: Any) -> Result:
    if not isinstance(answer, str):
        return Result(False, f"answer with a method name in quotes, \"nearest\" or \"bicubic\"; "
                             f"got {type(answer).__name__}.")
    return _Q4_CHOICE(answer)


q4 = Exercise(
    "q4",
    checker=_check_q4,
    answer="bicubic",
    hint="Look at the PSNR captions under the first picture: higher PSNR means closer to the ground truth.",
    solution="answer = 'bicubic'",
    explanation="Bicubic is smoother and closer on average; but it is still blurry - the course is about doing better.",
    wrong=["nearest", "bicubc"],
)

"""Exercises of ``01_interpolation_artifacts.ipynb``: Nyquist, aliasing, kernels, overshoot.

Use in the notebook::

    from srlib.exercises import lesson01 as ex
    answer = ...
    ex.q1.check(answer)   # ex.q1.hint(), ex.q1.solution()

``q1``-``q4`` are the end-of-lesson exercises; ``c1``-``c3`` the short check-your-understanding
questions after the lesson's main sections (``answer = ...``, then ``ex.c1.check(answer)``).
Every exercise carries its reference answer (``ex.q1.answer()``) and examples of
wrong answers; ``tests/test_exercises_lessons_00_02.py`` checks both.

Taught in ``01_interpolation_artifacts.ipynb``.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from srlib.exercises import Exercise, Result, close_to, equals, one_of

__all__ = ["q1", "q2", "q3", "q4", "c1", "c2", "c3", "LESSON_METHODS", "lr_nyquist", "alias_frequency",
           "overshooting_methods"]

#: The five methods lesson 01 teaches (its ``METHODS``); ``srlib.resize.METHODS`` also has ``"lanczos2"``.
LESSON_METHODS: tuple[str, ...] = ("nearest", "bilinear", "bicubic", "lanczos3", "area")


def lr_nyquist(scale: float) -> float:
    """Highest frequency, in cycles per *HR* pixel, that an image downscaled by ``scale`` can hold.

    The LR image holds at most 0.5 cycles per LR pixel; one LR pixel spans
    ``scale`` HR pixels, hence ``0.5 / scale``.

    Parameters
    ----------
    scale : float
        Downscaling factor (> 0), e.g. 4.

    Returns
    -------
    float
        ``0.5 / scale``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    return 0.5 / float(scale)


def alias_frequency(frequency: float, step: int) -> float:
    """Apparent frequency (cycles per *kept* sample) of a cosine after keeping every ``step``-th sample.

    Sampling without a low-pass filter folds every frequency into
    ``[0, 0.5]`` cycles per sample: ``|f * step - round(f * step)|``.

    Parameters
    ----------
    frequency : float
        Frequency of the cosine in cycles per original pixel (>= 0).
    step : int
        Keep one sample in ``step`` (the integer downscaling factor, >= 1).

    Returns
    -------
    float
        The folded (aliased) frequency in cycles per LR pixel, in ``[0, 0.5]``.

    Examples
    --------
    >>> alias_frequency(0.4, 2)
    0.2

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    if isinstance(frequency, bool) or not isinstance(frequency, (int, float, np.integer, np.floating)) \
            or not math.isfinite(frequency) or frequency < 0:
        raise ValueError(f"frequency must be a non-negative number of cycles per pixel, got {frequency!r}")
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
        raise ValueError(f"step must be a positive integer, got {step!r}")
    folded = float(frequency) * int(step)
    return round(abs(folded - round(folded)), 12)


def overshooting_methods(scale: int = 4, methods: Iterable[str] | None = None) -> set[str]:
    """Methods whose upscaled 0-to-1 step leaves ``[0, 1]``.

    A float step edge (0 on the left, 1 on the right) is upscaled by ``scale``
    with :func:`srlib.resize.imresize`; a method overshoots when the result has
    values below 0 or above 1 (kernels with negative lobes: bicubic, Lanczos).

    Parameters
    ----------
    scale : int
        Upscaling factor (>= 2).
    methods : iterable of str, optional
        The methods to try; default: all of :data:`srlib.resize.METHODS`.

    Returns
    -------
    set of str
        Names of the methods that overshoot.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    from srlib.resize import METHODS, imresize

    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or scale < 2:
        raise ValueError(f"scale must be an integer >= 2, got {scale!r}")
    step = np.zeros((4, 16), np.float64)
    step[:, 8:] = 1.0
    candidates = tuple(METHODS) if methods is None else tuple(methods)
    unknown = [m for m in candidates if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from srlib.resize.METHODS {METHODS}")
    found = set()
    for method in candidates:
        up = imresize(step, int(scale), method=method)
        if up.min() < -1e-9 or up.max() > 1 + 1e-9:
            found.add(method)
    return found


# --------------------------------------------------------------------------- q1
def _check_q1(answer: Any) -> Result:
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if math.isclose(answer, 0.5, rel_tol=1e-3):
            return Result(False, "0.5 is the Nyquist limit in cycles per *LR* pixel; convert it to HR pixels "
                                 "(one LR pixel spans 4 HR pixels).")
        if math.isclose(answer, 8.0, rel_tol=1e-3):
            return Result(False, "8 pixels is the shortest *period* that survives; the question asks for a "
                                 "frequency, 1 / period.")
    return close_to(lr_nyquist(4), atol=1e-3, unit="cycles/pixel")(answer)


q1 = Exercise(
    "q1",
    checker=_check_q1,
    answer=lr_nyquist(4),
    hint=["An image can hold at most 0.5 cycles per pixel (one bright and one dark pixel per cycle).",
          "One pixel of the x4 LR image covers 4 HR pixels."],
    solution="answer = 0.5 / 4  # 0.125 cycles per HR pixel (a period of 8 HR pixels)",
    explanation="Everything finer than a period of 8 HR pixels is gone from the LR image: "
                "no interpolation can bring it back.",
    wrong=[0.5, 8.0, 0.25, 2.0],
)


# --------------------------------------------------------------------------- q2
def _check_q2(answer: Any) -> Result:
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if math.isclose(answer, 0.8, rel_tol=1e-3):
            return Result(False, "0.8 cycles per LR pixel is above the Nyquist limit 0.5, so it cannot be "
                                 "what you see: fold it back (f -> |f - round(f)|).")
        if math.isclose(answer, 0.1, rel_tol=1e-3):
            return Result(False, "give the frequency in cycles per *LR* pixel (per kept sample), not per HR pixel.")
        if math.isclose(answer, 0.4, rel_tol=1e-3):
            return Result(False, "0.4 is the original frequency; after keeping every 2nd sample it looks different.")
    return close_to(alias_frequency(0.4, 2), atol=1e-3, unit="cycles/LR pixel")(answer)


q2 = Exercise(
    "q2",
    checker=_check_q2,
    answer=alias_frequency(0.4, 2),
    hint=["Per kept sample the cosine advances 2 x 0.4 = 0.8 cycles.",
          "0.8 cycles per sample looks exactly like 0.8 - 1 = -0.2 cycles: a cosine of frequency 0.2."],
    solution="answer = abs(0.4 * 2 - round(0.4 * 2))  # 0.2 cycles per LR pixel\n"
             "# or: ex.alias_frequency(0.4, 2)",
    explanation="A fine pattern became a coarse one (a period of 5 LR pixels) that is not in the scene: aliasing. "
                "A low-pass filter before sampling (antialias=True) removes it instead.",
    wrong=[0.8, 0.1, 0.4, 0.3],
)


# --------------------------------------------------------------------------- q3
def _bicubic_weight(distance: float) -> float:
    from srlib.resize import kernel

    function, _ = kernel("bicubic")
    return float(function(np.array([distance], dtype=np.float64))[0])


q3 = Exercise(
    "q3",
    checker=close_to(lambda: _bicubic_weight(1.5), atol=1e-4),
    answer_from=lambda: _bicubic_weight(1.5),
    hint=["For 1 < |x| < 2 the Keys kernel is a|x|^3 - 5a|x|^2 + 8a|x| - 4a with a = -0.5.",
          "Or evaluate srlib.resize.kernel('bicubic')[0] at np.array([1.5])."],
    solution="from srlib.resize import kernel\n"
             "function, width = kernel('bicubic')\n"
             "answer = float(function(np.array([1.5]))[0])  # -0.0625",
    explanation="The weight is negative: a pixel 1.5 steps away is *subtracted*. "
                "That negative lobe sharpens edges and also makes the overshoot (ringing) you saw.",
    wrong=[0.0625, 0.0, 0.5625, -0.5],
)


# --------------------------------------------------------------------------- q4
def _as_method_set(answer: Any) -> set[str] | None:
    if isinstance(answer, str):
        return None
    if not isinstance(answer, Iterable):
        return None
    names = set()
    for item in answer:
        if not isinstance(item, str):
            return None
        names.add(item.strip().lower())
    return names


def _check_q4(answer: Any) -> Result:
    from srlib.resize import METHODS

    names = _as_method_set(answer)
    if names is None:
        return Result(False, "give a set (or list) of method names, e.g. {'nearest', 'area'}.")
    unknown = sorted(names - set(METHODS))
    if unknown:
        return Result(False, f"{unknown} are not methods of srlib.resize.METHODS (the lesson uses {LESSON_METHODS})."
                      )
    expected = overshooting_methods(4, LESSON_METHODS)
    # lanczos2 is in srlib.resize.METHODS but not in the lesson: naming it (it does overshoot) is right too
    extra_taught = overshooting_methods(4) - expected
    missing, extra = sorted(expected - names), sorted(names - expected - extra_taught)
    if not missing and not extra:
        bonus = sorted(names & extra_taught)
        return Result(True, f"Including {', '.join(bonus)} (in srlib.resize.METHODS, not shown in this lesson) "
                            "is right too." if bonus else "")
    parts = []
    if extra:
        parts.append(f"{extra} stay(s) within [0, 1]: all weights of those kernels are >= 0")
    if missing:
        parts.append(f"{len(missing)} overshooting method(s) of the lesson's five missing")
    return Result(False, "; ".join(parts) + ".")


q4 = Exercise(
    "q4",
    checker=_check_q4,
    answer_from=lambda: overshooting_methods(4, LESSON_METHODS),
    hint=["Build a float step: `step = np.zeros((4, 16)); step[:, 8:] = 1`.",
          "For each method in METHODS, look at imresize(step, 4, method=m).min() and .max()."],
    solution="from srlib.resize import imresize\n"
             "METHODS = ('nearest', 'bilinear', 'bicubic', 'lanczos3', 'area')  # the lesson's five\n"
             "step = np.zeros((4, 16)); step[:, 8:] = 1.0\n"
             "answer = {m for m in METHODS\n"
             "          if imresize(step, 4, method=m).min() < 0 or imresize(step, 4, method=m).max() > 1}",
    explanation="Exactly the kernels with negative lobes overshoot (bicubic and Lanczos-3; srlib's Lanczos-2 "
                "too); a CNN trained on such images sees halos around every edge.",
    wrong=[{"bicubic"}, {"nearest", "bilinear", "bicubic", "lanczos3", "area"},
           "bicubic", {"bicubic", "lanczos3", "nearest"}, {"lanczos2", "lanczos3"}],
)


# =========================================================================== check your understanding
# Short questions after the lesson's sections (c1 after section 3, c2 after 4, c3 after 5), checked
# like the exercises; the notebook cell holds `answer = ...` and `ex.cN.check(answer)`.

c1 = Exercise(
    "c1",
    checker=one_of("b", options=("a", "b", "c"), feedback={
        "a": "a wider support alone cannot overshoot: a kernel with only positive weights averages its inputs, "
             "and an average never leaves their range (area and bilinear stay in [0, 1]).",
        "c": "bilinear was computed in floating point too and stayed within [0, 1] (section 3's table): it is "
             "not the arithmetic, it is the weights.",
    }),
    hint="Look at the kernel plot of section 1: what do bicubic and Lanczos-3 have that bilinear does not?",
    solution="answer = 'b'  # negative lobes: pixels 1-2 steps away are subtracted",
    explanation="A weighted sum with some negative weights can go below the darkest and above the brightest "
                "input pixel: that is the overshoot (halo), and ringing when the lobes repeat (Lanczos).",
    wrong=["a", "c", "negative"],
)

c2 = Exercise(
    "c2",
    checker=one_of("b", options=("a", "b", "c"), feedback={
        "a": "stripes with a period of 2.5 HR pixels would have a period of 1.25 LR pixels: finer than the "
             "2-pixel limit (0.5 cycles per pixel) of any pixel grid, so they cannot be shown.",
        "c": "false coarser stripes are aliasing: what antialias=False or nearest give. With antialias=True "
             "the low-pass filter removes the stripes before sampling.",
    }),
    hint=["Stripes with a period of 2.5 pixels have 1 / 2.5 = 0.4 cycles per pixel. After shrinking by 2, "
          "the LR Nyquist limit is 0.5 / 2 = 0.25 cycles per HR pixel.",
          "Above the limit, the antialias filter removes a pattern; without the filter, it folds back."],
    solution="answer = 'b'  # 0.4 cycles/pixel > 0.25: the antialias filter removes the stripes",
    explanation="Antialiasing trades a false pattern for an honest loss: what the LR grid cannot hold becomes "
                "(almost) flat grey, as in the outer rings of the zone plate; without the filter you would see "
                "false stripes of 0.2 cycles per LR pixel (exercise 2).",
    wrong=["a", "c"],
)


def _check_c3(answer: Any) -> Result:
    if answer is True:
        return Result(False, "no: those frequencies are not in the LR image at all. Every interpolation is a "
                             "weighted sum of LR pixels, so a better kernel can only shape what the LR image "
                             "holds (compare bicubic and Lanczos-3 in section 5's table).")
    return equals(False)(answer)


c3 = Exercise(
    "c3",
    checker=_check_c3,
    answer=False,
    hint="Section 5 measured the energy above the LR Nyquist limit: how much did the smooth kernels keep?",
    solution="answer = False",
    explanation="Only knowledge of what images usually look like can fill the lost band: a guess, which is "
                "what learned super-resolution makes (lessons 03-05).",
    wrong=[True, "False", 0],
)

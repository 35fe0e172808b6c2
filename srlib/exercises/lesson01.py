"""Exercises of ``01_interpolation_artifacts.ipynb``: Nyquist, aliasing, kernels, overshoot.

Use in the notebook::

    from srlib.exercises import lesson01 as ex
    answer = ...
    ex.q1.check(answer)   # ex.q1.hint(), ex.q1.solution()

Every exercise carries its reference answer (``ex.q1.answer()``) and examples of
wrong answers; ``tests/test_exercises_lessons_00_02.py`` checks both.

Taught in ``01_interpolation_artifacts.ipynb``.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from srlib.exercises import Exercise, Result, close_to

__all__ = ["q1", "q2", "q3", "q4", "lr_nyquist", "alias_frequency", "overshooting_methods"]


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


def overshooting_methods(scale: int = 4) -> set[str]:
    """Methods of :data:`srlib.resize.METHODS` whose upscaled 0-to-1 step leaves ``[0, 1]``.

    A float step edge (0 on the left, 1 on the right) is upscaled by ``scale``
    with :func:`srlib.resize.imresize`; a method overshoots when the result has
    values below 0 or above 1 (kernels with negative lobes: bicubic, Lanczos).

    Parameters
    ----------
    scale : int
        Upscaling factor (>= 2).

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
    found = set()
    for method in METHODS:
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
        return Result(False, f"{unknown} are not methods of srlib.resize.METHODS {METHODS}.")
    expected = overshooting_methods(4)
    missing, extra = sorted(expected - names), sorted(names - expected)
    if not missing and not extra:
        return Result(True, "")
    parts = []
    if extra:
        parts.append(f"{extra} stay(s) within [0, 1]: all weights of those kernels are >= 0")
    if missing:
        parts.append(f"{len(missing)} overshooting method(s) missing")
    return Result(False, "; ".join(parts) + ".")


q4 = Exercise(
    "q4",
    checker=_check_q4,
    answer_from=lambda: overshooting_methods(4),
    hint=["Build a float step: `step = np.zeros((4, 16)); step[:, 8:] = 1`.",
          "For each method in srlib.resize.METHODS, look at imresize(step, 4, method=m).min() and .max()."],
    solution="from srlib.resize import METHODS, imresize\n"
             "step = np.zeros((4, 16)); step[:, 8:] = 1.0\n"
             "answer = {m for m in METHODS\n"
             "          if imresize(step, 4, method=m).min() < 0 or imresize(step, 4, method=m).max() > 1}",
    explanation="Exactly the kernels with negative lobes (bicubic, Lanczos-2, Lanczos-3) overshoot; "
                "a CNN trained on such images sees halos around every edge.",
    wrong=[{"bicubic"}, {"nearest", "bilinear", "bicubic", "lanczos2", "lanczos3", "area"},
           "bicubic", {"bicubic", "lanczos2", "lanczos3", "nearest"}],
)

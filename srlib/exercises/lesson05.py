"""Exercises of ``05_gan_super_resolution.ipynb``: the RaGAN loss, network interpolation, the trade-off front.

Use in the notebook::

    from srlib.exercises import lesson05 as ex
    def relativistic_d_loss(real_logits, fake_logits):
        ...
    ex.q1.check(relativistic_d_loss)   # ex.q1.hint(), ex.q1.solution()

``q1``-``q3`` are the end-of-lesson exercises; ``c1``-``c2`` the short check-your-understanding
questions after the lesson's sections. Every exercise carries its reference answer and examples
of wrong answers; ``tests/test_exercises_lesson05.py`` checks both, and that the references
agree with :mod:`srlib.training.losses` and :mod:`srlib.models.interpolation`.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from srlib.exercises import Exercise, Result, function_check, one_of, whole_number

__all__ = ["q1", "q2", "q3", "c1", "c2", "relativistic_d_loss", "blend_weights", "pareto_front"]


# --------------------------------------------------------------------------- reference answers
def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def relativistic_d_loss(real_logits: Any, fake_logits: Any) -> float:
    """ESRGAN's discriminator loss in NumPy: ``0.5 * (BCE(real - mean fake, 1) + BCE(fake - mean real, 0))``.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb`` (the library's version, in ``keras.ops``:
    ``srlib.training.losses.relativistic_discriminator_loss``).
    """
    real = np.asarray(real_logits, dtype=np.float64)
    fake = np.asarray(fake_logits, dtype=np.float64)
    return float(0.5 * (np.mean(_softplus(-(real - fake.mean()))) + np.mean(_softplus(fake - real.mean()))))


def blend_weights(pixel_weights: Sequence[Any], gan_weights: Sequence[Any], alpha: float) -> list[np.ndarray]:
    """Network interpolation on weight lists: ``(1 - alpha) * pixel + alpha * gan``, array by array.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb`` (the library's version:
    ``srlib.models.interpolation.interpolate_weights``).
    """
    return [(1.0 - alpha) * np.asarray(p) + alpha * np.asarray(g) for p, g in zip(pixel_weights, gan_weights)]


def pareto_front(points: Mapping[str, tuple[float, float]]) -> list[str]:
    """The methods no other method beats on both axes: higher PSNR **and** lower NIQE.

    ``points`` maps a method to ``(psnr, niqe)``. A method is dominated when another one has
    PSNR >= and NIQE <= with at least one strict. Returns the undominated names, sorted by PSNR
    (highest first).

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``: the perception-distortion plane.
    """
    front = []
    for name, (psnr, niqe) in points.items():
        dominated = any(p >= psnr and n <= niqe and (p > psnr or n < niqe)
                        for other, (p, n) in points.items() if other != name)
        if not dominated:
            front.append(name)
    return sorted(front, key=lambda name: -points[name][0])


# --------------------------------------------------------------------------- q1
def _q1_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(5)
    return [(np.zeros(4), np.zeros(4)), (np.array([2.0, 3.0]), np.array([-1.0, 0.5])),
            (rng.normal(1, 2, (2, 6, 6, 1)), rng.normal(-1, 2, (2, 6, 6, 1))),
            (rng.normal(0, 5, 50), rng.normal(0, 5, 50))]


def _standard_gan(real_logits: Any, fake_logits: Any) -> float:
    real, fake = np.asarray(real_logits, float), np.asarray(fake_logits, float)
    return float(0.5 * (np.mean(_softplus(-real)) + np.mean(_softplus(fake))))


def _check_q1(answer: Any) -> Result:
    outcome = function_check(relativistic_d_loss, _q1_cases, rtol=1e-6)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    real, fake = np.array([2.0, 3.0]), np.array([-1.0, 0.5])
    try:
        value = float(answer(real.copy(), fake.copy()))
    except Exception:  # noqa: BLE001 - the learner's code may raise anything; function_check said what
        return outcome
    if np.isclose(value, _standard_gan(real, fake), rtol=1e-6):
        return Result(False, "that is the standard GAN loss (each logit judged alone); the relativistic one "
                             "compares each real logit with the *mean fake* logit, and each fake with the mean real")
    if np.isclose(value, 2 * relativistic_d_loss(real, fake), rtol=1e-6):
        return Result(False, "right terms, but ESRGAN averages the two halves (multiply by 0.5)")
    swapped = 0.5 * (np.mean(_softplus(real - fake.mean())) + np.mean(_softplus(-(fake - real.mean()))))
    if np.isclose(value, swapped, rtol=1e-6):
        return Result(False, "the labels are swapped: that is the generator's loss. The discriminator wants "
                             "real - mean(fake) large (label 1) and fake - mean(real) small (label 0)")
    return outcome


q1 = Exercise(
    "q1",
    checker=_check_q1,
    answer=relativistic_d_loss,
    hint=["Binary cross-entropy of a logit x against label 1 is softplus(-x) = np.logaddexp(0, -x); against "
          "label 0 it is softplus(x).",
          "The logits to judge are real - mean(fake) (label 1) and fake - mean(real) (label 0); average each "
          "over its array, then take half of the sum."],
    solution="def relativistic_d_loss(real_logits, fake_logits):\n"
             "    real, fake = np.asarray(real_logits, float), np.asarray(fake_logits, float)\n"
             "    softplus = lambda x: np.logaddexp(0, x)\n"
             "    return 0.5 * (np.mean(softplus(-(real - fake.mean()))) + np.mean(softplus(fake - real.mean())))",
    explanation="With equal logits the loss is log 2 = 0.693: the discriminator cannot tell the two apart. That "
                "is the value the live run's 'discriminator' column starts from, and where a balanced GAN stays.",
    wrong=[_standard_gan, lambda real, fake: 2 * relativistic_d_loss(real, fake)],
)


# --------------------------------------------------------------------------- q2
def _q2_cases() -> list[tuple[list[np.ndarray], list[np.ndarray], float]]:
    rng = np.random.default_rng(2)
    pixel = [rng.normal(size=(3, 3, 2, 4)), rng.normal(size=4)]
    gan = [rng.normal(size=(3, 3, 2, 4)), rng.normal(size=4)]
    return [(pixel, gan, alpha) for alpha in (0.0, 0.25, 0.8, 1.0)]


def _compare_lists(result: Any, expected: list[np.ndarray]) -> Result:
    if not isinstance(result, (list, tuple)) or len(result) != len(expected):
        return Result(False, f"return a list of {len(expected)} arrays (one per weight array), got {result!r:.60}")
    for index, (got, want) in enumerate(zip(result, expected)):
        got = np.asarray(got)
        if got.shape != want.shape:
            return Result(False, f"array {index} has shape {got.shape}, expected {want.shape}")
        if not np.allclose(got, want, atol=1e-9):
            return Result(False, f"array {index} differs: blend each array as (1 - alpha) * pixel + alpha * gan")
    return Result(True, "")


q2 = Exercise(
    "q2",
    checker=function_check(blend_weights, _q2_cases, compare=_compare_lists),
    answer=blend_weights,
    hint=["model.get_weights() is a list of arrays, the same shapes for both networks: blend them pairwise.",
          "alpha = 0 must give the pixel network back, alpha = 1 the GAN."],
    solution="def blend_weights(pixel_weights, gan_weights, alpha):\n"
             "    return [(1 - alpha) * p + alpha * g for p, g in zip(pixel_weights, gan_weights)]",
    explanation="model.set_weights(blend_weights(pixel.get_weights(), gan.get_weights(), 0.8)) is all the "
                "widget does per move (srlib.models.interpolation.Interpolator). It works because the GAN was "
                "fine-tuned *from* the pixel network: the two sit in one basin of the loss, so the straight line "
                "between them stays a working network. Two independently trained networks would not blend.",
    wrong=[lambda p, g, alpha: [alpha * a + (1 - alpha) * b for a, b in zip(p, g)],
           lambda p, g, alpha: [a + alpha * b for a, b in zip(p, g)]],
)


# --------------------------------------------------------------------------- q3
def _q3_points() -> list[dict[str, tuple[float, float]]]:
    base = {"bicubic": (26.0, 7.6), "srcnn": (27.1, 7.1), "espcn": (27.2, 6.6), "srresnet": (27.6, 6.3),
            "alpha 0.5": (27.2, 5.2), "gan": (26.3, 4.4), "nearest": (25.0, 7.9)}
    tied = dict(base, fsrcnn=(27.2, 6.6))
    odd = {"a": (30.0, 9.0), "b": (29.0, 9.5), "c": (20.0, 3.0), "d": (25.0, 3.0)}
    return [base, tied, odd]


def _check_q3(answer: Any) -> Result:
    outcome = function_check(pareto_front, [(points,) for points in _q3_points()],
                             compare=lambda result, expected: Result(
                                 list(result) == expected if isinstance(result, (list, tuple)) else False,
                                 f"returned {result!r:.80}, expected {expected!r}"))(answer)
    return outcome


q3 = Exercise(
    "q3",
    checker=_check_q3,
    answer=pareto_front,
    hint=["Method A dominates B when A's PSNR >= B's and A's NIQE <= B's, and A is strictly better on one.",
          "Keep the undominated names, sorted by PSNR, highest first."],
    solution="def pareto_front(points):\n"
             "    front = [name for name, (p, n) in points.items()\n"
             "             if not any(p2 >= p and n2 <= n and (p2 > p or n2 < n)\n"
             "                        for other, (p2, n2) in points.items() if other != name)]\n"
             "    return sorted(front, key=lambda name: -points[name][0])",
    explanation="Run it on section 6's Set14 points: bicubic, SRCNN and FSRCNN drop off the front (another "
                "method is better on both axes); the whole SRResNet sweep from the pixel network to the GAN "
                "survives, and so does ESPCN, at the natural-looking, lower-PSNR end. Along the front you "
                "cannot gain naturalness without losing PSNR: Blau and Michaeli's trade-off, measured.",
    wrong=[lambda points: sorted(points, key=lambda name: -points[name][0]),
           lambda points: [max(points, key=lambda name: points[name][0])]],
)


# --------------------------------------------------------------------------- check your understanding
c1 = Exercise(
    "c1",
    checker=one_of("b", options=("a", "b", "c", "d"), feedback={
        "a": "a sharp stripe pattern is wrong by a whole stripe at every pixel when its phase is wrong: half "
             "the time, a large squared error.",
        "c": "the LR image is flat for both phases, so it cannot say which one is right.",
        "d": "an MSE-trained network predicts the *same* output for the same input; it never draws at random.",
    }),
    hint="Both stripe phases give the same LR image. What single output has the smallest *average* squared "
         "error against two equally likely answers?",
    solution="answer = 'b'",
    explanation="Minimising the expected squared error gives the conditional mean E[HR | LR]: where the LR "
                "allows several textures, their average - blur. A GAN's discriminator punishes exactly that "
                "average, because no real image looks like it.",
    wrong=["a", "c", "d"],
)


def _check_c2(answer: Any) -> Result:
    value = whole_number(answer)
    if value is None:
        return Result(False, f"expected a whole number of logits, got {answer!r:.40}.")
    if value == 144:
        return Result(True, "")
    if value == 1:
        return Result(False, "a patch discriminator gives one logit per *patch*, not per image.")
    if value in (48 * 48, 24 * 24):
        return Result(False, "three stride-2 stages halve the side three times: 96 / 8.")
    if value == 12:
        return Result(False, "that is the side of the logit map; it is square.")
    return Result(False, f"{value} is not it: each stride-2 convolution halves height and width.")


c2 = Exercise(
    "c2",
    checker=_check_c2,
    answer=144,
    hint="patch_discriminator() has downsamplings=3 stride-2 stages; the logit map is 96 / 2**3 on a side.",
    solution="answer = (96 // 2 ** 3) ** 2  # a 12 x 12 map of logits",
    explanation="144 verdicts per 96-px patch, each from a receptive field of a few dozen pixels: the "
                "discriminator judges local texture, which is what an SR generator invents.",
    wrong=[1, 12, 2304],
)

"""Exercises of lesson 05: reference answers pass, wrong answers fail with a message, and the
references agree with the library (srlib.training.losses, srlib.models.interpolation)."""
from __future__ import annotations

import numpy as np
import pytest

from srlib.exercises import lesson05, self_test


def test_solutions_pass_and_wrong_answers_fail() -> None:
    assert self_test(lesson05) == 5  # three end-of-lesson exercises, two check-your-understanding questions


def test_reference_answers_match_the_library() -> None:
    keras = pytest.importorskip("keras")
    from srlib.models import srresnet
    from srlib.models.interpolation import interpolate_weights
    from srlib.training import losses

    rng = np.random.default_rng(0)
    real, fake = rng.normal(1, 2, (2, 6, 6, 1)).astype(np.float32), rng.normal(-1, 2, (2, 6, 6, 1)).astype(np.float32)
    assert lesson05.relativistic_d_loss(real, fake) == pytest.approx(
        float(losses.relativistic_discriminator_loss(real, fake)), rel=1e-5)
    keras.utils.set_random_seed(0)
    pixel, gan = srresnet(2, filters=8, blocks=1), srresnet(2, filters=8, blocks=1)
    for got, want in zip(lesson05.blend_weights(pixel.get_weights(), gan.get_weights(), 0.3),
                         interpolate_weights(pixel, gan, 0.3).get_weights()):
        assert np.allclose(got, want, atol=1e-6)


def test_messages_name_the_slip() -> None:
    standard = lambda real, fake: 0.5 * (np.mean(np.logaddexp(0, -np.asarray(real))) +
                                         np.mean(np.logaddexp(0, np.asarray(fake))))
    assert "standard GAN" in lesson05.q1.check(standard, quiet=True).message
    swapped = lambda real, fake: 0.5 * (np.mean(np.logaddexp(0, np.asarray(real) - np.mean(fake)))
                                        + np.mean(np.logaddexp(0, -(np.asarray(fake) - np.mean(real)))))
    assert "generator's loss" in lesson05.q1.check(swapped, quiet=True).message
    assert "per *patch*" in lesson05.c2.check(1, quiet=True).message
    assert "phase" in lesson05.c1.check("a", quiet=True).message


def test_pareto_front_examples() -> None:
    points = {"bicubic": (26.0, 7.6), "srresnet": (27.6, 6.3), "gan": (26.3, 4.4), "blend": (27.0, 6.5)}
    assert lesson05.pareto_front(points) == ["srresnet", "gan"]
    assert lesson05.pareto_front({"a": (1.0, 1.0), "b": (1.0, 1.0)}) == ["a", "b"]  # ties dominate nobody

"""Exercises of lesson 06: reference answers pass, wrong answers fail with a message, and the
references agree with the library (srlib.data.gaussian_kernel, crop_pair, jpeg)."""
from __future__ import annotations

import numpy as np

from srlib import data
from srlib.exercises import lesson06, self_test
from srlib.images import rgb_to_y


def test_solutions_pass_and_wrong_answers_fail() -> None:
    assert self_test(lesson06) == 5  # three end-of-lesson exercises, two check-your-understanding questions


def test_reference_answers_match_the_library() -> None:
    for size, sx, sy, angle in ((21, 3.0, 1.0, 0.4), (9, 1.5, 0.7, -1.2)):
        assert np.allclose(lesson06.anisotropic_gaussian(size, sx, sy, angle),
                           data.gaussian_kernel(size, sx, sy, angle), atol=1e-12)
    rng = np.random.default_rng(0)
    lr, hr = rng.random((10, 12, 3)), rng.random((30, 36, 3))
    for got, want in zip(lesson06.aligned_crop(lr, hr, 2, 3, 4, 3), data.crop_pair(lr, hr, 2, 3, 4, 3)):
        assert np.array_equal(got, want)


def test_blockiness_rises_as_jpeg_quality_falls() -> None:
    image = data.default_images(size=128, names=["astronaut"])["astronaut"]
    values = [lesson06.blockiness(rgb_to_y(data.jpeg(image, quality))) for quality in (95, 50, 20, 8)]
    assert all(a < b for a, b in zip(values, values[1:])), values
    assert values[0] < 1.15 and values[-1] > 1.3


def test_messages_name_the_slip() -> None:
    transposed = lambda size, sx, sy, angle: lesson06.anisotropic_gaussian(size, sx, sy, angle).T
    assert "swapped" in lesson06.q1.check(transposed, quiet=True).message
    unnormalised = lambda size, sx, sy, angle: 2 * lesson06.anisotropic_gaussian(size, sx, sy, angle)
    assert "sums to 2" in lesson06.q1.check(unnormalised, quiet=True).message
    same_corner = lambda lr, hr, y, x, size, scale: (lr[y:y + size, x:x + size],
                                                     hr[y:y + size * scale, x:x + size * scale])
    assert "wrong place" in lesson06.q2.check(same_corner, quiet=True).message
    assert "final resize" in lesson06.c1.check("a", quiet=True).message


def test_blockiness_exercise_matches_the_library() -> None:
    from srlib.metrics import blockiness

    image = data.jpeg(data.default_images(size=96, names=["chelsea"])["chelsea"], 20)
    assert np.isclose(lesson06.blockiness(rgb_to_y(image).astype(float)), blockiness(image), rtol=1e-12)

"""Tests for srlib.perception: the period-4 grid measure of learned upsamplers."""
from __future__ import annotations

import numpy as np
import pytest

from srlib import metrics
from srlib.data import default_images, make_lr
from srlib.images import to_float
from srlib.perception import grid_artifact, phase_means
from srlib.resize import imresize


def _pattern(period: int = 4, seed: int = 0) -> np.ndarray:
    """A fixed zero-mean ``period x period`` tile with standard deviation 1 (one grey level)."""
    tile = np.random.default_rng(seed).normal(size=(period, period))
    tile -= tile.mean()
    return tile / tile.std()


def _with_pattern(image: np.ndarray, amplitude: float, period: int = 4, seed: int = 0) -> np.ndarray:
    height, width = image.shape[:2]
    tiled = np.tile(_pattern(period, seed), (height // period + 1, width // period + 1))[:height, :width]
    if image.ndim == 3:
        tiled = tiled[:, :, None]
    return np.clip(np.round(image + amplitude * tiled), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def images() -> dict[str, np.ndarray]:
    return default_images()


def test_exported_from_metrics():
    assert metrics.grid_artifact is grid_artifact


def test_near_zero_on_natural_images(images):
    scores = {name: grid_artifact(image) for name, image in images.items()}
    assert max(scores.values()) < 0.05, scores


def test_near_zero_on_bicubic_upscales(images):
    """Interpolation adds no fixed pattern: in float every default image scores < 0.01."""
    for name, image in images.items():
        upscaled = np.clip(imresize(to_float(make_lr(image, 4)), 4), 0, 1)
        assert grid_artifact(upscaled) < 0.01, name


def test_uint8_bicubic_upscales_stay_below_a_one_grey_level_grid(images):
    """Rounding a smooth upscale to uint8 leaves a faint period-4 pattern (rocket's sky: the
    documented 0.15); it stays below an added grid of one grey level on the same image."""
    scores = {}
    for name, image in images.items():
        upscaled = imresize(make_lr(image, 4), 4)
        scores[name] = grid_artifact(upscaled)
        assert scores[name] < grid_artifact(_with_pattern(upscaled, 1.0)), name
    assert np.median(list(scores.values())) < 0.02, scores
    assert max(scores, key=scores.get) == "rocket" and 0.1 < scores["rocket"] < 0.2, scores


@pytest.mark.parametrize("name", ["astronaut", "coffee", "grass"])
def test_large_on_an_added_period_4_pattern_and_monotonic_in_its_amplitude(images, name):
    image = images[name].astype(np.float64)
    scores = [grid_artifact(_with_pattern(image, amplitude)) for amplitude in (0.0, 0.5, 1, 2, 4, 8)]
    assert scores[0] < 0.05 and scores[2] > 0.05 and scores[-1] > 0.4, scores
    assert all(a < b for a, b in zip(scores, scores[1:])), scores


def test_specific_to_the_period():
    """A period-3 pattern has no component at multiples of 1/4 cycle/pixel, and vice versa."""
    image = default_images(names=["astronaut"])["astronaut"].astype(np.float64)
    gridded_3 = _with_pattern(image, 4.0, period=3)
    gridded_4 = _with_pattern(image, 4.0, period=4)
    assert grid_artifact(gridded_3, period=3) > 0.3 > 0.05 > grid_artifact(gridded_3, period=4)
    assert grid_artifact(gridded_4, period=4) > 0.3 > 0.05 > grid_artifact(gridded_4, period=3)


def test_independent_of_where_the_pattern_starts():
    image = _with_pattern(default_images(names=["chelsea"])["chelsea"].astype(np.float64), 2.0)
    reference = grid_artifact(image)
    for top, left in ((1, 0), (0, 3), (2, 1)):
        assert grid_artifact(image[top:, left:]) == pytest.approx(reference, rel=0.05)


def test_phase_means_recover_the_laplacian_of_the_pattern():
    """On a flat image plus a pattern, the table is exactly the pattern's (cyclic) Laplacian."""
    tile = _pattern() * 10
    image = np.clip(np.round(128 + np.tile(tile, (8, 8))), 0, 255)
    rounded = image[:4, :4] - 128
    expected = 4 * rounded - sum(np.roll(rounded, shift, axis) for shift in (1, -1) for axis in (0, 1))
    assert np.allclose(phase_means(image.astype(np.uint8)), expected)


def test_single_channel_and_float_forms_agree(images):
    image = _with_pattern(images["coins"].astype(np.float64), 2.0)
    assert grid_artifact(to_float(image)) == pytest.approx(grid_artifact(image), rel=0.05)
    grey = image[:, :, 0]
    assert grid_artifact(grey) == grid_artifact(grey[:, :, None])


@pytest.mark.parametrize("period", [0, 1, -4, 2.5, True, "4"])
def test_refuses_a_bad_period(period):
    with pytest.raises(ValueError, match="period"):
        grid_artifact(np.zeros((64, 64), np.uint8), period)


def test_refuses_small_and_flat_images():
    grid_artifact(_with_pattern(np.zeros((18, 18)), 5.0) + 100)  # 4 periods + border: accepted
    with pytest.raises(ValueError, match="at least 18x18"):
        grid_artifact(np.zeros((17, 40), np.uint8))
    with pytest.raises(ValueError, match="at least 34x34"):
        grid_artifact(np.zeros((33, 40), np.uint8), period=8)
    with pytest.raises(ValueError, match="flat"):
        grid_artifact(np.full((40, 40, 3), 9, np.uint8))


@pytest.mark.parametrize("image, message", [
    (np.zeros((40, 40), np.int16), "dtype int16"),
    (np.zeros((40, 40, 2), np.uint8), "shape"),
    (np.full((40, 40), 3.0), "looks like 0..255"),
])
def test_refuses_bad_images(image, message):
    with pytest.raises(ValueError, match=message):
        grid_artifact(image)


def test_blockiness_sees_jpeg_blocks_and_nothing_else():
    from srlib import data
    from srlib.metrics import blockiness

    photo = data.default_images(size=128, names=["chelsea"])["chelsea"]
    values = [blockiness(data.jpeg(photo, quality)) for quality in (95, 40, 10)]
    assert values[0] < 1.15 < values[1] < values[2], values
    assert abs(blockiness(photo) - 1) < 0.1  # the PNG original has no block grid
    shifted = data.jpeg(photo, 10)[:, 3:]  # the same blocks, off the assumed grid: not counted
    assert blockiness(shifted) < values[2] - 0.3
    big = np.kron(data.jpeg(photo, 10), np.ones((4, 4, 1), np.uint8))  # enlarged x4: blocks of 32 px
    assert blockiness(big, period=32) > 1.5
    with pytest.raises(ValueError, match="at least 17 are needed"):
        blockiness(photo[:, :16])
    with pytest.raises(ValueError, match="period must be an integer >= 2"):
        blockiness(photo, period=1)
    with pytest.raises(ValueError, match="flat"):
        blockiness(np.full((20, 40), 7, np.uint8))

"""Tests for srlib.data.transforms: paired crop, flips and rotations keep the LR/HR pair aligned."""
from __future__ import annotations

import numpy as np
import pytest

from srlib import data
from srlib.resize import imresize


def _pair(scale: int, height: int = 12, width: int = 15) -> tuple[np.ndarray, np.ndarray]:
    """An HR image whose every pixel is unique, and its box-filter LR (block means): exact alignment."""
    hr = np.arange(height * scale * width * scale, dtype=np.float64).reshape(height * scale, width * scale)
    lr = hr.reshape(height, scale, width, scale).mean(axis=(1, 3))
    return lr, hr


def _box_down(image: np.ndarray, scale: int) -> np.ndarray:
    h, w = image.shape[0] // scale, image.shape[1] // scale
    return image.reshape(h, scale, w, scale).mean(axis=(1, 3))


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_crop_pair_scales_the_offset(scale: int) -> None:
    lr, hr = _pair(scale)
    for y, x in [(0, 0), (3, 5), (12 - 4, 15 - 4)]:
        lr_crop, hr_crop = data.crop_pair(lr, hr, y, x, 4, scale)
        assert lr_crop.shape == (4, 4) and hr_crop.shape == (4 * scale, 4 * scale)
        np.testing.assert_array_equal(hr_crop, hr[y * scale:(y + 4) * scale, x * scale:(x + 4) * scale])
        np.testing.assert_array_equal(_box_down(hr_crop, scale), lr_crop)  # the same content


def test_crop_pair_with_an_hr_size_source() -> None:
    scale = 3
    lr, hr = _pair(scale)
    up = imresize(lr, float(scale))
    source, target = data.crop_pair(up, hr, 2, 4, 5, scale, source_scale=scale)
    assert source.shape == target.shape == (15, 15)
    np.testing.assert_array_equal(source, up[6:21, 12:27])
    with pytest.raises(ValueError, match="source_scale"):
        data.crop_pair(up, hr, 0, 0, 5, scale, source_scale=2)


def test_crop_pair_refuses_crops_outside_the_images() -> None:
    lr, hr = _pair(2)
    with pytest.raises(ValueError, match="does not fit"):
        data.crop_pair(lr, hr, 9, 0, 4, 2)
    with pytest.raises(ValueError, match="does not fit the target"):
        data.crop_pair(lr, hr[:20], 8, 0, 4, 2)
    with pytest.raises(ValueError, match="y must be a non-negative integer"):
        data.crop_pair(lr, hr, -1, 0, 4, 2)
    with pytest.raises(ValueError, match="scale"):
        data.crop_pair(lr, hr, 0, 0, 4, 1)


@pytest.mark.parametrize("transform", range(8))
def test_dihedral_pair_keeps_the_pair_aligned(transform: int) -> None:
    scale = 2
    lr, hr = _pair(scale, 6, 6)
    lr_t, hr_t = data.dihedral_pair(lr, hr, transform)
    np.testing.assert_array_equal(_box_down(hr_t, scale), lr_t)  # still each other's down/upscale
    flip = (lambda a: a[:, ::-1]) if transform >= 4 else (lambda a: a)
    np.testing.assert_array_equal(lr_t, np.rot90(flip(lr), transform % 4))
    np.testing.assert_array_equal(hr_t, np.rot90(flip(hr), transform % 4))


def test_the_eight_dihedral_transforms_are_distinct_and_work_on_colour() -> None:
    image = np.arange(9 * 3).reshape(3, 3, 3)
    results = [data.dihedral(image, t) for t in data.DIHEDRAL_TRANSFORMS]
    assert len({r.tobytes() for r in results}) == 8
    assert all(r.shape == (3, 3, 3) for r in results)
    np.testing.assert_array_equal(results[0], image)
    np.testing.assert_array_equal(results[4][:, :, 1], image[:, ::-1, 1])  # channels stay channels
    for bad in (8, -1, 1.5):
        with pytest.raises(ValueError, match="transform"):
            data.dihedral(image, bad)  # type: ignore[arg-type]


def test_dihedral_draws_one_transform_per_pair_from_its_choices() -> None:
    everything = data.Dihedral()
    drawn = everything.draw(4000, np.random.default_rng(0))
    assert drawn.shape == (4000,) and set(drawn.tolist()) == set(range(8))
    np.testing.assert_array_equal(drawn, np.random.default_rng(0).integers(0, 8, size=4000))  # the seeded stream
    flips = data.Dihedral(choices=(0, 4))
    assert set(flips.draw(200, np.random.default_rng(1)).tolist()) == {0, 4}
    lr, hr = _pair(3, 4, 4)
    lr_t, hr_t = flips(lr, hr, 4)
    np.testing.assert_array_equal(lr_t, lr[:, ::-1])
    np.testing.assert_array_equal(hr_t, hr[:, ::-1])
    assert isinstance(everything, data.PairTransform) and repr(flips) == "Dihedral(choices=(0, 4))"
    for bad in ((), (9,), "04", (0, -1)):
        with pytest.raises(ValueError, match="choices"):
            data.Dihedral(choices=bad)  # type: ignore[arg-type]


def test_random_crop_offsets_cover_every_valid_position() -> None:
    rows, cols = np.full(3000, 3), np.full(3000, 2)
    ys, xs = data.random_crop_offsets(rows, cols, np.random.default_rng(0))
    assert ys.dtype == np.int64 and set(zip(ys.tolist(), xs.tolist())) == {(y, x) for y in range(3) for x in range(2)}
    mixed_y, mixed_x = data.random_crop_offsets(np.array([1, 5]), np.array([7, 1]), np.random.default_rng(2))
    assert mixed_y[0] == 0 and mixed_x[1] == 0 and 0 <= mixed_y[1] < 5 and 0 <= mixed_x[0] < 7
    with pytest.raises(ValueError, match="rows and cols"):
        data.random_crop_offsets(np.array([0]), np.array([3]), np.random.default_rng(0))

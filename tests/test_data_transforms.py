"""Tests for srlib.data.transforms: paired crop, flips and rotations keep the LR/HR pair aligned."""
from __future__ import annotations

import numpy as np
import pytest

from srlib import data
from srlib.images import rgb_to_y, to_float
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


# =========================================================================== SR-specific augmentation
from scipy import ndimage


def _batch(scale: int, count: int = 6, side: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A batch of (box-filter LR, HR) pairs, ``(n, h, w, 1)``: the identity degradation of block means."""
    rng = np.random.default_rng(seed)
    hr = rng.random((count, side * scale, side * scale, 1))
    lr = hr.reshape(count, side, scale, side, scale, 1).mean(axis=(2, 4))
    return lr, hr


def _box_down_batch(hr: np.ndarray, scale: int) -> np.ndarray:
    n, h, w, c = hr.shape
    return hr.reshape(n, h // scale, scale, w // scale, scale, c).mean(axis=(2, 4))


@pytest.mark.parametrize("scale", [2, 3, 4])
@pytest.mark.parametrize("transform", [data.MixUp(), data.CutMix(), data.CutMixUp(), data.CutMix(alpha=0.35)],
                         ids=repr)
def test_batch_transforms_keep_every_pair_aligned(scale: int, transform) -> None:
    """With the identity (block-mean) degradation, LR == box_down(HR) must still hold after mixing."""
    lr, hr = _batch(scale)
    parameters = transform.draw(len(lr), np.random.default_rng(1))
    mixed_lr, mixed_hr = transform.apply_batch(lr, hr, parameters)
    assert mixed_lr.shape == lr.shape and mixed_hr.shape == hr.shape
    np.testing.assert_allclose(_box_down_batch(mixed_hr, scale), mixed_lr, atol=1e-12)
    changed = [not np.array_equal(mixed_hr[n], hr[n]) for n in range(len(hr))]
    assert sum(changed) >= len(hr) - 1  # a pair may draw itself as partner


def test_cutmix_boxes_are_scaled_by_the_scale() -> None:
    scale = 3
    lr, hr = _batch(scale, count=2, side=10)
    transform = data.CutMix()
    parameters = {"apply": np.array([True, False]), "partner": np.array([1, 0]), "ratio": np.array([0.5, 0.5]),
                  "fraction_y": np.array([0.99, 0.0]), "fraction_x": np.array([0.0, 0.0])}
    mixed_lr, mixed_hr = transform.apply_batch(lr, hr, parameters)
    # box of 5 LR pixels at (5, 0) in LR, (15, 0) of 15 pixels in HR
    np.testing.assert_array_equal(mixed_lr[0, 5:10, 0:5], lr[1, 5:10, 0:5])
    np.testing.assert_array_equal(mixed_lr[0, :5], lr[0, :5])
    np.testing.assert_array_equal(mixed_hr[0, 15:30, 0:15], hr[1, 15:30, 0:15])
    np.testing.assert_array_equal(mixed_hr[0, :15], hr[0, :15])
    np.testing.assert_array_equal(mixed_hr[0, 15:30, 15:], hr[0, 15:30, 15:])
    np.testing.assert_array_equal(mixed_hr[1], hr[1])  # not applied


def test_mixup_weights_follow_the_beta_distribution() -> None:
    drawn = data.MixUp(alpha=1.2).draw(20000, np.random.default_rng(0))
    assert abs(drawn["weight"].mean() - 0.5) < 0.01 and abs(drawn["weight"].var() - 1 / (4 * 3.4)) < 0.005
    assert sorted(drawn["partner"].tolist()) == list(range(20000))
    lr, hr = _batch(2, count=4)
    parameters = {"apply": np.array([True] * 4), "partner": np.array([1, 0, 3, 2]), "weight": np.full(4, 0.25)}
    mixed_lr, mixed_hr = data.MixUp().apply_batch(lr, hr, parameters)
    np.testing.assert_allclose(mixed_hr[0], 0.25 * hr[0] + 0.75 * hr[1])
    np.testing.assert_allclose(mixed_lr[2], 0.25 * lr[2] + 0.75 * lr[3])
    none = data.MixUp(probability=0.0)
    np.testing.assert_array_equal(none.apply_batch(lr, hr, none.draw(4, np.random.default_rng(0)))[1], hr)


def test_cutmixup_mixes_inside_or_outside_the_box() -> None:
    lr, hr = _batch(2, count=2, side=8)
    base = {"apply": np.array([True, True]), "partner": np.array([1, 0]), "ratio": np.array([0.5, 0.5]),
            "fraction_y": np.array([0.0, 0.0]), "fraction_x": np.array([0.0, 0.0]), "weight": np.array([0.3, 0.3])}
    inside = data.CutMixUp().apply_batch(lr, hr, {**base, "inside": np.array([True, True])})[1]
    outside = data.CutMixUp().apply_batch(lr, hr, {**base, "inside": np.array([False, False])})[1]
    mixed = 0.3 * hr[0] + 0.7 * hr[1]
    np.testing.assert_allclose(inside[0, :8, :8], mixed[:8, :8])
    np.testing.assert_array_equal(inside[0, 8:], hr[0, 8:])
    np.testing.assert_array_equal(outside[0, :8, :8], hr[0, :8, :8])
    np.testing.assert_allclose(outside[0, 8:], mixed[8:])


def test_cutblur_pastes_hr_into_the_input_or_the_input_into_hr() -> None:
    scale = 2
    lr, hr = _pair(scale, 12, 12)
    up = imresize(lr, float(scale))
    transform = data.CutBlur()
    drawn = transform.draw(2000, np.random.default_rng(0))
    assert drawn.shape == (2000, 5) and 0.3 < drawn[:, 4].mean() < 0.7
    assert np.all(np.abs(drawn[:, 1] - 0.7) < 0.06)
    source, target = transform(up, hr, [1, 0.5, 0.0, 1.0, 1])  # HR box at the top right
    np.testing.assert_array_equal(target, hr)  # the target never changes
    np.testing.assert_array_equal(source[:12, 12:], hr[:12, 12:])
    np.testing.assert_array_equal(source[12:], up[12:])
    source, _ = transform(up, hr, [1, 0.5, 0.0, 1.0, 0])  # the input's box inside the HR patch
    np.testing.assert_array_equal(source[:12, 12:], up[:12, 12:])
    np.testing.assert_array_equal(source[12:], hr[12:])
    unchanged, _ = transform(up, hr, [0, 0.5, 0.0, 1.0, 1])
    assert unchanged is up
    with pytest.raises(ValueError, match="pre_upsample=True"):
        transform(lr, hr, drawn[0])


def test_blend_is_linear_and_keeps_the_pair_aligned() -> None:
    scale = 3
    lr, hr = _pair(scale, 6, 6)
    lr, hr = lr / hr.max(), hr / hr.max()
    transform = data.Blend()
    drawn = transform.draw(1000, np.random.default_rng(0))
    assert np.all((drawn[:, 1] >= 0.6) & (drawn[:, 1] <= 1)) and np.all((drawn[:, 2:] >= 0) & (drawn[:, 2:] <= 1))
    source, target = transform(lr, hr, drawn[0])
    np.testing.assert_allclose(_box_down(target, scale), source, atol=1e-12)
    np.testing.assert_allclose(target, drawn[0, 1] * hr + (1 - drawn[0, 1]) * drawn[0, 2])
    colour_lr, colour_hr = np.stack([lr] * 3, axis=-1), np.stack([hr] * 3, axis=-1)
    source, target = transform(colour_lr, colour_hr, [1, 0.5, 0.0, 0.5, 1.0])
    np.testing.assert_allclose(target[0, 0], 0.5 * colour_hr[0, 0] + 0.5 * np.array([0.0, 0.5, 1.0]))


def test_bad_augmentation_parameters() -> None:
    for make, message in [(lambda: data.CutBlur(alpha=1.5), "alpha"), (lambda: data.CutBlur(probability=-0.1),
                          "probability"), (lambda: data.MixUp(alpha=0), "alpha"), (lambda: data.CutMix(alpha=0),
                          "alpha"), (lambda: data.CutMixUp(mixup_alpha=-1), "mixup_alpha"),
                          (lambda: data.Blend(alpha=2), "alpha")]:
        with pytest.raises(ValueError, match=message):
            make()
    lr, hr = _batch(2, count=2)
    with pytest.raises(ValueError, match="integer multiple"):
        data.CutMix().apply_batch(lr, hr[:, :15], data.CutMix().draw(2, np.random.default_rng(0)))
    assert isinstance(data.MixUp(), data.BatchTransform) and not isinstance(data.MixUp(), data.PairTransform)
    assert isinstance(data.CutBlur(), data.PairTransform)


# --------------------------------------------------------------------------- what breaks a pair
@pytest.fixture(scope="module")
def photo_pair() -> tuple[np.ndarray, np.ndarray]:
    train, _ = data.split_default_images()
    return list(train.values())[0], 4


def _crops(photo: np.ndarray, scale: int, dy: int = 0, dx: int = 0) -> tuple[np.ndarray, np.ndarray]:
    y, x, side = 20, 30, 24
    lr = data.make_lr(photo, scale)[y:y + side, x:x + side]
    hr = photo[y * scale + dy:(y + side) * scale + dy, x * scale + dx:(x + side) * scale + dx]
    return lr, hr


def test_pair_misalignment_of_an_aligned_pair(photo_pair) -> None:
    photo, scale = photo_pair
    result = data.pair_misalignment(*_crops(photo, scale), scale)
    assert result["psnr"] > 24 and result["correlation"] > 0.97 and result["peak"] > 0.9
    assert max(abs(value) for value in result["shift"]) < 0.25
    assert max(abs(value) for value in result["mean_difference"]) < 1.0
    y = data.pair_misalignment(*(rgb_to_y(to_float(image)) for image in _crops(photo, scale)), scale)
    assert abs(y["psnr"] - result["psnr"]) < 0.1 and len(y["mean_difference"]) == 1


@pytest.mark.parametrize("dy, dx", [(1, 0), (0, 2), (2, 3), (-3, 1)])
def test_pair_misalignment_measures_a_crop_not_aligned_to_the_scale(photo_pair, dy: int, dx: int) -> None:
    photo, scale = photo_pair
    aligned = data.pair_misalignment(*_crops(photo, scale), scale)
    result = data.pair_misalignment(*_crops(photo, scale, dy, dx), scale)  # the HR window off by (dy, dx)
    assert abs(result["shift"][0] - dy) < 0.35 and abs(result["shift"][1] - dx) < 0.35, result["shift"]
    assert result["psnr"] < aligned["psnr"] - 0.5  # the PSNR drops too, but the shift names the cause


def test_pair_misalignment_detects_colour_jitter_on_one_side(photo_pair) -> None:
    photo, scale = photo_pair
    lr, hr = _crops(photo, scale)
    jittered = np.clip(lr.astype(int) + np.array([20, 0, -10]), 0, 255).astype(np.uint8)
    result = data.pair_misalignment(jittered, hr, scale)
    assert result["mean_difference"][0] < -15 and result["mean_difference"][2] > 7
    assert abs(result["mean_difference"][1]) < 1 and max(abs(v) for v in result["shift"]) < 0.25
    darker = data.pair_misalignment((lr * 0.8).astype(np.uint8), hr, scale)
    assert darker["psnr"] < data.pair_misalignment(lr, hr, scale)["psnr"] - 5
    assert min(darker["mean_difference"]) > 5


@pytest.mark.parametrize("angle", [5, 15])
def test_pair_misalignment_detects_a_rotation_that_is_not_a_multiple_of_90(photo_pair, angle: float) -> None:
    photo, scale = photo_pair
    lr, hr = _crops(photo, scale)
    margin = 40
    region = photo[20 * scale - margin:44 * scale + margin, 30 * scale - margin:54 * scale + margin]
    rotated = ndimage.rotate(region, angle, reshape=False, order=3, mode="reflect")[margin:-margin, margin:-margin]
    aligned = data.pair_misalignment(lr, hr, scale)
    result = data.pair_misalignment(lr, rotated, scale)
    assert result["psnr"] < aligned["psnr"] - 4 and result["peak"] < aligned["peak"] - 0.1
    assert result["correlation"] < aligned["correlation"] - 0.03
    rot90 = data.pair_misalignment(*data.dihedral_pair(lr, hr, 1), scale)  # a multiple of 90 is fine
    assert abs(rot90["psnr"] - aligned["psnr"]) < 0.5


def test_pair_misalignment_bad_input(photo_pair) -> None:
    photo, scale = photo_pair
    lr, hr = _crops(photo, scale)
    with pytest.raises(ValueError, match="crop_pair"):
        data.pair_misalignment(lr, hr[:-1], scale)
    with pytest.raises(ValueError, match="crop_pair"):
        data.pair_misalignment(lr, hr[..., 0], scale)
    with pytest.raises(ValueError, match="scale"):
        data.pair_misalignment(lr, hr, 1)
    with pytest.raises(ValueError, match="dtype"):
        data.pair_misalignment(lr.astype(np.int32), hr, scale)
    with pytest.raises(ValueError, match="too small"):
        data.pair_misalignment(lr[:3, :3], hr[:12, :12], scale)

"""Tests for srlib.data.patches: aligned, identically augmented, reproducible LR/HR patches."""
from __future__ import annotations

import functools

import numpy as np
import pytest

from srlib import data
from srlib.data import (Dihedral, PairedPatches, degrade, dihedral, find_images, load_images, make_lr, make_py_dataset,
                        patches_per_second, split_images)
from srlib.data.patches import _cached_protocol_lr
from srlib.images import modcrop, rgb_to_y, to_float, write_image
from srlib.resize import imresize


def _textured(height: int, width: int, seed: int = 0) -> np.ndarray:
    """A smooth, asymmetric colour image (ramps + blurred noise) in uint8."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    noise = rng.random((height // 4 + 2, width // 4 + 2, 3))
    noise = imresize(noise, output_shape=(height, width))
    base = 0.35 * yy[..., None] / height + 0.25 * xx[..., None] / width + 0.4 * noise
    return np.clip(np.round(base * 255), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def images() -> dict[str, np.ndarray]:
    return {"a": _textured(64, 80, 1), "b": _textured(72, 60, 2), "c": _textured(50, 50, 3)}


def test_crops_are_aligned_with_the_scale(images):
    scale, patch = 3, 8
    sampler = PairedPatches(images, scale, patch, transforms=())
    index = sampler.names.index("a")
    hr_full = modcrop(images["a"], scale)
    for y, x in [(0, 0), (5, 7), (13, 18)]:
        lr_patch, hr_patch = sampler.crop(index, y, x)
        assert lr_patch.shape == (patch, patch) and hr_patch.shape == (patch * scale, patch * scale)
        region = hr_full[y * scale:(y + patch) * scale, x * scale:(x + patch) * scale]
        np.testing.assert_allclose(hr_patch, rgb_to_y(to_float(region)), atol=1e-6)
        # The LR patch is the bicubic downscale of that HR region (inside, away from the border
        # where the region's own padding differs from the full image's neighbours).
        local = rgb_to_y(to_float(imresize(region, 1 / scale)))
        np.testing.assert_allclose(lr_patch[2:-2, 2:-2], local[2:-2, 2:-2], atol=1.01 / 255)


def test_pre_upsampling_input_is_bicubic_of_the_lr(images):
    scale = 2
    sampler = PairedPatches(images, scale, 10, pre_upsample=True, transforms=())
    post = PairedPatches(images, scale, 10, pre_upsample=False, transforms=())
    up, hr = sampler.crop(0, 4, 6)
    lr, hr_post = post.crop(0, 4, 6)
    assert up.shape == hr.shape == (20, 20)
    np.testing.assert_array_equal(hr, hr_post)
    np.testing.assert_allclose(up[4:-4, 4:-4], imresize(lr, 2.0)[4:-4, 4:-4], atol=1e-5)
    assert sampler.input_shape == (20, 20, 1) and post.input_shape == (10, 10, 1)


@pytest.mark.parametrize("transform", range(8))
def test_augmentation_is_applied_identically(images, transform):
    """One drawn transform acts on both halves: the augmented batch is the plain batch, transformed."""
    for pre_upsample in (False, True):
        plain = PairedPatches(images, 2, 8, pre_upsample=pre_upsample, transforms=(), seed=4)
        fixed = PairedPatches(images, 2, 8, pre_upsample=pre_upsample, transforms=(Dihedral(choices=(transform,)),),
                              seed=4)
        plain_in, plain_out = plain.batch(0, 6)
        fixed_in, fixed_out = fixed.batch(0, 6)
        for n in range(6):
            np.testing.assert_array_equal(fixed_in[n], dihedral(plain_in[n], transform))
            np.testing.assert_array_equal(fixed_out[n], dihedral(plain_out[n], transform))


def test_sampled_pairs_match_after_random_augmentation(images):
    scale = 2
    sampler = PairedPatches(images, scale, 12, pre_upsample=True, seed=3)
    inputs, targets = sampler.batch(0, 32)
    inner = slice(4, -4)
    errors = np.abs(inputs[:, inner, inner] - targets[:, inner, inner]).mean(axis=(1, 2, 3))
    rotated = np.abs(np.rot90(inputs, 1, axes=(1, 2))[:, inner, inner] - targets[:, inner, inner]).mean(axis=(1, 2, 3))
    assert errors.max() < 0.02  # bicubic of the same (transformed) region
    assert np.median(rotated) > 3 * np.median(errors)  # a mismatched transform would show


def test_batches_are_reproducible(images):
    first = PairedPatches(images, 3, 6, seed=7)
    second = PairedPatches(images, 3, 6, seed=7)
    a_in, a_out = first.batch(4, 5)
    b_in, b_out = second.batch(4, 5)
    np.testing.assert_array_equal(a_in, b_in)
    np.testing.assert_array_equal(a_out, b_out)
    assert a_in.dtype == np.float32 and a_in.shape == (5, 6, 6, 1) and a_out.shape == (5, 18, 18, 1)
    assert 0.0 <= a_in.min() and a_in.max() <= 1.0
    assert not np.array_equal(first.batch(5, 5)[0], a_in)
    assert not np.array_equal(PairedPatches(images, 3, 6, seed=8).batch(4, 5)[0], a_in)
    streamed = list(first.batches(5, start=3, stop=5))
    np.testing.assert_array_equal(streamed[1][0], a_in)


def test_flat_patches_are_rejected():
    flat_and_textured = np.concatenate([np.full((64, 64, 3), 120, np.uint8), _textured(64, 64, 5)], axis=1)
    source = {"half": flat_and_textured}
    keep_all = PairedPatches(source, 2, 8, min_std=0.0, seed=0, transforms=())
    rejecting = PairedPatches(source, 2, 8, min_std=0.01, seed=0, transforms=(), max_tries=50)
    stds_all = keep_all.batch(0, 64)[1].std(axis=(1, 2, 3))
    stds = rejecting.batch(0, 64)[1].std(axis=(1, 2, 3))
    assert (stds_all < 0.01).sum() > 5
    assert (stds >= 0.01).all()


def test_the_lr_is_the_protocol_make_lr_cached():
    hr = _textured(31, 40, 9)
    lr = _cached_protocol_lr(hr, 3)
    np.testing.assert_array_equal(lr, imresize(modcrop(hr, 3), 1 / 3))
    np.testing.assert_array_equal(lr, make_lr(hr, 3))
    assert _cached_protocol_lr(hr, 3) is lr
    assert lr.shape == (10, 13, 3) and lr.dtype == np.uint8


def test_default_degradation_is_the_one_make_lr(images):
    """Training inputs are cut from exactly the LR image the evaluation protocol scores on."""
    scale, patch = 3, 8
    sampler = PairedPatches(images, scale, patch, transforms=())
    assert sampler.degradation is make_lr
    for name in sampler.names:
        index = sampler.names.index(name)
        lr_y = rgb_to_y(to_float(make_lr(images[name], scale))).astype(np.float32)
        for y, x in [(0, 0), (4, 3)]:
            np.testing.assert_array_equal(sampler.crop(index, y, x)[0], lr_y[y:y + patch, x:x + patch])


def test_folders_and_splits(tmp_path, images):
    for name, image in images.items():
        write_image(tmp_path / f"{name}.png", image)
    (tmp_path / "SHA256SUMS").write_text("not an image\n")
    (tmp_path / "._a.png").write_bytes(b"\x00\x05\x16\x07 macOS AppleDouble, not a PNG")  # skipped
    files = find_images(tmp_path)
    assert [f.name for f in files] == ["a.png", "b.png", "c.png"]
    loaded = load_images(tmp_path)
    assert list(loaded) == ["a", "b", "c"]  # names are file stems (srlib.data.folders)
    assert len(data.file_list_sha256(files)) == 64
    train, val = split_images(loaded, 1, seed=0)
    assert len(train) == 2 and len(val) == 1 and not set(train) & set(val)
    assert split_images(loaded, 1, seed=0)[1].keys() == val.keys()
    with pytest.raises(ValueError, match="at least one must remain"):
        split_images(loaded, 3)


def test_bad_input_raises(tmp_path, images):
    with pytest.raises(ValueError, match="holds no images"):
        PairedPatches(tmp_path, 2, 8)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        PairedPatches(tmp_path / "missing", 2, 8)
    with pytest.raises(ValueError, match="scale"):
        PairedPatches(images, 1, 8)
    with pytest.raises(ValueError, match="patch_size"):
        PairedPatches(images, 2, 1)
    with pytest.raises(ValueError, match="large enough"):
        PairedPatches(images, 4, 40)
    with pytest.raises(ValueError, match="uint8"):
        PairedPatches({"x": np.zeros((8, 8, 3), np.float32)}, 2, 2)
    with pytest.raises(ValueError, match="batch_size"):
        PairedPatches(images, 2, 8).batch(0, 0)
    with pytest.raises(ValueError, match="channels"):
        PairedPatches(images, 2, 8, channels="ycbcr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="transforms"):
        PairedPatches(images, 2, 8, transforms=Dihedral())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="transforms"):
        PairedPatches(images, 2, 8, transforms=(np.rot90,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="degradation"):
        PairedPatches(images, 2, 8, degradation="bicubic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="degradation 'shrink_too_much'.*shape"):
        def shrink_too_much(hr, scale):
            return make_lr(hr, 2 * scale)
        PairedPatches(images, 2, 8, degradation=shrink_too_much)
    with pytest.raises(ValueError, match="uint8 LR image"):
        PairedPatches(images, 2, 8, degradation=lambda hr, scale: to_float(make_lr(hr, scale)))
    for bad in (-0.1, float("nan"), True):
        with pytest.raises(ValueError, match="min_std"):
            PairedPatches(images, 2, 8, min_std=bad)
    with pytest.raises(ValueError, match="seed"):
        PairedPatches(images, 2, 8, seed=-1)
    with pytest.raises(ValueError, match="max_tries"):
        PairedPatches(images, 2, 8, max_tries=0)


def test_small_images_are_skipped(images):
    sampler = PairedPatches(images, 4, 14)  # 56-pixel HR patches: "c" (50 x 50) is too small
    assert sampler.skipped == ["c"] and len(sampler) == 2


def test_py_dataset_matches_sampler(images):
    sampler = PairedPatches(images, 2, 8, seed=1)
    dataset = make_py_dataset(sampler, batch_size=4, start=10, workers=1)
    assert dataset.num_batches is None
    inputs, targets = dataset[2]
    np.testing.assert_array_equal(inputs, sampler.batch(12, 4)[0])
    finite = make_py_dataset(images, 2, 8, batch_size=4, num_batches=3, seed=1, workers=1)
    assert finite.num_batches == 3 and len(finite) == 3
    with pytest.raises(IndexError):
        finite[3]
    with pytest.raises(ValueError, match="already a PairedPatches"):
        make_py_dataset(sampler, channels="rgb")
    with pytest.raises(ValueError, match="num_batches"):
        make_py_dataset(sampler, num_batches=0)


def test_tf_dataset_shapes(images):
    pytest.importorskip("tensorflow")
    from srlib.data.patches import make_dataset

    sampler = PairedPatches(images, 3, 6, pre_upsample=True, seed=2)
    dataset = make_dataset(sampler, batch_size=4, start=1)
    batches = list(dataset.take(2).as_numpy_iterator())
    assert batches[0][0].shape == (4, 18, 18, 1) and batches[0][1].shape == (4, 18, 18, 1)
    assert batches[0][0].dtype == np.float32
    np.testing.assert_array_equal(batches[1][1], sampler.batch(2, 4)[1])
    spec = dataset.element_spec
    assert tuple(spec[0].shape) == (4, 18, 18, 1)
    for bad in (2.5, True, 0):  # 2.5 used to become 2 silently; make_py_dataset always refused it
        with pytest.raises(ValueError, match="batch_size"):
            make_dataset(sampler, batch_size=bad)


def test_patches_per_second(images):
    result = patches_per_second(PairedPatches(images, 2, 8), batch_size=4, batches=2, warmup=0)
    assert result["patches_per_s"] > 0 and result["batches"] == 2
    with pytest.raises(ValueError):
        patches_per_second(PairedPatches(images, 2, 8), batches=0)


def test_rgb_patches_are_the_colour_pair_and_y_is_their_luma(images):
    y_sampler = PairedPatches(images, 3, 6, seed=7)
    rgb_sampler = PairedPatches(images, 3, 6, channels="rgb", seed=7)
    assert rgb_sampler.input_shape == (6, 6, 3) and rgb_sampler.target_shape == (18, 18, 3)
    rgb_in, rgb_out = rgb_sampler.batch(4, 5)
    y_in, y_out = y_sampler.batch(4, 5)  # the same draws: the same regions and transforms
    assert rgb_in.dtype == np.float32 and rgb_in.shape == (5, 6, 6, 3) and rgb_out.shape == (5, 18, 18, 3)
    np.testing.assert_allclose(rgb_to_y(rgb_out), y_out[..., 0], atol=1e-6)
    np.testing.assert_allclose(rgb_to_y(rgb_in), y_in[..., 0], atol=1e-6)
    up = PairedPatches(images, 3, 6, channels="rgb", pre_upsample=True, transforms=())
    source, target = up.crop(0, 2, 3)
    assert source.shape == target.shape == (18, 18, 3)
    lr = to_float(make_lr(images[up.names[0]], 3))
    np.testing.assert_allclose(source[3:-3, 3:-3], imresize(lr, 3.0)[6:24, 9:27][3:-3, 3:-3], atol=1e-5)


def test_a_custom_degradation_makes_the_inputs(images):
    noisy = functools.partial(degrade, noise_sigma=8.0, seed=0)
    clean = PairedPatches(images, 2, 8, transforms=(), seed=3)
    degraded = PairedPatches(images, 2, 8, transforms=(), degradation=noisy, seed=3)
    clean_in, clean_out = clean.batch(0, 8)
    noisy_in, noisy_out = degraded.batch(0, 8)
    np.testing.assert_array_equal(clean_out, noisy_out)  # same draws, same HR targets
    difference = (noisy_in - clean_in) * 255
    assert 4 < difference.std() < 12  # sensor noise of 8 grey levels (Y mixes the channels' noise)
    index = degraded.names.index("a")
    expected = rgb_to_y(to_float(noisy(modcrop(images["a"], 2), 2))).astype(np.float32)
    np.testing.assert_array_equal(degraded.crop(index, 1, 2)[0], expected[1:9, 2:10])


def test_same_seed_gives_the_same_patches_as_before_the_refactoring():
    """Values recorded from srlib before PairedPatches got degradation=/transforms=/channels= (default arguments).

    The HR targets depend only on the random draws (image, offset, flip/rotation), so they are compared
    exactly; the LR inputs also depend on the resizer's border rule, so only their means are compared.
    """
    train, _ = data.split_default_images()
    for pre_upsample, input_means in ((False, [0.512768566608429, 0.21701309084892273, 0.594912588596344,
                                                0.15994372963905334]),
                                      (True, [0.513186514377594, 0.2171740084886551, 0.5948224663734436,
                                              0.1599096804857254])):
        sampler = PairedPatches(train, 3, 10, pre_upsample=pre_upsample)
        inputs, targets = sampler.batch(0, 4)
        np.testing.assert_allclose(targets[:, 0, 0, 0], [0.4152972102165222, 0.1542586386203766,
                                                         0.5982468724250793, 0.16041523218154907], atol=1e-6)
        np.testing.assert_allclose(targets[:, 17, 23, 0], [0.6188080906867981, 0.4345146417617798,
                                                           0.5847750902175903, 0.16041523218154907], atol=1e-6)
        np.testing.assert_allclose(targets.sum(axis=(1, 2, 3)), [461.72088623046875, 195.47727966308594,
                                                                 535.367431640625, 144.15142822265625], rtol=1e-6)
        np.testing.assert_allclose(inputs.mean(axis=(1, 2, 3)), input_means, atol=1e-3)
        np.testing.assert_allclose(sampler.batch(9, 2)[1].sum(axis=(1, 2, 3)), [97.87274169921875, 325.91552734375],
                                   rtol=1e-6)


def test_negative_batch_numbers_and_starts_are_refused_with_the_name(images):
    from srlib.data import make_dataset

    sampler = PairedPatches(images, 2, 8)
    with pytest.raises(ValueError, match="index must be a non-negative integer, got -1"):
        sampler.batch(-1, 4)
    with pytest.raises(ValueError, match="start must be a non-negative integer, got -5"):
        make_dataset(sampler, batch_size=4, start=-5)
    with pytest.raises(ValueError, match="start must be a non-negative integer"):
        next(sampler.batches(4, start=-2))


# --------------------------------------------------------------------------- random degradations, batch transforms
class _ProtocolAsRandom(data.RandomDegradation):
    """A 'random' degradation that is the clean protocol: shows where each sample's LR comes from."""

    name = "protocol-as-random"

    def draw(self, rng, shape, scale):
        rng.random()  # consumes the sample's generator like a real draw
        return ({"op": "downscale"},)


def test_a_random_degradation_degrades_every_sample_from_its_own_hr_crop(images):
    scale, patch = 2, 8
    sampler = PairedPatches(images, scale, patch, transforms=(), degradation=_ProtocolAsRandom(), seed=5)
    inputs, targets = sampler.batch(0, 6)
    clean = PairedPatches(images, scale, patch, transforms=(), seed=5)
    np.testing.assert_array_equal(targets, clean.batch(0, 6)[1])  # same crops as the clean sampler
    rgb = PairedPatches(images, scale, patch, transforms=(), degradation=_ProtocolAsRandom(), seed=5, channels="rgb")
    rgb_in, rgb_out = rgb.batch(0, 6)
    for n in range(6):  # the input is the protocol LR of exactly the target crop (no misalignment)
        hr_uint8 = np.round(rgb_out[n] * 255).astype(np.uint8)
        np.testing.assert_array_equal(rgb_in[n], to_float(make_lr(hr_uint8, scale)))
        result = data.pair_misalignment(rgb_in[n], rgb_out[n], scale)
        assert max(abs(v) for v in result["shift"]) < 0.3


@pytest.mark.parametrize("pre_upsample", [False, True])
def test_random_degradation_gives_new_lr_per_sample_reproducibly(images, pre_upsample):
    degradation = data.RealESRGANDegradation()
    first = PairedPatches(images, 4, 6, degradation=degradation, seed=2, pre_upsample=pre_upsample, min_std=0.02)
    second = PairedPatches(images, 4, 6, degradation=degradation, seed=2, pre_upsample=pre_upsample, min_std=0.02)
    clean = PairedPatches(images, 4, 6, seed=2, pre_upsample=pre_upsample, min_std=0.02)
    a_in, a_out = first.batch(3, 5)
    b_in, b_out = second.batch(3, 5)
    np.testing.assert_array_equal(a_in, b_in)
    np.testing.assert_array_equal(a_out, b_out)
    clean_in, clean_out = clean.batch(3, 5)
    np.testing.assert_array_equal(a_out, clean_out)  # the draws (crops, flips, flat-patch redraws) are the clean ones
    assert a_in.shape == clean_in.shape and a_in.dtype == np.float32
    assert np.abs(a_in - clean_in).mean() > 0.01
    assert not np.array_equal(first.batch(4, 5)[0], a_in)
    # the same crop twice: a different LR each time (a new degradation per sample)
    index = first.names.index("a")
    once = first.crop(index, 2, 3, np.random.default_rng(0))[0]
    again = first.crop(index, 2, 3, np.random.default_rng(1))[0]
    assert not np.array_equal(once, again)
    np.testing.assert_array_equal(first.crop(index, 2, 3, np.random.default_rng(0))[1],
                                  first.crop(index, 2, 3, np.random.default_rng(1))[1])
    with pytest.raises(ValueError, match="rng"):
        first.crop(index, 2, 3)


def test_random_degradation_is_not_cached_and_the_clean_path_is(images):
    from srlib.data import patches

    sampler = PairedPatches(images, 3, 6, degradation=data.BSRGANDegradation(), seed=0)
    before = len(patches._LR_CACHE), len(patches._UP_CACHE)
    sampler.batch(0, 8)
    assert (len(patches._LR_CACHE), len(patches._UP_CACHE)) == before
    assert sampler._lr == [] and len(sampler._hr_uint8) == len(sampler.names)


def test_batch_transforms_run_on_the_sampled_batch(images):
    plain = PairedPatches(images, 2, 8, transforms=(), seed=6)
    mixing = PairedPatches(images, 2, 8, transforms=(data.MixUp(),), seed=6)
    inputs, targets = mixing.batch(0, 6)
    rng = np.random.default_rng([6, 0])
    plain._draw(6, rng)
    parameters = data.MixUp().draw(6, rng)
    expected = data.MixUp().apply_batch(*plain.batch(0, 6), parameters)
    np.testing.assert_allclose(inputs, expected[0], atol=1e-6)
    np.testing.assert_allclose(targets, expected[1], atol=1e-6)
    both = PairedPatches(images, 2, 8, pre_upsample=True, transforms=(Dihedral(), data.CutBlur(), data.CutMix()),
                         seed=1)
    inputs, targets = both.batch(0, 4)
    assert inputs.shape == targets.shape == (4, 16, 16, 1)
    with pytest.raises(ValueError, match="pre_upsample=True"):
        PairedPatches(images, 2, 8, transforms=(data.CutBlur(),)).batch(0, 2)

"""Tests of srlib.data.degradations: the protocol LR (make_lr), blur, noise, JPEG, the chain and the resizers."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from srlib.data.degradations import LIBRARIES, add_noise, degrade, gaussian_blur, jpeg, make_lr, resize_with
from srlib.images import modcrop
from srlib.patterns import zone_plate
from srlib.resize import imresize


@pytest.fixture(scope="module")
def image() -> np.ndarray:
    """A 96 x 64 RGB test image with fine detail (zone plate) and smooth colour."""
    grey = zone_plate(96)[:, :64]
    grey = grey[..., 0] if grey.ndim == 3 else grey
    ramp = np.linspace(40, 220, 64, dtype=np.float64)[None, :].repeat(96, axis=0)
    return np.stack([grey, ramp.astype(np.uint8), (255 - grey)], axis=-1).astype(np.uint8)


def _high_frequency_energy(image: np.ndarray) -> float:
    values = image.astype(np.float64)
    return float(np.mean(np.diff(values, axis=0) ** 2) + np.mean(np.diff(values, axis=1) ** 2))


# --------------------------------------------------------------------------- shapes and dtypes
def test_shapes_and_dtypes(image: np.ndarray) -> None:
    for result in (gaussian_blur(image, 1.0), add_noise(image, 5, seed=0), jpeg(image, 50)):
        assert result.shape == image.shape and result.dtype == np.uint8
    grey = image[..., 0]
    for result in (gaussian_blur(grey, 1.0), add_noise(grey, 5, seed=0), jpeg(grey, 50)):
        assert result.shape == grey.shape and result.dtype == np.uint8
    lr = degrade(image, 4, blur_sigma=1.0, noise_sigma=5, jpeg_quality=40, seed=0)
    assert lr.shape == (24, 16, 3) and lr.dtype == np.uint8
    assert degrade(grey, 2, noise_sigma=3, seed=0).shape == (48, 32)


def test_zero_strength_is_identity_and_copies(image: np.ndarray) -> None:
    for result in (gaussian_blur(image, 0), add_noise(image, 0, seed=0), degrade(image, 1)):
        assert np.array_equal(result, image) and result is not image
        assert not np.shares_memory(result, image)


def test_make_lr_is_modcrop_then_matlab_bicubic(image: np.ndarray) -> None:
    odd = image[:31, :40]
    lr = make_lr(odd, 3)
    np.testing.assert_array_equal(lr, imresize(modcrop(odd, 3), 1 / 3))
    np.testing.assert_array_equal(lr, imresize(odd[:30, :39], 1 / 3, method="bicubic", antialias=True))
    assert lr.shape == (10, 13, 3) and lr.dtype == np.uint8
    assert make_lr(odd[..., 0], 3).shape == (10, 13)
    assert make_lr(image, 4).flags.writeable  # a fresh array, not a shared cache entry


def test_clean_degrade_is_the_protocol(image: np.ndarray) -> None:
    assert np.array_equal(degrade(image, 4), imresize(image, 1 / 4))
    assert np.array_equal(degrade(image, 4), make_lr(image, 4))
    assert np.array_equal(degrade(image, 2), resize_with("matlab", image, 1 / 2))


def test_degrade_is_the_chain_of_steps(image: np.ndarray) -> None:
    chained = jpeg(add_noise(imresize(gaussian_blur(image, 1.5), 1 / 2), 4.0, seed=7), 60)
    assert np.array_equal(degrade(image, 2, blur_sigma=1.5, noise_sigma=4.0, jpeg_quality=60, seed=7), chained)


# --------------------------------------------------------------------------- determinism
def test_seeded_determinism(image: np.ndarray) -> None:
    assert np.array_equal(add_noise(image, 8, seed=3), add_noise(image, 8, seed=3))
    assert not np.array_equal(add_noise(image, 8, seed=3), add_noise(image, 8, seed=4))
    options = dict(blur_sigma=1.0, noise_sigma=6.0, jpeg_quality=50)
    assert np.array_equal(degrade(image, 2, seed=11, **options), degrade(image, 2, seed=11, **options))
    a = degrade(image, 2, rng=np.random.default_rng(5), **options)
    b = degrade(image, 2, rng=np.random.default_rng(5), **options)
    assert np.array_equal(a, b)
    shared = np.random.default_rng(5)  # one generator: successive images get different noise
    assert not np.array_equal(add_noise(image, 8, rng=shared), add_noise(image, 8, rng=shared))
    # deterministic steps need no seed
    assert np.array_equal(gaussian_blur(image, 2.0), gaussian_blur(image, 2.0))
    assert np.array_equal(jpeg(image, 30), jpeg(image, 30))


# --------------------------------------------------------------------------- behaviour
def test_blur_reduces_high_frequency_energy(image: np.ndarray) -> None:
    energies = [_high_frequency_energy(gaussian_blur(image, sigma)) for sigma in (0, 0.5, 1.0, 2.0, 4.0)]
    assert all(a > b for a, b in zip(energies, energies[1:])), energies
    assert energies[-1] < 0.05 * energies[0]
    flat = np.full((20, 20, 3), 77, np.uint8)
    assert np.array_equal(gaussian_blur(flat, 3.0), flat), "blur keeps a constant image (mirrored borders)"
    assert abs(float(gaussian_blur(image, 2.0).mean()) - float(image.mean())) < 1.0, "blur keeps the mean"


@pytest.mark.parametrize("sigma", [2.0, 10.0, 25.0])
def test_noise_std_matches_sigma(sigma: float) -> None:
    grey = np.full((128, 128, 3), 128, np.uint8)  # far from 0 and 255: no clipping
    noisy = add_noise(grey, sigma, seed=0)
    difference = noisy.astype(np.float64) - 128.0
    assert abs(difference.std() - sigma) < 0.03 * sigma + 0.05
    assert abs(difference.mean()) < 0.1 * sigma


def test_noise_clips_to_uint8_range() -> None:
    black = np.zeros((32, 32, 3), np.uint8)
    noisy = add_noise(black, 20, seed=1)
    assert noisy.min() == 0 and noisy.max() > 20


def test_jpeg_error_falls_with_quality(image: np.ndarray) -> None:
    errors = [float(np.mean((jpeg(image, q).astype(np.float64) - image) ** 2)) for q in (5, 20, 50, 80, 95)]
    assert all(a > b for a, b in zip(errors, errors[1:])), errors
    assert errors[-1] > 0, "JPEG is lossy even at quality 95"


def test_degradations_make_the_lr_image_differ_from_clean(image: np.ndarray) -> None:
    clean = degrade(image, 2).astype(np.float64)
    for options in ({"blur_sigma": 2.0}, {"noise_sigma": 8.0}, {"jpeg_quality": 10}):
        assert np.mean((degrade(image, 2, seed=0, **options) - clean) ** 2) > 1.0, options


# --------------------------------------------------------------------------- resizers
@pytest.mark.parametrize("library", ["matlab", "pil"])
def test_resize_with_matches_matlab_up_to_rounding(image: np.ndarray, library: str) -> None:
    lr = resize_with(library, image, 1 / 4)
    reference = imresize(image, 1 / 4)
    assert lr.shape == reference.shape == (24, 16, 3) and lr.dtype == np.uint8
    difference = np.abs(lr.astype(int) - reference)
    assert difference[2:-2, 2:-2].max() <= 1, "inside, the same up to rounding (the borders are padded differently)"
    assert difference.mean() < 1.0
    assert resize_with(library, image, output_shape=(24, 16)).shape == (24, 16, 3)


def test_resize_with_grey_and_antialias_off(image: np.ndarray) -> None:
    grey = image[..., 0]
    assert resize_with("matlab", grey, 1 / 2).shape == (48, 32)
    assert resize_with("pil", grey, 1 / 2).shape == (48, 32)
    aliased = resize_with("matlab", image, 1 / 4, antialias=False)
    assert not np.array_equal(aliased, imresize(image, 1 / 4))


def test_resize_with_is_lazy_about_tensorflow(image: np.ndarray) -> None:
    """Importing srlib.data.degradations and the MATLAB/PIL resizers never needs TensorFlow."""
    import subprocess

    code = ("import sys, numpy as np; from srlib.data.degradations import degrade, resize_with; "
            "x = np.zeros((8, 8, 3), np.uint8); resize_with('pil', x, 0.5); degrade(x, 2, jpeg_quality=50); "
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_resize_with_tf() -> None:
    pytest.importorskip("tensorflow")
    image = zone_plate(64)
    image = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image
    reference = imresize(image, 1 / 4)
    with_antialias = resize_with("tf", image, 1 / 4, antialias=True)
    without = resize_with("tf", image, 1 / 4, antialias=False)
    assert with_antialias.shape == without.shape == reference.shape and with_antialias.dtype == np.uint8
    assert np.abs(with_antialias.astype(int) - reference)[2:-2, 2:-2].max() <= 1
    assert np.abs(without.astype(int) - reference).mean() > 10, "no antialias: the zone plate aliases"


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, message", [
    (lambda im: gaussian_blur(im, -1.0), "sigma"),
    (lambda im: gaussian_blur(im, float("nan")), "sigma"),
    (lambda im: gaussian_blur(im.astype(np.float32), 1.0), "uint8"),
    (lambda im: add_noise(im, -2, seed=0), "sigma"),
    (lambda im: add_noise(im, 2, seed=-1), "seed"),
    (lambda im: add_noise(im, 2, seed=1.5), "seed"),
    (lambda im: add_noise(im, 2, seed=1, rng=np.random.default_rng(1)), "not both"),
    (lambda im: add_noise(im, 2, rng=np.random.RandomState(0)), "Generator"),
    (lambda im: jpeg(im, 0), "quality"),
    (lambda im: jpeg(im, 101), "quality"),
    (lambda im: jpeg(im, 50.5), "quality"),
    (lambda im: jpeg(im, True), "quality"),
    (lambda im: jpeg(im.astype(np.int64), 50), "uint8"),
    (lambda im: jpeg(im[..., :2], 50), "shape"),
    (lambda im: make_lr(im, 1), "scale"),
    (lambda im: make_lr(im, 2.5), "scale"),
    (lambda im: make_lr(im.astype(np.float64) / 255, 2), "uint8"),
    (lambda im: make_lr(im[..., :2], 2), "shape"),
    (lambda im: degrade(im, 0), "scale"),
    (lambda im: degrade(im, 2.5), "scale"),
    (lambda im: degrade(im, 5), "modcrop"),
    (lambda im: degrade(im, 2, blur_sigma=-0.1), "blur_sigma"),
    (lambda im: degrade(im, 2, noise_sigma=-3), "noise_sigma"),
    (lambda im: degrade(im, 2, jpeg_quality=0), "quality"),
    (lambda im: degrade(im.astype(np.float64) / 255, 2), "uint8"),
    (lambda im: resize_with("opencv", im, 0.5), "library"),
    (lambda im: resize_with("matlab", im), "exactly one"),
    (lambda im: resize_with("matlab", im, 0.5, output_shape=(4, 4)), "exactly one"),
    (lambda im: resize_with("matlab", im, output_shape=(0, 4)), "output_shape"),
    (lambda im: resize_with("matlab", im, -0.5), "scale"),
    (lambda im: resize_with("pil", im, 0.5, antialias=False), "antialias"),
    (lambda im: gaussian_blur(np.zeros((0, 4, 3), np.uint8), 1.0), "empty"),
])
def test_bad_input(image: np.ndarray, call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(image)


def test_libraries_constant() -> None:
    assert LIBRARIES == ("matlab", "pil", "tf")

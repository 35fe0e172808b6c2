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


# =========================================================================== real-world degradations
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from srlib import data
from srlib._checks import to_jsonable
from srlib.data.degradations._kernels import (draw_gaussian_spec, draw_kernel_spec, draw_shaped_spec,
                                              draw_sinc_spec)
from srlib.data.degradations._ops import draw_jpeg, draw_resize
from srlib.upscale import upscale


def _expected_covariance(sigma_x: float, sigma_y: float, angle: float) -> np.ndarray:
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    return rotation @ np.diag([sigma_x ** 2, sigma_y ** 2]) @ rotation.T


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A 96 x 96 crop of an offline default photograph (natural statistics)."""
    train, _ = data.split_default_images()
    return list(train.values())[0][100:196, 200:296].copy()


# --------------------------------------------------------------------------- kernels
@pytest.mark.parametrize("kernel", [
    data.gaussian_kernel(21, 2.0), data.gaussian_kernel(15, 1.0, 3.0, 0.7),
    data.generalized_gaussian_kernel(21, 2.0, 1.0, 0.3, beta=0.5), data.generalized_gaussian_kernel(21, 2.0, beta=4),
    data.plateau_kernel(21, 1.5, beta=1.0), data.plateau_kernel(21, 1.5, 2.5, 1.0, beta=2.0),
    data.sinc_kernel(13, 1.2), data.sinc_kernel(7, math.pi / 2, pad_to=21),
])
def test_kernels_sum_to_one_and_are_point_symmetric(kernel: np.ndarray) -> None:
    assert kernel.dtype == np.float64 and kernel.shape[0] == kernel.shape[1] and kernel.shape[0] % 2 == 1
    assert abs(kernel.sum() - 1.0) < 1e-12
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1], atol=1e-15)  # k(-d) = k(d): convolution = correlation
    mean, _ = data.kernel_covariance(kernel)
    np.testing.assert_allclose(mean, 0.0, atol=1e-12)


@pytest.mark.parametrize("sigma_x, sigma_y, angle", [(1.0, 1.0, 0.0), (2.5, 2.5, 0.0), (3.0, 1.0, 0.0),
                                                     (3.0, 1.0, math.pi / 2), (2.0, 0.8, math.pi / 6),
                                                     (1.2, 2.8, -2.0)])
def test_gaussian_kernel_has_the_requested_covariance(sigma_x: float, sigma_y: float, angle: float) -> None:
    kernel = data.gaussian_kernel(41, sigma_x, sigma_y, angle)
    _, covariance = data.kernel_covariance(kernel)
    np.testing.assert_allclose(covariance, _expected_covariance(sigma_x, sigma_y, angle), rtol=1e-3, atol=1e-3)


@settings(max_examples=40, deadline=None)
@given(sigma_x=st.floats(0.8, 3.0), sigma_y=st.floats(0.8, 3.0), angle=st.floats(-math.pi, math.pi))
def test_gaussian_covariance_property(sigma_x: float, sigma_y: float, angle: float) -> None:
    _, covariance = data.kernel_covariance(data.gaussian_kernel(31, sigma_x, sigma_y, angle))
    np.testing.assert_allclose(covariance, _expected_covariance(sigma_x, sigma_y, angle), rtol=5e-3, atol=5e-3)


def test_the_angle_turns_the_long_axis_from_x_towards_y() -> None:
    """Image axes: x along columns, y down the rows; angle pi/2 puts the long axis vertical."""
    horizontal = data.gaussian_kernel(21, 3.0, 1.0, 0.0)
    vertical = data.gaussian_kernel(21, 3.0, 1.0, math.pi / 2)
    assert horizontal[10, 14] > 10 * horizontal[14, 10]
    np.testing.assert_allclose(vertical, horizontal.T, atol=1e-12)
    diagonal = data.gaussian_kernel(21, 3.0, 1.0, math.pi / 4)
    assert diagonal[13, 13] > 10 * diagonal[13, 7]  # down-right (+x, +y) is along the long axis


def test_generalized_and_plateau_shapes() -> None:
    np.testing.assert_allclose(data.generalized_gaussian_kernel(21, 2.0, beta=1.0), data.gaussian_kernel(21, 2.0),
                               atol=1e-15)
    _, sharp = data.kernel_covariance(data.generalized_gaussian_kernel(41, 2.0, beta=0.5))
    _, flat = data.kernel_covariance(data.generalized_gaussian_kernel(41, 2.0, beta=4.0))
    assert sharp[0, 0] > 4.0 > flat[0, 0]  # heavier tails / flat top around the Gaussian's sigma**2 = 4
    flat_top = data.generalized_gaussian_kernel(21, 3.0, beta=4.0)
    assert flat_top[10, 10] / flat_top[10, 11] < 1.001  # flat near the centre
    plateau = data.plateau_kernel(21, 2.0, beta=1.0)
    assert (plateau > 0).all() and plateau[10, 0] > 1e3 * data.gaussian_kernel(21, 2.0)[10, 0]  # heavy tails
    _, anisotropic = data.kernel_covariance(data.plateau_kernel(31, 3.0, 1.0, 0.0, beta=2.0))
    assert anisotropic[0, 0] > 3 * anisotropic[1, 1] and abs(anisotropic[0, 1]) < 1e-9


@pytest.mark.parametrize("size, cutoff", [(41, math.pi / 5), (21, math.pi / 3), (21, math.pi / 2), (13, 2.0)])
def test_sinc_kernel_is_a_circular_low_pass(size: int, cutoff: float) -> None:
    """Flat pass band below the cut-off, stop band above it (the window is a few lobes wide)."""
    kernel = data.sinc_kernel(size, cutoff)
    assert kernel.min() < 0, "negative lobes: the ringing"
    spectrum = np.abs(np.fft.fft2(kernel, s=(128, 128)))
    omega = 2 * np.pi * np.hypot(*np.meshgrid(np.fft.fftfreq(128), np.fft.fftfreq(128), indexing="ij"))
    assert abs(spectrum[0, 0] - 1) < 1e-12
    assert abs(spectrum[omega < 0.6 * cutoff].mean() - 1) < 0.1
    assert spectrum[(omega > 1.4 * cutoff) & (omega < math.pi)].mean() < 0.1
    padded = data.sinc_kernel(7, cutoff, pad_to=21)
    assert padded.shape == (21, 21) and not padded[:7].any() and abs(padded.sum() - 1) < 1e-12


def test_make_kernel_replays_specs() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        spec = draw_kernel_spec(rng, sinc_probability=0.3)
        json.dumps(spec)
        kernel = data.make_kernel(spec)
        assert kernel.shape == (21, 21) and abs(kernel.sum() - 1) < 1e-12
    assert data.make_kernel({"shape": "delta"}).shape == (1, 1)
    np.testing.assert_array_equal(data.random_kernel(np.random.default_rng(4)),
                                  data.make_kernel(draw_kernel_spec(np.random.default_rng(4))))


def test_blur_with_a_delta_is_the_identity_and_blur_keeps_flat_images(image: np.ndarray) -> None:
    delta = np.zeros((21, 21))
    delta[10, 10] = 1.0
    np.testing.assert_array_equal(data.blur(image, delta), image)
    flat = np.full((30, 30, 3), 90, np.uint8)
    np.testing.assert_array_equal(data.blur(flat, data.random_kernel(np.random.default_rng(1))), flat)
    blurred = data.blur(image, data.gaussian_kernel(21, 2.0))
    assert _high_frequency_energy(blurred) < 0.2 * _high_frequency_energy(image)
    # the FFT convolution equals scipy's direct convolution with mirrored borders (to rounding)
    from scipy import ndimage

    from srlib.data.degradations import convolve_levels

    for kernel in (data.gaussian_kernel(9, 1.5, 0.7, 0.4), data.gaussian_kernel(21, 2.0),  # FFT, separable
                   data.sinc_kernel(7, 1.0, pad_to=21), data.gaussian_kernel(25, 1.0, 2.0, 0.0, offset=1.5)):
        direct = ndimage.convolve(image.astype(np.float64), kernel[:, :, None], mode="mirror")
        assert np.abs(convolve_levels(image, kernel) - direct).max() < 1e-9
        assert np.abs(convolve_levels(image[..., 0], kernel) - direct[..., 0]).max() < 1e-9
        assert np.abs(data.blur(image, kernel).astype(float) - direct).max() <= 0.5 + 1e-9


# --------------------------------------------------------------------------- random kernel draws stay in range
def test_random_kernel_draws_stay_in_range_and_follow_the_probabilities() -> None:
    rng = np.random.default_rng(0)
    specs = [draw_kernel_spec(rng) for _ in range(4000)]
    sinc = [spec for spec in specs if spec["shape"] == "sinc"]
    assert 0.08 < len(sinc) / len(specs) < 0.12
    for spec in specs:
        assert spec["size"] in data.KERNEL_SIZES and spec["pad_to"] == 21
        if spec["shape"] == "sinc":
            low = math.pi / 3 if spec["size"] < 13 else math.pi / 5
            assert low <= spec["cutoff"] <= math.pi
            continue
        assert 0.2 <= spec["sigma_x"] <= 3.0 and 0.2 <= spec["sigma_y"] <= 3.0 and -math.pi <= spec["angle"] <= math.pi
        if spec["shape"] == "generalized_gaussian":
            assert 0.5 <= spec["beta"] <= 4.0
        if spec["shape"] == "plateau":
            assert 1.0 <= spec["beta"] <= 2.0
    others = [spec for spec in specs if spec["shape"] != "sinc"]
    shares = {shape: sum(spec["shape"] == shape for spec in others) / len(others)
              for shape in ("gaussian", "generalized_gaussian", "plateau")}
    assert abs(shares["gaussian"] - 0.70) < 0.03 and abs(shares["generalized_gaussian"] - 0.15) < 0.02
    isotropic = sum(spec["sigma_x"] == spec["sigma_y"] and spec["angle"] == 0.0 for spec in others) / len(others)
    assert abs(isotropic - 0.69) < 0.03  # 0.45 + 0.12 + 0.12
    sizes = [spec["size"] for spec in specs]
    assert set(sizes) == set(data.KERNEL_SIZES)


@settings(max_examples=30, deadline=None)
@given(low=st.floats(0.3, 2.0), width=st.floats(0.0, 2.0), beta_low=st.floats(0.2, 1.5), beta_width=st.floats(0, 3),
       seed=st.integers(0, 2**32 - 1), isotropic=st.booleans())
def test_random_shape_draws_stay_in_any_range(low, width, beta_low, beta_width, seed, isotropic) -> None:
    rng = np.random.default_rng(seed)
    for shape in ("generalized_gaussian", "plateau"):
        spec = draw_shaped_spec(rng, shape, 15, (low, low + width), (beta_low, beta_low + beta_width), isotropic,
                                (-1.0, 1.0))
        assert low <= spec["sigma_x"] <= low + width and low <= spec["sigma_y"] <= low + width
        assert beta_low <= spec["beta"] <= beta_low + beta_width and -1.0 <= spec["angle"] <= 1.0
        assert (spec["sigma_x"] == spec["sigma_y"]) if isotropic else True
    sinc = draw_sinc_spec(rng, (7, 9), cutoff_range=(0.5, 0.5 + width / 2), pad_to=None)
    assert 0.5 <= sinc["cutoff"] <= 0.5 + width / 2 and "pad_to" not in sinc


def test_random_gaussian_kernels_have_covariances_in_range() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        kernel = data.random_gaussian_kernel(rng, 31, sigma_range=(0.8, 2.0), isotropic=False)
        eigenvalues = np.linalg.eigvalsh(data.kernel_covariance(kernel)[1])
        assert 0.8 ** 2 * 0.99 <= eigenvalues.min() and eigenvalues.max() <= 2.0 ** 2 * 1.01
    iso = data.random_gaussian_kernel(rng, 31, sigma_range=(1.0, 2.0))
    covariance = data.kernel_covariance(iso)[1]
    assert abs(covariance[0, 0] - covariance[1, 1]) < 1e-9 and abs(covariance[0, 1]) < 1e-9
    for kernel in (data.random_generalized_gaussian_kernel(rng), data.random_plateau_kernel(rng),
                   data.random_sinc_kernel(rng)):
        assert kernel.shape == (21, 21) and abs(kernel.sum() - 1) < 1e-12


# --------------------------------------------------------------------------- noise
@pytest.mark.parametrize("grey", [False, True])
def test_random_gaussian_noise_sigma_is_in_range_and_grey_is_one_draw_per_pixel(grey: bool) -> None:
    flat = np.full((96, 96, 3), 128, np.uint8)
    rng = np.random.default_rng(5)
    for _ in range(20):
        noisy = data.random_gaussian_noise(flat, rng, sigma_range=(3.0, 12.0), grey_probability=float(grey))
        difference = noisy.astype(np.float64) - 128
        assert 3.0 * 0.95 < difference.std() < 12.0 * 1.05
        same = np.array_equal(difference[..., 0], difference[..., 1]) and np.array_equal(difference[..., 1],
                                                                                           difference[..., 2])
        assert same == grey
    measured = (data.add_noise(flat, 7.0, grey=True, seed=1).astype(float) - 128)
    assert abs(measured.std() - 7.0) < 0.2 and (measured[..., 0] == measured[..., 2]).all()


def test_add_noise_colour_default_is_unchanged_by_the_grey_option(image: np.ndarray) -> None:
    np.testing.assert_array_equal(data.add_noise(image, 5, seed=3), data.add_noise(image, 5, seed=3, grey=False))
    expected = np.clip(np.round(image + np.random.default_rng(3).normal(0.0, 5, image.shape)), 0, 255)
    assert np.abs(data.add_noise(image, 5, seed=3).astype(int) - expected).max() <= 1


def test_poisson_noise_variance_grows_with_intensity() -> None:
    levels = np.array([50, 80, 110, 140])  # far enough from 0 and 255 that clipping does not bias the variance
    image = np.repeat(np.repeat(levels[None, :, None], 4096, axis=0), 3, axis=2).astype(np.uint8)  # 4 intensities
    for scale in (0.5, 1.0):
        noisy = data.add_poisson_noise(image, scale, photons=64.0, seed=0).astype(np.float64)
        variance = (noisy - image).var(axis=(0, 2))
        expected = scale ** 2 * 255 * levels / 64.0
        np.testing.assert_allclose(variance, expected, rtol=0.08)
    # BasicSR's photon rule: few distinct levels -> few photons -> strong noise
    few = data.add_poisson_noise(image, 1.0, seed=0).astype(float) - image  # 4 levels -> 4 photons
    many = data.add_poisson_noise(image, 1.0, photons=256, seed=0).astype(float) - image
    assert few.var() > 20 * many.var()
    grey = data.add_poisson_noise(image, 1.0, grey=True, photons=64, seed=0).astype(int)
    assert (grey[..., 0] == grey[..., 1]).all()
    np.testing.assert_array_equal(data.add_poisson_noise(image, 0.0, seed=0), image)


def test_random_poisson_noise_scale_is_in_range() -> None:
    image = np.full((128, 128, 3), 100, np.uint8)
    image[::2] = 150  # two levels -> BasicSR's rule gives 2 photons
    rng = np.random.default_rng(2)
    for _ in range(10):
        noisy = data.random_poisson_noise(image, rng, scale_range=(0.05, 0.3)).astype(float)
        std = (noisy - image).std()
        # variance at level v: scale**2 * 255 * v / 2
        assert 0.05 * math.sqrt(255 * 100 / 2) * 0.9 < std < 0.3 * math.sqrt(255 * 150 / 2) * 1.1


# --------------------------------------------------------------------------- JPEG and resizing
def test_jpeg_quality_changes_the_file_size_monotonically(photo: np.ndarray) -> None:
    import io

    from PIL import Image

    sizes = []
    for quality in (10, 30, 50, 70, 90, 95):
        buffer = io.BytesIO()
        Image.fromarray(photo).save(buffer, format="JPEG", quality=quality)
        sizes.append(len(buffer.getvalue()))
    assert all(a < b for a, b in zip(sizes, sizes[1:])), sizes


def test_random_jpeg_quality_stays_in_range(photo: np.ndarray) -> None:
    rng = np.random.default_rng(0)
    candidates = {quality: data.jpeg(photo, quality) for quality in range(40, 61)}
    for _ in range(15):
        result = data.random_jpeg(photo, rng, quality_range=(45, 55))
        matches = [q for q, out in candidates.items() if np.array_equal(out, result)]
        assert matches and all(45 <= q <= 55 for q in matches)
    qualities = {draw["quality"] for draw in (draw_jpeg(rng, quality_range=(30, 32))
                                               for _ in range(200))}
    assert qualities == {30, 31, 32}  # both ends included


def test_random_resize_factor_and_method(photo: np.ndarray) -> None:
    rng = np.random.default_rng(0)
    steps = [draw_resize(rng, (96, 96)) for _ in range(3000)]
    up = [s for s in steps if s["factor"] > 1]
    down = [s for s in steps if s["factor"] < 1]
    assert abs(len(up) / 3000 - 0.2) < 0.03 and abs(len(down) / 3000 - 0.7) < 0.03
    assert all(1 <= s["factor"] <= 1.5 for s in up) and all(0.15 <= s["factor"] <= 1 for s in down)
    assert all(s["size"] == [int(96 * s["factor"])] * 2 for s in steps)
    assert {s["method"] for s in steps} == set(data.RESIZE_METHODS)
    for probabilities, check in (((1, 0, 0), lambda h: h >= 96), ((0, 1, 0), lambda h: h <= 96),
                                 ((0, 0, 1), lambda h: h == 96)):
        result = data.random_resize(photo, rng, probabilities=probabilities)
        assert check(result.shape[0]) and result.shape[0] == result.shape[1] and result.dtype == np.uint8


# --------------------------------------------------------------------------- pipelines
PIPELINES = [data.ClassicalDegradation(), data.RealESRGANDegradation(), data.BSRGANDegradation()]


@pytest.mark.parametrize("degradation", PIPELINES, ids=lambda d: d.name)
@pytest.mark.parametrize("scale", [2, 3, 4])
def test_pipelines_make_the_lr_size_and_are_seeded(photo: np.ndarray, degradation, scale: int) -> None:
    hr = photo[:95, :94]  # not multiples: modcropped like make_lr
    expected = (95 // scale, 94 // scale, 3)
    outputs = [degradation(hr, scale, np.random.default_rng(seed)) for seed in range(4)]
    assert all(lr.shape == expected and lr.dtype == np.uint8 for lr in outputs)
    np.testing.assert_array_equal(outputs[0], degradation(hr, scale, np.random.default_rng(0)))
    np.testing.assert_array_equal(outputs[1], degradation(hr, scale, 1))  # an int seed works too
    assert len({lr.tobytes() for lr in outputs}) == 4, "different seeds, different LR images"
    plan = degradation.draw(np.random.default_rng(2), hr.shape, scale)
    json.dumps(to_jsonable(list(plan)))
    np.testing.assert_array_equal(degradation.apply(modcrop(hr, scale), scale, plan, np.random.default_rng(99)),
                                  degradation.apply(modcrop(hr, scale), scale, plan, np.random.default_rng(99)))
    grey = degradation(hr[..., 0], scale, np.random.default_rng(0))
    assert grey.shape == expected[:2]


def test_a_call_is_draw_then_apply_with_the_same_generator(photo: np.ndarray) -> None:
    for degradation in PIPELINES:
        rng = np.random.default_rng(7)
        plan = degradation.draw(rng, photo.shape, 4)
        np.testing.assert_array_equal(degradation.apply(photo, 4, plan, rng),
                                      degradation(photo, 4, np.random.default_rng(7)))


def test_classical_is_degrade_with_drawn_parameters(photo: np.ndarray) -> None:
    classical = data.ClassicalDegradation()
    plan = classical.draw(np.random.default_rng(3), photo.shape, 2)
    steps = {step["op"]: step for step in plan}
    assert [step["op"] for step in plan] == ["gaussian_blur", "downscale", "gaussian_noise", "jpeg"]
    expected = data.degrade(photo, 2, blur_sigma=steps["gaussian_blur"]["sigma"],
                            noise_sigma=steps["gaussian_noise"]["sigma"], jpeg_quality=steps["jpeg"]["quality"],
                            rng=np.random.default_rng(11))
    np.testing.assert_array_equal(classical.apply(photo, 2, plan, np.random.default_rng(11)), expected)
    clean = data.ClassicalDegradation(blur_sigma=None, noise_sigma=None, jpeg_quality=None)
    np.testing.assert_array_equal(clean(photo, 3, np.random.default_rng(0)), data.make_lr(photo, 3))
    rng = np.random.default_rng(0)
    for _ in range(300):
        steps = {step["op"]: step for step in classical.draw(rng, (96, 96), 4)}
        assert 0.2 <= steps["gaussian_blur"]["sigma"] <= 3.0 and 1.0 <= steps["gaussian_noise"]["sigma"] <= 30.0
        assert 30 <= steps["jpeg"]["quality"] <= 95 and steps["gaussian_noise"]["grey"] is False


def _in_range(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def test_realesrgan_plans_follow_the_published_structure_and_ranges() -> None:
    config = data.RealESRGANDegradation()
    rng = np.random.default_rng(0)
    second_blurs = final_sincs = jpeg_first = 0
    draws = 600
    for _ in range(draws):
        plan = config.draw(rng, (96, 96), 4)
        ops = [step["op"] for step in plan]
        assert ops[:5] == ["blur", "resize", ops[2], "clip", "jpeg"] and ops[2] in ("gaussian_noise", "poisson_noise")
        second_blurs += ops[5] == "blur"
        rest = plan[6:] if ops[5] == "blur" else plan[5:]
        assert rest[0]["op"] == "resize" and rest[1]["op"] in ("gaussian_noise", "poisson_noise")
        tail = [step["op"] for step in rest[2:]]
        assert tail in (["resize", "blur", "clip", "jpeg"], ["clip", "jpeg", "resize", "blur"])
        jpeg_first += tail[0] == "clip"
        first_resize, second_resize = plan[1], rest[0]
        assert _in_range(first_resize["factor"], (0.15, 1.5)) and _in_range(second_resize["factor"], (0.3, 1.2))
        assert second_resize["size"] == [int(24 * second_resize["factor"])] * 2  # of the final LR size
        for noise, (sigma, poisson) in ((plan[2], ((1, 30), (0.05, 3))), (rest[1], ((1, 25), (0.05, 2.5)))):
            assert _in_range(noise["sigma"], sigma) if noise["op"] == "gaussian_noise" else \
                _in_range(noise["scale"], poisson)
        for step in plan:
            if step["op"] == "jpeg":
                assert 30 <= step["quality"] <= 95
            if step["op"] == "resize":
                assert step["method"] in data.RESIZE_METHODS
        first_kernel = plan[0]["kernel"]
        if first_kernel["shape"] != "sinc":
            assert _in_range(first_kernel["sigma_x"], (0.2, 3.0))
        if ops[5] == "blur" and plan[5]["kernel"]["shape"] != "sinc":
            assert _in_range(plan[5]["kernel"]["sigma_x"], (0.2, 1.5))
        final = next(step for step in rest[2:] if step["op"] == "blur")["kernel"]
        if final["shape"] == "sinc":
            final_sincs += 1
            assert _in_range(final["cutoff"], (math.pi / 3, math.pi)) and final["pad_to"] == 21
        else:
            assert final == {"shape": "delta"}
        assert next(step for step in rest[2:] if step["op"] == "resize")["size"] == [24, 24]
    assert abs(second_blurs / draws - 0.8) < 0.05 and abs(final_sincs / draws - 0.8) < 0.05
    assert abs(jpeg_first / draws - 0.5) < 0.06


def test_bsrgan_plans_follow_the_shuffle() -> None:
    config = data.BSRGANDegradation()
    rng = np.random.default_rng(1)
    halved = 0
    for _ in range(400):
        plan = config.draw(rng, (96, 96), 4)
        assert plan[-1]["op"] == "jpeg" and 30 <= plan[-1]["quality"] <= 95
        resizes = [i for i, step in enumerate(plan) if step["op"] in ("resize", "subsample")]
        final = [i for i in resizes if plan[i]["op"] == "resize" and plan[i]["size"] == [24, 24]
                 and "factor" not in plan[i]]
        assert final and max(resizes) == final[-1], "the final downsample comes after the other one"
        halved += plan[0]["op"] == "resize" and plan[0]["size"] == [48, 48]
        blurs = [step["kernel"] for step in plan if step["op"] == "blur"]
        assert 2 <= len(blurs) <= 3
        for step in plan:
            if step["op"] == "gaussian_noise":
                assert float(step["sigma"]).is_integer() and 2 <= step["sigma"] <= 25
                if "channel_mixing" in step:
                    covariance = np.asarray(step["channel_mixing"]).T @ np.asarray(step["channel_mixing"])
                    assert np.all(np.linalg.eigvalsh(covariance) <= 25.0 ** 2 + 1e-9)
            if step["op"] == "blur" and step["kernel"]["size"] != 25:
                assert step["kernel"]["size"] in range(7, 26, 2) and step["kernel"]["sigma_x"] >= 0.1
    assert abs(halved / 400 - 0.25) < 0.06
    for seed in range(100):  # halving only at scale 4 (at scale 2 the first step is never a plain resize)
        first = config.draw(np.random.default_rng(seed), (96, 96), 2)[0]
        assert first["op"] != "resize" or "factor" in first


def test_bsrgan_correlated_noise_has_its_covariance() -> None:
    config = data.BSRGANDegradation()
    rng = np.random.default_rng(0)
    while True:
        step = config._noise(rng)
        if "channel_mixing" in step:
            break
    mixing = np.asarray(step["channel_mixing"])
    flat = np.full((256, 256, 3), 128.0)
    noise = data.apply_plan(flat.astype(np.uint8), 1, [step], np.random.default_rng(3)).astype(float) - 128
    measured = np.cov(noise.reshape(-1, 3).T)
    np.testing.assert_allclose(measured, mixing.T @ mixing, atol=0.06 * 25 ** 2)


def test_realesrgan_golden_plan() -> None:
    """The plan for a fixed seed, recorded: NumPy's Generator streams are portable, so any machine draws the same."""
    plan = data.RealESRGANDegradation().draw(np.random.default_rng(2021), (96, 96), 4)
    summary = [(step["op"], step.get("quality"), step.get("size"), step.get("method")) for step in plan]
    assert summary == GOLDEN_PLAN_SUMMARY, summary
    assert abs(plan[0]["kernel"].get("sigma_x", plan[0]["kernel"].get("cutoff")) - GOLDEN_FIRST_VALUE) < 1e-12


GOLDEN_PLAN_SUMMARY = [("blur", None, None, None), ("resize", None, [53, 53], "bicubic"),
                       ("gaussian_noise", None, None, None), ("clip", None, None, None), ("jpeg", 44, None, None),
                       ("blur", None, None, None), ("resize", None, [11, 11], "bicubic"),
                       ("gaussian_noise", None, None, None), ("resize", None, [24, 24], "area"),
                       ("blur", None, None, None), ("clip", None, None, None), ("jpeg", 82, None, None)]
GOLDEN_FIRST_VALUE = 1.0927567967823473  # sigma_x of the first (anisotropic Gaussian, 19-pixel) kernel


def test_degradations_degrade(photo: np.ndarray) -> None:
    clean = data.make_lr(photo, 4).astype(float)
    for degradation in PIPELINES:
        errors = [np.mean((degradation(photo, 4, np.random.default_rng(seed)) - clean) ** 2) for seed in range(5)]
        assert np.mean(errors) > 4.0, (degradation.name, errors)


def test_get_degradation_and_as_dict() -> None:
    assert data.get_degradation("bicubic") is data.make_lr
    for name in data.DEGRADATION_NAMES[1:]:
        degradation = data.get_degradation(name)
        assert isinstance(degradation, data.RandomDegradation) and degradation.name == name
        record = degradation.as_dict()
        assert record["name"] == name and json.dumps(record)
        assert type(degradation)(**{k: v for k, v in record.items() if k != "name"}) == degradation
    assert data.RealESRGANDegradation().as_dict()["noise_sigma2"] == [1.0, 25.0]
    with pytest.raises(ValueError, match="choose one of"):
        data.get_degradation("real-esrgan")


def test_degradation_speed_reports_every_pipeline() -> None:
    result = data.degradation_speed(count=2, hr_size=32)
    assert set(result) == set(data.DEGRADATION_NAMES)
    assert all(row["patches_per_s"] > 0 and row["hr_size"] == 32 for row in result.values())
    assert result["bicubic"]["patches_per_s"] > result["realesrgan"]["patches_per_s"]


# --------------------------------------------------------------------------- classifier augmentation
def test_random_degrade_and_expand_keeps_the_input_size(photo: np.ndarray) -> None:
    odd = photo[:45, :38]
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(30):
        result, info = data.random_degrade_and_expand(odd, rng, scales=(1, 2, 3, 4), details=True)
        assert result.shape == odd.shape and result.dtype == np.uint8
        seen.add((info["scale"], info["method"]))
        if info["scale"] == 1:
            np.testing.assert_array_equal(result, odd)
    assert {scale for scale, _ in seen} == {1, 2, 3, 4} and {m for _, m in seen} == set(data.EXPAND_METHODS)
    grey = data.random_degrade_and_expand(odd[..., 0], 1, scales=(2,))
    assert grey.shape == odd.shape[:2]


def test_random_degrade_and_expand_is_the_upscale_of_the_degraded_image(photo: np.ndarray) -> None:
    clean = data.random_degrade_and_expand(photo, 0, scales=(2,), methods=("bicubic",), degradation=data.make_lr)
    np.testing.assert_array_equal(clean, upscale("bicubic", data.make_lr(photo, 2), 2))
    degraded = data.random_degrade_and_expand(photo, 3, scales=(4,), methods=("bilinear",),
                                              degradation=data.RealESRGANDegradation())
    rng = np.random.default_rng(3)
    rng.integers(1), rng.integers(1)  # the scale and method draws come first
    expected = upscale("bilinear", data.RealESRGANDegradation()(photo, 4, rng), 4)
    np.testing.assert_array_equal(degraded, expected)
    # content stays in place: the expansion is aligned with the input
    assert abs(data.pair_misalignment(data.make_lr(photo, 4), clean[:96, :96], 4)["shift"][0]) < 0.3
    np.testing.assert_array_equal(data.random_degrade_and_expand(photo, 5), data.random_degrade_and_expand(photo, 5))


def test_random_degrade_and_expand_accepts_model_names_and_refuses_unknown(photo: np.ndarray) -> None:
    assert np.array_equal(data.random_degrade_and_expand(photo, 0, scales=(1,), methods=("espcn",)), photo)
    for bad, message in [(dict(methods=("bicubicc",)), "unknown expansion method"), (dict(methods="bicubic"),
                         "sequence"), (dict(scales=()), "scales"), (dict(scales=(0,)), "scales"),
                         (dict(degradation="realesrgan"), "degradation"), (dict(scales=(200,)), "smaller")]:
        with pytest.raises(ValueError, match=message):
            data.random_degrade_and_expand(photo, 0, **bad)
    with pytest.raises(ValueError, match="rng"):
        data.random_degrade_and_expand(photo, None)


# --------------------------------------------------------------------------- bad parameters
@pytest.mark.parametrize("call, message", [
    (lambda: data.gaussian_kernel(20, 1.0), "odd"),
    (lambda: data.gaussian_kernel(21, 0.0), "sigma_x"),
    (lambda: data.gaussian_kernel(21, 1.0, -1.0), "sigma_y"),
    (lambda: data.gaussian_kernel(21, 1.0, angle=float("inf")), "angle"),
    (lambda: data.generalized_gaussian_kernel(21, 1.0, beta=0), "beta"),
    (lambda: data.sinc_kernel(21, 4.0), "at most pi"),
    (lambda: data.sinc_kernel(21, 1.0, pad_to=15), "pad_to"),
    (lambda: data.make_kernel({"shape": "box"}), "shape"),
    (lambda: data.kernel_covariance(np.ones((4, 4))), "odd"),
    (lambda: data.blur(np.zeros((8, 8, 3), np.uint8), np.ones((2, 2))), "odd"),
    (lambda: data.random_kernel(None), "rng is required"),
    (lambda: data.random_kernel(np.random.RandomState(0)), "Generator"),
    (lambda: data.random_kernel(np.random.default_rng(0), probabilities=(0.5, 0.5)), "probabilities"),
    (lambda: data.random_kernel(np.random.default_rng(0), kinds=("iso", "box"), probabilities=(0.5, 0.5)), "kinds"),
    (lambda: data.random_kernel(np.random.default_rng(0), sizes=(7, 8)), "odd"),
    (lambda: data.random_gaussian_kernel(np.random.default_rng(0), sigma_range=(3.0, 1.0)), "low <= high"),
    (lambda: data.random_gaussian_kernel(np.random.default_rng(0), sigma_range=(0.0, 1.0)), "low > 0"),
    (lambda: data.random_resize(np.zeros((8, 8, 3), np.uint8), np.random.default_rng(0), factor_range=(1.2, 1.5)),
     "contain 1"),
    (lambda: data.random_resize(np.zeros((8, 8, 3), np.uint8), np.random.default_rng(0), methods=("cubicspline",)),
     "methods"),
    (lambda: data.random_jpeg(np.zeros((8, 8, 3), np.uint8), np.random.default_rng(0), quality_range=(0, 50)),
     "quality_range"),
    (lambda: data.random_jpeg(np.zeros((8, 8, 3), np.uint8), np.random.default_rng(0), quality_range=(30.5, 50)),
     "integers"),
    (lambda: data.random_gaussian_noise(np.zeros((8, 8, 3), np.uint8), np.random.default_rng(0),
                                        grey_probability=1.5), "grey_probability"),
    (lambda: data.add_poisson_noise(np.zeros((8, 8, 3), np.uint8), -1.0, seed=0), "scale"),
    (lambda: data.add_poisson_noise(np.zeros((8, 8, 3), np.uint8), 1.0, photons=0, seed=0), "photons"),
    (lambda: data.RealESRGANDegradation(resize_range=(0.5, 0.9)), "contain 1"),
    (lambda: data.RealESRGANDegradation(kernel_probabilities=(0.5, 0.5, 0, 0, 0, 0.1)), "sum to 1"),
    (lambda: data.RealESRGANDegradation(jpeg_quality=(20, 101)), "jpeg_quality"),
    (lambda: data.RealESRGANDegradation(second_blur_probability=2), "second_blur_probability"),
    (lambda: data.RealESRGANDegradation(resize_methods=("lanczos",)), "methods"),
    (lambda: data.ClassicalDegradation(blur_sigma=(3.0, 1.0)), "blur_sigma"),
    (lambda: data.BSRGANDegradation(noise_level=(2.5, 25)), "noise_level"),
    (lambda: data.RealESRGANDegradation()(np.zeros((16, 16, 3), np.uint8), 4, None), "needs rng"),
    (lambda: data.RealESRGANDegradation()(np.zeros((16, 16, 3), np.uint8), 0, 1), "scale"),
    (lambda: data.RealESRGANDegradation()(np.zeros((16, 16, 3), np.float32), 4, 1), "uint8"),
    (lambda: data.apply_plan(np.zeros((16, 16, 3), np.uint8), 4, [{"op": "sharpen"}], np.random.default_rng(0)),
     "op"),
    (lambda: data.apply_plan(np.zeros((16, 16, 3), np.uint8), 4, [], np.random.default_rng(0)), "LR size"),
    (lambda: data.degradation_speed(hr_size=2), "hr_size"),
])
def test_bad_degradation_parameters(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()

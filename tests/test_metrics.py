"""Tests for srlib.metrics: PSNR/SSIM as the SR literature computes them."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage.metrics import structural_similarity

from srlib.images import rgb_to_y, to_float
from srlib.metrics import Scorer, contrast_transfer, prepare, psnr, ssim


def _shifted(image: np.ndarray, delta: int) -> np.ndarray:
    return np.clip(image.astype(int) + delta, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- PSNR known values
def test_psnr_identical_is_infinite(smooth_rgb):
    assert psnr(smooth_rgb, smooth_rgb) == math.inf
    assert psnr(smooth_rgb, smooth_rgb.copy(), channel="rgb", border=3) == math.inf


def test_psnr_known_values():
    reference = np.full((16, 16), 100, np.uint8)
    assert psnr(reference, reference + 1) == pytest.approx(20 * math.log10(255), abs=1e-12)  # 48.13 dB
    assert psnr(reference, reference + 10) == pytest.approx(10 * math.log10(255 ** 2 / 100), abs=1e-12)
    assert psnr(reference, reference + 10, data_range=100) == pytest.approx(20.0, abs=1e-12)
    colour = np.full((16, 16, 3), 100, np.uint8)
    assert psnr(colour, colour + 1, channel="rgb") == pytest.approx(48.1308036, abs=1e-6)


def test_psnr_y_uses_matlab_rounded_luma(noise_rgb):
    other = _shifted(noise_rgb, 7)
    y_ref, y_test = rgb_to_y(noise_rgb).astype(float), rgb_to_y(other).astype(float)
    expected = 10 * math.log10(255 ** 2 / np.mean((y_ref - y_test) ** 2))
    assert psnr(noise_rgb, other) == pytest.approx(expected, abs=1e-12)
    assert psnr(noise_rgb, other, channel="y") != psnr(noise_rgb, other, channel="rgb")


def test_psnr_border_ignores_the_frame(smooth_rgb):
    damaged = smooth_rgb.copy()
    damaged[:2] = 0
    damaged[:, -2:] = 255
    assert psnr(smooth_rgb, damaged, border=2) == math.inf
    assert psnr(smooth_rgb, damaged, border=1) < 30


def test_psnr_float_matches_uint8(smooth_rgb):
    other = _shifted(smooth_rgb, 5)
    assert psnr(to_float(smooth_rgb), to_float(other), channel="rgb") == pytest.approx(
        psnr(smooth_rgb, other, channel="rgb"), abs=1e-4)


def test_single_channel_is_taken_as_y(smooth_rgb):
    gray = smooth_rgb[:, :, 0]
    other = _shifted(gray, 3)
    assert psnr(gray, other) == psnr(gray[:, :, None], other[:, :, None]) == psnr(gray, other, channel="rgb")


# ---------------------------------------------------------------- SSIM
def test_ssim_identical_is_one(smooth_rgb):
    assert ssim(smooth_rgb, smooth_rgb) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("border", [0, 3])
def test_ssim_matches_scikit_image_gaussian_version(smooth_rgb, border):
    """skimage's Wang et al. settings (gaussian, sigma 1.5, population covariance) crop the same 'valid' area."""
    noisy = _shifted(smooth_rgb, 0)
    noisy = np.clip(noisy.astype(int) + np.random.default_rng(3).integers(-20, 21, noisy.shape), 0, 255).astype(np.uint8)
    y_ref, y_test = rgb_to_y(smooth_rgb).astype(float), rgb_to_y(noisy).astype(float)
    if border:
        y_ref, y_test = y_ref[border:-border, border:-border], y_test[border:-border, border:-border]
    expected = structural_similarity(y_ref, y_test, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, data_range=255)
    assert ssim(smooth_rgb, noisy, border=border) == pytest.approx(expected, abs=1e-10)


def test_ssim_rgb_is_mean_of_channels(smooth_rgb):
    noisy = _shifted(smooth_rgb, 9)
    per_channel = [ssim(smooth_rgb[:, :, c], noisy[:, :, c]) for c in range(3)]
    assert ssim(smooth_rgb, noisy, channel="rgb") == pytest.approx(np.mean(per_channel), abs=1e-12)


def test_ssim_float_matches_uint8(smooth_rgb):
    noisy = _shifted(smooth_rgb, -12)
    assert ssim(to_float(smooth_rgb), to_float(noisy), channel="rgb") == pytest.approx(
        ssim(smooth_rgb, noisy, channel="rgb"), abs=1e-5)


def test_ssim_drops_with_distortion(smooth_rgb):
    rng = np.random.default_rng(0)
    light = np.clip(smooth_rgb + rng.normal(0, 3, smooth_rgb.shape), 0, 255).astype(np.uint8)
    heavy = np.clip(smooth_rgb + rng.normal(0, 30, smooth_rgb.shape), 0, 255).astype(np.uint8)
    assert 1 > ssim(smooth_rgb, light) > ssim(smooth_rgb, heavy) > 0


@given(st.integers(0, 10_000), st.integers(11, 24), st.integers(11, 24))
@settings(max_examples=30, deadline=None)
def test_ssim_bounded_and_symmetric(seed, rows, cols):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (rows, cols), dtype=np.uint8)
    b = rng.integers(0, 256, (rows, cols), dtype=np.uint8)
    value = ssim(a, b)
    assert -1 <= value <= 1
    assert value == pytest.approx(ssim(b, a), abs=1e-12)
    assert psnr(a, b) == pytest.approx(psnr(b, a), abs=1e-12)


# ---------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("metric", [psnr, ssim])
def test_shape_and_dtype_mismatch(metric, smooth_rgb):
    with pytest.raises(ValueError, match="same shape"):
        metric(smooth_rgb, smooth_rgb[:-1])
    with pytest.raises(ValueError, match="same dtype"):
        metric(smooth_rgb, to_float(smooth_rgb))
    with pytest.raises(ValueError, match="dtype"):
        metric(smooth_rgb.astype(np.int32), smooth_rgb.astype(np.int32))
    with pytest.raises(ValueError, match="shape"):
        metric(smooth_rgb[:, :, :2], smooth_rgb[:, :, :2])


@pytest.mark.parametrize("metric", [psnr, ssim])
def test_bad_arguments(metric, smooth_rgb):
    with pytest.raises(ValueError, match="channel"):
        metric(smooth_rgb, smooth_rgb, channel="luma")
    with pytest.raises(ValueError, match="border"):
        metric(smooth_rgb, smooth_rgb, border=-1)
    with pytest.raises(ValueError, match="border"):
        metric(smooth_rgb, smooth_rgb, border=20)
    with pytest.raises(ValueError, match="border"):
        metric(smooth_rgb, smooth_rgb, border=1.5)
    with pytest.raises(ValueError, match="data_range"):
        metric(smooth_rgb, smooth_rgb, data_range=0)


@pytest.mark.parametrize("metric", [psnr, ssim])
def test_float_images_on_the_255_scale_or_with_nan_are_refused(metric, smooth_rgb):
    """Bug fix: 0..255 floats with the default peak of 1 gave a silent, meaningless number."""
    hr = smooth_rgb.astype(np.float64)
    sr = np.clip(hr + 3.0, 0, 255)
    with pytest.raises(ValueError, match="data_range=255"):
        metric(hr, sr)
    expected = metric(smooth_rgb, np.clip(smooth_rgb.astype(np.int32) + 3, 0, 255).astype(np.uint8))
    assert metric(hr, sr, data_range=255) == pytest.approx(expected, abs=0.3)  # float Y is not rounded
    overshoot = np.clip(hr / 255.0 * 1.1 - 0.05, -0.2, 1.2)  # an unclipped model output is still scored
    assert math.isfinite(metric(hr / 255.0, overshoot))
    broken = hr / 255.0
    broken[5, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        metric(hr / 255.0, broken)


def test_ssim_needs_eleven_pixels():
    with pytest.raises(ValueError, match="11x11"):
        ssim(np.zeros((10, 30), np.uint8), np.zeros((10, 30), np.uint8))
    with pytest.raises(ValueError, match="11x11"):
        ssim(np.zeros((20, 30), np.uint8), np.zeros((20, 30), np.uint8), border=5)


def test_prepare_returns_float64_cropped(smooth_rgb):
    ref, test = prepare(smooth_rgb, smooth_rgb, border=4)
    assert ref.dtype == np.float64 and ref.shape == (40, 32)
    ref, test = prepare(smooth_rgb, smooth_rgb, channel="rgb")
    assert ref.shape == smooth_rgb.shape


# ---------------------------------------------------------------- Scorer: one reference, many tests
def _upscaled_pair(scale: int, size: int = 66):
    from srlib.patterns import pattern
    from srlib.resize import imresize

    truth = pattern("zone_plate", size)[: size // scale * scale, : size // scale * scale]
    return truth, imresize(imresize(truth, 1 / scale), scale)


@pytest.mark.parametrize("scale", [2, 3, 4])
@pytest.mark.parametrize("channel", ["y", "rgb"])
def test_scorer_equals_psnr_and_ssim(scale, channel, smooth_rgb):
    truth, test = _upscaled_pair(scale)
    scorer = Scorer(truth, border=scale, channel=channel)
    for image in (test, _shifted(truth, 9), truth):
        assert scorer.psnr(image) == psnr(truth, image, border=scale, channel=channel)
        assert scorer.ssim(image) == ssim(truth, image, border=scale, channel=channel)
    assert scorer.ssim(truth) == pytest.approx(1.0, abs=1e-12) and scorer.psnr(truth) == math.inf


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_float32_scorer_is_within_a_few_millionths(scale):
    """The method explorer's fast path: float32 filtering of values centred on half the peak."""
    truth, test = _upscaled_pair(scale, 96)
    truth_y, test_y = rgb_to_y(truth), rgb_to_y(test)
    fast = Scorer(truth_y, border=scale, precision="float32")
    assert fast.psnr(test_y) == psnr(truth, test, border=scale)  # PSNR is float64 either way
    assert abs(fast.ssim(test_y) - ssim(truth, test, border=scale)) < 1e-5
    assert fast.ssim(truth_y) == pytest.approx(1.0, abs=1e-6)


def test_scorer_checks_each_test_image(smooth_rgb):
    scorer = Scorer(smooth_rgb, border=2)
    with pytest.raises(ValueError, match="same shape"):
        scorer.psnr(smooth_rgb[:-1])
    with pytest.raises(ValueError, match="same dtype"):
        scorer.ssim(to_float(smooth_rgb))
    with pytest.raises(ValueError, match="precision"):
        Scorer(smooth_rgb, precision="float16")
    with pytest.raises(ValueError, match="border"):
        Scorer(smooth_rgb, border=30)
    small = Scorer(np.zeros((24, 24), np.uint8), border=7)  # PSNR works, SSIM needs 11x11 after the crop
    assert small.psnr(np.ones((24, 24), np.uint8)) == pytest.approx(20 * math.log10(255))
    with pytest.raises(ValueError, match="11x11"):
        small.ssim(np.zeros((24, 24), np.uint8))
    broken = to_float(smooth_rgb)
    broken[3, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Scorer(broken)
    with pytest.raises(ValueError, match="NaN"):
        Scorer(to_float(smooth_rgb)).psnr(broken)


def test_ssim_filter_is_the_valid_part_of_the_gaussian_filter():
    from scipy.ndimage import correlate1d

    from srlib.metrics import _filter_valid, _gaussian_window

    values = np.random.default_rng(1).uniform(-128, 128, (40, 33))
    window = _gaussian_window()
    expected = correlate1d(correlate1d(values, window, axis=0, mode="constant"), window, axis=1, mode="constant")
    assert _filter_valid(values).shape == (30, 23)
    np.testing.assert_allclose(_filter_valid(values), expected[5:-5, 5:-5], rtol=0, atol=1e-12)
    np.testing.assert_allclose(_filter_valid(values.astype(np.float32)), expected[5:-5, 5:-5], atol=1e-3)


# ---------------------------------------------------------------- contrast transfer (zone plate MTF)
def test_contrast_transfer_is_one_for_a_copy_and_zero_for_grey():
    from srlib.patterns import zone_plate

    plate = zone_plate(96)
    frequencies, transfer = contrast_transfer(plate, plate, bins=12)
    assert frequencies.shape == (12,) and np.all(np.diff(frequencies) > 0)
    assert frequencies[-1] < 0.5
    np.testing.assert_allclose(transfer, 1.0)
    _, grey = contrast_transfer(plate, np.full_like(plate, 128), bins=12)
    np.testing.assert_allclose(grey, 0.0, atol=1e-12)
    _, inverted = contrast_transfer(plate, 255 - plate, bins=12)
    np.testing.assert_allclose(inverted, -1.0)


def test_contrast_transfer_falls_with_frequency_for_a_blur():
    from scipy.ndimage import uniform_filter

    from srlib.patterns import zone_plate

    plate = zone_plate(128).astype(np.float64)
    blurred = uniform_filter(plate, size=(3, 3, 1), mode="nearest")
    frequencies, transfer = contrast_transfer(plate, blurred, bins=16)
    low, high = transfer[frequencies < 0.1], transfer[(frequencies > 0.25) & (frequencies < 0.4)]
    assert low.mean() > 0.8 and high.mean() < low.mean() - 0.4


def test_contrast_transfer_rejects_bad_input():
    plate = np.zeros((32, 32))
    with pytest.raises(ValueError, match="one shape"):
        contrast_transfer(plate, np.zeros((32, 31)))
    with pytest.raises(ValueError, match="square"):
        contrast_transfer(np.zeros((32, 30)), np.zeros((32, 30)))
    with pytest.raises(ValueError, match="max_frequency"):
        contrast_transfer(plate, plate, max_frequency=0.7)


def test_contrast_transfer_refuses_mixed_scales():
    plate = np.zeros((32, 32), np.uint8)
    with pytest.raises(ValueError, match="one scale"):
        contrast_transfer(plate, plate.astype(np.float64) / 255)

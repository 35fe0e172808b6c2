"""Tests for srlib.resize.imresize: MATLAB's algorithm by known values and properties.

MATLAB cannot run here, so the known values are derived by hand from MATLAB's
``imresize.m`` (``contributions``: ``u = x / scale + 0.5 * (1 - 1 / scale)``,
antialiased kernel ``scale * cubic(scale * x)``, clamped borders, per-pass
uint8 rounding; the border rule of the classic ``imresize.m``, ``indices =
min(max(1, indices), in_length)``, is derived tap by tap in the ``test_border_rule_*``
tests). The end-to-end check is the published bicubic table
(``benchmarks/bicubic_table.md``), reproduced by ``python -m srlib evaluate`` on Set5 and
Set14; those sets do not ship with the course, so it is run by hand, not by the tests.
"""
from __future__ import annotations

import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srlib.resize import BORDERS, METHODS, contributions, imresize, kernel, output_size

CUBIC_QUARTERS = [-0.0234375, -0.0703125, 0.2265625, 0.8671875]  # cubic(1.75), (1.25), (0.75), (0.25)


# ---------------------------------------------------------------- kernels and weights
def test_cubic_kernel_known_values():
    function, width = kernel("bicubic")
    assert width == 4
    np.testing.assert_array_equal(function(np.array([1.75, 1.25, 0.75, 0.25])), CUBIC_QUARTERS)
    np.testing.assert_array_equal(function(np.array([0.0, 1.0, 2.0, -1.0, 2.5])), [1, 0, 0, 0, 0])


def test_contributions_half_scale_antialiased():
    weights, indices = contributions(16, 8, 0.5, "bicubic", antialias=True)
    assert weights.shape == (8, 8)
    half = np.array(CUBIC_QUARTERS) / 2  # h(x) = 0.5 * cubic(0.5 x)
    expected = np.concatenate([half, half[::-1]])
    np.testing.assert_array_equal(weights[3], expected)
    np.testing.assert_array_equal(indices[3], np.arange(3, 11))  # output pixel 4 sits between 7 and 8 (1-based)
    np.testing.assert_array_equal(indices[0], [0, 0, 0, 0, 1, 2, 3, 4])  # clamped: taps -2, -1, 0 read pixel 0
    _, mirrored = contributions(16, 8, 0.5, "bicubic", antialias=True, border="symmetric")
    np.testing.assert_array_equal(mirrored[0], [2, 1, 0, 0, 1, 2, 3, 4])  # symmetric border, edge repeated
    np.testing.assert_array_equal(mirrored[1:-1], indices[1:-1])
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-15)


def test_contributions_half_scale_without_antialias():
    weights, indices = contributions(16, 8, 0.5, "bicubic", antialias=False)
    row = weights[3][weights[3] != 0]
    np.testing.assert_array_equal(row, [-0.0625, 0.5625, 0.5625, -0.0625])


def test_contributions_double_scale():
    weights, indices = contributions(8, 16, 2.0, "bicubic")
    # output 5 (1-based) maps to u = 2.75: taps at 1..4 with distances 1.75, 0.75, -0.25, -1.25
    np.testing.assert_array_equal(weights[4], [-0.0234375, 0.2265625, 0.8671875, -0.0703125])
    np.testing.assert_array_equal(indices[4], [0, 1, 2, 3])


@pytest.mark.parametrize("border", BORDERS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("scale", [0.25, 1 / 3, 0.5, 0.7, 1.5, 2, 3])
def test_weights_sum_to_one_and_stay_in_range(method, scale, border):
    out_length = int(np.ceil(23 * scale))
    weights, indices = contributions(23, out_length, scale, method, border=border)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-12)
    assert indices.min() >= 0 and indices.max() < 23


# ---------------------------------------------------------------- the border rule, by hand
def test_border_rule_by_hand_when_enlarging():
    """Bicubic x2 of the column a = (10, 20, 40, 80), first and last two outputs by hand.

    Output x (1-based) sits at u = x / 2 + 0.5 * (1 - 1 / 2) = x / 2 + 0.25; its taps are the
    input pixels i with |u - i| < 2, weighted cubic(u - i) (Keys, a = -0.5):

    * x = 1, u = 0.75: i = -1, 0, 1, 2 at distances 1.75, 0.75, -0.25, -1.25, weights
      -0.0234375, 0.2265625, 0.8671875, -0.0703125 (sum 1). Taps i = -1 and 0 lie outside.
      clamp: -1 -> 1, 0 -> 1, so (-0.0234375 + 0.2265625 + 0.8671875) a1 - 0.0703125 a2
      = 1.0703125 * 10 - 0.0703125 * 20 = 9.296875.
      symmetric (a2 a1 | a1 a2 ...): -1 -> 2, 0 -> 1, so 1.09375 a1 - 0.09375 a2
      = 10.9375 - 1.875 = 9.0625.
    * x = 2, u = 1.25: i = 0..3 at 1.25, 0.25, -0.75, -1.75, weights -0.0703125, 0.8671875,
      0.2265625, -0.0234375. Only i = 0 lies outside, one pixel out, which both rules send to
      pixel 1: 0.796875 * 10 + 0.2265625 * 20 - 0.0234375 * 40 = 11.5625 either way.
    * x = 7, u = 3.75: i = 2..5 at 1.75, 0.75, -0.25, -1.25; i = 5 -> 4 under both rules:
      -0.0234375 * 20 + 0.2265625 * 40 + (0.8671875 - 0.0703125) * 80 = 72.34375.
    * x = 8, u = 4.25: i = 3..6 at 1.25, 0.25, -0.75, -1.75; i = 5 -> 4 under both rules,
      i = 6 -> 4 (clamp) or 3 (symmetric):
      clamp: -0.0703125 * 40 + (0.8671875 + 0.2265625 - 0.0234375) * 80 = 82.8125;
      symmetric: -0.09375 * 40 + 1.09375 * 80 = 83.75.

    All weights are multiples of 1/128, so the float64 results are exact.
    """
    column = np.array([[10.0], [20.0], [40.0], [80.0]])
    clamped = imresize(column, output_shape=(8, 1))[:, 0]
    mirrored = imresize(column, output_shape=(8, 1), border="symmetric")[:, 0]
    assert clamped[0] == 9.296875 and mirrored[0] == 9.0625
    assert clamped[1] == mirrored[1] == 11.5625
    assert clamped[6] == mirrored[6] == 72.34375
    assert clamped[7] == 82.8125 and mirrored[7] == 83.75
    np.testing.assert_array_equal(clamped[2:6], mirrored[2:6])  # the interior does not see the border
    # the same along the other axis (the second pass), and clamp is the default
    np.testing.assert_array_equal(imresize(column.T, output_shape=(1, 8), border="clamp")[0], clamped)


def test_border_rule_by_hand_when_shrinking_uint8():
    """Antialiased bicubic /2 of a = (8, 16, 32, 64, 128, 128, 64, 0): the first output by hand.

    Output 1 sits at u = 1 / 0.5 + 0.5 * (1 - 2) = 1.5; the kernel is stretched,
    h(d) = 0.5 * cubic(0.5 d), width 8, so the taps are i = -2..5 at distances 3.5, 2.5, 1.5,
    0.5, -0.5, -1.5, -2.5, -3.5 with weights -0.01171875, -0.03515625, 0.11328125,
    0.43359375 and the same mirrored (sum 1). Taps i = -2, -1, 0 lie outside.

    * clamp: all three read a1, weight -0.01171875 - 0.03515625 + 0.11328125 + 0.43359375 = 0.5:
      0.5 * 8 + 0.43359375 * 16 + 0.11328125 * 32 - 0.03515625 * 64 - 0.01171875 * 128
      = 4 + 6.9375 + 3.625 - 2.25 - 1.5 = 10.8125 -> uint8 11.
    * symmetric: 0 -> a1, -1 -> a2, -2 -> a3, so a1 gets 0.546875, a2 0.3984375, a3 0.1015625:
      4.375 + 6.375 + 3.25 - 2.25 - 1.5 = 10.25 -> uint8 10.

    A one-grey-level difference in the outermost LR pixel: the kind of difference that tells
    the benchmark's LR files (made with clamping) from mirrored ones.
    """
    signal = np.array([8, 16, 32, 64, 128, 128, 64, 0])
    column = signal[:, None].astype(np.float64)
    assert imresize(column, output_shape=(4, 1))[0, 0] == 10.8125
    assert imresize(column, output_shape=(4, 1), border="symmetric")[0, 0] == 10.25
    as_uint8 = signal[:, None].astype(np.uint8)
    assert imresize(as_uint8, 0.5)[0, 0] == 11  # a (8, 1) column: only the rows are resized
    assert imresize(as_uint8, 0.5, border="symmetric")[0, 0] == 10


@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
@pytest.mark.parametrize("scale", [1 / 4, 1 / 3, 1 / 2, 2, 3, 4])
@pytest.mark.parametrize("method", METHODS)
def test_border_rules_agree_away_from_the_border(method, scale, dtype):
    """Clamp and mirror differ only where a tap lands two or more pixels past the edge.

    ``border="symmetric"`` is the rule srlib used before clamping became the default, so this
    also says the change leaves every interior pixel as it was. Sizes that do not divide by
    the factor are included (the last output pixel then sits closer to the edge).
    """
    rng = np.random.default_rng(int(scale * 12) + len(method))
    margin = 6 if method == "lanczos3" else 2  # lanczos3 reaches 3 input pixels, bicubic 2
    differs = False
    for rows, cols in ((24, 36), (25, 37), (31, 29)):
        image = rng.integers(0, 256, (rows, cols, 3)).astype(dtype)
        clamped = imresize(image, scale, method=method)
        mirrored = imresize(image, scale, method=method, border="symmetric")
        np.testing.assert_array_equal(clamped[margin:-margin, margin:-margin],
                                      mirrored[margin:-margin, margin:-margin])
        differs |= bool(np.any(clamped != mirrored))
    if method in ("bicubic", "lanczos2", "lanczos3") or (method == "bilinear" and scale < 1):
        assert differs, "the rules must differ at the border, else this test shows nothing"


def test_protocol_callers_use_the_clamped_border(smooth_rgb):
    """Every path that makes the protocol's LR image, or bicubic SR, follows classic MATLAB."""
    import srlib
    from srlib import data
    from srlib.evaluate import make_lr as protocol_lr

    hr = smooth_rgb[:64, :60]
    lr = imresize(hr, 1 / 4, border="clamp")
    assert np.any(lr != imresize(hr, 1 / 4, border="symmetric"))
    for made_by, lr_made in {"imresize default": imresize(hr, 1 / 4), "evaluate.make_lr": protocol_lr(hr, 4),
                             "data.make_lr": data.make_lr(hr, 4), "data.degrade": data.degrade(hr, 4),
                             "resize_with('matlab')": data.resize_with("matlab", hr, 1 / 4)}.items():
        np.testing.assert_array_equal(lr_made, lr, err_msg=made_by)
    up = imresize(lr, 4, border="clamp")
    assert np.any(up != imresize(lr, 4, border="symmetric"))
    np.testing.assert_array_equal(srlib.upscale("bicubic", lr, 4), up)


# ---------------------------------------------------------------- known outputs
def test_upscale_impulse_gives_cubic_kernel_samples():
    signal = np.zeros((8, 1))
    signal[3, 0] = 1.0
    out = imresize(signal, output_shape=(16, 1))[:, 0]
    expected = np.zeros(16)
    expected[3:11] = CUBIC_QUARTERS + CUBIC_QUARTERS[::-1]
    np.testing.assert_allclose(out, expected, atol=1e-15)


def test_downscale_impulse_gives_antialiased_kernel():
    signal = np.zeros((16, 1))
    signal[7, 0] = 1.0
    out = imresize(signal, output_shape=(8, 1))[:, 0]
    # output pixels 3 and 4 (0-based) are centred 1.5 and 0.5 input pixels from the impulse
    half = np.array(CUBIC_QUARTERS) / 2
    np.testing.assert_allclose(out[2:6], [half[1], half[3], half[2], half[0]], atol=1e-15)
    np.testing.assert_allclose(out.sum(), 0.5, atol=1e-12)  # the mean is preserved


def test_bilinear_upscale_known_values():
    out = imresize(np.array([[0.0], [1.0]]), output_shape=(4, 1), method="bilinear")
    np.testing.assert_allclose(out[:, 0], [0.0, 0.25, 0.75, 1.0], atol=1e-15)


def test_nearest_upscale_repeats_pixels(noise_rgb):
    out = imresize(noise_rgb, 3, method="nearest")
    np.testing.assert_array_equal(out, noise_rgb.repeat(3, axis=0).repeat(3, axis=1))


def test_nearest_downscale_picks_pixels(noise_rgb):
    # factor 1/2: u = 2x - 0.5 -> box picks input pixel 2x (1-based), i.e. odd 0-based indices
    np.testing.assert_array_equal(imresize(noise_rgb, 0.5, method="nearest"), noise_rgb[1::2, 1::2])


def test_area_integer_downscale_is_block_mean(noise_rgb):
    image = noise_rgb.astype(np.float64)
    expected = image.reshape(8, 4, 8, 4, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(imresize(image, 0.25, method="area"), expected, atol=1e-12)
    np.testing.assert_allclose(imresize(image, 0.25, method="box"), expected, atol=1e-12)


def test_checkerboard_halved_is_flat_grey_rounded_half_up(checkerboard):
    # every antialiased output pixel weighs the 0s and the 255s by exactly 1/2: 127.5,
    # which MATLAB rounds (half away from zero) to 128 after the first pass.
    out = imresize(checkerboard, 0.5)
    assert out.dtype == np.uint8 and out.shape == (16, 16, 3)
    assert np.all(out[2:-2, 2:-2] == 128)
    as_float = imresize(checkerboard.astype(np.float64) / 255, 0.5)
    np.testing.assert_allclose(as_float[2:-2, 2:-2], 0.5, atol=1e-12)


def test_uint8_is_rounded_and_saturated_after_each_pass():
    # a bright line next to black overshoots (bicubic ringing): saturated, not wrapped
    image = np.zeros((8, 8), np.uint8)
    image[:, 4:] = 255
    out = imresize(image, 3)
    assert out.dtype == np.uint8
    reference = imresize(image.astype(np.float64), 3)
    assert reference.max() > 255 and reference.min() < 0
    np.testing.assert_array_equal(out, np.clip(np.floor(reference + 0.5), 0, 255))


def test_linear_ramp_is_reproduced_in_the_interior():
    ramp = np.tile(np.arange(40, dtype=np.float64), (6, 1))  # value = column index (0-based)
    for method in ("bilinear", "bicubic"):
        down = imresize(ramp, output_shape=(6, 20), method=method)
        # output column x (1-based) sits at input coordinate u = 2x - 0.5 (1-based) -> value u - 1
        x = np.arange(1, 21)
        np.testing.assert_allclose(down[:, 4:-4], np.tile(2 * x - 1.5, (6, 1))[:, 4:-4], atol=1e-12)
        up = imresize(ramp, output_shape=(6, 120), method=method)
        x = np.arange(1, 121)
        np.testing.assert_allclose(up[:, 6:-6], np.tile(x / 3 + 1 / 3 - 1, (6, 1))[:, 6:-6], atol=1e-12)


def test_antialias_removes_aliasing():
    columns = np.arange(128)
    stripes = np.tile(0.5 + 0.5 * np.cos(np.pi * columns * 0.8), (8, 1))  # near Nyquist
    aliased = imresize(stripes, output_shape=(8, 32), antialias=False)
    filtered = imresize(stripes, output_shape=(8, 32), antialias=True)
    assert aliased.std() > 0.1
    assert filtered.std() < 0.03


# ---------------------------------------------------------------- shapes, dtypes, properties
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("scale", [0.25, 0.5, 0.75, 1.5, 2, 3])
def test_constant_image_stays_constant(method, dtype, scale):
    image = np.full((12, 9, 3), 77 if dtype == np.uint8 else 0.3, dtype=dtype)
    out = imresize(image, scale, method=method)
    assert out.dtype == dtype
    assert out.shape == output_size(image.shape, scale) + (3,)
    np.testing.assert_allclose(out, image[0, 0, 0], atol=1e-6)


def test_output_shapes():
    image = np.zeros((10, 7), np.uint8)
    assert imresize(image, 0.5).shape == (5, 4)  # ceil like MATLAB
    assert imresize(image, 1.5).shape == (15, 11)
    assert imresize(image, output_shape=(3, 20)).shape == (3, 20)
    assert imresize(np.zeros((10, 7, 4)), 2).shape == (20, 14, 4)
    assert imresize(image, 1).shape == (10, 7)
    assert output_size((512, 510), 1 / 3) == (171, 170)


def test_scale_one_is_identity(noise_rgb):
    np.testing.assert_array_equal(imresize(noise_rgb, 1), noise_rgb)


def test_gray_matches_each_colour_channel(noise_rgb):
    colour = imresize(noise_rgb, 0.5)
    for channel in range(3):
        np.testing.assert_array_equal(imresize(noise_rgb[:, :, channel], 0.5), colour[:, :, channel])


def test_input_is_not_modified(noise_rgb):
    before = noise_rgb.copy()
    imresize(noise_rgb, 0.5)
    np.testing.assert_array_equal(noise_rgb, before)


@given(st.integers(4, 10), st.integers(4, 10), st.sampled_from([2, 3, 4]), st.integers(0, 10_000),
       st.sampled_from(["bicubic", "bilinear", "lanczos3"]))
@settings(max_examples=25, deadline=None)
def test_downscale_commutes_with_aligned_crop(rows, cols, factor, seed, method):
    """Resize then crop == crop then resize, away from the crop's borders."""
    image = np.random.default_rng(seed).random((rows * factor * 3, cols * factor * 3))
    full = imresize(image, 1 / factor, method=method)
    top, left = rows, cols  # crop the middle third, aligned to the factor
    crop = image[top * factor:2 * top * factor, left * factor:2 * left * factor]
    part = imresize(crop, 1 / factor, method=method)
    margin = 4  # kernel support: 3 taps of the antialiased lanczos3, rounded up
    np.testing.assert_allclose(part[margin:-margin, margin:-margin],
                               full[top:2 * top, left:2 * left][margin:-margin, margin:-margin], atol=1e-12)


@given(st.integers(6, 12), st.integers(6, 12), st.sampled_from([2, 3, 4]), st.integers(0, 10_000))
@settings(max_examples=25, deadline=None)
def test_upscale_commutes_with_aligned_crop(rows, cols, factor, seed):
    image = np.random.default_rng(seed).integers(0, 256, (rows * 3, cols * 3), dtype=np.uint8)
    full = imresize(image, factor)
    crop = image[rows:2 * rows, cols:2 * cols]
    part = imresize(crop, factor)
    margin = 3 * factor
    expected = full[rows * factor:2 * rows * factor, cols * factor:2 * cols * factor]
    np.testing.assert_array_equal(part[margin:-margin, margin:-margin], expected[margin:-margin, margin:-margin])


@given(st.integers(3, 20), st.integers(3, 20), st.sampled_from([0.5, 1 / 3, 2, 3]), st.integers(0, 10_000),
       st.sampled_from(METHODS))
@settings(max_examples=40, deadline=None)
def test_flip_equivariance(rows, cols, scale, seed, method):
    if scale < 1:
        rows, cols = rows * round(1 / scale), cols * round(1 / scale)
    image = np.random.default_rng(seed).random((rows, cols))
    out = imresize(image, scale, method=method)
    if method == "nearest":
        return  # the box kernel's half-open interval breaks the symmetry on purpose (MATLAB too)
    np.testing.assert_allclose(imresize(image[::-1, ::-1], scale, method=method), out[::-1, ::-1], atol=1e-12)


@given(st.integers(1, 16), st.integers(1, 16), st.floats(0.1, 4.0), st.sampled_from(METHODS))
@settings(max_examples=40, deadline=None)
def test_uint8_output_in_range_and_shape(rows, cols, scale, method):
    image = np.random.default_rng(rows * 31 + cols).integers(0, 256, (rows, cols, 3), dtype=np.uint8)
    out = imresize(image, scale, method=method)
    assert out.dtype == np.uint8
    assert out.shape == (int(np.ceil(scale * rows)), int(np.ceil(scale * cols)), 3)


def test_speed_512_rgb_quarter():
    """The widget and data pipelines call imresize constantly: a 512x512x3 /4 must be fast."""
    image = np.random.default_rng(0).integers(0, 256, (512, 512, 3), dtype=np.uint8)
    imresize(image, 0.25)  # warm the weight cache
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        imresize(image, 0.25)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.1, f"imresize 512x512x3 x1/4 took {min(timings) * 1000:.1f} ms (target < 20 ms)"


# ---------------------------------------------------------------- bad inputs
def test_unknown_method():
    with pytest.raises(ValueError, match="unknown resize method 'sinc'"):
        imresize(np.zeros((4, 4)), 2, method="sinc")
    with pytest.raises(ValueError, match="method"):
        imresize(np.zeros((4, 4)), 2, method=3)


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf"), "2", True])
def test_bad_scale(scale):
    with pytest.raises(ValueError, match="scale"):
        imresize(np.zeros((4, 4)), scale)


@pytest.mark.parametrize("border", ["reflect", "Clamp", "", None, 0])
def test_unknown_border_rule(border):
    with pytest.raises(ValueError, match=r"unknown border rule .*'clamp', 'symmetric'"):
        imresize(np.zeros((4, 4)), 2, border=border)
    with pytest.raises(ValueError, match="border rule"):
        contributions(4, 8, 2.0, border=border)


def test_scale_and_output_shape_exclusive():
    with pytest.raises(ValueError, match="exactly one"):
        imresize(np.zeros((4, 4)), 2, output_shape=(8, 8))
    with pytest.raises(ValueError, match="exactly one"):
        imresize(np.zeros((4, 4)))


@pytest.mark.parametrize("shape", [(8,), (0, 8), (8, 8, 8, 1), (-1, 3), (8, 2.5), "big"])
def test_bad_output_shape(shape):
    with pytest.raises(ValueError, match="output_shape"):
        imresize(np.zeros((4, 4)), output_shape=shape)


@pytest.mark.parametrize("image", [np.zeros((4, 4), np.int32), np.zeros((4, 4), bool), np.zeros((4, 4), np.uint16)])
def test_bad_dtype(image):
    with pytest.raises(ValueError, match="dtype"):
        imresize(image, 2)


def test_bad_shapes_and_values():
    with pytest.raises(ValueError, match="shape"):
        imresize(np.zeros(5), 2)
    with pytest.raises(ValueError, match="empty"):
        imresize(np.zeros((0, 5)), 2)
    with pytest.raises(ValueError, match="NaN"):
        imresize(np.full((4, 4), np.nan), 2)


def test_absurd_sizes_are_refused_before_allocating():
    image = np.zeros((512, 512, 3), np.uint8)
    # these used to try to allocate tens of GiB (MemoryError from scipy, or an OOM kill)
    with pytest.raises(ValueError, match=r"imresize of a 512x512 image would be 256000x256000 .*GiB"):
        imresize(image, 500)
    with pytest.raises(ValueError, match=r"would be 1000000x1000000 = 1,000,000,000,000 pixels"):
        imresize(image, output_shape=(10**6, 10**6))
    assert imresize(image[:8, :8], 25).shape == (200, 200, 3)  # large factors of small images are fine


# ---------------------------------------------------------------- MATLAB's pass order and per-pass rounding
def _manual_pass(data: np.ndarray, out_length: int, scale: float, axis: int) -> np.ndarray:
    """One MATLAB pass written out with the contributions() weights, rounded half up to uint8."""
    weights, indices = contributions(data.shape[axis], out_length, scale, "bicubic", True)
    moved = np.moveaxis(data.astype(np.float64), axis, 0)
    out = np.einsum("ok,ok...->o...", weights, moved[indices])
    return np.moveaxis(np.clip(np.floor(out + 0.5), 0, 255), 0, axis)


@pytest.mark.parametrize("in_shape, out_shape, first_axis", [
    ((16, 20), (4, 40), 0),   # scales (0.25, 2): the smaller scale (rows) first
    ((20, 16), (40, 4), 1),   # scales (2, 0.25): columns first
    ((18, 18), (6, 6), 0),    # equal scales: rows first
])
def test_uint8_two_passes_in_matlab_order_with_rounding_between(in_shape, out_shape, first_axis):
    image = np.random.default_rng(7).integers(0, 256, in_shape + (3,), dtype=np.uint8)
    scales = (out_shape[0] / in_shape[0], out_shape[1] / in_shape[1])
    second_axis = 1 - first_axis
    step = _manual_pass(image, out_shape[first_axis], scales[first_axis], first_axis)
    expected = _manual_pass(step, out_shape[second_axis], scales[second_axis], second_axis)
    out = imresize(image, output_shape=out_shape)
    np.testing.assert_array_equal(out, expected.astype(np.uint8))
    # rounding only once (in float all along) differs somewhere: the per-pass rounding matters
    once = np.clip(np.floor(imresize(image.astype(np.float64), output_shape=out_shape) + 0.5), 0, 255)
    assert np.any(once != out)
    # and the other order differs too, so the test pins MATLAB's order
    step = _manual_pass(image, out_shape[second_axis], scales[second_axis], second_axis)
    other_order = _manual_pass(step, out_shape[first_axis], scales[first_axis], first_axis)
    assert np.any(other_order != out)


def test_absurd_downscale_is_refused_not_out_of_memory():
    image = np.zeros((64, 64), np.uint8)
    with pytest.raises(ValueError, match="taps"):
        imresize(image, 1e-9)
    assert imresize(image, 1 / 64).shape == (1, 1)  # a tiny but real scale still works


# ---------------------------------------------------------------- compiled passes = the reference, bit for bit
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from srlib import _jit as jit_module  # noqa: E402
from srlib import resize as resize_module  # noqa: E402
from srlib.resize import imresize_reference  # noqa: E402


def _image(rng: np.random.Generator, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    if dtype == np.uint8:
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return (rng.random(shape) * 300 - 20).astype(dtype)  # out of [0, 255] on purpose: no clipping for floats


@given(st.integers(1, 40), st.integers(1, 40), st.sampled_from([None, 1, 3, 4]),
       st.sampled_from([0.25, 1 / 3, 0.5, 0.7, 1.0, 1.3, 2, 3, 4, 1 / 7]), st.sampled_from(METHODS),
       st.sampled_from(BORDERS), st.sampled_from([np.uint8, np.float32, np.float64]), st.integers(0, 10_000),
       st.booleans())
@settings(max_examples=150, deadline=None)
def test_compiled_passes_equal_the_sparse_reference_bit_for_bit(rows, cols, channels, scale, method, border,
                                                                dtype, seed, antialias):
    image = _image(np.random.default_rng(seed), (rows, cols) if channels is None else (rows, cols, channels), dtype)
    out = imresize(image, scale, method=method, border=border, antialias=antialias)
    expected = imresize_reference(image, scale, method=method, border=border, antialias=antialias)
    assert out.dtype == expected.dtype == image.dtype and out.shape == expected.shape
    assert np.array_equal(out, expected)


@pytest.mark.parametrize("in_shape, kwargs", [
    ((512, 512, 3), {"scale": 4}), ((339, 510, 3), {"scale": 4}), ((512, 512, 3), {"scale": 0.25}),
    ((1356, 2040, 3), {"scale": 0.25}), ((256, 256, 3), {"scale": 2}), ((300, 200), {"scale": 3}),
    ((480, 320, 3), {"output_shape": (100, 700)}), ((333, 444, 3), {"output_shape": (1000, 91)}),
])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_large_images_threaded_equal_the_reference(in_shape, kwargs, dtype):
    image = _image(np.random.default_rng(sum(in_shape)), in_shape, dtype)
    assert np.array_equal(imresize(image, **kwargs), imresize_reference(image, **kwargs))


def test_threaded_serial_and_concurrent_calls_agree(monkeypatch):
    """Numba's default threading layer must not be entered from two threads at once: imresize
    threads only from the main thread, so a thread pool (a data pipeline) gets the same bytes."""
    rng = np.random.default_rng(3)
    images = [_image(rng, (96 + 7 * k, 128 - 5 * k, 3), np.uint8) for k in range(8)]
    expected = [imresize_reference(image, 4) for image in images]
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(imresize, image, 4) for image in images * 3]
        in_main = [imresize(image, 4) for image in images]  # the main thread keeps going meanwhile
        from_threads = [future.result() for future in futures]
    assert all(np.array_equal(a, b) for a, b in zip(from_threads, expected * 3))
    assert all(np.array_equal(a, b) for a, b in zip(in_main, expected))
    for threshold in (0, 1 << 60):  # every pass threaded / every pass serial
        monkeypatch.setattr(jit_module, "THREADED_FROM", threshold)
        assert all(np.array_equal(imresize(image, 4), b) for image, b in zip(images, expected))


def test_without_numba_imresize_is_the_reference(monkeypatch, noise_rgb):
    expected = imresize(noise_rgb, 0.5)
    monkeypatch.setattr(resize_module, "numba", None)
    assert np.array_equal(imresize(noise_rgb, 0.5), expected)


def _resize_in_child(image: np.ndarray, queue) -> None:
    queue.put(imresize(image, 4))


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method: Linux")
def test_forked_processes_resize_after_the_parent_used_its_threads():
    """A process that ran the threaded passes can still fork (multiprocessing, data loaders)."""
    import multiprocessing

    image = np.random.default_rng(5).integers(0, 256, (256, 256, 3), dtype=np.uint8)
    expected = imresize(image, 4)  # threaded in the parent first
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_resize_in_child, args=(image, queue))
    child.start()
    result = queue.get(timeout=120)
    child.join(timeout=60)
    assert child.exitcode == 0 and np.array_equal(result, expected)

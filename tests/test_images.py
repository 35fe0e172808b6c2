"""Tests for srlib.images: I/O, float/uint8 conversion, MATLAB rgb2ycbcr, modcrop."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from srlib import images as images_module
from srlib.images import (modcrop, read_image, rgb_to_y, rgb_to_ycbcr, round_half_away, to_float, to_uint8,
                          write_image, ycbcr_to_rgb)


# ---------------------------------------------------------------- read / write
def test_write_then_read_roundtrip_rgb(tmp_path, smooth_rgb):
    path = write_image(tmp_path / "sub" / "a.png", smooth_rgb)
    assert path.exists()
    back = read_image(path)
    assert back.dtype == np.uint8 and back.shape == smooth_rgb.shape
    np.testing.assert_array_equal(back, smooth_rgb)


def test_read_gray_gives_three_equal_channels_or_keeps_it(tmp_path, gray_image):
    path = write_image(tmp_path / "g.png", gray_image)
    rgb = read_image(path)
    assert rgb.shape == gray_image.shape + (3,)
    for channel in range(3):
        np.testing.assert_array_equal(rgb[:, :, channel], gray_image)
    kept = read_image(path, mode="keep")
    assert kept.shape == gray_image.shape
    np.testing.assert_array_equal(kept, gray_image)


def test_read_drops_alpha_and_reads_bmp(tmp_path, smooth_rgb):
    rgba = np.concatenate([smooth_rgb, np.full(smooth_rgb.shape[:2] + (1,), 7, np.uint8)], axis=2)
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    np.testing.assert_array_equal(read_image(tmp_path / "a.png"), smooth_rgb)
    Image.fromarray(smooth_rgb).save(tmp_path / "b.bmp")
    np.testing.assert_array_equal(read_image(str(tmp_path / "b.bmp")), smooth_rgb)


def test_read_16_bit_is_scaled_to_8_bit(tmp_path):
    values = np.array([[0, 65535], [257 * 128, 257 * 200]], dtype=np.uint16)
    Image.fromarray(values).save(tmp_path / "deep.png")
    np.testing.assert_array_equal(read_image(tmp_path / "deep.png", mode="keep"), [[0, 255], [128, 200]])


def test_write_float_and_single_channel(tmp_path):
    write_image(tmp_path / "f.png", np.full((4, 5, 3), 0.5, np.float32))
    assert read_image(tmp_path / "f.png")[0, 0, 0] == 128
    write_image(tmp_path / "c.png", np.full((4, 5, 1), 9, np.uint8))
    assert read_image(tmp_path / "c.png", mode="keep").shape == (4, 5)


def test_read_corrupt_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n this is not really a png")
    with pytest.raises(ValueError, match="broken.png"):
        read_image(bad)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ValueError, match="notes.txt"):
        read_image(text)


def test_read_bad_inputs(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.png"):
        read_image(tmp_path / "missing.png")
    with pytest.raises(ValueError, match="directory"):
        read_image(tmp_path)
    with pytest.raises(ValueError, match="mode"):
        read_image(tmp_path / "x.png", mode="gray")


def test_write_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match="shape"):
        write_image(tmp_path / "a.png", np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError, match="empty"):
        write_image(tmp_path / "a.png", np.zeros((0, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="format"):
        write_image(tmp_path / "a.unknownext", np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        write_image(tmp_path / "a.png", np.full((4, 4, 3), 200.0))


# ---------------------------------------------------------------- float <-> uint8
def test_to_float_known_values():
    out = to_float(np.array([0, 51, 255], np.uint8))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [0.0, 0.2, 1.0], rtol=0, atol=1e-7)
    np.testing.assert_array_equal(to_float(np.array([0.25], np.float64)), np.array([0.25], np.float32))


def test_to_uint8_rounds_half_up_like_matlab():
    # 0.5/255 -> 0.5 -> 1 (NumPy's round-half-even would give 0); 2.5/255 -> 3
    values = np.array([0.0, 0.5 / 255, 1.5 / 255, 2.5 / 255, 1.0, 1.0 + 1e-9, -1e-9])
    np.testing.assert_array_equal(to_uint8(values), [0, 1, 2, 3, 255, 255, 0])
    assert to_uint8(np.array([0.2], np.float32)).dtype == np.uint8


def test_to_uint8_passes_uint8_through():
    data = np.arange(10, dtype=np.uint8)
    np.testing.assert_array_equal(to_uint8(data), data)


@pytest.mark.parametrize("bad", [np.array([1.2]), np.array([-0.1]), np.array([np.nan]), np.array([200.0])])
def test_to_uint8_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="to_uint8"):
        to_uint8(bad)


@pytest.mark.parametrize("bad", [np.array([1, 2], np.int16), np.array([True]), np.array([3], np.uint16)])
def test_conversions_reject_other_dtypes(bad):
    with pytest.raises(ValueError, match="dtype"):
        to_float(bad)
    with pytest.raises(ValueError, match="dtype"):
        to_uint8(bad)


def test_to_float_rejects_out_of_range_float():
    with pytest.raises(ValueError, match="divide by 255"):
        to_float(np.array([0.0, 255.0]))


@given(arrays(np.uint8, st.tuples(st.integers(1, 6), st.integers(1, 6), st.just(3))))
@settings(max_examples=50, deadline=None)
def test_uint8_float_roundtrip_is_exact(image):
    np.testing.assert_array_equal(to_uint8(to_float(image)), image)


def test_round_half_away():
    np.testing.assert_array_equal(round_half_away(np.array([-2.5, -0.5, 0.5, 1.5, 2.5, 2.4999])),
                                  [-3, -1, 1, 2, 3, 2])


# ---------------------------------------------------------------- YCbCr (MATLAB rgb2ycbcr)
def test_rgb_to_ycbcr_known_values_uint8():
    # MATLAB: rgb2ycbcr(uint8([0 0 0; 255 255 255; 255 0 0])) -> [16 128 128; 235 128 128; 81 90 240]
    rgb = np.array([[[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255]]], np.uint8)
    ycc = rgb_to_ycbcr(rgb)
    assert ycc.dtype == np.uint8
    np.testing.assert_array_equal(ycc[0], [[16, 128, 128], [235, 128, 128], [81, 90, 240],
                                           [145, 54, 34], [41, 240, 110]])


def test_rgb_to_ycbcr_float_scale():
    rgb = np.array([[[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]])
    ycc = rgb_to_ycbcr(rgb)
    assert ycc.dtype == np.float64
    np.testing.assert_allclose(ycc[0], [[16 / 255, 128 / 255, 128 / 255], [235 / 255, 128 / 255, 128 / 255]],
                               atol=1e-12)
    assert rgb_to_ycbcr(rgb.astype(np.float32)).dtype == np.float32


def test_rgb_to_y_matches_first_ycbcr_channel(noise_rgb):
    np.testing.assert_array_equal(rgb_to_y(noise_rgb), rgb_to_ycbcr(noise_rgb)[:, :, 0])
    unrounded = rgb_to_y(noise_rgb, rounded=False)
    assert unrounded.dtype == np.float64
    assert np.abs(unrounded - rgb_to_y(noise_rgb)).max() <= 0.5
    as_float = rgb_to_y(to_float(noise_rgb).astype(np.float64))
    np.testing.assert_allclose(as_float * 255, unrounded, atol=1e-9)
    # Y of (100, 150, 200): 16 + (65.481*100 + 128.553*150 + 24.966*200)/255 = 136.88
    assert rgb_to_y(np.array([100, 150, 200], np.uint8)) == 137


def test_ycbcr_roundtrip(noise_rgb):
    back = ycbcr_to_rgb(rgb_to_ycbcr(noise_rgb))
    assert back.dtype == np.uint8
    assert np.abs(back.astype(int) - noise_rgb.astype(int)).max() <= 2  # uint8 YCbCr quantisation
    as_float = to_float(noise_rgb).astype(np.float64)
    np.testing.assert_allclose(ycbcr_to_rgb(rgb_to_ycbcr(as_float)), as_float, atol=1e-12)


# The whole-image formulas (MATLAB ycbcr2rgb / im2uint8) that the cache-blocked
# implementations must reproduce bit for bit.
_OFFSET = np.array([16.0, 128.0, 128.0])
_INVERSE = np.linalg.inv(np.array([[65.481, 128.553, 24.966], [-37.797, -74.203, 112.0], [112.0, -93.786, -18.214]]))


def _reference_to_uint8(image):
    return np.floor(np.clip(image.astype(np.float64), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _reference_ycbcr_to_rgb(image):
    if image.dtype == np.uint8:
        rgb = (image.astype(np.float64) - _OFFSET) @ _INVERSE.T * 255.0
        return np.clip(np.floor(rgb + 0.5), 0, 255).astype(np.uint8)
    rgb = (image.astype(np.float64) * 255.0 - _OFFSET) @ _INVERSE.T
    return np.clip(rgb, 0.0, 1.0).astype(image.dtype if image.dtype != np.float16 else np.float32)


@pytest.fixture(params=[None, 50], ids=["default-blocks", "tiny-blocks"])
def block_values(request, monkeypatch):
    """Run with the default block size and with blocks of a few rows (many blocks, a partial last one)."""
    if request.param is not None:
        monkeypatch.setattr(images_module, "_BLOCK_VALUES", request.param)
    return request.param


@pytest.mark.parametrize("shape", [(1, 1, 3), (7, 1, 3), (1, 9, 3), (23, 17, 3), (70, 41, 3), (2, 5, 6, 3)])
def test_blocked_conversions_are_bit_identical_to_whole_image_formulas(shape, block_values):
    rng = np.random.default_rng(sum(shape))
    codes = rng.integers(0, 256, shape, dtype=np.uint8)
    np.testing.assert_array_equal(ycbcr_to_rgb(codes), _reference_ycbcr_to_rgb(codes))
    for dtype in (np.float32, np.float64, np.float16):
        values = rng.random(shape).astype(dtype)
        for got, want in [(ycbcr_to_rgb(values), _reference_ycbcr_to_rgb(values)),
                          (to_uint8(values), _reference_to_uint8(values))]:
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got, want)
        ycc = rgb_to_ycbcr(values)  # in gamut: the round trip rather than clipping
        np.testing.assert_array_equal(ycbcr_to_rgb(ycc), _reference_ycbcr_to_rgb(ycc))


def test_blocked_conversions_accept_views(block_values):
    rng = np.random.default_rng(3)
    strided = rng.random((40, 60, 3), dtype=np.float32)[::2, ::3]
    channels_first = rng.random((3, 20, 30)).transpose(1, 2, 0)
    for view in (strided, channels_first):
        np.testing.assert_array_equal(ycbcr_to_rgb(view), _reference_ycbcr_to_rgb(view))
        np.testing.assert_array_equal(to_uint8(view), _reference_to_uint8(view))


def test_to_uint8_halves_noise_and_empty_input():
    halves = (np.arange(255) + 0.5) / 255  # exactly representable halves round up, as in MATLAB
    for dtype in (np.float32, np.float64):
        np.testing.assert_array_equal(to_uint8(halves.astype(dtype)), _reference_to_uint8(halves.astype(dtype)))
    noisy = np.array([-1e-7, 0.0, 0.5, 1.0, 1.0 + 1e-7], np.float32)  # tolerated noise is clipped
    np.testing.assert_array_equal(to_uint8(noisy), [0, 0, 128, 255, 255])
    empty = to_uint8(np.zeros((0, 4, 3), np.float32))
    assert empty.dtype == np.uint8 and empty.shape == (0, 4, 3)
    assert to_uint8(np.float64(0.2)).shape == ()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_to_uint8_finds_one_bad_value_in_a_large_image(bad):
    image = np.full((300, 200, 3), 0.5, np.float32)
    image[123, 45, 1] = bad
    with pytest.raises(ValueError, match="NaN" if np.isnan(bad) else r"\[0, 1\]"):
        to_uint8(image)
    with pytest.raises(ValueError, match="to_float"):
        to_float(image)


@pytest.mark.parametrize("shape", [(1, 1), (5, 1), (1, 8), (31, 27), (64, 100)])
def test_fused_ycbcr_to_uint8_equals_the_composed_conversions(shape, block_values):
    rng = np.random.default_rng(shape[0] * 1000 + shape[1])
    y = np.clip(rng.random(shape, dtype=np.float32) * 1.2 - 0.1, 0, 1)
    chroma = (rng.random(shape + (2,), dtype=np.float32) * 1.2 - 0.1).astype(np.float32)  # out of gamut too
    stacked = np.concatenate([y[:, :, None], chroma], axis=2)
    expected = _reference_to_uint8(_reference_ycbcr_to_rgb(stacked))
    got = images_module._ycbcr_to_rgb_uint8(y, chroma)
    assert got.dtype == np.uint8 and got.shape == shape + (3,)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got, to_uint8(ycbcr_to_rgb(stacked)))
    np.testing.assert_array_equal(images_module._ycbcr_to_rgb_uint8(y, np.asfortranarray(chroma)), expected)
    with pytest.raises(ValueError, match="shapes"):
        images_module._ycbcr_to_rgb_uint8(y, chroma[:, :, :1])


def test_fused_ycbcr_to_uint8_keeps_the_float32_step_near_halves(block_values):
    # Grays whose RGB lies within a few float32 steps of (k + 0.5) / 255: there the float32
    # RGB of ycbcr_to_rgb decides the rounding, and the fused path must round the same way.
    target = ((np.arange(255) + 0.5) / 255 / _INVERSE[0, 0] + 16) / 255
    start = target.astype(np.float32)
    y = (start[:, None] + np.arange(-20, 21, dtype=np.float32) * np.spacing(start)[:, None]).astype(np.float32)
    chroma = np.full(y.shape + (2,), 128 / 255, np.float32)
    stacked = np.concatenate([y[:, :, None], chroma], axis=2)
    expected = _reference_to_uint8(_reference_ycbcr_to_rgb(stacked))
    without_float32 = np.floor(np.clip((stacked.astype(np.float64) * 255 - _OFFSET) @ _INVERSE.T, 0, 1) * 255 + 0.5)
    assert np.count_nonzero(expected != without_float32) > 0  # the case is sensitive
    np.testing.assert_array_equal(images_module._ycbcr_to_rgb_uint8(y, chroma), expected)


@pytest.mark.parametrize("function", [rgb_to_ycbcr, ycbcr_to_rgb, rgb_to_y])
def test_colour_conversions_reject_bad_input(function):
    with pytest.raises(ValueError, match="shape"):
        function(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match="dtype"):
        function(np.zeros((4, 4, 3), np.int32))


# ---------------------------------------------------------------- modcrop
def test_modcrop_known_shapes():
    image = np.zeros((37, 52, 3), np.uint8)
    assert modcrop(image, 2).shape == (36, 52, 3)
    assert modcrop(image, 3).shape == (36, 51, 3)
    assert modcrop(image, 4).shape == (36, 52, 3)
    assert modcrop(image[:, :, 0], 3).shape == (36, 51)
    assert modcrop(image, 1).shape == image.shape
    assert modcrop(image, 2.0).shape == (36, 52, 3)


def test_modcrop_keeps_top_left(smooth_rgb):
    np.testing.assert_array_equal(modcrop(smooth_rgb, 7), smooth_rgb[:42, :35])


@pytest.mark.parametrize("scale", [0, -2, 1.5, "2", True, None])
def test_modcrop_bad_scale(scale):
    with pytest.raises(ValueError, match="scale"):
        modcrop(np.zeros((8, 8)), scale)


def test_modcrop_bad_image():
    with pytest.raises(ValueError, match="smaller"):
        modcrop(np.zeros((3, 8)), 4)
    with pytest.raises(ValueError, match="shape"):
        modcrop(np.zeros(8), 2)


def test_as_rgb_uint8_normalises_and_rejects():
    from srlib.images import as_rgb_uint8

    gray = np.zeros((6, 5), np.uint8)
    assert as_rgb_uint8(gray).shape == (6, 5, 3)
    rgba = np.zeros((6, 5, 4), np.uint8)
    assert as_rgb_uint8(rgba).shape == (6, 5, 3)
    as_float = as_rgb_uint8(np.full((4, 4, 3), 0.5), allow_float=True)
    assert as_float.dtype == np.uint8 and as_float[0, 0, 0] == 128
    with pytest.raises(ValueError, match="must be uint8"):
        as_rgb_uint8(np.zeros((4, 4, 3)), "x")
    with pytest.raises(ValueError, match="uint8 or float"):
        as_rgb_uint8(np.zeros((4, 4, 3), np.int32), "x", allow_float=True)
    with pytest.raises(ValueError, match="shape"):
        as_rgb_uint8(np.zeros((4, 4, 2), np.uint8), "x")


# --------------------------------------------------------------------------- reliability (issue 6)
def test_read_image_refuses_a_decompression_bomb_with_a_value_error_naming_the_file(tmp_path: Path) -> None:
    from PIL import Image

    bomb = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(bomb)  # 400 MP in a ~50 kB file (Pillow raises its own error above 179 MP)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(ValueError, match=r"bomb\.png.*400,000,000 pixels.*max_pixels=None"):
        images_module.read_image(bomb)
    small = tmp_path / "small.png"
    Image.new("RGB", (40, 30)).save(small)
    with pytest.raises(ValueError, match=r"40x30 = 1,200 pixels, more than max_pixels=1,000"):
        images_module.read_image(small, max_pixels=1000)
    assert images_module.read_image(small, max_pixels=None).shape == (30, 40, 3)
    with pytest.raises(ValueError, match="max_pixels must be a positive integer or None"):
        images_module.read_image(small, max_pixels=0)


def test_read_image_applies_the_exif_orientation(tmp_path: Path) -> None:
    from PIL import Image

    pixels = np.zeros((20, 60, 3), np.uint8)
    pixels[:, :10] = 255  # a white band on the left of a landscape image
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display": how phones store portrait photos
    path = tmp_path / "phone.jpg"
    Image.fromarray(pixels).save(path, exif=exif, quality=95)
    image = images_module.read_image(path)
    assert image.shape == (60, 20, 3)  # upright, as viewers show it
    assert image[:10].mean() > 200 and image[-10:].mean() < 50  # the band is now at the top


def test_read_image_float_tiff(tmp_path: Path) -> None:
    from PIL import Image

    values = np.linspace(0.0, 1.0, 64, dtype=np.float32).reshape(8, 8)
    path = tmp_path / "unit.tif"
    Image.fromarray(values, mode="F").save(path)
    image = images_module.read_image(path, mode="keep")
    assert image.dtype == np.uint8 and image.max() == 255  # not a black image
    assert np.array_equal(image, images_module.to_uint8(values.astype(np.float64)))
    grey_levels = tmp_path / "levels.tif"
    Image.fromarray(np.arange(64, dtype=np.float32).reshape(8, 8) * 4, mode="F").save(grey_levels)
    assert images_module.read_image(grey_levels, mode="keep")[7, 7] == 252
    bad = tmp_path / "hdr.tif"
    Image.fromarray(values * 1000 + 0.5, mode="F").save(bad)
    with pytest.raises(ValueError, match=r"hdr\.tif.*float image with values in"):
        images_module.read_image(bad)
    nan = tmp_path / "nan.tif"
    Image.fromarray(np.full((4, 4), np.nan, np.float32), mode="F").save(nan)
    with pytest.raises(ValueError, match="NaN or infinite"):
        images_module.read_image(nan)


def test_rgb_to_y_refuses_nan_but_keeps_other_scales() -> None:
    rgb = np.random.default_rng(0).random((4, 5, 3))
    # linear in RGB (metrics score 0..255 floats with data_range=255 through it): scale commutes up to the offset
    np.testing.assert_allclose(rgb_to_y(rgb * 255) - 16 / 255, (rgb_to_y(rgb) - 16 / 255) * 255, atol=1e-9)
    with pytest.raises(ValueError, match="rgb_to_y: image contains NaN"):
        rgb_to_y(np.where(rgb > 0.5, np.nan, rgb))


@pytest.mark.parametrize("function", ["rgb_to_ycbcr", "ycbcr_to_rgb"])
def test_colour_conversions_refuse_out_of_range_floats_and_nan(function: str) -> None:
    convert = getattr(images_module, function)
    rgb = np.random.default_rng(0).random((4, 5, 3))
    convert(rgb)  # [0, 1] floats are fine
    with pytest.raises(ValueError, match=r"looks like 0\.\.255: divide by 255"):
        convert(rgb * 255)
    if function == "rgb_to_ycbcr":  # resampled YCbCr may overshoot a little; RGB may not
        with pytest.raises(ValueError, match=r"must lie in \[0, 1\].*clip it first"):
            convert(rgb - 0.2)
    else:
        convert(rgb - 0.2)
    with pytest.raises(ValueError, match="contains NaN"):
        convert(np.where(rgb > 0.5, np.nan, rgb))


def test_compiled_ycbcr_to_rgb_step_equals_the_numpy_blocks():
    """upscale's last step (Y + CbCr -> uint8 RGB): the compiled pass gives the NumPy path's bytes,
    out-of-gamut chroma and the clipping included, threaded or not."""
    from srlib import _jit
    from srlib.images import _ycbcr_to_rgb_uint8

    rng = np.random.default_rng(11)
    for shape in [(1, 1), (7, 5), (300, 257)]:
        y = (rng.random(shape) * 1.2 - 0.1).astype(np.float32)
        chroma = (rng.random(shape + (2,)) * 1.4 - 0.2).astype(np.float32)
        expected = _ycbcr_to_rgb_uint8(y, chroma, compiled=False)
        assert np.array_equal(_ycbcr_to_rgb_uint8(y, chroma), expected)
        assert expected.min() == 0 and expected.max() == 255 or shape == (1, 1)
    levels = np.arange(256, dtype=np.float32) / 255  # every Y level with neutral chroma: grey in, grey out
    grey = _ycbcr_to_rgb_uint8(np.tile(levels, (2, 1)), np.full((2, 256, 2), 128 / 255, np.float32))
    assert np.array_equal(grey, _ycbcr_to_rgb_uint8(np.tile(levels, (2, 1)),
                                                    np.full((2, 256, 2), 128 / 255, np.float32), compiled=False))
    old = _jit.THREADED_FROM
    try:
        _jit.THREADED_FROM = 0
        assert np.array_equal(_ycbcr_to_rgb_uint8(y, chroma), expected)
    finally:
        _jit.THREADED_FROM = old


def test_ycbcr_to_rgb_step_from_many_threads_at_once():
    """A thread pool (data pipeline, widget callbacks) may convert at the same time as the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    from srlib.images import _ycbcr_to_rgb_uint8

    rng = np.random.default_rng(12)
    pairs = [(rng.random((320, 300)).astype(np.float32), rng.random((320, 300, 2)).astype(np.float32))
             for _ in range(4)]
    expected = [_ycbcr_to_rgb_uint8(y, c, compiled=False) for y, c in pairs]
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(_ycbcr_to_rgb_uint8, y, c) for y, c in pairs * 3]
        in_main = [_ycbcr_to_rgb_uint8(y, c) for y, c in pairs]
        results = [future.result() for future in futures]
    assert all(np.array_equal(a, b) for a, b in zip(results, expected * 3))
    assert all(np.array_equal(a, b) for a, b in zip(in_main, expected))

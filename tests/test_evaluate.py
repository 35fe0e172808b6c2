"""Tests for srlib.upscale and srlib.evaluate (the evaluation protocol)."""
from __future__ import annotations

import math
import sys
import types

import numpy as np
import pytest

import srlib
from srlib.evaluate import EvaluationResult, ImageScore, evaluate, gray_from_rgb
from srlib.images import modcrop, rgb_to_y
from srlib.metrics import psnr, ssim
from srlib.resize import METHODS, imresize
from srlib.upscale import upscale

from conftest import make_smooth_rgb


# ---------------------------------------------------------------- upscale
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("scale", [2, 3, 4])
def test_upscale_interpolation_shape_and_dtype(method, scale, noise_rgb):
    out = upscale(method, noise_rgb[:7, :5], scale)
    assert out.dtype == np.uint8 and out.shape == (7 * scale, 5 * scale, 3)


def test_upscale_bicubic_is_matlab_imresize(smooth_rgb):
    np.testing.assert_array_equal(upscale("bicubic", smooth_rgb, 3), imresize(smooth_rgb, 3))
    np.testing.assert_array_equal(upscale("BICUBIC", smooth_rgb, 2.0), imresize(smooth_rgb, 2))


def test_upscale_gray_input_becomes_rgb(gray_image):
    out = upscale("bicubic", gray_image, 2)
    assert out.shape == (80, 72, 3)
    np.testing.assert_array_equal(out[:, :, 0], imresize(gray_image, 2))
    np.testing.assert_array_equal(upscale("bicubic", gray_image[:, :, None], 2), out)


def test_upscale_bad_inputs(smooth_rgb):
    with pytest.raises(ValueError, match="unknown upscaling method 'magic'"):
        upscale("magic", smooth_rgb, 2)
    with pytest.raises(ValueError, match="dtype"):
        upscale("bicubic", smooth_rgb.astype(np.float32) / 255, 2)
    with pytest.raises(ValueError, match="shape"):
        upscale("bicubic", smooth_rgb[:, :, :2], 2)
    with pytest.raises(ValueError, match="empty"):
        upscale("bicubic", smooth_rgb[:0], 2)
    for scale in (0, -2, 1.5, "2", True):
        with pytest.raises(ValueError, match="scale"):
            upscale("bicubic", smooth_rgb, scale)
    with pytest.raises(ValueError, match="None"):
        upscale(None, smooth_rgb, 2)
    with pytest.raises(ValueError, match="or a Keras model, got 42"):  # was an AttributeError deep inside
        upscale(42, smooth_rgb, 2)
    with pytest.raises(ValueError, match=r"would be .* pixels .*GiB.*check the scale"):  # was a MemoryError/OOM
        upscale("bicubic", smooth_rgb, 1000)
    with pytest.raises(ValueError, match="no arguments"):
        upscale("bicubic", smooth_rgb, 2, tile=64)


class _FakeModel:
    name = "fake"

    def __call__(self, inputs):  # a model is callable, like keras.Model  # pragma: no cover
        return inputs


def _install_fake_inference(monkeypatch, function):
    module = types.ModuleType("srlib.inference")
    module.upscale_with_model = function
    monkeypatch.setitem(sys.modules, "srlib.inference", module)


def test_upscale_routes_models_to_inference(monkeypatch, smooth_rgb):
    calls = {}

    def fake(model, image, scale, tile=None):
        calls.update(model=model, scale=scale, tile=tile)
        return imresize(image, scale, method="nearest")

    _install_fake_inference(monkeypatch, fake)
    model = _FakeModel()
    out = upscale(model, smooth_rgb, 2, tile=16)
    assert out.shape == (96, 80, 3) and calls == {"model": model, "scale": 2, "tile": 16}


def test_upscale_routes_pretrained_names(monkeypatch, smooth_rgb):
    loaded = {}
    pretrained = types.ModuleType("srlib.pretrained")

    def load(name, scale):
        loaded.update(name=name, scale=scale)
        return _FakeModel()

    pretrained.load = load
    monkeypatch.setitem(sys.modules, "srlib.pretrained", pretrained)
    _install_fake_inference(monkeypatch, lambda model, image, scale: imresize(image, scale))
    assert upscale("srcnn", smooth_rgb, 3).shape == (144, 120, 3)
    assert loaded == {"name": "srcnn", "scale": 3}


def test_upscale_gives_models_the_gray_image_itself(monkeypatch, gray_image):
    seen = {}

    def fake(model, image, scale):
        seen["shape"] = image.shape
        return imresize(image, scale)

    _install_fake_inference(monkeypatch, fake)
    out = upscale(_FakeModel(), gray_image, 2)
    assert seen["shape"] == gray_image.shape
    assert out.shape == (80, 72, 3)
    np.testing.assert_array_equal(out[:, :, 2], imresize(gray_image, 2))


def test_upscale_checks_model_output(monkeypatch, smooth_rgb):
    _install_fake_inference(monkeypatch, lambda model, image, scale: image)  # forgot to upscale
    with pytest.raises(ValueError, match="'fake' returned uint8"):
        upscale(_FakeModel(), smooth_rgb, 2)


def test_upscale_missing_model_modules_give_clear_error(monkeypatch, smooth_rgb):
    monkeypatch.setitem(sys.modules, "srlib.inference", None)  # import raises ModuleNotFoundError
    with pytest.raises((ValueError, ImportError), match="srlib.inference"):
        upscale(_FakeModel(), smooth_rgb, 2)


# ---------------------------------------------------------------- protocol pieces
def test_gray_from_rgb():
    gray = np.arange(0, 256, dtype=np.uint8).reshape(16, 16)
    np.testing.assert_array_equal(gray_from_rgb(np.repeat(gray[:, :, None], 3, axis=2)), gray)
    np.testing.assert_array_equal(gray_from_rgb(gray), gray)
    # a non-gray result: BT.601 luma mapped back from 16..235, exact for gray pixels
    mixed = np.repeat(gray[:, :, None], 3, axis=2)
    mixed[0, 0] = [255, 0, 0]
    out = gray_from_rgb(mixed)
    np.testing.assert_array_equal(out.ravel()[1:], gray.ravel()[1:])
    assert out[0, 0] == round(65.481 / 219 * 255)


# ---------------------------------------------------------------- evaluate
def test_evaluate_bicubic_matches_manual_protocol(smooth_rgb):
    result = evaluate("bicubic", {"img": smooth_rgb}, scales=(2, 4))
    assert isinstance(result, EvaluationResult)
    assert [(row.image, row.scale) for row in result.rows] == [("img", 2), ("img", 4)]
    for row in result.rows:
        hr = modcrop(smooth_rgb, row.scale)
        sr = imresize(imresize(hr, 1 / row.scale), row.scale)
        assert row.psnr == pytest.approx(psnr(hr, sr, border=row.scale), abs=1e-12)
        assert row.ssim == pytest.approx(ssim(hr, sr, border=row.scale), abs=1e-12)
        assert (row.baseline_psnr, row.baseline_ssim) == (row.psnr, row.ssim)
        assert row.psnr_gain == 0
    assert result.method == "bicubic" and result.baseline == "bicubic"


def test_evaluate_other_method_beside_baseline(smooth_rgb):
    images = {"a": smooth_rgb, "b": make_smooth_rgb(40, 44, seed=9)}
    result = evaluate("nearest", images, scales=3)
    bicubic = evaluate("bicubic", images, scales=3)
    assert result.scales == [3] and len(result.rows) == 2
    for row, reference in zip(result.rows, bicubic.rows):
        assert row.method == "nearest" and row.psnr != reference.psnr
        assert (row.baseline_psnr, row.baseline_ssim) == (reference.psnr, reference.ssim)
    mean = result.mean()
    assert mean["psnr"] == pytest.approx(np.mean([row.psnr for row in result.rows]))
    assert mean["baseline_ssim"] == pytest.approx(np.mean([row.baseline_ssim for row in result.rows]))
    assert set(result.means) == {3}


def test_evaluate_with_model_object(monkeypatch, smooth_rgb):
    _install_fake_inference(monkeypatch, lambda model, image, scale: imresize(image, scale, method="lanczos3"))
    result = evaluate(_FakeModel(), {"a": smooth_rgb}, scales=(2,))
    assert result.method == "fake"
    lanczos = evaluate("lanczos3", {"a": smooth_rgb}, scales=(2,))
    assert result.rows[0].psnr == lanczos.rows[0].psnr


def test_evaluate_folder_with_gray_image(image_folder):
    result = evaluate("bicubic", image_folder, scales=(2, 3, 4))
    assert result.dataset == "hr"
    assert sorted({row.image for row in result.rows}) == ["alpha", "beta", "gamma"]
    assert len(result.rows) == 9
    gray_row = next(row for row in result.rows if row.image == "gamma" and row.scale == 2)
    # the grayscale image is scored as Y directly (no 16..235 compression)
    from srlib.images import read_image
    hr = modcrop(read_image(image_folder / "gamma.png", mode="keep"), 2)
    sr = imresize(imresize(hr, 0.5), 2)
    assert gray_row.psnr == pytest.approx(psnr(hr, sr, border=2))
    records = result.to_records()
    assert [record["scale"] for record in records] == [2, 3, 4]
    assert records[0]["dataset"] == "hr" and len(records[0]["images"]) == 3
    assert set(records[0]["images"][0]) == {"image", "scale", "method", "psnr", "ssim",
                                             "baseline_psnr", "baseline_ssim"}
    assert "| **mean** | x2 |" in result.to_markdown()


def test_evaluate_list_of_paths(image_folder):
    paths = [image_folder / "alpha.png", str(image_folder / "beta.png")]
    result = evaluate("bicubic", paths, scales=(2,))
    assert [row.image for row in result.rows] == ["alpha", "beta"]
    assert result.dataset is None


def test_evaluate_y_protocol_matches_srcnn_pipeline(smooth_rgb):
    result = evaluate("bicubic", {"a": smooth_rgb}, scales=(3,), protocol="y")
    y = rgb_to_y(modcrop(smooth_rgb, 3))
    sr = imresize(imresize(y / 255.0, 1 / 3), 3)
    sr = np.clip(np.floor(sr * 255 + 0.5), 0, 255).astype(np.uint8)
    assert result.rows[0].psnr == pytest.approx(psnr(y, sr, border=3), abs=1e-12)
    standard = evaluate("bicubic", {"a": smooth_rgb}, scales=(3,))
    assert abs(standard.rows[0].psnr - result.rows[0].psnr) < 0.5
    assert result.to_records()[0]["protocol"] == "y"


def test_identical_method_gives_infinite_psnr_serialised():
    flat = {"flat": np.full((32, 32, 3), 90, np.uint8)}
    result = evaluate("bicubic", flat, scales=(2,))
    assert math.isinf(result.rows[0].psnr)
    assert result.to_records()[0]["mean"]["psnr"] == "inf"


def test_package_level_names_work_after_submodule_import(smooth_rgb):
    import srlib.evaluate  # noqa: F401 - binds the module name on the package
    import srlib.upscale  # noqa: F401
    assert srlib.upscale("bicubic", smooth_rgb, 2).shape == (96, 80, 3)
    assert isinstance(srlib.evaluate("bicubic", {"a": smooth_rgb}, scales=(2,)), EvaluationResult)


def test_result_mean_errors(smooth_rgb):
    result = evaluate("bicubic", {"a": smooth_rgb}, scales=(2, 3))
    with pytest.raises(ValueError, match="several scales"):
        result.mean()
    with pytest.raises(ValueError, match="scale 5"):
        result.mean(5)
    assert isinstance(result.rows[0], ImageScore)


# ---------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("scales", [(), (1,), (2, 0), (2.5,), "2", (True,)])
def test_evaluate_bad_scales(scales, smooth_rgb):
    with pytest.raises(ValueError, match="scale"):
        evaluate("bicubic", {"a": smooth_rgb}, scales=scales)


def test_evaluate_bad_images(tmp_path, smooth_rgb):
    with pytest.raises(ValueError, match="uint8"):
        evaluate("bicubic", {"a": smooth_rgb / 255.0}, scales=(2,))
    with pytest.raises(ValueError, match="shape"):
        evaluate("bicubic", {"a": smooth_rgb[:, :, :2]}, scales=(2,))
    with pytest.raises(ValueError, match="no HR images"):
        evaluate("bicubic", {}, scales=(2,))
    with pytest.raises(FileNotFoundError, match="missing"):
        evaluate("bicubic", tmp_path / "missing", scales=(2,))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no image files"):
        evaluate("bicubic", tmp_path / "empty", scales=(2,))
    with pytest.raises(ValueError, match="'tiny'"):
        evaluate("bicubic", {"tiny": smooth_rgb[:16, :16]}, scales=(4,))  # too small for SSIM after border
    with pytest.raises(ValueError, match="hr_images"):
        evaluate("bicubic", 42, scales=(2,))
    with pytest.raises(ValueError, match="two images named"):
        evaluate("bicubic", [tmp_path / "a" / "x.png", tmp_path / "b" / "x.png"], scales=(2,))


def test_evaluate_reads_folders_with_the_one_folder_reader_and_keeps_grey_images(tmp_path, smooth_rgb):
    """Folders go through srlib.data.load_images: stems, natural order, hidden files skipped, grey kept."""
    from srlib.images import write_image

    write_image(tmp_path / "img_10.png", smooth_rgb)
    write_image(tmp_path / "img_2.png", smooth_rgb[:, :, 0])
    (tmp_path / "._img_2.png").write_bytes(b"\x00\x05\x16\x07 macOS AppleDouble, not a PNG")
    result = evaluate("bicubic", tmp_path, scales=(2,))
    assert [row.image for row in result.rows] == ["img_2", "img_10"] and result.dataset == tmp_path.name
    grey = evaluate("bicubic", {"img_2": smooth_rgb[:, :, 0]}, scales=(2,)).rows[0]
    assert result.rows[0].psnr == grey.psnr  # scored as a grey (H, W) image, not as RGB
    write_image(tmp_path / "img_2.bmp", smooth_rgb[::-1])  # same stem: one of them would be dropped silently
    with pytest.raises(ValueError, match="two images named 'img_2'"):
        evaluate("bicubic", tmp_path, scales=(2,))


def test_evaluate_bad_protocol(smooth_rgb):
    with pytest.raises(ValueError, match="protocol"):
        evaluate("bicubic", {"a": smooth_rgb}, scales=(2,), protocol="ycbcr")
    with pytest.raises(ValueError, match="interpolation methods"):
        evaluate("magic", {"a": smooth_rgb}, scales=(2,), protocol="y")


def test_evaluate_y_protocol_with_a_model(smooth_rgb):
    """protocol='y' feeds a 1-channel model the float LR Y (the papers' test scripts)."""
    keras = pytest.importorskip("keras")
    from srlib.models import espcn

    keras.utils.set_random_seed(0)
    model = espcn(2, icnr=True)  # an untrained network: only the plumbing is under test here
    result = evaluate(model, {"a": smooth_rgb}, scales=(2,), protocol="y")
    row = result.rows[0]
    assert np.isfinite(row.psnr) and -1 <= row.ssim <= 1
    assert row.baseline_psnr == pytest.approx(evaluate("bicubic", {"a": smooth_rgb}, scales=(2,), protocol="y").rows[0].psnr)
    del keras


def test_markdown_shows_the_baseline_once_when_it_is_the_method(smooth_rgb):
    alone = evaluate("bicubic", {"a": smooth_rgb}, scales=(2,)).to_markdown()
    assert alone.splitlines()[0].count("bicubic PSNR") == 1
    both = evaluate("nearest", {"a": smooth_rgb}, scales=(2,)).to_markdown()
    assert "bicubic PSNR" in both.splitlines()[0] and "nearest PSNR" in both.splitlines()[0]

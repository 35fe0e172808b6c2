"""Tests of srlib.inference: shapes, dtype, scale checks, tiling without seams."""
from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from srlib.images import rgb_to_ycbcr, to_float, to_uint8, ycbcr_to_rgb  # noqa: E402
from srlib.inference import check_model_scale, run_model, upscale_with_model, upscale_y  # noqa: E402
from srlib.models import build_model, espcn, fsrcnn, srcnn  # noqa: E402
from srlib.resize import imresize  # noqa: E402


@pytest.fixture(scope="module")
def image() -> np.ndarray:
    rng = np.random.default_rng(0)
    smooth = imresize(rng.random((6, 8, 3)), output_shape=(17, 23))
    return to_uint8(np.clip(smooth, 0, 1))


@pytest.fixture(scope="module")
def trained_like_models() -> dict[str, keras.Model]:
    keras.utils.set_random_seed(0)
    return {"srcnn": build_model("srcnn", 3), "fsrcnn": build_model("fsrcnn", 3),
            "espcn": build_model("espcn", 3)}


@pytest.mark.parametrize("name", ["srcnn", "fsrcnn", "espcn"])
def test_upscale_with_model_shape_and_dtype(image, trained_like_models, name):
    out = upscale_with_model(trained_like_models[name], image, 3)
    assert out.shape == (51, 69, 3) and out.dtype == np.uint8


@pytest.mark.parametrize("name,scale", [("fsrcnn", 2), ("espcn", 4), ("srcnn", 2)])
def test_upscale_other_scales(image, name, scale):
    out = upscale_with_model(build_model(name, scale), image, scale)
    assert out.shape == (17 * scale, 23 * scale, 3)


def _identity_y_model() -> keras.Model:
    """A pre-upsampling 'model' that returns its input: the pipeline then equals bicubic."""
    inputs = keras.Input((None, None, 1))
    outputs = keras.layers.Conv2D(1, 1, use_bias=False, kernel_initializer="ones")(inputs)
    return keras.Model(inputs, outputs, name="identity")


def test_identity_model_reproduces_ycbcr_bicubic(image):
    out = upscale_with_model(_identity_y_model(), image, 2)
    ycc = rgb_to_ycbcr(to_float(image))
    expected = to_uint8(ycbcr_to_rgb(np.clip(imresize(ycc, 2), 0, 1).astype(np.float32)))
    assert np.abs(out.astype(int) - expected.astype(int)).max() <= 1
    # and is close to plain RGB bicubic
    assert np.abs(out.astype(int) - imresize(image, 2).astype(int)).mean() < 1.0


@pytest.mark.parametrize("name", ["srcnn", "fsrcnn", "espcn"])
def test_colour_path_equals_the_composed_conversions(image, trained_like_models, name):
    # upscale_with_model converts back in one cache-blocked step; it must give, bit for bit,
    # what the documented steps give: rgb_to_ycbcr, Y through the model, Cb/Cr bicubic,
    # ycbcr_to_rgb (float32), to_uint8.
    model = trained_like_models[name]
    noisy = np.random.default_rng(4).integers(0, 256, (40, 29, 3), dtype=np.uint8)
    for lr in (image, noisy):
        ycc = rgb_to_ycbcr(to_float(lr))
        y_hr = upscale_y(model, ycc[:, :, 0], 3)
        chroma = imresize(np.ascontiguousarray(ycc[:, :, 1:]), 3).astype(np.float32)
        expected = to_uint8(ycbcr_to_rgb(np.concatenate([y_hr[:, :, None], chroma], axis=2).astype(np.float32)))
        np.testing.assert_array_equal(upscale_with_model(model, lr, 3), expected)


def test_grayscale_input(trained_like_models):
    gray = np.random.default_rng(1).integers(0, 256, (9, 10), dtype=np.uint8)
    out = upscale_with_model(trained_like_models["espcn"], gray, 3)
    assert out.shape == (27, 30) and out.dtype == np.uint8
    out3 = upscale_with_model(trained_like_models["espcn"], gray[:, :, None], 3)
    assert out3.shape == (27, 30, 1)
    np.testing.assert_array_equal(out3[:, :, 0], out)


def test_rgb_model(image):
    out = upscale_with_model(espcn(2, channels=3), image, 2)
    assert out.shape == (34, 46, 3) and out.dtype == np.uint8


@pytest.mark.parametrize("bad", [
    lambda im: im.astype(np.float32) / 255,                 # float input
    lambda im: np.concatenate([im, im[..., :1]], axis=2),   # RGBA
    lambda im: im[None],                                    # batch
    lambda im: im[:0],                                      # empty
])
def test_bad_images_raise(image, trained_like_models, bad):
    with pytest.raises(ValueError, match=r"upscale_with_model expects (a uint8 image|\(H, W, 3\) RGB)"):
        upscale_with_model(trained_like_models["espcn"], bad(image), 3)


@pytest.mark.parametrize("scale", [2, 2.5, "3", 1, True])
def test_scale_mismatch_or_bad_scale_raises(image, trained_like_models, scale):
    with pytest.raises(ValueError, match=r"is for scale 3, not 2|scale must be an integer factor"):
        upscale_with_model(trained_like_models["fsrcnn"], image, scale)


def test_scale_checks():
    assert check_model_scale(srcnn(), 4) == 4          # SRCNN without recorded scale: any scale
    assert check_model_scale(fsrcnn(3), 3.0) == 3
    with pytest.raises(ValueError, match="scale 3, not 2"):
        check_model_scale(srcnn(scale=3), 2)
    inputs = keras.Input((None, None, 1))
    unnamed = keras.Model(inputs, keras.layers.UpSampling2D(2)(inputs), name="mine")
    with pytest.raises(ValueError, match="upscales by 2"):
        check_model_scale(unnamed, 3)


@pytest.mark.parametrize("name,scale", [("srcnn", 3), ("fsrcnn", 3), ("fsrcnn", 2), ("espcn", 3), ("espcn", 4)])
def test_tiled_equals_untiled(name, scale):
    keras.utils.set_random_seed(1)
    model = build_model(name, scale)
    x = np.random.default_rng(2).random((37, 45), dtype=np.float32)
    if name == "srcnn":
        x = imresize(x, scale).astype(np.float32)
    whole = run_model(model, x)
    tiled = run_model(model, x, tile=11)
    assert tiled.shape == whole.shape
    assert np.abs(tiled - whole).max() <= 1e-6


def test_too_small_overlap_shows_seams():
    keras.utils.set_random_seed(1)
    model = build_model("espcn", 3)
    x = np.random.default_rng(2).random((24, 24), dtype=np.float32)
    assert np.abs(run_model(model, x, tile=8, overlap=0) - run_model(model, x)).max() > 1e-4


def test_tiled_upscale_with_model_matches_untiled(image, trained_like_models):
    for name, model in trained_like_models.items():
        whole = upscale_with_model(model, image, 3)
        tiled = upscale_with_model(model, image, 3, tile=7)
        assert np.abs(whole.astype(int) - tiled.astype(int)).max() <= 1, name


def test_upscale_y(trained_like_models):
    y = np.random.default_rng(3).random((10, 12), dtype=np.float32)
    for model in trained_like_models.values():
        out = upscale_y(model, y, 3)
        assert out.shape == (30, 36) and out.dtype == np.float32
        assert out.min() >= 0 and out.max() <= 1
    assert upscale_y(trained_like_models["espcn"], (y * 255).astype(np.uint8), 3).shape == (30, 36)
    with pytest.raises(ValueError, match="2-D"):
        upscale_y(trained_like_models["espcn"], y[None], 3)
    with pytest.raises(ValueError, match="needs a Y"):
        upscale_y(espcn(3, channels=3), y, 3)
    with pytest.raises(ValueError, match=r"looks like 0\.\.255"):  # used to return garbage silently
        upscale_y(trained_like_models["espcn"], y * 255, 3)
    with pytest.raises(ValueError, match="contains NaN"):
        upscale_y(trained_like_models["espcn"], np.where(y > 0.5, np.nan, y).astype(np.float32), 3)


def test_run_model_bad_arguments(trained_like_models):
    model = trained_like_models["espcn"]
    with pytest.raises(ValueError, match="expects a float image in"):
        run_model(model, np.zeros((8, 8), np.uint8))
    with pytest.raises(ValueError, match=r"takes 1 channel\(s\)"):
        run_model(model, np.zeros((8, 8, 3), np.float32))
    with pytest.raises(ValueError, match="tile must be an integer >= 1, got 0"):
        run_model(model, np.zeros((8, 8), np.float32), tile=0)
    with pytest.raises(ValueError, match="overlap must be an integer >= 0, got -1"):
        run_model(model, np.zeros((8, 8), np.float32), tile=4, overlap=-1)


# --- the fast inference path (FSRCNN's transposed convolution run as sub-pixel convolution) ----------

@pytest.mark.parametrize("scale", [2, 3, 4])
def test_run_model_with_shipped_fsrcnn_equals_the_original_graph(scale):
    from srlib import pretrained
    from srlib.inference import fast_inference_model

    model = pretrained.load("fsrcnn", scale)
    assert any(isinstance(layer, keras.layers.Conv2DTranspose) for layer in model.layers)  # structure unchanged
    fast = fast_inference_model(model)
    assert fast is not model and fast_inference_model(model) is fast  # cached
    x = np.random.default_rng(scale).random((21, 17), dtype=np.float32)
    reference = keras.ops.convert_to_numpy(model(x[None, :, :, None], training=False))[0, :, :, 0]
    assert np.abs(run_model(model, x) - reference).max() <= 1e-5
    assert np.abs(run_model(model, x, tile=8) - reference).max() <= 1e-5


def test_fast_inference_model_follows_training_and_is_weakly_cached():
    import gc
    import weakref

    from srlib.inference import fast_inference_model

    keras.utils.set_random_seed(4)
    model = fsrcnn(3)
    x = np.random.default_rng(5).random((9, 11), dtype=np.float32)
    before = run_model(model, x)
    deconv = model.get_layer("deconvolution")
    deconv.kernel.assign(np.random.default_rng(6).normal(0, 0.1, tuple(deconv.kernel.shape)).astype(np.float32))
    deconv.bias.assign(np.full(tuple(deconv.bias.shape), 0.5, np.float32))
    after = run_model(model, x)
    reference = keras.ops.convert_to_numpy(model(x[None, :, :, None], training=False))[0, :, :, 0]
    assert np.abs(after - before).max() > 0.1 and np.abs(after - reference).max() <= 1e-5
    other = espcn(3)
    assert fast_inference_model(other) is other
    ref = weakref.ref(model)
    del model, deconv
    gc.collect()
    assert ref() is None

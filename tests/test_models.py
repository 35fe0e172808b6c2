"""Tests of the architectures in srlib.models (_srcnn, _fsrcnn, _espcn, layers): paper parameter counts,
shapes, bad arguments, serialisation, DepthToSpace, ICNR, the sub-pixel rewrite of FSRCNN."""
from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from srlib.models.layers import to_numpy  # noqa: E402

from srlib.models import (DepthToSpace, ICNR, build_model, checkerboard_strength, depth_to_space_numpy,  # noqa: E402
                          espcn, flat_input_response, fsrcnn, srcnn)


def _kernel_count(model: keras.Model) -> int:
    return sum(int(np.prod(w.shape)) for w in model.weights if w.name.endswith("kernel"))


def _run(model: keras.Model, x: np.ndarray) -> np.ndarray:
    return to_numpy(model(x, training=False))


# --- parameter counts of the papers ---------------------------------------------------------------

def test_srcnn_915_has_8129_parameters():
    assert 9 * 9 * 64 + 64 + 1 * 1 * 64 * 32 + 32 + 5 * 5 * 32 + 1 == 8129
    assert srcnn().count_params() == 8129
    assert srcnn("9-1-5").count_params() == build_model("srcnn", 3).count_params() == 8129


def test_srcnn_variants_parameter_counts():
    assert srcnn("9-5-5").count_params() == 9 * 9 * 64 + 64 + 5 * 5 * 64 * 32 + 32 + 5 * 5 * 32 + 1  # 57,281
    assert srcnn("9-3-5").count_params() == 9 * 9 * 64 + 64 + 3 * 3 * 64 * 32 + 32 + 5 * 5 * 32 + 1
    assert srcnn(channels=3).count_params() == 9 * 9 * 3 * 64 + 64 + 64 * 32 + 32 + 5 * 5 * 32 * 3 + 3


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_fsrcnn_parameter_counts(scale):
    model = fsrcnn(scale)
    # the paper's 12,464 counts convolution weights only (FSRCNN(56, 12, 4))
    assert 5 * 5 * 56 + 56 * 12 + 4 * 3 * 3 * 12 * 12 + 12 * 56 + 9 * 9 * 56 == 12464
    assert _kernel_count(model) == 12464
    biases = 56 + 12 + 4 * 12 + 56 + 1
    prelu_slopes = 56 + 12 + 4 * 12 + 56
    assert model.count_params() == 12464 + biases + prelu_slopes == 12809


def test_fsrcnn_small_variant_counts():
    # FSRCNN-s (32, 5, 1): 3,937 weights in the paper
    assert _kernel_count(fsrcnn(3, d=32, s=5, m=1)) == 5 * 5 * 32 + 32 * 5 + 9 * 5 * 5 + 5 * 32 + 81 * 32 == 3937


def test_espcn_x3_parameter_count():
    expected = (5 * 5 * 1 * 64 + 64) + (3 * 3 * 64 * 32 + 32) + (3 * 3 * 32 * 9 + 9)
    assert expected == 22729
    assert espcn(3).count_params() == 22729
    assert espcn(2).count_params() == 1664 + 18464 + 3 * 3 * 32 * 4 + 4


# --- shapes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,scale", [("srcnn", 3), ("fsrcnn", 2), ("fsrcnn", 3), ("fsrcnn", 4),
                                        ("espcn", 2), ("espcn", 3), ("espcn", 4)])
def test_output_shape_for_odd_sizes(name, scale):
    model = build_model(name, scale)
    x = np.random.default_rng(0).random((2, 17, 23, 1), dtype=np.float32)
    factor = 1 if name == "srcnn" else scale
    out = _run(model, x)
    assert out.shape == (2, 17 * factor, 23 * factor, 1)
    assert out.dtype == np.float32
    assert model.inputs[0].shape[1:] == (None, None, 1)


def test_rgb_models():
    x = np.zeros((1, 5, 7, 3), np.float32)
    assert _run(espcn(2, channels=3), x).shape == (1, 10, 14, 3)
    assert _run(fsrcnn(2, channels=3), x).shape == (1, 10, 14, 3)
    assert _run(srcnn(channels=3), x).shape == (1, 5, 7, 3)


# --- bad arguments ------------------------------------------------------------------------------------

@pytest.mark.parametrize("call,message", [
    (lambda: srcnn("9-9-9"), "unknown SRCNN variant '9-9-9'"),
    (lambda: srcnn(filters=(64,)), "filters must be a sequence of 2 positive integers"),
    (lambda: srcnn(channels=2), "channels must be 1"),
    (lambda: fsrcnn(3, d=0), "d must be a positive integer"),
    (lambda: fsrcnn(3, m=-1), "m \\(number of mapping layers\\) must be a non-negative integer"),
    (lambda: espcn(3, activation="sigmoid"), "activation must be one of"),
    (lambda: espcn(3, kernel_sizes=(5, 3)), "kernel_sizes must be a sequence of 3"),
])
def test_bad_arguments_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- serialisation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("model_fn", [lambda: srcnn(scale=3), lambda: fsrcnn(2), lambda: espcn(3, icnr=True)])
def test_save_load_round_trip_safe_mode(tmp_path, model_fn):
    model = model_fn()
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert loaded.name == model.name
    x = np.random.default_rng(1).random((1, 9, 11, 1), dtype=np.float32)
    np.testing.assert_array_equal(_run(model, x), _run(loaded, x))
    assert not any(type(layer).__name__ == "Lambda" for layer in loaded.layers)


def test_icnr_config_round_trip():
    init = ICNR(3, initializer="he_normal")
    clone = ICNR.from_config(init.get_config())
    assert clone.scale == 3 and type(clone.initializer).__name__ == "HeNormal"
    restored = keras.initializers.deserialize(keras.initializers.serialize(init))
    assert isinstance(restored, ICNR) and restored.scale == 3


# --- DepthToSpace ----------------------------------------------------------------------------------

@pytest.mark.parametrize("block_size,channels", [(2, 1), (3, 1), (3, 2), (4, 3)])
def test_depth_to_space_matches_numpy_reference(block_size, channels):
    x = np.random.default_rng(2).random((2, 5, 7, channels * block_size ** 2), dtype=np.float32)
    out = to_numpy(DepthToSpace(block_size)(x))
    np.testing.assert_array_equal(out, depth_to_space_numpy(x, block_size))


def test_depth_to_space_numpy_definition():
    # channel k of pixel (0, 0) goes to sub-pixel (k // r, k % r) for one output channel
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 1, 9)
    np.testing.assert_array_equal(depth_to_space_numpy(x, 3)[0, :, :, 0], np.arange(9).reshape(3, 3))


def test_depth_to_space_matches_tensorflow():
    tf = pytest.importorskip("tensorflow")
    x = np.random.default_rng(3).random((1, 4, 6, 18), dtype=np.float32)
    np.testing.assert_array_equal(depth_to_space_numpy(x, 3), tf.nn.depth_to_space(x, 3).numpy())


def test_depth_to_space_bad_arguments():
    with pytest.raises(ValueError, match="block_size must be a positive integer .* got 0"):
        DepthToSpace(0)
    with pytest.raises(ValueError, match=r"depth_to_space expects \(N, H, W, C\*2\*2\), got shape \(1, 2, 2, 5\)"):
        depth_to_space_numpy(np.zeros((1, 2, 2, 5)), 2)
    assert DepthToSpace(3).compute_output_shape((None, None, 4, 18)) == (None, None, 12, 2)


# --- ICNR and checkerboards -------------------------------------------------------------------------

@pytest.mark.parametrize("scale", [2, 3])
def test_icnr_removes_the_checkerboard_at_initialisation(scale):
    keras.utils.set_random_seed(0)
    random_out = flat_input_response(espcn(scale), size=16)
    icnr_out = flat_input_response(espcn(scale, icnr=True), size=16)
    assert random_out.shape == icnr_out.shape == (16 * scale, 16 * scale)
    assert checkerboard_strength(random_out, scale) > 1e-3
    assert checkerboard_strength(icnr_out, scale) < 1e-6
    # the interior of the ICNR output is flat
    core = icnr_out[4 * scale:-4 * scale, 4 * scale:-4 * scale]
    assert np.ptp(core) < 1e-6


def test_icnr_output_is_nearest_neighbour_upsampled_for_any_input():
    scale = 3
    model = espcn(scale, icnr=True)
    x = np.random.default_rng(4).random((1, 8, 10, 1), dtype=np.float32)
    out = _run(model, x)[0, :, :, 0]
    blocks = out.reshape(8, scale, 10, scale)
    assert np.abs(blocks - blocks[:, :1, :, :1]).max() < 1e-6


def test_icnr_kernel_structure_and_errors():
    kernel = to_numpy(ICNR(2)((3, 3, 8, 4)))
    for k in range(1, 4):
        np.testing.assert_array_equal(kernel[..., k], kernel[..., 0])
    with pytest.raises(ValueError, match="out divisible by 4"):
        ICNR(2)((3, 3, 8, 6))
    with pytest.raises(ValueError, match="scale must be a positive integer .* got 0"):
        ICNR(0)


def test_checkerboard_strength_known_values():
    flat = np.full((24, 24), 0.5)
    assert checkerboard_strength(flat, 2) == 0.0
    board = np.indices((24, 24)).sum(axis=0) % 2 * 1.0
    assert checkerboard_strength(board, 2) == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"image of shape \(4, 4\) is too small for border 8 and scale 2"):
        checkerboard_strength(np.zeros((4, 4)), 2)
    with pytest.raises(ValueError, match="expects a 2-D"):
        checkerboard_strength(np.zeros((4, 4, 1)), 2)


# --- transposed convolution == sub-pixel convolution (the fast inference path) -----------------------

def _randomise(model: keras.Model, seed: int) -> keras.Model:
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        weight.assign(rng.normal(0.0, 0.2, tuple(weight.shape)).astype(np.float32))
    return model


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_to_subpixel_equals_fsrcnn_on_odd_sizes(scale):
    from srlib.models import to_subpixel

    model = _randomise(fsrcnn(scale), scale)
    fast = to_subpixel(model)
    assert fast is not model and fast.name == model.name and fast.name.endswith(f"_x{scale}")
    names = [layer.name for layer in fast.layers]
    assert "deconvolution" not in names and names[-2:] == ["deconvolution_subpixel", "deconvolution_shuffle"]
    # every other layer (and its weights) is shared with the original
    assert fast.get_layer("mapping_2") is model.get_layer("mapping_2")
    x = np.random.default_rng(10 + scale).random((2, 13, 7, 1), dtype=np.float32)
    reference = _run(model, x)
    out = _run(fast, x)
    assert out.shape == reference.shape == (2, 13 * scale, 7 * scale, 1)
    assert np.abs(out - reference).max() <= 1e-5 * max(1.0, float(np.abs(reference).max()))


@pytest.mark.parametrize("kernel_size,stride,use_bias", [((9, 9), 3, True), ((4, 5), 2, False), ((2, 3), 3, True),
                                                         ((1, 1), 2, True), ((6, 6), 4, True)])
def test_subpixel_kernel_matches_conv_transpose(kernel_size, stride, use_bias):
    from srlib.models import subpixel_convertible, subpixel_kernel

    inputs = keras.Input((None, None, 2))
    deconv = keras.layers.Conv2DTranspose(3, kernel_size, strides=stride, padding="same", use_bias=use_bias)
    model = _randomise(keras.Model(inputs, deconv(inputs)), sum(kernel_size) + stride)
    assert subpixel_convertible(deconv)
    weights = [to_numpy(w) for w in deconv.weights]
    kernel, bias = subpixel_kernel(weights[0], weights[1] if use_bias else None, stride)
    assert kernel.shape[2:] == (2, 3 * stride * stride) and kernel.shape[0] % 2 == 1 and kernel.shape[1] % 2 == 1
    conv = keras.layers.Conv2D(kernel.shape[-1], kernel.shape[:2], padding="same", use_bias=use_bias)
    fast = keras.Model(inputs, DepthToSpace(stride)(conv(inputs)))
    conv.set_weights([kernel] + ([bias] if use_bias else []))
    x = np.random.default_rng(0).random((1, 9, 11, 2), dtype=np.float32)
    assert np.abs(_run(fast, x) - _run(model, x)).max() <= 1e-5


def test_fsrcnn_subpixel_kernel_sizes():
    from srlib.models import subpixel_kernel

    for scale, side in [(2, 5), (3, 3), (4, 3)]:
        kernel, bias = subpixel_kernel(np.ones((9, 9, 1, 56), np.float32), np.zeros(1, np.float32), scale)
        assert kernel.shape == (side, side, 56, scale * scale) and bias.shape == (scale * scale,)
        # every tap of the 9x9 kernel is used exactly once
        assert kernel.sum() == 81 * 56


def test_to_subpixel_leaves_other_models_and_rejects_bad_input():
    from srlib.models import subpixel_convertible, subpixel_kernel, to_subpixel

    for model in (espcn(3), srcnn()):
        assert to_subpixel(model) is model
    valid = keras.layers.Conv2DTranspose(1, 9, strides=3, padding="valid")
    valid.build((None, 8, 8, 4))
    assert not subpixel_convertible(valid) and not subpixel_convertible(keras.layers.Dense(3))
    sequential = keras.Sequential([keras.Input((None, None, 1)),
                                   keras.layers.Conv2DTranspose(1, 3, strides=2, padding="same")])
    with pytest.raises(ValueError, match="Functional"):
        to_subpixel(sequential)
    with pytest.raises(ValueError, match="keras.Model"):
        to_subpixel("fsrcnn")
    with pytest.raises(ValueError, match="kernel"):
        subpixel_kernel(np.zeros((9, 9, 1)), None, 3)
    with pytest.raises(ValueError, match="stride"):
        subpixel_kernel(np.zeros((9, 9, 1, 4)), None, 0)
    with pytest.raises(ValueError, match="bias"):
        subpixel_kernel(np.zeros((9, 9, 1, 4)), np.zeros(2), 3)

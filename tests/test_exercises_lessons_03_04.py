"""Exercises of lessons 03 and 04: reference answers pass, wrong answers fail with a message,
and the reference answers agree with the library (Keras models, DepthToSpace, ICNR)."""
from __future__ import annotations

import numpy as np
import pytest

from srlib.exercises import lesson03, lesson04, self_test


@pytest.mark.parametrize("module", [lesson03, lesson04], ids=["lesson03", "lesson04"])
def test_solutions_pass_and_wrong_answers_fail(module):
    assert self_test(module) == 7  # four end-of-lesson exercises, three check-your-understanding questions


@pytest.mark.parametrize("module", [lesson03, lesson04], ids=["lesson03", "lesson04"])
def test_stubs_get_a_reminder_not_an_error(module):
    def stub(*args, **kwargs):
        ...

    for exercise in (module.q1, module.q2, module.q3):
        result = exercise.check(stub, quiet=True)
        assert not result and "return" in result.message
        assert not exercise.check(..., quiet=True)


def test_lesson03_reference_answers_match_the_models():
    models = pytest.importorskip("srlib.models")
    for variant in ("9-1-5", "9-5-5"):
        f1, f2, f3 = (int(v) for v in variant.split("-"))
        assert lesson03.srcnn_parameters(f1, f2, f3) == models.srcnn(variant).count_params()
        radius = models.receptive_radius(models.srcnn(variant))
        assert lesson03.receptive_field([f1, f2, f3]) == 2 * radius + 1
    assert models.srcnn(channels=3).count_params() == lesson03.srcnn_parameters(9, 1, 5, channels=3)
    assert lesson03.loss_to_psnr(1e-3) == pytest.approx(30.0)


def test_lesson03_srcnn_input_is_what_inference_feeds_the_network():
    from srlib import images, inference
    from srlib.data import default_images, make_lr
    from srlib.resize import imresize

    hr = default_images(size=48, names=["chelsea"])["chelsea"]
    y = lesson03.srcnn_input(hr, 3)
    assert y.shape == (48, 48) and y.dtype == np.float32
    y_lr = images.rgb_to_ycbcr(images.to_float(make_lr(hr, 3)))[..., 0]
    np.testing.assert_allclose(y, imresize(y_lr, 3, method="bicubic"), atol=1e-6)
    assert hasattr(inference, "upscale_y")


def test_lesson03_messages_spot_classic_slips():
    weights_only = lesson03.q1.wrong[0]
    assert "bias" in lesson03.q1.check(weights_only, quiet=True).message
    assert "k - 1" in lesson03.q2.check(lambda sizes: sum(sizes), quiet=True).message
    assert "255" in lesson03.q4.check(lesson03.q4.wrong[0], quiet=True).message
    with pytest.raises(ValueError, match="mse"):
        lesson03.loss_to_psnr(0)
    with pytest.raises(ValueError, match="kernel_sizes"):
        lesson03.receptive_field("915")


def test_lesson04_reference_answers_match_the_library():
    models = pytest.importorskip("srlib.models")
    import keras

    x = np.random.default_rng(0).normal(size=(3, 5, 2 * 9)).astype(np.float32)
    np.testing.assert_array_equal(lesson04.pixel_shuffle(x, 3), models.depth_to_space_numpy(x[None], 3)[0])
    for scale in (2, 3, 4):
        assert lesson04.espcn_macs(scale) == pytest.approx(models.macs_per_output_pixel("espcn", scale))
    assert lesson04.ESPCN_X3_OVERLAP == models.receptive_radius(models.espcn(3))
    # ICNR from the library equals the exercise's answer applied to its first sub-kernel
    keras.utils.set_random_seed(0)
    full = np.asarray(models.ICNR(2)((3, 3, 4, 2 * 4)))
    np.testing.assert_array_equal(full, lesson04.icnr_kernel(full[..., :2], 2))


def test_lesson04_messages_spot_classic_slips():
    assert "PyTorch" in lesson04.q3.check(lesson04.q3.wrong[0], quiet=True).message
    assert "per LR pixel" in lesson04.q2.check(lesson04.q2.wrong[0], quiet=True).message
    assert "HR pixels" in lesson04.q4.check(12, quiet=True).message
    with pytest.raises(ValueError, match="shape"):
        lesson04.pixel_shuffle(np.zeros((2, 2, 3)), 2)


_NOTEBOOK_NAMESPACE = "import math\nimport numpy as np\nimport srlib\nfrom srlib import data, images, models\n"
_CHECKS = {"c1": "answer", "c2": "answer", "c3": "answer"}
_ANSWER_NAMES = {"lesson03": {"q1": "srcnn_parameters", "q2": "receptive_field", "q3": "srcnn_input",
                              "q4": "loss_to_psnr", **_CHECKS},
                 "lesson04": {"q1": "pixel_shuffle", "q2": "espcn_macs", "q3": "icnr_kernel", "q4": "answer",
                              **_CHECKS}}


@pytest.mark.parametrize("module", [lesson03, lesson04], ids=["lesson03", "lesson04"])
def test_printed_solutions_run_in_the_notebook_namespace_and_pass(module):
    """What ex.qN.solution() prints is what a learner pastes: it must run and pass."""
    for name, variable in _ANSWER_NAMES[module.__name__.rsplit(".", 1)[1]].items():
        exercise = getattr(module, name)
        namespace: dict = {}
        exec(_NOTEBOOK_NAMESPACE + exercise.solution_code, namespace)  # noqa: S102 - our own solution code
        assert exercise.check(namespace[variable], quiet=True), f"{module.__name__}.{name} solution fails"


# ----------------------------------------------------------------------------- point 9: specific diagnoses
def test_lesson03_q3_names_the_rgb_mean_slip_not_the_hr_image():
    message = lesson03.q3.check(lesson03._rgb_mean_input, quiet=True).message
    assert "mean of R, G and B" in message and "rgb_to_ycbcr" in message
    assert "HR image" not in message


def test_lesson03_q3_tells_full_range_luma_and_hr_input_apart():
    from srlib.images import to_float
    from srlib.upscale import upscale

    def full_range(hr, scale):
        rgb = to_float(upscale("bicubic", data_make_lr(hr, scale), scale)).astype(np.float64)
        return rgb @ np.array([0.299, 0.587, 0.114])

    assert "full-range" in lesson03.q3.check(full_range, quiet=True).message
    assert "HR image itself" in lesson03.q3.check(lesson03.q3.wrong[0], quiet=True).message
    # a wrong answer that is none of the slips gets the three steps, not a guess
    offset = lesson03.q3.check(lambda hr, scale: lesson03.srcnn_input(hr, scale) + 0.05, quiet=True).message
    assert "three steps" in offset and "HR image" not in offset and "mean of R" not in offset


def data_make_lr(hr, scale):
    from srlib.data import make_lr

    return make_lr(hr, scale)


def test_lesson03_q4_explains_the_20_log10_slip():
    import math

    message = lesson03.q4.check(lambda mse: 20 * math.log10(1 / mse), quiet=True).message
    assert "returned 60" in message and "RMSE" in message and "10 log10(1 / MSE)" in message
    root = lesson03.q4.check(lambda mse: 10 * math.log10(1 / math.sqrt(mse)), quiet=True).message
    assert "factor is 20" in root


# ----------------------------------------------------------------------------- point 10: the checks' claims
def test_lesson03_c1_is_the_output_shape_of_srcnn():
    models = pytest.importorskip("srlib.models")
    output = models.srcnn("9-1-5")(np.zeros(lesson03.C1_INPUT_SHAPE, np.float32))
    assert tuple(output.shape) == lesson03.c1.answer()
    assert "pre-upsampling" in lesson03.c1.check((1, 297, 297, 1), quiet=True).message
    assert "valid" in lesson03.c1.check((1, 87, 87, 1), quiet=True).message


def test_lesson03_c3_offset_is_where_paired_patches_cut_the_target():
    from srlib.data import PairedPatches
    from srlib.images import modcrop, rgb_to_y, to_float

    rng = np.random.default_rng(0)
    hr = rng.integers(0, 256, (60, 60, 3), dtype=np.uint8)
    sampler = PairedPatches({"noise": hr}, lesson03.C3_SCALE, 4, transforms=())
    _, target = sampler.crop(0, *lesson03.C3_OFFSET)
    y, x = lesson03.c3.answer()
    hr_y = rgb_to_y(to_float(modcrop(hr, lesson03.C3_SCALE)))
    np.testing.assert_allclose(target, hr_y[y:y + 12, x:x + 12], atol=1e-6)
    assert "LR offset" in lesson03.c3.check(lesson03.C3_OFFSET, quiet=True).message


def test_lesson04_c1_c2_match_the_models():
    models = pytest.importorskip("srlib.models")
    espcn = models.espcn(lesson04.C_SCALE)
    assert models.output_factor(espcn) ** 2 == lesson04.c1.answer()
    rgb = models.espcn(lesson04.C_SCALE, channels=3)
    assert rgb.get_layer("subpixel_conv").filters == lesson04.c2.answer()
    assert "one output channel" in lesson04.c2.check(16, quiet=True).message
    assert "per side" in lesson04.c1.check(4, quiet=True).message


@pytest.mark.parametrize("option, kernel_size, stride", [("a", 3, 2), ("b", 9, 2), ("c", 6, 3), ("d", 9, 4)])
def test_lesson04_c3_only_the_right_option_overlaps_evenly(option, kernel_size, stride):
    """The multiple choice's premise, measured: copies per output pixel of an all-ones transposed conv."""
    import keras

    layer = keras.layers.Conv2DTranspose(1, kernel_size, strides=stride, padding="same", use_bias=False,
                                         kernel_initializer="ones")
    counts = np.asarray(layer(np.ones((1, 8, 8, 1), np.float32)))[0, 4:-4, 4:-4, 0]
    even = counts.min() == counts.max()
    assert even == bool(lesson04.c3.check(option, quiet=True)), (option, counts.min(), counts.max())
    if not even:
        assert "multiple" in lesson04.c3.check(option, quiet=True).message

"""Exercises of lessons 03 and 04: reference answers pass, wrong answers fail with a message,
and the reference answers agree with the library (Keras models, DepthToSpace, ICNR)."""
from __future__ import annotations

import numpy as np
import pytest

from srlib.exercises import lesson03, lesson04, self_test


@pytest.mark.parametrize("module", [lesson03, lesson04], ids=["lesson03", "lesson04"])
def test_solutions_pass_and_wrong_answers_fail(module):
    assert self_test(module) == 4


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
_ANSWER_NAMES = {"lesson03": {"q1": "srcnn_parameters", "q2": "receptive_field", "q3": "srcnn_input",
                              "q4": "loss_to_psnr"},
                 "lesson04": {"q1": "pixel_shuffle", "q2": "espcn_macs", "q3": "icnr_kernel", "q4": "answer"}}


@pytest.mark.parametrize("module", [lesson03, lesson04], ids=["lesson03", "lesson04"])
def test_printed_solutions_run_in_the_notebook_namespace_and_pass(module):
    """What ex.qN.solution() prints is what a learner pastes: it must run and pass."""
    for name, variable in _ANSWER_NAMES[module.__name__.rsplit(".", 1)[1]].items():
        exercise = getattr(module, name)
        namespace: dict = {}
        exec(_NOTEBOOK_NAMESPACE + exercise.solution_code, namespace)  # noqa: S102 - our own solution code
        assert exercise.check(namespace[variable], quiet=True), f"{module.__name__}.{name} solution fails"

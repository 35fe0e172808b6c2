"""Tests of srlib.models.analysis: output factor, pre/post-upsampling, multiply-adds, receptive field."""
from __future__ import annotations

import pytest

keras = pytest.importorskip("keras")

from srlib.models import espcn, fsrcnn, srcnn  # noqa: E402
from srlib.models.analysis import macs_per_output_pixel, output_factor, receptive_radius, upsampling  # noqa: E402


def test_upsampling_of_names_and_models():
    assert upsampling("srcnn") == "pre_upsampling"
    assert upsampling("fsrcnn") == upsampling("espcn") == "post_upsampling"
    assert upsampling(fsrcnn(2)) == "post_upsampling" and upsampling(srcnn(scale=2)) == "pre_upsampling"
    with pytest.raises(ValueError, match="unknown model 'edsr'"):
        upsampling("edsr")


def test_custom_models_are_probed():
    assert srcnn().name == "srcnn_9-1-5"
    inputs = keras.Input((None, None, 1))
    custom = keras.Model(inputs, keras.layers.UpSampling2D(2)(inputs), name="mine")
    assert output_factor(custom) == 2 and upsampling(custom) == "post_upsampling"
    same = keras.Model(inputs, keras.layers.Conv2D(1, 3, padding="same")(inputs), name="mine2")
    assert output_factor(same) == 1 and upsampling(same) == "pre_upsampling"


def test_macs_per_output_pixel_known_values():
    assert macs_per_output_pixel("srcnn", 3) == 9 * 9 * 64 + 64 * 32 + 5 * 5 * 32  # 8,032
    assert macs_per_output_pixel("fsrcnn", 3) == pytest.approx(12464 / 9)
    assert macs_per_output_pixel(fsrcnn(2)) == pytest.approx(12464 / 4)
    assert macs_per_output_pixel("espcn", 3) == pytest.approx((1600 + 18432 + 2592) / 9)
    assert macs_per_output_pixel("srcnn", 2, variant="9-5-5") == 9 * 9 * 64 + 25 * 64 * 32 + 25 * 32
    with pytest.raises(ValueError, match="give the scale for model 'fsrcnn'"):
        macs_per_output_pixel("fsrcnn")


def test_receptive_radius():
    assert receptive_radius(srcnn()) == 4 + 0 + 2
    assert receptive_radius(srcnn("9-5-5")) == 4 + 2 + 2
    assert receptive_radius(espcn(3)) == 2 + 1 + 1
    assert receptive_radius(fsrcnn(3)) >= 2 + 4 + 2  # LR convolutions + deconvolution reach

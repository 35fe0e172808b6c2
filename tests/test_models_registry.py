"""Tests of srlib.models.registry: the one table of models, names, building by name (Keras-free import)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from srlib.models import registry
from srlib.models.registry import (MODEL_NAMES, MODELS, SCALES, build_model, check_model_name, model_family,
                                   model_name, model_scale, model_spec)


def test_the_registry_imports_without_keras():
    """pretrained, upscale, the train command and the training config read the table without Keras."""
    code = ("import sys, json; import srlib.models, srlib.pretrained, srlib.upscale, srlib.commands.train, "
            "srlib.training; print(json.dumps(['keras' in sys.modules, 'tensorflow' in sys.modules, "
            "srlib.models.MODEL_NAMES]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    keras_loaded, tensorflow_loaded, names = json.loads(result.stdout.strip().splitlines()[-1])
    assert not keras_loaded and not tensorflow_loaded
    assert tuple(names) == MODEL_NAMES


def test_registry_entries():
    assert MODEL_NAMES == ("srcnn", "fsrcnn", "espcn", "srresnet") and SCALES == (2, 3, 4)
    for name, spec in MODELS.items():
        assert spec.name == name and spec.upsampling in (registry.PRE_UPSAMPLING, registry.POST_UPSAMPLING)
        assert spec.lesson in ("03_srcnn.ipynb", "04_fast_sr_networks.ipynb", "05_gan_super_resolution.ipynb")
        assert spec.training_sets and all("/" not in dataset for dataset in spec.training_sets)  # names, not paths
        assert spec.channels == spec.defaults["channels"] == (3 if name == "srresnet" else 1)
        assert spec.pixel_loss == ("l1" if name == "srresnet" else "mse")
    assert MODELS["srcnn"].upsampling == "pre_upsampling"
    assert MODELS["fsrcnn"].training_sets == ("T91", "General100")


def test_training_sets_are_registered_datasets():
    from srlib.data import dataset_names

    for spec in MODELS.values():
        assert set(spec.training_sets) <= set(dataset_names()), spec.name


@pytest.mark.parametrize("name,scale,patch", [("srcnn", 2, 16), ("srcnn", 3, 11), ("srcnn", 4, 8),
                                              ("fsrcnn", 3, 16), ("espcn", 4, 17),
                                              ("srresnet", 4, 24), ("srresnet", 2, 48)])
def test_default_lr_patch(name, scale, patch):
    assert model_spec(name).default_lr_patch(scale) == patch


def test_check_model_name():
    assert check_model_name("FSRCNN") == "fsrcnn"
    for bad in ("edsr", None, 3):
        with pytest.raises(ValueError, match="unknown model .*choose one of srcnn, fsrcnn, espcn, srresnet"):
            check_model_name(bad)


@pytest.mark.parametrize("text,family,scale", [("srcnn_9-1-5_x2", "srcnn", 2), ("fsrcnn_x3", "fsrcnn", 3),
                                               ("espcn", "espcn", None), ("mine", None, None),
                                               ("srcnnish_x2", None, 2), ("espcn_x12", "espcn", 12)])
def test_family_and_scale_from_names(text, family, scale):
    assert model_family(text) == family and model_scale(text) == scale


def test_model_name_round_trip():
    assert model_name("srcnn", 3, "9-5-5") == "srcnn_9-5-5_x3" and model_name("fsrcnn", None) == "fsrcnn"
    for name in MODEL_NAMES:
        assert model_family(model_name(name, 4)) == name and model_scale(model_name(name, 4)) == 4


# --- building by name (needs Keras) ----------------------------------------------------------------

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("name,scale,expected_name", [("srcnn", 2, "srcnn_9-1-5_x2"), ("fsrcnn", 3, "fsrcnn_x3"),
                                                      ("espcn", 4, "espcn_x4"), ("srresnet", 4, "srresnet_x4")])
def test_model_names_record_family_and_scale(name, scale, expected_name):
    from srlib.models import output_factor

    model = build_model(name, scale)
    assert model.name == expected_name
    assert model_scale(model) == scale and model_family(model) == name
    assert output_factor(model) == (1 if name == "srcnn" else scale)


def test_every_builder_accepts_its_registered_defaults():
    for name, spec in MODELS.items():
        assert build_model(name, 3, **spec.defaults).count_params() == build_model(name, 3).count_params()


def test_fast_inference_hooks_exist_and_are_what_inference_uses():
    from srlib.inference import fast_inference_model as fast_model

    for name, spec in MODELS.items():
        model = build_model(name, 3)
        if spec.fast_inference is None:
            assert fast_model(model) is model, name
        else:
            hook = registry._resolve(spec.fast_inference)
            assert hook(model) is not model and fast_model(model) is not model, name


@pytest.mark.parametrize("call,message", [
    (lambda: build_model("edsr", 2), "unknown model 'edsr'"),
    (lambda: build_model("fsrcnn", 1), "scale must be an integer factor >= 2"),
    (lambda: build_model("fsrcnn", 2.5), "scale must be an integer factor"),
    (lambda: build_model("fsrcnn", True), "scale must be an integer factor"),
    (lambda: build_model("espcn", 3, nonsense=1), r"bad keyword arguments for espcn: \['nonsense'\]"),
])
def test_build_model_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_build_model_accepts_float_integer_scale_and_kwargs():
    assert build_model("espcn", 3.0, icnr=True).name == "espcn_x3"
    assert build_model("srcnn", 3, variant="9-5-5").count_params() == 57281

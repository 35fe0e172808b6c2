"""Learned super-resolution models: SRCNN, FSRCNN, ESPCN, SRResNet, and facts about them.

All models are Keras 3 Functional models built from ``keras.layers`` / ``keras.ops``
only (no ``tf.*``, no ``Lambda``), so they run on the TensorFlow, JAX and PyTorch
backends and reload with ``keras.saving.load_model(path, safe_mode=True)``. They take
a float32 image in ``[0, 1]`` of any size, ``(None, None, 1)`` for the Y channel.

The table of models (:data:`MODELS`, :mod:`srlib.models.registry`) imports without
Keras; the builders, layers and :mod:`srlib.models.analysis` load Keras on first use.
A model's name records its family and scale (``"fsrcnn_x3"``, ``"srcnn_9-1-5_x2"``);
:func:`model_family` and :func:`model_scale` read them back.

Taught in ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import importlib
from typing import Any

from srlib.models.registry import (MODEL_NAMES, MODELS, POST_UPSAMPLING, PRE_UPSAMPLING, SCALES, ModelSpec,
                                   build_model, check_model_name, model_family, model_name, model_scale,
                                   model_spec)

# public name -> module defining it; these need Keras and are imported on first use
_LAZY: dict[str, str] = {
    "srcnn": "srlib.models._srcnn", "SRCNN_VARIANTS": "srlib.models._srcnn",
    "fsrcnn": "srlib.models._fsrcnn", "to_subpixel": "srlib.models._fsrcnn",
    "subpixel_kernel": "srlib.models._fsrcnn", "subpixel_convertible": "srlib.models._fsrcnn",
    "SUBPIXEL_SUFFIX": "srlib.models._fsrcnn",
    "espcn": "srlib.models._espcn", "flat_input_response": "srlib.models._espcn",
    "checkerboard_strength": "srlib.models._espcn",
    "srresnet": "srlib.models._srresnet",
    "Interpolator": "srlib.models.interpolation", "interpolate_weights": "srlib.models.interpolation",
    "DepthToSpace": "srlib.models.layers", "Upscale": "srlib.models.layers", "ICNR": "srlib.models.layers",
    "depth_to_space_numpy": "srlib.models.layers", "to_numpy": "srlib.models.layers",
    "output_factor": "srlib.models.analysis", "upsampling": "srlib.models.analysis",
    "macs_per_output_pixel": "srlib.models.analysis", "receptive_radius": "srlib.models.analysis",
}
_RENAMED = {"SRCNN_VARIANTS": "VARIANTS"}

__all__ = ["MODELS", "MODEL_NAMES", "SCALES", "PRE_UPSAMPLING", "POST_UPSAMPLING", "ModelSpec", "build_model",
           "check_model_name", "model_spec", "model_name", "model_family", "model_scale", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), _RENAMED.get(name, name))
        globals()[name] = value
        return value
    raise AttributeError(f"module 'srlib.models' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(globals()))

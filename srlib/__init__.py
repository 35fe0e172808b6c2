"""srlib - the tested library behind the *Beyond Bicubic* course.

Light modules (images, resize, metrics, patterns, data, plots) import without
TensorFlow; modules that need Keras (models, pipeline, training, pretrained)
are imported lazily on first use so that ``import srlib`` stays fast.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it (imported on first attribute access)
_LAZY: dict[str, str] = {
    # images
    "read_image": "srlib.images",
    "write_image": "srlib.images",
    "to_float": "srlib.images",
    "to_uint8": "srlib.images",
    "rgb_to_ycbcr": "srlib.images",
    "ycbcr_to_rgb": "srlib.images",
    "rgb_to_y": "srlib.images",
    "modcrop": "srlib.images",
    # resize
    "imresize": "srlib.resize",
    # metrics
    "psnr": "srlib.metrics",
    "ssim": "srlib.metrics",
    # course
    "is_quick": "srlib.course",
    "setup": "srlib.course",
}

# ``upscale`` and ``evaluate`` share their names with their modules. Import them eagerly
# (both are light: NumPy/SciPy only) so that the package attribute is the *function* even
# after ``import srlib.upscale`` elsewhere: a submodule already in sys.modules is not re-bound.
from srlib.upscale import upscale  # noqa: E402
from srlib.evaluate import evaluate  # noqa: E402

__all__ = sorted([*_LAZY, "upscale", "evaluate", "__version__"])


# submodules reachable as ``srlib.<name>`` without an explicit import (imported on first use)
_SUBMODULES = ("course", "images", "resize", "metrics", "patterns", "data", "plots", "widgets",
               "exercises", "models", "inference", "pretrained", "training", "bench", "study")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"srlib.{name}")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'srlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *_SUBMODULES])

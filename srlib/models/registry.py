"""The one table of srlib's models, importable without Keras.

Every place that needs to know which models exist - :func:`srlib.models.build_model`,
``srlib.upscale`` (the shipped-model method names), ``srlib.pretrained``, the ``train`` and
``benchmark`` commands, training defaults - reads :data:`MODELS`. Adding an architecture is
one module with its builder plus one :class:`ModelSpec` entry here.

A model's Keras name records its family and scale (``"fsrcnn_x3"``, ``"srcnn_9-1-5_x2"``):
:func:`model_name` writes it, :func:`model_family` / :func:`model_scale` read it back by
matching the registered names (no guessing from the shape of the string).

Taught in ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from srlib._checks import check_scale

__all__ = ["PRE_UPSAMPLING", "POST_UPSAMPLING", "SCALES", "ModelSpec", "MODELS", "MODEL_NAMES", "check_model_name",
           "TrainedVariant", "TRAINED_VARIANTS", "METHOD_NAMES", "check_method_name", "method_model",
           "model_spec", "builder", "build_model", "model_name", "model_family", "model_scale"]

PRE_UPSAMPLING = "pre_upsampling"
POST_UPSAMPLING = "post_upsampling"
#: Scale factors the course trains and ships weights for.
SCALES: tuple[int, ...] = (2, 3, 4)


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """What srlib knows about one architecture (no Keras objects: strings and numbers only).

    Attributes
    ----------
    name : str
        The family name used everywhere (``"srcnn"``), lower case.
    builder : str
        ``"module:function"`` of the builder; called as ``function(scale=scale, **kwargs)``.
    upsampling : str
        :data:`PRE_UPSAMPLING` (input is the bicubic-upscaled image) or :data:`POST_UPSAMPLING`.
    channels : int
        Channels the shipped models and default training use (1: the Y channel).
    defaults : dict
        The builder's default keyword arguments (also the allowed ``model_kwargs``).
    lr_patch : int, optional
        Default low-resolution training patch side; or
    hr_patch : int, optional
        default high-resolution patch side (LR side = ``max(2, hr_patch // scale)``).
    paper : str
        The publication.
    reported : dict
        The paper's Y-PSNR (dB) ``{dataset: {scale: value}}`` where we could check them.
    lesson : str
        The notebook that teaches the model.
    training_sets : tuple of str
        Dataset names (``srlib.data`` registry) the paper - and the shipped weights - train on.
    fast_inference : str, optional
        ``"module:function"`` rewriting a model into a faster equivalent for inference
        (FSRCNN's transposed convolution -> convolution + depth-to-space), applied by
        ``srlib.inference``.
    input : str
        What the network takes, in words.
    pixel_loss : {"mse", "l1"}
        The pixel loss the ``pixel`` objective trains it with (the papers': MSE for SRCNN,
        FSRCNN, ESPCN; L1 for SRResNet-style networks, as EDSR and ESRGAN's first phase).
    """

    name: str
    builder: str
    upsampling: str
    paper: str
    lesson: str
    training_sets: tuple[str, ...]
    input: str
    channels: int = 1
    defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    lr_patch: int | None = None
    hr_patch: int | None = None
    reported: Mapping[str, Mapping[int, float]] = dataclasses.field(default_factory=dict)
    fast_inference: str | None = None
    pixel_loss: str = "mse"

    def default_lr_patch(self, scale: int) -> int:
        """The default LR training patch side at ``scale``. Taught in ``03_srcnn.ipynb``."""
        scale = check_scale(scale)
        if self.lr_patch is not None:
            return int(self.lr_patch)
        return max(2, int(self.hr_patch or 33) // scale)


#: The models, in the order lessons and tables show them.
MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in (
    ModelSpec(name="srcnn", builder="srlib.models._srcnn:srcnn", upsampling=PRE_UPSAMPLING,
              paper="Dong, Loy, He & Tang, ECCV 2014 / TPAMI 2016", lesson="03_srcnn.ipynb",
              training_sets=("T91",), input="bicubic-upscaled Y, float32 in [0, 1]",
              defaults={"variant": "9-1-5", "filters": (64, 32), "channels": 1}, hr_patch=33,
              reported={"Set5": {2: 36.34, 3: 32.39, 4: 30.09}, "Set14": {2: 32.18, 3: 29.00, 4: 27.20}}),
    ModelSpec(name="fsrcnn", builder="srlib.models._fsrcnn:fsrcnn", upsampling=POST_UPSAMPLING,
              paper="Dong, Loy & Tang, ECCV 2016", lesson="04_fast_sr_networks.ipynb",
              training_sets=("T91", "General100"), input="low-resolution Y, float32 in [0, 1]",
              defaults={"d": 56, "s": 12, "m": 4, "channels": 1}, lr_patch=16,
              reported={"Set5": {2: 36.94, 3: 33.06, 4: 30.55}},
              fast_inference="srlib.models._fsrcnn:to_subpixel"),
    ModelSpec(name="espcn", builder="srlib.models._espcn:espcn", upsampling=POST_UPSAMPLING,
              paper="Shi et al., CVPR 2016", lesson="04_fast_sr_networks.ipynb",
              training_sets=("T91",), input="low-resolution Y, float32 in [0, 1]",
              defaults={"channels": 1, "filters": (64, 32), "kernel_sizes": (5, 3, 3), "activation": "tanh",
                        "icnr": False}, lr_patch=17,
              reported={"Set5": {3: 32.55}}),
    ModelSpec(name="srresnet", builder="srlib.models._srresnet:srresnet", upsampling=POST_UPSAMPLING,
              paper="Ledig et al., CVPR 2017 (SRResNet; without BatchNorm as Lim et al. 2017 / Wang et al. 2018)",
              lesson="05_gan_super_resolution.ipynb", training_sets=("T91", "General100"),
              input="low-resolution RGB, float32 in [0, 1]", channels=3,
              defaults={"channels": 3, "filters": 48, "blocks": 8, "residual_scale": 1.0, "skip": "bilinear"},
              hr_patch=96, pixel_loss="l1",
              reported={"Set5": {4: 32.05}, "Set14": {4: 28.49}}),
)}
MODEL_NAMES: tuple[str, ...] = tuple(MODELS)

class TrainedVariant(NamedTuple):
    """A shipped training of a registered architecture other than its clean pixel-loss one.

    Attributes
    ----------
    model : str
        The architecture (a key of :data:`MODELS`).
    objective : str
        The training objective (``"pixel"``, ``"gan"``).
    degradation : str
        How its training LR was made (``"bicubic"``: the protocol; ``"realesrgan"``: a blind model).
    """

    model: str
    objective: str
    degradation: str = "bicubic"


#: Shipped trainings of a registered architecture with another objective or training degradation:
#: method name -> :class:`TrainedVariant`. ``"srresnet_gan"`` is the SRResNet generator after ESRGAN's
#: adversarial fine-tuning (lesson 05); ``"srresnet_blind"`` the SRResNet fine-tuned on Real-ESRGAN's
#: second-order degradations (lesson 06): same architecture, other weights, other name.
TRAINED_VARIANTS: dict[str, TrainedVariant] = {
    "srresnet_gan": TrainedVariant("srresnet", "gan"),
    "srresnet_blind": TrainedVariant("srresnet", "pixel", "realesrgan"),
}
#: Every name of shipped weights (``srlib.upscale`` and ``srlib.pretrained.load`` accept them).
METHOD_NAMES: tuple[str, ...] = MODEL_NAMES + tuple(TRAINED_VARIANTS)


def check_model_name(name: object) -> str:
    """Return the registered (lower-case) model name, or raise a ValueError listing them.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if not isinstance(name, str) or name.lower() not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    return name.lower()


def check_method_name(name: object) -> str:
    """Return a registered model or trained-variant name (lower case), or raise a ValueError listing them.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    if isinstance(name, str) and name.lower() in TRAINED_VARIANTS:
        return name.lower()
    if not isinstance(name, str) or name.lower() not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(METHOD_NAMES)}")
    return name.lower()


def method_model(name: str) -> str:
    """The architecture of a method name: ``"srresnet_gan"`` -> ``"srresnet"``, ``"espcn"`` -> ``"espcn"``.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    name = check_method_name(name)
    return TRAINED_VARIANTS[name][0] if name in TRAINED_VARIANTS else name


def model_spec(name: str) -> ModelSpec:
    """The :class:`ModelSpec` of a model name. Taught in ``04_fast_sr_networks.ipynb``."""
    return MODELS[check_model_name(name)]


def _resolve(path: str) -> Callable[..., Any]:
    module, _, function = path.partition(":")
    return getattr(importlib.import_module(module), function)


def builder(name: str) -> Callable[..., Any]:
    """The builder function of a model (imports its module, and so Keras). Taught in ``03_srcnn.ipynb``."""
    return _resolve(model_spec(name).builder)


def build_model(name: str, scale: int, **kwargs: Any) -> Any:
    """Build a fresh (randomly initialised) model by name.

    Parameters
    ----------
    name : str
        One of :data:`MODEL_NAMES`.
    scale : int
        Upscaling factor (recorded in the model name; the architecture of FSRCNN and
        ESPCN depends on it).
    **kwargs
        Passed to the builder (:func:`srlib.models.srcnn`, :func:`srlib.models.fsrcnn`,
        :func:`srlib.models.espcn`), e.g. ``variant="9-5-5"`` or ``icnr=True``.

    Returns
    -------
    keras.Model

    Raises
    ------
    ValueError
        Unknown name, bad scale, or bad keyword arguments.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    spec = model_spec(name)
    scale = check_scale(scale)
    unknown = sorted(set(kwargs) - set(spec.defaults))
    if unknown:
        raise ValueError(f"bad keyword arguments for {spec.name}: {unknown}; allowed: {sorted(spec.defaults)}")
    return builder(spec.name)(scale=scale, **kwargs)


def model_name(family: str, scale: int | None, variant: str | None = None) -> str:
    """The Keras name of a model: ``family[_variant][_x{scale}]`` (``"srcnn_9-1-5_x2"``).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    parts = [family] + ([variant] if variant else []) + ([f"x{scale}"] if scale is not None else [])
    return "_".join(parts)


def model_family(model: Any) -> str | None:
    """The registered family of a model (or model name), read from its name; None for other models.

    A name belongs to family ``f`` if it is ``f`` or starts with ``f_`` (how
    :func:`model_name` writes it).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    name = str(model if isinstance(model, str) else getattr(model, "name", "")).lower()
    for family in sorted(MODELS, key=len, reverse=True):
        if name == family or name.startswith(family + "_"):
            return family
    return None


def model_scale(model: Any) -> int | None:
    """The scale recorded in a model's name (``"fsrcnn_x3"`` -> 3), or None if it has none.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    name = model if isinstance(model, str) else getattr(model, "name", "")
    match = re.search(r"_x(\d+)$", str(name))
    return int(match.group(1)) if match else None

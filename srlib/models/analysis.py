"""Facts computed from a built model: output factor, pre/post-upsampling, multiply-adds, receptive field.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import math
import weakref
from typing import Any

import keras
import numpy as np

from srlib.models.registry import MODELS, POST_UPSAMPLING, PRE_UPSAMPLING, build_model, check_model_name, model_family

__all__ = ["output_factor", "upsampling", "macs_per_output_pixel", "receptive_radius"]

_FACTOR_CACHE: "weakref.WeakKeyDictionary[keras.Model, int]" = weakref.WeakKeyDictionary()


def output_factor(model: keras.Model) -> int:
    """How many times larger the model's output is than its input (1 for SRCNN, ``scale`` for FSRCNN/ESPCN).

    Found by running the model once on a small zero image (cached per model), so it
    also works for models not built by srlib.

    Raises
    ------
    ValueError
        If the output is not an integer multiple of the input size.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    try:
        return _FACTOR_CACHE[model]
    except (KeyError, TypeError):
        pass
    probe = 8
    channels = int(model.inputs[0].shape[-1])
    out = model(np.zeros((1, probe, probe, channels), np.float32), training=False)
    height, width = int(out.shape[1]), int(out.shape[2])
    if height != width or height % probe:
        raise ValueError(f"model {model.name!r} maps {probe}x{probe} to {height}x{width}: not an integer "
                         "upscaling model")
    factor = height // probe
    try:
        _FACTOR_CACHE[model] = factor
    except TypeError:  # pragma: no cover - unhashable model
        pass
    return factor


def upsampling(model: keras.Model | str) -> str:
    """``"pre_upsampling"`` (input is bicubic-upscaled, like SRCNN) or ``"post_upsampling"``.

    Parameters
    ----------
    model : keras.Model or str
        A model (its family is read from its name, else its output size is probed) or
        one of :data:`srlib.models.MODEL_NAMES`.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    if isinstance(model, str):
        return MODELS[check_model_name(model)].upsampling
    family = model_family(model)
    if family is not None:
        return MODELS[family].upsampling
    return PRE_UPSAMPLING if output_factor(model) == 1 else POST_UPSAMPLING


def _layer_shapes(model: keras.Model, probe: int) -> list[tuple[keras.layers.Layer, float]]:
    """(layer, output resolution relative to the model input) for each layer with an output."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    if not layers:
        return []
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    probe_model = keras.Model(inputs, [layer.output for layer in layers])
    channels = int(model.inputs[0].shape[-1])
    outputs = probe_model(np.zeros((1, probe, probe, channels), np.float32), training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return [(layer, int(out.shape[1]) / probe) for layer, out in zip(layers, outputs)]


def _is_transposed(layer: keras.layers.Layer) -> bool:
    return "Transpose" in type(layer).__name__


def macs_per_output_pixel(model: keras.Model | str, scale: int | None = None, **kwargs: Any) -> float:
    """Multiply-adds per output (high-resolution) pixel, from the layer shapes.

    Parameters
    ----------
    model : keras.Model or str
        A model, or a name from :data:`srlib.models.MODEL_NAMES` (then ``scale`` is required and
        ``kwargs`` go to :func:`build_model`).
    scale : int, optional
        Scale for a named model.

    Returns
    -------
    float
        Sum over layers of ``kernel_size**2 * C_in * C_out`` times that layer's output
        pixels, divided by the model's output pixels (a transposed convolution with stride
        ``s`` does ``K**2 * C_in * C_out`` per *input* pixel). Biases, activations and
        the zero padding at the border are not counted. SRCNN 9-1-5: 8,032; FSRCNN x3:
        12,464 / 9 = 1,384.9; ESPCN x3: 2,513.8. Multiply by 2 for FLOPs.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb`` (the speed-quality chart) and used by
    ``make benchmark``.
    """
    if isinstance(model, str):
        if scale is None:
            raise ValueError(f"give the scale for model {model!r}, e.g. macs_per_output_pixel({model!r}, 3)")
        model = build_model(model, scale, **kwargs)
    probe = 12
    shapes = _layer_shapes(model, probe)
    final = output_factor(model)
    total = 0.0
    for layer, factor in shapes:
        kernels = [w for w in layer.weights if len(w.shape) >= 2 and w.name.endswith("kernel")]
        if not kernels:
            continue
        per_pixel = sum(float(np.prod(w.shape)) for w in kernels)
        if _is_transposed(layer):
            strides = getattr(layer, "strides", (1, 1))
            per_pixel /= float(np.prod(strides))
        total += per_pixel * (factor / final) ** 2
    return total


def receptive_radius(model: keras.Model) -> int:
    """An upper bound on how far (in input pixels) the output at a point looks in the input.

    Tiled inference with at least this much overlap gives exactly the untiled result
    (see :func:`srlib.inference.upscale_with_model`). For SRCNN 9-1-5 it is
    ``4 + 0 + 2 = 6``.

    Notes
    -----
    Convolutions add ``dilation * (k - 1) / 2`` in their own resolution (converted to
    input pixels, rounded up); a transposed convolution with kernel ``K`` adds
    ``K / output_resolution``; other layers with a ``kernel_size`` or ``size`` are
    treated alike. Taught in ``04_fast_sr_networks.ipynb``.
    """
    total = 0
    for layer, factor in _layer_shapes(model, 12):
        kernel_size = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
        if kernel_size is None:
            if isinstance(layer, keras.layers.UpSampling2D) and getattr(layer, "interpolation", "nearest") != "nearest":
                total += 2
            continue
        size = max(int(v) for v in np.atleast_1d(kernel_size))
        dilation = max(int(v) for v in np.atleast_1d(getattr(layer, "dilation_rate", 1)))
        if _is_transposed(layer):
            total += math.ceil(size / factor)
        else:
            strides = max(int(v) for v in np.atleast_1d(getattr(layer, "strides", 1)))
            input_factor = factor * strides
            total += math.ceil(dilation * (size - 1) / 2 / min(factor, input_factor)) + (strides > 1)
    return int(total)

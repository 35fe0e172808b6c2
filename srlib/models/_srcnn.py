"""SRCNN (Dong et al., ECCV 2014 / TPAMI 2016): three convolutions on the bicubic-upscaled Y.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

from collections.abc import Sequence

import keras

from srlib._checks import check_channels, check_filters, check_scale
from srlib.models.registry import model_name

__all__ = ["VARIANTS", "srcnn"]

# variant -> (f1, f2, f3) kernel sizes of patch extraction, non-linear mapping, reconstruction
VARIANTS: dict[str, tuple[int, int, int]] = {"9-1-5": (9, 1, 5), "9-3-5": (9, 3, 5), "9-5-5": (9, 5, 5)}


def srcnn(variant: str = "9-1-5", filters: Sequence[int] = (64, 32), channels: int = 1, *,
          scale: int | None = None) -> keras.Model:
    """Build SRCNN: patch extraction, non-linear mapping, reconstruction.

    Parameters
    ----------
    variant : {"9-1-5", "9-3-5", "9-5-5"}
        Kernel sizes ``f1-f2-f3`` of the three layers; 9-1-5 is the ECCV 2014 network
        (8,129 parameters on Y), 9-5-5 the TPAMI 2016 best.
    filters : (int, int)
        ``(n1, n2)`` feature maps of the first two layers (paper: 64, 32).
    channels : int
        Input/output channels: 1 for the Y channel (the paper), 3 for RGB.
    scale : int, optional
        The scale the weights are trained for. SRCNN works at output resolution, so the
        architecture does not depend on it; it is recorded in the model name
        (``"srcnn_9-1-5_x3"``) so :func:`srlib.models.model_scale` can check it.

    Returns
    -------
    keras.Model
        Input ``(None, None, channels)``: the **bicubic-upscaled** image, float32 in
        ``[0, 1]``; output of the same size (a pre-upsampling model).

    Notes
    -----
    The paper trains with ``'valid'`` convolutions (a 33x33 input patch gives a 21x21
    output; 9-1-5 loses 6 pixels on each side) and compares on the shrunken central
    region. We use ``'same'`` (zero) padding so that the output has exactly the input's
    size, which is what ``srlib.upscale`` needs and what every later network does; only
    a border of ``(f1 + f2 + f3 - 3) / 2`` pixels sees the zero padding, and the
    evaluation protocol crops ``scale`` pixels anyway. ReLU after the first two layers,
    linear output. Taught in ``03_srcnn.ipynb``.

    Examples
    --------
    >>> srcnn().count_params()
    8129
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown SRCNN variant {variant!r}; choose one of {sorted(VARIANTS)}")
    n1, n2 = check_filters(filters, 2, "filters")
    channels = check_channels(channels)
    scale = None if scale is None else check_scale(scale)
    f1, f2, f3 = VARIANTS[variant]
    inputs = keras.Input(shape=(None, None, channels), name="bicubic_upscaled")
    x = keras.layers.Conv2D(n1, f1, padding="same", activation="relu", name="patch_extraction")(inputs)
    x = keras.layers.Conv2D(n2, f2, padding="same", activation="relu", name="nonlinear_mapping")(x)
    outputs = keras.layers.Conv2D(channels, f3, padding="same", name="reconstruction")(x)
    return keras.Model(inputs, outputs, name=model_name("srcnn", scale, variant))

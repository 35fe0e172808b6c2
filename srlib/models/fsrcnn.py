"""FSRCNN (Dong, Loy & Tang, ECCV 2016): SRCNN accelerated by working at low resolution.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import keras

from srlib.models._common import check_channels, check_positive_int, check_scale, model_name

__all__ = ["fsrcnn"]


def fsrcnn(scale: int, d: int = 56, s: int = 12, m: int = 4, channels: int = 1) -> keras.Model:
    """Build FSRCNN(d, s, m): extract, shrink, map, expand, then a transposed convolution.

    Parameters
    ----------
    scale : int
        Upscaling factor; the stride of the final transposed convolution.
    d : int
        Feature maps of the 5x5 feature extraction and of the 1x1 expanding layer (56).
    s : int
        Feature maps of the 1x1 shrinking layer and the mapping layers (12).
    m : int
        Number of 3x3 mapping layers (4).
    channels : int
        1 for the Y channel (the paper), 3 for RGB.

    Returns
    -------
    keras.Model
        Input ``(None, None, channels)``: the **low-resolution** image, float32 in
        ``[0, 1]``; output exactly ``scale`` times larger (a post-upsampling model).
        Named ``"fsrcnn_x{scale}"``.

    Notes
    -----
    Every convolution is followed by a PReLU with one slope per channel
    (``shared_axes=[1, 2]``, initial slope 0.25); the last layer is a 9x9
    ``Conv2DTranspose`` with stride ``scale`` and ``'same'`` padding, initialised with
    a Gaussian of standard deviation 0.001 as in the paper. The paper's 12,464
    parameters for (56, 12, 4) count weights only; with biases (173) and PReLU slopes
    (172) Keras counts 12,809. Taught in ``04_fast_sr_networks.ipynb``.

    Examples
    --------
    >>> fsrcnn(3).count_params()
    12809
    """
    scale = check_scale(scale)
    d, s, channels = check_positive_int(d, "d"), check_positive_int(s, "s"), check_channels(channels)
    if isinstance(m, bool) or not isinstance(m, int) or m < 0:
        raise ValueError(f"m (number of mapping layers) must be a non-negative integer, got {m!r}")

    def conv(x: keras.KerasTensor, filters: int, size: int, name: str) -> keras.KerasTensor:
        x = keras.layers.Conv2D(filters, size, padding="same", kernel_initializer="he_normal", name=name)(x)
        return keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25), shared_axes=[1, 2],
                                  name=f"{name}_prelu")(x)

    inputs = keras.Input(shape=(None, None, channels), name="low_resolution")
    x = conv(inputs, d, 5, "feature_extraction")
    x = conv(x, s, 1, "shrinking")
    for index in range(m):
        x = conv(x, s, 3, f"mapping_{index + 1}")
    x = conv(x, d, 1, "expanding")
    outputs = keras.layers.Conv2DTranspose(
        channels, 9, strides=scale, padding="same",
        kernel_initializer=keras.initializers.RandomNormal(stddev=0.001), name="deconvolution")(x)
    return keras.Model(inputs, outputs, name=model_name("fsrcnn", scale))

"""ESPCN (Shi et al., CVPR 2016): convolutions at low resolution, then sub-pixel shuffling.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from srlib._checks import check_channels, check_filters, check_positive_int, check_scale
from srlib.models.registry import model_name
from srlib.models.layers import ICNR, DepthToSpace, to_numpy

__all__ = ["espcn", "flat_input_response", "checkerboard_strength"]

_ACTIVATIONS = ("tanh", "relu")


def espcn(scale: int, channels: int = 1, filters: Sequence[int] = (64, 32),
          kernel_sizes: Sequence[int] = (5, 3, 3), activation: str = "tanh",
          icnr: bool = False) -> keras.Model:
    """Build ESPCN: ``len(filters)`` convolutions, a convolution to ``channels * scale**2`` maps, depth-to-space.

    Parameters
    ----------
    scale : int
        Upscaling factor ``r``.
    channels : int
        1 for the Y channel (the paper), 3 for RGB.
    filters : sequence of int
        Feature maps of the hidden layers (paper: 64, 32).
    kernel_sizes : sequence of int
        One kernel size per layer including the sub-pixel convolution, so
        ``len(filters) + 1`` values (paper: 5, 3, 3).
    activation : {"tanh", "relu"}
        Hidden-layer activation (the paper uses tanh); the sub-pixel layer is linear.
    icnr : bool
        Initialise the sub-pixel convolution with :class:`srlib.models.layers.ICNR`
        (no checkerboard at initialisation) instead of Glorot-uniform.

    Returns
    -------
    keras.Model
        Input ``(None, None, channels)``: the **low-resolution** image, float32 in
        ``[0, 1]``; output exactly ``scale`` times larger. Named ``"espcn_x{scale}"``.

    Notes
    -----
    The ×3 network of the paper (5-3-3, 64/32 maps, on Y) has 22,729 parameters.
    Taught in ``04_fast_sr_networks.ipynb``.

    Examples
    --------
    >>> espcn(3).count_params()
    22729
    """
    scale = check_scale(scale)
    channels = check_channels(channels)
    if not isinstance(filters, Sequence) or isinstance(filters, str) or len(filters) < 1:
        raise ValueError(f"filters must be a non-empty sequence of positive integers, got {filters!r}")
    filters = check_filters(filters, len(filters), "filters")
    kernel_sizes = check_filters(kernel_sizes, len(filters) + 1, "kernel_sizes")
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {_ACTIVATIONS}, got {activation!r}")
    if not isinstance(icnr, bool):
        raise ValueError(f"icnr must be True or False, got {icnr!r}")

    inputs = keras.Input(shape=(None, None, channels), name="low_resolution")
    x = inputs
    for index, (width, size) in enumerate(zip(filters, kernel_sizes)):
        x = keras.layers.Conv2D(width, size, padding="same", activation=activation, name=f"conv_{index + 1}")(x)
    initializer = ICNR(scale) if icnr else "glorot_uniform"
    x = keras.layers.Conv2D(channels * scale * scale, kernel_sizes[-1], padding="same",
                            kernel_initializer=initializer, name="subpixel_conv")(x)
    outputs = DepthToSpace(scale, name="depth_to_space")(x)
    return keras.Model(inputs, outputs, name=model_name("espcn", scale))


def flat_input_response(model: keras.Model, size: int = 16, value: float = 0.5) -> np.ndarray:
    """Run ``model`` on a flat grey ``size x size`` image and return its output as ``(H, W)`` float.

    With random weights a sub-pixel convolution turns even this flat input into a
    periodic checkerboard (each of the ``scale**2`` sub-pixel positions has its own
    filter); with ICNR initialisation the output stays flat. Use it on a freshly built
    model: ``flat_input_response(espcn(3))`` vs ``flat_input_response(espcn(3, icnr=True))``.

    Parameters
    ----------
    model : keras.Model
        A single- or multi-channel image model (first output channel is returned).
    size : int
        Input height and width.
    value : float
        The grey level in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        ``float32`` output, first channel.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    size = check_positive_int(size, "size")
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"value must be a grey level in [0, 1], got {value!r}")
    channels = int(model.inputs[0].shape[-1])
    flat = np.full((1, size, size, channels), float(value), dtype=np.float32)
    out = to_numpy(model(flat, training=False))
    return np.asarray(out[0, :, :, 0], dtype=np.float32)


def checkerboard_strength(image: np.ndarray, scale: int, border: int | None = None) -> float:
    """Peak-to-peak spread of the ``scale x scale`` sub-pixel phase means of ``image``.

    Splits the (border-cropped) image into its ``scale**2`` interleaved sub-images
    ``image[i::scale, j::scale]`` and returns ``max - min`` of their means: 0 for an
    image without a period-``scale`` pattern, large for a checkerboard.

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W)`` float output (e.g. of :func:`flat_input_response`).
    scale : int
        The period to look for.
    border : int, optional
        Pixels dropped on each side before measuring (zero padding makes the border
        differ); default ``4 * scale``. Rounded up to a multiple of ``scale`` so that
        the phases keep their meaning.

    Returns
    -------
    float

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    scale = check_scale(scale)
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"checkerboard_strength expects a 2-D (H, W) image, got shape {image.shape}")
    border = 4 * scale if border is None else int(border)
    border = -(-border // scale) * scale
    core = image[border:image.shape[0] - border, border:image.shape[1] - border]
    if core.shape[0] < scale or core.shape[1] < scale:
        raise ValueError(f"image of shape {image.shape} is too small for border {border} and scale {scale}")
    means = [core[i::scale, j::scale].mean() for i in range(scale) for j in range(scale)]
    return float(max(means) - min(means))

"""SRResNet (Ledig et al., CVPR 2017), CPU-sized and without BatchNorm (as EDSR / ESRGAN).

The generator of lesson 05: residual blocks at low resolution, sub-pixel upsampling
(ICNR-initialised, one x2 stage per factor of 2), and a global skip from the bilinear
upscaled input, so the network only has to learn the missing detail.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

import keras

from srlib._checks import check_channels, check_positive_int, check_scale
from srlib.models.layers import ICNR, DepthToSpace, Upscale
from srlib.models.registry import model_name

__all__ = ["srresnet", "SKIPS"]

#: Global skip choices: the interpolated input added to the output, or none.
SKIPS: tuple[str, ...] = ("bilinear", "nearest", "none")


def _stages(scale: int) -> list[int]:
    """Sub-pixel stages: x2 per factor of 2 (as the paper), one x3 stage for 3."""
    stages, rest = [], scale
    while rest % 2 == 0:
        stages.append(2)
        rest //= 2
    if rest > 1:
        stages.append(rest)
    return stages


def srresnet(scale: int, channels: int = 3, filters: int = 48, blocks: int = 8, residual_scale: float = 1.0,
             skip: str = "bilinear") -> keras.Model:
    """Build an SRResNet-style generator (no BatchNorm; ICNR sub-pixel upsampling; global skip).

    Parameters
    ----------
    scale : int
        Upscaling factor (2, 3 or 4; 4 uses two x2 sub-pixel stages, as the paper).
    channels : int
        3 for RGB (the paper and the shipped weights), 1 for Y.
    filters : int
        Feature maps of every convolution (paper: 64; default 48, sized for a CPU).
    blocks : int
        Residual blocks (paper: 16; default 8).
    residual_scale : float
        Each block's branch is multiplied by this before it is added (EDSR's 0.1 keeps deep,
        wide networks stable; 1.0 for small ones).
    skip : {"bilinear", "nearest", "none"}
        The global skip: the LR input upscaled this way is added to the output (the network
        learns the residual), with :class:`srlib.models.layers.Upscale` (the same on every
        Keras backend).

    Returns
    -------
    keras.Model
        Input ``(None, None, channels)``: the **low-resolution** image, float32 in ``[0, 1]``;
        output ``scale`` times larger (unclipped). Named ``"srresnet_x{scale}"``.

    Notes
    -----
    Layout: conv 3x3 -> ``blocks`` x (conv-ReLU-conv, + input) -> conv, + head (the long
    skip) -> per stage conv to ``filters * r * r`` maps, depth-to-space, ReLU -> conv 3x3 to
    ``channels`` -> + upscaled input. The defaults have 522,243 parameters at x4 (SRResNet
    proper: 1.5 M). Taught in ``05_gan_super_resolution.ipynb``.

    Examples
    --------
    >>> srresnet(4).count_params()
    522243
    """
    scale = check_scale(scale)
    channels = check_channels(channels)
    filters = check_positive_int(filters, "filters")
    blocks = _check_blocks(blocks)
    if isinstance(residual_scale, bool) or not isinstance(residual_scale, (int, float)) \
            or not 0.0 < float(residual_scale) <= 1.0:
        raise ValueError(f"residual_scale must be a number in (0, 1] (1.0, or EDSR's 0.1), got {residual_scale!r}")
    if skip not in SKIPS:
        raise ValueError(f"skip must be one of {SKIPS}, got {skip!r}")

    inputs = keras.Input(shape=(None, None, channels), name="low_resolution")
    head = keras.layers.Conv2D(filters, 3, padding="same", name="head")(inputs)
    x = head
    for index in range(blocks):
        branch = keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"block_{index + 1}_conv_1")(x)
        branch = keras.layers.Conv2D(filters, 3, padding="same", name=f"block_{index + 1}_conv_2")(branch)
        if residual_scale != 1.0:
            branch = keras.layers.Rescaling(float(residual_scale), name=f"block_{index + 1}_scale")(branch)
        x = keras.layers.Add(name=f"block_{index + 1}_add")([x, branch])
    x = keras.layers.Conv2D(filters, 3, padding="same", name="body_end")(x)
    x = keras.layers.Add(name="long_skip")([head, x])
    for index, factor in enumerate(_stages(scale)):
        x = keras.layers.Conv2D(filters * factor * factor, 3, padding="same", kernel_initializer=ICNR(factor),
                                name=f"upsample_{index + 1}_conv")(x)
        x = DepthToSpace(factor, name=f"upsample_{index + 1}_shuffle")(x)
        x = keras.layers.ReLU(name=f"upsample_{index + 1}_relu")(x)
    x = keras.layers.Conv2D(channels, 3, padding="same", name="tail")(x)
    if skip != "none":
        upscaled = Upscale(scale, interpolation=skip, name=f"{skip}_input")(inputs)
        x = keras.layers.Add(name="global_skip")([upscaled, x])
    return keras.Model(inputs, x, name=model_name("srresnet", scale))


def _check_blocks(blocks: object) -> int:
    if isinstance(blocks, bool) or not isinstance(blocks, int) or blocks < 0:
        raise ValueError(f"blocks must be a non-negative integer (residual blocks, e.g. 8), got {blocks!r}")
    return int(blocks)

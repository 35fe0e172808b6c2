"""The other networks of GAN super-resolution: the discriminator and the perceptual feature network.

Neither is an SR model (so neither is in :data:`srlib.models.MODELS`); the GAN objective
(:class:`srlib.training.objectives.GAN`) builds them next to the generator.

- :func:`patch_discriminator`: a fully convolutional, VGG-style discriminator that gives a
  logit per overlapping patch (PatchGAN, Isola et al. 2017) instead of one per image, so it
  judges local texture - what an SR generator invents - and takes any patch size. No
  BatchNorm (it would couple the images of a batch and add state).
- :func:`feature_network`: a *fixed, randomly initialised* VGG-style network whose feature
  maps define the perceptual loss. ImageNet VGG weights would need a download; random
  convolutional features are reported close to them for SR (Liu et al., "Generic Perceptual
  Loss", CVPR 2021) and random shallow networks already capture texture statistics
  (Ustyuzhaninov et al. 2016). Its weights come from a seeded NumPy generator, so it is the
  same network on every machine and every Keras backend.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from srlib._checks import check_channels, check_non_negative_int, check_positive_int

__all__ = ["patch_discriminator", "feature_network"]


def patch_discriminator(channels: int = 3, filters: int = 32, max_filters: int = 128,
                        downsamplings: int = 3) -> keras.Model:
    """A VGG-style patch discriminator: one realism logit per patch.

    Parameters
    ----------
    channels : int
        Image channels (3: RGB).
    filters : int
        Width of the first convolution; doubled at each downsampling up to ``max_filters``.
    max_filters : int
        The cap on the width (keeps it CPU-sized).
    downsamplings : int
        Stride-2 stages; the output is ``2**downsamplings`` times smaller than the input.

    Returns
    -------
    keras.Model
        Input ``(None, None, channels)`` in ``[0, 1]``; output ``(H / 2**d, W / 2**d, 1)``
        raw logits (no sigmoid: the losses in :mod:`srlib.training.losses` take logits).

    Notes
    -----
    Each stage is conv 4x4 stride 2 then conv 3x3, LeakyReLU(0.2) after every convolution
    (ESRGAN's VGG discriminator without its BatchNorm and dense head). Taught in
    ``05_gan_super_resolution.ipynb``.
    """
    channels = check_channels(channels)
    filters = check_positive_int(filters, "filters")
    max_filters = check_positive_int(max_filters, "max_filters")
    downsamplings = check_positive_int(downsamplings, "downsamplings")
    inputs = keras.Input(shape=(None, None, channels), name="image")
    x = keras.layers.Rescaling(2.0, offset=-1.0, name="to_signed")(inputs)
    x = keras.layers.Conv2D(filters, 3, padding="same", name="conv_0")(x)
    x = keras.layers.LeakyReLU(0.2, name="act_0")(x)
    for stage in range(1, downsamplings + 1):
        width = min(filters * 2 ** stage, max_filters)
        x = keras.layers.Conv2D(width, 4, strides=2, padding="same", name=f"down_{stage}")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"down_{stage}_act")(x)
        x = keras.layers.Conv2D(width, 3, padding="same", name=f"conv_{stage}")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"conv_{stage}_act")(x)
    logits = keras.layers.Conv2D(1, 3, padding="same", name="logits")(x)
    return keras.Model(inputs, logits, name="patch_discriminator")


def feature_network(channels: int = 3, widths: Sequence[int] = (32, 64), seed: int = 0) -> keras.Model:
    """A fixed random VGG-style feature extractor for the perceptual loss (not trainable).

    Parameters
    ----------
    channels : int
        Image channels.
    widths : sequence of int
        One VGG stage per width: two 3x3 convolutions (ReLU between), a 2x2 max-pool
        between stages. The output is the last convolution *before* its activation
        (ESRGAN's choice for VGG: denser, brighter-preserving features).
    seed : int
        Seeds :class:`numpy.random.Generator`; He-normal kernels, zero biases.

    Returns
    -------
    keras.Model
        ``trainable = False``; input ``(None, None, channels)`` in ``[0, 1]``.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    channels = check_channels(channels)
    if isinstance(widths, str) or not isinstance(widths, Sequence) or not widths:
        raise ValueError(f"widths must be a non-empty sequence of positive integers, got {widths!r}")
    widths = [check_positive_int(width, "widths") for width in widths]
    seed = check_non_negative_int(seed, "seed")
    inputs = keras.Input(shape=(None, None, channels), name="image")
    x = keras.layers.Rescaling(2.0, offset=-1.0, name="to_signed")(inputs)
    convolutions = []
    for stage, width in enumerate(widths):
        if stage:
            x = keras.layers.MaxPooling2D(2, name=f"pool_{stage}")(x)
        for index in (1, 2):
            last = stage == len(widths) - 1 and index == 2
            layer = keras.layers.Conv2D(width, 3, padding="same", activation=None if last else "relu",
                                        name=f"stage_{stage + 1}_conv_{index}")
            x = layer(x)
            convolutions.append(layer)
    model = keras.Model(inputs, x, name="random_features")
    rng = np.random.default_rng(seed)
    for layer in convolutions:
        kernel, bias = layer.get_weights()
        fan_in = kernel.shape[0] * kernel.shape[1] * kernel.shape[2]
        layer.set_weights([rng.normal(0.0, np.sqrt(2.0 / fan_in), kernel.shape).astype(np.float32),
                           np.zeros_like(bias)])
    model.trainable = False
    return model

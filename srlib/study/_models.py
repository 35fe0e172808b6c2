"""The study's networks: a small ResNet-style classifier, its LR-input variant, a learnable
resizer in front of it (Talebi & Milanfar, ICCV 2021) and the artifact detector.

All are Keras 3 Functional models built from ``keras.layers`` (no backend-specific code), fed
``float32`` images on the 0..255 scale (the first layer rescales them), so a ``uint8`` batch
only needs a cast.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from srlib._checks import check_positive_int

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["FEATURE_SIZE", "DETECTOR_WIDTHS", "build_classifier", "build_resizer_classifier", "build_artifact_detector"]

#: Side of the feature map the classifier's body starts from, whatever the input size.
FEATURE_SIZE = 16
#: Stage widths of the artifact detector (narrower than the classifier's).
DETECTOR_WIDTHS: tuple[int, ...] = (16, 32, 64)
# batch-norm statistics follow the last ~10 batches (Keras' default 0.99 needs hundreds of steps
# before inference-mode outputs mean anything: too slow for the quick study's few steps)
_BN_MOMENTUM = 0.9


def _check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence) or not widths:
        raise ValueError(f"widths must be a non-empty sequence of positive integers, got {widths!r}")
    return tuple(check_positive_int(width, "every entry of widths") for width in widths)


def _residual_block(x: "keras.KerasTensor", filters: int, stride: int, name: str) -> "keras.KerasTensor":
    from keras import layers

    shortcut = x
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=f"{name}_conv1")(x)
    x = layers.BatchNormalization(momentum=_BN_MOMENTUM, name=f"{name}_bn1")(x)
    x = layers.ReLU(name=f"{name}_relu1")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv2")(x)
    x = layers.BatchNormalization(momentum=_BN_MOMENTUM, name=f"{name}_bn2")(x)
    if stride != 1 or shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False, name=f"{name}_proj")(shortcut)
        shortcut = layers.BatchNormalization(momentum=_BN_MOMENTUM, name=f"{name}_proj_bn")(shortcut)
    return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_add")([x, shortcut]))


def _stem_and_body(x: "keras.KerasTensor", input_size: int, widths: tuple[int, ...], blocks: int,
                   num_classes: int) -> "keras.KerasTensor":
    """Stem reducing ``input_size`` to :data:`FEATURE_SIZE`, then one stage per width, then logits."""
    from keras import layers

    reduction = input_size // FEATURE_SIZE
    if input_size % FEATURE_SIZE or reduction not in (1, 2, 4):
        raise ValueError(f"input_size must be 16, 32 or 64 (the stem reduces it to {FEATURE_SIZE}), "
                         f"got {input_size!r}")
    # the stem is the only part that depends on the input size ("adapted stem"): a patchify
    # convolution, kernel = stride = input_size / 16 (4x4 patches of a 64x64 image, 2x2 of a 32x32
    # one; a 3x3 convolution for 16x16), so every pixel reaches the body through a linear map
    # and the body always sees a 16x16 feature map
    x = layers.Conv2D(widths[0], reduction if reduction > 1 else 3, strides=reduction, padding="same",
                      use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(momentum=_BN_MOMENTUM, name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    for stage, filters in enumerate(widths):
        for block in range(blocks):
            x = _residual_block(x, filters, 2 if stage > 0 and block == 0 else 1, f"stage{stage + 1}_block{block + 1}")
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    return layers.Dense(num_classes, name="logits")(x)


def build_classifier(input_size: int = 64, num_classes: int = 10, *, widths: Sequence[int] = (32, 64, 128),
                     blocks: int = 1, name: str = "classifier") -> "keras.Model":
    """The study's classifier: a small ResNet on ``(input_size, input_size, 3)`` images, logits out.

    Parameters
    ----------
    input_size : {64, 32, 16}
        64 for native or expanded images; 32 or 16 for the LR-direct classifier (x2, x4): the
        same network with its stem adapted (a patchify convolution with kernel = stride =
        ``input_size / 16``: 4, 2, or a 3x3 convolution at stride 1) so that the body sees the
        same 16x16 feature map.
    num_classes : int
        Number of outputs (10 for EuroSAT).
    widths : sequence of int
        Filters of each stage; every stage after the first halves the feature map.
    blocks : int
        Residual blocks per stage.
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Input ``float32`` on the 0..255 scale, output logits ``(batch, num_classes)``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import keras
    from keras import layers

    input_size = check_positive_int(input_size, "input_size")
    num_classes = check_positive_int(num_classes, "num_classes")
    widths = _check_widths(widths)
    blocks = check_positive_int(blocks, "blocks")
    inputs = keras.Input((input_size, input_size, 3), name="image")
    x = layers.Rescaling(1 / 127.5, offset=-1.0, name="rescale")(inputs)
    return keras.Model(inputs, _stem_and_body(x, input_size, widths, blocks, num_classes), name=name)


def build_resizer_classifier(input_size: int, output_size: int = 64, num_classes: int = 10, *,
                             widths: Sequence[int] = (32, 64, 128), blocks: int = 1, resizer_filters: int = 8,
                             resizer_blocks: int = 1, name: str = "resizer_classifier") -> "keras.Model":
    """A learnable resizer (Talebi & Milanfar 2021) in front of :func:`build_classifier`, trained jointly.

    The resizer adds a learned correction to a bilinear resize: ``bilinear(x) + g(x)``, where
    ``g`` is convolutions at the input size, a bilinear resize of the features to
    ``output_size`` and residual blocks there (the keras.io example's design).

    Parameters
    ----------
    input_size : int
        Side of the LR input (32 for x2, 16 for x4).
    output_size : int
        Side of the resizer's output, the classifier's input (64).
    num_classes, widths, blocks
        As in :func:`build_classifier`.
    resizer_filters, resizer_blocks : int
        Width of the resizer and number of its residual blocks.
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Input ``float32`` LR on the 0..255 scale, output logits. The resizer's output is the
        layer ``"resized"`` (on the classifier's -1..1 scale).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import keras
    from keras import layers

    input_size = check_positive_int(input_size, "input_size")
    output_size = check_positive_int(output_size, "output_size")
    resizer_filters = check_positive_int(resizer_filters, "resizer_filters")
    resizer_blocks = check_positive_int(resizer_blocks, "resizer_blocks")
    widths = _check_widths(widths)
    inputs = keras.Input((input_size, input_size, 3), name="image")
    x = layers.Rescaling(1 / 127.5, offset=-1.0, name="rescale")(inputs)
    naive = layers.Resizing(output_size, output_size, interpolation="bilinear", name="resizer_bilinear")(x)
    features = layers.Conv2D(resizer_filters, 7, padding="same", name="resizer_conv1")(x)
    features = layers.LeakyReLU(0.2, name="resizer_act1")(features)
    features = layers.Conv2D(resizer_filters, 1, padding="same", name="resizer_conv2")(features)
    features = layers.LeakyReLU(0.2, name="resizer_act2")(features)
    features = layers.BatchNormalization(momentum=_BN_MOMENTUM, name="resizer_bn")(features)
    features = layers.Resizing(output_size, output_size, interpolation="bilinear", name="resizer_features")(features)
    skip = features
    for block in range(resizer_blocks):
        shortcut = features
        features = layers.Conv2D(resizer_filters, 3, padding="same", name=f"resizer_block{block + 1}_conv1")(features)
        features = layers.BatchNormalization(momentum=_BN_MOMENTUM, name=f"resizer_block{block + 1}_bn1")(features)
        features = layers.LeakyReLU(0.2, name=f"resizer_block{block + 1}_act")(features)
        features = layers.Conv2D(resizer_filters, 3, padding="same", name=f"resizer_block{block + 1}_conv2")(features)
        features = layers.BatchNormalization(momentum=_BN_MOMENTUM, name=f"resizer_block{block + 1}_bn2")(features)
        features = layers.Add(name=f"resizer_block{block + 1}_add")([features, shortcut])
    features = layers.Conv2D(resizer_filters, 3, padding="same", name="resizer_conv3")(features)
    features = layers.BatchNormalization(momentum=_BN_MOMENTUM, name="resizer_bn3")(features)
    features = layers.Add(name="resizer_skip")([features, skip])
    correction = layers.Conv2D(3, 7, padding="same", name="resizer_out")(features)
    resized = layers.Add(name="resized")([naive, correction])
    logits = _stem_and_body(resized, output_size, widths, blocks, num_classes)
    return keras.Model(inputs, logits, name=name)


def build_artifact_detector(num_sources: int, input_size: int = 64, *, widths: Sequence[int] = (16, 32, 64),
                            name: str = "artifact_detector") -> "keras.Model":
    """A small CNN that tells which method (or native HR) produced an image: logits over the sources.

    The classifier's architecture with narrower stages; it sees the whole 64x64 image, so
    it can learn a method's fingerprint (the block edges of nearest, the blur of bilinear,
    the ringing of Lanczos, a network's texture).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    num_sources = check_positive_int(num_sources, "num_sources")
    if num_sources < 2:
        raise ValueError(f"the artifact detector needs at least 2 sources to tell apart, got {num_sources}")
    return build_classifier(input_size, num_sources, widths=widths, blocks=1, name=name)

"""The losses of GAN super-resolution, in ``keras.ops`` only (TensorFlow, JAX and PyTorch alike).

ESRGAN (Wang et al., ECCV 2018 workshops) trains its generator with

    L_G = 1e-2 * L1(SR, HR) + 1 * perceptual(SR, HR) + 5e-3 * adversarial_G

and its discriminator with the *relativistic average* loss: the discriminator does not
judge "is this image real?" but "is this real image more realistic than the average fake
one?" (Jolicoeur-Martineau, 2018), which gives the generator gradients from the real
images too. Every function here takes backend tensors and returns a scalar tensor.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

from typing import Any

from keras import ops

__all__ = ["l1_loss", "mse_loss", "feature_loss", "bce_with_logits", "relativistic_discriminator_loss",
           "relativistic_generator_loss", "ESRGAN_WEIGHTS"]

#: ESRGAN's loss weights (their documented starting point): pixel L1, perceptual, adversarial.
ESRGAN_WEIGHTS: dict[str, float] = {"pixel": 1e-2, "perceptual": 1.0, "adversarial": 5e-3}


def l1_loss(prediction: Any, target: Any) -> Any:
    """Mean absolute error. Taught in ``05_gan_super_resolution.ipynb``."""
    return ops.mean(ops.abs(prediction - target))


def mse_loss(prediction: Any, target: Any) -> Any:
    """Mean squared error (what PSNR measures). Taught in ``05_gan_super_resolution.ipynb``."""
    return ops.mean(ops.square(prediction - target))


def feature_loss(prediction_features: Any, target_features: Any) -> Any:
    """The perceptual loss: L1 between the feature maps of SR and HR (ESRGAN uses L1 on VGG features).

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    return l1_loss(prediction_features, target_features)


def bce_with_logits(logits: Any, target: float) -> Any:
    """Mean binary cross-entropy of sigmoid(``logits``) against a constant label 0 or 1, stably.

    ``-log(sigmoid(x)) = softplus(-x)`` and ``-log(1 - sigmoid(x)) = softplus(x)``.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    if target not in (0, 1, 0.0, 1.0):
        raise ValueError(f"target must be the label 0 (fake) or 1 (real), got {target!r}")
    return ops.mean(ops.softplus(-logits if target else logits))


def relativistic_discriminator_loss(real_logits: Any, fake_logits: Any) -> Any:
    """RaGAN discriminator loss: real should look *more* real than the mean fake, and vice versa.

    ``0.5 * [BCE(C(real) - mean C(fake), 1) + BCE(C(fake) - mean C(real), 0)]`` where
    ``C`` is the discriminator's raw output (a logit per patch). Pass ``fake_logits`` of
    generator outputs with their gradient stopped: this loss trains the discriminator only.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    return 0.5 * (bce_with_logits(real_logits - ops.mean(fake_logits), 1)
                  + bce_with_logits(fake_logits - ops.mean(real_logits), 0))


def relativistic_generator_loss(real_logits: Any, fake_logits: Any) -> Any:
    """RaGAN generator loss: the same comparison with the labels swapped.

    ``0.5 * [BCE(C(real) - mean C(fake), 0) + BCE(C(fake) - mean C(real), 1)]``; the
    gradient reaches the generator through ``fake_logits`` (and, unlike a standard GAN,
    through the mean of the fakes in the first term). The discriminator's weights must be
    held fixed for this loss.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    return 0.5 * (bce_with_logits(real_logits - ops.mean(fake_logits), 0)
                  + bce_with_logits(fake_logits - ops.mean(real_logits), 1))

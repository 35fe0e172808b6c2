"""Network interpolation (ESRGAN): blend a pixel-loss and a GAN generator weight by weight.

``theta(alpha) = (1 - alpha) * theta_pixel + alpha * theta_GAN``. Both networks share an
architecture and the GAN one was fine-tuned from the pixel one, so the blend is a working
network; ``alpha`` then moves smoothly along the perception-distortion trade-off
(alpha = 0: best PSNR, blurry; alpha = 1: sharpest, invented texture) without training
anything - the slider of lesson 05.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["check_alpha", "interpolate_weights", "Interpolator"]


def check_alpha(alpha: object) -> float:
    """Return ``alpha`` as a float in ``[0, 1]`` or raise a ValueError. Taught in ``05_gan_super_resolution.ipynb``."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.floating, np.integer)) \
            or not 0.0 <= float(alpha) <= 1.0:
        raise ValueError(f"alpha must be a number in [0, 1] (0: the pixel-loss network, 1: the GAN one), "
                         f"got {alpha!r}")
    return float(alpha)


def _weights(model: Any, role: str) -> list[np.ndarray]:
    if not hasattr(model, "get_weights"):
        raise ValueError(f"the {role} network must be a Keras model, got {type(model).__name__}")
    return [np.asarray(weight, dtype=np.float32) for weight in model.get_weights()]


def _check_pair(pixel: list[np.ndarray], gan: list[np.ndarray], pixel_model: Any, gan_model: Any) -> None:
    shapes = [weight.shape for weight in pixel], [weight.shape for weight in gan]
    if shapes[0] != shapes[1]:
        raise ValueError(f"cannot interpolate {getattr(pixel_model, 'name', 'model')!r} and "
                         f"{getattr(gan_model, 'name', 'model')!r}: their weights differ in number or shape "
                         f"({len(shapes[0])} vs {len(shapes[1])} arrays); interpolate two trainings of the same "
                         "architecture (the GAN fine-tuned from the pixel-loss network)")


class Interpolator:
    """One model whose weights are set to the blend at any ``alpha`` (fast enough for a slider).

    Parameters
    ----------
    pixel_model, gan_model : keras.Model
        The same architecture trained with the pixel loss and then as a GAN.

    Attributes
    ----------
    model : keras.Model
        A copy of ``pixel_model`` holding the weights of the last :meth:`at` call.

    Examples
    --------
    >>> interpolator = Interpolator(pixel, gan)          # doctest: +SKIP
    >>> sr = srlib.upscale(interpolator.at(0.8), lr, 4)  # doctest: +SKIP

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """

    def __init__(self, pixel_model: Any, gan_model: Any) -> None:
        import keras

        self._pixel = _weights(pixel_model, "pixel-loss")
        self._gan = _weights(gan_model, "GAN")
        _check_pair(self._pixel, self._gan, pixel_model, gan_model)
        self.model = keras.models.clone_model(pixel_model)
        self.alpha: float | None = None

    def at(self, alpha: float) -> Any:
        """Set :attr:`model` to ``(1 - alpha) * pixel + alpha * gan`` and return it."""
        alpha = check_alpha(alpha)
        self.model.set_weights([(1.0 - alpha) * p + alpha * g for p, g in zip(self._pixel, self._gan)])
        self.alpha = alpha
        return self.model


def interpolate_weights(pixel_model: Any, gan_model: Any, alpha: float) -> Any:
    """A new model with weights ``(1 - alpha) * pixel + alpha * gan`` (ESRGAN's network interpolation).

    Parameters
    ----------
    pixel_model, gan_model : keras.Model
        Two trainings of one architecture (weights of the same number and shapes).
    alpha : float
        In ``[0, 1]``: 0 gives the pixel-loss network, 1 the GAN.

    Returns
    -------
    keras.Model

    Raises
    ------
    ValueError
        ``alpha`` outside ``[0, 1]``, or networks whose weights do not match.

    Notes
    -----
    For many alphas (a slider) use :class:`Interpolator`, which reuses one model.
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    alpha = check_alpha(alpha)
    return Interpolator(pixel_model, gan_model).at(alpha)

"""One upscaling entry point for interpolation and learned models.

``upscale(method, lr, scale)`` is the single path used by the lessons, the
evaluation, the CLI and the benchmarks, so that bicubic and every model are
fed and scored the same way.

Taught in ``01_interpolation_artifacts.ipynb`` and ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from srlib._checks import check_output_pixels, check_scale
from srlib.models.registry import METHOD_NAMES
from srlib.resize import METHODS as INTERPOLATION_METHODS
from srlib.resize import METHOD_ALIASES, imresize

__all__ = ["upscale", "INTERPOLATION_METHODS", "PRETRAINED_METHODS", "method_name"]

#: Method strings that name a shipped pretrained model (``srlib.pretrained.load(name, scale)``):
#: the registered models, :data:`srlib.models.MODEL_NAMES`, and their trained variants
#: (``"srresnet_gan"``, :data:`srlib.models.registry.TRAINED_VARIANTS`).
PRETRAINED_METHODS: tuple[str, ...] = METHOD_NAMES


def method_name(method: Any) -> str:
    """A short printable name for a method string or model (for tables and JSON).

    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    if isinstance(method, str):
        return method
    name = getattr(method, "name", None)
    return str(name) if name else type(method).__name__




def _import(module: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name == module:
            raise ValueError(f"{what} needs the module {module!r}, which is not available in this "
                             "srlib installation") from err
        raise


def upscale(method: Any, image: np.ndarray, scale: int, **kwargs: Any) -> np.ndarray:
    """Upscale a ``uint8`` RGB image by an integer factor with an interpolation or a model.

    Parameters
    ----------
    method : str or keras.Model
        An interpolation name from :data:`INTERPOLATION_METHODS` (``"bicubic"``,
        ``"bilinear"``, ``"nearest"``, ``"lanczos3"``, ...; MATLAB-compatible
        :func:`srlib.resize.imresize`), a shipped pretrained model name from
        :data:`PRETRAINED_METHODS` (loaded with ``srlib.pretrained.load(name, scale)``),
        or a model object (run by ``srlib.inference.upscale_with_model``).
    image : numpy.ndarray
        The low-resolution image, ``uint8`` ``(H, W, 3)``; ``(H, W)`` and ``(H, W, 1)``
        grayscale are accepted: interpolation treats them as three equal channels, a model
        receives the gray image itself (SRCNN's convention: the gray level is the luma) and
        a gray answer is expanded to three equal channels.
    scale : int
        Integer factor (2, 3, 4, ...).
    **kwargs
        For interpolation: ``antialias`` (irrelevant when enlarging). For models:
        passed to ``upscale_with_model`` (e.g. ``tile=``).

    Returns
    -------
    numpy.ndarray
        ``uint8`` ``(scale * H, scale * W, 3)``.

    Raises
    ------
    ValueError
        Non-uint8 or badly shaped image, bad scale, unknown method, or a model that
        returns the wrong shape.

    Examples
    --------
    >>> import numpy as np
    >>> upscale("bicubic", np.zeros((4, 5, 3), np.uint8), 3).shape
    (12, 15, 3)

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb`` and ``02_degradation_and_evaluation.ipynb``.
    """
    factor = check_scale(scale, minimum=1)
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError(f"upscale expects a uint8 RGB image, got dtype {image.dtype}; "
                         "convert with srlib.images.to_uint8")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    gray = image if image.ndim == 2 else None
    if gray is not None:
        image = np.repeat(gray[:, :, None], 3, axis=2)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"upscale expects (H, W, 3) RGB, got shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"cannot upscale an empty image of shape {image.shape}")
    expected = (image.shape[0] * factor, image.shape[1] * factor, 3)
    check_output_pixels(expected, f"upscaling a {image.shape[0]}x{image.shape[1]} image by {factor}")

    if isinstance(method, str):
        key = method.lower()
        if key in INTERPOLATION_METHODS or key in METHOD_ALIASES:
            unknown = set(kwargs) - {"antialias"}
            if unknown:
                raise ValueError(f"interpolation method {method!r} takes no arguments {sorted(unknown)}")
            result = imresize(image, output_shape=expected[:2], method=key, **kwargs)
        elif key in PRETRAINED_METHODS:
            pretrained = _import("srlib.pretrained", f"method {method!r}")
            model = pretrained.load(key, factor)
            result = _run_model(model, image if gray is None else gray, factor, kwargs)
        else:
            raise ValueError(f"unknown upscaling method {method!r}; choose an interpolation "
                             f"{INTERPOLATION_METHODS}, a pretrained model {PRETRAINED_METHODS}, or pass a model")
    elif method is None or not callable(method):
        raise ValueError(f"method must be an interpolation name {INTERPOLATION_METHODS}, a pretrained model name "
                         f"{PRETRAINED_METHODS} or a Keras model, got {method!r}")
    else:
        result = _run_model(method, image if gray is None else gray, factor, kwargs)

    result = np.asarray(result)
    if result.ndim == 3 and result.shape[2] == 1:
        result = result[:, :, 0]
    if result.ndim == 2:  # a model given a grayscale image may answer in grayscale
        result = np.repeat(result[:, :, None], 3, axis=2)
    if result.shape != expected or result.dtype != np.uint8:
        raise ValueError(f"{method_name(method)!r} returned {result.dtype} {result.shape}, "
                         f"expected uint8 {expected}")
    return result


def _run_model(model: Any, image: np.ndarray, factor: int, kwargs: dict[str, Any]) -> np.ndarray:
    inference = _import("srlib.inference", f"upscaling with model {method_name(model)!r}")
    return inference.upscale_with_model(model, image, factor, **kwargs)

"""Custom Keras layers and initializers of the SR models, registered for ``safe_mode=True``.

Everything here is written with ``keras.ops`` only, so it runs on the TensorFlow, JAX
and PyTorch backends, and is registered with
``keras.saving.register_keras_serializable(package="srlib")`` so that saved models load
with ``keras.saving.load_model(path, safe_mode=True)`` (no ``Lambda`` layers).

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import ops

__all__ = ["DepthToSpace", "Upscale", "ICNR", "depth_to_space_numpy", "to_numpy"]


def to_numpy(tensor: Any) -> np.ndarray:
    """A backend tensor as a NumPy array (``keras.ops.convert_to_numpy`` without the NumPy 2 warning).

    On TensorFlow ``EagerTensor.numpy()`` is used directly: ``convert_to_numpy`` calls
    ``np.array(tensor)``, which makes NumPy 2 warn about TensorFlow's ``__array__``.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    if keras.backend.backend() == "tensorflow" and hasattr(tensor, "numpy"):
        return tensor.numpy()
    return keras.ops.convert_to_numpy(tensor)


def _check_block_size(block_size: object, name: str = "block_size") -> int:
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or int(block_size) < 1:
        raise ValueError(f"{name} must be a positive integer (the upscaling factor, e.g. 3), got {block_size!r}")
    return int(block_size)


def depth_to_space_numpy(array: np.ndarray, block_size: int) -> np.ndarray:
    """NumPy reference of :class:`DepthToSpace` (``tf.nn.depth_to_space``, "DCR" order).

    Parameters
    ----------
    array : numpy.ndarray
        ``(N, H, W, C * r * r)`` channels-last batch.
    block_size : int
        The factor ``r``.

    Returns
    -------
    numpy.ndarray
        ``(N, H * r, W * r, C)`` where ``out[n, r*h + i, r*w + j, c] = in[n, h, w, (i*r + j)*C + c]``.

    Notes
    -----
    Written with explicit loops over the ``r x r`` sub-pixel positions so that it is an
    independent check of the reshape/transpose in the layer. Taught in
    ``04_fast_sr_networks.ipynb``.
    """
    r = _check_block_size(block_size)
    array = np.asarray(array)
    if array.ndim != 4 or array.shape[-1] % (r * r):
        raise ValueError(f"depth_to_space expects (N, H, W, C*{r}*{r}), got shape {array.shape}")
    n, h, w, depth = array.shape
    c = depth // (r * r)
    out = np.empty((n, h * r, w * r, c), dtype=array.dtype)
    for i in range(r):
        for j in range(r):
            first = (i * r + j) * c
            out[:, i::r, j::r, :] = array[..., first:first + c]
    return out


@keras.saving.register_keras_serializable(package="srlib")
class DepthToSpace(keras.layers.Layer):
    """Sub-pixel shuffle: ``(N, H, W, C*r*r) -> (N, H*r, W*r, C)`` (ESPCN's periodic shuffling).

    Same channel order as ``tf.nn.depth_to_space`` (and PyTorch's ``PixelShuffle`` up to
    the channels-last layout): output pixel ``(r*h + i, r*w + j)`` takes channel block
    ``i*r + j`` of input pixel ``(h, w)``. Implemented with ``keras.ops.reshape`` and
    ``keras.ops.transpose`` so it runs on every Keras backend.

    Parameters
    ----------
    block_size : int
        The upscaling factor ``r``.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """

    def __init__(self, block_size: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.block_size = _check_block_size(block_size)

    def call(self, inputs: Any) -> Any:
        r = self.block_size
        shape = ops.shape(inputs)
        batch, height, width, depth = shape[0], shape[1], shape[2], shape[3]
        channels = depth // (r * r)
        x = ops.reshape(inputs, (batch, height, width, r, r, channels))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))  # (N, H, r_i, W, r_j, C)
        return ops.reshape(x, (batch, height * r, width * r, channels))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        r = self.block_size
        batch, height, width, depth = input_shape
        if depth is not None and depth % (r * r):
            raise ValueError(f"DepthToSpace(block_size={r}) needs channels divisible by {r * r}, got {depth}")
        return (batch,
                None if height is None else height * r,
                None if width is None else width * r,
                None if depth is None else depth // (r * r))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["block_size"] = self.block_size
        return config


@keras.saving.register_keras_serializable(package="srlib")
class Upscale(keras.layers.Layer):
    """Enlarge by an integer ``scale``: half-pixel-centred bilinear (or nearest) interpolation.

    Equal to ``tf.image.resize(x, (r*H, r*W), "bilinear")`` (edge pixels repeated), but
    written with slicing and ``keras.ops`` only, so it takes images of any size on every
    backend (``keras.layers.UpSampling2D(interpolation="bilinear")`` and
    ``keras.ops.image.resize`` need a size known when the model is built). Output pixel
    ``r*i + k`` sits at input coordinate ``i + (k + 0.5)/r - 0.5``: a blend of pixel ``i``
    and its neighbour on that side. Used for the global skip of
    :func:`srlib.models.srresnet` (the network then learns only the residual).

    Parameters
    ----------
    scale : int
        The factor.
    interpolation : {"bilinear", "nearest"}
        The interpolation.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """

    INTERPOLATIONS = ("bilinear", "nearest")

    def __init__(self, scale: int, interpolation: str = "bilinear", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale = _check_block_size(scale, "scale")
        if interpolation not in self.INTERPOLATIONS:
            raise ValueError(f"interpolation must be one of {self.INTERPOLATIONS}, got {interpolation!r}")
        self.interpolation = interpolation

    def _along(self, x: Any, axis: int) -> Any:
        """Upscale along ``axis`` (1: rows, 2: columns) of an NHWC tensor."""
        r = self.scale
        if self.interpolation == "nearest":
            return ops.repeat(x, r, axis=axis)
        first = x[:, :1] if axis == 1 else x[:, :, :1]
        last = x[:, -1:] if axis == 1 else x[:, :, -1:]
        padded = ops.concatenate([first, x, last], axis=axis)  # edge pixels repeated
        if axis == 1:
            before, centre, after = padded[:, :-2], x, padded[:, 2:]
        else:
            before, centre, after = padded[:, :, :-2], x, padded[:, :, 2:]
        phases = []
        for k in range(r):
            offset = (k + 0.5) / r - 0.5
            neighbour = after if offset >= 0 else before
            phases.append((1.0 - abs(offset)) * centre + abs(offset) * neighbour)
        stacked = ops.stack(phases, axis=axis + 1)  # (N, H, r, W, C) or (N, H, W, r, C)
        shape = ops.shape(x)
        target = ((shape[0], shape[1] * r, shape[2], shape[3]) if axis == 1 else
                  (shape[0], shape[1], shape[2] * r, shape[3]))
        return ops.reshape(stacked, target)

    def call(self, inputs: Any) -> Any:
        return self._along(self._along(inputs, 1), 2)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        batch, height, width, depth = input_shape
        return (batch, None if height is None else height * self.scale,
                None if width is None else width * self.scale, depth)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(scale=self.scale, interpolation=self.interpolation)
        return config


@keras.saving.register_keras_serializable(package="srlib")
class ICNR(keras.initializers.Initializer):
    """ICNR: "initialised to convolution NN resize" for sub-pixel convolutions.

    A convolution followed by :class:`DepthToSpace` with random weights gives each of
    the ``r * r`` sub-pixel positions its own random filter, so even a flat input comes
    out as a periodic checkerboard. ICNR draws one filter per output channel from
    ``initializer`` and copies it to all ``r * r`` positions, so at initialisation the
    sub-pixel convolution equals a convolution followed by nearest-neighbour upsampling:
    no checkerboard (Aitken et al. 2017, "Checkerboard artifact free sub-pixel
    convolution").

    Parameters
    ----------
    scale : int
        The upscaling factor ``r`` of the following :class:`DepthToSpace`.
    initializer : str or dict or keras.initializers.Initializer
        Initializer of the ``(kh, kw, C_in, C_out / r**2)`` sub-kernel (default
        ``"glorot_uniform"``, the Keras ``Conv2D`` default).

    Notes
    -----
    Use it on the last convolution's ``kernel_initializer`` with a zero bias (the
    default). Taught in ``04_fast_sr_networks.ipynb``.
    """

    def __init__(self, scale: int, initializer: Any = "glorot_uniform") -> None:
        self.scale = _check_block_size(scale, "scale")
        self.initializer = keras.initializers.get(initializer)

    def __call__(self, shape: tuple, dtype: Any = None) -> Any:
        r2 = self.scale * self.scale
        shape = tuple(int(v) for v in shape)
        if len(shape) != 4 or shape[-1] % r2:
            raise ValueError(f"ICNR(scale={self.scale}) needs a conv kernel (kh, kw, in, out) with out divisible "
                             f"by {r2}, got shape {shape}")
        sub = self.initializer(shape[:-1] + (shape[-1] // r2,), dtype=dtype)
        # channel k of the full kernel serves sub-pixel position k // C and output channel
        # k % C (DCR order), so tiling repeats each filter across all r*r positions.
        return ops.tile(sub, (1, 1, 1, r2))

    def get_config(self) -> dict[str, Any]:
        return {"scale": self.scale, "initializer": keras.initializers.serialize(self.initializer)}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "ICNR":
        config = dict(config)
        config["initializer"] = keras.initializers.deserialize(config["initializer"])
        return cls(**config)

"""FSRCNN (Dong, Loy & Tang, ECCV 2016): SRCNN accelerated by working at low resolution.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import math

import keras
import numpy as np

from srlib._checks import check_channels, check_positive_int, check_scale
from srlib.models.registry import model_name
from srlib.models.layers import DepthToSpace, to_numpy

__all__ = ["fsrcnn", "subpixel_kernel", "subpixel_convertible", "to_subpixel", "SUBPIXEL_SUFFIX"]

#: ``to_subpixel`` names the convolution that replaces layer ``L`` ``L.name + SUBPIXEL_SUFFIX``.
SUBPIXEL_SUFFIX = "_subpixel"


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


# --- the same model, faster: transposed convolution -> convolution + depth-to-space --------------

def _taps(kernel_size: int, stride: int) -> tuple[int, int]:
    """(padding before, half-width R of the equivalent stride-1 kernel) along one axis.

    TensorFlow's (and Keras's) ``'same'`` transposed convolution with output ``n * s`` is
    the gradient of a ``'same'`` convolution of an ``n * s`` signal: total padding
    ``max(K - s, 0)``, of which ``P = total // 2`` comes first, so output ``s*h + a``
    receives input ``h - t`` through kernel tap ``k = s*t + a + P``. Phase ``a`` then needs
    the input offsets ``j = -t`` with ``0 <= a + P - s*j < K``; ``R`` is the largest ``|j|``.
    """
    pad = max(kernel_size - stride, 0) // 2
    radius = 0
    for phase in range(stride):
        low = math.ceil((phase + pad - kernel_size + 1) / stride)
        high = (phase + pad) // stride
        if low <= high:
            radius = max(radius, abs(low), abs(high))
    return pad, radius


def subpixel_kernel(kernel: np.ndarray, bias: np.ndarray | None, stride: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Rearrange a ``'same'`` transposed-convolution kernel into a sub-pixel convolution kernel.

    A transposed convolution with stride ``s`` equals a stride-1 convolution with
    ``s * s`` times as many output channels followed by :class:`DepthToSpace` ``(s)``:
    output pixel ``(s*h + a, s*w + b)`` only ever sees kernel taps ``k = a + P - s*j``,
    so each of the ``s * s`` phases is an ordinary small convolution. This is why ESPCN's
    sub-pixel layer and FSRCNN's deconvolution are the same operation (Shi et al. 2016,
    "Is the deconvolution layer the same as a convolutional layer?").

    Parameters
    ----------
    kernel : numpy.ndarray
        Keras ``Conv2DTranspose`` kernel ``(kh, kw, C_out, C_in)`` (channels-last,
        ``padding='same'``, no ``output_padding``, no dilation).
    bias : numpy.ndarray or None
        ``(C_out,)`` bias, or None.
    stride : int
        The stride ``s`` (the same along both axes).

    Returns
    -------
    conv_kernel : numpy.ndarray
        ``(2*Rh + 1, 2*Rw + 1, C_in, s*s*C_out)`` for a stride-1 ``'same'`` ``Conv2D``;
        channel ``(a*s + b)*C_out + c`` is phase ``(a, b)`` of output channel ``c`` (the
        :class:`DepthToSpace` order). Taps that a phase never uses are zero. For FSRCNN's
        9x9 kernel: 5x5 for ``s = 2``, 3x3 for ``s = 3`` and ``s = 4``.
    conv_bias : numpy.ndarray or None
        The bias repeated for the ``s * s`` phases.

    Raises
    ------
    ValueError
        If ``kernel`` is not 4-D, the bias does not match, or ``stride`` is not an
        integer >= 1.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``; :func:`to_subpixel` uses it so that
    ``srlib.upscale`` runs FSRCNN at the speed its FLOP count allows.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim != 4:
        raise ValueError(f"kernel must be a (kh, kw, C_out, C_in) Conv2DTranspose kernel, got shape {kernel.shape}")
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or int(stride) < 1:
        raise ValueError(f"stride must be a positive integer (the upscaling factor), got {stride!r}")
    s = int(stride)
    height, width, c_out, c_in = kernel.shape
    if bias is not None:
        bias = np.asarray(bias)
        if bias.shape != (c_out,):
            raise ValueError(f"bias must have shape ({c_out},) to match the kernel, got {bias.shape}")
    pad_h, radius_h = _taps(height, s)
    pad_w, radius_w = _taps(width, s)
    out = np.zeros((2 * radius_h + 1, 2 * radius_w + 1, c_in, s * s * c_out), dtype=kernel.dtype)
    for a in range(s):
        for b in range(s):
            first = (a * s + b) * c_out
            for u in range(2 * radius_h + 1):
                k_h = a + pad_h - s * (u - radius_h)
                if not 0 <= k_h < height:
                    continue
                for v in range(2 * radius_w + 1):
                    k_w = b + pad_w - s * (v - radius_w)
                    if 0 <= k_w < width:
                        out[u, v, :, first:first + c_out] = kernel[k_h, k_w].T
    return out, (None if bias is None else np.tile(bias, s * s))


def subpixel_convertible(layer: keras.layers.Layer) -> bool:
    """Whether :func:`to_subpixel` rewrites this layer.

    True for a 2-D ``Conv2DTranspose`` with channels-last data, ``padding='same'``,
    equal strides, no ``output_padding`` and no dilation (FSRCNN's deconvolution).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    if not isinstance(layer, keras.layers.Conv2DTranspose):
        return False
    strides = tuple(int(v) for v in layer.strides)
    dilation = tuple(int(v) for v in np.atleast_1d(layer.dilation_rate))
    return (layer.data_format == "channels_last" and str(layer.padding).lower() == "same"
            and len(set(strides)) == 1 and layer.output_padding is None and set(dilation) == {1}
            and layer.built)


def to_subpixel(model: keras.Model) -> keras.Model:
    """The same function as ``model`` with each transposed convolution replaced by conv + depth-to-space.

    Parameters
    ----------
    model : keras.Model
        A Functional model (e.g. :func:`fsrcnn`, trained or not, with shipped weights).

    Returns
    -------
    keras.Model
        A new Functional model with the same name (so :func:`srlib.models.model_scale`
        still reads it) that **shares every other layer** (and so its weights) with
        ``model``; each layer ``L`` accepted by :func:`subpixel_convertible` becomes a
        stride-1 ``Conv2D`` named ``L.name + SUBPIXEL_SUFFIX`` holding :func:`subpixel_kernel` of ``L``'s weights
        (a snapshot: re-run this function, or assign again, after training ``L``)
        followed by :class:`DepthToSpace`. The output equals ``model``'s up to float32
        rounding (about 1e-6) at every pixel, borders included. ``model`` itself is
        returned when nothing can be converted (ESPCN, SRCNN).

    Raises
    ------
    ValueError
        If ``model`` is not a Keras model, or is a Sequential / subclassed model that
        contains a convertible layer.

    Notes
    -----
    For inference only - train the original. On TensorFlow's CPU kernels a strided
    9x9 ``Conv2DTranspose`` runs several times slower than the equivalent small
    convolution (``benchmarks/fsrcnn_speed.md``); :func:`srlib.inference.run_model` uses
    this rewrite automatically. Taught in ``04_fast_sr_networks.ipynb``.

    Examples
    --------
    >>> fast = to_subpixel(fsrcnn(3))
    >>> [layer.name for layer in fast.layers][-2:]
    ['deconvolution_subpixel', 'deconvolution_shuffle']
    """
    if not isinstance(model, keras.Model):
        raise ValueError(f"to_subpixel expects a keras.Model, got {type(model).__name__}")
    if not any(subpixel_convertible(layer) for layer in model.layers):
        return model
    if isinstance(model, keras.Sequential) or not hasattr(model, "inputs") or not model.inputs:
        raise ValueError(f"to_subpixel needs a Functional model; {model.name!r} is a "
                         f"{type(model).__name__}: rebuild it with the Functional API")

    def call_function(layer: keras.layers.Layer, *args: object, **kwargs: object) -> object:
        if not subpixel_convertible(layer):
            return layer(*args, **kwargs)
        stride = int(layer.strides[0])
        kernel, bias = subpixel_kernel(to_numpy(layer.kernel), to_numpy(layer.bias) if layer.use_bias else None,
                                       stride)
        conv = keras.layers.Conv2D(kernel.shape[-1], kernel.shape[:2], padding="same", activation=layer.activation,
                                   use_bias=layer.use_bias, dtype=layer.dtype_policy,
                                   name=f"{layer.name}{SUBPIXEL_SUFFIX}")
        features = conv(*args)
        conv.set_weights([kernel] + ([bias] if bias is not None else []))
        return DepthToSpace(stride, dtype=layer.dtype_policy, name=f"{layer.name}_shuffle")(features)

    try:
        fast = keras.models.clone_model(model, clone_function=lambda layer: layer, call_function=call_function)
    except (TypeError, ValueError, NotImplementedError) as err:
        raise ValueError(f"to_subpixel could not rebuild model {model.name!r}: {err}") from None
    return fast

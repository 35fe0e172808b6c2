"""Running a learned SR model on a whole RGB image: Y through the model, Cb/Cr bicubic, tiling.

``srlib.upscale(model, image, scale)`` calls :func:`upscale_with_model`; the steps are
those of the SRCNN/FSRCNN/ESPCN papers: convert to YCbCr (MATLAB ``rgb2ycbcr``), send Y
through the network (bicubic-upscaled first for a pre-upsampling model such as SRCNN),
upscale Cb and Cr with MATLAB bicubic, convert back and round to ``uint8``.

Large images are processed in tiles with an overlap of at least the model's receptive
radius, which gives exactly the untiled result (no seams) with bounded memory.

Taught in ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["MAX_UNTILED_PIXELS", "AUTO_TILE", "check_model_scale", "fast_inference_model", "run_model",
           "upscale_y", "upscale_with_model"]

#: Inputs with more pixels than this are tiled automatically when ``tile=None``.
MAX_UNTILED_PIXELS = 1 << 20
#: Tile size (input pixels) used in that case.
AUTO_TILE = 512
_MAX_BATCH = 16


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_model_scale(model: "keras.Model", scale: object) -> int:
    """Check that ``scale`` is an integer the model can upscale by, and return it as ``int``.

    Parameters
    ----------
    model : keras.Model
        An SR model. Its scale is read from its name (``"fsrcnn_x3"``, see
        :func:`srlib.models.model_scale`); a post-upsampling model without one is probed
        for its output/input size ratio.
    scale : int
        The requested factor.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``scale`` is not an integer >= 2, or the model was built/trained for another
        scale (e.g. x3 weights asked for x2).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    from srlib.models import model_scale, output_factor
    from srlib._checks import check_scale

    scale = check_scale(scale)
    recorded = model_scale(model)
    if recorded is not None and recorded != scale:
        raise ValueError(f"model {model.name!r} is for scale {recorded}, not {scale}: load or build the x{scale} "
                         f"model (e.g. srlib.pretrained.load(name, {scale}))")
    factor = output_factor(model)
    if factor != 1 and factor != scale:
        raise ValueError(f"model {model.name!r} upscales by {factor}, not {scale}")
    return scale


_COMPILED: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()
_FAST: "weakref.WeakKeyDictionary[Any, tuple[Any, list[tuple[Any, list[np.ndarray]]]]]" = weakref.WeakKeyDictionary()


def _deconv_weights(layer: Any) -> list[np.ndarray]:
    from srlib.models.layers import to_numpy

    return [np.array(to_numpy(weight)) for weight in layer.weights]


def fast_inference_model(model: "keras.Model") -> "keras.Model":
    """The model ``run_model`` actually runs: ``model`` with transposed convolutions made sub-pixel.

    Parameters
    ----------
    model : keras.Model
        Any image model.

    Returns
    -------
    keras.Model
        :func:`srlib.models.to_subpixel` of ``model`` (same outputs up to about
        1e-6, shares all other layers and weights), or ``model`` itself when it has no
        convertible ``Conv2DTranspose`` (SRCNN, ESPCN) or cannot be rebuilt (e.g. a
        Sequential model).

    Notes
    -----
    Cached per model object (weakly: the cache does not keep the model alive). The
    rearranged kernel is a copy, so on every call the transposed convolution's current
    weights are compared with the copied ones and converted again if training changed
    them: train the original model, infer with this one. Why: TensorFlow's CPU
    ``Conv2DTranspose`` with FSRCNN's 9x9 kernel and stride 3 made FSRCNN slower than
    SRCNN although it needs 6x fewer multiply-adds (``benchmarks/fsrcnn_speed.md``).
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    from srlib.models import SUBPIXEL_SUFFIX, subpixel_convertible, subpixel_kernel, to_subpixel

    try:
        entry = _FAST.get(model)
    except TypeError:  # pragma: no cover - unhashable model
        return model
    if entry is None:
        layers = [layer for layer in getattr(model, "layers", []) if subpixel_convertible(layer)]
        fast = model
        if layers:
            try:
                fast = to_subpixel(model)
            except ValueError:
                fast = model
        snapshots = [(layer, _deconv_weights(layer)) for layer in layers] if fast is not model else []
        entry = (fast, snapshots)
        _FAST[model] = entry
        return fast
    fast, snapshots = entry
    for layer, saved in snapshots:
        current = _deconv_weights(layer)
        if len(current) != len(saved) or any(not np.array_equal(a, b) for a, b in zip(current, saved)):
            kernel, bias = subpixel_kernel(current[0], current[1] if layer.use_bias else None, int(layer.strides[0]))
            fast.get_layer(layer.name + SUBPIXEL_SUFFIX).set_weights([kernel] + ([] if bias is None else [bias]))
            saved[:] = current
    return fast


def _forward(model: "keras.Model") -> Any:
    """``model(x, training=False)``; on TensorFlow traced once for all image sizes.

    A ``tf.function`` with a ``(None, None, None, C)`` signature runs about twice as fast
    as the eager call and, unlike ``model.predict``, never retraces for a new size. The
    model itself stays backend-neutral; other backends call it directly.
    """
    import keras

    if keras.backend.backend() != "tensorflow":
        return lambda batch: model(batch, training=False)
    try:
        return _COMPILED[model]
    except KeyError:
        pass
    except TypeError:  # pragma: no cover - unhashable model
        return lambda batch: model(batch, training=False)
    import tensorflow as tf

    reference = weakref.ref(model)  # the cache must not keep the model alive
    channels = int(model.inputs[0].shape[-1])
    function = tf.function(lambda batch: reference()(batch, training=False),
                           input_signature=[tf.TensorSpec([None, None, None, channels], tf.float32)])
    _COMPILED[model] = function
    return function


def _call(model: "keras.Model", batch: np.ndarray) -> np.ndarray:
    from srlib.models.layers import to_numpy

    output = _forward(model)(np.ascontiguousarray(batch, dtype=np.float32))
    return np.asarray(to_numpy(output), dtype=np.float32)


def run_model(model: "keras.Model", array: np.ndarray, *, tile: int | None = None,
              overlap: int | None = None) -> np.ndarray:
    """Run an image model on one ``(H, W, C)`` float image, optionally in overlapping tiles.

    Parameters
    ----------
    model : keras.Model
        Fully convolutional model; its output is ``f`` times its input (``f`` = 1 for
        SRCNN, the scale for FSRCNN/ESPCN).
    array : numpy.ndarray
        ``(H, W, C)`` or ``(H, W)`` float input (C = the model's input channels).
    tile : int, optional
        Tile size in input pixels (the core of each tile; neighbours add ``overlap``).
        ``None``: one call, unless the image has more than :data:`MAX_UNTILED_PIXELS`
        pixels (then :data:`AUTO_TILE`).
    overlap : int, optional
        Context in input pixels added around each tile and cropped away afterwards.
        Default :func:`srlib.models.receptive_radius`, the smallest value that gives
        exactly the untiled result; smaller values show seams (the lesson does it on
        purpose with ``overlap=0``).

    Returns
    -------
    numpy.ndarray
        ``float32`` ``(f*H, f*W, C_out)`` (2-D in -> 2-D out), not clipped.

    Notes
    -----
    The network run is :func:`fast_inference_model` of ``model`` (FSRCNN's transposed
    convolution rewritten as convolution + depth-to-space: same output, 2-3x faster on
    CPU). Tiles of equal size are stacked into batches of up to 16 and run with
    ``model(x, training=False)`` (no ``model.predict`` overhead; on TensorFlow inside a
    ``tf.function`` traced once for all sizes). At the image border
    the tile meets the real border, so the model's zero padding is the same as untiled.
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    from srlib.models import output_factor, receptive_radius

    array = np.asarray(array)
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"run_model expects a float image in [0, 1], got dtype {array.dtype}")
    squeeze = array.ndim == 2
    data = array[:, :, None] if squeeze else array
    if data.ndim != 3 or min(data.shape[:2]) < 1:
        raise ValueError(f"run_model expects an (H, W) or (H, W, C) image, got shape {array.shape}")
    channels = int(model.inputs[0].shape[-1])
    if data.shape[2] != channels:
        raise ValueError(f"model {model.name!r} takes {channels} channel(s), got an image of shape {array.shape}")
    data = data.astype(np.float32, copy=False)
    network = fast_inference_model(model)
    height, width = data.shape[:2]
    if tile is None and height * width > MAX_UNTILED_PIXELS:
        tile = AUTO_TILE
    if tile is not None:
        tile = _check_int(tile, "tile", 1)
    if tile is None or (tile >= height and tile >= width):
        out = _call(network, data[None])[0]
        return out[:, :, 0] if squeeze and out.shape[2] == 1 else out
    overlap = receptive_radius(model) if overlap is None else _check_int(overlap, "overlap", 0)
    factor = output_factor(model)
    jobs: dict[tuple[int, int], list[tuple[int, int, int, int, int, int]]] = {}
    for top in range(0, height, tile):
        for left in range(0, width, tile):
            bottom, right = min(top + tile, height), min(left + tile, width)
            pad_top, pad_left = max(top - overlap, 0), max(left - overlap, 0)
            pad_bottom, pad_right = min(bottom + overlap, height), min(right + overlap, width)
            key = (pad_bottom - pad_top, pad_right - pad_left)
            jobs.setdefault(key, []).append((top, left, bottom, right, pad_top, pad_left))
    result: np.ndarray | None = None
    for (tile_height, tile_width), group in jobs.items():
        for start in range(0, len(group), _MAX_BATCH):
            chunk = group[start:start + _MAX_BATCH]
            batch = np.stack([data[pt:pt + tile_height, pl:pl + tile_width] for _, _, _, _, pt, pl in chunk])
            outputs = _call(network, batch)
            if result is None:
                result = np.empty((height * factor, width * factor, outputs.shape[-1]), np.float32)
            for out, (top, left, bottom, right, pad_top, pad_left) in zip(outputs, chunk):
                row, col = (top - pad_top) * factor, (left - pad_left) * factor
                result[top * factor:bottom * factor, left * factor:right * factor] = out[
                    row:row + (bottom - top) * factor, col:col + (right - left) * factor]
    assert result is not None
    return result[:, :, 0] if squeeze and result.shape[2] == 1 else result


def upscale_y(model: "keras.Model", y: np.ndarray, scale: int, *, tile: int | None = None,
              overlap: int | None = None) -> np.ndarray:
    """Upscale a low-resolution luma channel with a Y model: the network part of the papers' protocol.

    Parameters
    ----------
    model : keras.Model
        A 1-channel SR model (pre- or post-upsampling).
    y : numpy.ndarray
        ``(H, W)`` float Y in ``[0, 1]`` (``rgb_to_ycbcr(to_float(rgb))[..., 0]``) or
        ``uint8`` Y (divided by 255).
    scale : int
        Upscaling factor; must match the model.
    tile, overlap
        See :func:`run_model`.

    Returns
    -------
    numpy.ndarray
        ``float32`` ``(scale*H, scale*W)`` clipped to ``[0, 1]``. Compare it with the HR
        Y for the papers' Y-PSNR without the RGB round trip.

    Notes
    -----
    A pre-upsampling model (SRCNN) gets the MATLAB-bicubic upscaled Y (not clipped, as
    in the SRCNN code). Taught in ``03_srcnn.ipynb``.
    """
    from srlib._checks import check_unit_range
    from srlib.models import output_factor
    from srlib.resize import imresize

    scale = check_model_scale(model, scale)
    y = np.asarray(y)
    if y.dtype == np.uint8:
        y = y.astype(np.float32) / np.float32(255.0)
    if y.ndim != 2:
        raise ValueError(f"upscale_y expects a 2-D (H, W) luma channel, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.floating):
        raise ValueError(f"upscale_y expects float Y in [0, 1] or uint8, got dtype {y.dtype}")
    check_unit_range(y, "upscale_y")  # NaN or 0..255 floats would give garbage silently
    if int(model.inputs[0].shape[-1]) != 1:
        raise ValueError(f"model {model.name!r} takes {int(model.inputs[0].shape[-1])} channels; "
                         "upscale_y needs a Y (1-channel) model: use upscale_with_model for RGB models")
    y = y.astype(np.float32)
    if output_factor(model) == 1:
        y = imresize(y, scale, method="bicubic").astype(np.float32)
    out = run_model(model, y, tile=tile, overlap=overlap)
    expected = (y.shape[0] * (1 if output_factor(model) == 1 else scale),
                y.shape[1] * (1 if output_factor(model) == 1 else scale))
    if out.shape[:2] != expected:  # pragma: no cover - guarded by check_model_scale
        raise ValueError(f"model {model.name!r} returned shape {out.shape}, expected {expected}")
    return np.clip(out, 0.0, 1.0)


def upscale_with_model(model: "keras.Model", image: np.ndarray, scale: int, *, tile: int | None = None,
                       overlap: int | None = None) -> np.ndarray:
    """Upscale a ``uint8`` image with a learned model; ``srlib.upscale(model, ...)`` calls this.

    Parameters
    ----------
    model : keras.Model
        A Y model (1 input channel; SRCNN, FSRCNN, ESPCN) or an RGB model (3 channels).
    image : numpy.ndarray
        ``uint8`` RGB ``(H, W, 3)``, or grayscale ``(H, W)`` / ``(H, W, 1)`` (then the
        gray level goes through a Y model as its luma).
    scale : int
        Integer factor; must match the model (``ValueError`` otherwise).
    tile : int, optional
        Tile size in the model's input pixels; see :func:`run_model`. The result is the
        same as untiled.
    overlap : int, optional
        Tile context, default the model's receptive radius.

    Returns
    -------
    numpy.ndarray
        ``uint8`` of exactly ``(scale*H, scale*W, 3)`` (grayscale in -> grayscale out,
        same number of dimensions).

    Raises
    ------
    ValueError
        Non-``uint8`` input, wrong shape (e.g. RGBA), scale not an integer or not the
        model's.

    Notes
    -----
    For a Y model: ``rgb_to_ycbcr`` (MATLAB, float), Y through the model (bicubic first
    for SRCNN), Cb/Cr MATLAB-bicubic, ``ycbcr_to_rgb``, clip, round half up. Taught in
    ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb``.
    """
    from srlib.images import _ycbcr_to_rgb_uint8, rgb_to_ycbcr, to_float, to_uint8
    from srlib.models import output_factor
    from srlib.resize import imresize

    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError(f"upscale_with_model expects a uint8 image (0..255), got dtype {image.dtype}; "
                         "convert float [0, 1] images with srlib.images.to_uint8")
    gray = image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 1)
    if not (gray or (image.ndim == 3 and image.shape[2] == 3)) or min(image.shape[:2]) < 1:
        hint = " (drop the alpha channel: image[..., :3])" if image.ndim == 3 and image.shape[2] == 4 else ""
        raise ValueError(f"upscale_with_model expects (H, W, 3) RGB or (H, W) grayscale, got shape "
                         f"{image.shape}{hint}")
    scale = check_model_scale(model, scale)
    channels = int(model.inputs[0].shape[-1])
    expected = (image.shape[0] * scale, image.shape[1] * scale)
    if channels == 3:
        rgb = np.repeat(image.reshape(image.shape[:2] + (1,)), 3, axis=2) if gray else image
        data = to_float(rgb)
        if output_factor(model) == 1:
            data = imresize(data, scale, method="bicubic").astype(np.float32)
        out = np.clip(run_model(model, data, tile=tile, overlap=overlap), 0.0, 1.0)
        if gray:
            out = out.mean(axis=2, keepdims=True)
    elif channels == 1:
        if gray:
            out = upscale_y(model, to_float(image.reshape(image.shape[:2])), scale, tile=tile, overlap=overlap)
            out = out[:, :, None]
        else:
            ycc = rgb_to_ycbcr(to_float(image))
            y_hr = upscale_y(model, ycc[:, :, 0], scale, tile=tile, overlap=overlap)
            # Cb and Cr in one imresize call; float32 in -> float32 out (no copy)
            chroma = imresize(np.ascontiguousarray(ycc[:, :, 1:]), scale, method="bicubic").astype(
                np.float32, copy=False)
            if y_hr.shape != expected:  # pragma: no cover - guarded by check_model_scale
                raise ValueError(f"model {model.name!r} produced {y_hr.shape} instead of {expected} for scale {scale}")
            # == to_uint8(ycbcr_to_rgb(stack of Y, Cb, Cr as float32)) bit for bit, in cache-sized blocks
            # without the concatenated/float64 full-size temporaries
            return _ycbcr_to_rgb_uint8(y_hr, chroma)
    else:
        raise ValueError(f"model {model.name!r} takes {channels} channels; only 1 (Y) and 3 (RGB) are supported")
    if out.shape[:2] != expected:
        raise ValueError(f"model {model.name!r} produced {out.shape[:2]} instead of {expected} for scale {scale}")
    result = to_uint8(np.clip(out, 0.0, 1.0))
    if image.ndim == 2:
        return result[:, :, 0]
    return result

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
- :func:`vgg19_feature_network`: the perceptual network ESRGAN uses, ImageNet VGG19 up to
  ``conv5_4`` before its ReLU, for online users: :func:`fetch_vgg19_weights` downloads Keras'
  published weights once (hash-checked); nothing downloads them by itself.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

from srlib._checks import check_channels, check_non_negative_int, check_positive_int

__all__ = ["patch_discriminator", "feature_network", "VGG19_WEIGHTS", "fetch_vgg19_weights", "vgg19_weights_path",
           "vgg19_feature_network", "PERCEPTUAL_NETWORKS"]

#: The perceptual networks the GAN objective can use (``perceptual_network`` setting).
PERCEPTUAL_NETWORKS: tuple[str, ...] = ("random", "vgg19")

#: Keras' ImageNet VGG19 weights without the classifier (what ``keras.applications.VGG19`` downloads),
#: with Keras' published MD5. The weights are the Oxford VGG group's (Simonyan & Zisserman, ICLR 2015),
#: released under CC BY 4.0: credit them if you publish results made with them.
VGG19_WEIGHTS: dict[str, str] = {
    "url": "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
           "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "known_hash": "md5:253f8cb515780f3b799900260a226db6",
    "fname": "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "size": "about 80 MB",
    "licence": "CC BY 4.0 (Oxford VGG: Simonyan & Zisserman, 'Very Deep Convolutional Networks', ICLR 2015)",
}

# ImageNet mean of the Caffe-style preprocessing the VGG weights expect (BGR order, 0..255 scale)
_VGG_MEAN_BGR = (103.939, 116.779, 123.68)


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


def _weights_folder(cache_dir: str | os.PathLike | None) -> Path:
    from srlib.data.registry import data_dir

    return data_dir(cache_dir) / "weights"


def vgg19_weights_path(cache_dir: str | os.PathLike | None = None, *,
                       known_hash: str | None = None) -> Path | None:
    """The cached ImageNet VGG19 weights if :func:`fetch_vgg19_weights` put them there, else ``None``.

    Never downloads. A cached file whose hash does not match is treated as absent.

    Parameters
    ----------
    cache_dir : str or os.PathLike, optional
        The data cache (default ``$SRLIB_DATA_DIR`` or the user cache, as for datasets); the
        weights live in its ``weights/`` folder.
    known_hash : str, optional
        ``"md5:<hex>"`` or ``"sha256:<hex>"`` the file must have (default: :data:`VGG19_WEIGHTS`, Keras'
        published MD5).

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    path = _weights_folder(cache_dir) / VGG19_WEIGHTS["fname"]
    if not path.is_file():
        return None
    known_hash = VGG19_WEIGHTS["known_hash"] if known_hash is None else known_hash
    kind, expected = known_hash.split(":", 1)
    if kind not in ("md5", "sha256"):
        raise ValueError(f"known_hash must start with 'md5:' or 'sha256:', got {known_hash!r}")
    import pooch  # the same hashing pooch applies to the download

    actual = pooch.file_hash(str(path), alg=kind)
    return path if actual == expected else None


def fetch_vgg19_weights(cache_dir: str | os.PathLike | None = None, *, progressbar: bool = False,
                        url: str | None = None, known_hash: str | None = None) -> Path:
    """Download Keras' ImageNet VGG19 weights (no classifier, about 80 MB) once, hash-checked.

    For online users who want ESRGAN's perceptual loss instead of the random feature network;
    the course itself never calls it. A second call finds the file and downloads nothing.

    Parameters
    ----------
    cache_dir : str or os.PathLike, optional
        As in :func:`vgg19_weights_path`.
    progressbar : bool
        Show a download progress bar.
    url, known_hash : str, optional
        Where from and the hash it must have (defaults: :data:`VGG19_WEIGHTS`; other values are
        for mirrors and for the tests).

    Returns
    -------
    pathlib.Path
        The weights file.

    Raises
    ------
    ValueError
        The download failed its hash check (it is deleted).
    ConnectionError
        No network, or the server refused.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    import pooch

    url = VGG19_WEIGHTS["url"] if url is None else url
    known_hash = VGG19_WEIGHTS["known_hash"] if known_hash is None else known_hash
    folder = _weights_folder(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return Path(pooch.retrieve(url, known_hash=known_hash, fname=VGG19_WEIGHTS["fname"], path=folder,
                                   progressbar=progressbar))
    except ValueError as err:  # pooch: hash mismatch, the file is deleted
        raise ValueError(f"the VGG19 weights downloaded from {url} failed their hash check ({err}); the download "
                         "was deleted. Try again later, or use perceptual_network='random'.") from err
    except OSError as err:
        raise ConnectionError(f"could not download the VGG19 weights from {url} ({err}); check your connection, "
                              "or use perceptual_network='random' (no download)") from err


def vgg19_feature_network(weights: str | os.PathLike | None = None, *, layer: str = "block5_conv4",
                          cache_dir: str | os.PathLike | None = None) -> keras.Model:
    """ESRGAN's perceptual network: ImageNet VGG19 up to ``layer``, before its ReLU (not trainable).

    Parameters
    ----------
    weights : str or os.PathLike, optional
        The VGG19 no-top weights (Keras' ``.h5``); default the file :func:`fetch_vgg19_weights`
        cached. Without them this raises: nothing is downloaded here.
    layer : str
        The last convolution kept, a Keras VGG19 layer name (``"block5_conv4"``: ESRGAN's
        ``conv5_4``; ``"block2_conv2"``, ... for shallower features).
    cache_dir : str or os.PathLike, optional
        Where to look for the cached weights (as :func:`vgg19_weights_path`).

    Returns
    -------
    keras.Model
        Input ``(None, None, 3)`` RGB in ``[0, 1]`` (the Caffe preprocessing the weights expect -
        BGR, 0-255, ImageNet mean removed - is the model's first, fixed layer), output the
        feature map of ``layer`` before its activation; ``trainable = False``.

    Raises
    ------
    FileNotFoundError
        No weights given and none cached (the message says how to fetch them).
    ValueError
        An unknown ``layer``.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """
    if weights is None:
        weights = vgg19_weights_path(cache_dir)
        if weights is None:
            raise FileNotFoundError("the ImageNet VGG19 weights are not in the cache; online, run "
                                    "srlib.models.gan.fetch_vgg19_weights() once (about 80 MB, hash-checked), "
                                    "or use the random feature network (perceptual_network='random')")
    path = Path(weights)
    if not path.is_file():
        raise FileNotFoundError(f"no VGG19 weights file at {str(path)!r}; fetch_vgg19_weights() downloads it")
    base = keras.applications.VGG19(include_top=False, weights=None, input_shape=(None, None, 3))
    base.load_weights(str(path))
    names = [item.name for item in base.layers]
    if layer not in names or "_conv" not in layer:
        raise ValueError(f"layer must be one of VGG19's convolutions ({[n for n in names if '_conv' in n]}), "
                         f"got {layer!r}")
    inputs = keras.Input(shape=(None, None, 3), name="image")
    # Caffe preprocessing as a fixed 1x1 convolution: 255 * (B, G, R) - ImageNet mean
    caffe = keras.layers.Conv2D(3, 1, name="caffe_preprocessing")
    x = caffe(inputs)
    caffe.set_weights([255.0 * np.eye(3, dtype=np.float32)[::-1].reshape(1, 1, 3, 3),
                       -np.asarray(_VGG_MEAN_BGR, np.float32)])
    for item in base.layers[1:names.index(layer) + 1]:
        if item.name == layer:  # the last convolution again, without its ReLU (ESRGAN: conv5_4 before ReLU)
            config = {**item.get_config(), "activation": None, "name": f"{layer}_before_relu"}
            last = keras.layers.Conv2D.from_config(config)
            x = last(x)
            last.set_weights(item.get_weights())
        else:
            x = item(x)
    model = keras.Model(inputs, x, name="vgg19_features")
    model.trainable = False
    return model

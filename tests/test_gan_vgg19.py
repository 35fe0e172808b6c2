"""The optional ImageNet VGG19 perceptual network (lesson 05): hash-checked download from a local
server, the cache lookup, the network itself, and the GAN objective's ``perceptual_network``.

Nothing here touches the network: the "weights" are a randomly initialised VGG19 written in the
legacy Keras HDF5 layout of the real file and served from 127.0.0.1.
"""
from __future__ import annotations

import hashlib
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")
h5py = pytest.importorskip("h5py")

from srlib.data import DATA_DIR_ENV  # noqa: E402
from srlib.models import gan  # noqa: E402
from srlib.training import GAN, TrainConfig  # noqa: E402


def _legacy_vgg19_file(path: Path, seed: int = 0) -> str:
    """A random VGG19 (no top) in the layout of Keras' published .h5 (layer_names / weight_names)."""
    model = keras.applications.VGG19(include_top=False, weights=None, input_shape=(None, None, 3))
    rng = np.random.default_rng(seed)
    with h5py.File(path, "w") as handle:
        handle.attrs["layer_names"] = [layer.name.encode() for layer in model.layers]
        for layer in model.layers:
            group = handle.create_group(layer.name)
            weights = layer.get_weights()
            names = [f"{layer.name}/{kind}:0" for kind in ("kernel", "bias")][:len(weights)]
            group.attrs["weight_names"] = [name.encode() for name in names]
            for name, value in zip(names, weights):
                scale = np.sqrt(2.0 / np.prod(value.shape[:-1])) if value.ndim == 4 else 0.01
                group[name] = rng.normal(0.0, scale, value.shape).astype(np.float32)
    return "md5:" + hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - the hash Keras publishes


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "served"
    root.mkdir()
    known_hash = _legacy_vgg19_file(root / gan.VGG19_WEIGHTS["fname"])

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "cache"))  # never the user's cache
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/{gan.VGG19_WEIGHTS['fname']}", known_hash
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_the_published_weights_entry_is_keras_own() -> None:
    from keras.src.applications import vgg19

    assert gan.VGG19_WEIGHTS["url"] == vgg19.WEIGHTS_PATH_NO_TOP
    assert gan.VGG19_WEIGHTS["known_hash"] == "md5:253f8cb515780f3b799900260a226db6"
    assert "CC BY 4.0" in gan.VGG19_WEIGHTS["licence"]


def test_fetch_checks_the_hash_and_the_cache_lookup_never_downloads(served, tmp_path: Path) -> None:
    url, known_hash = served
    assert gan.vgg19_weights_path(known_hash=known_hash) is None  # nothing cached yet
    with pytest.raises(ValueError, match="failed their hash check"):
        gan.fetch_vgg19_weights(url=url, known_hash="md5:" + "0" * 32)
    assert gan.vgg19_weights_path(known_hash=known_hash) is None  # the bad download was deleted
    path = gan.fetch_vgg19_weights(url=url, known_hash=known_hash)
    assert path == tmp_path / "cache" / "weights" / gan.VGG19_WEIGHTS["fname"] and path.is_file()
    assert gan.vgg19_weights_path(known_hash=known_hash) == path
    assert gan.vgg19_weights_path() is None  # the real MD5 does not match the stand-in
    with pytest.raises(ConnectionError, match="could not download"):
        gan.fetch_vgg19_weights(tmp_path / "other", url=url.rsplit("/", 1)[0] + "/missing.h5", known_hash=known_hash)


def test_the_feature_network_is_vgg19_before_its_relu_on_caffe_input(served, tmp_path: Path) -> None:
    url, known_hash = served
    path = gan.fetch_vgg19_weights(url=url, known_hash=known_hash)
    features = gan.vgg19_feature_network(path, layer="block2_conv2")
    assert not features.trainable
    image = np.random.default_rng(1).random((1, 32, 32, 3)).astype(np.float32)
    ours = np.asarray(features(image))
    base = keras.applications.VGG19(include_top=False, weights=None, input_shape=(None, None, 3))
    base.load_weights(str(path))
    upto = keras.Model(base.input, base.get_layer("block2_conv2").output)
    expected = np.asarray(upto(keras.applications.vgg19.preprocess_input(255.0 * image)))
    assert ours.shape == (1, 16, 16, 128)
    np.testing.assert_allclose(np.maximum(ours, 0), expected, rtol=1e-4, atol=1e-3)
    assert (ours < 0).mean() > 0.1  # before the ReLU: negative responses are kept
    assert gan.vgg19_feature_network(path).output.shape[-1] == 512  # block5_conv4 by default
    with pytest.raises(ValueError, match="one of VGG19's convolutions"):
        gan.vgg19_feature_network(path, layer="block3_pool")
    with pytest.raises(FileNotFoundError, match="fetch_vgg19_weights"):
        gan.vgg19_feature_network()  # the real weights are not cached here


def test_the_gan_objective_uses_vgg19_only_when_asked_and_available(served, monkeypatch) -> None:
    url, known_hash = served
    config = TrainConfig(model="srresnet", scale=4, out="unused", steps=1, objective="gan",
                         model_kwargs={"filters": 8, "blocks": 1},
                         objective_kwargs={"perceptual_network": "vgg19"})
    with pytest.raises(ValueError, match="perceptual_network must be one of"):
        GAN().check_kwargs({"perceptual_network": "alexnet"})
    with pytest.raises(ValueError, match="fetch_vgg19_weights"):
        GAN().build(config)  # not cached: a clear error, no download
    gan.fetch_vgg19_weights(url=url, known_hash=known_hash)
    monkeypatch.setitem(gan.VGG19_WEIGHTS, "known_hash", known_hash)  # accept the stand-in as "the" weights
    state = GAN().build(config)
    assert state.trainer.features.name == "vgg19_features"
    assert "ImageNet VGG19 conv5_4" in GAN().describe(config)
    assert "random VGG-style features, seed 0" in GAN().describe(TrainConfig(model="srresnet", scale=4, out="x",
                                                                             steps=1, objective="gan"))
    with pytest.raises(ValueError, match="needs an RGB model"):
        GAN().build(TrainConfig(model="espcn", scale=4, out="unused", steps=1, objective="gan",
                                objective_kwargs={"perceptual_network": "vgg19"}))

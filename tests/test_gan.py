"""Lesson 05's machinery: SRResNet, the Upscale layer, the GAN losses, discriminator, features,
the GAN trainer (gradients, EMA, resume; TensorFlow and JAX) and network interpolation."""
from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from srlib.models import build_model, srresnet  # noqa: E402
from srlib.models.gan import feature_network, patch_discriminator  # noqa: E402
from srlib.models.interpolation import Interpolator, check_alpha, interpolate_weights  # noqa: E402
from srlib.models.layers import Upscale, to_numpy  # noqa: E402
from srlib.training import GAN, TrainConfig, check_config, output_paths, train  # noqa: E402
from srlib.training import losses  # noqa: E402
from training_helpers import exact_rows, write_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TINY = {"filters": 8, "blocks": 1}


# ---- Upscale (the global skip) ---------------------------------------------------------------------
def _bilinear_reference(image: np.ndarray, r: int) -> np.ndarray:
    """Half-pixel-centred bilinear with clamped edges, written as a plain formula per output pixel."""
    def along(x, axis):
        n = x.shape[axis]
        coords = (np.arange(n * r) + 0.5) / r - 0.5
        low = np.clip(np.floor(coords).astype(int), 0, n - 1)
        high = np.clip(np.floor(coords).astype(int) + 1, 0, n - 1)
        frac = coords - np.floor(coords)
        shape = [1] * x.ndim
        shape[axis] = -1
        return (np.take(x, low, axis) * (1 - frac).reshape(shape) + np.take(x, high, axis) * frac.reshape(shape))
    return along(along(image, 1), 2)


@pytest.mark.parametrize("r", [2, 3, 4])
def test_upscale_layer_is_bilinear_and_nearest_on_any_size(r):
    x = np.random.default_rng(r).random((2, 5, 7, 3)).astype(np.float32)
    assert np.allclose(to_numpy(Upscale(r)(x)), _bilinear_reference(x, r), atol=1e-6)
    assert np.array_equal(to_numpy(Upscale(r, "nearest")(x)), x.repeat(r, 1).repeat(r, 2))
    with pytest.raises(ValueError, match="interpolation must be one of"):
        Upscale(r, "bicubic")


# ---- SRResNet ---------------------------------------------------------------------------------------
def test_srresnet_defaults_shapes_and_names():
    model = srresnet(4)
    assert model.count_params() == 522243 and model.name == "srresnet_x4"
    for scale in (2, 3, 4):
        out = to_numpy(build_model("srresnet", scale, **TINY)(np.zeros((1, 5, 7, 3), np.float32)))
        assert out.shape == (1, 5 * scale, 7 * scale, 3)


def test_srresnet_learns_a_residual_over_the_bilinear_input():
    model = srresnet(4, **TINY)
    tail = model.get_layer("tail")
    tail.set_weights([np.zeros_like(w) for w in tail.get_weights()])
    x = np.random.default_rng(0).random((1, 6, 5, 3)).astype(np.float32)
    assert np.allclose(to_numpy(model(x)), _bilinear_reference(x, 4), atol=1e-6)
    plain = srresnet(4, skip="none", **TINY)
    plain.get_layer("tail").set_weights([np.zeros_like(w) for w in plain.get_layer("tail").get_weights()])
    assert np.abs(to_numpy(plain(x))).max() == 0.0


@pytest.mark.parametrize("kwargs,message", [({"filters": 0}, "filters"), ({"blocks": -1}, "blocks must be"),
                                            ({"residual_scale": 0}, "residual_scale"), ({"skip": "cubic"}, "skip"),
                                            ({"channels": 2}, "channels must be 1")])
def test_srresnet_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        srresnet(4, **kwargs)


def test_srresnet_saves_and_loads_in_safe_mode(tmp_path):
    model = srresnet(2, **TINY)
    path = tmp_path / "g.keras"
    model.save(path)
    again = keras.saving.load_model(path, safe_mode=True)
    x = np.random.default_rng(1).random((1, 4, 4, 3)).astype(np.float32)
    assert np.allclose(to_numpy(model(x)), to_numpy(again(x)))


# ---- losses -------------------------------------------------------------------------------------------
def test_bce_and_relativistic_losses_match_their_formulas():
    logits = np.array([-2.0, 0.0, 3.0], np.float32)
    sigmoid = 1 / (1 + np.exp(-logits))
    assert math.isclose(float(losses.bce_with_logits(logits, 1)), -np.log(sigmoid).mean(), rel_tol=1e-5)
    assert math.isclose(float(losses.bce_with_logits(logits, 0)), -np.log(1 - sigmoid).mean(), rel_tol=1e-5)
    same = np.zeros((2, 3, 3, 1), np.float32)
    for loss in (losses.relativistic_discriminator_loss, losses.relativistic_generator_loss):
        assert math.isclose(float(loss(same, same)), math.log(2), rel_tol=1e-6)  # cannot tell them apart
    confident_real, fake = same + 4.0, same - 4.0  # the discriminator is winning
    assert float(losses.relativistic_discriminator_loss(confident_real, fake)) < 0.01
    assert float(losses.relativistic_generator_loss(confident_real, fake)) > 7.0
    with pytest.raises(ValueError, match="label 0"):
        losses.bce_with_logits(logits, 0.5)
    assert losses.ESRGAN_WEIGHTS == {"pixel": 1e-2, "perceptual": 1.0, "adversarial": 5e-3}


# ---- discriminator and feature network -------------------------------------------------------------
def test_patch_discriminator_gives_a_logit_per_patch():
    d = patch_discriminator(filters=8, max_filters=16)
    assert to_numpy(d(np.zeros((2, 48, 40, 3), np.float32))).shape == (2, 6, 5, 1)
    assert max(layer.filters for layer in d.layers if hasattr(layer, "filters")) == 16


def test_feature_network_is_fixed_seeded_and_frozen():
    a, b, c = feature_network(seed=0), feature_network(seed=0), feature_network(seed=1)
    assert not a.trainable and not a.trainable_variables
    assert all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])
    kernel = a.get_weights()[0]  # He-normal from a NumPy generator: the same numbers on every backend
    assert math.isclose(float(kernel.std()), math.sqrt(2 / 27), rel_tol=0.15)
    assert float(kernel.ravel()[0]) == pytest.approx(np.random.default_rng(0).normal(0, math.sqrt(2 / 27)), rel=1e-6)


# ---- the GAN trainer ----------------------------------------------------------------------------------
def _gan_state(tmp_path, **settings):
    config = check_config(TrainConfig(model="srresnet", scale=2, out=str(tmp_path), steps=1, model_kwargs=dict(TINY),
                                      objective="gan", objective_kwargs={"discriminator_filters": 4, **settings}))
    keras.utils.set_random_seed(0)
    return GAN().build(config)


def _batch(seed=0):
    rng = np.random.default_rng(seed)
    hr = rng.random((2, 16, 16, 3)).astype(np.float32)
    return hr.reshape(2, 8, 2, 8, 2, 3).mean(axis=(2, 4)), hr


def test_each_network_gets_exactly_its_own_gradient(tmp_path):
    """Summing the two losses (with their stop_gradients) gives G the generator loss's gradient and D the
    discriminator loss's - the property the one-optimizer train step rests on."""
    import tensorflow as tf

    trainer = _gan_state(tmp_path).trainer
    lr, hr = _batch()
    g, d = trainer.generator.trainable_variables, trainer.discriminator.trainable_variables
    feats = [v.value for v in trainer.features.variables]

    def grads(select, wrt):
        with tf.GradientTape() as tape:
            parts = trainer.losses_of([v.value for v in g], [v.value for v in d], feats, lr, hr)
            value = sum(parts[key] for key in select)
        return [np.zeros(v.shape) if t is None else t.numpy() for v, t in zip(wrt, tape.gradient(value, wrt))]

    combined = grads(("generator", "discriminator"), g + d)
    own = grads(("generator",), g) + grads(("discriminator",), d)
    assert all(np.allclose(a, b, atol=1e-7) for a, b in zip(combined, own))
    assert any(np.abs(x).max() > 0 for x in grads(("discriminator",), d))  # D does learn
    assert all(np.abs(x).max() == 0 for x in grads(("discriminator",), g))  # D's loss never moves G


def test_ema_generator_follows_the_formula_and_is_what_is_validated(tmp_path):
    state = _gan_state(tmp_path, ema_decay=0.75)
    trainer = state.trainer
    assert state.inference is trainer.ema and set(state.networks) == {"generator", "discriminator", "ema"}
    before_ema = [w.copy() for w in trainer.ema.get_weights()]
    assert all(np.array_equal(a, b) for a, b in zip(before_ema, trainer.generator.get_weights()))
    lr, hr = _batch()
    trainer.fit(x=lr, y=hr, batch_size=2, epochs=1, verbose=0)
    after_g = trainer.generator.get_weights()
    expected = [0.75 * e + 0.25 * g for e, g in zip(before_ema, after_g)]
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(trainer.ema.get_weights(), expected))
    assert not all(np.array_equal(a, b) for a, b in zip(before_ema, after_g))  # the step did move G


def test_gan_settings_are_checked(tmp_path):
    for kwargs, message in [({"adversarial": 1}, r"not settings of the gan objective"),
                            ({"ema_decay": 1.0}, "ema_decay must be"), ({"pixel_weight": -1}, "pixel_weight"),
                            ({"discriminator_filters": 0}, "discriminator_filters")]:
        with pytest.raises(ValueError, match=message):
            check_config(TrainConfig(model="srresnet", scale=4, out=str(tmp_path), objective="gan",
                                     objective_kwargs=kwargs))
    with pytest.raises(ValueError, match="pixel objective takes no objective kwargs"):
        check_config(TrainConfig(model="srresnet", scale=4, out=str(tmp_path), objective_kwargs={"ema_decay": 0.5}))
    text = GAN().describe(check_config(TrainConfig(model="srresnet", scale=4, out=str(tmp_path), objective="gan")))
    assert "0.01 L1 + 1 perceptual" in text and "0.005 relativistic adversarial" in text


def _gan_config(data, out, init, **overrides):
    settings = dict(model="srresnet", scale=2, out=str(out), data=[str(data)], steps=4, batch_size=2, val_every=2,
                    patch_size=16, val_split=1, verbose=0, workers=1, model_kwargs=dict(TINY), objective="gan",
                    objective_kwargs={"discriminator_filters": 4}, init_weights=str(init), lr=1e-3)
    settings.update(overrides)
    return TrainConfig(**settings)


_RUN_SCRIPT = """
import json, sys
from pathlib import Path
import keras, numpy as np
sys.path.insert(0, sys.argv[2])
from test_gan import _interrupted_and_whole
print(json.dumps(_interrupted_and_whole(Path(sys.argv[1]))))
"""


def _interrupted_and_whole(root: Path) -> dict:
    """Pixel run, then a GAN run from it: once whole, once killed after 3 steps and resumed."""
    from srlib.pretrained import load_weights_file

    data = write_data(root / "hr")
    pixel = dict(model="srresnet", scale=2, data=[str(data)], steps=2, batch_size=2, val_every=2, patch_size=16,
                 val_split=1, verbose=0, workers=1, model_kwargs=dict(TINY))
    train(TrainConfig(out=str(root / "pixel"), **pixel))
    init = output_paths(root / "pixel", "srresnet", 2)["weights"]
    train(_gan_config(data, root / "whole", init))

    class Interrupt(keras.callbacks.Callback):
        seen = 0

        def on_train_batch_end(self, batch, logs=None):
            Interrupt.seen += 1
            if Interrupt.seen == 3:
                raise KeyboardInterrupt

    try:
        train(_gan_config(data, root / "resumed", init), callbacks=[Interrupt()])
    except KeyboardInterrupt:
        pass
    train(_gan_config(data, root / "resumed", init, resume=True))
    paths = [output_paths(root / name, "srresnet", 2) for name in ("whole", "resumed")]
    weights = [load_weights_file(p["weights"], "srresnet", 2, **TINY).get_weights() for p in paths]
    card = paths[0]["card"].read_text()
    return {"backend": keras.backend.backend(), "rows": exact_rows(paths[0]["csv"]),
            "same_rows": exact_rows(paths[0]["csv"]) == exact_rows(paths[1]["csv"]),
            "same_weights": all(np.array_equal(a, b) for a, b in zip(*weights)),
            "moved": not all(np.array_equal(a, b) for a, b in
                             zip(weights[0], load_weights_file(init, "srresnet", 2, **TINY).get_weights())),
            "card_says_gan": "relativistic adversarial" in card and "RGB" in card}


def _check(outcome, backend):
    assert outcome["backend"] == backend and [row[0] for row in outcome["rows"]] == ["2", "4"]
    assert outcome["same_rows"] and outcome["same_weights"] and outcome["moved"] and outcome["card_says_gan"]


@pytest.mark.slow
def test_gan_run_resumes_bit_identically_on_tensorflow(tmp_path):
    _check(_interrupted_and_whole(tmp_path), "tensorflow")


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax is not installed (pip install srlib[jax])")
def test_gan_run_resumes_bit_identically_on_jax(tmp_path):
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    result = subprocess.run([sys.executable, "-c", _RUN_SCRIPT, str(tmp_path), str(ROOT / "tests")], env=env,
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    _check(json.loads(result.stdout.strip().splitlines()[-1]), "jax")


# ---- network interpolation ----------------------------------------------------------------------------
def test_network_interpolation_blends_weight_by_weight():
    pixel, gan = srresnet(2, **TINY), srresnet(2, **TINY)
    for alpha in (0.0, 0.3, 1.0):
        blended = interpolate_weights(pixel, gan, alpha).get_weights()
        for p, g, b in zip(pixel.get_weights(), gan.get_weights(), blended):
            assert np.allclose(b, (1 - alpha) * p + alpha * g, atol=1e-7)
    interpolator = Interpolator(pixel, gan)
    assert interpolator.at(0.5) is interpolator.model and interpolator.alpha == 0.5
    x = np.random.default_rng(0).random((1, 5, 5, 3)).astype(np.float32)
    assert np.allclose(to_numpy(interpolator.at(0.0)(x)), to_numpy(pixel(x)), atol=1e-6)
    with pytest.raises(ValueError, match="differ in number or shape"):
        Interpolator(pixel, srresnet(2, filters=8, blocks=2))
    for bad in (-0.1, 1.5, True, "0.5"):
        with pytest.raises(ValueError, match=r"alpha must be a number in \[0, 1\]"):
            check_alpha(bad)


# ---- the interpolation widget ------------------------------------------------------------------------
def test_interpolation_explorer_moves_along_alpha_and_scores_each_position():
    from srlib.data import default_images, make_lr
    from srlib.images import modcrop
    from srlib.widgets import interpolation_explorer

    keras.utils.set_random_seed(0)
    pixel, gan = srresnet(2, **TINY), srresnet(2, **TINY)
    hr = modcrop(default_images(size=200, names=["astronaut"])["astronaut"], 2)
    explorer = interpolation_explorer(pixel, gan, make_lr(hr, 2), hr, 2, alpha=0.0)
    first = explorer.zoom.value
    explorer.alpha.value = 1.0
    assert explorer.zoom.value != first and set(explorer.scores) == {0.0, 1.0}
    assert explorer.scores[0.0]["psnr"] != explorer.scores[1.0]["psnr"]
    assert "#fff4e6'><td>1.0</td>" in explorer.caption.value  # the shown alpha's row is highlighted
    assert set(explorer.scores[1.0]) == {"psnr", "ssim", "niqe", "grid", "seconds"}
    with pytest.raises(ValueError, match="ground truth of lr"):
        interpolation_explorer(pixel, gan, make_lr(hr, 2), hr[:-2], 2)


def test_interpolation_latency_reports_cold_and_warm_moves():
    from srlib.widgets import interpolation_latency

    timing = interpolation_latency(64, moves=2, scale=2)
    assert set(timing) == {"cold_ms", "warm_ms", "size", "moves"} and timing["size"] == 64
    assert 0 < timing["warm_ms"] < timing["cold_ms"]  # a visited alpha is only redrawn

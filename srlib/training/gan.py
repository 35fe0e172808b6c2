"""The GAN trainer: one ``train_step`` updating a generator and a discriminator (TensorFlow and JAX).

:class:`GANTrainer` is a ``keras.Model`` that holds the generator, the discriminator, the
fixed perceptual feature network and an exponential moving average (EMA) of the
generator. ``fit()`` runs its ``train_step``; one step is

1. SR = G(LR); the generator loss ``w_pix L1 + w_perc perceptual + w_adv RaGAN_G``
   with the discriminator's weights held fixed;
2. the discriminator loss RaGAN_D on HR and the SR with its gradient stopped;
3. one Adam update of both networks; the EMA generator moves towards G.

Both gradients are taken at the same ``(G, D)``, exactly as ESRGAN's reference code
(BasicSR computes SR once, updates G, then D on that detached SR). The losses are written
once, with ``keras.ops`` and ``stateless_call`` (:meth:`GANTrainer.losses`); only taking
the gradient is backend-specific: ``tf.GradientTape`` on TensorFlow, ``jax.value_and_grad``
in Keras' stateless ``train_step(state, data)`` on JAX.

One Adam over both networks' variables is the same as one Adam per network with the same
hyperparameters (Adam is per-parameter, and both take one step per batch); ESRGAN uses
the same settings (lr 1e-4, betas 0.9/0.99) for both. It keeps Keras' single-optimizer
``fit()`` on every backend.

Taught in ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

from typing import Any

import keras
from keras import ops

from srlib.training.losses import (feature_loss, l1_loss, relativistic_discriminator_loss,
                                   relativistic_generator_loss)

__all__ = ["GANTrainer", "LOSS_NAMES"]

#: What one step logs (means over the interval): the generator's total and its terms, the discriminator's loss.
LOSS_NAMES: tuple[str, ...] = ("loss", "pixel", "perceptual", "adversarial", "discriminator")


class GANTrainer(keras.Model):
    """Generator + discriminator + fixed feature network + EMA generator, trained by ``fit()``.

    Parameters
    ----------
    generator : keras.Model
        The SR network (LR in, HR out), e.g. :func:`srlib.models.srresnet`.
    discriminator : keras.Model
        Logits for HR-sized images, e.g. :func:`srlib.models.gan.patch_discriminator`.
    features : keras.Model
        The frozen perceptual network, e.g. :func:`srlib.models.gan.feature_network`.
    ema : keras.Model
        A second copy of the generator's architecture; it receives the EMA of G's weights.
    weights : dict
        ``{"pixel": w, "perceptual": w, "adversarial": w}``.
    ema_decay : float
        EMA weight of the old average per step (ESRGAN/Real-ESRGAN: 0.999); 0 copies G.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model, features: keras.Model,
                 ema: keras.Model, weights: dict[str, float], ema_decay: float = 0.999, **kwargs: Any) -> None:
        super().__init__(name=kwargs.pop("name", "gan_trainer"), **kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.features = features
        self.ema = ema
        self.features.trainable = False
        self.ema.trainable = False
        self.ema.set_weights(generator.get_weights())
        self.loss_weights_ = {key: float(weights[key]) for key in ("pixel", "perceptual", "adversarial")}
        self.ema_decay = float(ema_decay)
        self.trackers = [keras.metrics.Mean(name=name) for name in LOSS_NAMES]
        self.built = True
        ids = [id(v) for v in self.trainable_variables]
        if ids != [id(v) for v in generator.trainable_variables + discriminator.trainable_variables]:
            raise RuntimeError("GANTrainer expects its trainable variables to be the generator's then the "
                               "discriminator's")  # pragma: no cover - guards the index bookkeeping below
        self._n_generator = len(generator.trainable_variables)
        position = {id(v): i for i, v in enumerate(self.non_trainable_variables)}
        self._feature_index = [position[id(v)] for v in features.variables]
        self._ema_index = [position[id(v)] for v in ema.variables]

    @property
    def metrics(self) -> list[Any]:
        return list(self.trackers)

    def call(self, inputs: Any, training: bool = False) -> Any:
        return self.generator(inputs, training=training)

    def losses_of(self, generator_weights: list[Any], discriminator_weights: list[Any],
                  feature_weights: list[Any], lr: Any, hr: Any) -> dict[str, Any]:
        """Every loss of one step from explicit weight values (backend-agnostic, ``keras.ops`` only).

        Returns a dict with ``"generator"`` (the weighted total), ``"pixel"``,
        ``"perceptual"``, ``"adversarial"`` and ``"discriminator"``. The generator's
        adversarial term sees the discriminator's weights through ``stop_gradient``; the
        discriminator's loss sees SR through ``stop_gradient``: summing the two totals and
        differentiating gives each network exactly its own gradient.
        """
        sr, _ = self.generator.stateless_call(generator_weights, [], lr, training=True)
        fixed = [ops.stop_gradient(weight) for weight in discriminator_weights]
        real_fixed, _ = self.discriminator.stateless_call(fixed, [], hr, training=True)
        fake_for_g, _ = self.discriminator.stateless_call(fixed, [], sr, training=True)
        sr_features, _ = self.features.stateless_call([], feature_weights, sr)
        hr_features, _ = self.features.stateless_call([], feature_weights, hr)
        pixel = l1_loss(sr, hr)
        perceptual = feature_loss(sr_features, ops.stop_gradient(hr_features))
        adversarial = relativistic_generator_loss(real_fixed, fake_for_g)
        w = self.loss_weights_
        generator = w["pixel"] * pixel + w["perceptual"] * perceptual + w["adversarial"] * adversarial
        real, _ = self.discriminator.stateless_call(discriminator_weights, [], hr, training=True)
        fake, _ = self.discriminator.stateless_call(discriminator_weights, [], ops.stop_gradient(sr), training=True)
        discriminator = relativistic_discriminator_loss(real, fake)
        return {"loss": generator, "generator": generator, "pixel": pixel, "perceptual": perceptual,
                "adversarial": adversarial, "discriminator": discriminator}

    def train_step(self, *args: Any) -> Any:
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args)
        if keras.backend.backend() == "tensorflow":
            return self._tensorflow_train_step(*args)
        raise NotImplementedError(f"GANTrainer has train steps for TensorFlow and JAX, not "
                                  f"{keras.backend.backend()!r}; set KERAS_BACKEND=tensorflow or jax")

    # ---- TensorFlow ------------------------------------------------------------------------------
    def _tensorflow_train_step(self, data: Any) -> dict[str, Any]:
        import tensorflow as tf

        lr, hr = data
        g_vars = list(self.generator.trainable_variables)
        d_vars = list(self.discriminator.trainable_variables)
        with tf.GradientTape() as tape:
            parts = self.losses_of([v.value for v in g_vars], [v.value for v in d_vars],
                                   [v.value for v in self.features.variables], lr, hr)
            total = parts["generator"] + parts["discriminator"]
        gradients = tape.gradient(total, g_vars + d_vars)
        self.optimizer.apply(gradients, g_vars + d_vars)
        decay = self.ema_decay
        for average, variable in zip(self.ema.variables, self.generator.variables):
            average.assign(decay * average + (1.0 - decay) * variable)
        for tracker in self.trackers:
            tracker.update_state(parts[tracker.name])
        return {tracker.name: tracker.result() for tracker in self.trackers}

    # ---- JAX (Keras' stateless train_step) -------------------------------------------------------
    def _jax_train_step(self, state: Any, data: Any) -> tuple[dict[str, Any], Any]:
        import jax

        trainable, non_trainable, optimizer_variables, metrics_variables = state
        lr, hr = data
        n = self._n_generator
        feature_weights = [non_trainable[i] for i in self._feature_index]

        def total(values: list[Any]) -> tuple[Any, dict[str, Any]]:
            parts = self.losses_of(values[:n], values[n:], feature_weights, lr, hr)
            return parts["generator"] + parts["discriminator"], parts

        (_, parts), gradients = jax.value_and_grad(total, has_aux=True)(list(trainable))
        trainable, optimizer_variables = self.optimizer.stateless_apply(optimizer_variables, gradients,
                                                                        list(trainable))
        non_trainable = list(non_trainable)
        decay = self.ema_decay
        for k, index in enumerate(self._ema_index):
            non_trainable[index] = decay * non_trainable[index] + (1.0 - decay) * trainable[k]
        logs, new_metrics, start = {}, [], 0
        for tracker in self.trackers:
            count = len(tracker.variables)
            values = tracker.stateless_update_state(metrics_variables[start:start + count], parts[tracker.name])
            logs[tracker.name] = tracker.stateless_result(values)
            new_metrics.extend(values)
            start += count
        return logs, (trainable, non_trainable, optimizer_variables, new_metrics)

"""What a training run minimises, and with which networks and optimisers.

The loop (:mod:`srlib.training.loop`) knows nothing about losses. It asks an *objective*
to :meth:`Objective.build` a :class:`TrainingState` and then, interval by interval, runs
``state.trainer.fit(...)`` on batches of ``(network input, HR target)`` patches, sets the
learning rate with :meth:`TrainingState.set_learning_rate`, validates ``state.inference``
with the evaluation protocol, and checkpoints every variable of ``state.networks`` and
``state.optimizers`` (so a resumed run is bit-identical to an uninterrupted one).

Today's objective, :class:`PixelLoss`, is the papers' one: Adam + mean squared error on Y,
with Keras' own ``train_step`` (which already works on every backend). An objective with
two networks and two optimisers (a GAN) returns a ``trainer`` that is a ``keras.Model``
subclass holding both and overriding ``train_step``; where Keras 3 needs a
backend-specific step, write one method per backend (``GradientTape`` on TensorFlow, the
stateless ``train_step(state, data)`` on JAX) and choose it with
``keras.backend.backend()``. Register it in :data:`OBJECTIVES`.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    import keras

    from srlib.training.config import TrainConfig

__all__ = ["TrainingState", "Objective", "PixelLoss", "GAN", "GAN_DEFAULTS", "OBJECTIVES", "get_objective"]


@dataclasses.dataclass
class TrainingState:
    """The trainable state of one run.

    Attributes
    ----------
    trainer : keras.Model
        Compiled; what ``fit()`` runs (one ``train_step`` = one update of everything).
    networks : dict of str to keras.Model
        Every network whose weights a checkpoint must hold (``{"model": ...}``, or
        ``{"generator": ..., "discriminator": ...}``).
    optimizers : dict of str to keras.optimizers.Optimizer
        Every optimiser whose state a checkpoint must hold.
    inference : keras.Model
        The network that is validated and written as the run's weights (the generator).
    """

    trainer: "keras.Model"
    networks: dict[str, "keras.Model"]
    optimizers: dict[str, Any]
    inference: "keras.Model"

    def set_learning_rate(self, learning_rate: float) -> None:
        """Set every optimiser's learning rate (the schedule calls this before each interval)."""
        for optimizer in self.optimizers.values():
            optimizer.learning_rate = learning_rate

    def build_optimizers(self) -> None:
        """Create the optimisers' slot variables now (before a checkpoint is restored into them)."""
        for name, optimizer in self.optimizers.items():
            if not optimizer.built:
                network = self.networks.get(name, self.trainer)
                optimizer.build(network.trainable_variables)


class Objective(Protocol):
    """The interface :func:`srlib.training.train` needs from an objective."""

    name: str

    def check_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Validate ``config.objective_kwargs`` (ValueError naming the bad one); return them with defaults."""

    def describe(self, config: "TrainConfig") -> str:
        """One line for the model card, e.g. ``"Adam, MSE loss"``."""

    def build(self, config: "TrainConfig") -> TrainingState:
        """Build networks, optimisers and the compiled trainer for a checked config."""


class PixelLoss:
    """Adam + a pixel loss between the network output and the HR patch (Y, or RGB for RGB models).

    The loss is the model's registered ``pixel_loss``: mean squared error for SRCNN, FSRCNN
    and ESPCN (their papers), mean absolute error (L1) for SRResNet (EDSR, ESRGAN: L1
    converges to sharper results than MSE).

    Notes
    -----
    ``init_weights`` (fine-tuning) loads through
    :func:`srlib.pretrained.load_weights_file`, the one checked weights-loading path.
    Taught in ``03_srcnn.ipynb``.
    """

    name = "pixel"
    def check_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The pixel objective takes no settings."""
        if kwargs:
            raise ValueError(f"the pixel objective takes no objective kwargs, got {sorted(kwargs)}")
        return {}

    def describe(self, config: "TrainConfig") -> str:
        """``"Adam, MSE loss"`` or ``"Adam, L1 loss"`` (the model's registered pixel loss)."""
        from srlib.models.registry import model_spec

        return f"Adam, {model_spec(config.model).pixel_loss.upper()} loss"

    def build(self, config: "TrainConfig") -> TrainingState:
        """The model (fresh or from ``config.init_weights``) compiled with Adam and its pixel loss."""
        import keras

        from srlib.models.registry import build_model, model_spec

        if config.init_weights:
            from srlib.pretrained import load_weights_file

            model = load_weights_file(config.init_weights, config.model, config.scale, **config.model_kwargs)
        else:
            model = build_model(config.model, config.scale, **config.model_kwargs)
        loss = {"mse": "mean_squared_error", "l1": "mean_absolute_error"}[model_spec(config.model).pixel_loss]
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=config.lr), loss=loss)
        return TrainingState(trainer=model, networks={"model": model}, optimizers={"model": model.optimizer},
                             inference=model)


#: The GAN objective's settings (``objective_kwargs``) and their defaults: ESRGAN's loss weights, its EMA.
GAN_DEFAULTS: dict[str, Any] = {"pixel_weight": 1e-2, "perceptual_weight": 1.0, "adversarial_weight": 5e-3,
                                "ema_decay": 0.999, "discriminator_filters": 32, "feature_seed": 0,
                                "perceptual_network": "random"}


class GAN:
    """ESRGAN's objective: L1 + perceptual + relativistic adversarial loss, a patch discriminator, EMA.

    Settings (``objective_kwargs``, defaults in :data:`GAN_DEFAULTS`): ``pixel_weight``
    (1e-2), ``perceptual_weight`` (1), ``adversarial_weight`` (5e-3), ``ema_decay``
    (0.999), ``discriminator_filters`` (32; capped at 128 by
    :func:`srlib.models.gan.patch_discriminator`), ``feature_seed`` (0; the random
    perceptual network of :func:`srlib.models.gan.feature_network`), ``perceptual_network``
    (``"random"``, the default and offline, or ``"vgg19"``: ESRGAN's ImageNet VGG19 ``conv5_4``
    features, :func:`srlib.models.gan.vgg19_feature_network`, RGB models only, once
    :func:`srlib.models.gan.fetch_vgg19_weights` has cached the weights).

    The generator starts from ``init_weights`` (the pixel-loss run: ESRGAN's two phases);
    the discriminator from scratch. One Adam (betas 0.9, 0.99 as ESRGAN) updates both (see
    :mod:`srlib.training.gan`). What is validated and saved is the EMA generator.

    Notes
    -----
    Taught in ``05_gan_super_resolution.ipynb``.
    """

    name = "gan"

    def check_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Unknown names and out-of-range values are a ValueError; returns the settings with defaults."""
        unknown = sorted(set(kwargs) - set(GAN_DEFAULTS))
        if unknown:
            raise ValueError(f"objective kwargs {unknown} are not settings of the gan objective; "
                             f"allowed: {sorted(GAN_DEFAULTS)}")
        settings = {**GAN_DEFAULTS, **kwargs}
        for key in ("pixel_weight", "perceptual_weight", "adversarial_weight"):
            value = settings[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{key} must be a non-negative number (ESRGAN: {GAN_DEFAULTS[key]}), got {value!r}")
            settings[key] = float(value)
        decay = settings["ema_decay"]
        if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not 0.0 <= decay < 1.0:
            raise ValueError(f"ema_decay must be a number in [0, 1) (0.999; 0 disables the average), got {decay!r}")
        settings["ema_decay"] = float(decay)
        for key in ("discriminator_filters", "feature_seed"):
            value = settings[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key.endswith("filters") else 0):
                raise ValueError(f"{key} must be a {'positive' if key.endswith('filters') else 'non-negative'} "
                                 f"integer, got {value!r}")
        from srlib.models.gan import PERCEPTUAL_NETWORKS

        if settings["perceptual_network"] not in PERCEPTUAL_NETWORKS:
            raise ValueError(f"perceptual_network must be one of {PERCEPTUAL_NETWORKS} ('random' needs no download), "
                             f"got {settings['perceptual_network']!r}")
        return settings

    def describe(self, config: "TrainConfig") -> str:
        """The loss as a formula with its weights, the discriminator and the EMA."""
        s = self.check_kwargs(config.objective_kwargs)
        features = ("ImageNet VGG19 conv5_4 features" if s["perceptual_network"] == "vgg19"
                    else f"random VGG-style features, seed {s['feature_seed']}")
        return (f"Adam (betas 0.9, 0.99) on generator + discriminator; generator loss {s['pixel_weight']:g} L1 "
                f"+ {s['perceptual_weight']:g} perceptual ({features}) "
                f"+ {s['adversarial_weight']:g} relativistic adversarial; patch discriminator "
                f"({s['discriminator_filters']} filters); EMA generator (decay {s['ema_decay']:g}) validated and saved")

    def build(self, config: "TrainConfig") -> TrainingState:
        """Generator (from ``init_weights`` if given), discriminator, features, EMA copy, one Adam."""
        import keras

        from srlib.models.gan import feature_network, patch_discriminator, vgg19_feature_network
        from srlib.models.registry import build_model, model_spec
        from srlib.training.gan import GANTrainer

        settings = self.check_kwargs(config.objective_kwargs)
        if config.init_weights:
            from srlib.pretrained import load_weights_file

            generator = load_weights_file(config.init_weights, config.model, config.scale, **config.model_kwargs)
        else:
            generator = build_model(config.model, config.scale, **config.model_kwargs)
        channels = model_spec(config.model).channels
        if settings["perceptual_network"] == "vgg19":
            if channels != 3:
                raise ValueError(f"perceptual_network='vgg19' needs an RGB model; {config.model} sees "
                                 f"{channels} channel(s): use perceptual_network='random'")
            try:
                features = vgg19_feature_network()
            except FileNotFoundError as err:
                raise ValueError(str(err)) from err
        else:
            features = feature_network(channels, seed=settings["feature_seed"])
        trainer = GANTrainer(generator, patch_discriminator(channels, filters=settings["discriminator_filters"]),
                             features,
                             build_model(config.model, config.scale, **config.model_kwargs),
                             weights={"pixel": settings["pixel_weight"], "perceptual": settings["perceptual_weight"],
                                      "adversarial": settings["adversarial_weight"]},
                             ema_decay=settings["ema_decay"])
        optimizer = keras.optimizers.Adam(learning_rate=config.lr, beta_1=0.9, beta_2=0.99)
        trainer.compile(optimizer=optimizer)
        return TrainingState(trainer=trainer, optimizers={"trainer": optimizer}, inference=trainer.ema,
                             networks={"generator": generator, "discriminator": trainer.discriminator,
                                       "ema": trainer.ema})


#: Objective name -> objective (the ``objective`` field of :class:`srlib.training.TrainConfig`).
OBJECTIVES: dict[str, Objective] = {"pixel": PixelLoss(), "gan": GAN()}


def get_objective(name: str) -> Objective:
    """The registered objective called ``name``. Taught in ``03_srcnn.ipynb``."""
    if name not in OBJECTIVES:
        raise ValueError(f"unknown objective {name!r}; choose one of {tuple(OBJECTIVES)}")
    return OBJECTIVES[name]

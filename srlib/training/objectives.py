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

__all__ = ["TrainingState", "Objective", "PixelLoss", "OBJECTIVES", "get_objective"]


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
                network = self.networks.get(name, self.inference)
                optimizer.build(network.trainable_variables)


class Objective(Protocol):
    """The interface :func:`srlib.training.train` needs from an objective."""

    name: str
    #: one line for the model card, e.g. ``"Adam, MSE loss on Y"``
    description: str

    def build(self, config: "TrainConfig") -> TrainingState:
        """Build networks, optimisers and the compiled trainer for a checked config."""


class PixelLoss:
    """Adam + a pixel loss (mean squared error) between the network output and the HR Y patch.

    Notes
    -----
    ``init_weights`` (fine-tuning) loads through
    :func:`srlib.pretrained.load_weights_file`, the one checked weights-loading path.
    Taught in ``03_srcnn.ipynb``.
    """

    name = "pixel"
    description = "Adam, MSE loss"

    def build(self, config: "TrainConfig") -> TrainingState:
        """The model (fresh or from ``config.init_weights``) compiled with Adam and MSE."""
        import keras

        from srlib.models.registry import build_model

        if config.init_weights:
            from srlib.pretrained import load_weights_file

            model = load_weights_file(config.init_weights, config.model, config.scale, **config.model_kwargs)
        else:
            model = build_model(config.model, config.scale, **config.model_kwargs)
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=config.lr), loss="mean_squared_error")
        return TrainingState(trainer=model, networks={"model": model}, optimizers={"model": model.optimizer},
                             inference=model)


#: Objective name -> objective (the ``objective`` field of :class:`srlib.training.TrainConfig`).
OBJECTIVES: dict[str, Objective] = {"pixel": PixelLoss()}


def get_objective(name: str) -> Objective:
    """The registered objective called ``name``. Taught in ``03_srcnn.ipynb``."""
    if name not in OBJECTIVES:
        raise ValueError(f"unknown objective {name!r}; choose one of {tuple(OBJECTIVES)}")
    return OBJECTIVES[name]

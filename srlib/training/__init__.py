"""Training: ``python -m srlib train`` (lesson 03).

- :mod:`~srlib.training.config`: :class:`TrainConfig`, :func:`check_config`, the schedules
  (imports without Keras);
- :mod:`~srlib.training.objectives`: what is minimised (:class:`PixelLoss`: Adam + the model's
  pixel loss; :class:`GAN`: ESRGAN's adversarial fine-tuning, lesson 05);
- :mod:`~srlib.training.losses`, :mod:`~srlib.training.gan`: the GAN's losses (``keras.ops``)
  and its two-network ``train_step`` (TensorFlow and JAX);
- :mod:`~srlib.training.loop`: :func:`train` - intervals, time budget, validation, logs,
  checkpoints and resume, for any objective;
- :mod:`~srlib.training.checkpoints`: atomic files, the resumable state, the run's identity;
- :mod:`~srlib.training.card`, :mod:`~srlib.training.hardware`: the model card.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

from srlib.training.card import command_line, model_card
from srlib.training.checkpoints import OutOfSpaceError
from srlib.training.config import COSINE_FLOOR, SCHEDULES, STRATEGIES, TrainConfig, check_config, learning_rate_at
from srlib.training.hardware import hardware_summary
from srlib.training.loop import LOG_FIELDS, output_paths, run_identity, train, validation_psnr
from srlib.training.objectives import GAN, GAN_DEFAULTS, OBJECTIVES, PixelLoss, TrainingState, get_objective

__all__ = ["SCHEDULES", "STRATEGIES", "COSINE_FLOOR", "TrainConfig", "check_config", "learning_rate_at",
           "LOG_FIELDS", "output_paths", "validation_psnr", "run_identity", "train", "OBJECTIVES", "PixelLoss", "GAN", "GAN_DEFAULTS",
           "TrainingState", "get_objective", "OutOfSpaceError", "model_card", "command_line", "hardware_summary"]

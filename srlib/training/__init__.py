"""Training: ``python -m srlib train`` (lesson 03)."""
from __future__ import annotations

from srlib.training.loop import SCHEDULES, STRATEGIES, LOG_FIELDS, COSINE_FLOOR, TrainConfig, check_config, learning_rate_at, hardware_summary, validation_psnr, output_paths, train, model_card, command_line

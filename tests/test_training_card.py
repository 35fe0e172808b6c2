"""Tests of srlib.training.card: the model card and the recorded command line."""
from __future__ import annotations

from srlib.training.card import command_line, model_card


def test_model_card_renders_without_rows():
    summary = {"config": {"model": "srcnn", "scale": 2, "command": None, "patch_size": 32, "min_std": 0.0,
                          "seed": 0, "steps": 5, "batch_size": 2, "lr": 1e-3, "schedule": "cosine",
                          "max_minutes": None},
               "final": {}, "data": {"folders": ["x"], "images": 3}, "hardware": {}, "train_images": 3,
               "validation": "none", "val_images": [], "rows": []}
    text = model_card(summary)
    assert text.startswith("# Model card: srcnn_x2") and "srlib.training.train" in text
    assert "Adam, MSE loss" in text
    summary["objective"] = {"name": "other", "description": "two optimisers, adversarial loss"}
    assert "two optimisers, adversarial loss" in model_card(summary)


def test_command_line_is_shell_quoted():
    assert command_line(["train", "srcnn", "--data", "my photos"]) == "python -m srlib train srcnn --data 'my photos'"


def test_a_long_validation_list_stays_one_short_line():
    summary = {"config": {"model": "srcnn", "scale": 2, "command": None, "patch_size": 32, "min_std": 0.0,
                          "seed": 0, "steps": 5, "batch_size": 2, "lr": 1e-3, "schedule": "cosine",
                          "max_minutes": None},
               "final": {}, "data": {"folders": ["x"], "images": 3}, "hardware": {}, "train_images": 3,
               "validation": "val_data folders", "val_images": [f"img_{i:04d}" for i in range(1890)], "rows": []}
    line = next(line for line in model_card(summary).splitlines() if "validation:" in line)
    assert "img_0000, img_0001" in line and "img_0011 and 1878 more (1890 in all)" in line and "img_0012" not in line
    summary["val_images"] = ["a", "b"]
    assert model_card(summary).count("validation: val_data folders: a, b\n") == 1

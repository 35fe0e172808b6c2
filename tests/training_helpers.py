"""Shared by the training tests: a tiny image folder, a tiny config, reading a run's results."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from srlib.images import write_image
from srlib.training import TrainConfig

#: the log columns that must repeat exactly between two runs of the same seed (``elapsed`` is wall time)
EXACT_FIELDS = ("step", "loss", "val_psnr", "bicubic_psnr", "lr")


def textured_image(seed: int, size: int = 40) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    base = 120 + 60 * np.sin(xx / (3 + seed)) * np.cos(yy / 5) + rng.normal(0, 8, (size, size))
    return np.clip(np.stack([base, base * 0.8 + 20, 255 - base], axis=2), 0, 255).astype(np.uint8)


def write_data(folder: Path, count: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        write_image(folder / f"img{index}.png", textured_image(index))
    return folder


def tiny_config(data_dir: Path, out: Path, **overrides) -> TrainConfig:
    settings = dict(model="espcn", scale=2, out=str(out), data=[str(data_dir)], steps=6, batch_size=4,
                    val_every=3, patch_size=16, val_split=1, verbose=0, workers=1)
    settings.update(overrides)
    return TrainConfig(**settings)


def cli_args(data_dir: Path, out: Path, steps: int = 9, *extra: str) -> list[str]:
    """``python -m srlib train`` arguments equal to ``tiny_config(data_dir, out, steps=steps)``."""
    return ["train", "espcn", "--scale", "2", "--data", str(data_dir), "--steps", str(steps), "--val-every", "3",
            "--batch-size", "4", "--patch-size", "16", "--val-split", "1", "--out", str(out), "--verbose", "0",
            "--workers", "1", *extra]


def log_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def exact_rows(path: Path) -> list[tuple[str, ...]]:
    return [tuple(row[key] for key in EXACT_FIELDS) for row in log_rows(path)]


def weight_arrays(path: Path) -> list[np.ndarray]:
    """The arrays of a run's weights file; final weights must carry their identity record, the
    periodic checkpoint (an internal file, deleted when the run finishes) has none."""
    from srlib.pretrained import load_weights_file

    verify = not path.name.startswith("checkpoint")
    return [np.asarray(w) for w in load_weights_file(path, "espcn", 2, verify=verify).get_weights()]

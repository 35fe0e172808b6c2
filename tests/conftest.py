"""Shared fixtures: small generated images (no network, no ../shared datasets).

All images are deterministic. Sizes are small so tests stay fast on 2 CPU cores.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


def make_smooth_rgb(height: int = 48, width: int = 40, seed: int = 0) -> np.ndarray:
    """A smooth uint8 RGB image (sums of low-frequency sinusoids) with some texture."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    channels = []
    for _ in range(3):
        fy, fx, phase = rng.uniform(0.02, 0.2, 2).tolist() + [rng.uniform(0, 2 * np.pi)]
        value = 0.5 + 0.35 * np.sin(2 * np.pi * (fy * y + fx * x) + phase) + 0.1 * np.cos(0.3 * x) * np.sin(0.2 * y)
        channels.append(value)
    image = np.stack(channels, axis=2) + rng.normal(0, 0.02, (height, width, 3))
    return np.clip(np.round(image * 255), 0, 255).astype(np.uint8)


def make_noise_rgb(height: int = 32, width: int = 32, seed: int = 1) -> np.ndarray:
    """Uniform random uint8 RGB noise (the hardest case for interpolation)."""
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded NumPy generator."""
    return np.random.default_rng(12345)


@pytest.fixture
def smooth_rgb() -> np.ndarray:
    """48x40 uint8 RGB, smooth with a little noise."""
    return make_smooth_rgb()


@pytest.fixture
def noise_rgb() -> np.ndarray:
    """32x32 uint8 RGB uniform noise."""
    return make_noise_rgb()


@pytest.fixture
def gray_image() -> np.ndarray:
    """40x36 uint8 grayscale (H, W): a diagonal ramp with a bright square."""
    y, x = np.mgrid[0:40, 0:36]
    image = (x * 3 + y * 2).astype(np.float64)
    image[10:20, 8:18] = 250
    return np.clip(image, 0, 255).astype(np.uint8)


@pytest.fixture
def checkerboard() -> np.ndarray:
    """32x32 uint8 RGB checkerboard of 1-pixel squares (0/255): maximal aliasing."""
    board = ((np.indices((32, 32)).sum(axis=0) % 2) * 255).astype(np.uint8)
    return np.repeat(board[:, :, None], 3, axis=2)


@pytest.fixture
def image_folder(tmp_path: Path) -> Path:
    """A folder ``hr/`` with three PNGs: two RGB (odd sizes) and one grayscale, plus a non-image file."""
    from PIL import Image

    folder = tmp_path / "hr"
    folder.mkdir()
    Image.fromarray(make_smooth_rgb(50, 45, seed=2)).save(folder / "alpha.png")
    Image.fromarray(make_smooth_rgb(37, 52, seed=3)).save(folder / "beta.png")
    Image.fromarray(make_smooth_rgb(44, 40, seed=4)[:, :, 1]).save(folder / "gamma.png")
    (folder / "README.txt").write_text("not an image")
    return folder

"""Tests for srlib.data.defaults: the offline default images and their fixed split."""
from __future__ import annotations

import socket

import numpy as np
import pytest

from srlib import data
from srlib.data import defaults


def test_default_images_are_offline_uint8_rgb(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("default_images must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    defaults._load_default.cache_clear()
    images = data.default_images()
    assert tuple(images) == data.DEFAULT_IMAGES and len(images) >= 10
    for name, image in images.items():
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3, name
        assert min(image.shape[:2]) >= 300, name
        assert name in data.DEFAULT_LICENCES
    assert np.array_equal(images["camera"][..., 0], images["camera"][..., 2])
    images["astronaut"][:] = 0  # copies: the cache is not modified
    assert data.default_images(names=["astronaut"])["astronaut"].max() > 0


def test_default_images_crop_and_bad_input() -> None:
    cropped = data.default_images(size=64, names=["chelsea", "astronaut"])
    assert list(cropped) == ["chelsea", "astronaut"]
    assert all(image.shape == (64, 64, 3) for image in cropped.values())
    full = data.default_images(names=["chelsea"])["chelsea"]
    np.testing.assert_array_equal(cropped["chelsea"], full[118:182, 193:257])
    with pytest.raises(ValueError, match="larger than default image 'chelsea'"):
        data.default_images(size=301, names=["chelsea"])
    with pytest.raises(ValueError, match="unknown default image"):
        data.default_images(names=["lena"])
    with pytest.raises(ValueError, match="list of names"):
        data.default_images(names="astronaut")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="size"):
        data.default_images(size=0)


def test_split_default_images_is_disjoint_and_complete() -> None:
    train, validation = data.split_default_images(size=32)
    assert set(train).isdisjoint(validation)
    assert set(train) | set(validation) == set(data.DEFAULT_IMAGES)
    assert tuple(train) == data.DEFAULT_TRAIN and tuple(validation) == data.DEFAULT_VALIDATION

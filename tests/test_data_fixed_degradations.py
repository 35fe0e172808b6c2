"""Tests of srlib.data.degradations._fixed: reproducible per-image degradations and degraded benchmarks."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from srlib.data import (RealESRGANDegradation, apply_plan, degraded_benchmark, fixed_degradation, image_generator,
                        load_images, make_lr, resolve_degradation, write_degraded_benchmark)
from srlib.images import modcrop


def _image(seed: int, shape=(50, 66, 3)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def test_same_name_and_seed_give_the_same_lr_in_any_order():
    a, b = _image(0), _image(1)
    first = degraded_benchmark({"a": a, "b": b}, 4, "realesrgan", seed=3)
    second = degraded_benchmark({"b": b, "a": a}, 4, "realesrgan", seed=3)
    for name in ("a", "b"):
        assert np.array_equal(first[name].lr, second[name].lr)
        assert first[name].plan == second[name].plan
        assert first[name].lr.shape == (12, 16, 3) and first[name].hr.shape == (48, 64, 3)
    # another seed or another name draws another degradation
    assert degraded_benchmark({"a": a}, 4, "realesrgan", seed=4)["a"].plan != first["a"].plan
    assert fixed_degradation(a, 4, "realesrgan", seed=3, name="c").plan != first["a"].plan


def test_the_plan_regenerates_the_lr_and_matches_the_degradation_call():
    hr = _image(2)
    item = fixed_degradation(hr, 4, "realesrgan", seed=0, name="x")
    rng = image_generator(0, "x")
    degradation = RealESRGANDegradation()
    assert np.array_equal(degradation(hr, 4, rng), item.lr)  # a plain call with the image's generator
    rng = image_generator(0, "x")
    plan = degradation.draw(rng, item.hr.shape, 4)
    assert np.array_equal(apply_plan(item.hr, 4, plan, rng), item.lr)
    json.dumps(item.plan)  # JSON-able


def test_image_generator_is_a_sha256_of_the_name_not_pythons_hash():
    digest = int.from_bytes(hashlib.sha256(b"baboon").digest()[:8], "little")
    expected = np.random.default_rng([7, digest]).random(3)
    assert np.array_equal(image_generator(7, "baboon").random(3), expected)
    with pytest.raises(ValueError, match="seed"):
        image_generator(-1, "x")
    with pytest.raises(ValueError, match="string"):
        image_generator(0, 3)


def test_bicubic_is_the_protocol_and_bad_degradations_are_refused():
    hr = _image(3)
    item = fixed_degradation(hr, 2, None)
    assert item.plan == () and np.array_equal(item.lr, make_lr(modcrop(hr, 2), 2))
    assert resolve_degradation("bicubic") is make_lr and resolve_degradation("RealESRGAN") == RealESRGANDegradation()
    with pytest.raises(ValueError, match="unknown degradation 'blurry'"):
        resolve_degradation("blurry")
    with pytest.raises(ValueError, match="RandomDegradation"):
        resolve_degradation(42)


def test_written_benchmark_round_trips_with_hashes(tmp_path):
    images = {"one": _image(4), "two": _image(5, (40, 40, 3))}
    plans = write_degraded_benchmark(images, tmp_path / "deg", 4, "classical", seed=1)
    record = json.loads(plans.read_text())
    assert record["scale"] == 4 and record["seed"] == 1 and record["degradation"]["name"] == "classical"
    lr = load_images(tmp_path / "deg" / "LR")
    expected = degraded_benchmark(images, 4, "classical", seed=1)
    for name in images:
        assert np.array_equal(lr[name], expected[name].lr)
        written = (tmp_path / "deg" / "LR" / f"{name}.png").read_bytes()
        assert hashlib.sha256(written).hexdigest() == record["images"][name]["sha256"]["LR"]
        assert record["images"][name]["plan"] == json.loads(json.dumps(list(expected[name].plan)))
    assert not list((tmp_path / "deg").glob("*.tmp"))

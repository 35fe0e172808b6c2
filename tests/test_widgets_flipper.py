"""Headless tests of srlib.widgets._flipper (callbacks set Image/HTML values)."""
from __future__ import annotations

import numpy as np
import pytest

from srlib.widgets._flipper import GROUND_TRUTH, RegionFlipper, region_flipper


def _results(size: int = 96) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rng = np.random.default_rng(0)
    reference = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
    noisy = np.clip(reference.astype(int) + rng.integers(-20, 21, reference.shape), 0, 255).astype(np.uint8)
    close = np.clip(reference.astype(int) + rng.integers(-3, 4, reference.shape), 0, 255).astype(np.uint8)
    return {"bicubic": noisy, "model": close}, reference


def test_flipping_changes_the_zoom_and_bolds_the_shown_method():
    results, reference = _results()
    flipper = region_flipper(results, reference=reference, border=3)
    assert flipper.method.value == "bicubic"
    before = flipper.zoom.value
    overview = flipper.overview.value
    flipper.method.value = "model"
    assert flipper.zoom.value != before
    assert flipper.overview.value == overview  # the overview does not depend on the method
    assert "font-weight:bold" in flipper.caption.value.split("model")[0].rsplit("<tr", 1)[1]
    assert flipper.flip() == GROUND_TRUTH
    assert flipper.flip() == "bicubic"
    assert flipper.zoom.value == before


def test_region_psnr_ranks_the_methods():
    results, reference = _results()
    flipper = RegionFlipper(results, reference=reference)
    scores = flipper.region_psnr()
    assert scores["model"] > scores["bicubic"]
    assert scores[GROUND_TRUTH] == float("inf")
    assert "Y-PSNR" in flipper.caption.value


def test_moving_and_resizing_the_region_redraws():
    results, reference = _results()
    flipper = RegionFlipper(results, reference=reference, region=(0, 0, 32))
    zoom, overview = flipper.zoom.value, flipper.overview.value
    flipper.region_x.value = 40
    assert flipper.zoom.value != zoom and flipper.overview.value != overview
    flipper.region_size.value = 64
    y, x, size = flipper.box
    assert size == 64 and y + size <= 96 and x + size <= 96
    assert flipper.region_x.max == 96 - 64


def test_play_drives_the_method():
    results, reference = _results()
    flipper = RegionFlipper(results, reference=reference)
    flipper.play.value = 1
    assert flipper.method.value == "model"
    flipper.method.value = "bicubic"
    assert flipper.play.value == 0


def test_without_reference_there_is_no_psnr():
    results, _ = _results()
    flipper = RegionFlipper(results, magnification=2)
    assert "no ground truth" in flipper.caption.value
    assert flipper.region_psnr() == {"bicubic": None, "model": None}


@pytest.mark.parametrize("kwargs, message", [
    ({"results": {}}, "non-empty"),
    ({"results": {"a": np.zeros((8, 8, 3), np.float32)}}, "uint8"),
    ({"results": {"a": np.zeros((8, 8, 3), np.uint8), "b": np.zeros((9, 8, 3), np.uint8)}}, "one size"),
    ({"results": {"a": np.zeros((32, 32, 3), np.uint8)}, "reference": np.zeros((16, 16, 3), np.uint8)}, "reference"),
    ({"results": {"a": np.zeros((32, 32, 3), np.uint8)}, "region": (30, 0, 8)}, "inside"),
    ({"results": {"a": np.zeros((32, 32, 3), np.uint8)}, "method": "b"}, "unknown method"),
    ({"results": {"a": np.zeros((32, 32, 3), np.uint8)}, "border": -1}, "border"),
    ({"results": {GROUND_TRUTH: np.zeros((32, 32, 3), np.uint8)}}, "reserved"),
])
def test_bad_input_is_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RegionFlipper(**kwargs)


def test_lesson04_use_flipping_visits_every_method_and_each_zoom_differs():
    """What lesson 04 section 7 relies on (moved out of the lesson cell): four methods and a region."""
    rng = np.random.default_rng(3)
    reference = rng.integers(0, 256, (72, 72, 3), dtype=np.uint8)
    results = {name: np.clip(reference.astype(int) + rng.integers(-noise, noise + 1, reference.shape), 0, 255
                             ).astype(np.uint8) for name, noise in (("bicubic", 30), ("SRCNN", 12), ("FSRCNN", 8),
                                                                    ("ESPCN", 4))}
    flipper = region_flipper(results, reference=reference, border=3, region=(12, 24, 48))
    assert flipper.method.value == "bicubic" and flipper.box == (12, 24, 48)
    seen, zooms = [flipper.method.value], {flipper.zoom.value}
    for _ in range(len(results) + 1):
        seen.append(flipper.flip())
        zooms.add(flipper.zoom.value)
    assert seen == ["bicubic", "SRCNN", "FSRCNN", "ESPCN", GROUND_TRUTH, "bicubic"]
    assert len(zooms) == len(results) + 1 and all(zooms)  # one distinct, non-empty zoom per entry
    scores = flipper.region_psnr()
    assert scores["bicubic"] < scores["SRCNN"] < scores["FSRCNN"] < scores["ESPCN"] < scores[GROUND_TRUTH]

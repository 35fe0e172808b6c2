"""Headless tests for srlib.widgets._degradation (lesson 06's degradation explorer).

Widget observers run synchronously outside a kernel: set a control's ``.value`` and the PNG/HTML
outputs are already updated when the assignment returns. The compared models are a small ESPCN
built here (random weights) and interpolations; the shipped-weights paths are exercised with
``srlib.pretrained.available`` / ``load`` patched, so nothing depends on which weights ship.
"""
from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

keras = pytest.importorskip("keras")

from srlib import pretrained  # noqa: E402
from srlib.data import default_images, degrade  # noqa: E402
from srlib.metrics import psnr, ssim  # noqa: E402
from srlib.models import build_model  # noqa: E402
from srlib.widgets import DegradationExplorer, degradation_explorer, degradation_latency  # noqa: E402
from srlib.widgets._degradation import LOW_RESOLUTION  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def hr() -> np.ndarray:
    return default_images(size=64, names=["astronaut"])["astronaut"]


@pytest.fixture(scope="module")
def tiny() -> keras.Model:
    keras.utils.set_random_seed(0)
    return build_model("espcn", scale=4, filters=(8, 4))  # named "espcn_x4": an x4 model


@pytest.fixture()
def explorer(hr: np.ndarray, tiny: keras.Model) -> DegradationExplorer:
    return degradation_explorer(hr, models={"tiny": tiny, "lanczos3": "lanczos3"}, scale=4, panel_width=64)


def _decoded(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(bytes(data))) as image:
        return np.asarray(image.convert("RGB"))


def _patch_weights(monkeypatch: pytest.MonkeyPatch, shipped: list[tuple[str, int]]) -> None:
    monkeypatch.setattr(pretrained, "available", lambda weights_dir=None: list(shipped))


def test_builds_every_panel_and_the_table(explorer: DegradationExplorer, hr: np.ndarray) -> None:
    assert explorer.last_error is None and "srlib-degradation" in explorer.widget._dom_classes
    assert list(explorer.panels) == [LOW_RESOLUTION, "bicubic", "tiny", "lanczos3", "ground truth"]
    for label, image in explorer.panels.items():
        assert bytes(image.value).startswith(PNG_SIGNATURE), label
        assert _decoded(image.value).shape == (64, 64, 3), label  # the LR is shown enlarged to the HR's size
    assert np.array_equal(_decoded(explorer.panels["ground truth"].value), hr)
    lr = explorer.low_resolution()
    assert lr.shape == (16, 16, 3)
    assert np.array_equal(_decoded(explorer.panels[LOW_RESOLUTION].value), np.repeat(np.repeat(lr, 4, 0), 4, 1))
    table = explorer.metrics_html.value
    assert "bicubic (baseline)" in table and "tiny" in table and "lanczos3" in table
    assert explorer.scales == (2, 3, 4) and explorer.scale_dropdown.options == (2, 3, 4)
    assert "jpeg_quality=None, seed=0" in explorer.status_html.value
    assert "application/vnd.jupyter.widget-view+json" in explorer._repr_mimebundle_()


@pytest.mark.parametrize("control, value", [("blur_slider", 1.5), ("noise_slider", 10.0),
                                            ("jpeg_checkbox", True), ("scale_dropdown", 2)])
def test_each_control_changes_the_lr_image_and_the_table(explorer: DegradationExplorer, control: str,
                                                         value: object) -> None:
    lr_png, table = bytes(explorer.panels[LOW_RESOLUTION].value), explorer.metrics_html.value
    lr = explorer.low_resolution()
    setattr(getattr(explorer, control), "value", value)
    assert explorer.last_error is None
    assert bytes(explorer.panels[LOW_RESOLUTION].value) != lr_png and explorer.metrics_html.value != table
    assert explorer.low_resolution().shape != lr.shape or not np.array_equal(explorer.low_resolution(), lr)
    assert np.array_equal(explorer.low_resolution(), degrade(explorer.ground_truth(), **explorer.settings()))


def test_jpeg_quality_acts_only_while_jpeg_is_on(explorer: DegradationExplorer) -> None:
    assert explorer.jpeg_slider.disabled and explorer.settings()["jpeg_quality"] is None
    misses, lr_png = explorer.cache_info()["misses"], bytes(explorer.panels[LOW_RESOLUTION].value)
    explorer.jpeg_slider.value = 30  # JPEG off: the LR is unchanged, nothing is recomputed
    assert explorer.cache_info()["misses"] == misses and bytes(explorer.panels[LOW_RESOLUTION].value) == lr_png
    explorer.jpeg_checkbox.value = True
    assert not explorer.jpeg_slider.disabled and explorer.settings()["jpeg_quality"] == 30
    table = explorer.metrics_html.value
    explorer.jpeg_slider.value = 80
    assert explorer.metrics_html.value != table and explorer.settings()["jpeg_quality"] == 80


def test_same_settings_give_the_same_pixels(hr: np.ndarray, tiny: keras.Model) -> None:
    settings = {"blur_sigma": 1.0, "noise_sigma": 12.0, "jpeg_quality": 50}
    first = degradation_explorer(hr, models={"tiny": tiny}, **settings)
    second = degradation_explorer(hr, models={"tiny": tiny}, **settings)
    assert np.array_equal(first.low_resolution(), second.low_resolution())
    assert all(bytes(first.panels[k].value) == bytes(second.panels[k].value) for k in first.panels)
    first.noise_slider.value = 3.0  # move away, forget everything, come back: recomputed identically
    first.clear_cache()
    first.noise_slider.value = 12.0
    assert np.array_equal(first.low_resolution(), second.low_resolution())
    other_seed = degradation_explorer(hr, models={"tiny": tiny}, seed=1, **settings)
    assert not np.array_equal(other_seed.low_resolution(), first.low_resolution())


def test_stronger_noise_lowers_bicubic_psnr(explorer: DegradationExplorer) -> None:
    values = []
    for sigma in (0.0, 5.0, 20.0):
        explorer.noise_slider.value = sigma
        values.append(explorer.metrics()["bicubic"]["psnr"])
    assert values[0] > values[1] > values[2] + 0.5, values


def test_shown_scores_are_the_protocol_on_the_shown_outputs(explorer: DegradationExplorer) -> None:
    explorer.blur_slider.value = 0.8
    explorer.noise_slider.value = 6.0
    scale, truth = explorer.settings()["scale"], explorer.ground_truth()
    table = explorer.metrics()
    assert list(table) == ["bicubic", "tiny", "lanczos3"]
    for label, scores in table.items():
        shown = _decoded(explorer.panels[label].value)
        assert np.array_equal(shown, explorer.results()[label])
        assert scores["psnr"] == psnr(truth, shown, border=scale)
        assert scores["ssim"] == ssim(truth, shown, border=scale)
        assert f"{scores['psnr']:.2f}" in explorer.metrics_html.value
        assert f"{scores['ssim']:.4f}" in explorer.metrics_html.value


def test_a_model_of_another_scale_gets_a_placeholder(explorer: DegradationExplorer) -> None:
    explorer.scale_dropdown.value = 2
    assert explorer.last_error is None
    assert explorer.unavailable() == {"tiny": "this model does not upscale by x2"}
    assert explorer.results()["tiny"] is None and "tiny" not in explorer.metrics()
    assert "this model does not upscale by x2" in explorer.metrics_html.value
    placeholder = _decoded(explorer.panels["tiny"].value)
    assert placeholder.shape == explorer.ground_truth().shape and placeholder.std() > 0  # grey with text


def test_missing_shipped_weights_give_placeholders(monkeypatch: pytest.MonkeyPatch, hr: np.ndarray) -> None:
    _patch_weights(monkeypatch, [("espcn", 2), ("espcn", 3), ("espcn", 4), ("srresnet", 4)])
    explorer = degradation_explorer(hr, models=("espcn", "srresnet", "srresnet_blind"), scale=2)
    assert explorer.scales == (2, 3, 4) and explorer.last_error is None  # offered: where espcn ships
    assert explorer.unavailable() == {"srresnet": "no shipped weights at x2",
                                      "srresnet_blind": "no shipped weights at x2"}
    assert explorer.metrics_html.value.count("no shipped weights at x2") == 2
    assert set(explorer.metrics()) == {"bicubic", "espcn"}
    assert bytes(explorer.panels["srresnet_blind"].value).startswith(PNG_SIGNATURE)
    assert "realesrgan LR" in explorer.captions["srresnet_blind"].value  # what each model was trained on

    _patch_weights(monkeypatch, [])  # no model can run anywhere: every scale, every model a placeholder
    alone = degradation_explorer(hr, models=("srresnet_blind",))
    assert alone.scales == (2, 3, 4) and alone.settings()["scale"] == 4
    assert alone.unavailable() == {"srresnet_blind": "no shipped weights at x4"} and alone.last_error is None


def test_weights_listed_but_missing_give_the_placeholder(monkeypatch: pytest.MonkeyPatch, hr: np.ndarray) -> None:
    _patch_weights(monkeypatch, [("srresnet_blind", 4)])

    def load(name: str, scale: int, **kwargs: object) -> None:
        raise pretrained.WeightsNotFoundError(f"weights file for {name} x{scale} is missing")

    monkeypatch.setattr(pretrained, "load", load)
    explorer = degradation_explorer(hr, models=("srresnet_blind",))
    assert explorer.scales == (4,) and explorer.last_error is None
    assert explorer.unavailable() == {"srresnet_blind": "no shipped weights at x4"}
    explorer.noise_slider.value = 5.0
    assert explorer.last_error is None and "no shipped weights at x4" in explorer.metrics_html.value


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    _patch_weights(monkeypatch, [])  # no model loads: the default image and models only
    explorer = DegradationExplorer()
    assert explorer.image.shape == (256, 256, 3) and explorer.labels == ["srresnet", "srresnet_blind"]
    assert explorer.settings() == {"scale": 4, "blur_sigma": 0.0, "noise_sigma": 0.0, "jpeg_quality": None,
                                   "seed": 0}
    assert np.array_equal(explorer.image, default_images(size=256, names=["astronaut"])["astronaut"])


@pytest.mark.parametrize("kwargs, message", [
    ({"image": np.zeros((8, 8, 3), np.uint8)}, "too small"),
    ({"image": np.zeros((32, 32, 3), np.int16)}, "must be uint8 or float"),
    ({"image": np.zeros((32, 32, 2), np.uint8)}, r"must be \(H, W\) or \(H, W, 3\)"),
    ({"blur_sigma": 3.5}, r"blur_sigma must be a number in \[0, 3\]"),
    ({"noise_sigma": -1}, r"noise_sigma must be a number in \[0, 30\]"),
    ({"noise_sigma": float("nan")}, "noise_sigma must be a number"),
    ({"jpeg_quality": 5}, r"jpeg_quality must be None \(no JPEG\) or an integer in \[10, 100\]"),
    ({"jpeg_quality": 50.5}, "jpeg_quality must be None"),
    ({"scale": 3}, r"scale must be one of \(4,\)"),
    ({"models": ("vdsr",)}, "unknown method 'vdsr'"),
    ({"models": ("bicubic",)}, "is always shown"),
    ({"models": ("lanczos3", "lanczos3")}, "appears twice"),
    ({"models": {"x": 3}}, r"models\['x'\] must be a method name or a keras.Model"),
    ({"models": 42}, "models must be a sequence of method names"),
    ({"seed": -1}, "seed must be an integer >= 0"),
    ({"size": 4}, "size must be an integer >= 16"),
    ({"panel_width": 10}, r"panel_width must be an integer in \[32, 1024\]"),
])
def test_bad_arguments(hr: np.ndarray, tiny: keras.Model, kwargs: dict, message: str) -> None:
    arguments = {"image": hr, "models": {"tiny": tiny}, **kwargs}
    with pytest.raises(ValueError, match=message):
        DegradationExplorer(arguments.pop("image"), **arguments)


def test_unknown_label(explorer: DegradationExplorer) -> None:
    with pytest.raises(ValueError, match=r"unknown label 'nope'; choose from \['bicubic', 'tiny', 'lanczos3'\]"):
        explorer.upscaled("nope")


def test_latency_reports_cold_and_warm_moves(hr: np.ndarray, tiny: keras.Model) -> None:
    timing = degradation_latency(hr, repeats=3, models={"tiny": tiny})
    assert timing["repeats"] == 3 and timing["scale"] == 4 and timing["shape"] == [64, 64, 3]
    assert timing["models"] == ["tiny"] and timing["stand_ins"] == {}
    for key in ("cold_ms", "warm_ms", "cold_cpu_ms", "warm_cpu_ms"):
        assert math.isfinite(timing[key]) and timing[key] > 0, key
    assert timing["warm_ms"] < timing["cold_ms"]  # a visited setting is only redrawn
    with pytest.raises(ValueError, match=r"repeats must be an integer in \[1, 30\]"):
        degradation_latency(hr, repeats=0)


@pytest.mark.parametrize("shipped, stand_in", [
    ([("srresnet", 4)], "shipped srresnet x4 (no srresnet_blind x4 weights; same architecture)"),
    ([], "srresnet x4 with random weights (no shipped weights; same architecture)"),
])
def test_latency_times_a_missing_model_with_its_architecture(monkeypatch: pytest.MonkeyPatch, hr: np.ndarray,
                                                              shipped: list, stand_in: str) -> None:
    _patch_weights(monkeypatch, shipped)
    timing = degradation_latency(hr[:32, :32], repeats=1, models=("srresnet_blind",))
    assert timing["stand_ins"] == {"srresnet_blind": stand_in}
    assert timing["cold_ms"] > 0

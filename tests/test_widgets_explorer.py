"""Headless tests for srlib.widgets._explorer (the method explorer).

Widget observers run synchronously outside a kernel: set a control's ``.value`` and the
PNG/HTML outputs are already updated when the assignment returns.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from srlib.widgets import _explorer as w
from srlib.images import modcrop, rgb_to_y
from srlib.metrics import psnr, ssim
from srlib.patterns import pattern
from srlib.plots._images import spectrum
from srlib.resize import imresize
from srlib.upscale import upscale

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _photo(size: int = 72, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size]
    base = 0.5 + 0.3 * np.sin(0.35 * x) * np.cos(0.25 * y)
    edges = (x > size // 2).astype(float) * 0.15
    image = np.stack([base + edges, base, base - edges], axis=-1) + rng.normal(0, 0.02, (size, size, 3))
    return np.clip(np.rint(image * 255), 0, 255).astype(np.uint8)


@pytest.fixture()
def explorer() -> w.MethodExplorer:
    images = {"photo": _photo(), "other": _photo(60, seed=1)}
    return w.explorer(images=images, scale=2, methods=("nearest",), size=72, panel_width=48)


def _outputs(ex: w.MethodExplorer) -> dict[str, object]:
    return {"panels": bytes(ex.panels_image.value), "diff": bytes(ex.diff_image.value),
            "spectrum": bytes(ex.spectrum_image.value), "metrics": ex.metrics_html.value}


def test_explorer_renders_every_output(explorer: w.MethodExplorer) -> None:
    assert explorer.last_error is None
    for image in (explorer.panels_image, explorer.diff_image, explorer.spectrum_image):
        assert bytes(image.value).startswith(PNG_SIGNATURE)
        assert int(image.width) > 0
    assert "bicubic (baseline)" in explorer.metrics_html.value
    assert "nearest" in explorer.metrics_html.value
    assert "x2" in explorer.status_html.value
    assert "srlib-explorer" in explorer.widget._dom_classes
    assert "srlib-explorer-panels" in explorer.panels_image._dom_classes
    assert "srlib-explorer-scale" in explorer.scale_dropdown._dom_classes
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_bicubic_is_always_shown(explorer: w.MethodExplorer) -> None:
    explorer.methods_select.value = ("lanczos3",)
    assert explorer.shown_methods == ["bicubic", "lanczos3"]
    assert list(explorer.results()) == ["ground truth", "bicubic", "lanczos3"]
    explorer.methods_select.value = ()
    assert explorer.shown_methods == ["bicubic"]
    assert explorer.last_error is None


@pytest.mark.parametrize("control, value, changed", [
    ("scale_dropdown", 3, {"panels", "diff", "spectrum", "metrics"}),
    ("image_dropdown", "other", {"panels", "diff", "spectrum", "metrics"}),
    ("antialias_checkbox", False, {"panels", "diff", "spectrum", "metrics"}),
    ("methods_select", ("nearest", "bilinear"), {"panels", "diff", "spectrum", "metrics"}),
    ("zoom_x", 3, {"panels", "diff"}),
    ("zoom_y", 3, {"panels", "diff"}),
    ("zoom_size", 16, {"panels", "diff"}),
])
def test_each_control_changes_its_outputs(explorer: w.MethodExplorer, control: str, value: object,
                                          changed: set[str]) -> None:
    before = _outputs(explorer)
    getattr(explorer, control).value = value
    assert explorer.last_error is None, explorer.status_html.value
    after = _outputs(explorer)
    differing = {name for name in before if before[name] != after[name]}
    assert differing == changed


def test_results_and_metrics_follow_the_protocol(explorer: w.MethodExplorer) -> None:
    explorer.scale_dropdown.value = 3
    explorer.antialias_checkbox.value = False
    truth = explorer.ground_truth()
    assert truth.shape == (72, 72, 3)
    lr = explorer.low_resolution()
    np.testing.assert_array_equal(lr, imresize(truth, 1 / 3, antialias=False))
    results = explorer.results()
    np.testing.assert_array_equal(results["nearest"], upscale("nearest", lr, 3))
    table = explorer.metrics()
    for method in ("bicubic", "nearest"):  # srlib.metrics.Scorer: PSNR identical, SSIM in float32
        assert table[method]["psnr"] == psnr(truth, results[method], border=3, channel="y")
        assert abs(table[method]["ssim"] - ssim(truth, results[method], border=3, channel="y")) < 1e-5
    assert f"{table['nearest']['psnr']:.2f}" in explorer.metrics_html.value


def test_ground_truth_is_cropped_to_a_multiple_of_the_scale() -> None:
    ex = w.explorer(images={"odd": _photo(70)}, scale=4, methods=(), size=70, panel_width=40)
    assert ex.ground_truth().shape == (68, 68, 3)
    assert ex.results()["bicubic"].shape == (68, 68, 3)
    big = w.explorer(images={"big": _photo(100)}, scale=2, methods=(), size=64, panel_width=40)
    assert big.ground_truth().shape == (64, 64, 3)  # centre-cropped to size


def test_cache_hits_on_revisited_settings(explorer: w.MethodExplorer) -> None:
    explorer.scale_dropdown.value = 3
    misses = explorer.cache_info()["misses"]
    hits = explorer.cache_info()["hits"]
    explorer.scale_dropdown.value = 2
    explorer.scale_dropdown.value = 3
    info = explorer.cache_info()
    assert info["misses"] == misses  # nothing recomputed
    assert info["hits"] > hits
    explorer.clear_cache()
    assert explorer.cache_info()["entries"] == 0
    explorer.scale_dropdown.value = 2
    assert explorer.cache_info()["misses"] > misses


def test_cache_is_bounded() -> None:
    ex = w.explorer(images={"photo": _photo()}, scale=2, methods=("nearest", "bilinear"), size=72,
                    panel_width=40, max_cache_entries=20)
    for scale in (3, 4, 2, 3):
        ex.scale_dropdown.value = scale
    assert ex.cache_info()["entries"] <= 20
    assert ex.last_error is None


def test_zoom_is_clamped_inside_the_image(explorer: w.MethodExplorer) -> None:
    explorer.zoom_size.value = 40
    y, x, side = explorer.zoom_box()
    height, width = explorer.ground_truth().shape[:2]
    assert side == 40 and 0 <= y <= height - side and 0 <= x <= width - side
    assert explorer.zoom_x.max == width - side
    explorer.image_dropdown.value = "other"  # smaller image: the box still fits
    y, x, side = explorer.zoom_box()
    assert y + side <= 60 and x + side <= 60


def test_initial_zoom_argument() -> None:
    ex = w.explorer(images={"photo": _photo()}, scale=2, methods=(), size=72, zoom=(8, 10, 24), panel_width=40)
    assert ex.zoom_box() == (8, 10, 24)
    with pytest.raises(ValueError, match="does not fit"):
        w.explorer(images={"photo": _photo()}, scale=2, size=72, zoom=(60, 0, 24))


def test_callback_errors_show_in_the_status_line() -> None:
    ex = w.explorer(images={"photo": _photo()}, scale=2, methods=(), size=72, panel_width=40,
                    available_methods=("bicubic", "nearest", "no-such-method"))
    ex.methods_select.value = ("no-such-method",)
    assert isinstance(ex.last_error, ValueError)
    assert "error" in ex.status_html.value and "no-such-method" in ex.status_html.value
    ex.methods_select.value = ("nearest",)
    assert ex.last_error is None and "error" not in ex.status_html.value


@pytest.mark.parametrize("kwargs, message", [
    ({"scale": 5}, "scale"),
    ({"scale": True}, "scale"),
    ({"methods": ("bogus",)}, "unknown methods"),
    ({"image": "nope"}, "unknown image"),
    ({"images": {}}, "non-empty"),
    ({"images": {"tiny": np.zeros((8, 8, 3), np.uint8)}}, "too small"),
    ({"images": {"bad": np.zeros((32, 32, 2), np.uint8)}}, "shape"),
    ({"images": {"bad": np.zeros((32, 32), np.int16)}}, "dtype"),
    ({"size": 4}, "size"),
    ({"panel_width": 8}, "panel_width"),
    ({"max_cache_entries": 1}, "max_cache_entries"),
    ({"zoom_size": 4}, "zoom_size"),
])
def test_bad_input(kwargs: dict, message: str) -> None:
    kwargs.setdefault("images", {"photo": _photo()})
    kwargs.setdefault("size", 72)
    with pytest.raises(ValueError, match=message):
        w.explorer(**kwargs)


def test_default_images_and_patterns_are_offered() -> None:
    ex = w.explorer(size=64, panel_width=40, methods=())
    names = list(ex.image_dropdown.options)
    assert any(name.startswith(w.PATTERN_PREFIX) for name in names)
    assert len(names) > 1
    ex.image_dropdown.value = next(name for name in names if name.startswith(w.PATTERN_PREFIX))
    assert ex.last_error is None
    assert ex.ground_truth().shape[:2] == (63, 63)


def test_grey_and_float_images_are_accepted() -> None:
    grey = _photo()[..., 0]
    ex = w.explorer(images={"grey": grey, "float": _photo().astype(np.float32) / 255}, scale=2,
                    methods=(), size=72, panel_width=40)
    assert ex.ground_truth().shape == (72, 72, 3)
    ex.image_dropdown.value = "float"
    assert ex.last_error is None


def test_no_tensorflow_at_import_or_for_interpolation() -> None:
    import subprocess
    import sys

    code = ("import sys, numpy as np\n"
            "import srlib.widgets._explorer, srlib.plots._images, srlib.widgets._latency\n"
            "image = np.random.default_rng(0).integers(0, 256, (48, 48, 3), dtype=np.uint8)\n"
            "srlib.widgets._explorer.explorer(images={'noise': image}, size=48, panel_width=32)\n"
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TF imported'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- fast paths match the protocol
def _test_images() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    return {"photo": _photo(90), "zone_plate": pattern("zone_plate", 96),
            "noise": rng.integers(0, 256, (66, 78, 3), dtype=np.uint8)}


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_scores_match_srlib_metrics_on_photos_and_patterns(scale: int) -> None:
    for name, image in _test_images().items():
        app = w.MethodExplorer({name: image}, scale=scale, methods=("nearest", "lanczos3"), size=96, panel_width=48)
        truth = app.ground_truth()
        for method, values in app.metrics().items():
            result = app.upscaled(method)
            assert values["psnr"] == psnr(truth, result, border=scale, channel="y"), (name, method)
            assert abs(values["ssim"] - ssim(truth, result, border=scale, channel="y")) < 1e-5, (name, method)


def test_luma_planes_are_rgb_to_y() -> None:
    image = _test_images()["noise"]
    unrounded, protocol = w._luma_planes(image)
    np.testing.assert_array_equal(protocol, rgb_to_y(image))
    assert unrounded.dtype == np.float32
    np.testing.assert_allclose(unrounded, rgb_to_y(image, rounded=False), atol=1e-4)


def test_fast_spectrum_matches_plots_spectrum() -> None:
    for image in _test_images().values():
        expected = spectrum(image)
        fast = w._fast_log_spectrum(w._luma_planes(image)[0])
        assert fast.shape == expected.shape
        shown = expected > 0.25 * np.log1p(0.05 * expected.size * 255.0)  # the colour map's range
        np.testing.assert_allclose(fast[shown], expected[shown], rtol=1e-3)
        np.testing.assert_allclose(fast, expected, atol=0.05)


def test_max_pool_thumbnail_keeps_block_maxima() -> None:
    values = np.random.default_rng(2).random((50, 47)).astype(np.float32)
    pooled = w._max_pool_thumbnail(values, 16)  # factor 3, zero-padded to 51 x 48
    padded = np.zeros((51, 48), np.float32)
    padded[:50, :47] = values
    np.testing.assert_array_equal(pooled, padded.reshape(17, 3, 16, 3).max(axis=(1, 3)))
    assert w._max_pool_thumbnail(values, 64) is values


def test_colour_mapped_outputs_are_exact_palette_pngs(explorer: w.MethodExplorer) -> None:
    for target in (explorer.diff_image, explorer.spectrum_image):
        decoded = Image.open(io.BytesIO(bytes(target.value)))
        assert decoded.mode == "P" and decoded.width == int(target.width)
        assert len(decoded.getpalette()) == 3 * 256
    indices = w._palette_indices(np.array([-1e9, 0.0, 24.0, 48.0, 1e9]), 0.0, 48.0, w._MAGMA)
    assert indices.tolist() == [w._MAGMA, w._MAGMA, w._MAGMA + 60, w._MAGMA + 119, w._MAGMA + 119]
    tile = np.full((10, 12), w._RDBU + 5, np.uint8)
    composite = w._composite_indexed([("a", [tile]), ("b", [tile, tile])], 12)
    array = np.asarray(composite)
    assert composite.mode == "P" and array.shape == (w._LABEL_HEIGHT + 24, 28)
    np.testing.assert_array_equal(array[w._LABEL_HEIGHT:w._LABEL_HEIGHT + 10, :12], tile)
    assert array[:w._LABEL_HEIGHT].max() < w._GREYS  # labels use the grey ramp only


def test_zoom_moves_recompute_nothing_but_the_two_images(explorer: w.MethodExplorer) -> None:
    misses = explorer.cache_info()["misses"]
    x = explorer.zoom_x.value
    explorer.zoom_x.value = x + 2 if x + 2 <= explorer.zoom_x.max else x - 2
    assert explorer.last_error is None
    assert explorer.cache_info()["misses"] == misses + 2  # the panels and difference PNGs
    assert "zoom redrawn" in explorer.status_html.value  # the browser test waits for this text
    explorer.scale_dropdown.value = 3
    assert "(x3," in explorer.status_html.value and "updated" in explorer.status_html.value


def test_adding_a_method_computes_only_that_method(explorer: w.MethodExplorer) -> None:
    before = dict(explorer._cache)
    explorer.methods_select.value = ("nearest", "bilinear")
    new_keys = [key for key in explorer._cache if key not in before]
    computed = [key for key in new_keys if key[0] not in ("png",)]
    assert computed and all("bilinear" in key for key in computed), computed
    table = explorer.metrics()
    truth, result = explorer.ground_truth(), explorer.upscaled("bilinear")
    assert table["bilinear"]["psnr"] == psnr(truth, result, border=2, channel="y")
    assert abs(table["bilinear"]["ssim"] - ssim(truth, result, border=2, channel="y")) < 1e-4


def test_each_image_gets_its_own_default_zoom_where_its_detail_is() -> None:
    flat = np.full((96, 96, 3), 128, np.uint8)
    corner = flat.copy()
    corner[60:90, 8:40] = np.random.default_rng(0).integers(0, 256, (30, 32, 3), dtype=np.uint8)
    app = w.explorer(images={"flat": flat, "corner": corner}, scale=2, methods=(), size=96, panel_width=48,
                     zoom_size=24)
    app.zoom_x.value, app.zoom_y.value = 0, 0  # the learner moves the box ...
    app.image_dropdown.value = "corner"          # ... then picks another image
    y, x, side = app.zoom_box()
    assert side == 24 and 54 <= y <= 72 and 0 <= x <= 24, "the box lands on the textured corner"
    assert (y, x, side) == app.default_zoom()
    app.zoom_x.value = 40
    app.scale_dropdown.value = 3                 # a new scale keeps the learner's box
    assert app.zoom_box()[1] == 40


def test_text_chart_is_cropped_to_its_inked_rows_and_zoomed_on_text() -> None:
    from srlib.patterns import text_chart

    app = w.explorer(image="pattern: text_chart", scale=4, methods=("nearest",), size=256)
    full = text_chart(256)
    inked = np.flatnonzero((full < 128).any(axis=(1, 2)))
    truth = app.ground_truth()
    assert inked.max() < truth.shape[0] < full.shape[0], "blank rows below the text are gone"
    y, x, side = app.zoom_box()
    assert (truth[y:y + side, x:x + side] < 128).mean() > 0.05, "the zoom shows text, not white paper"


def test_difference_maps_carry_their_colour_scales(explorer: w.MethodExplorer) -> None:
    diff = Image.open(io.BytesIO(bytes(explorer.diff_image.value)))
    panels = Image.open(io.BytesIO(bytes(explorer.panels_image.value)))
    assert diff.height > panels.height + 40, "a labelled colour-bar strip under the maps"
    legend = np.asarray(diff)[-40:]
    palette = set(np.unique(legend).tolist())
    assert any(w._MAGMA <= v < w._RDBU for v in palette) and any(v >= w._RDBU for v in palette)

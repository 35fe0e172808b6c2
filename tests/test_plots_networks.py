"""Tests of srlib.plots._networks (figures built without pyplot)."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from srlib.plots import _networks as pm


def _titles(figure: Figure) -> list[str]:
    return [ax.get_title() for ax in figure.axes]


def test_plot_filters_sorts_by_energy_and_limits_count():
    kernel = np.zeros((9, 9, 1, 5))
    kernel[4, 4, 0, 3] = 2.0
    kernel[4, 4, 0, 1] = -1.0
    figure = pm.plot_filters(kernel, max_filters=3, title="first layer")
    assert isinstance(figure, Figure)
    assert _titles(figure) == ["#3", "#1", "#0"]
    figure.savefig(__import__("io").BytesIO(), format="png")


def test_plot_filters_input_channel_and_bad_input():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 2, 4))
    assert len(pm.plot_filters(kernel, input_channel=1, sort=False).axes) == 4
    with pytest.raises(ValueError, match="input_channel"):
        pm.plot_filters(kernel, input_channel=2)
    with pytest.raises(ValueError, match="dimensions"):
        pm.plot_filters(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        pm.plot_filters(np.full((3, 3, 1, 2), np.nan))
    with pytest.raises(ValueError, match="max_filters"):
        pm.plot_filters(kernel, max_filters=0)


def test_plot_feature_maps_orders_busiest_first_and_takes_a_batch_of_one():
    maps = np.zeros((1, 10, 12, 4))
    maps[0, ..., 2] = np.random.default_rng(0).normal(size=(10, 12))
    figure = pm.plot_feature_maps(maps, max_maps=2)
    assert _titles(figure)[0] == "#2" and len(figure.axes) == 2
    with pytest.raises(ValueError, match="one image"):
        pm.plot_feature_maps(np.zeros((2, 4, 4, 3)))


def test_stage_diagram_draws_one_axis_per_stage():
    rgb = np.zeros((16, 16, 3), np.uint8)
    stages = [("input", "bicubic Y", np.zeros((16, 16))), ("features", "64 maps", np.random.rand(16, 16, 64)),
              ("output", "RGB", rgb)]
    figure = pm.stage_diagram(stages, title="SRCNN")
    assert _titles(figure) == ["input", "features", "output"]
    figure.savefig(__import__("io").BytesIO(), format="png")
    with pytest.raises(ValueError, match="non-empty"):
        pm.stage_diagram([])
    with pytest.raises(ValueError, match="stage 0"):
        pm.stage_diagram([("a", np.zeros((4, 4)))])


def test_plot_pixel_shuffle_checks_shapes():
    low = np.arange(2 * 2 * 4).reshape(2, 2, 4)
    high = np.zeros((4, 4))
    figure = pm.plot_pixel_shuffle(low, high)
    assert _titles(figure) == ["channel 0", "channel 1", "channel 2", "channel 3", "after the shuffle"]
    with pytest.raises(ValueError, match="r\\*r"):
        pm.plot_pixel_shuffle(np.zeros((2, 2, 3)), np.zeros((4, 4)))
    with pytest.raises(ValueError, match="shape"):
        pm.plot_pixel_shuffle(low, np.zeros((6, 6)))


def test_plot_patch_pairs_rows_and_validation():
    rng = np.random.default_rng(0)
    figure = pm.plot_patch_pairs({"LR": rng.random((5, 4, 4, 1)), "target": rng.random((5, 12, 12))}, max_pairs=3)
    assert len(figure.axes) == 6
    assert "LR" in figure.axes[0].get_ylabel() and "12x12" in figure.axes[3].get_ylabel()
    with pytest.raises(ValueError, match="same number"):
        pm.plot_patch_pairs({"a": np.zeros((2, 4, 4)), "b": np.zeros((3, 4, 4))})
    with pytest.raises(ValueError, match="one channel"):
        pm.plot_patch_pairs({"a": np.zeros((2, 4, 4, 2))})
    rgb = pm.plot_patch_pairs({"a": rng.random((2, 4, 4, 3))})  # RGB pairs are drawn in colour
    assert rgb.axes[0].get_images()[0].get_array().shape == (4, 4, 3)


def test_distinct_channels_skip_copies_and_silent_maps():
    rng = np.random.default_rng(0)
    base, other = rng.normal(size=(12, 12)), rng.normal(size=(12, 12))
    maps = np.stack([3 * base, 2.9 * base + 0.01 * other, np.zeros((12, 12)), 2 * other, 0.01 * base], axis=-1)
    assert pm.distinct_channels(maps, 2) == [0, 3], "the near copy (1) and the silent map (4) are passed over"
    assert pm.distinct_channels(maps, 4) == [0, 3, 1]  # only three vary enough
    assert pm.distinct_channels(np.zeros((4, 4, 3)), 2) == []


def test_stage_diagram_draws_distinct_contrast_normalised_maps():
    rng = np.random.default_rng(1)
    maps = np.maximum(rng.normal(size=(16, 16, 8)) - 1, 0) * np.arange(1, 9)  # sparse ReLU maps
    figure = pm.stage_diagram([("features", "8 maps", maps)], max_cards=4)
    shown = figure.axes[0].images
    assert len(shown) == 4
    for image in shown:  # each map gets its own display range
        low, high = image.get_clim()
        assert low == 0.0 and high == pytest.approx(np.percentile(np.asarray(image.get_array())[np.asarray(image.get_array()) > 0], 99))

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


def test_speed_quality_chart_points_and_validation():
    rows = [{"method": "bicubic", "psnr": 30.4, "ms_per_megapixel": 20, "parameters": 0},
            {"method": "SRCNN", "psnr": 32.4, "ms_per_megapixel": 900, "parameters": 8129},
            {"method": "ESPCN", "psnr": 32.5, "ms_per_megapixel": 150, "parameters": 22729, "group": "Set5"}]
    figure = pm.speed_quality_chart(rows)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    gids = {child.get_gid() for child in ax.collections}
    assert {"point-bicubic", "point-SRCNN", "point-ESPCN"} <= gids
    figure.savefig(__import__("io").BytesIO(), format="png")
    with pytest.raises(ValueError, match="lacks 'psnr'"):
        pm.speed_quality_chart([{"method": "a", "ms_per_megapixel": 1, "parameters": 0}])
    with pytest.raises(ValueError, match="positive"):
        pm.speed_quality_chart([{"method": "a", "psnr": 1, "ms_per_megapixel": 0, "parameters": 0}])
    with pytest.raises(ValueError, match="non-empty"):
        pm.speed_quality_chart([])


def test_plot_training_curve():
    figure = pm.plot_training_curve([10, 20], [30.0, 31.0], baseline=30.5, loss=[0.1, 0.05, 0.02])
    assert _titles(figure) == ["validation PSNR", "training loss"]
    assert len(pm.plot_training_curve([1], [2.0]).axes) == 1
    with pytest.raises(ValueError, match="same length|one non-zero length"):
        pm.plot_training_curve([1, 2], [3.0])


def test_plot_patch_pairs_rows_and_validation():
    rng = np.random.default_rng(0)
    figure = pm.plot_patch_pairs({"LR": rng.random((5, 4, 4, 1)), "target": rng.random((5, 12, 12))}, max_pairs=3)
    assert len(figure.axes) == 6
    assert "LR" in figure.axes[0].get_ylabel() and "12x12" in figure.axes[3].get_ylabel()
    with pytest.raises(ValueError, match="same number"):
        pm.plot_patch_pairs({"a": np.zeros((2, 4, 4)), "b": np.zeros((3, 4, 4))})
    with pytest.raises(ValueError, match="one channel"):
        pm.plot_patch_pairs({"a": np.zeros((2, 4, 4, 3))})


def test_contrast_transfer_is_one_for_a_copy_and_zero_for_grey():
    from srlib.patterns import zone_plate

    plate = zone_plate(96)
    frequencies, transfer = pm.contrast_transfer(plate, plate, bins=12)
    assert frequencies.shape == (12,) and np.all(np.diff(frequencies) > 0)
    assert frequencies[-1] < 0.5
    np.testing.assert_allclose(transfer, 1.0)
    _, grey = pm.contrast_transfer(plate, np.full_like(plate, 128), bins=12)
    np.testing.assert_allclose(grey, 0.0, atol=1e-12)
    _, inverted = pm.contrast_transfer(plate, 255 - plate, bins=12)
    np.testing.assert_allclose(inverted, -1.0)


def test_contrast_transfer_falls_with_frequency_for_a_blur():
    from scipy.ndimage import uniform_filter

    from srlib.patterns import zone_plate

    plate = zone_plate(128).astype(np.float64)
    blurred = uniform_filter(plate, size=(3, 3, 1), mode="nearest")
    frequencies, transfer = pm.contrast_transfer(plate, blurred, bins=16)
    low, high = transfer[frequencies < 0.1], transfer[(frequencies > 0.25) & (frequencies < 0.4)]
    assert low.mean() > 0.8 and high.mean() < low.mean() - 0.4


def test_contrast_transfer_and_its_plot_reject_bad_input():
    plate = np.zeros((32, 32))
    with pytest.raises(ValueError, match="one shape"):
        pm.contrast_transfer(plate, np.zeros((32, 31)))
    with pytest.raises(ValueError, match="square"):
        pm.contrast_transfer(np.zeros((32, 30)), np.zeros((32, 30)))
    with pytest.raises(ValueError, match="max_frequency"):
        pm.contrast_transfer(plate, plate, max_frequency=0.7)
    with pytest.raises(ValueError, match="non-empty"):
        pm.plot_contrast_transfer(plate, {})
    from srlib.patterns import zone_plate

    zp = zone_plate(64)
    figure = pm.plot_contrast_transfer(zp, {"bicubic": zp, "model": zp}, scale=3, bins=8)
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert "bicubic" in labels and "model" in labels


def test_contrast_transfer_refuses_mixed_scales():
    import numpy as np
    import pytest

    from srlib.plots._networks import contrast_transfer

    plate = np.zeros((32, 32), np.uint8)
    with pytest.raises(ValueError, match="one scale"):
        contrast_transfer(plate, plate.astype(np.float64) / 255)

"""Tests for srlib.plots._charts: results tables, speed vs quality, training curves, contrast transfer."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from srlib.plots import _charts as charts
from srlib.plots._style import BASELINE_COLOR, MODEL_COLORS, method_colors


def _titles(figure: Figure) -> list[str]:
    return [ax.get_title() for ax in figure.axes]


def test_table_figure_bars_table_and_baseline() -> None:
    rows = [["bicubic", 30.39, 0.8682], ["nearest", 28.1, 0.81], ["SRCNN", 32.5, 0.905]]
    figure = charts.table_figure(rows, ["method", "PSNR (dB)", "SSIM"], title="Set5 x3")
    bar_ax, table_ax = figure.axes
    heights = [patch.get_height() for patch in bar_ax.patches]
    assert heights == pytest.approx([30.39, 28.1, 32.5])
    assert bar_ax.get_ylabel() == "PSNR (dB)"
    colors = [patch.get_facecolor() for patch in bar_ax.patches]
    assert colors[0] != colors[1] and colors[1] == colors[2]  # the baseline stands out
    assert bar_ax.get_ylim()[0] == 0.0, "bars start at zero: a 5 % gap must look like 5 %"
    table = table_ax.tables[0]
    cells = {key: cell.get_text().get_text() for key, cell in table.get_celld().items()}
    assert cells[(0, 0)] == "method" and cells[(1, 0)] == "bicubic" and cells[(3, 1)] == "32.50"
    assert cells[(1, 2)] == "0.8682"
    figure.canvas.draw()


def test_table_figure_dict_rows_and_chosen_column() -> None:
    rows = [{"model": "bicubic", "PSNR": 30.0, "SSIM": 0.86}, {"model": "ESPCN", "PSNR": 31.0, "SSIM": 0.88}]
    figure = charts.table_figure(rows, ["model", "PSNR", "SSIM"], bar_column="SSIM")
    assert [p.get_height() for p in figure.axes[0].patches] == pytest.approx([0.86, 0.88])


@pytest.mark.parametrize("rows, columns, kwargs, message", [
    ([["a", 1.0]], ["only"], {}, "label column"),
    ([["a", 1.0, 2.0]], ["m", "x"], {}, "has 3 values"),
    ([], ["m", "x"], {}, "empty"),
    ([["a", "text"]], ["m", "x"], {}, "no numeric column"),
    ([["a", 1.0]], ["m", "x"], {"bar_column": "y"}, "bar_column"),
    ([{"m": "a"}], ["m", "x"], {}, "lacks columns"),
])
def test_table_figure_bad_input(rows: list, columns: list, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        charts.table_figure(rows, columns, **kwargs)


# ----------------------------------------------------------------------------- profile
def test_table_figure_negative_values_start_bars_at_zero() -> None:
    figure = charts.table_figure([["sharpen", -0.4], ["blur", 1.2]], ["LR", "change (dB)"], baseline=None)
    bar_ax = figure.axes[0]
    low, high = bar_ax.get_ylim()
    assert low < -0.4 and high > 1.2
    assert [p.get_height() for p in bar_ax.patches] == pytest.approx([-0.4, 1.2])


def _pairwise_overlap(boxes: list) -> bool:
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


@pytest.mark.parametrize("count", [3, 7, 30])
def test_table_figure_lays_out_long_labels(tmp_path, count: int) -> None:
    """Long row labels and column names are wrapped / sized so nothing overlaps or leaves the figure."""
    long_names = ["bicubic", "a very long model name: SRCNN 9-5-5 trained on T91 + General100 with augmentation",
                  "antialias off (TF default), x4", "round LR once, not per pass", "FSRCNN (d=56, s=12, m=4)"]
    rows = [[long_names[i % len(long_names)] + ("" if i < len(long_names) else f" #{i}"), 28 + 0.1 * i, 0.8 + 0.001 * i]
            for i in range(count)]
    columns = ["method (training data, details)", "Y-PSNR on Set5 x3 (dB), border = scale",
               "SSIM on Set5 x3 (Y channel), border = scale"]
    figure = charts.table_figure(rows, columns, title="A long title " * 8)
    figure.savefig(tmp_path / "table.png")  # renders without error
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # lays out (constrained layout) at the figure's dpi
    renderer = canvas.get_renderer()
    figure_box = figure.bbox

    bar_ax, table_ax = figure.axes
    ticks = [label.get_window_extent(renderer) for label in bar_ax.get_xticklabels() if label.get_text()]
    assert len(ticks) == count and not _pairwise_overlap(ticks), "x tick labels overlap"
    texts = [figure._suptitle, bar_ax.title, bar_ax.yaxis.label, *bar_ax.get_xticklabels()]
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= figure_box.x0 - 1 and box.x1 <= figure_box.x1 + 1, f"{text.get_text()!r} leaves the figure"
        assert box.y0 >= figure_box.y0 - 1 and box.y1 <= figure_box.y1 + 1, f"{text.get_text()!r} leaves the figure"

    table = table_ax.tables[0]
    cells = table.get_celld()
    for (row, column), cell in cells.items():
        cell_box = cell.get_window_extent(renderer)
        text_box = cell.get_text().get_window_extent(renderer)
        assert text_box.x0 >= cell_box.x0 - 1 and text_box.x1 <= cell_box.x1 + 1, \
            f"cell {(row, column)} text {cell.get_text().get_text()!r} is wider than its cell"
        assert text_box.y0 >= cell_box.y0 - 1 and text_box.y1 <= cell_box.y1 + 1, \
            f"cell {(row, column)} text {cell.get_text().get_text()!r} is taller than its cell"
        assert cell_box.x0 >= figure_box.x0 - 1 and cell_box.x1 <= figure_box.x1 + 1
        assert cell_box.y0 >= figure_box.y0 - 1 and cell_box.y1 <= figure_box.y1 + 1
    # the label column is the widest; the long column names are wrapped, the words kept
    assert cells[(0, 0)].get_width() > cells[(0, 1)].get_width()
    assert "\n" in cells[(0, 1)].get_text().get_text()
    assert " ".join(cells[(0, 1)].get_text().get_text().split()) == columns[1]
    assert cells[(1, 0)].get_text().get_text() == "bicubic"  # short texts stay as they are
    # the table does not overlap the bar chart's tick labels
    table_box = table_ax.get_window_extent(renderer)
    top_of_table = max(cell.get_window_extent(renderer).y1 for cell in cells.values())
    assert top_of_table <= min(box.y0 for box in ticks) + 1
    assert table_box.width > 0


def test_table_figure_decimals_per_column() -> None:
    rows = [["RGB instead of Y", 1.4171, 0.9], ["antialias off", 0.64361, 0.85], ["PIL", 0.00123, 0.8]]
    figure = charts.table_figure(rows, ["choice", "change (dB)", "SSIM"], baseline=None, digits=3)
    cells = {key: cell.get_text().get_text() for key, cell in figure.axes[1].tables[0].get_celld().items()}
    assert [cells[(r, 1)] for r in (1, 2, 3)] == ["1.417", "0.644", "0.001"], "one column, one format"
    assert [cells[(r, 2)] for r in (1, 2, 3)] == ["0.90000", "0.85000", "0.80000"], "all below 1: two more decimals"


def test_table_figure_many_short_labels_stay_horizontal() -> None:
    rows = [[f"x{i}", 30.0 - 0.1 * i] for i in range(2, 32)]
    figure = charts.table_figure(rows, ["scale", "PSNR (dB)"], baseline=None)
    assert all(label.get_rotation() == 0 for label in figure.axes[0].get_xticklabels())
    long_rows = [[f"a rather long method name {i}", 30.0 - 0.1 * i] for i in range(30)]
    figure = charts.table_figure(long_rows, ["method", "PSNR (dB)"], baseline=None)
    assert all(label.get_rotation() == 90 for label in figure.axes[0].get_xticklabels())

def test_speed_quality_chart_points_and_validation():
    rows = [{"method": "bicubic", "psnr": 30.4, "ms_per_megapixel": 20, "parameters": 0},
            {"method": "SRCNN", "psnr": 32.4, "ms_per_megapixel": 900, "parameters": 8129},
            {"method": "ESPCN", "psnr": 32.5, "ms_per_megapixel": 150, "parameters": 22729, "group": "Set5"}]
    figure = charts.speed_quality_chart(rows)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    gids = {child.get_gid() for child in ax.collections}
    assert {"point-bicubic", "point-SRCNN", "point-ESPCN"} <= gids
    figure.savefig(__import__("io").BytesIO(), format="png")
    with pytest.raises(ValueError, match="lacks 'psnr'"):
        charts.speed_quality_chart([{"method": "a", "ms_per_megapixel": 1, "parameters": 0}])
    with pytest.raises(ValueError, match="positive"):
        charts.speed_quality_chart([{"method": "a", "psnr": 1, "ms_per_megapixel": 0, "parameters": 0}])
    with pytest.raises(ValueError, match="non-empty"):
        charts.speed_quality_chart([])


def test_plot_training_curve():
    figure = charts.plot_training_curve([10, 20], [30.0, 31.0], baseline=30.5, loss=[0.1, 0.05, 0.02])
    assert _titles(figure) == ["validation PSNR", "training loss"]
    assert len(charts.plot_training_curve([1], [2.0]).axes) == 1
    with pytest.raises(ValueError, match="same length|one non-zero length"):
        charts.plot_training_curve([1, 2], [3.0])


def test_plot_contrast_transfer_draws_one_line_per_method():
    from srlib.patterns import zone_plate

    with pytest.raises(ValueError, match="non-empty"):
        charts.plot_contrast_transfer(np.zeros((32, 32)), {})
    zp = zone_plate(64)
    figure = charts.plot_contrast_transfer(zp, {"bicubic": zp, "model": zp}, scale=3, bins=8)
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    assert lines["bicubic"].get_color() == BASELINE_COLOR and lines["model"].get_color() == MODEL_COLORS[0]
    np.testing.assert_allclose(lines["model"].get_ydata(), 1.0)  # a copy restores everything


def test_method_colors_keep_the_baseline_grey_and_the_order():
    colours = method_colors(["SRCNN", "bicubic", "ESPCN", "bicubic (clean)", "SRCNN"])
    assert colours == {"SRCNN": MODEL_COLORS[0], "bicubic": BASELINE_COLOR, "ESPCN": MODEL_COLORS[1],
                       "bicubic (clean)": BASELINE_COLOR}
    assert method_colors(["bicubic"], baseline=None) == {"bicubic": MODEL_COLORS[0]}


def test_table_figure_groups_rows_into_one_chart() -> None:
    rows = [[method, f"x{scale}", psnr, psnr - base]
            for scale, base in ((2, 31.6), (4, 27.1))
            for method, psnr in (("nearest", base - 1.9), ("bicubic", base), ("lanczos3", base + 0.3))]
    figure = charts.table_figure(rows, ["method", "scale", "PSNR (dB)", "vs bicubic (dB)"],
                                 bar_column="vs bicubic (dB)", group_column="scale")
    bar_ax, table_ax = figure.axes
    bars = bar_ax.patches
    assert [p.get_height() for p in bars] == pytest.approx([r[3] for r in rows])
    centres = [p.get_x() + p.get_width() / 2 for p in bars]
    assert centres[0] < centres[3] < centres[1] < centres[4], "one cluster per method, x2 left of x4"
    assert bars[0].get_facecolor() == bars[1].get_facecolor() != bars[3].get_facecolor(), "colour = group"
    assert [t.get_text() for t in bar_ax.get_legend().get_texts()] == ["scale x2", "scale x4"]
    assert [t.get_text() for t in bar_ax.get_xticklabels()] == ["nearest", "bicubic", "lanczos3"]
    low, high = bar_ax.get_ylim()
    assert low < -1.9 and 0.3 < high < 1.0
    cells = table_ax.tables[0].get_celld()
    assert len({key[0] for key in cells}) == len(rows) + 1, "the table keeps every row"
    figure.canvas.draw()
    with pytest.raises(ValueError, match="once"):
        charts.table_figure(rows + [rows[0]], ["method", "scale", "PSNR (dB)", "vs bicubic (dB)"],
                            group_column="scale")
    with pytest.raises(ValueError, match="group_column"):
        charts.table_figure(rows, ["method", "scale", "PSNR (dB)", "vs bicubic (dB)"], group_column="size")


def test_layer_cost_chart_labels_every_segment_with_one_colour_per_role():
    costs = {"SRCNN": {"patch_extraction": 5184.0, "nonlinear_mapping": 2048.0, "reconstruction": 800.0},
             "FSRCNN": {"feature_extraction": 156.0, "shrinking": 75.0, **{f"mapping_{i}": 144.0 for i in range(1, 5)},
                        "expanding": 75.0, "deconvolution": 504.0}}
    figure = charts.layer_cost_chart(costs, roles={"patch_extraction": "feature extraction",
                                                   "nonlinear_mapping": "mapping"})
    ax = figure.axes[0]
    bars = {patch.get_gid(): patch for patch in ax.patches if patch.get_gid()}
    assert len(bars) == 3 + 8
    assert sum(bars[f"FSRCNN/{layer}"].get_width() for layer in costs["FSRCNN"]) == pytest.approx(100.0)
    assert bars["FSRCNN/deconvolution"].get_width() == pytest.approx(100 * 504 / sum(costs["FSRCNN"].values()))
    colour = {gid: patch.get_facecolor() for gid, patch in bars.items()}
    assert colour["SRCNN/patch_extraction"] == colour["FSRCNN/feature_extraction"], "one role, one colour"
    assert colour["SRCNN/nonlinear_mapping"] == colour["FSRCNN/mapping_1"] == colour["FSRCNN/mapping_4"]
    assert colour["FSRCNN/shrinking"] != colour["FSRCNN/expanding"]
    texts = [t.get_text() for t in ax.texts]
    for layer in costs["FSRCNN"]:  # every segment labelled, inside or above its bar
        assert any(text.startswith(layer.replace("_", " ")) for text in texts), layer
    assert "1,386" in texts and "8,032" in texts
    legend = figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [
        "feature extraction", "mapping", "reconstruction", "shrinking", "expanding", "deconvolution"]
    figure.canvas.draw()


@pytest.mark.parametrize("costs, message", [
    ({}, "non-empty"), ({"a": {}}, "non-empty"), ({"a": {"x": -1.0}}, ">= 0"), ({"a": {"x": 0.0}}, "adds up to 0"),
])
def test_layer_cost_chart_bad_input(costs, message):
    with pytest.raises(ValueError, match=message):
        charts.layer_cost_chart(costs)


def test_perception_distortion_plane_puts_better_up_and_right():
    from srlib.plots import plot_perception_distortion

    points = {"bicubic": (26.0, 7.6), "srresnet": (27.6, 6.3), "alpha 0.0": (27.6, 6.3), "alpha 0.5": (27.2, 5.2),
              "alpha 1.0": (26.3, 4.4)}
    figure = plot_perception_distortion(points, path=["alpha 0.0", "alpha 0.5", "alpha 1.0"])
    ax = figure.axes[0]
    assert ax.yaxis_inverted() and "PSNR" in ax.get_xlabel() and "NIQE" in ax.get_ylabel()
    labels = {text.get_text() for text in ax.texts}
    assert {"bicubic", "srresnet", "alpha 0.0", "alpha 1.0"} <= labels and "alpha 0.5" not in labels
    assert list(ax.lines[0].get_xdata()) == [27.6, 27.2, 26.3]
    with pytest.raises(ValueError, match="not in points"):
        plot_perception_distortion(points, path=["gan"])
    with pytest.raises(ValueError, match="pair"):
        plot_perception_distortion({"x": 3.0})

"""Tests for srlib.plots._images: figure structure, the values drawn, and bad input."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from srlib.plots import _images as plots
from srlib.images import rgb_to_y
from srlib.metrics import psnr


def _smooth(height: int = 48, width: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = 0.5 + 0.3 * np.sin(0.3 * x + 0.2 * y)[..., None] * np.array([1.0, 0.8, 0.6])
    noise = rng.normal(0, 0.03, (height, width, 3))
    return np.clip(np.rint((base + noise) * 255), 0, 255).astype(np.uint8)


def _image_axes(figure: Figure) -> list:
    return [ax for ax in figure.axes if ax.images]


def _texts(figure: Figure) -> list[str]:
    """Texts drawn on the axes, metric captions (x labels with gid "metric-caption") included."""
    captions = [ax.xaxis.label.get_text() for ax in figure.axes if ax.xaxis.label.get_gid() == "metric-caption"]
    return [text.get_text() for ax in figure.axes for text in ax.texts] + captions


# ----------------------------------------------------------------------------- compare
def test_compare_titles_zoom_and_metric_captions() -> None:
    truth = _smooth()
    blurred = np.clip(truth.astype(int) + 6, 0, 255).astype(np.uint8)
    figure = plots.compare({"ground truth": truth, "brighter": blurred}, zoom=(4, 6, 16, 12),
                           reference=truth, border=2)
    assert isinstance(figure, Figure)
    titles = [ax.get_title() for ax in _image_axes(figure)]
    assert titles == ["ground truth", "ground truth (zoom)", "brighter", "brighter (zoom)"]
    full, zoomed = _image_axes(figure)[:2]
    assert not full.axison  # images without axes; the zoom shows only its frame and caption
    assert not zoomed.get_xticks().size and not zoomed.get_yticks().size
    assert zoomed.images[0].get_array().shape == (16, 12, 3)
    np.testing.assert_array_equal(zoomed.images[0].get_array(), truth[4:20, 6:18])
    assert full.images[0].get_interpolation() == "nearest"
    assert len(full.patches) == 1  # the zoom rectangle
    captions = _texts(figure)
    expected = psnr(truth, blurred, border=2, channel="y")
    assert "reference" in captions
    labels = [ax.xaxis.label for ax in figure.axes if ax.xaxis.label.get_gid() == "metric-caption"]
    assert labels and all(label.get_fontsize() >= 10 for label in labels), "captions readable (10 pt)"
    assert any(f"PSNR {expected:.2f} dB" in text and "SSIM" in text for text in captions)
    figure.canvas.draw()  # renders without error under Agg


def test_compare_without_zoom_grid_and_grey_float_images() -> None:
    images = {f"image {i}": np.linspace(0, 1, 20 * 30).reshape(20, 30) for i in range(5)}
    figure = plots.compare(images, ncols=2, title="five")
    axes = _image_axes(figure)
    assert len(axes) == 5
    assert [ax.get_title() for ax in axes] == list(images)
    assert figure.get_suptitle() == "five"
    assert axes[0].images[0].get_array().dtype == np.uint8
    assert _texts(figure) == []  # no reference: no captions


def test_compare_reports_images_of_other_size_without_metrics() -> None:
    truth = _smooth()
    figure = plots.compare({"truth": truth, "small": truth[::2, ::2]}, reference=truth)
    assert any("no metrics" in text for text in _texts(figure))


@pytest.mark.parametrize("kwargs, message", [
    ({"images": {}}, "non-empty"),
    ({"images": {"a": np.zeros((2, 8, 8, 3), np.uint8)}}, "shape"),
    ({"images": {"a": np.full((8, 8), 2.0)}}, r"\[0, 1\]"),
    ({"images": {"a": np.full((8, 8), 300, np.int32)}}, "outside"),
    ({"images": {"a": np.zeros((8, 8)), "b": np.zeros((9, 8))}, "zoom": (0, 0, 4, 4)}, "one size"),
    ({"images": {"a": np.zeros((8, 8))}, "zoom": (6, 0, 4, 4)}, "does not fit"),
    ({"images": {"a": np.zeros((8, 8))}, "zoom": (0, 0, 4)}, "zoom must be"),
    ({"images": {"a": np.zeros((8, 8))}, "ncols": 0}, "ncols"),
    ({"images": {"a": np.zeros((8, 8))}, "border": -1}, "border"),
])
def test_compare_bad_input(kwargs: dict, message: str) -> None:
    images = kwargs.pop("images")
    with pytest.raises(ValueError, match=message):
        plots.compare(images, **kwargs)


# ----------------------------------------------------------------------------- differences
def test_difference_is_test_minus_reference_in_grey_levels() -> None:
    truth = _smooth()
    brighter = np.clip(truth.astype(int) + 10, 0, 255).astype(np.uint8)
    expected = rgb_to_y(brighter, rounded=False) - rgb_to_y(truth, rounded=False)
    np.testing.assert_allclose(plots.difference(truth, brighter), expected)
    grey = np.full((6, 7), 100, np.uint8)
    np.testing.assert_array_equal(plots.difference(grey, grey + 5, channel="rgb"), np.full((6, 7), 5.0))


def test_float_images_are_quantised_like_to_uint8() -> None:
    """Float images go through srlib.images.to_uint8 (halves up), not np.rint (halves to even)."""
    from srlib.images import to_uint8

    grey = np.full((4, 4), 2.5 / 255.0)
    assert plots.difference(np.zeros((4, 4)), grey)[0, 0] == to_uint8(grey)[0, 0] == 3


def test_difference_map_signed_and_absolute() -> None:
    truth = _smooth()
    darker = np.clip(truth.astype(int) - 20, 0, 255).astype(np.uint8)
    figure = plots.difference_map(truth, darker)
    assert len(figure.axes) == 2  # image + colour bar
    image_ax = _image_axes(figure)[0]
    shown = image_ax.images[0]
    assert shown.get_cmap().name == "RdBu_r"
    low, high = shown.get_clim()
    assert low == -high and high >= 1
    assert np.asarray(shown.get_array()).max() < 0  # darker everywhere
    assert image_ax.get_title() == "test - reference (Y)"
    assert "grey levels" in figure.axes[1].get_ylabel()

    absolute = plots.difference_map(truth, darker, signed=False, channel="rgb", vmax=30, zoom=(0, 0, 10, 12))
    shown = _image_axes(absolute)[0].images[0]
    assert shown.get_clim() == (0, 30)
    assert np.asarray(shown.get_array()).shape == (10, 12)
    assert np.asarray(shown.get_array()).min() >= 0


@pytest.mark.parametrize("kwargs, message", [
    ({"test": np.zeros((10, 10, 3), np.uint8)}, "same shape"),
    ({"channel": "cb"}, "channel"),
    ({"vmax": 0}, "vmax"),
])
def test_difference_map_bad_input(kwargs: dict, message: str) -> None:
    truth = _smooth()
    test = kwargs.pop("test", truth)
    with pytest.raises(ValueError, match=message):
        plots.difference_map(truth, test, **kwargs)


# ----------------------------------------------------------------------------- spectra
def test_spectrum_peaks_at_the_cosine_frequency() -> None:
    size, cycles = 64, 8
    x = np.arange(size)
    image = np.tile(0.5 + 0.4 * np.cos(2 * np.pi * cycles * x / size), (size, 1))
    values = plots.spectrum(image, window=None)
    assert values.shape == (size, size) and values.min() >= 0
    row, column = np.unravel_index(np.argmax(values), values.shape)
    assert row == size // 2 and abs(column - size // 2) == cycles
    assert values[size // 2, size // 2] == pytest.approx(0.0, abs=1e-6)  # mean removed
    windowed = plots.spectrum(image)
    assert windowed.shape == (size, size)


def test_spectrum_bad_window() -> None:
    with pytest.raises(ValueError, match="window"):
        plots.spectrum(np.zeros((8, 8)), window="kaiser")


def test_plot_spectra_shares_one_colour_scale() -> None:
    truth = _smooth()
    figure = plots.plot_spectra({"truth": truth, "shifted": np.roll(truth, 3, axis=1)}, title="spectra")
    axes = _image_axes(figure)
    assert [ax.get_title() for ax in axes] == ["truth", "shifted"]
    assert axes[0].images[0].get_clim() == axes[1].images[0].get_clim()
    assert axes[0].get_xlim() == (-0.5, 0.5)
    assert figure.get_suptitle() == "spectra"
    assert len(figure.axes) == 3  # two spectra + colour bar


# ----------------------------------------------------------------------------- table
def test_line_profile_plots_the_luma_row() -> None:
    truth = _smooth()
    other = np.clip(truth.astype(int) + 4, 0, 255).astype(np.uint8)
    figure = plots.line_profile({"truth": truth, "other": other}, row=5, span=(3, 30), reference="truth")
    ax = figure.axes[0]
    data_lines = [line for line in ax.lines if line.get_label() in ("truth", "other")]
    assert [line.get_label() for line in data_lines] == ["truth", "other"]
    np.testing.assert_allclose(data_lines[0].get_ydata(), rgb_to_y(truth, rounded=False)[5, 3:30])
    np.testing.assert_array_equal(data_lines[1].get_xdata(), np.arange(3, 30))
    assert data_lines[0].get_linewidth() > data_lines[1].get_linewidth()
    assert ax.get_xlabel() == "column (pixels)"


def test_line_profile_marks_clipping_limits_near_the_data() -> None:
    step = np.zeros((8, 20), np.uint8)
    step[:, 10:] = 250
    figure = plots.line_profile({"step": step}, row=2)
    gids = {line.get_gid() for line in figure.axes[0].lines}
    assert {"clip-0", "clip-255"} <= gids


@pytest.mark.parametrize("kwargs, message", [
    ({"row": 99}, "row"),
    ({"row": 1, "span": (5, 2)}, "span"),
    ({"row": 1, "reference": "missing"}, "reference"),
    ({"row": 1, "channel": "lab"}, "channel"),
])
def test_line_profile_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plots.line_profile({"a": _smooth()}, **kwargs)


def test_line_profile_needs_one_size() -> None:
    with pytest.raises(ValueError, match="one size"):
        plots.line_profile({"a": _smooth(), "b": _smooth(20, 20)}, row=1)


def test_difference_map_says_where_its_colours_saturate() -> None:
    truth = _smooth()
    test = truth.copy()
    test[5:7, 5:30] = 255  # a few large errors among none
    figure = plots.difference_map(truth, test, vmax=4.0)
    label = figure.axes[1].get_ylabel()
    assert "saturates at ±4" in label and "largest" in label
    assert figure.axes[0].images[0].get_clim() == (-4.0, 4.0)
    quiet = plots.difference_map(truth, truth)
    assert "saturates" not in quiet.axes[1].get_ylabel()

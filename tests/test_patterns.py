"""Tests for srlib.patterns: shapes, determinism, frequency content, bad input."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srlib import patterns
from srlib.patterns import (PATTERNS, checkerboard, edge, pattern, resolution_chart, siemens_star,
                            text_chart, zone_plate)


def _zero_crossings(values: np.ndarray) -> int:
    centred = values.astype(np.float64) - 127.5
    return int(np.sum(np.signbit(centred[1:]) != np.signbit(centred[:-1])))


@pytest.mark.parametrize("name", PATTERNS)
@pytest.mark.parametrize("size", [16, 97, 256])
def test_every_pattern_is_uint8_rgb_of_the_requested_size(name: str, size: int) -> None:
    image = pattern(name, size)
    assert image.shape == (size, size, 3)
    assert image.dtype == np.uint8
    assert image.flags.c_contiguous
    # grey patterns: the three channels are equal
    assert np.array_equal(image[..., 0], image[..., 1]) and np.array_equal(image[..., 1], image[..., 2])


@pytest.mark.parametrize("name", PATTERNS)
def test_patterns_are_deterministic_and_use_a_wide_range(name: str) -> None:
    first, second = pattern(name, 128), pattern(name, 128)
    assert np.array_equal(first, second)
    assert int(first.max()) - int(first.min()) >= 100


def test_pattern_dispatcher_passes_options_and_rejects_unknown_names() -> None:
    assert np.array_equal(pattern("checkerboard", 64, square=8), checkerboard(64, square=8))
    with pytest.raises(ValueError, match="unknown pattern 'zoneplate'"):
        pattern("zoneplate", 64)
    assert patterns.PATTERNS == ("zone_plate", "siemens_star", "resolution_chart", "text_chart",
                                 "checkerboard", "edge")


def test_zone_plate_local_frequency_grows_with_radius() -> None:
    image = zone_plate(256)
    row = image[128, 128:, 0]  # centre to right edge
    counts = [_zero_crossings(row[start:start + 16]) for start in range(0, 128, 16)]
    assert counts == sorted(counts) and counts[-1] > counts[0] + 10
    # near the edge the chirp alternates almost every pixel (Nyquist: 0.5 cycles/pixel)
    assert counts[-1] >= 14
    assert image[128, 128, 0] == 255  # white centre (pixel centres are +-0.5 from the true centre)


def test_zone_plate_spectrum_reaches_nyquist() -> None:
    gray = zone_plate(256)[..., 0].astype(np.float64) - 127.5
    power = np.abs(np.fft.fft2(gray)) ** 2
    fx, fy = np.meshgrid(np.fft.fftfreq(256), np.fft.fftfreq(256))
    radial = np.hypot(fx, fy)
    assert power[radial > 0.4].sum() / power.sum() > 0.3


def test_zone_plate_aliases_when_decimated_without_antialias() -> None:
    # naive 2x decimation folds the outer rings back: the local frequency then *falls* towards the edge
    decimated = zone_plate(256)[::2, ::2, 0]
    row = decimated[64, 64:]
    counts = [_zero_crossings(row[start:start + 8]) for start in range(0, 64, 8)]
    assert max(counts) > counts[-1] + 3


def test_zone_plate_max_frequency_option() -> None:
    low = zone_plate(256, max_frequency=0.1)
    assert _zero_crossings(low[128, 128:, 0]) < _zero_crossings(zone_plate(256)[128, 128:, 0]) / 3
    for bad in (0, -0.1, 0.51, "0.5", True):
        with pytest.raises(ValueError, match="max_frequency"):
            zone_plate(64, max_frequency=bad)


def test_siemens_star_has_spokes_and_grey_surround() -> None:
    star = siemens_star(256, spokes=16)
    assert star[0, 0, 0] == 128  # outside the disc
    ring = [star[int(128 + 100 * np.sin(a)), int(128 + 100 * np.cos(a)), 0]
            for a in np.linspace(0, 2 * np.pi, 720, endpoint=False)]
    transitions = _zero_crossings(np.array(ring + ring[:1]))
    assert transitions == 32  # 16 black + 16 white wedges
    hard = siemens_star(64, supersample=1)
    assert set(np.unique(hard)) <= {0, 128, 255}
    with pytest.raises(ValueError, match="spokes"):
        siemens_star(64, spokes=1)
    with pytest.raises(ValueError, match="supersample"):
        siemens_star(64, supersample=0)


def test_resolution_chart_bar_periods() -> None:
    chart = resolution_chart(512, periods=(8, 2))
    group = 256
    margin = group // 16
    top_row = chart[128, margin:group - margin, 0]
    assert _zero_crossings(top_row) == pytest.approx(2 * len(top_row) / 8, abs=2)
    finest = chart[128, group + margin:2 * group - margin, 0]
    assert np.all(finest[::2] == 0) and np.all(finest[1::2] == 255)
    bottom_column = chart[256 + margin:512 - margin, group + margin + 3, 0]
    assert np.all(bottom_column[::2] == 0) and np.all(bottom_column[1::2] == 255)
    with pytest.raises(ValueError, match="periods"):
        resolution_chart(128, periods=(4, 1))
    for size in (16, 64, 128, 512):  # the default drops coarse periods that do not fit
        assert resolution_chart(size).shape == (size, size, 3)
    assert patterns.DEFAULT_PERIODS[-1] == 2
    with pytest.raises(ValueError, match="too small"):
        resolution_chart(32, periods=(16, 8, 4))


def test_text_chart_draws_dark_text_on_white() -> None:
    chart = text_chart(256)
    assert chart[-1, -1, 0] == 255
    dark_fraction = np.mean(chart[..., 0] < 128)
    assert 0.02 < dark_fraction < 0.5
    assert not np.array_equal(text_chart(128, text="abc"), text_chart(128, text="xyz"))
    with pytest.raises(ValueError, match="text"):
        text_chart(64, text="   ")
    with pytest.raises(ValueError, match="font_sizes"):
        text_chart(64, font_sizes=(2,))


def test_checkerboard_squares() -> None:
    assert np.array_equal(checkerboard(64), checkerboard(64, square=8))
    board = checkerboard(64, square=16)
    assert set(np.unique(board)) == {0, 255}
    assert board[0, 0, 0] == 255 and board[0, 16, 0] == 0 and board[16, 16, 0] == 255
    with pytest.raises(ValueError, match="square"):
        checkerboard(64, square=0)
    with pytest.raises(ValueError, match="square"):
        checkerboard(64, square=65)


def test_edge_is_a_crisp_step_with_levels_away_from_the_clip_limits() -> None:
    step = edge(64, low=50, high=200)
    assert np.all(step[:, :32] == 50) and np.all(step[:, 32:] == 200)
    slanted = edge(64, angle=5.0)
    assert slanted.min() == 64 and slanted.max() == 192
    assert len(np.unique(slanted)) > 2  # partial-coverage pixels along the slanted edge
    tilted = edge(64, angle=20.0)[:, :, 0]  # the documented direction: the top of the edge moves right
    assert np.argmax(tilted[0] > 128) > 32 > np.argmax(tilted[-1] > 128)
    with pytest.raises(ValueError, match="angle"):
        edge(64, angle=120)
    with pytest.raises(ValueError, match="high"):
        edge(64, high=300)


@pytest.mark.parametrize("bad", [15, 0, -4, 8193, 64.0, "64", None, True])
def test_bad_sizes_are_rejected_with_the_value_named(bad: object) -> None:
    with pytest.raises(ValueError, match="size"):
        zone_plate(bad)  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(size=st.integers(16, 200), name=st.sampled_from(PATTERNS))
def test_property_any_valid_size_gives_a_square_uint8_rgb_image(size: int, name: str) -> None:
    image = pattern(name, size)
    assert image.shape == (size, size, 3) and image.dtype == np.uint8

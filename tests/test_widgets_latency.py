"""Tests for srlib.widgets._latency: the method explorer's latency measurement."""
from __future__ import annotations

import pytest

from srlib.widgets import widget_latency


def test_widget_latency_reports_stats() -> None:
    result = widget_latency(n=3, n_cold=1, size=64, methods=("nearest",), verbose=False)
    for kind in ("cold", "cached", "zoom"):
        stats = result[kind]
        assert set(stats) == {"median_ms", "p95_ms", "min_ms", "max_ms", "cpu_median_ms", "n"}
        assert 0 <= stats["min_ms"] <= stats["median_ms"] <= stats["p95_ms"] <= stats["max_ms"]
        assert stats["cpu_median_ms"] >= 0
    assert result["cached"]["n"] == 3 and result["cold"]["n"] == 1
    assert result["methods"] == ["bicubic", "nearest"]


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n_cold": 0}, {"size": 8}, {"n": 2.5}])
def test_widget_latency_bad_input(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"(n|n_cold|size) must be an integer >= "):
        widget_latency(verbose=False, **kwargs)

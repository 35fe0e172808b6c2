"""Tests for srlib.bench and ``python -m srlib benchmark`` (tiny configurations, no timing assertions)."""
from __future__ import annotations

import json

import pytest

from srlib.bench import benchmark, markdown_table, matmul_peak_gflops, median_seconds
from srlib.cli import main

pytest.importorskip("keras")


def test_peak_runs_without_blas_overrides_and_names_its_kernel(monkeypatch):
    """OPENBLAS_CORETYPE & co. pin a kernel: the probe drops them in its own process and says so."""
    monkeypatch.setenv("OPENBLAS_VERBOSE", "0")  # harmless, but one of the overrides
    peak = matmul_peak_gflops(64, repeats=2)
    assert peak["isolated"] and peak["removed"] == ["OPENBLAS_VERBOSE"]
    assert peak["blas"]["internal_api"] and peak["blas"]["num_threads"] >= 1
    assert f"BLAS {peak['blas']['architecture'] or 'unknown'} kernel" in peak["method"]
    here = matmul_peak_gflops(64, repeats=2, isolated=False)
    assert not here["isolated"] and here["removed"] == [] and here["blas"] == here["here"]


def test_rgb_models_are_benchmarked_on_rgb():
    result = benchmark(["srresnet"], [4], size=16, repeats=1, train_steps=1, peak_n=64, widgets=False, verbose=False)
    (row,) = result["rows"]
    assert row["model"] == "srresnet" and row["network_ms_per_mp"] > 0 and row["train_patches_per_s"] > 0


def test_peak_and_median():
    peak = matmul_peak_gflops(64, repeats=2)
    assert peak["gflops"] > 0 and "numpy" in peak["method"]
    calls = []
    assert median_seconds(lambda: calls.append(1), repeats=3, warmup=2) >= 0
    assert len(calls) == 5
    with pytest.raises(ValueError, match="n must be >= 16 .* got n=4"):
        matmul_peak_gflops(4)
    with pytest.raises(ValueError, match="repeats must be >= 1 .* got repeats=0"):
        median_seconds(lambda: None, repeats=0)


def test_tiny_benchmark_rows_and_table():
    result = benchmark(["espcn"], [2], size=16, repeats=1, train_steps=1, peak_n=64, widgets=False, verbose=False)
    (row,) = result["rows"]
    assert row["model"] == "espcn" and row["scale"] == 2
    assert row["macs_per_output_pixel"] > 0 and row["parameters"] > 0
    for key in ("network_ms_per_mp", "upscale_ms_per_mp", "bicubic_ms_per_mp", "pil_bicubic_ms_per_mp", "gflops",
                "peak_fraction", "train_patches_per_s", "pipeline_patches_per_s"):
        assert row[key] > 0, key
    assert result["peak"]["gflops"] > 0 and result["widgets"] is None
    table = markdown_table(result)
    assert "| espcn | x2 |" in table and "% of peak" in table
    assert set(result["degradations"]) == {"bicubic", "classical", "realesrgan", "bsrgan"}
    assert all(row["patches_per_s"] > 0 for row in result["degradations"].values())
    assert "Degradation patches/s" in table and "realesrgan" in table


def test_bad_models_and_scales():
    with pytest.raises(ValueError, match="unknown model"):
        benchmark(["vdsr"], [2], widgets=False, verbose=False)
    with pytest.raises(ValueError, match=r"every entry of scales must be one of \(2, 3, 4\), got 5"):
        benchmark(["srcnn"], [5], widgets=False, verbose=False)


def test_cli_writes_json(tmp_path, capsys):
    out = tmp_path / "bench" / "results.json"
    code = main(["benchmark", "--models", "fsrcnn", "--scales", "3", "--size", "12", "--repeats", "1",
                 "--train-steps", "0", "--peak-n", "64", "--no-widgets", "--json", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    assert data["rows"][0]["model"] == "fsrcnn" and data["rows"][0]["train_patches_per_s"] is None
    assert "| fsrcnn | x3 |" in capsys.readouterr().out
    assert main(["benchmark", "--models", "srcnn", "--size", "2"]) == 2

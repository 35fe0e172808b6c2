"""Tests for ``python -m srlib evaluate`` (small generated images in tmp_path)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from srlib.cli import main
from srlib.commands.evaluate import markdown_table
from srlib.evaluate import evaluate

from conftest import make_smooth_rgb


@pytest.fixture
def two_sets(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "SetA", tmp_path / "SetB"
    first.mkdir()
    second.mkdir()
    Image.fromarray(make_smooth_rgb(48, 52, seed=5)).save(first / "one.png")
    Image.fromarray(make_smooth_rgb(50, 49, seed=6)).save(first / "two.png")
    Image.fromarray(make_smooth_rgb(45, 45, seed=7)[:, :, 2]).save(second / "gray.png")
    return first, second


def test_cli_prints_table_and_writes_json(two_sets, tmp_path, capsys):
    first, second = two_sets
    out = tmp_path / "results" / "eval.json"
    code = main(["evaluate", "--data", str(first), str(second), "--scale", "2", "3",
                 "--method", "bicubic", "nearest", "--json", str(out)])
    assert code == 0
    table = capsys.readouterr().out
    lines = [line for line in table.splitlines() if line.startswith("|")]
    assert lines[0] == "| Dataset | Scale | bicubic PSNR | bicubic SSIM | nearest PSNR | nearest SSIM |"
    assert [line.split("|")[1:3] for line in lines[2:]] == [
        [" SetA ", " x2 "], [" SetA ", " x3 "], [" SetB ", " x2 "], [" SetB ", " x3 "]]

    payload = json.loads(out.read_text())
    results = payload["results"]
    assert len(results) == 2 * 2 * 2  # datasets x methods x scales
    record = next(r for r in results if r["dataset"] == "SetA" and r["scale"] == 2 and r["method"] == "nearest")
    expected = evaluate("nearest", first, scales=(2,))
    assert record["mean"]["psnr"] == pytest.approx(expected.mean(2)["psnr"], abs=1e-6)
    assert record["baseline"]["psnr"] == pytest.approx(expected.mean(2)["baseline_psnr"], abs=1e-6)
    assert record["baseline"]["method"] == "bicubic"
    assert [row["image"] for row in record["images"]] == ["one", "two"]
    assert set(record["images"][0]) >= {"image", "scale", "method", "psnr", "ssim", "baseline_psnr", "baseline_ssim"}
    assert "modcrop" in payload["protocol"]
    assert f"{record['mean']['psnr']:.2f}" in table


def test_cli_defaults_and_y_protocol(two_sets, capsys):
    first, _ = two_sets
    assert main(["evaluate", "--data", str(first)]) == 0
    default_table = capsys.readouterr().out
    assert default_table.count("| SetA |") == 3  # scales 2, 3, 4
    assert main(["evaluate", "--data", str(first), "--scale", "2", "--protocol", "y"]) == 0
    assert "| SetA | x2 |" in capsys.readouterr().out


def test_cli_bad_inputs(tmp_path, two_sets, capsys):
    first, _ = two_sets
    assert main(["evaluate", "--data", str(tmp_path / "nope")]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["evaluate", "--data", str(first), "--method", "magic"]) == 2
    assert "magic" in capsys.readouterr().err
    assert main(["evaluate", "--data", str(first), "--scale", "1"]) == 2
    with pytest.raises(SystemExit):
        main(["evaluate", "--data", str(first), "--scale", "two"])
    with pytest.raises(SystemExit):
        main(["evaluate"])


def test_markdown_table_layout():
    records = [{"dataset": "D", "scale": 2, "method": "m",
                "mean": {"psnr": 31.234, "ssim": 0.91234}, "baseline": {"psnr": 30.0, "ssim": 0.9}}]
    table = markdown_table(records)
    assert table.splitlines()[2] == "| D | x2 | 30.00 | 0.9000 | 31.23 | 0.9123 |"


def test_python_dash_m_entry_point(two_sets):
    first, _ = two_sets
    done = subprocess.run([sys.executable, "-m", "srlib", "evaluate", "--data", str(first), "--scale", "2"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "| SetA | x2 |" in done.stdout
    assert np.isfinite(float(done.stdout.strip().splitlines()[-1].split("|")[3]))


def test_bad_json_paths_are_refused_before_any_work(two_sets, tmp_path, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(sys.modules["srlib.evaluate"], "evaluate", lambda *a, **k: calls.append(a) or None)
    first, _ = two_sets
    folder = tmp_path / "already-a-folder"
    folder.mkdir()
    assert main(["evaluate", "--data", str(first), "--scale", "2", "--json", str(folder)]) == 2
    assert "is a folder; give a file name" in capsys.readouterr().err
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["evaluate", "--data", str(first), "--scale", "2", "--json", str(blocker / "out.json")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert calls == []  # nothing was evaluated


def test_benchmark_refuses_a_folder_as_json_before_timing(tmp_path, capsys, monkeypatch):
    import srlib.bench

    monkeypatch.setattr(srlib.bench, "benchmark", lambda *a, **k: pytest.fail("timed before checking --json"))
    assert main(["benchmark", "--json", str(tmp_path)]) == 2
    assert "is a folder; give a file name" in capsys.readouterr().err


def test_cli_scores_a_degraded_benchmark_and_writes_its_lr_files(two_sets, tmp_path, capsys):
    from srlib.data import fixed_degradation, load_images
    from srlib.images import modcrop
    from srlib.metrics import psnr
    from srlib.upscale import upscale

    first, second = two_sets
    out = tmp_path / "deg.json"
    code = main(["evaluate", "--data", str(first), str(second), "--scale", "2", "--method", "nearest",
                 "--degradation", "realesrgan", "--degradation-seed", "3", "--save-lr", str(tmp_path / "lr"),
                 "--json", str(out)])
    assert code == 0
    table = capsys.readouterr().out
    assert "| SetA (realesrgan, seed 3) | x2 |" in table and "| SetB (realesrgan, seed 3) | x2 |" in table
    payload = json.loads(out.read_text())
    assert "degraded benchmarks (realesrgan): LR = srlib.data.fixed_degradation(HR, scale, NAME, seed=3" \
        in payload["protocol"]
    record = next(r for r in payload["results"] if r["dataset"] == "SetA")
    assert record["degradation"] == {"name": "realesrgan", "seed": 3}
    hr = modcrop(load_images(first)["one"], 2)
    lr = fixed_degradation(hr, 2, "realesrgan", seed=3, name="one").lr
    row = next(r for r in record["images"] if r["image"] == "one")
    assert row["baseline_psnr"] == pytest.approx(psnr(hr, upscale("bicubic", lr, 2), border=2), abs=1e-5)
    assert row["psnr"] == pytest.approx(psnr(hr, upscale("nearest", lr, 2), border=2), abs=1e-5)
    written = load_images(tmp_path / "lr" / "SetA_x2_realesrgan" / "LR")
    assert np.array_equal(written["one"], lr)
    grey = load_images(tmp_path / "lr" / "SetB_x2_realesrgan" / "LR", grayscale="keep")["gray"]
    assert grey.ndim == 2  # a grey image is degraded as a grey image
    clean = evaluate("nearest", first, scales=(2,)).mean(2)["baseline_psnr"]
    assert record["baseline"]["psnr"] < clean - 0.5  # the degradation costs bicubic dB
    # several settings in one run: the clean protocol and two degraded benchmarks, one row each
    assert main(["evaluate", "--data", str(first), "--scale", "2", "--method", "nearest",
                 "--degradation", "bicubic", "realesrgan", "classical", "--degradation-seed", "3"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| Set")]
    assert [row.split("|")[1].strip() for row in rows] == ["SetA", "SetA (realesrgan, seed 3)",
                                                          "SetA (classical, seed 3)"]
    assert f"{clean:.2f}" in rows[0]


def test_cli_refuses_bad_degradations(two_sets, capsys):
    first, _ = two_sets
    assert main(["evaluate", "--data", str(first), "--degradation", "smudge"]) == 2
    assert "unknown degradation 'smudge'" in capsys.readouterr().err
    assert main(["evaluate", "--data", str(first), "--degradation", "classical", "--protocol", "y"]) == 2
    assert "needs protocol='rgb'" in capsys.readouterr().err

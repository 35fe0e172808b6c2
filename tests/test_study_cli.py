"""``python -m srlib study``: argument errors (exit 2 with a message), a tiny run, --report, --test-data."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from srlib import cli
from srlib.data import eurosat


def _fails(capsys: pytest.CaptureFixture, argv: list[str], match: str) -> None:
    assert cli.main(argv) == 2
    assert match in capsys.readouterr().err


@pytest.mark.parametrize("argv, match", [
    (["study", "--quick"], "--quick needs --out"),
    (["study", "--out", "X", "--scales", "3"], "scales must be 2 or 4"),
    (["study", "--out", "X", "--methods", "bicubic", "wavelet"], "unknown method 'wavelet'"),
    (["study", "--out", "X", "--seeds", "1", "1"], "seeds has duplicates"),
    (["study", "--out", "X", "--epochs", "0"], "epochs must be a positive integer"),
    (["study", "--out", "X", "--method-weights", "fsrcnn_eurosat"], "METHOD=DIR"),
    (["study", "--out", "X", "--method-weights", "fsrcnn_custom=/w"], "not in --methods"),
    (["study", "--out", "X", "--mixed-methods", "wavelet"], "are not in methods"),
    (["study", "--out", "X", "--max-minutes", "-5"], "max_minutes"),
])
def test_bad_arguments_exit_2_with_a_message(capsys: pytest.CaptureFixture, argv: list[str], match: str) -> None:
    _fails(capsys, argv, match)


def test_missing_or_foreign_data_folders(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    _fails(capsys, ["study", "--out", str(tmp_path / "o"), "--data", str(tmp_path / "nope")], "no such folder")
    _fails(capsys, ["study", "--out", str(tmp_path / "o"), "--data", str(tmp_path)], "none of the EuroSAT class")
    _fails(capsys, ["study", "--out", str(tmp_path / "o"), "--report"], "no run files")
    _fails(capsys, ["study", "--out", str(tmp_path / "o"), "--test-data", str(eurosat.BUNDLED_SUBSET)],
           "no finished runs")


def test_tiny_study_report_and_rescore(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    out = tmp_path / "study"
    common = ["study", "--out", str(out), "--cache-dir", str(tmp_path / "cache"), "--scales", "4", "--methods",
              "nearest", "--seeds", "0", "--epochs", "1", "--batch-size", "16", "--widths", "4",
              "--limit-per-class", "3", "--verbose", "0"]
    assert cli.main(common + ["--only", "hr", "nearest_x4"]) == 0
    printed = capsys.readouterr().out
    assert "2 runs finished, 0 already done" in printed and "native HR classifier" in printed
    assert cli.main(common + ["--only", "hr"]) == 0
    assert "0 runs finished, 1 already done" in capsys.readouterr().out
    (out / "table.md").unlink()
    assert cli.main(common + ["--report"]) == 0 and (out / "table.md").is_file()
    capsys.readouterr()
    test_folder = tmp_path / "more_test_images"
    shutil.copytree(eurosat.BUNDLED_SUBSET / "Forest", test_folder / "Forest")
    assert cli.main(common + ["--test-data", str(test_folder)]) == 0
    assert "re-scored 2 runs" in capsys.readouterr().out
    rescored = next(out.glob("test-more_test_images-*"))
    record = json.loads((rescored / "runs" / "hr__seed0.json").read_text())
    assert record["test"]["hr"]["n"] == 60 and record["trained_on"]["train"] == 30


def test_export_split_writes_train_and_validation_never_test(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    """The folders the in-domain SR models are trained on (python -m srlib train --data DIR/train)."""
    target = tmp_path / "split"
    assert cli.main(["study", "--quick", "--out", str(tmp_path / "o"), "--export-split", str(target)]) == 0
    splits = eurosat.eurosat_splits()
    for key in ("train", "validation"):
        names = sorted(path.name for path in (target / key).iterdir())
        assert names == sorted(Path(name).name for name in splits[key].files)
        first = splits[key].files[0]
        assert (target / key / Path(first).name).read_bytes() == (splits[key].root / first).read_bytes()
    test_names = {Path(name).name for name in splits["test"].files}
    assert not test_names & {path.name for path in target.rglob("*.jpg")}, "no test image leaves the split"
    assert not (tmp_path / "o").exists() and "train: " in capsys.readouterr().out
    # again: the same content is kept; other content is refused with a remedy
    assert cli.main(["study", "--quick", "--out", str(tmp_path / "o"), "--export-split", str(target)]) == 0
    (target / "train" / "extra.jpg").write_bytes(b"x")
    _fails(capsys, ["study", "--quick", "--out", str(tmp_path / "o"), "--export-split", str(target)],
           "remove it or choose another folder")

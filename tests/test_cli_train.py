"""Tests for ``python -m srlib train``: clear errors and a tiny end-to-end run."""
from __future__ import annotations

import json

import numpy as np
import pytest

from srlib.cli import build_parser, main
from srlib.images import write_image


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hr")
    rng = np.random.default_rng(0)
    for index in range(3):
        smooth = rng.random((10, 10, 3))
        image = np.kron(smooth, np.ones((4, 4, 1)))  # 40 x 40 blocks
        write_image(folder / f"img{index}.png", (image * 255).astype(np.uint8))
    return folder


def _train(*args: str) -> list[str]:
    return ["train", *args]


@pytest.mark.parametrize("args, message", [
    (["vdsr", "--scale", "2"], "unknown model 'vdsr'"),
    (["srcnn", "--scale", "5"], "--scale must be one of (2, 3, 4), got 5"),
    (["espcn", "--scale", "2", "--batch-size", "0"], "batch size must be a positive integer"),
    (["espcn", "--scale", "2", "--model-kwargs", "{bad"], "not valid JSON"),
    (["espcn", "--scale", "2", "--model-kwargs", '{"channels": 3}'], "channels=3: training feeds espcn the Y channel"),
    (["srresnet", "--scale", "2", "--objective", "gan", "--objective-kwargs", "{bad"],
     "--objective-kwargs is not valid JSON"),
    (["srresnet", "--scale", "2", "--objective", "gan", "--objective-kwargs", "[1]"],
     "--objective-kwargs must be a JSON object"),
    (["srresnet", "--scale", "2", "--objective", "gan", "--objective-kwargs", '{"lambda": 1}'],
     "objective kwargs ['lambda'] are not settings of the gan objective"),
    (["espcn", "--scale", "2", "--model-kwargs", '{"variant": "9-5-5"}'], "are not arguments of espcn"),
    (["espcn", "--scale", "2", "--degradation", "foggy"], "unknown degradation 'foggy'; choose one of"),
    (["espcn", "--scale", "2", "--max-minutes", "0"], "max_minutes (a budget in minutes, e.g. 5) must be > 0"),
])
def test_bad_arguments_give_clear_errors(args, message, data_dir, tmp_path, capsys):
    code = main(_train(*args, "--data", str(data_dir), "--steps", "2", "--out", str(tmp_path / "o")))
    assert code == 2
    assert message in capsys.readouterr().err


def test_empty_or_missing_data_folder(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.txt").write_text("no images here")
    assert main(_train("srcnn", "--scale", "2", "--data", str(empty), "--steps", "2", "--out", str(tmp_path))) == 2
    assert "holds no images" in capsys.readouterr().err
    assert main(_train("srcnn", "--scale", "2", "--data", str(tmp_path / "nope"), "--steps", "2",
                       "--out", str(tmp_path))) == 2
    assert "does not exist" in capsys.readouterr().err


def test_out_must_be_a_folder(data_dir, tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert main(_train("espcn", "--scale", "2", "--data", str(data_dir), "--steps", "2", "--out", str(a_file))) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_out_of_space_is_reported_without_a_traceback(data_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SRLIB_FAULT", "write:training_state.npz:enospc")
    code = main(_train("espcn", "--scale", "2", "--data", str(data_dir), "--steps", "2", "--val-every", "1",
                       "--batch-size", "2", "--patch-size", "16", "--out", str(tmp_path / "o"), "--verbose", "0",
                       "--workers", "1"))
    assert code == 1
    assert "no space left" in capsys.readouterr().err


def test_registered_dataset_names_are_resolved(monkeypatch, tmp_path):
    from srlib.commands import train as command

    monkeypatch.setattr("srlib.data.fetch", lambda name: tmp_path / f"cache-{name}")
    monkeypatch.chdir(tmp_path)
    assert command._dataset_folder("t91") == str(tmp_path / "cache-T91")
    (tmp_path / "T91").mkdir()  # a folder of that name wins
    assert command._dataset_folder("T91") == "T91"
    assert command._dataset_folder("nope") == "nope"


def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["train", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--scale", "--data", "--steps", "--out", "--batch-size", "--lr", "--schedule", "--val-data",
                   "--val-split", "--val-every", "--patch-size", "--seed", "--resume", "--max-minutes",
                   "--strategy", "--init-weights", "--force", "--extend", "--degradation"):
        assert option in text
    with pytest.raises(SystemExit):  # --val-data and --val-split are exclusive
        build_parser().parse_args(["train", "srcnn", "--scale", "2", "--steps", "1", "--out", "o",
                                   "--val-data", "a", "--val-split", "1"])
    with pytest.raises(SystemExit):  # so are --resume, --extend and --force
        build_parser().parse_args(["train", "srcnn", "--scale", "2", "--steps", "1", "--out", "o", "--resume",
                                   "--force"])


def test_tiny_training_run_and_fine_tune(data_dir, tmp_path, capsys):
    out = tmp_path / "run"
    code = main(_train("espcn", "--scale", "2", "--data", str(data_dir), "--steps", "4", "--val-every", "2",
                       "--batch-size", "4", "--patch-size", "16", "--val-split", "1", "--out", str(out),
                       "--verbose", "0", "--workers", "1"))
    assert code == 0
    printed = capsys.readouterr().out
    assert "val PSNR" in printed and "espcn_x2.weights.h5" in printed
    log = json.loads((out / "espcn_x2.log.json").read_text())
    assert log["final"]["steps"] == 4 and [row["step"] for row in log["rows"]] == [2, 4]
    assert (out / "espcn_x2.md").is_file()
    assert "python -m srlib train espcn --scale 2" in (out / "espcn_x2.md").read_text()  # the real command
    # fine-tune from the weights just written
    tuned = tmp_path / "tuned"
    code = main(_train("espcn", "--scale", "2", "--data", str(data_dir), "--steps", "2", "--batch-size", "4",
                       "--patch-size", "16", "--out", str(tuned), "--verbose", "0", "--workers", "1",
                       "--init-weights", str(out / "espcn_x2.weights.h5"), "--schedule", "constant"))
    assert code == 0
    assert json.loads((tuned / "espcn_x2.log.json").read_text())["config"]["init_weights"].endswith(
        "espcn_x2.weights.h5")
    # the finished run is kept: the same command is refused with the ways out
    again = _train("espcn", "--scale", "2", "--data", str(data_dir), "--steps", "4", "--val-every", "2",
                   "--batch-size", "4", "--patch-size", "16", "--val-split", "1", "--out", str(out),
                   "--verbose", "0", "--workers", "1")
    capsys.readouterr()
    assert main(again) == 2
    assert "holds a finished run of espcn x2 at step 4 of 4; pass --force" in capsys.readouterr().err
    assert main(again + ["--extend", "--steps", "6"]) == 0
    assert json.loads((out / "espcn_x2.log.json").read_text())["final"]["steps"] == 6

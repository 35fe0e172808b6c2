"""Tests of srlib.training.loop: outputs, trained weights, validation, resume, refusals, budget, disk full."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from srlib.data import load_images  # noqa: E402
from srlib.training import OutOfSpaceError, check_config, output_paths, train, validation_psnr  # noqa: E402
from srlib.training.checkpoints import load_state  # noqa: E402
from training_helpers import exact_rows, log_rows, tiny_config, weight_arrays, write_data  # noqa: E402


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return write_data(tmp_path_factory.mktemp("hr"))


@pytest.fixture(scope="module")
def reference(data_dir, tmp_path_factory) -> dict:
    """An uninterrupted 9-step run: what every interrupted and resumed run must reproduce."""
    out = tmp_path_factory.mktemp("reference")
    summary = train(tiny_config(data_dir, out, steps=9))
    paths = output_paths(out, "espcn", 2)
    return {"summary": summary, "rows": exact_rows(paths["csv"]), "weights": weight_arrays(paths["weights"]),
            "paths": paths}


def _same_weights(first: list[np.ndarray], second: list[np.ndarray]) -> bool:
    return len(first) == len(second) and all(np.array_equal(a, b) for a, b in zip(first, second))


def test_train_writes_weights_logs_card_and_state(data_dir, tmp_path):
    summary = train(tiny_config(data_dir, tmp_path / "run", command="python -m srlib train espcn ..."))
    paths = output_paths(tmp_path / "run", "espcn", 2)
    for key in ("weights", "card", "csv", "json", "state"):
        assert paths[key].is_file(), key
    assert not paths["checkpoint"].exists()
    assert not list(paths["state"].parent.glob(".srlib-tmp-*"))  # no temporary file left behind
    rows = log_rows(paths["csv"])
    assert [int(float(r["step"])) for r in rows] == [3, 6]
    assert set(rows[0]) == {"step", "loss", "val_psnr", "bicubic_psnr", "lr", "elapsed"}
    assert all(math.isfinite(float(r["val_psnr"])) for r in rows)
    logged = json.loads(paths["json"].read_text())
    assert logged["final"]["steps"] == 6 and logged["final"]["stop_reason"] == "steps"
    assert logged["data"]["images"] == 4 and len(logged["data"]["file_list_sha256"]) == 64
    assert len(logged["val_images"]) == 1 and summary["train_images"] == 3
    assert logged["identity"]["steps"] == 6 and len(logged["identity"]["train_data_sha256"]) == 64
    record, _ = load_state(paths["state"].parent)
    assert record["final"]["steps"] == 6 and record["step"] == 6 and len(record["rows"]) == 2
    card = paths["card"].read_text()
    for text in ("python -m srlib train espcn", "bicubic", "wall time", "hardware", "img", "| step |", "Adam, MSE"):
        assert text in card


def test_final_weights_are_the_trained_ones_and_validation_scores_them(data_dir, reference):
    """Weights that beat a fresh model; the logged validation PSNR is the model's, not bicubic's."""
    from srlib.models import build_model
    from srlib.pretrained import load_weights_file

    paths, summary = reference["paths"], reference["summary"]
    val_images = {name: image for name, image in load_images([str(data_dir)]).items()
                  if name in summary["val_images"]}
    trained = load_weights_file(paths["weights"], "espcn", 2)
    keras.utils.set_random_seed(0)  # the run's seed: the weights it started from
    fresh = build_model("espcn", 2)
    trained_psnr, fresh_psnr = validation_psnr(trained, val_images, 2), validation_psnr(fresh, val_images, 2)
    assert trained_psnr > fresh_psnr + 1.0, (trained_psnr, fresh_psnr)
    last = summary["rows"][-1]
    assert last["val_psnr"] == pytest.approx(trained_psnr, abs=1e-9)
    assert last["val_psnr"] != pytest.approx(last["bicubic_psnr"], abs=1e-3)
    assert last["bicubic_psnr"] == pytest.approx(validation_psnr("bicubic", val_images, 2), abs=1e-9)


class _Interrupt(keras.callbacks.Callback):
    """Simulate Ctrl-C: raise after ``limit`` training steps of this session."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit, self.seen = limit, 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen += 1
        if self.seen >= self.limit:
            raise KeyboardInterrupt("simulated interruption")


class _Count(keras.callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.steps, self.first_epoch = 0, None

    def on_epoch_begin(self, epoch, logs=None):
        if self.first_epoch is None:
            self.first_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1


def test_interrupted_run_resumes_bit_identical(data_dir, tmp_path, reference):
    out = tmp_path / "run"
    config = tiny_config(data_dir, out, steps=9)
    with pytest.raises(KeyboardInterrupt, match="simulated interruption"):
        train(config, callbacks=[_Interrupt(5)])  # interval 1 (steps 1-3) completed, killed at step 5
    paths = output_paths(out, "espcn", 2)
    assert paths["checkpoint"].is_file() and not paths["weights"].exists()
    assert [int(float(r["step"])) for r in log_rows(paths["csv"])] == [3]
    weight_arrays(paths["checkpoint"])  # the periodic checkpoint is a plain weights file

    with pytest.raises(ValueError, match="holds an interrupted run of espcn x2 at step 3 of 9; pass --resume"):
        train(config)  # refuses to overwrite an interrupted run

    counter = _Count()
    summary = train(tiny_config(data_dir, out, steps=9, resume=True), callbacks=[counter])
    assert counter.first_epoch == 1 and counter.steps == 6  # continued at step 3, not from 0
    assert exact_rows(paths["csv"]) == reference["rows"]  # same loss, PSNR and lr in every row
    assert _same_weights(weight_arrays(paths["weights"]), reference["weights"])
    assert summary["final"]["steps"] == 9
    # resuming a finished run does nothing
    assert train(tiny_config(data_dir, out, steps=9, resume=True))["final"]["steps"] == 9


def test_a_resume_that_changes_the_run_is_refused(data_dir, tmp_path):
    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt, match="simulated interruption"):
        train(tiny_config(data_dir, out, steps=9), callbacks=[_Interrupt(4)])
    changes = [(dict(seed=1), "seed: the run in the folder has 0, this command 1"),
               (dict(steps=12, val_every=3), "steps: the run in the folder has 9, this command 12"),
               (dict(steps=90, val_every=None), "val_every: the run in the folder has 3, this command 9"),
               (dict(lr=1e-2), "lr: "), (dict(schedule="constant"), "schedule: "),
               (dict(model_kwargs={"icnr": True}), "model_kwargs: "),
               (dict(val_split=2), "val_data_sha256: ")]
    for overrides, message in changes:
        with pytest.raises(ValueError, match=f"different run, so it cannot resume it:(.|\\n)*{message}"):
            train(tiny_config(data_dir, out, **{"steps": 9, "resume": True, **overrides}))
    with pytest.raises(ValueError, match="holds an interrupted run of espcn x2 at step 3 of 9"):
        train(tiny_config(data_dir, out, model="fsrcnn", steps=9, resume=True))  # other files, same state
    with pytest.raises(ValueError, match="--extend continues finished runs only"):
        train(tiny_config(data_dir, out, steps=12, extend=True))


@pytest.mark.slow
def test_finished_runs_are_kept_unless_forced_and_can_be_extended(data_dir, tmp_path, reference):
    out = tmp_path / "run"
    train(tiny_config(data_dir, out, steps=6))
    paths = output_paths(out, "espcn", 2)
    first, first_rows = weight_arrays(paths["weights"]), exact_rows(paths["csv"])
    with pytest.raises(ValueError, match="holds a finished run of espcn x2 at step 6 of 6; pass --force"):
        train(tiny_config(data_dir, out, steps=6))
    assert _same_weights(weight_arrays(paths["weights"]), first)  # untouched
    with pytest.raises(ValueError, match="--extend needs --steps larger than the 6 steps already trained"):
        train(tiny_config(data_dir, out, steps=6, extend=True))
    with pytest.raises(ValueError, match="cannot extend it:(.|\\n)*seed: "):
        train(tiny_config(data_dir, out, steps=9, seed=3, extend=True))
    extended = train(tiny_config(data_dir, out, steps=9, extend=True))
    assert extended["final"]["steps"] == 9 and [row["step"] for row in extended["rows"]] == [3, 6, 9]
    assert exact_rows(paths["csv"])[:2] == first_rows  # the finished run's rows are kept
    assert exact_rows(paths["csv"])[2][0] == "9"
    assert not _same_weights(weight_arrays(paths["weights"]), first)
    forced = train(tiny_config(data_dir, out, steps=9, force=True))  # from scratch: the reference run
    assert exact_rows(paths["csv"]) == reference["rows"] and forced["final"]["steps"] == 9
    assert _same_weights(weight_arrays(paths["weights"]), reference["weights"])


def test_files_of_another_run_without_state_are_not_overwritten(data_dir, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "espcn_x2.weights.h5").write_bytes(b"someone's weights")
    with pytest.raises(ValueError, match=r"files of an earlier run \(espcn_x2.weights.h5\) but no training state"):
        train(tiny_config(data_dir, out))
    assert (out / "espcn_x2.weights.h5").read_bytes() == b"someone's weights"


def test_out_must_be_a_writable_folder(data_dir, tmp_path):
    a_file = tmp_path / "results.txt"
    a_file.write_text("not a folder")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        train(tiny_config(data_dir, a_file))
    with pytest.raises(ValueError, match="cannot write into --out"):
        train(tiny_config(data_dir, a_file / "sub"))


def test_out_of_space_is_a_clear_error_and_keeps_the_last_checkpoint(data_dir, tmp_path, reference, monkeypatch):
    out = tmp_path / "run"
    monkeypatch.setenv("SRLIB_FAULT", "write:training_state.npz@2:enospc")  # the disk fills at the 2nd state
    with pytest.raises(OutOfSpaceError, match="no space left .* the previous training_state.npz is intact"):
        train(tiny_config(data_dir, out, steps=9))
    assert not list(out.glob(".srlib-tmp-*"))
    record, _ = load_state(out)
    assert record["step"] == 3  # the last good state
    monkeypatch.delenv("SRLIB_FAULT")
    train(tiny_config(data_dir, out, steps=9, resume=True))  # space freed: resume as if nothing happened
    paths = output_paths(out, "espcn", 2)
    assert exact_rows(paths["csv"]) == reference["rows"]
    assert _same_weights(weight_arrays(paths["weights"]), reference["weights"])


def test_time_budget_stops_cleanly(data_dir, tmp_path):
    summary = train(tiny_config(data_dir, tmp_path / "run", model="fsrcnn", steps=1000, val_every=500,
                                max_minutes=1e-4, schedule="step"))
    assert summary["final"]["stop_reason"] == "max_minutes"
    assert summary["final"]["steps"] < 10
    assert output_paths(tmp_path / "run", "fsrcnn", 2)["weights"].is_file()
    assert len(summary["rows"]) == 1  # the partial interval is still validated and logged


def test_mirrored_strategy(data_dir, tmp_path):
    config = tiny_config(data_dir, tmp_path / "run", strategy="mirrored", steps=2, val_every=2)
    if keras.backend.backend() != "tensorflow":
        with pytest.raises(ValueError, match="needs the TensorFlow backend"):
            train(config)
        return
    summary = train(config)  # tf.distribute.MirroredStrategy over the visible devices (here the CPU)
    assert summary["final"]["steps"] == 2


def test_check_config_is_applied(data_dir, tmp_path):
    with pytest.raises(ValueError, match="learning rate .* got True"):
        train(tiny_config(data_dir, tmp_path / "run", lr=True))
    assert check_config(tiny_config(data_dir, tmp_path / "run")).patch_size == 16


def test_a_too_small_validation_image_is_named():
    from srlib.training.loop import validation_psnr

    tiny = np.zeros((3, 3, 3), np.uint8)
    with pytest.raises(ValueError, match=r"validation image 'tiny' is 3x3: too small to score at scale 3.*13x13"):
        validation_psnr("bicubic", {"tiny": tiny}, 3)


def test_a_degraded_run_trains_blind_validates_on_fixed_degraded_images_and_resumes(data_dir, tmp_path):
    from srlib.data import fixed_degradation, load_images
    from srlib.images import modcrop
    from srlib.metrics import psnr
    from srlib.upscale import upscale

    out = tmp_path / "blind"
    config = tiny_config(data_dir, out, steps=6, degradation="realesrgan")
    with pytest.raises(KeyboardInterrupt, match="simulated interruption"):
        train(config, callbacks=[_Interrupt(4)])
    with pytest.raises(ValueError, match="degradation: the run in the folder has 'realesrgan', this command"):
        train(tiny_config(data_dir, out, steps=6, resume=True))  # a resume cannot switch to clean LR
    summary = train(tiny_config(data_dir, out, steps=6, degradation="realesrgan", resume=True))
    paths = output_paths(out, "espcn", 2)
    logged = json.loads(paths["json"].read_text())
    assert logged["identity"]["degradation"] == "realesrgan" and logged["degradation"] == "realesrgan"
    assert "degraded once by 'realesrgan'" in logged["validation"]
    assert "blind model" in paths["card"].read_text()
    # the baseline column is bicubic upscaling of the fixed degraded validation images, not of clean LR
    images = load_images(data_dir)
    (name,) = logged["val_images"]
    hr = modcrop(images[name], 2)
    degraded = fixed_degradation(hr, 2, "realesrgan", seed=0, name=name).lr
    expected = psnr(hr, upscale("bicubic", degraded, 2), border=2, channel="y")
    assert summary["rows"][-1]["bicubic_psnr"] == pytest.approx(expected, abs=1e-9)
    clean = validation_psnr("bicubic", {name: images[name]}, 2)
    assert abs(clean - expected) > 0.1  # the degradation changed the validation LR
    # an uninterrupted run of the same config gives the same rows (the resume was exact)
    again = train(tiny_config(data_dir, tmp_path / "again", steps=6, degradation="realesrgan"))
    assert exact_rows(paths["csv"]) == exact_rows(output_paths(tmp_path / "again", "espcn", 2)["csv"])
    assert again["final"]["steps"] == 6


def test_clean_runs_keep_their_identity_and_bad_degradations_are_refused(data_dir, tmp_path):
    from srlib.training import run_identity

    assert "degradation" not in run_identity(check_config(tiny_config(data_dir, tmp_path / "x")), {}, {})
    with pytest.raises(ValueError, match="unknown degradation 'jpegish'; choose one of"):
        check_config(tiny_config(data_dir, tmp_path / "x", degradation="jpegish"))

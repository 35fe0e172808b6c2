"""Tests for srlib.training.loop: outputs, logs, model card, interrupt + resume, time budget."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from srlib.images import write_image
from srlib.training.loop import TrainConfig, check_config, learning_rate_at, model_card, output_paths, train

keras = pytest.importorskip("keras")


def _image(seed: int, size: int = 40) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    base = 120 + 60 * np.sin(xx / (3 + seed)) * np.cos(yy / 5) + rng.normal(0, 8, (size, size))
    return np.clip(np.stack([base, base * 0.8 + 20, 255 - base], axis=2), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hr")
    for index in range(4):
        write_image(folder / f"img{index}.png", _image(index))
    return folder


def _config(data_dir: Path, out: Path, **overrides) -> TrainConfig:
    settings = dict(model="espcn", scale=2, out=str(out), data=[str(data_dir)], steps=6, batch_size=4,
                    val_every=3, patch_size=16, val_split=1, verbose=0, workers=1)
    settings.update(overrides)
    return TrainConfig(**settings)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_train_writes_weights_logs_and_card(data_dir, tmp_path):
    summary = train(_config(data_dir, tmp_path / "run", command="python -m srlib train espcn ..."))
    paths = output_paths(tmp_path / "run", "espcn", 2)
    for key in ("weights", "card", "csv", "json"):
        assert paths[key].is_file(), key
    assert not paths["backup"].exists() and not paths["checkpoint"].exists()
    rows = _rows(paths["csv"])
    assert [int(float(r["step"])) for r in rows] == [3, 6]
    assert set(rows[0]) == {"step", "loss", "val_psnr", "bicubic_psnr", "lr", "elapsed"}
    assert all(math.isfinite(float(r["val_psnr"])) for r in rows)
    logged = json.loads(paths["json"].read_text())
    assert logged["final"]["steps"] == 6 and logged["final"]["stop_reason"] == "steps"
    assert logged["data"]["images"] == 4 and len(logged["data"]["file_list_sha256"]) == 64
    assert len(logged["val_images"]) == 1 and summary["train_images"] == 3
    card = paths["card"].read_text()
    for text in ("python -m srlib train espcn", "bicubic", "wall time", "hardware", "img", "| step |"):
        assert text in card
    # the weights load into a fresh model (the path srlib.pretrained uses) and run
    from srlib.pretrained import load_weights_file

    model = load_weights_file(paths["weights"], "espcn", 2)
    out = np.asarray(model(np.zeros((1, 8, 8, 1), np.float32)))
    assert out.shape == (1, 16, 16, 1)


class _Interrupt(keras.callbacks.Callback):
    """Simulate a killed run: raise after ``limit`` training steps."""

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


def test_interrupted_run_resumes_where_it_stopped(data_dir, tmp_path):
    out = tmp_path / "run"
    config = _config(data_dir, out, steps=9)
    with pytest.raises(KeyboardInterrupt):
        train(config, callbacks=[_Interrupt(5)])  # interval 1 (steps 1-3) completed, killed at step 5
    paths = output_paths(out, "espcn", 2)
    assert (paths["backup"] / "training_metadata.json").is_file()
    assert paths["checkpoint"].is_file() and not paths["weights"].exists()
    assert [int(float(r["step"])) for r in _rows(paths["csv"])] == [3]
    from srlib.pretrained import load_weights_file

    load_weights_file(paths["checkpoint"], "espcn", 2)  # the periodic checkpoint is a plain weights file
    first_row = _rows(paths["csv"])[0]

    with pytest.raises(ValueError, match="--resume"):
        train(config)  # refuses to overwrite an interrupted run

    counter = _Count()
    summary = train(_config(data_dir, out, steps=9, resume=True), callbacks=[counter])
    assert counter.first_epoch == 1 and counter.steps == 6  # continued at step 3, not from 0
    rows = _rows(paths["csv"])
    assert [int(float(r["step"])) for r in rows] == [3, 6, 9]
    assert rows[0] == first_row  # the log continues, earlier rows kept
    assert float(rows[1]["elapsed"]) >= float(rows[0]["elapsed"])
    assert summary["final"]["steps"] == 9 and paths["weights"].is_file()
    assert not paths["backup"].exists()
    # resuming a finished run does nothing
    again = train(_config(data_dir, out, steps=9, resume=True))
    assert again["final"]["steps"] == 9


def test_time_budget_stops_cleanly(data_dir, tmp_path):
    summary = train(_config(data_dir, tmp_path / "run", model="fsrcnn", steps=1000, val_every=500,
                            max_minutes=1e-4, schedule="step"))
    assert summary["final"]["stop_reason"] == "max_minutes"
    assert summary["final"]["steps"] < 10
    assert output_paths(tmp_path / "run", "fsrcnn", 2)["weights"].is_file()
    assert len(summary["rows"]) == 1  # the partial interval is still validated and logged


def test_learning_rate_schedules():
    assert learning_rate_at(0.7, 1e-3, "constant") == 1e-3
    assert learning_rate_at(0.0, 1e-3, "cosine") == pytest.approx(1e-3)
    assert learning_rate_at(1.0, 1e-3, "cosine") == pytest.approx(1e-5)
    assert learning_rate_at(0.5, 1e-3, "cosine") == pytest.approx(0.505e-3)
    assert [learning_rate_at(p, 1.0, "step") for p in (0.1, 0.6, 0.9)] == pytest.approx([1, 0.1, 0.01])
    with pytest.raises(ValueError, match="schedule"):
        learning_rate_at(0.5, 1e-3, "linear")


def test_check_config_fills_defaults_and_rejects_bad_values(tmp_path):
    config = check_config(TrainConfig(model="SRCNN", scale=3, out=str(tmp_path), steps=100))
    assert config.model == "srcnn" and config.val_every == 10 and config.patch_size == 33
    assert check_config(TrainConfig(model="espcn", scale=4, out="x", steps=5, patch_size=30)).patch_size == 28
    bad = [(dict(model="vdsr"), "unknown model"), (dict(scale=5), "scale"), (dict(steps=0), "steps"),
           (dict(lr=-1.0), "learning rate"), (dict(schedule="linear"), "schedule"),
           (dict(patch_size=3), "patch size"), (dict(val_split=2, val_data=["a"]), "not both"),
           (dict(strategy="tpu"), "strategy"), (dict(max_minutes=0.0), "max_minutes"),
           (dict(batch_size=0), "batch size")]
    for overrides, message in bad:
        settings = dict(model="srcnn", scale=3, out=str(tmp_path), steps=10)
        settings.update(overrides)
        with pytest.raises(ValueError, match=message):
            check_config(TrainConfig(**settings))
    with pytest.raises(FileNotFoundError):
        check_config(TrainConfig(model="srcnn", scale=3, out="x", steps=1, init_weights=str(tmp_path / "no.h5")))
    (tmp_path / "full_model.keras").write_bytes(b"PK")  # not a weights file: refused before any loading
    with pytest.raises(ValueError, match="weights.h5"):
        check_config(TrainConfig(model="srcnn", scale=3, out="x", steps=1,
                                 init_weights=str(tmp_path / "full_model.keras")))


def test_init_weights_of_another_scale_are_refused(tmp_path):
    """Fine-tuning loads through srlib.pretrained.load_weights_file: a mismatch is one clear error."""
    from srlib.models import build_model
    from srlib.training.loop import _build_compiled

    path = tmp_path / "espcn_x2.weights.h5"
    build_model("espcn", 2).save_weights(str(path))
    good = check_config(TrainConfig(model="espcn", scale=2, out=str(tmp_path), steps=1, init_weights=str(path)))
    model = _build_compiled(good)
    assert model.optimizer is not None
    wrong = check_config(TrainConfig(model="espcn", scale=3, out=str(tmp_path), steps=1, init_weights=str(path)))
    with pytest.raises(ValueError, match="another architecture"):
        _build_compiled(wrong)


def test_mirrored_strategy(data_dir, tmp_path):
    config = _config(data_dir, tmp_path / "run", strategy="mirrored", steps=2, val_every=2)
    if keras.backend.backend() != "tensorflow":
        with pytest.raises(ValueError, match="TensorFlow"):
            train(config)
        return
    summary = train(config)  # tf.distribute.MirroredStrategy over the visible devices (here the CPU)
    assert summary["final"]["steps"] == 2


def test_model_card_renders_without_rows():
    summary = {"config": {"model": "srcnn", "scale": 2, "command": None, "patch_size": 32, "min_std": 0.0,
                          "seed": 0, "steps": 5, "batch_size": 2, "lr": 1e-3, "schedule": "cosine",
                          "max_minutes": None},
               "final": {}, "data": {"folders": ["x"], "images": 3}, "hardware": {}, "train_images": 3,
               "validation": "none", "val_images": [], "rows": []}
    text = model_card(summary)
    assert text.startswith("# Model card: srcnn_x2") and "srlib.training.loop.train" in text

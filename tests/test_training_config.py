"""Tests of srlib.training.config: TrainConfig checks and defaults, learning-rate schedules."""
from __future__ import annotations

import pytest

from srlib.training.config import TrainConfig, check_config, learning_rate_at


def test_learning_rate_schedules():
    assert learning_rate_at(0.7, 1e-3, "constant") == 1e-3
    assert learning_rate_at(0.0, 1e-3, "cosine") == pytest.approx(1e-3)
    assert learning_rate_at(1.0, 1e-3, "cosine") == pytest.approx(1e-5)
    assert learning_rate_at(0.5, 1e-3, "cosine") == pytest.approx(0.505e-3)
    assert [learning_rate_at(p, 1.0, "step") for p in (0.1, 0.6, 0.9)] == pytest.approx([1, 0.1, 0.01])
    with pytest.raises(ValueError, match="unknown schedule 'linear'"):
        learning_rate_at(0.5, 1e-3, "linear")


def test_check_config_fills_defaults(tmp_path):
    config = check_config(TrainConfig(model="SRCNN", scale=3, out=str(tmp_path), steps=100))
    assert config.model == "srcnn" and config.val_every == 10 and config.patch_size == 33
    assert check_config(TrainConfig(model="espcn", scale=4, out="x", steps=5, patch_size=30)).patch_size == 28
    assert check_config(TrainConfig(model="fsrcnn", scale=3, out="x", steps=5)).patch_size == 48  # registry: 16 LR
    assert check_config(TrainConfig(model="srcnn", scale=2, out="x", steps=5, val_every=50)).val_every == 5


@pytest.mark.parametrize("overrides,message", [
    (dict(model="vdsr"), "unknown model 'vdsr'"),
    (dict(scale=5), r"scale must be one of \(2, 3, 4\), got 5"),
    (dict(scale=True), "scale must be an integer factor"),
    (dict(steps=0), "steps must be a positive integer"),
    (dict(lr=-1.0), "learning rate"),
    (dict(lr=True), "learning rate .* must be a finite number, got True"),
    (dict(lr="1e-3"), "learning rate .* must be a finite number, got '1e-3'"),
    (dict(min_std="0.1"), r"min_std .* must be a finite number, got '0.1'"),
    (dict(min_std=-0.1), "min_std .* must be >= 0"),
    (dict(max_minutes="5"), r"max_minutes .* must be a finite number, got '5'"),
    (dict(max_minutes=0.0), "max_minutes .* must be > 0"),
    (dict(schedule="linear"), "unknown schedule 'linear'"),
    (dict(patch_size=3), "patch size .* at least 2 x scale = 6"),
    (dict(val_split=2, val_data=["a"]), "not both"),
    (dict(strategy="tpu"), "unknown strategy 'tpu'"),
    (dict(batch_size=0), "batch size must be a positive integer"),
    (dict(seed=-1), "seed must be a non-negative integer"),
    (dict(workers=0), "workers must be a positive integer"),
    (dict(verbose=3), "verbose must be 0, 1 or 2"),
    (dict(resume="yes"), "resume must be True or False"),
    (dict(force=True, resume=True), "cannot be combined with resume or extend"),
    (dict(objective="wgan"), "unknown objective 'wgan'"), (dict(objective_kwargs=[1]), "objective_kwargs must be a dict"),
    (dict(model_kwargs={"channels": 3}), "channels=3: training feeds srcnn the Y channel"),
    (dict(model_kwargs={"d": 8}), r"model_kwargs \['d'\] are not arguments of srcnn"),
    (dict(model_kwargs="9-5-5"), "model_kwargs must be a dict"),
])
def test_check_config_rejects_bad_values(overrides, message, tmp_path):
    settings = dict(model="srcnn", scale=3, out=str(tmp_path), steps=10)
    settings.update(overrides)
    with pytest.raises(ValueError, match=message):
        check_config(TrainConfig(**settings))


def test_check_config_init_weights(tmp_path):
    with pytest.raises(FileNotFoundError, match="initial weights .*no.h5.* not found"):
        check_config(TrainConfig(model="srcnn", scale=3, out="x", steps=1, init_weights=str(tmp_path / "no.h5")))
    (tmp_path / "full_model.keras").write_bytes(b"PK")  # not a weights file: refused before any loading
    with pytest.raises(ValueError, match="must be a Keras '.weights.h5' file"):
        check_config(TrainConfig(model="srcnn", scale=3, out="x", steps=1,
                                 init_weights=str(tmp_path / "full_model.keras")))

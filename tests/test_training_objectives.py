"""Tests of srlib.training.objectives (the pixel loss; fine-tuning) and of the loop on the JAX backend."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

keras = pytest.importorskip("keras")

from srlib.training import OBJECTIVES, PixelLoss, TrainConfig, check_config, get_objective  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_pixel_loss_builds_one_network_and_one_optimiser(tmp_path):
    state = PixelLoss().build(check_config(TrainConfig(model="fsrcnn", scale=2, out=str(tmp_path), steps=1)))
    assert state.trainer is state.inference is state.networks["model"]
    assert state.trainer.optimizer is state.optimizers["model"] and state.trainer.loss == "mean_squared_error"
    state.set_learning_rate(0.25)
    assert float(state.optimizers["model"].learning_rate) == 0.25
    state.build_optimizers()
    assert state.optimizers["model"].built
    assert get_objective("pixel") is OBJECTIVES["pixel"]
    assert get_objective("gan") is OBJECTIVES["gan"]
    with pytest.raises(ValueError, match="unknown objective 'wgan'"):
        get_objective("wgan")


def test_init_weights_of_another_scale_are_refused(tmp_path):
    """Fine-tuning loads through srlib.pretrained.load_weights_file: a mismatch is one clear error."""
    from srlib.models import build_model

    path = tmp_path / "espcn_x2.weights.h5"
    build_model("espcn", 2).save_weights(str(path))
    from srlib.pretrained import write_identity

    write_identity(path, "espcn", 2)
    good = check_config(TrainConfig(model="espcn", scale=2, out=str(tmp_path), steps=1, init_weights=str(path)))
    assert PixelLoss().build(good).trainer.optimizer is not None
    wrong = check_config(TrainConfig(model="espcn", scale=3, out=str(tmp_path), steps=1, init_weights=str(path)))
    with pytest.raises(ValueError, match=r"records scale 2 \(you asked for 3\)"):
        PixelLoss().build(wrong)


_JAX_SCRIPT = """
import json, sys
from pathlib import Path
import keras, numpy as np
from srlib.training import output_paths, train
from training_helpers import exact_rows, tiny_config, weight_arrays, write_data

class Interrupt(keras.callbacks.Callback):
    seen = 0

    def on_train_batch_end(self, batch, logs=None):
        Interrupt.seen += 1
        if Interrupt.seen == 4:
            raise KeyboardInterrupt

root = Path(sys.argv[1])
data = write_data(root / "hr")
train(tiny_config(data, root / "whole", steps=6))
try:
    train(tiny_config(data, root / "resumed", steps=6), callbacks=[Interrupt()])
    interrupted = False
except KeyboardInterrupt:
    interrupted = [r[0] for r in exact_rows(output_paths(root / "resumed", "espcn", 2)["csv"])] == ["3"]
train(tiny_config(data, root / "resumed", steps=6, resume=True))
a, b = (output_paths(root / name, "espcn", 2) for name in ("whole", "resumed"))
print(json.dumps({"backend": keras.backend.backend(), "interrupted": interrupted, "rows": exact_rows(a["csv"]),
                  "same_rows": exact_rows(a["csv"]) == exact_rows(b["csv"]),
                  "same_weights": all(np.array_equal(x, y) for x, y in zip(weight_arrays(a["weights"]),
                                                                           weight_arrays(b["weights"])))}))
"""


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax is not installed (pip install srlib[jax])")
def test_training_and_resume_on_the_jax_backend(tmp_path):
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    result = subprocess.run([sys.executable, "-c", _JAX_SCRIPT, str(tmp_path)], env=env, capture_output=True,
                            text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["backend"] == "jax" and [row[0] for row in outcome["rows"]] == ["3", "6"]
    assert outcome["interrupted"] and outcome["same_rows"] and outcome["same_weights"]

"""Tests of srlib.training.checkpoints, and the acceptance test: a real training process killed with
SIGKILL at chosen points (during a weights write, between weights and state, during the state write,
after training before the final files, after the final weights) resumes to the weights and log rows of
an uninterrupted run with the same seed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from srlib.training import checkpoints
from srlib.training.checkpoints import (OutOfSpaceError, fault_point, identity_differences, images_sha256,
                                        load_state, write_atomic)


def test_write_atomic_replaces_whole_files(tmp_path):
    target = tmp_path / "a.bin"
    write_atomic(target, b"old")
    write_atomic(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_out_of_space_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "state.npz"
    write_atomic(target, b"good")
    monkeypatch.setenv("SRLIB_FAULT", "write:state.npz:enospc")
    with pytest.raises(OutOfSpaceError, match="no space left on the disk of .* the previous state.npz is intact"):
        write_atomic(target, b"x" * 1000)
    assert target.read_bytes() == b"good" and [p.name for p in tmp_path.iterdir()] == ["state.npz"]


def test_fault_point_counts_arrivals(monkeypatch):
    monkeypatch.setenv("SRLIB_FAULT", "somewhere@3:enospc")
    fault_point("elsewhere")
    fault_point("somewhere")
    fault_point("somewhere")
    with pytest.raises(OSError, match="No space left"):
        fault_point("somewhere")
    fault_point("somewhere")  # fires once


def test_identity_differences_name_each_field():
    stored = {"seed": 0, "steps": 9, "model": "espcn"}
    assert identity_differences(stored, dict(stored)) == []
    assert identity_differences(stored, {**stored, "seed": 1, "steps": 12}) == [
        "seed: the run in the folder has 0, this command 1", "steps: the run in the folder has 9, this command 12"]
    assert identity_differences(stored, {**stored, "steps": 12}, ignore=("steps",)) == []


def test_images_sha256_sees_pixels_and_names():
    image = np.zeros((4, 4, 3), np.uint8)
    changed = image.copy()
    changed[0, 0, 0] = 1
    assert images_sha256({"a": image}) == images_sha256({"a": image.copy()})
    assert images_sha256({"a": image}) != images_sha256({"a": changed}) != images_sha256({"b": image})


def test_load_state_refuses_garbage(tmp_path):
    assert load_state(tmp_path) is None
    (tmp_path / checkpoints.STATE_NAME).write_bytes(b"PK\x03\x04 torn")
    with pytest.raises(ValueError, match="is not a readable training state.*--force"):
        load_state(tmp_path)


def test_check_writable(tmp_path):
    assert checkpoints.check_writable(tmp_path / "new" / "run").is_dir()
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ValueError, match="cannot write into --out"):
        checkpoints.check_writable(locked)


# --- the acceptance test: SIGKILL at any instant, then --resume ------------------------------------

keras = pytest.importorskip("keras")

from srlib.cli import main  # noqa: E402
from srlib.training import output_paths, train  # noqa: E402
from training_helpers import cli_args, exact_rows, log_rows, tiny_config, weight_arrays, write_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _killed_run(args: list[str], fault: str) -> None:
    """Run ``python -m srlib`` in a new process that SIGKILLs itself at ``fault``."""
    env = {**os.environ, "SRLIB_FAULT": fault, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run([sys.executable, "-m", "srlib", *args], env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == -signal.SIGKILL, (fault, result.returncode, result.stderr[-2000:])


@pytest.mark.slow
def test_sigkill_at_every_stage_then_resume_is_bit_identical(tmp_path):
    data = write_data(tmp_path / "hr")
    reference = tmp_path / "reference"
    train(tiny_config(data, reference, steps=9))
    want = output_paths(reference, "espcn", 2)
    out = tmp_path / "run"
    paths = output_paths(out, "espcn", 2)
    state = lambda: load_state(out)[0]  # noqa: E731

    # 1. during the very first state write: nothing committed, --resume starts at step 0
    _killed_run(cli_args(data, out), "write:training_state.npz@1")
    assert load_state(out) is None and list(out.glob(".srlib-tmp-training_state.npz.*"))
    # 2. (resumed) during the write of the weights checkpoint of interval 2 (step 6)
    _killed_run(cli_args(data, out, 9, "--resume"), "write:checkpoint.weights.h5@2")
    assert state()["step"] == 3 and len(log_rows(paths["csv"])) == 1
    # 3. between the weights + logs of interval 2 and its state: logs are one row ahead of the state
    _killed_run(cli_args(data, out, 9, "--resume"), "before_state@1")
    assert state()["step"] == 3 and [r["step"] for r in log_rows(paths["csv"])] == ["3", "6"]
    # 4. during the state write of interval 2
    _killed_run(cli_args(data, out, 9, "--resume"), "write:training_state.npz@1")
    assert state()["step"] == 3
    # 5. after training (state at step 9) but before the final weights, logs and card
    _killed_run(cli_args(data, out, 9, "--resume"), "after_training")
    assert state()["step"] == 9 and state()["final"] is None and not paths["weights"].exists()
    # 6. after the final weights, before the final logs, card and state
    _killed_run(cli_args(data, out, 9, "--resume"), "after_final_weights")
    assert paths["weights"].is_file() and not paths["card"].exists()
    # without --resume the CLI refuses with a way out; with it, the run completes
    assert main(cli_args(data, out)) == 2
    assert main(cli_args(data, out, 9, "--resume")) == 0

    assert exact_rows(paths["csv"]) == exact_rows(want["csv"])
    resumed, uninterrupted = weight_arrays(paths["weights"]), weight_arrays(want["weights"])
    assert len(resumed) == len(uninterrupted) and all(np.array_equal(a, b) for a, b in zip(resumed, uninterrupted))
    assert state()["final"]["steps"] == 9 and paths["card"].is_file() and not paths["checkpoint"].exists()
    assert not list(out.glob(".srlib-tmp-*"))

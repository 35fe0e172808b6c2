"""The training loop behind ``python -m srlib train``, for any objective.

The run is split into *intervals* of ``val_every`` steps. Each interval is one Keras
``fit()`` call on the patch stream (continued at the run's step), followed by
validation on held-aside images with the evaluation protocol (``srlib.upscale`` and
``srlib.metrics.psnr`` on Y with ``border=scale``, beside bicubic), then, in this order,
``checkpoint.weights.h5`` (the latest weights, a plain Keras weights file), the CSV/JSON
logs, and the resumable state ``training_state.npz`` - every variable of every network
and optimiser plus the log rows and the run's identity, written atomically as one unit
(:mod:`srlib.training.checkpoints`). The state is the commit point: a run killed at any
instant and started again with ``resume=True`` continues from the last state, with the
patch stream, schedule and logs exactly as an uninterrupted run (bit-identical weights
and log rows, the wall-clock column aside).

What is minimised, with which networks and optimisers, is the *objective*'s business
(:mod:`srlib.training.objectives`); this module only schedules, validates, logs and saves.
Works on any Keras 3 backend: TensorFlow uses a ``tf.data`` pipeline (optionally under a
``tf.distribute`` strategy), JAX / PyTorch a ``keras.utils.PyDataset``.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import math
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from srlib._checks import to_jsonable
from srlib.data import (PairedPatches, get_degradation, file_list_sha256, find_images, load_images, make_lr, split_images)
from srlib.models.registry import PRE_UPSAMPLING, model_spec
from srlib.training import checkpoints
from srlib.training.card import model_card
from srlib.training.config import TrainConfig, check_config, learning_rate_at
from srlib.training.hardware import hardware_summary
from srlib.training.objectives import TrainingState, get_objective

__all__ = ["LOG_FIELDS", "output_paths", "validation_psnr", "run_identity", "train"]

LOG_FIELDS: tuple[str, ...] = ("step", "loss", "val_psnr", "bicubic_psnr", "lr", "elapsed")
#: Identity fields an explicit extension (``extend=True``) may change.
_EXTENSIBLE = ("steps", "max_minutes")


def output_paths(out: str | os.PathLike[str], model: str, scale: int) -> dict[str, Path]:
    """Files a run writes in ``out`` (``{model}_x{scale}.weights.h5``, ``.identity.json``, ``.md``, ``.log.csv``, ...).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    out = Path(out)
    stem = f"{model}_x{scale}"
    return {"weights": out / f"{stem}.weights.h5", "card": out / f"{stem}.md", "csv": out / f"{stem}.log.csv",
            "json": out / f"{stem}.log.json", "identity": out / f"{stem}.identity.json",
            "checkpoint": out / "checkpoint.weights.h5",
            "state": out / checkpoints.STATE_NAME}


def validation_psnr(model: Any, images: Mapping[str, np.ndarray], scale: int, *, degradation: Any = None,
                    seed: int = 0) -> float:
    """Mean Y-PSNR (``border=scale``) of ``model`` on HR ``images``: the evaluation protocol.

    LR = MATLAB bicubic of the modcropped HR (``degradation`` ``None`` or ``"bicubic"``), or the
    image degraded once by ``degradation`` with :func:`srlib.data.fixed_degradation` (``seed`` and
    the image's name fix it); SR = ``srlib.upscale.upscale(model, lr, scale)``.

    Notes
    -----
    Taught in ``03_srcnn.ipynb`` (degraded validation: ``06_degradations_and_augmentation.ipynb``).
    """
    from srlib.data import fixed_degradation

    from srlib.images import modcrop
    from srlib.metrics import psnr
    from srlib.upscale import upscale

    values = []
    for name, image in images.items():
        if min(image.shape[:2]) <= 2 * scale + 2 * scale:  # border crop of `scale` on each side of a modcropped HR
            raise ValueError(f"validation image {name!r} is {image.shape[0]}x{image.shape[1]}: too small to score at "
                             f"scale {scale} (the border of {scale} px leaves too little); use validation images of at "
                             f"least {4 * scale + 1}x{4 * scale + 1} pixels or remove it from the validation folder")
        hr = modcrop(image, scale)
        lr = make_lr(hr, scale) if degradation in (None, "bicubic") else \
            fixed_degradation(hr, scale, degradation, seed=seed, name=name).lr
        values.append(psnr(hr, upscale(model, lr, scale), border=scale, channel="y"))
    return float(np.mean(values))


def run_identity(config: TrainConfig, train_images: Mapping[str, np.ndarray],
                 val_images: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """What makes two runs the same run: a resume must match it, an extension may change ``steps``.

    Model, kwargs, scale, objective, the pixels of the training and validation images, the
    seed, the schedule and its parameters, steps, batch and patch size, the flat-patch
    threshold, the budget, the initial weights' sha256, the objective's settings and the
    training degradation (when not the clean default).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    init = None
    extra: dict[str, Any] = {"objective_kwargs": dict(config.objective_kwargs)} if config.objective_kwargs else {}
    if config.degradation != "bicubic":  # absent for clean runs: their identities stay what they were
        extra["degradation"] = config.degradation
    if config.init_weights:
        from srlib.pretrained import sha256_file

        init = sha256_file(config.init_weights)
    return {"model": config.model, "model_kwargs": dict(config.model_kwargs), "scale": config.scale,
            "objective": config.objective, "train_data_sha256": checkpoints.images_sha256(train_images),
            "val_data_sha256": checkpoints.images_sha256(val_images), "seed": config.seed, "lr": config.lr,
            "schedule": config.schedule, "steps": config.steps, "val_every": config.val_every,
            "batch_size": config.batch_size, "patch_size": config.patch_size, "min_std": config.min_std,
            "max_minutes": config.max_minutes, "init_weights_sha256": init, **extra}


def _csv_bytes(rows: Sequence[Mapping[str, float]]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=LOG_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _fmt(row.get(key, float("nan"))) for key in LOG_FIELDS})
    return text.getvalue().encode("utf-8")


def _fmt(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _json_bytes(payload: Any) -> bytes:
    return (json.dumps(to_jsonable(payload), indent=1) + "\n").encode("utf-8")


def _data_summary(folders: list[str] | None, images: Mapping[str, np.ndarray]) -> dict[str, Any]:
    if folders is None:
        return {"folders": ["srlib.data.default_images()"], "images": len(images), "file_list_sha256": None}
    per_folder = {}
    files = []
    for folder in folders:
        found = find_images(folder)
        files.extend(found)
        per_folder[folder] = len(found)
    return {"folders": list(folders), "images_per_folder": per_folder, "images": len(files),
            "file_list_sha256": file_list_sha256(files)}


class _Clock:
    """Wall time of the whole run across sessions."""

    def __init__(self, previous: float) -> None:
        self.previous = previous
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return self.previous + time.perf_counter() - self.start


def _split(config: TrainConfig, images: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    if config.val_data is not None:
        return images, load_images(config.val_data)
    if len(images) >= 2:
        count = config.val_split if config.val_split is not None else min(5, max(1, len(images) // 10))
        return split_images(images, count, seed=config.seed)
    return images, {}


def _refuse(out: Path, what: str, remedies: str) -> ValueError:
    return ValueError(f"{str(out)!r} holds {what}; {remedies}")


def _plan(config: TrainConfig, paths: dict[str, Path], identity: dict[str, Any]
          ) -> tuple[str, tuple[dict[str, Any], dict[str, np.ndarray]] | None]:
    """Decide what to do with ``out``: ``"fresh"``, ``"continue"`` (resume/extend) or ``"done"``."""
    out = paths["state"].parent
    stored = checkpoints.load_state(out) if not config.force else None
    if config.force:
        for key in ("state", "checkpoint", "weights", "csv", "json", "card"):
            paths[key].unlink(missing_ok=True)
        return "fresh", None
    if stored is None:
        leftovers = [paths[key].name for key in ("weights", "csv", "json", "card", "checkpoint")
                     if paths[key].exists()]
        if leftovers and not config.resume:
            raise _refuse(out, f"files of an earlier run ({', '.join(leftovers)}) but no training state",
                          "pass --force to overwrite them, or choose another --out folder")
        if leftovers and config.verbose:
            print(f"{out}: no training state (the run stopped before its first checkpoint): starting at step 0",
                  flush=True)
        return "fresh", None
    record, arrays = stored
    finished = record.get("final") is not None
    step, steps = int(record["step"]), int(record["identity"]["steps"])
    described = (f"{'a finished' if finished else 'an interrupted'} run of {record['identity']['model']} "
                 f"x{record['identity']['scale']} at step {step} of {steps}")
    if not (config.resume or config.extend):
        if finished:
            raise _refuse(out, described, "pass --force to train it again from scratch, --extend with a larger "
                          "--steps to train it further, or choose another --out folder")
        raise _refuse(out, described, "pass --resume to continue it, --force to discard it, or choose another "
                      "--out folder")
    if config.extend and not finished:
        raise _refuse(out, described, "--extend continues finished runs only: finish this one with --resume "
                      "(same arguments) first")
    differences = checkpoints.identity_differences(record["identity"], identity,
                                                   ignore=_EXTENSIBLE if config.extend else ())
    if differences:
        raise _refuse(out, described, "this command describes a different run, so it cannot "
                      f"{'extend' if config.extend else 'resume'} it:\n  " + "\n  ".join(differences)
                      + "\nrun the original command again, or pass --force to start a new run in this folder")
    if config.extend and config.steps <= step:
        raise _refuse(out, described, f"--extend needs --steps larger than the {step} steps already trained, "
                      f"got {config.steps}")
    if finished and not config.extend:
        return "done", stored
    return "continue", stored


def _write_logs(paths: dict[str, Path], rows: list[dict[str, float]], payload: dict[str, Any]) -> None:
    payload["rows"] = rows
    checkpoints.write_atomic(paths["csv"], _csv_bytes(rows))
    checkpoints.write_atomic(paths["json"], _json_bytes(payload))


def _save_inference(training: TrainingState, clean: Any, path: Path) -> None:
    """The inference network's weights only (no optimiser), loadable like the shipped files."""
    clean.set_weights(training.inference.get_weights())
    checkpoints.save_weights_atomic(clean, path)


def train(config: TrainConfig, *, callbacks: Sequence[Any] = ()) -> dict[str, Any]:
    """Train one model and write weights, logs, checkpoints and a model card into ``config.out``.

    Parameters
    ----------
    config : TrainConfig
        The run (see its attributes; the CLI builds it from its arguments).
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks (e.g. to interrupt a run in a test, or to plot live).

    Returns
    -------
    dict
        The summary also written to ``{model}_x{scale}.log.json``: ``config``, ``identity``,
        ``objective``, ``data``, ``hardware``, ``rows`` (step, loss, val_psnr, bicubic_psnr,
        lr, elapsed), ``final`` (val PSNR, bicubic PSNR, steps, wall time, steps/s,
        patches/s) and ``paths``.

    Raises
    ------
    ValueError
        Bad configuration, empty data folder, an ``out`` that is a file or not writable,
        or an ``out`` holding a run this config may not touch: an interrupted run without
        ``resume=True``, a finished run without ``force``/``extend``, or a resume/extension
        whose identity differs (the message lists every difference).
    srlib.training.checkpoints.OutOfSpaceError
        The disk filled up while writing; the last good checkpoint is intact.

    Notes
    -----
    Resuming (``resume=True``) restores every network and optimiser variable from
    ``training_state.npz`` and continues the step count, the patch stream (at the same
    batch index), the schedule and the logs (rows newer than the state are dropped); the
    weights and log rows then equal those of an uninterrupted run with the same seed. A
    finished run is kept: ``force=True`` starts again, ``extend=True`` with a larger
    ``steps`` trains it further (the schedule then follows the new total). Taught in
    ``03_srcnn.ipynb``.
    """
    import keras

    from srlib.models.registry import build_model

    config = check_config(config)
    out = checkpoints.check_writable(config.out)
    checkpoints.remove_stale_temporaries(out)
    paths = output_paths(out, config.model, config.scale)

    # ---- data -------------------------------------------------------------------------------
    images = load_images(config.data)
    train_images, val_images = _split(config, images)
    identity = run_identity(config, train_images, val_images)
    plan, stored = _plan(config, paths, identity)
    spec = model_spec(config.model)
    pre_upsample = spec.upsampling == PRE_UPSAMPLING
    sampler = PairedPatches(train_images, config.scale, config.patch_size // config.scale,
                            pre_upsample=pre_upsample, channels="rgb" if spec.channels == 3 else "y",
                            min_std=config.min_std, seed=config.seed, degradation=get_degradation(config.degradation))
    validate = functools.partial(validation_psnr, images=val_images, scale=config.scale,
                                 degradation=config.degradation, seed=config.seed)
    bicubic_psnr = validate("bicubic") if val_images else float("nan")
    objective = get_objective(config.objective)
    payload: dict[str, Any] = {
        "config": dataclasses.asdict(config), "identity": identity,
        "objective": {"name": objective.name, "description": objective.describe(config)},
        "data": _data_summary(config.data, images),
        "train_images": len(sampler), "val_images": sorted(val_images),
        "validation": ("val_data folders" if config.val_data is not None else
                       f"{len(val_images)} images held aside from the training folders (seeded)")
                      + ("" if config.degradation == "bicubic" else
                         f", LR degraded once by {config.degradation!r} (srlib.data.fixed_degradation, seed "
                         f"{config.seed})"),
        "degradation": config.degradation,
        "pre_upsampling": pre_upsample, "hardware": hardware_summary(), "rows": [], "final": None,
        "paths": {key: str(value) for key, value in paths.items()},
    }
    if plan == "done" and all(paths[key].is_file() for key in ("weights", "json", "card")):
        if config.verbose:
            print(f"{paths['weights']} is already complete; nothing to resume", flush=True)
        return json.loads(paths["json"].read_text(encoding="utf-8"))

    # ---- model, optimisers, restored state ---------------------------------------------------
    keras.utils.set_random_seed(config.seed)
    backend = keras.backend.backend()
    if config.strategy == "mirrored":
        if backend != "tensorflow":
            raise ValueError(f"strategy 'mirrored' needs the TensorFlow backend, this is {backend!r}; "
                             "use the default strategy")
        import tensorflow as tf

        with tf.distribute.MirroredStrategy().scope():
            training = objective.build(config)
    else:
        training = objective.build(config)
    clean = build_model(config.model, config.scale, **config.model_kwargs)  # weights-only twin for saving
    step, intervals, previous_elapsed, rows, stop_reason, final = 0, 0, 0.0, [], "steps", None
    if stored is not None:
        record, arrays = stored
        checkpoints.restore_state(training, arrays)
        step, intervals = int(record["step"]), int(record["intervals"])
        previous_elapsed, rows = float(record["elapsed"]), [dict(row) for row in record["rows"]]
        stop_reason = record.get("stop_reason", "steps")
        final = record.get("final") if plan == "done" else None
        if plan == "continue" and config.extend:
            stop_reason = "steps"
        _save_inference(training, clean, paths["checkpoint"])
        _write_logs(paths, rows, payload)  # drops rows newer than the state
    clock = _Clock(previous_elapsed)

    def record_of(final_summary: dict[str, Any] | None) -> dict[str, Any]:
        return {"identity": identity, "step": step, "intervals": intervals, "rows": rows,
                "elapsed": clock.elapsed(), "stop_reason": stop_reason, "final": final_summary}

    # ---- intervals ----------------------------------------------------------------------------
    def progress() -> float:
        fraction = step / config.steps
        if config.max_minutes:
            fraction = max(fraction, clock.elapsed() / (60.0 * config.max_minutes))
        return fraction

    def next_end(position: int) -> int:
        return min((position // config.val_every + 1) * config.val_every, config.steps)

    remaining, position = 0, step
    while position < config.steps:
        position, remaining = next_end(position), remaining + 1
    total_intervals = intervals + remaining
    budget = _budget_callback(config, clock)
    while final is None and step < config.steps and stop_reason != "max_minutes":
        end = next_end(step)
        lr = learning_rate_at(progress(), config.lr, config.schedule)
        training.set_learning_rate(lr)
        dataset = _dataset(sampler, config, start=step, backend=backend)
        budget.steps = 0
        history = training.trainer.fit(dataset, steps_per_epoch=end - step, epochs=total_intervals,
                                       initial_epoch=intervals, shuffle=False, verbose=config.verbose,
                                       callbacks=[budget, *callbacks])
        step, intervals = step + budget.steps, intervals + 1
        stop_reason = "max_minutes" if budget.out_of_time else "steps"
        loss = float((history.history.get("loss") or [float("nan")])[-1])
        val = validate(training.inference) if val_images else float("nan")
        row = {"step": float(step), "loss": loss, "val_psnr": val, "bicubic_psnr": bicubic_psnr, "lr": lr,
               "elapsed": clock.elapsed()}
        rows.append(row)
        _save_inference(training, clean, paths["checkpoint"])
        _write_logs(paths, rows, payload)
        checkpoints.fault_point("before_state")
        checkpoints.save_state(out, training, record_of(None))
        checkpoints.fault_point("after_state")
        if config.verbose:
            print(f"step {step}/{config.steps}: loss {loss:.3g}, val PSNR {val:.2f} dB (bicubic "
                  f"{bicubic_psnr:.2f}, {val - bicubic_psnr:+.2f}), lr {lr:.2e}, {row['elapsed']:.0f} s", flush=True)

    # ---- final weights (model only, no optimizer state), logs, card ---------------------------
    checkpoints.fault_point("after_training")
    if final is None:
        wall = clock.elapsed()
        last = rows[-1] if rows else {}
        final = {
            "steps": step, "stop_reason": stop_reason,
            "val_psnr": last.get("val_psnr", float("nan")), "bicubic_psnr": bicubic_psnr,
            "gain_db": last.get("val_psnr", float("nan")) - bicubic_psnr,
            "wall_time_s": wall, "steps_per_s": step / max(wall, 1e-9),
            "patches_per_s": step * config.batch_size / max(wall, 1e-9),
            "parameters": int(clean.count_params()),
        }
        try:
            from srlib.models.analysis import macs_per_output_pixel

            final["macs_per_output_pixel"] = float(macs_per_output_pixel(clean))
        except Exception:  # pragma: no cover - informational only
            pass
    _save_inference(training, clean, paths["weights"])
    from srlib.pretrained import write_identity

    write_identity(paths["weights"], config.model, config.scale, config.model_kwargs)  # what load checks
    checkpoints.fault_point("after_final_weights")
    payload["final"] = final
    _write_logs(paths, rows, payload)
    checkpoints.write_atomic(paths["card"], model_card(payload).encode("utf-8"))
    checkpoints.save_state(out, training, record_of(final))
    paths["checkpoint"].unlink(missing_ok=True)
    return json.loads(_json_bytes(payload))


def _budget_callback(config: TrainConfig, clock: _Clock) -> Any:
    import keras

    class Budget(keras.callbacks.Callback):
        """Count this interval's steps; stop when the wall-clock budget is spent."""

        def __init__(self) -> None:
            super().__init__()
            self.steps = 0
            self.out_of_time = False

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            self.steps += 1
            if config.max_minutes and clock.elapsed() >= 60.0 * config.max_minutes:
                self.out_of_time = True
                self.model.stop_training = True

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self.model.stop_training = True  # one interval per fit() call

    return Budget()


def _dataset(sampler: PairedPatches, config: TrainConfig, *, start: int, backend: str) -> Any:
    """The patch stream from batch ``start`` on: ``tf.data`` on TensorFlow, a PyDataset elsewhere."""
    if backend == "tensorflow":
        from srlib.data import make_dataset

        return make_dataset(sampler, batch_size=config.batch_size, start=start)
    from srlib.data import make_py_dataset

    return make_py_dataset(sampler, batch_size=config.batch_size, start=start, workers=config.workers)

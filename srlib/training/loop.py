"""Train SRCNN / FSRCNN / ESPCN with Keras ``fit()``: validation, checkpoints, resume, logs, model card.

:func:`train` is what ``python -m srlib train`` runs. The run is split into
*intervals* of ``val_every`` steps (Keras epochs): at the end of each one the model
is scored on held-aside images with the evaluation protocol (``srlib.upscale`` and
``srlib.metrics.psnr`` on Y with ``border=scale``, beside bicubic), a row goes to
the CSV/JSON logs, a ``.weights.h5`` checkpoint is written and
``keras.callbacks.BackupAndRestore`` saves the full training state, so that an
interrupted run started again with ``resume=True`` continues where it stopped.

Works on any Keras 3 backend: TensorFlow uses a ``tf.data`` pipeline (optionally
under a ``tf.distribute`` strategy), JAX / PyTorch a ``keras.utils.PyDataset``.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import math
import os
import platform
import shlex
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from srlib._checks import check_positive_int, to_jsonable
from srlib.data.patches import PairedPatches, file_list_sha256, find_images, load_images, make_lr, split_images

SCHEDULES: tuple[str, ...] = ("constant", "cosine", "step")
STRATEGIES: tuple[str, ...] = ("default", "mirrored")
LOG_FIELDS: tuple[str, ...] = ("step", "loss", "val_psnr", "bicubic_psnr", "lr", "elapsed")
COSINE_FLOOR = 0.01  # cosine decays to 1% of the initial learning rate


@dataclasses.dataclass
class TrainConfig:
    """Everything that defines a training run (the CLI's arguments).

    Attributes
    ----------
    model : str
        ``"srcnn"``, ``"fsrcnn"`` or ``"espcn"``.
    scale : int
        2, 3 or 4.
    out : str
        Output folder (weights, logs, card, checkpoints, ``backup/`` for resuming).
    data : list of str, optional
        Folders of HR training images; ``None`` for the offline default set.
    steps : int
        Training steps (batches).
    batch_size, lr, schedule :
        Batch size, initial Adam learning rate, ``"constant"``, ``"cosine"`` (to 1% of
        ``lr``) or ``"step"`` (x0.1 at 50% and 80% of the run).
    val_data : list of str, optional
        Folders of validation images; otherwise ``val_split`` training images are held aside.
    val_split : int, optional
        Images held aside (default: a tenth of the images, 1 to 5).
    val_every : int, optional
        Steps between validations/checkpoints (default ``steps // 10``).
    patch_size : int, optional
        HR patch side in pixels (rounded down to a multiple of ``scale``); default 33 for
        SRCNN, ``scale x 16`` (FSRCNN) / ``scale x 17`` (ESPCN).
    seed : int
        Seeds weights and the patch stream.
    resume : bool
        Continue an interrupted run in ``out``.
    max_minutes : float, optional
        Wall-clock budget: stop cleanly after it (final weights and card are still written);
        the learning-rate schedule then follows the fraction of the budget used.
    min_std : float
        Flat-patch rejection threshold (HR Y std on ``[0, 1]``).
    strategy : str
        ``"default"`` or ``"mirrored"`` (``tf.distribute.MirroredStrategy``, TensorFlow only).
    init_weights : str, optional
        Fine-tune: start from these ``.weights.h5`` (loaded with
        :func:`srlib.pretrained.load_weights_file`: weights of another architecture, scale or
        ``model_kwargs`` are a ``ValueError``).
    model_kwargs : dict
        Passed to ``srlib.models.build_model`` (e.g. ``{"variant": "9-5-5"}``).
    workers : int
        Data threads (PyDataset backends).
    verbose : int
        Keras ``fit`` verbosity: 1 progress bar, 2 one line per interval, 0 silent.
    command : str, optional
        The command line, recorded in the model card.
    """

    model: str
    scale: int
    out: str
    data: list[str] | None = None
    steps: int = 1000
    batch_size: int = 16
    lr: float = 1e-3
    schedule: str = "cosine"
    val_data: list[str] | None = None
    val_split: int | None = None
    val_every: int | None = None
    patch_size: int | None = None
    seed: int = 0
    resume: bool = False
    max_minutes: float | None = None
    min_std: float = 0.0
    strategy: str = "default"
    init_weights: str | None = None
    model_kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)
    workers: int = 2
    verbose: int = 1
    command: str | None = None




def check_config(config: TrainConfig) -> TrainConfig:
    """Validate a :class:`TrainConfig` and fill in defaults; raise ValueError naming the bad value.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    from srlib._checks import check_scale
    from srlib.models.registry import SCALES, check_model_name, model_spec

    name = check_model_name(config.model)
    check_scale(config.scale, supported=SCALES)
    steps = check_positive_int(config.steps, "steps")
    batch_size = check_positive_int(config.batch_size, "batch size")
    if not (isinstance(config.lr, (int, float)) and math.isfinite(config.lr) and config.lr > 0):
        raise ValueError(f"learning rate must be a positive number (e.g. 1e-3), got {config.lr!r}")
    if config.schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {config.schedule!r}; choose one of {SCHEDULES}")
    if config.strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {config.strategy!r}; choose one of {STRATEGIES}")
    val_every = max(1, steps // 10) if config.val_every is None else check_positive_int(config.val_every, "val_every")
    val_every = min(val_every, steps)
    if config.val_split is not None:
        check_positive_int(config.val_split, "val_split")
    if config.val_data is not None and config.val_split is not None:
        raise ValueError("give either val_data (folders) or val_split (a count), not both")
    if config.max_minutes is not None and not (config.max_minutes > 0):
        raise ValueError(f"max_minutes must be positive, got {config.max_minutes!r}")
    scale = int(config.scale)
    if config.patch_size is None:
        lr_patch = model_spec(name).default_lr_patch(scale)
    else:
        patch = check_positive_int(config.patch_size, "patch size")
        if patch < 2 * scale:
            raise ValueError(f"patch size (HR pixels) must be at least 2 x scale = {2 * scale}, got {patch}")
        lr_patch = patch // scale
    if config.init_weights is not None:
        if not Path(config.init_weights).is_file():
            raise FileNotFoundError(f"initial weights {config.init_weights!r} not found")
        if not Path(config.init_weights).name.endswith(".weights.h5"):
            raise ValueError(f"initial weights must be a Keras '.weights.h5' file (what `python -m srlib train` "
                             f"writes), got {config.init_weights!r}")
    return dataclasses.replace(config, model=name, scale=scale, steps=steps, batch_size=batch_size,
                               val_every=val_every, patch_size=lr_patch * scale, lr=float(config.lr),
                               data=None if config.data is None else [str(d) for d in config.data],
                               val_data=None if config.val_data is None else [str(d) for d in config.val_data])


def learning_rate_at(progress: float, base_lr: float, schedule: str) -> float:
    """The learning rate at ``progress`` in ``[0, 1]`` of the run.

    ``"constant"``: ``base_lr``; ``"cosine"``: half a cosine from ``base_lr`` to 1% of it;
    ``"step"``: ``base_lr``, then x0.1 from 50% and x0.01 from 80%.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose one of {SCHEDULES}")
    progress = min(max(float(progress), 0.0), 1.0)
    if schedule == "constant":
        return float(base_lr)
    if schedule == "cosine":
        return float(base_lr * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + math.cos(math.pi * progress))))
    return float(base_lr * (1.0 if progress < 0.5 else 0.1 if progress < 0.8 else 0.01))


def hardware_summary() -> dict[str, Any]:
    """Backend, accelerator and CPU names for the model card.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    import keras

    backend = keras.backend.backend()
    info: dict[str, Any] = {"backend": backend, "keras": keras.__version__, "python": platform.python_version(),
                            "cpu": _cpu_name(), "cpu_count": os.cpu_count(), "accelerator": "none (CPU)"}
    try:
        if backend == "jax":
            import jax

            info["jax"] = jax.__version__
            devices = [d for d in jax.devices() if d.platform != "cpu"]
            if devices:
                info["accelerator"] = f"{len(devices)} x {devices[0].device_kind}"
        elif backend == "tensorflow":
            import tensorflow as tf

            info["tensorflow"] = tf.__version__
            gpus = tf.config.list_physical_devices("GPU")
            if gpus:
                details = tf.config.experimental.get_device_details(gpus[0])
                info["accelerator"] = f"{len(gpus)} x {details.get('device_name', 'GPU')}"
        elif backend == "torch":
            import torch

            info["torch"] = torch.__version__
            if torch.cuda.is_available():
                info["accelerator"] = f"{torch.cuda.device_count()} x {torch.cuda.get_device_name(0)}"
    except Exception as err:  # pragma: no cover - informational only
        info["accelerator_error"] = repr(err)
    return info


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def validation_psnr(model: Any, images: Mapping[str, np.ndarray], scale: int) -> float:
    """Mean Y-PSNR (``border=scale``) of ``model`` on HR ``images``: the evaluation protocol.

    LR = MATLAB bicubic of the modcropped HR; SR = ``srlib.upscale.upscale(model, lr, scale)``.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    from srlib.images import modcrop
    from srlib.metrics import psnr
    from srlib.upscale import upscale

    values = []
    for image in images.values():
        hr = modcrop(image, scale)
        values.append(psnr(hr, upscale(model, make_lr(hr, scale), scale), border=scale, channel="y"))
    return float(np.mean(values))


def _build_compiled(config: TrainConfig) -> Any:
    import keras

    from srlib.models import build_model

    if config.init_weights:
        # the one weights-loading path: .weights.h5 (HDF5 arrays) only, every array's shape checked
        from srlib.pretrained import load_weights_file

        model = load_weights_file(config.init_weights, config.model, config.scale, **config.model_kwargs)
    else:
        model = build_model(config.model, config.scale, **config.model_kwargs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=config.lr), loss="mean_squared_error")
    return model


def _read_rows(path: Path) -> list[dict[str, float]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [{key: float(value) for key, value in row.items()} for row in csv.DictReader(handle)]


def _write_rows(path: Path, rows: Sequence[Mapping[str, float]]) -> None:
    tmp = path.with_name(path.name + ".tmp")  # not with_suffix: x.log.csv and x.log.json would share x.log.tmp
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=LOG_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _fmt(row.get(key, float("nan"))) for key in LOG_FIELDS})
    tmp.replace(path)


def _fmt(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f"{value:.6g}" if isinstance(value, float) else str(value)




def _write_json(path: Path, payload: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")  # not with_suffix: x.log.csv and x.log.json would share x.log.tmp
    tmp.write_text(json.dumps(to_jsonable(payload), indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


class _Run:
    """Mutable state shared by the callbacks of one training session."""

    def __init__(self, config: TrainConfig, start_step: int, previous_elapsed: float) -> None:
        self.config = config
        self.step = start_step
        self.start_step = start_step
        self.previous_elapsed = previous_elapsed
        self.session_start = time.perf_counter()
        self.stop_reason = "steps"
        self.lr = config.lr

    def elapsed(self) -> float:
        return self.previous_elapsed + time.perf_counter() - self.session_start

    def progress(self) -> float:
        progress = self.step / self.config.steps
        if self.config.max_minutes:
            progress = max(progress, self.elapsed() / (60.0 * self.config.max_minutes))
        return progress


def _callbacks(run: _Run, clean: Any, paths: dict[str, Path], rows: list[dict[str, float]],
               val_images: Mapping[str, np.ndarray], bicubic_psnr: float, payload: dict[str, Any]) -> list[Any]:
    import keras

    config = run.config

    class Schedule(keras.callbacks.Callback):
        """Set the learning rate at the start of each interval (any backend)."""

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            run.lr = learning_rate_at(run.progress(), config.lr, config.schedule)
            self.model.optimizer.learning_rate = run.lr

    class Budget(keras.callbacks.Callback):
        """Count steps; stop at ``steps`` or when the wall-clock budget is spent."""

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            run.step += 1
            if run.step >= config.steps:
                run.stop_reason = "steps"
                self.model.stop_training = True
            elif config.max_minutes and run.elapsed() >= 60.0 * config.max_minutes:
                run.stop_reason = "max_minutes"
                self.model.stop_training = True

    class Validate(keras.callbacks.Callback):
        """Validate, log a row, write the logs and a weights checkpoint."""

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            loss = float((logs or {}).get("loss", float("nan")))
            val = validation_psnr(self.model, val_images, config.scale) if val_images else float("nan")
            row = {"step": float(run.step), "loss": loss, "val_psnr": val, "bicubic_psnr": bicubic_psnr,
                   "lr": run.lr, "elapsed": run.elapsed()}
            rows.append(row)
            _write_rows(paths["csv"], rows)
            payload["rows"] = rows
            _write_json(paths["json"], payload)
            clean.set_weights(self.model.get_weights())  # model weights only, loadable like the final file
            clean.save_weights(str(paths["checkpoint"]))
            if config.verbose:
                gain = val - bicubic_psnr
                print(f"step {run.step}/{config.steps}: loss {loss:.3g}, val PSNR {val:.2f} dB "
                      f"(bicubic {bicubic_psnr:.2f}, {gain:+.2f}), lr {run.lr:.2e}, {row['elapsed']:.0f} s",
                      flush=True)

    backup = keras.callbacks.BackupAndRestore(str(paths["backup"]), save_freq="epoch", delete_checkpoint=True)
    # Validate (writes the log row) runs before the backup is saved: on resume, rows newer than
    # the restored state are dropped.
    return [Schedule(), Budget(), Validate(), backup]


def output_paths(out: str | os.PathLike[str], model: str, scale: int) -> dict[str, Path]:
    """Files a run writes in ``out`` (``{model}_x{scale}.weights.h5``, ``.md``, ``.log.csv``, ...).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    out = Path(out)
    stem = f"{model}_x{scale}"
    return {"weights": out / f"{stem}.weights.h5", "card": out / f"{stem}.md", "csv": out / f"{stem}.log.csv",
            "json": out / f"{stem}.log.json", "checkpoint": out / "checkpoint.weights.h5",
            "backup": out / "backup"}


def _data_summary(folders: list[str] | None, images: Mapping[str, np.ndarray]) -> dict[str, Any]:
    if folders is None:
        return {"folders": ["srlib.data.registry.default_images()"], "images": len(images), "file_list_sha256": None}
    per_folder = {}
    files = []
    for folder in folders:
        found = find_images(folder)
        files.extend(found)
        per_folder[folder] = len(found)
    return {"folders": list(folders), "images_per_folder": per_folder, "images": len(files),
            "file_list_sha256": file_list_sha256(files)}


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
        The summary also written to ``{model}_x{scale}.log.json``: ``config``, ``data``,
        ``hardware``, ``rows`` (step, loss, val_psnr, bicubic_psnr, lr, elapsed), ``final``
        (val PSNR, bicubic PSNR, steps, wall time, steps/s, patches/s) and ``paths``.

    Raises
    ------
    ValueError
        Bad configuration, empty data folder, or ``out`` holding an interrupted run
        without ``resume=True``.

    Notes
    -----
    Resuming: ``keras.callbacks.BackupAndRestore`` saves weights and optimizer state in
    ``out/backup`` after each interval; a rerun with ``resume=True`` restores them and
    continues the step count, the patch stream, the LR schedule and the logs. Taught in
    ``03_srcnn.ipynb``.
    """
    import keras

    from srlib.models import PRE_UPSAMPLING, model_spec

    config = check_config(config)
    paths = output_paths(config.out, config.model, config.scale)
    out = Path(config.out)
    metadata_file = paths["backup"] / "training_metadata.json"
    if metadata_file.exists() and not config.resume:
        raise ValueError(f"{str(out)!r} holds an interrupted run (backup/); pass --resume to continue it "
                         "or choose a new --out folder")
    if config.resume and paths["json"].is_file() and not metadata_file.exists():
        previous = json.loads(paths["json"].read_text(encoding="utf-8"))
        if previous.get("final") and paths["weights"].is_file():
            print(f"{paths['weights']} is already complete; nothing to resume", flush=True)
            return previous
    out.mkdir(parents=True, exist_ok=True)

    # ---- data -------------------------------------------------------------------------------
    images = load_images(config.data)
    if config.val_data is not None:
        train_images, val_images = images, load_images(config.val_data)
    elif len(images) >= 2:
        count = config.val_split if config.val_split is not None else min(5, max(1, len(images) // 10))
        train_images, val_images = split_images(images, count, seed=config.seed)
    else:
        train_images, val_images = images, {}
    pre_upsample = model_spec(config.model).upsampling == PRE_UPSAMPLING
    sampler = PairedPatches(train_images, config.scale, config.patch_size // config.scale,
                            pre_upsample=pre_upsample, augment=True, min_std=config.min_std, seed=config.seed)
    bicubic_psnr = validation_psnr("bicubic", val_images, config.scale) if val_images else float("nan")

    # ---- resume state -------------------------------------------------------------------------
    initial_epoch = 0
    if metadata_file.exists():
        initial_epoch = int(json.loads(metadata_file.read_text(encoding="utf-8"))["epoch"])
    start_step = initial_epoch * int(config.val_every)
    rows = [row for row in _read_rows(paths["csv"]) if row["step"] <= start_step] if initial_epoch else []
    previous_elapsed = rows[-1]["elapsed"] if rows else 0.0

    # ---- model --------------------------------------------------------------------------------
    keras.utils.set_random_seed(config.seed)
    backend = keras.backend.backend()
    if config.strategy == "mirrored":
        if backend != "tensorflow":
            raise ValueError(f"strategy 'mirrored' needs the TensorFlow backend, this is {backend!r}; "
                             "use the default strategy")
        import tensorflow as tf

        with tf.distribute.MirroredStrategy().scope():
            model = _build_compiled(config)
    else:
        model = _build_compiled(config)

    remaining = config.steps - start_step
    if backend == "tensorflow":
        from srlib.data.patches import make_dataset

        dataset = make_dataset(sampler, batch_size=config.batch_size, start=start_step)
    else:
        from srlib.data.patches import make_py_dataset

        dataset = make_py_dataset(sampler, batch_size=config.batch_size, start=start_step,
                                  workers=config.workers)

    payload: dict[str, Any] = {
        "config": dataclasses.asdict(config),
        "data": _data_summary(config.data, images),
        "train_images": len(sampler), "val_images": sorted(val_images),
        "validation": ("val_data folders" if config.val_data is not None else
                       f"{len(val_images)} images held aside from the training folders (seeded)"),
        "pre_upsampling": pre_upsample, "hardware": hardware_summary(), "rows": rows, "final": None,
        "paths": {key: str(value) for key, value in paths.items()},
    }
    from srlib.models import build_model

    clean = build_model(config.model, config.scale, **config.model_kwargs)  # weights-only twin for saving
    run = _Run(config, start_step, previous_elapsed)
    epochs = math.ceil(config.steps / config.val_every)
    all_callbacks = _callbacks(run, clean, paths, rows, val_images, bicubic_psnr, payload) + list(callbacks)
    if remaining > 0 and initial_epoch < epochs:
        model.fit(dataset, steps_per_epoch=config.val_every, epochs=epochs, initial_epoch=initial_epoch, shuffle=False,
                  callbacks=all_callbacks, verbose=config.verbose)
    wall = run.elapsed()

    # ---- final weights (model only, no optimizer state) and card ------------------------------
    clean.set_weights(model.get_weights())
    clean.save_weights(str(paths["weights"]))
    last = rows[-1] if rows else {}
    session_steps = run.step - run.start_step
    session_time = max(wall - previous_elapsed, 1e-9)
    final = {
        "steps": run.step, "stop_reason": run.stop_reason,
        "val_psnr": last.get("val_psnr", float("nan")), "bicubic_psnr": bicubic_psnr,
        "gain_db": last.get("val_psnr", float("nan")) - bicubic_psnr,
        "wall_time_s": wall, "steps_per_s": session_steps / session_time,
        "patches_per_s": session_steps * config.batch_size / session_time,
        "parameters": int(clean.count_params()),
    }
    try:
        from srlib.models import macs_per_output_pixel

        final["macs_per_output_pixel"] = float(macs_per_output_pixel(clean))
    except Exception:  # pragma: no cover - informational only
        pass
    payload["final"] = final
    _write_json(paths["json"], payload)
    paths["card"].write_text(model_card(payload), encoding="utf-8")
    if paths["checkpoint"].exists():
        paths["checkpoint"].unlink()
    return payload


def model_card(summary: Mapping[str, Any]) -> str:
    """A Markdown model card from a :func:`train` summary.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    config = summary["config"]
    final = summary["final"] or {}
    data = summary["data"]
    hardware = summary["hardware"]
    name = f"{config['model']}_x{config['scale']}"
    command = config.get("command") or "(called from Python: srlib.training.loop.train)"
    folders = data.get("images_per_folder") or {folder: data["images"] for folder in data["folders"]}
    rows = summary.get("rows") or []
    curve = "\n".join(f"| {int(r['step'])} | {r['loss']:.3g} | {r['val_psnr']:.2f} | {r['lr']:.2e} | "
                      f"{r['elapsed']:.0f} |" for r in rows)
    lines = [
        f"# Model card: {name}",
        "",
        f"{config['model'].upper()} x{config['scale']} trained by `python -m srlib train` on the Y channel "
        "(MATLAB rgb2ycbcr), LR made with srlib's MATLAB-compatible bicubic.",
        "",
        "## Command",
        "",
        f"```\n{command}\n```",
        "",
        "## Data",
        "",
        *[f"- `{folder}`: {count} images" for folder, count in folders.items()],
        f"- file list sha256: `{data.get('file_list_sha256')}`",
        f"- training images used: {summary['train_images']}; validation: {summary['validation']}: "
        f"{', '.join(summary['val_images']) or 'none'}",
        f"- patches: HR {config['patch_size']} px (LR {config['patch_size'] // config['scale']} px), "
        f"random flips/rotations, flat-patch threshold {config['min_std']}, seed {config['seed']}",
        "",
        "## Training",
        "",
        f"- steps: {final.get('steps')} of {config['steps']} (stopped by: {final.get('stop_reason')}), "
        f"batch {config['batch_size']}, Adam, MSE loss",
        f"- learning rate: {config['lr']:g}, schedule `{config['schedule']}`"
        + (f" over a {config['max_minutes']:g}-minute budget" if config.get("max_minutes") else ""),
        f"- wall time: {final.get('wall_time_s', float('nan')):.0f} s; "
        f"{final.get('steps_per_s', float('nan')):.1f} steps/s = "
        f"{final.get('patches_per_s', float('nan')):.0f} patches/s",
        f"- hardware: {hardware.get('accelerator')}; CPU {hardware.get('cpu')} ({hardware.get('cpu_count')} "
        f"cores); Keras {hardware.get('keras')} on {hardware.get('backend')}",
        f"- parameters: {final.get('parameters')}; multiply-adds per output pixel: "
        f"{final.get('macs_per_output_pixel', float('nan')):.0f}",
        "",
        "## Result (validation, held-aside images, Y-PSNR, border = scale)",
        "",
        f"- {config['model']}: {final.get('val_psnr', float('nan')):.2f} dB; bicubic: "
        f"{final.get('bicubic_psnr', float('nan')):.2f} dB; gain {final.get('gain_db', float('nan')):+.2f} dB",
        "- Benchmark numbers on Set5/Set14: `python -m srlib evaluate` (never used for tuning).",
        "",
        "## Learning curve",
        "",
        "| step | loss | val PSNR (dB) | lr | elapsed (s) |",
        "| --- | --- | --- | --- | --- |",
        curve,
        "",
    ]
    return "\n".join(lines)


def command_line(argv: Sequence[str] | None = None) -> str:
    """The ``python -m srlib ...`` command line of this process, shell-quoted (for the card).

    Notes
    -----
    ``argv`` defaults to ``sys.argv[1:]``. Taught in ``03_srcnn.ipynb`` (the model card).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    return "python -m srlib " + shlex.join(args)

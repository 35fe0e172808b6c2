"""What defines a training run: :class:`TrainConfig`, its checks and the learning-rate schedules.

Imports without Keras (the ``train`` command checks its arguments before loading it).

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

from srlib._checks import check_non_negative_int, check_positive_int, check_positive_number, check_scale
from srlib.models.registry import SCALES, check_model_name, model_spec

__all__ = ["SCHEDULES", "STRATEGIES", "COSINE_FLOOR", "TrainConfig", "check_config", "learning_rate_at"]

SCHEDULES: tuple[str, ...] = ("constant", "cosine", "step")
STRATEGIES: tuple[str, ...] = ("default", "mirrored")
COSINE_FLOOR = 0.01  # cosine decays to 1% of the initial learning rate


@dataclasses.dataclass
class TrainConfig:
    """Everything that defines a training run (the CLI's arguments).

    Attributes
    ----------
    model : str
        One of :data:`srlib.models.MODEL_NAMES`.
    scale : int
        One of :data:`srlib.models.SCALES`.
    out : str
        Output folder (weights, logs, card, ``checkpoint.weights.h5``, ``training_state.npz``).
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
        HR patch side in pixels (rounded down to a multiple of ``scale``); default from
        the model's registry entry (SRCNN about 33 HR pixels, FSRCNN ``scale x 16``, ESPCN
        ``scale x 17``).
    seed : int
        Seeds weights, the validation split and the patch stream.
    resume : bool
        Continue the interrupted run in ``out`` (its identity must match this config).
    extend : bool
        Continue the *finished* run in ``out`` up to a larger ``steps`` (everything else
        must match; the schedule then follows the new total).
    force : bool
        Discard whatever run ``out`` holds and start again.
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
    objective : str
        What training minimises, a name in :data:`srlib.training.objectives.OBJECTIVES`
        (``"pixel"``: Adam + the model's pixel loss; ``"gan"``: ESRGAN's adversarial
        fine-tuning, usually with ``init_weights`` from a pixel run).
    objective_kwargs : dict
        The objective's settings (``"gan"``: :data:`srlib.training.objectives.GAN_DEFAULTS`).
    degradation : str
        How training LR patches are made, a name in :data:`srlib.data.DEGRADATION_NAMES`:
        ``"bicubic"`` (default, the clean protocol) or a random pipeline (``"classical"``,
        ``"realesrgan"``, ``"bsrgan"``: a new degradation for every sample - a *blind* model).
        Validation then scores the held-aside images degraded once by the same pipeline
        (:func:`srlib.data.fixed_degradation`, seeded by ``seed``). Lesson 06.
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
    extend: bool = False
    force: bool = False
    max_minutes: float | None = None
    min_std: float = 0.0
    strategy: str = "default"
    init_weights: str | None = None
    model_kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)
    objective: str = "pixel"
    objective_kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)
    degradation: str = "bicubic"
    workers: int = 2
    verbose: int = 1
    command: str | None = None


def _check_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def _check_folders(folders: object, name: str) -> list[str] | None:
    if folders is None:
        return None
    if isinstance(folders, (str, Path)):
        folders = [folders]
    if not isinstance(folders, (list, tuple)) or not folders:
        raise ValueError(f"{name} must be a list of folders, got {folders!r}")
    return [str(folder) for folder in folders]


def check_config(config: TrainConfig) -> TrainConfig:
    """Validate a :class:`TrainConfig` and fill in defaults; raise ValueError naming the bad value.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    from srlib.training.objectives import OBJECTIVES

    if not isinstance(config, TrainConfig):
        raise ValueError(f"expected a srlib.training.TrainConfig, got {type(config).__name__}")
    name = check_model_name(config.model)
    spec = model_spec(name)
    scale = check_scale(config.scale, supported=SCALES)
    steps = check_positive_int(config.steps, "steps")
    batch_size = check_positive_int(config.batch_size, "batch size")
    lr = check_positive_number(config.lr, "learning rate (e.g. 1e-3)")
    if config.schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {config.schedule!r}; choose one of {SCHEDULES}")
    if config.strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {config.strategy!r}; choose one of {STRATEGIES}")
    if config.objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {config.objective!r}; choose one of {tuple(OBJECTIVES)}")
    if not isinstance(config.objective_kwargs, dict):
        raise ValueError(f"objective_kwargs must be a dict (JSON object), got {config.objective_kwargs!r}")
    OBJECTIVES[config.objective].check_kwargs(dict(config.objective_kwargs))
    from srlib.data.degradations import DEGRADATION_NAMES

    if not isinstance(config.degradation, str) or config.degradation.lower() not in DEGRADATION_NAMES:
        raise ValueError(f"unknown degradation {config.degradation!r}; choose one of {DEGRADATION_NAMES} "
                         "('bicubic' is the clean protocol, the others train a blind model)")
    val_every = max(1, steps // 10) if config.val_every is None else check_positive_int(config.val_every, "val_every")
    val_every = min(val_every, steps)
    val_split = None if config.val_split is None else check_positive_int(config.val_split, "val_split")
    if config.val_data is not None and config.val_split is not None:
        raise ValueError("give either val_data (folders) or val_split (a count), not both")
    max_minutes = (None if config.max_minutes is None
                   else check_positive_number(config.max_minutes, "max_minutes (a budget in minutes, e.g. 5)"))
    min_std = check_positive_number(config.min_std, "min_std (Y std threshold in [0, 1], e.g. 0.02)", allow_zero=True)
    seed = check_non_negative_int(config.seed, "seed")
    workers = check_positive_int(config.workers, "workers")
    if config.verbose not in (0, 1, 2) or isinstance(config.verbose, bool):
        raise ValueError(f"verbose must be 0, 1 or 2, got {config.verbose!r}")
    resume, extend, force = (_check_flag(config.resume, "resume"), _check_flag(config.extend, "extend"),
                             _check_flag(config.force, "force"))
    if force and (resume or extend):
        raise ValueError("force starts the run again; it cannot be combined with resume or extend")
    if not isinstance(config.model_kwargs, dict):
        raise ValueError(f"model_kwargs must be a dict (JSON object), got {config.model_kwargs!r}")
    unknown = sorted(set(config.model_kwargs) - set(spec.defaults))
    if unknown:
        raise ValueError(f"model_kwargs {unknown} are not arguments of {name}; allowed: {sorted(spec.defaults)}")
    channels = config.model_kwargs.get("channels", spec.channels)
    if channels != spec.channels:
        fed = "the Y channel (1 channel)" if spec.channels == 1 else "RGB (3 channels)"
        raise ValueError(f"model_kwargs channels={channels!r}: training feeds {name} {fed}; "
                         "remove 'channels' from the model kwargs")
    if config.patch_size is None:
        lr_patch = spec.default_lr_patch(scale)
    else:
        patch = check_positive_int(config.patch_size, "patch size")
        if patch < 2 * scale:
            raise ValueError(f"patch size (HR pixels) must be at least 2 x scale = {2 * scale}, got {patch}")
        lr_patch = patch // scale
    if not isinstance(config.out, (str, Path)) or not str(config.out):
        raise ValueError(f"out must be a folder path, got {config.out!r}")
    if config.init_weights is not None:
        if not Path(config.init_weights).is_file():
            raise FileNotFoundError(f"initial weights {config.init_weights!r} not found")
        if not Path(config.init_weights).name.endswith(".weights.h5"):
            raise ValueError(f"initial weights must be a Keras '.weights.h5' file (what `python -m srlib train` "
                             f"writes), got {config.init_weights!r}")
    return dataclasses.replace(config, model=name, scale=scale, steps=steps, batch_size=batch_size, lr=lr,
                               val_every=val_every, val_split=val_split, patch_size=lr_patch * scale,
                               max_minutes=max_minutes, min_std=min_std, seed=seed, workers=workers,
                               out=str(config.out), data=_check_folders(config.data, "data"),
                               val_data=_check_folders(config.val_data, "val_data"),
                               model_kwargs=dict(config.model_kwargs),
                               objective_kwargs=dict(config.objective_kwargs),
                               degradation=config.degradation.lower())


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

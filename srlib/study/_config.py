"""What a study runs: its configuration and the list of (condition, seed) runs it implies.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srlib._checks import (check_non_negative_int, check_positive_int, check_positive_number, check_scales)

__all__ = ["StudyConfig", "Condition", "DEFAULT_METHODS", "INTERPOLATIONS", "NATURAL_METHODS", "IN_DOMAIN_METHODS",
           "IN_DOMAIN_WEIGHTS", "SRRESNET_METHODS", "DEGRADED_METHODS", "mixed_methods", "degraded_methods",
           "method_scales", "default_config", "quick_config", "check_study_config", "conditions", "test_sources",
           "schedule_of"]

#: Interpolations of the study (MATLAB-compatible ``srlib.imresize`` kernels).
INTERPOLATIONS: tuple[str, ...] = ("nearest", "bilinear", "bicubic", "lanczos3")
#: The interpolations and the shipped SR networks (trained on natural photos: T91, General100).
NATURAL_METHODS: tuple[str, ...] = (*INTERPOLATIONS, "srcnn", "fsrcnn", "espcn")
#: The same SR networks fine-tuned in-domain on the study's EuroSAT *training* split.
IN_DOMAIN_METHODS: tuple[str, ...] = ("srcnn_eurosat", "fsrcnn_eurosat", "espcn_eurosat")
#: Where the in-domain weights ship (``manifest.json``, cards, ``{model}_x{scale}.weights.h5``).
IN_DOMAIN_WEIGHTS: Path = Path(__file__).resolve().parent.parent / "weights" / "eurosat"
#: The x4 generators of lessons 05 and 06: pixel-loss SRResNet, its GAN fine-tune, the blind model.
SRRESNET_METHODS: tuple[str, ...] = ("srresnet", "srresnet_gan", "srresnet_blind")
#: Expansion methods of the default study (a method runs at the scales it has weights for).
DEFAULT_METHODS: tuple[str, ...] = (*NATURAL_METHODS, *IN_DOMAIN_METHODS, *SRRESNET_METHODS)
#: Methods the realistic-LR test sets are expanded with in the default study: those the
#: augmented classifiers saw, the clean-trained SRResNet and the blind model trained for such LR.
DEGRADED_METHODS: tuple[str, ...] = (*NATURAL_METHODS, "srresnet", "srresnet_blind")

_KINDS = ("expanded", "augmented", "lr_direct", "resizer", "detector")


@dataclass(frozen=True)
class StudyConfig:
    """Everything that decides a study's numbers (and where it writes them).

    Attributes
    ----------
    data : str or None
        EuroSAT folder (any layout of :mod:`srlib.data.eurosat`); ``None`` = the bundled subset.
    out : str
        Output folder: ``runs/*.json``, ``summary.json``, ``table.md``, ``figures/``.
    weights_dir : str or None
        Where classifier weights go (default ``OUT/weights``).
    cache_dir : str or None
        Cache of expanded images (default ``$SRLIB_DATA_DIR/study``, outside the repository).
    scales : tuple of int
        LR factors (the LR is MATLAB-bicubic ``imresize(hr, 1/scale)``).
    methods : tuple of str
        Expansion methods (``srlib.upscale`` names, or names given in ``method_weights``).
    method_weights : dict
        ``{method: weights folder}`` for SR models beyond the shipped ones (default: the
        in-domain models in :data:`IN_DOMAIN_WEIGHTS`; entries for unused methods are ignored).
    mixed_methods : tuple of str or None
        The methods resolution augmentation and the artifact detector draw from (a subset of
        ``methods``, each with weights at every scale); ``None`` = every method of ``methods``
        that runs at all of ``scales``. The default study keeps them to
        :data:`NATURAL_METHODS`, as when those conditions were first run.
    degraded_methods : tuple of str or None
        The methods the degraded test sets are expanded with (a subset of ``methods``);
        ``None`` = ``mixed_methods``.
    degradations : tuple of str
        Realistic degradations (:data:`srlib.study.STUDY_DEGRADATIONS`, lesson 06) for the
        *degraded test sets* (the LR of every test image degraded once, then expanded by each
        of ``degraded_methods``) and the degradation-aware resolution augmentation condition
        ``resaug_degraded``; ``()`` = clean bicubic LR only.
    seeds : tuple of int
        One run per condition and seed; the split is the same for every seed.
    epochs, batch_size, learning_rate, weight_decay, widths, blocks
        The one schedule and architecture every classifier gets (AdamW, cosine decay to 0,
        flips and 90-degree rotations as augmentation). The default 4 epochs fit the whole
        default study (66 runs) into about 3 hours on 2 CPU cores; measured on EuroSAT, the
        native-HR classifier reaches 94.9 % test top-1 with ``epochs=20`` (5x the cost).
    detector_epochs : int
        Epochs of the artifact detector.
    alternatives : bool
        Run the LR-direct classifier and the learnable resizer at each scale.
    augmentation : bool
        Run the resolution-augmentation condition (scale in {1} + scales, random method).
    detector : bool
        Train the artifact detector at each scale.
    limit_per_class : int or None
        Use only this many images per class of each split (a smaller study, same split).
    max_minutes : float or None
        Wall-clock budget of one invocation; finished runs are kept, the next call resumes.
    verbose : int
        0 quiet, 1 progress bars.
    """

    data: str | None = None
    out: str = "benchmarks/study"
    weights_dir: str | None = None
    cache_dir: str | None = None
    scales: tuple[int, ...] = (2, 4)
    methods: tuple[str, ...] = DEFAULT_METHODS
    method_weights: dict[str, str] = field(
        default_factory=lambda: {method: str(IN_DOMAIN_WEIGHTS) for method in IN_DOMAIN_METHODS})
    mixed_methods: tuple[str, ...] | None = NATURAL_METHODS
    degraded_methods: tuple[str, ...] | None = DEGRADED_METHODS
    degradations: tuple[str, ...] = ("realesrgan",)
    seeds: tuple[int, ...] = (0, 1, 2)
    epochs: int = 4
    batch_size: int = 64
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    widths: tuple[int, ...] = (32, 64, 128)
    blocks: int = 1
    detector_epochs: int = 4
    alternatives: bool = True
    augmentation: bool = True
    detector: bool = True
    limit_per_class: int | None = None
    max_minutes: float | None = None
    verbose: int = 1


@dataclass(frozen=True)
class Condition:
    """One training condition of the study.

    Attributes
    ----------
    name : str
        ``"hr"``, ``"bicubic_x4"``, ``"resaug"``, ``"resaug_degraded"``, ``"lr_direct_x2"``,
        ``"resizer_x4"``, ``"detector_x2"``.
    kind : str
        ``"expanded"`` (train on one source, input 64x64), ``"augmented"`` (a random source per
        sample and epoch), ``"lr_direct"``, ``"resizer"`` (LR input) or ``"detector"``.
    train_source : str
        The source trained on (``"hr"``, ``"bicubic_x4"``, ``"lr_x4"``; ``"mixed"`` for
        ``augmented`` and ``detector``, ``"mixed_degraded"`` for ``resaug_degraded``).
    scale : int
        1 for native/augmented, else the LR factor.
    """

    name: str
    kind: str
    train_source: str
    scale: int = 1


def default_config(**changes: Any) -> StudyConfig:
    """The default study on ``../shared``-sized data; keyword arguments override fields.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    return check_study_config(dataclasses.replace(StudyConfig(), **changes))


def quick_config(**changes: Any) -> StudyConfig:
    """A minutes-sized study for quick mode and tests: bundled subset, few methods, tiny network.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    quick = StudyConfig(data=None, scales=(2, 4), methods=("nearest", "bicubic"), seeds=(0, 1), epochs=3,
                        batch_size=32, widths=(8, 16), detector_epochs=2, alternatives=True, augmentation=True,
                        detector=True, mixed_methods=None, degraded_methods=None, degradations=())
    return check_study_config(dataclasses.replace(quick, **changes))


def check_study_config(config: StudyConfig) -> StudyConfig:
    """Validate a :class:`StudyConfig` and return it with normalised tuples; ValueError names the field.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib.upscale import INTERPOLATION_METHODS, PRETRAINED_METHODS

    if not isinstance(config, StudyConfig):
        raise ValueError(f"expected a StudyConfig, got {type(config).__name__}")
    scales = tuple(check_scales(config.scales, name="scales"))
    for scale in scales:
        if 64 % scale or 64 // scale not in (16, 32):
            raise ValueError(f"scales must be 2 or 4 (64x64 EuroSAT images to 32x32 or 16x16 LR), got {scale}")
    if len(set(scales)) != len(scales):
        raise ValueError(f"scales has duplicates: {scales}")
    if isinstance(config.methods, str) or not config.methods:
        raise ValueError(f"methods must be a non-empty list of method names, got {config.methods!r}")
    methods = tuple(str(method).lower() for method in config.methods)
    weights = {str(key).lower(): str(value) for key, value in dict(config.method_weights).items()}
    for method in methods:
        if method in ("hr", "lr", "mixed") or not method.replace("_", "").isalnum() or "_x" in method:
            raise ValueError(f"method name {method!r} is reserved or malformed; use names like 'bicubic' "
                             "or 'fsrcnn_eurosat'")
        if method not in INTERPOLATION_METHODS and method not in PRETRAINED_METHODS and method not in weights:
            raise ValueError(f"unknown method {method!r}; choose interpolations {INTERPOLATION_METHODS}, shipped "
                             f"models {PRETRAINED_METHODS}, or give a weights folder for it (method_weights)")
    if len(set(methods)) != len(methods):
        raise ValueError(f"methods has duplicates: {methods}")
    for method in methods:
        if not _scales_of(method, scales, weights):
            raise ValueError(f"method {method!r} has no weights for any of the scales {scales}; drop it from methods "
                             "or add a scale it was trained for (srlib.pretrained.available())")
    subsets: dict[str, tuple[str, ...] | None] = {}
    for name in ("mixed_methods", "degraded_methods"):
        value = getattr(config, name)
        if value is None:
            subsets[name] = None
            continue
        if isinstance(value, str) or not value:
            raise ValueError(f"{name} must be None or a non-empty list of methods, got {value!r}")
        subset = tuple(str(method).lower() for method in value)
        outside = [method for method in subset if method not in methods]
        if outside:
            meaning = "every method with weights at every scale" if name == "mixed_methods" else "the mixed methods"
            raise ValueError(f"{name} {outside} are not in methods {methods}; add them to methods, or pass "
                             f"{name}=None ({meaning})")
        subsets[name] = subset
    mixed = subsets["mixed_methods"]
    if (config.augmentation or config.detector) and mixed is not None:
        partial = [method for method in mixed if _scales_of(method, scales, weights) != scales]
        if partial:
            raise ValueError(f"resolution augmentation and the detector draw every method at every scale, but "
                             f"{partial} lack weights for some of {scales}; leave them out of mixed_methods")
    from srlib.study._store import STUDY_DEGRADATIONS

    if isinstance(config.degradations, str):
        raise ValueError(f"degradations must be a list of names, got the string {config.degradations!r}; "
                         f"e.g. ('realesrgan',)")
    degradations = tuple(str(name).lower() for name in config.degradations)
    unknown = [name for name in degradations if name not in STUDY_DEGRADATIONS]
    if unknown or len(set(degradations)) != len(degradations):
        raise ValueError(f"degradations must be distinct names from {STUDY_DEGRADATIONS} (or empty), got "
                         f"{config.degradations!r}")
    if isinstance(config.seeds, (int, str)) or not config.seeds:
        raise ValueError(f"seeds must be a non-empty list of non-negative integers, got {config.seeds!r}")
    seeds = tuple(check_non_negative_int(seed, "every seed") for seed in config.seeds)
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds has duplicates: {seeds}")
    widths = tuple(check_positive_int(width, "every entry of widths") for width in config.widths)
    if not widths:
        raise ValueError("widths must name at least one stage, e.g. (32, 64, 128)")
    if not isinstance(config.out, str) or not config.out:
        raise ValueError(f"out must be a folder path, got {config.out!r}")
    if config.max_minutes is not None:
        check_positive_number(config.max_minutes, "max_minutes")
    if config.limit_per_class is not None:
        check_positive_int(config.limit_per_class, "limit_per_class")
    if config.verbose not in (0, 1):
        raise ValueError(f"verbose must be 0 or 1, got {config.verbose!r}")
    for name in ("alternatives", "augmentation", "detector"):
        if not isinstance(getattr(config, name), bool):
            raise ValueError(f"{name} must be True or False, got {getattr(config, name)!r}")
    learning_rate = check_positive_number(config.learning_rate, "learning_rate")
    weight_decay = check_positive_number(config.weight_decay, "weight_decay", allow_zero=True)
    if not math.isfinite(learning_rate) or learning_rate > 1:
        raise ValueError(f"learning_rate must be at most 1, got {learning_rate}")
    return dataclasses.replace(
        config, scales=scales, methods=methods, method_weights=weights, mixed_methods=mixed,
        degraded_methods=subsets["degraded_methods"], degradations=degradations,
        seeds=seeds, widths=widths,
        epochs=check_positive_int(config.epochs, "epochs"), batch_size=check_positive_int(config.batch_size, "batch_size"),
        blocks=check_positive_int(config.blocks, "blocks"),
        detector_epochs=check_positive_int(config.detector_epochs, "detector_epochs"),
        learning_rate=learning_rate, weight_decay=weight_decay)


def _scales_of(method: str, scales: tuple[int, ...], method_weights: dict[str, str]) -> tuple[int, ...]:
    from srlib.upscale import INTERPOLATION_METHODS

    if method in INTERPOLATION_METHODS:
        return scales
    from srlib import pretrained
    from srlib.study._store import model_of

    model, folder = model_of(method, method_weights)
    have = set(pretrained.available(folder)) if folder is not None else set(pretrained.available())
    return tuple(scale for scale in scales if (model, scale) in have)


def method_scales(config: StudyConfig, method: str) -> tuple[int, ...]:
    """The scales of ``config.scales`` a method runs at: all for interpolations, else those with weights.

    (The SRResNet generators of lessons 05 and 06 ship at x4 only.)

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    return _scales_of(method, config.scales, config.method_weights)


def degraded_methods(config: StudyConfig) -> tuple[str, ...]:
    """The methods the realistic-LR (degraded) test sets are expanded with.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    return mixed_methods(config) if config.degraded_methods is None else config.degraded_methods


def mixed_methods(config: StudyConfig) -> tuple[str, ...]:
    """The methods resolution augmentation and the artifact detector draw from.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    if config.mixed_methods is not None:
        return config.mixed_methods
    return tuple(method for method in config.methods if method_scales(config, method) == config.scales)


def conditions(config: StudyConfig) -> list[Condition]:
    """The training conditions of a study, in the order they run (native HR first).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    found = [Condition("hr", "expanded", "hr", 1)]
    for scale in config.scales:
        found += [Condition(f"{method}_x{scale}", "expanded", f"{method}_x{scale}", scale) for method in config.methods
                  if scale in method_scales(config, method)]
    if config.augmentation:
        found.append(Condition("resaug", "augmented", "mixed", 1))
        if config.degradations:
            found.append(Condition("resaug_degraded", "augmented", "mixed_degraded", 1))
    if config.alternatives:
        for scale in config.scales:
            found.append(Condition(f"lr_direct_x{scale}", "lr_direct", f"lr_x{scale}", scale))
            found.append(Condition(f"resizer_x{scale}", "resizer", f"lr_x{scale}", scale))
    if config.detector:
        found += [Condition(f"detector_x{scale}", "detector", "mixed", scale) for scale in config.scales]
    return found


def test_sources(config: StudyConfig, condition: Condition) -> list[str]:
    """The test sets a condition's classifier is scored on.

    Classifiers with 64x64 input get native HR and every method at every scale (the full
    train x test matrix); LR-input ones their own LR; the detector its mixed test set.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    if condition.kind in ("lr_direct", "resizer"):
        return [condition.train_source]
    if condition.kind == "detector":
        return ["mixed"]
    clean = [f"{method}_x{scale}" for scale in config.scales for method in config.methods
             if scale in method_scales(config, method)]
    degraded = [f"{method}_x{scale}_{degradation}" for degradation in config.degradations
                for scale in config.scales for method in degraded_methods(config) if scale in method_scales(config, method)]
    return ["hr"] + clean + degraded


def schedule_of(config: StudyConfig, condition: Condition) -> dict[str, Any]:
    """The fields that decide a run's result (recorded in its JSON; resuming checks them).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    detector = condition.kind == "detector"
    schedule: dict[str, Any] = {
        "epochs": config.detector_epochs if detector else config.epochs,
        "batch_size": config.batch_size, "learning_rate": config.learning_rate,
        "weight_decay": config.weight_decay, "widths": list(config.widths), "blocks": config.blocks,
        "limit_per_class": config.limit_per_class,
    }
    if condition.kind in ("augmented", "detector"):
        schedule["methods"] = list(mixed_methods(config))
        schedule["scales"] = list(config.scales)
    if condition.train_source == "mixed_degraded":
        from srlib.study._store import DEGRADATION_SEED

        schedule["degradations"] = list(config.degradations)
        schedule["degradation_seed"] = DEGRADATION_SEED
    if detector:
        from srlib.study._models import DETECTOR_WIDTHS

        schedule["detector_widths"] = list(DETECTOR_WIDTHS)
    return schedule

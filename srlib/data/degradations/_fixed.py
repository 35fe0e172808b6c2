"""Fixed degradations: one reproducible LR image per HR image, for validation and degraded benchmarks.

A random degradation draws new parameters for every call. A *benchmark* needs the opposite: the
same LR file for the same HR image on every machine and in every run, whatever order the images
are read in. :func:`fixed_degradation` gives each image its own generator seeded from
``(seed, the image's name)`` - a SHA-256 of the name, not Python's salted ``hash`` - so a
benchmark is regenerated from three facts: the HR images, the degradation's settings and the seed.

:func:`degraded_benchmark` applies it to a whole set and keeps the plan (every drawn parameter)
of each image; :func:`write_degraded_benchmark` writes the LR PNGs, the plans and their SHA-256 so
a reader can check that their regeneration matches. Used by ``python -m srlib evaluate
--degradation``, by the training loop's validation of a ``--degradation`` run and by lesson 06.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from srlib._checks import check_non_negative_int, check_scale, to_jsonable
from srlib.data.degradations._basic import _check_uint8_image, make_lr
from srlib.data.degradations._pipelines import DEGRADATION_NAMES, RandomDegradation, get_degradation
from srlib.images import modcrop

__all__ = ["DegradedImage", "resolve_degradation", "image_generator", "fixed_degradation", "degraded_benchmark",
           "write_degraded_benchmark"]


@dataclasses.dataclass(frozen=True)
class DegradedImage:
    """One image of a degraded benchmark: the modcropped HR, its fixed LR and the plan that made it.

    Attributes
    ----------
    hr : numpy.ndarray
        ``uint8`` HR image, cropped to a multiple of the scale (what the SR output is scored against).
    lr : numpy.ndarray
        ``uint8`` LR image, ``1 / scale`` the size.
    plan : tuple of dict
        The degradation's drawn steps (JSON-able; ``()`` for the clean protocol).
    """

    hr: np.ndarray
    lr: np.ndarray
    plan: tuple[dict[str, Any], ...]


def resolve_degradation(degradation: str | RandomDegradation | None) -> Any:
    """A degradation from a name in :data:`srlib.data.DEGRADATION_NAMES`, an instance, or ``None`` (bicubic).

    Returns :func:`srlib.data.make_lr` for ``None`` / ``"bicubic"``, else a
    :class:`srlib.data.RandomDegradation`. Raises ``ValueError`` naming the choices otherwise.

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    if degradation is None:
        return make_lr
    if isinstance(degradation, str):
        return get_degradation(degradation.lower())
    if isinstance(degradation, RandomDegradation) or degradation is make_lr:
        return degradation
    raise ValueError(f"degradation must be a name in {DEGRADATION_NAMES} or a srlib.data.RandomDegradation "
                     f"(e.g. srlib.data.RealESRGANDegradation()), got {degradation!r}")


def image_generator(seed: int, name: str) -> np.random.Generator:
    """The generator of image ``name`` under ``seed``: ``default_rng([seed, first 8 bytes of sha256(name)])``.

    Independent of the order images are read in and of the machine (NumPy's streams are portable).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    seed = check_non_negative_int(seed, "seed")
    if not isinstance(name, str):
        raise ValueError(f"the image name must be a string (its file stem), got {name!r}")
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")
    return np.random.default_rng([seed, digest])


def fixed_degradation(hr: np.ndarray, scale: int, degradation: str | RandomDegradation | None, *, seed: int = 0,
                      name: str = "") -> DegradedImage:
    """Degrade one HR image reproducibly: the same (image, degradation, seed, name) gives the same LR everywhere.

    Parameters
    ----------
    hr : numpy.ndarray
        ``uint8`` ``(H, W, 3)`` or ``(H, W)``; cropped to a multiple of ``scale``.
    scale : int
        Downscaling factor.
    degradation : str, RandomDegradation or None
        See :func:`resolve_degradation` (``None`` / ``"bicubic"``: :func:`srlib.data.make_lr`).
    seed : int
        Benchmark seed.
    name : str
        The image's name (its file stem): each image gets its own generator
        (:func:`image_generator`).

    Returns
    -------
    DegradedImage

    Examples
    --------
    >>> import numpy as np
    >>> hr = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    >>> a = fixed_degradation(hr, 4, "realesrgan", seed=0, name="x")
    >>> b = fixed_degradation(hr, 4, "realesrgan", seed=0, name="x")
    >>> a.lr.shape, bool((a.lr == b.lr).all())
    ((16, 16, 3), True)

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    scale = check_scale(scale)
    hr = modcrop(_check_uint8_image(hr, "hr"), scale)
    chosen = resolve_degradation(degradation)
    if chosen is make_lr:
        return DegradedImage(hr=hr, lr=make_lr(hr, scale), plan=())
    rng = image_generator(seed, name)
    plan = chosen.draw(rng, hr.shape, scale)
    lr = chosen.apply(hr, scale, plan, rng)
    return DegradedImage(hr=hr, lr=lr, plan=tuple(to_jsonable(dict(step)) for step in plan))


def degraded_benchmark(hr_images: Mapping[str, np.ndarray] | str | os.PathLike, scale: int,
                       degradation: str | RandomDegradation | None = "realesrgan", *, seed: int = 0
                       ) -> dict[str, DegradedImage]:
    """A deterministic degraded benchmark: :func:`fixed_degradation` of every image (name -> DegradedImage).

    Parameters
    ----------
    hr_images : mapping or folder
        HR images (anything :func:`srlib.data.load_images` reads; grey images stay grey, as
        :func:`srlib.evaluate.evaluate` scores them).
    scale : int
        Downscaling factor.
    degradation : str, RandomDegradation or None
        Default ``"realesrgan"`` (Real-ESRGAN's second-order pipeline, published ranges).
    seed : int
        Benchmark seed (the README's degraded table uses 0).

    Notes
    -----
    Taught in ``06_degradations_and_augmentation.ipynb``.
    """
    from srlib.data.folders import load_images

    images = load_images(hr_images, grayscale="keep", name="hr_images")
    return {name: fixed_degradation(image, scale, degradation, seed=seed, name=name)
            for name, image in images.items()}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_degraded_benchmark(hr_images: Mapping[str, np.ndarray] | str | os.PathLike, out: str | os.PathLike,
                             scale: int, degradation: str | RandomDegradation | None = "realesrgan", *,
                             seed: int = 0) -> Path:
    """Write a degraded benchmark to ``out``: ``LR/<name>.png``, ``HR/<name>.png`` and ``plans.json``.

    ``plans.json`` records the degradation's settings, the seed, the scale, every image's plan and
    the SHA-256 of every written file, so anyone can regenerate the set and compare.

    Returns
    -------
    pathlib.Path
        The path of ``plans.json``.

    Notes
    -----
    Files are written atomically (temporary file, then rename). Taught in
    ``06_degradations_and_augmentation.ipynb``.
    """
    from srlib.images import write_image

    chosen = resolve_degradation(degradation)
    benchmark = degraded_benchmark(hr_images, scale, chosen, seed=seed)
    root = Path(out)
    files: dict[str, dict[str, str]] = {}
    for sub in ("LR", "HR"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name, item in benchmark.items():
        entry = {}
        for sub, image in (("LR", item.lr), ("HR", item.hr)):
            path = root / sub / f"{name}.png"
            write_image(path, image)
            entry[sub] = _sha256(path)
        files[name] = entry
    settings = {"name": "bicubic"} if chosen is make_lr else chosen.as_dict()
    payload = {"degradation": settings, "seed": int(seed), "scale": int(scale),
               "seeding": "numpy.random.default_rng([seed, int.from_bytes(sha256(name)[:8], 'little')])",
               "images": {name: {"plan": list(item.plan), "sha256": files[name]} for name, item in benchmark.items()}}
    target = root / "plans.json"
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(to_jsonable(payload), indent=1) + "\n")
    os.replace(temporary, target)
    return target

"""Images of the study, computed once per (source, method, scale) and cached on disk.

A *source* names a version of every image of a EuroSAT folder:

* ``"hr"`` - the native 64x64 images (decoded once);
* ``"lr_x2"``, ``"lr_x4"`` - the protocol's LR: MATLAB bicubic ``imresize(hr, 1/scale)``
  (:func:`srlib.data.make_lr`);
* ``"<method>_x<scale>"`` - the LR expanded back to 64x64 with
  ``srlib.upscale(method, lr, scale)`` (``"bicubic_x4"``, ``"fsrcnn_x2"``, ...);
* ``"lr_x4_realesrgan"``, ``"<method>_x4_realesrgan"`` - the same with a *realistic* LR: each
  HR image degraded once by :func:`srlib.data.fixed_degradation` (a degradation of
  :data:`srlib.data.DEGRADATION_NAMES`, seed :data:`DEGRADATION_SEED`, the image's file stem as
  its name), as in lesson 06's degraded benchmarks.

Each source is one ``.npy`` file ``(N, H, W, 3) uint8`` in the order of the folder's file list,
under ``<cache>/eurosat-<fingerprint>/`` where ``<cache>`` is ``$SRLIB_DATA_DIR/study`` (see
:func:`srlib.data.data_dir`) - never in the repository. Files are written atomically (a
temporary file, fsync, rename), so an interrupted computation leaves no half file behind.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from srlib._checks import check_scale
from srlib.data.degradations import DEGRADATION_NAMES

__all__ = ["ImageStore", "degraded_lr", "expand_image", "model_of", "upscaler_for", "parse_source", "source_name", "source_degradation", "atomic_write_bytes",
           "atomic_write_json", "default_cache_dir", "DEGRADATION_SEED", "STUDY_DEGRADATIONS"]

_FILE_MODE = 0o644
#: Degradations a study source may name (``"bicubic_x4_realesrgan"``).
STUDY_DEGRADATIONS: tuple[str, ...] = tuple(name for name in DEGRADATION_NAMES if name != "bicubic")
#: Seed of the fixed per-image degradations (with the file stem: :func:`srlib.data.image_generator`).
DEGRADATION_SEED = 0
_SOURCE = re.compile(r"^(?P<method>[a-z][a-z0-9_]*?)_x(?P<scale>[0-9]+)(?:_(?P<degradation>"
                     + "|".join(STUDY_DEGRADATIONS) + "))?$")


def source_name(method: str, scale: int, degradation: str | None = None) -> str:
    """``"bicubic_x4"`` for ``("bicubic", 4)``; ``"lr_x4"`` for the LR itself; ``"bicubic_x4_realesrgan"``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    name = f"{method}_x{check_scale(scale)}"
    if degradation is None:
        return name
    if degradation not in STUDY_DEGRADATIONS:
        raise ValueError(f"unknown degradation {degradation!r}; choose one of {STUDY_DEGRADATIONS}")
    return f"{name}_{degradation}"


def source_degradation(source: str) -> str | None:
    """The realistic degradation a source's LR went through (``None``: the protocol's bicubic).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    if source == "hr":
        return None
    parse_source(source)
    match = _SOURCE.match(source)
    assert match is not None
    return match["degradation"]


def parse_source(source: str) -> tuple[str, int]:
    """``("bicubic", 4)`` for ``"bicubic_x4"``; ``("hr", 1)`` for ``"hr"``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    if source == "hr":
        return "hr", 1
    match = _SOURCE.match(source) if isinstance(source, str) else None
    if match is None:
        raise ValueError(f"unknown image source {source!r}; use 'hr', 'lr_x<scale>', '<method>_x<scale>' "
                         f"(e.g. 'bicubic_x4') or '<method>_x<scale>_<degradation>' ({STUDY_DEGRADATIONS})")
    return match["method"], check_scale(int(match["scale"]))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, fsync, then rename.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _FILE_MODE)  # mkstemp makes 0600 files; results and caches are shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, payload: Any) -> None:
    """JSON (``srlib._checks.to_jsonable``, sorted keys, indented) written atomically.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib._checks import to_jsonable

    text = json.dumps(to_jsonable(payload), indent=1, sort_keys=True) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def _atomic_save_array(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.save(stream, array, allow_pickle=False)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _FILE_MODE)  # mkstemp makes 0600 files; results and caches are shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def default_cache_dir() -> Path:
    """``<data cache>/study``: where expanded images are kept (``$SRLIB_DATA_DIR`` or the user cache).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib.data import data_dir

    return data_dir() / "study"


def model_of(method: str, method_weights: dict[str, str] | None = None) -> tuple[str, str | None]:
    """``(model name, weights folder or None)`` of an SR method (``"fsrcnn_eurosat"`` -> ``("fsrcnn", folder)``).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib.upscale import INTERPOLATION_METHODS, PRETRAINED_METHODS

    weights = dict(method_weights or {})
    if method in PRETRAINED_METHODS:
        return method, None
    if method in weights:
        model = next((name for name in PRETRAINED_METHODS if method.startswith(name)), None)
        if model is None:
            raise ValueError(f"method {method!r} with its own weights must start with a model name "
                             f"{PRETRAINED_METHODS} (e.g. 'fsrcnn_eurosat')")
        return model, weights[method]
    raise ValueError(f"unknown expansion method {method!r}; choose an interpolation {INTERPOLATION_METHODS}, "
                     f"a shipped model {PRETRAINED_METHODS}, or give its weights folder")


def upscaler_for(method: str, scale: int, method_weights: dict[str, str] | None = None) -> Any:
    """What :func:`srlib.upscale` gets for a study method: its name, or the model loaded from its weights folder.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib.upscale import INTERPOLATION_METHODS

    if method in INTERPOLATION_METHODS:
        return method
    from srlib import pretrained

    model, folder = model_of(method, method_weights)
    return method if folder is None else pretrained.load(model, scale, weights_dir=folder)


def expand_image(source: str, hr: np.ndarray, file: str, method_weights: dict[str, str] | None = None) -> np.ndarray:
    """One image of a source, rebuilt from its HR image and file name (what the store caches for every image).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib.data import make_lr
    from srlib.upscale import upscale

    method, scale = parse_source(source)
    if method == "hr":
        return hr
    degradation = source_degradation(source)
    lr = make_lr(hr, scale) if degradation is None else degraded_lr(hr, scale, degradation, file)
    return lr if method == "lr" else upscale(upscaler_for(method, scale, method_weights), lr, scale)


def degraded_lr(hr: np.ndarray, scale: int, degradation: str, file: str) -> np.ndarray:
    """The fixed realistic LR of one study image: :func:`srlib.data.fixed_degradation` by its file stem.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb`` (the degradations: ``06_degradations_and_augmentation.ipynb``).
    """
    from srlib.data import fixed_degradation

    return fixed_degradation(hr, scale, degradation, seed=DEGRADATION_SEED, name=Path(file).stem).lr


class ImageStore:
    """Every source of one EuroSAT file list, computed on first use and cached as ``.npy``.

    Parameters
    ----------
    root : pathlib.Path
        The folder holding the class folders.
    files : sequence of str
        Image paths relative to ``root``; row ``i`` of every source is ``files[i]``.
    cache_dir : str, os.PathLike or None
        Cache folder (default :func:`default_cache_dir`).
    method_weights : dict or None
        ``{method: weights folder}`` for SR models not shipped in ``srlib/weights`` (e.g. the
        in-domain models): ``srlib.pretrained.load(model, scale, weights_dir=folder)``; the
        method name must start with the model name (``"fsrcnn_eurosat"``).
    progress : callable or None
        ``progress(total, description)`` returning a tqdm-like bar (``update``, ``close``).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """

    def __init__(self, root: Path, files: Sequence[str], *, cache_dir: str | os.PathLike | None = None,
                 method_weights: dict[str, str] | None = None, progress: Callable[..., Any] | None = None) -> None:
        import hashlib

        if not files:
            raise ValueError(f"no images to store from {str(root)!r}")
        self.root = Path(root)
        self.files = tuple(files)
        digest = hashlib.sha256()
        for name in self.files:
            digest.update(f"{name}:{(self.root / name).stat().st_size}\n".encode())
        self.fingerprint = digest.hexdigest()[:16]
        base = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        self.folder = base / f"eurosat-{self.fingerprint}"
        self.method_weights = dict(method_weights or {})
        self.progress = progress
        self._arrays: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.files)

    def path(self, source: str) -> Path:
        """The cache file of ``source``."""
        method, scale = parse_source(source)
        tag = self._weights_tag(method, scale)
        return self.folder / (f"{source}{tag}.npy")

    def _weights_tag(self, method: str, scale: int) -> str:
        """A weights-dependent suffix so that retrained models never reuse stale images."""
        if method in ("hr", "lr"):
            return ""
        from srlib.upscale import INTERPOLATION_METHODS, PRETRAINED_METHODS

        if method in INTERPOLATION_METHODS:
            return ""
        from srlib import pretrained

        model, folder = self._model_of(method)
        sha = pretrained.info(model, scale, weights_dir=folder)["sha256"] if model in PRETRAINED_METHODS else ""
        return f"-{sha[:12]}" if sha else ""

    def _model_of(self, method: str) -> tuple[str, str | None]:
        return model_of(method, self.method_weights)

    def upscaler(self, method: str, scale: int) -> Any:
        """What :func:`srlib.upscale` gets for ``method``: its name, or the model with its own weights."""
        return upscaler_for(method, scale, self.method_weights)

    def get(self, source: str) -> np.ndarray:
        """``(N, H, W, 3) uint8`` images of ``source`` (memory-mapped from the cache, read-only)."""
        if source in self._arrays:
            return self._arrays[source]
        path = self.path(source)
        if not path.is_file():
            _atomic_save_array(path, self._compute(source))
        array = np.load(path, mmap_mode="r", allow_pickle=False)
        if array.shape[0] != len(self.files) or array.dtype != np.uint8:
            raise ValueError(f"cached images {str(path)!r} have shape {array.shape} ({array.dtype}), expected "
                             f"{len(self.files)} uint8 images; delete the file and run again")
        self._arrays[source] = array
        return array

    def _bar(self, description: str) -> Any:
        if self.progress is None:
            return None
        return self.progress(len(self.files), description)

    def _compute(self, source: str) -> np.ndarray:
        method, scale = parse_source(source)
        if method == "hr":
            from srlib.data.eurosat import EuroSATSplit, read_eurosat

            split = EuroSATSplit(self.root, self.files, np.zeros(len(self.files), np.int64))
            return read_eurosat(split)
        hr = self.get("hr")
        degradation = source_degradation(source)
        if method == "lr":
            if degradation is None:
                from srlib.data import make_lr

                return np.stack([make_lr(np.asarray(image), scale) for image in hr])
            bar = self._bar(f"degrading {source}")
            out_lr = np.stack([degraded_lr(np.asarray(image), scale, degradation, name)
                               for image, name in zip(hr, self.files)])
            if bar is not None:
                bar.update(len(hr))
                bar.close()
            return out_lr
        lr = self.get(source_name("lr", scale, degradation))
        upscaler = self.upscaler(method, scale)
        from srlib.upscale import upscale

        out = np.empty(hr.shape, np.uint8)
        bar = self._bar(f"expanding {source}")
        for index, image in enumerate(lr):
            out[index] = upscale(upscaler, np.asarray(image), scale)
            if bar is not None and (index + 1) % 100 == 0:
                bar.update(100)
        if bar is not None:
            bar.update(len(lr) % 100)
            bar.close()
        return out

    def psnr(self, source: str, rows: np.ndarray) -> float:
        """Mean Y-PSNR (border = scale) of ``source`` against ``"hr"`` over ``rows`` (the protocol's metric)."""
        from srlib.metrics import psnr

        method, scale = parse_source(source)
        if method in ("hr", "lr"):
            raise ValueError(f"PSNR is defined for expanded sources, not {source!r}")
        hr, expanded = self.get("hr"), self.get(source)
        values = [psnr(np.asarray(hr[row]), np.asarray(expanded[row]), border=scale) for row in rows]
        return float(np.mean(values))

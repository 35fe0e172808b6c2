"""Shipped, sha256-verified weights: SRCNN, FSRCNN, ESPCN at x2, x3, x4; SRResNet and its GAN at x4.

The weights live inside the package in ``srlib/weights/{name}_x{scale}.weights.h5``
(Keras ``save_weights`` files: HDF5 arrays, no pickle) next to ``manifest.json``::

    {"fsrcnn_x3.weights.h5": {"sha256": "...", "model": "fsrcnn", "scale": 3,
                              "kwargs": {"d": 56, "s": 12, "m": 4},
                              "metrics": {"Set5": {"psnr": 33.0, "bicubic_psnr": 30.39}}, ...}}

:func:`load` rebuilds the architecture from ``model``/``scale``/``kwargs``, checks the
file's sha256 against the manifest and loads it with ``model.load_weights``. The
training command (``python -m srlib train``) writes the files with
:func:`save_shipped` / :func:`register_weights`.

Taught in ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import datetime as _datetime
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srlib._checks import check_scale
from srlib.models.registry import (METHOD_NAMES, MODELS, SCALES, TRAINED_VARIANTS, check_method_name,
                                   check_model_name, method_model, model_family, model_scale)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["WEIGHTS_DIR", "MANIFEST_NAME", "WeightsNotFoundError", "weights_filename",
           "training_command", "read_manifest", "available", "info", "load", "load_weights_file",
           "sha256_file", "register_weights", "save_shipped", "clear_cache", "IDENTITY_SUFFIX", "identity_path",
           "write_identity"]

#: Folder of the shipped weights (inside the installed package).
WEIGHTS_DIR: Path = Path(__file__).resolve().parent / "weights"
MANIFEST_NAME = "manifest.json"


class WeightsNotFoundError(FileNotFoundError, ValueError):
    """No weights file (or manifest entry) for a model and scale.

    Both a ``FileNotFoundError`` and a ``ValueError``; the message says which training
    command produces the file. Taught in ``03_srcnn.ipynb``.
    """


def weights_filename(name: str, scale: int) -> str:
    """The file name of the shipped weights, e.g. ``"fsrcnn_x3.weights.h5"``.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    return f"{check_method_name(name)}_x{check_scale(scale, supported=SCALES)}.weights.h5"


def training_command(name: str, scale: int, out_dir: str = "srlib/weights") -> str:
    """The command that produces the shipped weights of ``name`` at ``scale``.

    ``--data`` names the model's training sets from :data:`srlib.models.MODELS` (registered
    datasets: the command fetches them into the data cache).

    Notes
    -----
    The exact commands (with step counts) are committed beside the weights, in
    ``srlib/weights/``. Taught in ``03_srcnn.ipynb``.
    """
    name, scale = check_method_name(name), check_scale(scale, supported=SCALES)
    model = method_model(name)
    data = " ".join(MODELS[model].training_sets)
    if name in TRAINED_VARIANTS:
        variant = TRAINED_VARIANTS[name]
        options = (f"--objective {variant.objective}" if variant.objective != "pixel" else "") + \
            (f" --degradation {variant.degradation}" if variant.degradation != "bicubic" else "")
        return (f"python -m srlib train {model} --scale {scale} --data {data} --out runs/{model}_x{scale} && "
                f"python -m srlib train {model} --scale {scale} --data {data} --out runs/{name}_x{scale} "
                f"{options.strip()} --init-weights runs/{model}_x{scale}/{model}_x{scale}.weights.h5 "
                f"--lr {'1e-4' if variant.objective == 'gan' else '2e-4'} "
                f"(then copy runs/{name}_x{scale}/{model}_x{scale}.weights.h5 to {out_dir}/{name}_x{scale}.weights.h5 "
                f"and record it with srlib.pretrained.register_weights)")
    return f"python -m srlib train {name} --scale {scale} --data {data} --out {out_dir}"


def _weights_dir(weights_dir: str | os.PathLike | None) -> Path:
    folder = Path(WEIGHTS_DIR if weights_dir is None else weights_dir).resolve()
    if not folder.is_dir():
        raise WeightsNotFoundError(f"weights folder {str(folder)!r} does not exist; pass the folder that holds the "
                                   f"{MANIFEST_NAME} and .weights.h5 files (default: the shipped srlib/weights)")
    return folder


def read_manifest(manifest_path: str | os.PathLike | None = None) -> dict[str, dict[str, Any]]:
    """Read ``manifest.json`` (``{}`` when it does not exist yet).

    Parameters
    ----------
    manifest_path : path, optional
        Default: the shipped ``srlib/weights/manifest.json``.

    Raises
    ------
    ValueError
        If the file is not a JSON object of objects.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    path = Path(manifest_path) if manifest_path is not None else WEIGHTS_DIR / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"weights manifest {path} is not valid JSON: {err}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"weights manifest {path} must map file names to objects, got {type(data).__name__}")
    return data


def available(weights_dir: str | os.PathLike | None = None) -> list[tuple[str, int]]:
    """``(name, scale)`` pairs whose weights are listed in the manifest and present on disk.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    folder = _weights_dir(weights_dir)
    pairs = []
    for filename, entry in read_manifest(folder / MANIFEST_NAME).items():
        name, scale = entry.get("method", entry.get("model")), entry.get("scale")
        if name in METHOD_NAMES and isinstance(scale, int) and (folder / filename).is_file():
            pairs.append((str(name), int(scale)))
    order = {name: index for index, name in enumerate(METHOD_NAMES)}
    return sorted(set(pairs), key=lambda pair: (order[pair[0]], pair[1]))


def info(name: str, scale: int, weights_dir: str | os.PathLike | None = None) -> dict[str, Any]:
    """The manifest entry (sha256, kwargs, metrics, ...) of the shipped ``name`` x ``scale`` weights.

    Raises
    ------
    WeightsNotFoundError
        If the manifest has no entry for them.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    folder = _weights_dir(weights_dir)
    filename = weights_filename(name, scale)
    entry = read_manifest(folder / MANIFEST_NAME).get(filename)
    if entry is None:
        raise WeightsNotFoundError(
            f"no weights for {name} x{scale}: {filename} is not listed in {folder / MANIFEST_NAME}; "
            f"produce them with: {training_command(name, scale)}")
    return dict(entry)


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load(name: str, scale: int, *, weights_dir: str | os.PathLike | None = None) -> "keras.Model":
    """Load a model with its shipped weights: ``load("fsrcnn", 3)``.

    Parameters
    ----------
    name : str
        Model family, one of :data:`srlib.models.MODEL_NAMES`, or a trained variant of
        one (:data:`srlib.models.registry.TRAINED_VARIANTS`, e.g. ``"srresnet_gan"``).
    scale : int
        One of :data:`srlib.models.SCALES`.
    weights_dir : path, optional
        Folder holding the ``.weights.h5`` files and ``manifest.json`` (default: the
        shipped ``srlib/weights``; tests and training runs pass their own).

    Returns
    -------
    keras.Model
        The model named ``"{name}_x{scale}"`` (SRCNN: ``"srcnn_{variant}_x{scale}"``),
        ready for :func:`srlib.upscale`. The same object is returned on repeated calls
        (cached while the file's sha256 is unchanged): do not train it in place; build a
        fresh one with :func:`srlib.models.build_model` for that.

    Raises
    ------
    WeightsNotFoundError
        (a ``ValueError`` and ``FileNotFoundError``) if the weights are not listed or
        the file is missing; the message gives the training command that makes them.
    ValueError
        Unknown name or bad scale; sha256 mismatch (corrupt or replaced file); manifest
        entry for another model or scale; weights that do not fit the architecture.

    Notes
    -----
    Taught in ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb``.
    """
    name, scale = check_method_name(name), check_scale(scale)
    model = method_model(name)
    folder = _weights_dir(weights_dir)
    entry = info(name, scale, folder)
    filename = weights_filename(name, scale)
    path = folder / filename
    if not path.is_file():
        raise WeightsNotFoundError(f"weights file {path} is listed in the manifest but missing; "
                                   f"produce it with: {training_command(name, scale)}")
    if entry.get("model") != model or entry.get("scale") != scale or entry.get("method", model) != name:
        raise ValueError(f"manifest entry for {filename} describes model {entry.get('method', entry.get('model'))!r} "
                         f"at scale {entry.get('scale')!r}, not {name!r} x{scale}: the manifest or file name is wrong")
    digest = sha256_file(path)
    if digest != entry.get("sha256"):
        raise ValueError(f"sha256 of {path} is {digest}, but the manifest says {entry.get('sha256')}: the file "
                         f"is corrupt or was replaced; restore it (git checkout) or retrain with: "
                         f"{training_command(name, scale)}")
    kwargs = entry.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        raise ValueError(f"manifest kwargs for {filename} must be an object, got {kwargs!r}")
    return _load_cached(name, scale, str(path), digest, json.dumps(kwargs, sort_keys=True))


@functools.lru_cache(maxsize=32)
def _load_cached(name: str, scale: int, path: str, digest: str, kwargs_json: str) -> "keras.Model":
    model = load_weights_file(path, method_model(name), scale, verify=False, **json.loads(kwargs_json))  # checked
    if name in TRAINED_VARIANTS:  # the same layers under the method's own name
        import keras

        from srlib.models.registry import model_name

        model = keras.Model(model.inputs[0], model.outputs[0], name=model_name(name, scale))
    return model


def clear_cache() -> None:
    """Forget the models cached by :func:`load` (e.g. after retraining into the same folder).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    _load_cached.cache_clear()


IDENTITY_SUFFIX = ".identity.json"


def identity_path(weights_path: str | os.PathLike) -> Path:
    """Where the identity record of a ``.weights.h5`` file lives: ``X.weights.h5`` -> ``X.identity.json``."""
    path = Path(weights_path)
    stem = path.name[:-len(".weights.h5")] if path.name.endswith(".weights.h5") else path.stem
    return path.with_name(stem + IDENTITY_SUFFIX)


def write_identity(weights_path: str | os.PathLike, name: str, scale: int,
                   kwargs: dict[str, Any] | None = None) -> Path:
    """Record beside a weights file what it holds: model, scale, builder kwargs and its sha256.

    :func:`load_weights_file` checks this record, so x2 weights are never loaded as x3 (SRCNN's
    shapes do not depend on the scale) and a file changed after saving is refused. The training
    command writes it for every weights file it produces. Written atomically.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    from srlib.training.checkpoints import write_atomic

    name, scale = check_model_name(name), check_scale(scale)
    path = Path(weights_path)
    if not path.is_file():
        raise FileNotFoundError(f"no weights file {path}")
    record = {"format": "srlib-weights-identity/1", "weights_file": path.name, "model": name, "scale": scale,
              "kwargs": json.loads(json.dumps(dict(kwargs or {}))), "sha256": sha256_file(path)}
    target = identity_path(path)
    write_atomic(target, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return target


def _identity_record(path: Path) -> tuple[dict[str, Any], str] | None:
    """The identity of a weights file: its ``.identity.json``, else its entry in a manifest beside it."""
    sidecar = identity_path(path)
    if sidecar.is_file():
        try:
            record = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ValueError(f"cannot read the identity record {sidecar} of {path.name} ({err}); restore it, or "
                             "re-record it with srlib.pretrained.write_identity(path, name, scale)") from None
        if not isinstance(record, dict):
            raise ValueError(f"identity record {sidecar} is not a JSON object")
        return record, str(sidecar)
    manifest = path.parent / MANIFEST_NAME
    if manifest.is_file():
        entry = read_manifest(manifest).get(path.name)
        if entry is not None:
            return entry, str(manifest)
    return None


def _check_identity(path: Path, name: str, scale: int, kwargs: dict[str, Any]) -> None:
    found = _identity_record(path)
    if found is None:
        raise ValueError(f"{path} has no identity record ({identity_path(path).name} or a {MANIFEST_NAME} entry "
                         "beside it), so srlib cannot tell which model and scale it holds. If you know, record it "
                         f"with srlib.pretrained.write_identity({str(path)!r}, name, scale, kwargs), or pass "
                         "verify=False to load it anyway (only the array shapes are checked then)")
    record, source = found
    differences = [f"{key} {record.get(key)!r} (you asked for {wanted!r})"
                   for key, wanted in (("model", name), ("scale", scale)) if record.get(key) != wanted]
    recorded_kwargs = record.get("kwargs") or {}
    if json.loads(json.dumps(dict(kwargs))) != recorded_kwargs:
        differences.append(f"kwargs {recorded_kwargs!r} (you asked for {dict(kwargs)!r})")
    if differences:
        raise ValueError(f"{path.name} holds other weights than requested: {source} records "
                         f"{'; '.join(differences)}. Load it with the recorded settings")
    digest = sha256_file(path)
    if digest != record.get("sha256"):
        raise ValueError(f"sha256 of {path} is {digest}, but {source} records {record.get('sha256')}: the file is "
                         "corrupt or was replaced after saving; restore it or retrain")


def load_weights_file(path: str | os.PathLike, name: str, scale: int, *, verify: bool = True,
                      **kwargs: Any) -> "keras.Model":
    """Build ``name`` x ``scale`` (with ``kwargs``) and load a ``.weights.h5`` file into it.

    For weights that are not shipped, e.g. the output of your own training run (the
    training command records each file's identity beside it, see :func:`write_identity`).

    Parameters
    ----------
    path : path
        A ``.weights.h5`` file.
    name, scale, **kwargs
        The model to build (``srlib.models.build_model(name, scale, **kwargs)``).
    verify : bool
        ``True`` (default): the file's identity record (its ``.identity.json`` or its entry in
        a ``manifest.json`` beside it) must name the same model, scale and kwargs, and its
        sha256 must match. ``False`` skips that for files from elsewhere; the array shapes
        are checked in any case.

    Raises
    ------
    FileNotFoundError
        Missing file.
    ValueError
        Not a Keras weights file; weights of another architecture (the message names the
        file, the model and Keras' reason); with ``verify``: no identity record, another
        model/scale/kwargs recorded, or a sha256 mismatch (a corrupt or replaced file).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    from srlib.models.registry import build_model

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no weights file {path}")
    if not path.name.endswith(".weights.h5"):
        raise ValueError(f"Keras weights files end in '.weights.h5', got {path.name!r}")
    if not isinstance(verify, bool):
        raise ValueError(f"verify must be True or False, got {verify!r}")
    name, scale = check_model_name(name), check_scale(scale)
    if verify:
        _check_identity(path, name, scale, kwargs)
    model = build_model(name, scale, **kwargs)
    _check_file_matches(path, model, kwargs)
    try:
        model.load_weights(str(path))
    except (ValueError, OSError, KeyError, TypeError) as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        detail = " ".join(str(err).split())[:400]
        raise ValueError(f"cannot load {path.name} into {model.name} (built with {kwargs or 'default settings'}): "
                         f"the file holds weights of another architecture or is not a Keras weights file "
                         f"({first_line}; {detail})") from err
    return model


def _check_file_matches(path: Path, model: "keras.Model", kwargs: dict[str, Any]) -> None:
    """Compare the arrays stored in ``path`` with the model's variables before loading.

    Keras loads layer by layer and can leave layers it finds no group for at their
    random initial values (with only a warning); counting and comparing shapes first
    turns every mismatch into one clear error.
    """
    import h5py

    try:
        with h5py.File(path, "r") as handle:
            stored: list[tuple[int, ...]] = []
            handle.visititems(lambda _, obj: stored.append(tuple(obj.shape))
                              if isinstance(obj, h5py.Dataset) else None)
    except OSError as err:
        raise ValueError(f"cannot load {path.name}: not a Keras weights (HDF5) file ({err})") from None
    wanted = [tuple(int(v) for v in w.shape) for w in model.weights]
    if sorted(stored) != sorted(wanted):
        raise ValueError(f"cannot load {path.name} into {model.name} (built with {kwargs or 'default settings'}): "
                         f"the file holds {len(stored)} arrays of other shapes than the model's {len(wanted)} "
                         f"(weights of another architecture, scale or settings)")


def register_weights(path: str | os.PathLike, name: str, scale: int, kwargs: dict[str, Any] | None = None,
                     metrics: dict[str, Any] | None = None,
                     manifest_path: str | os.PathLike | None = None, **extra: Any) -> dict[str, Any]:
    """Add (or replace) the manifest entry of a weights file, with its sha256.

    Parameters
    ----------
    path : path
        The ``{name}_x{scale}.weights.h5`` file; it must lie in the manifest's folder.
    name, scale
        What the weights are for.
    kwargs : dict, optional
        Builder keyword arguments (JSON-serialisable; tuples become lists), e.g.
        ``{"variant": "9-5-5"}``; :func:`load` passes them to
        :func:`srlib.models.build_model`.
    metrics : dict, optional
        Benchmark numbers to record (e.g. ``{"Set5": {"psnr": 36.5, "bicubic_psnr": 33.69}}``).
    manifest_path : path, optional
        Default: ``manifest.json`` beside ``path``.
    **extra
        More JSON fields for the entry (``steps``, ``wall_time_s``, ``hardware``, ...).

    Returns
    -------
    dict
        The entry written.

    Raises
    ------
    ValueError
        Wrong file name for ``name``/``scale``, file outside the manifest folder, or
        values that are not JSON-serialisable.

    Notes
    -----
    The manifest is rewritten atomically (temporary file + rename), keys sorted.
    Taught in ``03_srcnn.ipynb``.
    """
    name, scale = check_method_name(name), check_scale(scale)
    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"no weights file {path}")
    expected = weights_filename(name, scale)
    if path.name != expected:
        raise ValueError(f"weights for {name} x{scale} must be named {expected!r}, got {path.name!r}")
    manifest = Path(manifest_path).resolve() if manifest_path is not None else path.parent / MANIFEST_NAME
    if manifest.parent != path.parent:
        raise ValueError(f"the weights file {path} must lie in the manifest's folder {manifest.parent}")
    entry: dict[str, Any] = {"sha256": sha256_file(path), "model": method_model(name), "scale": scale,
                             "kwargs": dict(kwargs or {}), "metrics": dict(metrics or {}),
                             "size_bytes": path.stat().st_size,
                             "registered": _datetime.datetime.now(_datetime.timezone.utc).isoformat(
                                 timespec="seconds")}
    if name in TRAINED_VARIANTS:
        entry["method"], entry["objective"] = name, TRAINED_VARIANTS[name].objective
        if TRAINED_VARIANTS[name].degradation != "bicubic":
            entry["degradation"] = TRAINED_VARIANTS[name].degradation
    entry.update(extra)
    try:
        entry = json.loads(json.dumps(entry))
    except (TypeError, ValueError) as err:
        raise ValueError(f"manifest entry for {path.name} is not JSON-serialisable: {err}") from None
    data = read_manifest(manifest)
    data[path.name] = entry
    from srlib.training.checkpoints import write_atomic

    write_atomic(manifest, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return entry


def save_shipped(model: "keras.Model", name: str, scale: int, out_dir: str | os.PathLike, *,
                 kwargs: dict[str, Any] | None = None, metrics: dict[str, Any] | None = None,
                 **extra: Any) -> Path:
    """Save ``model.save_weights`` as ``{out_dir}/{name}_x{scale}.weights.h5`` and register it.

    Parameters
    ----------
    model : keras.Model
        A model built by ``build_model(name, scale, **kwargs)``.
    name, scale, kwargs, metrics, **extra
        As for :func:`register_weights`.
    out_dir : path
        The folder to write to (required: the package's own ``srlib/weights`` is inside the
        repository in an editable install; pass ``srlib.pretrained.WEIGHTS_DIR`` explicitly
        to update the shipped weights).

    Returns
    -------
    pathlib.Path
        The weights file.

    Raises
    ------
    ValueError
        If the model's name records a different family or scale.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    name, scale = check_method_name(name), check_scale(scale)
    if model_family(model) not in (None, method_model(name)) or model_scale(model) not in (None, scale):
        raise ValueError(f"model {model.name!r} is not a {name} x{scale} model")
    if out_dir is None or not isinstance(out_dir, (str, os.PathLike)):
        raise ValueError(f"out_dir must be a folder path (to update the shipped weights pass "
                         f"srlib.pretrained.WEIGHTS_DIR), got {out_dir!r}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / weights_filename(name, scale)
    model.save_weights(str(path))
    register_weights(path, name, scale, kwargs=kwargs, metrics=metrics, **extra)
    return path

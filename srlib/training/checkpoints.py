"""Crash-safe files of a training run: atomic writes, the resumable state, the run's identity.

Every file a run writes goes through :func:`write_atomic`: the bytes go to a temporary
file in the same folder, are flushed and ``fsync``-ed, then renamed over the target (and
the folder is ``fsync``-ed), so a kill at any instant leaves either the old file or the
new one, never a torn one. Out of disk space becomes one clear :class:`OutOfSpaceError`
and the previous file stays intact.

The resumable state (``training_state.npz``) is one unit: every variable of every network
and optimiser, plus a JSON record of the step, the log rows so far and the run's
*identity* (model, kwargs, scale, objective, data hashes, seed, schedule, steps, ...). It
is written last in each interval, so it is the commit point: whatever the logs and
checkpoint files say, a resume continues from the state, and rows newer than it are
dropped. It holds only arrays and JSON (``numpy.load(..., allow_pickle=False)``).

Test hook: the environment variable ``SRLIB_FAULT="POINT[@N][:ACTION]"`` makes the N-th
arrival (default 1) at a named point (:data:`FAULT_POINTS`) kill the process with SIGKILL
(``ACTION`` ``kill``, the default) or fail the write as if the disk were full (``enospc``).

Taught in ``03_srcnn.ipynb`` (resuming a run).
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import signal
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from srlib._checks import to_jsonable

__all__ = ["STATE_NAME", "STATE_FORMAT", "FAULT_ENV", "FAULT_POINTS", "OutOfSpaceError", "fault_point",
           "write_atomic", "save_weights_atomic", "check_writable", "remove_stale_temporaries", "save_state",
           "load_state", "restore_state", "identity_differences", "images_sha256"]

STATE_NAME = "training_state.npz"
STATE_FORMAT = 1
FAULT_ENV = "SRLIB_FAULT"
#: Where :func:`fault_point` fires in a run: ``write:FILE`` (half of FILE's bytes in its temporary
#: file, e.g. ``write:checkpoint.weights.h5``, ``write:training_state.npz``,
#: ``write:espcn_x2.weights.h5``); ``before_state`` (weights and logs of an interval written, its
#: state not yet); ``after_state``; ``after_training`` (last state written, final files not yet);
#: ``after_final_weights`` (final weights written, logs, card and final state not yet).
FAULT_POINTS: tuple[str, ...] = ("write:FILE", "before_state", "after_state", "after_training",
                                 "after_final_weights")
_TEMP_PREFIX = ".srlib-tmp-"
_arrivals: dict[str, int] = {}


class OutOfSpaceError(OSError):
    """The disk filled up while writing a run's file; the previous version of the file is intact.

    Taught in ``03_srcnn.ipynb``.
    """


def fault_point(name: str) -> None:
    """Act on ``SRLIB_FAULT`` if it names this point (a test hook; a no-op otherwise)."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    point, action = spec, "kill"
    head, sep, tail = spec.rpartition(":")
    if sep and tail in ("kill", "enospc"):
        point, action = head, tail
    point, _, count = point.partition("@")
    if point != name:
        return
    key = f"{spec}|{name}"  # a new spec (another test in the same process) counts afresh
    _arrivals[key] = _arrivals.get(key, 0) + 1
    if _arrivals[key] != int(count or 1):
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open folders
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(descriptor)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one, never a torn one.

    Raises
    ------
    OutOfSpaceError
        The disk (or quota) filled up; the temporary file is removed and ``path`` is unchanged.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX + path.name + ".")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            half = len(data) // 2
            handle.write(data[:half])
            handle.flush()
            fault_point(f"write:{path.name}")
            handle.write(data[half:])
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise OutOfSpaceError(err.errno, f"no space left on the disk of {path.parent} while writing "
                                  f"{path.name} ({len(data):,} bytes); the previous {path.name} is intact: free "
                                  "some space and run the same command with --resume") from None
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def save_weights_atomic(model: Any, path: str | os.PathLike[str]) -> None:
    """``model.save_weights`` (a plain Keras ``.weights.h5``), written atomically into ``path``.

    Keras writes the HDF5 file into a private temporary folder; its bytes are then
    written with :func:`write_atomic`, so the destination disk never sees a half-written
    HDF5 file. Taught in ``03_srcnn.ipynb``.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="srlib-weights-") as folder:
        staged = Path(folder) / path.name
        model.save_weights(str(staged))
        data = staged.read_bytes()
    write_atomic(path, data)


def check_writable(folder: str | os.PathLike[str]) -> Path:
    """Create ``folder`` if needed and prove it writable (before any training), else ValueError.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"--out {str(folder)!r} is a file, not a folder; give a folder for the run's files")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX + "probe.")
        os.close(descriptor)
        os.unlink(probe)
    except OSError as err:
        raise ValueError(f"cannot write into --out {str(folder)!r} ({err.strerror or err}); choose a folder "
                         "you can write to") from None
    return folder


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[str]:
    """Delete temporary files a killed run left in ``folder``; return their names."""
    removed = []
    for path in Path(folder).glob(_TEMP_PREFIX + "*"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def _variables(collection: Mapping[str, Any], kind: str) -> dict[str, np.ndarray]:
    arrays = {}
    for name, owner in collection.items():
        for index, variable in enumerate(owner.variables):
            arrays[f"{kind}/{name}/{index}"] = np.asarray(variable.numpy() if hasattr(variable, "numpy")
                                                         else variable)
    return arrays


def save_state(folder: str | os.PathLike[str], training: Any, record: Mapping[str, Any]) -> Path:
    """Write every network and optimiser variable of ``training`` plus ``record`` as one atomic file.

    Parameters
    ----------
    folder : path
        The run's folder; the file is ``folder / STATE_NAME``.
    training : srlib.training.objectives.TrainingState
        Its ``networks`` and ``optimizers``.
    record : mapping
        JSON-able facts: ``identity``, ``step``, ``rows``, ``elapsed``, ``final``, ...

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    arrays = {**_variables(training.networks, "networks"), **_variables(training.optimizers, "optimizers")}
    meta = json.dumps(to_jsonable({"format": STATE_FORMAT, **record}), sort_keys=True).encode("utf-8")
    arrays["record"] = np.frombuffer(meta, dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path = Path(folder) / STATE_NAME
    write_atomic(path, buffer.getvalue())
    return path


def load_state(folder: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """Read ``folder / STATE_NAME``: ``(record, arrays)``, or None when there is none.

    Raises
    ------
    ValueError
        A file that is not a readable srlib training state (the message names it and the fix).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    path = Path(folder) / STATE_NAME
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
        record = json.loads(arrays.pop("record").tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError) as err:
        raise ValueError(f"{path} is not a readable training state ({type(err).__name__}: {err}); "
                         "delete it to start again, or rerun with --force") from None
    if record.get("format") != STATE_FORMAT:
        raise ValueError(f"{path} has state format {record.get('format')!r}, this srlib writes {STATE_FORMAT}; "
                         "rerun with --force to start again")
    return record, arrays


def restore_state(training: Any, arrays: Mapping[str, np.ndarray]) -> None:
    """Assign the arrays saved by :func:`save_state` back into ``training`` (shapes checked).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    training.build_optimizers()
    for kind, collection in (("networks", training.networks), ("optimizers", training.optimizers)):
        for name, owner in collection.items():
            variables = list(owner.variables)
            stored = [key for key in arrays if key.startswith(f"{kind}/{name}/")]
            if len(stored) != len(variables):
                raise ValueError(f"the training state holds {len(stored)} arrays for {kind[:-1]} {name!r}, "
                                 f"the run has {len(variables)}: it belongs to another run; rerun with --force")
            for index, variable in enumerate(variables):
                value = arrays[f"{kind}/{name}/{index}"]
                if tuple(value.shape) != tuple(variable.shape):
                    raise ValueError(f"the training state's {kind[:-1]} {name!r} variable {index} has shape "
                                     f"{value.shape}, the run's {tuple(variable.shape)}; rerun with --force")
                variable.assign(value)


def identity_differences(stored: Mapping[str, Any], current: Mapping[str, Any],
                         ignore: tuple[str, ...] = ()) -> list[str]:
    """Human-readable ``"key: run has A, this command B"`` for each identity field that differs.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    stored, current = to_jsonable(dict(stored)), to_jsonable(dict(current))
    keys = sorted((set(stored) | set(current)) - set(ignore))
    return [f"{key}: the run in the folder has {stored.get(key)!r}, this command {current.get(key)!r}"
            for key in keys if stored.get(key) != current.get(key)]


def images_sha256(images: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over the names, shapes and pixels of ``images`` (a run's data identity)."""
    digest = hashlib.sha256()
    for name in sorted(images):
        array = np.ascontiguousarray(images[name])
        digest.update(f"{name}:{array.shape}:{array.dtype}\n".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()

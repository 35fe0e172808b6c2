"""Course-wide settings: quick vs workshop mode, seeds, plot defaults, a quiet TensorFlow start-up,
and the learner's working copies of the lessons that ``make lab`` opens.

Taught in ``00_start_here.ipynb``.
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from srlib._checks import check_non_negative_int

QUICK_ENV = "SRLIB_QUICK"
DEFAULT_SEED = 42

#: ``TF_CPP_MIN_LOG_LEVEL`` that :func:`setup` uses unless the environment sets one:
#: TensorFlow's C++ INFO and WARNING lines are hidden, errors still show.
QUIET_TF_LOG_LEVEL = "2"

#: Folder (next to ``notebooks/``) that ``make lab`` fills with the learner's working copies.
WORKSPACE = "work"

#: The course's Jupyter settings folder (put first on ``JUPYTER_CONFIG_PATH`` by ``make lab``).
SETTINGS = "settings"

#: Sub-folder of the working folder where :func:`reset_lessons` keeps the copies it replaces.
BACKUPS = "backups"


def is_quick() -> bool:
    """Return True when quick mode is on (``SRLIB_QUICK=1``, set by ``make test``).

    Quick mode shrinks every lesson's live training and image sizes so that a
    notebook finishes in about a minute on 2 CPU cores; workshop mode (the
    default) runs a few minutes per lesson. Taught in ``00_start_here.ipynb``.
    """
    value = os.environ.get(QUICK_ENV, "0").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def pick(quick: Any, workshop: Any) -> Any:
    """Return ``quick`` in quick mode, else ``workshop`` (e.g. ``pick(50, 2000)`` steps).

    Taught in ``00_start_here.ipynb``.
    """
    return quick if is_quick() else workshop


def seed_everything(seed: int = DEFAULT_SEED) -> None:
    """Seed Python, NumPy and (if already imported) Keras/TensorFlow.

    Taught in ``00_start_here.ipynb``.
    """
    seed = check_non_negative_int(seed, "seed")
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)
    elif "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed)


def _enable_inline_figures() -> bool:
    """In a Jupyter kernel, switch matplotlib to the inline backend (``%matplotlib inline``).

    Then the :class:`~matplotlib.figure.Figure` objects returned by :mod:`srlib.plots._images`
    display as images even in a notebook without ``%matplotlib inline``. Outside a
    kernel (scripts, tests, terminal IPython) nothing changes. Returns True when
    the inline backend was enabled.
    """
    ipython = sys.modules.get("IPython")  # never import IPython just to find out
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
        if shell is None or getattr(shell, "kernel", None) is None:  # not a Jupyter kernel
            return False
        shell.run_line_magic("matplotlib", "inline")
    except Exception:  # noqa: BLE001 - a missing backend must never break a lesson's first cell
        return False
    return True


# --- TensorFlow's start-up notices -------------------------------------------------------------
# TensorFlow's C++ core logs through absl. TF_CPP_MIN_LOG_LEVEL hides most of it, but only when
# set before TensorFlow is imported, and not all of it: the oneDNN notice ("oneDNN custom
# operations are on ...", on CPUs with AVX-512) and absl's "All log messages before
# absl::InitializeLog() ..." banner are written to the process's stderr whatever the level. A
# Jupyter kernel forwards that stderr to the notebook (the red box), so in a kernel setup() also
# drops those lines, honouring TF_CPP_MIN_LOG_LEVEL (0 shows everything).
# absl's prefix: severity, MMDD, time (before absl::InitializeLog() "00:00:<epoch seconds>"), thread
_ABSL_LINE = re.compile(r"^(?P<severity>[IWEF])\d{4} [\d:.]+ +\d+ [^\s\]]+:\d+\] ")
_ABSL_BANNER = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
# the second line of the INFO line "This TensorFlow binary is optimized to use available CPU ..."
_CPU_GUARD_CONTINUATION = re.compile(r"^To enable the following instructions: .*compiler flags\.$")
_SEVERITY_RANK = {"I": 0, "W": 1, "E": 2, "F": 3}
_FILTERED_STREAMS: weakref.WeakSet = weakref.WeakSet()


def _tf_log_level() -> int:
    """The ``TF_CPP_MIN_LOG_LEVEL`` in force (0 when unset or not an integer, as TensorFlow reads it)."""
    try:
        return int(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0").strip())
    except ValueError:
        return 0


def _drop_tensorflow_notices(text: str, level: int) -> str:
    """Return ``text`` without TensorFlow/absl log lines of a severity below ``level``.

    ``level`` follows ``TF_CPP_MIN_LOG_LEVEL``: 1 drops INFO lines (``I1126 10:00:00.1 123
    port.cc:153] ...``) with absl's banner, 2 also WARNING lines, 3 also ERROR lines. Every
    other line (your own prints and warnings, Python tracebacks) is kept as it is.
    """
    if level <= 0 or not text:
        return text
    kept = []
    dropped_previous = False
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        match = _ABSL_LINE.match(content)
        if match:
            drop = _SEVERITY_RANK[match.group("severity")] < level
        elif content == _ABSL_BANNER:
            drop = True
        else:
            drop = dropped_previous and bool(_CPU_GUARD_CONTINUATION.match(content))
        dropped_previous = drop
        if not drop:
            kept.append(line)
    return "".join(kept)


def _drop_notices_hook(message: dict[str, Any]) -> dict[str, Any] | None:
    """ipykernel stream hook: remove TensorFlow notices from a stderr message (None: nothing left)."""
    content = message.get("content")
    if not isinstance(content, dict) or content.get("name") != "stderr" or not isinstance(content.get("text"), str):
        return message
    text = _drop_tensorflow_notices(content["text"], _tf_log_level())
    if not text:
        return None
    content["text"] = text
    return message


def _filter_kernel_stderr() -> bool:
    """In a Jupyter kernel, drop TensorFlow's start-up notices from the stderr shown in the notebook.

    ipykernel forwards everything written to file descriptor 2 (where TensorFlow's C++ code
    logs) to the notebook. Its stream hooks are per thread and run in the thread that sends
    the messages, so the hook is registered there. Returns True when the filter is in place.
    Outside a kernel nothing changes (the terminal shows what TF_CPP_MIN_LOG_LEVEL lets through).
    """
    stream = sys.stderr
    register = getattr(stream, "register_hook", None)
    schedule = getattr(getattr(stream, "pub_thread", None), "schedule", None)
    if not callable(register) or not callable(schedule):
        return False
    try:
        if stream in _FILTERED_STREAMS:
            return True
        schedule(lambda: register(_drop_notices_hook))
        _FILTERED_STREAMS.add(stream)
    except Exception:  # noqa: BLE001 - output filtering must never break a lesson's first cell
        return False
    return True


def quiet_tensorflow() -> None:
    """Hide TensorFlow's start-up notices; errors and your own output still show.

    Sets ``TF_CPP_MIN_LOG_LEVEL`` to :data:`QUIET_TF_LOG_LEVEL` unless the environment sets it
    (it must be set before TensorFlow is imported: :func:`setup` does this in every lesson's
    first cell), limits TensorFlow's Python logger to errors (tf.function retracing warnings are
    expected when a lesson builds several models), and in a Jupyter kernel drops the notices
    that TensorFlow prints whatever the log level (oneDNN, absl's banner), also when TensorFlow
    was imported before. ``TF_ENABLE_ONEDNN_OPTS`` is left alone: turning oneDNN off would
    change the numbers (round-off) and the speed on CPUs that use it. Called by :func:`setup`.
    Taught in ``00_start_here.ipynb``.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", QUIET_TF_LOG_LEVEL)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    _filter_kernel_stderr()


def setup(seed: int = DEFAULT_SEED, *, verbose: bool = True) -> dict[str, Any]:
    """The standard first cell of every lesson: seeds, plot defaults, quiet TensorFlow, mode report.

    Parameters
    ----------
    seed : int
        Seed for Python, NumPy and Keras.
    verbose : bool
        Print a one-line summary (mode, Python, platform).

    Returns
    -------
    dict
        ``{"quick": bool, "seed": int, "python": str, "platform": str}``.

    Raises
    ------
    ValueError
        ``seed`` is not a non-negative integer.

    Notes
    -----
    In a Jupyter kernel it also enables the inline matplotlib backend
    (``%matplotlib inline``), so figures returned by :mod:`srlib.plots._images` display as
    images, and hides TensorFlow's start-up notices (:func:`quiet_tensorflow`).
    Taught in ``00_start_here.ipynb``.
    """
    seed_everything(seed)
    quiet_tensorflow()
    _enable_inline_figures()  # before the rcParams below: the inline backend sets its own figure.dpi
    try:
        import matplotlib as mpl

        mpl.rcParams.update({"figure.dpi": 90, "image.interpolation": "nearest",
                             "axes.titlesize": 10, "figure.autolayout": False})
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    info = {"quick": is_quick(), "seed": int(seed),
            "python": platform.python_version(), "platform": platform.platform(terse=True)}
    if verbose:
        mode = "QUICK (SRLIB_QUICK=1: tiny runs for tests)" if info["quick"] else "WORKSHOP (full lesson runs)"
        print(f"srlib setup: mode={mode}, seed={seed}, Python {info['python']} on {info['platform']}")
    return info


# --- the learner's working copies (make lab) ---------------------------------------------------
def _lesson_files(lessons: str | os.PathLike[str]) -> list[Path]:
    """The lesson notebooks in ``lessons`` (``NN_name.ipynb``), sorted; ValueError when there are none."""
    folder = Path(lessons)
    if not folder.is_dir():
        raise ValueError(f"lessons folder {str(folder)!r} does not exist; run this from the course folder "
                         "(the one with notebooks/), e.g. `make lab`")
    files = sorted(path for path in folder.glob("*.ipynb") if path.is_file())
    if not files:
        raise ValueError(f"lessons folder {str(folder)!r} holds no .ipynb notebooks; pass the course's notebooks/ folder")
    return files


def _check_workspace(lessons: str | os.PathLike[str], workspace: str | os.PathLike[str]) -> Path:
    folder = Path(workspace)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"working folder {str(folder)!r} is a file, not a folder; move it away or pick another folder")
    if folder.resolve() == Path(lessons).resolve():
        raise ValueError(f"working folder {str(folder)!r} is the lessons folder itself; the copies must go "
                         f"elsewhere, e.g. {WORKSPACE!r}")
    return folder


def copy_lessons(lessons: str | os.PathLike[str], workspace: str | os.PathLike[str]) -> list[Path]:
    """Copy into ``workspace`` every lesson that it does not hold yet; never overwrite a copy.

    ``make lab`` runs this (``python -m srlib.course lab``) and opens JupyterLab
    in ``work/``: the learner edits, runs and saves their own copies there, ``notebooks/`` stays
    as committed (``make test`` checks it), and ``work/`` is gitignored, so ``git pull`` and
    ``git reset --hard`` leave it alone. A lesson added upstream is copied on the next
    ``make lab``; a fresh copy of a lesson: :func:`reset_lessons` (``make lab-reset``).

    Parameters
    ----------
    lessons : str or path
        The committed lessons (``notebooks/``).
    workspace : str or path
        The working folder (created if missing).

    Returns
    -------
    list of Path
        The copies made (empty when the working folder already held every lesson).

    Raises
    ------
    ValueError
        ``lessons`` holds no notebooks, or ``workspace`` is a file or the lessons folder itself.
    """
    files = _lesson_files(lessons)
    folder = _check_workspace(lessons, workspace)
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in files:
        target = folder / source.name
        if target.exists():
            continue
        shutil.copyfile(source, target)
        copied.append(target)
    return copied


def _lesson_names(files: Sequence[Path], names: Sequence[str]) -> list[Path]:
    by_name = {path.name: path for path in files}
    by_name.update({path.stem: path for path in files})
    by_name.update({path.name[:2]: path for path in files})
    chosen = []
    for name in names:
        key = Path(str(name)).name
        if key not in by_name:
            raise ValueError(f"no lesson named {name!r}; choose from {', '.join(path.name for path in files)} "
                             "(the number, e.g. 03, is enough)")
        if by_name[key] not in chosen:
            chosen.append(by_name[key])
    return chosen


def reset_lessons(lessons: str | os.PathLike[str], workspace: str | os.PathLike[str],
                  names: Sequence[str] | None = None) -> tuple[Path | None, list[Path]]:
    """Replace the learner's copies of ``names`` (default: every lesson) with fresh ones, after a backup.

    Each copy that is replaced is first moved to ``workspace/backups/<date>_<time>/``; nothing
    is deleted. ``make lab-reset`` (all lessons) and ``make lab-reset LESSON=03`` run this.

    Parameters
    ----------
    lessons : str or path
        The committed lessons (``notebooks/``).
    workspace : str or path
        The working folder.
    names : sequence of str, optional
        Lessons to reset: file names (``03_srcnn.ipynb``), stems (``03_srcnn``) or numbers (``03``).

    Returns
    -------
    (Path or None, list of Path)
        The backup folder (None when there was nothing to back up) and the fresh copies.

    Raises
    ------
    ValueError
        An unknown lesson name, or a bad ``lessons`` / ``workspace`` folder.
    """
    files = _lesson_files(lessons)
    folder = _check_workspace(lessons, workspace)
    chosen = files if not names else _lesson_names(files, names)
    folder.mkdir(parents=True, exist_ok=True)
    backup = None
    fresh = []
    for source in chosen:
        target = folder / source.name
        if target.exists():
            if backup is None:
                backup = _new_backup_folder(folder)
            shutil.move(str(target), str(backup / source.name))
        shutil.copyfile(source, target)
        fresh.append(target)
    return backup, fresh


def _new_backup_folder(workspace: Path) -> Path:
    stamp = time.strftime("%Y-%m-%d_%H-%M-%S")
    candidate = workspace / BACKUPS / stamp
    counter = 1
    while candidate.exists():
        candidate = workspace / BACKUPS / f"{stamp}_{counter}"
        counter += 1
    candidate.mkdir(parents=True)
    return candidate


def lab_command(lessons: str | os.PathLike[str] = "notebooks", workspace: str | os.PathLike[str] = WORKSPACE,
                settings: str | os.PathLike[str] = SETTINGS,
                options: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """The JupyterLab command line and environment that ``make lab`` runs (after :func:`copy_lessons`).

    JupyterLab opens the first lesson of ``workspace`` (so its file browser shows the working
    copies, not ``notebooks/``) with the course's settings folder first on
    ``JUPYTER_CONFIG_PATH``: ``settings/jupyter_lab_config.json`` turns off the news feed and
    the update check on the server, ``settings/labconfig/default_setting_overrides.json`` makes
    "no news, no update check" the default in the page. They are defaults, not locks: your
    own JupyterLab settings still win.

    Parameters
    ----------
    lessons, workspace, settings : str or path
        The committed lessons, the working folder and the course's Jupyter settings folder.
    options : sequence of str
        More ``jupyter lab`` options (``--port=8899``, ``--no-browser``, ...).

    Returns
    -------
    (list of str, dict)
        The command (``python -m jupyterlab ...``) and the environment to run it in.

    Raises
    ------
    ValueError
        ``settings`` is not a folder, or ``lessons`` holds no notebooks.
    """
    first = _lesson_files(lessons)[0].name
    settings_folder = Path(settings)
    if not settings_folder.is_dir():
        raise ValueError(f"settings folder {str(settings_folder)!r} does not exist; run this from the course "
                         "folder (the one with notebooks/ and settings/), e.g. `make lab`")
    environment = dict(os.environ)
    config_path = [str(settings_folder.resolve())]
    if environment.get("JUPYTER_CONFIG_PATH"):
        config_path.append(environment["JUPYTER_CONFIG_PATH"])
    environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join(config_path)
    command = [sys.executable, "-m", "jupyterlab", *options, str(Path(workspace) / first)]
    return command, environment


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m srlib.course {lab,reset}``: what ``make lab`` and ``make lab-reset`` run.

    ``lab [JUPYTER_LAB_OPTION ...]`` copies the lessons that ``work/`` lacks
    (:func:`copy_lessons`) and starts JupyterLab there (:func:`lab_command`);
    ``reset [LESSON ...]`` backs up and replaces working copies (:func:`reset_lessons`).
    Returns the exit status (2 with ``error: ...`` on bad input).
    """
    parser = argparse.ArgumentParser(prog="python -m srlib.course", allow_abbrev=False,
                                     description="The learner's working copies of the lessons (make lab).")
    parser.add_argument("--lessons", default="notebooks", help="the committed lessons (default: notebooks)")
    parser.add_argument("--workspace", default=WORKSPACE, help=f"the working folder (default: {WORKSPACE})")
    sub = parser.add_subparsers(dest="command", required=True)
    lab = sub.add_parser("lab", allow_abbrev=False, help="copy the lessons the working folder lacks, then start JupyterLab in it")
    lab.add_argument("--settings", default=SETTINGS, help=f"the course's Jupyter settings (default: {SETTINGS})")
    reset = sub.add_parser("reset", allow_abbrev=False, help="back up working copies and replace them with fresh ones")
    reset.add_argument("names", nargs="*", metavar="LESSON", help="lessons to reset (default: all), e.g. 03")
    args, options = parser.parse_known_args(argv)
    if args.command != "lab" and options:
        parser.error(f"unrecognized arguments: {' '.join(options)}")
    try:
        if args.command == "lab":
            command, environment = lab_command(args.lessons, args.workspace, args.settings, options)
            copied = copy_lessons(args.lessons, args.workspace)
            _report_copies(args.lessons, args.workspace, copied)
            sys.stdout.flush()
            if os.name != "posix":  # pragma: no cover - Windows
                return subprocess.call(command, env=environment)
            os.execve(command[0], command, environment)  # JupyterLab takes over (Ctrl-C, exit status)
        backup, fresh = reset_lessons(args.lessons, args.workspace, args.names)
        print(f"Fresh copies of {len(fresh)} lesson(s) in {args.workspace}/: "
              + ", ".join(path.name for path in fresh) + ".")
        if backup is not None:
            print(f"Your previous copies are in {backup}/.")
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _report_copies(lessons: str, workspace: str, copied: list[Path]) -> None:
    total = len(_lesson_files(lessons))
    if copied:
        print(f"Copied {len(copied)} lesson(s) into {workspace}/: your working copies "
              f"(JupyterLab saves your work there; {lessons}/ stays as committed).")
    if len(copied) < total:
        print(f"Kept your saved copies of {total - len(copied)} lesson(s) in {workspace}/. For a fresh copy: "
              f"make lab-reset LESSON=03 (one lesson) or make lab-reset (all); the old copy goes to "
              f"{workspace}/{BACKUPS}/.")


if __name__ == "__main__":
    sys.exit(main())

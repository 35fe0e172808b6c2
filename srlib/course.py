"""Course-wide settings: quick vs workshop mode, seeds, plot defaults.

Taught in ``00_start_here.ipynb``.
"""
from __future__ import annotations

import logging
import os
import platform
import random
import sys
from typing import Any

import numpy as np

QUICK_ENV = "SRLIB_QUICK"
DEFAULT_SEED = 42


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
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed))
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(int(seed))
    elif "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(int(seed))


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


def setup(seed: int = DEFAULT_SEED, *, verbose: bool = True) -> dict[str, Any]:
    """The standard first cell of every lesson: seeds, plot defaults, mode report.

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
    images. Taught in ``00_start_here.ipynb``.
    """
    seed_everything(seed)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # TensorFlow's Python logger warns about tf.function retracing whenever a lesson runs
    # several models; that is expected here, so only errors are shown (TF need not be imported).
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
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

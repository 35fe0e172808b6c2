"""numba for srlib's compiled loops (imresize's passes, the YCbCr -> RGB step), set up once.

Compiled kernels live beside the NumPy code they replace (``srlib.resize``, ``srlib.images``);
each has a NumPy path that gives the same bytes and runs where numba is missing. This module
only imports numba, picks a fork-safe threading layer, and says when a kernel may use threads.
"""
from __future__ import annotations

import os
import threading

try:
    import numba
except ImportError:  # pragma: no cover - numba is a dependency; this keeps srlib importable without it
    numba = None
else:
    if "NUMBA_THREADING_LAYER" not in os.environ:
        # numba's default prefers GNU OpenMP where the system has it, and a process that used it
        # aborts on fork() (multiprocessing, data loaders). "forksafe" takes TBB if installed, else
        # numba's own workqueue, which must not be entered from two threads at once (use_threads).
        numba.config.THREADING_LAYER = "forksafe"

__all__ = ["numba", "use_threads", "THREADED_FROM"]

#: Output values from which a kernel runs on numba's threads (below: serial, no thread start-up).
THREADED_FROM: int = 1 << 16


def use_threads(values: int) -> bool:
    """Whether a kernel producing ``values`` outputs runs its threaded version.

    Only from the main thread: the workqueue layer must not be entered from two threads at once,
    and a data pipeline may call srlib from many (they run the serial version, which releases the
    GIL). Small outputs are faster serial.
    """
    return values >= THREADED_FROM and threading.current_thread() is threading.main_thread()

"""Latency of the method explorer's interactions.

:func:`widget_latency` (``srlib.widgets.widget_latency()``, also run by
``python -m srlib benchmark`` unless ``--no-widgets``) prints a summary line per
interaction: wall-clock median and 95th percentile, and the median CPU time,
which other work on a busy machine inflates less. The goal is < 100 ms per
interaction on 512 x 512.

Taught in ``01_interpolation_artifacts.ipynb`` (the explorer) - this module only measures it.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["widget_latency"]


def _summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    values = np.asarray([wall for wall, _ in samples], dtype=np.float64)
    cpu = np.asarray([cpu for _, cpu in samples], dtype=np.float64)
    return {"median_ms": round(float(np.median(values)), 2),
            "p95_ms": round(float(np.percentile(values, 95)), 2),
            "min_ms": round(float(values.min()), 2),
            "max_ms": round(float(values.max()), 2),
            "cpu_median_ms": round(float(np.median(cpu)), 2),
            "n": int(values.size)}


def _timed(action: Callable[[], None]) -> tuple[float, float]:
    """``(wall ms, CPU ms of this process)`` of one call; CPU time is less sensitive to a loaded machine."""
    started, cpu_started = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - started) * 1000.0, (time.process_time() - cpu_started) * 1000.0


def _benchmark_image(size: int) -> tuple[str, np.ndarray]:
    """A ``size`` x ``size`` photo (astronaut when srlib.data has it), else the Siemens star."""
    try:
        from srlib.data import default_images

        photos = default_images()
        name = "astronaut" if "astronaut" in photos else next(iter(photos))
        photo = np.asarray(photos[name])
        if min(photo.shape[:2]) >= size:
            top, left = (photo.shape[0] - size) // 2, (photo.shape[1] - size) // 2
            return name, photo[top:top + size, left:left + size]
    except (ImportError, StopIteration, ValueError, OSError):
        pass
    from srlib.patterns import pattern

    return "siemens_star", pattern("siemens_star", size)


def widget_latency(n: int = 20, *, n_cold: int = 10, size: int = 512,
                   methods: tuple[str, ...] = ("nearest", "bilinear", "lanczos3"),
                   verbose: bool = True) -> dict[str, Any]:
    """Measure the explorer's time per interaction on a ``size`` x ``size`` image.

    Three kinds of interaction, each timed from setting a control's ``.value``
    to the new PNGs/HTML being set (what a learner waits for, less the
    browser's transfer and decoding):

    * ``cold``: change the scale with an empty cache (the worst case: LR, ground-truth
      luma and SSIM moments, upscaling with bicubic + ``methods``, PSNR/SSIM,
      spectra, difference maps, rendering and PNG encoding);
    * ``cached``: change the scale among already computed settings;
    * ``zoom``: move the zoom box (re-renders panels and difference maps).

    Parameters
    ----------
    n : int
        Samples for the cached and zoom interactions.
    n_cold : int
        Samples for the cold interaction (each recomputes everything).
    size : int
        Side of the square test image.
    methods : tuple of str
        Methods selected besides bicubic.
    verbose : bool
        Print a summary line per interaction.

    Returns
    -------
    dict
        ``{"image": name, "shape": [h, w, 3], "methods": [...], "cold": stats,
        "cached": stats, "zoom": stats}`` where each stats is
        ``{"median_ms", "p95_ms", "min_ms", "max_ms", "n"}``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    for label, value, minimum in (("n", n, 1), ("n_cold", n_cold, 1), ("size", size, 48)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
            raise ValueError(f"{label} must be an integer >= {minimum}, got {value!r}")
    from srlib.widgets._explorer import SCALES, MethodExplorer

    name, image = _benchmark_image(int(size))
    explorer = MethodExplorer({name: image}, scale=SCALES[0], methods=methods, size=int(size))
    scale = explorer.scale_dropdown

    cold = []
    for index in range(n_cold):
        explorer.clear_cache()
        target = SCALES[(index + 1) % len(SCALES)]
        if scale.value == target:
            target = SCALES[(index + 2) % len(SCALES)]
        cold.append(_timed(lambda t=target: setattr(scale, "value", t)))

    for target in SCALES:  # warm every scale
        scale.value = target
    cached = []
    for index in range(n):
        cached.append(_timed(lambda t=SCALES[index % len(SCALES)]: setattr(scale, "value", t)
                             if scale.value != t else setattr(scale, "value", SCALES[(index + 1) % len(SCALES)])))

    zoom = []
    span = max(1, explorer.zoom_x.max)
    for index in range(n):
        position = (index * 37 + 11) % span
        if position == explorer.zoom_x.value:
            position = (position + 1) % span
        zoom.append(_timed(lambda p=position: setattr(explorer.zoom_x, "value", p)))

    if explorer.last_error is not None:
        raise RuntimeError(f"the explorer failed during the benchmark: {explorer.last_error!r}")
    result = {"image": name, "shape": list(explorer.ground_truth().shape), "methods": ["bicubic", *methods],
              "cold": _summary(cold), "cached": _summary(cached), "zoom": _summary(zoom)}
    if verbose:
        for kind in ("cold", "cached", "zoom"):
            stats = result[kind]
            print(f"explorer {kind:>6}: median {stats['median_ms']:7.1f} ms, p95 {stats['p95_ms']:7.1f} ms, "
                  f"CPU {stats['cpu_median_ms']:7.1f} ms (n={stats['n']}, {name} {size}x{size}, "
                  f"{len(result['methods'])} methods)")
    return result

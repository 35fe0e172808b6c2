"""Speed benchmark behind ``make benchmark``: inference cost per output megapixel vs the FLOP count.

For each model and scale: the median CPU time to upscale a ``size x size`` LR image
(warm, after one untimed call) through the same path as ``srlib.upscale`` - the network
alone (:func:`srlib.inference.run_model` on the Y channel) and end to end (colour
conversion, bicubic chroma) - next to MATLAB-bicubic ``srlib.resize.imresize``; the
model's multiply-adds per output pixel (:func:`srlib.models.macs_per_output_pixel`),
the GFLOP/s that implies (2 FLOPs per multiply-add) and its fraction of this CPU's
measured float32 peak; training throughput (patches/s of the NumPy pipeline and of
Keras ``train_on_batch`` steps).

Peak method: the best of several ``numpy`` float32 matrix products ``n x n @ n x n``
(``2 n^3`` FLOPs; BLAS on all cores), measured in the same run before and after the
models (the higher counts) - a practical peak that the same machine reaches with a
well-tuned kernel, not the datasheet number. It runs in a subprocess without the
variables that pin OpenBLAS to another kernel than the CPU's best
(``OPENBLAS_CORETYPE``, ``OPENBLAS_L2_SIZE``, ...: :data:`BLAS_OVERRIDES`): a machine that
forces an AVX2 kernel on an AVX-512 CPU would otherwise report half its peak and
fractions of it twice too high. The result names the kernel that ran
(``threadpoolctl``) and the CPU's vector extensions.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import dataclasses
import os
import platform
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["matmul_peak_gflops", "median_seconds", "benchmark_model", "benchmark", "markdown_table", "PEAK_METHOD",
           "BLAS_OVERRIDES", "blas_info", "cpu_vector_extensions"]

PEAK_METHOD = ("best of {repeats} float32 numpy matmuls of {n}x{n} (2 n^3 FLOPs each, BLAS {kernel} kernel, "
               "all cores), measured in the same run (before and after the models; the higher is used)")

#: Environment variables that pin OpenBLAS (or its thread count) to something other than what it
#: picks for this CPU; the peak probe runs without them.
BLAS_OVERRIDES: tuple[str, ...] = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_VERBOSE",
                                   "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GOTO_NUM_THREADS")


def blas_info() -> dict[str, Any]:
    """The BLAS that numpy runs here: library, version, kernel architecture and threads.

    From ``threadpoolctl`` (empty strings where it cannot tell).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    from threadpoolctl import threadpool_info

    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    # numpy's own BLAS first (scipy may load another copy; numpy's runs the matmul)
    pools.sort(key=lambda pool: "numpy" not in str(pool.get("filepath", "")))
    if not pools:
        return {"internal_api": "", "version": "", "architecture": "", "num_threads": 0}
    return {key: pools[0].get(key, "") for key in ("internal_api", "version", "architecture", "num_threads")}


def cpu_vector_extensions() -> list[str]:
    """The SIMD extensions this CPU reports that set a float32 peak (``/proc/cpuinfo``; Linux).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    try:
        text = open("/proc/cpuinfo", encoding="utf-8").read()
    except OSError:
        return []
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), [])
    return [flag for flag in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile") if flag in flags]


def _probe_peak(n: int, repeats: int) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    a = rng.random((n, n), dtype=np.float32)
    b = rng.random((n, n), dtype=np.float32)
    a @ b  # warm BLAS threads
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return {"gflops": 2.0 * n**3 / best / 1e9, "blas": blas_info()}


def median_seconds(action: Callable[[], Any], *, repeats: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``action()`` over ``repeats`` calls after ``warmup`` untimed calls.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError(f"repeats must be >= 1 and warmup >= 0, got repeats={repeats!r}, warmup={warmup!r}")
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def matmul_peak_gflops(n: int = 1024, repeats: int = 5, *, isolated: bool = True) -> dict[str, Any]:
    """This CPU's practical float32 peak: the best of ``repeats`` ``n x n`` numpy matmuls.

    Parameters
    ----------
    n, repeats : int
        Matrix side and number of timed products.
    isolated : bool
        Measure in a fresh Python process without the variables of :data:`BLAS_OVERRIDES`, so
        OpenBLAS picks its best kernel for this CPU and all its threads (default). If that process
        fails (a kernel the CPU cannot run), or with ``isolated=False``, measure here instead.

    Returns
    -------
    dict
        ``{"gflops", "n", "repeats", "method", "blas", "isolated", "removed", "cpu_extensions",
        "here"}``: ``blas`` is the probe's :func:`blas_info` (``architecture`` names the kernel),
        ``removed`` the override variables it ran without, ``here`` this process's own BLAS.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    if n < 16 or repeats < 1:
        raise ValueError(f"n must be >= 16 and repeats >= 1, got n={n!r}, repeats={repeats!r}")
    removed = sorted(name for name in BLAS_OVERRIDES if name in os.environ)
    probe = None
    if isolated:
        import json
        import subprocess
        import sys

        env = {key: value for key, value in os.environ.items() if key not in BLAS_OVERRIDES}
        # the probe imports numpy and threadpoolctl only (this file by path, not the srlib package)
        code = ("import importlib.util, json, sys; spec = importlib.util.spec_from_file_location('probe', sys.argv[1]); "
                "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); "
                f"print(json.dumps(m._probe_peak({int(n)}, {int(repeats)})))")
        try:
            done = subprocess.run([sys.executable, "-c", code, __file__], env=env, capture_output=True, text=True,
                                  timeout=600, check=True)
            probe = json.loads(done.stdout.strip().splitlines()[-1])
        except (subprocess.SubprocessError, OSError, ValueError, IndexError):
            probe = None  # e.g. the CPU cannot run the kernel OpenBLAS picks: measure as configured
    measured = probe if probe is not None else _probe_peak(n, repeats)
    kernel = measured["blas"].get("architecture") or "unknown"
    return {"gflops": measured["gflops"], "n": n, "repeats": repeats,
            "method": PEAK_METHOD.format(n=n, repeats=repeats, kernel=kernel),
            "blas": measured["blas"], "isolated": probe is not None, "removed": removed if probe else [],
            "cpu_extensions": cpu_vector_extensions(), "here": blas_info()}


def _test_image(size: int) -> np.ndarray:
    """A deterministic textured uint8 RGB image (timing does not depend on content)."""
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    base = 0.5 + 0.25 * np.sin(40 * xx * yy) + 0.1 * rng.standard_normal((size, size)).astype(np.float32)
    rgb = np.stack([base, 0.8 * base + 0.1, 1.0 - base], axis=2)
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def benchmark_model(name: str, scale: int, *, size: int = 256, repeats: int = 5, train_steps: int = 5,
                    train_batch: int = 16, peak_gflops: float | None = None) -> dict[str, Any]:
    """Time one model at one scale (randomly initialised: speed does not depend on the weights).

    Parameters
    ----------
    name : str
        One of :data:`srlib.models.MODEL_NAMES`.
    scale : int
        The scale.
    size : int
        Side of the square LR input.
    repeats : int
        Timed repeats (the median is reported).
    train_steps : int
        Timed ``train_on_batch`` steps (0 skips the training measurement).
    train_batch : int
        Patches per training step (default patch sizes of the model registry).
    peak_gflops : float, optional
        CPU peak for the ``peak_fraction`` column.

    Returns
    -------
    dict
        ``model, scale, parameters, macs_per_output_pixel, output_megapixels,
        network_ms_per_mp, upscale_ms_per_mp, bicubic_ms_per_mp, pil_bicubic_ms_per_mp (the same
        enlargement by PIL, the speed peer: other weights, not MATLAB's), gflops, peak_fraction,
        train_patches_per_s, pipeline_patches_per_s``.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """

    from srlib.images import rgb_to_ycbcr, to_float
    from srlib.inference import run_model
    from srlib.models import PRE_UPSAMPLING, build_model, macs_per_output_pixel, upsampling
    from srlib.data import PairedPatches, patches_per_second
    from srlib.resize import imresize
    from srlib.training import PixelLoss, TrainConfig, check_config
    from srlib.upscale import upscale

    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 8:
        raise ValueError(f"size must be an integer >= 8, got {size!r}")
    model = build_model(name, scale)
    lr_rgb = _test_image(int(size))
    if int(model.inputs[0].shape[-1]) == 3:  # an RGB model (SRResNet): the network sees the RGB image
        channels = to_float(lr_rgb).astype(np.float32)
    else:  # a Y model: the luma channel, as upscale feeds it
        channels = rgb_to_ycbcr(to_float(lr_rgb))[:, :, 0].astype(np.float32)
    pre = upsampling(model) == PRE_UPSAMPLING
    network_input = imresize(channels, float(scale)).astype(np.float32) if pre else channels
    out_mp = (size * scale) ** 2 / 1e6
    network_s = median_seconds(lambda: run_model(model, network_input), repeats=repeats)
    upscale_s = median_seconds(lambda: upscale(model, lr_rgb, scale), repeats=repeats)
    bicubic_s = median_seconds(lambda: upscale("bicubic", lr_rgb, scale), repeats=repeats)
    from PIL import Image  # the peer for the resize: PIL's bicubic (other weights, fixed point, one thread)

    pil_image, pil_size = Image.fromarray(lr_rgb), (int(size) * int(scale),) * 2
    pil_s = median_seconds(lambda: pil_image.resize(pil_size, Image.BICUBIC), repeats=repeats)
    macs = float(macs_per_output_pixel(model))
    gflops = 2.0 * macs * out_mp * 1e6 / network_s / 1e9
    row: dict[str, Any] = {
        "model": name, "scale": int(scale), "parameters": int(model.count_params()),
        "macs_per_output_pixel": macs, "input": [int(size), int(size)], "output_megapixels": out_mp,
        "network_ms_per_mp": 1000 * network_s / out_mp, "upscale_ms_per_mp": 1000 * upscale_s / out_mp,
        "bicubic_ms_per_mp": 1000 * bicubic_s / out_mp, "pil_bicubic_ms_per_mp": 1000 * pil_s / out_mp,
        "gflops": gflops,
        "peak_fraction": gflops / peak_gflops if peak_gflops else None,
    }
    config = check_config(TrainConfig(model=name, scale=scale, out="unused", steps=1))
    lr_patch = int(config.patch_size) // int(scale)
    sampler = PairedPatches({"bench": _test_image(max(4 * lr_patch * scale, 128))}, scale, lr_patch,
                            pre_upsample=pre, seed=0, channels="rgb" if network_input.ndim == 3 else "y")
    row["train_patch_hr"] = int(config.patch_size)
    row["pipeline_patches_per_s"] = patches_per_second(sampler, batch_size=train_batch, batches=10)["patches_per_s"]
    if train_steps > 0:
        trainer = PixelLoss().build(dataclasses.replace(config, lr=1e-4)).trainer  # what `train` runs
        inputs, targets = sampler.batch(0, train_batch)
        step_s = median_seconds(lambda: trainer.train_on_batch(inputs, targets), repeats=int(train_steps), warmup=2)
        row["train_patches_per_s"] = train_batch / step_s
    else:
        row["train_patches_per_s"] = None
    return row


def _machine() -> dict[str, Any]:
    from srlib.training import hardware_summary

    info = hardware_summary()
    info["numpy"] = np.__version__
    info["platform"] = platform.platform(terse=True)
    info["cpu_count"] = os.cpu_count()
    return info


def benchmark(models: Sequence[str] | None = None, scales: Sequence[int] | None = None, *,
              size: int = 256, repeats: int = 5, train_steps: int = 5, peak_n: int = 1024,
              widgets: bool = True, verbose: bool = True) -> dict[str, Any]:
    """Run the whole speed benchmark.

    Parameters
    ----------
    models, scales : sequences, optional
        What to time (default: every registered model, :data:`srlib.models.MODEL_NAMES`,
        at every course scale, :data:`srlib.models.SCALES`).
    size, repeats, train_steps :
        See :func:`benchmark_model`.
    peak_n : int
        Matrix side for :func:`matmul_peak_gflops`.
    widgets : bool
        Also time the method explorer's interactions with
        :func:`srlib.widgets.widget_latency`, lesson 05's alpha slider
        (:func:`srlib.widgets.interpolation_latency`) and lesson 06's degradation sliders
        (:func:`srlib.widgets.degradation_latency`).
    verbose : bool
        Print one line per model and scale.

    Returns
    -------
    dict
        ``{"machine", "peak", "settings", "rows", "widgets", "degradations"}`` (JSON-serialisable;
        ``degradations`` from :func:`srlib.data.degradation_speed`).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    from srlib._checks import check_scale
    from srlib.models.registry import MODEL_NAMES, SCALES, check_model_name

    models = [check_model_name(name) for name in (MODEL_NAMES if models is None else models)]
    scales = [check_scale(scale, supported=SCALES, name="every entry of scales")
              for scale in (SCALES if scales is None else scales)]
    peak = matmul_peak_gflops(peak_n, repeats=10)
    rows = []
    for name in models:
        for scale in scales:
            row = benchmark_model(name, int(scale), size=size, repeats=repeats, train_steps=train_steps,
                                  peak_gflops=peak["gflops"])
            rows.append(row)
            if verbose:
                print(f"{name} x{scale}: {row['network_ms_per_mp']:.0f} ms/MP network, "
                      f"{row['upscale_ms_per_mp']:.0f} ms/MP upscale, bicubic {row['bicubic_ms_per_mp']:.0f} ms/MP, "
                      f"{row['gflops']:.1f} GFLOP/s = {100 * row['peak_fraction']:.0f}% of peak", flush=True)
    # measured again at the end: on a shared machine the best of both is the fairer peak
    peak_end = matmul_peak_gflops(peak_n, repeats=10)
    if peak_end["gflops"] > peak["gflops"]:
        for row in rows:
            row["peak_fraction"] = row["gflops"] / peak_end["gflops"]
    peak = {**(peak_end if peak_end["gflops"] > peak["gflops"] else peak),
            "start_gflops": peak["gflops"], "end_gflops": peak_end["gflops"]}
    result: dict[str, Any] = {
        "machine": _machine(), "peak": peak,
        "settings": {"lr_input": [size, size], "repeats": repeats, "statistic": "median, warm (1 untimed call)",
                     "train_steps": train_steps,
                     "network": "srlib.inference.run_model on the Y channel (SRCNN: on the bicubic-upscaled Y; "
                                "SRResNet: on RGB)",
                     "upscale": "srlib.upscale(model, lr_rgb, scale): Y through the model, CbCr bicubic",
                     "bicubic": "srlib.upscale('bicubic', lr_rgb, scale): MATLAB imresize on RGB"},
        "rows": rows, "widgets": None,
    }
    from srlib.data import degradation_speed  # patches/s of each degradation on 96-px HR patches, x4, one thread

    result["degradations"] = degradation_speed(count=max(4, 8 * int(repeats)))
    if widgets:
        from srlib.widgets import widget_latency

        result["widgets"] = widget_latency(verbose=verbose)
        from srlib.widgets import interpolation_latency

        result["interpolation_widget"] = interpolation_latency(256)  # lesson 05's alpha slider, 256x256 output
        if verbose:
            print(f"interpolation widget, 256x256: {result['interpolation_widget']['cold_ms']:.0f} ms per new alpha, "
                  f"{result['interpolation_widget']['warm_ms']:.0f} ms per visited one", flush=True)
        from srlib.widgets import degradation_latency

        result["degradation_widget"] = degradation_latency()  # lesson 06's degradation sliders, 256x256 HR, x4
        if verbose:
            timing = result["degradation_widget"]
            stand_ins = f" (stand-ins: {timing['stand_ins']})" if timing["stand_ins"] else ""
            print(f"degradation widget, 256x256 x4, {' + '.join(timing['models'])}{stand_ins}: "
                  f"{timing['cold_ms']:.0f} ms per new setting, {timing['warm_ms']:.0f} ms per visited one",
                  flush=True)
    return result


def markdown_table(result: dict[str, Any]) -> str:
    """The benchmark as a Markdown table (one row per model and scale).

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    peak = result["peak"]
    lines = [
        f"CPU: {result['machine'].get('cpu')} ({result['machine'].get('cpu_count')} cores); "
        f"float32 peak {peak['gflops']:.0f} GFLOP/s ({peak['method']}"
        f"{'; without ' + ', '.join(peak['removed']) if peak.get('removed') else ''}"
        f"{'; CPU: ' + ' '.join(peak['cpu_extensions']) if peak.get('cpu_extensions') else ''}). "
        f"LR input {result['settings']['lr_input'][0]}x{result['settings']['lr_input'][1]}, median of "
        f"{result['settings']['repeats']} warm runs.",
        "",
        "| model | scale | params | MACs / out px | network ms/MP | upscale ms/MP | bicubic ms/MP "
        "| PIL bicubic ms/MP | GFLOP/s | % of peak | train patches/s | pipeline patches/s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        train = row.get("train_patches_per_s")
        pil = row.get("pil_bicubic_ms_per_mp")
        fraction = row.get("peak_fraction")
        lines.append(
            f"| {row['model']} | x{row['scale']} | {row['parameters']:,} | {row['macs_per_output_pixel']:,.0f} | "
            f"{row['network_ms_per_mp']:.0f} | {row['upscale_ms_per_mp']:.0f} | {row['bicubic_ms_per_mp']:.0f} | "
            f"{'-' if pil is None else f'{pil:.0f}'} | "
            f"{row['gflops']:.1f} | {'-' if fraction is None else f'{100 * fraction:.0f}%'} | "
            f"{'-' if train is None else f'{train:,.0f}'} | {row['pipeline_patches_per_s']:,.0f} |")
    degradations = result.get("degradations")
    if degradations:
        lines += ["", "Degradation patches/s (96-px HR patches, x4, one thread): " + ", ".join(
            f"{name} {row['patches_per_s']:,.0f}" for name, row in degradations.items())]
    widgets = result.get("widgets")
    if widgets:
        parts = [f"{key} {value['median_ms']:.0f} ms" for key, value in widgets.items()
                 if isinstance(value, dict) and "median_ms" in value]
        lines += ["", "Widget latency (median per interaction): " + ", ".join(parts)]
    alpha = result.get("interpolation_widget")
    if alpha:
        lines += ["", f"Network-interpolation widget (lesson 05, {alpha['size']}x{alpha['size']} output): "
                      f"{alpha['cold_ms']:.0f} ms per new alpha, {alpha['warm_ms']:.0f} ms per visited one"]
    explorer = result.get("degradation_widget")
    if explorer:
        lines += ["", f"Degradation explorer (lesson 06, {explorer['shape'][0]}x{explorer['shape'][1]} HR, "
                      f"x{explorer['scale']}, {' + '.join(explorer['models'])}): {explorer['cold_ms']:.0f} ms per new "
                      f"setting, {explorer['warm_ms']:.1f} ms per visited one"]
    return "\n".join(lines)

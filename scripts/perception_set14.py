"""NIQE and the grid measure beside Y-PSNR/SSIM for the shipped x4 methods on Set14 (or Set5).

Usage, from the repository root (Set14 is not shipped; the course's build machine has it in
``../shared/datasets/Set14``)::

    python scripts/perception_set14.py [../shared/datasets/Set14] [benchmarks/perception_set14_x4.json]
    python scripts/perception_set14.py ../shared/datasets/Set5 benchmarks/perception_set5_x4.json

Writes the JSON and, beside it, the perception-distortion figure (``.png``). Set5's images hold
4-25 NIQE blocks each: its NIQE is unreliable, report Set14's. The rows
``alpha 0.25 / 0.50 / 0.75`` are network interpolations between the shipped SRResNet and its GAN.

Protocol: that of :func:`srlib.evaluate` (``protocol="rgb"``): HR = ``modcrop(hr, 4)``, LR =
:func:`srlib.data.make_lr`, SR = ``srlib.upscale(method, lr, 4)``; PSNR/SSIM on MATLAB's Y with
``border=4``; grey HR images (Set14's bridge, face, man, ...) are taken as Y and the SR result
is mapped back to one channel with :func:`srlib.evaluate.gray_from_rgb`, so the PSNR/SSIM
means equal ``benchmarks/evaluate_rgb.json``. NIQE (``crop_border=4``, the same shave) and
the grid (period 4, whole image) score that same Y. The ``hr`` row scores the ground truth itself. The file also
times NIQE and the grid on 256x256 and 512x512 crops of this machine's images.
"""
from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

import numpy as np

import srlib
from srlib._checks import to_jsonable
from srlib.bench import median_seconds
from srlib.data import load_folder, make_lr
from srlib.evaluate import gray_from_rgb
from srlib.images import modcrop
from srlib.metrics import grid_artifact, niqe, psnr, ssim
from srlib.niqe import BLOCK_SIZE

SCALE = 4
METHODS = ("bicubic", "srcnn", "fsrcnn", "espcn", "srresnet", "srresnet_gan")
#: Network-interpolation weights scored between the shipped srresnet (0) and srresnet_gan (1) (lesson 05).
ALPHAS = (0.25, 0.5, 0.75)


def _scores(hr: np.ndarray, sr: np.ndarray) -> dict[str, float]:
    if hr.ndim == 2:
        sr = gray_from_rgb(sr)
    return {"psnr": psnr(hr, sr, border=SCALE), "ssim": ssim(hr, sr, border=SCALE),
            "niqe": niqe(sr, crop_border=SCALE), "grid": grid_artifact(sr, SCALE)}


def _timings(image: np.ndarray) -> dict[str, float]:
    crops = {size: np.ascontiguousarray(image[:size, :size]) for size in (256, 512)}
    result = {}
    for size, crop in crops.items():
        result[f"niqe_{size}_ms"] = 1000 * median_seconds(lambda crop=crop: niqe(crop), repeats=7)
        result[f"grid_{size}_ms"] = 1000 * median_seconds(lambda crop=crop: grid_artifact(crop), repeats=7)
    return result


def main(folder: str = "../shared/datasets/Set14", output: str = "benchmarks/perception_set14_x4.json") -> int:
    images = {name: modcrop(hr, SCALE) for name, hr in load_folder(folder, grayscale="keep").items()}
    rows: dict[str, dict[str, dict[str, float]]] = {"hr": {}}
    for name, hr in images.items():
        rows["hr"][name] = {"psnr": float("inf"), "ssim": 1.0, "niqe": niqe(hr, crop_border=SCALE),
                            "grid": grid_artifact(hr, SCALE)}
    from srlib.models import Interpolator

    methods: dict[str, object] = {method: method for method in METHODS}
    interpolator = Interpolator(srlib.pretrained.load("srresnet", SCALE), srlib.pretrained.load("srresnet_gan", SCALE))
    for method, model in methods.items():
        rows[method] = {}
        for name, hr in images.items():
            rows[method][name] = _scores(hr, srlib.upscale(model, make_lr(hr, SCALE), SCALE))
        print(method, "done", flush=True)
    for alpha in ALPHAS:
        method = f"alpha {alpha:.2f}"
        model = interpolator.at(alpha)
        rows[method] = {name: _scores(hr, srlib.upscale(model, make_lr(hr, SCALE), SCALE))
                        for name, hr in images.items()}
        print(method, "done", flush=True)
    mean = {method: {key: float(np.mean([row[key] for row in per_image.values()]))
                     for key in ("psnr", "ssim", "niqe", "grid")} for method, per_image in rows.items()}
    blocks = {name: ((hr.shape[0] - 2 * SCALE) // BLOCK_SIZE) * ((hr.shape[1] - 2 * SCALE) // BLOCK_SIZE)
              for name, hr in images.items()}
    largest = max((image for image in images.values() if image.ndim == 3), key=lambda image: image.size)
    timing_source = np.asarray(srlib.imresize(largest, output_shape=(512, 512)))
    report = {
        "dataset": Path(folder).name, "scale": SCALE,
        "interpolation": "alpha a: weights (1 - a) * srresnet + a * srresnet_gan (srlib.models.Interpolator)",
        "protocol": "make_lr (MATLAB bicubic, uint8); Y-PSNR/SSIM border 4; NIQE crop_border 4; grid period 4",
        "mean": mean, "images": rows, "niqe_blocks_per_image": blocks,
        "timing": {"image": "the largest colour Set14 image resized to 512x512, then 256x256 / 512x512 crops",
                   **_timings(timing_source), "machine": platform.platform(terse=True),
                   "cpu": platform.processor() or platform.machine(), "cpu_count": os.cpu_count(),
                   "note": "a 2-core machine shared with other jobs: treat as an upper bound"},
    }
    Path(output).write_text(json.dumps(to_jsonable(report, digits=6), indent=1) + "\n")
    from srlib.plots import plot_perception_distortion

    path = ["srresnet", *(f"alpha {alpha:.2f}" for alpha in ALPHAS), "srresnet_gan"]
    points = {name: (values["psnr"], values["niqe"]) for name, values in mean.items() if name != "hr"}
    figure = plot_perception_distortion(points, path=path, title=f"{report['dataset']} x{SCALE}: up = more natural "
                                        f"(NIQE), right = closer to the ground truth (Y-PSNR)")
    figure.savefig(Path(output).with_suffix(".png"), dpi=110, bbox_inches="tight")
    print(f"{'method':12s} {'PSNR':>7s} {'SSIM':>7s} {'NIQE':>6s} {'grid':>6s}")
    for method, values in mean.items():
        print(f"{method:12s} {values['psnr']:7.3f} {values['ssim']:7.4f} {values['niqe']:6.3f} {values['grid']:6.4f}")
    print(json.dumps(to_jsonable(report["timing"], digits=2)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))

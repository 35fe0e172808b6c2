"""``python -m srlib evaluate``: the SR-literature table for image folders.

Example (the bicubic rows of every SR paper)::

    python -m srlib evaluate --data Set5 Set14 --scale 2 3 4 --method bicubic --json out.json

prints a Markdown table (dataset x scale, PSNR/SSIM of each method beside
bicubic) and optionally writes all per-image rows as JSON.

Taught in ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from srlib._checks import check_output_file

__all__ = ["add_parser", "run", "markdown_table", "PROTOCOL", "PROTOCOL_Y"]

PROTOCOL = ("HR modcrop(scale); LR = MATLAB-bicubic imresize(HR, 1/scale) with antialiasing, uint8 RGB; "
            "SR = srlib.upscale(method, LR, scale); PSNR/SSIM on MATLAB rgb2ycbcr Y (uint8), "
            "border = scale; grayscale HR scored as Y directly; SSIM: Gaussian 11x11, sigma 1.5, K = (0.01, 0.03)")


PROTOCOL_Y = ("SRCNN demo_SR.m reference: HR modcrop(scale); Y = MATLAB rgb2ycbcr (uint8; grayscale HR "
              "taken as Y); LR = imresize(Y/255, 1/scale) bicubic, float; SR = imresize(LR, scale, method) rounded "
              "to uint8; PSNR/SSIM on Y, border = scale")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``evaluate`` sub-command. Taught in ``02_degradation_and_evaluation.ipynb``."""
    parser = subparsers.add_parser(
        "evaluate", help="PSNR/SSIM of upscaling methods beside bicubic (SR-literature protocol)",
        description="Score methods on folders of HR images with the SR-literature protocol "
                    "(MATLAB bicubic LR, Y channel, border = scale), always beside the bicubic baseline.")
    parser.add_argument("--data", nargs="+", required=True, metavar="DIR",
                        help="folders of HR images (e.g. Set5 Set14); the folder name is the dataset name")
    parser.add_argument("--scale", nargs="+", type=int, default=[2, 3, 4], metavar="S",
                        help="integer scale factors (default: 2 3 4)")
    parser.add_argument("--method", nargs="+", default=["bicubic"], metavar="M",
                        help="interpolation names (bicubic, bilinear, lanczos3, ...) or pretrained "
                             "models (srcnn, fsrcnn, espcn); default: bicubic")
    parser.add_argument("--baseline", default="bicubic", help="baseline method (default: bicubic)")
    parser.add_argument("--protocol", choices=("rgb", "y"), default="rgb",
                        help="rgb (default): uint8 RGB LR images, as models receive them; y: SRCNN's "
                             "Y-channel-only reference pipeline of the papers' test scripts (float LR Y, rounded once)")
    parser.add_argument("--degradation", nargs="+", default=["bicubic"], metavar="NAME",
                        help="bicubic (default: the protocol's clean LR) and/or degraded benchmarks: classical, "
                             "realesrgan or bsrgan - each image degraded once, seeded by --degradation-seed and its "
                             "name, the same LR on every machine (lesson 06); several names score each setting")
    parser.add_argument("--degradation-seed", type=int, default=0, metavar="N",
                        help="seed of the degraded benchmark (default 0)")
    parser.add_argument("--save-lr", type=Path, default=None, metavar="DIR",
                        help="also write the LR images of each folder and scale, their plans and SHA-256 to "
                             "DIR/<dataset>_x<scale>_<degradation>/ (srlib.data.write_degraded_benchmark)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="write per-image results as JSON to FILE")
    parser.set_defaults(func=run)
    return parser


def markdown_table(records: list[dict[str, Any]], baseline: str = "bicubic") -> str:
    """Markdown table, one row per (dataset, scale), PSNR/SSIM per method beside the baseline.

    Parameters
    ----------
    records : list of dict
        The ``results`` entries written to JSON (see :func:`run`).
    baseline : str
        Name of the baseline column.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    methods = [baseline]
    for record in records:
        if record["method"] not in methods:
            methods.append(record["method"])
    keys: list[tuple[str, int]] = []
    cells: dict[tuple[str, int, str], tuple[Any, Any]] = {}
    for record in records:
        degraded = record.get("degradation")
        label = record["dataset"] if not degraded else f"{record['dataset']} ({degraded['name']}, seed {degraded['seed']})"
        key = (label, record["scale"])
        if key not in keys:
            keys.append(key)
        cells[(*key, baseline)] = (record["baseline"]["psnr"], record["baseline"]["ssim"])
        cells[(*key, record["method"])] = (record["mean"]["psnr"], record["mean"]["ssim"])
    header = "| Dataset | Scale | " + " | ".join(f"{m} PSNR | {m} SSIM" for m in methods) + " |"
    rule = "| --- | --- | " + " | ".join("---: | ---:" for _ in methods) + " |"
    lines = [header, rule]
    for dataset, scale in keys:
        values = []
        for m in methods:
            p, s = cells.get((dataset, scale, m), ("", ""))
            values.append(f"{_fmt(p, 2)} | {_fmt(s, 4)}")
        lines.append(f"| {dataset} | x{scale} | " + " | ".join(values) + " |")
    return "\n".join(lines)


def _fmt(value: Any, digits: int) -> str:
    if isinstance(value, (int, float)):
        return f"{value:.{digits}f}"
    return str(value)


def run(args: argparse.Namespace) -> int:
    """Run the evaluation; print the Markdown table; write JSON if asked. Returns 0.

    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    from srlib import __version__
    from srlib.evaluate import evaluate

    folders = [Path(folder) for folder in args.data]
    for folder in folders:
        if not folder.is_dir():
            raise FileNotFoundError(f"--data {str(folder)!r} is not a folder of images")
    if args.json is not None:  # refuse a bad --json before the work, not after
        check_output_file(args.json, "--json")
    records: list[dict[str, Any]] = []
    degradations = getattr(args, "degradation", ["bicubic"])
    degradations = [degradations] if isinstance(degradations, str) else list(degradations)
    seed = getattr(args, "degradation_seed", 0)
    for folder in folders:
        for degradation in degradations:
            for method in args.method:
                result = evaluate(method, folder, scales=args.scale, baseline=args.baseline,
                                  dataset=folder.name, protocol=args.protocol, degradation=degradation,
                                  degradation_seed=seed)
                records.extend(result.to_records())
            if getattr(args, "save_lr", None) is not None:
                from srlib.data import write_degraded_benchmark

                for scale in args.scale:
                    target = args.save_lr / f"{folder.name}_x{scale}_{degradation.lower()}"
                    write_degraded_benchmark(folder, target, scale, degradation, seed=seed)
                    print(f"wrote {target}", file=sys.stderr)
    table = markdown_table(records, baseline=args.baseline)
    print(table)
    if args.json is not None:
        protocol = PROTOCOL if args.protocol == "rgb" else PROTOCOL_Y
        degraded = [name.lower() for name in degradations if name.lower() != "bicubic"]
        if degraded:
            protocol += (f"; degraded benchmarks ({', '.join(degraded)}): LR = srlib.data.fixed_degradation(HR, "
                         f"scale, NAME, seed={seed}, name=file stem), uint8 RGB, instead of the bicubic LR")
        payload = {"results": records, "protocol": protocol, "srlib_version": __version__,
                   "markdown": table}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 0

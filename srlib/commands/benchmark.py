"""``python -m srlib benchmark``: inference and training speed of every model beside bicubic.

Example (what ``make benchmark`` runs)::

    python -m srlib benchmark --json benchmarks/results.json

prints a Markdown table (ms per output megapixel of the network and of the whole
upscale, bicubic, multiply-adds per output pixel, GFLOP/s and fraction of the CPU's
measured peak, training patches/s) and optionally writes everything as JSON.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

import argparse
import json
import math

from srlib._checks import check_output_file, to_jsonable
from srlib.models.registry import MODEL_NAMES, SCALES
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``benchmark`` sub-command. Taught in ``04_fast_sr_networks.ipynb``."""
    parser = subparsers.add_parser(
        "benchmark", help="CPU speed of srcnn/fsrcnn/espcn vs bicubic, FLOPs and training throughput",
        description="Time inference per output megapixel (network and full upscale) beside MATLAB bicubic, "
                    "compare with the multiply-add count and this CPU's measured float32 peak, and measure "
                    "training patches/s.")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write all results as JSON")
    parser.add_argument("--models", nargs="+", default=list(MODEL_NAMES), metavar="M",
                        help=f"models to time (default: {' '.join(MODEL_NAMES)})")
    parser.add_argument("--scales", nargs="+", type=int, default=list(SCALES), metavar="S",
                        help=f"scales (default: {' '.join(map(str, SCALES))})")
    parser.add_argument("--size", type=int, default=256, help="side of the square LR input (default 256)")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats, median reported (default 5)")
    parser.add_argument("--train-steps", type=int, default=5,
                        help="timed training steps per model (0 skips training throughput)")
    parser.add_argument("--peak-n", type=int, default=1024, help="matrix side for the float32 peak (default 1024)")
    parser.add_argument("--no-widgets", action="store_true", help="skip the widget latency benchmark")
    parser.set_defaults(func=run)
    return parser




def run(args: argparse.Namespace) -> int:
    """Run ``python -m srlib benchmark``; returns the exit status. Taught in ``04_fast_sr_networks.ipynb``."""
    from srlib.bench import benchmark, markdown_table

    if args.size < 8 or args.repeats < 1 or args.train_steps < 0 or args.peak_n < 16:
        raise ValueError(f"need --size >= 8, --repeats >= 1, --train-steps >= 0, --peak-n >= 16; got "
                         f"{args.size}, {args.repeats}, {args.train_steps}, {args.peak_n}")
    if args.json is not None:  # refuse a bad --json before minutes of timing, not after
        check_output_file(args.json, "--json")
    result = benchmark(args.models, args.scales, size=args.size, repeats=args.repeats,
                       train_steps=args.train_steps, peak_n=args.peak_n, widgets=not args.no_widgets)
    print()
    print(markdown_table(result))
    if args.json is not None:
        args.json.write_text(json.dumps(to_jsonable(result), indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0

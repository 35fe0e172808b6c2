"""The Markdown model card of a training run, and the command line it records.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["model_card", "command_line"]


def model_card(summary: Mapping[str, Any]) -> str:
    """A Markdown model card from a :func:`train` summary.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    config = summary["config"]
    final = summary["final"] or {}
    data = summary["data"]
    hardware = summary["hardware"]
    name = f"{config['model']}_x{config['scale']}"
    command = config.get("command") or "(called from Python: srlib.training.train)"
    objective = (summary.get("objective") or {}).get("description") or "Adam, MSE loss"
    folders = data.get("images_per_folder") or {folder: data["images"] for folder in data["folders"]}
    rows = summary.get("rows") or []
    from srlib.models.registry import model_spec

    fed = "RGB" if model_spec(config["model"]).channels == 3 else "the Y channel (MATLAB rgb2ycbcr)"
    curve = "\n".join(f"| {int(r['step'])} | {r['loss']:.3g} | {r['val_psnr']:.2f} | {r['lr']:.2e} | "
                      f"{r['elapsed']:.0f} |" for r in rows)
    degradation = config.get("degradation") or "bicubic"
    made = ("LR made with srlib's MATLAB-compatible bicubic." if degradation == "bicubic" else
            f"LR made by the random `{degradation}` degradation (`srlib.data.get_degradation({degradation!r})`, "
            "published ranges), drawn anew for every training patch: a blind model.")
    lines = [
        f"# Model card: {name}",
        "",
        f"{config['model'].upper()} x{config['scale']} trained by `python -m srlib train` on {fed}, " + made,
        "",
        "## Command",
        "",
        f"```\n{command}\n```",
        "",
        "## Data",
        "",
        *[f"- `{folder}`: {count} images" for folder, count in folders.items()],
        f"- file list sha256: `{data.get('file_list_sha256')}`",
        f"- training images used: {summary['train_images']}; validation: {summary['validation']}: "
        f"{_some_names(summary['val_images'])}",
        f"- patches: HR {config['patch_size']} px (LR {config['patch_size'] // config['scale']} px), "
        f"random flips/rotations, flat-patch threshold {config['min_std']}, seed {config['seed']}",
        "",
        "## Training",
        "",
        f"- steps: {final.get('steps')} of {config['steps']} (stopped by: {final.get('stop_reason')}), "
        f"batch {config['batch_size']}, {objective}",
        f"- learning rate: {config['lr']:g}, schedule `{config['schedule']}`"
        + (f" over a {config['max_minutes']:g}-minute budget" if config.get("max_minutes") else ""),
        f"- wall time: {final.get('wall_time_s', float('nan')):.0f} s; "
        f"{final.get('steps_per_s', float('nan')):.1f} steps/s = "
        f"{final.get('patches_per_s', float('nan')):.0f} patches/s",
        f"- hardware: {hardware.get('accelerator')}; CPU {hardware.get('cpu')} ({hardware.get('cpu_count')} "
        f"cores); Keras {hardware.get('keras')} on {hardware.get('backend')}",
        f"- parameters: {final.get('parameters')}; multiply-adds per output pixel: "
        f"{final.get('macs_per_output_pixel', float('nan')):.0f}",
        "",
        "## Result (validation, held-aside images, Y-PSNR, border = scale)",
        "",
        f"- {config['model']}: {final.get('val_psnr', float('nan')):.2f} dB; bicubic: "
        f"{final.get('bicubic_psnr', float('nan')):.2f} dB; gain {final.get('gain_db', float('nan')):+.2f} dB",
        "- Benchmark numbers on Set5/Set14: `python -m srlib evaluate` (never used for tuning).",
        "",
        "## Learning curve",
        "",
        "| step | loss | val PSNR (dB) | lr | elapsed (s) |",
        "| --- | --- | --- | --- | --- |",
        curve,
        "",
    ]
    return "\n".join(lines)


def _some_names(names: Sequence[str], limit: int = 12) -> str:
    """The first ``limit`` names, then how many more (a folder of 1,890 validation images stays one line)."""
    if not names:
        return "none"
    shown = ", ".join(names[:limit])
    rest = len(names) - limit
    return shown if rest <= 0 else f"{shown} and {rest} more ({len(names)} in all)"


def command_line(argv: Sequence[str] | None = None) -> str:
    """The ``python -m srlib ...`` command line of this process, shell-quoted (for the card).

    Notes
    -----
    ``argv`` defaults to ``sys.argv[1:]``. Taught in ``03_srcnn.ipynb`` (the model card).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    return "python -m srlib " + shlex.join(args)

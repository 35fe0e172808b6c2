"""``python -m srlib train``: train SRCNN / FSRCNN / ESPCN / SRResNet on folders of HR images.

Example (the shipped SRCNN x3, on CPU)::

    python -m srlib train srcnn --scale 3 --data ../shared/datasets/T91 --steps 20000 \\
        --out runs/srcnn_x3 --batch-size 64 --lr 1e-3 --schedule cosine --val-split 5

Interrupt it (Ctrl-C, a killed job, a full disk) and run the same command with
``--resume``: it continues from the last completed validation interval, and ends with the
same weights and log rows as an uninterrupted run. A resume whose arguments describe a
different run (model, data, seed, schedule, steps, ...) is refused with the differences.
A finished run is kept: ``--force`` trains it again from scratch, ``--extend --steps N``
trains it further. Writes ``OUT/{model}_x{scale}.weights.h5``, a model card
``OUT/{model}_x{scale}.md``, the logs ``.log.csv`` / ``.log.json`` and the resumable
``training_state.npz``.

``--data`` takes folders or names of registered datasets (``--data T91 General100``),
which are fetched into the data cache (``srlib.data.fetch``).

Multi-GPU (TensorFlow backend): ``--strategy mirrored`` builds and compiles the model
under ``tf.distribute.MirroredStrategy().scope()`` and splits each batch across the
visible GPUs (scale ``--batch-size`` and ``--lr`` with the number of GPUs). The
default strategy uses one device: the CPU, or the first GPU if one is visible.

GAN super-resolution (lesson 05) is two runs of the same command: a pixel-loss run, then
``--objective gan --init-weights <its weights>`` (ESRGAN's recipe)::

    python -m srlib train srresnet --scale 4 --data T91 General100 --out runs/srresnet_x4
    python -m srlib train srresnet --scale 4 --data T91 General100 --out runs/srresnet_gan_x4 \
        --objective gan --init-weights runs/srresnet_x4/srresnet_x4.weights.h5 --lr 1e-4

Taught in ``03_srcnn.ipynb`` and ``05_gan_super_resolution.ipynb``.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from srlib._checks import check_scale
from srlib.models.registry import MODEL_NAMES, SCALES, check_model_name
from srlib.training.config import SCHEDULES, STRATEGIES
from srlib.training.objectives import OBJECTIVES

__all__ = ["add_parser", "run", "config_from_args"]



def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``train`` sub-command. Taught in ``03_srcnn.ipynb``."""
    parser = subparsers.add_parser(
        "train", help="train srcnn / fsrcnn / espcn with validation, checkpoints and resume",
        description="Train a super-resolution model on the Y channel of HR images, validating PSNR against "
                    "bicubic on held-aside images. Writes weights, logs (CSV/JSON) and a model card to --out; "
                    "rerun with --resume to continue an interrupted run (bit-identical to an uninterrupted one).")
    parser.add_argument("model", metavar="MODEL", help=f"one of {', '.join(MODEL_NAMES)}")
    parser.add_argument("--scale", type=int, required=True,
                        help=f"upscaling factor: {', '.join(str(scale) for scale in SCALES)}")
    parser.add_argument("--data", nargs="+", metavar="DIR", default=None,
                        help="folders of HR training images, or registered dataset names such as T91 "
                             "(default: srlib's offline default images)")
    parser.add_argument("--steps", type=int, required=True, help="training steps (batches)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--batch-size", type=int, default=16, help="patches per batch (default 16)")
    parser.add_argument("--lr", type=float, default=1e-3, help="initial Adam learning rate (default 1e-3)")
    parser.add_argument("--schedule", choices=SCHEDULES, default="cosine",
                        help="learning-rate schedule over the run (default cosine, down to 1%% of --lr)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--val-data", nargs="+", metavar="DIR", default=None,
                       help="folders of validation images (never Set5/Set14: those are the benchmark)")
    group.add_argument("--val-split", type=int, default=None, metavar="K",
                       help="hold K training images aside for validation (default: a tenth, 1 to 5)")
    parser.add_argument("--val-every", type=int, default=None, metavar="N",
                        help="steps between validations, log rows and checkpoints (default steps/10)")
    parser.add_argument("--patch-size", type=int, default=None, metavar="P",
                        help="HR patch side in pixels, rounded down to a multiple of the scale "
                             "(default: 33 for srcnn, 16 x scale for fsrcnn, 17 x scale for espcn)")
    parser.add_argument("--seed", type=int, default=0, help="seed for weights and patches (default 0)")
    runs = parser.add_mutually_exclusive_group()
    runs.add_argument("--resume", action="store_true",
                      help="continue the interrupted run in --out (same arguments; differences are refused)")
    runs.add_argument("--extend", action="store_true",
                      help="train the finished run in --out further, up to a larger --steps")
    runs.add_argument("--force", action="store_true",
                      help="discard the run in --out (finished or not) and train from scratch")
    parser.add_argument("--max-minutes", type=float, default=None, metavar="M",
                        help="wall-clock budget: stop cleanly after M minutes and still write weights and "
                             "card; the schedule then follows the fraction of the budget used")
    parser.add_argument("--min-std", type=float, default=0.0, metavar="T",
                        help="reject flat HR patches with Y std below T (0..1 scale; default 0: keep all)")
    parser.add_argument("--strategy", choices=STRATEGIES, default="default",
                        help="'mirrored': tf.distribute.MirroredStrategy over all visible GPUs "
                             "(TensorFlow backend only); default: one device (CPU unless a GPU is visible)")
    parser.add_argument("--init-weights", default=None, metavar="FILE",
                        help="fine-tune: start from these .weights.h5 instead of a random initialisation")
    parser.add_argument("--model-kwargs", default=None, metavar="JSON",
                        help='extra build_model arguments as JSON, e.g. \'{"variant": "9-5-5"}\'')
    parser.add_argument("--objective", choices=tuple(OBJECTIVES), default="pixel",
                        help="what to minimise: 'pixel' (default; MSE, or L1 for srresnet) or 'gan' (ESRGAN's "
                             "adversarial fine-tuning; start it from a pixel run with --init-weights)")
    parser.add_argument("--objective-kwargs", default=None, metavar="JSON",
                        help='settings of the objective as JSON, e.g. \'{"adversarial_weight": 0.01}\' '
                             "(gan: pixel_weight, perceptual_weight, adversarial_weight, ema_decay, "
                             "discriminator_filters, feature_seed, perceptual_network: random or vgg19)")
    parser.add_argument("--degradation", default="bicubic", metavar="NAME",
                        help="how LR training patches are made: bicubic (default, the clean protocol), classical, "
                             "realesrgan or bsrgan (a random degradation per patch: a blind model; lesson 06). "
                             "Validation then uses the held-aside images degraded once by the same pipeline")
    parser.add_argument("--workers", type=int, default=2, help="data threads for the JAX/PyTorch backends")
    parser.add_argument("--verbose", type=int, choices=(0, 1, 2), default=1,
                        help="1: progress bar (default), 2: one line per interval, 0: quiet")
    parser.set_defaults(func=run)
    return parser


def config_from_args(args: argparse.Namespace, argv: list[str] | None = None) -> Any:
    """Turn parsed arguments into a :class:`srlib.training.TrainConfig` (validated).

    Taught in ``03_srcnn.ipynb``.
    """
    from srlib.training import TrainConfig, check_config, command_line

    check_model_name(args.model)
    check_scale(args.scale, supported=SCALES, name="--scale")
    kwargs = _json_object(args.model_kwargs, "--model-kwargs")
    objective_kwargs = _json_object(getattr(args, "objective_kwargs", None), "--objective-kwargs")
    data = None if args.data is None else [_dataset_folder(entry) for entry in args.data]
    val_data = None if args.val_data is None else [_dataset_folder(entry) for entry in args.val_data]
    if data is not None:  # fail early and clearly on a missing or empty folder
        from srlib.data import find_images

        for folder in data + (val_data or []):
            find_images(folder)
    config = TrainConfig(model=args.model, scale=args.scale, out=args.out, data=data, steps=args.steps,
                         batch_size=args.batch_size, lr=args.lr, schedule=args.schedule, val_data=val_data,
                         val_split=args.val_split, val_every=args.val_every, patch_size=args.patch_size,
                         seed=args.seed, resume=args.resume, extend=args.extend, force=args.force,
                         max_minutes=args.max_minutes, min_std=args.min_std,
                         strategy=args.strategy, init_weights=args.init_weights, model_kwargs=kwargs,
                         objective=getattr(args, "objective", "pixel"), objective_kwargs=objective_kwargs,
                         degradation=getattr(args, "degradation", "bicubic"), workers=args.workers, verbose=args.verbose, command=command_line(argv))
    return check_config(config)


def _json_object(text: str | None, option: str) -> dict[str, Any]:
    """The JSON object given to ``option`` (``{}`` when absent); a ValueError names the option otherwise."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{option} is not valid JSON ({err}): {text!r}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{option} must be a JSON object, got {text!r}")
    return value


def _dataset_folder(entry: str) -> str:
    """A folder as given, or the cached folder of a registered dataset name (fetched if needed)."""
    from pathlib import Path

    if Path(entry).exists():
        return entry
    from srlib.data import dataset_names, fetch

    names = {name.lower(): name for name in dataset_names()}
    if entry.lower() in names:
        return str(fetch(names[entry.lower()]))
    return entry  # find_images says it does not exist


def run(args: argparse.Namespace) -> int:
    """Run ``python -m srlib train``; returns the exit status. Taught in ``03_srcnn.ipynb``."""
    from srlib.training import OutOfSpaceError, train

    config = config_from_args(args, getattr(args, "argv", None))
    try:
        summary = train(config)
    except OutOfSpaceError as err:
        print(f"error: {err.strerror}", file=sys.stderr)
        return 1
    final = summary.get("final") or {}
    paths = summary.get("paths", {})
    print(f"{config.model} x{config.scale}: {final.get('steps')} steps in {final.get('wall_time_s', 0):.0f} s; "
          f"val PSNR {final.get('val_psnr', float('nan')):.2f} dB vs bicubic "
          f"{final.get('bicubic_psnr', float('nan')):.2f} dB", flush=True)
    print(f"weights: {paths.get('weights')}\ncard: {paths.get('card')}", file=sys.stdout, flush=True)
    return 0

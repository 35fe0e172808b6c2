"""``python -m srlib study``: the downstream-classifier study on EuroSAT (lesson 07).

Examples::

    python -m srlib study --quick --out /tmp/study_quick              # bundled subset, minutes
    python -m srlib study --data ../shared/datasets/EuroSAT_RGB --out benchmarks/study \\
        --weights-dir ~/srlib-study-weights --max-minutes 170          # the default study
    python -m srlib study --out benchmarks/study --weights-dir ~/srlib-study-weights \\
        --data ../shared/datasets/EuroSAT_RGB --test-data DIR          # re-score, no training
    python -m srlib study --out benchmarks/study --report              # redraw table and figures

Run the same command again after an interruption: finished runs are kept and the study
continues with the next one.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import argparse
import dataclasses
from typing import Any

__all__ = ["add_parser", "run", "config_from_args"]


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``study`` sub-command. Taught in ``07_downstream_capstone.ipynb``."""
    parser = subparsers.add_parser(
        "study", help="train classifiers on expanded EuroSAT images and score the train x test matrix",
        description="The downstream-classifier study: one classifier per (condition, seed) - native HR, every "
                    "expansion method at every scale, resolution augmentation (clean and degradation-aware), "
                    "LR-direct, learnable resizer - scored on every test set (clean and realistic LR), plus an "
                    "artifact detector. Resumable: run the same command again.")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="EuroSAT folder (class folders, with or without the Kaggle split CSVs, or the "
                             "archive's folder holding 2750/); default: the subset bundled with srlib")
    parser.add_argument("--out", default=None, metavar="DIR", help="output folder (default benchmarks/study)")
    parser.add_argument("--weights-dir", default=None, metavar="DIR",
                        help="where classifier weights go (default OUT/weights)")
    parser.add_argument("--cache-dir", default=None, metavar="DIR",
                        help="cache of expanded images (default $SRLIB_DATA_DIR/study, outside the repository)")
    parser.add_argument("--quick", action="store_true",
                        help="a minutes-sized study: bundled subset, nearest + bicubic, tiny network, 2 seeds")
    parser.add_argument("--scales", type=int, nargs="+", default=None, metavar="S", help="LR factors (2 4)")
    parser.add_argument("--methods", nargs="+", default=None, metavar="M",
                        help="expansion methods (default: nearest bilinear bicubic lanczos3 srcnn fsrcnn espcn, "
                             "the in-domain srcnn_eurosat fsrcnn_eurosat espcn_eurosat, and the x4-only "
                             "srresnet srresnet_gan srresnet_blind); a model runs at the scales it has weights for")
    parser.add_argument("--method-weights", nargs="+", default=None, metavar="METHOD=DIR",
                        help="extra SR methods from weights folders, e.g. fsrcnn_eurosat=srlib/weights/eurosat "
                             "(the name starts with the model; add the name to --methods too)")
    parser.add_argument("--mixed-methods", nargs="+", default=None, metavar="M",
                        help="methods resolution augmentation and the artifact detector draw from (default: the "
                             "natural-photo methods of the default study; with --methods: all of them that have "
                             "weights at every scale)")
    parser.add_argument("--degraded-methods", nargs="+", default=None, metavar="M",
                        help="methods the realistic-LR test sets are expanded with (default: the natural-photo "
                             "methods, srresnet and srresnet_blind; with --methods: the mixed methods)")
    parser.add_argument("--degradations", nargs="+", default=None, metavar="NAME",
                        help="realistic degradations for the degraded test sets and the degradation-aware "
                             "augmentation (default: realesrgan; 'none' for clean bicubic LR only)")
    parser.add_argument("--seeds", type=int, nargs="+", default=None, metavar="K", help="seeds (0 1 2)")
    parser.add_argument("--epochs", type=int, default=None, help="classifier epochs")
    parser.add_argument("--detector-epochs", type=int, default=None, help="artifact detector epochs")
    parser.add_argument("--batch-size", type=int, default=None, help="batch size")
    parser.add_argument("--widths", type=int, nargs="+", default=None, metavar="F", help="classifier stage widths")
    parser.add_argument("--limit-per-class", type=int, default=None, metavar="N",
                        help="use only N images per class of each split")
    parser.add_argument("--only", nargs="+", default=None, metavar="CONDITION",
                        help="run only these conditions (e.g. hr bicubic_x4)")
    parser.add_argument("--max-minutes", type=float, default=None, metavar="M",
                        help="stop cleanly after M minutes (finished runs are kept; run again to continue)")
    parser.add_argument("--test-data", default=None, metavar="DIR",
                        help="re-score the finished runs' saved classifiers on this folder of class folders "
                             "(every image is a test image); no training")
    parser.add_argument("--export-split", default=None, metavar="DIR",
                        help="copy the training and validation splits' HR images to DIR/train and "
                             "DIR/validation (flat folders) for training in-domain SR models with "
                             "`python -m srlib train --data DIR/train --val-data DIR/validation`; no training")
    parser.add_argument("--report", action="store_true",
                        help="only rewrite summary, table and figures from the run files in --out")
    parser.add_argument("--verbose", type=int, choices=(0, 1), default=1, help="1: progress bars (default)")
    parser.set_defaults(func=run)
    return parser


def _method_weights(values: list[str] | None) -> dict[str, str]:
    weights: dict[str, str] = {}
    for value in values or []:
        method, separator, folder = value.partition("=")
        if not separator or not method or not folder:
            raise ValueError(f"--method-weights takes METHOD=DIR (e.g. fsrcnn_eurosat=srlib/weights/eurosat), "
                             f"got {value!r}")
        weights[method.strip().lower()] = folder.strip()
    return weights


def config_from_args(args: argparse.Namespace) -> Any:
    """Turn parsed arguments into a checked :class:`srlib.study.StudyConfig`.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib.study import StudyConfig, check_study_config, quick_config

    base = quick_config() if args.quick else StudyConfig()
    changes: dict[str, Any] = {}
    simple = {"data": args.data, "out": args.out, "weights_dir": args.weights_dir, "cache_dir": args.cache_dir,
              "epochs": args.epochs, "detector_epochs": args.detector_epochs, "batch_size": args.batch_size,
              "limit_per_class": args.limit_per_class, "max_minutes": args.max_minutes}
    changes.update({key: value for key, value in simple.items() if value is not None})
    for key, value in (("scales", args.scales), ("methods", args.methods), ("seeds", args.seeds),
                       ("widths", args.widths)):
        if value is not None:
            changes[key] = tuple(value)
    if args.degradations is not None:
        changes["degradations"] = () if [name.lower() for name in args.degradations] == ["none"] \
            else tuple(args.degradations)
    if args.mixed_methods is not None:
        changes["mixed_methods"] = tuple(args.mixed_methods)
    elif args.methods is not None:
        changes["mixed_methods"] = None  # all of the methods given
    if args.degraded_methods is not None:
        changes["degraded_methods"] = tuple(args.degraded_methods)
    elif args.methods is not None:
        changes["degraded_methods"] = None  # the mixed methods
    weights = _method_weights(args.method_weights)
    if weights:
        changes["method_weights"] = weights
        missing = sorted(set(weights) - set(changes.get("methods", base.methods)))
        if missing:
            raise ValueError(f"--method-weights names {missing}, which are not in --methods; add them "
                             "(e.g. --methods bicubic fsrcnn fsrcnn_eurosat)")
    if args.quick and args.out is None:
        raise ValueError("--quick needs --out DIR (a scratch folder, e.g. /tmp/study_quick): the quick study "
                         "must not overwrite the committed results in benchmarks/study")
    changes["verbose"] = args.verbose
    return check_study_config(dataclasses.replace(base, **changes))


def run(args: argparse.Namespace) -> int:
    """Run ``python -m srlib study``; returns the exit status. Taught in ``07_downstream_capstone.ipynb``."""
    from srlib.study import rescore_study, run_study, write_report

    config = config_from_args(args)
    if args.export_split is not None:
        from pathlib import Path

        from srlib.data.eurosat import eurosat_splits, export_split

        splits = eurosat_splits(config.data, limit_per_class=config.limit_per_class)
        for key in ("train", "validation"):  # never the test split: SR models must not see it
            folder = export_split(splits[key], Path(args.export_split) / key)
            print(f"{key}: {len(splits[key])} images in {folder}")
        return 0
    if args.report:
        if args.test_data is not None:
            raise ValueError("give --report or --test-data, not both")
        summary = write_report(config.out)
        if not summary.get("runs"):
            raise ValueError(f"no run files in {config.out}/runs to report; run the study first")
        print(f"{summary['runs']} runs: wrote {config.out}/summary.json, table.md and figures/")
        return 0
    if args.test_data is not None:
        result = rescore_study(config, args.test_data)
        print(f"re-scored {len(result['rescored'])} runs on {args.test_data}: {result['out']}")
        return 0
    result = run_study(config, only=args.only)
    print(f"{len(result['finished'])} runs finished, {len(result['skipped'])} already done, "
          f"{len(result['missing'])} missing" + (f" ({result['stopped']})" if result["stopped"] else ""))
    if result["incomplete"]:
        sets = sorted({source for lacking in result["incomplete"].values() for source in lacking})
        print(f"{len(result['incomplete'])} finished runs lack test sets {sets}: their classifier weights are not in "
              f"{config.weights_dir or config.out + '/weights'}; pass the study's --weights-dir, or delete those run "
              "files to retrain them (seeded: the same numbers)")
    reference = result["summary"].get("reference")
    if reference is not None:
        print(f"native HR classifier on native HR test images: top-1 {100 * reference:.2f} %")
    print(f"results: {config.out}/table.md, summary.json, figures/")
    return 0

"""Command line: ``python -m srlib {evaluate,train,benchmark,study} ...``.

Each sub-command lives in its own module, which defines
``add_parser(subparsers)`` (registering the sub-command and setting
``func=run`` as default) and ``run(args) -> int``.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# sub-command name -> module implementing add_parser()/run()
COMMANDS: dict[str, str] = {
    "evaluate": "srlib.commands.evaluate",
    "train": "srlib.commands.train",
    "benchmark": "srlib.commands.benchmark",
    "study": "srlib.commands.study",
}


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m srlib`` parser with one sub-parser per module in :data:`COMMANDS`.

    Taught in ``02_degradation_and_evaluation.ipynb`` (``python -m srlib evaluate``).
    """
    parser = argparse.ArgumentParser(prog="python -m srlib",
                                     description="Beyond Bicubic: evaluate, train and benchmark super-resolution.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMANDS.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:  # a command not written yet
            if err.name == module_name:
                continue
            raise
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m srlib`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    A ``ValueError`` or ``FileNotFoundError`` (bad input) prints ``error: ...`` on stderr and
    returns 2 instead of a traceback. Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # recorded in model cards
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

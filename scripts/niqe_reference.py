"""Record srlib's NIQE on BasicSR's baboon.png beside MATLAB's value (5.72957338).

The image is for research use only (a crop of Set14's baboon) and is not shipped; it lies in
``../shared/reference/niqe/`` on the course's build machine. Usage, from the repository root::

    python scripts/niqe_reference.py [../shared/reference/niqe] [benchmarks/niqe_reference.json]

``tests/test_niqe.py`` checks the same value whenever that folder exists.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from srlib._checks import to_jsonable
from srlib.images import read_image
from srlib.niqe import BLOCK_SIZE, niqe

MATLAB_VALUE = 5.72957338  # MATLAB R2021a, Y of rgb2ycbcr, crop_border 0 (SOURCE.txt, BasicSR's niqe.py)


def main(folder: str = "../shared/reference/niqe", output: str = "benchmarks/niqe_reference.json") -> int:
    path = Path(folder) / "baboon.png"
    image = read_image(path)
    value = niqe(image)
    record = {
        "image": "baboon.png (BasicSR test_scripts/data; the top-left 480x492 of Set14 baboon; not shipped)",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "shape": list(image.shape),
        "blocks": (image.shape[0] // BLOCK_SIZE) * (image.shape[1] // BLOCK_SIZE),
        "matlab": MATLAB_VALUE,
        "srlib": value,
        "difference": value - MATLAB_VALUE,
        "tolerance_tested": 1e-3,
        "numpy": np.__version__,
    }
    Path(output).write_text(json.dumps(to_jsonable(record, digits=8), indent=2) + "\n")
    print(json.dumps(to_jsonable(record, digits=8), indent=2))
    return 0 if abs(value - MATLAB_VALUE) < 1e-3 else 1


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))

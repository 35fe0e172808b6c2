"""Copy Set5/Set14 results of ``python -m srlib evaluate --json`` into srlib/weights/manifest.json.

Usage (from the repository root, after the evaluate runs that the README lists)::

    python scripts/record_metrics.py benchmarks/evaluate_rgb.json [benchmarks/evaluate_y.json]

Each shipped model's entry gets ``metrics[<dataset>]`` (the project's protocol: uint8 RGB LR,
Y-PSNR, border = scale) and ``metrics["paper_protocol_y"][<dataset>]`` (float Y LR, as the
papers' test scripts), each with the bicubic baseline beside it; degraded benchmarks
(``evaluate --degradation NAME``) go to ``metrics["degraded_<NAME>_seed<SEED>"][<dataset>]``. Only the ``metrics`` field of
an entry changes; the sha256 of the weights is untouched.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[1] / "srlib" / "weights" / "manifest.json"


def main(paths: list[str]) -> int:
    manifest = json.loads(MANIFEST.read_text())
    for path in paths:
        report = json.loads(Path(path).read_text())
        for result in report["results"]:
            key = f"{result['method']}_x{result['scale']}.weights.h5"
            if key not in manifest:
                continue  # bicubic rows
            scores = {"psnr": round(result["mean"]["psnr"], 3), "ssim": round(result["mean"]["ssim"], 4),
                      "bicubic_psnr": round(result["baseline"]["psnr"], 3),
                      "bicubic_ssim": round(result["baseline"]["ssim"], 4),
                      "images": len(result["images"]), "source": Path(path).name}
            metrics = manifest[key].setdefault("metrics", {})
            degraded = result.get("degradation")
            if degraded:  # a degraded benchmark (evaluate --degradation): its own key, never the clean one
                metrics.setdefault(f"degraded_{degraded['name']}_seed{degraded['seed']}", {})[result["dataset"]] = scores
            elif result.get("protocol", report.get("protocol")) == "y":
                metrics.setdefault("paper_protocol_y", {})[result["dataset"]] = scores
            else:
                metrics[result["dataset"]] = scores
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"updated {MANIFEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

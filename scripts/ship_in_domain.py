"""Ship the study's in-domain SR models: ``srlib/weights/eurosat/`` (weights, cards, logs, manifest).

The in-domain models are the shipped SRCNN / FSRCNN / ESPCN fine-tuned on the EuroSAT *training*
split of the downstream study (lesson 07), made by (from the repository root)::

    python -m srlib study --data ../shared/datasets/EuroSAT_RGB --export-split ~/srlib-data/eurosat-split
    python -m srlib train fsrcnn --scale 4 --data ~/srlib-data/eurosat-split/train \\
        --val-data ~/srlib-data/eurosat-split/validation --steps 1000000 --batch-size 32 --lr 2e-4 \\
        --schedule cosine --val-every 500 --patch-size 48 --seed 0 --max-minutes 4 \\
        --init-weights srlib/weights/fsrcnn_x4.weights.h5 --out ~/srlib-runs/eurosat/fsrcnn_x4
    # ... the same for srcnn and espcn, at x2 and x4

Then::

    python scripts/ship_in_domain.py ~/srlib-runs/eurosat ~/srlib-data/eurosat-split/validation

copies each run's weights, model card and log, scores the natural-photo model and the in-domain
one beside bicubic on the *validation* split (Y-PSNR / SSIM, border = scale; the test split is
never used here) and registers every file in ``srlib/weights/eurosat/manifest.json`` with those
numbers. The study (``python -m srlib study``) then uses them as ``srcnn_eurosat``,
``fsrcnn_eurosat`` and ``espcn_eurosat``.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "srlib" / "weights" / "eurosat"
MODELS = ("srcnn", "fsrcnn", "espcn")
SCALES = (2, 4)


def _score(method, folder: Path, scale: int) -> dict[str, float]:
    from srlib.evaluate import evaluate

    result = evaluate(method, folder, scale, dataset="EuroSAT validation")
    mean = result.mean(scale)
    return {"psnr": round(mean["psnr"], 3), "ssim": round(mean["ssim"], 4),
            "bicubic_psnr": round(mean["baseline_psnr"], 3), "bicubic_ssim": round(mean["baseline_ssim"], 4),
            "images": len(result.rows)}


def main(runs: Path, validation: Path) -> int:
    from srlib import pretrained

    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "logs").mkdir(exist_ok=True)
    rows = []
    for scale in SCALES:
        for model in MODELS:
            run = runs / f"{model}_x{scale}"
            stem = f"{model}_x{scale}"
            weights = TARGET / f"{stem}.weights.h5"
            shutil.copyfile(run / f"{stem}.weights.h5", weights)
            shutil.copyfile(run / f"{stem}.log.csv", TARGET / "logs" / f"{stem}.log.csv")
            log = json.loads((run / f"{stem}.log.json").read_text())
            final, hardware = log["final"], log["hardware"]
            card_text = (run / f"{stem}.md").read_text()
            command = card_text.split("## Command", 1)[1].split("```", 2)[1].strip()
            natural = _score(model, validation, scale)
            pretrained.register_weights(weights, model, scale)  # identity first; the numbers below
            tuned = _score(pretrained.load(model, scale, weights_dir=TARGET), validation, scale)
            card = card_text
            prefix = (f"> In-domain {model.upper()} x{scale} for the downstream study (lesson 07, method "
                      f"`{model}_eurosat`): the shipped natural-photo `{stem}` (T91 + General100) fine-tuned "
                      f"on the study's EuroSAT *training* split (17,010 images of 64x64; the test split never "
                      f"reached it). EuroSAT *validation* split (1,890 images), Y-PSNR, border = {scale}: "
                      f"bicubic {tuned['bicubic_psnr']:.2f} dB, natural-photo {model} {natural['psnr']:.2f} dB, "
                      f"in-domain {tuned['psnr']:.2f} dB ({tuned['psnr'] - natural['psnr']:+.2f} dB). "
                      f"Made and shipped by `scripts/ship_in_domain.py` (its docstring has the commands).\n\n")
            (TARGET / f"{stem}.md").write_text(prefix + card)
            pretrained.register_weights(
                weights, model, scale, metrics={"EuroSAT-validation": tuned,
                                                "EuroSAT-validation_natural_photo_model": natural},
                command=command, data="EuroSAT RGB training split (study split, 17,010 images)",
                init_weights=f"srlib/weights/{stem}.weights.h5", steps=final["steps"],
                wall_time_s=round(float(final["wall_time_s"]), 1),
                hardware=f"{hardware['cpu']} ({hardware['cpu_count']} cores), shared with other jobs; Keras "
                         f"{hardware['keras']} on {hardware['backend']}")
            rows.append((stem, tuned["bicubic_psnr"], natural["psnr"], tuned["psnr"]))
            print(f"{stem}: bicubic {tuned['bicubic_psnr']:.2f}, natural {natural['psnr']:.2f}, "
                  f"in-domain {tuned['psnr']:.2f} dB")
    table = ["| model | bicubic (dB) | natural-photo model (dB) | in-domain model (dB) | gain (dB) |",
             "| --- | ---: | ---: | ---: | ---: |"]
    table += [f"| {stem} | {b:.2f} | {n:.2f} | {t:.2f} | {t - n:+.2f} |" for stem, b, n, t in rows]
    (TARGET / "validation_table.md").write_text(
        "EuroSAT validation split (1,890 images of 64x64, held aside from the training split), "
        "Y-PSNR, border = scale, LR = MATLAB bicubic; written by `scripts/ship_in_domain.py`.\n\n"
        + "\n".join(table) + "\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]).expanduser(), Path(sys.argv[2]).expanduser()))

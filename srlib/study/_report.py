"""Results as data, figures from data: the study's summary, markdown table and figures.

Everything here reads the run files (``OUT/runs/*.json``) and ``OUT/expansions.json`` only,
so a lesson can draw the committed results without running anything.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from srlib.study._metrics import mean_interval, per_class_recall, top1_accuracy
from srlib.study._store import atomic_write_bytes, atomic_write_json, parse_source, source_degradation

__all__ = ["summarize", "write_report", "markdown_table", "load_summary", "plot_matrix", "plot_scale_curves",
           "plot_psnr_vs_accuracy", "plot_detector_confusion", "plot_examples", "plot_class_recall",
           "plot_degraded", "FIGURES"]

#: Figure files written by :func:`write_report` (in ``OUT/figures``).
FIGURES: tuple[str, ...] = ("matrix.png", "scale_curves.png", "psnr_vs_accuracy.png", "detector_confusion.png",
                            "class_recall.png", "degraded.png")


def _interval(values: list[float]) -> dict[str, float]:
    return mean_interval(values)


def summarize(runs: list[Mapping[str, Any]], psnr: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Aggregate run records over seeds: mean and 95 % interval of top-1 and macro-F1 per (condition, test).

    Returns
    -------
    dict
        ``{"conditions": {condition: {"kind", "scale", "seeds", "tests": {test: {"top1": interval,
        "macro_f1": interval, "confusion": summed counts, "recall": per class}}}}, "psnr_y": {...},
        "reference": top-1 of native HR on native HR}``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for run in runs:
        grouped.setdefault(run["condition"], []).append(run)
    summary: dict[str, Any] = {"conditions": {}, "psnr_y": dict(psnr or {})}
    for name, members in grouped.items():
        members = sorted(members, key=lambda run: run["seed"])
        tests: dict[str, Any] = {}
        for test in members[0]["test"]:
            scores = [run["test"][test] for run in members if test in run["test"]]
            confusion = np.sum([np.asarray(score["confusion"], np.int64) for score in scores], axis=0)
            entry = {"top1": _interval([score["top1"] for score in scores]),
                     "macro_f1": _interval([score["macro_f1"] for score in scores]),
                     "confusion": confusion.tolist(), "recall": per_class_recall(confusion).tolist(),
                     "n_per_seed": scores[0]["n"]}
            if "sources" in scores[0]:
                entry["sources"] = scores[0]["sources"]
            tests[test] = entry
        timing = [run["timing"]["train_s"] + run["timing"]["evaluate_s"] for run in members if "timing" in run]
        cpu = [run["timing"]["train_cpu_s"] + run["timing"]["evaluate_cpu_s"] for run in members
               if "train_cpu_s" in run.get("timing", {})]
        summary["conditions"][name] = {
            "kind": members[0]["kind"], "scale": members[0]["scale"], "train_source": members[0]["train_source"],
            "seeds": [run["seed"] for run in members], "tests": tests,
            "final_val_accuracy": _interval([run["history"][-1]["val_accuracy"] for run in members
                                             if run.get("history")]) if members[0].get("history") else None,
            "seconds_per_run": float(np.mean(timing)) if timing else None,
            "cpu_seconds_per_run": float(np.mean(cpu)) if cpu else None,
        }
    hr = summary["conditions"].get("hr", {}).get("tests", {}).get("hr")
    summary["reference"] = hr["top1"]["mean"] if hr else None
    summary["runs"] = len(runs)
    summary["cpu_seconds"] = float(sum(run["timing"]["train_cpu_s"] + run["timing"]["evaluate_cpu_s"]
                                       for run in runs if "train_cpu_s" in run.get("timing", {})))
    return summary


def _fmt(interval: Mapping[str, Any] | None, percent: bool = True) -> str:
    if not interval:
        return "-"
    factor = 100 if percent else 1
    mean = interval["mean"] * factor
    half = interval.get("half_width")
    if half is None or (isinstance(half, float) and math.isnan(half)):
        return f"{mean:.1f}"
    return f"{mean:.1f} ± {half * factor:.1f}"


def _top1(summary: Mapping[str, Any], condition: str, test: str) -> Mapping[str, Any] | None:
    return summary["conditions"].get(condition, {}).get("tests", {}).get(test, {}).get("top1")


def markdown_table(summary: Mapping[str, Any]) -> str:
    """The study's main table: top-1 (%) per expansion method and scale, mean ± 95 % half-width.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    conditions = summary["conditions"]
    methods: list[str] = []
    scales: list[int] = []
    for name in sorted(conditions, key=lambda key: _source_order(key) if key != "hr" and conditions[key]["kind"]
                       == "expanded" else (0, 0, key)):
        entry = conditions[name]
        if entry["kind"] == "expanded" and name != "hr":
            method, scale = parse_source(name)
            if method not in methods:
                methods.append(method)
            if scale not in scales:
                scales.append(scale)
    counts = sorted({test["top1"]["n"] for entry in conditions.values() for test in entry["tests"].values()
                     if "n" in test.get("top1", {})} | {len(entry["seeds"]) for entry in conditions.values()})
    if len(counts) > 1:
        over = (f"over the seeds each cell has so far ({counts[0]} to {counts[-1]}; no ± = one seed: "
                "run the study command again to add the others)")
    else:
        over = f"over {counts[0] if counts else 0} seed(s)"
    lines = [f"Top-1 accuracy (%) on the test split, mean ± 95 % interval half-width {over}.",
             "", f"Native HR classifier on native HR test images: **{_fmt(_top1(summary, 'hr', 'hr'))}**", ""]
    degraded_aug = "resaug_degraded" in conditions
    extra_header = " degradation-aware augmented, tested on it |" if degraded_aug else ""
    extra_rule = " ---: |" if degraded_aug else ""
    for scale in sorted(scales):
        lines += [f"### x{scale} (LR {64 // scale}x{64 // scale} -> 64x64)", "",
                  "| expansion | Y-PSNR (dB) | HR-trained, tested on it | trained and tested on it | "
                  "resolution-augmented, tested on it |" + extra_header,
                  "| --- | ---: | ---: | ---: | ---: |" + extra_rule]
        tested = summary["conditions"].get("hr", {}).get("tests", {})
        for method in methods:
            source = f"{method}_x{scale}"
            psnr = summary.get("psnr_y", {}).get(source)
            if source not in conditions and source not in tested and psnr is None:
                continue  # a model without weights at this scale (the SRResNets are x4 only)
            lines.append(f"| {method} | {psnr:.2f} |" if psnr is not None else f"| {method} | - |")
            lines[-1] += (f" {_fmt(_top1(summary, 'hr', source))} | {_fmt(_top1(summary, source, source))} |"
                          f" {_fmt(_top1(summary, 'resaug', source))} |")
            if degraded_aug:
                lines[-1] += f" {_fmt(_top1(summary, 'resaug_degraded', source))} |"
        for name, label in ((f"lr_direct_x{scale}", "no expansion (LR-input classifier)"),
                            (f"resizer_x{scale}", "learnable resizer (trained jointly)")):
            if name in conditions:
                lines.append(f"| {label} | - | - | {_fmt(_top1(summary, name, f'lr_x{scale}'))} | - |"
                             + (" - |" if degraded_aug else ""))
        lines.append("")
    tested = summary["conditions"].get("hr", {}).get("tests", {})
    degraded_sources = sorted((source for source in tested if not _clean(source)), key=_source_order)
    for degradation in dict.fromkeys(source_degradation(source) for source in degraded_sources):
        lines += [f"### Realistic LR: `{degradation}` degradation (one fixed draw per test image) -> 64x64", "",
                  "| expansion | Y-PSNR (dB) | HR-trained | resolution-augmented (clean LR) | "
                  "degradation-aware augmented |", "| --- | ---: | ---: | ---: | ---: |"]
        for source in (s for s in degraded_sources if source_degradation(s) == degradation):
            method, scale = parse_source(source)
            psnr = summary.get("psnr_y", {}).get(source)
            lines.append(f"| {method} x{scale} | {psnr:.2f} |" if psnr is not None else f"| {method} x{scale} | - |")
            lines[-1] += (f" {_fmt(_top1(summary, 'hr', source))} | {_fmt(_top1(summary, 'resaug', source))} |"
                          f" {_fmt(_top1(summary, 'resaug_degraded', source))} |")
        lines.append("")
    detectors = [name for name, entry in conditions.items() if entry["kind"] == "detector"]
    if detectors:
        lines += ["### Artifact detector (which method made the image?)", "",
                  "| scale | sources | top-1 (%) | chance (%) |", "| --- | --- | ---: | ---: |"]
        for name in sorted(detectors):
            test = conditions[name]["tests"]["mixed"]
            sources = test.get("sources", [])
            lines.append(f"| x{conditions[name]['scale']} | {', '.join(sources)} | {_fmt(test['top1'])} |"
                         f" {100 / max(len(sources), 1):.1f} |")
        lines.append("")
    return "\n".join(lines)


def load_summary(out: str | os.PathLike) -> dict[str, Any]:
    """``OUT/summary.json`` as a dict (what :func:`write_report` wrote).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    path = Path(out) / "summary.json"
    if not path.is_file():
        raise FileNotFoundError(f"no study summary at {str(path)!r}; run python -m srlib study --out {out} first")
    return json.loads(path.read_text(encoding="utf-8"))


def _source_order(name: str) -> tuple[int, int, str]:
    """Native first, then by scale, methods in the default study's order (JSON files sort keys)."""
    from srlib.study._config import DEFAULT_METHODS

    if name.startswith("resaug"):
        return (99, len(name), name)
    method, scale = parse_source(name)
    rank = DEFAULT_METHODS.index(method) if method in DEFAULT_METHODS else len(DEFAULT_METHODS)
    degraded = source_degradation(name) is not None  # realistic-LR test sets after the clean ones
    return (scale + 100 * degraded, rank, name)


def _clean(source: str) -> bool:
    return source_degradation(source) is None


def _expanded_conditions(summary: Mapping[str, Any]) -> list[str]:
    names = [name for name, entry in summary["conditions"].items() if entry["kind"] in ("expanded", "augmented")]
    return sorted(names, key=_source_order)


def plot_matrix(summary: Mapping[str, Any], ax: Any = None) -> Any:
    """Heatmap of mean top-1 (%): rows = training condition, columns = test set.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import matplotlib.pyplot as plt

    rows = _expanded_conditions(summary)
    columns = sorted(summary["conditions"]["hr"]["tests"], key=_source_order) if "hr" in summary["conditions"] else []
    values = np.full((len(rows), len(columns)), np.nan)
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            interval = _top1(summary, row, column)
            if interval:
                values[i, j] = 100 * interval["mean"]
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * len(columns) + 3, 0.4 * len(rows) + 2))
    image = ax.imshow(values, cmap="viridis", vmin=np.nanmin(values) if values.size else 0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_xlabel("test set")
    ax.set_ylabel("trained on")
    for i in range(len(rows)):
        for j in range(len(columns)):
            if np.isfinite(values[i, j]):
                ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=6,
                        color="white" if values[i, j] < np.nanmean(values) else "black")
    ax.figure.colorbar(image, ax=ax, label="top-1 (%)")
    ax.set_title("Train x test top-1 accuracy")
    return ax


def _scale_methods(summary: Mapping[str, Any]) -> dict[str, list[int]]:
    """Method -> scales that have a result: a matched condition or the HR classifier's test set."""
    sources = [name for name in _expanded_conditions(summary) if name != "hr" and not name.startswith("resaug")]
    sources += [name for name in summary["conditions"].get("hr", {}).get("tests", {}) if _clean(name)]
    by_method: dict[str, list[int]] = {}
    for source in sorted(set(sources) - {"hr"}, key=_source_order):
        method, scale = parse_source(source)
        if scale > 1 and scale not in by_method.setdefault(method, []):
            by_method[method].append(scale)
    return by_method


# One colour per method in every study figure: an SR network and its in-domain version share a
# hue (dark / light), interpolations are muted, the SRResNets of lessons 05-06 stand out.
_METHOD_COLOURS = {"nearest": 14, "bilinear": 10, "bicubic": 16, "lanczos3": 12, "srcnn": 0, "srcnn_eurosat": 1,
                   "fsrcnn": 2, "fsrcnn_eurosat": 3, "espcn": 4, "espcn_eurosat": 5, "srresnet": 6,
                   "srresnet_gan": 8, "srresnet_blind": 18}


def _method_colour(method: str, methods: list[str] | None = None) -> Any:
    """The colour a method has in every study figure (``tab20``; unknown methods take unused slots).

    Parameters
    ----------
    method : str
        An expansion method (``"bicubic"``, ``"espcn_eurosat"``, ...).
    methods : list of str, optional
        All methods of the figure: an unknown method's colour is chosen by its place among them.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import matplotlib

    palette = matplotlib.colormaps["tab20"].colors
    if method in _METHOD_COLOURS:
        return palette[_METHOD_COLOURS[method]]
    free = [i for i in range(len(palette)) if i not in _METHOD_COLOURS.values()]
    unknown = [m for m in (methods or [method]) if m not in _METHOD_COLOURS]
    rank = unknown.index(method) if method in unknown else 0
    return palette[free[rank % len(free)]]


def plot_scale_curves(summary: Mapping[str, Any], ax: Any = None) -> Any:
    """Top-1 vs scale per method (HR-trained classifier dashed, matched train/test solid), 95 % bars.

    The LR-input classifier and the learnable resizer (no expansion) are drawn as black and grey
    squares; the native-HR result is the point at "native".

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    by_method = _scale_methods(summary)
    reference = _top1(summary, "hr", "hr")
    plotted: list[float] = []
    all_scales = sorted({s for scales in by_method.values() for s in scales} | {
        entry["scale"] for entry in summary["conditions"].values() if entry["kind"] in ("lr_direct", "resizer")})

    def draw(points: list[tuple[int, Mapping[str, Any] | None]], **style: Any) -> None:
        # a missing point is NaN, which breaks the line: a model with x4 weights only is a lone
        # marker at x4, not a line through an x2 it never ran at
        if not any(p for s, p in points if s != 1):  # the native point alone is no curve
            return
        means = [100 * p["mean"] if p else np.nan for _, p in points]
        errors = [100 * p["half_width"] if p and p.get("half_width") is not None and np.isfinite(p["half_width"])
                  else 0 for _, p in points]
        ax.errorbar([s for s, _ in points], means, yerr=errors, capsize=3, **style)
        plotted.extend(m - e for m, e in zip(means, errors) if np.isfinite(m))

    methods = list(by_method)
    for method, scales in by_method.items():
        color = _method_colour(method, methods)
        marker = "D" if method.startswith("srresnet") else "v" if method.endswith("_eurosat") else "o"
        draw([(1, reference)] + [(s, _top1(summary, "hr", f"{method}_x{s}") if s in scales else None)
                                 for s in all_scales], color=color, linestyle="--", marker=marker, alpha=0.8)
        draw([(1, reference)] + [(s, _top1(summary, f"{method}_x{s}", f"{method}_x{s}") if s in scales else None)
                                 for s in all_scales], color=color, linestyle="-", marker=marker, label=method)
    for kind, color, label in (("lr_direct", "black", "LR-input classifier (no expansion)"),
                               ("resizer", "grey", "learnable resizer")):
        draw([(s, _top1(summary, f"{kind}_x{s}", f"lr_x{s}")) for s in all_scales],
             color=color, linestyle="none", marker="s", markersize=7, label=label)
    if reference:
        ax.axhline(100 * reference["mean"], color="0.6", linewidth=0.8, zorder=0)
    ax.set_xscale("log", base=2)
    ticks = [1] + all_scales
    ax.set_xticks(ticks, ["native"] + [f"x{s}" for s in all_scales])
    ax.minorticks_off()
    ax.set_xlabel("LR factor (then expanded back to 64x64)")
    ax.set_ylabel("top-1 (%)")
    if plotted:
        ax.set_ylim(max(0.0, min(plotted) - 3), 100)
    ax.set_title("Top-1 vs scale, 95 % intervals (solid: trained on that expansion; dashed: HR-trained)",
                 fontsize=9)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, ncol=2, loc="lower left")
    return ax


def plot_psnr_vs_accuracy(summary: Mapping[str, Any], ax: Any = None) -> Any:
    """Does a better PSNR mean a better classifier? Matched top-1 vs the expansion's Y-PSNR.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    methods = list(_scale_methods(summary))
    by_scale: dict[int, list[float]] = {}
    for source, psnr in sorted(summary.get("psnr_y", {}).items(), key=lambda item: _source_order(item[0])):
        if not _clean(source):  # realistic-LR test sets: a figure of their own in the lesson
            continue
        method, scale = parse_source(source)
        if method not in methods:
            methods.append(method)
        color = _method_colour(method, methods)
        for condition, marker, filled in ((source, "o", True), ("hr", "x", False)):
            interval = _top1(summary, condition, source)
            if interval:
                ax.scatter(psnr, 100 * interval["mean"], marker=marker, color=color, s=36 if filled else 44,
                           label=method if condition == source or _top1(summary, source, source) is None
                           else None)
                by_scale.setdefault(scale, []).append(psnr)
    for scale, values in by_scale.items():
        ax.annotate(f"x{scale}", (float(np.mean(values)), 1.0), xycoords=("data", "axes fraction"),
                    ha="center", va="top", fontsize=9, color="0.3")
    handles, labels = ax.get_legend_handles_labels()
    unique = {label: handle for handle, label in zip(handles, labels)}
    if unique:
        ax.legend(unique.values(), unique.keys(), fontsize=7, ncol=2, loc="lower right")
    ax.set_xlabel("Y-PSNR of the expansion against native HR (dB)")
    ax.set_ylabel("top-1 (%)")
    ax.set_title("o: trained and tested on the expansion, x: HR-trained, tested on it", fontsize=9)
    return ax


def _degraded_sources(summary: Mapping[str, Any]) -> list[str]:
    tested = summary["conditions"].get("hr", {}).get("tests", {})
    return sorted((source for source in tested if not _clean(source)), key=_source_order)


def plot_degraded(summary: Mapping[str, Any], axes: Any = None) -> Any:
    """What if the test LR is not clean bicubic? Top-1 on the realistic-LR test sets, per scale.

    One panel per (degradation, scale); per expansion method, bars for the HR-trained classifier,
    clean resolution augmentation (``resaug``) and degradation-aware augmentation
    (``resaug_degraded``), with 95 % intervals; a dot marks each classifier on the *clean*
    version of the same expansion.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb`` (the degradations: ``06_degradations_and_augmentation.ipynb``).
    """
    import matplotlib.pyplot as plt

    sources = _degraded_sources(summary)
    panels = list(dict.fromkeys((source_degradation(source), parse_source(source)[1]) for source in sources))
    if not panels:
        raise ValueError("this study has no degraded test sets (StudyConfig.degradations is empty)")
    if axes is None:
        _, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 4.2), squeeze=False, sharey=True)
        axes = axes[0]
    axes = np.atleast_1d(axes)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    rows = (("hr", "HR-trained"), ("resaug", "resolution-augmented (clean LR)"),
            ("resaug_degraded", "degradation-aware augmented"))
    lowest = 100.0
    for ax, (degradation, scale) in zip(axes, panels):
        members = [s for s in sources if source_degradation(s) == degradation and parse_source(s)[1] == scale]
        methods = [parse_source(source)[0] for source in members]
        width = 0.8 / len(rows)
        for k, (condition, label) in enumerate(rows):
            x = np.arange(len(members)) + (k - (len(rows) - 1) / 2) * width
            values = [_top1(summary, condition, source) for source in members]
            means = [100 * v["mean"] if v else np.nan for v in values]
            errors = [100 * v["half_width"] if v and np.isfinite(v.get("half_width") or np.nan) else 0
                      for v in values]
            ax.bar(x, means, width, yerr=errors, capsize=2, color=colors[k], label=label)
            clean = [_top1(summary, condition, f"{method}_x{scale}") for method in methods]
            ax.plot(x, [100 * v["mean"] if v else np.nan for v in clean], "o", color="black", markersize=3,
                    label="same classifier, clean LR" if k == 0 else None)
            lowest = min([lowest] + [m - e for m, e in zip(means, errors) if np.isfinite(m)])
        ax.set_xticks(range(len(members)), methods, rotation=30, ha="right", fontsize=8)
        ax.set_title(f"x{scale}, LR degraded by '{degradation}' (fixed per test image)", fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("top-1 (%)")
    axes[0].set_ylim(max(0.0, lowest - 5), 100)
    axes[0].legend(fontsize=7, loc="upper left", ncol=2)  # above the bars and the dots
    return axes


def plot_class_recall(summary: Mapping[str, Any], pairs: list[tuple[str, str]] | None = None, ax: Any = None) -> Any:
    """Per-class recall (seeds pooled) for some (training condition, test set) pairs, as grouped bars.

    Parameters
    ----------
    summary : dict
        What :func:`summarize` returns.
    pairs : list of (condition, test) or None
        Default: the HR-trained classifier on native HR and on every x4 expansion of nearest,
        bicubic and ESPCN that the summary has, then the matched nearest x4 classifier.
    ax : matplotlib Axes or None

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``: which classes an expansion costs, and where they go.
    """
    import matplotlib.pyplot as plt

    from srlib.data.eurosat import EUROSAT_CLASSES

    if pairs is None:
        pairs = [("hr", test) for test in ("hr", "nearest_x4", "bicubic_x4", "espcn_x4")]
        pairs.append(("nearest_x4", "nearest_x4"))
    pairs = [(condition, test) for condition, test in pairs
             if test in summary["conditions"].get(condition, {}).get("tests", {})]
    if not pairs:
        raise ValueError("none of the (condition, test) pairs is in this summary")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.8), layout="constrained")
    width = 0.8 / len(pairs)
    positions = np.arange(len(EUROSAT_CLASSES))
    for index, (condition, test) in enumerate(pairs):
        recall = 100 * np.asarray(summary["conditions"][condition]["tests"][test]["recall"], np.float64)
        ax.bar(positions + (index - (len(pairs) - 1) / 2) * width, recall, width,
               label=f"trained on {condition}, tested on {test}")
    ax.set_xticks(positions, EUROSAT_CLASSES, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("recall (%)")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    ax.set_title("Per-class recall (all seeds' test predictions pooled)", fontsize=9)
    return ax


def plot_detector_confusion(summary: Mapping[str, Any], axes: Any = None) -> Any:
    """Row-normalised confusion matrix of each artifact detector (true source vs predicted).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import matplotlib.pyplot as plt

    names = sorted(name for name, entry in summary["conditions"].items() if entry["kind"] == "detector")
    if axes is None:
        _, axes = plt.subplots(1, max(len(names), 1), figsize=(5 * max(len(names), 1), 4.5), squeeze=False)
        axes = axes[0]
    for ax, name in zip(np.atleast_1d(axes), names):
        test = summary["conditions"][name]["tests"]["mixed"]
        matrix = np.asarray(test["confusion"], np.float64)
        matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        sources = test.get("sources", [str(i) for i in range(len(matrix))])
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(range(len(sources)), sources, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(sources)), sources, fontsize=8)
        for i in range(len(matrix)):
            for j in range(len(matrix)):
                ax.text(j, i, f"{matrix[i, j]:.2f}", ha="center", va="center", fontsize=6,
                        color="white" if matrix[i, j] > 0.5 else "black")
        ax.set_xlabel("predicted source")
        ax.set_ylabel("true source")
        ax.set_title(f"{name}: top-1 {100 * top1_accuracy(np.asarray(test['confusion'])):.1f} %")
    return axes


def plot_examples(out: str | os.PathLike, condition: str = "hr", seed: int = 0, *,
                  sources: list[str] | None = None, per_source: int = 4,
                  data_root: str | os.PathLike | None = None) -> Any:
    """Test images a classifier gets right native but wrong after an expansion, as that expansion.

    Reads the run file ``OUT/runs/<condition>__seed<seed>.json`` (its ``examples``: images the
    classifier classifies correctly at native HR and wrongly after each expansion), rebuilds each
    expanded image from the HR file (:func:`srlib.data.make_lr`, then :func:`srlib.upscale`) and draws
    one row per source, titled *true -> predicted*.

    Parameters
    ----------
    out : path
        The study's folder.
    condition, seed : str, int
        Which run (a 64x64-input condition: ``"hr"`` by default).
    sources : list of str or None
        Rows to draw (default: every source with examples, in the study's order).
    per_source : int
        Images per row.
    data_root : path or None
        The images' folder, when it is not where the run was made (``run["data"]["root"]``).

    Raises
    ------
    FileNotFoundError
        No such run file, or the images are not on this machine (pass ``data_root``).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import matplotlib.pyplot as plt

    from srlib.data.eurosat import EUROSAT_CLASSES
    from srlib.images import read_image
    from srlib.study._config import StudyConfig
    from srlib.study._engine import run_name
    from srlib.study._store import expand_image as _expand

    weights = StudyConfig().method_weights  # the in-domain models' folder

    def expand_image(source: str, hr: np.ndarray, file: str) -> np.ndarray:
        return _expand(source, hr, file, weights)

    path = Path(out) / "runs" / f"{run_name(condition, seed)}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no run file {str(path)!r}; pick a finished run (ls {Path(out) / 'runs'})")
    run = json.loads(path.read_text(encoding="utf-8"))
    examples = run.get("examples", {})
    rows = sorted(examples, key=_source_order) if sources is None else list(sources)
    rows = [source for source in rows if examples.get(source)]
    if not rows:
        raise ValueError(f"run {path.name} has no misclassified examples for {sources or 'any source'}")
    root = Path(data_root) if data_root is not None else Path(run["data"]["root"])
    if not root.is_dir():
        raise FileNotFoundError(f"the images of this run were in {str(root)!r}, which is not on this machine; "
                                "pass data_root= the EuroSAT folder")
    columns = max(min(per_source, len(examples[source])) for source in rows)
    figure, axes = plt.subplots(len(rows), columns, figsize=(1.6 * columns + 1, 1.75 * len(rows)), squeeze=False)
    for i, source in enumerate(rows):
        for j in range(columns):
            ax = axes[i, j]
            ax.set_xticks([])
            ax.set_yticks([])
            if j >= len(examples[source]):
                ax.axis("off")
                continue
            file, truth, predicted = examples[source][j]
            ax.imshow(expand_image(source, read_image(root / file), file))
            ax.set_title(f"{EUROSAT_CLASSES[truth]}\n-> {EUROSAT_CLASSES[predicted]}", fontsize=7)
            if j == 0:
                ax.set_ylabel(source, fontsize=8)
    figure.suptitle(f"{run_name(condition, seed)}: right at native HR, wrong after the expansion", fontsize=9)
    return axes


def write_report(out: str | os.PathLike) -> dict[str, Any]:
    """Write ``summary.json``, ``table.md`` and ``figures/*.png`` from the run files in ``out``.

    Returns the summary (an empty one, and nothing written, when there is no run yet).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import matplotlib

    from srlib.study._engine import read_runs

    folder = Path(out)
    runs = read_runs(folder)
    expansions = folder / "expansions.json"
    psnr = json.loads(expansions.read_text(encoding="utf-8")).get("psnr_y", {}) if expansions.is_file() else {}
    summary = summarize(runs, psnr)
    if not runs:
        return summary
    atomic_write_json(folder / "summary.json", summary)
    atomic_write_bytes(folder / "table.md", (markdown_table(summary) + "\n").encode("utf-8"))
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"figure.dpi": 100}):
        drawers = {"matrix.png": plot_matrix, "scale_curves.png": plot_scale_curves,
                   "psnr_vs_accuracy.png": plot_psnr_vs_accuracy, "detector_confusion.png": plot_detector_confusion,
                   "class_recall.png": plot_class_recall, "degraded.png": plot_degraded}
        for file_name, draw in drawers.items():
            if file_name == "matrix.png" and "hr" not in summary["conditions"]:
                continue
            if file_name == "scale_curves.png" and not _scale_methods(summary):
                continue
            if file_name == "class_recall.png" and "hr" not in summary["conditions"]:
                continue
            if file_name == "degraded.png" and not _degraded_sources(summary):
                continue
            if file_name == "detector_confusion.png" and not any(
                    entry["kind"] == "detector" for entry in summary["conditions"].values()):
                continue
            result = draw(summary)
            figure = np.atleast_1d(result)[0].figure
            if figure.get_layout_engine() is None:
                figure.tight_layout()
            import io

            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", metadata={"Software": None})
            plt.close(figure)
            atomic_write_bytes(folder / "figures" / file_name, buffer.getvalue())
    return summary

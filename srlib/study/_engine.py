"""Run a study: every (condition, seed) trained once, scored on its test sets, cached, resumable.

Layout of the output folder ``OUT``::

    OUT/runs/<condition>__seed<k>.json      one file per finished run (written last, atomically)
    OUT/weights/<condition>__seed<k>.weights.h5   its classifier (``--weights-dir`` elsewhere)
    OUT/expansions.json                     Y-PSNR of every expansion on the test split
    OUT/summary.json, OUT/table.md, OUT/figures/*.png   drawn from the run files

A run whose JSON exists (with the same schedule and data) is skipped, so an interrupted study
(Ctrl-C, a killed job, ``max_minutes``) resumes where it stopped; a run that was cut short
leaves no file and is redone from its start, which gives the same numbers (seeded, one
thread of data preparation).

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from srlib.study._config import (Condition, StudyConfig, check_study_config, conditions, mixed_methods,
                                 schedule_of, test_sources)
from srlib.study._metrics import confusion_matrix, macro_f1, top1_accuracy
from srlib.study._store import ImageStore, atomic_write_json, source_name

__all__ = ["StudyData", "BudgetExceeded", "run_name", "load_study_data", "run_study", "rescore_study",
           "read_runs", "train_run", "EXAMPLES_PER_SOURCE"]

#: Misclassified test images kept per test set in a run file (right on native HR, wrong here),
#: spread over the true classes (one of each class first).
EXAMPLES_PER_SOURCE = 10
_TEST_ASSIGNMENT_SEED = 20210  # fixes which source each mixed validation/test image comes from
_PREDICT_BATCH = 256
RESULT_VERSION = 1


class BudgetExceeded(RuntimeError):
    """The wall-clock budget (``max_minutes``) ran out; finished runs are kept."""


def run_name(condition: Condition | str, seed: int) -> str:
    """``"bicubic_x4__seed0"``: the stem of a run's JSON and weights files.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    name = condition.name if isinstance(condition, Condition) else str(condition)
    return f"{name}__seed{int(seed)}"


class StudyData:
    """The images of a study: one :class:`ImageStore` over train + validation + test, with row indices.

    Attributes
    ----------
    store : ImageStore
    labels : numpy.ndarray
        Class of every row.
    rows : dict
        ``{"train", "validation", "test"}`` -> row indices into the store.
    files : tuple of str
        Relative path of every row.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """

    def __init__(self, store: ImageStore, labels: np.ndarray, rows: dict[str, np.ndarray]) -> None:
        self.store, self.labels, self.rows = store, labels, rows
        self.files = store.files

    def summary(self) -> dict[str, Any]:
        return {"root": str(self.store.root), "fingerprint": self.store.fingerprint,
                **{key: int(len(value)) for key, value in self.rows.items()}}


def _progress(verbose: int) -> Callable[..., Any] | None:
    if not verbose:
        return None
    from tqdm.auto import tqdm

    return lambda total, description: tqdm(total=total, desc=description, unit="img", leave=False)


def load_study_data(config: StudyConfig) -> StudyData:
    """The train / validation / test split of ``config.data`` behind one image store.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from srlib.data.eurosat import eurosat_splits

    splits = eurosat_splits(config.data, limit_per_class=config.limit_per_class)
    files: list[str] = []
    labels: list[np.ndarray] = []
    rows: dict[str, np.ndarray] = {}
    for key in ("train", "validation", "test"):
        split = splits[key]
        if len(split) == 0:
            raise ValueError(f"the {key} split of {str(split.root)!r} is empty; use a larger folder")
        rows[key] = np.arange(len(files), len(files) + len(split))
        files.extend(split.files)
        labels.append(split.labels)
    store = ImageStore(splits["train"].root, files, cache_dir=config.cache_dir,
                       method_weights=config.method_weights, progress=_progress(config.verbose))
    return StudyData(store, np.concatenate(labels), rows)


def _test_data(config: StudyConfig, folder: str) -> StudyData:
    from srlib.data.eurosat import eurosat_test_split

    split = eurosat_test_split(folder)
    store = ImageStore(split.root, split.files, cache_dir=config.cache_dir, method_weights=config.method_weights,
                       progress=_progress(config.verbose))
    return StudyData(store, split.labels, {"test": np.arange(len(split))})


# --- samples: which (row, source) each training example is, per epoch -------------------------

def _mixed_sources(config: StudyConfig, condition: Condition) -> list[str]:
    """The sources of the augmented condition (native + every method at every scale) or a detector."""
    methods = mixed_methods(config)
    if condition.kind == "detector":
        return ["hr"] + [source_name(method, condition.scale) for method in methods]
    if condition.train_source == "mixed_degraded":
        return ["hr"] + [source_name(method, scale, degradation) for scale in config.scales
                         for degradation in (None, *config.degradations) for method in methods]
    return ["hr"] + [source_name(method, scale) for scale in config.scales for method in methods]


def _draw_sources(config: StudyConfig, condition: Condition, count: int, rng: np.random.Generator) -> np.ndarray:
    """Index into :func:`_mixed_sources` for ``count`` samples.

    Resolution augmentation: scale uniform in {1} + scales, then a method uniform among the
    methods; degradation-aware (``resaug_degraded``): below native, the LR is also clean bicubic
    or one of the degradations, uniformly. Detector: balanced over native and each method (a
    shuffled cycle).
    """
    methods = mixed_methods(config)
    if condition.kind == "detector":
        sources = len(methods) + 1
        return rng.permutation(np.arange(count) % sources)
    if condition.train_source == "mixed_degraded":
        kinds = 1 + len(config.degradations)
        scale_choice = rng.integers(0, len(config.scales) + 1, count)
        kind_choice = rng.integers(0, kinds, count)
        method_choice = rng.integers(0, len(methods), count)
        return np.where(scale_choice == 0, 0,
                        1 + ((scale_choice - 1) * kinds + kind_choice) * len(methods) + method_choice)
    scale_choice = rng.integers(0, len(config.scales) + 1, count)
    method_choice = rng.integers(0, len(methods), count)
    return np.where(scale_choice == 0, 0, 1 + (scale_choice - 1) * len(methods) + method_choice)


def _labels_for(condition: Condition, data: StudyData, rows: np.ndarray, source_index: np.ndarray | None) -> np.ndarray:
    if condition.kind == "detector":
        assert source_index is not None
        return source_index.astype(np.int64)
    return data.labels[rows]


def _gather(data: StudyData, sources: Sequence[str], rows: np.ndarray, source_index: np.ndarray | None) -> np.ndarray:
    """uint8 batch of ``rows``, each from ``sources[source_index[i]]`` (or ``sources[0]``)."""
    if source_index is None:
        array = data.store.get(sources[0])
        order = np.argsort(rows, kind="stable")
        out = np.empty((len(rows),) + array.shape[1:], np.uint8)
        out[order] = array[rows[order]]
        return out
    first = data.store.get(sources[0])
    out = np.empty((len(rows),) + first.shape[1:], np.uint8)
    for index in np.unique(source_index):
        where = np.flatnonzero(source_index == index)
        out[where] = data.store.get(sources[int(index)])[rows[where]]
    return out


def _augment(batch: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The 8 flips/rotations of the square (EuroSAT has no up or left): ``codes`` in 0..7 per image."""
    out = np.empty_like(batch)
    for code in range(8):
        where = np.flatnonzero(codes == code)
        if where.size:
            images = batch[where]
            if code >= 4:
                images = images[:, :, ::-1]
            out[where] = np.rot90(images, code % 4, axes=(1, 2))
    return out


# --- one run ----------------------------------------------------------------------------------

def _build(config: StudyConfig, condition: Condition) -> Any:
    from srlib.study._models import (DETECTOR_WIDTHS, build_artifact_detector, build_classifier,
                                     build_resizer_classifier)

    if condition.kind == "detector":
        return build_artifact_detector(len(mixed_methods(config)) + 1, widths=DETECTOR_WIDTHS)
    if condition.kind == "lr_direct":
        return build_classifier(64 // condition.scale, widths=config.widths, blocks=config.blocks)
    if condition.kind == "resizer":
        return build_resizer_classifier(64 // condition.scale, widths=config.widths, blocks=config.blocks)
    return build_classifier(64, widths=config.widths, blocks=config.blocks)


def _predict(model: Any, images: np.ndarray) -> np.ndarray:
    """Arg-max class of every image (batches of 256, inference mode)."""
    predictions = np.empty(len(images), np.int64)
    for start in range(0, len(images), _PREDICT_BATCH):
        chunk = np.asarray(images[start:start + _PREDICT_BATCH], dtype=np.float32)
        count = len(chunk)
        if count < _PREDICT_BATCH:  # one batch shape: no retracing for the last, shorter chunk
            chunk = np.concatenate([chunk, np.zeros((_PREDICT_BATCH - count,) + chunk.shape[1:], np.float32)])
        logits = np.asarray(model.predict_on_batch(chunk))[:count]
        predictions[start:start + count] = logits.argmax(axis=1)
    return predictions


def _fixed_assignment(config: StudyConfig, condition: Condition, count: int) -> np.ndarray | None:
    """Sources of mixed validation/test images: the same for every seed."""
    if condition.kind not in ("augmented", "detector"):
        return None
    return _draw_sources(config, condition, count, np.random.default_rng([_TEST_ASSIGNMENT_SEED, condition.scale]))


def _score(labels: np.ndarray, predictions: np.ndarray, num_classes: int) -> dict[str, Any]:
    matrix = confusion_matrix(labels, predictions, num_classes)
    return {"top1": top1_accuracy(matrix), "macro_f1": macro_f1(matrix), "confusion": matrix.tolist(),
            "n": int(len(labels))}


def _spread_over_classes(indices: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """Up to ``count`` of ``indices``: the first of every class (by label), then the second, ..."""
    classes = labels[indices]
    rank = np.zeros(len(indices), np.int64)
    for label in np.unique(classes):
        rank[classes == label] = np.arange(np.count_nonzero(classes == label))
    return indices[np.lexsort((classes, rank))][:count]


def _evaluate(config: StudyConfig, condition: Condition, model: Any, data: StudyData,
              sources: Sequence[str] | None = None) -> tuple[dict, dict]:
    """Scores on every test source of the condition (or only ``sources``), and misclassified examples."""
    rows = data.rows["test"]
    results: dict[str, Any] = {}
    examples: dict[str, list] = {}
    if condition.kind == "detector":
        sources = _mixed_sources(config, condition)
        assignment = _fixed_assignment(config, condition, len(rows))
        predictions = _predict(model, _gather(data, sources, rows, assignment))
        score = _score(assignment.astype(np.int64), predictions, len(sources))
        score["sources"] = sources
        return {"mixed": score}, {}
    reference: np.ndarray | None = None
    wanted = test_sources(config, condition) if sources is None else list(sources)
    if "hr" not in wanted and condition.kind == "expanded":  # examples are relative to the native-HR answers
        reference = _predict(model, _gather(data, ["hr"], rows, None))
    for source in wanted:
        if source == "mixed":  # pragma: no cover - detector handled above
            continue
        predictions = _predict(model, _gather(data, [source], rows, None))
        labels = data.labels[rows]
        results[source] = _score(labels, predictions, 10)
        if source == "hr":
            reference = predictions
        elif reference is not None:
            wrong = _spread_over_classes(np.flatnonzero((reference == labels) & (predictions != labels)),
                                         labels, EXAMPLES_PER_SOURCE)
            examples[source] = [[data.files[rows[i]], int(labels[i]), int(predictions[i])] for i in wrong]
    return results, examples


def _save_weights(model: Any, path: Path) -> str:
    from srlib.pretrained import sha256_file

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name[:-len('.weights.h5')]}.partial.weights.h5")
    model.save_weights(str(temporary))
    with open(temporary, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return sha256_file(path)


def train_run(config: StudyConfig, condition: Condition, seed: int, data: StudyData, *,
              deadline: float | None = None, on_epoch: Callable[[int, dict], None] | None = None) -> tuple[Any, dict]:
    """Train one (condition, seed) and return ``(model, record)`` without writing anything.

    Raises
    ------
    BudgetExceeded
        When ``time.monotonic()`` passes ``deadline`` at the end of an epoch (the run is dropped).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import keras

    started, cpu_started = time.monotonic(), time.process_time()
    schedule = schedule_of(config, condition)
    epochs, batch_size = schedule["epochs"], config.batch_size
    keras.utils.set_random_seed(seed)
    model = _build(config, condition)
    train_rows = data.rows["train"]
    if len(train_rows) < batch_size:
        raise ValueError(f"the training split has {len(train_rows)} images, fewer than batch_size={batch_size}; "
                         "use a smaller batch size or more images per class")
    steps_per_epoch = len(train_rows) // batch_size  # the last, incomplete batch is dropped
    learning_rate = keras.optimizers.schedules.CosineDecay(config.learning_rate, epochs * steps_per_epoch, alpha=0.0)
    model.compile(optimizer=keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=config.weight_decay),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    sources = _mixed_sources(config, condition) if condition.kind in ("augmented", "detector") \
        else [condition.train_source]
    validation_rows = data.rows["validation"]
    validation_assignment = _fixed_assignment(config, condition, len(validation_rows))
    validation_images = _gather(data, sources, validation_rows, validation_assignment)
    validation_labels = _labels_for(condition, data, validation_rows, validation_assignment)
    history: list[dict[str, float]] = []
    for epoch in range(epochs):
        epoch_started = time.monotonic()
        rng = np.random.default_rng([seed, epoch, 7])
        order = rng.permutation(train_rows)
        assignment = _draw_sources(config, condition, len(order), rng) if len(sources) > 1 else None
        codes = rng.integers(0, 8, len(order))
        labels = _labels_for(condition, data, order, assignment)
        loss_sum = accuracy_sum = 0.0  # train_on_batch reports each batch's own loss and accuracy
        for start in range(0, steps_per_epoch * batch_size, batch_size):
            part = slice(start, start + batch_size)
            batch = _gather(data, sources, order[part], None if assignment is None else assignment[part])
            batch = _augment(batch, codes[part]).astype(np.float32)
            logs = model.train_on_batch(batch, labels[part], return_dict=True)
            loss_sum += float(logs["loss"])
            accuracy_sum += float(logs["accuracy"])
        validation = _predict(model, validation_images)
        row = {"epoch": epoch + 1, "loss": loss_sum / steps_per_epoch, "accuracy": accuracy_sum / steps_per_epoch,
               "val_accuracy": float(np.mean(validation == validation_labels)),
               "seconds": time.monotonic() - epoch_started}
        history.append(row)
        if on_epoch is not None:
            on_epoch(epoch, row)
        if deadline is not None and time.monotonic() > deadline and epoch + 1 < epochs:
            raise BudgetExceeded(f"{run_name(condition, seed)} stopped after epoch {epoch + 1} of {epochs}")
    train_seconds, train_cpu = time.monotonic() - started, time.process_time() - cpu_started
    evaluated, cpu_evaluated = time.monotonic(), time.process_time()
    results, examples = _evaluate(config, condition, model, data)
    record = {
        "version": RESULT_VERSION, "condition": condition.name, "kind": condition.kind,
        "train_source": condition.train_source, "scale": condition.scale, "seed": int(seed),
        "schedule": schedule, "data": data.summary(), "history": history, "test": results,
        "examples": examples, "parameters": int(model.count_params()),
        "timing": {"train_s": train_seconds, "evaluate_s": time.monotonic() - evaluated,
                   "epoch_s": float(np.mean([row["seconds"] for row in history])),
                   # CPU seconds of this process (all threads): what the machine's load does not change
                   "train_cpu_s": train_cpu, "evaluate_cpu_s": time.process_time() - cpu_evaluated},
    }
    return model, record


# --- the study --------------------------------------------------------------------------------

def _weights_dir(config: StudyConfig) -> Path:
    return Path(config.weights_dir).expanduser() if config.weights_dir else Path(config.out) / "weights"


def read_runs(out: str | os.PathLike) -> list[dict[str, Any]]:
    """Every run file in ``OUT/runs`` (sorted by name).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    folder = Path(out) / "runs"
    if not folder.is_dir():
        return []
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


def _check_cached(path: Path, schedule: dict, data: StudyData) -> bool:
    if not path.is_file():
        return False
    record = json.loads(path.read_text(encoding="utf-8"))
    same_schedule = record.get("schedule") == json.loads(json.dumps(schedule))
    same_data = record.get("data", {}).get("fingerprint") == data.store.fingerprint
    if not (same_schedule and same_data):
        raise ValueError(f"{str(path)!r} holds a run with another schedule or data ({record.get('schedule')}, "
                         f"data {record.get('data', {}).get('fingerprint')}); use another out folder, or delete "
                         "its runs/ to start over")
    return True


def _complete_run(config: StudyConfig, condition: Condition, seed: int, data: StudyData, out: Path) -> list[str]:
    """Score a finished run on the test sets it lacks (methods added since it ran); return those still missing.

    Uses the run's saved classifier (checked against the sha256 in its record); when the
    weights are not there, nothing changes and the missing test sets are returned.
    """
    path = out / "runs" / f"{run_name(condition, seed)}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    missing = [source for source in test_sources(config, condition) if source not in record.get("test", {})]
    if not missing:
        return []
    weights = _weights_dir(config) / record.get("weights", {}).get("file", f"{run_name(condition, seed)}.weights.h5")
    from srlib.pretrained import sha256_file

    if not weights.is_file() or sha256_file(weights) != record.get("weights", {}).get("sha256"):
        return missing
    model = _build(config, condition)
    model.load_weights(str(weights))
    cpu_started = time.process_time()
    results, examples = _evaluate(config, condition, model, data, sources=missing)
    record["test"].update(results)
    record.setdefault("examples", {}).update(examples)
    record.setdefault("added_tests", []).append({"sources": missing, "evaluate_cpu_s": time.process_time() - cpu_started})
    atomic_write_json(path, record)
    return []


def _expansion_psnr(config: StudyConfig, data: StudyData, out: Path) -> dict[str, float]:
    path = out / "expansions.json"
    cached = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if cached.get("fingerprint") != data.store.fingerprint:
        cached = {"fingerprint": data.store.fingerprint, "psnr_y": {}}
    changed = False
    for source in test_sources(config, Condition("hr", "expanded", "hr", 1))[1:]:  # every expansion tested
        if source not in cached["psnr_y"]:
            cached["psnr_y"][source] = data.store.psnr(source, data.rows["test"])
            changed = True
    if changed:
        cached["note"] = ("mean Y-PSNR (dB, border = scale) of each expansion of the test split's LR against "
                          "the native 64x64 image; LR = MATLAB bicubic imresize(hr, 1/scale), or for "
                          "<method>_x<scale>_<degradation> that image degraded once by "
                          "srlib.data.fixed_degradation (seed 0, the file stem as name)")
        atomic_write_json(path, cached)
    return dict(cached["psnr_y"])


def run_study(config: StudyConfig, *, only: Sequence[str] | None = None,
              on_epoch: Callable[[str, int, dict], None] | None = None) -> dict[str, Any]:
    """Run (or resume) a study and write its run files, summary, table and figures.

    Parameters
    ----------
    config : StudyConfig
        What to run (:func:`default_config`, :func:`quick_config`).
    only : sequence of str or None
        Run only these condition names (the others keep their files, or stay missing).
    on_epoch : callable or None
        ``on_epoch(run_name, epoch, row)`` after each epoch (progress, tests).

    Returns
    -------
    dict
        ``{"finished": [...], "skipped": [...], "missing": [...], "incomplete": {run: [test
        sets]}, "stopped": reason or None, "summary": summary dict}``. A finished run that lacks
        test sets of this configuration (a method added later) is scored on them from its saved
        classifier; ``incomplete`` lists the runs whose weights were not found for that.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    config = check_study_config(config)
    out = Path(config.out)
    all_conditions = conditions(config)
    if only is not None:
        known = {condition.name for condition in all_conditions}
        unknown = sorted(set(only) - known)
        if unknown:
            raise ValueError(f"unknown condition(s) {unknown}; this study has {sorted(known)}")
        all_conditions = [condition for condition in all_conditions if condition.name in set(only)]
    started = time.monotonic()
    deadline = None if config.max_minutes is None else started + 60 * config.max_minutes
    data = load_study_data(config)
    # seed-major: a study stopped part-way has every condition at seed 0 before any at seed 1
    plan = [(condition, seed) for seed in config.seeds for condition in all_conditions]
    done = [(c, s) for c, s in plan if _check_cached(out / "runs" / f"{run_name(c, s)}.json", schedule_of(config, c), data)]
    todo = [pair for pair in plan if pair not in done]
    finished: list[str] = []
    stopped: str | None = None
    bar = None
    if config.verbose:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(plan), initial=len(done), desc="study", unit="run")
    _expansion_psnr(config, data, out)
    incomplete: dict[str, list[str]] = {}
    for condition, seed in done:
        lacking = _complete_run(config, condition, seed, data, out)
        if lacking:
            incomplete[run_name(condition, seed)] = lacking
    durations: list[float] = []
    try:
        for condition, seed in todo:
            name = run_name(condition, seed)
            if deadline is not None:
                expected = float(np.mean(durations)) if durations else 0.0
                if time.monotonic() + expected > deadline:
                    stopped = f"max_minutes={config.max_minutes} reached before {name}"
                    break
            if bar is not None:
                bar.set_postfix_str(name)
            run_started = time.monotonic()

            def report(epoch: int, row: dict, name: str = name) -> None:
                if bar is not None:
                    bar.set_postfix_str(f"{name} epoch {epoch + 1} val {row['val_accuracy']:.3f}")
                if on_epoch is not None:
                    on_epoch(name, epoch, row)

            try:
                model, record = train_run(config, condition, seed, data, deadline=deadline, on_epoch=report)
            except BudgetExceeded as err:
                stopped = f"max_minutes={config.max_minutes} reached: {err}"
                break
            weights = _weights_dir(config) / f"{name}.weights.h5"
            record["weights"] = {"file": weights.name, "sha256": _save_weights(model, weights)}
            from srlib.training import hardware_summary

            record["hardware"] = hardware_summary()
            atomic_write_json(out / "runs" / f"{name}.json", record)  # written last: the run is done
            durations.append(time.monotonic() - run_started)
            finished.append(name)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    from srlib.study._report import write_report

    summary = write_report(out)
    missing = [run_name(c, s) for c, s in plan if not (out / "runs" / f"{run_name(c, s)}.json").is_file()]
    return {"finished": finished, "skipped": [run_name(c, s) for c, s in done], "missing": missing,
            "incomplete": incomplete, "stopped": stopped, "summary": summary, "config": asdict(config)}


def rescore_study(config: StudyConfig, test_data: str | os.PathLike, *, out: str | os.PathLike | None = None
                  ) -> dict[str, Any]:
    """Score every finished run's saved classifier on another test folder, without retraining.

    Parameters
    ----------
    config : StudyConfig
        The study's configuration (its ``out`` holds the run files, ``weights_dir`` the weights).
    test_data : str or os.PathLike
        A folder of EuroSAT class folders; every image in it is a test image.
    out : str, os.PathLike or None
        Where the re-scored run files and report go (default
        ``OUT/test-<folder name>-<fingerprint>``).

    Returns
    -------
    dict
        ``{"rescored": [...], "out": folder, "summary": summary dict}``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    config = check_study_config(config)
    runs = read_runs(config.out)
    if not runs:
        raise ValueError(f"no finished runs in {str(Path(config.out) / 'runs')!r}; run the study first "
                         "(python -m srlib study --out ...), then re-score it with --test-data")
    data = _test_data(config, str(test_data))
    target = Path(out) if out is not None else Path(config.out) / f"test-{Path(test_data).name}-{data.store.fingerprint}"
    by_name = {condition.name: condition for condition in conditions(config)}
    rescored = []
    for record in runs:
        condition = by_name.get(record["condition"])
        if condition is None:
            raise ValueError(f"run {record['condition']!r} is not a condition of this configuration; pass the "
                             "study's own options (--methods, --scales, ...) together with --test-data")
        name = run_name(condition, record["seed"])
        path = target / "runs" / f"{name}.json"
        if path.is_file():
            rescored.append(name)
            continue
        weights = _weights_dir(config) / record["weights"]["file"]
        if not weights.is_file():
            raise FileNotFoundError(f"weights {str(weights)!r} of run {name} are missing; pass the study's "
                                    "--weights-dir, or rerun that run")
        from srlib.pretrained import sha256_file

        if sha256_file(weights) != record["weights"]["sha256"]:
            raise ValueError(f"weights {str(weights)!r} do not match the sha256 recorded in run {name}; they "
                             "belong to another run: restore them or rerun the study")
        model = _build(config, condition)
        model.load_weights(str(weights))
        results, examples = _evaluate(config, condition, model, data)
        new = {key: record[key] for key in ("version", "condition", "kind", "train_source", "scale", "seed",
                                             "schedule", "weights", "parameters")}
        new.update({"data": data.summary(), "trained_on": record["data"], "test": results, "examples": examples})
        atomic_write_json(path, new)
        rescored.append(name)
    _expansion_psnr(config, data, target)
    from srlib.study._report import write_report

    return {"rescored": rescored, "out": str(target), "summary": write_report(target)}

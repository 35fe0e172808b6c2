"""srlib.study: metrics on known cases, networks, configuration, image cache, reproducibility,
resume after interruption, re-scoring and the report. Runs on the bundled EuroSAT subset, with
a tiny network and a handful of images per class (no ../shared)."""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

import srlib
from srlib import study
from srlib.data import eurosat, make_lr
from srlib.study import _engine, _store


# --- metrics ----------------------------------------------------------------------------------

def test_confusion_matrix_top1_and_macro_f1_known_case() -> None:
    labels = [0, 0, 0, 1, 1, 2]
    predictions = [0, 0, 1, 1, 2, 2]
    matrix = study.confusion_matrix(labels, predictions, 3)
    assert matrix.tolist() == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    assert study.top1_accuracy(matrix) == pytest.approx(4 / 6)
    # F1: class 0 = 2*2/(2*2+0+1) = 0.8, class 1 = 2/(2+1+1) = 0.5, class 2 = 2/(2+1+0) = 2/3
    assert study.macro_f1(matrix) == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert np.allclose(study.per_class_recall(matrix), [2 / 3, 0.5, 1.0])


def test_macro_f1_edge_cases() -> None:
    assert study.macro_f1(np.diag([3, 4, 5])) == 1.0
    assert study.macro_f1([[5, 0, 0], [0, 5, 0], [0, 0, 0]]) == 1.0  # absent and never predicted: left out
    assert study.macro_f1([[0, 4], [0, 4]]) == pytest.approx((0 + 2 * 4 / (8 + 4)) / 2)  # never predicted: 0
    assert math.isnan(study.per_class_recall([[1, 0], [0, 0]])[1])


@pytest.mark.parametrize("labels, predictions, classes, match", [
    ([0, 1], [0], 2, "equal length"), ([], [], 2, "at least one"), ([0, 2], [0, 1], 2, "labels must be"),
    ([0, 1], [0, -1], 2, "predictions must be"), ([0.5], [0], 2, "labels must be"), ([0], [0], 0, "num_classes")])
def test_confusion_matrix_bad_input(labels, predictions, classes, match) -> None:
    with pytest.raises(ValueError, match=match):
        study.confusion_matrix(labels, predictions, classes)


def test_metrics_refuse_bad_matrices() -> None:
    for bad in ([[1, 2, 3]], [[0, 0], [0, 0]], [[1.5, 0], [0, 1]], [[1, -1], [0, 1]]):
        with pytest.raises(ValueError, match="confusion matrix"):
            study.top1_accuracy(bad)


def test_mean_interval_is_the_student_t_interval() -> None:
    interval = study.mean_interval([1.0, 2.0, 3.0])
    # std = 1, t(0.975, df=2) = 4.302653
    assert interval["mean"] == 2.0 and interval["std"] == pytest.approx(1.0)
    assert interval["half_width"] == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)
    assert interval["low"] == pytest.approx(2 - interval["half_width"]) and interval["n"] == 3
    assert study.mean_interval([5.0, 5.0])["half_width"] == 0.0
    single = study.mean_interval([0.7])
    assert single["mean"] == 0.7 and math.isnan(single["half_width"])
    with pytest.raises(ValueError, match="finite"):
        study.mean_interval([])
    with pytest.raises(ValueError, match="finite"):
        study.mean_interval([1.0, float("nan")])
    with pytest.raises(ValueError, match="confidence"):
        study.mean_interval([1.0, 2.0], confidence=95)


# --- networks ---------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [64, 32, 16])
def test_classifier_stem_adapts_to_the_input_size(size: int) -> None:
    model = study.build_classifier(size, widths=(4, 8))
    assert model.output.shape[-1] == 10
    body = model.get_layer("stage1_block1_conv1").input.shape
    assert body[1:3] == (study.FEATURE_SIZE, study.FEATURE_SIZE)  # same body whatever the input
    out = model.predict_on_batch(np.zeros((2, size, size, 3), np.float32))
    assert out.shape == (2, 10)


def test_classifier_and_resizer_bad_arguments() -> None:
    with pytest.raises(ValueError, match="input_size must be 16, 32 or 64"):
        study.build_classifier(48)
    with pytest.raises(ValueError, match="widths"):
        study.build_classifier(64, widths=())
    with pytest.raises(ValueError, match="at least 2 sources"):
        study.build_artifact_detector(1)


def test_resizer_outputs_64x64_around_a_bilinear_resize() -> None:
    model = study.build_resizer_classifier(16, widths=(4,))
    assert model.get_layer("resized").output.shape[1:] == (64, 64, 3)
    assert model.predict_on_batch(np.zeros((1, 16, 16, 3), np.float32)).shape == (1, 10)


def test_augment_applies_the_eight_symmetries_of_the_square() -> None:
    image = np.arange(4 * 4 * 3, dtype=np.uint8).reshape(1, 4, 4, 3)
    batch = np.repeat(image, 8, axis=0)
    out = _engine._augment(batch, np.arange(8))
    assert np.array_equal(out[0], image[0])
    assert len({out[i].tobytes() for i in range(8)}) == 8
    assert np.array_equal(out[1], np.rot90(image[0], 1))
    assert np.array_equal(out[4], image[0][:, ::-1])


# --- configuration ----------------------------------------------------------------------------

@pytest.mark.parametrize("changes, match", [
    ({"scales": (3,)}, "scales must be 2 or 4"), ({"scales": ()}, "scales is empty"),
    ({"methods": ("bicubicc",)}, "unknown method 'bicubicc'"), ({"methods": "bicubic"}, "list of method names"),
    ({"seeds": (0, 0)}, "duplicates"), ({"seeds": (-1,)}, "seed"), ({"epochs": 0}, "epochs"),
    ({"max_minutes": -1.0}, "max_minutes"), ({"methods": ("lr",)}, "reserved"), ({"verbose": 2}, "verbose")])
def test_bad_config_raises(changes: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        study.default_config(**changes)


def test_conditions_and_test_sources_of_the_default_study() -> None:
    config = study.default_config()
    names = [condition.name for condition in study.conditions(config)]
    assert names[0] == "hr" and "fsrcnn_x4" in names and "resaug" in names
    assert {"lr_direct_x2", "resizer_x4", "detector_x2", "detector_x4"} <= set(names)
    # 7 natural-photo methods + 3 in-domain SR models at x2 and x4, the 3 SRResNets at x4 only,
    # resaug and its degradation-aware twin
    assert len(names) == 1 + 10 * 2 + 3 + 2 + 4 + 2 and "resaug_degraded" in names
    assert {"srresnet_x4", "srresnet_gan_x4", "srresnet_blind_x4"} <= set(names) and "srresnet_x2" not in names
    assert study.method_scales(config, "srresnet_gan") == (4,) and study.method_scales(config, "bicubic") == (2, 4)
    assert {"srcnn_eurosat_x2", "fsrcnn_eurosat_x4", "espcn_eurosat_x4"} <= set(names)
    assert all(config.method_weights[m] == str(study.IN_DOMAIN_WEIGHTS) for m in study.IN_DOMAIN_METHODS)
    # resolution augmentation and the detector keep the natural-photo methods they first ran with
    resaug = next(c for c in study.conditions(config) if c.name == "resaug")
    assert study.schedule_of(config, resaug)["methods"] == list(study.NATURAL_METHODS)
    hr = study.conditions(config)[0]
    assert study.test_sources(config, hr) == (
        ["hr"] + [f"{m}_x{s}" for s in (2, 4) for m in config.methods if s in study.method_scales(config, m)]
        + [f"{m}_x2_realesrgan" for m in study.NATURAL_METHODS]
        + [f"{m}_x4_realesrgan" for m in (*study.NATURAL_METHODS, "srresnet", "srresnet_blind")])
    lr = next(c for c in study.conditions(config) if c.name == "lr_direct_x4")
    assert study.test_sources(config, lr) == ["lr_x4"]


def test_methods_run_at_the_scales_they_have_weights_for() -> None:
    config = study.default_config(methods=("bicubic", "srresnet"), mixed_methods=None, degraded_methods=None)
    assert [c.name for c in study.conditions(config) if c.kind == "expanded"] == ["hr", "bicubic_x2", "bicubic_x4",
                                                                                 "srresnet_x4"]
    # augmentation and the detector draw every method at every scale: by default only the complete ones
    assert study.mixed_methods(config) == ("bicubic",) and study.degraded_methods(config) == ("bicubic",)
    with pytest.raises(ValueError, match=r"\['srresnet'\] lack weights for some of \(2, 4\)"):
        study.default_config(methods=("bicubic", "srresnet"), mixed_methods=("bicubic", "srresnet"),
                             degraded_methods=None)
    with pytest.raises(ValueError, match="no weights for any of the scales"):
        study.default_config(methods=("srresnet",), scales=(2,), mixed_methods=None, degraded_methods=None)
    with pytest.raises(ValueError, match=r"degraded_methods \['espcn'\] are not in methods"):
        study.default_config(methods=("bicubic",), mixed_methods=None, degraded_methods=("espcn",))
    table = study.markdown_table(study.summarize([]))
    assert "srresnet" not in table  # no empty x2 rows for an x4-only model


# --- the image store --------------------------------------------------------------------------

def test_store_expands_with_srlib_upscale_once_and_outside_the_repo(tmp_path: Path, monkeypatch) -> None:
    import srlib

    split = eurosat.eurosat_splits(limit_per_class=1)["test"]
    monkeypatch.setenv("SRLIB_DATA_DIR", str(tmp_path / "data"))
    store = _store.ImageStore(split.root, split.files)
    assert store.folder.is_relative_to(tmp_path / "data" / "study")
    expanded = store.get("bicubic_x4")
    hr = eurosat.read_eurosat(split)
    assert np.array_equal(store.get("hr"), hr)
    assert np.array_equal(expanded[3], srlib.upscale("bicubic", make_lr(hr[3], 4), 4))
    assert store.get("lr_x4").shape == (10, 16, 16, 3)
    assert store.path("bicubic_x4").is_file()
    assert store.path("bicubic_x4").stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
    fresh = _store.ImageStore(split.root, split.files)
    monkeypatch.setattr(fresh, "_compute", lambda source: pytest.fail(f"recomputed {source}"))
    assert np.array_equal(fresh.get("bicubic_x4"), expanded)
    assert not list(store.folder.glob("*.tmp")), "atomic writes leave no temporary file"
    with pytest.raises(ValueError, match="unknown image source"):
        store.get("bicubic4")
    with pytest.raises(ValueError, match="unknown expansion method"):
        store.get("magic_x2")


def test_source_names_round_trip() -> None:
    assert _store.parse_source(_store.source_name("lanczos3", 4)) == ("lanczos3", 4)
    assert _store.parse_source("fsrcnn_eurosat_x2") == ("fsrcnn_eurosat", 2)
    assert _store.parse_source("hr") == ("hr", 1)


# --- whole (tiny) studies ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("study_cache")


def tiny(out: Path, cache: Path, **changes) -> study.StudyConfig:
    settings = dict(out=str(out), cache_dir=str(cache), scales=(4,), methods=("nearest",), seeds=(0,),
                    epochs=2, batch_size=16, widths=(4,), detector_epochs=1, limit_per_class=4,
                    alternatives=False, augmentation=False, detector=False, verbose=0)
    settings.update(changes)
    return study.quick_config(**settings)


def _results(out: Path) -> dict[str, dict]:
    """Run files without the fields that legitimately differ between two runs (time, machine)."""
    records = {}
    for path in sorted((out / "runs").glob("*.json")):
        record = json.loads(path.read_text())
        record.pop("timing"), record.pop("hardware")
        record["weights"].pop("sha256")  # HDF5 files carry timestamps: the arrays are compared instead
        for row in record["history"]:
            row.pop("seconds")
        records[path.name] = record
    return records


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    """An uninterrupted tiny study with every kind of condition."""
    out = tmp_path_factory.mktemp("reference")
    result = study.run_study(tiny(out, cache, augmentation=True, detector=True, alternatives=True))
    assert result["stopped"] is None and not result["missing"]
    return out


def test_study_writes_one_file_per_run_and_a_report(reference: Path) -> None:
    names = sorted(path.stem for path in (reference / "runs").glob("*.json"))
    assert names == sorted(["hr__seed0", "nearest_x4__seed0", "resaug__seed0", "lr_direct_x4__seed0",
                            "resizer_x4__seed0", "detector_x4__seed0"])
    hr = json.loads((reference / "runs" / "hr__seed0.json").read_text())
    assert set(hr["test"]) == {"hr", "nearest_x4"}
    for score in hr["test"].values():
        matrix = np.asarray(score["confusion"])
        assert matrix.sum() == 40 and score["top1"] == pytest.approx(np.trace(matrix) / 40)
    assert (reference / "weights" / "hr__seed0.weights.h5").is_file()
    detector = json.loads((reference / "runs" / "detector_x4__seed0.json").read_text())
    assert detector["test"]["mixed"]["sources"] == ["hr", "nearest_x4"]
    summary = study.load_summary(reference)
    assert summary["runs"] == 6 and summary["reference"] == pytest.approx(hr["test"]["hr"]["top1"])
    table = (reference / "table.md").read_text()
    assert "| nearest |" in table and "learnable resizer" in table and "Artifact detector" in table
    for figure in study.FIGURES:  # all but the degraded-test figure: this study has no degradations
        if figure != "degraded.png":
            assert (reference / "figures" / figure).stat().st_size > 1000
    assert not (reference / "figures" / "degraded.png").exists()
    psnr = json.loads((reference / "expansions.json").read_text())["psnr_y"]
    assert 15 < psnr["nearest_x4"] < 40


def test_examples_are_spread_over_the_classes() -> None:
    from srlib.study._engine import _spread_over_classes

    labels = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    picked = _spread_over_classes(np.array([0, 1, 2, 3, 5, 6, 7]), labels, 5)
    assert picked.tolist() == [0, 3, 5, 1, 6]  # one of each class first, in file order within a class


def test_plot_examples_rebuilds_the_expanded_images(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    split = eurosat.eurosat_splits()["test"]
    files = [split.files[0], split.files[-1]]
    labels = [int(split.labels[0]), int(split.labels[-1])]
    run = {"data": {"root": str(split.root)},
           "examples": {"nearest_x4": [[files[0], labels[0], (labels[0] + 1) % 10],
                                       [files[1], labels[1], (labels[1] + 2) % 10]]}}
    study.atomic_write_json(tmp_path / "runs" / "hr__seed0.json", run)
    axes = study.plot_examples(tmp_path, per_source=3)
    assert axes.shape == (1, 2)
    assert axes[0, 0].get_title() == (f"{eurosat.EUROSAT_CLASSES[labels[0]]}\n-> "
                                      f"{eurosat.EUROSAT_CLASSES[(labels[0] + 1) % 10]}")
    hr = eurosat.read_eurosat(split)[0]
    shown = axes[0, 0].get_images()[0].get_array()
    assert np.array_equal(np.asarray(shown), srlib.upscale("nearest", make_lr(hr, 4), 4))
    plt.close(axes[0, 0].figure)
    with pytest.raises(FileNotFoundError, match="data_root"):
        study.plot_examples(tmp_path, data_root=tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="no run file"):
        study.plot_examples(tmp_path, condition="bicubic_x4")
    with pytest.raises(ValueError, match="no misclassified examples"):
        study.plot_examples(tmp_path, sources=["bicubic_x4"])


def test_scale_curves_draw_the_hr_row_alone_on_a_percent_axis() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def entry(kind: str, scale: int, tests: dict) -> dict:
        return {"kind": kind, "scale": scale, "tests": {test: {"top1": {"mean": value, "half_width": 0.01}}
                                                        for test, value in tests.items()}}

    only_hr = {"conditions": {"hr": entry("expanded", 1, {"hr": 0.86, "nearest_x2": 0.70, "nearest_x4": 0.30})}}
    ax = study.plot_scale_curves(only_hr)
    low, high = ax.get_ylim()
    assert high == 100 and 20 < low < 30  # percent, from just under the lowest point
    assert len(ax.lines) >= 1 and max(ax.lines[0].get_xdata()) == 4
    plt.close(ax.figure)


def test_a_method_run_at_one_scale_is_a_lone_point_in_its_own_colour() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def entry(kind: str, scale: int, tests: dict) -> dict:
        return {"kind": kind, "scale": scale, "tests": {test: {"top1": {"mean": value, "half_width": 0.01}}
                                                        for test, value in tests.items()}}

    tests = {"hr": 0.86, "bicubic_x2": 0.7, "bicubic_x4": 0.5, "srresnet_x4": 0.6, "srresnet_gan_x4": 0.66}
    summary = {"conditions": {"hr": entry("expanded", 1, tests)}}
    ax = study.plot_scale_curves(summary)
    by_colour = {}
    for line in ax.lines[:-1]:  # the last line is the native reference
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        by_colour.setdefault(tuple(matplotlib.colors.to_rgba(line.get_color())), []).append((x, y))
    assert len(by_colour) == 3  # bicubic, srresnet, srresnet_gan: three colours
    for curves in by_colour.values():
        x, y = curves[0]
        if np.isnan(y).any():  # an x4-only model: no value at x2, so no line from native through x2
            assert list(x) == [1, 2, 4] and np.isnan(y[1]) and y[2] in (60.0, 66.0)
        else:
            assert list(y) == [86.0, 70.0, 50.0]
    assert sum(np.isnan(np.asarray(c[0][1], float)).any() for c in by_colour.values()) == 2
    plt.close(ax.figure)


def test_same_seed_same_results(reference: Path, cache: Path, tmp_path: Path) -> None:
    study.run_study(tiny(tmp_path, cache, augmentation=True, detector=True, alternatives=True),
                    only=["hr", "resaug", "detector_x4"])
    again = _results(tmp_path)
    expected = _results(reference)
    assert again == {name: expected[name] for name in again} and len(again) == 3
    first, second = study.build_classifier(64, widths=(4,)), study.build_classifier(64, widths=(4,))
    first.load_weights(str(reference / "weights" / "hr__seed0.weights.h5"))
    second.load_weights(str(tmp_path / "weights" / "hr__seed0.weights.h5"))
    assert all(np.array_equal(a, b) for a, b in zip(first.get_weights(), second.get_weights()))


def test_another_seed_other_results(reference: Path, cache: Path, tmp_path: Path) -> None:
    study.run_study(tiny(tmp_path, cache, seeds=(1,)), only=["hr"])
    other = json.loads((tmp_path / "runs" / "hr__seed1.json").read_text())
    first = json.loads((reference / "runs" / "hr__seed0.json").read_text())
    assert other["history"][0]["loss"] != first["history"][0]["loss"]


def test_resume_after_a_kill_mid_run_gives_identical_results(reference: Path, cache: Path, tmp_path: Path) -> None:
    config = tiny(tmp_path, cache)

    def kill_in_second_run(name: str, epoch: int, row: dict) -> None:
        if name == "nearest_x4__seed0" and epoch == 0:
            raise KeyboardInterrupt  # what Ctrl-C or a killed job does mid-run

    with pytest.raises(KeyboardInterrupt):
        study.run_study(config, on_epoch=kill_in_second_run)
    assert sorted(path.name for path in (tmp_path / "runs").iterdir()) == ["hr__seed0.json"]
    assert not list((tmp_path / "weights").glob(".*")), "no partial weights file left behind"
    result = study.run_study(config)
    assert result["skipped"] == ["hr__seed0"] and result["finished"] == ["nearest_x4__seed0"]
    expected = _results(reference)
    assert _results(tmp_path) == {name: expected[name] for name in ("hr__seed0.json", "nearest_x4__seed0.json")}


def test_max_minutes_stops_between_runs_and_resumes(reference: Path, cache: Path, tmp_path: Path) -> None:
    config = tiny(tmp_path, cache, epochs=2, max_minutes=1e-4)
    result = study.run_study(config)  # the budget runs out during the first run's first epoch
    assert result["stopped"] and "max_minutes" in result["stopped"] and not result["finished"]
    assert not (tmp_path / "runs").exists() or not list((tmp_path / "runs").iterdir())
    result = study.run_study(tiny(tmp_path, cache, epochs=2))
    assert result["finished"] == ["hr__seed0", "nearest_x4__seed0"]
    expected = _results(reference)
    assert _results(tmp_path) == {name: expected[name] for name in ("hr__seed0.json", "nearest_x4__seed0.json")}


def test_a_changed_schedule_is_refused(reference: Path, cache: Path, tmp_path: Path) -> None:
    shutil.copytree(reference / "runs", tmp_path / "runs")
    with pytest.raises(ValueError, match="another schedule or data"):
        study.run_study(tiny(tmp_path, cache, epochs=3), only=["hr"])


def test_rescore_on_the_same_test_images_gives_the_same_scores(reference: Path, cache: Path, tmp_path: Path) -> None:
    split = eurosat.eurosat_splits(limit_per_class=4)["test"]
    folder = tmp_path / "test_images"
    for name in split.files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(split.root / name, folder / name)
    config = tiny(reference, cache, augmentation=True, detector=True, alternatives=True)
    result = study.rescore_study(config, folder)
    assert len(result["rescored"]) == 6
    for name in ("hr__seed0", "nearest_x4__seed0", "lr_direct_x4__seed0"):
        original = json.loads((reference / "runs" / f"{name}.json").read_text())["test"]
        rescored = json.loads((Path(result["out"]) / "runs" / f"{name}.json").read_text())["test"]
        assert rescored == original
    assert (Path(result["out"]) / "table.md").is_file()


def test_rescore_needs_runs_and_matching_weights(reference: Path, cache: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no finished runs"):
        study.rescore_study(tiny(tmp_path, cache), eurosat.BUNDLED_SUBSET)
    shutil.copytree(reference / "runs", tmp_path / "runs")
    shutil.copytree(reference / "weights", tmp_path / "weights")
    (tmp_path / "weights" / "hr__seed0.weights.h5").write_bytes(
        (tmp_path / "weights" / "nearest_x4__seed0.weights.h5").read_bytes())
    with pytest.raises(ValueError, match="do not match the sha256"):
        study.rescore_study(tiny(tmp_path, cache, augmentation=True, detector=True, alternatives=True),
                            eurosat.BUNDLED_SUBSET)


def test_a_method_added_later_is_scored_from_the_saved_classifier(reference: Path, cache: Path,
                                                                    tmp_path: Path) -> None:
    shutil.copytree(reference / "runs", tmp_path / "runs")
    shutil.copytree(reference / "weights", tmp_path / "weights")
    before = json.loads((tmp_path / "runs" / "hr__seed0.json").read_text())
    more = tiny(tmp_path, cache, methods=("nearest", "bicubic"), mixed_methods=("nearest",),
                augmentation=True, detector=True, alternatives=True)
    result = study.run_study(more, only=["hr", "resaug"])
    assert result["finished"] == [] and result["incomplete"] == {}
    after = json.loads((tmp_path / "runs" / "hr__seed0.json").read_text())
    assert set(after["test"]) == {"hr", "nearest_x4", "bicubic_x4"}
    assert {key: after["test"][key] for key in before["test"]} == before["test"]  # old scores untouched
    assert after["added_tests"][0]["sources"] == ["bicubic_x4"]
    # the same classifier, trained with bicubic in the list from the start, scores the same
    fresh = tmp_path / "fresh"
    study.run_study(tiny(fresh, cache, methods=("nearest", "bicubic"), mixed_methods=("nearest",)), only=["hr"])
    assert json.loads((fresh / "runs" / "hr__seed0.json").read_text())["test"] == after["test"]
    # without its weights a run cannot be completed: reported, nothing invented
    shutil.copytree(reference / "runs", tmp_path / "bare" / "runs")
    bare = tiny(tmp_path / "bare", cache, methods=("nearest", "bicubic"), mixed_methods=("nearest",))
    result = study.run_study(bare, only=["hr"])
    assert result["incomplete"] == {"hr__seed0": ["bicubic_x4"]}
    with pytest.raises(ValueError, match="mixed_methods"):
        tiny(tmp_path, cache, methods=("nearest",), mixed_methods=("bicubic",))


def test_degraded_test_sets_and_degradation_aware_augmentation(cache: Path, tmp_path: Path) -> None:
    """Lesson 06's realistic LR in the study: fixed per image, scored, and drawn by resaug_degraded."""
    from srlib.data import fixed_degradation
    from srlib.study._engine import _draw_sources, _mixed_sources

    config = tiny(tmp_path, cache, methods=("nearest", "bicubic"), degradations=("realesrgan",), augmentation=True)
    names = [condition.name for condition in study.conditions(config)]
    assert "resaug_degraded" in names and "resaug" in names
    hr = study.conditions(config)[0]
    assert study.test_sources(config, hr)[-2:] == ["nearest_x4_realesrgan", "bicubic_x4_realesrgan"]
    data = study.load_study_data(config)
    lr = data.store.get("lr_x4_realesrgan")
    row = int(data.rows["test"][3])
    file = data.store.files[row]
    expected = fixed_degradation(np.asarray(data.store.get("hr")[row]), 4, "realesrgan", seed=0, name=Path(file).stem)
    assert np.array_equal(lr[row], expected.lr) and not np.array_equal(lr[row], data.store.get("lr_x4")[row])
    assert np.array_equal(data.store.get("bicubic_x4_realesrgan")[row],
                          srlib.upscale("bicubic", expected.lr, 4))
    # the draws: native, clean and degraded, each method, in the documented proportions
    augmented = next(c for c in study.conditions(config) if c.name == "resaug_degraded")
    sources = _mixed_sources(config, augmented)
    assert sources == ["hr", "nearest_x4", "bicubic_x4", "nearest_x4_realesrgan", "bicubic_x4_realesrgan"]
    drawn = np.bincount(_draw_sources(config, augmented, 20000, np.random.default_rng(0)), minlength=5) / 20000
    assert abs(drawn[0] - 0.5) < 0.02 and np.all(np.abs(drawn[1:] - 0.125) < 0.02)
    assert study.schedule_of(config, augmented)["degradations"] == ["realesrgan"]
    result = study.run_study(config, only=["hr", "resaug_degraded"])
    assert sorted(result["finished"]) == ["hr__seed0", "resaug_degraded__seed0"]
    record = json.loads((tmp_path / "runs" / "resaug_degraded__seed0.json").read_text())
    assert {"hr", "bicubic_x4", "bicubic_x4_realesrgan"} <= set(record["test"])
    table = (tmp_path / "table.md").read_text()
    assert "degradation-aware augmented" in table and "| bicubic x4 |" in table
    assert (tmp_path / "figures" / "degraded.png").is_file()
    # one image rebuilt from its file (what plot_examples draws) is the cached one
    hr_image = np.asarray(data.store.get("hr")[row])
    assert np.array_equal(study.expand_image("bicubic_x4_realesrgan", hr_image, file),
                          data.store.get("bicubic_x4_realesrgan")[row])
    psnr = json.loads((tmp_path / "expansions.json").read_text())["psnr_y"]
    assert psnr["bicubic_x4_realesrgan"] < psnr["bicubic_x4"]  # the realistic LR is further from HR
    with pytest.raises(ValueError, match="degradations must be distinct names"):
        tiny(tmp_path, cache, degradations=("jpeg",))
    with pytest.raises(ValueError, match="unknown image source"):
        study.parse_source("bicubic_x4_jpeg")


def test_only_refuses_unknown_conditions(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        study.run_study(tiny(tmp_path, cache), only=["bicubic_x3"])


def test_readme_carries_the_committed_study_table() -> None:
    """README's "The answer" table is benchmarks/study/table.md, as the study command wrote it."""
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- study-table:start -->\n", "<!-- study-table:end -->"
    assert start in readme and end in readme
    shown = readme.split(start, 1)[1].split(end, 1)[0]
    table = (root / "benchmarks" / "study" / "table.md").read_text(encoding="utf-8")
    assert shown.strip() == table.strip(), "copy benchmarks/study/table.md into README.md between the markers"
    summary = study.load_summary(root / "benchmarks" / "study")
    assert table.strip() == study.markdown_table(summary).strip()


def test_class_recall_bars_are_the_pooled_recall(reference: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = study.load_summary(reference)
    ax = study.plot_class_recall(summary, [("hr", "nearest_x4")])
    heights = [patch.get_height() for patch in ax.patches]
    expected = 100 * np.asarray(summary["conditions"]["hr"]["tests"]["nearest_x4"]["recall"], np.float64)
    assert np.allclose(np.nan_to_num(heights), np.nan_to_num(expected))
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="none of the"):
        study.plot_class_recall(summary, [("bicubic_x2", "hr")])

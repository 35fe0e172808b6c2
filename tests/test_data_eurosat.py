"""srlib.data.eurosat: layouts, the fixed split, the bundled subset and the registry entry.

Synthetic folders are built from the bundled subset's own files: no ../shared, no network.
"""
from __future__ import annotations

import csv
import hashlib
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from srlib.data import REGISTRY
from srlib.data import eurosat

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_subset_matches_its_manifest() -> None:
    manifest = eurosat.subset_manifest()
    assert len(manifest) == 10 * eurosat.SUBSET_PER_CLASS == eurosat.verify_subset()
    for name, digest in manifest.items():  # independently of verify_subset
        assert hashlib.sha256((eurosat.BUNDLED_SUBSET / name).read_bytes()).hexdigest() == digest
    per_class = {name: sum(key.startswith(name + "/") for key in manifest) for name in eurosat.EUROSAT_CLASSES}
    assert set(per_class.values()) == {eurosat.SUBSET_PER_CLASS}
    total = sum((eurosat.BUNDLED_SUBSET / name).stat().st_size for name in manifest)
    assert total < 3_000_000, "the bundled subset must stay a few MB"
    licence = (eurosat.BUNDLED_SUBSET / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "Patrick Helber" in licence
    assert "kaggle-split-train.csv" in (eurosat.BUNDLED_SUBSET / "README.md").read_text()


def test_verify_subset_detects_a_changed_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "subset"
    shutil.copytree(eurosat.BUNDLED_SUBSET, copy)
    monkeypatch.setattr(eurosat, "BUNDLED_SUBSET", copy)
    eurosat.verify_subset()
    first = next(iter(eurosat.subset_manifest()))
    (copy / first).write_bytes((copy / first).read_bytes() + b"\0")
    with pytest.raises(ValueError, match="changed"):
        eurosat.verify_subset()


def test_pyproject_ships_the_subset() -> None:
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["srlib"]
    for pattern in ("data/eurosat_subset/*/*.jpg", "data/eurosat_subset/SHA256SUMS", "data/eurosat_subset/LICENSE",
                    "data/eurosat_subset/README.md"):
        assert pattern in package_data


def test_subset_split_is_fixed_stratified_and_disjoint() -> None:
    splits = eurosat.eurosat_splits()
    again = eurosat.eurosat_splits(eurosat.BUNDLED_SUBSET)
    for key in ("train", "validation", "test"):
        assert splits[key].files == again[key].files
    assert {key: set(split.class_counts().values()) for key, split in splits.items()} == {
        "train": {43}, "validation": {5}, "test": {12}}
    names = [set(split.files) for split in splits.values()]
    assert not (names[0] & names[1] or names[0] & names[2] or names[1] & names[2])
    assert sum(map(len, names)) == 600
    for split in splits.values():  # labels follow the class folder
        assert all(eurosat.EUROSAT_CLASSES[label] == name.split("/")[0] for name, label in zip(split.files, split.labels))


def test_limit_per_class_keeps_the_split() -> None:
    full, small = eurosat.eurosat_splits(), eurosat.eurosat_splits(limit_per_class=3)
    for key in full:
        assert set(small[key].files) <= set(full[key].files)
        assert set(small[key].class_counts().values()) == {3}


def test_read_eurosat_decodes_the_original_jpegs() -> None:
    split = eurosat.eurosat_splits(limit_per_class=1)["test"]
    images = eurosat.read_eurosat(split)
    assert images.shape == (10, 64, 64, 3) and images.dtype == np.uint8
    with Image.open(split.root / split.files[0]) as image:
        assert np.array_equal(images[0], np.asarray(image.convert("RGB")))


def _kaggle_folder(tmp_path: Path, per_class: int = 6) -> Path:
    """Class folders + Kaggle-style CSVs: the first two images of each class are the 'validation' (test) split."""
    folder = tmp_path / "EuroSAT_RGB"
    train_rows, test_rows = [], []
    for label, name in enumerate(eurosat.EUROSAT_CLASSES):
        (folder / name).mkdir(parents=True)
        files = sorted((eurosat.BUNDLED_SUBSET / name).glob("*.jpg"))[:per_class]
        for index, file in enumerate(files):
            shutil.copyfile(file, folder / name / file.name)
            (test_rows if index < 2 else train_rows).append([index, f"{name}/{file.name}", label, name])
    for csv_name, rows in (("kaggle-split-train.csv", train_rows), ("kaggle-split-validation.csv", test_rows)):
        with open(folder / csv_name, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["", "Filename", "Label", "ClassName"])
            writer.writerows(rows)
    return folder


def test_kaggle_layout_tests_on_the_validation_csv(tmp_path: Path) -> None:
    folder = _kaggle_folder(tmp_path)
    assert eurosat.eurosat_layout(folder) == "kaggle-split"
    splits = eurosat.eurosat_splits(folder, validation_fraction=0.25)
    with open(folder / "kaggle-split-validation.csv") as handle:
        listed = {row["Filename"] for row in csv.DictReader(handle)}
    assert set(splits["test"].files) == listed
    assert set(splits["validation"].class_counts().values()) == {1}  # 25 % of 4 training images
    assert set(splits["train"].class_counts().values()) == {3}
    assert not set(splits["train"].files) & set(splits["validation"].files)
    with pytest.raises(ValueError, match="kaggle-split-train.csv"):
        eurosat.eurosat_test_split(folder)


def test_archive_layout_under_2750(tmp_path: Path) -> None:
    archive = tmp_path / "EuroSAT.extracted"
    for name in eurosat.EUROSAT_CLASSES:
        shutil.copytree(eurosat.BUNDLED_SUBSET / name, archive / "2750" / name)
    assert eurosat.eurosat_root(archive) == archive / "2750"
    assert eurosat.eurosat_layout(archive) == "class-folders"
    splits = eurosat.eurosat_splits(archive)
    assert [split.files for split in splits.values()] == [split.files for split in eurosat.eurosat_splits().values()]
    assert len(eurosat.eurosat_test_split(archive)) == 600


def test_bad_folders_raise(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such folder"):
        eurosat.eurosat_splits(tmp_path / "missing")
    (tmp_path / "cats").mkdir()
    with pytest.raises(ValueError, match="none of the EuroSAT class folders"):
        eurosat.eurosat_splits(tmp_path)
    (tmp_path / "Forest").mkdir()
    with pytest.raises(ValueError, match="not EuroSAT classes.*cats"):
        eurosat.eurosat_splits(tmp_path)
    (tmp_path / "cats").rmdir()
    with pytest.raises(ValueError, match="no images"):
        eurosat.eurosat_splits(tmp_path)
    Image.fromarray(np.zeros((32, 32, 3), np.uint8)).save(tmp_path / "Forest" / "Forest_1.png")
    with pytest.raises(ValueError, match="Forest_1.png.*expected a 64x64"):
        eurosat.read_eurosat(eurosat.eurosat_test_split(tmp_path))
    (tmp_path / "Forest" / "Forest_1.png").unlink()
    (tmp_path / "Forest" / "Forest_2.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(ValueError, match="cannot decode.*Forest_2.jpg"):
        eurosat.read_eurosat(eurosat.eurosat_test_split(tmp_path))


@pytest.mark.parametrize("kwargs, match", [({"validation_fraction": 1.0}, "below 1"),
                                           ({"test_fraction": -0.1}, "test_fraction"),
                                           ({"limit_per_class": 0}, "limit_per_class"),
                                           ({"limit_per_class": 2.5}, "limit_per_class")])
def test_bad_split_arguments_raise(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        eurosat.eurosat_splits(**kwargs)


def test_registry_entry_for_the_official_archive() -> None:
    info = REGISTRY["EuroSAT"]
    assert info.url.endswith("/EuroSAT.zip") and "huggingface.co/datasets/torchgeo/eurosat" in info.url
    assert info.known_hash == "md5:c8fa014336c82ac7804f0398fcb19387"
    assert info.archive == "zip" and info.subfolder == "2750" and info.verified and "MIT" in info.licence

"""EuroSAT RGB: reading its folders, its labels and a fixed train / validation / test split.

EuroSAT (Helber et al., JSTARS 2019; MIT licence) holds 27,000 Sentinel-2 RGB patches of
64x64 pixels in 10 land-use classes. Three layouts are read, all with the images in one
folder per class (``<Class>/<Class>_<n>.jpg``):

* **Kaggle-split layout**: class folders plus ``kaggle-split-train.csv`` and
  ``kaggle-split-validation.csv`` (the course's ``../shared/datasets/EuroSAT_RGB``). The Kaggle
  *validation* split is the **test** split here; the validation split is carved from the Kaggle
  training split (a fixed, class-stratified choice), so nothing is ever tuned on the test split.
* **Archive layout**: the official ``EuroSAT.zip`` (registry entry ``"EuroSAT"``, images under
  ``2750/<Class>/``), or any folder of class folders. With no split files, the split is a fixed,
  class-stratified choice by file name (see :func:`eurosat_splits`); it is *not* the Kaggle split,
  so results on it are not comparable number for number with the committed study.
* **The bundled subset** (:data:`BUNDLED_SUBSET`): 60 images per class shipped inside srlib, all
  from the Kaggle *training* split, so the lesson and the tests run with no download.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import numpy as np

from srlib._checks import check_non_negative_int, check_positive_number

__all__ = ["EUROSAT_CLASSES", "EUROSAT_SIZE", "BUNDLED_SUBSET", "SUBSET_PER_CLASS", "EuroSATSplit",
           "eurosat_root", "eurosat_layout", "eurosat_splits", "eurosat_test_split", "read_eurosat",
           "subset_manifest", "verify_subset", "export_split"]

PathLike = Union[str, "os.PathLike[str]"]

#: The 10 class folder names, in label order (alphabetical, as in the Kaggle label map).
EUROSAT_CLASSES: tuple[str, ...] = ("AnnualCrop", "Forest", "HerbaceousVegetation", "Highway", "Industrial",
                                    "Pasture", "PermanentCrop", "Residential", "River", "SeaLake")
#: Side of every EuroSAT image in pixels.
EUROSAT_SIZE = 64
#: The offline subset shipped inside srlib (class folders, ``SHA256SUMS``, ``LICENSE``, ``README.md``).
BUNDLED_SUBSET: Path = Path(__file__).resolve().parent / "eurosat_subset"
#: Images per class in :data:`BUNDLED_SUBSET`.
SUBSET_PER_CLASS = 60

_TRAIN_CSV = "kaggle-split-train.csv"
_TEST_CSV = "kaggle-split-validation.csv"  # the Kaggle *validation* split is our test split
_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


@dataclass(frozen=True)
class EuroSATSplit:
    """A list of EuroSAT image files with their labels.

    Attributes
    ----------
    root : pathlib.Path
        The folder the file paths are relative to (the one holding the class folders).
    files : tuple of str
        Paths relative to ``root`` (``"Forest/Forest_12.jpg"``), sorted by class then name.
    labels : numpy.ndarray
        ``int64`` labels (index into :data:`EUROSAT_CLASSES`), one per file.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """

    root: Path
    files: tuple[str, ...]
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.files)

    def fingerprint(self) -> str:
        """SHA256 (hex, 16 digits) of the file list with sizes: names the images, cheaply."""
        digest = hashlib.sha256()
        for name in self.files:
            digest.update(f"{name}:{(self.root / name).stat().st_size}\n".encode())
        return digest.hexdigest()[:16]

    def class_counts(self) -> dict[str, int]:
        """``{class name: number of images}`` in :data:`EUROSAT_CLASSES` order."""
        counts = np.bincount(self.labels, minlength=len(EUROSAT_CLASSES))
        return {name: int(count) for name, count in zip(EUROSAT_CLASSES, counts)}


def _natural_key(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def eurosat_root(folder: PathLike) -> Path:
    """The folder that holds the 10 class folders: ``folder`` itself or ``folder/2750`` (the archive).

    Raises
    ------
    FileNotFoundError
        If ``folder`` does not exist.
    ValueError
        If neither ``folder`` nor ``folder/2750`` holds a EuroSAT class folder.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    path = Path(folder).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no such folder: {str(path)!r}; pass the EuroSAT folder (the one with the "
                                "class folders AnnualCrop/ ... SeaLake/, or the archive's folder holding 2750/)")
    if not path.is_dir():
        raise ValueError(f"{str(path)!r} is a file, not a EuroSAT folder; pass the folder holding the class folders")
    for candidate in (path, path / "2750"):
        if any((candidate / name).is_dir() for name in EUROSAT_CLASSES):
            return candidate
    raise ValueError(f"{str(path)!r} holds none of the EuroSAT class folders ({', '.join(EUROSAT_CLASSES)}), "
                     "neither directly nor under 2750/; pass the folder that holds them")


def eurosat_layout(folder: PathLike) -> str:
    """``"kaggle-split"`` when the folder has the Kaggle split CSVs, else ``"class-folders"``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    root = eurosat_root(folder)
    return "kaggle-split" if (root / _TRAIN_CSV).is_file() and (root / _TEST_CSV).is_file() else "class-folders"


def _class_folder_files(root: Path) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    unknown = sorted(p.name for p in root.iterdir()
                     if p.is_dir() and not p.name.startswith(".") and p.name not in EUROSAT_CLASSES)
    if unknown:
        raise ValueError(f"{str(root)!r} holds folders that are not EuroSAT classes: {unknown[:5]}; "
                         f"the classes are {', '.join(EUROSAT_CLASSES)}")
    for label, name in enumerate(EUROSAT_CLASSES):
        folder = root / name
        if not folder.is_dir():
            continue
        files = sorted((p.name for p in folder.iterdir()
                        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in _SUFFIXES),
                       key=_natural_key)
        rows.extend((f"{name}/{file}", label) for file in files)
    if not rows:
        raise ValueError(f"no images ({', '.join(_SUFFIXES)}) in the class folders of {str(root)!r}")
    return rows


def _read_csv(root: Path, name: str) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    with open(root / name, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                path, class_name = row["Filename"], row["ClassName"]
            except KeyError as err:
                raise ValueError(f"{str(root / name)!r} lacks the column {err}; expected Filename, Label, "
                                 "ClassName (the Kaggle split files)") from None
            if class_name not in EUROSAT_CLASSES:
                raise ValueError(f"{str(root / name)!r}: unknown class {class_name!r} for {path!r}")
            if not (root / path).is_file():
                raise FileNotFoundError(f"{str(root / name)!r} lists {path!r}, which is not in {str(root)!r}")
            rows.append((path, EUROSAT_CLASSES.index(class_name)))
    return _sorted(rows)


def _sorted(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(rows, key=lambda row: (row[1], _natural_key(row[0])))


def _rank(path: str, salt: str) -> str:
    """A fixed pseudo-random order of file names (independent of the machine and of NumPy)."""
    return hashlib.sha256(f"{salt}:{path}".encode()).hexdigest()


def _carve(rows: list[tuple[str, int]], fraction: float, salt: str) -> tuple[list, list]:
    """Split rows per class: ``round(fraction * n)`` (at least 1 when ``fraction > 0``) go aside."""
    kept: list[tuple[str, int]] = []
    aside: list[tuple[str, int]] = []
    for label in range(len(EUROSAT_CLASSES)):
        members = sorted((row for row in rows if row[1] == label), key=lambda row: _rank(row[0], salt))
        if not members:
            continue
        count = 0 if fraction == 0 else min(len(members) - 1, max(1, round(fraction * len(members))))
        aside.extend(members[:count])
        kept.extend(members[count:])
    return _sorted(kept), _sorted(aside)


def _split(root: Path, rows: list[tuple[str, int]]) -> EuroSATSplit:
    return EuroSATSplit(root=root, files=tuple(row[0] for row in rows),
                        labels=np.array([row[1] for row in rows], dtype=np.int64))


def eurosat_splits(folder: PathLike | None = None, *, validation_fraction: float = 0.1,
                   test_fraction: float = 0.2, limit_per_class: int | None = None) -> dict[str, EuroSATSplit]:
    """The fixed ``train`` / ``validation`` / ``test`` split of a EuroSAT folder.

    Parameters
    ----------
    folder : str, os.PathLike or None
        A EuroSAT folder in any of the layouts of this module; ``None`` means the bundled
        subset (:data:`BUNDLED_SUBSET`).
    validation_fraction : float
        Share of the *training* images of each class held aside for validation (0.1).
    test_fraction : float
        Share of each class used as the test split when the folder has no split files
        (0.2, as in the Kaggle split). Ignored for the Kaggle-split layout, whose test split
        is ``kaggle-split-validation.csv``.
    limit_per_class : int or None
        Keep only the first ``limit_per_class`` images of each class in *each* split (in the
        fixed order the split uses): a smaller study on the same split.

    Returns
    -------
    dict of str to EuroSATSplit
        ``{"train", "validation", "test"}``, disjoint. The choice depends only on the file
        names (a SHA256 ranking), never on a seed, so every seed of a study sees the same split.

    Raises
    ------
    ValueError
        Bad fractions, or a folder that is not EuroSAT.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    validation_fraction = check_positive_number(validation_fraction, "validation_fraction", allow_zero=True)
    test_fraction = check_positive_number(test_fraction, "test_fraction", allow_zero=True)
    if validation_fraction >= 1 or test_fraction >= 1:
        raise ValueError(f"validation_fraction and test_fraction must be below 1, got {validation_fraction} "
                         f"and {test_fraction}; e.g. 0.1 and 0.2")
    if limit_per_class is not None:
        limit_per_class = check_non_negative_int(limit_per_class, "limit_per_class") or None
        if limit_per_class is None:
            raise ValueError("limit_per_class must be a positive integer or None, got 0")
    root = eurosat_root(BUNDLED_SUBSET if folder is None else folder)
    if eurosat_layout(root) == "kaggle-split":
        train_rows, test_rows = _read_csv(root, _TRAIN_CSV), _read_csv(root, _TEST_CSV)
        if set(train_rows) & set(test_rows):
            raise ValueError(f"{_TRAIN_CSV} and {_TEST_CSV} in {str(root)!r} share images; fix the split files")
    else:
        train_rows, test_rows = _carve(_class_folder_files(root), test_fraction, "eurosat-test")
    train_rows, validation_rows = _carve(train_rows, validation_fraction, "eurosat-validation")
    splits = {"train": train_rows, "validation": validation_rows, "test": test_rows}
    if limit_per_class is not None:
        for key, rows in splits.items():
            limited = []
            for label in range(len(EUROSAT_CLASSES)):
                members = sorted((row for row in rows if row[1] == label), key=lambda row: _rank(row[0], key))
                limited.extend(members[:limit_per_class])
            splits[key] = _sorted(limited)
    return {key: _split(root, rows) for key, rows in splits.items()}


def eurosat_test_split(folder: PathLike) -> EuroSATSplit:
    """Every image in a folder of EuroSAT class folders, as a test set (for re-scoring a study).

    Raises
    ------
    ValueError
        If the folder holds the Kaggle training split file (its images include the ones a
        study trains on: pass a folder of test images only).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    root = eurosat_root(folder)
    if (root / _TRAIN_CSV).is_file():
        raise ValueError(f"{str(root)!r} holds {_TRAIN_CSV}: its images include the training split, so it "
                         "cannot be a test folder; pass a folder holding only test images (class folders)")
    return _split(root, _sorted(_class_folder_files(root)))


def read_eurosat(split: EuroSATSplit) -> np.ndarray:
    """Decode the images of a split into one ``uint8`` array ``(N, 64, 64, 3)``.

    Raises
    ------
    ValueError
        A file that does not decode to a 64x64 RGB image (the message names it).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from PIL import Image

    images = np.empty((len(split), EUROSAT_SIZE, EUROSAT_SIZE, 3), dtype=np.uint8)
    for index, name in enumerate(split.files):
        path = split.root / name
        try:
            with Image.open(io.BytesIO(path.read_bytes())) as image:
                array = np.asarray(image.convert("RGB"))
        except OSError as err:
            raise ValueError(f"cannot decode {str(path)!r} ({err}); re-download the dataset") from None
        if array.shape != (EUROSAT_SIZE, EUROSAT_SIZE, 3):
            raise ValueError(f"{str(path)!r} is {array.shape[1]}x{array.shape[0]}, expected a "
                             f"{EUROSAT_SIZE}x{EUROSAT_SIZE} EuroSAT patch")
        images[index] = array
    return images


def export_split(split: EuroSATSplit, folder: PathLike) -> Path:
    """Copy the images of a split into one flat folder (``Forest_12.jpg``, ...) for the train CLI.

    The in-domain SR models of the study are trained with ``python -m srlib train --data
    FOLDER``, whose folder reader takes flat image folders; this writes the *training* split
    (and the validation split as their validation data) so that no test image ever reaches
    an SR model the study then scores. The copy is written beside ``folder`` and renamed into
    place, so an interrupted export leaves no half folder.

    Parameters
    ----------
    split : EuroSATSplit
        Usually ``eurosat_splits(data)["train"]`` or ``["validation"]``.
    folder : str or os.PathLike
        The folder to create; it must not exist yet, or hold exactly this split already
        (then it is left as it is).

    Returns
    -------
    pathlib.Path
        ``folder``.

    Raises
    ------
    ValueError
        If ``folder`` exists with other content (remove it or pick another), or two images of
        the split share a file name.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    import shutil

    target = Path(folder).expanduser()
    names = [Path(name).name for name in split.files]
    if len(set(names)) != len(names):
        raise ValueError("two images of the split share a file name; they cannot share one flat folder")
    if target.exists():
        present = sorted(p.name for p in target.iterdir()) if target.is_dir() else None
        if present == sorted(names):
            return target
        raise ValueError(f"{str(target)!r} exists and does not hold exactly this split's {len(names)} images; "
                         "remove it or choose another folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    for name, short in zip(split.files, names):
        shutil.copyfile(split.root / name, partial / short)
    os.replace(partial, target)
    return target


def subset_manifest() -> dict[str, str]:
    """``{relative path: sha256}`` of the bundled subset, read from its ``SHA256SUMS``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    manifest: dict[str, str] = {}
    for line in (BUNDLED_SUBSET / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            manifest[name.strip().lstrip("*")] = digest
    return manifest


def verify_subset() -> int:
    """Check every bundled image against ``SHA256SUMS`` and that nothing else is there; return the count.

    Raises
    ------
    ValueError
        A missing, changed or extra image.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    manifest = subset_manifest()
    present = {f"{p.parent.name}/{p.name}" for name in EUROSAT_CLASSES
               for p in (BUNDLED_SUBSET / name).glob("*") if p.is_file()}
    extra, missing = sorted(present - set(manifest)), sorted(set(manifest) - present)
    changed = sorted(name for name in set(manifest) & present
                     if hashlib.sha256((BUNDLED_SUBSET / name).read_bytes()).hexdigest() != manifest[name])
    if extra or missing or changed:
        raise ValueError(f"the bundled EuroSAT subset does not match its SHA256SUMS: missing {missing[:5]}, "
                         f"changed {changed[:5]}, extra {extra[:5]}; reinstall srlib")
    return len(manifest)

"""The dataset registry: hash-checked downloads of the standard sets into a cache.

:func:`load_dataset` / :func:`fetch` give the standard super-resolution sets in
:data:`REGISTRY` (Set5, Set14, B100, Urban100, T91, General100, DIV2K) and CIFAR-10,
downloaded once with :mod:`pooch` into a cache outside the repository and checked against
recorded hashes before use; :func:`verify_folder` checks a copy you already have, by its
pixels. The per-file manifests of the small sets (upstream path, download hash and pixel
digest of every image) are JSON files in ``srlib/data/manifests/``.

The cache folder is ``$SRLIB_DATA_DIR`` when set, else pooch's per-user cache
(``pooch.os_cache("srlib")``, e.g. ``~/.cache/srlib`` on Linux). Folders are read by
:mod:`srlib.data.folders`; the offline default images are in :mod:`srlib.data.defaults`.

Taught in ``02_degradation_and_evaluation.ipynb``; see ``data/README.md`` for sources,
licences and hashes.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Mapping, Union

import numpy as np

from srlib.data.archives import ARCHIVE_KINDS, SafeExtract, UnsafeArchiveError
from srlib.data.folders import _natural_key, load_folder

__all__ = ["DatasetInfo", "REGISTRY", "DATA_DIR_ENV", "data_dir", "fetch", "load_dataset", "pixel_digest",
           "verify_folder", "dataset_names"]

PathLike = Union[str, "os.PathLike[str]"]

#: Environment variable naming the download cache folder.
DATA_DIR_ENV = "SRLIB_DATA_DIR"

_EDSR_BENCHMARK = "https://cv.snu.ac.kr/research/EDSR/benchmark.tar"
_UNVERIFIED = ("hash not verified offline: fetch() refuses it unless allow_unverified=True, then warns with the SHA256 "
               "of the file; "
               "record it in REGISTRY (known_hash='sha256:...') once checked against a second source")


@dataclass(frozen=True)
class DatasetInfo:
    """One entry of :data:`REGISTRY`: where a dataset comes from and how it is checked.

    Attributes
    ----------
    name : str
        Registry key, e.g. ``"Set5"``.
    description : str
        One line: what the images are and how many.
    citation : str
        The paper to cite when reporting results on it.
    licence : str
        What is known about the terms of use (most SR sets have no formal licence:
        research use, cite the paper).
    url : str
        The archive URL (``archive`` set) or the base URL the ``files`` paths are joined to.
    archive : {"zip", "tar", "tar.gz", None}
        Archive type, or ``None`` for a dataset downloaded file by file.
    known_hash : str or None
        Hash of the archive in pooch's format (``"sha256:<hex>"`` or ``"md5:<hex>"``);
        ``None`` where it could not be verified when the registry was written.
    subfolder : str
        Folder inside the extracted archive that holds the images.
    files : tuple of (local_name, remote_path, download_hash, pixel_digest)
        For file-by-file datasets: each image's upstream path (joined to ``url``),
        its hash (``"sha256:<hex>"`` checked by pooch, or ``"gitblob:<sha1>"``, the
        git blob id, checked here) and the :func:`pixel_digest` of its pixels.
    verified : bool
        True when every downloaded byte is checked against a hash recorded here.
    images : bool
        False for datasets that are not a folder of image files (CIFAR-10's pickles).
    note : str
        Anything else worth knowing (size, layout, what is not verified).

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """

    name: str
    description: str
    citation: str
    licence: str
    url: str
    archive: Literal["zip", "tar", "tar.gz"] | None = None
    known_hash: str | None = None
    subfolder: str = ""
    files: tuple[tuple[str, str, str, str], ...] = field(default=(), repr=False)
    verified: bool = False
    images: bool = True
    note: str = ""

    @property
    def sha256(self) -> str | None:
        """The archive's SHA256 (hex) when :attr:`known_hash` is a SHA256, else ``None``."""
        if self.known_hash and self.known_hash.startswith("sha256:"):
            return self.known_hash.split(":", 1)[1]
        return None

    @property
    def pixel_digests(self) -> dict[str, str]:
        """``{local_name: pixel_digest}`` for datasets with a per-file manifest."""
        return {row[0]: row[3] for row in self.files}


def _read_manifest(name: str) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
    """The per-file manifest of a dataset: ``(base url, rows)`` from ``manifests/<name>.json``.

    Each row is ``(local_name, path_in_upstream_repository, download_hash, pixel_digest)``
    (see :class:`DatasetInfo`).
    """
    text = resources.files("srlib.data").joinpath("manifests", f"{name}.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    rows = tuple((row["name"], row["path"], row["download_hash"], row["pixel_digest"]) for row in manifest["files"])
    return manifest["url"], rows


_RESEARCH_ONLY = "no licence stated by the authors; widely redistributed for research; cite the paper"


def _file_by_file(name: str, description: str, citation: str, note: str) -> DatasetInfo:
    """A small set downloaded file by file from a pinned commit, every file checked by its manifest."""
    url, rows = _read_manifest(name)
    return DatasetInfo(name=name, description=description, citation=citation, licence=_RESEARCH_ONLY, url=url,
                       files=rows, verified=True, note=note)


def _div2k(name: str, description: str, size: str) -> DatasetInfo:
    """One split of DIV2K: a zip archive named like its folder, not verified offline."""
    return DatasetInfo(
        name=name, description=description,
        citation="Agustsson and Timofte, NTIRE 2017 challenge on single image super-resolution: dataset and study, "
                 "CVPRW 2017",
        licence="academic research use only (DIV2K terms); cite the paper",
        url=f"https://data.vision.ee.ethz.ch/cvl/DIV2K/{name}.zip", archive="zip", subfolder=name,
        note=f"about {size}; " + _UNVERIFIED)


def _registry() -> dict[str, DatasetInfo]:
    entries = [
        _file_by_file("Set5", "5 HR test images (baby, bird, butterfly, head, woman)",
                      "Bevilacqua et al., Low-complexity single-image super-resolution based on nonnegative "
                      "neighbor embedding, BMVC 2012",
                      "byte-identical PNGs from majedelhelou/denoising_datasets (CSet5/), pinned to a commit"),
        _file_by_file("Set14", "14 HR test images (13 RGB + bridge.png grayscale)",
                      "Zeyde et al., On single image scale-up using sparse-representations, Curves and Surfaces 2010",
                      "byte-identical PNGs from majedelhelou/denoising_datasets (CSet14/), pinned to a commit"),
        _file_by_file("T91", "91 training images of Yang et al. (flowers, faces, ...), BMP",
                      "Yang et al., Image super-resolution via sparse representation, IEEE TIP 2010",
                      "BMP files from yippp/FSRCNN (dataset/train/91-images/), checked by git blob id; "
                      "t65 is a duplicate of t36 in the original set"),
        _file_by_file("General100", "100 training images of FSRCNN, BMP",
                      "Dong, Loy and Tang, Accelerating the super-resolution convolutional neural network, ECCV 2016",
                      "BMP files from yippp/FSRCNN (dataset/train/General-100/), checked by git blob id"),
        DatasetInfo(
            name="B100", description="100 test images of the Berkeley segmentation set (BSD100), HR",
            citation="Martin et al., A database of human segmented natural images, ICCV 2001",
            licence="BSDS300 terms: non-commercial research and educational use; cite the paper",
            url=_EDSR_BENCHMARK, archive="tar", subfolder="benchmark/B100/HR",
            note="EDSR's benchmark.tar (about 250 MB, also holds Set5/Set14/Urban100 with bicubic LR); "
                 + _UNVERIFIED),
        DatasetInfo(
            name="Urban100", description="100 HR images of buildings (regular structures)",
            citation="Huang, Singh and Ahuja, Single image super-resolution from transformed "
                     "self-exemplars, CVPR 2015",
            licence=_RESEARCH_ONLY, url=_EDSR_BENCHMARK, archive="tar", subfolder="benchmark/Urban100/HR",
            note="EDSR's benchmark.tar (about 250 MB, shared with B100); " + _UNVERIFIED),
        _div2k("DIV2K_train_HR", "800 2K-resolution training images (PNG)", "3.5 GB"),
        _div2k("DIV2K_valid_HR", "100 2K-resolution validation images (PNG, 0801-0900)", "450 MB"),
        DatasetInfo(
            name="CIFAR-10", description="60000 32x32 colour images in 10 classes (python pickles)",
            citation="Krizhevsky, Learning multiple layers of features from tiny images, 2009",
            licence="free for research; cite the technical report",
            url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", archive="tar.gz",
            known_hash="md5:c58f30108f718f92721af3b95e74349a", subfolder="cifar-10-batches-py",
            verified=True, images=False,
            note="about 163 MB; the md5 is the one published on the CIFAR page; the folder holds "
                 "pickled batches (data_batch_1..5, test_batch), not image files"),
        DatasetInfo(
            name="EuroSAT", description="27000 Sentinel-2 RGB patches, 64x64, 10 land-use classes (JPEG)",
            citation="Helber, Bischke, Dengel and Borth, EuroSAT: a novel dataset and deep learning benchmark "
                     "for land use and land cover classification, IEEE JSTARS 2019",
            licence="MIT (keep the LICENSE of srlib/data/eurosat_subset beside any copy); Copernicus "
                    "Sentinel data terms",
            url="https://huggingface.co/datasets/torchgeo/eurosat/resolve/"
                "c877bcd43f099cd0196738f714544e355477f3fd/EuroSAT.zip",
            archive="zip", known_hash="md5:c8fa014336c82ac7804f0398fcb19387", subfolder="2750",
            verified=True, images=False,
            note="about 90 MB; the archive torchvision and TorchGeo use (their published md5); images in "
                 "class folders 2750/<Class>/: read them with srlib.data.eurosat (lesson 07)"),
    ]
    return {entry.name: entry for entry in entries}


#: Registry of downloadable datasets: name -> :class:`DatasetInfo`.
REGISTRY: dict[str, DatasetInfo] = _registry()

_ALIASES = {"bsd100": "B100", "bsds100": "B100", "b100": "B100", "cifar10": "CIFAR-10", "91-images": "T91",
            "general-100": "General100", "div2k": "DIV2K_train_HR", "div2k_train": "DIV2K_train_HR",
            "div2k_valid": "DIV2K_valid_HR"}


def dataset_names() -> tuple[str, ...]:
    """Names accepted by :func:`fetch` and :func:`load_dataset` (the keys of :data:`REGISTRY`).

    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    return tuple(REGISTRY)


def _lookup(name: str | DatasetInfo) -> DatasetInfo:
    if isinstance(name, DatasetInfo):
        return name
    if not isinstance(name, str):
        raise ValueError(f"dataset name must be a string, got {name!r}")
    if name in REGISTRY:
        return REGISTRY[name]
    folded = {key.lower(): key for key in REGISTRY}
    key = name.strip().lower()
    key = folded.get(key) or _ALIASES.get(key)
    if key is None or key not in REGISTRY:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(REGISTRY)} "
                         "or pass the path of a folder of images")
    return REGISTRY[key]


def data_dir(cache_dir: PathLike | None = None, *, create: bool = False) -> Path:
    """The download cache folder: ``cache_dir``, else ``$SRLIB_DATA_DIR``, else pooch's user cache.

    Parameters
    ----------
    cache_dir : str or os.PathLike or None
        Explicit folder.
    create : bool
        Create the folder if missing (:func:`fetch` does; looking it up does not).

    Returns
    -------
    pathlib.Path
        The cache folder.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    if cache_dir is None:
        env = os.environ.get(DATA_DIR_ENV, "").strip()
        if env:
            cache_dir = env
        else:
            import pooch

            cache_dir = pooch.os_cache("srlib")
    path = Path(cache_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise ValueError(f"cache_dir {str(path)!r} exists and is not a folder; pass a folder path")
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def _git_blob_sha1(path: Path) -> str:
    data = path.read_bytes()
    digest = hashlib.sha1(f"blob {len(data)}\0".encode())  # noqa: S324 - git's object id, not security
    digest.update(data)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _retrieve(info: DatasetInfo, url: str, known_hash: str | None, fname: str, folder: Path,
              processor: Any = None, progressbar: bool = False) -> Any:
    """pooch.retrieve with errors rewritten to name the dataset and the fix."""
    import pooch

    try:
        return pooch.retrieve(url, known_hash=known_hash, fname=fname, path=folder,
                              processor=processor, progressbar=progressbar)
    except UnsafeArchiveError:  # a crafted archive: delete it, say so unchanged
        Path(folder, fname).unlink(missing_ok=True)
        raise
    except ValueError as err:  # pooch: hash mismatch (the download is deleted)
        raise ValueError(f"dataset {info.name!r}: the file downloaded from {url} failed its hash check "
                         f"({err}); the download was deleted. Try again later, or download the data by "
                         "hand and pass its folder to load_dataset(path).") from err
    except OSError as err:  # requests' errors are OSErrors: no network, 404, timeout
        raise ConnectionError(f"dataset {info.name!r}: could not download {url} ({err}). Check your "
                              "connection, or download the data by hand and pass its folder to "
                              "load_dataset(path).") from err


def fetch(name: str | DatasetInfo, *, cache_dir: PathLike | None = None, progressbar: bool = False,
          allow_unverified: bool = False) -> Path:
    """Download a registry dataset once (hash-checked) and return its image folder.

    A second call finds the files in the cache, checks them and downloads nothing.

    Parameters
    ----------
    name : str or DatasetInfo
        A :data:`REGISTRY` key (case-insensitive; ``"BSD100"`` means ``"B100"``) or an entry.
    cache_dir : str or os.PathLike or None
        Cache folder; default :func:`data_dir` (``$SRLIB_DATA_DIR`` or the user cache).
    progressbar : bool
        Show a tqdm progress bar while downloading.
    allow_unverified : bool
        Entries without a recorded hash (``known_hash=None``: B100, Urban100, DIV2K) are
        refused unless this is ``True``, BEFORE anything is downloaded: srlib cannot check
        what such a download contains.

    Returns
    -------
    pathlib.Path
        The folder holding the images (for CIFAR-10 the folder of pickled batches).

    Raises
    ------
    ValueError
        Unknown name; an unverified entry without ``allow_unverified=True``; a download that
        fails its recorded hash (the file is deleted); an archive with a member that would
        write outside its folder, or a link (:class:`srlib.data.archives.UnsafeArchiveError`;
        nothing is extracted).
    ConnectionError
        The download itself failed (no network, HTTP error).

    Warns
    -----
    UserWarning
        For unverified entries fetched with ``allow_unverified=True``: once before the
        download, and after it with the SHA256 of the file so it can be recorded.

    Notes
    -----
    Archives are extracted by :func:`srlib.data.archives.extract_archive`, which checks
    every member on every Python version (``tarfile``'s own filters exist only from 3.12).

    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    info = _lookup(name)
    if not isinstance(progressbar, bool):
        raise ValueError(f"progressbar must be True or False, got {progressbar!r}")
    if not isinstance(allow_unverified, bool):
        raise ValueError(f"allow_unverified must be True or False, got {allow_unverified!r}")
    unverified = info.archive is not None and info.known_hash is None
    if unverified and not allow_unverified:
        raise ValueError(f"dataset {info.name!r} has no recorded hash, so srlib cannot check what "
                         f"{info.url} delivers; pass allow_unverified=True to download it anyway (srlib then "
                         "prints its sha256 to record), or download it by hand and pass its folder to "
                         "load_dataset(path)")
    if unverified:
        warnings.warn(f"dataset {info.name!r}: downloading {info.url} without a recorded hash (allow_unverified=True); "
                      "its content is not verified", UserWarning, stacklevel=2)
    root = data_dir(cache_dir, create=True)
    if info.archive is None:
        if not info.files:
            raise ValueError(f"dataset {info.name!r} has neither an archive nor a file list; fix its entry")
        folder = root / info.name
        for local_name, remote_path, download_hash, _ in info.files:
            url = info.url + remote_path
            pooch_hash = download_hash if not download_hash.startswith("gitblob:") else None
            path = Path(_retrieve(info, url, pooch_hash, local_name, folder, progressbar=progressbar))
            if download_hash.startswith("gitblob:"):
                expected = download_hash.split(":", 1)[1]
                actual = _git_blob_sha1(path)
                if actual != expected:
                    path.unlink()
                    raise ValueError(f"dataset {info.name!r}: {local_name} downloaded from {url} has git blob id "
                                     f"{actual}, expected {expected}; the download was deleted")
        return folder

    if info.archive not in ARCHIVE_KINDS:
        raise ValueError(f"dataset {info.name!r}: unknown archive type {info.archive!r}; use 'zip', 'tar' or 'tar.gz'")
    archive_name = info.url.rstrip("/").rsplit("/", 1)[-1] or f"{info.name}.{info.archive}"
    downloads = root / "downloads"
    extract_dir = root / (re.sub(r"\.(zip|tar|tar\.gz|tgz)$", "", archive_name) + ".extracted")
    # pooch logs (but does not check) the hash when known_hash is None; we warn below instead
    _retrieve(info, info.url, info.known_hash, archive_name, downloads,
              processor=SafeExtract(extract_dir, kind=info.archive), progressbar=progressbar)
    if info.known_hash is None:
        warnings.warn(f"dataset {info.name!r}: no hash is recorded for {info.url}, so the download was not "
                      f"verified; its sha256 is {_file_sha256(downloads / archive_name)} - record it as "
                      "known_hash='sha256:...' in srlib.data.registry.REGISTRY (see data/README.md)", UserWarning,
                      stacklevel=2)
    folder = extract_dir / info.subfolder if info.subfolder else extract_dir
    if not folder.is_dir():
        found = sorted(str(p.relative_to(extract_dir)) for p in extract_dir.rglob("*") if p.is_dir())[:20]
        raise ValueError(f"dataset {info.name!r}: the archive has no folder {info.subfolder!r}; it holds "
                         f"{found}. Fix the entry's subfolder (or pass the right folder to load_folder).")
    return folder


def pixel_digest(image: np.ndarray) -> str:
    """SHA256 of an image's pixels (shape and ``uint8`` RGB bytes), independent of file format.

    Two files with the same pixels (a BMP and its lossless PNG copy) have the same digest.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` array ``(H, W, 3)`` (as returned by :func:`load_folder`).

    Returns
    -------
    str
        64 hex digits.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"pixel_digest expects a uint8 (H, W, 3) image, got dtype {image.dtype} "
                         f"and shape {image.shape}")
    digest = hashlib.sha256(f"{image.shape[0]}x{image.shape[1]}x{image.shape[2]}:".encode())
    digest.update(np.ascontiguousarray(image).tobytes())
    return digest.hexdigest()


def verify_folder(path: PathLike, name: str | DatasetInfo) -> dict[str, str]:
    """Check that a folder holds exactly the images of a registry dataset, by their pixels.

    File names and lossless formats may differ (``baby_GT.bmp`` matches ``baby.png``):
    each image is matched by :func:`pixel_digest`.

    Parameters
    ----------
    path : str or os.PathLike
        The folder to check.
    name : str or DatasetInfo
        A dataset with a per-file manifest (Set5, Set14, T91, General100).

    Returns
    -------
    dict of str to str
        ``{name in the folder: name in the manifest}`` for every image.

    Raises
    ------
    ValueError
        If an image of the manifest is missing or changed, or the folder holds extra images.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    info = _lookup(name)
    if not info.files:
        raise ValueError(f"dataset {info.name!r} has no per-file manifest; only "
                         f"{', '.join(n for n, e in REGISTRY.items() if e.files)} can be verified by pixels")
    expected: dict[str, list[str]] = {}
    for local_name, _, _, digest in info.files:
        expected.setdefault(digest, []).append(Path(local_name).stem)
    images = load_folder(path)
    matches: dict[str, str] = {}
    extra: list[str] = []
    for stem, image in images.items():
        candidates = expected.get(pixel_digest(image))
        if candidates:
            matches[stem] = candidates.pop(0)
        else:
            extra.append(stem)
    missing = sorted((stem for names in expected.values() for stem in names), key=_natural_key)
    if missing or extra:
        raise ValueError(f"{str(path)!r} does not match dataset {info.name!r}: "
                         f"{len(missing)} image(s) missing or changed {missing[:10]}, "
                         f"{len(extra)} image(s) not in the dataset {extra[:10]}")
    return matches


def load_dataset(name_or_path: PathLike | DatasetInfo, *, limit: int | None = None,
                 grayscale: Literal["rgb", "keep"] = "rgb", cache_dir: PathLike | None = None,
                 progressbar: bool = False, allow_unverified: bool = False) -> dict[str, np.ndarray]:
    """Load a dataset by folder path or by registry name (downloaded once, then cached).

    Parameters
    ----------
    name_or_path : str, os.PathLike or DatasetInfo
        An existing folder of images, or a :data:`REGISTRY` name such as ``"Set5"``
        (an existing folder wins over a registry name; a missing path with a ``/``
        raises ``FileNotFoundError``).
    limit : int or None
        Load only the first ``limit`` images.
    grayscale : {"rgb", "keep"}
        See :func:`load_folder`.
    cache_dir : str or os.PathLike or None
        Download cache; see :func:`data_dir`.
    progressbar : bool
        Show a progress bar while downloading.
    allow_unverified : bool
        See :func:`fetch`.

    Returns
    -------
    dict of str to numpy.ndarray
        ``{name: uint8 (H, W, 3)}`` in natural name order.

    Raises
    ------
    FileNotFoundError
        A path (``os.PathLike`` or a string with ``/``) that does not exist.
    ValueError
        Neither an existing folder nor a registry name, or a dataset that is not a folder
        of images (CIFAR-10: use :func:`fetch`).

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    if isinstance(name_or_path, (str, os.PathLike)) and Path(name_or_path).expanduser().is_dir():
        return load_folder(name_or_path, limit=limit, grayscale=grayscale)
    if isinstance(name_or_path, os.PathLike) or (
            isinstance(name_or_path, str) and ("/" in name_or_path or os.sep in name_or_path)
            and name_or_path.strip().lower() not in _ALIASES):
        raise FileNotFoundError(f"no such folder: {str(name_or_path)!r} (for a registry dataset pass its name: "
                                f"{', '.join(REGISTRY)})")
    info = _lookup(name_or_path)  # ValueError for unknown names (also names a missing folder)
    if not info.images:
        raise ValueError(f"dataset {info.name!r} is not a folder of image files; use "
                         f"srlib.data.fetch({info.name!r}) for its folder ({info.note})")
    folder = fetch(info, cache_dir=cache_dir, progressbar=progressbar, allow_unverified=allow_unverified)
    return load_folder(folder, limit=limit, grayscale=grayscale)


def _check_registry(registry: Mapping[str, DatasetInfo]) -> None:
    """Internal consistency of the registry (used by the tests)."""
    for key, info in registry.items():
        if key != info.name:
            raise ValueError(f"REGISTRY key {key!r} differs from its entry's name {info.name!r}")
        if info.verified and info.known_hash is None and not info.files:
            raise ValueError(f"dataset {key!r} is marked verified but records no hash")
        for local_name, _, download_hash, digest in info.files:
            if not re.fullmatch(r"(sha256:[0-9a-f]{64}|gitblob:[0-9a-f]{40})", download_hash):
                raise ValueError(f"dataset {key!r}: bad hash {download_hash!r} for {local_name!r}")
            if not re.fullmatch(r"[0-9a-f]{64}", digest):
                raise ValueError(f"dataset {key!r}: bad pixel digest {digest!r} for {local_name!r}")

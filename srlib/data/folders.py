"""The one folder reader: which files in a folder are images, in which order, under which names.

Every part of srlib that reads images from disk (the dataset registry, :func:`srlib.evaluate`,
training) goes through these functions, so they all agree:

- **which files**: a suffix in :data:`IMAGE_EXTENSIONS` (any case); hidden files such as
  macOS's ``._baby.png`` and everything else (``SHA256SUMS``, ``README``) are skipped; folders
  are not searched recursively;
- **which order**: natural order of the file names (``im_2`` before ``im_10``), folder by folder;
- **which names**: the file stem (``baby``); two images with one stem (``x.png`` and ``x.bmp``,
  or ``a/x.png`` and ``b/x.png``) are an error, never a silent overwrite;
- **grey files**: ``grayscale="rgb"`` (default) gives them three equal channels, ``"keep"``
  returns them as ``(H, W)`` (the evaluation protocol scores Set14's ``bridge.png`` that way).

Taught in ``02_degradation_and_evaluation.ipynb`` (folders of benchmark images) and
``03_srcnn.ipynb`` (folders of training images).
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Union

import numpy as np

from srlib._checks import check_positive_int

__all__ = ["IMAGE_EXTENSIONS", "ImageSource", "find_images", "load_folder", "load_images", "file_list_sha256"]

PathLike = Union[str, "os.PathLike[str]"]
#: What :func:`load_images` accepts: ``{name: image}``, a folder or image file, a list of
#: folders and image files, or ``None`` for the offline default images.
ImageSource = Union[Mapping[str, np.ndarray], PathLike, Sequence[PathLike], None]

#: File extensions read as images (lower case); other files are skipped.
IMAGE_EXTENSIONS: tuple[str, ...] = (".png", ".bmp", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".ppm", ".pgm")


def _natural_key(name: str) -> list[Any]:
    """Sort key of natural order: digit runs compare as numbers (``im_2`` < ``im_10``), text ignores case."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _check_grayscale(grayscale: object) -> None:
    if grayscale not in ("rgb", "keep"):
        raise ValueError(f"grayscale must be 'rgb' or 'keep', got {grayscale!r}")


def find_images(folders: PathLike | Sequence[PathLike]) -> list[Path]:
    """List the image files of one or more folders, in natural order (the one lister).

    Parameters
    ----------
    folders : path or sequence of paths
        Folders of images (not searched recursively).

    Returns
    -------
    list of pathlib.Path
        Files whose suffix is in :data:`IMAGE_EXTENSIONS`, folder by folder, each folder in
        natural name order (``img_2`` before ``img_10``); hidden files (e.g. macOS
        ``._baby.png``) are skipped.

    Raises
    ------
    FileNotFoundError
        If a folder does not exist.
    ValueError
        If a path is a file, or a folder holds no image files.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if isinstance(folders, (str, os.PathLike)):
        folders = [folders]
    files: list[Path] = []
    for folder in folders:
        path = Path(folder).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"no such folder: {str(path)!r} does not exist; pass an existing folder of images")
        if not path.is_dir():
            raise ValueError(f"{str(path)!r} is a file, not a folder of images; pass its parent folder or use "
                             "srlib.images.read_image")
        found = [p for p in path.iterdir()
                 if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in IMAGE_EXTENSIONS]
        if not found:
            raise ValueError(f"folder {str(path)!r} holds no images: no image files ({', '.join(IMAGE_EXTENSIONS)}); "
                             "point it (e.g. --data) at a folder of HR images (PNG, BMP, JPEG)")
        files.extend(sorted(found, key=lambda p: _natural_key(p.name)))
    return files


def _check_unique_stems(files: Sequence[Path]) -> None:
    seen: dict[str, Path] = {}
    for file in files:
        if file.stem in seen:
            raise ValueError(f"two images named {file.stem!r} ({str(seen[file.stem])!r} and {str(file)!r}); "
                             "keep one of them, rename one, or pass a dict with unique names")
        seen[file.stem] = file


def _read_files(files: Sequence[Path], grayscale: Literal["rgb", "keep"]) -> dict[str, np.ndarray]:
    from srlib.images import read_image

    _check_unique_stems(files)
    return {file.stem: read_image(file, mode=grayscale) for file in files}  # ValueError names the file


def load_folder(path: PathLike, *, limit: int | None = None,
                grayscale: Literal["rgb", "keep"] = "rgb") -> dict[str, np.ndarray]:
    """Read every image in a folder into ``{name: uint8 array}``.

    Parameters
    ----------
    path : str or os.PathLike
        A folder; the files :func:`find_images` lists are read.
    limit : int or None
        Read only the first ``limit`` images (in natural order).
    grayscale : {"rgb", "keep"}
        ``"rgb"`` (default) returns grey files as three equal channels; ``"keep"``
        returns them as ``(H, W)`` (see :func:`srlib.images.read_image`).

    Returns
    -------
    dict of str to numpy.ndarray
        Keys are file names without extension (``"baby"``), in natural order
        (``im_2`` before ``im_10``); values are ``uint8`` ``(H, W, 3)`` arrays
        (``(H, W)`` for grey files with ``grayscale="keep"``).

    Raises
    ------
    FileNotFoundError
        If the folder does not exist.
    ValueError
        If ``path`` is not a folder, holds no image, holds two images with the same
        name stem, or a file cannot be decoded (the message names the file).

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    _check_grayscale(grayscale)
    if limit is not None:
        limit = check_positive_int(limit, "limit")
    files = find_images(path)
    _check_unique_stems(files)  # before the limit: a duplicate is an error wherever it sorts
    return _read_files(files if limit is None else files[:limit], grayscale)


def _from_mapping(source: Mapping[str, Any], grayscale: Literal["rgb", "keep"]) -> dict[str, np.ndarray]:
    images: dict[str, np.ndarray] = {}
    for name, image in source.items():
        array = np.asarray(image)
        if array.dtype != np.uint8:
            raise ValueError(f"HR image {name!r} must be uint8, got dtype {array.dtype} (use srlib.images.to_uint8)")
        if array.ndim == 3 and array.shape[2] == 1:
            array = array[:, :, 0]
        if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] == 3)):
            raise ValueError(f"HR image {name!r} must be (H, W, 3) RGB or (H, W) grey, got shape {array.shape}")
        if array.ndim == 2 and grayscale == "rgb":
            array = np.repeat(array[:, :, None], 3, axis=2)
        images[str(name)] = array
    return images


def _expand(entry: PathLike) -> list[Path]:
    """A folder -> its image files; an image file (existing, or missing with an image suffix) -> itself."""
    path = Path(entry).expanduser()
    if path.is_dir():
        return find_images(path)
    if path.is_file() or path.suffix.lower() in IMAGE_EXTENSIONS:
        return [path]  # a missing file: read_image raises FileNotFoundError after the name checks
    raise FileNotFoundError(f"no such folder or image file: {str(path)!r} does not exist")


def load_images(source: ImageSource = None, *, grayscale: Literal["rgb", "keep"] = "rgb",
                name: str = "images") -> dict[str, np.ndarray]:
    """Gather HR images from any source as ``{name: uint8 array}`` (the one image loader).

    Parameters
    ----------
    source : mapping, path, sequence of paths or None
        ``{name: uint8 (H, W, 3) or (H, W)}`` (``(H, W, 1)`` is taken as grey); a folder (its
        images as :func:`find_images` lists them); an image file; a list of folders and image
        files; or ``None`` for the offline default images (:func:`srlib.data.default_images`).
    grayscale : {"rgb", "keep"}
        Grey images: ``"rgb"`` (default) gives them three equal channels, ``"keep"`` returns
        them as ``(H, W)``. The same rule for files and for arrays.
    name : str
        The argument's name in error messages (``"hr_images"`` for :func:`srlib.evaluate`).

    Returns
    -------
    dict of str to numpy.ndarray
        Mapping keys as given; for files, the file stem (``"baby"``), folder by folder in
        natural order.

    Raises
    ------
    FileNotFoundError
        A folder or image file that does not exist.
    ValueError
        An empty source, two images with one stem, an image that is not ``uint8``
        ``(H, W, 3)`` / ``(H, W)``, a file that cannot be decoded, or a source of another type.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb`` and ``03_srcnn.ipynb``.
    """
    _check_grayscale(grayscale)
    if source is None:
        from srlib.data.defaults import default_images

        source = default_images()
    if isinstance(source, Mapping):
        images = _from_mapping(source, grayscale)
    elif isinstance(source, (str, os.PathLike)):
        images = _read_files(_expand(source), grayscale)
    else:
        try:
            entries = list(source)
        except TypeError:
            raise ValueError(f"{name} must be a dict {{name: array}}, a folder, an image file or a list of "
                             f"folders and image files, got {type(source).__name__}") from None
        if any(not isinstance(entry, (str, os.PathLike)) for entry in entries):
            raise ValueError(f"{name} as a list must hold folder or image file paths, got {entries!r:.200}")
        images = _read_files([file for entry in entries for file in _expand(entry)], grayscale)
    if not images:
        raise ValueError(f"no HR images: {name} is empty; pass at least one image")
    return images


def file_list_sha256(files: Sequence[PathLike]) -> str:
    """SHA-256 of the sorted file names and sizes: a cheap fingerprint of a training set.

    Parameters
    ----------
    files : sequence of paths
        Image files (as :func:`find_images` returns them); the order does not matter.

    Returns
    -------
    str
        64 hex digits over ``folder/name:size`` lines.

    Notes
    -----
    Taught in ``03_srcnn.ipynb`` (the model card records it).
    """
    digest = hashlib.sha256()
    for path in sorted(Path(f) for f in files):
        digest.update(f"{path.parent.name}/{path.name}:{path.stat().st_size}\n".encode())
    return digest.hexdigest()

"""The offline default images: photographs that ship inside installed packages.

A dozen photographs bundled with scikit-image (``skimage.data``) and matplotlib (its sample
data): no download, no network, always the same pixels. :func:`default_images` returns them
(optionally centre-cropped), :func:`split_default_images` splits them into a fixed training
set (:data:`DEFAULT_TRAIN`) and validation set (:data:`DEFAULT_VALIDATION`). Credits and
licences are in :data:`DEFAULT_LICENCES` and ``data/README.md``.

Taught in ``00_start_here.ipynb`` (default images) and ``03_srcnn.ipynb`` (the split).
"""
from __future__ import annotations

import functools
from typing import Callable, Sequence

import numpy as np

from srlib._checks import check_positive_int

__all__ = ["DEFAULT_IMAGES", "DEFAULT_LICENCES", "DEFAULT_TRAIN", "DEFAULT_VALIDATION", "default_images",
           "split_default_images"]


def _skimage(function_name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        import skimage.data

        return getattr(skimage.data, function_name)()
    return load


def _matplotlib_sample(file_name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from matplotlib import cbook

        from srlib.images import read_image

        return read_image(cbook.get_sample_data(file_name, asfileobj=False))
    return load


# name -> (loader, licence/credit). Only images bundled in the wheels (no pooch download).
_DEFAULT_SOURCES: dict[str, tuple[Callable[[], np.ndarray], str]] = {
    "astronaut": (_skimage("astronaut"), "skimage.data: Eileen Collins, NASA; public domain"),
    "camera": (_skimage("camera"), "skimage.data: Lav Varshney; CC0 (grey, given 3 equal channels)"),
    "chelsea": (_skimage("chelsea"), "skimage.data: Stefan van der Walt; CC0"),
    "coffee": (_skimage("coffee"), "skimage.data: Rachel Michetti / Pikolo Espresso Bar; CC0"),
    "rocket": (_skimage("rocket"), "skimage.data: DSCOVR launch, SpaceX; public domain"),
    "hubble_deep_field": (_skimage("hubble_deep_field"), "skimage.data: NASA/HubbleSite; public domain"),
    "immunohistochemistry": (_skimage("immunohistochemistry"),
                             "skimage.data: CMMI; no known copyright restrictions"),
    "brick": (_skimage("brick"), "skimage.data: CC0Textures; CC0 (grey)"),
    "grass": (_skimage("grass"), "skimage.data: linolafett on DeviantArt; CC0 (grey)"),
    "gravel": (_skimage("gravel"), "skimage.data: CC0Textures; CC0 (grey)"),
    "coins": (_skimage("coins"), "skimage.data: Brooklyn Museum; no known copyright restrictions (grey)"),
    "grace_hopper": (_matplotlib_sample("grace_hopper.jpg"),
                     "matplotlib sample data: Grace Hopper, U.S. Navy photo; public domain"),
}

#: Names of the offline default images, in order.
DEFAULT_IMAGES: tuple[str, ...] = tuple(_DEFAULT_SOURCES)
#: Licence or credit of each default image.
DEFAULT_LICENCES: dict[str, str] = {name: source[1] for name, source in _DEFAULT_SOURCES.items()}
#: Fixed split of the default images: train on these ...
DEFAULT_TRAIN: tuple[str, ...] = ("camera", "coffee", "rocket", "hubble_deep_field", "immunohistochemistry",
                                  "brick", "grass", "gravel", "coins")
#: ... and validate on these (a face, an animal, a portrait: unseen content).
DEFAULT_VALIDATION: tuple[str, ...] = ("astronaut", "chelsea", "grace_hopper")


@functools.lru_cache(maxsize=None)
def _load_default(name: str) -> np.ndarray:
    image = np.asarray(_DEFAULT_SOURCES[name][0]())
    if image.dtype != np.uint8:
        raise ValueError(f"default image {name!r} loaded as {image.dtype}, expected uint8")
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    elif image.shape[2] == 4:
        image = image[:, :, :3]
    image = np.ascontiguousarray(image)
    image.setflags(write=False)
    return image


def _centre_crop(image: np.ndarray, size: int, name: str) -> np.ndarray:
    height, width = image.shape[:2]
    if size > min(height, width):
        raise ValueError(f"size={size} is larger than default image {name!r} ({height}x{width}); "
                         f"use size <= {min(height, width)} or leave it out")
    top, left = (height - size) // 2, (width - size) // 2
    return image[top:top + size, left:left + size]


def default_images(*, size: int | None = None, names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Photographs bundled with scikit-image and matplotlib: the course's offline image set.

    Nothing is downloaded: every image ships inside the installed wheels, so the
    result is the same on every machine. Credits and licences are in
    ``DEFAULT_LICENCES`` (all public domain, CC0 or "no known copyright restrictions").

    Parameters
    ----------
    size : int or None
        If given, centre-crop every image to ``(size, size)`` (at most 300, the
        smallest side in the set).
    names : sequence of str or None
        A subset of :data:`DEFAULT_IMAGES` (default: all, in that order).

    Returns
    -------
    dict of str to numpy.ndarray
        ``{name: uint8 (H, W, 3)}``; grey images have three equal channels. The arrays
        are fresh copies, safe to modify.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    if names is None:
        names = DEFAULT_IMAGES
    if isinstance(names, str):
        raise ValueError(f"names must be a list of names, not the string {names!r}; use names=[{names!r}]")
    unknown = [n for n in names if n not in _DEFAULT_SOURCES]
    if unknown:
        raise ValueError(f"unknown default image(s) {unknown}; choose from {', '.join(DEFAULT_IMAGES)}")
    if size is not None:
        size = check_positive_int(size, "size")
    result = {}
    for name in names:
        image = _load_default(name)
        if size is not None:
            image = _centre_crop(image, size, name)
        result[name] = image.copy()
    return result


def split_default_images(*, size: int | None = None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The default images split into a fixed training set and validation set.

    Parameters
    ----------
    size : int or None
        Optional centre crop, as in :func:`default_images`.

    Returns
    -------
    (dict, dict)
        ``(train, validation)``: :data:`DEFAULT_TRAIN` (9 images) and
        :data:`DEFAULT_VALIDATION` (3 images), disjoint.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    return (default_images(size=size, names=DEFAULT_TRAIN), default_images(size=size, names=DEFAULT_VALIDATION))

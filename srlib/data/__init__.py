"""Data: the dataset registry, the one folder reader, the offline default images,
degradations (the protocol's LR and blur/noise/JPEG), paired transforms and training patches.

This namespace is the public API; the modules behind it are

- :mod:`srlib.data.registry` - hash-checked downloads of the standard sets (manifests in
  ``srlib/data/manifests/*.json``), the cache folder, :func:`verify_folder`;
- :mod:`srlib.data.folders` - which files of a folder are images, their order and names;
- :mod:`srlib.data.defaults` - photographs that ship inside installed packages;
- :mod:`srlib.data.degradations` - :func:`make_lr` (the clean protocol LR) and the
  blur -> downscale -> noise -> JPEG chain;
- :mod:`srlib.data.transforms` - paired crop, flips and rotations;
- :mod:`srlib.data.patches` - :class:`PairedPatches` and its ``tf.data`` / ``PyDataset`` wrappers.

Taught in ``00_start_here.ipynb`` (default images), ``02_degradation_and_evaluation.ipynb``
(benchmark sets, degradations) and ``03_srcnn.ipynb`` (paired patches).
"""
from __future__ import annotations

from srlib.data.defaults import (DEFAULT_IMAGES, DEFAULT_LICENCES, DEFAULT_TRAIN, DEFAULT_VALIDATION,
                                 default_images, split_default_images)
from srlib.data.degradations import LIBRARIES, add_noise, degrade, gaussian_blur, jpeg, make_lr, resize_with
from srlib.data.folders import IMAGE_EXTENSIONS, ImageSource, file_list_sha256, find_images, load_folder, load_images
from srlib.data.patches import (CHANNELS, DEFAULT_TRANSFORMS, Degradation, PairedPatches, bicubic_up, make_dataset,
                                make_py_dataset, patches_per_second, split_images)
from srlib.data.registry import (DATA_DIR_ENV, REGISTRY, DatasetInfo, data_dir, dataset_names, fetch, load_dataset,
                                 pixel_digest, verify_folder)
from srlib.data.transforms import (DIHEDRAL_TRANSFORMS, Dihedral, PairTransform, crop_pair, dihedral, dihedral_pair,
                                   random_crop_offsets)

__all__ = [
    # registry
    "DatasetInfo", "REGISTRY", "DATA_DIR_ENV", "data_dir", "dataset_names", "fetch", "load_dataset",
    "pixel_digest", "verify_folder",
    # folders
    "IMAGE_EXTENSIONS", "ImageSource", "find_images", "load_folder", "load_images", "file_list_sha256",
    # defaults
    "DEFAULT_IMAGES", "DEFAULT_LICENCES", "DEFAULT_TRAIN", "DEFAULT_VALIDATION", "default_images",
    "split_default_images",
    # degradations
    "LIBRARIES", "make_lr", "gaussian_blur", "add_noise", "jpeg", "degrade", "resize_with",
    # transforms
    "DIHEDRAL_TRANSFORMS", "PairTransform", "Dihedral", "crop_pair", "random_crop_offsets", "dihedral",
    "dihedral_pair",
    # patches
    "CHANNELS", "DEFAULT_TRANSFORMS", "Degradation", "PairedPatches", "bicubic_up", "split_images",
    "make_dataset", "make_py_dataset", "patches_per_second",
]

"""Data: the dataset registry, the one folder reader, the offline default images,
degradations (the protocol's LR and blur/noise/JPEG), paired transforms and training patches.

This namespace is the public API; the modules behind it are

- :mod:`srlib.data.registry` - hash-checked downloads of the standard sets (manifests in
  ``srlib/data/manifests/*.json``), the cache folder, :func:`verify_folder`;
- :mod:`srlib.data.folders` - which files of a folder are images, their order and names;
- :mod:`srlib.data.defaults` - photographs that ship inside installed packages;
- :mod:`srlib.data.degradations` - :func:`make_lr` (the clean protocol LR), the
  blur -> downscale -> noise -> JPEG chain, blur kernels, and the random pipelines (classical,
  Real-ESRGAN, BSRGAN) with their ``random_*`` steps;
- :mod:`srlib.data.transforms` - paired crop, flips and rotations, CutBlur / mixup / CutMix for SR
  pairs, and :func:`pair_misalignment` (what breaks a pair);
- :mod:`srlib.data.patches` - :class:`PairedPatches` and its ``tf.data`` / ``PyDataset`` wrappers.

Taught in ``00_start_here.ipynb`` (default images), ``02_degradation_and_evaluation.ipynb``
(benchmark sets, degradations) and ``03_srcnn.ipynb`` (paired patches).
"""
from __future__ import annotations

from srlib.data.defaults import (DEFAULT_IMAGES, DEFAULT_LICENCES, DEFAULT_TRAIN, DEFAULT_VALIDATION,
                                 default_images, split_default_images)
from srlib.data.degradations import (DEGRADATION_NAMES, EXPAND_METHODS, KERNEL_KINDS, KERNEL_PROBABILITIES,
                                     KERNEL_SIZES, LIBRARIES, RESIZE_METHODS, BSRGANDegradation, ClassicalDegradation,
                                     RandomDegradation, RealESRGANDegradation, add_noise, add_poisson_noise,
                                     apply_plan, blur, degradation_speed, degrade, gaussian_blur, gaussian_kernel,
                                     generalized_gaussian_kernel, get_degradation, jpeg, kernel_covariance, make_kernel,
                                     make_lr, plateau_kernel, random_blur, random_degrade_and_expand,
                                     random_gaussian_kernel, random_gaussian_noise, random_generalized_gaussian_kernel,
                                     random_jpeg, random_kernel, random_plateau_kernel, random_poisson_noise,
                                     random_resize, random_sinc_kernel, resize_with, sinc_kernel, DegradedImage,
                                     degraded_benchmark, fixed_degradation, image_generator, resolve_degradation,
                                     write_degraded_benchmark)
from srlib.data.folders import IMAGE_EXTENSIONS, ImageSource, file_list_sha256, find_images, load_folder, load_images
from srlib.data.patches import (CHANNELS, DEFAULT_TRANSFORMS, Degradation, PairedPatches, bicubic_up, make_dataset,
                                make_py_dataset, patches_per_second, split_images)
from srlib.data.registry import (DATA_DIR_ENV, REGISTRY, DatasetInfo, data_dir, dataset_names, fetch, load_dataset,
                                 pixel_digest, verify_folder)
from srlib.data.transforms import (DIHEDRAL_TRANSFORMS, BatchTransform, Blend, CutBlur, CutMix, CutMixUp, Dihedral,
                                   MixUp, PairTransform, crop_pair, dihedral, dihedral_pair, pair_misalignment,
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
    "KERNEL_KINDS", "KERNEL_PROBABILITIES", "KERNEL_SIZES", "gaussian_kernel", "generalized_gaussian_kernel",
    "plateau_kernel", "sinc_kernel", "make_kernel", "kernel_covariance", "blur", "random_gaussian_kernel",
    "random_generalized_gaussian_kernel", "random_plateau_kernel", "random_sinc_kernel", "random_kernel",
    "random_blur", "RESIZE_METHODS", "random_resize", "random_gaussian_noise", "add_poisson_noise",
    "random_poisson_noise", "random_jpeg", "RandomDegradation", "ClassicalDegradation", "RealESRGANDegradation",
    "BSRGANDegradation", "DEGRADATION_NAMES", "get_degradation", "apply_plan", "degradation_speed",
    "EXPAND_METHODS", "random_degrade_and_expand", "DegradedImage", "resolve_degradation", "image_generator",
    "fixed_degradation", "degraded_benchmark", "write_degraded_benchmark",
    # transforms
    "DIHEDRAL_TRANSFORMS", "PairTransform", "Dihedral", "crop_pair", "random_crop_offsets", "dihedral",
    "dihedral_pair", "BatchTransform", "CutBlur", "Blend", "MixUp", "CutMix", "CutMixUp", "pair_misalignment",
    # patches
    "CHANNELS", "DEFAULT_TRANSFORMS", "Degradation", "PairedPatches", "bicubic_up", "split_images",
    "make_dataset", "make_py_dataset", "patches_per_second",
]

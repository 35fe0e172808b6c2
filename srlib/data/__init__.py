"""Data: the dataset registry and downloads, folder reading, the offline default images,
degradations (the protocol LR and blur/noise/JPEG) and paired training patches.

Taught in ``00_start_here.ipynb`` (default images), ``02_degradation_and_evaluation.ipynb``
(degradations) and ``03_srcnn.ipynb`` (paired patches).
"""
from __future__ import annotations

from srlib.data.registry import DatasetInfo, REGISTRY, DATA_DIR_ENV, IMAGE_EXTENSIONS, DEFAULT_IMAGES, DEFAULT_LICENCES, DEFAULT_TRAIN, DEFAULT_VALIDATION, data_dir, fetch, load_folder, load_dataset, pixel_digest, verify_folder, default_images, split_default_images, dataset_names
from srlib.data.degradations import LIBRARIES, gaussian_blur, add_noise, jpeg, degrade, resize_with
from srlib.data.patches import ImageSource, IMAGE_SUFFIXES, SCALES, find_images, file_list_sha256, load_images, split_images, make_lr, bicubic_up_y, PairedPatches, make_dataset, make_py_dataset, patches_per_second

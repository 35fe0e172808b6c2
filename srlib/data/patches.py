"""Paired LR/HR training patches for super-resolution, with or without TensorFlow.

The core is plain NumPy (:class:`PairedPatches`): it makes each image's low-resolution
version once per scale with srlib's MATLAB-compatible bicubic (cached in memory), cuts
crops aligned to the scale (an LR crop at ``(y, x)`` pairs with the HR crop at
``(y * scale, x * scale)``), applies one random flip/rotation to both, optionally rejects
flat patches, and returns the Y channel as ``float32`` in ``[0, 1]``. Every batch is a
pure function of ``(seed, batch index)``, so runs are reproducible and a resumed run
continues the same stream.

Two thin wrappers feed Keras: :func:`make_dataset` (``tf.data`` with
``num_parallel_calls`` and prefetch, TensorFlow backend) and :func:`make_py_dataset`
(a ``keras.utils.PyDataset`` with worker threads, any backend - used on machines with
JAX but no TensorFlow).

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Union

import numpy as np

from srlib._checks import check_scale
from srlib.data.registry import IMAGE_EXTENSIONS
from srlib.images import modcrop, read_image, rgb_to_y, to_float
from srlib.resize import imresize

ImageSource = Union[Mapping[str, np.ndarray], str, "PathLike[str]", Sequence[Union[str, "PathLike[str]"]], None]

#: File suffixes read as images from data folders (other files, e.g. ``SHA256SUMS``, are skipped):
#: the one list, :data:`srlib.data.registry.IMAGE_EXTENSIONS`.
IMAGE_SUFFIXES: tuple[str, ...] = IMAGE_EXTENSIONS
#: Scale factors the course trains and ships.
SCALES: tuple[int, ...] = (2, 3, 4)

_CACHE_LIMIT = 2048
_LR_CACHE: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
_UP_CACHE: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
_CACHE_LOCK = threading.Lock()




def find_images(folders: str | PathLike[str] | Sequence[str | PathLike[str]]) -> list[Path]:
    """List the image files (by suffix, sorted) in one or more folders.

    Parameters
    ----------
    folders : path or sequence of paths
        Folders of HR images (not searched recursively).

    Returns
    -------
    list of pathlib.Path
        Files whose suffix is in :data:`IMAGE_SUFFIXES`, folder by folder, sorted by name;
        hidden files (e.g. macOS ``._baby.png``) are skipped, as :func:`srlib.data.registry.load_folder` does.

    Raises
    ------
    FileNotFoundError
        If a folder does not exist.
    ValueError
        If a folder holds no image files.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if isinstance(folders, (str, PathLike)):
        folders = [folders]
    files: list[Path] = []
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            raise FileNotFoundError(f"data folder {str(path)!r} does not exist (or is not a folder)")
        found = sorted(p for p in path.iterdir()
                       if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in IMAGE_SUFFIXES)
        if not found:
            raise ValueError(f"data folder {str(path)!r} holds no images with suffix in {IMAGE_SUFFIXES}; "
                             "point --data at a folder of HR images (PNG, BMP, JPEG)")
        files.extend(found)
    return files


def file_list_sha256(files: Sequence[str | PathLike[str]]) -> str:
    """SHA-256 of the sorted file names and sizes: a cheap fingerprint of a training set.

    Notes
    -----
    Taught in ``03_srcnn.ipynb`` (the model card records it).
    """
    digest = hashlib.sha256()
    for path in sorted(Path(f) for f in files):
        digest.update(f"{path.parent.name}/{path.name}:{path.stat().st_size}\n".encode())
    return digest.hexdigest()


def load_images(source: ImageSource = None) -> dict[str, np.ndarray]:
    """Gather HR training images as ``{name: uint8 RGB (H, W, 3)}``.

    Parameters
    ----------
    source : mapping, path, sequence of paths or None
        A ``{name: image}`` mapping (returned as a dict; grayscale ``(H, W)`` images are
        stacked to three channels), one folder or several folders of images, or ``None``
        for the offline default set :func:`srlib.data.registry.default_images`.

    Returns
    -------
    dict
        Names (``folder/file`` for folders) to ``uint8`` RGB arrays.

    Raises
    ------
    ValueError
        For an empty source, or images that are not ``uint8`` ``(H, W)`` / ``(H, W, 3)``.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if source is None:
        from srlib.data.registry import default_images

        source = default_images()
    if isinstance(source, Mapping):
        images: dict[str, np.ndarray] = {}
        for name, image in source.items():
            array = np.asarray(image)
            if array.dtype != np.uint8:
                raise ValueError(f"image {name!r} has dtype {array.dtype}; training images must be uint8 RGB "
                                 "(use srlib.images.to_uint8)")
            if array.ndim == 2:
                array = np.repeat(array[:, :, None], 3, axis=2)
            if array.ndim != 3 or array.shape[2] != 3:
                raise ValueError(f"image {name!r} has shape {array.shape}; expected (H, W, 3) RGB")
            images[str(name)] = array
    else:
        images = {f"{path.parent.name}/{path.name}": read_image(path) for path in find_images(source)}
    if not images:
        raise ValueError("no training images: the source is empty")
    return images


def split_images(images: Mapping[str, np.ndarray], count: int, *, seed: int = 0
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Hold ``count`` images aside for validation (a seeded choice), return ``(train, val)``.

    Notes
    -----
    Validate on images held aside from the training set, never on the benchmark sets
    (Set5/Set14). Taught in ``03_srcnn.ipynb``.
    """
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
        raise ValueError(f"validation count must be a positive integer, got {count!r}")
    names = sorted(images)
    if count >= len(names):
        raise ValueError(f"cannot hold {count} images aside from {len(names)}: at least one must remain "
                         "for training (lower --val-split or pass --val-data)")
    order = np.random.default_rng(seed).permutation(len(names))
    val_names = {names[i] for i in order[:count]}
    train = {n: images[n] for n in names if n not in val_names}
    val = {n: images[n] for n in names if n in val_names}
    return train, val


def _key(image: np.ndarray) -> str:
    digest = hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16)
    digest.update(repr(image.shape).encode())
    return digest.hexdigest()


def _cached(cache: OrderedDict, key: tuple[str, int], make: Any) -> np.ndarray:
    with _CACHE_LOCK:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    value.setflags(write=False)
    with _CACHE_LOCK:
        cache[key] = value
        while len(cache) > _CACHE_LIMIT:
            cache.popitem(last=False)
    return value


def make_lr(hr: np.ndarray, scale: int) -> np.ndarray:
    """The protocol's LR image: MATLAB bicubic ``imresize(modcrop(hr, scale), 1/scale)``, ``uint8``.

    Cached in memory per (image content, scale), so each image is downscaled once.

    Notes
    -----
    The same LR the evaluation protocol feeds to every method. Taught in ``03_srcnn.ipynb``.
    """
    scale = check_scale(scale)
    hr = np.asarray(hr)
    if hr.dtype != np.uint8:
        raise ValueError(f"make_lr expects a uint8 image, got dtype {hr.dtype}")
    from srlib.evaluate import make_lr as protocol_lr  # the one definition of the protocol's LR

    cropped = modcrop(hr, scale)
    return _cached(_LR_CACHE, (_key(cropped), scale), lambda: protocol_lr(cropped, scale))


def _y(image_uint8: np.ndarray) -> np.ndarray:
    """Y channel (MATLAB rgb2ycbcr on float RGB, unrounded) as float32 in [0, 1].

    Exactly what ``srlib.inference`` feeds a Y model at test time.
    """
    if image_uint8.ndim == 2:
        return to_float(image_uint8)
    return rgb_to_y(to_float(image_uint8)).astype(np.float32)


def bicubic_up_y(lr_y: np.ndarray, scale: int) -> np.ndarray:
    """Bicubic-upscaled LR Y (``float32``), the input of pre-upsampling models (SRCNN). Cached.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    scale = check_scale(scale)
    lr_y = np.asarray(lr_y, dtype=np.float32)
    return _cached(_UP_CACHE, (_key(lr_y), scale), lambda: imresize(lr_y, float(scale)).astype(np.float32))


class PairedPatches:
    """Seeded sampler of scale-aligned (input, target) Y patches from HR images.

    Parameters
    ----------
    images : mapping, path, sequence of paths or None
        HR images, see :func:`load_images` (``None``: the offline default set).
    scale : int
        Upscaling factor (2, 3, 4, ...).
    patch_size : int
        LR patch side in pixels; the HR (target) patch side is ``patch_size * scale``.
    pre_upsample : bool
        ``True`` for pre-upsampling models (SRCNN): the input is the bicubic-upscaled LR
        (HR size) cropped at the HR position; ``False`` (FSRCNN, ESPCN): the LR patch.
    augment : bool
        Apply one random transform of the 8 flips/rotations by 90 degrees to both patches.
    min_std : float
        Reject HR patches whose Y standard deviation (``[0, 1]`` scale) is below this
        (flat sky, walls); up to ``max_tries`` draws, then the last draw is kept.
    seed : int
        Base seed: batch ``i`` depends only on ``(seed, i)``.
    max_tries : int
        Draws per patch before a flat patch is accepted anyway.

    Attributes
    ----------
    names : list of str
        Images large enough for one patch.
    input_shape, target_shape : tuple
        ``(h, w, 1)`` of one input and one target patch.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """

    def __init__(self, images: ImageSource, scale: int, patch_size: int, *, pre_upsample: bool = False,
                 augment: bool = True, min_std: float = 0.0, seed: int = 0, max_tries: int = 10) -> None:
        self.scale = check_scale(scale)
        if isinstance(patch_size, bool) or not isinstance(patch_size, (int, np.integer)) or patch_size < 2:
            raise ValueError(f"patch_size (LR pixels) must be an integer >= 2, got {patch_size!r}")
        if not np.isfinite(min_std) or min_std < 0:
            raise ValueError(f"min_std must be a non-negative float on the [0, 1] scale, got {min_std!r}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        if isinstance(max_tries, bool) or not isinstance(max_tries, (int, np.integer)) or max_tries < 1:
            raise ValueError(f"max_tries must be a positive integer, got {max_tries!r}")
        self.patch_size = int(patch_size)
        self.pre_upsample = bool(pre_upsample)
        self.augment = bool(augment)
        self.min_std = float(min_std)
        self.seed = int(seed)
        self.max_tries = int(max_tries)
        hr_images = load_images(images)
        self._lr: list[np.ndarray] = []
        self._hr: list[np.ndarray] = []
        self._up: list[np.ndarray] = []
        self.names: list[str] = []
        self.skipped: list[str] = []
        for name, image in hr_images.items():
            if min(image.shape[:2]) < self.patch_size * self.scale:
                self.skipped.append(name)
                continue
            lr_rgb = make_lr(image, self.scale)
            lr_y = _y(lr_rgb)
            self.names.append(name)
            self._lr.append(lr_y)
            self._hr.append(_y(modcrop(image, self.scale)))
            if self.pre_upsample:
                self._up.append(bicubic_up_y(lr_y, self.scale))
        if not self.names:
            raise ValueError(f"no image is large enough for a {self.patch_size * self.scale}-pixel HR patch "
                             f"at scale {self.scale}; lower patch_size (now {self.patch_size})")
        counts = np.array([(lr.shape[0] - self.patch_size + 1) * (lr.shape[1] - self.patch_size + 1)
                           for lr in self._lr], dtype=np.float64)
        self._weights = counts / counts.sum()  # each crop position equally likely
        self._rows = np.array([lr.shape[0] - self.patch_size + 1 for lr in self._lr], dtype=np.int64)
        self._cols = np.array([lr.shape[1] - self.patch_size + 1 for lr in self._lr], dtype=np.int64)
        side = self.patch_size * (self.scale if self.pre_upsample else 1)
        self.input_shape = (side, side, 1)
        hr_side = self.patch_size * self.scale
        self.target_shape = (hr_side, hr_side, 1)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return (f"PairedPatches({len(self.names)} images, scale={self.scale}, patch_size={self.patch_size}, "
                f"pre_upsample={self.pre_upsample}, augment={self.augment}, min_std={self.min_std}, "
                f"seed={self.seed})")

    def crop(self, image_index: int, y: int, x: int, transform: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """One pair at LR offset ``(y, x)`` with dihedral ``transform`` (0..7: rot90 k = t % 4, flip = t // 4).

        Returns ``(input (h, w), target (H, W))`` as ``float32`` views/copies.
        """
        p, s = self.patch_size, self.scale
        hr = self._hr[image_index][y * s:(y + p) * s, x * s:(x + p) * s]
        if self.pre_upsample:
            source = self._up[image_index][y * s:(y + p) * s, x * s:(x + p) * s]
        else:
            source = self._lr[image_index][y:y + p, x:x + p]
        if transform:
            if transform >= 4:
                hr, source = hr[:, ::-1], source[:, ::-1]
            k = transform % 4
            hr, source = np.rot90(hr, k), np.rot90(source, k)
        return source, hr

    def _draw(self, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        images = rng.choice(len(self._lr), size=count, p=self._weights)
        ys = np.minimum((rng.random(count) * self._rows[images]).astype(np.int64), self._rows[images] - 1)
        xs = np.minimum((rng.random(count) * self._cols[images]).astype(np.int64), self._cols[images] - 1)
        return images, ys, xs

    def _flat(self, image_index: int, y: int, x: int) -> bool:
        p, s = self.patch_size, self.scale
        return float(self._hr[image_index][y * s:(y + p) * s, x * s:(x + p) * s].std()) < self.min_std

    def sample(self, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``count`` pairs with ``rng``: ``(inputs (n, h, w, 1), targets (n, H, W, 1))`` float32."""
        images, ys, xs = self._draw(count, rng)
        transforms = rng.integers(0, 8, size=count) if self.augment else np.zeros(count, np.int64)
        inputs = np.empty((count,) + self.input_shape, dtype=np.float32)
        targets = np.empty((count,) + self.target_shape, dtype=np.float32)
        for n in range(count):
            index, y, x = int(images[n]), int(ys[n]), int(xs[n])
            if self.min_std > 0:
                tries = 1
                while tries < self.max_tries and self._flat(index, y, x):
                    redraw = self._draw(1, rng)
                    index, y, x = int(redraw[0][0]), int(redraw[1][0]), int(redraw[2][0])
                    tries += 1
            source, target = self.crop(index, y, x, int(transforms[n]))
            inputs[n, :, :, 0] = source
            targets[n, :, :, 0] = target
        return inputs, targets

    def batch(self, index: int, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """Batch number ``index``: a pure function of ``(seed, index, batch_size)``."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        rng = np.random.default_rng([self.seed, int(index)])
        return self.sample(int(batch_size), rng)

    def batches(self, batch_size: int, start: int = 0, stop: int | None = None
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield batches ``start, start + 1, ...`` (forever when ``stop`` is None)."""
        index = int(start)
        while stop is None or index < stop:
            yield self.batch(index, batch_size)
            index += 1


def make_dataset(source: ImageSource | PairedPatches, scale: int | None = None, patch_size: int | None = None,
                 *, batch_size: int = 16, seed: int = 0, start: int = 0, pre_upsample: bool = False,
                 augment: bool = True, min_std: float = 0.0) -> Any:
    """An endless, prefetched ``tf.data.Dataset`` of ``(inputs, targets)`` batches.

    Parameters
    ----------
    source : PairedPatches or image source
        A ready sampler, or images for a new :class:`PairedPatches` (then ``scale`` and
        ``patch_size`` are required).
    scale, patch_size, pre_upsample, augment, min_std :
        Passed to :class:`PairedPatches` when ``source`` is not one.
    batch_size : int
        Patches per batch.
    seed : int
        Sampler seed (ignored when ``source`` is a sampler: it has its own).
    start : int
        Index of the first batch (a resumed run continues the stream).

    Returns
    -------
    tf.data.Dataset
        Elements ``(float32 (B, h, w, 1), float32 (B, H, W, 1))``, made with
        ``num_parallel_calls=tf.data.AUTOTUNE`` (order kept: deterministic) and prefetched.

    Notes
    -----
    Needs TensorFlow; on other backends use :func:`make_py_dataset`. Taught in ``03_srcnn.ipynb``.
    """
    import tensorflow as tf

    sampler = _as_sampler(source, scale, patch_size, seed=seed, pre_upsample=pre_upsample,
                          augment=augment, min_std=min_std)
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")  # as make_py_dataset
    batch_size = int(batch_size)
    in_shape = (batch_size,) + sampler.input_shape
    out_shape = (batch_size,) + sampler.target_shape

    def load(index: Any) -> tuple[np.ndarray, np.ndarray]:
        return sampler.batch(int(index), batch_size)

    def tf_load(index: Any) -> tuple[Any, Any]:
        inputs, targets = tf.numpy_function(load, [index], (tf.float32, tf.float32), stateful=False)
        return tf.ensure_shape(inputs, in_shape), tf.ensure_shape(targets, out_shape)

    dataset = tf.data.Dataset.counter(start=int(start))
    dataset = dataset.map(tf_load, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


def _as_sampler(source: ImageSource | PairedPatches, scale: int | None, patch_size: int | None,
                **kwargs: Any) -> PairedPatches:
    if isinstance(source, PairedPatches):
        return source
    if scale is None or patch_size is None:
        raise ValueError("give scale and patch_size (or pass a PairedPatches sampler as the source)")
    return PairedPatches(source, scale, patch_size, **kwargs)


def make_py_dataset(source: ImageSource | PairedPatches, scale: int | None = None, patch_size: int | None = None,
                    *, batch_size: int = 16, seed: int = 0, start: int = 0, num_batches: int | None = None,
                    workers: int = 2, pre_upsample: bool = False, augment: bool = True,
                    min_std: float = 0.0) -> Any:
    """A backend-agnostic ``keras.utils.PyDataset`` of the same batches as :func:`make_dataset`.

    Parameters
    ----------
    num_batches : int, optional
        Length; ``None`` (default) for an endless dataset (pass ``steps_per_epoch`` to ``fit``).
    workers : int
        Worker threads that prepare batches ahead of the training step.

    Other parameters are those of :func:`make_dataset`.

    Returns
    -------
    keras.utils.PyDataset
        Item ``i`` is batch ``start + i`` of the sampler.

    Notes
    -----
    Works with JAX, PyTorch and TensorFlow backends (no TensorFlow needed). Taught in
    ``03_srcnn.ipynb``.
    """
    import keras

    sampler = _as_sampler(source, scale, patch_size, seed=seed, pre_upsample=pre_upsample,
                          augment=augment, min_std=min_std)
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if num_batches is not None and int(num_batches) < 1:
        raise ValueError(f"num_batches must be positive or None, got {num_batches!r}")

    class PatchPyDataset(keras.utils.PyDataset):
        def __init__(self) -> None:
            super().__init__(workers=max(1, int(workers)), use_multiprocessing=False,
                             max_queue_size=max(4, 2 * int(workers)))
            self.sampler = sampler

        @property
        def num_batches(self) -> int | None:
            return None if num_batches is None else int(num_batches)

        def __len__(self) -> int:
            if num_batches is None:
                raise TypeError("endless dataset: no length")
            return int(num_batches)

        def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
            if num_batches is not None and not 0 <= index < num_batches:
                raise IndexError(f"batch {index} out of range for {num_batches} batches")
            return sampler.batch(int(start) + int(index), int(batch_size))

    return PatchPyDataset()


def patches_per_second(sampler: PairedPatches, *, batch_size: int = 64, batches: int = 20,
                       warmup: int = 2) -> dict[str, float]:
    """Measure the NumPy sampler's throughput on one thread.

    Parameters
    ----------
    sampler : PairedPatches
        A ready sampler (its LR cache is built at construction, not timed here).
    batch_size, batches, warmup : int
        Timed batches of ``batch_size`` after ``warmup`` untimed ones.

    Returns
    -------
    dict
        ``{"patches_per_s", "batches_per_s", "batch_size", "batches", "seconds"}``.

    Notes
    -----
    The number to compare with the model's training steps/s: data must not be the
    bottleneck. Taught in ``04_fast_sr_networks.ipynb``.
    """
    if batches < 1 or batch_size < 1 or warmup < 0:
        raise ValueError(f"batches and batch_size must be positive and warmup >= 0, got "
                         f"batches={batches!r}, batch_size={batch_size!r}, warmup={warmup!r}")
    for index in range(warmup):
        sampler.batch(10**9 + index, batch_size)
    begin = time.perf_counter()
    for index in range(batches):
        sampler.batch(index, batch_size)
    seconds = time.perf_counter() - begin
    return {"patches_per_s": batches * batch_size / seconds, "batches_per_s": batches / seconds,
            "batch_size": float(batch_size), "batches": float(batches), "seconds": seconds}

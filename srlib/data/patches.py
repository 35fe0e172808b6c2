"""Paired LR/HR training patches for super-resolution, with or without TensorFlow.

The core is plain NumPy (:class:`PairedPatches`): it makes each image's low-resolution
version once per scale with a degradation (default: the protocol's :func:`srlib.data.make_lr`,
MATLAB-compatible bicubic, cached in memory), cuts crops aligned to the scale (an LR crop at
``(y, x)`` pairs with the HR crop at ``(y * scale, x * scale)``), applies one random draw of
each paired transform to both halves (default: one of the 8 flips/rotations, see
:mod:`srlib.data.transforms`), optionally rejects flat patches, and returns the Y channel (or
RGB) as ``float32`` in ``[0, 1]``. Every batch is a pure function of ``(seed, batch index)``,
so runs are reproducible and a resumed run continues the same stream.

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
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from srlib._checks import check_non_negative_int, check_positive_int, check_positive_number, check_scale
from srlib.data.degradations import RandomDegradation, make_lr
from srlib.data.folders import ImageSource, load_images
from srlib.data.transforms import BatchTransform, Dihedral, PairTransform, crop_pair, random_crop_offsets
from srlib.images import modcrop, rgb_to_y, to_float
from srlib.resize import imresize

__all__ = ["CHANNELS", "DEFAULT_TRANSFORMS", "Degradation", "split_images", "bicubic_up", "PairedPatches",
           "make_dataset", "make_py_dataset", "patches_per_second"]

#: A fixed degradation: ``(modcropped uint8 HR image, scale) -> uint8 LR image`` of ``1 / scale`` its size,
#: made once per image. A :class:`srlib.data.RandomDegradation` (``(hr, scale, rng) -> lr``) is also accepted:
#: it makes a new LR patch for every sample.
Degradation = Callable[[np.ndarray, int], np.ndarray]
#: What a patch holds: ``"y"`` (MATLAB's luma, 1 channel) or ``"rgb"`` (3 channels).
CHANNELS: tuple[str, ...] = ("y", "rgb")
#: The default augmentation: one of the 8 flips/rotations per pair, the same for both halves.
DEFAULT_TRANSFORMS: tuple[PairTransform, ...] = (Dihedral(),)

_CACHE_LIMIT = 2048
_LR_CACHE: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
_UP_CACHE: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def split_images(images: Mapping[str, np.ndarray], count: int, *, seed: int = 0
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Hold ``count`` images aside for validation (a seeded choice), return ``(train, val)``.

    Notes
    -----
    Validate on images held aside from the training set, never on the benchmark sets
    (Set5/Set14). Taught in ``03_srcnn.ipynb``.
    """
    count = check_positive_int(count, "validation count")
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


def _cached_protocol_lr(hr: np.ndarray, scale: int) -> np.ndarray:
    """:func:`srlib.data.make_lr`, cached in memory per (image content, scale): each image is downscaled once."""
    cropped = modcrop(hr, scale)
    return _cached(_LR_CACHE, (_key(cropped), scale), lambda: make_lr(cropped, scale))


def _degraded(degradation: Degradation, hr: np.ndarray, scale: int, name: str) -> np.ndarray:
    """The LR image of one (modcropped) HR image, checked: uint8, ``1 / scale`` the size, same channels."""
    if degradation is make_lr:
        return _cached_protocol_lr(hr, scale)
    lr = np.asarray(degradation(hr, scale))
    expected = (hr.shape[0] // scale, hr.shape[1] // scale) + hr.shape[2:]
    if lr.dtype != np.uint8 or lr.shape != expected:
        raise ValueError(f"degradation {getattr(degradation, '__name__', degradation)!r} returned {lr.dtype} "
                         f"{lr.shape} for image {name!r}; it must return the uint8 LR image of shape {expected} "
                         "(HR size / scale), like srlib.data.make_lr")
    return lr


def _degraded_patch(degradation: RandomDegradation, hr: np.ndarray, scale: int, rng: np.random.Generator
                    ) -> np.ndarray:
    """One sample's LR patch from a random degradation, checked like :func:`_degraded`."""
    lr = np.asarray(degradation(hr, scale, rng))
    expected = (hr.shape[0] // scale, hr.shape[1] // scale) + hr.shape[2:]
    if lr.dtype != np.uint8 or lr.shape != expected:
        raise ValueError(f"random degradation {degradation!r} returned {lr.dtype} {lr.shape} for an HR patch of "
                         f"shape {hr.shape}; it must return the uint8 LR patch of shape {expected} (HR size / scale)")
    return lr


def _as_float(image_uint8: np.ndarray, channels: str) -> np.ndarray:
    """``float32`` in [0, 1]: the Y channel (MATLAB rgb2ycbcr on float RGB, unrounded) or RGB.

    Exactly what ``srlib.inference`` feeds a model at test time.
    """
    if channels == "rgb":
        return to_float(image_uint8)
    return rgb_to_y(to_float(image_uint8)).astype(np.float32)


def bicubic_up(lr: np.ndarray, scale: int) -> np.ndarray:
    """Bicubic-upscaled float LR (``float32``, Y or RGB), the input of pre-upsampling models (SRCNN). Cached.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    scale = check_scale(scale)
    lr = np.asarray(lr, dtype=np.float32)
    return _cached(_UP_CACHE, (_key(lr), scale), lambda: imresize(lr, float(scale)).astype(np.float32))


class PairedPatches:
    """Seeded sampler of scale-aligned (input, target) patches from HR images.

    Parameters
    ----------
    images : mapping, path, sequence of paths or None
        HR images, see :func:`srlib.data.load_images` (``None``: the offline default set);
        grey images get three equal channels.
    scale : int
        Upscaling factor (2, 3, 4, ...).
    patch_size : int
        LR patch side in pixels; the HR (target) patch side is ``patch_size * scale``.
    pre_upsample : bool
        ``True`` for pre-upsampling models (SRCNN): the input is the bicubic-upscaled LR
        (HR size) cropped at the HR position; ``False`` (FSRCNN, ESPCN): the LR patch.
    degradation : callable
        ``degradation(hr, scale) -> lr``: makes each image's ``uint8`` LR image once, from the
        modcropped ``uint8`` HR image (default: :func:`srlib.data.make_lr`, the protocol's clean
        bicubic LR, cached in memory). E.g. ``functools.partial(srlib.data.degrade,
        blur_sigma=1.0, noise_sigma=5, seed=0)``. A :class:`srlib.data.RandomDegradation`
        (e.g. :class:`srlib.data.RealESRGANDegradation`) instead degrades every sample's HR patch
        anew, with a generator spawned from the batch's (``seed``, batch index) - a new LR for every
        sample, reproducible, never cached; the crops and transforms drawn are those of the clean
        sampler with the same seed.
    transforms : sequence of PairTransform or BatchTransform
        Paired augmentations, each drawn once per pair and applied to both halves, in order
        (default :data:`DEFAULT_TRANSFORMS`: one of the 8 flips/rotations by 90 degrees;
        ``()``: none). Batch transforms (:class:`srlib.data.MixUp`, :class:`srlib.data.CutMix`,
        ...) mix the pairs of a batch after all pair transforms. See :mod:`srlib.data.transforms`.
    channels : {"y", "rgb"}
        ``"y"`` (default): MATLAB's Y channel, 1-channel patches; ``"rgb"``: 3-channel patches.
    min_std : float
        Reject HR patches whose standard deviation (``[0, 1]`` scale, over all channels) is
        below this (flat sky, walls); up to ``max_tries`` draws, then the last draw is kept.
    seed : int
        Base seed: batch ``i`` depends only on ``(seed, i)``.
    max_tries : int
        Draws per patch before a flat patch is accepted anyway.

    Attributes
    ----------
    names : list of str
        Images large enough for one patch.
    skipped : list of str
        Images too small for one patch.
    input_shape, target_shape : tuple
        ``(h, w, C)`` of one input and one target patch (``C`` is 1 for Y, 3 for RGB).

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """

    def __init__(self, images: ImageSource, scale: int, patch_size: int, *, pre_upsample: bool = False,
                 degradation: Degradation = make_lr, transforms: Sequence[PairTransform] = DEFAULT_TRANSFORMS,
                 channels: Literal["y", "rgb"] = "y", min_std: float = 0.0, seed: int = 0,
                 max_tries: int = 10) -> None:
        self.scale = check_scale(scale)
        if check_positive_int(patch_size, "patch_size (LR pixels)") < 2:
            raise ValueError(f"patch_size (LR pixels) must be an integer >= 2, got {patch_size!r}")
        if channels not in CHANNELS:
            raise ValueError(f"channels must be 'y' (the Y channel) or 'rgb', got {channels!r}")
        if not callable(degradation):
            raise ValueError(f"degradation must be a function (hr, scale) -> lr such as srlib.data.make_lr, "
                             f"got {degradation!r}")
        if isinstance(transforms, (PairTransform, BatchTransform)) or not isinstance(transforms, Sequence) \
                or not all(isinstance(t, (PairTransform, BatchTransform)) for t in transforms):
            raise ValueError(f"transforms must be a sequence of paired transforms (draw and __call__, or draw and "
                             f"apply_batch), e.g. (srlib.data.Dihedral(),) or () for none, got {transforms!r}")
        self.patch_size = int(patch_size)
        self.pre_upsample = bool(pre_upsample)
        self.degradation = degradation
        self.transforms = tuple(transforms)
        self.channels = channels
        self.min_std = check_positive_number(min_std, "min_std (on the [0, 1] scale)", allow_zero=True)
        self.seed = check_non_negative_int(seed, "seed")
        self.max_tries = check_positive_int(max_tries, "max_tries")
        self._random = isinstance(degradation, RandomDegradation)
        self._lr: list[np.ndarray] = []
        self._hr: list[np.ndarray] = []
        self._up: list[np.ndarray] = []
        self._hr_uint8: list[np.ndarray] = []  # random degradations degrade the HR crop of each sample
        self.names: list[str] = []
        self.skipped: list[str] = []
        for name, image in load_images(images).items():
            if min(image.shape[:2]) < self.patch_size * self.scale:
                self.skipped.append(name)
                continue
            hr = modcrop(image, self.scale)
            self.names.append(name)
            self._hr.append(_as_float(hr, channels))
            if self._random:
                self._hr_uint8.append(hr)
                continue
            lr = _as_float(_degraded(self.degradation, hr, self.scale, name), channels)
            self._lr.append(lr)
            if self.pre_upsample:
                self._up.append(bicubic_up(lr, self.scale))
        if not self.names:
            raise ValueError(f"no image is large enough for a {self.patch_size * self.scale}-pixel HR patch "
                             f"at scale {self.scale}; lower patch_size (now {self.patch_size})")
        lr_sizes = [(hr.shape[0] // self.scale, hr.shape[1] // self.scale) for hr in self._hr]
        self._rows = np.array([height - self.patch_size + 1 for height, _ in lr_sizes], dtype=np.int64)
        self._cols = np.array([width - self.patch_size + 1 for _, width in lr_sizes], dtype=np.int64)
        counts = (self._rows * self._cols).astype(np.float64)
        self._weights = counts / counts.sum()  # each crop position equally likely
        depth = 3 if channels == "rgb" else 1
        side = self.patch_size * (self.scale if self.pre_upsample else 1)
        self.input_shape = (side, side, depth)
        hr_side = self.patch_size * self.scale
        self.target_shape = (hr_side, hr_side, depth)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        degradation = getattr(self.degradation, "__name__", repr(self.degradation))
        return (f"PairedPatches({len(self.names)} images, scale={self.scale}, patch_size={self.patch_size}, "
                f"pre_upsample={self.pre_upsample}, degradation={degradation}, transforms={self.transforms}, "
                f"channels={self.channels!r}, min_std={self.min_std}, seed={self.seed})")

    def crop(self, image_index: int, y: int, x: int, rng: np.random.Generator | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
        """The untransformed pair at LR offset ``(y, x)`` of image ``image_index``.

        Returns ``(input, target)`` as ``float32`` views, ``(h, w)`` for Y and ``(h, w, 3)`` for RGB.
        With a random degradation, ``rng`` (required) degrades the HR crop into the input.
        """
        if self._random:
            return self._degraded_crop(image_index, y, x, rng)
        if self.pre_upsample:
            return crop_pair(self._up[image_index], self._hr[image_index], y, x, self.patch_size, self.scale,
                             source_scale=self.scale)
        return crop_pair(self._lr[image_index], self._hr[image_index], y, x, self.patch_size, self.scale)

    def _degraded_crop(self, image_index: int, y: int, x: int, rng: np.random.Generator | None
                       ) -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"this sampler's degradation {self.degradation!r} is random: pass rng, a "
                             "numpy.random.Generator (np.random.default_rng(seed)), to degrade the crop")
        side = self.patch_size * self.scale
        top, left = check_non_negative_int(y, "y") * self.scale, check_non_negative_int(x, "x") * self.scale
        hr = self._hr_uint8[image_index][top:top + side, left:left + side]
        if hr.shape[:2] != (side, side):
            raise ValueError(f"the {side}-pixel crop at LR offset ({y}, {x}) does not fit image {image_index} of "
                             f"shape {self._hr_uint8[image_index].shape}")
        lr = _as_float(_degraded_patch(self.degradation, hr, self.scale, rng), self.channels)
        source = imresize(lr, float(self.scale)).astype(np.float32) if self.pre_upsample else lr
        return source, self._hr[image_index][top:top + side, left:left + side]

    def _draw(self, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        images = rng.choice(len(self._hr), size=count, p=self._weights)
        ys, xs = random_crop_offsets(self._rows[images], self._cols[images], rng)
        return images, ys, xs

    def _flat(self, image_index: int, y: int, x: int) -> bool:
        side, top, left = self.patch_size * self.scale, y * self.scale, x * self.scale
        return float(self._hr[image_index][top:top + side, left:left + side].std()) < self.min_std

    def sample(self, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``count`` pairs with ``rng``: ``(inputs (n, h, w, C), targets (n, H, W, C))`` float32."""
        images, ys, xs = self._draw(count, rng)
        parameters = [transform.draw(count, rng) for transform in self.transforms]
        # one child generator per sample for a random degradation; spawning leaves rng's stream untouched,
        # so the crops and transforms are those of the clean sampler
        children = rng.spawn(count) if self._random else [None] * count
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
            source, target = self.crop(index, y, x, children[n])
            for transform, drawn in zip(self.transforms, parameters):
                if not isinstance(transform, BatchTransform):
                    source, target = transform(source, target, drawn[n])
            inputs[n] = source.reshape(self.input_shape)
            targets[n] = target.reshape(self.target_shape)
        for transform, drawn in zip(self.transforms, parameters):
            if isinstance(transform, BatchTransform):  # mixing across pairs: after every pair transform
                inputs, targets = transform.apply_batch(inputs, targets, drawn)
        return inputs, targets

    def batch(self, index: int, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """Batch number ``index``: a pure function of ``(seed, index, batch_size)``."""
        batch_size = check_positive_int(batch_size, "batch_size")
        index = check_non_negative_int(index, "index")  # batch numbers count from 0
        rng = np.random.default_rng([self.seed, index])
        return self.sample(batch_size, rng)

    def batches(self, batch_size: int, start: int = 0, stop: int | None = None
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield batches ``start, start + 1, ...`` (forever when ``stop`` is None)."""
        index = check_non_negative_int(start, "start")
        while stop is None or index < stop:
            yield self.batch(index, batch_size)
            index += 1


def make_dataset(source: ImageSource | PairedPatches, scale: int | None = None, patch_size: int | None = None,
                 *, batch_size: int = 16, seed: int = 0, start: int = 0, num_parallel_calls: int | None = None,
                 **sampler_options: Any) -> Any:
    """An endless, prefetched ``tf.data.Dataset`` of ``(inputs, targets)`` batches.

    Parameters
    ----------
    source : PairedPatches or image source
        A ready sampler, or images for a new :class:`PairedPatches` (then ``scale`` and
        ``patch_size`` are required).
    scale, patch_size : int, optional
        Passed to :class:`PairedPatches` when ``source`` is not one.
    batch_size : int
        Patches per batch.
    seed : int
        Sampler seed (ignored when ``source`` is a sampler: it has its own).
    start : int
        Index of the first batch (a resumed run continues the stream).
    num_parallel_calls : int, optional
        Batches prepared in parallel (default ``tf.data.AUTOTUNE``); the batches and their order
        do not depend on it.
    **sampler_options
        Keyword arguments of :class:`PairedPatches` (``pre_upsample``, ``degradation``,
        ``transforms``, ``channels``, ``min_std``, ``max_tries``) when ``source`` is not one.

    Returns
    -------
    tf.data.Dataset
        Elements ``(float32 (B, h, w, C), float32 (B, H, W, C))``, made with
        ``num_parallel_calls=tf.data.AUTOTUNE`` (order kept: deterministic) and prefetched.

    Notes
    -----
    Needs TensorFlow; on other backends use :func:`make_py_dataset`. Taught in ``03_srcnn.ipynb``.
    """
    import tensorflow as tf

    start = check_non_negative_int(start, "start")  # a negative start used to fail deep inside tf.data
    sampler = _as_sampler(source, scale, patch_size, seed=seed, **sampler_options)
    batch_size = check_positive_int(batch_size, "batch_size")
    in_shape = (batch_size,) + sampler.input_shape
    out_shape = (batch_size,) + sampler.target_shape

    def load(index: Any) -> tuple[np.ndarray, np.ndarray]:
        return sampler.batch(int(index), batch_size)

    def tf_load(index: Any) -> tuple[Any, Any]:
        inputs, targets = tf.numpy_function(load, [index], (tf.float32, tf.float32), stateful=False)
        return tf.ensure_shape(inputs, in_shape), tf.ensure_shape(targets, out_shape)

    dataset = tf.data.Dataset.counter(start=int(start))
    parallel = tf.data.AUTOTUNE if num_parallel_calls is None else check_positive_int(num_parallel_calls,
                                                                                      "num_parallel_calls")
    dataset = dataset.map(tf_load, num_parallel_calls=parallel, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


def _as_sampler(source: ImageSource | PairedPatches, scale: int | None, patch_size: int | None,
                **kwargs: Any) -> PairedPatches:
    if isinstance(source, PairedPatches):
        options = sorted(key for key in kwargs if key != "seed")
        if options:
            raise ValueError(f"{options} apply to a new sampler; source is already a PairedPatches "
                             "(set them when you build it)")
        return source
    if scale is None or patch_size is None:
        raise ValueError("give scale and patch_size (or pass a PairedPatches sampler as the source)")
    return PairedPatches(source, scale, patch_size, **kwargs)


def make_py_dataset(source: ImageSource | PairedPatches, scale: int | None = None, patch_size: int | None = None,
                    *, batch_size: int = 16, seed: int = 0, start: int = 0, num_batches: int | None = None,
                    workers: int = 2, **sampler_options: Any) -> Any:
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

    sampler = _as_sampler(source, scale, patch_size, seed=seed, **sampler_options)
    batch_size = check_positive_int(batch_size, "batch_size")
    if num_batches is not None:
        num_batches = check_positive_int(num_batches, "num_batches")

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
    batch_size = check_positive_int(batch_size, "batch_size")
    batches = check_positive_int(batches, "batches")
    warmup = check_non_negative_int(warmup, "warmup")
    for index in range(warmup):
        sampler.batch(10**9 + index, batch_size)
    begin = time.perf_counter()
    for index in range(batches):
        sampler.batch(index, batch_size)
    seconds = time.perf_counter() - begin
    return {"patches_per_s": batches * batch_size / seconds, "batches_per_s": batches / seconds,
            "batch_size": float(batch_size), "batches": float(batches), "seconds": seconds}

"""The one set of argument validators used across srlib, and the one JSON sanitiser.

Every public function checks its arguments with these, so a rule (what counts as a scale,
what a seed may be) changes in one place and every error message names the bad value and
a remedy. Not part of the public API: import them inside srlib only.
"""
from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["check_scale", "check_scales", "check_positive_int", "check_non_negative_int",
           "check_positive_number", "check_channels", "check_filters", "check_unit_range", "check_rng", "to_jsonable", "FLOAT_TOLERANCE",
           "check_output_file", "MAX_OUTPUT_PIXELS", "check_output_pixels"]


#: Slack allowed beyond [0, 1] for float images (rounding noise of float32 arithmetic).
FLOAT_TOLERANCE = 1e-6


def _is_integral(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Integral):
        return True
    return isinstance(value, (float, np.floating)) and math.isfinite(float(value)) and float(value).is_integer()


def check_scale(scale: object, *, minimum: int = 2, name: str = "scale",
                supported: Sequence[int] | None = None) -> int:
    """Return ``scale`` as an ``int``, or raise a ValueError naming it.

    Parameters
    ----------
    scale
        An integer factor (``3``, ``np.int64(3)`` and ``3.0`` are accepted; ``True``, ``2.5``,
        ``"3"`` are not).
    minimum
        The smallest factor allowed: 2 for models and training, 1 where "no change" makes sense
        (``upscale``, ``modcrop``).
    name
        The argument's name in the message.
    supported
        If given, the factors this caller can serve (e.g. the scales of the shipped weights);
        anything else is refused with the list.
    """
    if not _is_integral(scale):
        raise ValueError(f"{name} must be an integer factor such as 2, 3 or 4, got {scale!r}")
    value = int(scale)  # type: ignore[call-overload]
    if value < minimum:
        raise ValueError(f"{name} must be an integer factor >= {minimum} (2, 3, 4, ...), got {scale!r}")
    if supported is not None and value not in tuple(supported):
        raise ValueError(f"{name} must be one of {tuple(supported)}, got {scale!r}")
    return value


def check_scales(scales: object, *, name: str = "scales") -> list[int]:
    """Return one integer scale or a sequence of them as a non-empty list of ints >= 2."""
    if _is_integral(scales):
        return [check_scale(scales, name=name)]
    if isinstance(scales, (str, bytes)) or not isinstance(scales, (Sequence, np.ndarray, set, frozenset)):
        raise ValueError(f"{name} must be an integer or a list of integers >= 2, got {scales!r}")
    values = list(scales)  # type: ignore[arg-type]
    if not values:
        raise ValueError(f"{name} is empty; use e.g. {name}=(2, 3, 4)")
    return [check_scale(value, name=f"every entry of {name}") for value in values]


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` as an int >= 1 (``True`` and ``"3"`` refused), or raise a ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_non_negative_int(value: object, name: str) -> int:
    """Return ``value`` as an int >= 0, or raise a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def check_positive_number(value: object, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite float > 0 (>= 0 with ``allow_zero``); bools and strings refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    number = float(value)
    if number < 0 or (number == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return number


def check_channels(channels: object) -> int:
    """Return 1 (the Y channel) or 3 (RGB), or raise a ValueError."""
    if isinstance(channels, bool) or not isinstance(channels, numbers.Integral) or int(channels) not in (1, 3):
        raise ValueError(f"channels must be 1 (the Y channel) or 3 (RGB), got {channels!r}")
    return int(channels)


def check_filters(filters: object, length: int, name: str) -> tuple[int, ...]:
    """Return a sequence of ``length`` positive ints as a tuple, or raise a ValueError."""
    if not isinstance(filters, Sequence) or isinstance(filters, str) or len(filters) != length:
        raise ValueError(f"{name} must be a sequence of {length} positive integers, got {filters!r}")
    return tuple(check_positive_int(value, name) for value in filters)

def check_unit_range(image: np.ndarray, name: str, *, slack: float = FLOAT_TOLERANCE) -> tuple[float, float]:
    """Raise a ValueError for NaN or values outside ``[0, 1]`` (plus rounding noise); return ``(min, max)``.

    The one range check of float images (srlib's float convention is ``[0, 1]``); the message
    recognises 0..255 floats and says what to do. ``slack`` widens the interval on both sides
    (YCbCr after bicubic resampling may overshoot the gamut a little; 0..255 values never fit).

    One ``min`` and one ``max`` pass: both propagate NaN, so no separate ``isnan`` pass.
    """
    if image.size == 0:
        return 0.0, 1.0
    low, high = float(image.min()), float(image.max())
    if np.isnan(low) or np.isnan(high):
        raise ValueError(f"{name}: image contains NaN")
    if low < -slack or high > 1.0 + slack:
        hint = " (looks like 0..255: divide by 255 or use uint8)" if high > 1.5 else " (clip it first: np.clip(x, 0, 1))"
        raise ValueError(f"{name}: float images must lie in [0, 1], got range [{low:.4g}, {high:.4g}]{hint}")
    return low, high


def check_rng(rng: np.random.Generator | None = None, seed: object = None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from ``rng`` or ``seed`` (not both).

    ``rng=None, seed=None`` gives a fresh, unseeded generator.
    """
    if rng is not None and seed is not None:
        raise ValueError(f"give rng or seed, not both (got seed={seed!r} and a Generator)")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
        return rng
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    return np.random.default_rng(None if seed is None else int(seed))


#: The largest image (height x width) srlib will allocate: 250 MP, i.e. 0.75 GB as uint8 RGB and
#: several GB in the float64 intermediates of resizing. Larger requests are almost always a slip
#: (a scale of 500 instead of 5); tile the image to go beyond.
MAX_OUTPUT_PIXELS = 250_000_000


def check_output_pixels(shape: Sequence[int], what: str, *, channels: int = 3) -> None:
    """Refuse, before allocating, an output of more than :data:`MAX_OUTPUT_PIXELS` pixels.

    The message gives the size the request would need so the slip is obvious.
    """
    height, width = int(shape[0]), int(shape[1])
    pixels = height * width
    if pixels > MAX_OUTPUT_PIXELS:
        gib = pixels * channels * 8 / 2**30  # float64 working copy
        raise ValueError(f"{what} would be {height}x{width} = {pixels:,} pixels (about {gib:,.0f} GiB in float64), "
                         f"more than srlib's limit of {MAX_OUTPUT_PIXELS:,}; check the scale/output_shape, or crop "
                         "the image into tiles and process them one by one")


def check_output_file(path: object, name: str) -> Path:
    """Check, BEFORE any work, that a result file can be written at ``path``; return it.

    Refuses a folder, a parent that is a file, and a place this process cannot write, with a
    message naming ``name`` (e.g. ``"--json"``) and what to give instead. Creates missing
    parent folders (they would be created to write the file anyway).
    """
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise ValueError(f"{name} must be a file path, got {path!r}")
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{name} {str(target)!r} is a folder; give a file name, e.g. {str(target / 'results.json')!r}")
    parent = target.parent
    existing = next((p for p in (parent, *parent.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        raise ValueError(f"{name} {str(target)!r}: {str(existing)!r} is a file, not a folder; choose another path")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ValueError(f"{name} {str(target)!r}: cannot create its folder ({err}); choose a writable place") from err
    if not os.access(parent, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ValueError(f"{name} {str(target)!r} is not writable by this user; choose a writable place "
                         "(e.g. a file in your home folder or /tmp)")
    return target


def to_jsonable(value: Any, *, digits: int | None = None) -> Any:
    """Return ``value`` with NumPy scalars/arrays, tuples and non-finite floats made JSON-safe.

    The one rule for every file srlib writes: ``inf``/``-inf`` become the strings ``"inf"`` /
    ``"-inf"`` (a PSNR of a perfect reconstruction is infinite, and that is a result, not a
    missing value), ``nan`` becomes ``null``; other floats are rounded to ``digits`` decimals
    when given. Dict keys become strings.
    """
    if isinstance(value, dict):
        return {str(key): to_jsonable(item, digits=digits) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item, digits=digits) for item in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist(), digits=digits)
    if isinstance(value, np.generic):
        return to_jsonable(value.item(), digits=digits)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return round(value, digits) if digits is not None else value
    return value

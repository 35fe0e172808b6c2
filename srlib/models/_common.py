"""Argument checks and the model-naming convention shared by the model builders.

A model's name records its family and scale, e.g. ``"fsrcnn_x3"`` or
``"srcnn_9-1-5_x2"``; :func:`srlib.models.model_scale` reads the scale back, so a
model (even one reloaded from a ``.keras`` file) knows what it was built for.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def check_scale(scale: object) -> int:
    """Return ``scale`` as an int >= 2, or raise a ValueError naming it."""
    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer, float, np.floating)):
        raise ValueError(f"scale must be an integer factor such as 2, 3 or 4, got {scale!r}")
    if isinstance(scale, (float, np.floating)):
        if not float(scale).is_integer():
            raise ValueError(f"scale must be an integer factor such as 2, 3 or 4, got {scale!r}")
    if int(scale) < 2:
        raise ValueError(f"scale must be an integer factor >= 2 (2, 3, 4, ...), got {scale!r}")
    return int(scale)


def check_scale_or_none(scale: object) -> int | None:
    return None if scale is None else check_scale(scale)


def check_channels(channels: object) -> int:
    if isinstance(channels, bool) or not isinstance(channels, (int, np.integer)) or int(channels) not in (1, 3):
        raise ValueError(f"channels must be 1 (the Y channel) or 3 (RGB), got {channels!r}")
    return int(channels)


def check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_filters(filters: object, length: int, name: str) -> tuple[int, ...]:
    if not isinstance(filters, Sequence) or isinstance(filters, str) or len(filters) != length:
        raise ValueError(f"{name} must be a sequence of {length} positive integers, got {filters!r}")
    return tuple(check_positive_int(value, name) for value in filters)


def model_name(family: str, scale: int | None, variant: str | None = None) -> str:
    parts = [family] + ([variant] if variant else []) + ([f"x{scale}"] if scale is not None else [])
    return "_".join(parts)

"""The model-naming convention shared by the model builders (argument checks: ``srlib._checks``).

A model's name records its family and scale, e.g. ``"fsrcnn_x3"`` or
``"srcnn_9-1-5_x2"``; :func:`srlib.models.model_scale` reads the scale back, so a
model (even one reloaded from a ``.keras`` file) knows what it was built for.
"""
from __future__ import annotations



def model_name(family: str, scale: int | None, variant: str | None = None) -> str:
    parts = [family] + ([variant] if variant else []) + ([f"x{scale}"] if scale is not None else [])
    return "_".join(parts)

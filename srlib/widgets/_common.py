"""What the widgets share: fast PNG encoding, the label font, the zoom colour and the PSNR/SSIM table.

Taught in ``01_interpolation_artifacts.ipynb`` (the method explorer),
``04_fast_sr_networks.ipynb`` (the region flipper) and ``06_degradations_and_augmentation.ipynb``
(the degradation explorer).
"""
from __future__ import annotations

import html
import io
import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from PIL import Image, ImageColor, ImageFont

from srlib.plots._style import ZOOM_COLOR

#: The zoom box's colour as an RGB triple (the figures' :data:`srlib.plots.ZOOM_COLOR`).
ZOOM_RGB: tuple[int, int, int] = ImageColor.getrgb(ZOOM_COLOR)[:3]
#: Name of the reference entry in the widgets' panels and tables.
GROUND_TRUTH = "ground truth"
#: The baseline every widget table shows and compares against.
BASELINE = "bicubic"

_LEFT = "style='text-align:left;padding:1px 10px 1px 2px'"
_RIGHT = "style='text-align:right;padding:1px 10px'"
_NOTE = "style='text-align:left;padding:1px 10px;color:#868e96'"


@lru_cache(maxsize=1)
def label_font() -> Any:
    """The font of the labels drawn into the widgets' PNGs (13 px; Pillow's bitmap font without FreeType)."""
    try:
        return ImageFont.load_default(size=13)
    except (TypeError, OSError):  # Pillow without FreeType: bitmap font
        return ImageFont.load_default()


def png(image: Image.Image) -> bytes:
    """Fast lossless PNG: deflate level 1; run-length matching for RGB photos (~15% faster, as small)."""
    buffer = io.BytesIO()
    options = {"compress_type": zlib.Z_RLE} if image.mode == "RGB" else {}
    image.save(buffer, format="PNG", compress_level=1, **options)
    return buffer.getvalue()


def metrics_table(scores: Mapping[str, Mapping[str, float] | str], *, scale: int, baseline: str = BASELINE) -> str:
    """The widgets' HTML table: Y-PSNR, SSIM and the PSNR gain over the baseline, one row per method.

    Parameters
    ----------
    scores : mapping
        ``{method: {"psnr": dB, "ssim": value}}`` in display order; a string instead of the scores
        is a row without numbers that says why (e.g. ``"no shipped weights at x2"``).
    scale : int
        The scale factor, named in the note under the table (the protocol's border).
    baseline : str
        The row marked "(baseline)" and subtracted in the last column.

    Returns
    -------
    str
        ``<table class="srlib-metrics">`` and a ``<small>`` note on the protocol.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb`` (the method explorer) and
    ``06_degradations_and_augmentation.ipynb`` (the degradation explorer).
    """
    base = scores.get(baseline)
    base_psnr = base["psnr"] if isinstance(base, Mapping) else None
    rows = []
    for method, values in scores.items():
        marker = " (baseline)" if method == baseline else ""
        style = ' style="background:#f1f3f5"' if method == baseline else ""
        name = f"<td {_LEFT}>{html.escape(method)}{marker}</td>"
        if not isinstance(values, Mapping):
            rows.append(f"<tr{style}>{name}<td colspan=\"3\" {_NOTE}><i>{html.escape(str(values))}</i></td></tr>")
            continue
        delta = "-" if base_psnr is None else f"{values['psnr'] - base_psnr:+.2f}"
        rows.append(f"<tr{style}>{name}<td {_RIGHT}>{values['psnr']:.2f}</td><td {_RIGHT}>{values['ssim']:.4f}</td>"
                    f"<td {_RIGHT}>{delta}</td></tr>")
    return ('<table class="srlib-metrics" style="border-collapse:collapse">'
            f"<thead><tr><th {_LEFT}>method</th><th {_RIGHT}>PSNR (dB)</th><th {_RIGHT}>SSIM</th>"
            f"<th {_RIGHT}>&Delta; PSNR vs {html.escape(baseline)}</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>"
            f"<small>vs the ground truth on the Y channel, border = scale = {int(scale)} pixels "
            "(the evaluation protocol)</small>")

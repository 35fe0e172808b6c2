"""The one style of the course's figures: colours, sizes and the figure factory.

Every figure module of :mod:`srlib.plots` takes its colours and fonts from here,
so that a colour means the same thing in every lesson (grey: the bicubic
baseline; orange: the zoom box; the model colours in a fixed order). The
widgets of :mod:`srlib.widgets` draw their zoom box in :data:`ZOOM_COLOR` too.

Taught in ``01_interpolation_artifacts.ipynb`` (the figures of every lesson use it).
"""
from __future__ import annotations

from collections.abc import Iterable

from matplotlib.figure import Figure

__all__ = ["ZOOM_COLOR", "BASELINE_COLOR", "BAR_COLOR", "MODEL_COLORS", "ROLE_COLORS", "PANEL_INCHES", "CAPTION_FONT_SIZE",
           "new_figure", "method_colors"]

#: Colour of the zoom rectangle (figures and widgets).
ZOOM_COLOR = "#e8590c"
#: Colour of the baseline (bicubic) in every chart.
BASELINE_COLOR = "#868e96"
#: Colour of ordinary bars.
BAR_COLOR = "#1c7ed6"
#: Colours of models/methods other than the baseline, in order of appearance.
MODEL_COLORS = ("#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#5c940d", "#c2255c")
#: Colours of the kinds of layer in a network (feature extraction, mapping, ...), in order of
#: appearance; distinct from :data:`MODEL_COLORS`, which name networks.
ROLE_COLORS = ("#4263eb", "#f59f00", "#37b24d", "#ae3ec9", "#f03e3e", "#1098ad", "#74b816", "#d6336c")
#: Default size of one image panel in inches.
PANEL_INCHES = 2.8
#: Font size of the PSNR/SSIM captions under image panels (readable at notebook width).
CAPTION_FONT_SIZE = 10


def new_figure(width: float, height: float) -> Figure:
    """A :class:`~matplotlib.figure.Figure` of ``width`` x ``height`` inches, constrained layout, no pyplot state.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb`` (every srlib figure is made by it).
    """
    return Figure(figsize=(width, height), layout="constrained")


def method_colors(methods: Iterable[str], baseline: str | None = "bicubic") -> dict[str, str]:
    """``{method: colour}``: the baseline grey, the others :data:`MODEL_COLORS` in order of appearance.

    A method whose name starts with the baseline's (``"bicubic (clean)"``) is a baseline too.

    Notes
    -----
    Taught in ``03_srcnn.ipynb`` and ``04_fast_sr_networks.ipynb`` (chart colours).
    """
    colours: dict[str, str] = {}
    index = 0
    for method in methods:
        method = str(method)
        if method in colours:
            continue
        if baseline is not None and method.lower().startswith(str(baseline).lower()):
            colours[method] = BASELINE_COLOR
        else:
            colours[method] = MODEL_COLORS[index % len(MODEL_COLORS)]
            index += 1
    return colours

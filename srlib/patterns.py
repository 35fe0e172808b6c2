"""Generated test images that make interpolation artifacts visible.

Every pattern is returned as a ``uint8`` RGB array of shape ``(size, size, 3)``
(grey patterns repeat the same value in the three channels), is fully
deterministic (no randomness), and needs no file or download:

- :func:`zone_plate` - a radial chirp whose local frequency grows linearly with
  the radius and reaches the Nyquist limit at the edge: downscaling it without
  an antialias filter shows moiré rings.
- :func:`siemens_star` - black/white spokes whose spatial frequency rises
  towards the centre: shows aliasing and the resolution limit of an upscaler.
- :func:`resolution_chart` - groups of bars with periods from coarse down to
  2 pixels (Nyquist), vertical on top, horizontal below.
- :func:`text_chart` - lines of text at decreasing font sizes.
- :func:`checkerboard` and :func:`edge` - hard steps that show ringing
  (overshoot) of bicubic/Lanczos kernels and blur of bilinear ones.

:func:`pattern` dispatches by name over :data:`PATTERNS`.

Taught in ``01_interpolation_artifacts.ipynb``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["PATTERNS", "DEFAULT_PERIODS", "pattern", "zone_plate", "siemens_star", "resolution_chart",
           "text_chart", "checkerboard", "edge"]

MIN_SIZE = 16
MAX_SIZE = 8192


def _check_size(size: Any) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise ValueError(f"size must be an integer number of pixels, got {size!r}")
    if not MIN_SIZE <= int(size) <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE} pixels, got {size}")
    return int(size)


def _check_level(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value <= 255:
        raise ValueError(f"{name} must be an integer grey level in [0, 255], got {value!r}")
    return int(value)


def _to_rgb(gray: np.ndarray) -> np.ndarray:
    """float image in [0, 1] -> uint8 RGB (H, W, 3), rounded."""
    levels = np.clip(np.rint(gray * 255.0), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(levels[:, :, None], 3, axis=2))


def _centred_grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates (x, y), origin at the image centre, in pixels."""
    coords = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    return np.meshgrid(coords, coords)  # x varies along columns, y along rows


def zone_plate(size: int = 512, *, max_frequency: float = 0.5) -> np.ndarray:
    """A radial chirp ``0.5 + 0.5 cos(k r^2)`` (a Fresnel zone plate).

    The local frequency ``k r / pi`` grows linearly with the distance ``r`` from
    the centre and equals ``max_frequency`` (cycles per pixel) at the middle of
    each edge; with the default 0.5 that is the Nyquist limit, so any downscale
    without an antialias filter folds the outer rings into false low-frequency
    rings (moiré). The corners go beyond ``max_frequency`` (by sqrt 2) and are
    already aliased in the pattern itself.

    Parameters
    ----------
    size : int
        Width and height in pixels (16 to 8192).
    max_frequency : float
        Local frequency at the edge midpoints, in cycles per pixel, in (0, 0.5].

    Returns
    -------
    numpy.ndarray
        ``uint8`` RGB array of shape ``(size, size, 3)``; 255 (white) at the centre.

    Examples
    --------
    >>> zone_plate(64).shape
    (64, 64, 3)

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    size = _check_size(size)
    if isinstance(max_frequency, bool) or not isinstance(max_frequency, (int, float, np.floating, np.integer)) \
            or not 0 < float(max_frequency) <= 0.5:
        raise ValueError(f"max_frequency must be in (0, 0.5] cycles per pixel (0.5 is Nyquist), got {max_frequency!r}")
    x, y = _centred_grid(size)
    radius_at_edge = size / 2.0
    k = np.pi * float(max_frequency) / radius_at_edge  # phase k r^2 -> local frequency k r / pi
    return _to_rgb(0.5 + 0.5 * np.cos(k * (x * x + y * y)))


def siemens_star(size: int = 512, *, spokes: int = 36, supersample: int = 4) -> np.ndarray:
    """A Siemens star: ``spokes`` black and ``spokes`` white wedges on a white disc.

    The period along a circle of radius ``r`` is ``2 pi r / spokes`` pixels, so
    the spokes get finer towards the centre; the radius where they blur into
    grey (or alias into false spokes) measures the resolution of a resize.

    Parameters
    ----------
    size : int
        Width and height in pixels (16 to 8192).
    spokes : int
        Number of black wedges (2 to 360).
    supersample : int
        Samples per pixel along each axis used to antialias the wedge edges
        (1 to 8; 1 gives hard, jagged edges).

    Returns
    -------
    numpy.ndarray
        ``uint8`` RGB array ``(size, size, 3)``; outside the disc is mid-grey (128).

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    size = _check_size(size)
    if isinstance(spokes, bool) or not isinstance(spokes, (int, np.integer)) or not 2 <= spokes <= 360:
        raise ValueError(f"spokes must be an integer in [2, 360], got {spokes!r}")
    if isinstance(supersample, bool) or not isinstance(supersample, (int, np.integer)) or not 1 <= supersample <= 8:
        raise ValueError(f"supersample must be an integer in [1, 8], got {supersample!r}")
    s = int(supersample)
    offsets = (np.arange(s) + 0.5) / s - 0.5
    x, y = _centred_grid(size)
    radius = 0.48 * size
    accum = np.zeros((size, size), dtype=np.float64)
    for dy in offsets:
        for dx in offsets:
            xs, ys = x + dx, y + dy
            theta = np.arctan2(ys, xs)
            white = np.sin(spokes * theta) >= 0
            inside = xs * xs + ys * ys <= radius * radius
            accum += np.where(inside, white.astype(np.float64), 128.0 / 255.0)
    return _to_rgb(accum / (s * s))


DEFAULT_PERIODS: tuple[int, ...] = (16, 12, 8, 6, 4, 3, 2)


def resolution_chart(size: int = 512, *, periods: Sequence[int] | None = None) -> np.ndarray:
    """Bar groups of increasing frequency: vertical bars on top, horizontal below.

    The image is split into ``len(periods)`` columns; column ``i`` holds bars of
    period ``periods[i]`` pixels (half black, half white; odd periods round the
    black half down). A period of 2 pixels is the Nyquist limit: a 2x downscale
    turns it into flat grey at best, or into a false coarse pattern.

    Parameters
    ----------
    size : int
        Width and height in pixels (16 to 8192); must give each group at least
        two full periods.
    periods : sequence of int or None
        Bar periods in pixels, each >= 2 (in the order drawn, left to right).
        Default: ``DEFAULT_PERIODS`` = (16, 12, 8, 6, 4, 3, 2), dropping the
        coarsest ones that do not fit small sizes.

    Returns
    -------
    numpy.ndarray
        ``uint8`` RGB ``(size, size, 3)`` on a white background with a 1/16
        white margin around each group.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    size = _check_size(size)
    if periods is None:
        periods = DEFAULT_PERIODS
        while len(periods) > 1 and size // len(periods) * 7 // 8 < 2 * periods[0]:
            periods = periods[1:]
    periods = tuple(periods)
    if not periods or any(isinstance(p, bool) or not isinstance(p, (int, np.integer)) or p < 2 for p in periods):
        raise ValueError(f"periods must be a non-empty sequence of integers >= 2 pixels, got {periods!r}")
    group = size // len(periods)
    margin = max(1, group // 16)
    inner = group - 2 * margin
    if inner < 2 * max(periods):
        raise ValueError(f"size={size} is too small for {len(periods)} groups with periods up to "
                         f"{max(periods)} pixels: use size >= {len(periods) * (2 * max(periods) + 4)} or fewer periods")
    image = np.ones((size, size), dtype=np.float64)
    half = size // 2
    for i, period in enumerate(periods):
        x0 = i * group + margin
        phase = np.arange(inner) % period
        bars = (phase >= period // 2).astype(np.float64)  # black first
        v_top, v_bottom = margin, half - margin
        image[v_top:v_bottom, x0:x0 + inner] = bars[None, :]
        h_top, h_bottom = half + margin, size - margin
        row_phase = np.arange(h_bottom - h_top) % period
        image[h_top:h_bottom, x0:x0 + inner] = (row_phase >= period // 2).astype(np.float64)[:, None]
    return _to_rgb(image)


def text_chart(size: int = 512, *, text: str | None = None,
               font_sizes: Sequence[int] = (28, 22, 18, 14, 12, 10, 9, 8)) -> np.ndarray:
    """Black text on white at decreasing font sizes (Pillow's default font).

    Text is where upscalers are judged hardest: thin strokes blur under
    bilinear, ring under bicubic and turn into wrong letters under GANs.
    The font is Pillow's built-in default (a FreeType font since Pillow 10.1),
    so no font file is needed; the output is deterministic for a given Pillow
    version.

    Parameters
    ----------
    size : int
        Width and height in pixels (16 to 8192).
    text : str or None
        The line to repeat at each size; default is a pangram with digits.
    font_sizes : sequence of int
        Font sizes in pixels (4 to 256), one line each, top to bottom; lines
        that do not fit are dropped.

    Returns
    -------
    numpy.ndarray
        ``uint8`` RGB ``(size, size, 3)``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    from PIL import Image, ImageDraw, ImageFont

    size = _check_size(size)
    if text is None:
        text = "The quick brown fox jumps over the lazy dog 0123456789"
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    font_sizes = tuple(font_sizes)
    if not font_sizes or any(isinstance(f, bool) or not isinstance(f, (int, np.integer)) or not 4 <= f <= 256
                             for f in font_sizes):
        raise ValueError(f"font_sizes must be a non-empty sequence of integers in [4, 256], got {font_sizes!r}")
    canvas = Image.new("L", (size, size), color=255)
    draw = ImageDraw.Draw(canvas)
    y = 2
    for font_size in font_sizes:
        try:
            font = ImageFont.load_default(size=int(font_size))
        except TypeError:  # pragma: no cover - Pillow < 10.1 has only the fixed bitmap font
            font = ImageFont.load_default()
        line_height = int(font_size) + max(2, int(font_size) // 3)
        if y + line_height > size:
            break
        draw.text((2, y), text, fill=0, font=font)
        y += line_height
    return _to_rgb(np.asarray(canvas, dtype=np.float64) / 255.0)


def checkerboard(size: int = 512, *, square: int | None = None) -> np.ndarray:
    """Black and white squares of ``square`` pixels (white in the top-left corner).

    Hard horizontal and vertical steps: bicubic and Lanczos overshoot (ring) at
    each step, bilinear blurs it, nearest keeps it but makes blocky steps at
    non-integer scales.

    Parameters
    ----------
    size : int
        Width and height in pixels (16 to 8192).
    square : int or None
        Side of one square in pixels (1 to ``size``); default ``size // 8``
        (an 8 x 8 board).

    Returns
    -------
    numpy.ndarray
        ``uint8`` RGB ``(size, size, 3)`` with values 0 and 255 only.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    size = _check_size(size)
    if square is None:
        square = max(1, size // 8)
    if isinstance(square, bool) or not isinstance(square, (int, np.integer)) or not 1 <= square <= size:
        raise ValueError(f"square must be an integer in [1, size={size}] pixels, got {square!r}")
    index = np.arange(size) // int(square)
    board = ((index[:, None] + index[None, :]) % 2 == 0).astype(np.float64)
    return _to_rgb(board)


def edge(size: int = 512, *, angle: float = 0.0, low: int = 64, high: int = 192) -> np.ndarray:
    """A straight step edge through the centre, dark on the left, bright on the right.

    With ``angle=0`` the step is vertical and falls exactly between two pixel
    columns (for an even ``size``; an odd ``size`` gives the centre column the mid
    level); a small angle (about 5 degrees) gives the *slanted edge* used to
    measure sharpness. Pixels cut by a slanted edge get their area coverage
    (linear ramp of one pixel), so the pattern itself is not jagged. The levels
    sit away from 0 and 255 so that overshoot and undershoot (ringing) of an
    upscaler stay visible instead of being clipped.

    Parameters
    ----------
    size : int
        Width and height in pixels (16 to 8192).
    angle : float
        Rotation of the edge in degrees, in [-90, 90]; positive angles turn it clockwise
        as displayed (rows grow downwards), i.e. the top of the edge moves right.
    low, high : int
        Grey levels of the dark and bright sides (0 to 255).

    Returns
    -------
    numpy.ndarray
        ``uint8`` RGB ``(size, size, 3)``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    size = _check_size(size)
    if isinstance(angle, bool) or not isinstance(angle, (int, float, np.integer, np.floating)) \
            or not np.isfinite(angle) or not -90.0 <= float(angle) <= 90.0:
        raise ValueError(f"angle must be a number of degrees in [-90, 90], got {angle!r}")
    low, high = _check_level("low", low), _check_level("high", high)
    x, y = _centred_grid(size)
    theta = np.deg2rad(float(angle))
    # signed distance from the edge line (positive on the bright side); rows grow downwards
    distance = x * np.cos(theta) + y * np.sin(theta)
    coverage = np.clip(distance + 0.5, 0.0, 1.0)
    return _to_rgb((low + (high - low) * coverage) / 255.0)


_BUILDERS: dict[str, Callable[..., np.ndarray]] = {
    "zone_plate": zone_plate,
    "siemens_star": siemens_star,
    "resolution_chart": resolution_chart,
    "text_chart": text_chart,
    "checkerboard": checkerboard,
    "edge": edge,
}

#: Names accepted by :func:`pattern`.
PATTERNS: tuple[str, ...] = tuple(_BUILDERS)


def pattern(name: str, size: int = 512, **options: Any) -> np.ndarray:
    """Build the test pattern called ``name`` (one of :data:`PATTERNS`).

    Parameters
    ----------
    name : str
        ``"zone_plate"``, ``"siemens_star"``, ``"resolution_chart"``,
        ``"text_chart"``, ``"checkerboard"`` or ``"edge"``.
    size : int
        Width and height in pixels.
    **options
        Keyword arguments of the pattern's own function.

    Returns
    -------
    numpy.ndarray
        ``uint8`` RGB ``(size, size, 3)``.

    Notes
    -----
    Taught in ``01_interpolation_artifacts.ipynb``.
    """
    if name not in _BUILDERS:
        raise ValueError(f"unknown pattern {name!r}; choose one of {', '.join(PATTERNS)}")
    return _BUILDERS[name](size, **options)

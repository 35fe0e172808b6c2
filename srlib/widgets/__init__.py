"""Interactive widgets: the method explorer (lesson 01), the region flipper (lesson 04) and
their latency measurement."""
from __future__ import annotations

from srlib.widgets._explorer import MethodExplorer, explorer, DEFAULT_METHODS, SCALES, PATTERN_PREFIX
from srlib.widgets._flipper import RegionFlipper, region_flipper, REGION_SIZES
from srlib.widgets._latency import widget_latency

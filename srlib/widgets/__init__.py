"""Interactive widgets, by subject: the method explorer (lesson 01), the region flipper
(lesson 04), the network-interpolation slider (lesson 05), the degradation explorer
(lesson 06) and the explorer's latency measurement; shared helpers in
:mod:`srlib.widgets._common`."""
from __future__ import annotations

from srlib.widgets._common import GROUND_TRUTH
from srlib.widgets._degradation import (DEFAULT_DEGRADATION_MODELS, DegradationExplorer, degradation_explorer,
                                        degradation_latency)
from srlib.widgets._explorer import DEFAULT_METHODS, PATTERN_PREFIX, SCALES, MethodExplorer, explorer
from srlib.widgets._interpolation import (ALPHA_STEP, InterpolationExplorer, interpolation_explorer,
                                          interpolation_latency)
from srlib.widgets._flipper import REGION_SIZES, RegionFlipper, region_flipper
from srlib.widgets._latency import widget_latency

__all__ = ["MethodExplorer", "explorer", "DEFAULT_METHODS", "SCALES", "PATTERN_PREFIX",
           "RegionFlipper", "region_flipper", "REGION_SIZES", "GROUND_TRUTH", "widget_latency",
           "InterpolationExplorer", "interpolation_explorer", "interpolation_latency", "ALPHA_STEP",
           "DegradationExplorer", "degradation_explorer", "degradation_latency", "DEFAULT_DEGRADATION_MODELS"]

"""Figures of the course, by subject: images (comparisons, difference maps, spectra,
profiles; lessons 01-02), networks (stages, filters, feature maps, the pixel shuffle,
training patches; lessons 03-04) and charts (results tables, speed vs quality,
training curves, contrast transfer, cost per layer, the perception-distortion plane of
lesson 05), in one style (:mod:`srlib.plots._style`)."""
from __future__ import annotations

from srlib.plots._charts import (layer_cost_chart, plot_contrast_transfer, plot_perception_distortion,
                                 plot_training_curve, speed_quality_chart, table_figure)
from srlib.plots._images import compare, difference, difference_map, line_profile, plot_spectra, spectrum
from srlib.plots._networks import (distinct_channels, plot_feature_maps, plot_filters, plot_patch_pairs,
                                   plot_pixel_shuffle, stage_diagram)
from srlib.plots._style import BASELINE_COLOR, MODEL_COLORS, ROLE_COLORS, ZOOM_COLOR

__all__ = [
    "compare", "difference", "difference_map", "spectrum", "plot_spectra", "line_profile",
    "plot_filters", "plot_feature_maps", "stage_diagram", "distinct_channels", "plot_pixel_shuffle",
    "plot_patch_pairs", "table_figure", "speed_quality_chart", "plot_training_curve", "plot_contrast_transfer",
    "layer_cost_chart", "plot_perception_distortion", "BASELINE_COLOR", "MODEL_COLORS", "ROLE_COLORS", "ZOOM_COLOR",
]

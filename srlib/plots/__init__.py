"""Figures of the course: image comparisons, spectra and tables (lessons 01-02) and network
diagrams, filters, feature maps and charts (lessons 03-04)."""
from __future__ import annotations

from srlib.plots._images import compare, difference_map, spectrum, plot_spectra, table_figure, line_profile
from srlib.plots._networks import MODEL_COLORS, plot_filters, plot_feature_maps, stage_diagram, plot_pixel_shuffle, speed_quality_chart, plot_training_curve, plot_patch_pairs, contrast_transfer, plot_contrast_transfer

"""The downstream-classifier study: what each way of expanding images does to a real classifier.

``python -m srlib study`` (or :func:`run_study`) trains the same small ResNet-style classifier
on EuroSAT images expanded from LR by every method (interpolations and SR networks, through
``srlib.upscale``), on native HR, with resolution augmentation, on the LR itself and through a
learnable resizer; scores every classifier on every test set (the train x test matrix); trains
an artifact detector; and writes one JSON file per (condition, seed), a summary, a markdown
table and figures drawn from those files.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

from srlib.study._config import (DEFAULT_METHODS, DEGRADED_METHODS, IN_DOMAIN_METHODS, IN_DOMAIN_WEIGHTS,
                                 INTERPOLATIONS, NATURAL_METHODS, SRRESNET_METHODS, Condition, StudyConfig,
                                 check_study_config, conditions, default_config, degraded_methods, method_scales,
                                 mixed_methods, quick_config, schedule_of, test_sources)
from srlib.study._engine import (EXAMPLES_PER_SOURCE, BudgetExceeded, StudyData, load_study_data, read_runs,
                                 rescore_study, run_name, run_study, train_run)
from srlib.study._metrics import confusion_matrix, macro_f1, mean_interval, per_class_recall, top1_accuracy
from srlib.study._models import (DETECTOR_WIDTHS, FEATURE_SIZE, build_artifact_detector, build_classifier,
                                 build_resizer_classifier)
from srlib.study._report import (FIGURES, load_summary, markdown_table, plot_class_recall, plot_degraded,
                                 plot_detector_confusion, plot_examples, plot_matrix, plot_psnr_vs_accuracy,
                                 plot_scale_curves, summarize, write_report)
from srlib.study._store import (DEGRADATION_SEED, STUDY_DEGRADATIONS, ImageStore, atomic_write_bytes,
                                atomic_write_json, default_cache_dir, degraded_lr, expand_image, parse_source,
                                source_degradation, source_name)

__all__ = ["DEFAULT_METHODS", "DEGRADED_METHODS", "IN_DOMAIN_METHODS", "IN_DOMAIN_WEIGHTS", "INTERPOLATIONS",
           "NATURAL_METHODS", "SRRESNET_METHODS", "degraded_methods", "method_scales", "mixed_methods", "Condition", "StudyConfig", "check_study_config", "conditions",
           "default_config", "quick_config", "schedule_of", "test_sources", "EXAMPLES_PER_SOURCE",
           "BudgetExceeded", "StudyData", "load_study_data", "read_runs", "rescore_study", "run_name", "run_study",
           "train_run", "confusion_matrix", "macro_f1", "mean_interval", "per_class_recall", "top1_accuracy",
           "DETECTOR_WIDTHS", "FEATURE_SIZE", "build_artifact_detector", "build_classifier",
           "build_resizer_classifier", "FIGURES", "load_summary", "markdown_table", "plot_class_recall",
           "plot_degraded", "plot_detector_confusion", "plot_examples", "plot_matrix", "plot_psnr_vs_accuracy",
           "plot_scale_curves", "summarize", "write_report", "DEGRADATION_SEED", "STUDY_DEGRADATIONS",
           "ImageStore", "atomic_write_bytes", "atomic_write_json", "default_cache_dir", "degraded_lr",
           "expand_image", "parse_source", "source_degradation", "source_name"]

"""Classification metrics of the study: confusion matrix, top-1, macro-F1, mean with a 95 % interval.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from srlib._checks import check_positive_int

__all__ = ["confusion_matrix", "top1_accuracy", "macro_f1", "per_class_recall", "mean_interval"]


def confusion_matrix(labels: Sequence[int] | np.ndarray, predictions: Sequence[int] | np.ndarray,
                     num_classes: int) -> np.ndarray:
    """Counts ``C[true, predicted]`` as an ``int64`` ``(num_classes, num_classes)`` array.

    Raises
    ------
    ValueError
        Different lengths, no samples, or a label outside ``0 .. num_classes - 1``.

    Examples
    --------
    >>> confusion_matrix([0, 0, 1], [0, 1, 1], 2).tolist()
    [[1, 1], [0, 1]]

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    num_classes = check_positive_int(num_classes, "num_classes")
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape or labels.ndim != 1:
        raise ValueError(f"labels and predictions must be 1-D and of equal length, got shapes {labels.shape} "
                         f"and {predictions.shape}")
    if labels.size == 0:
        raise ValueError("confusion_matrix needs at least one sample, got none")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if not np.issubdtype(values.dtype, np.integer) or values.min() < 0 or values.max() >= num_classes:
            raise ValueError(f"{name} must be integers in 0..{num_classes - 1}, got values from "
                             f"{values.min()} to {values.max()} (dtype {values.dtype})")
    flat = labels.astype(np.int64) * num_classes + predictions.astype(np.int64)
    return np.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def _checked(confusion: np.ndarray | Sequence[Sequence[int]]) -> np.ndarray:
    matrix = np.asarray(confusion)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError(f"a confusion matrix must be square (classes x classes), got shape {matrix.shape}")
    if not np.issubdtype(matrix.dtype, np.integer) or matrix.min() < 0 or matrix.sum() == 0:
        raise ValueError("a confusion matrix holds non-negative integer counts, at least one sample; "
                         f"got dtype {matrix.dtype} with total {matrix.sum()}")
    return matrix.astype(np.int64)


def top1_accuracy(confusion: np.ndarray | Sequence[Sequence[int]]) -> float:
    """Share of samples on the diagonal (top-1 accuracy, 0..1).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    matrix = _checked(confusion)
    return float(np.trace(matrix) / matrix.sum())


def per_class_recall(confusion: np.ndarray | Sequence[Sequence[int]]) -> np.ndarray:
    """Recall of each class (diagonal over row sums); ``nan`` for a class with no sample.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    matrix = _checked(confusion)
    support = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(support > 0, np.diag(matrix) / np.maximum(support, 1), np.nan)


def macro_f1(confusion: np.ndarray | Sequence[Sequence[int]]) -> float:
    """Unweighted mean of the per-class F1 scores ``2 TP / (2 TP + FP + FN)``.

    A class that is neither present nor predicted is left out of the mean (it has no F1);
    a class that is present but never predicted, or predicted but absent, scores 0.

    Examples
    --------
    >>> round(macro_f1([[2, 0], [1, 1]]), 4)  # F1 = 0.8 and 0.6667
    0.7333

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    matrix = _checked(confusion)
    true_positive = np.diag(matrix).astype(np.float64)
    denominator = matrix.sum(axis=0) + matrix.sum(axis=1)  # = 2 TP + FP + FN
    active = denominator > 0
    return float(np.mean(2 * true_positive[active] / denominator[active]))


def mean_interval(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> dict[str, float]:
    """Mean and Student-t confidence interval of per-seed results.

    Parameters
    ----------
    values : sequence of float
        One result per seed (at least one).
    confidence : float
        Two-sided level, default 0.95.

    Returns
    -------
    dict
        ``{"mean", "low", "high", "half_width", "std", "n"}``; with one value the interval is
        unknown (``nan``, written as ``null`` in JSON).

    Examples
    --------
    >>> interval = mean_interval([0.90, 0.92, 0.94])
    >>> round(interval["mean"], 3), round(interval["half_width"], 4)  # t(0.975, 2) * 0.02 / sqrt(3)
    (0.92, 0.0497)

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    from scipy import stats

    data = np.asarray(values, dtype=np.float64).ravel()
    if data.size == 0 or not np.all(np.isfinite(data)):
        raise ValueError(f"mean_interval needs at least one finite value, got {values!r}")
    if not isinstance(confidence, float) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be a float between 0 and 1 (e.g. 0.95), got {confidence!r}")
    mean = float(data.mean())
    if data.size == 1:
        return {"mean": mean, "low": math.nan, "high": math.nan, "half_width": math.nan, "std": math.nan, "n": 1}
    std = float(data.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, data.size - 1) * std / math.sqrt(data.size))
    return {"mean": mean, "low": mean - half, "high": mean + half, "half_width": half, "std": std,
            "n": int(data.size)}

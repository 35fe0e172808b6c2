"""Exercises of ``07_downstream_capstone.ipynb``: seed intervals, macro-F1, reading a study's summary.

Use in the notebook::

    from srlib.exercises import lesson07 as ex
    def mean_interval(values):
        ...
    ex.q1.check(mean_interval)   # ex.q1.hint(), ex.q1.solution()

``q1``-``q4`` are the end-of-lesson exercises; ``c1``-``c2`` the short check-your-understanding
questions after the lesson's sections (``answer = ...``, then ``ex.c1.check(answer)``).
Every exercise carries its reference answer (``ex.q1.answer()``) and examples of wrong answers;
``tests/test_exercises_lesson07.py`` checks both, and that the reference answers agree with
:mod:`srlib.study`.

Taught in ``07_downstream_capstone.ipynb``.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np

from srlib.exercises import Exercise, Result, function_check, one_of, whole_number

__all__ = ["q1", "q2", "q3", "q4", "c1", "c2", "mean_interval", "macro_f1", "best_condition", "recovered_share",
           "DEFAULT_STUDY_RUNS", "example_summary"]

#: Classifiers the default study trains: 29 conditions (native HR, 10 methods - 7 natural-photo,
#: 3 in-domain - x 2 scales, resolution augmentation clean and degradation-aware, LR-input and
#: resizer x 2 scales, 2 artifact detectors) x 3 seeds.
DEFAULT_STUDY_RUNS = 96


# --------------------------------------------------------------------------- reference answers
def mean_interval(values: Sequence[float]) -> tuple[float, float]:
    """Mean and 95 % Student-t half-width of per-seed results: ``(mean, t * s / sqrt(n))``.

    ``s`` is the sample standard deviation (``ddof=1``) and ``t`` the 97.5 % quantile of Student's
    t with ``n - 1`` degrees of freedom (4.30 for three seeds, not the normal 1.96).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb`` (the library's version: ``srlib.study.mean_interval``).
    """
    from scipy import stats

    data = np.asarray(values, dtype=np.float64)
    if data.ndim != 1 or data.size < 2:
        raise ValueError(f"need at least two per-seed values in a 1-D sequence, got {values!r}")
    half = stats.t.ppf(0.975, data.size - 1) * data.std(ddof=1) / math.sqrt(data.size)
    return float(data.mean()), float(half)


def macro_f1(confusion: Any) -> float:
    """Unweighted mean over classes of ``F1 = 2 TP / (2 TP + FP + FN)`` from ``confusion[true, predicted]``.

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb`` (the library's version: ``srlib.study.macro_f1``).
    """
    matrix = np.asarray(confusion, dtype=np.float64)
    true_positive = np.diag(matrix)
    denominator = matrix.sum(axis=0) + matrix.sum(axis=1)
    active = denominator > 0
    return float(np.mean(2 * true_positive[active] / denominator[active]))


def _mean_top1(summary: Mapping[str, Any], condition: str, test: str) -> float | None:
    entry = summary["conditions"].get(condition, {}).get("tests", {}).get(test)
    return None if entry is None else float(entry["top1"]["mean"])


def best_condition(summary: Mapping[str, Any], test: str) -> str:
    """The training condition with the highest mean top-1 on test set ``test`` (of those scored on it).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``: what to train on when the test images arrive as ``test``.
    """
    scored = {name: _mean_top1(summary, name, test) for name in summary["conditions"]}
    scored = {name: value for name, value in scored.items() if value is not None}
    if not scored:
        raise ValueError(f"no condition of this summary was scored on {test!r}")
    return max(scored, key=lambda name: scored[name])


def recovered_share(summary: Mapping[str, Any], source: str) -> float:
    """Share of the HR-trained classifier's drop on ``source`` that training on ``source`` wins back.

    ``(matched - hr_on_source) / (hr_on_hr - hr_on_source)``: 1 means the whole drop was a train/test
    mismatch (the information is still in the expanded images); 0 means training on them does not help
    (the information is gone).

    Notes
    -----
    Taught in ``07_downstream_capstone.ipynb``.
    """
    native = _mean_top1(summary, "hr", "hr")
    shifted = _mean_top1(summary, "hr", source)
    matched = _mean_top1(summary, source, source)
    if native is None or shifted is None or matched is None:
        raise ValueError(f"the summary needs conditions 'hr' and {source!r}, both scored on {source!r}")
    if native <= shifted:
        raise ValueError(f"the HR-trained classifier does not drop on {source!r}: nothing to recover")
    return (matched - shifted) / (native - shifted)


def example_summary() -> dict[str, Any]:
    """A small summary shaped like ``summary.json`` (made-up numbers) to try q3 and q4 on."""
    def entry(kind: str, scale: int, tests: Mapping[str, float]) -> dict[str, Any]:
        return {"kind": kind, "scale": scale,
                "tests": {test: {"top1": {"mean": value}} for test, value in tests.items()}}

    return {"conditions": {
        "hr": entry("expanded", 1, {"hr": 0.90, "nearest_x4": 0.30, "bicubic_x4": 0.50, "espcn_x4": 0.62}),
        "nearest_x4": entry("expanded", 4, {"hr": 0.55, "nearest_x4": 0.72, "bicubic_x4": 0.40, "espcn_x4": 0.45}),
        "bicubic_x4": entry("expanded", 4, {"hr": 0.70, "nearest_x4": 0.35, "bicubic_x4": 0.75, "espcn_x4": 0.74}),
        "espcn_x4": entry("expanded", 4, {"hr": 0.74, "nearest_x4": 0.33, "bicubic_x4": 0.73, "espcn_x4": 0.76}),
        "resaug": entry("augmented", 1, {"hr": 0.86, "nearest_x4": 0.66, "bicubic_x4": 0.74, "espcn_x4": 0.77}),
        "lr_direct_x4": entry("lr_direct", 4, {"lr_x4": 0.71}),
    }}


def _perturbed_summaries() -> list[dict[str, Any]]:
    """``example_summary`` and variants where a different condition wins (q3's test inputs)."""
    base = example_summary()
    variants = [base]
    for winner, test in (("bicubic_x4", "bicubic_x4"), ("hr", "espcn_x4"), ("resaug", "nearest_x4")):
        changed = example_summary()
        changed["conditions"][winner]["tests"][test]["top1"]["mean"] = 0.99
        variants.append(changed)
    return variants


# --------------------------------------------------------------------------- q1
def _q1_cases() -> list[tuple[list[float]]]:
    return [([0.90, 0.92, 0.94],), ([0.861, 0.866, 0.859],), ([0.5, 0.7],), ([0.81, 0.83, 0.80, 0.86, 0.82],)]


def _compare_pair(result: Any, expected: tuple[float, float]) -> Result:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return Result(False, f"return a pair (mean, half_width), got {result!r:.60}")
    mean, half = (float(value) for value in result)
    if not math.isclose(mean, expected[0], rel_tol=1e-6, abs_tol=1e-9):
        return Result(False, f"the mean is {mean:.6g}, expected {expected[0]:.6g}")
    if math.isclose(half, expected[1], rel_tol=1e-6):
        return Result(True, "")
    ratio = half / expected[1] if expected[1] else math.nan
    from scipy import stats

    n = None
    for count in range(2, 8):
        t = stats.t.ppf(0.975, count - 1)
        if math.isclose(ratio, 1.96 / t, rel_tol=1e-3):
            n = count
    if n is not None:
        return Result(False, "the half-width uses the normal 1.96; with a handful of seeds use Student's t "
                             "(scipy.stats.t.ppf(0.975, n - 1)), which is wider")
    if any(math.isclose(ratio, math.sqrt((k - 1) / k), rel_tol=1e-3) for k in range(2, 8)):
        return Result(False, "the standard deviation uses ddof=0; a sample of seeds needs ddof=1")
    if any(math.isclose(ratio, math.sqrt(k), rel_tol=1e-3) for k in range(2, 8)):
        return Result(False, "that is t * s, the spread of one seed: divide by sqrt(n) for the mean's interval")
    return Result(False, f"the half-width is {half:.6g}, expected {expected[1]:.6g}")


q1 = Exercise(
    "q1",
    checker=function_check(mean_interval, _q1_cases, compare=_compare_pair),
    answer=mean_interval,
    hint=["The interval of a mean over n seeds is mean ± t * s / sqrt(n), s = np.std(values, ddof=1).",
          "t is scipy.stats.t.ppf(0.975, n - 1): 12.71 for two seeds, 4.30 for three."],
    solution="from scipy import stats\n\n"
             "def mean_interval(values):\n"
             "    values = np.asarray(values, dtype=float)\n"
             "    n = len(values)\n"
             "    t = stats.t.ppf(0.975, n - 1)\n"
             "    return values.mean(), t * values.std(ddof=1) / np.sqrt(n)",
    explanation="With three seeds the 95 % interval is 4.30 standard errors wide on each side, more than "
                "twice the normal 1.96: that is why the study's ± columns look generous, and why two "
                "conditions whose intervals overlap are not shown to differ.",
    wrong=[lambda values: (float(np.mean(values)), 1.96 * float(np.std(values, ddof=1)) / math.sqrt(len(values))),
           lambda values: (float(np.mean(values)), float(np.std(values)))],
)


# --------------------------------------------------------------------------- q2
def _q2_cases() -> list[tuple[np.ndarray]]:
    return [(np.array([[2, 0], [1, 1]]),), (np.array([[50, 3, 2], [10, 30, 0], [0, 5, 40]]),),
            (np.array([[5, 0, 0], [0, 0, 4], [0, 0, 6]]),), (np.array([[9, 1], [0, 0]]),)]


def _check_q2(answer: Any) -> Result:
    outcome = function_check(macro_f1, _q2_cases, rtol=1e-6)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    try:
        matrix = np.array([[50, 3, 2], [10, 30, 0], [0, 5, 40]])
        value = float(answer(matrix.copy()))
    except Exception:  # noqa: BLE001 - the learner's code may raise anything; function_check said what
        return outcome
    if math.isclose(value, np.trace(matrix) / matrix.sum(), rel_tol=1e-6):
        return Result(False, "that is top-1 accuracy (which is also micro-F1): macro-F1 averages the "
                             "per-class F1 scores, each class counting the same")
    support = matrix.sum(axis=1)
    per_class = 2 * np.diag(matrix) / (matrix.sum(axis=0) + support)
    if math.isclose(value, float(np.sum(per_class * support) / support.sum()), rel_tol=1e-6):
        return Result(False, "that is the support-weighted F1; macro-F1 is the plain mean over classes")
    return outcome


q2 = Exercise(
    "q2",
    checker=_check_q2,
    answer=macro_f1,
    hint=["Rows are true classes, columns predictions: TP = diagonal, FP = column sum - TP, FN = row sum - TP.",
          "F1 = 2 TP / (2 TP + FP + FN) per class, then the plain mean; skip a class with 2 TP + FP + FN = 0."],
    solution="def macro_f1(confusion):\n"
             "    confusion = np.asarray(confusion, dtype=float)\n"
             "    tp = np.diag(confusion)\n"
             "    denominator = confusion.sum(axis=0) + confusion.sum(axis=1)   # 2 TP + FP + FN\n"
             "    active = denominator > 0\n"
             "    return float(np.mean(2 * tp[active] / denominator[active]))",
    explanation="EuroSAT's test split is close to balanced, so macro-F1 tracks top-1; it differs when a "
                "method makes the classifier dump one class into another (the confusion figures show which).",
    wrong=[lambda confusion: float(np.trace(confusion) / np.sum(confusion)),
           lambda confusion: float(np.mean(np.diag(confusion) / np.sum(confusion, axis=1)))],
)


# --------------------------------------------------------------------------- q3
def _q3_cases() -> list[tuple[dict, str]]:
    cases = []
    for summary in _perturbed_summaries():
        cases += [(summary, test) for test in ("hr", "nearest_x4", "bicubic_x4", "espcn_x4")]
    return cases


q3 = Exercise(
    "q3",
    checker=function_check(best_condition, _q3_cases,
                           compare=lambda result, expected: Result(result == expected,
                                                                   f"returned {result!r}, expected {expected!r}")),
    answer=best_condition,
    hint=["summary['conditions'][name]['tests'][test]['top1']['mean'] is the mean top-1 of condition `name` "
          "on test set `test`.",
          "Not every condition is scored on every test set (the LR-input classifier only on its LR): skip "
          "those, then take the name with the largest mean."],
    solution="def best_condition(summary, test):\n"
             "    scores = {name: entry['tests'][test]['top1']['mean']\n"
             "              for name, entry in summary['conditions'].items() if test in entry['tests']}\n"
             "    return max(scores, key=scores.get)",
    explanation="Run it on the committed study, best_condition(full, 'bicubic_x4') and so on: that is the "
                "recipe's 'what to train on' for each way test images can arrive.",
    wrong=[lambda summary, test: test,
           lambda summary, test: max(summary["conditions"],
                                     key=lambda n: summary["conditions"][n]["tests"].get("hr", {})
                                     .get("top1", {}).get("mean", 0))],
)


# --------------------------------------------------------------------------- q4
def _q4_cases() -> list[tuple[dict, str]]:
    summary = example_summary()
    return [(summary, "nearest_x4"), (summary, "bicubic_x4"), (summary, "espcn_x4")]


q4 = Exercise(
    "q4",
    checker=function_check(recovered_share, _q4_cases, rtol=1e-6),
    answer=recovered_share,
    hint=["Three numbers: the HR classifier on native HR, the HR classifier on the expansion, and the "
          "classifier trained on the expansion, tested on it.",
          "The drop is native - shifted; training on the expansion wins back matched - shifted of it."],
    solution="def recovered_share(summary, source):\n"
             "    top1 = lambda c, t: summary['conditions'][c]['tests'][t]['top1']['mean']\n"
             "    native, shifted, matched = top1('hr', 'hr'), top1('hr', source), top1(source, source)\n"
             "    return (matched - shifted) / (native - shifted)",
    explanation="A share near 1 says the HR classifier's drop was a train/test mismatch: the expanded "
                "images still carry the information, the classifier had just never seen their artifacts. "
                "What is left, native - matched, is what the LR lost and the expansion did not bring back.",
    wrong=[lambda summary, source: (summary["conditions"][source]["tests"][source]["top1"]["mean"]
                                    - summary["conditions"]["hr"]["tests"][source]["top1"]["mean"]),
           lambda summary, source: (summary["conditions"][source]["tests"][source]["top1"]["mean"]
                                    / summary["conditions"]["hr"]["tests"]["hr"]["top1"]["mean"])],
)


# --------------------------------------------------------------------------- check your understanding
def _check_c1(answer: Any) -> Result:
    value = whole_number(answer)
    if value is None:
        return Result(False, f"expected a whole number of classifiers, got {answer!r:.40}.")
    if value == DEFAULT_STUDY_RUNS:
        return Result(True, "")
    if value == DEFAULT_STUDY_RUNS // 3:
        return Result(False, "that is the number of conditions; each is trained with three seeds.")
    if value == 26 * 3:
        return Result(False, "that counts the 64x64-input classifiers (native HR, the 23 expansions and the two "
                             "resolution augmentations); add the LR-input, resizer and detector runs.")
    if value == 29 * 3:
        return Result(False, "that leaves out the three SRResNet generators of lessons 05 and 06 (x4 only).")
    if value == 66:
        return Result(False, "that was the first version of the study (7 methods, no degradation-aware "
                             "augmentation); count the 13 methods and both augmentation rows of the table.")
    if value == 34 * 3:
        return Result(False, "the SRResNets ship at x4 only: they have no x2 condition.")
    return Result(False, f"{value} is not it: count the rows of the conditions table (10 methods at scales 2 "
                         "and 4, 3 more at x4 only), then multiply by the seeds.")


c1 = Exercise(
    "c1",
    checker=_check_c1,
    answer=DEFAULT_STUDY_RUNS,
    hint="Native HR (1) + 10 methods x 2 scales (20) + 3 SRResNets at x4 (3) + the two resolution "
         "augmentations (2) + LR-input and resizer at each scale (4) + one detector per scale (2), each with "
         "3 seeds.",
    solution="answer = len(study.conditions(study.default_config())) * 3  # 32 x 3 = 96",
    explanation="96 classifiers at about 5 CPU-minutes each: why the full study is a command that "
                "checkpoints every run, not a notebook cell.",
    wrong=[32, 78, 87, 102, 66, "96"],
)

c2 = Exercise(
    "c2",
    checker=one_of("b", options=("a", "b", "c", "d"), feedback={
        "a": "then the classifier trained on nearest x4 could not do well on it either; look at the diagonal.",
        "c": "the interval over seeds is a few points wide; the drop is tens of points.",
        "d": "overfitting shows as a gap between training and validation accuracy on the same kind of images; "
             "here the test images are a different kind.",
    }),
    hint="Compare the row `hr` (trained on native images) with the diagonal (trained on the same expansion) "
         "in the column nearest_x4.",
    solution="answer = 'b'",
    explanation="Most of the drop is a train/test mismatch: the classifier learned features of native images "
                "and meets blocky ones. Training on the expansion, or augmenting with it, wins most of it "
                "back (exercise 4 measures how much).",
    wrong=["a", "c", "d"],
)

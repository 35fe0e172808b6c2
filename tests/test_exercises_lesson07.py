"""Exercises of lesson 07: reference answers pass, wrong answers fail with a message, and the
reference answers agree with :mod:`srlib.study` (intervals, macro-F1, the default study's size)."""
from __future__ import annotations

import numpy as np
import pytest

from srlib import study
from srlib.exercises import lesson07, self_test


def test_solutions_pass_and_wrong_answers_fail() -> None:
    assert self_test(lesson07) == 6  # four end-of-lesson exercises, two check-your-understanding questions


def test_reference_answers_match_the_library() -> None:
    values = [0.861, 0.866, 0.859]
    interval = study.mean_interval(values)
    assert lesson07.mean_interval(values) == pytest.approx((interval["mean"], interval["half_width"]))
    rng = np.random.default_rng(0)
    for _ in range(5):
        confusion = rng.integers(0, 20, size=(10, 10))
        assert lesson07.macro_f1(confusion) == pytest.approx(study.macro_f1(confusion))
    config = study.default_config()
    assert lesson07.DEFAULT_STUDY_RUNS == len(study.conditions(config)) * len(config.seeds)


def test_messages_name_the_slip() -> None:
    normal = lambda values: (float(np.mean(values)), 1.96 * float(np.std(values, ddof=1)) / np.sqrt(len(values)))
    assert "Student" in lesson07.q1.check(normal, quiet=True).message
    biased = lambda values: (float(np.mean(values)), float(lesson07.mean_interval(values)[1])
                             * float(np.sqrt((len(values) - 1) / len(values))))
    assert "ddof" in lesson07.q1.check(biased, quiet=True).message
    accuracy = lambda confusion: float(np.trace(confusion) / np.sum(confusion))
    assert "top-1" in lesson07.q2.check(accuracy, quiet=True).message
    assert "conditions" in lesson07.c1.check(29, quiet=True).message
    assert "diagonal" in lesson07.c2.check("a", quiet=True).message


def test_summary_helpers_reject_what_they_cannot_answer() -> None:
    summary = lesson07.example_summary()
    assert lesson07.best_condition(summary, "nearest_x4") == "nearest_x4"
    assert lesson07.best_condition(summary, "espcn_x4") == "resaug"
    assert lesson07.recovered_share(summary, "nearest_x4") == pytest.approx((0.72 - 0.30) / (0.90 - 0.30))
    with pytest.raises(ValueError, match="scored on"):
        lesson07.best_condition(summary, "lanczos3_x2")
    with pytest.raises(ValueError, match="needs conditions"):
        lesson07.recovered_share(summary, "lanczos3_x2")


def test_recovered_share_on_the_committed_study_is_a_share() -> None:
    """The committed study's numbers give shares in [0, 1.2] (training on an expansion cannot beat HR by much)."""
    from pathlib import Path

    committed = Path(__file__).resolve().parents[1] / "benchmarks" / "study"
    summary = study.load_summary(committed)
    matched = [name for name, entry in summary["conditions"].items()
               if entry["kind"] == "expanded" and name != "hr" and name in summary["conditions"]["hr"]["tests"]]
    if not matched:
        pytest.skip("the committed study has no matched (expanded) condition yet")
    for name in matched:
        if summary["conditions"]["hr"]["tests"][name]["top1"]["mean"] < summary["reference"]:
            assert -0.2 <= lesson07.recovered_share(summary, name) <= 1.2, name

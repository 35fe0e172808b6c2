"""The lessons' exercise cells match the exercise modules (without running the notebooks).

Every exercise and check-your-understanding question of ``srlib.exercises.lessonNN`` has a
cell in its lesson that holds the stub and calls its checker; every ``ex.<name>`` a lesson
uses exists; no cell promises more hints than the exercise has. The answers themselves are
tested in ``test_exercises_lessons_*.py`` (reference passes, wrong answers get their message).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from srlib.exercises import Exercise, exercises_in, lesson00, lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07

ROOT = Path(__file__).resolve().parents[1]
LESSONS = {"00_start_here.ipynb": lesson00, "01_interpolation_artifacts.ipynb": lesson01,
           "02_degradation_and_evaluation.ipynb": lesson02, "03_srcnn.ipynb": lesson03,
           "04_fast_sr_networks.ipynb": lesson04, "05_gan_super_resolution.ipynb": lesson05,
           "06_degradations_and_augmentation.ipynb": lesson06,
           "07_downstream_capstone.ipynb": lesson07}


def _code_cells(notebook: str) -> list[str]:
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", list(LESSONS))
def test_every_exercise_has_a_stub_cell_that_checks_it(notebook: str) -> None:
    cells = _code_cells(notebook)
    for exercise in exercises_in(LESSONS[notebook]):
        calls = [cell for cell in cells if f"ex.{exercise.name}.check(" in cell]
        assert len(calls) == 1, f"{notebook}: {len(calls)} cells call ex.{exercise.name}.check()"
        assert "..." in calls[0], f"{notebook}: the cell of {exercise.name} has no `...` stub to fill in"


@pytest.mark.parametrize("notebook", list(LESSONS))
def test_lessons_use_only_exercises_that_exist(notebook: str) -> None:
    names = {exercise.name for exercise in exercises_in(LESSONS[notebook])}
    used = {match for cell in _code_cells(notebook) for match in re.findall(r"\bex\.([qc]\d+)\b", cell)}
    assert used <= names, f"{notebook} uses {sorted(used - names)}, not defined in {LESSONS[notebook].__name__}"


@pytest.mark.parametrize("notebook", ["01_interpolation_artifacts.ipynb", "02_degradation_and_evaluation.ipynb",
                                      "03_srcnn.ipynb", "04_fast_sr_networks.ipynb",
                                      "05_gan_super_resolution.ipynb", "06_degradations_and_augmentation.ipynb",
                                      "07_downstream_capstone.ipynb"])
def test_lessons_01_to_04_have_check_questions_between_their_sections(notebook: str) -> None:
    """Carpentries-style pacing: two or more short checks before the end-of-lesson exercises."""
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    exercises_start = next(i for i, s in enumerate(sources) if re.search(r"^#+ .*Exercise", s, re.M))
    checks = [i for i, s in enumerate(sources) if re.search(r"\bex\.c\d+\.check\(", s)]
    assert len(checks) >= 2 and all(i < exercises_start for i in checks)
    assert len({max(j for j, s in enumerate(sources[:i]) if re.search(r"^## ", s, re.M)) for i in checks}) >= 2, \
        "the checks should follow different sections"


def test_no_cell_promises_a_next_hint() -> None:
    """hint() itself says whether another hint follows; a comment must not promise one."""
    for notebook in LESSONS:
        for cell in _code_cells(notebook):
            assert "next one" not in cell, f"{notebook}: {cell!r}"


@pytest.mark.parametrize("module", list(LESSONS.values()), ids=list(LESSONS))
def test_hint_text_promises_a_next_hint_only_when_there_is_one(module, capsys) -> None:
    for shared in exercises_in(module):
        # a fresh copy: other tests may already have revealed hints of the module's exercise
        exercise = Exercise(shared.name, checker=shared.checker, hint=shared.hints, solution=shared.solution_code)
        texts = [exercise.hint() for _ in range(len(exercise.hints) + 1)]
        for index, text in enumerate(texts):
            more = index + 1 < len(exercise.hints)
            assert ("again for hint" in text) == more, (exercise.name, text)
            assert ("solution()" in text) == (not more), (exercise.name, text)
    capsys.readouterr()

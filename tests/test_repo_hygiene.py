"""Repository rules that keep the course reproducible (see DEVELOPERS guide / CONTRIBUTING.md)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from srlib.course import SETTINGS, WORKSPACE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def _environment_pip_list() -> list[str]:
    """The `- pip:` entries of environment.yml (parsed by hand: no YAML dependency)."""
    entries, in_pip = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip() if not line.lstrip().startswith("- -e") else line.rstrip()
        if re.match(r"^\s*- pip:\s*$", stripped):
            in_pip = True
            continue
        if in_pip:
            match = re.match(r"^\s{6,}- (.+)$", stripped)
            if match:
                entries.append(match.group(1).strip())
            elif stripped.strip():
                in_pip = False
    return entries


def test_environment_yml_matches_pyproject():
    project = _pyproject()["project"]
    expected = project["dependencies"] + project["optional-dependencies"]["dev"]
    listed = [entry for entry in _environment_pip_list() if not entry.startswith("-e")]
    assert sorted(map(_normalise, listed)) == sorted(map(_normalise, expected)), (
        "environment.yml's pip list and pyproject.toml's dependencies (+ dev extra) differ; "
        "edit both together")
    assert "-e ." in _environment_pip_list(), "environment.yml must install srlib itself (- -e .)"


def test_environment_yml_python_matches_requires_python():
    requires = _pyproject()["project"]["requires-python"]  # ">=3.10"
    minimum = re.search(r">=\s*([\d.]+)", requires).group(1)
    text = (ROOT / "environment.yml").read_text()
    assert re.search(rf"python>={re.escape(minimum)}\b", text), f"environment.yml must ask for python>={minimum}"


def test_every_dependency_has_an_upper_bound():
    project = _pyproject()["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        spec = requirement.split(";")[0]
        assert "<" in spec, f"{requirement!r} needs an upper bound (tested range)"


def _saved_outputs_remedy(notebook: Path, cells: list[int]) -> str:
    """What to do when a lesson in notebooks/ was saved with outputs (learner or contributor)."""
    path = f"notebooks/{notebook.name}"
    keep = f"{WORKSPACE}/{notebook.stem}-saved.ipynb"
    return (f"{path} was saved with outputs or execution counts (code cells {', '.join(map(str, cells))}); "
            "lessons are committed without them.\n"
            f"  Learner: `make lab` opens your own copies in {WORKSPACE}/, so notebooks/ stays clean. To keep "
            f"what you saved here, copy it first:  mkdir -p {WORKSPACE} && cp {path} {keep}\n"
            f"    then restore the lesson:  git checkout -- {path}\n"
            "  Contributor (you changed the lesson on purpose): keep the edits, drop the outputs:\n"
            f"    .venv/bin/jupyter nbconvert --clear-output --inplace {path}")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_notebook_committed_without_outputs(notebook: Path):
    nb = json.loads(notebook.read_text())
    saved = [index for index, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not saved, _saved_outputs_remedy(notebook, saved)


def test_make_lab_opens_gitignored_working_copies():
    """make lab runs srlib.course's lab command; its working folder is gitignored (survives git reset)."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe and "-m srlib.course lab" in recipe.group(1), "make lab must run `python -m srlib.course lab`"
    assert re.search(r"^lab-reset:.*\n\t.*-m srlib.course reset", makefile, re.M), "make lab-reset is missing"
    assert f"/{WORKSPACE}/" in (ROOT / ".gitignore").read_text().split(), f".gitignore must list /{WORKSPACE}/"
    if shutil.which("git") and (ROOT / ".git").exists():
        result = subprocess.run(["git", "check-ignore", "-q", f"{WORKSPACE}/00_start_here.ipynb"], cwd=ROOT)
        assert result.returncode == 0, f"git does not ignore {WORKSPACE}/: a learner's saved lessons would show as changes"
    for name in ("jupyter_lab_config.json", "labconfig/default_setting_overrides.json"):
        json.loads((ROOT / SETTINGS / name).read_text())  # valid JSON, or JupyterLab ignores it


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_notebook_follows_course_conventions(notebook: Path):
    nb = json.loads(notebook.read_text())
    source = "\n".join("".join(cell["source"]) for cell in nb["cells"])
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert re.match(r"^\d\d_[a-z0-9_]+\.ipynb$", notebook.name), "lessons are named NN_descriptive_name.ipynb"
    assert "sys.path" not in code, "notebooks import the installed srlib; never edit sys.path"
    assert "../shared" not in source and "shared/datasets" not in source, "users do not have ../shared"
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "parameters" in first_code.get("metadata", {}).get("tags", []), "first code cell must be tagged 'parameters'"
    assert "setup(" in "".join(first_code["source"]), "first code cell calls srlib.course.setup() (seeds, mode)"
    lowered = source.lower()
    for heading in ("objectives", "summary", "exercises"):
        assert heading in lowered, f"{notebook.name} lacks a '{heading}' section"


def test_lessons_are_numbered_in_order():
    numbers = [int(nb.name[:2]) for nb in NOTEBOOKS]
    assert numbers == sorted(set(numbers)), "duplicate or unordered lesson numbers"
    if numbers:
        assert numbers[0] == 0, "the course starts at 00_start_here.ipynb"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make lab" in readme


def test_gitignore_keeps_data_and_venv_out():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in (".venv/", "data/cache/"):
        assert entry in ignored


def test_docstring_lesson_references_exist():
    """Each srlib docstring names the lesson that teaches it: that lesson must exist."""
    names = {nb.name for nb in NOTEBOOKS}
    missing = set()
    for path in (ROOT / "srlib").rglob("*.py"):
        for match in re.finditer(r"``(\d\d_[a-z0-9_]+\.ipynb)``", path.read_text()):
            if match.group(1) not in names:
                missing.add(f"{path.relative_to(ROOT)}: {match.group(1)}")
    assert not missing, "docstrings name lessons that do not exist:\n" + "\n".join(sorted(missing))

"""Tests of srlib.course: quick mode, pick, seeding, the lessons' first-cell setup() (quiet TensorFlow
in a real kernel) and make lab's working copies (copy, reset, survival of git reset)."""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import types
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from srlib import course


@pytest.fixture(autouse=True)
def _keep_global_state(monkeypatch: pytest.MonkeyPatch):
    """setup() changes rcParams, seeds and an environment variable: restore them afterwards."""
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    with matplotlib.rc_context():
        yield


@pytest.mark.parametrize("value, quick", [
    ("1", True), ("true", True), ("YES", True), (" on ", True), ("2", True),
    ("0", False), ("", False), ("false", False), ("No", False), ("off", False),
])
def test_is_quick_reads_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, quick: bool) -> None:
    monkeypatch.setenv(course.QUICK_ENV, value)
    assert course.is_quick() is quick
    assert course.pick("small", "large") == ("small" if quick else "large")


def test_quick_mode_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(course.QUICK_ENV, raising=False)
    assert course.is_quick() is False
    assert course.pick(50, 2000) == 2000
    assert course.pick(None, (2, 3, 4)) == (2, 3, 4)


def test_seed_everything_is_deterministic() -> None:
    course.seed_everything(123)
    first = (random.random(), np.random.rand(3))
    course.seed_everything(123)
    second = (random.random(), np.random.rand(3))
    assert first[0] == second[0] and np.array_equal(first[1], second[1])
    course.seed_everything(np.int64(7))  # NumPy integers are fine
    course.seed_everything()  # the default seed
    assert np.random.rand() == np.random.RandomState(course.DEFAULT_SEED).rand()


@pytest.mark.parametrize("seed", [-1, 1.5, "42", None, [1]])
def test_bad_seed(seed: object) -> None:
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        course.seed_everything(seed)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed"):
        course.setup(seed, verbose=False)  # type: ignore[arg-type]


def test_setup_returns_info_sets_plot_defaults_and_prints(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(course.QUICK_ENV, "1")
    info = course.setup(seed=5)
    assert info["quick"] is True and info["seed"] == 5
    assert set(info) == {"quick", "seed", "python", "platform"}
    assert matplotlib.rcParams["image.interpolation"] == "nearest" and matplotlib.rcParams["figure.dpi"] == 90
    out = capsys.readouterr().out
    assert "mode=QUICK" in out and "seed=5" in out
    assert course.setup(seed=5, verbose=False)["quick"] is True
    assert capsys.readouterr().out == ""
    monkeypatch.setenv(course.QUICK_ENV, "0")
    assert course.setup(verbose=False)["quick"] is False


class _FakeShell:
    """Stands in for IPython's shell: records magics; ``kernel`` marks a Jupyter kernel."""

    def __init__(self, kernel: object | None, fail: bool = False) -> None:
        self.kernel = kernel
        self.fail = fail
        self.magics: list[tuple[str, str]] = []

    def run_line_magic(self, name: str, line: str) -> None:
        self.magics.append((name, line))
        if self.fail:
            raise RuntimeError("no inline backend here")
        matplotlib.rcParams["figure.dpi"] = 72  # what the inline backend does


def _fake_ipython(monkeypatch: pytest.MonkeyPatch, shell: _FakeShell | None) -> None:
    module = types.ModuleType("IPython")
    module.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", module)


def test_setup_enables_inline_figures_in_a_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    shell = _FakeShell(kernel=object())
    _fake_ipython(monkeypatch, shell)
    course.setup(verbose=False)
    assert shell.magics == [("matplotlib", "inline")]
    assert matplotlib.rcParams["figure.dpi"] == 90, "the course's plot defaults win over the backend's"


@pytest.mark.parametrize("shell", [None, _FakeShell(kernel=None)])
def test_setup_leaves_the_backend_alone_outside_a_kernel(monkeypatch: pytest.MonkeyPatch,
                                                         shell: _FakeShell | None) -> None:
    _fake_ipython(monkeypatch, shell)
    backend = matplotlib.get_backend()
    course.setup(verbose=False)
    assert shell is None or shell.magics == []
    assert matplotlib.get_backend() == backend


def test_setup_survives_a_failing_magic(monkeypatch: pytest.MonkeyPatch) -> None:
    shell = _FakeShell(kernel=object(), fail=True)
    _fake_ipython(monkeypatch, shell)
    info = course.setup(seed=3, verbose=False)
    assert info["seed"] == 3 and shell.magics == [("matplotlib", "inline")]


def test_setup_does_not_import_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    course.setup(verbose=False)
    assert "IPython" not in sys.modules


# --- quiet TensorFlow ----------------------------------------------------------------------------
# Lines as TensorFlow 2.21 prints them before absl::InitializeLog() (oneDNN on an AVX-512 CPU).
ONEDNN = ("I0000 00:00:1796226857.575303   15180 port.cc:153] oneDNN custom operations are on. You may see "
          "slightly different numerical results due to floating-point round-off errors from different "
          "computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n")
BANNER = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
CPU_GUARD = ("I0000 00:00:1796226333.757442    9441 cpu_feature_guard.cc:227] This TensorFlow binary is "
             "optimized to use available CPU instructions in performance-critical operations.\n"
             "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow "
             "with the appropriate compiler flags.\n")
WARNING_LINE = "W1126 10:00:00.123456  4242 local_rendezvous.cc:404] Local rendezvous is aborting\n"
ERROR_LINE = "E1126 10:00:00.123456  4242 cuda_dnn.cc:8310] Unable to register cuDNN factory\n"
OWN = "my own warning: 3 images skipped\n"


def test_notices_are_dropped_and_the_rest_kept() -> None:
    text = BANNER + ONEDNN + OWN + CPU_GUARD + WARNING_LINE + ERROR_LINE + "Traceback (most recent call last):\n"
    assert course._drop_tensorflow_notices(text, 2) == OWN + ERROR_LINE + "Traceback (most recent call last):\n"
    assert course._drop_tensorflow_notices(text, 1) == OWN + WARNING_LINE + ERROR_LINE + "Traceback (most recent call last):\n"
    assert course._drop_tensorflow_notices(text, 3) == OWN + "Traceback (most recent call last):\n"
    assert course._drop_tensorflow_notices(text, 0) == text, "TF_CPP_MIN_LOG_LEVEL=0 shows everything"
    # the continuation line is only dropped right after the line it continues
    continuation = CPU_GUARD.splitlines(keepends=True)[1]
    assert course._drop_tensorflow_notices(OWN + continuation, 2) == OWN + continuation


@pytest.mark.parametrize("value, level", [("2", 2), (" 3 ", 3), ("0", 0), ("", 0), ("loud", 0)])
def test_tf_log_level_reads_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, level: int) -> None:
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", value)
    assert course._tf_log_level() == level


def test_setup_sets_the_tf_log_level_unless_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL")
    course.setup(verbose=False)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == course.QUIET_TF_LOG_LEVEL == "2"
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")  # a learner who wants TensorFlow's logs keeps them
    course.setup(verbose=False)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0"


class _FakeIOThread:
    """Stands in for ipykernel's IOPubThread: ``schedule`` runs the function 'in the IO thread'."""

    def __init__(self) -> None:
        self.scheduled = 0

    def schedule(self, function) -> None:
        self.scheduled += 1
        function()


class _FakeKernelStream:
    """Stands in for ipykernel's OutStream (sys.stderr in a kernel): stream hooks, an IO thread."""

    def __init__(self) -> None:
        self.pub_thread = _FakeIOThread()
        self.hooks: list = []

    def register_hook(self, hook) -> None:
        self.hooks.append(hook)

    def send(self, text: str) -> str | None:
        """What the notebook receives for ``text`` written to stderr (None: no message at all)."""
        message: dict | None = {"content": {"name": "stderr", "text": text}}
        for hook in self.hooks:
            message = hook(message)
            if message is None:
                return None
        return message["content"]["text"]

    def write(self, text: str) -> int:  # pragma: no cover - sys.stderr must be writable
        return len(text)

    def flush(self) -> None:  # pragma: no cover
        pass


def test_setup_filters_a_kernels_stderr_once(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _FakeKernelStream()
    monkeypatch.setattr(sys, "stderr", stream)
    course.setup(verbose=False)
    course.setup(verbose=False)  # the first cell run twice: one hook, not two
    assert len(stream.hooks) == 1 and stream.pub_thread.scheduled == 1
    assert stream.send(BANNER + ONEDNN) is None, "a message of notices only is not sent at all"
    assert stream.send(ONEDNN + OWN) == OWN
    assert stream.hooks[0]({"content": {"name": "stdout", "text": ONEDNN}})["content"]["text"] == ONEDNN
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    assert stream.send(ONEDNN) == ONEDNN, "the level is read when the message is sent"


def test_no_filter_outside_a_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert course._filter_kernel_stderr() is False


def _current_env_kernel_manager():
    """A kernel of this very Python (like nbval's --nbval-current-env), not whatever 'python3' names."""
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    class _CurrentEnv(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                          **ipykernel.kernelspec.get_kernel_dict())

    return KernelManager(kernel_name="srlib-current-env", kernel_spec_manager=_CurrentEnv())


@pytest.mark.slow
def test_lesson_00_shows_no_stderr_in_a_real_kernel(tmp_path: Path) -> None:
    """Run lesson 00 in a Jupyter kernel as a learner's JupyterLab does: nothing on stderr.

    oneDNN is forced on (as on CPUs with AVX-512, where TensorFlow prints its notice whatever
    TF_CPP_MIN_LOG_LEVEL says) and TF_CPP_MIN_LOG_LEVEL is unset, so only setup() stands between
    TensorFlow's start-up notices and the notebook.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "00_start_here.ipynb", as_version=4)
    env = {key: value for key, value in os.environ.items()
           if key not in ("TF_CPP_MIN_LOG_LEVEL", "PYTEST_CURRENT_TEST")}  # pytest's variable turns off
    env.update({"TF_ENABLE_ONEDNN_OPTS": "1", "SRLIB_QUICK": "1"})       # ipykernel's stderr capture
    client = NotebookClient(notebook, km=_current_env_kernel_manager(), timeout=600,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    stderr = [f"cell {index}: {''.join(output['text'])}" for index, cell in enumerate(notebook.cells)
              for output in cell.get("outputs", []) if output.get("name") == "stderr"]
    assert not stderr, "lesson 00 printed on stderr (the red box):\n" + "\n".join(stderr)
    printed = "".join("".join(output.get("text", "")) for cell in notebook.cells for output in cell.get("outputs", []))
    assert "TensorFlow 2." in printed, "the lesson's TensorFlow cell did not run"


# --- make lab: the learner's working copies --------------------------------------------------------
def _lessons(folder: Path, names=("00_start_here", "01_interpolation_artifacts")) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        (folder / f"{name}.ipynb").write_text(json.dumps({"cells": [], "name": name}))
    return folder


def test_copy_lessons_never_overwrites_a_learners_copy(tmp_path: Path) -> None:
    lessons = _lessons(tmp_path / "notebooks")
    workspace = tmp_path / "work"
    copied = course.copy_lessons(lessons, workspace)
    assert [path.name for path in copied] == ["00_start_here.ipynb", "01_interpolation_artifacts.ipynb"]
    assert (workspace / "00_start_here.ipynb").read_bytes() == (lessons / "00_start_here.ipynb").read_bytes()
    (workspace / "00_start_here.ipynb").write_text("my work")
    (lessons / "02_new.ipynb").write_text("{}")  # a lesson that arrived with git pull
    assert course.copy_lessons(lessons, workspace) == [workspace / "02_new.ipynb"]
    assert (workspace / "00_start_here.ipynb").read_text() == "my work"
    assert course.copy_lessons(str(lessons), str(workspace)) == []


def test_reset_lessons_backs_up_then_copies_fresh(tmp_path: Path) -> None:
    lessons = _lessons(tmp_path / "notebooks")
    workspace = tmp_path / "work"
    course.copy_lessons(lessons, workspace)
    (workspace / "01_interpolation_artifacts.ipynb").write_text("my work on 01")
    backup, fresh = course.reset_lessons(lessons, workspace, ["01"])
    assert fresh == [workspace / "01_interpolation_artifacts.ipynb"]
    assert backup is not None and backup.parent == workspace / course.BACKUPS
    assert (backup / "01_interpolation_artifacts.ipynb").read_text() == "my work on 01"
    assert fresh[0].read_bytes() == (lessons / "01_interpolation_artifacts.ipynb").read_bytes()
    # everything, by default; a second backup folder, never the first one overwritten
    second, fresh = course.reset_lessons(lessons, workspace)
    assert len(fresh) == 2 and second != backup and len(list(second.iterdir())) == 2
    assert (backup / "01_interpolation_artifacts.ipynb").read_text() == "my work on 01"
    # names as file names and stems too; nothing to back up in a new folder
    none, fresh = course.reset_lessons(lessons, tmp_path / "new", ["00_start_here.ipynb", "01_interpolation_artifacts"])
    assert none is None and len(fresh) == 2


def test_working_copies_bad_input(tmp_path: Path) -> None:
    lessons = _lessons(tmp_path / "notebooks")
    with pytest.raises(ValueError, match="'.*missing' does not exist.*make lab"):
        course.copy_lessons(tmp_path / "missing", tmp_path / "work")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="holds no .ipynb"):
        course.copy_lessons(tmp_path / "empty", tmp_path / "work")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        course.copy_lessons(lessons, tmp_path / "afile")
    with pytest.raises(ValueError, match="is the lessons folder itself"):
        course.copy_lessons(lessons, lessons)
    with pytest.raises(ValueError, match=r"no lesson named '07'; choose from 00_start_here.ipynb"):
        course.reset_lessons(lessons, tmp_path / "work", ["07"])


def test_lab_command_puts_the_course_settings_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lessons = _lessons(tmp_path / "notebooks")
    (tmp_path / "settings").mkdir()
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/elsewhere")
    command, env = course.lab_command(lessons, tmp_path / "work", tmp_path / "settings", ["--port=8899"])
    assert command == [sys.executable, "-m", "jupyterlab", "--port=8899", str(tmp_path / "work" / "00_start_here.ipynb")]
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str((tmp_path / "settings").resolve()), "/elsewhere"]
    with pytest.raises(ValueError, match="settings folder .* does not exist"):
        course.lab_command(lessons, tmp_path / "work", tmp_path / "nosettings")


def test_main_lab_copies_then_hands_over_to_jupyterlab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _lessons(tmp_path / "notebooks")
    (tmp_path / "settings").mkdir()
    monkeypatch.chdir(tmp_path)
    started = []

    class Started(Exception):
        """os.execve never returns: the fake one raises instead."""

    def fake_execve(path: str, argv: list[str], env: dict[str, str]) -> None:
        started.append((argv, env))
        raise Started

    monkeypatch.setattr(course.os, "execve", fake_execve)
    monkeypatch.setattr(course.os, "name", "posix")
    with pytest.raises(Started):
        course.main(["lab", "--allow-root", "--no-browser"])
    argv, env = started[0]
    assert argv[-3:] == ["--allow-root", "--no-browser", os.path.join("work", "00_start_here.ipynb")]
    assert (tmp_path / "work" / "01_interpolation_artifacts.ipynb").exists()
    assert "Copied 2 lesson(s) into work/" in capsys.readouterr().out
    (tmp_path / "work" / "00_start_here.ipynb").write_text("mine")
    with pytest.raises(Started):
        course.main(["lab"])
    out = capsys.readouterr().out
    assert "Kept your saved copies of 2 lesson(s)" in out and "make lab-reset LESSON=03" in out
    assert (tmp_path / "work" / "00_start_here.ipynb").read_text() == "mine"
    assert course.main(["reset", "00"]) == 0
    assert "Your previous copies are in work" in capsys.readouterr().out
    assert course.main(["reset", "09"]) == 2
    assert "error: no lesson named '09'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        course.main(["reset", "--port=1"])  # only `lab` passes options on to JupyterLab


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_working_copies_survive_git_reset_and_clean(tmp_path: Path) -> None:
    """The repository's .gitignore keeps work/ out of git: reset --hard and clean -fd leave it alone."""
    repo = tmp_path / "course"
    _lessons(repo / "notebooks")
    shutil.copyfile(Path(__file__).resolve().parents[1] / ".gitignore", repo / ".gitignore")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "course"], cwd=repo, check=True)
    course.copy_lessons(repo / "notebooks", repo / course.WORKSPACE)
    saved = repo / course.WORKSPACE / "00_start_here.ipynb"
    saved.write_text("my work")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo,
                            capture_output=True, text=True, check=True).stdout
    assert status == "", f"work/ shows up in git status:\n{status}"
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo, check=True)
    subprocess.run(["git", "clean", "-q", "-fd"], cwd=repo, check=True)
    assert saved.read_text() == "my work"

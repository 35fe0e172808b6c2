"""Tests of srlib.course: quick mode, pick, seeding and the lessons' first-cell setup()."""
from __future__ import annotations

import random
import sys
import types

import matplotlib
import numpy as np
import pytest

from srlib import course as config


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
    monkeypatch.setenv(config.QUICK_ENV, value)
    assert config.is_quick() is quick
    assert config.pick("small", "large") == ("small" if quick else "large")


def test_quick_mode_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.QUICK_ENV, raising=False)
    assert config.is_quick() is False
    assert config.pick(50, 2000) == 2000
    assert config.pick(None, (2, 3, 4)) == (2, 3, 4)


def test_seed_everything_is_deterministic() -> None:
    config.seed_everything(123)
    first = (random.random(), np.random.rand(3))
    config.seed_everything(123)
    second = (random.random(), np.random.rand(3))
    assert first[0] == second[0] and np.array_equal(first[1], second[1])
    config.seed_everything(np.int64(7))  # NumPy integers are fine
    config.seed_everything()  # the default seed
    assert np.random.rand() == np.random.RandomState(config.DEFAULT_SEED).rand()


@pytest.mark.parametrize("seed", [-1, 1.5, "42", None, [1]])
def test_bad_seed(seed: object) -> None:
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        config.seed_everything(seed)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed"):
        config.setup(seed, verbose=False)  # type: ignore[arg-type]


def test_setup_returns_info_sets_plot_defaults_and_prints(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(config.QUICK_ENV, "1")
    info = config.setup(seed=5)
    assert info["quick"] is True and info["seed"] == 5
    assert set(info) == {"quick", "seed", "python", "platform"}
    assert matplotlib.rcParams["image.interpolation"] == "nearest" and matplotlib.rcParams["figure.dpi"] == 90
    out = capsys.readouterr().out
    assert "mode=QUICK" in out and "seed=5" in out
    assert config.setup(seed=5, verbose=False)["quick"] is True
    assert capsys.readouterr().out == ""
    monkeypatch.setenv(config.QUICK_ENV, "0")
    assert config.setup(verbose=False)["quick"] is False


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
    config.setup(verbose=False)
    assert shell.magics == [("matplotlib", "inline")]
    assert matplotlib.rcParams["figure.dpi"] == 90, "the course's plot defaults win over the backend's"


@pytest.mark.parametrize("shell", [None, _FakeShell(kernel=None)])
def test_setup_leaves_the_backend_alone_outside_a_kernel(monkeypatch: pytest.MonkeyPatch,
                                                         shell: _FakeShell | None) -> None:
    _fake_ipython(monkeypatch, shell)
    backend = matplotlib.get_backend()
    config.setup(verbose=False)
    assert shell is None or shell.magics == []
    assert matplotlib.get_backend() == backend


def test_setup_survives_a_failing_magic(monkeypatch: pytest.MonkeyPatch) -> None:
    shell = _FakeShell(kernel=object(), fail=True)
    _fake_ipython(monkeypatch, shell)
    info = config.setup(seed=3, verbose=False)
    assert info["seed"] == 3 and shell.magics == [("matplotlib", "inline")]


def test_setup_does_not_import_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    config.setup(verbose=False)
    assert "IPython" not in sys.modules

"""Real-browser checks: lessons in JupyterLab, driven by headless Chromium through Playwright.

1. ``make lab``'s layout: in a temporary copy of the course, ``python -m srlib.course lab`` (what
   ``make lab`` runs) copies the lessons into ``work/`` and starts JupyterLab there with the
   course's ``settings/``. Lesson 00 is run and SAVED with its outputs; the working copy holds
   them, ``notebooks/`` is untouched and the hygiene check "committed without outputs" passes
   (and fails, with its remedy, on the saved copy). No news or update notification appears.
2. Lesson 01's method explorer reacts: Run -> Run All Cells, change the scale and the zoom,
   assert the displayed image changed.

Each JupyterLab runs on 127.0.0.1 (random free port, random token) with its root, settings,
workspaces and runtime in a temporary folder, so nothing is written into the repository.
Playwright drives Debian's ``/usr/bin/chromium`` (no ``playwright install``). Screenshots go to
``$SRLIB_ARTIFACTS_DIR`` or a temporary folder (their paths are printed).

Skipped when ``/usr/bin/chromium`` is missing, unless ``CI`` is set (then it fails):
``make browser-deps`` installs it.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
LESSON = "01_interpolation_artifacts.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_S = 90
RUN_ALL_S = 420  # lesson 01 runs every cell before the explorer appears (quick mode: ~1 min)


def _require_browser() -> None:
    reason = None
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing (run `make browser-deps` or `apt-get install chromium`)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[dev]')"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run under CI: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_settings(settings_dir: Path) -> None:
    """Lab user settings: no news/update checks, no autosave (nothing written back)."""
    settings = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        # every cell stays in the DOM (no virtual scrolling hiding the explorer's cell)
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for relative, values in settings.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server by PID (then kill), and any kernel left in its process group."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    try:  # kernels are children in the server's own session/process group
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _jupyter_environment(temp: Path) -> dict[str, str]:
    """The test's environment for JupyterLab: every Jupyter folder under ``temp``, quick mode."""
    folders = {"JUPYTERLAB_SETTINGS_DIR": "settings", "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
               "JUPYTER_CONFIG_DIR": "config", "JUPYTER_RUNTIME_DIR": "runtime", "IPYTHONDIR": "ipython"}
    env = dict(os.environ)
    env.pop("JUPYTER_CONFIG_PATH", None)  # only what the test (or make lab) puts there
    env.pop("PYTEST_CURRENT_TEST", None)  # under pytest, ipykernel would not show C-level stderr
    for variable, name in folders.items():
        (temp / name).mkdir(exist_ok=True)
        env[variable] = str(temp / name)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env.setdefault("SRLIB_QUICK", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def _server_options(port: int, token: str) -> list[str]:
    options = ["--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.append("--allow-root")
    return options


@contextlib.contextmanager
def _serving(command: list[str], cwd: Path, env: dict[str, str], port: int, token: str,
             log_path: Path) -> Iterator[str]:
    """Run ``command`` (a JupyterLab) until it answers /api/status; yield its URL; stop it after."""
    log = open(log_path, "wb")
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer /api/status in {SERVER_START_S} s:\n"
                                   f"{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="module")
def lab_server() -> Iterator[dict]:
    """JupyterLab serving a temporary copy of notebooks/; yields url, token, notebook name."""
    _require_browser()
    temp = Path(tempfile.mkdtemp(prefix="srlib-lab-"))
    root = temp / "notebooks"
    if NOTEBOOKS.is_dir():
        shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    else:
        root.mkdir()
    if not (root / LESSON).exists():
        shutil.rmtree(temp, ignore_errors=True)
        pytest.fail(f"notebooks/{LESSON} is missing: the browser test drives its explorer")
    notebook = LESSON
    env = _jupyter_environment(temp)
    _write_settings(temp / "settings")
    token = secrets.token_hex(16)
    port = _free_port()
    command = [sys.executable, "-m", "jupyterlab", *_server_options(port, token),
               f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={temp / 'settings'}",
               f"--LabApp.workspaces_dir={temp / 'workspaces'}"]
    log_path = temp / "jupyterlab.log"
    try:
        with _serving(command, root, env, port, token, log_path) as url:
            yield {"url": url, "token": token, "notebook": notebook, "root": root, "log": log_path}
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def course_lab() -> Iterator[dict]:
    """``make lab`` in a temporary copy of the course: yields url, token, the copy's folder and log.

    The copy holds what ``make lab`` and the hygiene check need: notebooks/, settings/ and
    tests/test_repo_hygiene.py. JupyterLab is started exactly as ``make lab`` starts it
    (``python -m srlib.course lab``), plus the test's port, token and ``--no-browser``.
    """
    _require_browser()
    from srlib import course

    temp = Path(tempfile.mkdtemp(prefix="srlib-course-lab-"))
    copy = temp / "course"
    shutil.copytree(NOTEBOOKS, copy / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(REPO / course.SETTINGS, copy / course.SETTINGS)
    (copy / "tests").mkdir()
    shutil.copyfile(REPO / "tests" / "test_repo_hygiene.py", copy / "tests" / "test_repo_hygiene.py")
    env = _jupyter_environment(temp)  # empty user settings: what a fresh machine has
    env["TF_ENABLE_ONEDNN_OPTS"] = "1"  # TensorFlow's oneDNN notice, as on CPUs with AVX-512
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # (make lab exports 2): here only setup() quiets TensorFlow
    token = secrets.token_hex(16)
    port = _free_port()
    command = [sys.executable, "-m", "srlib.course", "lab", *_server_options(port, token)]
    log_path = temp / "jupyterlab.log"
    try:
        with _serving(command, copy, env, port, token, log_path) as url:
            yield {"url": url, "token": token, "course": copy, "log": log_path}
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture()
def artifacts_dir() -> Path:
    """Where screenshots go: $SRLIB_ARTIFACTS_DIR, else a new temporary folder (never the repo)."""
    chosen = os.environ.get("SRLIB_ARTIFACTS_DIR")
    path = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="srlib-browser-artifacts-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _wait_until_all_cells_ran(page, timeout_s: float = RUN_ALL_S) -> None:
    """Wait for Run All to finish: no ``[*]`` prompt and the kernel idle, twice in a row.

    The kernel answers widget messages only between cells, so interacting earlier would wait
    behind (or race with) the cells still queued.
    """
    deadline = time.monotonic() + timeout_s
    idle_text = re.compile(r"Python 3 \(ipykernel\) \| Idle")
    calm = 0
    while calm < 2:
        queued = page.locator(".jp-InputArea-prompt", has_text="[*]").count()
        idle = page.locator(".jp-StatusBar-Widget").filter(has_text=idle_text).count() > 0
        calm = calm + 1 if queued == 0 and idle else 0
        if time.monotonic() > deadline:
            raise TimeoutError(f"cells still running after {timeout_s} s ({queued} queued, idle={idle})")
        page.wait_for_timeout(1000)



@contextlib.contextmanager
def _browser_page(artifacts_dir: Path, failure_name: str, server_log: Path, *, viewport: dict) -> Iterator[Any]:
    """A page in headless Debian Chromium; on failure a full-page screenshot and the server log's tail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = None
        try:
            page = browser.new_page(viewport=viewport)
            page.set_default_timeout(60_000)
            yield page
        except Exception:
            if page is not None:
                failure = artifacts_dir / failure_name
                try:
                    page.screenshot(path=str(failure), full_page=True)
                    print(f"browser test failed; screenshot {failure}")
                except Exception:  # noqa: BLE001 - the original error matters more
                    pass
            print(f"jupyter lab log tail:\n{server_log.read_text()[-3000:]}")
            raise
        finally:
            browser.close()


def test_explorer_reacts_in_jupyterlab(lab_server: dict, artifacts_dir: Path) -> None:
    from playwright.sync_api import expect

    started = time.monotonic()
    url, token, notebook = lab_server["url"], lab_server["token"], lab_server["notebook"]
    print(f"\nbrowser test: notebook {notebook} at {url}")
    with _browser_page(artifacts_dir, "failure.png", lab_server["log"], viewport={"width": 1500, "height": 2000}) as page:
        page.goto(f"{url}/lab/tree/{notebook}?token={token}&reset", wait_until="domcontentloaded")
        expect(page.locator(".jp-Notebook").first).to_be_visible(timeout=90_000)
        expect(page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle"))).to_be_visible(timeout=90_000)

        page.locator("#jp-menu-panel").get_by_role("menuitem", name="Run", exact=True).click()
        page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()

        explorer = page.locator(".srlib-explorer").first
        panels = explorer.locator("img.srlib-explorer-panels")
        expect(panels).to_be_visible(timeout=RUN_ALL_S * 1000)
        expect(panels).to_have_attribute("src", re.compile(r"\S"), timeout=60_000)
        _wait_until_all_cells_ran(page)
        explorer.scroll_into_view_if_needed()
        before = panels.get_attribute("src")
        status_before = explorer.locator(".srlib-explorer-status").inner_text()

        scale = explorer.locator(".srlib-explorer-scale select")
        current = scale.input_value()
        labels = [text.strip() for text in scale.locator("option").all_inner_texts()]
        target = next(label for label in labels if label != current and label != "")
        scale.select_option(label=target)

        expect(panels).not_to_have_attribute("src", before, timeout=60_000)
        status = explorer.locator(".srlib-explorer-status")
        expect(status).to_contain_text(f"(x{target},", timeout=60_000)
        assert "error" not in status.inner_text().lower(), status.inner_text()
        assert status.inner_text() != status_before
        natural_width = panels.evaluate("img => img.naturalWidth")
        assert natural_width > 0, "the new panel image did not decode"

        # a slider too: move the zoom box one pixel with the keyboard
        diff = explorer.locator("img.srlib-explorer-diff")
        diff_before = diff.get_attribute("src")
        zoom_x = explorer.locator(".srlib-explorer-zoom-x")
        readout_before = zoom_x.locator(".widget-readout").inner_text()
        handle = zoom_x.locator(".noUi-handle")
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        handle.focus()
        handle.press("ArrowLeft" if at_end else "ArrowRight")
        expect(zoom_x.locator(".widget-readout")).not_to_have_text(readout_before, timeout=30_000)
        expect(diff).not_to_have_attribute("src", diff_before, timeout=60_000)
        expect(status).to_contain_text("zoom redrawn", timeout=60_000)

        shot = artifacts_dir / "explorer_after_scale_change.png"
        explorer.screenshot(path=str(shot))
        page.screenshot(path=str(artifacts_dir / "jupyterlab_page.png"), full_page=False)
        print(f"browser test: scale {current} -> {target}, zoom x {readout_before} -> "
              f"{zoom_x.locator('.widget-readout').inner_text()}, screenshot {shot}, "
              f"{time.monotonic() - started:.1f} s in the browser")


def _hygiene_check(course: Path) -> subprocess.CompletedProcess:
    """Run the repository's "committed without outputs" check on the course copy's notebooks/."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--no-header",
               "tests/test_repo_hygiene.py", "-k", "committed_without_outputs"]
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    return subprocess.run(command, cwd=course, env=env, capture_output=True, text=True, timeout=300)


def _executed_code_cells(path: Path) -> tuple[int, int, int]:
    """(code cells, cells with an execution count, outputs) of the notebook saved at ``path``."""
    cells = [cell for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code"]
    executed = sum(cell.get("execution_count") is not None for cell in cells)
    return len(cells), executed, sum(len(cell.get("outputs", [])) for cell in cells)


def test_lesson_saved_in_make_lab_keeps_committed_notebooks_clean(course_lab: dict, artifacts_dir: Path) -> None:
    from playwright.sync_api import expect

    from srlib import course

    started = time.monotonic()
    url, token, copy = course_lab["url"], course_lab["token"], course_lab["course"]
    lesson = "00_start_here.ipynb"
    committed = (NOTEBOOKS / lesson).read_bytes()
    working = copy / course.WORKSPACE / lesson
    assert working.read_bytes() == committed, "make lab should have copied the committed lesson into work/"
    print(f"\nbrowser test: make lab layout in {copy}, {lesson} at {url}")
    with _browser_page(artifacts_dir, "make_lab_failure.png", course_lab["log"], viewport={"width": 1500, "height": 1100}) as page:
        page.goto(f"{url}/lab/tree/{lesson}?token={token}&reset", wait_until="domcontentloaded")
        expect(page.locator(".jp-Notebook").first).to_be_visible(timeout=90_000)
        expect(page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle"))).to_be_visible(timeout=90_000)
        # the file browser shows the working copies (JupyterLab's root is work/)
        expect(page.locator(".jp-DirListing-content").get_by_text(lesson, exact=True)).to_be_visible()

        page.locator("#jp-menu-panel").get_by_role("menuitem", name="Run", exact=True).click()
        page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
        _wait_until_all_cells_ran(page)

        # save with the keyboard, as a learner does, until the file on disk holds every output
        deadline = time.monotonic() + 120
        while True:
            page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
            page.keyboard.press("Control+s")
            page.wait_for_timeout(2000)
            cells, executed, outputs = _executed_code_cells(working)
            if executed == cells:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"work/{lesson} saved with {executed} of {cells} code cells executed")
        assert outputs >= cells // 2, f"the saved lesson has only {outputs} outputs"
        saved = json.loads(working.read_text())
        errors = [cell for cell in saved["cells"] for output in cell.get("outputs", [])
                  if output.get("output_type") == "error"]
        assert not errors, f"lesson 00 raised in JupyterLab: {errors[0]['outputs']}"
        stderr = ["".join(output["text"]) for cell in saved["cells"] for output in cell.get("outputs", [])
                  if output.get("name") == "stderr"]
        assert not stderr, "lesson 00 shows a red stderr box in JupyterLab:\n" + "\n".join(stderr)
        tensorflow_cell = page.locator(".jp-CodeCell").filter(has_text="list_physical_devices").first
        tensorflow_cell.scroll_into_view_if_needed()
        tensorflow_cell.screenshot(path=str(artifacts_dir / "make_lab_tensorflow_cell.png"))

        # the course's settings: no "official Jupyter news?" question, no update notice
        assert page.get_by_text("official Jupyter news").count() == 0, "the news notification is shown"
        assert page.locator(".Toastify__toast").count() == 0, \
            "a notification toast is shown: " + " | ".join(page.locator(".Toastify__toast").all_inner_texts())
        settings_url = f"{url}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"
        with urllib.request.urlopen(settings_url, timeout=30) as response:
            defaults = {key: value.get("default")
                        for key, value in json.load(response)["schema"]["properties"].items()}
        assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, defaults

        shot = artifacts_dir / "make_lab_lesson00_saved.png"
        page.screenshot(path=str(shot), full_page=False)
        print(f"browser test: {lesson} run and saved ({executed}/{cells} cells, {outputs} outputs), "
              f"screenshot {shot}, {time.monotonic() - started:.1f} s in the browser")

    # the committed lessons are untouched, so the hygiene check passes after a saved lab session ...
    assert (copy / "notebooks" / lesson).read_bytes() == committed, "JupyterLab wrote into notebooks/"
    clean = _hygiene_check(copy)
    assert clean.returncode == 0, f"hygiene check failed after a lab session:\n{clean.stdout[-3000:]}"
    lessons = len(list((copy / "notebooks").glob("*.ipynb")))
    assert f"{lessons} passed" in clean.stdout, clean.stdout[-3000:]
    # ... and it does catch the saved outputs, with its remedy, had they landed in notebooks/
    shutil.copyfile(working, copy / "notebooks" / lesson)
    dirty = _hygiene_check(copy)
    assert dirty.returncode != 0, f"the hygiene check missed a notebook saved with outputs:\n{dirty.stdout[-3000:]}"
    assert "make lab" in dirty.stdout and f"git checkout -- notebooks/{lesson}" in dirty.stdout, dirty.stdout[-3000:]

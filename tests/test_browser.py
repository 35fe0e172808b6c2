"""Real-browser check: lesson 01's method explorer reacts in JupyterLab driven by headless Chromium.

Starts JupyterLab on 127.0.0.1 (random free port, random token) with its root in a temporary
copy of ``notebooks/`` and its settings/workspaces/runtime in a temporary folder, so nothing is
written into the repository. Playwright drives Debian's ``/usr/bin/chromium`` (no
``playwright install``): open lesson 01, Run -> Run All Cells, wait for the explorer, change the
scale, and assert the displayed image changed. A screenshot goes to ``$SRLIB_ARTIFACTS_DIR`` or a
temporary folder (its path is printed).

Skipped when ``/usr/bin/chromium`` is missing, unless ``CI`` is set (then it fails):
``make browser-deps`` installs it.
"""
from __future__ import annotations

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
    for name in ("settings", "workspaces", "config", "runtime", "ipython"):
        (temp / name).mkdir()
    _write_settings(temp / "settings")
    env = dict(os.environ)
    env.update({"JUPYTERLAB_SETTINGS_DIR": str(temp / "settings"),
                "JUPYTERLAB_WORKSPACES_DIR": str(temp / "workspaces"),
                "JUPYTER_CONFIG_DIR": str(temp / "config"),
                "JUPYTER_RUNTIME_DIR": str(temp / "runtime"),
                "IPYTHONDIR": str(temp / "ipython"),
                "MPLBACKEND": "module://matplotlib_inline.backend_inline"})
    env.setdefault("SRLIB_QUICK", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    token = secrets.token_hex(16)
    port = _free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={temp / 'settings'}",
               f"--LabApp.workspaces_dir={temp / 'workspaces'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = temp / "jupyterlab.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
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
        yield {"url": url, "token": token, "notebook": notebook, "root": root, "log": log_path}
    finally:
        _stop(process)
        log.close()
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


def test_explorer_reacts_in_jupyterlab(lab_server: dict, artifacts_dir: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    started = time.monotonic()
    url, token, notebook = lab_server["url"], lab_server["token"], lab_server["notebook"]
    print(f"\nbrowser test: notebook {notebook} at {url}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = None
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 2000})
            page.set_default_timeout(60_000)
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
        except Exception:
            if page is not None:
                failure = artifacts_dir / "failure.png"
                try:
                    page.screenshot(path=str(failure), full_page=True)
                    print(f"browser test failed; screenshot {failure}")
                except Exception:  # noqa: BLE001 - the original error matters more
                    pass
            print(f"jupyter lab log tail:\n{lab_server['log'].read_text()[-3000:]}")
            raise
        finally:
            browser.close()

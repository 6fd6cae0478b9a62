"""Browser end-to-end fixtures: the real app in a subprocess, driven by Chromium via Playwright.

The app is started as a user would (``streamlit run dashboard.py``) on a free port with a fresh
SQLite store, which it seeds with the synthetic demo on first start. Chromium is Debian's
(``/usr/bin/chromium``, installed by ``.ci/run``); Playwright's own browser download is never
used. Without that binary the tests are skipped, saying why.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_app(home: Path):
    """Start ``streamlit run dashboard.py`` on a free port with a fresh store under ``home``."""
    port = _free_port()
    env = {**os.environ, "DASBOR_DB_URL": f"sqlite:///{home / 'e2e.sqlite'}", "PYTHONUNBUFFERED": "1"}
    log_path = home / "streamlit.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"app did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def _need_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, browser):
    """Base URL of the running app (fresh demo store), already visited once.

    The warm-up visit seeds the demo and runs the frame once, so the tests below meet the app as
    every visitor after the first one does (the first visitor is tested on its own server).
    """
    with running_app(tmp_path_factory.mktemp("e2e")) as url:
        warm = browser.new_page()
        warm.goto(url + "/")
        warm.locator("h1").first.wait_for(timeout=120_000)
        warm.close()
        yield url


@pytest.fixture
def fresh_app_url(tmp_path_factory, browser):
    """A just-started app nobody has visited yet (a new server and a new store)."""
    with running_app(tmp_path_factory.mktemp("e2e-fresh")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser tab at the app's start page, with the page settled."""
    from tests.e2e.helpers import settle

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(app_url + "/")
    tab.wait_for_selector("[data-testid='stApp']")
    settle(tab)
    try:
        yield tab
    finally:
        context.close()

"""Headless Chromium (Debian's /usr/bin/chromium via chromedriver) against the real stack.

`web_stack` is a BotStack of its own that also serves web/dist and lets that origin in
(--cors); `browser` is one Chromium for the module, with a fresh profile and a 360 px
wide phone viewport.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from harness.paths import ROOT, WEB_DIST
from harness.stack import BotStack

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True}


@pytest.fixture(scope="module")
def web_stack(trained_model, tmp_path_factory):
    if not (WEB_DIST / "widget.js").exists():
        pytest.fail("the chat widget is not built (web/dist/widget.js): run `make web`")
    stack = BotStack(workdir=tmp_path_factory.mktemp("webstack"), web=True).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is in requirements/dev.in
        pytest.fail("selenium is not installed: run `make install`")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium is not installed: run scripts/install-system-deps.sh (or make test)")

    profile = tempfile.mkdtemp(prefix="bonechat-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=800,900", f"--user-data-dir={profile}",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture()
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

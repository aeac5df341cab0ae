"""A real server on a migrated SQLite file, Debian's Chromium driven by Playwright, and the
screenshots' paths printed at the end of the run (CI's output shows where they are)."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Route, sync_playwright

from app.cli import migrate_to_head
from tests.databases import TemporaryDatabase
from tests.servers import ROOT, Server

CHROMIUM = os.environ.get("LEGWORK_TEST_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("LEGWORK_SCREENSHOT_DIR", ROOT / "build" / "screenshots"))
# As the machine notes say: no sandbox as root, and none of Chromium's own calls home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "127.0.0.1"
saved: list[Path] = []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser")
    database = TemporaryDatabase("sqlite", folder, None)
    migrate_to_head(database.url)
    with Server(database.url, folder, name="docs") as server:
        yield server
    database.drop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: `apt-get install -y chromium` "
            "(.ci/run does), or point LEGWORK_TEST_CHROMIUM at a Chromium binary",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Offline:
    """A browser context in which every request to anything but 127.0.0.1 is refused, and
    remembered."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.blocked: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("internetdisconnected")


@pytest.fixture
def offline(browser: Browser) -> Iterator[Offline]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        yield Offline(context)
    finally:
        context.close()


def save_screenshot(page_screenshot: bytes, name: str) -> Path:
    """Keep a screenshot under SCREENSHOTS; its path is printed at the end of the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    path.write_bytes(page_screenshot)
    saved.append(path.resolve())
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for path in saved:
        terminalreporter.write_line(f"browser screenshot: {path}")

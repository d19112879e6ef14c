"""A real guide and a real browser for the widget's end-to-end tests.

The guide is started as ``make run`` starts it (``python -m bot.serve`` with
the model from ``make train``) on free ports, with its own ``var/`` folder so
that the tests can read the votes database. The browser is Debian's Chromium
(``make browser`` installs it), driven by Playwright; Playwright's own
browser downloads are never used.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.request
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

from tests.e2e.conftest import running_guide, trained_model  # noqa: F401 - a fixture used here

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
API_TOKEN = "widget-e2e-token"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


class WebGuide:
    """The running guide, seen from a web page and from a counsellor's tools."""

    def __init__(self, url: str, var_dir: Path) -> None:
        self.url = url
        self.var_dir = var_dir

    def demo_url(self, query: str = "") -> str:
        return f"{self.url}/widget/demo.html{query}"

    def push(self, session_id: str, text: str) -> None:
        """Send a bot message into the conversation later, as a counsellor's tool would."""
        url = (f"{self.url}/conversations/{session_id}/tracker/events"
               f"?execute_side_effects=true&output_channel=latest&token={API_TOKEN}")
        body = json.dumps({"event": "bot", "text": text}).encode("utf-8")
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200

    def votes(self) -> List[Tuple[str, str, int]]:
        """The stored votes: (topic, language, helpful), from the guide's database."""
        with sqlite3.connect(self.var_dir / "guide.db") as connection:
            return connection.execute("SELECT topic, lang, helpful FROM feedback_votes ORDER BY id").fetchall()


@pytest.fixture(scope="session")
def web_guide(trained_model: Path, tmp_path_factory) -> Iterator[WebGuide]:  # noqa: F811 - the fixture
    with running_guide(trained_model, tmp_path_factory.mktemp("widget-var"), {"RASA_API_TOKEN": API_TOKEN},
                       ready_path="/webhooks/socketio/") as running:
        yield WebGuide(running.url, running.var_dir)


@pytest.fixture(scope="module")
def browser():
    """Chromium, for one test module at a time.

    Playwright's sync API keeps an asyncio loop running in the main thread
    while it is started, which makes ``asyncio.run`` fail in any test that
    runs meanwhile; so it is stopped at the end of each module.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run 'make browser' (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where the tests leave their screenshots: ``WIDGET_SCREENSHOT_DIR`` (make screenshots) or a temp folder."""
    folder = os.environ.get("WIDGET_SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


class WatchedPage:
    """A browser page whose dialogs (an injected ``alert``) and script errors are recorded.

    Tests of what people see assert both stay empty: text shown as text runs nothing.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: List[str] = []
        self.errors: List[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def save_screenshot(page, folder: Path, name: str) -> None:
    """What ``page`` shows now, as ``folder/name.png`` (``make screenshots`` keeps them in docs/screenshots)."""
    page.screenshot(path=str(folder / f"{name}.png"))

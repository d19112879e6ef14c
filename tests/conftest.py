"""Fixtures shared by the test folders: databases for unit tests, and the guide end-to-end tests share.

End-to-end tests (marked ``e2e``) talk to a real guide. Starting one takes
most of a minute, so one guide serves the whole session (:func:`guide`):
Telegram switched on against a local Bot API stand-in, the Rasa API token
set, counsellors on duty. Each test uses conversation ids of its own
(``tests.support.new_sender`` / ``new_chat``). A test that needs the
counsellors off duty asks for :func:`office_closed` (the action server is
restarted to read the new hours). The guide with other settings (no
Telegram, its own knowledge folder) is in ``tests/e2e/conftest.py``.
Helpers that are not fixtures are in ``tests/support.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from tests.support import (CHROMIUM, CHROMIUM_ARGS, MODEL, PROJECT_DIR, TELEGRAM_SECRET, TELEGRAM_TOKEN, Guide,
                           running_guide, settings_file)
from tests.telegram.bot_api import BotApiStandIn


@pytest.fixture(autouse=True)
def _private_guide_database(request, tmp_path_factory, monkeypatch):
    """Fallbacks in unit tests note unanswered questions: into a test database, never var/guide.db.

    End-to-end tests are left alone (their guides get a database of their
    own); ``guide_database`` overrides this one.
    """
    if request.node.get_closest_marker("e2e") is None and not os.environ.get("GUIDE_DATABASE_URL"):
        monkeypatch.setenv("GUIDE_DATABASE_URL", str(tmp_path_factory.getbasetemp() / "unit-tests-guide.db"))


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the real knowledge folder, for tests that break it."""
    target = tmp_path / "knowledge"
    shutil.copytree(PROJECT_DIR / "knowledge", target)
    return target


#: A PostgreSQL database the tests may empty and fill (``.ci/run`` starts one).
POSTGRES_VARIABLE = "GUIDE_TEST_POSTGRES_URL"
DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(params=DATABASES)
def guide_database(request, tmp_path: Path, monkeypatch):
    """An empty, migrated guide database: SQLite, and PostgreSQL when one is given.

    Also set as ``GUIDE_DATABASE_URL``, so code that connects by itself uses it.
    """
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'guide.db'}"
    else:
        url = os.environ.get(POSTGRES_VARIABLE)
        if not url:
            pytest.skip(f"no PostgreSQL server ({POSTGRES_VARIABLE} is not set)")
        _empty_postgres(url)
    yield from _migrated(url, monkeypatch)


@pytest.fixture
def guide_sqlite(tmp_path: Path, monkeypatch):
    """An empty, migrated SQLite guide database, set as ``GUIDE_DATABASE_URL``."""
    yield from _migrated(f"sqlite:///{tmp_path / 'guide.db'}", monkeypatch)


def _migrated(url: str, monkeypatch):
    from bot.handoff import shared_queue
    from bot.storage import DATABASE_VARIABLE, connect, upgrade

    monkeypatch.setenv(DATABASE_VARIABLE, url)
    shared_queue.cache_clear()
    engine = connect(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    shared_queue.cache_clear()


def _empty_postgres(url: str) -> None:
    import sqlalchemy as sa

    from bot.storage import connect
    from bot.storage.schema import metadata

    engine = connect(url)
    metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


# -- the guide of the end-to-end tests --------------------------------------------------------


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model of ``make train`` (which does nothing when it is up to date)."""
    subprocess.run(["make", "-s", "train"], cwd=PROJECT_DIR, check=True)
    return MODEL


@pytest.fixture(scope="session")
def telegram_api() -> Iterator[BotApiStandIn]:
    """The local stand-in of Telegram's Bot API that the shared guide sends to."""
    with BotApiStandIn(TELEGRAM_TOKEN) as stand_in:
        yield stand_in


@pytest.fixture(scope="session")
def guide(trained_model: Path, telegram_api: BotApiStandIn, tmp_path_factory) -> Iterator[Guide]:
    """The guide most end-to-end tests share: ``python -m bot.serve`` with Telegram, counsellors on duty."""
    var_dir = tmp_path_factory.mktemp("guide")
    settings = var_dir / "handoff.yml"
    settings.write_text(settings_file(var_dir, open_now=True).read_text())
    env = {"TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
           "TELEGRAM_API_BASE_URL": telegram_api.base_url, "HANDOFF_SETTINGS": str(settings)}
    with running_guide(trained_model, var_dir, env) as running:
        running.telegram = telegram_api
        yield running


@pytest.fixture
def office_open(guide: Guide) -> Guide:
    """The shared guide with counsellors on duty (all day, every day)."""
    guide.set_office_hours(True)
    return guide


@pytest.fixture
def office_closed(guide: Guide) -> Guide:
    """The shared guide with counsellors off duty (they are in only on a day that is not today)."""
    guide.set_office_hours(False)
    return guide


# -- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (``make browser``), driven by Playwright, for one test module at a time.

    Playwright's own browser downloads are never used. Its sync API keeps an
    asyncio loop running in the main thread while it is started, which makes
    ``asyncio.run`` fail in any test that runs meanwhile; so it is stopped at
    the end of each module.
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

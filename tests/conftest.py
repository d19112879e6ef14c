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

from tests.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MODEL,
    PROJECT_DIR,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    Guide,
    running_guide,
    settings_file,
)
from tests.telegram.bot_api import BotApiStandIn


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="MOMENT",
        default=None,
        help="run the tests with the clock started at MOMENT (ISO 8601 with offset, e.g. "
        "2026-12-08T23:59:59+00:00) and ticking on: 'make test-midnight' uses it to prove "
        "that no test depends on the day it runs. Servers started as subprocesses keep the real clock.",
    )


def pytest_configure(config):
    moment = config.getoption("--clock")
    if moment:
        import datetime

        import time_machine

        traveller = time_machine.travel(datetime.datetime.fromisoformat(moment), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


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
    from bot.storage import DATABASE_VARIABLE, connect, upgrade

    monkeypatch.setenv(DATABASE_VARIABLE, url)
    engine = connect(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live_knowledge():
    """The real knowledge base, as the guide's processes hold it (reloaded when its files change)."""
    from bot.knowledge import LiveKnowledge

    return LiveKnowledge(PROJECT_DIR / "knowledge")


@pytest.fixture
def make_services(live_knowledge):
    """Builds the action server's parts as its entry point does, on a given database, with ``changes``."""
    import dataclasses

    from actions.services import ActionServices
    from bot.feedback import EditorsFeedback
    from bot.handoff.settings import load_settings
    from bot.storage.handoffs import HandoffQueue

    def make(engine, **changes):
        built = ActionServices(
            knowledge=live_knowledge,
            handoffs=HandoffQueue(engine),
            settings=load_settings(),
            feedback=EditorsFeedback(engine),
        )
        return dataclasses.replace(built, **changes)

    return make


@pytest.fixture
def services(make_services, guide_sqlite):
    """The action server's parts on an empty SQLite database."""
    return make_services(guide_sqlite)


@pytest.fixture
def channel_context(live_knowledge, guide_sqlite):
    """Builds the channels' parts as the Rasa server does, around Rasa's in-memory stores.

    Call it with the conversations to start from (``{sender id: [events]}``);
    the agent it stands for is returned too.
    """
    import asyncio
    import types

    from rasa.core.lock_store import InMemoryLockStore
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.channels.context import ChannelContext
    from bot.conversations.service import Conversations
    from bot.feedback import EditorsFeedback
    from bot.storage.handoffs import HandoffQueue

    domain = Domain.load(str(PROJECT_DIR / "domain.yml"))

    def make(conversations=None, tracker_store=None):
        store = tracker_store or InMemoryTrackerStore(domain)
        for sender, events in (conversations or {}).items():
            asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, slots=domain.slots)))
        agent = types.SimpleNamespace(tracker_store=store, lock_store=InMemoryLockStore())
        context = ChannelContext(
            live_knowledge, Conversations(agent, HandoffQueue(guide_sqlite)), EditorsFeedback(guide_sqlite)
        )
        return context, agent

    return make


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
    env = {
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "HANDOFF_SETTINGS": str(settings),
    }
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

"""Shared test helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_DIR.parent / "shared"


def pytest_addoption(parser):
    parser.addoption(
        "--clock", metavar="MOMENT", default=None,
        help="run the tests with the clock started at MOMENT (ISO 8601 with offset, e.g. "
             "2026-12-08T23:59:59+00:00) and ticking on: 'make test-midnight' uses it to prove "
             "that no test depends on the day it runs. Servers started as subprocesses keep the real clock.")


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
    import os

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
        built = ActionServices(knowledge=live_knowledge, handoffs=HandoffQueue(engine), settings=load_settings(),
                               feedback=EditorsFeedback(engine))
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
        context = ChannelContext(live_knowledge, Conversations(agent, HandoffQueue(guide_sqlite)),
                                 EditorsFeedback(guide_sqlite))
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

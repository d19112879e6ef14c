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


@pytest.fixture(autouse=True)
def _private_guide_database(request, tmp_path_factory, monkeypatch):
    """Fallbacks in unit tests note unanswered questions: into a test database, never var/guide.db.

    End-to-end tests are left alone (their guides get a database of their
    own); ``guide_database`` overrides this one.
    """
    import os

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

"""Connecting to the guide's database and bringing its schema up to date."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = PROJECT_DIR / "var" / "guide.db"
#: Environment variable naming the database: an SQLAlchemy URL or an SQLite file.
DATABASE_VARIABLE = "GUIDE_DATABASE_URL"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: How long SQLite waits for another process's write to finish before failing.
SQLITE_BUSY_TIMEOUT_SECONDS = 15


def database_url(setting: Optional[str] = None) -> str:
    """The database's SQLAlchemy URL, from ``setting`` or ``GUIDE_DATABASE_URL``.

    A plain path is taken as an SQLite file, so the common case needs no URL syntax.
    """
    setting = setting or os.environ.get(DATABASE_VARIABLE) or str(DEFAULT_DATABASE)
    if "://" in setting:
        return setting
    return f"sqlite:///{Path(setting).expanduser().resolve()}"


def connect(setting: Optional[str] = None) -> Engine:
    """An engine on the database (not yet migrated: see :func:`upgrade`)."""
    url = sa.engine.make_url(database_url(setting))
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, future=True, pool_pre_ping=True)
    if url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # Several processes (action server, console) write to one file: wait for
    # each other's transactions instead of failing at once.
    engine = sa.create_engine(url, future=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
    sa.event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Readers do not block the writer, and the other way round.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker:
    """Sessions in SQLAlchemy 2.0 style on ``engine``."""
    return sessionmaker(engine, class_=Session, future=True, expire_on_commit=False)


def alembic_config(engine: Engine):
    """Alembic's configuration for this project's migrations, bound to ``engine``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def open_database(setting: Optional[str] = None) -> Engine:
    """An engine on the database, its schema brought up to date: for commands run on their own.

    The guide's servers leave migrating to ``python -m bot.serve``, which does
    it once before they start.
    """
    engine = connect(setting)
    upgrade(engine)
    return engine


#: Alembic keeps the running migration in module-wide state: one at a time per process.
_upgrading = threading.Lock()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database's schema to ``revision`` (the newest by default)."""
    from alembic import command

    with _upgrading:
        command.upgrade(alembic_config(engine), revision)

"""Alembic's entry point: runs migrations on the engine :func:`bot.storage.upgrade` passes."""

from alembic import context

from bot.storage.database import connect
from bot.storage.schema import metadata

config = context.config


def run_migrations() -> None:
    engine = config.attributes.get("engine") or connect()
    with engine.begin() as connection:
        # render_as_batch: SQLite alters a table by copying it; Alembic does that for us.
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
        context.run_migrations()


run_migrations()

"""The guide's database schema comes from its migrations, and they match the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.storage import connect, database_url, upgrade
from bot.storage.schema import metadata


def test_the_migrations_create_exactly_the_tables_the_models_describe(guide_database):
    with guide_database.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_upgrading_an_up_to_date_database_changes_nothing(guide_database):
    before = set(sa.inspect(guide_database).get_table_names())
    upgrade(guide_database)
    assert (
        set(sa.inspect(guide_database).get_table_names())
        == before
        >= {"handoffs", "handoff_notes", "counsellors", "login_sessions", "feedback_votes", "alembic_version"}
    )


def test_a_plain_path_is_an_sqlite_file_and_urls_pass_through(tmp_path):
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://guide@db/guide") == "postgresql://guide@db/guide"
    engine = connect(str(tmp_path / "new" / "guide.db"))
    upgrade(engine)
    assert (tmp_path / "new" / "guide.db").exists()

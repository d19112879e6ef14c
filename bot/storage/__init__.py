"""The guide's own database: handoffs, counsellors' accounts, votes and unanswered questions.

SQLite (``var/guide.db``) by default, so the guide runs without a database
server; PostgreSQL in production: ``GUIDE_DATABASE_URL`` takes any SQLAlchemy
URL (``postgresql://user:password@host/guide``) or a file path.

The schema is changed only through Alembic migrations
(``bot/storage/migrations``); :func:`upgrade` brings a database up to date and
``python -m bot.storage upgrade`` does the same from a shell. Rasa's
conversations are not here: they stay in Rasa's tracker store.
"""

from bot.storage.base import Base, metadata
from bot.storage.database import DATABASE_VARIABLE, connect, database_url, open_database, session_factory, upgrade

__all__ = [
    "Base",
    "DATABASE_VARIABLE",
    "connect",
    "database_url",
    "metadata",
    "open_database",
    "session_factory",
    "upgrade",
]

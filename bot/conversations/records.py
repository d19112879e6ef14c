"""The conversations in Rasa's SQL tracker store, for deleting them.

Rasa's ``SQLTrackerStore`` keeps every event of every conversation as a row
of one table, ``events``. Deleting a conversation is deleting its rows;
Rasa has no call for it.
"""

from __future__ import annotations

import time
from typing import Iterator, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

SECONDS_PER_DAY = 86400

_metadata = sa.MetaData()
#: The columns of Rasa's ``events`` table that deleting needs.
events = sa.Table(
    "events",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("timestamp", sa.Float),
)


def has_conversations(engine: Engine) -> bool:
    """Whether the database holds Rasa's tracker store (its ``events`` table)."""
    return sa.inspect(engine).has_table("events")


def delete_conversation(engine: Engine, sender_id: str) -> int:
    """Delete every event of one conversation; returns how many were removed."""
    with engine.begin() as connection:
        return connection.execute(sa.delete(events).where(events.c.sender_id == sender_id)).rowcount


def purge_inactive(engine: Engine, older_than_days: float, now: Optional[float] = None) -> int:
    """Delete conversations whose last event is older than ``older_than_days``; returns how many."""
    cutoff = (now if now is not None else time.time()) - older_than_days * SECONDS_PER_DAY
    last_activity = (
        sa.select(events.c.sender_id).group_by(events.c.sender_id).having(sa.func.max(events.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        stale = connection.execute(last_activity).scalars().all()
        for chunk in _chunks(stale, 500):
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(chunk)))
    return len(stale)


def _chunks(items: List[str], size: int) -> Iterator[List[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

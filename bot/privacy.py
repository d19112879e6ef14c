"""Deleting conversations: one person's on request, and everyone's after a retention period.

    python -m bot.privacy delete SENDER_ID [--db URL]
    python -m bot.privacy purge --older-than-days 90 [--db URL]

Works on the tables of Rasa's SQL tracker store (``events``), in SQLite by
default (``var/tracker.db``) or any database SQLAlchemy reaches (``--db`` or
``TRACKER_DB_URL``). ``delete`` also deletes the conversation's handoffs to counsellors (with
their notes) from the guide's database (``GUIDE_DATABASE_URL``). ``purge``
suits a daily cron job: it removes every conversation whose last message is
older than the given number of days; closed handoffs have their own retention
period (``python -m bot.handoff purge``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import List, Optional

import sqlalchemy as sa

from bot.handoff import shared_queue

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DB_URL = f"sqlite:///{PROJECT_DIR / 'var' / 'tracker.db'}"
SECONDS_PER_DAY = 86400

_metadata = sa.MetaData()
#: The columns of Rasa's ``events`` table that deleting needs.
events = sa.Table(
    "events", _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("timestamp", sa.Float),
)


def delete_conversation(engine: sa.engine.Engine, sender_id: str) -> int:
    """Delete everything kept about one conversation; returns the number of events removed."""
    with engine.begin() as connection:
        return connection.execute(sa.delete(events).where(events.c.sender_id == sender_id)).rowcount


def purge_inactive(engine: sa.engine.Engine, older_than_days: float, now: Optional[float] = None) -> int:
    """Delete conversations whose last event is older than ``older_than_days``; returns how many."""
    cutoff = (now if now is not None else time.time()) - older_than_days * SECONDS_PER_DAY
    last_activity = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        stale = connection.execute(last_activity).scalars().all()
        for chunk in _chunks(stale, 500):
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(chunk)))
    return len(stale)


def _chunks(items: List[str], size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.privacy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("TRACKER_DB_URL", DEFAULT_DB_URL),
                        help="SQLAlchemy URL of the tracker store (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    delete = commands.add_parser("delete", help="delete one conversation")
    delete.add_argument("sender_id")
    purge = commands.add_parser("purge", help="delete conversations inactive for N days")
    purge.add_argument("--older-than-days", type=float, required=True)
    args = parser.parse_args(argv)

    engine = sa.create_engine(args.db, future=True)
    if args.command == "delete" and not sa.inspect(engine).has_table("events"):
        print(f"Deleted {shared_queue().delete_conversation(args.sender_id)} handoffs of conversation "
              f"{args.sender_id!r}; no conversations are stored in {args.db}.")
        return 0
    if not sa.inspect(engine).has_table("events"):
        print(f"No conversations are stored in {args.db}.")
        return 0
    if args.command == "delete":
        removed = delete_conversation(engine, args.sender_id)
        handoffs = shared_queue().delete_conversation(args.sender_id)
        print(f"Deleted {removed} events and {handoffs} handoffs of conversation {args.sender_id!r}.")
    else:
        removed = purge_inactive(engine, args.older_than_days)
        print(f"Deleted {removed} conversations inactive for more than {args.older_than_days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

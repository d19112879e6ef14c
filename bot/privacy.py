"""Deleting conversations: one person's on request, and everyone's after a retention period.

    python -m bot.privacy delete SENDER_ID [--db URL]
    python -m bot.privacy purge --older-than-days 90 [--db URL]

Works on Rasa's SQL tracker store: by default the one ``python -m bot.serve``
uses (``TRACKER_DB``, else ``var/tracker.db``), or any database SQLAlchemy
reaches (``--db``). ``delete`` also deletes the conversation's handoffs to
counsellors (with their notes) from the guide's database
(``GUIDE_DATABASE_URL``), and fails when it finds nothing of that
conversation: a mistyped id or the wrong database must not look like
success. ``purge`` suits a daily cron job: it removes every conversation
whose last message is older than the given number of days; closed handoffs
have their own retention period (``python -m bot.handoff purge``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import List, Optional

import sqlalchemy as sa

from bot.conversations.records import delete_conversation, has_conversations, purge_inactive
from bot.storage import open_database
from bot.storage.handoffs import HandoffQueue

PROJECT_DIR = Path(__file__).resolve().parents[1]
#: The tracker store's SQLite file, as ``python -m bot.serve`` names it.
TRACKER_DB_VARIABLE = "TRACKER_DB"
DEFAULT_TRACKER_DB = PROJECT_DIR / "var" / "tracker.db"


def tracker_store_url() -> str:
    """The SQLAlchemy URL of the tracker store ``python -m bot.serve`` runs with."""
    path = Path(os.environ.get(TRACKER_DB_VARIABLE) or DEFAULT_TRACKER_DB)
    return f"sqlite:///{path.expanduser().resolve()}"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.privacy", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db",
        default=None,
        help=f"SQLAlchemy URL of the tracker store (default: ${TRACKER_DB_VARIABLE} or {DEFAULT_TRACKER_DB})",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    delete = commands.add_parser("delete", help="delete one conversation")
    delete.add_argument("sender_id")
    purge = commands.add_parser("purge", help="delete conversations inactive for N days")
    purge.add_argument("--older-than-days", type=float, required=True)
    args = parser.parse_args(argv)

    url = args.db or tracker_store_url()
    engine = sa.create_engine(url, future=True)
    stored = has_conversations(engine)
    if args.command == "delete":
        removed = delete_conversation(engine, args.sender_id) if stored else 0
        handoffs = HandoffQueue(open_database()).delete_conversation(args.sender_id)
        if not removed and not handoffs:
            print(
                f"Nothing of conversation {args.sender_id!r} is stored in {url} or the guide's database.",
                file=sys.stderr,
            )
            return 1
        print(f"Deleted {removed} events and {handoffs} handoffs of conversation {args.sender_id!r}.")
        return 0
    if not stored:
        print(f"No conversations are stored in {url}.")
        return 0
    removed = purge_inactive(engine, args.older_than_days)
    print(f"Deleted {removed} conversations inactive for more than {args.older_than_days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What users tell the editors without meaning to: votes on answers, and questions the guide missed.

    python -m bot.feedback [--db PATH_OR_URL]     # votes per topic and language

:class:`EditorsFeedback` records both in the guide's database
(:mod:`bot.storage.votes`, :mod:`bot.storage.unanswered`): a 👍/👎 on an
answer, a question the guide fell back on, the question whose answer got a
👎. Questions are stored on one background thread, so a slow or unreachable
database never delays or breaks a reply; a failure is logged without the
message. Votes are stored at once (the web chat waits for them on a thread
of its own). Each process builds one at its entry point and passes it down.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import logging
import sys
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy.engine import Engine

from bot import clock
from bot.conversations.events import question_before_answer
from bot.storage import open_database
from bot.storage.unanswered import LOW_CONFIDENCE, NOT_HELPFUL, NOT_UNDERSTOOD, OUT_OF_SCOPE, record_unanswered
from bot.storage.votes import record_vote, summary

logger = logging.getLogger(__name__)

#: The intent a fallback was triggered by -> why the question was not answered.
_REASON_OF_INTENT = {"nlu_fallback": LOW_CONFIDENCE, "out_of_scope": OUT_OF_SCOPE}


def reason_of_intent(intent: Optional[str]) -> str:
    """Why a fallback happened, from the intent that triggered it."""
    return _REASON_OF_INTENT.get(intent or "", NOT_UNDERSTOOD)


class EditorsFeedback:
    """Records votes and unanswered questions in one database, stamped with the Welcome Center's day."""

    def __init__(self, engine: Engine, today: clock.Today = clock.today) -> None:
        self._engine = engine
        self._today = today
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="unanswered")

    def vote(self, topic: str, lang: str, helpful: bool) -> None:
        """Store one vote on the answer to ``topic`` in ``lang`` (blocking: call it off the event loop)."""
        record_vote(self._engine, topic, lang, helpful, self._today)

    def note_unanswered(self, text: str, lang: str, intent: Optional[str]) -> concurrent.futures.Future:
        """Keep a message the guide fell back on, for the editors' report; returns at once."""
        return self._note(text, lang, reason_of_intent(intent), None)

    def note_not_helpful(self, events: Iterable[Dict[str, Any]], topic: str, lang: str) -> concurrent.futures.Future:
        """Keep the question whose answer on ``topic`` was rated 👎 in the conversation ``events``."""
        return self._note(question_before_answer(events, topic, lang) or "", lang, NOT_HELPFUL, topic)

    def wait(self, timeout: float = 30.0) -> None:
        """Return once every question noted so far is stored (or given up): for tests and shutdown."""
        self._executor.submit(lambda: None).result(timeout)

    def _note(self, text: str, lang: str, reason: str, topic: Optional[str]) -> concurrent.futures.Future:
        """Store the question later; the future says whether it was stored (never raises)."""
        return self._executor.submit(self._store, text, lang, reason, topic)

    def _store(self, text: str, lang: str, reason: str, topic: Optional[str]) -> bool:
        if not text.strip():
            return False
        try:
            return record_unanswered(self._engine, text, lang, reason, topic, self._today)
        except Exception as error:  # noqa: BLE001 - a lost record must never take the guide down
            # The class name only: database errors repeat the statement's parameters, i.e. the text.
            logger.warning(
                "An unanswered question (%s, %s) could not be stored: %s.", lang, reason, type(error).__name__
            )
            return False


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.feedback", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", default=None, help="file or SQLAlchemy URL (default: $GUIDE_DATABASE_URL or var/guide.db)"
    )
    args = parser.parse_args(argv)
    rows = summary(open_database(args.db))
    if not rows:
        print("No votes yet.")
    for row in rows:
        print(f"{row.topic:40} {row.lang}  👍 {row.helpful:5}  👎 {row.not_helpful:5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

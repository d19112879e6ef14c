"""The questions the guide could not answer, kept for editors without personal data.

Three kinds of message end up here: those the classifier was not sure about
(low confidence, Rasa's ``nlu_fallback``), those outside the guide's topics
(``out_of_scope``, or no rule fitting), and answers a user rated 👎 in the web
chat. Each record has only what an editor needs to write a topic or add
training questions: the masked text (:mod:`bot.editorial.masking`), its
language, why it was not answered, the topic for a 👎, and the day. No
conversation id, user id or time of day is kept, so a record cannot be tied
to a conversation.

The action server notes questions through :func:`note_unanswered`, which
stores them on a background thread: a slow or unreachable database never
delays or breaks a reply, and its failure is logged without the message.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import logging
import threading
from typing import Any, Callable, Dict, Iterable, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot import clock
from bot.editorial.masking import mask_personal_data
from bot.storage import database_url, metadata, open_database

logger = logging.getLogger(__name__)

#: Longest question kept: enough to see what was asked, too short for life stories.
MAX_TEXT_CHARS = 300
MAX_TOPIC_CHARS = 100
MAX_LANGUAGE_CHARS = 8

LOW_CONFIDENCE = "low_confidence"
OUT_OF_SCOPE = "out_of_scope"
NOT_UNDERSTOOD = "not_understood"
NOT_HELPFUL = "not_helpful"
REASONS = (LOW_CONFIDENCE, OUT_OF_SCOPE, NOT_UNDERSTOOD, NOT_HELPFUL)

#: The intent a fallback was triggered by -> why the question was not answered.
_REASON_OF_INTENT = {"nlu_fallback": LOW_CONFIDENCE, "out_of_scope": OUT_OF_SCOPE}

unanswered_questions = sa.Table(
    "unanswered_questions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.String(MAX_TEXT_CHARS), nullable=False),
    sa.Column("lang", sa.String(MAX_LANGUAGE_CHARS), nullable=False),
    sa.Column("reason", sa.String(16), nullable=False),
    # The topic answered when the answer was rated 👎; empty otherwise.
    sa.Column("topic", sa.String(MAX_TOPIC_CHARS), nullable=True),
    # The day only: a precise time could be matched with the conversation's.
    sa.Column("day", sa.Date, nullable=False, index=True),
)


@dataclasses.dataclass(frozen=True)
class UnansweredQuestion:
    """One stored question the guide could not answer."""

    text: str
    lang: str
    reason: str
    topic: Optional[str]
    day: datetime.date


def record_unanswered(engine: Engine, text: str, lang: str, reason: str, topic: Optional[str] = None,
                      today: clock.Today = clock.today) -> bool:
    """Store ``text``, masked, as not answered on the day ``today()`` says; ``False`` if there was nothing to store."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    if not lang or len(lang) > MAX_LANGUAGE_CHARS or (topic and len(topic) > MAX_TOPIC_CHARS):
        raise ValueError("language and topic must be short ids")
    masked = mask_personal_data(" ".join(text.split()))[:MAX_TEXT_CHARS]
    if not masked or masked.startswith("/"):
        return False  # empty, or a chat command such as /start: not a question
    with engine.begin() as connection:
        connection.execute(sa.insert(unanswered_questions).values(
            text=masked, lang=lang, reason=reason, topic=topic or None, day=today()))
    return True


def read_unanswered(engine: Engine, since: Optional[datetime.date] = None) -> List[UnansweredQuestion]:
    """The stored questions, oldest first, from ``since`` on (all if ``None``)."""
    table = unanswered_questions
    query = sa.select(table.c.text, table.c.lang, table.c.reason, table.c.topic, table.c.day) \
        .order_by(table.c.day, table.c.id)
    if since is not None:
        query = query.where(table.c.day >= since)
    with engine.connect() as connection:
        return [UnansweredQuestion(*row) for row in connection.execute(query)]


def forget_unanswered(engine: Engine, before: datetime.date) -> int:
    """Delete the questions stored before ``before``; returns how many."""
    with engine.begin() as connection:
        return connection.execute(
            sa.delete(unanswered_questions).where(unanswered_questions.c.day < before)).rowcount


def reason_of_intent(intent: Optional[str]) -> str:
    """Why a fallback happened, from the intent that triggered it."""
    return _REASON_OF_INTENT.get(intent or "", NOT_UNDERSTOOD)


def question_before_answer(events: Iterable[Dict[str, Any]], topic: str, lang: str) -> Optional[str]:
    """The user's message the conversation's last answer on ``topic`` in ``lang`` replied to.

    For a 👎 in the web chat, which names the answer but not the question.
    """
    question, found = None, None
    for event in events:
        if event.get("event") == "user":
            question = event.get("text")
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        if isinstance(custom, dict) and custom.get("type") == "answer" and \
                custom.get("topic") == topic and custom.get("lang") == lang:
            found = question
    return found


class Recorder:
    """Stores unanswered questions on one background thread, so replies never wait for the database.

    The database is the one ``GUIDE_DATABASE_URL`` names when a question is
    noted; it is opened (and migrated) on first use, and again after a failure.
    """

    def __init__(self, open_engine: Optional[Callable[[str], Engine]] = None,
                 today: clock.Today = clock.today) -> None:
        self._open_engine = open_engine or open_database
        self._today = today
        self._engines: Dict[str, Engine] = {}
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="unanswered")

    def note(self, text: str, lang: str, reason: str, topic: Optional[str] = None) -> concurrent.futures.Future:
        """Store the question later; the future says whether it was stored (never raises)."""
        return self._executor.submit(self._store, database_url(), text, lang, reason, topic)

    def wait(self, timeout: float = 30.0) -> None:
        """Return once every question noted so far is stored (or given up)."""
        self._executor.submit(lambda: None).result(timeout)

    def _store(self, url: str, text: str, lang: str, reason: str, topic: Optional[str]) -> bool:
        try:
            if url not in self._engines:
                self._engines[url] = self._open_engine(url)
            return record_unanswered(self._engines[url], text, lang, reason, topic, self._today)
        except Exception as error:  # noqa: BLE001 - a lost record must never take the guide down
            # The class name only: database errors repeat the statement's parameters, i.e. the text.
            logger.warning("An unanswered question (%s, %s) could not be stored: %s.",
                           lang, reason, type(error).__name__)
            return False


_recorder: Optional[Recorder] = None
_recorder_lock = threading.Lock()


def note_unanswered(text: str, lang: str, intent: Optional[str]) -> None:
    """Keep a message the guide fell back on, for the editors' report; returns at once."""
    if text.strip():
        _shared_recorder().note(text, lang, reason_of_intent(intent))


def note_not_helpful(events: Iterable[Dict[str, Any]], topic: str, lang: str) -> None:
    """Keep the question whose answer on ``topic`` was rated 👎 in the conversation ``events``."""
    question = question_before_answer(events, topic, lang)
    if question and question.strip():
        _shared_recorder().note(question, lang, NOT_HELPFUL, topic)


def wait_for_notes(timeout: float = 30.0) -> None:
    """Return once the questions noted so far in this process are stored (for tests and shutdown)."""
    _shared_recorder().wait(timeout)


def _shared_recorder() -> Recorder:
    global _recorder
    with _recorder_lock:
        if _recorder is None:
            _recorder = Recorder()
        return _recorder

"""The questions the guide could not answer, kept for editors without personal data.

Three kinds of message end up here: those the classifier was not sure about
(low confidence), those outside the guide's topics, and answers a user rated
👎. Each record has only what an editor needs to write a topic or add
training questions: the masked text (:mod:`bot.storage.masking`: the table
never sees the unmasked text), its language, why it was not answered, the
topic for a 👎, and the day. No conversation id, user id or time of day is
kept, so a record cannot be tied to a conversation.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot import clock
from bot.storage.base import metadata
from bot.storage.masking import mask_personal_data

#: Longest question kept: enough to see what was asked, too short for life stories.
MAX_TEXT_CHARS = 300
MAX_TOPIC_CHARS = 100
MAX_LANGUAGE_CHARS = 8

LOW_CONFIDENCE = "low_confidence"
OUT_OF_SCOPE = "out_of_scope"
NOT_UNDERSTOOD = "not_understood"
NOT_HELPFUL = "not_helpful"
REASONS = (LOW_CONFIDENCE, OUT_OF_SCOPE, NOT_UNDERSTOOD, NOT_HELPFUL)

unanswered_questions = sa.Table(
    "unanswered_questions",
    metadata,
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


def record_unanswered(
    engine: Engine, text: str, lang: str, reason: str, topic: Optional[str] = None, today: clock.Today = clock.today
) -> bool:
    """Store ``text``, masked, as not answered on the day ``today()`` says; ``False`` if there was nothing to store."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    if not lang or len(lang) > MAX_LANGUAGE_CHARS or (topic and len(topic) > MAX_TOPIC_CHARS):
        raise ValueError("language and topic must be short ids")
    masked = mask_personal_data(" ".join(text.split()))[:MAX_TEXT_CHARS]
    if not masked or masked.startswith("/"):
        return False  # empty, or a chat command such as /start: not a question
    with engine.begin() as connection:
        connection.execute(
            sa.insert(unanswered_questions).values(
                text=masked, lang=lang, reason=reason, topic=topic or None, day=today()
            )
        )
    return True


def read_unanswered(engine: Engine, since: Optional[datetime.date] = None) -> List[UnansweredQuestion]:
    """The stored questions, oldest first, from ``since`` on (all if ``None``)."""
    table = unanswered_questions
    query = sa.select(table.c.text, table.c.lang, table.c.reason, table.c.topic, table.c.day).order_by(
        table.c.day, table.c.id
    )
    if since is not None:
        query = query.where(table.c.day >= since)
    with engine.connect() as connection:
        return [UnansweredQuestion(*row) for row in connection.execute(query)]


def forget_unanswered(engine: Engine, before: datetime.date) -> int:
    """Delete the questions stored before ``before``; returns how many."""
    with engine.begin() as connection:
        return connection.execute(sa.delete(unanswered_questions).where(unanswered_questions.c.day < before)).rowcount

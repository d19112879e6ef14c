"""Votes on the guide's answers ("Was this helpful? 👍/👎"), kept per topic and language.

A vote keeps exactly what editors learn from: the topic, the language,
helpful or not, and the day. No conversation id or other trace of the person
is stored with it.
"""

from __future__ import annotations

import dataclasses
from typing import List

import sqlalchemy as sa

from bot import clock
from bot.storage.base import metadata

#: Longest topic id and language code stored (ids are short; longer input is refused).
MAX_TOPIC_CHARS = 100
MAX_LANGUAGE_CHARS = 8

votes = sa.Table(
    "feedback_votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("topic", sa.String(MAX_TOPIC_CHARS), nullable=False, index=True),
    sa.Column("lang", sa.String(MAX_LANGUAGE_CHARS), nullable=False),
    sa.Column("helpful", sa.Boolean, nullable=False),
    # The day only: a precise time could be matched with the conversation's.
    sa.Column("day", sa.Date, nullable=False),
)


@dataclasses.dataclass(frozen=True)
class TopicVotes:
    """How one topic's answers in one language were rated."""

    topic: str
    lang: str
    helpful: int
    not_helpful: int


def record_vote(
    engine: sa.engine.Engine, topic: str, lang: str, helpful: bool, today: clock.Today = clock.today
) -> None:
    """Store one vote on the answer to ``topic`` in ``lang``, on the day ``today()`` says."""
    if not topic or len(topic) > MAX_TOPIC_CHARS or not lang or len(lang) > MAX_LANGUAGE_CHARS:
        raise ValueError("topic and language must be short, non-empty ids")
    with engine.begin() as connection:
        connection.execute(sa.insert(votes).values(topic=topic, lang=lang, helpful=bool(helpful), day=today()))


def summary(engine: sa.engine.Engine) -> List[TopicVotes]:
    """The votes counted per topic and language, sorted by topic and language."""
    helpful = sa.func.sum(sa.case((votes.c.helpful, 1), else_=0))
    query = (
        sa.select(votes.c.topic, votes.c.lang, helpful, sa.func.count() - helpful)
        .group_by(votes.c.topic, votes.c.lang)
        .order_by(votes.c.topic, votes.c.lang)
    )
    with engine.connect() as connection:
        return [TopicVotes(topic, lang, int(up), int(down)) for topic, lang, up, down in connection.execute(query)]

"""What the guide's database keeps of a handoff: who is waiting, who took it, how it ended.

The conversation itself (what the user, the guide and the counsellor wrote)
is not copied here: Rasa's tracker store is its one record. A handoff keeps
only what the queue needs: the conversation's id, channel and language, the
topics the guide tried, and the counsellor's work on it (claim, notes, outcome).
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from bot.storage.base import Base

#: A handoff waits in the queue, is being handled by one counsellor, or is over.
QUEUED = "queued"
CLAIMED = "claimed"
CLOSED = "closed"
STATUSES = (QUEUED, CLAIMED, CLOSED)
OPEN_STATUSES = (QUEUED, CLAIMED)

#: How a handoff came about: the user asked, or accepted the guide's offer.
ASKED = "asked"
OFFERED = "offered"

#: How a counsellor may close a handoff.
OUTCOMES = ("answered", "referred", "no_reply", "other")


def utcnow() -> datetime.datetime:
    """The time now in UTC, without a zone (as every database stores it alike)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Handoff(Base):
    """One conversation passed from the guide to the counsellors."""

    __tablename__ = "handoffs"

    id = sa.Column(sa.Integer, primary_key=True)
    #: Rasa's sender id of the conversation (a Telegram chat id, a web chat session id).
    conversation_id = sa.Column(sa.String(255), nullable=False)
    channel = sa.Column(sa.String(32), nullable=False)
    language = sa.Column(sa.String(8), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, default=QUEUED)
    reason = sa.Column(sa.String(16), nullable=False, default=ASKED)
    #: Left as a message outside office hours, to be read when counsellors are back.
    outside_hours = sa.Column(sa.Boolean, nullable=False, default=False)
    #: The user agreed to be contacted by the means they wrote in their message.
    contact_consent = sa.Column(sa.Boolean, nullable=False, default=False)
    #: Ids of the knowledge topics the guide answered before, most recent last.
    topics_tried = sa.Column(sa.JSON, nullable=False, default=list)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("counsellors.id", ondelete="SET NULL"))
    claimed_at = sa.Column(sa.DateTime)
    closed_at = sa.Column(sa.DateTime)
    outcome = sa.Column(sa.String(16))

    counsellor = relationship("Counsellor", lazy="joined")
    notes = relationship("Note", back_populates="handoff", cascade="all, delete-orphan",
                         passive_deletes=True, order_by="Note.id")

    __table_args__ = (
        sa.CheckConstraint(sa.column("status").in_(STATUSES), name="status"),
        # At most one open handoff per conversation: asking twice, or from
        # two browser tabs at once, cannot queue the same person twice.
        sa.Index("uq_handoffs_open_conversation", "conversation_id", unique=True,
                 sqlite_where=sa.text("status IN ('queued', 'claimed')"),
                 postgresql_where=sa.text("status IN ('queued', 'claimed')")),
        sa.Index("ix_handoffs_status_created", "status", "created_at"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Note(Base):
    """An internal note of a counsellor on a handoff; never shown to the user."""

    __tablename__ = "handoff_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    handoff_id = sa.Column(sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("counsellors.id", ondelete="SET NULL"))
    text = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    handoff = relationship(Handoff, back_populates="notes")
    counsellor = relationship("Counsellor", lazy="joined")


# A handoff's counsellor is an account of the console; importing the accounts
# here lets SQLAlchemy resolve the relationship wherever handoffs are used.
from bot.console import accounts as _accounts  # noqa: E402,F401

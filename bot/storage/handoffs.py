"""Handoffs: what the guide's database keeps of one, and the queue they wait in.

The conversation itself (what the user, the guide and the counsellor wrote)
is not copied here: Rasa's tracker store is its one record. A handoff keeps
only what the queue needs: the conversation's id, channel and language, the
topics the guide tried, and the counsellor's work on it (claim, notes, outcome).
"""

from __future__ import annotations

import datetime
from typing import List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import relationship, selectinload

from bot.clock import utcnow
from bot.storage.accounts import Counsellor  # noqa: F401  a handoff's counsellor (the relationship below)
from bot.storage.base import Base
from bot.storage.database import session_factory

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
    notes = relationship(
        "Note", back_populates="handoff", cascade="all, delete-orphan", passive_deletes=True, order_by="Note.id"
    )

    __table_args__ = (
        sa.CheckConstraint(sa.column("status").in_(STATUSES), name="status"),
        # At most one open handoff per conversation: asking twice, or from
        # two browser tabs at once, cannot queue the same person twice.
        sa.Index(
            "uq_handoffs_open_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=sa.text("status IN ('queued', 'claimed')"),
            postgresql_where=sa.text("status IN ('queued', 'claimed')"),
        ),
        sa.Index("ix_handoffs_status_created", "status", "created_at"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Note(Base):
    """An internal note of a counsellor on a handoff; never shown to the user."""

    __tablename__ = "handoff_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    handoff_id = sa.Column(sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True)
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("counsellors.id", ondelete="SET NULL"))
    text = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    handoff = relationship(Handoff, back_populates="notes")
    counsellor = relationship("Counsellor", lazy="joined")


# -- the queue ----------------------------------------------------------------
# The queue of handed-off conversations: opening, claiming, notes, closing, deleting.
#
# Every change is one short transaction, and the rules that matter when
# several people act at once are kept by the database itself:
#
# - a conversation has at most one open handoff (a unique partial index), so
#   a user asking twice, or from two tabs, is queued once;
# - a handoff is claimed by exactly one counsellor: the claim is one
#   conditional ``UPDATE ... WHERE status = 'queued'``, and only the
#   counsellor whose update changed the row has it.

#: Longest note kept; a note is for a few sentences, not a file.
MAX_NOTE_CHARS = 4000
#: Topics kept per handoff: enough to see what the guide tried.
MAX_TOPICS = 10


class HandoffError(ValueError):
    """A change to a handoff that its current state does not allow."""


class NoteRefused(HandoffError):
    """A note that cannot be kept: empty (``empty``) or longer than :data:`MAX_NOTE_CHARS`."""

    def __init__(self, message: str, empty: bool) -> None:
        super().__init__(message)
        self.empty = empty


class HandoffQueue:
    """The handoffs in the guide's database (see :mod:`bot.storage`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    # -- the guide's side -----------------------------------------------------------

    def open_handoff(
        self,
        conversation_id: str,
        channel: str,
        language: str,
        topics_tried: Sequence[str] = (),
        reason: str = ASKED,
        outside_hours: bool = False,
        contact_consent: bool = False,
    ) -> Handoff:
        """Queue a conversation for the counsellors; returns its open handoff.

        If the conversation already has an open handoff, that one is returned
        (with a given consent to be contacted added to it).
        """
        handoff = Handoff(
            conversation_id=conversation_id,
            channel=channel,
            language=language,
            topics_tried=list(topics_tried)[-MAX_TOPICS:],
            reason=reason,
            outside_hours=outside_hours,
            contact_consent=contact_consent,
        )
        try:
            with self.sessions.begin() as session:
                session.add(handoff)
            return handoff
        except IntegrityError:  # it is open already (maybe since a moment ago)
            with self.sessions.begin() as session:
                existing = self._open_in(session, conversation_id)
                if existing is None:
                    raise
                existing.contact_consent = existing.contact_consent or contact_consent
                return existing

    def open_for(self, conversation_id: str) -> Optional[Handoff]:
        """The conversation's open handoff, if it has one."""
        with self.sessions() as session:
            return self._open_in(session, conversation_id)

    @staticmethod
    def _open_in(session, conversation_id: str) -> Optional[Handoff]:
        return session.scalar(
            sa.select(Handoff).where(Handoff.conversation_id == conversation_id, Handoff.status.in_((QUEUED, CLAIMED)))
        )

    # -- the counsellors' side ------------------------------------------------------

    def waiting(self) -> List[Handoff]:
        """Handoffs nobody has claimed yet, longest waiting first."""
        return self._list(Handoff.status == QUEUED, Handoff.created_at)

    def claimed(self) -> List[Handoff]:
        """Handoffs a counsellor is answering, oldest claim first."""
        return self._list(Handoff.status == CLAIMED, Handoff.claimed_at)

    def recently_closed(self, limit: int = 20) -> List[Handoff]:
        return self._list(Handoff.status == CLOSED, Handoff.closed_at.desc(), limit)

    def _list(self, condition, order, limit: Optional[int] = None) -> List[Handoff]:
        query = sa.select(Handoff).where(condition).order_by(order).limit(limit)
        with self.sessions() as session:
            return list(session.scalars(query))

    def get(self, handoff_id: int) -> Optional[Handoff]:
        """One handoff with its notes."""
        with self.sessions() as session:
            return session.scalar(
                sa.select(Handoff).options(selectinload(Handoff.notes)).where(Handoff.id == handoff_id)
            )

    def claim(self, handoff_id: int, counsellor_id: int) -> bool:
        """Give a waiting handoff to one counsellor; ``False`` if someone else was first."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                sa.update(Handoff.__table__)
                .where(Handoff.id == handoff_id, Handoff.status == QUEUED)
                .values(status=CLAIMED, counsellor_id=counsellor_id, claimed_at=utcnow())
            ).rowcount
        return changed == 1

    def add_note(self, handoff_id: int, counsellor_id: int, text: str) -> Note:
        """Keep an internal note on a handoff (never shown to the user)."""
        text = text.strip()
        if not text:
            raise NoteRefused("A note needs some text.", empty=True)
        if len(text) > MAX_NOTE_CHARS:
            raise NoteRefused(f"A note may have up to {MAX_NOTE_CHARS} characters.", empty=False)
        with self.sessions.begin() as session:
            if session.get(Handoff, handoff_id) is None:
                raise HandoffError("There is no such handoff.")
            note = Note(handoff_id=handoff_id, counsellor_id=counsellor_id, text=text)
            session.add(note)
        return note

    def close(self, handoff_id: int, counsellor_id: int, outcome: str) -> Handoff:
        """End a handoff the counsellor holds, with its outcome.

        Raises:
            HandoffError: if the outcome is unknown or the counsellor does not hold it.
        """
        if outcome not in OUTCOMES:
            raise HandoffError(f"The outcome must be one of {', '.join(OUTCOMES)}.")
        with self.engine.begin() as connection:
            changed = connection.execute(
                sa.update(Handoff.__table__)
                .where(Handoff.id == handoff_id, Handoff.status == CLAIMED, Handoff.counsellor_id == counsellor_id)
                .values(status=CLOSED, outcome=outcome, closed_at=utcnow())
            ).rowcount
        if changed != 1:
            raise HandoffError("Only the counsellor who took a conversation can hand it back.")
        closed = self.get(handoff_id)
        if closed is None:  # deleted in the meantime (the user asked to be forgotten)
            raise HandoffError("There is no such handoff.")
        return closed

    # -- retention and deletion -----------------------------------------------------

    def purge_closed(self, older_than: datetime.timedelta, now: Optional[datetime.datetime] = None) -> int:
        """Delete handoffs closed longer ago than ``older_than``, with their notes."""
        cutoff = (now or utcnow()) - older_than
        return self._delete(sa.and_(Handoff.status == CLOSED, Handoff.closed_at < cutoff))

    def delete_conversation(self, conversation_id: str) -> int:
        """Delete every handoff of a conversation (its user asked to be forgotten)."""
        return self._delete(Handoff.conversation_id == conversation_id)

    def _delete(self, condition) -> int:
        with self.sessions.begin() as session:
            handoffs = list(session.scalars(sa.select(Handoff).where(condition)))
            for handoff in handoffs:
                session.delete(handoff)  # the ORM also deletes the notes on SQLite
        return len(handoffs)

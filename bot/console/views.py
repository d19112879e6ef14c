"""What the console shows, as plain data: the queue, and one conversation with its notes.

The guide's database says who waits and who handles what; Rasa's tracker
says what was written. Both are read here and turned into JSON-ready dicts
that the pages' scripts draw (always as text, never as HTML).
"""

from __future__ import annotations

import asyncio
import datetime
from typing import Any, Dict, List, Optional, Sequence

from starlette.concurrency import run_in_threadpool

from bot.console.rasa_client import RasaClient, RasaError
from bot.console.texts import language_name
from bot.console.transcript import last_user_texts, transcript
from bot.storage.handoffs import Handoff, HandoffQueue, Note

#: The user's last messages shown with each conversation in the queue.
LAST_MESSAGES = 3
#: Trackers read at once for the queue (Rasa answers them one after another anyway).
PARALLEL_TRACKER_READS = 4
RECENTLY_CLOSED = 10


def iso(moment: Optional[datetime.datetime]) -> Optional[str]:
    """A database time (UTC without a zone) as the browser reads it."""
    return moment.replace(tzinfo=datetime.timezone.utc).isoformat() if moment else None


def handoff_summary(handoff: Handoff) -> Dict[str, Any]:
    """The facts of a handoff that the queue and the conversation page show."""
    return {
        "id": handoff.id,
        "language": handoff.language,
        "language_name": language_name(handoff.language),
        "channel": handoff.channel,
        "status": handoff.status,
        "reason": handoff.reason,
        "outside_hours": handoff.outside_hours,
        "contact_consent": handoff.contact_consent,
        "topics_tried": list(handoff.topics_tried or []),
        "created_at": iso(handoff.created_at),
        "claimed_at": iso(handoff.claimed_at),
        "closed_at": iso(handoff.closed_at),
        "outcome": handoff.outcome,
        "counsellor_id": handoff.counsellor_id,
        "counsellor": handoff.counsellor.display_name if handoff.counsellor is not None else None,
    }


def note_summary(note: Note) -> Dict[str, Any]:
    return {
        "id": note.id,
        "text": note.text,
        "time": iso(note.created_at),
        "author": note.counsellor.display_name if note.counsellor is not None else None,
    }


# -- the queue ------------------------------------------------------------------------------


def _queue_lists(queue: HandoffQueue) -> Dict[str, List[Handoff]]:
    return {"waiting": queue.waiting(), "claimed": queue.claimed(), "closed": queue.recently_closed(RECENTLY_CLOSED)}


async def queue_state(queue: HandoffQueue, rasa: RasaClient) -> Dict[str, Any]:
    """Everyone's queue: waiting (longest first), claimed and recently closed handoffs.

    Open handoffs come with the user's last messages from Rasa; if Rasa
    cannot be read, they come without, and ``rasa_error`` says why.
    """
    lists = await run_in_threadpool(_queue_lists, queue)
    open_handoffs = lists["waiting"] + lists["claimed"]
    last, error = await _last_messages(rasa, [h.conversation_id for h in open_handoffs])
    rows = {}
    for handoff in open_handoffs:
        rows[handoff.id] = {**handoff_summary(handoff), "last_messages": last.get(handoff.conversation_id)}
    return {
        "waiting": [rows[h.id] for h in lists["waiting"]],
        "claimed": [rows[h.id] for h in lists["claimed"]],
        "closed": [handoff_summary(h) for h in lists["closed"]],
        "rasa_error": error,
    }


async def _last_messages(rasa: RasaClient, conversation_ids: Sequence[str]):
    """The last user messages of each conversation, and the kind of error if Rasa failed."""
    limit = asyncio.Semaphore(PARALLEL_TRACKER_READS)
    errors: List[str] = []

    async def read(conversation_id: str):
        async with limit:
            try:
                return conversation_id, last_user_texts(transcript(await rasa.events(conversation_id)), LAST_MESSAGES)
            except RasaError as error:
                errors.append(error.kind)
                return conversation_id, None

    results = await asyncio.gather(*(read(c) for c in dict.fromkeys(conversation_ids)))
    return dict(results), (errors[0] if errors else None)


def queue_view(state: Dict[str, Any], counsellor_id: int) -> Dict[str, Any]:
    """One counsellor's queue: the conversations they hold are "mine"."""
    return {
        "waiting": state["waiting"],
        "mine": [row for row in state["claimed"] if row["counsellor_id"] == counsellor_id],
        "closed": state["closed"],
        "rasa_error": state["rasa_error"],
    }


# -- one conversation -----------------------------------------------------------------------


async def conversation_state(queue: HandoffQueue, rasa: RasaClient, handoff_id: int) -> Dict[str, Any]:
    """A handoff with its notes and its transcript (``None`` if Rasa cannot be read just now)."""
    handoff = await run_in_threadpool(queue.get, handoff_id)
    if handoff is None:
        return {"handoff": None}
    try:
        messages: Optional[List[Dict[str, Any]]] = transcript(await rasa.events(handoff.conversation_id))
        error = None
    except RasaError as failure:
        messages, error = None, failure.kind
    return {
        "handoff": handoff_summary(handoff),
        "notes": [note_summary(n) for n in handoff.notes],
        "messages": messages,
        "rasa_error": error,
    }

"""A conversation as a counsellor reads it, built from the events of Rasa's tracker.

Who wrote a ``bot`` event is told by its structured element (see
:mod:`bot.handoff.messages`): a counsellor's own words carry an element of
type ``counsellor`` with event ``message``, a knowledge answer a counsellor
inserted carries ``"by": "counsellor"``; the notices sent when a counsellor
joins or leaves are the counsellor's too (``event`` says which). Every other
``bot`` event is the guide's. The guide's pause and resume are kept as marks,
so the counsellor sees from where on the guide was silent.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from bot.conversations.events import element_of, shown_text
from bot.handoff.messages import COUNSELLOR, MESSAGE

USER = "user"
GUIDE = "guide"
#: ``from`` of the guide's pause and resume marks (they have no text).
SYSTEM = "system"
PAUSED = "paused"
RESUMED = "resumed"

Message = Dict[str, Any]


def transcript(events: Iterable[Dict[str, Any]]) -> List[Message]:
    """The conversation's messages in order: ``{"from", "text", "time", ...}``.

    ``time`` is seconds since the epoch (UTC), as Rasa stamps its events.
    Counsellor messages have an ``event`` (``joined``, ``message``, ``left``
    or ``answer``); the guide's answers and inserted answers have a ``topic``.
    """
    messages: List[Message] = []
    for event in events:
        kind = event.get("event")
        if kind == "bot" and not event.get("text"):
            _label_answer(messages, event)
            continue
        message = (
            _user(event)
            if kind == "user"
            else _bot(event)
            if kind == "bot"
            else _mark(event, PAUSED)
            if kind == "pause"
            else _mark(event, RESUMED)
            if kind == "resume"
            else None
        )
        if message is not None:
            messages.append(message)
    return messages


def last_user_texts(messages: List[Message], count: int) -> List[str]:
    """The texts of the user's last ``count`` messages, oldest first."""
    return [m["text"] for m in messages if m["from"] == USER][-count:]


def _user(event: Dict[str, Any]) -> Optional[Message]:
    # A pressed button arrives as its payload ("/choose_language{...}"); the
    # web chat sends what the button showed, and that is what the user wrote.
    text = shown_text(event)
    if not text:
        return None
    return {"from": USER, "text": text, "time": event.get("timestamp")}


def _label_answer(messages: List[Message], event: Dict[str, Any]) -> None:
    """Mark the guide's last message with the topic its reply answered.

    The guide sends a reply's structured element as a message of its own,
    after the reply's text.
    """
    topic = element_of(event).get("topic")
    if topic and messages and messages[-1]["from"] == GUIDE and "topic" not in messages[-1]:
        messages[-1]["topic"] = topic


def _bot(event: Dict[str, Any]) -> Message:
    text = event["text"]
    custom = element_of(event)
    message: Message = {"from": GUIDE, "text": text, "time": event.get("timestamp")}
    if custom.get("type") == COUNSELLOR:
        message.update({"from": COUNSELLOR, "event": custom.get("event") or MESSAGE})
    elif custom.get("by") == COUNSELLOR:
        message.update({"from": COUNSELLOR, "event": "answer"})
    if custom.get("topic"):
        message["topic"] = custom["topic"]
    return message


def _mark(event: Dict[str, Any], what: str) -> Message:
    return {"from": SYSTEM, "event": what, "text": "", "time": event.get("timestamp")}

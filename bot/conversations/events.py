"""Reading a conversation's events (Rasa's JSON form) back.

Each reply of the guide carries one structured element (``custom``, see
``docs/answer-contract.md``), sent as a bot message of its own; a pressed
button arrives as its payload, with what the button showed in the message's
metadata. These functions are the one place that knows both.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

Event = Dict[str, Any]

#: What the widget showed in place of a button's payload (e.g. "Deutsch"),
#: sent in the user message's metadata so that transcripts show the same.
SHOWN_TEXT_METADATA_KEY = "shown_text"


def element_of(event: Event) -> Dict[str, Any]:
    """The structured element of a bot event; empty for other events and plain texts."""
    if event.get("event") != "bot":
        return {}
    custom = (event.get("data") or {}).get("custom")
    return custom if isinstance(custom, dict) else {}


def reply_elements(events: Iterable[Event]) -> List[Dict[str, Any]]:
    """The structured elements of the guide's replies in ``events``, oldest first."""
    return [element for element in map(element_of, events) if element]


def shown_text(event: Event) -> Optional[str]:
    """What the user saw as their own message: the button's title for a pressed button, else the text."""
    shown = (event.get("metadata") or {}).get(SHOWN_TEXT_METADATA_KEY)
    return shown if isinstance(shown, str) and shown else event.get("text")


def question_before_answer(events: Iterable[Event], topic: str, lang: str) -> Optional[str]:
    """The user's message that the conversation's last answer on ``topic`` in ``lang`` replied to.

    For a 👎 in the web chat, which names the answer but not the question.
    """
    question, found = None, None
    for event in events:
        if event.get("event") == "user":
            question = event.get("text")
        element = element_of(event)
        if element.get("type") == "answer" and element.get("topic") == topic and element.get("lang") == lang:
            found = question
    return found


def input_channels(events: Iterable[Event]) -> set:
    """The channels the user's messages came through."""
    return {e.get("input_channel") for e in events if e.get("event") == "user"}

"""A web chat conversation as the widget shows it, read back from the tracker store.

The widget shows the conversation again after a page reload or a dropped
connection. The tracker store is the one complete record (it also holds the
replies sent while the browser was away, e.g. a counsellor's), so the
history is built from its events rather than kept in the browser.

The messages have the shape the channel sends live (``text``,
``quick_replies``, ``custom``), plus ``from`` ("user" or "bot") and
``timestamp``, so the widget draws both with the same code.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional

from bot.conversations.events import element_of, input_channels, shown_text

#: Rasa's name of the web chat channel, as recorded on every user event.
CHANNEL_NAME = "socketio"
#: Conversation ids the web chat accepts: 32 hex digits, as ``uuid4().hex``.
#: Long enough not to be guessed, and never the id of a Telegram chat.
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def is_session_id(value: Any) -> bool:
    """Whether ``value`` is a web chat conversation id."""
    return isinstance(value, str) and bool(SESSION_ID.match(value))


def is_web_conversation(events: Iterable[Dict[str, Any]]) -> bool:
    """Whether every user message of the conversation came through the web chat.

    Only such conversations are shown to whoever knows their id: one begun
    on another channel (REST, Telegram) is not the web chat's to reveal.
    """
    return input_channels(events) <= {CHANNEL_NAME}


def history(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The user and bot messages of a conversation, in order, as the widget shows them."""
    messages = []
    for event in events:
        message = (
            _user_message(event)
            if event.get("event") == "user"
            else _bot_message(event)
            if event.get("event") == "bot"
            else None
        )
        if message:
            messages.append(message)
    return messages


def _user_message(event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    text = shown_text(event)
    if not text:
        return None
    return {"from": "user", "text": text, "timestamp": event.get("timestamp")}


def _bot_message(event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    data = event.get("data") or {}
    message: Dict[str, Any] = {"from": "bot", "timestamp": event.get("timestamp")}
    if event.get("text"):
        message["text"] = event["text"]
    buttons = data.get("buttons") or data.get("quick_replies")
    if buttons:
        message["quick_replies"] = [_quick_reply(b) for b in buttons if isinstance(b, dict)]
    if element_of(event):
        message["custom"] = element_of(event)
    return message if len(message) > 2 else None


def _quick_reply(button: Dict[str, Any]) -> Dict[str, Any]:
    """A button in the shape the socket.io channel sends live."""
    return {"content_type": "text", "title": button.get("title"), "payload": button.get("payload")}

"""The web chat widget's HTTP API, beside the socket.io channel under ``/webhooks/socketio/``.

- ``GET phrases``: the widget's labels in every language, from
  ``knowledge/phrases.yml``, so editors translate the widget like the guide;
- ``GET history/<session_id>``: the conversation so far, read from the tracker
  store, to show it again after a reload or a dropped connection;
- ``POST feedback`` ``{"session_id", "topic", "lang", "helpful"}``: a 👍/👎 vote
  on an answer, stored per topic and language; for a 👎, the question that got
  the answer is kept, masked, for the editors (both through :mod:`bot.feedback`).

Whoever knows a session id (32 hex digits, made by the server) may read that
conversation, as with Rasa's socket.io channel itself; conversations begun on
another channel are never shown (:func:`~bot.channels.webchat_history.is_web_conversation`).
A vote is taken only on an answer the conversation really received, so the
statistics cannot be filled with made-up topics.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.context import context_of
from bot.channels.webchat_history import history, is_session_id, is_web_conversation
from bot.conversations.events import reply_elements
from bot.language.supported import DEFAULT_LANGUAGE, ENDONYMS, RIGHT_TO_LEFT, SUPPORTED_LANGUAGES
from bot.replies import ANSWER

#: The phrases (``knowledge/phrases.yml``) the widget shows around the messages.
WIDGET_PHRASES = (
    "web_title",
    "web_open",
    "web_close",
    "web_placeholder",
    "web_send",
    "web_language",
    "web_typing",
    "web_reconnecting",
    "web_messages",
    "web_counsellor",
    "sources_label",
    "feedback_question",
    "feedback_helpful",
    "feedback_not_helpful",
    "feedback_thanks",
)


def add_routes(routes: Blueprint) -> None:
    """Add the widget's HTTP routes to the web chat channel's blueprint."""
    routes.add_route(_health, "/", methods=["GET"])
    routes.add_route(_phrases_route, "/phrases", methods=["GET"])
    routes.add_route(_history_route, "/history/<session_id>", methods=["GET"])
    routes.add_route(_feedback_route, "/feedback", methods=["POST"])


async def _health(request: Request) -> HTTPResponse:
    return response.json({"status": "ok"})


async def _phrases_route(request: Request) -> HTTPResponse:
    """The widget's labels in every language, its languages, and which are right to left."""
    phrases = context_of(request.app).phrases
    return response.json(
        {
            "default_language": DEFAULT_LANGUAGE,
            "languages": [
                {"code": code, "name": ENDONYMS[code], "rtl": code in RIGHT_TO_LEFT} for code in SUPPORTED_LANGUAGES
            ],
            "phrases": {key: {code: phrases.get(key, code) for code in SUPPORTED_LANGUAGES} for key in WIDGET_PHRASES},
        },
        headers={"Cache-Control": "public, max-age=300"},
    )


async def _history_route(request: Request, session_id: str) -> HTTPResponse:
    """The conversation's messages so far.

    A conversation that is new, unknown or not the web chat's has none: the
    answer is the same for all three, so it tells nothing about other channels.
    """
    events = await _web_conversation_events(request, session_id)
    return response.json(
        {"session_id": session_id, "messages": history(events or [])}, headers={"Cache-Control": "no-store"}
    )


async def _feedback_route(request: Request) -> HTTPResponse:
    """Store a vote on an answer the conversation really received."""
    vote = request.json if isinstance(request.json, dict) else {}
    topic, lang, helpful = vote.get("topic"), vote.get("lang"), vote.get("helpful")
    if not isinstance(topic, str) or lang not in SUPPORTED_LANGUAGES or not isinstance(helpful, bool):
        return response.json({"error": "expected session_id, topic, lang and helpful (true or false)"}, status=400)
    events = await _web_conversation_events(request, vote.get("session_id"))
    if events is None or not _was_answered(events, topic, lang):
        return response.json({"error": "no such answer in this conversation"}, status=404)
    feedback = context_of(request.app).feedback
    await asyncio.to_thread(feedback.vote, topic, lang, helpful)
    if not helpful:
        # The question goes to the editors' report, masked and without the session id.
        feedback.note_not_helpful(events, topic, lang)
    return response.json({"stored": True}, status=201)


async def _web_conversation_events(request: Request, session_id: Any) -> Optional[List[Dict[str, Any]]]:
    """The events of a web chat conversation as dicts; ``None`` if there is none such."""
    if not is_session_id(session_id):
        return None
    events = await context_of(request.app).conversations.events(session_id)
    return events if events is not None and is_web_conversation(events) else None


def _was_answered(events: List[Dict[str, Any]], topic: str, lang: str) -> bool:
    """Whether the conversation got an answer on ``topic`` in ``lang``: votes must be on real answers."""
    return any(
        element.get("type") == ANSWER and element.get("topic") == topic and element.get("lang") == lang
        for element in reply_elements(events)
    )

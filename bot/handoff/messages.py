"""What a counsellor's work looks like in the conversation: the Rasa events the console appends.

The console sends these through Rasa's HTTP API
(``POST /conversations/<id>/tracker/events?execute_side_effects=true&output_channel=latest``),
so each ``bot`` event is delivered on the user's channel *and* kept in the
tracker: the tracker stays the complete record of the conversation.

Every message a counsellor causes carries an element of type ``counsellor``
(besides an inserted knowledge answer, which keeps its ``answer`` element so
the user sees its sources). Its ``event`` says what happened: a counsellor
``joined``, wrote a ``message``, or ``left`` (handed back to the guide), so
that clients can show who is writing.
"""

from __future__ import annotations

from typing import Any, Dict, List

from bot.knowledge import KnowledgeBase, Phrases
from bot.replies import answer_element

COUNSELLOR = "counsellor"
JOINED = "joined"
MESSAGE = "message"
LEFT = "left"
#: Longest message a counsellor can send at once (Telegram splits longer texts anyway).
MAX_MESSAGE_CHARS = 4000

#: Rasa's event that lets the guide reply again after a counsellor's pause.
RESUME = {"event": "resume"}
#: The guide listens again. Rasa's rules expect a user message to follow
#: ``action_listen``; while paused, no action ran after the handoff.
LISTEN = {"event": "action", "name": "action_listen"}


def counsellor_element(lang: str, event: str) -> Dict[str, Any]:
    """The structured element of a message a counsellor caused."""
    return {"type": COUNSELLOR, "event": event, "lang": lang}


def bot_event(text: str, custom: Dict[str, Any]) -> Dict[str, Any]:
    """A ``bot`` event with one text and its element, as Rasa's API takes it."""
    return {"event": "bot", "text": text, "data": {"custom": custom}}


def joined(lang: str, phrases: Phrases) -> List[Dict[str, Any]]:
    """Events telling the user that a counsellor now answers."""
    return [bot_event(phrases.get("counsellor_joined", lang), counsellor_element(lang, JOINED))]


def counsellor_message(text: str, lang: str) -> List[Dict[str, Any]]:
    """Events with a counsellor's own words (sent as written: they are the counsellor's)."""
    text = text.strip()
    if not text:
        raise ValueError("An empty message cannot be sent.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValueError(f"A message may have up to {MAX_MESSAGE_CHARS} characters.")
    return [bot_event(text, counsellor_element(lang, MESSAGE))]


def knowledge_answer(topic_id: str, lang: str, knowledge: KnowledgeBase) -> List[Dict[str, Any]]:
    """Events with the checked answer of a knowledge topic, in the user's language.

    Raises:
        KeyError: if the knowledge base has no such topic.
    """
    topic = knowledge.topic(topic_id)
    element = {**answer_element(topic.topic, lang, topic.sources), "by": COUNSELLOR}
    return [bot_event(topic.answer(lang), element)]


def handed_back(lang: str, phrases: Phrases) -> List[Dict[str, Any]]:
    """Events that give the conversation back to the guide, and tell the user so."""
    return [RESUME, bot_event(phrases.get("handoff_returned", lang), counsellor_element(lang, LEFT)), LISTEN]

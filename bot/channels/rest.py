"""Rasa's REST channel, with one promise added: every message gets a reply.

When something behind the Rasa server fails (the action server is down or
restarting, the database is unreachable), Rasa logs the error and answers
with nothing, and the user is left waiting. This channel notices an empty
reply and sends a short apology instead, in the user's language and with the
structured element of a ``fallback`` reply, so clients can react to it too.
"""

from __future__ import annotations

import functools
import logging
from typing import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from bot.knowledge import Phrases, load_phrases
from bot.language.choice import choose_reply_language
from bot.language.detection import shared_detector
from bot.replies import fallback_element

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _phrases() -> Phrases:
    return load_phrases()


async def send_apology(message: UserMessage) -> None:
    """Tell the user, in their language, that the guide could not answer."""
    detection = shared_detector().detect(message.text or "")
    language = choose_reply_language(detection.as_dict() if detection else None).code
    await message.output_channel.send_text_message(message.sender_id, _phrases().get("error", language))
    await message.output_channel.send_custom_json(message.sender_id, fallback_element(language))


class RestInput(RasaRestInput):
    """``POST /webhooks/rest/webhook``: Rasa's REST channel that never answers with nothing."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def answer_or_apologise(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except Exception:  # noqa: BLE001 - any failure must still get a reply
                # Logged without the message: it may hold personal details.
                logger.exception("Handling a message of conversation %s failed.", message.sender_id)
            if not message.output_channel.messages:
                await send_apology(message)

        return super().blueprint(answer_or_apologise)

"""Every message gets a reply: an apology when nothing else could be sent.

When something behind the Rasa server fails (the action server is down or
restarting, the database is unreachable), Rasa logs the error and answers
with nothing, and the user is left waiting. The guide's channels handle
messages through :func:`answer_or_apologise`, which notices an empty reply and
sends a short apology instead, in the user's language and with the structured
element of a ``fallback`` reply, so clients can react to it too.

One empty reply is right: while a counsellor has the conversation (Rasa has
*paused* it, see :mod:`actions.handoff`) the guide stays silent, and the
user's messages wait for the counsellor.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

from bot.knowledge import shared_phrases
from bot.language.choice import choose_reply_language
from bot.language.detection import shared_detector
from bot.replies import fallback_element

logger = logging.getLogger(__name__)


async def send_apology(message: UserMessage) -> None:
    """Tell the user, in their language, that the guide could not answer."""
    detection = shared_detector().detect(message.text or "")
    language = choose_reply_language(detection.as_dict() if detection else None).code
    await message.output_channel.send_text_message(message.sender_id, shared_phrases().get("error", language))
    await message.output_channel.send_custom_json(message.sender_id, fallback_element(language))


def replied(output: OutputChannel) -> bool:
    """Whether anything reached the user through ``output``.

    Collecting channels (REST, socket.io) keep the messages; channels that send
    at once (Telegram) count them in ``sent``.
    """
    return bool(getattr(output, "messages", None)) or getattr(output, "sent", 0) > 0


async def answer_or_apologise(on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              message: UserMessage) -> None:
    """Handle a message; if nothing at all was sent back, apologise in the user's language."""
    try:
        await on_new_message(message)
    except Exception:  # noqa: BLE001 - any failure must still get a reply
        # Logged without the message: it may hold personal details.
        logger.exception("Handling a message of conversation %s failed.", message.sender_id)
    if not replied(message.output_channel) and not await conversation_paused(message.sender_id):
        await send_apology(message)


async def conversation_paused(sender_id: str) -> bool:
    """Whether a counsellor has the conversation, so that the guide is silent on purpose.

    Asks the Rasa server's agent; channels cannot be handed it (Rasa passes
    them only the message handler), but the server runs exactly one Sanic app.
    """
    try:
        agent = Sanic.get_app().ctx.agent
        tracker = await agent.tracker_store.retrieve(sender_id)
    except (SanicException, AttributeError):  # no Rasa server in this process (tests)
        return False
    except Exception:  # noqa: BLE001 - the tracker store is down: better an apology than silence
        logger.exception("Could not read conversation %s to see whether it is paused.", sender_id)
        return False
    return tracker is not None and tracker.is_paused()

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

from bot.channels.context import ChannelContext
from bot.language.choice import LANGUAGE_HINT_METADATA_KEY
from bot.replies import fallback_element

logger = logging.getLogger(__name__)


async def send_apology(message: UserMessage, context: ChannelContext) -> None:
    """Tell the user, in their language, that the guide could not answer."""
    hint = (message.metadata or {}).get(LANGUAGE_HINT_METADATA_KEY)
    language = await context.conversations.language(message.sender_id, hint)
    await message.output_channel.send_text_message(message.sender_id, context.phrases.get("error", language))
    await message.output_channel.send_custom_json(message.sender_id, fallback_element(language))


def replied(output: OutputChannel) -> bool:
    """Whether anything reached the user through ``output``.

    Collecting channels (REST, socket.io) keep the messages; channels that send
    at once (Telegram) count them in ``sent``.
    """
    return bool(getattr(output, "messages", None)) or getattr(output, "sent", 0) > 0


async def answer_or_apologise(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage, context: ChannelContext
) -> None:
    """Handle a message; if nothing at all was sent back, apologise in the user's language."""
    try:
        await on_new_message(message)
    except Exception:  # noqa: BLE001 - any failure must still get a reply
        # Logged without the message: it may hold personal details.
        logger.exception("Handling a message of conversation %s failed.", message.sender_id)
    if not replied(message.output_channel) and not await context.conversations.is_paused(message.sender_id):
        await send_apology(message, context)

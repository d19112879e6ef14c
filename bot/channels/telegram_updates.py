"""Reading Telegram's webhook calls: is it Telegram, and what did the user send?"""

from __future__ import annotations

import dataclasses
import hmac
import json
from typing import Optional

from telegram import Bot, CallbackQuery, Message, Update

#: The header in which Telegram repeats the secret given to ``setWebhook``.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class MalformedUpdate(ValueError):
    """The webhook received something that is not a Telegram update the guide can read."""


@dataclasses.dataclass(frozen=True)
class Incoming:
    """What the guide needs of one update: who wrote, and what.

    Attributes:
        chat_id: The chat, as a string: it is the Rasa conversation id.
        language_code: The language of the user's Telegram app, if known.
        text: The message text, for a text message.
        button_data: The ``callback_data`` of the pressed button, for a button press.
        callback_query_id: The button press to acknowledge.
        message_id: The message carrying the pressed button.
    """

    chat_id: str
    language_code: Optional[str]
    text: Optional[str] = None
    button_data: Optional[str] = None
    callback_query_id: Optional[str] = None
    message_id: Optional[int] = None


def parse_update(body: bytes, bot: Optional[Bot] = None) -> Optional[Incoming]:
    """Read a webhook body; ``None`` for updates the guide ignores (stickers, edits, ...).

    Raises:
        MalformedUpdate: if the body is not a Telegram update. Its message
            names only the kind of problem, never the content, which may be
            personal.
    """
    try:
        update = Update.de_json(json.loads(body), bot)
    except Exception as error:  # noqa: BLE001 - anything unreadable is the sender's fault
        raise MalformedUpdate(type(error).__name__) from error
    if not isinstance(update.update_id, int):
        raise MalformedUpdate("update_id is not a number")
    if update.callback_query:
        return _button_press(update.callback_query)
    if update.message and update.message.text is not None:
        return _text_message(update.message)
    return None


def _text_message(message: Message) -> Incoming:
    if not isinstance(message.text, str) or not isinstance(message.chat.id, int):
        raise MalformedUpdate("message text or chat id of the wrong type")
    user = message.from_user
    return Incoming(str(message.chat.id), user.language_code if user else None, text=message.text)


def _button_press(query: CallbackQuery) -> Optional[Incoming]:
    if query.message is None or query.data is None:
        return None  # a press on an inline-mode message or a game: nothing the guide sent
    if not isinstance(query.data, str) or not isinstance(query.message.chat.id, int):
        raise MalformedUpdate("button data or chat id of the wrong type")
    return Incoming(
        str(query.message.chat.id),
        query.from_user.language_code,
        button_data=query.data,
        callback_query_id=str(query.id),
        message_id=query.message.message_id,
    )


def same_secret(given: Optional[str], expected: str) -> bool:
    """Whether the header carries the webhook secret (compared in constant time)."""
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))

"""``/delete`` on Telegram: the user confirms with a button, then the conversation is erased.

Handled by the channel, not by NLU: erasing must work whatever the model
makes of the word, and the confirmation's buttons never reach Rasa.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.channels.context import ChannelContext
from bot.channels.telegram_format import CallbackPayloads
from bot.channels.telegram_output import TelegramOutput
from bot.channels.telegram_updates import Incoming

logger = logging.getLogger(__name__)

#: ``callback_data`` of the buttons confirming or cancelling ``/delete``.
CONFIRM_DELETE = f"{CallbackPayloads.CONTROL_PREFIX}delete:yes"
CANCEL_DELETE = f"{CallbackPayloads.CONTROL_PREFIX}delete:no"


def answers_the_question(incoming: Incoming) -> bool:
    """Whether a button press answers the "delete everything?" question."""
    return incoming.button_data in (CONFIRM_DELETE, CANCEL_DELETE)


class DeleteDialogue:
    """Asks "delete everything?" and carries out the answer, in the conversation's language."""

    def __init__(self, output: TelegramOutput, context: ChannelContext) -> None:
        self._output = output
        self._context = context

    async def ask(self, incoming: Incoming) -> None:
        language = await self._context.conversations.language(incoming.chat_id, incoming.language_code)
        phrases = self._context.phrases
        buttons = [
            {"title": phrases.get("button_yes", language), "callback_data": CONFIRM_DELETE},
            {"title": phrases.get("button_no", language), "callback_data": CANCEL_DELETE},
        ]
        await self._output.send_text_with_buttons(incoming.chat_id, phrases.get("delete_confirm", language), buttons)

    async def finish(self, incoming: Incoming) -> None:
        # The language is read before the conversation (and its language) is gone.
        language = await self._context.conversations.language(incoming.chat_id, incoming.language_code)
        await self._remove_buttons(incoming)
        phrase = "delete_cancelled"
        if incoming.button_data == CONFIRM_DELETE:
            try:
                removed = await self._context.conversations.erase(incoming.chat_id)
                logger.info("Deleted conversation %s on its user's request (%d events).", incoming.chat_id, removed)
                phrase = "delete_done"
            except Exception:  # noqa: BLE001 - the user must hear that it did not work
                logger.exception("Deleting conversation %s failed.", incoming.chat_id)
                phrase = "error"
        await self._output.send_text_message(incoming.chat_id, self._context.phrases.get(phrase, language))

    async def _remove_buttons(self, incoming: Incoming) -> None:
        """Take the yes/no buttons off the question, so it cannot be answered twice."""
        try:
            await self._output.bot.edit_message_reply_markup(
                chat_id=incoming.chat_id, message_id=incoming.message_id, reply_markup=None
            )
        except TelegramError as error:
            logger.info("Could not remove the buttons in conversation %s: %s", incoming.chat_id, error)

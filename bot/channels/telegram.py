"""The guide on Telegram: a Rasa input channel built on python-telegram-bot.

Rasa's own Telegram channel (``rasa.core.channels.telegram``) is built on
aiogram 2, drops the user's ``language_code`` and cannot push messages later
(its ``get_output_channel`` calls ``asyncio.run`` inside the running loop).
This one uses python-telegram-bot (PTB) for the Bot API and its types:

- ``POST /webhooks/telegram/webhook`` receives Telegram's updates. Telegram
  signs each call with the secret given to ``setWebhook``
  (``X-Telegram-Bot-Api-Secret-Token``); calls without it are refused. Text
  messages and button presses become Rasa user messages of the conversation
  ``str(chat id)``, with the user's app language as a hint in the metadata
  (see :mod:`bot.language.choice`).
- ``/delete`` is handled here, not by NLU: the user confirms with a button,
  then the conversation is erased (:mod:`bot.channels.telegram_delete`).
- :class:`~bot.channels.telegram_output.TelegramOutput` sends the guide's
  replies as HTML messages with inline keyboards, and an answer's sources as
  a list of links.

Reading and authenticating updates is :mod:`bot.channels.telegram_updates`;
this module only connects Telegram and Rasa.

The channel is configured in ``credentials.yml`` from environment variables
(``TELEGRAM_TOKEN``, ``TELEGRAM_WEBHOOK_SECRET``, optionally
``TELEGRAM_API_BASE_URL``). Without a token and secret it still loads and its
webhook answers 503, so the guide runs on its other channels.

Registering the bot with Telegram and long polling (for running without a
public URL) are commands of :mod:`bot.channels.telegram_cli`.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot
from telegram.error import TelegramError

from bot.channels.apology import answer_or_apologise
from bot.channels.context import ContextAttached
from bot.channels.telegram_delete import DeleteDialogue, answers_the_question
from bot.channels.telegram_format import CallbackPayloads
from bot.channels.telegram_output import TelegramOutput, make_bot
from bot.channels.telegram_updates import SECRET_HEADER, Incoming, MalformedUpdate, parse_update, same_secret
from bot.commands import DELETE, command_of
from bot.language.choice import LANGUAGE_HINT_METADATA_KEY

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram/webhook"

__all__ = ["SECRET_HEADER", "WEBHOOK_PATH", "TelegramInput"]


class TelegramInput(ContextAttached, InputChannel):
    """``POST /webhooks/telegram/webhook``: Telegram's updates in, the guide's replies out.

    Each update is answered before the webhook call returns, so Telegram
    sends a chat's next update only after the previous one was handled.
    Whatever fails while handling a message, the user gets an apology rather
    than silence, and Telegram gets a 200 so that it does not deliver the
    same update again.
    """

    def __init__(self, token: Optional[str], webhook_secret: Optional[str], api_base_url: Optional[str] = None) -> None:
        self.webhook_secret = webhook_secret or ""
        self.bot = make_bot(token, api_base_url) if token and self.webhook_secret else None
        self.payloads = CallbackPayloads()
        if token and not self.webhook_secret:
            logger.warning(
                "TELEGRAM_WEBHOOK_SECRET is not set, so Telegram stays off: without it anyone "
                "could post to the webhook. Its webhook answers 503."
            )
        elif not self.configured:
            logger.info("Telegram is not configured (TELEGRAM_TOKEN is not set); its webhook answers 503.")

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> TelegramInput:
        """The channel from ``credentials.yml``; empty values leave it unconfigured."""
        credentials = credentials or {}
        return cls(credentials.get("token"), credentials.get("webhook_secret"), credentials.get("api_base_url"))

    @property
    def configured(self) -> bool:
        """Whether a bot token and a webhook secret are set."""
        return self.bot is not None

    def get_output_channel(self) -> Optional[TelegramOutput]:
        """A channel to push messages with later (e.g. a counsellor's, via Rasa's HTTP API)."""
        return self._output() if self.bot else None

    def _output(self) -> TelegramOutput:
        return TelegramOutput(self._bot(), self.payloads, lambda: self.context.phrases)

    def _bot(self) -> Bot:
        if self.bot is None:
            raise RuntimeError("Telegram is not configured")
        return self.bot

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.configured})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            status, text = await self.handle_webhook(request.body, request.headers.get(SECRET_HEADER), on_new_message)
            return response.text(text, status=status)

        return self.attach_context(telegram_webhook)

    async def handle_webhook(
        self, body: bytes, secret: Optional[str], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Tuple[int, str]:
        """Handle one webhook call; returns the HTTP status and body to answer with.

        Args:
            body: The request body (an update, as JSON).
            secret: The secret token header, if any.
            on_new_message: Rasa's handler of user messages.
        """
        if not self.configured:
            return 503, "Telegram is not configured"
        if not same_secret(secret, self.webhook_secret):
            # Not logged: the body. It is not from Telegram, and may be anything.
            logger.warning("Refused a Telegram webhook call without the right secret token.")
            return 403, "Forbidden"
        try:
            incoming = parse_update(body, self.bot)
        except MalformedUpdate as error:
            logger.warning("Refused a malformed Telegram update (%s).", error)
            return 400, "Malformed update"
        if incoming is None:
            return 200, "ignored"
        try:
            await self._handle(incoming, on_new_message)
        except Exception:  # noqa: BLE001 - Telegram would deliver the same update again
            logger.exception("Handling a Telegram update of conversation %s failed.", incoming.chat_id)
        return 200, "ok"

    async def _handle(self, incoming: Incoming, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        if incoming.button_data is None:
            if command_of(incoming.text or "") == DELETE:
                await DeleteDialogue(self._output(), self.context).ask(incoming)
            else:
                await self._forward(incoming.text or "", incoming, on_new_message)
            return
        await self._acknowledge(incoming)
        if answers_the_question(incoming):
            await DeleteDialogue(self._output(), self.context).finish(incoming)
            return
        payload = self.payloads.payload_for(incoming.button_data)
        if payload is None:
            logger.warning("A button of conversation %s is no longer known (sent before a restart?).", incoming.chat_id)
            return
        await self._forward(payload, incoming, on_new_message)

    async def _forward(
        self, text: str, incoming: Incoming, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Pass a message to Rasa; apologise if no reply reached the user."""
        output = self._output()
        message = UserMessage(
            text,
            output,
            incoming.chat_id,
            input_channel=self.name(),
            metadata={LANGUAGE_HINT_METADATA_KEY: incoming.language_code},
        )
        try:
            await answer_or_apologise(on_new_message, message, self.context)
        except TelegramError:
            logger.exception("Telegram refused the apology to conversation %s.", incoming.chat_id)

    async def _acknowledge(self, incoming: Incoming) -> None:
        """Answer the button press: Telegram shows a spinner on the button until then."""
        try:
            await self._bot().answer_callback_query(incoming.callback_query_id or "")
        except TelegramError as error:
            # Too late (over 15 s) or already answered: the reply matters more.
            logger.info("Could not acknowledge a button press of conversation %s: %s", incoming.chat_id, error)

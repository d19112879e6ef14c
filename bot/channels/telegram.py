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
  then the conversation is erased from the Rasa server's tracker store.
- :class:`TelegramOutput` sends the guide's replies as HTML messages with
  inline keyboards, and an answer's sources as a list of links.

The channel is configured in ``credentials.yml`` from environment variables
(``TELEGRAM_TOKEN``, ``TELEGRAM_WEBHOOK_SECRET``, optionally
``TELEGRAM_API_BASE_URL``). Without a token and secret it still loads and its
webhook answers 503, so the guide runs on its other channels.

Registering the bot with Telegram and long polling (for running without a
public URL) are commands of :mod:`bot.channels.telegram_cli`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import hmac
import json
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError

from bot.channels.apology import answer_or_apologise
from bot.channels.telegram_format import (
    CallbackPayloads,
    keyboard,
    sources_html,
    split_text,
    to_html,
)
from bot.commands import DELETE, command_of
from bot.knowledge import shared_phrases
from bot.language.choice import LANGUAGE_HINT_METADATA_KEY
from bot.language.supported import DEFAULT_LANGUAGE, supported_code
from bot.privacy import delete_conversation
from bot.replies import ANSWER

if TYPE_CHECKING:
    from rasa.core.tracker_store import TrackerStore

logger = logging.getLogger(__name__)

#: The header in which Telegram repeats the secret given to ``setWebhook``.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
WEBHOOK_PATH = "/webhooks/telegram/webhook"
#: The slot with the conversation's language (set by ``actions.turn``).
LANGUAGE_SLOT = "language"
#: ``callback_data`` of the buttons confirming or cancelling ``/delete``.
CONFIRM_DELETE = f"{CallbackPayloads.CONTROL_PREFIX}delete:yes"
CANCEL_DELETE = f"{CallbackPayloads.CONTROL_PREFIX}delete:no"
#: A Bot API call refused for flooding is retried once if the wait is at most this long.
MAX_RETRY_AFTER_SECONDS = 30
_NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)


def make_bot(token: str, api_base_url: Optional[str] = None) -> Bot:
    """A PTB bot talking to ``api_base_url`` (a local stand-in in tests) or to Telegram."""
    # httpx logs every request's URL at INFO level, and a Bot API URL holds the token.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger("httpx").getEffectiveLevel()))
    return Bot(token, base_url=api_base_url or DEFAULT_API_BASE_URL)


class TelegramOutput(OutputChannel):
    """Sends the guide's replies to a Telegram chat.

    Texts are escaped for Telegram's HTML mode with their addresses linked, and
    split when longer than a Telegram message. Buttons become an inline
    keyboard under the (last part of the) text. Of the structured element
    (ANSWER-CONTRACT.md) only an answer's sources are shown, as links under a
    label; the rest is for machines and stays invisible in the chat.
    """

    def __init__(self, bot: Bot, payloads: CallbackPayloads) -> None:
        self.bot = bot
        self.payloads = payloads
        #: How many messages reached Telegram; 0 means the user saw no reply.
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_text(text):
            await self._send(recipient_id, to_html(piece))

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        # A keyboard needs a message to hang on; Telegram refuses empty ones.
        pieces = split_text(text) or ["…"]
        for piece in pieces[:-1]:
            await self._send(recipient_id, to_html(piece))
        await self._send(recipient_id, to_html(pieces[-1]), keyboard(buttons, self.payloads))

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        sources = json_message.get("sources") or []
        if json_message.get("type") != ANSWER or not sources:
            return
        language = supported_code(json_message.get("lang")) or DEFAULT_LANGUAGE
        await self._send(recipient_id, sources_html(shared_phrases().get("sources_label", language), sources))

    async def _send(self, chat_id: str, html_text: str, markup: Any = None) -> None:
        """Send one message; wait and retry once if Telegram asks to slow down."""
        try:
            await self._send_once(chat_id, html_text, markup)
        except RetryAfter as error:
            wait = seconds_of(error.retry_after)
            if wait > MAX_RETRY_AFTER_SECONDS:
                raise
            await asyncio.sleep(wait)
            await self._send_once(chat_id, html_text, markup)

    async def _send_once(self, chat_id: str, html_text: str, markup: Any) -> None:
        await self.bot.send_message(chat_id, html_text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                    link_preview_options=_NO_LINK_PREVIEW)
        self.sent += 1


def seconds_of(period: int | float | datetime.timedelta) -> float:
    """A Bot API wait time, given in seconds or as a timedelta, in seconds."""
    return period.total_seconds() if isinstance(period, datetime.timedelta) else float(period)


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
        return _button_press(update)
    if update.message and update.message.text is not None:
        return _text_message(update)
    return None


def _text_message(update: Update) -> Incoming:
    message = update.message
    if not isinstance(message.text, str) or not isinstance(message.chat.id, int):
        raise MalformedUpdate("message text or chat id of the wrong type")
    user = message.from_user
    return Incoming(str(message.chat.id), user.language_code if user else None, text=message.text)


def _button_press(update: Update) -> Optional[Incoming]:
    query = update.callback_query
    if query.message is None or query.data is None:
        return None  # a press on an inline-mode message or a game: nothing the guide sent
    if not isinstance(query.data, str) or not isinstance(query.message.chat.id, int):
        raise MalformedUpdate("button data or chat id of the wrong type")
    return Incoming(str(query.message.chat.id), query.from_user.language_code, button_data=query.data,
                    callback_query_id=str(query.id), message_id=query.message.message_id)


def same_secret(given: Optional[str], expected: str) -> bool:
    """Whether the header carries the webhook secret (compared in constant time)."""
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))


class TelegramInput(InputChannel):
    """``POST /webhooks/telegram/webhook``: Telegram's updates in, the guide's replies out.

    Each update is answered before the webhook call returns, so Telegram
    sends a chat's next update only after the previous one was handled.
    Whatever fails while handling a message, the user gets an apology rather
    than silence, and Telegram gets a 200 so that it does not deliver the
    same update again.
    """

    def __init__(self, token: Optional[str], webhook_secret: Optional[str],
                 api_base_url: Optional[str] = None) -> None:
        self.webhook_secret = webhook_secret or ""
        self.bot = make_bot(token, api_base_url) if token and self.webhook_secret else None
        self.payloads = CallbackPayloads()
        if token and not self.webhook_secret:
            logger.warning("TELEGRAM_WEBHOOK_SECRET is not set, so Telegram stays off: without it anyone "
                           "could post to the webhook. Its webhook answers 503.")
        elif not self.configured:
            logger.info("Telegram is not configured (TELEGRAM_TOKEN is not set); its webhook answers 503.")

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> TelegramInput:
        """The channel from ``credentials.yml``; empty values leave it unconfigured."""
        credentials = credentials or {}
        return cls(credentials.get("token"), credentials.get("webhook_secret"),
                   credentials.get("api_base_url"))

    @property
    def configured(self) -> bool:
        """Whether a bot token and a webhook secret are set."""
        return self.bot is not None

    def get_output_channel(self) -> Optional[TelegramOutput]:
        """A channel to push messages with later (e.g. a counsellor's, via Rasa's HTTP API)."""
        return TelegramOutput(self.bot, self.payloads) if self.bot else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.configured})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            status, text = await self.handle_webhook(request.body, request.headers.get(SECRET_HEADER),
                                                     on_new_message, agent)
            return response.text(text, status=status)

        return telegram_webhook

    async def handle_webhook(self, body: bytes, secret: Optional[str],
                             on_new_message: Callable[[UserMessage], Awaitable[Any]],
                             agent: Any = None) -> Tuple[int, str]:
        """Handle one webhook call; returns the HTTP status and body to answer with.

        Args:
            body: The request body (an update, as JSON).
            secret: The secret token header, if any.
            on_new_message: Rasa's handler of user messages.
            agent: The Rasa agent, whose tracker store ``/delete`` erases from.
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
            await self._handle(incoming, on_new_message, agent)
        except Exception:  # noqa: BLE001 - Telegram would deliver the same update again
            logger.exception("Handling a Telegram update of conversation %s failed.", incoming.chat_id)
        return 200, "ok"

    async def _handle(self, incoming: Incoming, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      agent: Any) -> None:
        if incoming.button_data is None:
            if command_of(incoming.text or "") == DELETE:
                await self._ask_to_delete(incoming, agent)
            else:
                await self._forward(incoming.text or "", incoming, on_new_message)
            return
        await self._acknowledge(incoming)
        if incoming.button_data in (CONFIRM_DELETE, CANCEL_DELETE):
            await self._finish_deletion(incoming, incoming.button_data == CONFIRM_DELETE, agent)
            return
        payload = self.payloads.payload_for(incoming.button_data)
        if payload is None:
            logger.warning("A button of conversation %s is no longer known (sent before a restart?).",
                           incoming.chat_id)
            return
        await self._forward(payload, incoming, on_new_message)

    async def _forward(self, text: str, incoming: Incoming,
                       on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Pass a message to Rasa; apologise if no reply reached the user."""
        output = TelegramOutput(self.bot, self.payloads)
        message = UserMessage(text, output, incoming.chat_id, input_channel=self.name(),
                              metadata={LANGUAGE_HINT_METADATA_KEY: incoming.language_code})
        try:
            await answer_or_apologise(on_new_message, message)
        except TelegramError:
            logger.exception("Telegram refused the apology to conversation %s.", incoming.chat_id)

    async def _acknowledge(self, incoming: Incoming) -> None:
        """Answer the button press: Telegram shows a spinner on the button until then."""
        try:
            await self.bot.answer_callback_query(incoming.callback_query_id)
        except TelegramError as error:
            # Too late (over 15 s) or already answered: the reply matters more.
            logger.info("Could not acknowledge a button press of conversation %s: %s",
                        incoming.chat_id, error)

    async def _ask_to_delete(self, incoming: Incoming, agent: Any) -> None:
        language = await conversation_language(agent, incoming.chat_id, incoming.language_code)
        phrases = shared_phrases()
        buttons = [
            {"title": phrases.get("button_yes", language), "callback_data": CONFIRM_DELETE},
            {"title": phrases.get("button_no", language), "callback_data": CANCEL_DELETE},
        ]
        output = TelegramOutput(self.bot, self.payloads)
        await output.send_text_with_buttons(incoming.chat_id, phrases.get("delete_confirm", language), buttons)

    async def _finish_deletion(self, incoming: Incoming, confirmed: bool, agent: Any) -> None:
        # The language is read before the conversation (and its language) is gone.
        language = await conversation_language(agent, incoming.chat_id, incoming.language_code)
        await self._remove_buttons(incoming)
        phrase = "delete_cancelled"
        if confirmed:
            try:
                removed = await erase_conversation(agent, incoming.chat_id)
                logger.info("Deleted conversation %s on its user's request (%d events).",
                            incoming.chat_id, removed)
                phrase = "delete_done"
            except Exception:  # noqa: BLE001 - the user must hear that it did not work
                logger.exception("Deleting conversation %s failed.", incoming.chat_id)
                phrase = "error"
        output = TelegramOutput(self.bot, self.payloads)
        await output.send_text_message(incoming.chat_id, shared_phrases().get(phrase, language))

    async def _remove_buttons(self, incoming: Incoming) -> None:
        """Take the yes/no buttons off the question, so it cannot be answered twice."""
        try:
            await self.bot.edit_message_reply_markup(chat_id=incoming.chat_id, message_id=incoming.message_id,
                                                     reply_markup=None)
        except TelegramError as error:
            logger.info("Could not remove the buttons in conversation %s: %s", incoming.chat_id, error)


async def conversation_language(agent: Any, chat_id: str, hint: Optional[str]) -> str:
    """The language the conversation is answered in; else the app's language; else English."""
    tracker = await agent.tracker_store.retrieve(chat_id) if agent is not None else None
    slot = tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None
    return supported_code(slot) or supported_code(hint) or DEFAULT_LANGUAGE


async def erase_conversation(agent: Any, chat_id: str) -> int:
    """Delete everything kept of one conversation: its tracker events and its handoffs.

    Holds the conversation's lock meanwhile, so that a message being handled
    at the same time cannot write the conversation back. Returns the number
    of events (SQL) or conversations (in memory) removed.

    Raises:
        RuntimeError: if there is no agent, or its tracker store is of a kind
            this cannot delete from.
    """
    from rasa.core.tracker_store import InMemoryTrackerStore  # imported by the Rasa server anyway

    if agent is None:
        raise RuntimeError("no Rasa agent is loaded")
    store = innermost_tracker_store(agent.tracker_store)
    async with agent.lock_store.lock(chat_id):
        forget_handoffs(chat_id)
        engine = getattr(store, "engine", None)
        if engine is not None:
            return delete_conversation(engine, chat_id)
        if isinstance(store, InMemoryTrackerStore):
            return int(store.store.pop(chat_id, None) is not None)
    raise RuntimeError(f"cannot delete conversations from a {type(store).__name__}")


def forget_handoffs(chat_id: str) -> None:
    """Delete the chat's handoffs to counsellors, with their notes, from the guide's database."""
    from bot.handoff import shared_queue

    shared_queue().delete_conversation(chat_id)


def innermost_tracker_store(store: "TrackerStore") -> "TrackerStore":
    """The tracker store that holds the data, under Rasa's wrappers.

    Rasa wraps the configured store in ``FailSafeTrackerStore`` and
    ``AwaitableTrackerStore``; both keep it in ``_tracker_store``.
    """
    while getattr(store, "_tracker_store", None) is not None:
        store = store._tracker_store
    return store

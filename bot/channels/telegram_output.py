"""Sending the guide's replies to a Telegram chat, with python-telegram-bot (PTB)."""

from __future__ import annotations

import asyncio
import datetime
import logging
from typing import Any, Callable, Dict, List, Optional

from rasa.core.channels.channel import OutputChannel
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from bot.channels.telegram_format import CallbackPayloads, keyboard, sources_html, split_text, to_html
from bot.knowledge import Phrases
from bot.language.supported import DEFAULT_LANGUAGE, supported_code
from bot.replies import ANSWER

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
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
    (docs/answer-contract.md) only an answer's sources are shown, as links under a
    label; the rest is for machines and stays invisible in the chat.
    """

    def __init__(self, bot: Bot, payloads: CallbackPayloads, phrases: Callable[[], Phrases]) -> None:
        self.bot = bot
        self.payloads = payloads
        self._phrases = phrases
        #: How many messages reached Telegram; 0 means the user saw no reply.
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_text(text):
            await self._send(recipient_id, to_html(piece))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
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
        await self._send(recipient_id, sources_html(self._phrases().get("sources_label", language), sources))

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
        await self.bot.send_message(
            chat_id, html_text, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=_NO_LINK_PREVIEW
        )
        self.sent += 1


def seconds_of(period: int | float | datetime.timedelta) -> float:
    """A Bot API wait time, given in seconds or as a timedelta, in seconds."""
    return period.total_seconds() if isinstance(period, datetime.timedelta) else float(period)

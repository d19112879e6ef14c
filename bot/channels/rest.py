"""Rasa's REST channel, extended to apologise instead of staying silent when a part fails."""

from __future__ import annotations

from typing import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from bot.channels.apology import answer_or_apologise
from bot.channels.context import ContextAttached


class RestInput(ContextAttached, RasaRestInput):
    """``POST /webhooks/rest/webhook``: Rasa's REST channel that never answers with nothing."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def answer(message: UserMessage) -> None:
            await answer_or_apologise(on_new_message, message, self.context)

        return self.attach_context(super().blueprint(answer))

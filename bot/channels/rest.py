"""Rasa's REST channel, with one promise added: every message gets a reply.

See :mod:`bot.channels.apology` for why and how.
"""

from __future__ import annotations

import functools
from typing import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from bot.channels.apology import answer_or_apologise


class RestInput(RasaRestInput):
    """``POST /webhooks/rest/webhook``: Rasa's REST channel that never answers with nothing."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        return super().blueprint(functools.partial(answer_or_apologise, on_new_message))

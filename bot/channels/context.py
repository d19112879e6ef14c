"""What the guide's channels need inside the Rasa server, built once per server.

Rasa creates the channels from ``credentials.yml`` and hands them only its
message handler, so their parts cannot be passed to their constructors.
Instead every channel's blueprint registers :func:`attach` to run before
the server starts: the first call builds a :class:`ChannelContext` from the
environment and keeps it on the Sanic app (``app.ctx.guide``), the others
find it there. Request handlers read it from ``request.app``; nothing is
reached through module globals.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sanic import Blueprint, Sanic

from bot.conversations.service import Conversations
from bot.feedback import EditorsFeedback
from bot.knowledge import LiveKnowledge, Phrases
from bot.storage import connect
from bot.storage.handoffs import HandoffQueue


@dataclasses.dataclass(frozen=True)
class ChannelContext:
    """The Rasa server's parts for its channels.

    Attributes:
        knowledge: The knowledge base as editors last saved it validly; its
            phrases label the web chat, the Telegram sources and apologies,
            and reload with it.
        conversations: Reading and erasing conversations.
        feedback: Where votes and 👎'd questions are kept for editors.
    """

    knowledge: LiveKnowledge
    conversations: Conversations
    feedback: EditorsFeedback

    @property
    def phrases(self) -> Phrases:
        """The guide's phrases as they are now."""
        return self.knowledge.current().phrases


def build_context(agent: Any) -> ChannelContext:
    """The channels' parts, with the guide's database from ``GUIDE_DATABASE_URL`` (migrated at start)."""
    engine = connect()
    knowledge = LiveKnowledge()
    knowledge.current()  # refuse to start on broken content, as the action server does
    return ChannelContext(knowledge, Conversations(agent, HandoffQueue(engine)), EditorsFeedback(engine))


def attach(app: Sanic, *_: Any) -> ChannelContext:
    """The app's channel context, built on the first call (a ``before_server_start`` listener)."""
    if getattr(app.ctx, "guide", None) is None:
        app.ctx.guide = build_context(_AgentOf(app))
    return app.ctx.guide


def context_of(app: Sanic) -> ChannelContext:
    """The channel context of a running app."""
    return app.ctx.guide


class _AgentOf:
    """The app's current Rasa agent: a new model (``PUT /model``) may replace it while the server runs."""

    def __init__(self, app: Sanic) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app.ctx.agent, name)


class ContextAttached:
    """A channel that gets the :class:`ChannelContext` when the server starts (``self.context``)."""

    _context: ChannelContext | None = None

    @property
    def context(self) -> ChannelContext:
        if self._context is None:
            raise RuntimeError("the channel's blueprint was not registered with a started server")
        return self._context

    def use_context(self, context: ChannelContext) -> None:
        """Give the channel its context directly, for a channel used without a Rasa server (tests)."""
        self._context = context

    def attach_context(self, blueprint: Blueprint) -> Blueprint:
        """Have ``blueprint`` give this channel the app's context before the server starts."""

        async def take_context(app: Sanic, *_: Any) -> None:
            self._context = attach(app)

        blueprint.listener("before_server_start")(take_context)
        return blueprint

"""The web chat: Rasa's socket.io channel, fixed and extended for the guide's widget.

Rasa's own channel (``rasa.core.channels.socketio``) has three faults this
one corrects:

- It calls ``sio.enter_room`` without ``await``. Since python-socketio 5.10
  that is a coroutine, so with ``session_persistence`` the browser never
  joins its conversation's room and no reply ever arrives (RasaHQ/rasa#13027).
  Here it is awaited, on the session request and again on every message,
  so a reconnected browser is back in its room even if its messages arrive
  before its session request.
- Its ``send_custom_json`` passes the element as keyword arguments to
  ``emit`` (which fails for the guide's ``{"type": ..., "topic": ...}``).
  Here it is sent as ``{"custom": {...}}``, as the answer contract has it.
- It splits texts at blank lines into several bubbles, which breaks Markdown
  lists and paragraphs apart. Here a text is one message.

It also carries what the widget (``widget/``) needs besides the socket: its
HTTP API under ``/webhooks/socketio/`` (history, feedback, labels:
:mod:`bot.channels.webchat_api`) and its files at ``/widget/``
(:mod:`bot.channels.widget_files`).

A conversation is identified by its session id (32 hex digits, made by the
server on the first session request and kept by the browser): knowing it is
what lets a browser continue and read a conversation, as with Rasa's channel.
Replies pushed later through Rasa's HTTP API (``output_channel=latest``, e.g.
a counsellor's) reach every browser tab of the conversation at once, through
:meth:`SocketIOInput.get_output_channel`. Rooms live in this process; several
Rasa replicas would need a shared socket.io client manager and sticky sessions.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint, Sanic
from socketio import AsyncServer

from bot.channels import webchat_api, widget_files
from bot.channels.apology import answer_or_apologise
from bot.channels.context import ContextAttached
from bot.channels.webchat_history import CHANNEL_NAME, is_session_id
from bot.conversations.events import SHOWN_TEXT_METADATA_KEY
from bot.language.choice import LANGUAGE_HINT_METADATA_KEY

logger = logging.getLogger(__name__)

#: Metadata a browser may attach to a message, and the longest value kept.
ALLOWED_METADATA = (LANGUAGE_HINT_METADATA_KEY, SHOWN_TEXT_METADATA_KEY)
MAX_METADATA_CHARS = 200


class SocketIOOutput(RasaSocketIOOutput):
    """Sends the guide's replies to every browser tab of a conversation (its room).

    Counts what it sent, so that the channel can tell when a message got no
    reply at all and apologise instead of leaving the user waiting.
    """

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, message: Any) -> None:
        await super()._send_message(socket_id, message)
        self.sent += 1

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text})

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: Any, **kwargs: Any) -> None:
        quick_replies = [
            {"content_type": "text", "title": b.get("title"), "payload": b.get("payload")} for b in buttons
        ]
        await self._send_message(recipient_id, {"text": text, "quick_replies": quick_replies})

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(ContextAttached, RasaSocketIOInput):
    """Rasa's socket.io input channel with the fixes and routes described above.

    Configured in ``credentials.yml`` like Rasa's (``user_message_evt``,
    ``bot_message_evt``, ``session_persistence``, ...); sessions are always
    persistent here, since the widget relies on them.
    """

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        """Where replies pushed later through Rasa's API go: the conversation's room."""
        if self.sio is None:  # no blueprint yet, or another worker process
            return None
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS stays with Sanic (rasa's --cors) for HTTP; [] keeps engine.io
        # from adding a second, conflicting set of CORS headers.
        if not self.session_persistence:
            logger.warning(
                "The web chat keeps conversations across reloads whatever "
                "'session_persistence' says in credentials.yml."
            )
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        self.sio = sio
        routes = _WebChatBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self._add_socket_handlers(sio, on_new_message)
        webchat_api.add_routes(routes)
        return self.attach_context(routes)

    def _add_socket_handlers(self, sio: AsyncServer, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        namespace = self.namespace

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            return self._authorised(auth)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Optional[Dict] = None) -> None:
            session_id = (data or {}).get("session_id")
            if not is_session_id(session_id):
                session_id = uuid.uuid4().hex
            await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def user_message(sid: str, data: Any) -> None:
            message = self._user_message(sio, data)
            if message is None:
                return
            await sio.enter_room(sid, message.sender_id, namespace=namespace)
            await answer_or_apologise(on_new_message, message, self.context)

    def _authorised(self, auth: Optional[Dict]) -> bool:
        """Whether a browser may connect: always, unless a JWT key is configured."""
        if not self.jwt_key:
            return True
        token = (auth or {}).get("token")
        return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

    def _user_message(self, sio: AsyncServer, data: Any) -> Optional[UserMessage]:
        """The Rasa message a browser's event stands for; ``None`` if it is not one."""
        if not isinstance(data, dict) or not is_session_id(data.get("session_id")):
            logger.warning("Ignored a web chat message without a valid session id.")
            return None
        text = data.get("message")
        return UserMessage(
            text if isinstance(text, str) else "",
            SocketIOOutput(sio, self.bot_message_evt),
            data["session_id"],
            input_channel=self.name(),
            metadata=_allowed_metadata(data.get(self.metadata_key)),
        )


class _WebChatBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint, which also serves the widget's files at ``/widget/``."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        super().register(app, options)
        if not (widget_files.WIDGET_DIR / "node_modules").is_dir():
            logger.warning(
                "The web chat widget's packages are missing: run 'npm ci' in %s (make install does).",
                widget_files.WIDGET_DIR,
            )
        app.blueprint(widget_files.blueprint())


def _allowed_metadata(metadata: Any) -> Dict[str, str]:
    """The metadata kept with a message: only known keys with short string values.

    Metadata is stored in the tracker with the message, so a browser must not
    be able to put anything else there.
    """
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return {}
    if not isinstance(metadata, dict):
        return {}
    return {
        key: value[:MAX_METADATA_CHARS]
        for key, value in metadata.items()
        if key in ALLOWED_METADATA and isinstance(value, str)
    }

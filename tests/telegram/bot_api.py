"""A local stand-in of the Telegram Bot API, for tests that run the real python-telegram-bot.

It answers the methods the guide calls with the JSON Telegram would send, keeps
every call, and hands out queued updates to ``getUpdates``. PTB sends its
parameters as a form (nested objects JSON-encoded) or, for some calls, as JSON;
both are understood.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import parse_qs

#: Parameters that PTB sends JSON-encoded inside a form.
_JSON_PARAMETERS = {"reply_markup", "commands", "link_preview_options", "allowed_updates", "scope", "reply_parameters"}
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Welcome Guide", "username": "welcome_guide_test_bot"}


class BotApiStandIn:
    """An HTTP server on 127.0.0.1 that plays Telegram's Bot API for one bot token.

    Attributes:
        calls: Every call as ``(method, parameters)``, in order.
        base_url: What to pass as PTB's ``base_url`` (the token is appended to it).
        refuse_messages: While true, ``sendMessage`` is refused as Telegram refuses it for a blocked bot.
    """

    refuse_messages = False

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: List[tuple[str, Dict[str, Any]]] = []
        self._pending_updates: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._message_ids = iter(range(1000, 10**9))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/bot"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> BotApiStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what the tests look at -------------------------------------------------

    def calls_of(self, method: str) -> List[Dict[str, Any]]:
        """The parameters of every call of ``method``."""
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def sent_to(self, chat_id: int | str) -> List[Dict[str, Any]]:
        """Every ``sendMessage`` to one chat, in order."""
        return [params for params in self.calls_of("sendMessage") if str(params["chat_id"]) == str(chat_id)]

    def queue_update(self, update: Dict[str, Any]) -> None:
        """An update for the next ``getUpdates``."""
        with self._lock:
            self._pending_updates.append(update)

    def wait_for(self, condition: Callable[[], Any], timeout: float = 60) -> Any:
        """Wait until ``condition()`` is true, and return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.1)
        raise TimeoutError("the expected Bot API calls did not arrive")

    # -- the API ----------------------------------------------------------------------

    def answer(self, method: str, params: Dict[str, Any]) -> tuple[int, Dict[str, Any]]:
        """The status and JSON Telegram would answer ``method`` with."""
        if method == "sendMessage" and self.refuse_messages:
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method in ("sendMessage", "editMessageText"):
            chat = {"id": int(params["chat_id"]), "type": "private", "first_name": "Test"}
            result = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            return 200, {"ok": True, "result": result}
        if method in ("answerCallbackQuery", "setMyCommands", "setWebhook", "deleteWebhook", "editMessageReplyMarkup"):
            return 200, {"ok": True, "result": True}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._updates_from(int(params.get("offset") or 0))}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def _updates_from(self, offset: int) -> List[Dict[str, Any]]:
        # Like Telegram: an offset confirms (and forgets) every earlier update.
        with self._lock:
            self._pending_updates = [u for u in self._pending_updates if u["update_id"] >= offset]
            pending = list(self._pending_updates)
        if not pending:
            time.sleep(0.2)  # a short "long poll"
        return pending

    def _record(self, method: str, params: Dict[str, Any]) -> None:
        with self._lock:
            self.calls.append((method, params))

    def _handler_class(self) -> type:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                prefix, _, method = self.path.rpartition("/")
                if prefix != f"/bot{stand_in.token}":
                    self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                params = _parameters(
                    self.headers.get("Content-Type", ""), self.rfile.read(int(self.headers.get("Content-Length") or 0))
                )
                stand_in._record(method, params)
                self._reply(*stand_in.answer(method, params))

            def _reply(self, status: int, body: Dict[str, Any]) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _parameters(content_type: str, body: bytes) -> Dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    params: Dict[str, Any] = {key: values[0] for key, values in parse_qs(body.decode("utf-8")).items()}
    for key in _JSON_PARAMETERS & params.keys():
        params[key] = json.loads(params[key])
    return params


def keyboard_of(sent: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The inline buttons of a sent message, row after row."""
    markup: Optional[Dict[str, Any]] = sent.get("reply_markup")
    return [button for row in (markup or {}).get("inline_keyboard", []) for button in row]

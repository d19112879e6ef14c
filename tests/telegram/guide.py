"""A real guide with Telegram switched on, and a local stand-in of the Bot API it talks to.

(Fixtures live here rather than in a ``conftest.py``: this folder cannot be a
package named ``telegram`` without hiding python-telegram-bot, and a second
top-level ``conftest`` module would hide ``tests/conftest.py``.)

The guide is started as ``make run`` starts it (``python -m bot.serve``, the
trained model from ``make train``), with ``TELEGRAM_API_BASE_URL`` pointing at
the stand-in, so the real python-telegram-bot code sends every reply over HTTP.
Tests post updates to the guide's webhook as Telegram would and read what
reached the "chat" from the stand-in.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from tests.e2e.conftest import running_guide, trained_model  # noqa: F401 - a fixture used here
from tests.telegram.bot_api import BotApiStandIn

PROJECT_DIR = Path(__file__).resolve().parents[2]
TOKEN = "987654:e2e-token-Zx9Qw"
SECRET = "e2e-webhook-secret"


class TelegramGuide:
    """The running guide, seen from Telegram's side."""

    def __init__(self, url: str, api: BotApiStandIn, var_dir: Path, log: Path) -> None:
        self.url = url
        self.api = api
        self.db = var_dir / "tracker.db"
        self.log = log
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)

    def post(self, update: Dict[str, Any] | bytes, secret: Optional[str] = SECRET) -> int:
        """Deliver one update to the webhook; returns the HTTP status."""
        body = update if isinstance(update, bytes) else json.dumps(update).encode("utf-8")
        headers = {"Content-Type": "application/json", **({SECRET_HEADER: secret} if secret else {})}
        request = urllib.request.Request(self.url + WEBHOOK_PATH, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def say(self, chat_id: int, text: str, language_code: Optional[str] = "de") -> List[Dict[str, Any]]:
        """The user writes ``text``; returns the messages the guide sent back."""
        return self._exchange(chat_id, self.text_update(chat_id, text, language_code))

    def press(self, chat_id: int, button: Dict[str, Any], language_code: Optional[str] = "de") -> List[Dict[str, Any]]:
        """The user presses ``button`` (as sent in a reply_markup); returns the replies."""
        return self._exchange(chat_id, self.button_update(chat_id, button["callback_data"], language_code))

    def _exchange(self, chat_id: int, update: Dict[str, Any]) -> List[Dict[str, Any]]:
        before = len(self.api.sent_to(chat_id))
        assert self.post(update) == 200
        return self.api.sent_to(chat_id)[before:]

    def text_update(self, chat_id: int, text: str, language_code: Optional[str]) -> Dict[str, Any]:
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "text": text,
                   "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                   "from": _user(chat_id, language_code)}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self._update_ids), "message": message}

    def button_update(self, chat_id: int, data: str, language_code: Optional[str]) -> Dict[str, Any]:
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "text": "…",
                   "chat": {"id": chat_id, "type": "private", "first_name": "Test"}, "from": _user(1, None)}
        query = {"id": f"query-{next(self._update_ids)}", "from": _user(chat_id, language_code),
                 "chat_instance": "instance", "data": data, "message": message}
        return {"update_id": next(self._update_ids), "callback_query": query}

    def stored_events(self, chat_id: int) -> int:
        """How many events the guide's tracker store keeps of the conversation."""
        with sqlite3.connect(self.db) as connection:
            return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (str(chat_id),)).fetchone()[0]


def _user(user_id: int, language_code: Optional[str]) -> Dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Test"}
    if language_code:
        user["language_code"] = language_code
    return user


@pytest.fixture(scope="module")
def bot_api() -> Iterator[BotApiStandIn]:
    with BotApiStandIn(TOKEN) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def telegram_guide(trained_model: Path, bot_api: BotApiStandIn, tmp_path_factory) -> Iterator[TelegramGuide]:
    var_dir = tmp_path_factory.mktemp("telegram-var")
    log = var_dir / "guide.log"
    env = {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_BASE_URL": bot_api.base_url}
    with running_guide(trained_model, var_dir, env, log) as running:
        yield TelegramGuide(running.url, bot_api, var_dir, log)

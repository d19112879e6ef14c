"""The console's test parts: a real database, the real app, and, where needed, a real guide and browser.

- Every test gets its own SQLite database, migrated as in production.
- Tests without Rasa give the console a :class:`RasaClient` pointed at a port
  where nothing listens, which is exactly what the console sees when the
  guide is down.
- The end-to-end tests share one real guide (``python -m bot.serve`` via
  :func:`running_guide`) for this folder, with Telegram switched on against
  the local Bot API stand-in, so that a reply can be followed to a Telegram
  chat and a failed delivery can be produced.
- The console is served by uvicorn on a free port for browsers and for
  clients racing each other; Starlette's TestClient serves the rest.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import uvicorn
from starlette.testclient import TestClient

from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from bot.console.app import create_app
from bot.console.rasa_client import RasaClient
from bot.handoff.settings import load_settings
from bot.knowledge import LiveKnowledge
from bot.storage import accounts, session_factory
from bot.storage.handoffs import HandoffQueue
from tests.e2e import conftest as e2e
from tests.telegram.bot_api import BotApiStandIn

#: The trained model (``make train``), as the other end-to-end tests get it.
trained_model = e2e.trained_model

PROJECT_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
API_TOKEN = "console-e2e-token"
TELEGRAM_TOKEN = "987654:console-e2e-Zx9Qw"
TELEGRAM_SECRET = "console-e2e-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the database and the app -----------------------------------------------------------


@pytest.fixture
def engine(guide_sqlite):
    """An empty, migrated SQLite database of the guide's own (see ``tests/conftest.py``)."""
    return guide_sqlite


def add_counsellor(engine, username: str, name: str, language: str = "en", password: str = PASSWORD) -> int:
    """A counsellor's account, as ``python -m bot.console.admin create`` makes it; returns its id."""
    with session_factory(engine).begin() as session:
        account = accounts.create_account(session, username, name, password, ui_language=language)
        session.flush()
        return account.id


@pytest.fixture
def counsellors(engine) -> Dict[str, int]:
    """Two counsellors: Anna (console in English) and Ben (in German)."""
    return {"anna": add_counsellor(engine, "anna", "Anna Schmidt", "en"),
            "ben": add_counsellor(engine, "ben", "Ben Yılmaz", "de")}


@pytest.fixture
def queue(engine) -> HandoffQueue:
    return HandoffQueue(engine)


def rasa_down() -> RasaClient:
    """A client of a Rasa server that is not running: nothing listens on its port."""
    return RasaClient(f"http://127.0.0.1:{free_port()}", "no-token")


def console_app(engine, rasa: RasaClient):
    return create_app(engine, rasa, load_settings(), LiveKnowledge().current, secure_cookies=False,
                      csrf_secret="console-test-secret")


@pytest.fixture
def app(engine):
    """The console, with the guide's Rasa server down."""
    return console_app(engine, rasa_down())


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def csrf_token(client: TestClient) -> str:
    """The CSRF token of the client's cookie, fetched from the login page if it has none yet."""
    if "csrftoken" not in client.cookies:
        client.get("/login")
    return client.cookies["csrftoken"]


def log_in(client: TestClient, username: str, password: str = PASSWORD):
    """Fill in and send the login form, as a browser would (token from the page's form)."""
    page = client.get("/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrftoken": token,
                                       "next": "/"})


def act(client: TestClient, path: str, **fields: str):
    """An action POST as the console's script sends it: form fields, token in the header."""
    return client.post(path, data=fields, headers={"x-csrftoken": csrf_token(client)})


# -- a console served over real HTTP ----------------------------------------------------


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port in a thread; yields its URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, timeout_graceful_shutdown=1, ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


# -- a real guide -----------------------------------------------------------------------


class TelegramStandIn(BotApiStandIn):
    """The Bot API stand-in, able to refuse deliveries as Telegram does for a blocked bot."""

    refuse_messages = False

    def answer(self, method: str, params: Dict[str, Any]):
        if method == "sendMessage" and self.refuse_messages:
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        return super().answer(method, params)


class Guide:
    """The running guide, as users reach it (REST, Telegram) and as the console does (its API)."""

    def __init__(self, url: str, telegram: TelegramStandIn) -> None:
        self.url = url
        self.telegram = telegram
        self._update_ids = iter(range(1, 10**9))

    def rasa(self) -> RasaClient:
        return RasaClient(self.url, API_TOKEN)

    def say(self, sender: str, text: str) -> List[dict]:
        """A user writes over the REST channel; returns the guide's replies."""
        return self._post("/webhooks/rest/webhook", {"sender": sender, "message": text})

    def say_on_telegram(self, chat_id: int, text: str) -> None:
        update = {"update_id": next(self._update_ids), "message": {
            "message_id": next(self._update_ids), "date": int(time.time()), "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "uk"}}}
        self._post(WEBHOOK_PATH, update, {SECRET_HEADER: TELEGRAM_SECRET})

    def pause(self, sender: str) -> None:
        """Stop the guide answering, as its handoff action does when it queues the conversation."""
        self._post(f"/conversations/{sender}/tracker/events?token={API_TOKEN}", [{"event": "pause"}])

    def events(self, sender: str) -> List[dict]:
        with urllib.request.urlopen(f"{self.url}/conversations/{sender}/tracker?token={API_TOKEN}",
                                    timeout=30) as response:
            return json.loads(response.read())["events"]

    def bot_events(self, sender: str) -> List[dict]:
        return [e for e in self.events(sender) if e["event"] == "bot" and e.get("text")]

    def _post(self, path: str, body: Any, headers: Dict[str, str] | None = None):
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode("utf-8"),
                                         headers={"Content-Type": "application/json", **(headers or {})})
        with urllib.request.urlopen(request, timeout=120) as response:
            is_json = response.headers.get_content_type() == "application/json"
            return json.loads(response.read()) if is_json else None


def new_sender() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="package")
def guide(trained_model: Path, tmp_path_factory) -> Iterator[Guide]:
    var_dir = tmp_path_factory.mktemp("console-guide")
    with TelegramStandIn(TELEGRAM_TOKEN) as telegram:
        env = {"RASA_API_TOKEN": API_TOKEN, "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
               "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET, "TELEGRAM_API_BASE_URL": telegram.base_url,
               # the guide's own handoff records go to a database of their own
               "GUIDE_DATABASE_URL": str(var_dir / "guide.db")}
        with e2e.running_guide(trained_model, var_dir, env, log=var_dir / "guide.log") as running:
            yield Guide(running.url, telegram)

"""Helpers of the end-to-end tests that are not fixtures: starting a guide, talking to it, waiting.

The fixtures that use them are in the ``conftest.py`` files (``tests/conftest.py``
starts the one guide most end-to-end tests share). Everything here is a plain
function or class, imported by test modules as ``from tests.support import ...``.

A guide is started as ``make run`` starts it (``python -m bot.serve``: Rasa
server, action server and counsellor console) on free ports, with a ``var/``
folder and a database of its own. Tests that share a guide use fresh
conversation ids (:func:`new_sender`, :func:`new_chat`) so they never meet.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from bot.serve import free_port, start_in_background, wait_until_up

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_DIR.parent / "shared"
MODEL = PROJECT_DIR / "models" / "guide.tar.gz"

#: The Rasa HTTP API token of every guide the tests start.
API_TOKEN = "e2e-token"
#: The Telegram settings of the shared guide (its Bot API is a local stand-in).
TELEGRAM_TOKEN = "987654:e2e-token-Zx9Qw"
TELEGRAM_SECRET = "e2e-webhook-secret"

#: Waiting for a reply of the guide (language detection, NLU, actions) on a busy machine.
REPLY_SECONDS = 120
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# -- ids, replies, waiting ------------------------------------------------------------------


def new_sender() -> str:
    """A conversation id no other test uses."""
    return uuid.uuid4().hex


#: Telegram chat ids: one series per test session, far from any other run's.
_chats = itertools.count(random.randrange(10**6, 10**9, 10**5))


def new_chat() -> int:
    """A Telegram chat id no other test of this session uses."""
    return next(_chats)


def element(reply: List[dict]) -> dict:
    """The one structured element of a reply (ANSWER-CONTRACT.md)."""
    customs = [m["custom"] for m in reply if "custom" in m]
    assert len(customs) == 1, reply
    return customs[0]


def texts(reply: List[dict]) -> List[str]:
    return [m["text"] for m in reply if "text" in m]


def eventually(
    condition: Callable[[], Any], timeout: float, interval: float = 0.2, message: str = "the condition was not met"
) -> Any:
    """Call ``condition`` until it returns something true (returned), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} within {timeout:.0f} s (last: {result!r})")
        time.sleep(interval)


#: What the action server's command line says (python -m actions.server), to find its process.
ACTION_SERVER = "actions.server"


def child_pid(parent: int, command_part: str) -> int:
    """The pid of ``parent``'s child process whose command line contains ``command_part``."""
    for task in Path(f"/proc/{parent}/task").iterdir():
        for pid in (task / "children").read_text().split():
            with contextlib.suppress(OSError):
                if command_part in Path(f"/proc/{pid}/cmdline").read_text():
                    return int(pid)
    raise LookupError(command_part)


def settings_file(folder: Path, open_now: bool) -> Path:
    """Handoff settings with office hours all day every day, or only on a day that is not today."""
    today = datetime.datetime.now(ZoneInfo("Europe/Berlin")).weekday()
    days = WEEKDAYS if open_now else [WEEKDAYS[(today + 2) % 7]]
    hours = "\n".join(f"  {day}: ['00:00-24:00']" for day in days)
    path = folder / ("open.yml" if open_now else "closed.yml")
    path.write_text(f"timezone: Europe/Berlin\noffice_hours:\n{hours}\n")
    return path


# -- a running guide --------------------------------------------------------------------------


@contextlib.contextmanager
def running_guide(
    model: Path, var_dir: Path, env: Optional[Dict[str, str]] = None, log: Optional[Path] = None
) -> Iterator["Guide"]:
    """Start the guide as ``make run`` does (``python -m bot.serve``) on free ports, and stop it after.

    Args:
        model: The trained model.
        var_dir: The guide's own folder for its databases (``guide.db`` is its database).
        env: Extra environment variables (channel settings, office hours, knowledge folder).
        log: A file for the servers' output (default: ``var_dir/guide.log``).

    Yields once the Rasa server (REST and socket.io channels) and the console answer.
    """
    port, actions_port, console_port = free_port(), free_port(), free_port()
    log = log or var_dir / "guide.log"
    # The database is named explicitly: a test may have set GUIDE_DATABASE_URL for itself.
    environment = {
        **os.environ,
        "RASA_API_TOKEN": API_TOKEN,
        "GUIDE_DATABASE_URL": str(var_dir / "guide.db"),
        **(env or {}),
    }
    with open(log, "wb") as output:
        process = start_in_background(model, var_dir, (port, actions_port, console_port), environment, output)
    try:
        url = f"http://127.0.0.1:{port}"
        console_url = f"http://127.0.0.1:{console_port}"
        for ready in (url + "/webhooks/rest/", url + "/webhooks/socketio/", console_url + "/health"):
            wait_until_up(ready, 300, {"guide": process})
        yield Guide(
            url,
            process,
            var_dir,
            console_url,
            log,
            environment["GUIDE_DATABASE_URL"],
            environment.get("HANDOFF_SETTINGS"),
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Guide:
    """A running guide, as users reach it (REST, socket.io pushes, Telegram) and as the console does (its API).

    Attributes:
        url: The Rasa server.
        process: ``python -m bot.serve``.
        var_dir: Its folder (``tracker.db``, ``guide.db``).
        console_url: The counsellor console.
        log: What its processes printed.
        database_url: Its database (handoffs, accounts, votes, unanswered questions).
        settings: Its handoff settings file (office hours), if the test gave one.
        telegram: The Bot API stand-in its Telegram channel talks to, if it has one.
        knowledge: Its knowledge folder, if it is not the checkout's.
    """

    def __init__(
        self,
        url: str,
        process: subprocess.Popen,
        var_dir: Path,
        console_url: str,
        log: Path,
        database_url: str,
        settings: Optional[str] = None,
    ) -> None:
        self.url = url
        self.process = process
        self.var_dir = var_dir
        self.console_url = console_url
        self.log = log
        self.database_url = database_url
        self.settings = Path(settings) if settings else None
        self.telegram: Any = None
        self.knowledge: Optional[Path] = None
        self._update_ids = itertools.count(random.randrange(10**6, 10**9))

    # -- users on the REST channel

    def ask(self, message: str, sender: str | None = None) -> List[dict]:
        """A user writes ``message`` (in a new conversation unless ``sender`` is given); the replies."""
        return self.say(sender or new_sender(), message)

    def say(self, sender: str, text: str) -> List[dict]:
        """A user writes over the REST channel; returns the guide's replies."""
        return self.post("/webhooks/rest/webhook", {"sender": sender, "message": text})

    # -- what a counsellor's tools do, over Rasa's HTTP API

    def events(self, sender: str) -> List[dict]:
        with urllib.request.urlopen(
            f"{self.url}/conversations/{sender}/tracker?token={API_TOKEN}", timeout=REPLY_SECONDS
        ) as response:
            return json.loads(response.read())["events"]

    def bot_events(self, sender: str) -> List[dict]:
        return [e for e in self.events(sender) if e["event"] == "bot" and e.get("text")]

    def pause(self, sender: str) -> None:
        """Stop the guide answering, as its handoff action does when it queues the conversation."""
        self.post(f"/conversations/{sender}/tracker/events?token={API_TOKEN}", [{"event": "pause"}])

    def send_events(self, sender: str, events: Sequence[Dict]) -> None:
        """Append events and deliver their bot messages to the user's channel, as the console does."""
        self.post(
            f"/conversations/{sender}/tracker/events?execute_side_effects=true&output_channel=latest&token={API_TOKEN}",
            list(events),
        )

    def push(self, sender: str, text: str) -> None:
        """Send a bot message into the conversation later, as a counsellor's tool would."""
        self.send_events(sender, [{"event": "bot", "text": text}])

    def rasa(self):
        """The console's client of this guide's Rasa server."""
        from bot.console.rasa_client import RasaClient

        return RasaClient(self.url, API_TOKEN)

    # -- Telegram

    def say_on_telegram(self, chat_id: int, text: str, language_code: str = "uk") -> None:
        """A Telegram user writes ``text``: the update is posted to the guide's webhook."""
        update = {
            "update_id": next(self._update_ids),
            "message": {
                "message_id": next(self._update_ids),
                "date": int(time.time()),
                "text": text,
                "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": language_code},
            },
        }
        self.post(WEBHOOK_PATH, update, {SECRET_HEADER: TELEGRAM_SECRET})

    # -- its databases

    def votes(self) -> List[Tuple[str, str, int]]:
        """The stored votes: (topic, language, helpful)."""
        with sqlite3.connect(self.var_dir / "guide.db") as connection:
            return connection.execute("SELECT topic, lang, helpful FROM feedback_votes ORDER BY id").fetchall()

    def discard_waiting_handoffs(self) -> None:
        """Forget the handoffs earlier tests left waiting, so that the console's queue shows only this test's."""
        from bot.storage import connect
        from bot.storage.handoffs import HandoffQueue

        engine = connect(self.database_url)
        try:
            queue = HandoffQueue(engine)
            for handoff in queue.waiting():
                queue.delete_conversation(handoff.conversation_id)
        finally:
            engine.dispose()

    # -- office hours

    def set_office_hours(self, open_now: bool) -> None:
        """Counsellors on duty (or not) from now on.

        The action server reads the settings once, at its start; so the
        settings file is rewritten and the action server is stopped, and
        ``bot.serve`` starts it again as after a crash. Nothing happens when
        the hours are already as asked.
        """
        assert self.settings, "this guide was started without a settings file of its own"
        wanted = settings_file(self.settings.parent, open_now).read_text()
        if self.settings.read_text() == wanted:
            return
        self.settings.write_text(wanted)
        parent = self.process.pid
        old = child_pid(parent, ACTION_SERVER)
        os.kill(old, signal.SIGTERM)

        def restarted() -> Optional[int]:
            try:
                new = child_pid(parent, ACTION_SERVER)
            except LookupError:
                return None
            return new if new != old else None

        new = eventually(restarted, 60, message="the action server was not started again")
        arguments = Path(f"/proc/{new}/cmdline").read_text().split("\0")
        port = arguments[arguments.index("--port") + 1]
        wait_until_up(f"http://127.0.0.1:{port}/health", 120, {"guide": self.process})

    # -- HTTP

    def post(self, path: str, body: Any, headers: Dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        with urllib.request.urlopen(request, timeout=REPLY_SECONDS) as response:
            is_json = response.headers.get_content_type() == "application/json"
            return json.loads(response.read()) if is_json else None


# -- the browser ------------------------------------------------------------------------------

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


class WatchedPage:
    """A browser page whose dialogs (an injected ``alert``) and script errors are recorded.

    Tests of what people see assert both stay empty: text shown as text runs nothing.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: List[str] = []
        self.errors: List[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def settle(self) -> None:
        """Wait until the page has drawn and its event loop is idle: what a message set off has run."""
        self.page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() => requestIdleCallback(() => done(), {timeout: 5000})))"
        )


def save_screenshot(page, folder: Path, name: str) -> None:
    """What ``page`` shows now, as ``folder/name.png`` (``make screenshots`` keeps them in docs/screenshots)."""
    page.screenshot(path=str(folder / f"{name}.png"))


# -- Telegram ---------------------------------------------------------------------------------


class TelegramGuide:
    """A running guide, seen from Telegram's side: updates posted to its webhook, replies read from the stand-in."""

    def __init__(self, guide: Guide, api) -> None:
        self.guide = guide
        self.url = guide.url
        self.api = api
        self.db = guide.var_dir / "tracker.db"
        self.log = guide.log
        self._update_ids = itertools.count(random.randrange(10**6, 10**9))
        self._message_ids = itertools.count(100)

    def post(self, update: Dict[str, Any] | bytes, secret: Optional[str] = TELEGRAM_SECRET) -> int:
        """Deliver one update to the webhook; returns the HTTP status."""
        import urllib.error

        body = update if isinstance(update, bytes) else json.dumps(update).encode("utf-8")
        headers = {"Content-Type": "application/json", **({SECRET_HEADER: secret} if secret else {})}
        request = urllib.request.Request(self.url + WEBHOOK_PATH, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=REPLY_SECONDS) as response:
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
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": _telegram_user(chat_id, language_code),
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self._update_ids), "message": message}

    def button_update(self, chat_id: int, data: str, language_code: Optional[str]) -> Dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "text": "…",
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": _telegram_user(1, None),
        }
        query = {
            "id": f"query-{next(self._update_ids)}",
            "from": _telegram_user(chat_id, language_code),
            "chat_instance": "instance",
            "data": data,
            "message": message,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def stored_events(self, chat_id: int) -> int:
        """How many events the guide's tracker store keeps of the conversation."""
        with sqlite3.connect(self.db) as connection:
            return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (str(chat_id),)).fetchone()[0]


def _telegram_user(user_id: int, language_code: Optional[str]) -> Dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Test"}
    if language_code:
        user["language_code"] = language_code
    return user

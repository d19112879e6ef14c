"""A Telegram user asks for a person; a counsellor takes over through the console's HTTP interface.

The session's shared guide (``python -m bot.serve``: Rasa, actions and the
console) with Telegram switched on against the local Bot API stand-in. The counsellor is an
HTTP client of the real console process, doing what its pages' scripts do:
log in with the CSRF token of the login form, then POST claim, reply, answer
and hand back with the token in the ``x-csrftoken`` header, and read the
queue and the conversation from the console's live streams (Server-Sent
Events). What is checked is what reaches the Telegram chat, and what the
console shows.

Office hours are read once per action server; the test outside office hours
asks for ``office_closed``, which changes the settings file and restarts the
action server (as ``bot.serve`` restarts a crashed one), so no other guide is
started for it.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from typing import Any, Callable, Dict, Iterator, List, Optional

import httpx
import pytest

from bot.channels.telegram_format import to_html
from bot.knowledge import load_knowledge
from tests.support import PROJECT_DIR, Guide, TelegramGuide, new_chat
from tests.telegram.bot_api import BotApiStandIn, keyboard_of

pytestmark = pytest.mark.e2e

COUNSELLOR = ("mehmet", "Mehmet Kaya")
PASSWORD = "a long enough password for the console"
#: How long the console's live streams may take to show a change (the queue polls every 2 s).
LIVE_SECONDS = 30


def phrase(key: str, language: str) -> str:
    return load_knowledge().phrases.get(key, language)


def texts(messages: List[Dict[str, Any]]) -> List[str]:
    return [m["text"] for m in messages]


def assert_sources_listed(message: Dict[str, Any], topic_id: str, language: str) -> None:
    """``message`` lists the topic's sources as links under the label in ``language``."""
    sources = load_knowledge().topic(topic_id).sources
    assert sources, topic_id
    assert message["text"].startswith(f"<b>{html.escape(phrase('sources_label', language))}</b>\n"), message
    for url in sources:
        assert f'<a href="{html.escape(url)}">' in message["text"]


def arrived(api: BotApiStandIn, chat: int, before: int, count: int = 1) -> List[Dict[str, Any]]:
    """The messages sent to ``chat`` after the first ``before``, once there are ``count`` of them."""
    api.wait_for(lambda: len(api.sent_to(chat)) >= before + count, timeout=LIVE_SECONDS)
    return api.sent_to(chat)[before:]


# -- the counsellor's side: the console over HTTP ---------------------------------------------


class ConsoleClient:
    """A counsellor using the running console over HTTP, as its pages do."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, follow_redirects=False, timeout=30)

    def close(self) -> None:
        self.client.close()

    def log_in(self, username: str, password: str) -> None:
        page = self.client.get("/login?lang=en")
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        answer = self.client.post(
            "/login", data={"username": username, "password": password, "csrftoken": token, "next": "/"}
        )
        assert answer.status_code == 303, answer.text
        assert self.client.get("/").status_code == 200

    def act(self, path: str, **fields: str) -> Dict[str, Any]:
        """An action POST (form fields, the CSRF token in the header); its JSON answer."""
        answer = self.client.post(
            path, data=fields, headers={"x-csrftoken": self.client.cookies["csrftoken"], "Accept": "application/json"}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def watch(self, path: str, condition: Callable[[Dict[str, Any]], Any], timeout: float = LIVE_SECONDS) -> Any:
        """Follow a live stream until a ``state`` event satisfies ``condition``; returns what it returned."""
        deadline = time.monotonic() + timeout
        last: Optional[Dict[str, Any]] = None
        with self.client.stream(
            "GET", path, headers={"Accept": "text/event-stream"}, timeout=httpx.Timeout(30, read=timeout)
        ) as response:
            assert response.status_code == 200
            event, data = None, []
            for line in response.iter_lines():
                if line.startswith("event:"):
                    event = line[len("event:") :].strip()
                elif line.startswith("data:"):
                    data.append(line[len("data:") :].strip())
                elif not line:
                    if event == "state":
                        last = json.loads("\n".join(data))
                        result = condition(last)
                        if result:
                            return result
                    event, data = None, []
                if time.monotonic() > deadline:
                    break
        raise AssertionError(f"{path} never showed what was expected; last state: {last}")

    def waiting(self, user_text: str, timeout: float = LIVE_SECONDS) -> Dict[str, Any]:
        """The waiting handoff whose last messages include ``user_text``, from the live queue."""

        def row(state):
            return next((r for r in state["waiting"] if user_text in (r["last_messages"] or [])), None)

        return self.watch("/queue/stream", row, timeout)

    def conversation(self, handoff_id: int, condition: Callable[[Dict[str, Any]], Any]) -> Any:
        return self.watch(f"/handoffs/{handoff_id}/stream", condition)


# -- the guide ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def counsellor_account(guide: Guide) -> str:
    """The account, made in the shared guide's database as an administrator makes it."""
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.console.admin",
            "--db",
            guide.database_url,
            "create",
            COUNSELLOR[0],
            "--name",
            COUNSELLOR[1],
            "--language",
            "en",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        text=True,
        cwd=PROJECT_DIR,
        capture_output=True,
        timeout=120,
    )
    assert made.returncode == 0 and "Created the account 'mehmet'" in made.stdout, made.stdout + made.stderr
    return COUNSELLOR[0]


@pytest.fixture
def console(guide: Guide, counsellor_account: str) -> Iterator[ConsoleClient]:
    client = ConsoleClient(guide.console_url)
    client.log_in(counsellor_account, PASSWORD)
    yield client
    client.close()


# -- the tests ---------------------------------------------------------------------------------


def test_a_counsellor_takes_over_a_turkish_telegram_chat_and_hands_it_back(
    office_open, telegram_guide: TelegramGuide, console, bot_api
):
    guide = telegram_guide
    chat = new_chat()
    topic = load_knowledge().topic("housing_deposit")
    request = "Bir danışmanla konuşmak istiyorum lütfen"
    queued = guide.say(chat, request, "tr")
    assert to_html(phrase("handoff_queued", "tr")) in texts(queued)

    # The guide is silent while the user waits: no answer, no apology.
    waiting_text = "Kira sözleşmem hakkında bir sorum var"
    assert guide.say(chat, waiting_text, "tr") == []

    row = console.waiting(waiting_text)
    assert (row["language"], row["language_name"], row["channel"]) == ("tr", "Türkçe (tr)", "telegram")
    assert not row["outside_hours"] and row["status"] == "queued"
    assert row["last_messages"][-2:] == [request, waiting_text]
    handoff = row["id"]

    before = len(bot_api.sent_to(chat))
    assert console.act(f"/handoffs/{handoff}/claim") == {"ok": True, "url": f"/handoffs/{handoff}"}
    assert texts(arrived(bot_api, chat, before)) == [to_html(phrase("counsellor_joined", "tr"))]

    # The counsellor's words arrive as written: markup shows as text (escaped for Telegram's HTML mode).
    reply = "Merhaba, ben Mehmet. Depozito < 3 aylık kira & <b>sözleşme</b> önemli."
    before = len(bot_api.sent_to(chat))
    assert console.act(f"/handoffs/{handoff}/reply", text=reply) == {"ok": True}
    sent = arrived(bot_api, chat, before)
    assert texts(sent) == [html.escape(reply, quote=False)]
    assert "<b>" not in sent[0]["text"] and sent[0]["parse_mode"] == "HTML"

    # A checked answer in the user's language, with its sources.
    before = len(bot_api.sent_to(chat))
    assert console.act(f"/handoffs/{handoff}/answer", topic="housing_deposit") == {"ok": True}
    sent = arrived(bot_api, chat, before, count=2)
    assert texts(sent)[0] == to_html(topic.answer("tr"))
    assert len(sent) == 2
    assert_sources_listed(sent[-1], "housing_deposit", "tr")

    # The user writes to the counsellor: the guide does not answer, the console shows it.
    answer_text = "Teşekkürler, sözleşmeyi yarın imzalıyorum"
    assert guide.say(chat, answer_text, "tr") == []
    state = console.conversation(
        handoff, lambda s: s if s["messages"] and s["messages"][-1]["text"] == answer_text else None
    )
    assert state["handoff"]["status"] == "claimed" and state["handoff"]["counsellor"] == COUNSELLOR[1]
    said = [(m["from"], m.get("event"), m["text"]) for m in state["messages"] if m["from"] != "system"]
    assert said[-5:] == [
        ("user", None, waiting_text),
        ("counsellor", "joined", phrase("counsellor_joined", "tr")),
        ("counsellor", "message", reply),
        ("counsellor", "answer", topic.answer("tr")),
        ("user", None, answer_text),
    ]

    # Handed back: the user is told, and the guide answers again.
    before = len(bot_api.sent_to(chat))
    assert console.act(f"/handoffs/{handoff}/handback", outcome="answered") == {
        "ok": True,
        "url": f"/handoffs/{handoff}?notice=handed_back",
    }
    assert texts(arrived(bot_api, chat, before)) == [to_html(phrase("handoff_returned", "tr"))]
    again = guide.say(chat, "Ev sahibi ne kadar depozito (Kaution) isteyebilir?", "tr")
    assert texts(again)[0] == to_html(topic.answer("tr"))
    assert_sources_listed(again[-1], "housing_deposit", "tr")

    closed = console.watch("/queue/stream", lambda s: next((r for r in s["closed"] if r["id"] == handoff), None))
    assert (closed["outcome"], closed["counsellor"], closed["status"]) == ("answered", COUNSELLOR[1], "closed")


def test_outside_office_hours_a_left_message_waits_in_the_queue(office_closed, telegram_guide: TelegramGuide, console):
    guide = telegram_guide
    chat = new_chat()
    offline = guide.say(chat, "أريد التحدث مع موظف من فضلك", "ar")
    before_time = phrase("handoff_offline", "ar").split("{back}")[0]
    assert offline[0]["text"].startswith(to_html(before_time)), offline
    buttons = keyboard_of(offline[-1])
    assert [b["text"] for b in buttons] == [
        phrase("button_leave_message", "ar"),
        phrase("button_leave_message_contact", "ar"),
        phrase("button_no_thanks", "ar"),
    ]

    prompt = guide.press(chat, buttons[0], "ar")
    assert texts(prompt) == [to_html(phrase("leave_message_prompt", "ar"))]
    message = "أحتاج موعدا لتسجيل عنواني في شتوتغارت، هل يمكنكم مساعدتي؟"
    assert guide.say(chat, message, "ar") == []  # no reply, no apology: it waits for a counsellor

    row = console.waiting(message)
    assert (row["language"], row["channel"], row["status"]) == ("ar", "telegram", "queued")
    assert row["outside_hours"] is True and row["contact_consent"] is False

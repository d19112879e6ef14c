"""The console against a real guide: what a counsellor sends reaches the user and stays in the record.

A conversation is started on a channel (Telegram through the local Bot API
stand-in, or REST), paused and queued as the guide's handoff action does,
and then worked through the console's HTTP interface.
"""

from __future__ import annotations

import asyncio
import html
from typing import Iterator

import pytest
from starlette.testclient import TestClient

from bot.console.views import conversation_state
from bot.knowledge import load_knowledge
from bot.storage.handoffs import CLAIMED, CLOSED
from tests.console.support import act, console_app, log_in
from tests.support import Guide, new_chat, new_sender

pytestmark = pytest.mark.e2e


@pytest.fixture
def console(engine, guide: Guide, counsellors) -> Iterator[TestClient]:
    with TestClient(console_app(engine, guide.rasa()), follow_redirects=False) as client:
        log_in(client, "anna")
        yield client


def telegram_handoff(guide: Guide, queue, language: str = "uk"):
    """A Telegram user who wrote to the guide and waits for a counsellor."""
    chat = new_chat()
    guide.say_on_telegram(chat, "Привіт")
    guide.pause(str(chat))
    return chat, queue.open_handoff(str(chat), "telegram", language, ["registration_where"])


def sent_to(guide: Guide, chat: int):
    return [html.unescape(message["text"]) for message in guide.telegram.sent_to(chat)]


def test_a_reply_reaches_the_telegram_user_and_stays_in_the_transcript(console, guide, queue):
    chat, handoff = telegram_handoff(guide, queue)
    claimed = act(console, f"/handoffs/{handoff.id}/claim")
    assert claimed.json() == {"ok": True, "url": f"/handoffs/{handoff.id}"}
    joined = load_knowledge().phrases.get("counsellor_joined", "uk")
    assert sent_to(guide, chat)[-1] == joined

    reply = "Добрий день! Я консультантка Welcome Center. Чим можу допомогти?"
    assert act(console, f"/handoffs/{handoff.id}/reply", text=reply).json() == {"ok": True}
    assert sent_to(guide, chat)[-1] == reply

    guide.say_on_telegram(chat, "Мені потрібна допомога з Anmeldung")  # the guide stays silent now
    state = asyncio.run(conversation_state(queue, guide.rasa(), handoff.id))
    shown = [(m["from"], m["text"]) for m in state["messages"] if m["from"] != "system"]
    assert shown[-3:] == [("counsellor", joined), ("counsellor", reply), ("user", "Мені потрібна допомога з Anmeldung")]
    assert sent_to(guide, chat)[-1] == reply


def test_a_failed_delivery_is_reported_and_nothing_changes(console, guide, queue):
    chat, handoff = telegram_handoff(guide, queue)
    act(console, f"/handoffs/{handoff.id}/claim")
    guide.telegram.refuse_messages = True
    try:
        refused = act(console, f"/handoffs/{handoff.id}/reply", text="Are you still there?")
        assert refused.status_code == 502
        error = refused.json()["error"]
        assert error.startswith("The message could not be delivered to the user; nothing was sent")
        assert "blocked by the user" in error
        handed_back = act(console, f"/handoffs/{handoff.id}/handback", outcome="no_reply")
        assert handed_back.status_code == 502
    finally:
        guide.telegram.refuse_messages = False
    assert "Are you still there?" not in [e["text"] for e in guide.bot_events(str(chat))]
    assert queue.get(handoff.id).status == CLAIMED
    # Once Telegram delivers again, the same text goes through.
    assert act(console, f"/handoffs/{handoff.id}/reply", text="Are you still there?").status_code == 200
    assert sent_to(guide, chat)[-1] == "Are you still there?"


def test_an_inserted_answer_is_sent_checked_and_in_the_users_language(console, guide, queue):
    sender = new_sender()
    guide.say(sender, "مرحبا")
    guide.pause(sender)
    handoff = queue.open_handoff(sender, "rest", "ar")
    act(console, f"/handoffs/{handoff.id}/claim")
    page = console.get(f"/handoffs/{handoff.id}").text
    assert "registration_where (registration)" in page  # offered in the topic list
    assert act(console, f"/handoffs/{handoff.id}/answer", topic="registration_where").json() == {"ok": True}
    topic = load_knowledge().topic("registration_where")
    last = guide.bot_events(sender)[-1]
    assert last["text"] == topic.answer("ar")
    assert last["data"]["custom"] == {
        "type": "answer",
        "topic": "registration_where",
        "lang": "ar",
        "sources": topic.sources,
        "by": "counsellor",
    }


def test_handing_back_closes_the_handoff_and_the_guide_answers_again(console, guide, queue):
    sender = new_sender()
    guide.say(sender, "Hallo")
    guide.pause(sender)
    handoff = queue.open_handoff(sender, "rest", "de")
    act(console, f"/handoffs/{handoff.id}/claim")
    assert guide.say(sender, "Sind Sie noch da?") == []  # paused: only the counsellor answers
    answer = act(console, f"/handoffs/{handoff.id}/handback", outcome="referred")
    assert answer.json() == {"ok": True, "url": f"/handoffs/{handoff.id}?notice=handed_back"}
    closed = queue.get(handoff.id)
    assert (closed.status, closed.outcome) == (CLOSED, "referred")
    assert guide.bot_events(sender)[-1]["text"] == load_knowledge().phrases.get("handoff_returned", "de")
    assert "resume" in [e["event"] for e in guide.events(sender)]
    assert guide.say(sender, "Wo melde ich meine Wohnung an?")  # the guide answers again
    page = console.get(answer.json()["url"]).text
    assert (
        "Handed back. The guide answers the user again." in page
        and "Closed by Anna Schmidt: Referred elsewhere" in page
    )

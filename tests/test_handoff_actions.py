"""Asking for a person: queued in office hours, a message left outside them, and the
guide's offer after it failed twice. The actions run against a real database."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Dict, List, Optional
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.handoff import ActionHandoff, ActionLeaveMessage
from bot.handoff.settings import load_settings
from bot.language.detection import Detection
from bot.storage import connect

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)
SATURDAY = datetime.datetime(2026, 11, 28, 11, 0, tzinfo=BERLIN)
CHRISTMAS_DAY = datetime.datetime(2026, 12, 25, 10, 0, tzinfo=BERLIN)
ANSWER_EVENT = {
    "event": "bot",
    "text": "…",
    "data": {"custom": {"type": "answer", "topic": "housing_deposit", "lang": "ar", "sources": []}},
}
FALLBACK_EVENT = {"event": "bot", "text": "…", "data": {"custom": {"type": "fallback", "lang": "ar"}}}


@pytest.fixture
def services(make_services, guide_database):
    """The action server's parts on an empty database (SQLite, and PostgreSQL when there is one)."""
    return make_services(guide_database)


def at(moment: datetime.datetime, services):
    """``services`` with the clock stopped at ``moment``."""
    return dataclasses.replace(services, now=lambda: moment)


def tracker(
    text: str,
    intent: str,
    lang: str = "ar",
    events: Optional[List[Dict]] = None,
    entities: Optional[List[Dict]] = None,
    sender: str = "chat-42",
) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "language": Detection(lang, 0.9, True, True).as_dict(),
    }
    events = [{"event": "user", "text": "hi", "input_channel": "telegram"}, *(events or [ANSWER_EVENT])]
    return Tracker(sender, {"language": lang}, message, events, False, None, None, "action_listen")


def run(action, tracker_: Tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    [custom] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    buttons = [b for m in dispatcher.messages for b in m.get("buttons") or []]
    return texts, custom, buttons, [e["event"] for e in events]


def test_in_office_hours_the_user_is_queued_and_the_guide_pauses(monkeypatch, services):
    services = at(MONDAY_MORNING, services)
    texts, custom, _, events = run(ActionHandoff(services), tracker("أريد التحدث مع شخص", "request_human"))
    assert custom == {"type": "handoff", "lang": "ar", "status": "queued", "waiting_for_counsellor": True}
    assert texts[0] == services.knowledge.current().phrases.get("handoff_queued", "ar")
    assert "pause" in events
    [waiting] = services.handoffs.waiting()
    assert (waiting.conversation_id, waiting.channel, waiting.language) == ("chat-42", "telegram", "ar")
    assert waiting.topics_tried == ["housing_deposit"] and waiting.reason == "asked"


@pytest.mark.parametrize(
    "moment, back",
    [(SATURDAY, "Montag, 30. November 2026, 09:00"), (CHRISTMAS_DAY, "Montag, 28. Dezember 2026, 09:00")],
)
def test_outside_office_hours_the_guide_says_when_counsellors_are_back(monkeypatch, moment, back, services):
    services = at(moment, services)
    texts, custom, buttons, events = run(ActionHandoff(services), tracker("Mensch bitte", "request_human", "de"))
    assert custom == {"type": "handoff", "lang": "de", "status": "offline"}
    assert back in texts[0]
    assert [b["payload"] for b in buttons] == ["/leave_message", '/leave_message{"contact_consent":"yes"}', "/deny"]
    assert "pause" not in events and services.handoffs.waiting() == []


def test_a_message_left_outside_office_hours_waits_in_the_queue_with_the_consent(monkeypatch, services):
    services = at(SATURDAY, services)
    consent = [{"entity": "contact_consent", "value": "yes"}]
    texts, custom, _, events = run(
        ActionLeaveMessage(services), tracker("/leave_message", "leave_message", "uk", entities=consent)
    )
    assert custom == {"type": "handoff", "lang": "uk", "status": "offline", "waiting_for_counsellor": True}
    assert texts[0] == services.knowledge.current().phrases.get("leave_message_contact_prompt", "uk")
    assert "pause" in events
    [waiting] = services.handoffs.waiting()
    assert waiting.outside_hours and waiting.contact_consent


def test_when_the_database_is_down_the_user_is_told_how_to_reach_a_person(monkeypatch, services):
    services = at(MONDAY_MORNING, services)
    services = dataclasses.replace(
        services, handoffs=type(services.handoffs)(connect("postgresql://nobody@127.0.0.1:1/nothing"))
    )
    texts, custom, _, events = run(ActionHandoff(services), tracker("human please", "request_human", "en"))
    assert custom == {"type": "handoff", "lang": "en", "status": "offline"}
    assert "Charlottenplatz 17" in texts[0]
    assert "pause" not in events  # nobody would ever answer


def test_after_failing_twice_in_a_row_the_guide_offers_a_counsellor(services):
    first = run(ActionFallback(services), tracker("blah", "nlu_fallback", "es", events=[ANSWER_EVENT]))
    assert first[2] == []
    texts, custom, buttons, _ = run(
        ActionFallback(services), tracker("blah blah", "nlu_fallback", "es", events=[ANSWER_EVENT, FALLBACK_EVENT])
    )
    assert custom == {"type": "fallback", "lang": "es"}
    assert services.knowledge.current().phrases.get("offer_counsellor", "es") in texts
    assert buttons[0]["payload"] == '/request_human{"handoff_reason":"offered"}'


def test_accepting_the_offer_is_recorded_as_offered(monkeypatch, services):
    services = at(MONDAY_MORNING, services)
    run(
        ActionHandoff(services),
        tracker("/request_human", "request_human", "es", entities=[{"entity": "handoff_reason", "value": "offered"}]),
    )
    assert services.handoffs.waiting()[0].reason == "offered"


def test_office_hours_follow_the_settings_file(tmp_path, monkeypatch):
    settings = tmp_path / "handoff.yml"
    settings.write_text("timezone: Europe/Berlin\noffice_hours:\n  saturday: ['10:00-14:00']\n")
    monkeypatch.setenv("HANDOFF_SETTINGS", str(settings))
    assert load_settings().office_hours.is_open(SATURDAY)
    settings.write_text("office_hours:\n  monday: ['14:00-09:00']\n")
    with pytest.raises(ValueError, match="end before they start"):
        load_settings()

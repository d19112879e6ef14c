"""A person takes over: the guide queues the user, stays silent, and answers again when
handed back. Real Rasa and action servers; the counsellor's side goes through
Rasa's HTTP API as the console sends it (the console's own tests drive it in Chromium)."""

from __future__ import annotations

import datetime
import json
import urllib.request
from pathlib import Path
from typing import Dict, List
from zoneinfo import ZoneInfo

import pytest

from bot.handoff import messages
from bot.knowledge import load_phrases
from bot.storage import connect
from bot.storage.handoffs import HandoffQueue
from tests.e2e.conftest import element, running_guide, texts

pytestmark = pytest.mark.e2e
TOKEN = "e2e-token"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def settings_file(folder: Path, open_now: bool) -> Path:
    """Office hours all day every day, or only on a day that is not today."""
    today = datetime.datetime.now(ZoneInfo("Europe/Berlin")).weekday()
    days = WEEKDAYS if open_now else [WEEKDAYS[(today + 2) % 7]]
    hours = "\n".join(f"  {day}: ['00:00-24:00']" for day in days)
    path = folder / ("open.yml" if open_now else "closed.yml")
    path.write_text(f"timezone: Europe/Berlin\noffice_hours:\n{hours}\n")
    return path


class Conversation:
    """One user on the REST channel, and what the counsellor console would do in it."""

    def __init__(self, running, sender: str) -> None:
        self.url = running.url
        self.sender = sender
        self.queue = HandoffQueue(connect(running.database_url))

    def say(self, text: str) -> List[dict]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def counsellor_sends(self, events: List[Dict]) -> None:
        request = urllib.request.Request(
            f"{self.url}/conversations/{self.sender}/tracker/events"
            f"?execute_side_effects=true&output_channel=latest&token={TOKEN}",
            data=json.dumps(events).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200

    def tracker_events(self) -> List[Dict]:
        with urllib.request.urlopen(f"{self.url}/conversations/{self.sender}/tracker?token={TOKEN}",
                                    timeout=60) as response:
            return json.loads(response.read())["events"]


@pytest.fixture(scope="module")
def office_open(trained_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("handoff-open")
    with running_guide(trained_model, folder, {"HANDOFF_SETTINGS": str(settings_file(folder, True))}) as running:
        yield running


def test_a_counsellor_takes_over_and_hands_back(office_open):
    user = Conversation(office_open, "handoff-de-1")
    assert element(user.say("Wie viel Kaution darf der Vermieter verlangen?"))["topic"] == "housing_deposit"

    reply = user.say("Ich möchte bitte mit einem Menschen sprechen")
    assert {**element(reply), "waiting_for_counsellor": True} == element(reply)
    assert element(reply)["type"] == "handoff" and element(reply)["status"] == "queued"
    assert element(reply)["lang"] == "de"
    handoff = user.queue.open_for("handoff-de-1")
    assert (handoff.language, handoff.channel, handoff.topics_tried) == ("de", "rest", ["housing_deposit"])

    # The guide is silent while the user waits: no answer, and no apology either.
    assert user.say("Wie viel Kaution darf der Vermieter verlangen?") == []
    assert user.say("Hallo? Ist da jemand?") == []

    phrases = load_phrases()
    user.counsellor_sends(messages.joined("de", phrases) + messages.counsellor_message("Guten Tag, hier ist Anna.", "de"))
    said = [e.get("text") for e in user.tracker_events() if e["event"] in ("user", "bot")]
    assert said[-3:] == ["Hallo? Ist da jemand?", phrases.get("counsellor_joined", "de"), "Guten Tag, hier ist Anna."]

    user.counsellor_sends(messages.handed_back("de", phrases))
    answer = element(user.say("Und wie viel Kaution ist erlaubt?"))
    assert answer["type"] == "answer" and answer["topic"] == "housing_deposit"


def test_after_two_misses_the_offer_of_a_counsellor_can_be_accepted(office_open):
    user = Conversation(office_open, "handoff-es-1")
    user.say("¿Cuál es la mejor receta de paella valenciana?")
    reply = user.say("¿Y qué vino combina con la paella?")
    buttons = [b for m in reply for b in m.get("buttons") or []]
    assert element(reply)["type"] == "fallback" and buttons, reply
    accepted = user.say(buttons[0]["payload"])
    assert element(accepted)["status"] == "queued" and element(accepted)["lang"] == "es"
    assert user.queue.open_for("handoff-es-1").reason == "offered"


def test_outside_office_hours_a_message_with_consent_waits_in_the_queue(trained_model, tmp_path):
    with running_guide(trained_model, tmp_path, {"HANDOFF_SETTINGS": str(settings_file(tmp_path, False))}) as running:
        user = Conversation(running, "handoff-uk-1")
        reply = user.say("Я хочу поговорити з консультантом")
        assert element(reply) == {"type": "handoff", "lang": "uk", "status": "offline"}
        assert user.queue.open_for("handoff-uk-1") is None
        payloads = [b["payload"] for m in reply for b in m.get("buttons") or []]
        left = user.say(payloads[1])  # leave a message and how to reach me
        assert element(left)["status"] == "offline" and element(left)["waiting_for_counsellor"]
        assert texts(left)[0] == load_phrases().get("leave_message_contact_prompt", "uk")
        assert user.say("Мій телефон 0711 123456, будь ласка, зателефонуйте") == []
        handoff = user.queue.open_for("handoff-uk-1")
        assert handoff.outside_hours and handoff.contact_consent

"""A person takes over: the guide queues the user, stays silent, and answers again when
handed back. Real Rasa and action servers; the counsellor's side goes through
Rasa's HTTP API as the console sends it (the console's own tests drive it in Chromium).

In office hours: the shared guide with counsellors on duty (``office_open``).
Outside: the plain guide (``tests/e2e/conftest.py``), whose counsellors are never on duty today."""

from __future__ import annotations

import json
import urllib.request
from typing import Dict, List

import pytest

from bot.handoff import messages
from bot.knowledge import load_phrases
from bot.storage import connect
from bot.storage.handoffs import HandoffQueue
from tests.support import API_TOKEN, element, new_sender, texts

pytestmark = pytest.mark.e2e


class Conversation:
    """One user on the REST channel, and what the counsellor console would do in it."""

    def __init__(self, running, sender: str | None = None) -> None:
        self.url = running.url
        self.sender = sender or new_sender()
        self.queue = HandoffQueue(connect(running.database_url))

    def say(self, text: str) -> List[dict]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(
            f"{self.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def counsellor_sends(self, events: List[Dict]) -> None:
        request = urllib.request.Request(
            f"{self.url}/conversations/{self.sender}/tracker/events"
            f"?execute_side_effects=true&output_channel=latest&token={API_TOKEN}",
            data=json.dumps(events).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200

    def tracker_events(self) -> List[Dict]:
        with urllib.request.urlopen(
            f"{self.url}/conversations/{self.sender}/tracker?token={API_TOKEN}", timeout=60
        ) as response:
            return json.loads(response.read())["events"]


def test_a_counsellor_takes_over_and_hands_back(office_open):
    user = Conversation(office_open)
    assert element(user.say("Wie viel Kaution darf der Vermieter verlangen?"))["topic"] == "housing_deposit"

    reply = user.say("Ich möchte bitte mit einem Menschen sprechen")
    assert {**element(reply), "waiting_for_counsellor": True} == element(reply)
    assert element(reply)["type"] == "handoff" and element(reply)["status"] == "queued"
    assert element(reply)["lang"] == "de"
    handoff = user.queue.open_for(user.sender)
    assert (handoff.language, handoff.channel, handoff.topics_tried) == ("de", "rest", ["housing_deposit"])

    # The guide is silent while the user waits: no answer, and no apology either.
    assert user.say("Wie viel Kaution darf der Vermieter verlangen?") == []
    assert user.say("Hallo? Ist da jemand?") == []

    phrases = load_phrases()
    user.counsellor_sends(
        messages.joined("de", phrases) + messages.counsellor_message("Guten Tag, hier ist Anna.", "de")
    )
    said = [e.get("text") for e in user.tracker_events() if e["event"] in ("user", "bot")]
    assert said[-3:] == ["Hallo? Ist da jemand?", phrases.get("counsellor_joined", "de"), "Guten Tag, hier ist Anna."]

    user.counsellor_sends(messages.handed_back("de", phrases))
    answer = element(user.say("Und wie viel Kaution ist erlaubt?"))
    assert answer["type"] == "answer" and answer["topic"] == "housing_deposit"


def test_after_two_misses_the_offer_of_a_counsellor_can_be_accepted(office_open):
    user = Conversation(office_open)
    user.say("¿Cuál es la mejor receta de paella valenciana?")
    reply = user.say("¿Y qué vino combina con la paella?")
    buttons = [b for m in reply for b in m.get("buttons") or []]
    assert element(reply)["type"] == "fallback" and buttons, reply
    accepted = user.say(buttons[0]["payload"])
    assert element(accepted)["status"] == "queued" and element(accepted)["lang"] == "es"
    assert user.queue.open_for(user.sender).reason == "offered"


def test_outside_office_hours_a_message_with_consent_waits_in_the_queue(plain_guide):
    user = Conversation(plain_guide)
    reply = user.say("Я хочу поговорити з консультантом")
    assert element(reply) == {"type": "handoff", "lang": "uk", "status": "offline"}
    assert user.queue.open_for(user.sender) is None
    payloads = [b["payload"] for m in reply for b in m.get("buttons") or []]
    left = user.say(payloads[1])  # leave a message and how to reach me
    assert element(left)["status"] == "offline" and element(left)["waiting_for_counsellor"]
    assert texts(left)[0] == load_phrases().get("leave_message_contact_prompt", "uk")
    assert user.say("Мій телефон 0711 123456, будь ласка, зателефонуйте") == []
    handoff = user.queue.open_for(user.sender)
    assert handoff.outside_hours and handoff.contact_consent

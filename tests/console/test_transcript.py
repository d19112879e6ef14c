"""The transcript tells who wrote what: the user, the guide, or a counsellor.

The counsellor's events are made by the same functions the console sends
(``bot.handoff.messages``); the guide's and the user's have the shape Rasa's
tracker API returns. ``test_with_guide.py`` reads real trackers.
"""

from __future__ import annotations

from bot.console.transcript import last_user_texts, transcript
from bot.handoff import messages
from bot.knowledge import load_knowledge


def stamped(events, start=1700000000.0):
    return [{**event, "timestamp": start + n} for n, event in enumerate(events)]


def test_user_guide_and_counsellor_messages_are_told_apart():
    knowledge = load_knowledge()
    events = stamped(
        [
            {"event": "action", "name": "action_listen"},
            {
                "event": "user",
                "text": '/choose_language{"language": "ar"}',
                "input_channel": "socketio",
                "metadata": {"shown_text": "العربية"},
            },
            {"event": "bot", "text": "أين أسجل عنواني؟", "data": {"custom": None}},
            {"event": "bot", "data": {"custom": {"type": "answer", "topic": "registration_where", "lang": "ar"}}},
            {"event": "pause"},
            {"event": "user", "text": "<b>hello</b>", "input_channel": "socketio"},
            *messages.joined("ar", knowledge.phrases),
            *messages.counsellor_message("Guten Tag!", "ar"),
            *messages.knowledge_answer("housing_deposit", "ar", knowledge),
            *messages.handed_back("ar", knowledge.phrases),
        ]
    )
    shown = transcript(events)
    assert [(m["from"], m.get("event"), m.get("topic")) for m in shown] == [
        ("user", None, None),
        ("guide", None, "registration_where"),
        ("system", "paused", None),
        ("user", None, None),
        ("counsellor", "joined", None),
        ("counsellor", "message", None),
        ("counsellor", "answer", "housing_deposit"),
        ("system", "resumed", None),
        ("counsellor", "left", None),
    ]
    assert shown[0]["text"] == "العربية"  # what the button showed, not its payload
    assert shown[3]["text"] == "<b>hello</b>"  # kept as written: the page shows it as text
    assert shown[6]["text"] == knowledge.topic("housing_deposit").answer("ar")
    assert shown[0]["time"] == 1700000001.0


def test_the_queue_shows_the_users_last_three_messages():
    events = stamped(
        [{"event": "user", "text": f"message {n}"} for n in range(5)] + [{"event": "bot", "text": "reply"}]
    )
    assert last_user_texts(transcript(events), 3) == ["message 2", "message 3", "message 4"]

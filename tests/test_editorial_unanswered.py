"""What the guide could not answer is kept for editors, without personal data, and grouped."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import logging
import types
from typing import Optional

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from bot.channels import webchat_api
from bot.channels.context import ChannelContext
from bot.conversations.service import Conversations
from bot.editorial.grouping import group_questions
from bot.feedback import EditorsFeedback
from bot.language.detection import Detection
from bot.storage import connect, unanswered, upgrade
from bot.storage.handoffs import HandoffQueue
from bot.storage.masking import mask_personal_data
from bot.storage.unanswered import (
    LOW_CONFIDENCE,
    NOT_HELPFUL,
    OUT_OF_SCOPE,
    UnansweredQuestion,
    read_unanswered,
    record_unanswered,
)

#: The day the tests stamp: a fixed one, so no test depends on when it runs (issue: midnight).
TODAY = datetime.date(2026, 12, 8)


def on_test_day() -> datetime.date:
    return TODAY


@pytest.mark.parametrize(
    "text, kept, gone",
    [
        ("Hallo, ich heiße Anna Schmidt und brauche eine Wohnung", "ich heiße [name] und brauche eine Wohnung", "Anna"),
        ("my name is John, where is the Buergerbuero?", "my name is [name], where is the Buergerbuero?", "John"),
        ("Benim adım Ayşe, kayıt nasıl yapılır", "Benim adım [name], kayıt nasıl yapılır", "Ayşe"),
        ("اسمي محمد وأريد التسجيل", "اسمي [name] وأريد التسجيل", "محمد"),
        ("Мене звати Олена, як зареєструватися", "Мене звати [name], як зареєструватися", "Олена"),
        ("Me llamo Carlos y necesito ayuda", "Me llamo [name] y necesito ayuda", "Carlos"),
        ("Frau Müller vom Amt sagt nein", "Frau [name]", "Müller"),
        ("Kita Platz wie lange warten? Grüße, Maria", "wie lange warten? Grüße, [name]", "Maria"),
        ("mail me at anna.schmidt@example.org please", "mail me at [email] please", "anna.schmidt"),
        ("ruf mich an 0151 23456789", "ruf mich an [phone]", "23456789"),
        ("my number is +49 711 2169 1857", "my number is [phone]", "2169"),
        ("Steuer-ID 12 345 678 901 wo finde ich die", "Steuer-ID [number] wo finde ich die", "678"),
        ("IBAN DE89 3704 0044 0532 0130 00 für die Kaution", "IBAN [number] für die Kaution", "3704"),
        ("geboren am 12.03.1985, brauche ich ein Visum", "geboren am [date], brauche ich ein Visum", "1985"),
        ("ich wohne Königstraße 12a, Anmeldung wo?", "ich wohne [address], Anmeldung wo?", "Königstraße"),
        ("schreib mir @anna_x auf telegram", "schreib mir [name] auf telegram", "anna_x"),
    ],
)
def test_personal_data_is_masked_in_every_language(text, kept, gone):
    masked = mask_personal_data(text)
    assert kept in masked
    assert gone not in masked


@pytest.mark.parametrize(
    "text",
    ["kaution 3 monate", "wie viel kostet 1 Jahr Kita", "Termin am 1. Mai 2026", "Blue Card 2026 Gehalt", "§ 551 BGB"],
)
def test_ordinary_questions_stay_as_they_were(text):
    assert mask_personal_data(text) == text


def test_a_question_is_stored_masked_with_nothing_that_leads_to_the_person(guide_database):
    assert record_unanswered(
        guide_database,
        "My name is John Smith, call me on 0151 23456789: dog tax?",
        "en",
        LOW_CONFIDENCE,
        today=on_test_day,
    )
    columns = {c.name for c in unanswered.unanswered_questions.columns}
    assert columns == {"id", "text", "lang", "reason", "topic", "day"}, "no conversation or user id, no time"
    [question] = read_unanswered(guide_database)
    assert question == UnansweredQuestion(
        "My name is [name], call me on [phone]: dog tax?", "en", LOW_CONFIDENCE, None, TODAY
    )


def test_commands_and_empty_messages_are_not_questions(guide_database):
    assert not record_unanswered(guide_database, "   ", "de", LOW_CONFIDENCE)
    assert not record_unanswered(guide_database, "/start", "de", LOW_CONFIDENCE)
    assert read_unanswered(guide_database) == []


def test_old_questions_can_be_forgotten(guide_database):
    record_unanswered(
        guide_database, "Hundesteuer?", "de", OUT_OF_SCOPE, today=lambda: TODAY - datetime.timedelta(days=400)
    )
    record_unanswered(guide_database, "Angelschein?", "de", OUT_OF_SCOPE, today=on_test_day)
    assert unanswered.forget_unanswered(guide_database, TODAY - datetime.timedelta(days=365)) == 1
    assert [q.text for q in read_unanswered(guide_database)] == ["Angelschein?"]


def _tracker(text: str, intent: str, language: str = "de") -> Tracker:
    detection = Detection(language, 0.9, True, True).as_dict()
    message = {"text": text, "intent": {"name": intent, "confidence": 0.4}, "entities": [], "language": detection}
    return Tracker("user-1", {}, message, [{"event": "bot", "text": "Hallo"}], False, None, None, "action_listen")


def _fallback_reply(services, text: str, intent: str, language: str = "de") -> dict:
    dispatcher = CollectingDispatcher()
    ActionFallback(services).run(dispatcher, _tracker(text, intent, language), {})
    [custom] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    return custom


def test_the_fallback_action_notes_the_question_with_its_reason(make_services, guide_database):
    services = make_services(guide_database)
    _fallback_reply(services, "Wo kann ich mein Fahrrad reparieren lassen? Ich heiße Jonas.", "nlu_fallback")
    _fallback_reply(services, "Wie wird das Wetter morgen?", "out_of_scope")
    _fallback_reply(services, "   ", "nlu_fallback")
    services.feedback.wait()
    stored = [(q.text, q.lang, q.reason) for q in read_unanswered(guide_database)]
    assert stored == [
        ("Wo kann ich mein Fahrrad reparieren lassen? Ich heiße [name].", "de", LOW_CONFIDENCE),
        ("Wie wird das Wetter morgen?", "de", OUT_OF_SCOPE),
    ]


def test_a_database_that_is_down_never_stops_the_reply_and_the_log_has_no_message(make_services, caplog):
    services = make_services(connect("postgresql://guide:secret@127.0.0.1:9/guide"))
    with caplog.at_level(logging.WARNING, logger="bot.feedback"):
        element = _fallback_reply(services, "Wo ist das Schwimmbad in Vaihingen?", "nlu_fallback")
        services.feedback.wait()
    assert element == {"type": "fallback", "lang": "de"}
    assert "could not be stored: OperationalError" in caplog.text
    assert "Schwimmbad" not in caplog.text and "secret" not in caplog.text


def test_the_feedback_recorder_keeps_going_after_a_failure(guide_database):
    down = EditorsFeedback(connect("postgresql://guide:secret@127.0.0.1:9/guide"))
    assert down.note_unanswered("Angelschein?", "de", "out_of_scope").result() is False
    up = EditorsFeedback(guide_database)
    assert up.note_unanswered("Angelschein wo?", "de", "out_of_scope").result() is True


SESSION = "a" * 32


def _vote(context: ChannelContext, body) -> int:
    app = types.SimpleNamespace(ctx=types.SimpleNamespace(guide=context))
    return asyncio.run(webchat_api._feedback_route(types.SimpleNamespace(app=app, json=body))).status


def _web_chat(events, engine, knowledge) -> ChannelContext:
    """The web chat's parts with one conversation (Rasa's in-memory tracker store) on ``engine``."""
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    store = InMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(DialogueStateTracker.from_events(SESSION, events)))
    agent = types.SimpleNamespace(tracker_store=store)
    return ChannelContext(knowledge, Conversations(agent, HandoffQueue(engine)), EditorsFeedback(engine))


def _answer(topic: str, text: Optional[str] = "…"):
    return BotUttered(text, data={"custom": {"type": "answer", "topic": topic, "lang": "de", "sources": []}})


def test_a_thumbs_down_keeps_the_question_that_got_the_answer(guide_database, live_knowledge):
    events = [
        UserUttered("Kaution wie viel? Mail an a.b@example.org", input_channel="socketio"),
        _answer("housing_deposit"),
        UserUttered("Schufa?", input_channel="socketio"),
        _answer("housing_schufa"),
    ]
    context = _web_chat(events, guide_database, live_knowledge)
    context = dataclasses.replace(context, feedback=EditorsFeedback(guide_database, today=on_test_day))
    assert _vote(context, {"session_id": SESSION, "topic": "housing_deposit", "lang": "de", "helpful": False}) == 201
    assert _vote(context, {"session_id": SESSION, "topic": "housing_schufa", "lang": "de", "helpful": True}) == 201
    context.feedback.wait()
    assert read_unanswered(guide_database) == [
        UnansweredQuestion("Kaution wie viel? Mail an [email]", "de", NOT_HELPFUL, "housing_deposit", TODAY)
    ]


def test_similar_questions_are_grouped_per_language_with_counts():
    asked = [
        ("Wo kann ich mein Fahrrad reparieren lassen?", "de"),
        ("fahrrad reparatur stuttgart wo", "de"),
        ("Fahrrad reparieren Werkstatt?", "de"),
        ("wo fahrrad reparieren", "de"),
        ("wo fahrrad reparieren", "de"),
        ("Wie kann ich mein Auto ummelden?", "de"),
        ("auto ummelden kfz zulassung", "de"),
        ("KFZ ummelden stuttgart", "de"),
        ("Wann hat der Zoo geöffnet?", "de"),
        ("where can I repair my bike", "en"),
        ("bike repair shop near me", "en"),
        ("bicycle repair", "en"),
        ("how do I get a fishing licence", "en"),
        ("fishing license stuttgart", "en"),
    ]
    questions = [UnansweredQuestion(text, lang, LOW_CONFIDENCE, None, TODAY) for text, lang in asked]
    groups = group_questions(questions)
    assert list(groups) == ["de", "en"]
    bikes, cars, zoo = groups["de"]
    assert (bikes.question, bikes.count) == ("wo fahrrad reparieren", 5)
    assert set(bikes.examples) == {
        "Wo kann ich mein Fahrrad reparieren lassen?",
        "fahrrad reparatur stuttgart wo",
        "Fahrrad reparieren Werkstatt?",
    }
    assert cars.count == 3 and zoo.count == 1
    assert [g.count for g in groups["en"]] == [3, 2]
    assert bikes.reasons == {LOW_CONFIDENCE: 5}


def test_the_migration_creates_the_table_and_removes_it_again(tmp_path):
    from alembic import command

    from bot.storage.database import alembic_config

    engine = connect(str(tmp_path / "guide.db"))
    upgrade(engine)
    assert "unanswered_questions" in sa.inspect(engine).get_table_names()
    command.downgrade(alembic_config(engine), "0001")
    assert "unanswered_questions" not in sa.inspect(engine).get_table_names()

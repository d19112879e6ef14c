"""The actions answer in the user's language and follow the answer contract."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from actions.conversation import ActionChangeLanguage, ActionSmalltalk
from actions.fallback import ActionFallback
from bot.language.detection import Detection
from bot.text import MAX_UNDERSTOOD_CHARS

EARLIER_BOT_MESSAGE = {"event": "bot", "text": "Hello"}


def _tracker(
    text: str,
    intent: str,
    language: Optional[str] = None,
    *,
    reliable: bool = True,
    supported: bool = True,
    slots: Optional[Dict[str, Any]] = None,
    new_conversation: bool = False,
    entities: Optional[List[dict]] = None,
) -> Tracker:
    detection = Detection(language, 0.9, supported, reliable).as_dict() if language else None
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "language": detection,
    }
    events = [] if new_conversation else [EARLIER_BOT_MESSAGE]
    return Tracker("user-1", slots or {}, message, events, False, None, None, "action_listen")


def _run(action, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    customs = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert len(customs) == 1, "exactly one structured element per reply"
    return texts, customs[0], dispatcher.messages, events


def test_a_topic_is_answered_from_the_knowledge_base_in_the_users_language(services, live_knowledge):
    texts, custom, _, events = _run(ActionAnswer(services), _tracker("Kaution wie viel?", "housing_deposit", "de"))
    topic = live_knowledge.current().topic("housing_deposit")
    assert texts == [topic.answer("de")]
    assert custom == {"type": "answer", "topic": "housing_deposit", "lang": "de", "sources": topic.sources}
    assert {"event": "slot", "timestamp": None, "name": "language", "value": "de"} in events


def test_the_first_reply_of_a_conversation_carries_the_privacy_notice_after_the_answer(services, live_knowledge):
    texts, custom, _, _ = _run(
        ActionAnswer(services), _tracker("Kaution?", "housing_deposit", "tr", new_conversation=True)
    )
    assert texts[0] == live_knowledge.current().topic("housing_deposit").answer("tr")
    assert texts[-1] == live_knowledge.current().phrases.get("privacy_notice", "tr")
    assert custom["type"] == "answer"


def test_an_unsupported_language_gets_english_and_the_list_of_languages(services, live_knowledge):
    tracker = _tracker("Как зарегистрироваться?", "registration_where", "ru", supported=False)
    texts, custom, _, _ = _run(ActionAnswer(services), tracker)
    assert custom["lang"] == "en"
    assert texts[0] == live_knowledge.current().topic("registration_where").answer("en")
    assert "Deutsch" in texts[1] and "العربية" in texts[1] and "Українська" in texts[1]


def test_a_short_message_is_answered_in_the_conversation_language(services, live_knowledge):
    tracker = _tracker("danke", "thanks", "de", reliable=False, slots={"language": "ar"})
    texts, custom, _, _ = _run(ActionSmalltalk(services), tracker)
    assert custom == {"type": "smalltalk", "lang": "ar"}
    assert texts == [live_knowledge.current().phrases.get("thanks_reply", "ar")]


def test_a_very_long_message_is_answered_with_a_note_that_only_its_start_was_read(services, live_knowledge):
    text = "Ich habe eine Frage zur Kaution. " * 100
    assert len(text) > MAX_UNDERSTOOD_CHARS
    texts, custom, _, _ = _run(ActionAnswer(services), _tracker(text, "housing_deposit", "de"))
    assert texts[0] == live_knowledge.current().phrases.get("message_too_long", "de")
    assert custom["topic"] == "housing_deposit"


def test_an_empty_message_is_asked_to_be_typed_again(services, live_knowledge):
    texts, custom, _, _ = _run(ActionFallback(services), _tracker("   ", "nlu_fallback", slots={"language": "es"}))
    assert texts == [live_knowledge.current().phrases.get("empty_message", "es")]
    assert custom == {"type": "fallback", "lang": "es"}


def test_out_of_scope_questions_are_declined_honestly(services, live_knowledge):
    texts, custom, _, _ = _run(ActionFallback(services), _tracker("Wie wird das Wetter morgen?", "out_of_scope", "de"))
    assert texts == [live_knowledge.current().phrases.get("out_of_scope", "de")]
    assert custom == {"type": "fallback", "lang": "de"}


def test_switching_language_answers_in_the_new_language_and_remembers_the_choice(services, live_knowledge):
    tracker = _tracker("auf Deutsch bitte", "change_language", "de", slots={"language": "en"})
    texts, custom, _, events = _run(ActionChangeLanguage(services), tracker)
    assert custom == {"type": "smalltalk", "lang": "de"}
    assert texts == [live_knowledge.current().phrases.get("language_changed", "de")]
    assert {"event": "slot", "timestamp": None, "name": "language_chosen", "value": "de"} in events


def test_a_language_button_switches_by_its_entity(services):
    tracker = _tracker(
        '/change_language{"language_choice":"uk"}',
        "change_language",
        entities=[{"entity": "language_choice", "value": "uk"}],
        slots={"language": "en"},
    )
    _, custom, _, _ = _run(ActionChangeLanguage(services), tracker)
    assert custom["lang"] == "uk"


def test_the_language_command_without_a_language_offers_every_language_as_a_button(services):
    tracker = _tracker("/language", "change_language", slots={"language": "es"})
    texts, custom, messages, events = _run(ActionChangeLanguage(services), tracker)
    buttons = [b for m in messages for b in m.get("buttons") or []]
    assert [b["title"] for b in buttons] == ["Deutsch", "English", "Türkçe", "العربية", "Українська", "Español"]
    assert buttons[0]["payload"] == '/change_language{"language_choice":"de"}'
    assert custom["lang"] == "es"
    assert not any(e.get("name") == "language_chosen" for e in events)


@pytest.mark.parametrize(
    "intent, phrase",
    [("greet", "greeting"), ("bot_challenge", "bot_challenge"), ("ask_what_can_you_do", "capabilities")],
)
def test_conversation_intents_get_their_phrase(intent, phrase, services, live_knowledge):
    texts, custom, _, _ = _run(ActionSmalltalk(services), _tracker("...", intent, "uk"))
    assert texts == [live_knowledge.current().phrases.get(phrase, "uk")]
    assert custom == {"type": "smalltalk", "lang": "uk"}


def test_a_topic_the_content_no_longer_has_is_not_answered_with_something_else(services):
    texts, custom, _, _ = _run(ActionAnswer(services), _tracker("?", "removed_topic", "en"))
    assert custom == {"type": "fallback", "lang": "en"}


# The app language a channel reports (Telegram: language_code) and the /start command.


def _user_event(text: str, language_code: Optional[str]) -> Dict[str, Any]:
    return {"event": "user", "text": text, "metadata": {"language_code": language_code}}


def _opened_tracker(
    text: str,
    intent: str,
    language_code: Optional[str],
    *,
    slots: Optional[Dict[str, Any]] = None,
    earlier: bool = False,
) -> Tracker:
    """A tracker whose latest message came with the user's app language in its metadata.

    Like Rasa's, the metadata is on the ``user`` event, not in ``latest_message``.
    """
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": [], "language": None}
    events = ([EARLIER_BOT_MESSAGE] if earlier else []) + [_user_event(text, language_code)]
    return Tracker("user-1", slots or {}, message, events, False, None, None, "action_listen")


def test_start_greets_in_the_app_language_with_the_privacy_notice_and_the_language_menu(services, live_knowledge):
    texts, custom, messages, events = _run(ActionSmalltalk(services), _opened_tracker("/start", "greet", "tr-TR"))
    assert texts == [
        live_knowledge.current().phrases.get("greeting", "tr"),
        live_knowledge.current().phrases.get("privacy_notice", "tr"),
    ]
    assert custom == {"type": "smalltalk", "lang": "tr"}
    buttons = messages[-2]["buttons"]
    assert [b["title"] for b in buttons] == ["Deutsch", "English", "Türkçe", "العربية", "Українська", "Español"]
    assert buttons[3]["payload"] == '/change_language{"language_choice":"ar"}'
    assert {"event": "slot", "timestamp": None, "name": "language", "value": "tr"} in events


def test_start_in_a_running_conversation_keeps_its_language_and_repeats_the_notice(services, live_knowledge):
    texts, custom, _, _ = _run(
        ActionSmalltalk(services), _opened_tracker("/start", "greet", "tr", slots={"language": "de"}, earlier=True)
    )
    assert custom["lang"] == "de"
    assert texts[-1] == live_knowledge.current().phrases.get("privacy_notice", "de")


def test_a_question_is_answered_in_its_language_whatever_the_app_language(services):
    tracker = _opened_tracker("Wie viel Kaution darf mein Vermieter verlangen?", "housing_deposit", "en")
    tracker.latest_message["language"] = Detection("de", 0.9, True, True).as_dict()
    _, custom, _, _ = _run(ActionAnswer(services), tracker)
    assert custom["lang"] == "de"


def test_an_unsupported_app_language_is_no_hint(services):
    _, custom, _, _ = _run(ActionSmalltalk(services), _opened_tracker("/start", "greet", "fr"))
    assert custom["lang"] == "en"


def test_a_command_without_a_hint_is_answered_in_english(services):
    # The language detector reports no language for commands (tests/test_language.py).
    _, custom, _, _ = _run(ActionSmalltalk(services), _opened_tracker("/help", "ask_what_can_you_do", None))
    assert custom["lang"] == "en"


def test_other_greetings_get_no_language_menu(services):
    _, _, messages, _ = _run(ActionSmalltalk(services), _tracker("Hallo, guten Tag zusammen", "greet", "de"))
    assert not any(m.get("buttons") for m in messages)


def test_the_checklist_offers_its_next_steps_as_buttons_titled_in_the_users_language(services, live_knowledge):
    _, custom, messages, _ = _run(
        ActionAnswer(services), _tracker("ich bin gerade angekommen, was zuerst?", "first_steps_checklist", "de")
    )
    buttons = [b for m in messages for b in m.get("buttons") or []]
    knowledge = live_knowledge.current()
    assert custom["topic"] == "first_steps_checklist"
    assert [b["payload"] for b in buttons] == [f"/{t}" for t in knowledge.topic("first_steps_checklist").next_topics]
    assert buttons[0]["title"] == knowledge.topic("registration_where").title("de")
    assert all(b["title"] != b["payload"][1:] for b in buttons), "titles, not topic ids"

"""Newcomers ask the real guide (trained model, Rasa server, action server) over HTTP.

The questions here are written for these tests and are not in the training
data, so a pass means the guide understood them, not that it remembered them.
"""

from __future__ import annotations

import pytest

from tests.support import element, new_sender, texts

pytestmark = pytest.mark.e2e

QUESTIONS = [
    ("de", "Bis wann muss ich mich nach dem Umzug beim Bürgerbüro anmelden?", "registration_deadline"),
    ("de", "kaution wie viel darf der vermieter nehmen", "housing_deposit"),
    ("en", "My landlord asks for a deposit of five months rent, is that legal?", "housing_deposit"),
    ("en", "what salary do i need for the EU blue card", "residence_blue_card"),
    ("tr", "Anmeldung için hangi belgeler lazım?", "registration_documents"),
    ("tr", "cocugum 2 yasinda kita yeri nasil bulurum", "childcare_kita"),
    ("ar", "كم يجب أن يكون الراتب للحصول على البطاقة الزرقاء؟", "residence_blue_card"),
    ("ar", "أين أسجل عنوان سكني في شتوتغارت؟", "registration_where"),
    ("uk", "Скільки триває процедура визнання диплому?", "recognition_procedure"),
    ("uk", "Чи обов'язкова медична страховка в Німеччині?", "health_insurance"),
    ("es", "¿Cuánto cuesta el curso de integración?", "integration_course"),
    ("es", "tengo que pagar yo la comision del agente inmobiliario?", "housing_broker_fee"),
]


@pytest.mark.parametrize("language, question, topic", QUESTIONS)
def test_a_question_is_answered_in_its_language_from_the_first_message(guide, language, question, topic):
    reply = guide.ask(question)
    assert element(reply)["type"] == "answer", reply
    assert element(reply)["topic"] == topic
    assert element(reply)["lang"] == language
    assert element(reply)["sources"] and all(s.startswith("http") for s in element(reply)["sources"])
    assert len(texts(reply)[0]) > 80, "the answer itself comes first, before any notice"


def test_a_short_message_keeps_the_conversation_language(guide):
    sender = new_sender()
    guide.ask("Wie viel darf die Kaution für meine Wohnung höchstens sein?", sender=sender)
    reply = guide.ask("ok danke", sender=sender)
    assert element(reply)["lang"] == "de"


def test_a_chosen_language_sticks(guide):
    sender = new_sender()
    guide.ask("Hello, how do I register my address?", sender=sender)
    assert element(guide.ask("auf Deutsch bitte", sender=sender))["lang"] == "de"
    assert element(guide.ask("👍", sender=sender))["lang"] == "de"


def test_the_language_command_offers_the_languages(guide):
    sender = new_sender()
    reply = guide.ask("/language", sender=sender)
    titles = [b["title"] for m in reply for b in m.get("buttons", [])]
    assert "العربية" in titles and "Türkçe" in titles
    reply = guide.ask('/change_language{"language_choice":"uk"}', sender=sender)
    assert element(reply) == {"type": "smalltalk", "lang": "uk"}


def test_an_unsupported_language_gets_english_and_the_list_of_languages(guide):
    reply = guide.ask("Bonjour, je voudrais savoir comment faire reconnaître mon diplôme d'ingénieur")
    assert element(reply)["lang"] == "en"
    assert any("Türkçe" in text and "Español" in text for text in texts(reply))


def test_out_of_scope_questions_are_declined(guide):
    reply = guide.ask("Wie wird das Wetter morgen in Stuttgart?")
    assert element(reply) == {"type": "fallback", "lang": "de"}


def test_asking_for_a_person_says_how_to_reach_the_welcome_center(plain_guide):
    """Outside office hours (the plain guide's counsellors are never on duty today)."""
    reply = plain_guide.ask("/human")
    assert element(reply)["type"] == "handoff" and element(reply)["status"] == "offline"
    reply = plain_guide.ask("Ich möchte bitte mit einem echten Berater sprechen")
    assert element(reply) == {"type": "handoff", "lang": "de", "status": "offline"}


def test_an_empty_message_gets_a_clear_answer(guide):
    reply = guide.ask("")
    assert element(reply)["type"] == "fallback"
    assert texts(reply)


def test_a_huge_message_is_answered_and_says_only_its_start_was_read(guide):
    story = "Ich bin mit meiner Familie nach Stuttgart gezogen und suche eine Wohnung. " * 700
    reply = guide.ask("Wie hoch darf die Kaution sein? " + story)
    assert element(reply)["type"] in ("answer", "fallback")
    assert element(reply)["lang"] == "de"
    assert len(texts(reply)) >= 2

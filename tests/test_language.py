"""Which language a message is in, and which language the guide answers in."""

from __future__ import annotations

import pytest

from bot.language.choice import choose_reply_language
from bot.language.detection import LanguageDetector
from bot.language.names import requested_language
from bot.language.supported import supported_code
from bot.nlu.language_detector import shared_terms, without_terms


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


@pytest.mark.parametrize(
    "text, language",
    [
        ("Wie viel Kaution darf mein Vermieter verlangen?", "de"),
        ("How soon do I have to register my address?", "en"),
        ("Anmeldung için hangi belgeler lazım?", "tr"),
        ("كيف يمكنني تسجيل عنواني في شتوتغارت؟", "ar"),
        ("Як отримати посвідку на проживання в Німеччині?", "uk"),
        ("¿Dónde puedo registrar mi dirección en Stuttgart?", "es"),
    ],
)
def test_a_sentence_in_each_supported_language_is_recognised(detector, text, language):
    detection = detector.detect(text)
    assert (detection.language, detection.supported, detection.reliable) == (language, True, True)


@pytest.mark.parametrize("text", ["ok", "hi", "ja", "👍"])
def test_very_short_messages_are_not_reliable(detector, text):
    detection = detector.detect(text)
    assert detection is None or not detection.reliable


@pytest.mark.parametrize(
    "text, language",
    [
        ("Как мне зарегистрироваться по новому адресу?", "ru"),
        ("Bonjour, comment est-ce que je peux faire reconnaître mon diplôme ?", "fr"),
    ],
)
def test_a_clear_unsupported_language_is_reported_as_such(detector, text, language):
    detection = detector.detect(text)
    assert (detection.language, detection.supported, detection.reliable) == (language, False, True)


def test_a_short_message_keeps_the_conversation_language(detector):
    detection = detector.detect("danke").as_dict()
    assert choose_reply_language(detection, conversation_language="tr").code == "tr"


def test_a_clear_message_switches_the_reply_language(detector):
    detection = detector.detect("Können Sie mir bitte sagen, wo ich mich anmelden muss?").as_dict()
    assert choose_reply_language(detection, conversation_language="en").code == "de"


def test_an_unsupported_language_is_answered_in_english_with_a_note(detector):
    detection = detector.detect("Как мне зарегистрироваться по новому адресу?").as_dict()
    reply = choose_reply_language(detection, conversation_language="uk")
    assert (reply.code, reply.unsupported_input) == ("en", True)


def test_an_unsupported_language_is_answered_in_the_chosen_language(detector):
    detection = detector.detect("Как мне зарегистрироваться по новому адресу?").as_dict()
    assert choose_reply_language(detection, chosen_language="uk").code == "uk"


def test_without_anything_to_go_on_the_answer_is_english():
    assert choose_reply_language(None).code == "en"


@pytest.mark.parametrize(
    "text, language",
    [
        ("auf Deutsch bitte", "de"),
        ("in English please", "en"),
        ("Türkçe konuşabilir miyiz", "tr"),
        ("turkce lutfen", "tr"),
        ("بالعربية من فضلك", "ar"),
        ("українською, будь ласка", "uk"),
        ("en español por favor", "es"),
        ("/language uk", "uk"),
        ("/language", None),
        ("hallo", None),
    ],
)
def test_the_requested_language_is_found(text, language):
    assert requested_language(text) == language


def test_german_terms_in_another_language_do_not_make_it_german(detector):
    questions = [
        ("Wo ist das Bürgerbüro für die Anmeldung?", "de"),
        ("Where do I do the Anmeldung at the Bürgerbüro?", "en"),
        ("Anmeldung için Bürgerbüro nerede?", "tr"),
    ]
    terms = shared_terms(questions, min_languages=3, min_length=4)
    assert terms == {"anmeldung", "burgerburo"}
    text = "which Bürgerbüro do I go to for the Anmeldung, I just moved"
    assert detector.detect(without_terms(text, terms)).language == "en"


def test_a_message_of_only_shared_terms_is_detected_as_a_whole():
    assert without_terms("Anmeldung Bürgerbüro", frozenset({"anmeldung", "burgerburo"})) == "Anmeldung Bürgerbüro"


# The app language a channel reports (Telegram's language_code) is only a hint.


@pytest.mark.parametrize(
    "code, expected",
    [("de", "de"), ("de-AT", "de"), ("pt_BR", None), ("UK", "uk"), ("", None), (None, None), ("fr", None)],
)
def test_a_locale_code_is_reduced_to_a_supported_language(code, expected):
    assert supported_code(code) == expected


def test_the_hint_decides_when_nothing_else_does():
    assert choose_reply_language(None, hint="tr").code == "tr"
    assert choose_reply_language(None, hint="ar-SA").code == "ar"
    assert choose_reply_language(None, hint="fr").code == "en"


def test_what_the_user_writes_beats_the_hint(detector):
    detection = detector.detect("Wie viel Kaution darf mein Vermieter verlangen?").as_dict()
    assert choose_reply_language(detection, hint="en").code == "de"


def test_a_short_first_message_is_still_a_better_guess_than_the_hint(detector):
    detection = detector.detect("hola").as_dict()
    assert choose_reply_language(detection, hint="en").code == "es"


def test_the_conversation_and_the_chosen_language_beat_the_hint():
    assert choose_reply_language(None, conversation_language="uk", hint="de").code == "uk"
    assert choose_reply_language(None, chosen_language="es", hint="de").code == "es"


def test_an_unsupported_language_is_not_answered_in_the_hint(detector):
    detection = detector.detect("Здравствуйте, как мне зарегистрировать адрес в Штутгарте?").as_dict()
    reply = choose_reply_language(detection, hint="uk")
    assert reply.code == "en" and reply.unsupported_input


@pytest.mark.parametrize("text", ["/human", "/start", '/change_language{"language_choice":"de"}'])
def test_a_command_is_not_taken_for_words_of_a_language(tmp_path, text):
    # lingua alone reads "/human" as Spanish.
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu import LANGUAGE
    from bot.nlu.language_detector import LanguageDetector

    component = LanguageDetector.create(
        LanguageDetector.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("detector"),
        ExecutionContext({}, "test"),
    )
    [message] = component.process([Message(data={"text": text})])
    assert message.get(LANGUAGE) is None


def test_a_phone_number_becomes_one_placeholder_but_short_numbers_stay():
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.tokenizer import PHONE_PLACEHOLDER, LanguageAwareTokenizer

    tokenizer = LanguageAwareTokenizer(LanguageAwareTokenizer.get_default_config())
    english = {"language": "en", "confidence": 0.9, "supported": True, "reliable": True}

    def lemmas(text: str):
        return [t.lemma for t in tokenizer.tokenize(Message(data={"text": text, "language": english}), "text")]

    assert lemmas("call me on 0151 23456789 please") == [
        "call",
        "me",
        "on",
        PHONE_PLACEHOLDER,
        PHONE_PLACEHOLDER,
        "please",
    ]
    assert lemmas("my number is +49 711 2169-1857")[-3:] == [PHONE_PLACEHOLDER] * 3
    assert "112" in lemmas("emergency number 112 or 116117") and "116117" in lemmas("emergency number 112 or 116117")
    assert "2026" in lemmas("blue card salary 2026 section 18")

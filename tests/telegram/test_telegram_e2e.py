"""Newcomers chat with the real guide on "Telegram": real Rasa and action servers, real python-telegram-bot.

Updates are posted to the guide's webhook as Telegram posts them; what the user
sees is what the guide sent to the (stand-in) Bot API with ``sendMessage``.
The guide is the session's shared one; every test has chats of its own.
"""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys

import pytest

from bot.channels.telegram_format import to_html
from bot.knowledge import load_knowledge
from tests.support import PROJECT_DIR, new_chat
from tests.support import TELEGRAM_SECRET as SECRET
from tests.support import TELEGRAM_TOKEN as TOKEN
from tests.telegram.bot_api import keyboard_of

pytestmark = pytest.mark.e2e

PHRASES = load_knowledge().phrases
LANGUAGE_MENU = ["Deutsch", "English", "Türkçe", "العربية", "Українська", "Español"]


def texts(messages):
    return [m["text"] for m in messages]


def phrase(key, language):
    return to_html(PHRASES.get(key, language))


def assert_sources_listed(message, topic_id, language):
    """The last message lists the topic's sources as links under the label in ``language``."""
    sources = load_knowledge().topic(topic_id).sources
    assert sources, topic_id
    assert message["text"].startswith(f"<b>{html.escape(PHRASES.get('sources_label', language))}</b>\n")
    for url in sources:
        assert f'<a href="{html.escape(url)}">' in message["text"]


def test_a_german_conversation_is_answered_in_german_with_its_sources(telegram_guide):
    chat = new_chat()
    # The phone is set to English; what the user writes decides the language.
    first = telegram_guide.say(chat, "Bis wann muss ich mich nach dem Umzug beim Bürgerbüro anmelden?", "en")
    assert texts(first)[:2] == [
        to_html(load_knowledge().topic("registration_deadline").answer("de")),
        phrase("privacy_notice", "de"),
    ]
    assert_sources_listed(first[-1], "registration_deadline", "de")
    assert all(m["parse_mode"] == "HTML" for m in first)

    second = telegram_guide.say(chat, "kaution wie viel darf der vermieter nehmen", "en")
    assert texts(second)[0] == to_html(load_knowledge().topic("housing_deposit").answer("de"))
    assert phrase("privacy_notice", "de") not in texts(second), "the notice comes once"
    assert_sources_listed(second[-1], "housing_deposit", "de")


def test_an_arabic_question_is_answered_in_arabic_with_its_sources(telegram_guide):
    chat = new_chat()
    replies = telegram_guide.say(chat, "كم يجب أن يكون الراتب للحصول على البطاقة الزرقاء؟", "de")
    assert texts(replies)[0] == to_html(load_knowledge().topic("residence_blue_card").answer("ar"))
    assert texts(replies)[1] == phrase("privacy_notice", "ar")
    assert_sources_listed(replies[-1], "residence_blue_card", "ar")


def test_start_greets_in_the_app_language_with_the_privacy_notice_and_the_language_menu(telegram_guide):
    chat = new_chat()
    replies = telegram_guide.say(chat, "/start", "tr")
    assert texts(replies) == [phrase("greeting", "tr"), phrase("privacy_notice", "tr")]
    menu = keyboard_of(replies[-1])
    assert [b["text"] for b in menu] == LANGUAGE_MENU
    assert menu[0]["callback_data"] == '/change_language{"language_choice":"de"}'

    # The app language was only a hint: a German question gets a German answer.
    answer = telegram_guide.say(chat, "Wie viel Kaution darf mein Vermieter höchstens verlangen?", "tr")
    assert texts(answer)[0] == to_html(load_knowledge().topic("housing_deposit").answer("de"))


def test_pressing_a_language_button_switches_the_language(telegram_guide, bot_api):
    chat = new_chat()
    menu = keyboard_of(telegram_guide.say(chat, "/language", "en")[-1])
    ukrainian = menu[LANGUAGE_MENU.index("Українська")]
    answered = len(bot_api.calls_of("answerCallbackQuery"))
    replies = telegram_guide.press(chat, ukrainian, "en")
    assert texts(replies) == [phrase("language_changed", "uk")]
    assert len(bot_api.calls_of("answerCallbackQuery")) > answered, "the button stops spinning"

    # A short message afterwards is answered in the chosen language.
    reply = telegram_guide.say(chat, "👍", "en")
    ukrainian_phrases = {phrase(key, "uk") for key in PHRASES.texts}
    assert texts(reply)[0] in ukrainian_phrases


def test_a_call_without_the_secret_token_is_refused_and_nothing_is_sent(telegram_guide):
    chat = new_chat()
    update = telegram_guide.text_update(chat, "Wo melde ich mich an?", "de")
    assert telegram_guide.post(update, secret="not-the-secret") == 403
    assert telegram_guide.post(update, secret=None) == 403
    assert telegram_guide.api.sent_to(chat) == []
    assert telegram_guide.stored_events(chat) == 0


def test_a_malformed_update_is_refused(telegram_guide):
    chat = new_chat()
    assert telegram_guide.post(b'{"update_id": 1, "message": ') == 400
    assert telegram_guide.post({"update_id": 2, "message": {"text": "Hallo", "chat": {"id": chat}}}) == 400
    assert telegram_guide.api.sent_to(chat) == []


def test_delete_asks_for_confirmation_and_then_erases_the_conversation(telegram_guide):
    chat = new_chat()
    telegram_guide.say(chat, "Welche Unterlagen brauche ich für die Anmeldung meiner Wohnung?", "de")
    stored = telegram_guide.stored_events(chat)
    assert stored > 0

    question = telegram_guide.say(chat, "/delete", "de")
    assert texts(question) == [phrase("delete_confirm", "de")]
    yes, no = keyboard_of(question[-1])
    assert (yes["text"], no["text"]) == ("Ja", "Nein")
    assert texts(telegram_guide.press(chat, no, "de")) == [phrase("delete_cancelled", "de")]
    assert telegram_guide.stored_events(chat) == stored, "cancelled, and /delete itself is not stored"

    yes, _ = keyboard_of(telegram_guide.say(chat, "/delete", "de")[-1])
    assert texts(telegram_guide.press(chat, yes, "de")) == [phrase("delete_done", "de")]
    assert telegram_guide.stored_events(chat) == 0

    # Writing again starts a new conversation: the privacy notice comes again.
    again = telegram_guide.say(chat, "Wie viel Kaution darf mein Vermieter verlangen?", "de")
    assert phrase("privacy_notice", "de") in texts(again)


def test_polling_forwards_updates_to_the_guide_without_a_public_address(telegram_guide, bot_api):
    chat = new_chat()
    env = dict(
        os.environ,
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        RASA_URL=telegram_guide.url,
        TELEGRAM_API_BASE_URL=bot_api.base_url,
    )
    webhooks_deleted = len(bot_api.calls_of("deleteWebhook"))
    poller = subprocess.Popen(
        [sys.executable, "-m", "bot.channels.telegram_cli", "poll"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        bot_api.queue_update(telegram_guide.text_update(chat, "¿Cuánto cuesta el curso de integración?", "es"))
        replies = bot_api.wait_for(lambda: [m for m in bot_api.sent_to(chat) if "<a href" in m["text"]])
        assert texts(bot_api.sent_to(chat))[0] == to_html(load_knowledge().topic("integration_course").answer("es"))
        assert_sources_listed(replies[-1], "integration_course", "es")
        assert len(bot_api.calls_of("deleteWebhook")) > webhooks_deleted, "polling needs the webhook removed"
    finally:
        poller.send_signal(signal.SIGTERM)
        try:
            output, _ = poller.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            poller.kill()
            output, _ = poller.communicate()
    assert poller.returncode == 0, output.decode()
    assert b"Stopped polling" in output, "SIGTERM stops the poller cleanly"
    assert TOKEN.encode() not in output, "the token is never logged"


def test_the_guide_logs_neither_the_token_nor_what_users_write(telegram_guide):
    chat = new_chat()
    telegram_guide.say(chat, "Meine Passnummer ist C01X00T47, wo melde ich mich an?", "de")
    log = telegram_guide.log.read_text(encoding="utf-8", errors="replace")
    assert "C01X00T47" not in log
    assert TOKEN not in log and SECRET not in log

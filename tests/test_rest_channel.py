"""The REST channel never leaves a user without a reply."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.rest import send_apology
from bot.knowledge import load_phrases


def test_the_apology_is_in_the_users_language_with_a_fallback_element():
    output = CollectingOutputChannel()
    asyncio.run(send_apology(UserMessage("Wie viel Kaution darf mein Vermieter verlangen?", output, "u1")))
    assert output.messages[0]["text"] == load_phrases().get("error", "de")
    assert output.messages[1]["custom"] == {"type": "fallback", "lang": "de"}


def test_an_empty_message_gets_an_english_apology():
    output = CollectingOutputChannel()
    asyncio.run(send_apology(UserMessage("", output, "u2")))
    assert output.messages[1]["custom"] == {"type": "fallback", "lang": "en"}

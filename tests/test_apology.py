"""No channel leaves a user without a reply."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.apology import answer_or_apologise, send_apology
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


def _handler(replies: int, fail: bool = False):
    async def on_new_message(message: UserMessage) -> None:
        for _ in range(replies):
            await message.output_channel.send_text_message(message.sender_id, "Antwort")
        if fail:
            raise ConnectionError("action server down")
    return on_new_message


def test_a_reply_is_left_alone():
    output = CollectingOutputChannel()
    asyncio.run(answer_or_apologise(_handler(1), UserMessage("Hallo, wie geht es?", output, "u3")))
    assert [m["text"] for m in output.messages] == ["Antwort"]


def test_no_reply_becomes_an_apology():
    output = CollectingOutputChannel()
    asyncio.run(answer_or_apologise(_handler(0), UserMessage("Hallo, wie geht es Ihnen?", output, "u4")))
    assert output.messages[-1]["custom"]["type"] == "fallback"


def test_a_failure_becomes_an_apology_not_an_error():
    output = CollectingOutputChannel()
    asyncio.run(answer_or_apologise(_handler(0, fail=True), UserMessage("Wo melde ich mich an?", output, "u5")))
    assert output.messages[0]["text"] == load_phrases().get("error", "de")

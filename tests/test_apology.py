"""No channel leaves a user without a reply: an apology in the user's language, unless a counsellor has them."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import ConversationPaused, SlotSet, UserUttered

from bot.channels.apology import answer_or_apologise, send_apology
from bot.knowledge import load_phrases

GERMAN = {"language": "de", "confidence": 0.9, "supported": True, "reliable": True}


def _understood(text: str, detection=GERMAN) -> UserUttered:
    """A user message as Rasa keeps it after the NLU pipeline ran (before an action failed)."""
    return UserUttered(text, parse_data={"language": detection})


@pytest.fixture
def context(channel_context):
    context, _ = channel_context(
        {
            "u1": [_understood("Wie viel Kaution darf mein Vermieter verlangen?")],
            "u4": [_understood("Hallo, wie geht es Ihnen?")],
            "u5": [_understood("Wo melde ich mich an?")],
            "u6": [SlotSet("language", "uk"), _understood("ok", {**GERMAN, "reliable": False})],
            "u7": [_understood("Ich möchte mit einem Menschen sprechen"), ConversationPaused()],
        }
    )
    return context


def test_the_apology_is_in_the_language_the_message_was_understood_in(context):
    output = CollectingOutputChannel()
    asyncio.run(send_apology(UserMessage("Wie viel Kaution darf mein Vermieter verlangen?", output, "u1"), context))
    assert output.messages[0]["text"] == load_phrases().get("error", "de")
    assert output.messages[1]["custom"] == {"type": "fallback", "lang": "de"}


def test_a_short_message_keeps_the_conversations_language(context):
    output = CollectingOutputChannel()
    asyncio.run(send_apology(UserMessage("ok", output, "u6"), context))
    assert output.messages[1]["custom"] == {"type": "fallback", "lang": "uk"}


def test_a_message_rasa_never_kept_gets_the_apps_language_or_english(context):
    output = CollectingOutputChannel()
    asyncio.run(send_apology(UserMessage("Merhaba", output, "new-1", metadata={"language_code": "tr-TR"}), context))
    assert output.messages[1]["custom"] == {"type": "fallback", "lang": "tr"}
    output = CollectingOutputChannel()
    asyncio.run(send_apology(UserMessage("", output, "new-2"), context))
    assert output.messages[1]["custom"] == {"type": "fallback", "lang": "en"}


def _handler(replies: int, fail: bool = False):
    async def on_new_message(message: UserMessage) -> None:
        for _ in range(replies):
            await message.output_channel.send_text_message(message.sender_id, "Antwort")
        if fail:
            raise ConnectionError("action server down")

    return on_new_message


def test_a_reply_is_left_alone(context):
    output = CollectingOutputChannel()
    asyncio.run(answer_or_apologise(_handler(1), UserMessage("Hallo, wie geht es?", output, "u3"), context))
    assert [m["text"] for m in output.messages] == ["Antwort"]


def test_no_reply_becomes_an_apology(context):
    output = CollectingOutputChannel()
    asyncio.run(answer_or_apologise(_handler(0), UserMessage("Hallo, wie geht es Ihnen?", output, "u4"), context))
    assert output.messages[-1]["custom"] == {"type": "fallback", "lang": "de"}


def test_a_failure_becomes_an_apology_not_an_error(context):
    output = CollectingOutputChannel()
    asyncio.run(
        answer_or_apologise(_handler(0, fail=True), UserMessage("Wo melde ich mich an?", output, "u5"), context)
    )
    assert output.messages[0]["text"] == load_phrases().get("error", "de")


def test_while_a_counsellor_has_the_conversation_the_silence_is_kept(context):
    output = CollectingOutputChannel()
    asyncio.run(answer_or_apologise(_handler(0), UserMessage("Hallo?", output, "u7"), context))
    assert output.messages == []

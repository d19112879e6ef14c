"""Chat commands mean the same in every language."""

import pytest

from bot.commands import command_of, is_command_or_payload
from bot.nlu.commands import intent_for


@pytest.mark.parametrize(
    "text, intent",
    [
        ("/human", "request_human"),
        ("/HUMAN", "request_human"),
        ("/help", "ask_what_can_you_do"),
        ("/start", "greet"),
        ("/language es", "change_language"),
        ("/language@WelcomeGuideBot", "change_language"),
        ("", "nlu_fallback"),
        ("   \n", "nlu_fallback"),
        ("/unknown", None),
        ("human please", None),
        ('/change_language{"language_choice":"de"}', None),  # left to Rasa's payload parser
    ],
)
def test_commands_and_empty_messages(text, intent):
    assert intent_for(text) == intent


@pytest.mark.parametrize(
    "text, command",
    [
        ("/delete", "delete"),
        ("/Start@WelcomeGuideBot", "start"),
        ("  /language de", "language"),
        ('/change_language{"language_choice":"de"}', None),
        ("delete my data", None),
    ],
)
def test_the_command_of_a_message(text, command):
    assert command_of(text) == command


def test_commands_and_button_payloads_are_not_words_of_a_language():
    assert is_command_or_payload("/human") and is_command_or_payload('/change_language{"language_choice":"de"}')
    assert not is_command_or_payload("Hallo / Hello")

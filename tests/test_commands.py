"""Chat commands mean the same in every language."""

import pytest

from bot.nlu.commands import intent_for


@pytest.mark.parametrize("text, intent", [
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
])
def test_commands_and_empty_messages(text, intent):
    assert intent_for(text) == intent

"""Chat commands ("/start", "/delete"): recognising them, without any NLU machinery.

Kept apart from :mod:`bot.nlu.commands` (the Rasa component) so that the action
server and the channels can tell a command from prose without importing Rasa's
training code.
"""

from __future__ import annotations

import re

#: Telegram sends it when a chat is opened; the guide greets with its language menu.
START = "start"
#: Erasing one's conversation: a channel handles it itself, never NLU, so the
#: request is not stored in the conversation it deletes.
DELETE = "delete"

_COMMAND = re.compile(r"^/(?P<command>[a-z]+)(?:@\w+)?(?:\s|$)", re.IGNORECASE)


def command_of(text: str) -> str | None:
    """The command ``text`` is ("/Start@WelcomeGuideBot" -> "start"), else ``None``."""
    match = _COMMAND.match(text.strip())
    return match.group("command").lower() if match else None


def is_command_or_payload(text: str) -> bool:
    """Whether ``text`` is a command or a button payload rather than words of a language.

    Both start with "/" ("/help", '/change_language{"language_choice":"de"}'):
    detecting a language in them is guesswork ("/human" reads as Spanish).
    """
    return text.lstrip().startswith("/")

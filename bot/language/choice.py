"""Which language to answer a message in.

The rule, from docs/answer-contract.md: the language the user wrote in when the
guide speaks it, otherwise the language the user chose, otherwise English.
A message too short to tell ("ok", "danke", "👍") keeps the conversation's
language rather than flipping it.

A channel may know the language of the user's app (Telegram reports it as
``language_code``). That is only a *hint*: people often use an English phone
and write in their own language. It decides only when nothing else does,
which in practice is the first reply to a command such as ``/start``; from
then on the conversation has a language of its own.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping, Optional

from bot.language.supported import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, supported_code

#: Key of the user's app language in a user message's metadata (set by channels).
LANGUAGE_HINT_METADATA_KEY = "language_code"
#: Key of the language detection in a message's data and in Rasa's parse data (set by the NLU pipeline).
DETECTION_KEY = "language"
#: The conversation's slot with the language it is answered in (domain.yml).
LANGUAGE_SLOT = "language"
#: The conversation's slot with the language the user explicitly asked for (domain.yml).
CHOSEN_LANGUAGE_SLOT = "language_chosen"


@dataclasses.dataclass(frozen=True)
class ReplyLanguage:
    """The language of a reply.

    Attributes:
        code: ISO 639-1 code of the language to answer in.
        unsupported_input: The user wrote in a language the guide does not speak,
            so the reply should also say which languages it speaks.
    """

    code: str
    unsupported_input: bool = False


def choose_reply_language(
    detection: Optional[Mapping],
    conversation_language: Optional[str] = None,
    chosen_language: Optional[str] = None,
    hint: Optional[str] = None,
) -> ReplyLanguage:
    """Decide the reply language for one message.

    Args:
        detection: The message's language detection as found in Rasa's parse data
            (see :class:`bot.language.detection.Detection`), or ``None`` when the
            message had no letters.
        conversation_language: The language the conversation has been answered in.
        chosen_language: The language the user explicitly asked for, if any.
        hint: The language of the user's app as the channel reports it ("de",
            "de-AT"): used only when neither the message nor the conversation
            tells, before falling back to English.
    """
    conversation_language = _supported_or_none(conversation_language)
    chosen_language = _supported_or_none(chosen_language)
    if detection and detection.get("reliable"):
        if detection.get("supported"):
            return ReplyLanguage(detection["language"])
        return ReplyLanguage(chosen_language or DEFAULT_LANGUAGE, unsupported_input=True)
    if conversation_language or chosen_language:
        return ReplyLanguage(conversation_language or chosen_language or DEFAULT_LANGUAGE)
    if detection and detection.get("supported") and detection.get("confidence", 0) > 0:
        # The first message of a conversation, and short ("hola"): the best guess
        # beats English, and the user can still switch.
        return ReplyLanguage(detection["language"])
    return ReplyLanguage(supported_code(hint) or DEFAULT_LANGUAGE)


def _supported_or_none(code: Optional[str]) -> Optional[str]:
    return code if code in SUPPORTED_LANGUAGES else None

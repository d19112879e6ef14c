"""Whether each translation of a topic is up to date with its original.

Every translation records the version of the original answer it was made
from (``translated_from: en-1a2b3c4d``): the original's language and a short
hash of its text. When an editor changes the original, its version changes,
and every translation still recording the old one is *outdated* until it is
translated again or the editor confirms that the change was minor. So the
status never depends on someone remembering to update it.
"""

from __future__ import annotations

import enum
import hashlib
from typing import Dict, Optional

from bot.knowledge.model import ORIGINAL, Topic
from bot.language.supported import SUPPORTED_LANGUAGES

#: Hex digits of the hash kept: enough to tell versions of one answer apart.
VERSION_DIGITS = 8


class State(str, enum.Enum):
    """What an editor needs to know about one topic in one language."""

    ORIGINAL = "original"
    OK = "ok"  # translated by a person from the current original
    MACHINE = "machine"  # machine-translated from the current original, not checked
    OUTDATED = "outdated"  # made from an older original, or from an unknown one
    MISSING = "missing"  # not written in this language yet


def answer_version(language: str, answer: str) -> str:
    """The version of an original answer, e.g. ``en-1a2b3c4d``.

    Only the words count: re-wrapping the lines of a YAML text block does not
    make a new version, and so does not outdate the translations.
    """
    normalised = " ".join(answer.split())
    digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:VERSION_DIGITS]
    return f"{language}-{digest}"


def original_version(topic: Topic) -> Optional[str]:
    """The version of the topic's original answer, or ``None`` if it has no single original."""
    source = topic.original_language
    return answer_version(source, topic.answer(source)) if source else None


def translation_state(topic: Topic, language: str) -> State:
    """The state of ``topic`` in ``language``."""
    translation = topic.languages.get(language)
    if translation is None:
        return State.MISSING
    if translation.status == ORIGINAL:
        return State.ORIGINAL
    if translation.translated_from is None or translation.translated_from != original_version(topic):
        return State.OUTDATED
    return State.MACHINE if translation.status == "machine" else State.OK


def topic_states(topic: Topic) -> Dict[str, State]:
    """The state of ``topic`` in every supported language, in the guide's order."""
    return {language: translation_state(topic, language) for language in SUPPORTED_LANGUAGES}

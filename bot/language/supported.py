"""The languages the guide answers in.

Adding a language means: add it here, write its answers and training questions in
``knowledge/``, its conversation examples in ``data/nlu/`` and retrain.
"""

from typing import Optional

#: ISO 639-1 codes, in the order the guide lists them to users.
SUPPORTED_LANGUAGES = ("de", "en", "tr", "ar", "uk", "es")

#: The answer language when nothing better is known (see docs/answer-contract.md).
DEFAULT_LANGUAGE = "en"

#: Each language's own name for itself, as shown in language menus.
ENDONYMS = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "es": "Español",
}

#: Languages written right to left (channels set the text direction from it).
RIGHT_TO_LEFT = frozenset({"ar"})


def supported_code(code: Optional[str]) -> Optional[str]:
    """The supported language a locale code names ("de-DE", "pt_BR", "UK"), else ``None``.

    Clients report the user's language as a locale of varying shape (Telegram
    sends IETF tags such as "en" or "de-AT"); only its language part matters
    to the guide, and only when the guide speaks that language.
    """
    if not code:
        return None
    language = code.strip().replace("_", "-").split("-")[0].lower()
    return language if language in SUPPORTED_LANGUAGES else None


def languages_line() -> str:
    """The list of languages the guide speaks, each in its own name."""
    return ", ".join(ENDONYMS[code] for code in SUPPORTED_LANGUAGES)

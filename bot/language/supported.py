"""The languages the guide answers in.

Adding a language means: add it here, write its answers and training questions in
``knowledge/``, its conversation examples in ``data/nlu/`` and retrain.
"""

#: ISO 639-1 codes, in the order the guide lists them to users.
SUPPORTED_LANGUAGES = ("de", "en", "tr", "ar", "uk", "es")

#: The answer language when nothing better is known (see ANSWER-CONTRACT.md).
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


def languages_line() -> str:
    """The list of languages the guide speaks, each in its own name."""
    return ", ".join(ENDONYMS[code] for code in SUPPORTED_LANGUAGES)

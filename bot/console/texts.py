"""The console's words in German and English, read from ``texts.yml``.

Each counsellor reads the console in the language of their account
(``ui_language``); the users' languages are shown in their own names, so
that "العربية (ar)" reads the same to everyone.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict, Mapping

import yaml

from bot.language.supported import ENDONYMS
from bot.storage.accounts import UI_LANGUAGES

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yml"


class Texts:
    """The console's texts in one language."""

    def __init__(self, language: str, table: Mapping[str, Mapping[str, str]]) -> None:
        self.language = language
        self._table = table

    def __call__(self, key: str, **values: object) -> str:
        """The text ``key``, with ``{placeholders}`` filled from ``values``."""
        text = self._table[key][self.language]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._table

    def all(self) -> Dict[str, str]:
        """Every text, for the browser's scripts."""
        return {key: by_language[self.language] for key, by_language in self._table.items()}


@functools.lru_cache(maxsize=1)
def _table() -> Dict[str, Dict[str, str]]:
    table = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    missing = [
        f"{key} ({language})"
        for key, texts in table.items()
        for language in UI_LANGUAGES
        if not (texts or {}).get(language)
    ]
    if missing:
        raise ValueError(f"{TEXTS_FILE.name} lacks {', '.join(missing)}")
    return table


def texts(language: str) -> Texts:
    """The console's texts in ``language`` (the default language for any other)."""
    return Texts(language if language in UI_LANGUAGES else UI_LANGUAGES[0], _table())


def preferred_language(accept_language: str) -> str:
    """The console language a browser asks for first (``Accept-Language``), before anyone logs in."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in UI_LANGUAGES:
            return code
    return UI_LANGUAGES[0]


def language_name(code: str) -> str:
    """A user's language as the console shows it: its own name and its code, e.g. "العربية (ar)"."""
    return f"{ENDONYMS[code]} ({code})" if code in ENDONYMS else code


def channel_label(words: Texts, channel: str) -> str:
    """A channel as counsellors know it ("Telegram", "Web chat"); an unknown one by its name."""
    key = f"channel_{channel}"
    return words(key) if words.has(key) else channel

"""The languages the guide speaks, how it recognises them, and which one it answers in."""

from bot.language.supported import DEFAULT_LANGUAGE, ENDONYMS, SUPPORTED_LANGUAGES

__all__ = ["DEFAULT_LANGUAGE", "ENDONYMS", "SUPPORTED_LANGUAGES"]

"""Recognising the language a message is written in.

The guide answers in six languages, but people also write in others (Russian,
French, Persian, ...). The detector therefore also knows a few frequent
unsupported languages: a message clearly in one of them is reported as
unsupported instead of being forced into the nearest supported language.

Short messages ("ok", "danke", "👍") carry too little text to be sure; the
detector reports them as unreliable and leaves it to the caller to keep the
conversation's language (see :mod:`bot.language.choice`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot.language.supported import SUPPORTED_LANGUAGES

_WORD = re.compile(r"\w+")

#: Frequent languages of newcomers to Stuttgart that the guide does not answer in.
#: Knowing them keeps e.g. Russian from being read as Ukrainian, Persian as Arabic.
KNOWN_UNSUPPORTED_LANGUAGES = ("ru", "fr", "it", "pl", "pt", "fa")

#: A supported language is trusted when the detector gives it at least this
#: share of its confidence ...
RELIABLE_CONFIDENCE = 0.5
#: ... or when it leads the runner-up by this much.
RELIABLE_LEAD = 0.2
#: An unsupported language must be this clear before the guide says it does not
#: speak it: a false "I don't speak your language" is worse than a guess.
UNSUPPORTED_CONFIDENCE = 0.6
#: A message with fewer letters or words than this is never reliable: "ok",
#: "danke", "hola" are said in many conversations, and one word may be a
#: German term in any language ("Anmeldung").
MIN_LETTERS = 8
MIN_WORDS = 2


@dataclasses.dataclass(frozen=True)
class Detection:
    """What the detector found out about one message.

    Attributes:
        language: ISO 639-1 code of the most likely language (supported or not).
        confidence: The detector's confidence in ``language``, 0 to 1.
        supported: Whether the guide answers in ``language``.
        reliable: Whether there was enough evidence to act on the result.
    """

    language: str
    confidence: float
    supported: bool
    reliable: bool

    def as_dict(self) -> dict:
        """The detection as plain data, as it travels in Rasa's parse data."""
        return dataclasses.asdict(self)


def _to_lingua(code: str) -> Language:
    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


def _to_code(language: Language) -> str:
    return language.iso_code_639_1.name.lower()


class LanguageDetector:
    """Detects the language of a message among the supported and known others."""

    def __init__(self, preload: bool = True) -> None:
        candidates = [_to_lingua(c) for c in SUPPORTED_LANGUAGES + KNOWN_UNSUPPORTED_LANGUAGES]
        builder = LanguageDetectorBuilder.from_languages(*candidates)
        if preload:
            # Loading lazily would make the first message in each language slow.
            builder = builder.with_preloaded_language_models()
        self._detector = builder.build()

    def detect(self, text: str) -> Optional[Detection]:
        """Detect the language of ``text``; ``None`` when it has no letters at all."""
        letters = sum(ch.isalpha() for ch in text)
        if letters == 0:
            return None
        long_enough = letters >= MIN_LETTERS and len(_WORD.findall(text)) >= MIN_WORDS
        ranked = [(_to_code(v.language), v.value) for v in self._detector.compute_language_confidence_values(text)]
        top_code, top_value = ranked[0]
        if top_code not in SUPPORTED_LANGUAGES:
            if long_enough and top_value >= UNSUPPORTED_CONFIDENCE:
                return Detection(top_code, top_value, supported=False, reliable=True)
        return self._best_supported(ranked, long_enough)

    @staticmethod
    def _best_supported(ranked: list[tuple[str, float]], long_enough: bool) -> Detection:
        position, (code, value) = next((i, item) for i, item in enumerate(ranked) if item[0] in SUPPORTED_LANGUAGES)
        runner_up = max((v for i, (_, v) in enumerate(ranked) if i != position), default=0.0)
        reliable = long_enough and (value >= RELIABLE_CONFIDENCE or value - runner_up >= RELIABLE_LEAD)
        return Detection(code, value, supported=True, reliable=reliable)

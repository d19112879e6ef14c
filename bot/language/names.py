"""Finding the language a user asks for ("auf Deutsch bitte", "/language tr").

Names are matched as word beginnings after folding case and diacritics, so
inflected forms match too ("deutsch", "deutschen"; "німецькою"; "almanca").
"""

from __future__ import annotations

import re
from typing import Optional

from bot.text import fold

#: Word beginnings that name a language, in each supported language and a few
#: common spellings without diacritics. Order does not matter.
_NAME_STEMS = {
    "de": [
        "deutsch",
        "german",
        "almanca",
        "aleman",
        "allemand",
        "alman dil",
        "الالماني",
        "المانى",
        "الماني",
        "німецьк",
        "нiмецьк",
        "немецк",
    ],
    "en": [
        "english",
        "englisch",
        "ingilizce",
        "ingles",
        "anglais",
        "الانجليزي",
        "الإنجليزي",
        "انجليزي",
        "انكليزي",
        "англійськ",
        "английск",
    ],
    "tr": ["turkish", "turkisch", "turkce", "turkçe", "turco", "turc", "التركي", "تركي", "турецьк", "турецк"],
    "ar": ["arabic", "arabisch", "arapca", "arabe", "العربي", "عربي", "арабськ", "арабск"],
    "uk": [
        "ukrainian",
        "ukrainisch",
        "ukraynaca",
        "ucraniano",
        "ukrainien",
        "الاوكراني",
        "الأوكراني",
        "українськ",
        "украинск",
        "украiнськ",
    ],
    "es": [
        "spanish",
        "spanisch",
        "ispanyolca",
        "espanol",
        "español",
        "castellano",
        "espagnol",
        "الاسباني",
        "الإسباني",
        "іспанськ",
        "испанск",
    ],
}

_CODES = {code: code for code in _NAME_STEMS}
_PATTERNS = [
    (code, re.compile(r"(?:^|[\s/(\"'«,.:;!?-])[وفبل]?(?:" + "|".join(re.escape(fold(stem)) for stem in stems) + r")"))
    for code, stems in _NAME_STEMS.items()
]
_CODE_ARGUMENT = re.compile(r"^/\w+\s+([a-z]{2})\b")


def requested_language(text: str) -> Optional[str]:
    """The supported language ``text`` asks for, or ``None`` if it names none.

    Accepts a language code after a command ("/language de") and language names
    in any supported language ("in English please", "Türkçe lütfen").
    """
    folded = fold(text)
    argument = _CODE_ARGUMENT.match(folded.strip())
    if argument and argument.group(1) in _CODES:
        return argument.group(1)
    found = [(m.start(), code) for code, pattern in _PATTERNS if (m := pattern.search(folded))]
    return min(found)[1] if found else None

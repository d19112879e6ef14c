"""Small text helpers shared by the NLU components and the language code."""

import unicodedata

# Letters that do not decompose into base letter + mark but are commonly typed
# without their distinction on foreign keyboards.
_EXTRA_FOLDS = str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "ł": "l", "ـ": ""})


def fold(text: str) -> str:
    """Lower-case ``text`` and drop diacritics, so "Öğrenim" matches "ogrenim".

    Works for every script the guide meets: it removes Latin accents, Arabic
    vowel marks (harakat) and the tatweel, and Cyrillic breves and diaereses.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

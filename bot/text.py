"""Small text helpers shared by the NLU components, the language code and the actions."""

import unicodedata

#: Only this many characters of a message are read; the rest of a very long
#: message is kept in the conversation but does not change what it is about.
MAX_UNDERSTOOD_CHARS = 1000

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

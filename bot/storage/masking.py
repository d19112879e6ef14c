"""Removing personal data from a question before it is kept for editors.

People write their e-mail address, phone number, name or street into a chat
although the guide asks them not to. Editors need the question, not the
person, so those parts are replaced by placeholders such as ``[phone]``
before anything is stored:

- e-mail addresses, web links and @handles;
- phone numbers, found by Google's libphonenumber rules (``phonenumbers``)
  for German and international numbers, and any other run of 7 or more
  digits (tax ids, case and account numbers, IBANs);
- dates with a year (birth dates), German street addresses;
- names where people introduce or sign themselves ("my name is ...",
  "ich heiße ...", "adım ...", "اسمي ...", "мене звати ...", "me llamo ...",
  "Frau ...", "Grüße, ...").

A name mentioned any other way cannot be told from an ordinary word without
a language model per language; what remains is stored without any user id,
so it cannot be tied to a person through the guide's data.
"""

from __future__ import annotations

import re

import phonenumbers

#: The region assumed for numbers written without a country code.
DEFAULT_REGION = "DE"

EMAIL = "[email]"
PHONE = "[phone]"
NUMBER = "[number]"
LINK = "[link]"
DATE = "[date]"
ADDRESS = "[address]"
NAME = "[name]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
# Seven or more digits, possibly grouped by spaces, dots, slashes or dashes.
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s./-]?\d){6,}")
_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d{2}\b")
_STREET = re.compile(
    r"\b[\wäöüÄÖÜß-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|steige|staffel)"
    r"\s+\d+\s?[a-z]?\b",
    re.IGNORECASE,
)

# A name is one or two words; it ends at punctuation or at a word that joins clauses.
_NAME_WORD = r"[^\W\d_][\w'’-]*"
_JOINERS = {"and", "und", "y", "ve", "و", "і", "та", "и", "i", "ich", "bin", "from", "aus", "de"}
#: Arabic writes "and" as a prefix of the next word (وأريد: "and I want").
_JOINING_PREFIX = "و"
_INTRODUCTIONS = re.compile(
    r"(?P<intro>\b(?:my name is|my name's|i am called|i'm called|"
    r"ich heiße|ich heisse|mein name ist|mein name lautet|"
    r"benim adım|benim adim|adım|adim|ismim|"
    r"мене звати|мене звуть|моє ім['’]я|"
    r"me llamo|mi nombre es|"
    r"mr\.?|mrs\.?|ms\.?|herr|frau|sr\.?|sra\.?|señor|señora|bay|bayan|пан|пані)"
    r"|(?:اسمي|انا اسمي|أنا اسمي))"
    r"(?P<sep>[\s:,]+)(?P<name>" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)",
    re.IGNORECASE,
)
_SIGNATURES = re.compile(
    r"(?P<intro>\b(?:grüße|gruß|grüsse|viele grüße|lg|mfg|regards|best|thanks|cheers|"
    r"saludos|gracias|teşekkürler|selamlar|з повагою|дякую|شكرا|مع التحية))"
    r"(?P<sep>[\s,!.]+)(?P<name>" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)\s*[.!]?\s*$",
    re.IGNORECASE,
)


def mask_personal_data(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers, names and similar replaced by placeholders."""
    text = _EMAIL.sub(EMAIL, text)
    text = _LINK.sub(LINK, text)
    text = _HANDLE.sub(NAME, text)
    text = _mask_phone_numbers(text)
    text = _IBAN.sub(NUMBER, text)
    text = _DATE.sub(DATE, text)
    text = _LONG_NUMBER.sub(NUMBER, text)
    text = _STREET.sub(ADDRESS, text)
    text = _INTRODUCTIONS.sub(_masked_name, text)
    return _SIGNATURES.sub(_masked_name, text)


def _mask_phone_numbers(text: str) -> str:
    matches = list(phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION))
    for match in reversed(matches):
        text = text[: match.start] + PHONE + text[match.end :]
    return text


def _masked_name(match: re.Match) -> str:
    words = match.group("name").split()
    if len(words) == 2 and (words[1].lower() in _JOINERS or words[1].startswith(_JOINING_PREFIX)):
        return f"{match.group('intro')}{match.group('sep')}{NAME} {words[1]}"
    if words[0].lower() in _JOINERS or words[0].startswith("["):
        return match.group(0)
    return f"{match.group('intro')}{match.group('sep')}{NAME}"

"""Turning the guide's replies into Telegram messages: HTML, length limits, keyboards.

Telegram shows a message in its ``HTML`` parse mode only if every ``<``, ``>``
and ``&`` of the text is escaped; an unescaped one makes the Bot API refuse the
whole message. Telegram also refuses texts over 4096 characters (counted after
the markup is parsed, in UTF-16 code units like every offset of the Bot API)
and button data over 64 bytes. The helpers here keep every reply within those
rules; they only build data and never talk to Telegram, so they are easy to test.
"""

from __future__ import annotations

import collections
import hashlib
import html
import re
from typing import Dict, Iterable, List, Optional, Sequence
from urllib.parse import urlparse

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

#: Longest text of one Telegram message.
MAX_MESSAGE_LENGTH = 4096
#: Largest ``callback_data`` of an inline button, in bytes.
MAX_CALLBACK_DATA_BYTES = 64
#: A row of inline buttons holds at most this many buttons and title characters,
#: so titles stay readable on a phone.
MAX_BUTTONS_PER_ROW = 3
MAX_ROW_TITLE_CHARS = 30
#: Links in the sources list show at most this much of their address.
MAX_LINK_TEXT_CHARS = 60

_URL = re.compile(r"https?://[^\s<>\"]+|www\.[^\s<>\"]+", re.IGNORECASE)
#: Characters that end a sentence rather than a URL ("see https://x.de.").
_URL_TRAILING = ".,;:!?)]}»\"'…"
#: Places to split a long text, best first: paragraphs, lines, sentences, words.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?…؟。])\s+"),
    re.compile(r"\s+"),
)


def telegram_length(text: str) -> int:
    """The length of ``text`` as Telegram counts it: UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def to_html(text: str) -> str:
    """``text`` escaped for Telegram's HTML parse mode, with its web addresses as links.

    Addresses are linked explicitly rather than left to Telegram's own
    detection, which misses some (long ones, ones next to Arabic text).
    """
    parts: List[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        parts.append(html.escape(text[position : match.start()], quote=False))
        parts.append(link(url if not url.lower().startswith("www.") else f"https://{url}", url))
        position = match.start() + len(url)
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


def link(url: str, label: str) -> str:
    """An HTML link to ``url`` showing ``label``, both escaped."""
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(label, quote=False)}</a>'


def link_text(url: str) -> str:
    """A short, readable form of ``url`` for a list of links ("bamf.de/…/anmeldung")."""
    parsed = urlparse(url)
    shown = (parsed.netloc.removeprefix("www.") + parsed.path).rstrip("/") or url
    if len(shown) > MAX_LINK_TEXT_CHARS:
        shown = shown[: MAX_LINK_TEXT_CHARS - 1] + "…"
    return shown


def sources_html(label: str, sources: Sequence[str]) -> str:
    """The sources of an answer as one message: the label, then one link per line."""
    lines = [f"<b>{html.escape(label, quote=False)}</b>"]
    lines += [f"• {link(url, link_text(url))}" for url in sources]
    return "\n".join(lines)


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> List[str]:
    """``text`` in pieces of at most ``limit`` characters, cut where a reader would pause.

    A piece ends at the last paragraph break that leaves it at least half
    full; failing that at a line break, a sentence end, a space, and only as
    a last resort in the middle of a word. Blank text gives no pieces.
    """
    pieces: List[str] = []
    rest = text.strip()
    while rest:
        if telegram_length(rest) <= limit:
            pieces.append(rest)
            break
        cut = _cut_position(rest[: _fitting_prefix(rest, limit)])
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return pieces


def _fitting_prefix(text: str, limit: int) -> int:
    """The number of characters of ``text`` that fit in ``limit`` UTF-16 code units."""
    used = 0
    for index, character in enumerate(text):
        used += 2 if ord(character) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def _cut_position(window: str) -> int:
    """Where to end a piece that may be at most ``window``."""
    for boundary in _BOUNDARIES:
        ends = [match.end() for match in boundary.finditer(window) if match.start() >= len(window) // 2]
        if ends:
            return ends[-1]
    return len(window)


class CallbackPayloads:
    """Fits button payloads into Telegram's 64 bytes of ``callback_data``.

    A payload that fits is sent as it is, so it survives a restart of the
    server. A longer one is replaced by a short id (a hash of the payload)
    and remembered here, for the most recent ``capacity`` payloads: a press
    on a button older than that, or from before a restart, is not understood.
    Payloads starting with ``#`` always get an id, so that ids and the
    channel's own controls (:data:`CONTROL_PREFIX`) cannot be forged by content.
    """

    #: Data starting with this is an id or one of the channel's own controls.
    CONTROL_PREFIX = "#"

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._payloads: collections.OrderedDict[str, str] = collections.OrderedDict()

    def data_for(self, payload: str) -> str:
        """The ``callback_data`` to send for ``payload``."""
        if len(payload.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES and not payload.startswith(self.CONTROL_PREFIX):
            return payload
        key = f"{self.CONTROL_PREFIX}p:{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:24]}"
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return key

    def payload_for(self, data: str) -> Optional[str]:
        """The payload a button press with ``data`` stands for; ``None`` if unknown."""
        if not data.startswith(self.CONTROL_PREFIX):
            return data
        return self._payloads.get(data)


def keyboard(buttons: Iterable[Dict[str, str]], payloads: CallbackPayloads) -> InlineKeyboardMarkup:
    """Buttons as an inline keyboard.

    A button is Rasa's ``title`` with a ``payload`` (sent back as the user's
    message when pressed) or a ``url`` (opened), or the channel's own
    ``title`` with ``callback_data`` (one of its controls, used as it is).
    """
    inline = [_inline_button(button, payloads) for button in buttons]
    return InlineKeyboardMarkup(_rows(inline))


def _inline_button(button: Dict[str, str], payloads: CallbackPayloads) -> InlineKeyboardButton:
    title = str(button.get("title") or button.get("payload") or "?")
    if button.get("url"):
        return InlineKeyboardButton(title, url=button["url"])
    if button.get("callback_data"):
        return InlineKeyboardButton(title, callback_data=button["callback_data"])
    return InlineKeyboardButton(title, callback_data=payloads.data_for(str(button.get("payload") or title)))


def _rows(buttons: List[InlineKeyboardButton]) -> List[List[InlineKeyboardButton]]:
    """Short buttons side by side, long ones on rows of their own."""
    rows: List[List[InlineKeyboardButton]] = []
    for button in buttons:
        row = rows[-1] if rows else None
        if (
            row
            and len(row) < MAX_BUTTONS_PER_ROW
            and sum(len(b.text) for b in row) + len(button.text) <= MAX_ROW_TITLE_CHARS
        ):
            row.append(button)
        else:
            rows.append([button])
    return rows

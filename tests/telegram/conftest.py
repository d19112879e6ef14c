"""The Telegram tests' view of the session's shared guide (``tests/conftest.py``).

That guide runs with Telegram switched on and ``TELEGRAM_API_BASE_URL``
pointing at a local stand-in of the Bot API, so the real python-telegram-bot
code sends every reply over HTTP. Tests post updates to the guide's webhook
as Telegram would and read what reached the "chat" from the stand-in; each
test uses chat ids of its own (``tests.support.new_chat``).

(This folder is not a package: one named ``telegram`` would hide
python-telegram-bot. Its helpers are imported as ``tests.telegram.bot_api``
and ``tests.support``.)
"""

from __future__ import annotations

import pytest

from tests.support import Guide, TelegramGuide
from tests.telegram.bot_api import BotApiStandIn


@pytest.fixture
def bot_api(telegram_api: BotApiStandIn) -> BotApiStandIn:
    """The Bot API stand-in the shared guide sends to."""
    return telegram_api


@pytest.fixture
def telegram_guide(guide: Guide, telegram_api: BotApiStandIn) -> TelegramGuide:
    """The shared guide, seen from Telegram's side."""
    return TelegramGuide(guide, telegram_api)

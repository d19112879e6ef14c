"""Without Telegram credentials the guide runs as before, and its Telegram webhook says why it refuses.

(Here rather than in ``tests/telegram/`` because it needs a guide without
Telegram, the plain guide of ``tests/e2e/conftest.py``, which is started with
the Telegram variables empty whatever the shell has.)
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from bot.channels.telegram import WEBHOOK_PATH
from tests.support import element

pytestmark = pytest.mark.e2e


def test_without_a_telegram_token_the_guide_runs_and_its_telegram_webhook_says_why(plain_guide):
    guide = plain_guide
    request = urllib.request.Request(guide.url + WEBHOOK_PATH, data=b"{}", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 503 and refused.value.read() == b"Telegram is not configured"
    assert element(guide.ask("Wie viel Kaution darf mein Vermieter verlangen?"))["lang"] == "de"

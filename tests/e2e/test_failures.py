"""When a part of the guide fails, the user still gets a clear reply and nothing is lost."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.support import ACTION_SERVER, child_pid, element, new_sender, texts

pytestmark = pytest.mark.e2e


def test_a_crashed_action_server_gets_an_apology_and_is_restarted(guide):
    sender = new_sender()
    os.kill(child_pid(guide.process.pid, ACTION_SERVER), signal.SIGKILL)
    reply = guide.ask("Wie viel Kaution darf der Vermieter verlangen?", sender=sender)
    assert element(reply)["lang"] == "de"
    assert element(reply)["type"] in ("fallback", "answer")  # apology, or already restarted
    assert texts(reply)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        reply = guide.ask("Wie viel Kaution darf der Vermieter verlangen?", sender=sender)
        if element(reply)["type"] == "answer":
            break
        time.sleep(1)
    assert element(reply)["topic"] == "housing_deposit"
    assert guide.process.poll() is None

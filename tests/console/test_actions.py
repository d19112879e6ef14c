"""What a counsellor may do to a conversation, and what they are told when it cannot be done.

Here the guide's Rasa server is down (nothing listens where the console
looks for it): the console must say so plainly and change nothing. The same
actions against a running guide are in ``test_with_guide.py``.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from bot.storage.handoffs import CLAIMED
from tests.console.support import act, log_in

UNREACHABLE = (
    "The guide's server (Rasa) cannot be reached. Nothing was sent and nothing changed; your text is still there."
)


@pytest.fixture
def handoff(queue, counsellors):
    """A conversation Anna has claimed."""
    handoff = queue.open_handoff("chat-1", "telegram", "ar", ["registration_where"])
    assert queue.claim(handoff.id, counsellors["anna"])
    return handoff


def test_claiming_while_the_guide_is_down_still_gives_the_conversation_and_says_the_user_was_not_told(
    client, queue, counsellors
):
    handoff = queue.open_handoff("chat-1", "telegram", "ar")
    log_in(client, "anna")
    answer = act(client, f"/handoffs/{handoff.id}/claim")
    assert answer.status_code == 200
    assert "the user could not be told" in answer.json()["warning"]
    page = client.get(answer.json()["url"]).text
    assert "the user could not be told" in page and 'id="reply-form"' in page
    assert queue.get(handoff.id).counsellor_id == counsellors["anna"]


def test_a_reply_while_the_guide_is_down_is_refused_clearly(client, queue, handoff):
    log_in(client, "anna")
    answer = act(client, f"/handoffs/{handoff.id}/reply", text="Hello, how can I help?")
    assert answer.status_code == 502 and answer.json()["error"] == UNREACHABLE


def test_handing_back_while_the_guide_is_down_changes_nothing(client, queue, handoff):
    log_in(client, "anna")
    answer = act(client, f"/handoffs/{handoff.id}/handback", outcome="answered")
    assert answer.status_code == 502 and answer.json()["error"] == UNREACHABLE
    unchanged = queue.get(handoff.id)
    assert unchanged.status == CLAIMED and unchanged.outcome is None


def test_pages_still_open_while_the_guide_is_down(client, queue, handoff):
    log_in(client, "anna")
    assert client.get("/").status_code == 200
    page = client.get(f"/handoffs/{handoff.id}")
    assert page.status_code == 200 and "العربية (ar)" in page.text


def test_only_the_counsellor_who_claimed_a_conversation_can_reply_or_hand_it_back(client, queue, handoff):
    log_in(client, "ben")  # Ben reads the console in German
    for action, fields in (
        ("reply", {"text": "Hallo"}),
        ("answer", {"topic": "registration_where"}),
        ("handback", {"outcome": "answered"}),
    ):
        answer = act(client, f"/handoffs/{handoff.id}/{action}", **fields)
        assert answer.status_code == 403, action
        assert answer.json()["error"].startswith("Nur wer das Gespräch übernommen hat")
    page = client.get(f"/handoffs/{handoff.id}").text
    assert 'id="reply-form"' not in page and "Anna Schmidt bearbeitet dieses Gespräch." in page
    assert queue.get(handoff.id).status == CLAIMED


def test_a_conversation_claimed_by_someone_else_cannot_be_claimed_again(client, queue, handoff):
    log_in(client, "ben")
    answer = act(client, f"/handoffs/{handoff.id}/claim")
    assert answer.status_code == 409 and answer.json()["error"] == "Bereits übernommen von Anna Schmidt."


@pytest.mark.parametrize(
    "action, fields, status, error",
    [
        ("reply", {"text": "   "}, 400, "Please write something first."),
        ("reply", {"text": "x" * 4001}, 400, "The text is too long: 4000 characters at most."),
        ("answer", {"topic": "no_such_topic"}, 400, "There is no such topic in the knowledge base."),
        ("handback", {"outcome": "vanished"}, 400, "Please choose an outcome."),
        ("notes", {"text": ""}, 400, "Please write something first."),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(client, handoff, action, fields, status, error):
    log_in(client, "anna")
    answer = act(client, f"/handoffs/{handoff.id}/{action}", **fields)
    assert (answer.status_code, answer.json()["error"]) == (status, error)


def test_an_unknown_conversation_is_not_found(client, counsellors):
    log_in(client, "anna")
    assert client.get("/handoffs/999").status_code == 404
    assert act(client, "/handoffs/999/claim").json()["error"] == "There is no such conversation (any more)."


def test_notes_are_kept_with_author_and_never_need_the_guide(app, client, queue, handoff):
    log_in(client, "anna")
    assert act(client, f"/handoffs/{handoff.id}/notes", text="Called the Ausländerbehörde.").json() == {"ok": True}
    with TestClient(app) as colleague:  # a colleague may add a note too
        log_in(colleague, "ben")
        assert act(colleague, f"/handoffs/{handoff.id}/notes", text="Follow up on Monday.").status_code == 200
    notes = queue.get(handoff.id).notes
    assert [(n.text, n.counsellor.display_name) for n in notes] == [
        ("Called the Ausländerbehörde.", "Anna Schmidt"),
        ("Follow up on Monday.", "Ben Yılmaz"),
    ]

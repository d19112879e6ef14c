"""The handoff queue keeps its rules in the database: one open handoff per
conversation, one counsellor per claim, and deletion on time. Runs on SQLite
and, when one is given, on a real PostgreSQL server."""

from __future__ import annotations

import datetime
import threading

import pytest

from bot.storage import session_factory
from bot.storage.accounts import create_account
from bot.storage.handoffs import CLAIMED, CLOSED, QUEUED, HandoffError, HandoffQueue


@pytest.fixture
def queue(guide_database) -> HandoffQueue:
    return HandoffQueue(guide_database)


def _counsellors(engine, *names):
    with session_factory(engine).begin() as session:
        accounts = [create_account(session, name, name.title(), "a long enough password") for name in names]
    return [account.id for account in accounts]


def test_asking_twice_queues_a_conversation_once(queue):
    first = queue.open_handoff("chat-1", "telegram", "ar", ["housing_deposit"])
    again = queue.open_handoff("chat-1", "telegram", "ar", [], contact_consent=True)
    assert again.id == first.id
    assert [h.id for h in queue.waiting()] == [first.id]
    assert queue.get(first.id).contact_consent is True
    assert queue.get(first.id).topics_tried == ["housing_deposit"]


def test_the_queue_lists_the_longest_waiting_first(queue):
    ids = [queue.open_handoff(f"chat-{n}", "socketio", "de").id for n in range(3)]
    assert [h.id for h in queue.waiting()] == ids


@pytest.mark.parametrize("rounds", [5])
def test_two_counsellors_claiming_at_once_exactly_one_gets_it(queue, guide_database, rounds):
    anna, ben = _counsellors(guide_database, "anna", "ben")
    for round_ in range(rounds):
        handoff = queue.open_handoff(f"race-{round_}", "socketio", "uk")
        start = threading.Barrier(2)
        results = {}

        def claim(counsellor):
            start.wait()
            results[counsellor] = queue.claim(handoff.id, counsellor)

        threads = [threading.Thread(target=claim, args=(who,)) for who in (anna, ben)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results.values()) == [False, True]
        winner = next(who for who, won in results.items() if won)
        stored = queue.get(handoff.id)
        assert stored.status == CLAIMED and stored.counsellor_id == winner


def test_only_the_counsellor_who_claimed_can_close_and_then_it_leaves_the_lists(queue, guide_database):
    anna, ben = _counsellors(guide_database, "anna", "ben")
    handoff = queue.open_handoff("chat-9", "telegram", "es")
    assert queue.claim(handoff.id, anna)
    assert [h.id for h in [h for h in queue.claimed() if h.counsellor_id == anna]] == [handoff.id]
    with pytest.raises(HandoffError):
        queue.close(handoff.id, ben, "answered")
    with pytest.raises(HandoffError):
        queue.close(handoff.id, anna, "made up outcome")
    closed = queue.close(handoff.id, anna, "answered")
    assert closed.status == CLOSED and closed.outcome == "answered"
    assert [h for h in queue.claimed() if h.counsellor_id == anna] == [] and queue.waiting() == []
    # The same person may ask again later: a new handoff.
    assert queue.open_handoff("chat-9", "telegram", "es").id != handoff.id


def test_notes_are_kept_with_their_author_and_refused_when_empty(queue, guide_database):
    (anna,) = _counsellors(guide_database, "anna")
    handoff = queue.open_handoff("chat-2", "socketio", "tr")
    queue.add_note(handoff.id, anna, "  Needs the Anerkennung form in Turkish.  ")
    with pytest.raises(HandoffError):
        queue.add_note(handoff.id, anna, "   ")
    [note] = queue.get(handoff.id).notes
    assert note.text == "Needs the Anerkennung form in Turkish." and note.counsellor.username == "anna"


def test_closed_handoffs_are_deleted_after_the_retention_period_with_their_notes(queue, guide_database):
    (anna,) = _counsellors(guide_database, "anna")
    old, recent, waiting = (queue.open_handoff(f"chat-{n}", "socketio", "de") for n in range(3))
    for handoff in (old, recent):
        queue.claim(handoff.id, anna)
        queue.add_note(handoff.id, anna, "note")
        queue.close(handoff.id, anna, "answered")
    later = datetime.datetime.utcnow() + datetime.timedelta(days=30)
    assert queue.purge_closed(datetime.timedelta(days=90), now=later) == 0
    # Pretend 'old' was closed long ago.
    with queue.sessions.begin() as session:
        session.get(type(old), old.id).closed_at = later - datetime.timedelta(days=200)
    assert queue.purge_closed(datetime.timedelta(days=90), now=later) == 1
    assert queue.get(old.id) is None
    assert queue.get(recent.id) is not None and queue.get(waiting.id).status == QUEUED


def test_a_user_who_asks_to_be_forgotten_leaves_no_handoff(queue):
    queue.open_handoff("chat-7", "telegram", "ar")
    assert queue.delete_conversation("chat-7") == 1
    assert queue.open_for("chat-7") is None

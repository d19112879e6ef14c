"""Conversations can be deleted, one on request or all old ones, from Rasa's real SQL tracker store."""

from __future__ import annotations

import asyncio
import time

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversations.records import delete_conversation, purge_inactive
from bot.privacy import main
from bot.storage.handoffs import HandoffQueue

DAY = 86400


def _store_conversation(store: SQLTrackerStore, sender: str, when: float) -> None:
    tracker = DialogueStateTracker.from_events(sender, [UserUttered("Meine Adresse ist ...", timestamp=when)])
    asyncio.run(store.save(tracker))


def _senders(engine) -> set:
    with engine.connect() as connection:
        return set(connection.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars())


def _store(tmp_path):
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    return store, sa.create_engine(f"sqlite:///{db}", future=True), db


def test_one_conversation_is_deleted_and_the_others_kept(tmp_path):
    store, engine, _ = _store(tmp_path)
    _store_conversation(store, "alice", time.time())
    _store_conversation(store, "bob", time.time())
    assert delete_conversation(engine, "alice") == 1
    assert _senders(engine) == {"bob"}


def test_conversations_inactive_beyond_the_retention_period_are_purged(tmp_path):
    store, engine, _ = _store(tmp_path)
    now = time.time()
    _store_conversation(store, "old", now - 100 * DAY)
    _store_conversation(store, "recent", now - 2 * DAY)
    assert purge_inactive(engine, older_than_days=30, now=now) == 1
    assert _senders(engine) == {"recent"}


def test_the_command_line_deletes_a_conversation_and_its_handoffs(tmp_path, capsys, guide_sqlite):
    store, engine, db = _store(tmp_path)
    _store_conversation(store, "carol", time.time())
    queue = HandoffQueue(guide_sqlite)
    queue.open_handoff("carol", "socketio", "de")
    assert main(["--db", f"sqlite:///{db}", "delete", "carol"]) == 0
    assert "Deleted 1 events and 1 handoffs" in capsys.readouterr().out
    assert _senders(engine) == set()
    assert queue.open_for("carol") is None


def test_deleting_a_conversation_that_is_not_there_fails_loudly(tmp_path, capsys, guide_sqlite):
    store, engine, db = _store(tmp_path)
    _store_conversation(store, "carol", time.time())
    assert main(["--db", f"sqlite:///{db}", "delete", "karol"]) == 1, "a typo must not look like success"
    assert "Nothing of conversation 'karol' is stored" in capsys.readouterr().err
    assert _senders(engine) == {"carol"}


def test_by_default_it_deletes_from_the_tracker_store_the_guide_runs_with(tmp_path, monkeypatch, guide_sqlite):
    store, engine, db = _store(tmp_path)
    _store_conversation(store, "dave", time.time())
    monkeypatch.setenv("TRACKER_DB", str(db))  # as python -m bot.serve sets it
    assert main(["delete", "dave"]) == 0
    assert _senders(engine) == set()


def test_the_command_line_says_when_nothing_is_stored(tmp_path, capsys):
    assert main(["--db", f"sqlite:///{tmp_path / 'empty.db'}", "purge", "--older-than-days", "1"]) == 0
    assert "No conversations are stored" in capsys.readouterr().out

"""Votes on answers are stored per topic and language, and nothing about the person."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa

from bot import feedback
from bot.storage import DATABASE_VARIABLE, database_url, open_database
from bot.storage.votes import TopicVotes, record_vote, summary, votes


def test_votes_are_counted_per_topic_and_language(tmp_path):
    engine = open_database(str(tmp_path / "votes.db"))
    record_vote(engine, "housing_deposit", "de", True)
    record_vote(engine, "housing_deposit", "de", False)
    record_vote(engine, "housing_deposit", "de", True)
    record_vote(engine, "housing_deposit", "ar", False)
    record_vote(engine, "registration_where", "de", True)
    assert summary(engine) == [
        TopicVotes("housing_deposit", "ar", 0, 1),
        TopicVotes("housing_deposit", "de", 2, 1),
        TopicVotes("registration_where", "de", 1, 0),
    ]


def test_a_vote_keeps_only_topic_language_verdict_and_day(tmp_path):
    engine = open_database(str(tmp_path / "votes.db"))
    record_vote(engine, "housing_deposit", "de", True, today=lambda: datetime.date(2026, 11, 28))
    columns = {column["name"] for column in sa.inspect(engine).get_columns("feedback_votes")}
    assert columns == {"id", "topic", "lang", "helpful", "day"}
    with engine.connect() as connection:
        assert connection.execute(sa.select(votes.c.topic, votes.c.lang, votes.c.helpful, votes.c.day)).one() == (
            "housing_deposit",
            "de",
            True,
            datetime.date(2026, 11, 28),
        )


def test_the_database_is_named_by_a_path_or_a_url(tmp_path, monkeypatch):
    monkeypatch.setenv(DATABASE_VARIABLE, str(tmp_path / "sub" / "votes.db"))
    assert database_url() == f"sqlite:///{tmp_path / 'sub' / 'votes.db'}"
    assert database_url("postgresql://guide@db/feedback") == "postgresql://guide@db/feedback"
    open_database()
    assert (tmp_path / "sub" / "votes.db").exists()


def test_made_up_ids_are_refused(tmp_path):
    engine = open_database(str(tmp_path / "votes.db"))
    with pytest.raises(ValueError):
        record_vote(engine, "x" * 101, "de", True)
    with pytest.raises(ValueError):
        record_vote(engine, "housing_deposit", "", True)


def test_the_command_prints_the_summary(tmp_path, capsys):
    db = str(tmp_path / "votes.db")
    assert feedback.main(["--db", db]) == 0
    assert "No votes yet." in capsys.readouterr().out
    record_vote(open_database(db), "housing_deposit", "de", True)
    feedback.main(["--db", db])
    assert "housing_deposit" in capsys.readouterr().out

"""Every day the guide stamps is the Welcome Center's day (Europe/Berlin), just before and after midnight.

The server may run in UTC: one or two hours behind Stuttgart. These tests
set the clock to one second before and one second after midnight, both in
UTC and in Berlin, and run each path that stamps or compares days.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from bot import clock
from bot.editorial.__main__ import main as editorial
from bot.editorial.check import check_content
from bot.editorial.report import render_report
from bot.editorial.topic_files import read_topic, write_topic
from bot.editorial.translations import export_translations
from bot.feedback import EditorsFeedback
from bot.handoff.settings import load_settings
from bot.storage import open_database
from bot.storage.unanswered import LOW_CONFIDENCE, read_unanswered, record_unanswered
from bot.storage.votes import record_vote, votes

UTC = datetime.timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")

#: (the moment, the Welcome Center's day at that moment)
MIDNIGHTS = {
    "23:59:59 UTC": (datetime.datetime(2026, 12, 8, 23, 59, 59, tzinfo=UTC), datetime.date(2026, 12, 9)),
    "00:00:01 UTC": (datetime.datetime(2026, 12, 9, 0, 0, 1, tzinfo=UTC), datetime.date(2026, 12, 9)),
    "23:59:59 Berlin": (datetime.datetime(2026, 12, 8, 23, 59, 59, tzinfo=BERLIN), datetime.date(2026, 12, 8)),
    "00:00:01 Berlin": (datetime.datetime(2026, 12, 9, 0, 0, 1, tzinfo=BERLIN), datetime.date(2026, 12, 9)),
    "00:00:01 Berlin, summer": (datetime.datetime(2026, 7, 1, 0, 0, 1, tzinfo=BERLIN), datetime.date(2026, 7, 1)),
}


@pytest.fixture(params=list(MIDNIGHTS), ids=list(MIDNIGHTS))
def midnight(request):
    """The clock stopped at one of the moments; yields the Welcome Center's day then."""
    moment, day = MIDNIGHTS[request.param]
    with time_machine.travel(moment, tick=False):
        yield day


def test_the_guides_day_is_the_day_in_stuttgart(midnight):
    assert clock.today() == midnight


def test_a_vote_is_filed_under_the_day_in_stuttgart(tmp_path, midnight):
    engine = open_database(str(tmp_path / "guide.db"))
    record_vote(engine, "housing_deposit", "de", True)
    EditorsFeedback(engine).vote("housing_deposit", "de", False)
    with engine.connect() as connection:
        assert connection.execute(sa.select(votes.c.day)).scalars().all() == [midnight, midnight]


def test_an_unanswered_question_is_filed_under_the_day_in_stuttgart(tmp_path, midnight):
    engine = open_database(str(tmp_path / "guide.db"))
    record_unanswered(engine, "Hundesteuer?", "de", LOW_CONFIDENCE)
    assert EditorsFeedback(engine).note_unanswered("Angelschein?", "de", "nlu_fallback").result(timeout=30)
    assert [q.day for q in read_unanswered(engine)] == [midnight, midnight]


def test_forgetting_old_questions_counts_days_in_stuttgart(tmp_path, midnight, capsys):
    engine = open_database(str(tmp_path / "guide.db"))
    record_unanswered(
        engine, "kept: exactly 30 days old", "de", LOW_CONFIDENCE, today=lambda: midnight - datetime.timedelta(days=30)
    )
    record_unanswered(
        engine, "gone: 31 days old", "de", LOW_CONFIDENCE, today=lambda: midnight - datetime.timedelta(days=31)
    )
    assert editorial(["forget", "--older-than-days", "30", "--db", str(tmp_path / "guide.db")]) == 0
    assert [q.text for q in read_unanswered(engine)] == ["kept: exactly 30 days old"]
    assert f"from before {(midnight - datetime.timedelta(days=30)).isoformat()}" in capsys.readouterr().out


def test_a_review_grows_stale_on_the_day_in_stuttgart(knowledge_copy: Path, midnight):
    deposit = knowledge_copy / "topics/housing/housing_deposit.yml"
    data = read_topic(deposit)
    data["reviewed"] = midnight.replace(year=midnight.year - 1)  # exactly twelve months ago: still fresh
    write_topic(deposit, data)
    assert not [p for p in check_content(knowledge_copy, review_months=12).stale if "housing_deposit" in str(p)]
    data["reviewed"] = midnight.replace(year=midnight.year - 1) - datetime.timedelta(days=1)
    write_topic(deposit, data)
    assert [p for p in check_content(knowledge_copy, review_months=12).stale if "housing_deposit" in str(p)]


def test_the_content_report_is_dated_with_the_day_in_stuttgart(knowledge_copy: Path, midnight):
    assert midnight.isoformat() in render_report(knowledge_copy)


def test_a_translation_file_is_dated_in_stuttgart_time_with_its_offset(knowledge_copy: Path, midnight):
    created = export_translations("tr", knowledge_copy).metadata["POT-Creation-Date"]
    stamp = datetime.datetime.strptime(created, "%Y-%m-%d %H:%M%z")
    assert stamp.date() == midnight
    assert stamp.utcoffset() == clock.now().utcoffset(), "the offset is Berlin's, not a fixed +0000"


def test_office_hours_until_midnight_include_the_last_minute(tmp_path):
    settings = tmp_path / "handoff.yml"
    settings.write_text("timezone: Europe/Berlin\noffice_hours:\n  tuesday: ['00:00-24:00']\n")
    hours = load_settings(settings).office_hours
    assert hours.is_open(datetime.datetime(2026, 12, 8, 23, 59, 59, tzinfo=BERLIN))
    assert hours.is_open(datetime.datetime(2026, 12, 8, 0, 0, 0, tzinfo=BERLIN))
    assert not hours.is_open(datetime.datetime(2026, 12, 9, 0, 0, 1, tzinfo=BERLIN)), "Wednesday is closed"

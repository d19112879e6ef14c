"""The running guide picks up editors' changes, and never half a change or a broken one."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, LiveKnowledge

DEPOSIT = Path("topics/housing/housing_deposit.yml")
OLD = "The deposit (Kaution) may be at most three months' net rent"
NEW = "The deposit (Kaution) can be at most three months' net rent"


class Clock:
    """A monotonic clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _replace(folder: Path, old: str, new: str, age_seconds: float = 5.0) -> None:
    """Save a change as an editor would, ``age_seconds`` ago (so it counts as finished)."""
    path = folder / DEPOSIT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))


@pytest.fixture
def live(knowledge_copy):
    clock = Clock()
    holder = LiveKnowledge(knowledge_copy, interval=2.0, settle=1.0, clock=clock)
    holder.clock = clock
    return holder


def _answer(live: LiveKnowledge) -> str:
    return live.current().topic("housing_deposit").answer("en")


def test_a_changed_answer_is_served_after_the_next_look(live, knowledge_copy):
    assert _answer(live).startswith(OLD)
    _replace(knowledge_copy, OLD, NEW)
    assert _answer(live).startswith(OLD), "looked at most every 2 s"
    live.clock.now += 2
    assert _answer(live).startswith(NEW)


def test_a_file_still_being_written_is_not_read(live, knowledge_copy):
    _answer(live)
    _replace(knowledge_copy, OLD, NEW, age_seconds=0)
    live.clock.now += 2
    assert _answer(live).startswith(OLD)
    os.utime(knowledge_copy / DEPOSIT, (time.time() - 5, time.time() - 5))
    live.clock.now += 2
    assert _answer(live).startswith(NEW)


def test_a_broken_change_keeps_the_last_good_content_and_logs_where_it_is_broken(live, knowledge_copy, caplog):
    before = live.current()
    _replace(knowledge_copy, "  de:\n    status: machine", "  de:\n    status: machine\n    answer: [unclosed")
    live.clock.now += 2
    with caplog.at_level(logging.ERROR, logger="bot.knowledge.live"):
        assert live.current() is before
    assert "still answering from the previous content" in caplog.text
    assert "knowledge/topics/housing/housing_deposit.yml" in caplog.text

    caplog.clear()
    live.clock.now += 2
    with caplog.at_level(logging.ERROR, logger="bot.knowledge.live"):
        assert live.current() is before
    assert not caplog.text, "the same broken state is reported once"

    _replace(knowledge_copy, "\n    answer: [unclosed", "")
    _replace(knowledge_copy, OLD, NEW)
    live.clock.now += 2
    assert _answer(live).startswith(NEW)


def test_nothing_is_reloaded_while_nothing_changed(live):
    first = live.current()
    for _ in range(3):
        live.clock.now += 2
        assert live.current() is first


def test_a_guide_cannot_start_with_broken_content(knowledge_copy):
    (knowledge_copy / DEPOSIT).write_text("topic: [", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        LiveKnowledge(knowledge_copy).current()

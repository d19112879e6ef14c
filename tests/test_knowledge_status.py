"""Translations know which version of the original they were made from, so "outdated" stays true by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.editorial.topic_files import read_topic, write_topic
from bot.knowledge import KnowledgeError, State, inspect_knowledge, load_knowledge, topic_states
from bot.knowledge.status import answer_version, original_version
from bot.language import SUPPORTED_LANGUAGES
from tests.support import PROJECT_DIR

DEPOSIT = Path("topics/housing/housing_deposit.yml")


def _edit(folder: Path, change) -> None:
    data = read_topic(folder / DEPOSIT)
    change(data)
    write_topic(folder / DEPOSIT, data)


def _deposit(folder: Path):
    return load_knowledge(folder).topic("housing_deposit")


def test_every_translation_of_the_real_content_records_the_current_original():
    for topic in load_knowledge(PROJECT_DIR / "knowledge").topics:
        states = topic_states(topic)
        assert list(states.values()).count(State.ORIGINAL) == 1, topic.topic
        assert State.OUTDATED not in states.values() and State.MISSING not in states.values(), topic.topic


def test_a_version_names_the_language_and_ignores_line_wrapping():
    version = answer_version("de", "Die Kaution darf höchstens\n  drei Monatsmieten betragen.")
    assert version == answer_version("de", "Die Kaution darf höchstens drei Monatsmieten betragen.")
    assert version.startswith("de-") and len(version) == len("de-") + 8
    assert version != answer_version("de", "Die Kaution darf höchstens zwei Monatsmieten betragen.")


def test_changing_the_original_outdates_every_translation(knowledge_copy):
    before = original_version(_deposit(knowledge_copy))
    _edit(knowledge_copy, lambda d: d["languages"]["en"].update(answer="The deposit is at most three months' rent."))
    topic = _deposit(knowledge_copy)
    assert original_version(topic) != before
    assert topic_states(topic) == {
        lang: State.ORIGINAL if lang == "en" else State.OUTDATED for lang in SUPPORTED_LANGUAGES
    }


def test_changing_a_translation_outdates_nothing(knowledge_copy):
    _edit(knowledge_copy, lambda d: d["languages"]["de"].update(answer="Höchstens drei Nettokaltmieten."))
    assert State.OUTDATED not in topic_states(_deposit(knowledge_copy)).values()


def test_a_person_checked_translation_is_ok_and_a_machine_one_says_so(knowledge_copy):
    _edit(knowledge_copy, lambda d: d["languages"]["tr"].update(status="translated"))
    states = topic_states(_deposit(knowledge_copy))
    assert states["tr"] == State.OK and states["de"] == State.MACHINE


def test_a_translation_that_does_not_say_its_version_counts_as_outdated(knowledge_copy):
    _edit(knowledge_copy, lambda d: d["languages"]["es"].pop("translated_from"))
    assert topic_states(_deposit(knowledge_copy))["es"] == State.OUTDATED


def test_a_missing_language_is_reported_but_the_topic_can_still_be_inspected(knowledge_copy):
    _edit(knowledge_copy, lambda d: d["languages"].pop("uk"))
    with pytest.raises(KnowledgeError):
        load_knowledge(knowledge_copy)
    inspection = inspect_knowledge(knowledge_copy)
    [problem] = inspection.problems
    assert "missing language uk" in str(problem)
    [deposit] = [f.topic for f in inspection.files if f.topic.topic == "housing_deposit"]
    assert topic_states(deposit)["uk"] == State.MISSING


def test_a_topic_needs_exactly_one_original(knowledge_copy):
    _edit(knowledge_copy, lambda d: d["languages"]["en"].update(status="translated"))
    [problem] = inspect_knowledge(knowledge_copy).problems
    assert "housing_deposit.yml" in str(problem) and "no language has 'status: original'" in str(problem)

    _edit(knowledge_copy, lambda d: d["languages"]["en"].update(status="original"))
    _edit(knowledge_copy, lambda d: d["languages"]["de"].update(status="original"))
    problems = [str(p) for p in inspect_knowledge(knowledge_copy).problems]
    assert any("en and de are both 'original'" in p for p in problems)


def test_a_mistyped_version_is_refused_with_its_line(knowledge_copy):
    _edit(knowledge_copy, lambda d: d["languages"]["tr"].update(translated_from="1a2b3c4d"))
    [problem] = [str(p) for p in inspect_knowledge(knowledge_copy).problems]
    assert problem.startswith("knowledge/topics/housing/housing_deposit.yml:")
    assert "languages.tr.translated_from" in problem and "'1a2b3c4d' is not a version" in problem

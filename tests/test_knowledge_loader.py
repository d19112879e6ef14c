"""The loader accepts the real knowledge base and refuses broken files with editor-readable problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.knowledge import KnowledgeError, load_knowledge
from bot.knowledge.model import MAX_ANSWER_CHARS, MIN_QUESTIONS
from bot.language import SUPPORTED_LANGUAGES
from tests.support import PROJECT_DIR, SHARED_DIR

DEPOSIT = Path("topics/housing/housing_deposit.yml")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    return [str(p) for p in caught.value.problems]


def _edit(folder: Path, relative: Path, change) -> None:
    path = folder / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_real_knowledge_base_is_complete():
    knowledge = load_knowledge(PROJECT_DIR / "knowledge")
    assert len(knowledge) >= 48
    for topic in knowledge.topics:
        for language in SUPPORTED_LANGUAGES:
            assert topic.answer(language)
            assert len(topic.questions(language)) >= MIN_QUESTIONS


#: Topics of the content brief that are not written yet, each with the open issue that adds it.
#: A topic leaves this list in the commit that writes it.
NOT_WRITTEN_YET = {
    **dict.fromkeys(
        [
            "employers_hiring_from_abroad",
            "employers_recognition_partnership",
            "employers_apprentices",
            "employers_employment_check",
            "employers_support_services",
            "students_universities",
            "students_admission",
            "students_residence",
            "students_working",
            "students_housing_insurance",
        ],
        "issue 11: companies and students",
    ),
    "welcome_center_local_contacts": "issue 10: Lotsendienst",
}


def test_every_topic_of_the_content_brief_is_covered_or_known_to_be_missing():
    brief = SHARED_DIR / "content-brief" / "topics.yml"
    if not brief.exists():
        pytest.skip("the shared content brief is not beside this checkout")
    wanted = {t["id"] for t in yaml.safe_load(brief.read_text(encoding="utf-8"))["topics"]}
    written = {t.topic for t in load_knowledge(PROJECT_DIR / "knowledge").topics}
    assert wanted - written - set(NOT_WRITTEN_YET) == set(), "a topic of the brief is neither written nor planned"
    assert written & set(NOT_WRITTEN_YET) == set(), "a written topic is still listed as not written"


def test_no_answer_invents_a_phone_number_outside_the_checked_facts():
    # facts.md has exactly two checked phone numbers; any other number in an
    # answer would have been invented.
    allowed = {"0711 216-91857", "0711 90440-700"}
    phone = re.compile(r"\b0\d{3,4}[ /-]?\d{2,}[ -]?\d*")
    for topic in load_knowledge(PROJECT_DIR / "knowledge").topics:
        for language in SUPPORTED_LANGUAGES:
            for number in phone.findall(topic.answer(language)):
                assert number.strip() in allowed, (topic.topic, language, number)


def test_a_missing_language_is_named_with_file_and_line(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"].pop("uk"))
    [problem] = _problems(knowledge_copy)
    assert problem.startswith("knowledge/topics/housing/housing_deposit.yml:")
    assert "languages" in problem and "missing language uk" in problem


def test_an_empty_answer_is_refused(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["de"].update(answer="  "))
    [problem] = _problems(knowledge_copy)
    assert "languages.de.answer" in problem and "empty" in problem


def test_an_answer_too_long_for_the_channels_is_refused(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["es"].update(answer="x" * (MAX_ANSWER_CHARS + 1)))
    [problem] = _problems(knowledge_copy)
    assert "languages.es.answer" in problem and str(MAX_ANSWER_CHARS) in problem


def test_a_source_that_is_not_a_url_is_refused(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["sources"].append("BGB section 551"))
    [problem] = _problems(knowledge_copy)
    assert "sources" in problem and "'BGB section 551' is not a web address" in problem


def test_a_topic_id_that_does_not_match_its_file_is_refused(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d.update(topic="housing_kaution"))
    [problem] = _problems(knowledge_copy)
    assert "'housing_kaution' must match the file name 'housing_deposit'" in problem


def test_a_question_in_two_topics_is_refused(knowledge_copy):
    rent_terms = yaml.safe_load((knowledge_copy / "topics/housing/housing_rent_terms.yml").read_text())
    borrowed = rent_terms["languages"]["tr"]["questions"][0]
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["tr"]["questions"].append(borrowed.upper() + "?"))
    problems = _problems(knowledge_copy)
    assert any(
        "also appears in topic 'housing_rent_terms'" in p or "also appears in topic 'housing_deposit'" in p
        for p in problems
    )


def test_a_button_to_a_topic_that_does_not_exist_is_refused(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d.update(next_topics=["housing_schufa", "housing_insurance"]))
    [problem] = _problems(knowledge_copy)
    assert "next_topics" in problem and "there is no topic 'housing_insurance' to offer" in problem


def test_a_title_too_long_for_a_button_is_refused(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["uk"].update(title="Застава " * 8))
    [problem] = _problems(knowledge_copy)
    assert "languages.uk.title" in problem and "to fit on a button" in problem


def test_a_misspelt_field_is_reported_as_unknown(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d.update(reviewd=d.pop("reviewed")))
    problems = _problems(knowledge_copy)
    assert any("reviewd: unknown field" in p for p in problems)
    assert any("reviewed: this field is missing" in p for p in problems)


def test_broken_yaml_names_the_line(knowledge_copy):
    path = knowledge_copy / DEPOSIT
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "sources: [unclosed")
    path.write_text("\n".join(lines), encoding="utf-8")
    [problem] = _problems(knowledge_copy)
    assert re.match(r"knowledge/topics/housing/housing_deposit.yml:\d+: is not valid YAML", problem)


def test_a_phrase_missing_in_a_language_is_refused(knowledge_copy):
    path = knowledge_copy / "phrases.yml"
    phrases = yaml.safe_load(path.read_text(encoding="utf-8"))
    del phrases["fallback"]["ar"]
    path.write_text(yaml.safe_dump(phrases, allow_unicode=True), encoding="utf-8")
    [problem] = _problems(knowledge_copy)
    assert "knowledge/phrases.yml" in problem and "'fallback' is missing in ar" in problem


def test_all_problems_are_reported_at_once(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["de"].update(answer=""))
    _edit(knowledge_copy, Path("topics/housing/housing_schufa.yml"), lambda d: d["languages"].pop("ar"))
    problems = _problems(knowledge_copy)
    assert len(problems) == 2

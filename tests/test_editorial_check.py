"""`make check-content` tells an editor, with file and line, what to fix and what to plan."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

from bot import clock
from bot.editorial.__main__ import main
from bot.editorial.topic_files import read_topic, write_topic
from bot.knowledge import load_knowledge
from tests.support import PROJECT_DIR

DEPOSIT = Path("topics/housing/housing_deposit.yml")
SCHUFA = Path("topics/housing/housing_schufa.yml")
RENT_TERMS = Path("topics/housing/housing_rent_terms.yml")


def _edit(folder: Path, relative: Path, change) -> None:
    data = read_topic(folder / relative)
    change(data)
    write_topic(folder / relative, data)


def _check(folder: Path, capsys, *options: str):
    status = main(["--knowledge", str(folder), "check", *options])
    return status, capsys.readouterr().out


def test_good_content_passes_with_a_summary(knowledge_copy, capsys):
    status, out = _check(knowledge_copy, capsys)
    assert status == 0
    knowledge = load_knowledge(knowledge_copy)
    questions = sum(len(t.questions(lang)) for t in knowledge.topics for lang in t.languages)
    assert out.strip().endswith(f"knowledge ok: {len(knowledge)} topics in 6 languages, {questions} training questions")
    assert "outdated" not in out


def test_every_kind_of_problem_is_named_with_file_and_line_and_fails(knowledge_copy, capsys):
    _edit(
        knowledge_copy,
        DEPOSIT,
        lambda d: (
            d["sources"].append("BGB section 551"),
            d["languages"]["es"].update(answer="x" * 1001),
        ),
    )
    borrowed = read_topic(knowledge_copy / SCHUFA)["languages"]["de"]["questions"][0]
    _edit(
        knowledge_copy,
        RENT_TERMS,
        lambda d: (
            d["languages"]["de"]["questions"].append(borrowed),
            d["languages"].pop("uk"),
        ),
    )
    status, out = _check(knowledge_copy, capsys)
    assert status == 1
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0] == "4 problems to fix (the guide will not use the content until they are fixed):"
    deposit, rent_terms = (f"knowledge/{DEPOSIT}", f"knowledge/{RENT_TERMS}")
    assert any(line.startswith(f"{deposit}:") and "'BGB section 551' is not a web address" in line for line in lines)
    assert any(
        line.startswith(f"{deposit}:") and "languages.es.answer" in line and "1001 characters" in line for line in lines
    )
    assert any(line.startswith(f"{rent_terms}:") and "missing language uk" in line for line in lines)
    # Reported where the question occurs second, naming where it occurs first.
    assert any(
        line.startswith(f"knowledge/{SCHUFA}:")
        and "languages.de.questions" in line
        and "also appears in topic 'housing_rent_terms'" in line
        for line in lines
    )
    assert lines[-1].startswith("knowledge NOT ok")


def test_broken_yaml_fails_with_its_line(knowledge_copy, capsys):
    path = knowledge_copy / DEPOSIT
    path.write_text(path.read_text(encoding="utf-8").replace("sources:\n", "sources: [\n", 1), encoding="utf-8")
    status, out = _check(knowledge_copy, capsys)
    assert status == 1
    assert "knowledge/topics/housing/housing_deposit.yml:" in out and "is not valid YAML" in out


def test_a_changed_original_lists_its_outdated_translations_without_failing(knowledge_copy, capsys):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["en"].update(answer="At most three months' rent."))
    status, out = _check(knowledge_copy, capsys)
    assert status == 0
    assert "5 outdated translations (the original answer changed since):" in out
    lines = out.splitlines()
    for language in ("de", "tr", "ar", "uk", "es"):
        assert any(
            line.strip().startswith("knowledge/topics/housing/housing_deposit.yml:")
            and f"languages.{language}.translated_from: outdated" in line
            for line in lines
        )
    assert "make minor-change TOPIC=<topic id>" in out and "make export-translations TO=<language>" in out


def test_stale_reviews_are_listed_after_the_configured_age(knowledge_copy, capsys):
    a_year_and_a_day = (clock.today() - datetime.timedelta(days=367)).isoformat()
    _edit(knowledge_copy, DEPOSIT, lambda d: d.update(reviewed=datetime.date.fromisoformat(a_year_and_a_day)))
    status, out = _check(knowledge_copy, capsys)
    assert status == 0
    assert "1 topic reviewed more than 12 months ago:" in out
    assert f"housing_deposit.yml:3: reviewed: last reviewed on {a_year_and_a_day}" in out

    _, out = _check(knowledge_copy, capsys, "--review-months", "24")
    assert "reviewed more than" not in out


def test_make_check_content_prints_the_same_messages_and_fails(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["de"].update(answer=" "))
    # -o: the virtual environment counts as installed (this test is not about installing).
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "check-content"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "WELCOME_GUIDE_KNOWLEDGE": str(knowledge_copy)},
    )
    assert result.returncode != 0
    assert "knowledge/topics/housing/housing_deposit.yml:" in result.stdout
    assert "languages.de.answer: the answer is empty" in result.stdout

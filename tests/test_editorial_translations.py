"""Outdated and missing translations go out to translators as PO files and come back in."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from bot.editorial.__main__ import main
from bot.editorial.topic_files import read_topic, write_topic
from bot.editorial.translations import confirm_translations, export_translations, import_translations
from bot.knowledge import State, load_knowledge, topic_states
from bot.knowledge.status import original_version

DEPOSIT = Path("topics/housing/housing_deposit.yml")
SCHUFA = Path("topics/housing/housing_schufa.yml")
NEW_ENGLISH = (
    "The deposit (Kaution) may be at most three months' net rent (section 551 BGB). "
    "You may pay it in three monthly instalments. Never pay before signing the contract."
)
NEW_TURKISH = (
    "Depozito (Kaution) en fazla üç aylık net kira olabilir (BGB madde 551). "
    "Üç aylık taksitle ödeyebilirsiniz. Sözleşmeyi imzalamadan asla ödeme yapmayın."
)


def _edit(folder: Path, relative: Path, change) -> None:
    data = read_topic(folder / relative)
    change(data)
    write_topic(folder / relative, data)


def _change_english_deposit(folder: Path) -> None:
    _edit(folder, DEPOSIT, lambda d: d["languages"]["en"].update(answer=NEW_ENGLISH))


def _translate(po: polib.POFile, translate) -> None:
    """Do what a translator's tool does: fill in the texts and clear the "needs review" marks."""
    for entry in po:
        entry.msgstr = translate(entry)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")


def test_nothing_is_exported_while_every_translation_is_current(knowledge_copy):
    assert len(export_translations("tr", knowledge_copy)) == 0
    assert len(export_translations("tr", knowledge_copy, include_machine=True)) == len(load_knowledge(knowledge_copy))


def test_an_outdated_answer_goes_out_with_the_new_original_and_the_old_translation_to_review(knowledge_copy):
    old_turkish = load_knowledge(knowledge_copy).topic("housing_deposit").answer("tr")
    _change_english_deposit(knowledge_copy)
    [entry] = export_translations("tr", knowledge_copy)
    assert entry.msgctxt == "housing_deposit.answer"
    assert entry.msgid == NEW_ENGLISH
    assert entry.msgstr == old_turkish and "fuzzy" in entry.flags
    assert "translated from English" in entry.comment and "1000 characters" in entry.comment
    assert entry.occurrences[0][0] == "knowledge/topics/housing/housing_deposit.yml"


def test_imported_translations_are_current_and_keep_the_rest_of_the_file_as_it_was(knowledge_copy, tmp_path):
    _change_english_deposit(knowledge_copy)
    before = (knowledge_copy / DEPOSIT).read_text(encoding="utf-8")
    po = export_translations("tr", knowledge_copy)
    _translate(po, lambda entry: NEW_TURKISH)
    po.save(str(tmp_path / "tr.po"))

    result = import_translations(tmp_path / "tr.po", knowledge_copy)

    assert result.updated == ["housing_deposit"] and not result.skipped
    topic = load_knowledge(knowledge_copy).topic("housing_deposit")
    assert topic.answer("tr") == NEW_TURKISH
    assert topic.languages["tr"].status == "translated"
    assert topic_states(topic)["tr"] == State.OK and topic_states(topic)["de"] == State.OUTDATED
    after = (knowledge_copy / DEPOSIT).read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert all(line.startswith(("    status:", "    translated_from:", "      ")) for line in changed), changed
    assert "notes: >-" in after and "# " not in changed
    assert max(len(line) for line in changed) <= 80, "the new answer is folded like the others"


def test_a_missing_language_goes_out_with_its_questions_and_comes_back_complete(knowledge_copy, tmp_path):
    _edit(knowledge_copy, SCHUFA, lambda d: d["languages"].pop("uk"))
    po = export_translations("uk", knowledge_copy)
    kinds = [entry.msgctxt for entry in po]
    assert kinds[0] == "housing_schufa.answer" and kinds[1] == "housing_schufa.question.1"
    assert len(kinds) == 1 + len(load_knowledge_topic_questions(knowledge_copy))
    _translate(po, lambda entry: f"(uk) {entry.msgid}")
    po.save(str(tmp_path / "uk.po"))

    result = import_translations(tmp_path / "uk.po", knowledge_copy)

    assert result.updated == ["housing_schufa"]
    topic = load_knowledge(knowledge_copy).topic("housing_schufa")  # complete again: loads without problems
    assert topic.questions("uk")[0] == f"(uk) {topic.questions('en')[0]}"
    assert topic_states(topic)["uk"] == State.OK


def load_knowledge_topic_questions(folder: Path):
    return read_topic(folder / SCHUFA)["languages"]["en"]["questions"]


def test_unfinished_entries_are_not_imported(knowledge_copy, tmp_path):
    _change_english_deposit(knowledge_copy)
    po = export_translations("tr", knowledge_copy)  # still fuzzy: nobody reviewed it
    po.save(str(tmp_path / "tr.po"))
    assert import_translations(tmp_path / "tr.po", knowledge_copy).updated == []
    assert topic_states(load_knowledge(knowledge_copy).topic("housing_deposit"))["tr"] == State.OUTDATED


def test_a_translation_too_long_for_the_channels_is_refused_with_its_po_line(knowledge_copy, tmp_path):
    _change_english_deposit(knowledge_copy)
    po = export_translations("tr", knowledge_copy)
    _translate(po, lambda entry: "uzun " * 300)
    po.save(str(tmp_path / "tr.po"))
    result = import_translations(tmp_path / "tr.po", knowledge_copy)
    assert result.updated == []
    [reason] = result.skipped
    assert reason.startswith("housing_deposit (line ") and "at most 1000 fit every channel" in reason


def test_a_translation_of_an_original_that_changed_again_stays_outdated(knowledge_copy, tmp_path):
    _change_english_deposit(knowledge_copy)
    po = export_translations("tr", knowledge_copy)
    _translate(po, lambda entry: NEW_TURKISH)
    po.save(str(tmp_path / "tr.po"))
    _edit(knowledge_copy, DEPOSIT, lambda d: d["languages"]["en"].update(answer=NEW_ENGLISH + " Ask us."))

    result = import_translations(tmp_path / "tr.po", knowledge_copy)

    assert result.still_outdated == ["housing_deposit"]
    assert topic_states(load_knowledge(knowledge_copy).topic("housing_deposit"))["tr"] == State.OUTDATED


def test_a_minor_change_keeps_the_translations_current(knowledge_copy):
    _edit(
        knowledge_copy,
        DEPOSIT,
        lambda d: d["languages"]["en"].update(
            answer=d["languages"]["en"]["answer"].replace("If you are unsure", "If you are not sure")
        ),
    )
    topic = load_knowledge(knowledge_copy).topic("housing_deposit")
    assert State.OUTDATED in topic_states(topic).values()

    assert confirm_translations("housing_deposit", knowledge_copy, ["de", "tr"]) == ["de", "tr"]
    states = topic_states(load_knowledge(knowledge_copy).topic("housing_deposit"))
    assert states["de"] == states["tr"] == State.MACHINE and states["es"] == State.OUTDATED

    assert sorted(confirm_translations("housing_deposit", knowledge_copy)) == ["ar", "es", "uk"]
    topic = load_knowledge(knowledge_copy).topic("housing_deposit")
    assert State.OUTDATED not in topic_states(topic).values()
    assert topic.languages["de"].translated_from == original_version(topic)


def test_an_unknown_topic_or_language_is_refused(knowledge_copy):
    with pytest.raises(LookupError):
        confirm_translations("housing_kaution", knowledge_copy)
    with pytest.raises(ValueError):
        export_translations("fr", knowledge_copy)


def test_the_commands_export_and_import_a_file(knowledge_copy, tmp_path, capsys):
    _change_english_deposit(knowledge_copy)
    out = tmp_path / "tr.po"
    assert main(["--knowledge", str(knowledge_copy), "export", "tr", "--out", str(out)]) == 0
    assert "1 topic(s), 1 text(s) to translate into tr" in capsys.readouterr().out
    po = polib.pofile(str(out))
    _translate(po, lambda entry: NEW_TURKISH)
    po.save()
    assert main(["--knowledge", str(knowledge_copy), "import", str(out)]) == 0
    assert "updated: housing_deposit (tr)" in capsys.readouterr().out

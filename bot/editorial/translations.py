"""Exchanging translations with translators as gettext PO files, and confirming minor changes.

Translators' tools (Poedit, Weblate, OmegaT, Lokalize ...) all read PO files,
so one language's work goes out as one PO file (written and read by
``polib``):

- a topic *missing* in the language: its answer and training questions, to translate;
- an *outdated* translation: the current original answer, with the old
  translation as a starting point marked ``fuzzy`` ("needs review");
- optionally the *machine* translations, likewise marked ``fuzzy``, to check.

Each entry's ``msgid`` is the original text the translator saw, so on import
the translation records exactly that version of the original
(``translated_from``): if the original changed again meanwhile, the import
still says "outdated". Entries left empty or still ``fuzzy`` are skipped.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence

import polib
from pydantic import ValidationError

from bot import clock
from bot.editorial.topic_files import read_topic, set_translation, write_topic
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, State, TopicFile, inspect_knowledge
from bot.knowledge.model import MAX_ANSWER_CHARS, MIN_QUESTIONS, Translation
from bot.knowledge.status import answer_version, original_version, translation_state
from bot.language.supported import ENDONYMS, SUPPORTED_LANGUAGES

ANSWER = "answer"
QUESTION = "question"
TRANSLATED = "translated"
MACHINE = "machine"


def export_translations(
    language: str,
    directory: Path | str = DEFAULT_KNOWLEDGE_DIR,
    include_machine: bool = False,
    now: Callable[[], datetime.datetime] = clock.now,
) -> polib.POFile:
    """The PO file of everything to translate into ``language``, dated ``now()`` (Welcome Center time)."""
    _require_supported(language)
    wanted = {State.MISSING, State.OUTDATED} | ({State.MACHINE} if include_machine else set())
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": "Welcome Guide knowledge base",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "POT-Creation-Date": now().strftime("%Y-%m-%d %H:%M%z"),
    }
    for file in inspect_knowledge(directory).files:
        source = file.topic.original_language
        if source and source != language and translation_state(file.topic, language) in wanted:
            po.extend(_entries(file, language))
    return po


def _entries(file: TopicFile, language: str) -> List[polib.POEntry]:
    topic, source = file.topic, file.topic.original_language
    assert source is not None, "export_translations only takes topics with an original"
    existing = topic.languages.get(language)
    about = [
        f"Topic {topic.topic} ({topic.category}), translated from {ENDONYMS[source]}.",
        f"Original version: {original_version(topic)}",
        f"2 to 6 short sentences of plain text, at most {MAX_ANSWER_CHARS} characters.",
    ]
    if topic.notes:
        about.append(f"Editors' notes: {' '.join(topic.notes.split())}")
    about += [f"Source: {url}" for url in topic.sources]
    answer = polib.POEntry(
        msgctxt=f"{topic.topic}.{ANSWER}",
        msgid=topic.answer(source),
        msgstr=existing.answer if existing else "",
        flags=["fuzzy"] if existing else [],
        comment="\n".join(about),
        occurrences=[(file.shown, str(file.line("languages", source, ANSWER)))],
    )
    if existing:
        return [answer]
    questions = [
        polib.POEntry(
            msgctxt=f"{topic.topic}.{QUESTION}.{index}",
            msgid=question,
            comment=(
                "A training question: write it the way people type it in a chat in this "
                "language; it need not be a literal translation."
                if index == 1
                else ""
            ),
        )
        for index, question in enumerate(topic.questions(source), start=1)
    ]
    return [answer, *questions]


@dataclasses.dataclass
class ImportResult:
    """What an import changed, and what it could not take."""

    language: str
    updated: List[str] = dataclasses.field(default_factory=list)
    still_outdated: List[str] = dataclasses.field(default_factory=list)
    skipped: List[str] = dataclasses.field(default_factory=list)


def import_translations(
    po_path: Path | str, directory: Path | str = DEFAULT_KNOWLEDGE_DIR, status: str = TRANSLATED
) -> ImportResult:
    """Write the finished translations of a PO file into the topic files."""
    po = polib.pofile(str(po_path))
    language = po.metadata.get("Language", "").strip()
    _require_supported(language)
    result = ImportResult(language)
    files = {f.topic.topic: f for f in inspect_knowledge(directory).files}
    for topic_id, entries in _finished_entries(po).items():
        file = files.get(topic_id)
        if file is None:
            result.skipped.append(f"{topic_id}: no such topic (renamed or removed?)")
            continue
        _import_topic(file, language, entries, status, result)
    return result


def _finished_entries(po: polib.POFile) -> Dict[str, Dict[str, polib.POEntry]]:
    """The translated, reviewed entries, by topic id and kind (``answer``, ``question.3``)."""
    by_topic: Dict[str, Dict[str, polib.POEntry]] = collections.defaultdict(dict)
    for entry in po.translated_entries():
        topic_id, _, kind = (entry.msgctxt or "").partition(".")
        if topic_id and kind:
            by_topic[topic_id][kind] = entry
    return by_topic


def _import_topic(
    file: TopicFile, language: str, entries: Dict[str, polib.POEntry], status: str, result: ImportResult
) -> None:
    topic, source = file.topic, file.topic.original_language
    answer = entries.get(ANSWER)
    if answer is None or source is None or source == language:
        return
    version = answer_version(source, answer.msgid)
    questions = None
    if language not in topic.languages:
        questions = [
            e.msgstr.strip()
            for kind, e in sorted(entries.items(), key=_question_order)
            if kind.startswith(QUESTION + ".")
        ]
    old = topic.languages.get(language)
    kept_questions = old.questions if old is not None else []
    problem = _invalid(status, version, answer.msgstr, questions if questions is not None else kept_questions)
    if problem:
        result.skipped.append(f"{topic.topic} (line {answer.linenum} of the PO file): {problem}")
        return
    data = read_topic(file.path)
    set_translation(data, language, status=status, translated_from=version, answer=answer.msgstr, questions=questions)
    write_topic(file.path, data)
    result.updated.append(topic.topic)
    if version != original_version(topic):
        result.still_outdated.append(topic.topic)


def _question_order(item) -> tuple:
    kind = item[0]
    number = kind.rpartition(".")[2]
    return (kind.partition(".")[0], int(number) if number.isdigit() else 0)


def _invalid(status: str, version: str, answer: str, questions: Sequence[str]) -> Optional[str]:
    """Why the translation cannot be used, in the loader's words; ``None`` if it can."""
    try:
        Translation(
            status=status,  # type: ignore[arg-type]  # pydantic checks the status
            translated_from=version,
            answer=answer,
            questions=list(questions),
        )
    except ValidationError as error:
        messages = [item["msg"] for item in error.errors()]
        if any("questions" in str(item["loc"]) for item in error.errors()):
            messages.append(f"translate at least {MIN_QUESTIONS} of the training questions")
        return "; ".join(messages)
    return None


def confirm_translations(
    topic_id: str, directory: Path | str = DEFAULT_KNOWLEDGE_DIR, languages: Optional[Iterable[str]] = None
) -> List[str]:
    """Mark a change of ``topic_id``'s original as minor: its outdated translations stay valid.

    Returns the languages confirmed. Only translations flagged outdated are
    touched; ``languages`` limits it further (e.g. to those that were up to
    date before the change).
    """
    files = {f.topic.topic: f for f in inspect_knowledge(directory).files}
    if topic_id not in files:
        raise LookupError(f"no topic '{topic_id}' (the id is the file name without .yml)")
    file = files[topic_id]
    wanted = set(languages) if languages else set(SUPPORTED_LANGUAGES)
    outdated = [
        lang
        for lang in file.topic.languages
        if lang in wanted and translation_state(file.topic, lang) == State.OUTDATED
    ]
    if outdated:
        data = read_topic(file.path)
        for language in outdated:
            data["languages"][language]["translated_from"] = original_version(file.topic)
        write_topic(file.path, data)
    return outdated


def _require_supported(language: str) -> None:
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"'{language}' is not one of the guide's languages ({', '.join(SUPPORTED_LANGUAGES)})")

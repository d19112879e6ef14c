"""``make check-content``: everything an editor must fix or should know, with file and line.

Three kinds of finding, in this order:

1. *problems* the guide refuses to run with (broken YAML, a missing field or
   language, a question in two topics, a source that is no web address, an
   answer too long for the channels): the check fails;
2. *outdated translations*: the original answer changed since they were made;
3. *stale reviews*: facts nobody has confirmed for longer than the allowed age.

Only problems fail the check: an outdated translation or an old review is
work to plan, not a reason to stop the guide.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Iterator, List, NamedTuple, Optional

from dateutil.relativedelta import relativedelta

from bot import clock
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, Problem, State, TopicFile, inspect_knowledge
from bot.knowledge.status import original_version, translation_state
from bot.language.supported import ENDONYMS, SUPPORTED_LANGUAGES

#: Reviews older than this many months are listed as stale.
DEFAULT_REVIEW_MONTHS = 12


class ContentCheck(NamedTuple):
    """What the check found."""

    files: List[TopicFile]
    problems: List[Problem]
    outdated: List[Problem]
    stale: List[Problem]
    machine: int
    review_months: int

    @property
    def ok(self) -> bool:
        """Whether the guide can run with this content."""
        return not self.problems


def check_content(
    directory: Path | str = DEFAULT_KNOWLEDGE_DIR,
    review_months: int = DEFAULT_REVIEW_MONTHS,
    today: Optional[datetime.date] = None,
) -> ContentCheck:
    """Check the knowledge folder ``directory`` completely."""
    inspection = inspect_knowledge(directory)
    oldest_fresh = (today or clock.today()) - relativedelta(months=review_months)
    return ContentCheck(
        files=inspection.files,
        problems=inspection.problems,
        outdated=[p for f in inspection.files for p in outdated_translations(f)],
        stale=[p for f in inspection.files for p in _stale(f, oldest_fresh)],
        machine=sum(
            translation_state(f.topic, lang) == State.MACHINE for f in inspection.files for lang in SUPPORTED_LANGUAGES
        ),
        review_months=review_months,
    )


def outdated_translations(file: TopicFile) -> Iterator[Problem]:
    """One finding per translation made from another version of the original than the current one."""
    topic = file.topic
    current, original = original_version(topic), topic.original_language
    if current is None or original is None:
        return  # no single original: a problem the loader reports
    source = ENDONYMS[original]
    for language, translation in topic.languages.items():
        if translation_state(topic, language) != State.OUTDATED:
            continue
        field = f"languages.{language}.translated_from"
        if translation.translated_from is None:
            yield Problem(
                file.shown,
                file.line("languages", language),
                field,
                f"outdated: it does not say which version of the {source} answer it was made "
                f"from (the current one is {current})",
            )
        else:
            yield Problem(
                file.shown,
                file.line("languages", language, "translated_from"),
                field,
                f"outdated: made from {translation.translated_from}, but the {source} answer is now {current}",
            )


def _stale(file: TopicFile, oldest_fresh: datetime.date) -> Iterator[Problem]:
    reviewed = file.topic.reviewed
    if reviewed < oldest_fresh:
        yield Problem(
            file.shown,
            file.line("reviewed"),
            "reviewed",
            f"last reviewed on {reviewed.isoformat()}: check the facts and sources, then set today's date",
        )


def render(check: ContentCheck) -> str:
    """The check's findings as an editor reads them in a terminal or a CI log."""
    lines: List[str] = []
    if check.problems:
        lines += _section(
            f"{_count(len(check.problems), 'problem')} to fix (the guide will not use "
            "the content until they are fixed):",
            check.problems,
        )
    if check.outdated:
        lines += _section(
            f"{_count(len(check.outdated), 'outdated translation')} (the original answer changed since):",
            check.outdated,
        )
        lines += [
            "  Send them to translators: make export-translations TO=<language>",
            "  If the change was minor (a typo, a link), keep them: make minor-change TOPIC=<topic id>",
            "",
        ]
    if check.stale:
        lines += _section(
            f"{_count(len(check.stale), 'topic')} reviewed more than {check.review_months} months ago:", check.stale
        )
    if check.machine:
        lines.append(
            f"{_count(check.machine, 'machine translation')} nobody has checked yet (see make content-report)."
        )
    if check.ok:
        questions = sum(len(t.questions) for f in check.files for t in f.topic.languages.values())
        lines.append(
            f"knowledge ok: {len(check.files)} topics in {len(SUPPORTED_LANGUAGES)} languages, "
            f"{questions} training questions"
        )
    else:
        lines.append("knowledge NOT ok: fix the problems above, then run make check-content again.")
    return "\n".join(lines)


def _section(title: str, findings: List[Problem]) -> List[str]:
    ordered = sorted(findings, key=lambda p: (p.path, p.line or 0, p.field))  # a line may be unknown
    return [title, *(f"  {finding}" for finding in ordered), ""]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

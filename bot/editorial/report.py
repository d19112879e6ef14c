"""``make content-report``: one HTML page for editors, to open in any browser.

It shows what the check shows, arranged for planning: the state of every
topic in every language (table and chart), the topics due for review, and
the questions newcomers asked that the guide could not answer, grouped into
similar ones with counts per language. The page is self-contained (the
charts are inline SVG), so it can be mailed or attached to a ticket. Every
text from the database is escaped by Jinja2: a question containing HTML
shows as text.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
from pathlib import Path
from typing import Dict, List, Optional

from dateutil.relativedelta import relativedelta
from jinja2 import Environment, PackageLoader
from sqlalchemy.engine import Engine

from bot import clock
from bot.editorial import charts
from bot.editorial.check import DEFAULT_REVIEW_MONTHS, check_content
from bot.editorial.grouping import group_questions
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, State, topic_states
from bot.language.supported import ENDONYMS, SUPPORTED_LANGUAGES
from bot.storage.unanswered import (
    LOW_CONFIDENCE,
    NOT_HELPFUL,
    NOT_UNDERSTOOD,
    OUT_OF_SCOPE,
    UnansweredQuestion,
    read_unanswered,
)

#: Unanswered questions of this many days are shown by default.
DEFAULT_DAYS = 90
#: Groups shown per language; the rest are counted.
MAX_GROUPS = 40
REASON_NAMES = {
    LOW_CONFIDENCE: "not sure",
    OUT_OF_SCOPE: "outside topics",
    NOT_UNDERSTOOD: "not understood",
    NOT_HELPFUL: "👎",
}


@dataclasses.dataclass
class Row:
    """One topic in the coverage table."""

    topic: str
    category: str
    shown: str
    reviewed: datetime.date
    stale: bool
    states: Dict[str, State]


@dataclasses.dataclass(frozen=True)
class YearlyItem:
    """An amount or date in a topic's answer that must be checked when the year changes."""

    topic: str
    item: str
    shown: str


def render_report(
    directory: Path | str = DEFAULT_KNOWLEDGE_DIR,
    engine: Optional[Engine] = None,
    *,
    today: Optional[datetime.date] = None,
    review_months: int = DEFAULT_REVIEW_MONTHS,
    days: int = DEFAULT_DAYS,
) -> str:
    """The report as an HTML page; without ``engine`` it has no unanswered questions."""
    today = today or clock.today()
    check = check_content(directory, review_months, today)
    oldest_fresh = today - relativedelta(months=review_months)
    rows = sorted(
        (
            Row(
                f.topic.topic,
                f.topic.category,
                f.shown,
                f.topic.reviewed,
                f.topic.reviewed < oldest_fresh,
                topic_states(f.topic),
            )
            for f in check.files
        ),
        key=lambda r: (r.category, r.topic),
    )
    since = today - datetime.timedelta(days=days)
    questions = read_unanswered(engine, since) if engine is not None else []
    return (
        _environment()
        .get_template("report.html")
        .render(
            today=today.isoformat(),
            directory=str(directory),
            review_months=review_months,
            problems=[str(p) for p in check.problems],
            languages=SUPPORTED_LANGUAGES,
            rows=rows,
            stale=[r for r in rows if r.stale],
            totals=_totals(rows),
            states_chart=charts.states_chart({r.topic: r.states for r in rows}, SUPPORTED_LANGUAGES),
            database=engine is not None,
            since=since.isoformat() if engine is not None else None,
            unanswered_total=len(questions),
            unanswered_chart=_unanswered_chart(questions),
            groups_by_language=group_questions(questions),
            max_groups=MAX_GROUPS,
            language_names=ENDONYMS,
            reason_names=REASON_NAMES,
            yearly=[
                YearlyItem(f.topic.topic, item, f.shown)
                for f in sorted(check.files, key=lambda f: f.topic.topic)
                for item in f.topic.yearly
            ],
        )
    )


def write_report(path: Path | str, html: str) -> Path:
    """Save the page, making its folder if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _environment() -> Environment:
    # autoescape: questions are what strangers typed; they must never become markup.
    return Environment(
        loader=PackageLoader("bot.editorial", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )


def _totals(rows: List[Row]) -> Dict[str, int]:
    counts = collections.Counter(state for row in rows for state in row.states.values())
    return {state.value: counts[state] for state in charts.STATE_COLOURS}


def _unanswered_chart(questions: List[UnansweredQuestion]) -> str:
    return charts.unanswered_chart(questions, SUPPORTED_LANGUAGES) if questions else ""

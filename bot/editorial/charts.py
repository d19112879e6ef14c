"""The report's two charts, drawn with matplotlib as SVG to embed in the HTML page.

- translation state per language: 48 topics x 6 languages is a long table,
  but a stacked bar shows at a glance which language lags behind;
- unanswered questions per week and language: a trend no table shows.

Figures are made without pyplot, so nothing global changes and no display is needed.
"""

from __future__ import annotations

import datetime
import io
from typing import Dict, List, Sequence

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.knowledge import State
from bot.storage.unanswered import UnansweredQuestion

#: Colours of the translation states, the same as in the report's table.
STATE_COLOURS = {
    State.ORIGINAL: "#2e7d32",
    State.OK: "#66bb6a",
    State.MACHINE: "#fbc02d",
    State.OUTDATED: "#ef6c00",
    State.MISSING: "#c62828",
}


def states_chart(states: Dict[str, Dict[str, State]], languages: Sequence[str]) -> str:
    """A stacked bar per language: how many topics are in which state.

    Args:
        states: topic id -> language -> state.
        languages: the languages, in the order to show.
    """
    figure = Figure(figsize=(7, 2.8))
    axes = figure.subplots()
    left = [0] * len(languages)
    for state, colour in STATE_COLOURS.items():
        counts = [sum(by_language[lang] == state for by_language in states.values()) for lang in languages]
        axes.barh(languages, counts, left=left, color=colour, label=state.value)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("topics")
    axes.legend(ncol=len(STATE_COLOURS), loc="upper center", bbox_to_anchor=(0.5, 1.25), frameon=False)
    return _svg(figure)


def unanswered_chart(questions: Sequence[UnansweredQuestion], languages: Sequence[str]) -> str:
    """Unanswered questions per week (Monday), stacked by language."""
    weeks = sorted({_monday(q.day) for q in questions})
    figure = Figure(figsize=(7, 2.8))
    axes = figure.subplots()
    bottom: List[int] = [0] * len(weeks)
    for lang in languages:
        counts = [sum(1 for q in questions if q.lang == lang and _monday(q.day) == week) for week in weeks]
        if any(counts):
            axes.bar([w.isoformat() for w in weeks], counts, bottom=bottom, label=lang)
            bottom = [a + b for a, b in zip(bottom, counts, strict=True)]
    axes.set_ylabel("questions")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("week starting")
    axes.tick_params(axis="x", labelrotation=45, labelsize=7)
    axes.legend(ncol=len(languages), fontsize=8, frameon=False)
    figure.tight_layout()
    return _svg(figure)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    # Text stays text (smaller, searchable); a fixed salt makes the same data give the same SVG.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "welcome-guide"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]  # drop the XML prologue: the SVG goes inside an HTML page

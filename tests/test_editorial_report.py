"""`make content-report` shows editors coverage, stale reviews and unanswered questions on one page."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from bot.editorial.__main__ import main
from bot.editorial.report import render_report
from bot.editorial.topic_files import read_topic, write_topic
from bot.storage.unanswered import LOW_CONFIDENCE, NOT_HELPFUL, OUT_OF_SCOPE, record_unanswered

DEPOSIT = Path("topics/housing/housing_deposit.yml")
SCHUFA = Path("topics/housing/housing_schufa.yml")
TODAY = datetime.date(2026, 12, 1)


def _edit(folder: Path, relative: Path, change) -> None:
    data = read_topic(folder / relative)
    change(data)
    write_topic(folder / relative, data)


def _row(page: str, topic: str) -> list:
    """The states shown in the coverage table's row of ``topic``, in the table's language order."""
    row = re.search(rf"<tr>\s*<td><code>{topic}</code>.*?</tr>", page, re.S).group(0)
    return re.findall(r'<td class="state (\w+)">', row)


def test_the_coverage_table_shows_every_state(knowledge_copy):
    _edit(
        knowledge_copy,
        DEPOSIT,
        lambda d: (
            d["languages"]["en"].update(answer="At most three months' rent."),
            d["languages"]["tr"].update(status="translated"),
        ),
    )
    _edit(
        knowledge_copy, SCHUFA, lambda d: (d["languages"].pop("uk"), d["languages"]["de"].update(status="translated"))
    )
    page = render_report(knowledge_copy, today=TODAY)
    # The table's columns: de, en, tr, ar, uk, es.
    assert _row(page, "housing_deposit") == ["outdated", "original", "outdated", "outdated", "outdated", "outdated"]
    assert _row(page, "housing_schufa") == ["ok", "original", "machine", "machine", "missing", "machine"]
    assert "missing language uk" in page, "the problem is shown too"
    assert page.count("<svg") == 1, "the state chart; no question chart without a database"


def test_stale_reviews_are_listed(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d.update(reviewed=datetime.date(2025, 6, 30)))
    page = render_report(knowledge_copy, today=TODAY, review_months=12)
    stale = page.split("<h2>Stale reviews</h2>")[1].split("<h2>")[0]
    assert "housing_deposit" in stale and "2025-06-30" in stale
    assert "housing_schufa" not in stale


def test_unanswered_questions_are_grouped_per_language_and_shown_as_text(knowledge_copy, guide_database):
    for text in (
        "Wo kann ich mein Fahrrad reparieren lassen?",
        "fahrrad reparatur stuttgart wo",
        "wo fahrrad reparieren",
    ):
        record_unanswered(guide_database, text, "de", LOW_CONFIDENCE, today=lambda: TODAY)
    record_unanswered(
        guide_database, "<script>alert('x')</script> Hundesteuer?", "de", OUT_OF_SCOPE, today=lambda: TODAY
    )
    record_unanswered(
        guide_database, "Kaution wie viel", "de", NOT_HELPFUL, topic="housing_deposit", today=lambda: TODAY
    )
    record_unanswered(guide_database, "fishing licence", "en", OUT_OF_SCOPE, today=lambda: TODAY)
    record_unanswered(
        guide_database, "too old to show", "en", OUT_OF_SCOPE, today=lambda: TODAY - datetime.timedelta(days=91)
    )

    page = render_report(knowledge_copy, guide_database, today=TODAY, days=90)

    section = page.split("Questions the guide could not answer")[1]
    assert "6 questions since" in section
    german = section.split("Deutsch (de): 5 questions in 3 groups")[1].split("<h3>")[0]
    first_row = german.split("<tr>")[2]
    assert '<td class="count">3</td>' in first_row and "fahrrad" in first_row.lower()
    assert "not sure: 3" in first_row
    assert "<code>housing_deposit</code> (1)" in german and "👎: 1" in german
    assert "<script>" not in page and "&lt;script&gt;alert(" in page, "a question never becomes markup"
    assert "English (en): 1 question in 1 group" in section
    assert "too old to show" not in page
    assert page.count("<svg") == 2


def test_the_command_writes_the_page(knowledge_copy, guide_database, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["--knowledge", str(knowledge_copy), "report", "--out", str(out)]) == 0
    assert f"Report written: {out}" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_amounts_and_dates_of_the_year_are_listed_for_the_january_check(knowledge_copy):
    _edit(knowledge_copy, DEPOSIT, lambda d: d.update(yearly=["Example fee: 100 EUR (2026)"]))
    page = render_report(knowledge_copy, today=TODAY)
    section = page[page.index("Amounts and dates to check") :]
    assert "<code>housing_deposit</code></td><td>Example fee: 100 EUR (2026)</td>" in section
    assert "Tax return 2025" in section, "the real topics' yearly dates are listed too"

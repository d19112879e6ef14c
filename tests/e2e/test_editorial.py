"""An editor's work reaches the running guide without a restart, and its gaps reach the editor.

One real guide (Rasa server and action server, ``python -m bot.serve``) runs
on a private copy of the knowledge folder and its own database: the plain
guide of ``tests/e2e/conftest.py``. The tests
follow docs/editing.md: change the German original, see the translations
flagged outdated, export them, import the translations, check, and ask the
running guide; talk to it about things it does not know and find them in
the report; swap its model while a conversation goes on.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import polib
import pytest

from bot.editorial.__main__ import main
from bot.editorial.publish import replace_model
from bot.editorial.report import render_report
from bot.editorial.topic_files import read_topic, write_topic
from bot.storage import connect
from bot.storage.unanswered import read_unanswered
from tests.support import API_TOKEN, MODEL, Guide, element, eventually, new_sender, texts

pytestmark = pytest.mark.e2e

DEPOSIT = Path("topics/housing/housing_deposit.yml")  # German is its original here (see conftest.py)
SCHUFA = Path("topics/housing/housing_schufa.yml")
GERMAN_QUESTION = "Wie hoch darf die Kaution sein?"
ENGLISH_QUESTION = "How much deposit can my landlord ask for?"
NEW_GERMAN = (
    "Die Kaution darf höchstens drei Nettokaltmieten betragen (§ 551 BGB), zahlbar in drei "
    "Monatsraten. Zahlen Sie nie, bevor Sie den Mietvertrag unterschrieben haben."
)
NEW_ENGLISH = (
    "The deposit may be at most three months' base rent (section 551 BGB), payable in three "
    "monthly instalments. Never pay before you have signed the tenancy agreement."
)
#: The guide looks at the files every 2 s and reads a change once it is 1 s old.
RELOAD_WAIT_SECONDS = 15
SCHUFA_QUESTION = "Was ist eine SCHUFA-Auskunft?"
#: What the guide logs when it refuses changed content (bot/knowledge/live.py).
REJECTED = "The changed knowledge base has problems"


@pytest.fixture
def editors_guide(plain_guide: Guide) -> Guide:
    """The guide on the editors' copy of the knowledge folder, with a database of its own."""
    assert plain_guide.knowledge is not None
    return plain_guide


def _eventually(ask: Callable[[], str], expected: str) -> str:
    deadline = time.monotonic() + RELOAD_WAIT_SECONDS
    while True:
        answer = ask()
        if answer == expected or time.monotonic() > deadline:
            return answer
        time.sleep(1)


def _answer(guide: Guide, question: str, sender: str | None = None) -> str:
    reply = guide.ask(question, sender)
    assert element(reply)["type"] == "answer" and element(reply)["topic"] == "housing_deposit", reply
    return texts(reply)[0]


def _log(guide: Guide) -> str:
    return guide.log.read_text(encoding="utf-8", errors="replace")


def _check(knowledge: Path, capsys) -> str:
    main(["--knowledge", str(knowledge), "check"])
    return capsys.readouterr().out


def test_an_edited_original_is_translated_via_po_files_and_served_without_a_restart(editors_guide, capsys, tmp_path):
    guide, knowledge = editors_guide, editors_guide.knowledge
    pid = guide.process.pid
    assert _answer(guide, GERMAN_QUESTION).startswith("Die Kaution darf höchstens drei Monatsmieten")

    # The editor changes the German answer in a text editor.
    path = knowledge / DEPOSIT
    data = read_topic(path)
    data["languages"]["de"]["answer"] = NEW_GERMAN
    write_topic(path, data)

    # make check-content: the other languages are outdated.
    out = _check(knowledge, capsys)
    assert "5 outdated translations" in out
    assert all(f"languages.{lang}.translated_from: outdated" in out for lang in ("en", "tr", "ar", "uk", "es"))
    # The running guide already answers in German with the new text.
    assert _eventually(lambda: _answer(guide, GERMAN_QUESTION), NEW_GERMAN) == NEW_GERMAN

    # make export-translations TO=en; the translator's tool fills it in; make import-translations.
    po_file = tmp_path / "en.po"
    assert main(["--knowledge", str(knowledge), "export", "en", "--out", str(po_file)]) == 0
    po = polib.pofile(str(po_file))
    [entry] = po
    assert entry.msgid == NEW_GERMAN and "fuzzy" in entry.flags
    entry.msgstr, entry.flags = NEW_ENGLISH, []
    po.save()
    assert main(["--knowledge", str(knowledge), "import", str(po_file)]) == 0

    out = _check(knowledge, capsys)
    assert "4 outdated translations" in out and "languages.en.translated_from" not in out
    assert out.strip().endswith("training questions")  # "knowledge ok: ..."
    assert _eventually(lambda: _answer(guide, ENGLISH_QUESTION), NEW_ENGLISH) == NEW_ENGLISH
    assert guide.process.poll() is None and guide.process.pid == pid, "no restart"


def test_a_broken_file_keeps_the_guide_answering_from_the_last_good_content(editors_guide):
    guide, knowledge = editors_guide, editors_guide.knowledge
    path = knowledge / SCHUFA
    good = path.read_text(encoding="utf-8")
    before = texts(guide.ask(SCHUFA_QUESTION))[0]
    rejections = _log(guide).count(REJECTED)
    try:
        path.write_text(good.replace("answer: >-", "answer: [unclosed", 1), encoding="utf-8")

        # The action server looks at the files when it answers (at most every 2 s, once a change
        # is 1 s old), and logs the problems of a changed folder it refuses. (Only the action
        # server reads the knowledge here: nobody uses this guide's console.) Ask until it has.
        def refused() -> bool:
            guide.ask(SCHUFA_QUESTION)
            return _log(guide).count(REJECTED) > rejections

        eventually(refused, RELOAD_WAIT_SECONDS, interval=0.5, message="the guide never looked at the broken file")
        assert "housing_schufa.yml" in _log(guide).split(REJECTED)[-1]
        assert texts(guide.ask(SCHUFA_QUESTION))[0] == before
    finally:
        path.write_text(good, encoding="utf-8")


FALLBACKS = [
    "Wo kann ich mein Fahrrad reparieren lassen?",
    "fahrrad reparieren wo in stuttgart",
    "Wie wird das Wetter morgen in Stuttgart?",
    "Where can I go fishing near Stuttgart? My name is John, call me on 0151 23456789",
]


def test_messages_the_guide_could_not_answer_reach_the_report_grouped_and_masked(editors_guide):
    guide = editors_guide
    sender = new_sender()
    not_answered = [text for text in FALLBACKS if element(guide.ask(text, sender))["type"] == "fallback"]
    assert not_answered == FALLBACKS, "the test needs questions the guide does not know"

    engine = connect(editors_guide.database_url)
    deadline = time.monotonic() + 20
    while len(read_unanswered(engine)) < len(not_answered) and time.monotonic() < deadline:
        time.sleep(0.5)
    stored = read_unanswered(engine)
    assert len(stored) == len(not_answered)
    assert all("John" not in q.text and "23456789" not in q.text for q in stored)

    page = render_report(editors_guide.knowledge, engine)
    section = page.split("Questions the guide could not answer")[1]
    assert f"{len(not_answered)} questions since" in section
    german = section.split("Deutsch (de): 3 questions in 2 groups")[1].split("<h3>")[0]
    bikes, weather = german.split("<tr>")[2:]
    assert '<td class="count">2</td>' in bikes and "Fahrrad reparieren lassen?" in bikes and "Wetter" not in bikes
    assert '<td class="count">1</td>' in weather and "Wetter" in weather
    english = section.split("English (en): 1 question in 1 group")[1]
    assert "My name is [name], call me on [phone]" in english


def test_a_new_model_is_swapped_in_while_a_conversation_goes_on(editors_guide):
    guide = editors_guide
    sender = new_sender()
    first = guide.ask("Merhaba", sender)
    assert element(first)["lang"] == "tr"

    # What make publish does after training: PUT /model on the running Rasa server.
    replace_model(guide.url, MODEL, API_TOKEN)

    # The conversation goes on: a short "ok" is answered in the conversation's language, which
    # only the tracker (kept across the swap) knows, and no second privacy notice comes.
    reply = guide.ask("ok", sender)
    assert element(reply)["lang"] == "tr"
    answer = guide.ask("Kaution ne kadar olabilir?", sender)
    assert element(answer)["type"] == "answer" and element(answer)["lang"] == "tr"

"""A newcomer on the web widget asks for a person; a counsellor takes over in the console.

Two browser contexts of one real Chromium: the newcomer on the widget's demo
page, the counsellor in the console (served by the same ``python -m bot.serve``
as the guide, on its own port): the session's shared guide, with office hours
"always open" (``office_open``). What is
checked is what each of them sees: the newcomer is told they are queued, the
guide stays silent while they wait, the counsellor's join, reply and inserted
answer arrive (the reply labelled as the counsellor's, the answer in Arabic with
its sources), the newcomer's answer shows live in the console, and after the
hand-back the guide answers again. A counsellor's markup is shown as text.
"""

from __future__ import annotations

import json
import os
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import pytest
from playwright.sync_api import Page, expect

from bot.knowledge import load_knowledge
from bot.storage import accounts, connect, session_factory
from tests.support import API_TOKEN, DESKTOP, PHONE, Guide, WatchedPage, save_screenshot

pytestmark = pytest.mark.e2e

COUNSELLOR = ("layla", "Layla Haddad")
PASSWORD = "a long enough password for the console"
#: Waiting for the guide (language detection, NLU, actions) on a busy machine.
REPLY_MS = 60_000
#: Waiting for the console's live views (the queue polls every 2 s) or a pushed message.
LIVE_MS = 20_000

ARABIC_REQUEST = "أريد التحدث مع موظف من فضلك"
ARABIC_WAITING = "هل من أحد هنا؟"
ARABIC_THANKS = "شكرا جزيلا، عندي سؤال آخر عن عقد الإيجار"
ARABIC_QUESTION = "كم مبلغ التأمين (Kaution) للشقة؟"
COUNSELLOR_REPLY = "Guten Tag, hier ist Layla vom Welcome Center. I can help you in English or German."


def phrase(key: str, language: str) -> str:
    return load_knowledge().phrases.get(key, language)


# -- the running guide and its console --------------------------------------------------


@pytest.fixture(scope="module")
def counsellor_account(guide: Guide) -> str:
    """One counsellor's account in the shared guide's database."""
    engine = connect(guide.database_url)
    with session_factory(engine).begin() as session:
        accounts.create_account(session, COUNSELLOR[0], COUNSELLOR[1], PASSWORD, ui_language="en")
    engine.dispose()
    return COUNSELLOR[0]


class Newcomer(WatchedPage):
    """The widget on the demo page, as the newcomer uses it."""

    def open(self, url: str) -> "Newcomer":
        self.page.goto(f"{url}/widget/demo.html")
        self.page.click(".launcher")
        expect(self.page.locator(".panel")).to_be_visible()
        return self

    def write(self, text: str) -> None:
        self.page.fill("#wg-input", text)
        self.page.press("#wg-input", "Enter")
        expect(self.page.locator(".message.user").last).to_have_text(text)

    @property
    def typing(self):
        return self.page.locator(".typing")

    def bot_message(self, text: str):
        """The guide's (or a counsellor's) bubble that contains ``text``."""
        return self.page.locator(".message.bot", has_text=text)

    def bot_texts(self) -> List[str]:
        return self.page.locator(".message.bot").all_inner_texts()

    @property
    def session_id(self) -> str:
        return self.page.evaluate("() => document.getElementById('welcome-guide').welcomeGuide.transport.sessionId")


class Counsellor(WatchedPage):
    """The console in the counsellor's browser tab (in English)."""

    def __init__(self, page: Page, url: str) -> None:
        super().__init__(page)
        self.url = url
        page.set_default_timeout(LIVE_MS)

    def log_in(self) -> None:
        self.page.goto(self.url + "/login?lang=en")
        self.page.get_by_label("User name").fill(COUNSELLOR[0])
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()

    def waiting_row(self, text: str):
        """The waiting conversation whose last messages include ``text``."""
        return self.page.locator("#waiting li.handoff", has_text=text)

    def claim(self, row) -> None:
        row.get_by_role("button", name="Claim").click()
        self.page.wait_for_url("**/handoffs/*")

    def reply(self, text: str) -> None:
        self.page.get_by_label("Reply").fill(text)
        self.page.locator("#reply-form").get_by_role("button", name="Send").click()
        expect(self.page.get_by_label("Reply")).to_have_value("", timeout=LIVE_MS)

    def hand_back(self, outcome: str = "answered") -> None:
        self.page.get_by_label("Outcome").select_option(outcome)
        self.page.get_by_role("button", name="Hand back").click()
        expect(self.page.get_by_text("Handed back. The guide answers the user again.")).to_be_visible(timeout=LIVE_MS)

    @property
    def transcript(self):
        return self.page.locator("#transcript")

    def switch_language(self, language: str) -> None:
        """Switch the account's console language at the top of the page, which then shows anew."""
        self.page.locator("#ui-language").select_option(language)
        self.page.locator("form[action='/language'] button[type=submit]").click()
        expect(self.page.locator("html")).to_have_attribute("lang", language)

    @contextmanager
    def in_german(self) -> Iterator[None]:
        """The console in German for a moment (for the pictures in the docs), then in English again."""
        self.switch_language("de")
        try:
            yield
        finally:
            self.switch_language("en")


@pytest.fixture
def people(browser, office_open: Guide, counsellor_account: str):
    """A newcomer (phone, German browser) and a counsellor (desktop, English console), each in their own context.

    Counsellors are on duty, and the console's queue holds no conversation earlier tests left waiting.
    """
    guide = office_open
    guide.discard_waiting_handoffs()
    contexts = [
        browser.new_context(viewport=PHONE, locale="de-DE"),
        browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/Berlin"),
    ]
    yield Newcomer(contexts[0].new_page()).open(guide.url), Counsellor(contexts[1].new_page(), guide.console_url)
    for context in contexts:
        context.close()


@pytest.fixture
def pictures(screenshot_dir: Path) -> Optional[Path]:
    """Where ``make screenshots`` (``WIDGET_SCREENSHOT_DIR``) wants the pictures; None in an ordinary run."""
    return screenshot_dir if os.environ.get("WIDGET_SCREENSHOT_DIR") else None


def last_bot_element(guide: Guide, session_id: str) -> dict:
    """The structured element of the guide's last reply, as Rasa's tracker keeps it."""
    url = f"{guide.url}/conversations/{session_id}/tracker?token={API_TOKEN}"
    with urllib.request.urlopen(url, timeout=30) as response:
        events = json.loads(response.read())["events"]
    customs = [(e.get("data") or {}).get("custom") for e in events if e["event"] == "bot"]
    return [c for c in customs if c][-1]


# -- the tests -------------------------------------------------------------------------------


def test_a_counsellor_takes_over_an_arabic_web_chat_and_hands_it_back(people, guide, pictures):
    newcomer, counsellor = people
    topic = load_knowledge().topic("housing_deposit")
    counsellor.log_in()
    counsellor.page.evaluate("() => { window.stillTheSamePage = true; }")

    # The newcomer asks for a person and is told a counsellor will come.
    newcomer.write(ARABIC_REQUEST)
    expect(newcomer.bot_message(phrase("handoff_queued", "ar"))).to_be_visible(timeout=REPLY_MS)
    expect(newcomer.typing).to_be_hidden()
    queued = newcomer.bot_message(phrase("handoff_queued", "ar"))
    assert (queued.get_attribute("lang"), queued.get_attribute("dir")) == ("ar", "rtl")

    # The counsellor sees the conversation arrive in the queue, without reloading.
    row = counsellor.waiting_row(ARABIC_REQUEST)
    expect(row).to_contain_text("العربية (ar)", timeout=LIVE_MS)
    expect(row).to_contain_text("Web chat")
    assert counsellor.page.evaluate("() => window.stillTheSamePage") is True

    # While waiting, the newcomer writes on: no typing indicator promises a reply, no apology comes.
    shown_before = newcomer.bot_texts()
    newcomer.write(ARABIC_WAITING)
    assert newcomer.typing.is_hidden()
    expect(row).to_contain_text(ARABIC_WAITING, timeout=LIVE_MS)  # the guide took it (it is in the tracker)
    expect(newcomer.typing).to_be_hidden()
    assert newcomer.bot_texts() == shown_before
    if pictures:
        with counsellor.in_german():
            expect(row).to_contain_text(ARABIC_WAITING)
            save_screenshot(counsellor.page, pictures, "console-queue")

    # The counsellor claims it; the newcomer is told a person is there now.
    counsellor.claim(row)
    expect(counsellor.page.locator("#user-language")).to_have_text("العربية (ar)")
    expect(counsellor.transcript.locator(".from-user", has_text=ARABIC_WAITING)).to_be_visible()
    expect(newcomer.bot_message(phrase("counsellor_joined", "ar"))).to_be_visible(timeout=LIVE_MS)

    # The counsellor's own words, labelled as theirs.
    counsellor.reply(COUNSELLOR_REPLY)
    reply = newcomer.page.locator(".message.bot.counsellor", has_text=COUNSELLOR_REPLY)
    expect(reply).to_be_visible(timeout=LIVE_MS)
    expect(reply.locator(".author")).to_have_text(phrase("web_counsellor", "ar"))
    expect(reply.locator(".plain")).to_have_text(COUNSELLOR_REPLY)

    # A checked answer, inserted in the newcomer's language, with its sources.
    counsellor.page.get_by_label("Search topics").fill("housing_dep")
    counsellor.page.get_by_label("Topic", exact=True).select_option("housing_deposit")
    expect(counsellor.page.locator("#topic-sent-text")).to_have_text(topic.answer("ar"))
    counsellor.page.get_by_role("button", name="Send answer").click()
    inserted = newcomer.page.locator(".message.bot.counsellor", has_text=topic.answer("ar"))
    expect(inserted).to_be_visible(timeout=LIVE_MS)
    assert (inserted.get_attribute("lang"), inserted.get_attribute("dir")) == ("ar", "rtl")
    expect(inserted.locator(".author")).to_have_text(phrase("web_counsellor", "ar"))
    extras = newcomer.page.locator(".answer-extras")
    expect(extras).to_have_count(1)
    expect(extras.locator(".sources-label")).to_have_text(phrase("sources_label", "ar"))
    assert extras.locator(".sources a").evaluate_all("links => links.map(a => a.href)") == topic.sources
    if pictures:
        save_screenshot(newcomer.page, pictures, "widget-counsellor-ar-phone")

    # The newcomer answers; the counsellor reads it live; a note for colleagues.
    newcomer.write(ARABIC_THANKS)
    expect(newcomer.typing).to_be_hidden()
    expect(counsellor.transcript.locator(".from-user").last).to_contain_text(ARABIC_THANKS, timeout=LIVE_MS)
    counsellor.page.locator("#note-text").fill("Fragt nach dem Mietvertrag; Kaution erklärt.")
    counsellor.page.get_by_role("button", name="Save note").click()
    expect(counsellor.page.locator("#notes li")).to_contain_text("Layla Haddad")
    if pictures:
        with counsellor.in_german():
            expect(counsellor.transcript.locator(".from-counsellor", has_text=topic.answer("ar"))).to_be_visible()
            expect(counsellor.transcript.locator(".from-user").last).to_contain_text(ARABIC_THANKS)
            expect(counsellor.page.locator("#notes li")).to_contain_text("Layla Haddad")
            counsellor.transcript.evaluate("list => { list.scrollIntoView({block: 'end'}); window.scrollBy(0, 24); }")
            save_screenshot(counsellor.page, pictures, "console-conversation")

    # Handed back: the newcomer is told, and the guide answers again.
    counsellor.hand_back("answered")
    expect(counsellor.page.locator("#status")).to_contain_text("Closed by Layla Haddad: Answered")
    expect(newcomer.bot_message(phrase("handoff_returned", "ar"))).to_be_visible(timeout=LIVE_MS)

    newcomer.write(ARABIC_QUESTION)
    answer = newcomer.page.locator(".message.bot:not(.counsellor)", has_text=topic.answer("ar"))
    expect(answer).to_be_visible(timeout=REPLY_MS)
    expect(newcomer.typing).to_be_hidden(timeout=REPLY_MS)
    expect(extras).to_have_count(2)  # an answer of the guide's, with its sources and vote buttons
    assert extras.last.locator(".sources a").evaluate_all("links => links.map(a => a.href)") == topic.sources
    element = last_bot_element(guide, newcomer.session_id)
    assert (element["type"], element["topic"], element["lang"]) == ("answer", "housing_deposit", "ar")
    assert "by" not in element

    # Never an apology in the whole conversation, and nothing broke on either side.
    assert not any(phrase("error", "ar") in text for text in newcomer.bot_texts())
    assert newcomer.errors == [] and counsellor.errors == []
    assert newcomer.dialogs == [] and counsellor.dialogs == []


def test_markup_a_counsellor_writes_reaches_the_widget_as_text(people):
    newcomer, counsellor = people
    request = "Ich möchte bitte mit einem Menschen sprechen"
    markup = "<b>bold</b> <img src=x onerror=alert(1)> <script>alert(2)</script> "
    message = markup + "Bitte bringen Sie den Mietvertrag mit. " * 90
    message = message.strip()
    assert 3000 < len(message) <= 4000

    counsellor.log_in()
    newcomer.write(request)
    expect(newcomer.bot_message(phrase("handoff_queued", "de"))).to_be_visible(timeout=REPLY_MS)
    row = counsellor.waiting_row(request)
    expect(row).to_contain_text("Deutsch (de)", timeout=LIVE_MS)
    counsellor.claim(row)
    expect(newcomer.bot_message(phrase("counsellor_joined", "de"))).to_be_visible(timeout=LIVE_MS)

    counsellor.reply(message)
    bubble = newcomer.page.locator(".message.bot.counsellor", has_text="Bitte bringen Sie den Mietvertrag mit.")
    expect(bubble).to_be_visible(timeout=LIVE_MS)
    assert bubble.locator(".plain").text_content() == message
    assert bubble.locator("b, img, script").count() == 0
    assert newcomer.page.locator(".log b, .log img, .log script").count() == 0
    # The console shows it as text, too.
    shown = counsellor.transcript.locator(".from-counsellor .text", has_text="Bitte bringen Sie")
    expect(shown).to_be_visible(timeout=LIVE_MS)
    assert shown.text_content() == message
    assert counsellor.page.locator("#transcript b, #transcript img, #transcript script").count() == 0

    counsellor.hand_back("other")
    expect(newcomer.bot_message(phrase("handoff_returned", "de"))).to_be_visible(timeout=LIVE_MS)
    assert newcomer.dialogs == [] and counsellor.dialogs == []
    assert newcomer.errors == [] and counsellor.errors == []

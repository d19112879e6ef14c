"""The console in a real browser (Chromium), served by uvicorn and talking to a real guide.

A counsellor logs in, sees a conversation arrive in the queue without
reloading, claims it, reads the transcript as the user keeps writing,
replies, inserts a checked answer, writes a note and hands back. And what
users write is shown as text, however long and whatever markup it holds.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from bot.console.app import create_app
from bot.handoff.settings import load_settings
from bot.knowledge import LiveKnowledge, load_knowledge
from bot.storage import accounts, session_factory
from bot.storage.handoffs import CLOSED
from tests.console.support import PASSWORD, rasa_down, serving
from tests.support import Guide, WatchedPage, new_sender

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT_MS = 15_000


class ConsolePage(WatchedPage):
    """A counsellor's browser tab on the console, watched for dialogs and script errors."""

    def __init__(self, page: Page, url: str) -> None:
        super().__init__(page)
        self.url = url
        page.set_default_timeout(LIVE_TIMEOUT_MS)

    def log_in(self, username: str) -> None:
        self.page.goto(self.url + "/login?lang=en")
        self.page.get_by_label("User name").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()

    @property
    def transcript(self):
        return self.page.locator("#transcript")


def serve_console(engine, guide: Guide, alert: datetime.timedelta):
    settings = dataclasses.replace(load_settings(), unclaimed_alert=alert)
    return serving(create_app(engine, guide.rasa(), settings, LiveKnowledge().current, secure_cookies=False))


@pytest.fixture
def tab(browser, engine, guide, counsellors) -> Iterator[ConsolePage]:
    with serve_console(engine, guide, datetime.timedelta(minutes=10)) as url:
        context = browser.new_context(locale="en-GB", timezone_id="Europe/Berlin")
        yield ConsolePage(context.new_page(), url)
        context.close()


def test_a_counsellor_takes_a_conversation_from_the_queue_to_the_hand_back(tab, guide, queue):
    page = tab.page
    tab.log_in("anna")
    expect(page.get_by_text("Nobody is waiting.")).to_be_visible()
    page.evaluate("() => { window.stillTheSamePage = true; }")

    # A user writes in Arabic and is queued, as the guide's handoff action does it.
    sender = new_sender()
    guide.say(sender, "مرحبا")
    guide.pause(sender)
    guide.say(sender, "أحتاج مساعدة في تسجيل عنواني")
    handoff = queue.open_handoff(sender, "rest", "ar", ["registration_where"], contact_consent=True)

    row = page.locator("#waiting li.handoff")
    expect(row).to_contain_text("العربية (ar)")  # arrived live, without a reload
    expect(row).to_contain_text("أحتاج مساعدة في تسجيل عنواني")
    expect(row).to_contain_text("registration_where")
    expect(row).to_contain_text("Agreed to be contacted")
    expect(row).not_to_contain_text("Waiting too long")
    assert page.evaluate("() => window.stillTheSamePage") is True

    row.get_by_role("button", name="Claim").click()
    page.wait_for_url(f"**/handoffs/{handoff.id}")
    expect(page.locator("#user-language")).to_have_text("العربية (ar)")
    joined = load_knowledge().phrases.get("counsellor_joined", "ar")
    expect(tab.transcript.locator(".from-counsellor").last).to_contain_text(joined)
    expect(tab.transcript.locator(".from-user").first).to_contain_text("مرحبا")

    guide.say(sender, "هل ما زلت هنا؟")  # the user writes on; it arrives live
    expect(tab.transcript.locator(".from-user").last).to_contain_text("هل ما زلت هنا؟")

    page.get_by_label("Reply").fill("Guten Tag! Ich helfe Ihnen gern weiter.")
    page.locator("#reply-form").get_by_role("button", name="Send").click()
    expect(tab.transcript.locator(".from-counsellor").last).to_contain_text("Guten Tag! Ich helfe Ihnen gern weiter.")
    expect(page.get_by_label("Reply")).to_have_value("")
    assert guide.bot_events(sender)[-1]["text"] == "Guten Tag! Ich helfe Ihnen gern weiter."

    topic = load_knowledge().topic("registration_where")
    page.get_by_label("Search topics").fill("registration_wh")
    page.get_by_label("Topic", exact=True).select_option("registration_where")
    expect(page.locator("#topic-preview-text")).to_have_text(topic.answer("en"))
    expect(page.locator("#topic-sent-text")).to_have_text(topic.answer("ar"))
    page.get_by_role("button", name="Send answer").click()
    inserted = tab.transcript.locator(".from-counsellor").last
    expect(inserted).to_contain_text("Inserted answer")
    expect(inserted.locator(".text")).to_have_text(topic.answer("ar"))

    page.locator("#note-text").fill("Needs an appointment at the Bürgerbüro.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#notes li")).to_contain_text("Anna Schmidt")
    expect(page.locator("#notes li")).to_contain_text("Needs an appointment at the Bürgerbüro.")

    page.get_by_label("Outcome").select_option("answered")
    page.get_by_role("button", name="Hand back").click()
    expect(page.get_by_text("Handed back. The guide answers the user again.")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("Closed by Anna Schmidt: Answered")
    assert queue.get(handoff.id).status == CLOSED
    assert guide.bot_events(sender)[-1]["text"] == load_knowledge().phrases.get("handoff_returned", "ar")

    page.get_by_role("link", name="Back to the queue").click()
    expect(page.locator("#closed li.handoff")).to_contain_text("Answered")
    assert tab.errors == [] and tab.dialogs == []


def test_markup_and_very_long_messages_are_shown_as_text(browser, engine, guide, queue, counsellors):
    markup = '<script>alert(1)</script><img src=x onerror="window.pwned=1;alert(2)"><b>bold?</b> '
    message = markup + "Wohnung " * ((5000 - len(markup)) // 8)
    message += "x" * (5000 - len(message))
    assert len(message) == 5000
    sender = new_sender()
    guide.say(sender, "Hallo")
    guide.pause(sender)
    guide.say(sender, message)
    handoff = queue.open_handoff(sender, "socketio", "de")

    # Flag every waiting conversation at once, to see the flag too.
    with serve_console(engine, guide, datetime.timedelta(0)) as url:
        context = browser.new_context(locale="en-GB")
        tab = ConsolePage(context.new_page(), url)
        tab.log_in("anna")
        row = tab.page.locator("#waiting li.handoff")
        expect(row).to_contain_text("Waiting too long")
        assert row.locator(".user-text").last.text_content() == message

        tab.page.goto(f"{url}/handoffs/{handoff.id}")
        shown = tab.transcript.locator(".from-user .text").last
        expect(shown).to_be_visible()
        assert shown.text_content() == message
        assert tab.page.locator("#transcript script, #transcript img, #transcript b").count() == 0
        assert tab.page.evaluate("() => window.pwned") is None
        assert tab.dialogs == [] and tab.errors == []
        context.close()


def test_when_the_guide_is_down_the_counsellor_is_told_and_keeps_their_text(browser, engine, queue, counsellors):
    handoff = queue.open_handoff(new_sender(), "telegram", "tr")
    with serving(
        create_app(engine, rasa_down(), load_settings(), LiveKnowledge().current, secure_cookies=False)
    ) as url:
        context = browser.new_context(locale="en-GB")
        tab = ConsolePage(context.new_page(), url)
        tab.log_in("anna")
        row = tab.page.locator("#waiting li.handoff")
        expect(row).to_contain_text("Türkçe (tr)")
        expect(row).to_contain_text("Messages cannot be read right now.")
        row.get_by_role("button", name="Claim").click()
        expect(tab.page.get_by_text("the user could not be told")).to_be_visible()
        expect(tab.page.get_by_text("The transcript cannot be read right now")).to_be_visible()

        text = "Merhaba! Size nasıl yardımcı olabilirim?"
        tab.page.get_by_label("Reply").fill(text)
        tab.page.locator("#reply-form").get_by_role("button", name="Send").click()
        expect(tab.page.locator("#reply-form .error")).to_have_text(
            "The guide's server (Rasa) cannot be reached. Nothing was sent and nothing changed; "
            "your text is still there."
        )
        expect(tab.page.get_by_label("Reply")).to_have_value(text)
        assert queue.get(handoff.id).status == "claimed"
        assert tab.errors == []
        context.close()


def test_an_open_console_leaves_for_the_login_page_when_the_account_is_disabled(
    browser, engine, counsellors, monkeypatch
):
    monkeypatch.setattr("bot.console.live.SESSION_CHECK_SECONDS", 0.5)
    with serving(
        create_app(engine, rasa_down(), load_settings(), LiveKnowledge().current, secure_cookies=False)
    ) as url:
        context = browser.new_context(locale="en-GB")
        tab = ConsolePage(context.new_page(), url)
        tab.log_in("anna")
        expect(tab.page.get_by_text("Nobody is waiting.")).to_be_visible()
        with session_factory(engine).begin() as session:
            accounts.set_active(session, "anna", False)
        tab.page.wait_for_url("**/login**")
        expect(tab.page.get_by_role("button", name="Log in")).to_be_visible()
        context.close()

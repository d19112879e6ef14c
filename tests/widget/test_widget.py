"""The web chat widget in a real browser, talking to a real guide over socket.io.

Each test opens the demo page (``/widget/demo.html``, as ``make run`` serves
it) in a fresh browser context, so every test starts a new conversation. The
guide is the session's shared one (``tests/conftest.py``).
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import List

import pytest

from tests.support import DESKTOP, PHONE, Guide, WatchedPage, eventually, save_screenshot

pytestmark = pytest.mark.e2e

GERMAN_QUESTION = "Wie viel Kaution darf mein Vermieter verlangen?"
GERMAN_SOURCE = "https://www.gesetze-im-internet.de/bgb/__551.html"
ARABIC_QUESTION = "أين أسجل عنوان سكني في شتوتغارت؟"
REPLY_TIMEOUT_MS = 60_000


class ChatPage(WatchedPage):
    """The demo page with the widget, driven as a person would (plus a look at its state)."""

    def __init__(self, page, guide: Guide) -> None:
        super().__init__(page)
        self.guide = guide

    def load(self, url: str) -> "ChatPage":
        self.page.goto(url)
        self.page.wait_for_selector(".launcher")
        return self

    def open(self) -> None:
        self.page.click(".launcher")
        self.page.wait_for_selector(".panel", state="visible")

    def ask(self, text: str) -> None:
        """Type ``text``, press Enter and wait until the whole reply is there."""
        self.page.fill("#wg-input", text)
        self.page.press("#wg-input", "Enter")
        self.wait_for_reply()

    def wait_for_reply(self) -> None:
        # The typing indicator shows from sending until the reply's structured element arrives.
        self.page.wait_for_selector(".typing", state="hidden", timeout=REPLY_TIMEOUT_MS)

    def wait_for_connection(self) -> None:
        self.page.wait_for_function(
            "() => document.getElementById('welcome-guide')?.welcomeGuide?.transport.confirmed === true"
        )

    @property
    def session_id(self) -> str:
        return self.page.evaluate("() => document.getElementById('welcome-guide').welcomeGuide.transport.sessionId")

    def bot_texts(self) -> List[str]:
        return self.page.locator(".message.bot").all_inner_texts()

    def user_texts(self) -> List[str]:
        return self.page.locator(".message.user").all_inner_texts()

    def focused(self) -> str:
        """The class of the focused element inside the widget ('' if the focus is elsewhere)."""
        return self.page.evaluate(
            "() => document.getElementById('welcome-guide').shadowRoot.activeElement?.className || ''"
        )

    def screenshot(self, folder: Path, name: str) -> None:
        save_screenshot(self.page, folder, name)


def demo_url(guide: Guide, query: str = "") -> str:
    return f"{guide.url}/widget/demo.html{query}"


@pytest.fixture
def open_chat(browser, web_guide):
    """Opens the demo page in a new browser context of the given size; returns a :class:`ChatPage`."""
    contexts = []

    def open_page(viewport=PHONE, query: str = "") -> ChatPage:
        context = browser.new_context(viewport=viewport, locale="de-DE")
        contexts.append(context)
        return ChatPage(context.new_page(), web_guide).load(demo_url(web_guide, query))

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport, size", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_german_question_gets_the_answer_with_its_sources(open_chat, screenshot_dir, viewport, size):
    chat = open_chat(viewport)
    chat.open()
    chat.ask(GERMAN_QUESTION)
    assert chat.user_texts() == [GERMAN_QUESTION]
    assert "drei Monatsmieten" in chat.bot_texts()[0]
    assert chat.page.locator(".panel").get_attribute("dir") == "ltr"
    assert chat.page.locator(".message.bot").first.get_attribute("lang") == "de"
    sources = chat.page.locator(".sources a")
    assert sources.evaluate_all("links => links.map(a => a.href)") == [GERMAN_SOURCE]
    assert sources.first.get_attribute("rel") == "noopener noreferrer"
    assert chat.page.locator(".sources-label").inner_text() == "Quellen"
    assert chat.page.locator(".feedback-question").inner_text() == "War das hilfreich?"
    chat.screenshot(screenshot_dir, f"widget-de-{size}")
    assert not chat.errors


@pytest.mark.parametrize("viewport, size", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_an_arabic_question_is_answered_right_to_left(open_chat, screenshot_dir, viewport, size):
    chat = open_chat(viewport, "?lang=ar")
    chat.open()
    assert chat.page.locator(".panel").get_attribute("dir") == "rtl"  # the page asked for Arabic
    chat.ask(ARABIC_QUESTION)
    answer = chat.page.locator(".message.bot").first
    assert "Bürgerbüro" in answer.inner_text()
    assert (answer.get_attribute("dir"), answer.get_attribute("lang")) == ("rtl", "ar")
    assert chat.page.locator(".panel").get_attribute("dir") == "rtl"
    assert chat.page.locator(".answer-extras").get_attribute("dir") == "rtl"
    assert chat.page.locator(".sources-label").inner_text() == "المصادر"
    links = chat.page.locator(".sources a").evaluate_all("links => links.map(a => a.href)")
    assert links and all(link.startswith("https://") for link in links)
    assert chat.page.locator(".feedback-question").inner_text() == "هل كانت هذه الإجابة مفيدة؟"
    assert chat.page.get_attribute("#wg-input", "placeholder") == "اكتب سؤالك"
    chat.screenshot(screenshot_dir, f"widget-ar-{size}")
    assert not chat.errors


def test_a_thumbs_up_is_stored_per_topic_and_language(open_chat, web_guide):
    chat = open_chat()
    chat.open()
    chat.ask(GERMAN_QUESTION)
    before = web_guide.votes()
    chat.page.click(".vote[aria-label='Ja, hilfreich']")
    chat.page.wait_for_selector(".feedback-thanks", state="visible")
    eventually(lambda: web_guide.votes() != before, 10, interval=0.1, message="no vote was stored")
    assert web_guide.votes()[len(before) :] == [("housing_deposit", "de", 1)]
    assert chat.page.get_attribute(".vote[aria-label='Ja, hilfreich']", "aria-pressed") == "true"
    assert chat.page.locator(".vote:disabled").count() == 2  # one vote per answer


def test_a_reload_shows_the_conversation_and_continues_it(open_chat):
    chat = open_chat()
    chat.open()
    chat.ask(GERMAN_QUESTION)
    chat.page.click(".vote[aria-label='Ja, hilfreich']")
    chat.page.wait_for_selector(".feedback-thanks", state="visible")
    session, texts = chat.session_id, chat.bot_texts()

    chat.page.reload()
    chat.page.wait_for_selector(".launcher")
    chat.wait_for_connection()
    chat.open()
    chat.page.wait_for_selector(".message.user")
    assert chat.user_texts() == [GERMAN_QUESTION]
    assert chat.bot_texts() == texts
    assert chat.page.locator(".sources a").evaluate_all("links => links.map(a => a.href)") == [GERMAN_SOURCE]
    assert chat.page.get_attribute(".vote[aria-label='Ja, hilfreich']", "aria-pressed") == "true"
    assert chat.session_id == session

    chat.ask("Wo melde ich meine Adresse an?")
    assert chat.session_id == session
    assert len(chat.user_texts()) == 2


def test_a_counsellors_message_arrives_at_once(open_chat, web_guide):
    chat = open_chat()
    chat.open()
    chat.ask(GERMAN_QUESTION)
    web_guide.push(chat.session_id, "Hier ist Frau Schmidt vom Welcome Center. Wie kann ich helfen?")
    chat.page.wait_for_selector(".message.bot >> text=Frau Schmidt", timeout=5000)


def test_messages_missed_while_the_connection_was_down_are_shown(open_chat, web_guide):
    chat = open_chat()
    chat.open()
    chat.ask(GERMAN_QUESTION)
    session = chat.session_id
    chat.page.context.set_offline(True)  # reconnection attempts fail until the network is back
    chat.page.evaluate("() => document.getElementById('welcome-guide').welcomeGuide.transport.socket.io.engine.close()")
    chat.page.wait_for_selector(".status", state="visible")
    chat.page.wait_for_function(
        "() => !document.getElementById('welcome-guide').welcomeGuide.transport.socket.connected"
    )
    web_guide.push(session, "Nachricht während der Unterbrechung")
    # The guide has sent it (into a closed connection) before its API answered the push.
    assert "Nachricht während der Unterbrechung" in [e["text"] for e in web_guide.bot_events(session)]
    chat.settle()
    assert "Nachricht während der Unterbrechung" not in chat.bot_texts()

    chat.page.context.set_offline(False)
    chat.page.wait_for_selector(".message.bot >> text=Nachricht während der Unterbrechung", timeout=20_000)
    chat.page.wait_for_selector(".status", state="hidden")
    assert chat.user_texts() == [GERMAN_QUESTION]
    assert chat.session_id == session


@pytest.mark.parametrize("attack", ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"])
def test_html_in_messages_shows_as_text_and_never_runs(open_chat, web_guide, attack):
    chat = open_chat()
    chat.open()
    chat.ask(attack)
    web_guide.push(chat.session_id, f"Bot echo: {attack} **fett**")
    chat.page.wait_for_selector(".message.bot >> text=Bot echo")
    chat.settle()  # let an injected handler run, if one could
    assert chat.user_texts() == [attack]
    echo = chat.page.locator(".message.bot", has_text="Bot echo")
    assert attack in echo.inner_text()
    assert echo.locator("strong").inner_text() == "fett"  # Markdown still works
    assert chat.page.locator(".log img, .log script").count() == 0
    assert chat.dialogs == [] and not chat.errors


def test_keyboard_only(open_chat):
    chat = open_chat(DESKTOP)
    for _ in range(5):  # the page's own button, then the launcher
        chat.page.keyboard.press("Tab")
        if chat.focused() == "launcher":
            break
    assert chat.focused() == "launcher"
    chat.page.keyboard.press("Enter")
    assert chat.focused() == "input"
    chat.page.keyboard.type(GERMAN_QUESTION)
    chat.page.keyboard.press("Enter")
    chat.wait_for_reply()
    assert chat.user_texts() == [GERMAN_QUESTION]

    chat.page.keyboard.press("Tab")
    assert chat.focused() == "send"
    chat.page.keyboard.press("Shift+Tab")
    chat.page.keyboard.press("Shift+Tab")  # back over the answer's buttons and links
    assert chat.focused() in ("vote", "quick-reply")
    chat.page.keyboard.press("Escape")
    assert chat.page.locator(".panel").is_hidden()
    assert chat.focused() == "launcher"


def test_the_language_switcher_changes_the_conversations_language(open_chat):
    chat = open_chat()
    chat.open()
    chat.page.focus("select.language")
    for _ in range(4):  # Deutsch -> English -> Türkçe -> العربية -> Українська, by keyboard
        chat.page.keyboard.press("ArrowDown")
    chat.page.wait_for_selector(".message.user")
    chat.wait_for_reply()
    assert chat.user_texts() == ["Українська"]  # one switch, not one per language passed
    assert chat.bot_texts()[0].startswith("Добре, відтепер я відповідатиму українською")
    assert chat.page.get_attribute("#wg-input", "placeholder") == "Введіть своє запитання"
    assert chat.page.locator(".panel").get_attribute("lang") == "uk"


def test_roles_and_labels_for_screen_readers(open_chat):
    chat = open_chat()
    page = chat.page
    assert page.get_attribute(".launcher", "aria-label") == "Chat öffnen"
    assert page.get_attribute(".launcher", "aria-expanded") == "false"
    chat.open()
    assert page.get_attribute(".launcher", "aria-expanded") == "true"
    assert page.get_attribute(".panel", "role") == "dialog"
    assert page.get_attribute(".log", "role") == "log"
    assert page.get_attribute(".log", "aria-live") == "polite"
    assert page.get_attribute(".close", "aria-label") == "Chat schließen"
    assert page.get_attribute(".send", "aria-label") == "Senden"
    assert page.get_attribute("select.language", "aria-label") == "Sprache"
    assert page.locator("label[for='wg-input']").inner_text() == "Geben Sie Ihre Frage ein"


def test_the_phone_layout_fits_360_pixels(open_chat):
    chat = open_chat(PHONE)
    chat.open()
    chat.ask(GERMAN_QUESTION)
    box = chat.page.locator(".panel").bounding_box()
    assert (box["x"], box["width"]) == (0, 360)
    overflow = chat.page.locator(".log").evaluate("log => log.scrollWidth > log.clientWidth")
    assert not overflow


def test_a_page_on_another_origin_can_embed_the_widget(browser, web_guide, embedding_site):
    """CORS: the module scripts, the labels, the history, the socket and the votes cross origins."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        chat = ChatPage(context.new_page(), web_guide).load(embedding_site)
        page = chat.page
        chat.open()
        assert page.locator(".title").inner_text() == "Ask us"
        chat.ask("How much deposit can my landlord ask for?")
        assert page.locator(".answer-extras").count() == 1
        page.click(".vote[aria-label='No, not helpful']")
        page.wait_for_selector(".feedback-thanks", state="visible")
        assert not chat.errors
    finally:
        context.close()


@pytest.fixture
def embedding_site(web_guide):
    """Another web site (another origin, also on this machine) whose page embeds the widget."""
    page = (
        "<!doctype html><html lang='en'><head><link rel='icon' href='data:,'></head>"
        "<body><h1>Another site</h1>"
        "<script>window.WelcomeGuideConfig = {language: 'en', title: 'Ask us'};</script>"
        f"<script type='module' src='{web_guide.url}/widget/widget.js'></script></body></html>"
    ).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()

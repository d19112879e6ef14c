"""The Telegram channel with the real python-telegram-bot, against a local stand-in of the Bot API.

Rasa itself is replaced by small fakes here (see ``test_telegram_e2e.py`` for
the real servers): these tests pin down what the channel does with each kind
of webhook call and what reaches the chat.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.run import create_http_input_channels
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.telegram import SECRET_HEADER, TelegramInput
from bot.channels.telegram_cli import SetupError, forward_update, menu_commands, setup, webhook_url
from bot.knowledge import load_phrases
from bot.language.supported import SUPPORTED_LANGUAGES
from bot.serve import _environment
from bot.storage.handoffs import HandoffQueue
from tests.telegram.bot_api import BotApiStandIn, keyboard_of

PROJECT_DIR = Path(__file__).resolve().parents[2]
TOKEN = "123456:unit-test-token"
SECRET = "unit-test-secret"
PHRASES = load_phrases()


@pytest.fixture(scope="module")
def api():
    with BotApiStandIn(TOKEN) as stand_in:
        yield stand_in


@pytest.fixture
def channel_on(api, channel_context):
    """A channel in a server whose tracker store is ``store`` (wrapped as Rasa wraps it); also its context."""

    def make(store=None):
        channel = TelegramInput(TOKEN, SECRET, api.base_url)
        context, _ = channel_context(tracker_store=FailSafeTrackerStore(store or InMemoryTrackerStore(Domain.empty())))
        channel.use_context(context)
        return channel

    return make


@pytest.fixture
def channel(channel_on) -> TelegramInput:
    return channel_on()


class FakeRasa:
    """Stands in for Rasa's message handler: records messages, replies with ``reply``."""

    def __init__(self, reply: Optional[Callable[[UserMessage], Awaitable[None]]] = None) -> None:
        self.messages: List[UserMessage] = []
        self._reply = reply

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self._reply:
            await self._reply(message)
        else:
            await message.output_channel.send_text_message(message.sender_id, f"You wrote: {message.text}")


def text_update(chat_id: int, text: str, language_code: Optional[str] = "de", update_id: int = 1) -> Dict:
    user = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": language_code}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 7,
            "date": 1700000000,
            "text": text,
            "from": user,
            "chat": {"id": chat_id, "type": "private"},
        },
    }


def button_update(chat_id: int, data: str, language_code: str = "de", update_id: int = 2) -> Dict:
    user = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": language_code}
    message = {"message_id": 8, "date": 1700000000, "text": "?", "chat": {"id": chat_id, "type": "private"}}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq-{chat_id}-{update_id}",
            "from": user,
            "chat_instance": "ci",
            "data": data,
            "message": message,
        },
    }


def deliver(
    channel: TelegramInput, update: Any, rasa: Optional[FakeRasa] = None, secret: Optional[str] = SECRET
) -> int:
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    status, _ = asyncio.run(channel.handle_webhook(body, secret, rasa or FakeRasa()))
    return status


def test_a_text_message_reaches_rasa_as_the_chats_conversation_with_the_app_language(api, channel):
    rasa = FakeRasa()
    assert deliver(channel, text_update(-1001, "Wo melde ich mich an?", "de-AT"), rasa) == 200
    message = rasa.messages[0]
    assert (message.text, message.sender_id, message.input_channel) == ("Wo melde ich mich an?", "-1001", "telegram")
    assert message.metadata == {"language_code": "de-AT"}
    assert [m["text"] for m in api.sent_to(-1001)] == ["You wrote: Wo melde ich mich an?"]
    assert api.sent_to(-1001)[0]["parse_mode"] == "HTML"


def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_logged_of_the_message(api, channel, caplog):
    rasa = FakeRasa()
    with caplog.at_level(logging.INFO):
        assert deliver(channel, text_update(1002, "Mein Pass Nr. C01X00T47"), rasa, secret="guess") == 403
        assert deliver(channel, text_update(1002, "Mein Pass Nr. C01X00T47"), rasa, secret=None) == 403
    assert not rasa.messages and not api.sent_to(1002)
    assert "refused" in caplog.text.lower() and "C01X00T47" not in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({"message": {"text": "no update id"}}).encode(),
        json.dumps({"update_id": 3, "message": "C01X00T47"}).encode(),
        json.dumps(
            {
                "update_id": 3,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "text": "C01X00T47",
                    "chat": {"id": "not-a-number", "type": "private"},
                },
            }
        ).encode(),
    ],
)
def test_a_malformed_update_is_refused_without_logging_it(channel, body, caplog):
    rasa = FakeRasa()
    with caplog.at_level(logging.INFO):
        assert deliver(channel, body, rasa) == 400
    assert not rasa.messages
    assert "malformed" in caplog.text.lower() and "C01X00T47" not in caplog.text


def test_updates_without_text_are_ignored(api, channel):
    sticker = text_update(1003, "x")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {
        "file_id": "f",
        "file_unique_id": "u",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    rasa = FakeRasa()
    assert deliver(channel, sticker, rasa) == 200
    assert not rasa.messages and not api.sent_to(1003)


@pytest.mark.parametrize("token, secret", [("", ""), (None, None), (TOKEN, "")])
def test_without_token_and_secret_the_webhook_says_telegram_is_not_configured(token, secret):
    channel = TelegramInput(token, secret)
    status, text = asyncio.run(channel.handle_webhook(b"{}", SECRET, FakeRasa()))
    assert (status, text) == (503, "Telegram is not configured")
    assert channel.get_output_channel() is None


def test_credentials_yml_loads_the_channel_even_when_telegram_is_not_set_up(monkeypatch, tmp_path):
    for name in ("TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    args = type("Args", (), {"actions_port": 5055})()
    for name, value in _environment(args, tmp_path).items():
        monkeypatch.setenv(name, value)
    channels = create_http_input_channels(None, str(PROJECT_DIR / "credentials.yml"))
    telegram = next(c for c in channels if isinstance(c, TelegramInput))
    assert not telegram.configured
    assert {"rest", "telegram"} <= {c.name() for c in channels}


def test_credentials_yml_takes_token_secret_and_api_address_from_the_environment(monkeypatch, api):
    monkeypatch.setenv("TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    channels = create_http_input_channels(None, str(PROJECT_DIR / "credentials.yml"))
    telegram = next(c for c in channels if isinstance(c, TelegramInput))
    assert telegram.configured and telegram.bot.base_url == api.base_url + TOKEN


def test_a_button_press_is_acknowledged_and_its_payload_becomes_the_users_message(api, channel):
    rasa = FakeRasa()
    assert deliver(channel, button_update(1004, "/human"), rasa) == 200
    assert [m.text for m in rasa.messages] == ["/human"]
    assert {"callback_query_id": "cq-1004-2"} in api.calls_of("answerCallbackQuery")


def test_a_payload_longer_than_telegram_allows_comes_back_whole(api, channel):
    payload = '/inform{"topic":"registration_documents","detail":"' + "x" * 60 + '"}'

    async def offer(message: UserMessage) -> None:
        await message.output_channel.send_text_with_buttons(
            message.sender_id, "Choose", [{"title": "More", "payload": payload}]
        )

    deliver(channel, text_update(1005, "hi"), FakeRasa(offer))
    data = keyboard_of(api.sent_to(1005)[-1])[0]["callback_data"]
    assert len(data.encode()) <= 64
    rasa = FakeRasa()
    deliver(channel, button_update(1005, data), rasa)
    assert [m.text for m in rasa.messages] == [payload]


def test_if_rasa_fails_the_user_gets_an_apology_in_their_language(api, channel):
    async def fail(message: UserMessage) -> None:
        raise ConnectionError("action server down")

    assert deliver(channel, text_update(1006, "Wie viel Kaution darf mein Vermieter verlangen?"), FakeRasa(fail)) == 200
    assert [m["text"] for m in api.sent_to(1006)] == [PHRASES.get("error", "de")]


def test_an_answer_shows_its_sources_as_links_and_other_elements_stay_invisible(api, channel):
    async def answer(message: UserMessage) -> None:
        output = message.output_channel
        await output.send_response(message.sender_id, {"text": "Höchstens drei Monatsmieten."})
        await output.send_response(
            message.sender_id,
            {
                "custom": {
                    "type": "answer",
                    "topic": "housing_deposit",
                    "lang": "ar",
                    "sources": ["https://www.gesetze-im-internet.de/bgb/__551.html"],
                }
            },
        )
        await output.send_response(message.sender_id, {"custom": {"type": "smalltalk", "lang": "ar"}})

    deliver(channel, text_update(1007, "kaution"), FakeRasa(answer))
    texts = [m["text"] for m in api.sent_to(1007)]
    assert texts == [
        "Höchstens drei Monatsmieten.",
        f"<b>{PHRASES.get('sources_label', 'ar')}</b>\n"
        '• <a href="https://www.gesetze-im-internet.de/bgb/__551.html">'
        "gesetze-im-internet.de/bgb/__551.html</a>",
    ]


def test_a_reply_longer_than_a_telegram_message_arrives_in_parts(api, channel):
    paragraph = ("Ein Absatz mit <Zeichen> & Inhalt. " * 40).strip()
    long_text = "\n\n".join([paragraph] * 3)

    async def reply(message: UserMessage) -> None:
        await message.output_channel.send_text_with_buttons(
            message.sender_id, long_text, [{"title": "OK", "payload": "/affirm"}]
        )

    deliver(channel, text_update(1008, "lang"), FakeRasa(reply))
    sent = api.sent_to(1008)
    shown = [m["text"].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for m in sent]
    assert shown == ["\n\n".join([paragraph] * 2), paragraph], "cut between paragraphs, nothing lost"
    assert "reply_markup" not in sent[0] and keyboard_of(sent[1])[0]["callback_data"] == "/affirm"


def test_the_output_channel_can_push_a_message_later(api, channel):
    asyncio.run(channel.get_output_channel().send_text_message("1009", "Eine Beraterin meldet sich."))
    assert [m["text"] for m in api.sent_to(1009)] == ["Eine Beraterin meldet sich."]


def _saved_conversation(store, chat_id: str, language: str) -> None:
    domain = Domain.load(str(PROJECT_DIR / "domain.yml"))
    store.domain = domain
    tracker = DialogueStateTracker.from_events(
        chat_id, [UserUttered("Merhaba"), SlotSet("language", language)], slots=domain.slots
    )
    asyncio.run(store.save(tracker))


def test_delete_asks_first_and_cancelling_keeps_the_conversation(api, channel_on):
    store = InMemoryTrackerStore(Domain.empty())
    _saved_conversation(store, "1010", "tr")
    channel, rasa = channel_on(store), FakeRasa()
    deliver(channel, text_update(1010, "/delete", "en"), rasa)
    question = api.sent_to(1010)[-1]
    assert question["text"] == PHRASES.get("delete_confirm", "tr")
    assert [b["text"] for b in keyboard_of(question)] == ["Evet", "Hayır"]
    deliver(channel, button_update(1010, keyboard_of(question)[1]["callback_data"], "en"), rasa)
    assert api.sent_to(1010)[-1]["text"] == PHRASES.get("delete_cancelled", "tr")
    assert "1010" in store.store and not rasa.messages, "neither /delete nor the buttons go to Rasa"


def test_confirming_delete_erases_the_conversation_and_its_handoff(api, channel_on, tmp_path, guide_sqlite):
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    _saved_conversation(store, "1011", "ar")
    queue = HandoffQueue(guide_sqlite)
    queue.open_handoff("1011", "telegram", "ar")
    _saved_conversation(store, "other", "de")
    channel = channel_on(store)
    deliver(channel, text_update(1011, "/delete", "de"))
    confirm = keyboard_of(api.sent_to(1011)[-1])[0]["callback_data"]
    deliver(channel, button_update(1011, confirm, "de"))
    assert api.sent_to(1011)[-1]["text"] == PHRASES.get("delete_done", "ar")
    assert asyncio.run(store.retrieve("1011")) is None
    assert queue.open_for("1011") is None
    assert asyncio.run(store.retrieve("other")) is not None
    assert {"chat_id": "1011", "message_id": "8"}.items() <= api.calls_of("editMessageReplyMarkup")[-1].items()


def test_delete_without_a_conversation_asks_in_the_app_language(api, channel):
    deliver(channel, text_update(1012, "/delete", "uk-UA"))
    assert api.sent_to(1012)[-1]["text"] == PHRASES.get("delete_confirm", "uk")


def test_setup_registers_the_commands_in_every_language_and_the_webhook_with_its_secret(api):
    from bot.channels.telegram_output import make_bot

    asyncio.run(
        setup(make_bot(TOKEN, api.base_url), "https://guide.example.org/webhooks/telegram/webhook", SECRET, PHRASES)
    )
    by_language = {call.get("language_code"): call["commands"] for call in api.calls_of("setMyCommands")}
    assert set(by_language) == set(SUPPORTED_LANGUAGES) | {None}
    assert [c["command"] for c in by_language["ar"]] == ["start", "help", "language", "human", "delete"]
    assert by_language["de"][-1]["description"] == PHRASES.get("command_delete", "de")
    webhook = api.calls_of("setWebhook")[-1]
    assert webhook["url"] == "https://guide.example.org/webhooks/telegram/webhook"
    assert webhook["secret_token"] == SECRET
    assert webhook["allowed_updates"] == ["message", "callback_query"]


def test_menu_descriptions_fit_telegrams_limits():
    for language in SUPPORTED_LANGUAGES:
        assert all(3 <= len(c.description) <= 256 for c in menu_commands(PHRASES, language))


def test_a_bare_server_address_gets_the_webhook_path():
    assert webhook_url("https://guide.example.org") == "https://guide.example.org/webhooks/telegram/webhook"
    assert webhook_url("https://x.org/bot/hook") == "https://x.org/bot/hook"


def test_polling_stops_with_a_clear_message_when_the_guide_refuses_the_secret():
    def guide(request: httpx.Request) -> httpx.Response:
        assert request.headers[SECRET_HEADER] == "wrong"
        return httpx.Response(403, text="Forbidden")

    async def forward() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(guide)) as client:
            await forward_update(client, "http://guide/webhooks/telegram/webhook", "wrong", {"update_id": 1})

    with pytest.raises(SetupError, match="TELEGRAM_WEBHOOK_SECRET"):
        asyncio.run(forward())


def test_polling_waits_for_a_guide_that_is_still_starting():
    answers = iter([httpx.ConnectError("refused"), httpx.Response(200, text="ok")])
    posted = []

    def guide(request: httpx.Request) -> httpx.Response:
        posted.append(json.loads(request.content))
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def forward() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(guide)) as client:
            await forward_update(
                client, "http://guide/webhooks/telegram/webhook", SECRET, {"update_id": 5}, retry_seconds=0
            )

    asyncio.run(forward())
    assert posted == [{"update_id": 5}, {"update_id": 5}]


def test_a_rejected_token_is_reported_without_showing_it(api, monkeypatch, capsys):
    from bot.channels.telegram_cli import main

    monkeypatch.setenv("TELEGRAM_TOKEN", "999:wrong-token")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    assert main(["setup", "--webhook-url", "https://guide.example.org"]) == 1
    error = capsys.readouterr().err
    assert "rejected" in error and "wrong-token" not in error

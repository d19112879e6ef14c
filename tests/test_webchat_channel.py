"""The web chat channel: socket.io fixes, history, votes and the widget's files (without a server)."""

from __future__ import annotations

import asyncio
import json
import types
from typing import Any, Dict, List
from unittest import mock

import pytest
import sqlalchemy as sa
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import webchat_api
from bot.channels.socketio import SocketIOInput, SocketIOOutput, _allowed_metadata
from bot.channels.webchat_history import history, is_session_id, is_web_conversation
from bot.channels.widget_files import servable_file
from bot.knowledge import load_phrases
from bot.storage.votes import votes

SESSION = "0123456789abcdef0123456789abcdef"
ANSWER = {
    "type": "answer",
    "topic": "housing_deposit",
    "lang": "de",
    "sources": ["https://www.gesetze-im-internet.de/bgb/__551.html"],
}


@pytest.fixture
def context(channel_context):
    """The channels' parts, with no conversations yet."""
    return channel_context()[0]


def _channel(context, on_new_message=None):
    """A channel whose socket.io server records what it is asked to do."""
    channel = SocketIOInput.from_credentials({"session_persistence": True})
    channel.blueprint(on_new_message or mock.AsyncMock())
    channel.use_context(context)
    channel.sio.enter_room = mock.AsyncMock()
    channel.sio.emit = mock.AsyncMock()
    return channel


def _handler(channel, event: str):
    return channel.sio.handlers["/"][event]


def _emitted(channel) -> List[Dict[str, Any]]:
    return [c.args[1] for c in channel.sio.emit.call_args_list if c.args[0] == "bot_uttered"]


# -- the socket.io channel ------------------------------------------------------


def test_a_session_request_awaits_entering_the_room(context):
    """Rasa's channel forgot the await (RasaHQ/rasa#13027): the browser never got a reply."""
    channel = _channel(context)
    asyncio.run(_handler(channel, "session_request")("sid-1", {"session_id": SESSION}))
    channel.sio.enter_room.assert_awaited_once_with("sid-1", SESSION, namespace=None)
    channel.sio.emit.assert_awaited_once_with("session_confirm", SESSION, room="sid-1", namespace=None)


def test_a_session_request_without_a_valid_id_gets_a_new_one(context):
    channel = _channel(context)
    for data in (None, {}, {"session_id": "12345"}, {"session_id": "../../etc"}):
        channel.sio.emit.reset_mock()
        asyncio.run(_handler(channel, "session_request")("sid-1", data))
        new_id = channel.sio.emit.call_args.args[1]
        assert is_session_id(new_id) and new_id != SESSION


def test_a_message_reaches_rasa_with_its_session_and_only_allowed_metadata(context):
    received: List[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Antwort")

    channel = _channel(context, on_new_message)
    data = {
        "message": "Kaution?",
        "session_id": SESSION,
        "metadata": {"language_code": "de-DE", "shown_text": "Kaution?", "email": "a@b.c"},
    }
    asyncio.run(_handler(channel, "user_uttered")("sid-2", data))
    message = received[0]
    assert (message.text, message.sender_id, message.input_channel) == ("Kaution?", SESSION, "socketio")
    assert message.metadata == {"language_code": "de-DE", "shown_text": "Kaution?"}
    channel.sio.enter_room.assert_awaited_once_with("sid-2", SESSION, namespace=None)
    assert _emitted(channel) == [{"text": "Antwort"}]


def test_a_message_without_a_session_is_ignored(context):
    on_new_message = mock.AsyncMock()
    channel = _channel(context, on_new_message)
    asyncio.run(_handler(channel, "user_uttered")("sid-3", {"message": "Hallo"}))
    asyncio.run(_handler(channel, "user_uttered")("sid-3", "Hallo"))
    on_new_message.assert_not_awaited()


def test_a_message_that_gets_no_reply_gets_an_apology_in_its_language(channel_context):
    context, agent = channel_context()

    async def failing(message: UserMessage) -> None:
        # As Rasa does when the action server is down: the message is understood and kept, then the action fails.
        detection = {"language": "de", "confidence": 0.9, "supported": True, "reliable": True}
        await agent.tracker_store.save(
            DialogueStateTracker.from_events(
                message.sender_id,
                [UserUttered(message.text, parse_data={"language": detection}, input_channel="socketio")],
            )
        )
        raise RuntimeError("the action server is down")

    channel = _channel(context, failing)
    asyncio.run(_handler(channel, "user_uttered")("sid-4", {"message": "Wo melde ich mich an?", "session_id": SESSION}))
    assert _emitted(channel) == [
        {"text": load_phrases().get("error", "de")},
        {"custom": {"type": "fallback", "lang": "de"}},
    ]


def test_the_structured_element_and_texts_go_out_whole():
    sio = mock.Mock(emit=mock.AsyncMock())
    output = SocketIOOutput(sio, "bot_uttered")
    asyncio.run(output.send_text_message(SESSION, "Erster Absatz.\n\n- eins\n- zwei"))
    asyncio.run(output.send_custom_json(SESSION, dict(ANSWER)))
    asyncio.run(output.send_text_with_buttons(SESSION, "Sprache?", [{"title": "Deutsch", "payload": "/de"}]))
    assert [c.args[1] for c in sio.emit.call_args_list] == [
        {"text": "Erster Absatz.\n\n- eins\n- zwei"},
        {"custom": ANSWER},
        {"text": "Sprache?", "quick_replies": [{"content_type": "text", "title": "Deutsch", "payload": "/de"}]},
    ]
    assert all(c.kwargs == {"room": SESSION} for c in sio.emit.call_args_list)
    assert output.sent == 3


def test_replies_pushed_later_have_an_output_channel(context):
    channel = SocketIOInput.from_credentials({})
    assert channel.get_output_channel() is None  # before the server is set up
    channel.blueprint(mock.AsyncMock())
    assert isinstance(channel.get_output_channel(), SocketIOOutput)


def test_metadata_may_come_as_json_text():
    assert _allowed_metadata('{"language_code": "ar"}') == {"language_code": "ar"}
    assert _allowed_metadata("not json") == {}
    assert _allowed_metadata({"shown_text": "x" * 500})["shown_text"] == "x" * 200


# -- history --------------------------------------------------------------------


def _events() -> List[Dict[str, Any]]:
    events = [
        UserUttered("Kaution?", input_channel="socketio", metadata={"shown_text": "Kaution?"}),
        BotUttered("Höchstens drei Monatsmieten."),
        BotUttered(data={"custom": ANSWER}),
        UserUttered(
            '/change_language{"language_choice":"ar"}', input_channel="socketio", metadata={"shown_text": "العربية"}
        ),
        BotUttered("Sprache?", data={"buttons": [{"title": "Deutsch", "payload": "/x"}]}),
    ]
    return [event.as_dict() for event in events]


def test_the_history_has_what_the_widget_showed():
    messages = history(_events())
    assert [(m["from"], m.get("text")) for m in messages] == [
        ("user", "Kaution?"),
        ("bot", "Höchstens drei Monatsmieten."),
        ("bot", None),
        ("user", "العربية"),
        ("bot", "Sprache?"),
    ]
    assert messages[2]["custom"] == ANSWER
    assert messages[4]["quick_replies"] == [{"content_type": "text", "title": "Deutsch", "payload": "/x"}]


def test_only_web_chat_conversations_are_shown():
    assert is_web_conversation(_events())
    rest = UserUttered("hi", input_channel="rest").as_dict()
    assert not is_web_conversation(_events() + [rest])


# -- the HTTP API -----------------------------------------------------------------


@pytest.fixture
def request_for(channel_context, context):
    """A request to the web chat's API, in a server that has the conversation ``events`` (if any)."""

    def make(events, body=None):
        context, _ = channel_context({SESSION: events} if events is not None else {})
        app = types.SimpleNamespace(ctx=types.SimpleNamespace(guide=context))
        return types.SimpleNamespace(app=app, json=body)

    return make


def _web_events():
    return [UserUttered("Kaution?", input_channel="socketio"), BotUttered("…"), BotUttered(data={"custom": ANSWER})]


def _stored_votes(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(sa.select(votes.c.topic, votes.c.lang, votes.c.helpful)).all()


def test_a_vote_on_a_real_answer_is_stored(request_for, guide_sqlite):
    body = {"session_id": SESSION, "topic": "housing_deposit", "lang": "de", "helpful": True}
    answer = asyncio.run(webchat_api._feedback_route(request_for(_web_events(), body)))
    assert answer.status == 201
    assert _stored_votes(guide_sqlite) == [("housing_deposit", "de", True)]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"session_id": SESSION, "topic": "made_up", "lang": "de", "helpful": True}, 404),
        ({"session_id": SESSION, "topic": "housing_deposit", "lang": "ar", "helpful": True}, 404),
        ({"session_id": "42", "topic": "housing_deposit", "lang": "de", "helpful": True}, 404),
        ({"session_id": SESSION, "topic": "housing_deposit", "lang": "de", "helpful": "yes"}, 400),
        ({"session_id": SESSION, "topic": "housing_deposit", "lang": "xx", "helpful": True}, 400),
        (None, 400),
    ],
)
def test_other_votes_are_refused(request_for, guide_sqlite, body, status):
    answer = asyncio.run(webchat_api._feedback_route(request_for(_web_events(), body)))
    assert answer.status == status
    assert _stored_votes(guide_sqlite) == []


def test_the_history_of_another_channels_conversation_is_empty(request_for):
    rest_events = [UserUttered("Kaution?", input_channel="rest"), BotUttered("…")]
    for events in (rest_events, None):
        answer = asyncio.run(webchat_api._history_route(request_for(events), SESSION))
        assert json.loads(answer.body)["messages"] == []
    answer = asyncio.run(webchat_api._history_route(request_for(_web_events()), SESSION))
    assert [m["from"] for m in json.loads(answer.body)["messages"]] == ["user", "bot", "bot"]


def test_the_widget_gets_its_labels_in_every_language(request_for):
    labels = json.loads(asyncio.run(webchat_api._phrases_route(request_for([]))).body)
    assert [lang["code"] for lang in labels["languages"]] == ["de", "en", "tr", "ar", "uk", "es"]
    assert [lang["code"] for lang in labels["languages"] if lang["rtl"]] == ["ar"]
    assert labels["phrases"]["feedback_question"]["de"] == "War das hilfreich?"
    assert all(len(by_language) == 6 for by_language in labels["phrases"].values())


# -- the widget's files -------------------------------------------------------------


def test_only_the_widget_and_its_packages_builds_are_served(tmp_path):
    for path in (
        "widget.js",
        "lib/chat.js",
        "node_modules/marked/lib/marked.esm.js",
        "node_modules/dompurify/dist/purify.es.mjs",
        "package.json",
        "node_modules/ws/index.js",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    assert servable_file("widget.js", tmp_path) == tmp_path / "widget.js"
    assert servable_file("lib/chat.js", tmp_path)
    assert servable_file("node_modules/marked/lib/marked.esm.js", tmp_path)
    assert servable_file("node_modules/dompurify/dist/purify.es.mjs", tmp_path)
    for refused in (
        "package.json",
        "node_modules/ws/index.js",
        "../credentials.yml",
        "/etc/passwd",
        "lib/missing.js",
        "lib/../../credentials.yml",
    ):
        assert servable_file(refused, tmp_path) is None, refused

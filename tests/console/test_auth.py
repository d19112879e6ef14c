"""Only logged-in counsellors get in, and only with the CSRF token may they change anything."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from bot.console.app import create_app
from bot.console.auth import SESSION_COOKIE
from bot.handoff.settings import load_settings
from bot.knowledge import LiveKnowledge
from bot.storage import accounts, session_factory
from bot.storage.accounts import LoginSession
from tests.console.support import act, csrf_token, log_in, rasa_down


def sessions_in_database(engine) -> int:
    with session_factory(engine)() as session:
        return session.query(LoginSession).count()


def test_a_wrong_password_is_refused_and_gives_no_session(client, counsellors, engine):
    refused = log_in(client, "anna", "not the password at all")
    assert refused.status_code == 401
    assert "Wrong user name or password" in refused.text or "Benutzername oder Passwort ist falsch" in refused.text
    assert SESSION_COOKIE not in client.cookies
    assert sessions_in_database(engine) == 0
    assert client.get("/").headers["location"].startswith("/login")


def test_an_unknown_user_gets_the_same_answer(client, counsellors):
    wrong_user = log_in(client, "nobody", "not the password at all")
    wrong_password = log_in(client, "anna", "not the password at all")
    assert wrong_user.status_code == wrong_password.status_code == 401
    assert wrong_user.text.replace("nobody", "anna") == wrong_password.text


def test_password_guessing_is_stopped_after_five_failures_even_with_the_right_password(client, counsellors):
    for _ in range(5):
        assert log_in(client, "anna", "a wrong guess again").status_code == 401
    refused = log_in(client, "Anna")  # the right password, a differently written name
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert "Too many failed logins" in refused.text or "Zu viele fehlgeschlagene Anmeldungen" in refused.text
    assert SESSION_COOKIE not in client.cookies
    assert log_in(client, "ben").status_code == 303, "other accounts can still log in"


def test_logging_in_gives_an_http_only_session_cookie_and_the_queue(client, counsellors):
    answer = log_in(client, "anna")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie
    queue = client.get("/")
    assert queue.status_code == 200 and "Anna Schmidt" in queue.text and "Queue" in queue.text


def test_cookies_are_secure_when_the_console_is_served_over_https(engine, counsellors, monkeypatch):
    monkeypatch.setenv("CONSOLE_SECURE_COOKIES", "1")
    app = create_app(engine, rasa_down(), load_settings(), LiveKnowledge().current)
    with TestClient(app, base_url="https://console.test", follow_redirects=False) as client:
        answer = log_in(client, "anna")
    assert answer.status_code == 303
    cookies = answer.headers.get_list("set-cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)


def test_after_logging_in_the_counsellor_gets_back_to_the_page_they_asked_for(client, counsellors, queue):
    handoff = queue.open_handoff("chat-1", "socketio", "ar")
    asked = client.get(f"/handoffs/{handoff.id}")
    assert asked.status_code == 303 and asked.headers["location"] == f"/login?next=/handoffs/{handoff.id}"
    page = client.get(asked.headers["location"])
    token = csrf_token(client)
    assert f'value="/handoffs/{handoff.id}"' in page.text
    answer = client.post(
        "/login",
        data={
            "username": "anna",
            "password": "a long enough password",
            "csrftoken": token,
            "next": f"/handoffs/{handoff.id}",
        },
    )
    assert answer.headers["location"] == f"/handoffs/{handoff.id}"


def test_logging_in_never_sends_the_counsellor_to_another_site(client, counsellors):
    token = csrf_token(client)
    answer = client.post(
        "/login",
        data={
            "username": "anna",
            "password": "a long enough password",
            "csrftoken": token,
            "next": "//evil.example/steal",
        },
    )
    assert answer.headers["location"] == "/"


def test_without_a_session_pages_lead_to_login_and_streams_and_actions_get_401(client, counsellors, queue):
    handoff = queue.open_handoff("chat-1", "socketio", "ar")
    for page in ("/", f"/handoffs/{handoff.id}"):
        answer = client.get(page)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    for stream in ("/queue/stream", f"/handoffs/{handoff.id}/stream"):
        assert client.get(stream).status_code == 401
    for action in ("claim", "reply", "answer", "notes", "handback"):
        answer = act(
            client, f"/handoffs/{handoff.id}/{action}", text="hello", topic="housing_deposit", outcome="answered"
        )
        assert answer.status_code == 401, action
        assert "log in again" in answer.json()["error"] or "neu an" in answer.json()["error"]
    assert queue.get(handoff.id).status == "queued"
    assert queue.get(handoff.id).notes == []


def test_a_post_without_the_csrf_token_is_refused(client, counsellors, queue):
    handoff = queue.open_handoff("chat-1", "socketio", "ar")
    log_in(client, "anna")
    refused = client.post(f"/handoffs/{handoff.id}/claim")
    assert refused.status_code == 403
    assert "reload the page" in refused.text
    forged = client.post(f"/handoffs/{handoff.id}/notes", data={"text": "hi", "csrftoken": "forged"})
    assert forged.status_code == 403
    assert queue.get(handoff.id).status == "queued" and queue.get(handoff.id).notes == []
    # With the token, the same request works.
    assert act(client, f"/handoffs/{handoff.id}/claim").status_code == 200


@pytest.mark.parametrize("path", ["/login", "/logout"])
def test_logging_in_or_out_needs_the_token_even_without_any_cookie(app, counsellors, path):
    with TestClient(app, follow_redirects=False) as fresh:
        answer = fresh.post(path, data={"username": "anna", "password": "a long enough password"})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_logging_out_ends_the_session_for_good(app, client, counsellors, engine):
    log_in(client, "anna")
    token = client.cookies[SESSION_COOKIE]
    answer = client.post("/logout", data={"csrftoken": csrf_token(client)})
    assert answer.status_code == 303 and answer.headers["location"] == "/login?bye=1"
    assert "You are logged out" in client.get("/login?bye=1&lang=en").text
    assert sessions_in_database(engine) == 0
    with TestClient(app, follow_redirects=False, cookies={SESSION_COOKIE: token}) as replay:
        assert replay.get("/").status_code == 303
        assert replay.get("/queue/stream").status_code == 401


def test_a_disabled_account_cannot_log_in_and_loses_its_sessions(client, counsellors, engine):
    log_in(client, "anna")
    assert client.get("/").status_code == 200
    with session_factory(engine).begin() as session:
        accounts.set_active(session, "anna", False)
    assert client.get("/").headers["location"].startswith("/login")
    assert client.get("/queue/stream").status_code == 401
    assert log_in(client, "anna").status_code == 401


def test_every_page_forbids_foreign_scripts_and_framing(client, counsellors):
    for answer in (client.get("/login"), log_in(client, "anna"), client.get("/")):
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_counsellor_switches_the_console_to_german(client, counsellors):
    log_in(client, "anna")
    assert "Waiting for a counsellor" in client.get("/").text
    answer = client.post("/language", data={"language": "de", "next": "/", "csrftoken": csrf_token(client)})
    assert answer.status_code == 303
    page = client.get("/").text
    assert "Warten auf Beratung" in page and '<html lang="de">' in page

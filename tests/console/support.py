"""Helpers of the console's tests that are not fixtures (those are in ``conftest.py``).

- Tests without Rasa give the console a :class:`RasaClient` pointed at a port
  where nothing listens (:func:`rasa_down`), which is exactly what the
  console sees when the guide is down.
- The console is served by uvicorn on a free port (:func:`serving`) for
  browsers and for clients racing each other; Starlette's TestClient serves the rest.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from typing import Iterator

import uvicorn
from starlette.testclient import TestClient

from bot.console.app import create_app
from bot.console.rasa_client import RasaClient
from bot.handoff.settings import load_settings
from bot.knowledge import LiveKnowledge
from bot.storage import accounts, session_factory
from tests.support import PROJECT_DIR, free_port  # noqa: F401 - PROJECT_DIR for the tests

PASSWORD = "a long enough password"


def add_counsellor(engine, username: str, name: str, language: str = "en", password: str = PASSWORD) -> int:
    """A counsellor's account, as ``python -m bot.console.admin create`` makes it; returns its id."""
    with session_factory(engine).begin() as session:
        account = accounts.create_account(session, username, name, password, ui_language=language)
        session.flush()
        return account.id


def rasa_down() -> RasaClient:
    """A client of a Rasa server that is not running: nothing listens on its port."""
    return RasaClient(f"http://127.0.0.1:{free_port()}", "no-token")


def console_app(engine, rasa: RasaClient):
    return create_app(
        engine, rasa, load_settings(), LiveKnowledge().current, secure_cookies=False, csrf_secret="console-test-secret"
    )


def csrf_token(client: TestClient) -> str:
    """The CSRF token of the client's cookie, fetched from the login page if it has none yet."""
    if "csrftoken" not in client.cookies:
        client.get("/login")
    return client.cookies["csrftoken"]


def log_in(client: TestClient, username: str, password: str = PASSWORD):
    """Fill in and send the login form, as a browser would (token from the page's form)."""
    page = client.get("/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrftoken": token, "next": "/"})


def act(client: TestClient, path: str, **fields: str):
    """An action POST as the console's script sends it: form fields, token in the header."""
    return client.post(path, data=fields, headers={"x-csrftoken": csrf_token(client)})


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port in a thread; yields its URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
            ws="none",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)

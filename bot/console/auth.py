"""Who is using the console: the login session in a cookie, and the guards on every route.

The cookie holds a random token; the database holds only its SHA-256 (see
:mod:`bot.storage.accounts`), so logging out, an expired session or a
disabled account ends access at the next request. The cookie is HttpOnly
(no script can read it), SameSite=Lax, and Secure when the console is
served over HTTPS (``CONSOLE_SECURE_COOKIES=1``).

Pages send a visitor without a session to the login page; the live streams
and every action answer 401 instead, as a script, not a person, reads them.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from typing import Awaitable, Callable, Optional
from urllib.parse import quote

from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot.console.texts import preferred_language, texts
from bot.storage import accounts

SESSION_COOKIE = "console_session"
#: Set to 1 when the console is reached over HTTPS only.
SECURE_COOKIES_VARIABLE = "CONSOLE_SECURE_COOKIES"
LOGIN_PATH = "/login"

Endpoint = Callable[[Request], Awaitable[Response]]


def secure_cookies() -> bool:
    return os.environ.get(SECURE_COOKIES_VARIABLE, "") == "1"


@dataclasses.dataclass(frozen=True)
class CounsellorView:
    """The logged-in counsellor, as the routes need them (no database object escapes a session)."""

    id: int
    username: str
    display_name: str
    is_admin: bool
    ui_language: str

    @classmethod
    def of(cls, account: accounts.Counsellor) -> "CounsellorView":
        return cls(account.id, account.username, account.display_name, account.is_admin, account.ui_language)


class Auth:
    """Logging in and out, and finding the counsellor of a request.

    The methods are blocking (database, Argon2); the routes run them in a thread.
    """

    def __init__(self, sessions: sessionmaker, secure: bool = False) -> None:
        self.sessions = sessions
        self.secure = secure

    def login(self, username: str, password: str) -> Optional[str]:
        """A new session's token for a right user name and password, else ``None``."""
        with self.sessions.begin() as session:
            account = accounts.authenticate(session, username, password)
            return accounts.start_session(session, account) if account is not None else None

    def logout(self, token: Optional[str]) -> None:
        with self.sessions.begin() as session:
            accounts.end_session(session, token)

    def counsellor(self, token: Optional[str]) -> Optional[CounsellorView]:
        """The counsellor logged in with ``token``, if the session is still valid."""
        with self.sessions.begin() as session:
            account = accounts.session_account(session, token)
            return CounsellorView.of(account) if account is not None else None

    def set_language(self, counsellor_id: int, language: str) -> None:
        with self.sessions.begin() as session:
            accounts.set_ui_language(session, counsellor_id, language)

    def set_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=self.secure, path="/")

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=self.secure, path="/")


async def current_counsellor(request: Request) -> Optional[CounsellorView]:
    """The counsellor logged in on this request, or ``None``."""
    auth: Auth = request.app.state.console.auth
    return await run_in_threadpool(auth.counsellor, request.cookies.get(SESSION_COOKIE))


def page(endpoint: Endpoint) -> Endpoint:
    """Guard a page: without a valid session, go to the login page (and come back after)."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        counsellor = await current_counsellor(request)
        if counsellor is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            response = RedirectResponse(f"{LOGIN_PATH}?next={_quote(target)}", status_code=303)
            if SESSION_COOKIE in request.cookies:
                request.app.state.console.auth.clear_cookie(response)
            return response
        request.state.counsellor = counsellor
        return await endpoint(request)

    return guarded


def api(endpoint: Endpoint) -> Endpoint:
    """Guard a stream or an action: without a valid session, answer 401."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        counsellor = await current_counsellor(request)
        if counsellor is None:
            words = texts(preferred_language(request.headers.get("accept-language", "")))
            return JSONResponse({"error": words("session_expired"), "login": LOGIN_PATH}, status_code=401)
        request.state.counsellor = counsellor
        return await endpoint(request)

    return guarded


def safe_next(target: Optional[str]) -> str:
    """Where to go after logging in: a path of this console only, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _quote(path: str) -> str:
    return quote(path, safe="/")

"""The counsellors' web console: the queue, the conversations, and what a counsellor can do in them.

:func:`create_app` builds the ASGI application from its parts (database,
Rasa client, handoff settings, knowledge), so that tests build it on a
database of their own; ``python -m bot.console`` serves it with uvicorn.

Pages are rendered once; their changing parts (the queue, a transcript,
the notes) arrive as Server-Sent Events (:mod:`bot.console.live`) and are
drawn by the page's script as text. Every action (claim, reply, insert an
answer, note, hand back) is a POST answered with JSON, so the counsellor
stays on the page and keeps their text when something fails.

Every POST needs the CSRF token (asgi-csrf: a signed cookie and the same
value in the form or the ``x-csrftoken`` header), the login form included.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from asgi_csrf import asgi_csrf
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.console import auth
from bot.console.actions import ACTION_ROUTES
from bot.console.auth import Auth, safe_next
from bot.console.live import Hub, event_stream
from bot.console.rasa_client import RasaClient
from bot.console.security import SecurityHeaders, csrf_failed
from bot.console.texts import channel_label, language_name, preferred_language, texts
from bot.console.throttle import LoginThrottle
from bot.console.views import conversation_state, queue_state, queue_view
from bot.handoff.settings import HandoffSettings
from bot.knowledge import KnowledgeBase
from bot.storage import session_factory
from bot.storage.accounts import UI_LANGUAGES
from bot.storage.handoffs import CLAIMED, OUTCOMES, HandoffQueue

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
#: How often the live views look for news (seconds): the queue, and an open conversation.
QUEUE_INTERVAL = 2.0
CONVERSATION_INTERVAL = 1.0
#: Notices a page may be opened with (``?notice=...``); only these keys, never free text.
NOTICES = ("joined_not_sent", "handed_back", "taken")
#: Paths whose POST needs the CSRF token even before any cookie is set.
ALWAYS_PROTECTED = ("/login", "/logout", "/language")

KnowledgeProvider = Callable[[], KnowledgeBase]


@dataclasses.dataclass
class Console:
    """Everything the routes work with; kept in ``app.state.console``."""

    queue: HandoffQueue
    auth: Auth
    rasa: RasaClient
    settings: HandoffSettings
    knowledge: KnowledgeProvider
    hub: Hub
    templates: Jinja2Templates
    throttle: LoginThrottle = dataclasses.field(default_factory=LoginThrottle)

    def refresh(self, handoff_id: Optional[int] = None) -> None:
        """Make the live views show a change at once rather than at their next look."""
        self.hub.refresh("queue")
        if handoff_id is not None:
            self.hub.refresh(("handoff", handoff_id))


def create_app(
    engine: Engine,
    rasa: RasaClient,
    settings: HandoffSettings,
    knowledge_provider: KnowledgeProvider,
    secure_cookies: Optional[bool] = None,
    csrf_secret: Optional[str] = None,
) -> Starlette:
    """The console on ``engine`` (already migrated), talking to ``rasa``.

    Args:
        engine: The guide's database.
        rasa: The client of the Rasa server the conversations live in.
        settings: The handoff settings (when a wait is too long).
        knowledge_provider: Returns the current knowledge base (for "insert answer" and phrases).
        secure_cookies: Mark cookies Secure (HTTPS only); default: ``CONSOLE_SECURE_COOKIES=1``.
        csrf_secret: Signs the CSRF cookie; default: ``ASGI_CSRF_SECRET`` or a random one.
    """
    secure = auth.secure_cookies() if secure_cookies is None else secure_cookies
    console = Console(
        queue=HandoffQueue(engine),
        auth=Auth(session_factory(engine), secure),
        rasa=rasa,
        settings=settings,
        knowledge=knowledge_provider,
        hub=Hub(),
        templates=_templates(),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        await rasa.aclose()

    app = Starlette(
        routes=[
            Route("/health", health),
            Route("/login", login_page, methods=["GET"]),
            Route("/login", login, methods=["POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/language", switch_language, methods=["POST"]),
            Route("/", queue_page),
            Route("/queue/stream", queue_stream),
            Route("/handoffs/{handoff_id:int}", conversation_page),
            Route("/handoffs/{handoff_id:int}/stream", conversation_stream),
            *ACTION_ROUTES,
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                asgi_csrf,
                signing_secret=csrf_secret,
                always_protect=ALWAYS_PROTECTED,
                cookie_secure=secure,
                cookie_samesite="Lax",
                send_csrf_failed=csrf_failed,
            ),
        ],
        lifespan=lifespan,
    )
    app.state.console = console
    return app


def _templates() -> Jinja2Templates:
    environment = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    return Jinja2Templates(env=environment)


def _console(request: Request) -> Console:
    return request.app.state.console


def render(request: Request, template: str, language: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page in ``language``, with the CSRF token for its forms and scripts."""
    words = texts(language)
    return _console(request).templates.TemplateResponse(
        request,
        template,
        {
            "t": words,
            "lang": language,
            "csrftoken": request.scope["csrftoken"](),
            "me": getattr(request.state, "counsellor", None),
            **context,
        },
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


async def health(request: Request) -> Response:
    return PlainTextResponse("ok")


# -- logging in and out ------------------------------------------------------------------


def _login_language(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    return asked if asked in UI_LANGUAGES else preferred_language(request.headers.get("accept-language", ""))


async def login_page(request: Request) -> Response:
    if await auth.current_counsellor(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    language = _login_language(request)
    notice = texts(language)("logged_out") if "bye" in request.query_params else None
    return render(
        request,
        "login.html",
        language,
        next=safe_next(request.query_params.get("next")),
        notice=notice,
        error=None,
        username="",
    )


async def login(request: Request) -> Response:
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = safe_next(str(form.get("next", "/")))
    console = _console(request)
    address = request.client.host if request.client else None
    wait = console.throttle.wait_seconds(username, address)
    if wait:
        logger.warning("A console login was refused: too many failed attempts.")
        language = _login_language(request)
        response = render(
            request,
            "login.html",
            language,
            status_code=429,
            next=target,
            notice=None,
            error=texts(language)("too_many_logins", minutes=-(-wait // 60)),
            username=username,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    token = await run_in_threadpool(console.auth.login, username, password) if username and password else None
    if token is None:
        console.throttle.failed(username, address)
        logger.info("A console login failed.")  # no user name: the log holds nothing personal
        language = _login_language(request)
        return render(
            request,
            "login.html",
            language,
            status_code=401,
            next=target,
            notice=None,
            error=texts(language)("login_failed"),
            username=username,
        )
    redirect = RedirectResponse(target, status_code=303)
    console.auth.set_cookie(redirect, token)
    return redirect


async def logout(request: Request) -> Response:
    console = _console(request)
    await run_in_threadpool(console.auth.logout, request.cookies.get(auth.SESSION_COOKIE))
    response = RedirectResponse("/login?bye=1", status_code=303)
    console.auth.clear_cookie(response)
    return response


@auth.page
async def switch_language(request: Request) -> Response:
    form = await request.form()
    language = str(form.get("language", ""))
    if language in UI_LANGUAGES:
        await run_in_threadpool(_console(request).auth.set_language, request.state.counsellor.id, language)
    return RedirectResponse(safe_next(str(form.get("next", "/"))), status_code=303)


# -- the queue ---------------------------------------------------------------------------


def _page_data(request: Request, **data: Any) -> Dict[str, Any]:
    """What a page's script needs: its texts, the time zone and the alert time."""
    console = _console(request)
    me = request.state.counsellor
    return {
        "texts": texts(me.ui_language).all(),
        "lang": me.ui_language,
        "me": me.id,
        "timezone": console.settings.office_hours.timezone.key,
        "alert_seconds": console.settings.unclaimed_alert.total_seconds(),
        **data,
    }


@auth.page
async def queue_page(request: Request) -> Response:
    me = request.state.counsellor
    return render(request, "queue.html", me.ui_language, data=_page_data(request))


@auth.api
async def queue_stream(request: Request) -> Response:
    console = _console(request)
    me = request.state.counsellor
    feed = console.hub.feed("queue", lambda: queue_state(console.queue, console.rasa), QUEUE_INTERVAL)
    return event_stream(feed, lambda state: queue_view(state, me.id), _still_logged_in(request))


def _still_logged_in(request: Request):
    async def check() -> bool:
        return await auth.current_counsellor(request) is not None

    return check


# -- one conversation --------------------------------------------------------------------


@auth.page
async def conversation_page(request: Request) -> Response:
    console = _console(request)
    me = request.state.counsellor
    handoff = await run_in_threadpool(console.queue.get, request.path_params["handoff_id"])
    words = texts(me.ui_language)
    if handoff is None:
        return render(request, "missing.html", me.ui_language, status_code=404)
    mine = handoff.status == CLAIMED and handoff.counsellor_id == me.id
    holder = handoff.counsellor.display_name if handoff.counsellor is not None else words("nobody")
    notice = request.query_params.get("notice")
    return render(
        request,
        "conversation.html",
        me.ui_language,
        handoff=handoff,
        mine=mine,
        language_name=language_name(handoff.language),
        channel_label=channel_label(words, handoff.channel),
        notice=words(notice, name=holder) if notice in NOTICES else None,
        outcomes=OUTCOMES,
        topics=_topic_choices(console.knowledge(), me.ui_language, handoff.language) if mine else [],
        data=_page_data(request, handoff_id=handoff.id, status=handoff.status, counsellor_id=handoff.counsellor_id),
    )


def _topic_choices(knowledge: KnowledgeBase, ui_language: str, user_language: str):
    """The topics a counsellor may insert, with their answer to preview and the text that is sent."""
    return [
        {
            "id": topic.topic,
            "category": topic.category,
            "preview": topic.answer(ui_language),
            "sent": topic.answer(user_language),
        }
        for topic in knowledge.topics
    ]


@auth.api
async def conversation_stream(request: Request) -> Response:
    console = _console(request)
    handoff_id = request.path_params["handoff_id"]
    feed = console.hub.feed(
        ("handoff", handoff_id),
        lambda: conversation_state(console.queue, console.rasa, handoff_id),
        CONVERSATION_INTERVAL,
    )
    return event_stream(feed, lambda state: state, _still_logged_in(request))

"""What a counsellor does to a handoff: claim it, reply, insert an answer, note, hand it back.

Each action is a POST answered with JSON: ``{"ok": true, ...}``, or
``{"error": "<a sentence in the counsellor's language>"}`` with a status
saying what kind of refusal it is (400 a bad input, 403 not theirs, 404
gone, 409 someone else was first or it is closed, 502 Rasa failed).

Whatever reaches the user goes through Rasa first, and the database is
changed only after Rasa took it: if Rasa fails, nothing changed, and the
counsellor's text is still in their text box to send again.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Awaitable, Callable, Dict, List

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.console import auth
from bot.console.rasa_client import REFUSED, UNAUTHORIZED, RasaError
from bot.console.texts import Texts, texts
from bot.handoff import messages
from bot.storage.handoffs import CLAIMED, CLOSED, MAX_NOTE_CHARS, OUTCOMES, Handoff, HandoffError, NoteRefused

logger = logging.getLogger(__name__)


class Refusal(Exception):
    """An action that cannot be done; ``message`` is shown to the counsellor."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def action(endpoint: Callable[[Request, Texts], Awaitable[Dict[str, Any]]]) -> Callable[[Request], Awaitable[Response]]:
    """A logged-in counsellor's POST: its result or its :class:`Refusal` as JSON."""

    @auth.api
    @functools.wraps(endpoint)
    async def run(request: Request) -> Response:
        words = texts(request.state.counsellor.ui_language)
        try:
            return JSONResponse({"ok": True, **await endpoint(request, words)})
        except Refusal as refusal:
            return JSONResponse({"error": refusal.message}, status_code=refusal.status)

    return run


def rasa_failure(error: RasaError, words: Texts) -> Refusal:
    """Why Rasa did not take a message, for the counsellor (and a line without content for the log)."""
    logger.warning("Rasa did not take a counsellor's events: %s (%s)", error.kind, error.detail)
    if error.kind == REFUSED:
        return Refusal(502, words("rasa_refused", detail=error.detail))
    return Refusal(502, words("rasa_unauthorized" if error.kind == UNAUTHORIZED else "rasa_unreachable"))


async def _handoff(request: Request, words: Texts) -> Handoff:
    handoff = await run_in_threadpool(request.app.state.console.queue.get, request.path_params["handoff_id"])
    if handoff is None:
        raise Refusal(404, words("not_found"))
    return handoff


async def _held(request: Request, words: Texts) -> Handoff:
    """The handoff, if the requesting counsellor is the one handling it."""
    handoff = await _handoff(request, words)
    if handoff.status == CLOSED:
        raise Refusal(409, words("not_open"))
    if handoff.status != CLAIMED or handoff.counsellor_id != request.state.counsellor.id:
        raise Refusal(403, words("not_yours"))
    return handoff


async def _send(request: Request, words: Texts, handoff: Handoff, events: List[Dict[str, Any]]) -> None:
    console = request.app.state.console
    try:
        await console.rasa.append(handoff.conversation_id, events)
    except RasaError as error:
        raise rasa_failure(error, words) from error
    console.refresh(handoff.id)


def _taken_by(handoff: Handoff, words: Texts) -> str:
    return handoff.counsellor.display_name if handoff.counsellor is not None else words("nobody")


@action
async def claim(request: Request, words: Texts) -> Dict[str, Any]:
    """Take a waiting conversation; of two counsellors clicking at once, the database picks one."""
    console = request.app.state.console
    me = request.state.counsellor
    handoff = await _handoff(request, words)
    won = await run_in_threadpool(console.queue.claim, handoff.id, me.id)
    url = f"/handoffs/{handoff.id}"
    if not won:
        handoff = await _handoff(request, words)
        if handoff.status == CLAIMED and handoff.counsellor_id == me.id:
            return {"url": url}  # a second click of the same counsellor
        raise Refusal(
            409, words("not_open") if handoff.status == CLOSED else words("taken", name=_taken_by(handoff, words))
        )
    console.refresh(handoff.id)
    try:
        await _send(request, words, handoff, messages.joined(handoff.language, console.knowledge().phrases))
    except Refusal:
        # The conversation is theirs either way; the user just has not been told yet.
        return {"url": url + "?notice=joined_not_sent", "warning": words("joined_not_sent")}
    return {"url": url}


@action
async def reply(request: Request, words: Texts) -> Dict[str, Any]:
    """Send the counsellor's own words to the user, on the user's channel."""
    handoff = await _held(request, words)
    text = str((await request.form()).get("text", ""))
    try:
        events = messages.counsellor_message(text, handoff.language)
    except ValueError as error:
        raise Refusal(
            400, words("empty_message") if not text.strip() else words("too_long", limit=messages.MAX_MESSAGE_CHARS)
        ) from error
    await _send(request, words, handoff, events)
    return {}


@action
async def insert_answer(request: Request, words: Texts) -> Dict[str, Any]:
    """Send a checked knowledge answer in the user's language."""
    handoff = await _held(request, words)
    topic = str((await request.form()).get("topic", ""))
    try:
        events = messages.knowledge_answer(topic, handoff.language, request.app.state.console.knowledge())
    except KeyError as error:
        raise Refusal(400, words("unknown_topic")) from error
    await _send(request, words, handoff, events)
    return {}


@action
async def add_note(request: Request, words: Texts) -> Dict[str, Any]:
    """Keep an internal note; any counsellor may add one (e.g. for a colleague taking over)."""
    console = request.app.state.console
    handoff = await _handoff(request, words)
    text = str((await request.form()).get("text", ""))
    try:
        await run_in_threadpool(console.queue.add_note, handoff.id, request.state.counsellor.id, text)
    except NoteRefused as refusal:
        raise Refusal(
            400, words("empty_message") if refusal.empty else words("too_long", limit=MAX_NOTE_CHARS)
        ) from refusal
    except HandoffError as error:
        raise Refusal(404, words("not_found")) from error
    console.refresh(handoff.id)
    return {}


@action
async def hand_back(request: Request, words: Texts) -> Dict[str, Any]:
    """Give the conversation back to the guide and close the handoff with its outcome.

    The user is told first (through Rasa, which also ends the pause); only
    then is the handoff closed, so a failure leaves everything as it was.
    """
    console = request.app.state.console
    handoff = await _held(request, words)
    outcome = str((await request.form()).get("outcome", ""))
    if outcome not in OUTCOMES:
        raise Refusal(400, words("unknown_outcome"))
    await _send(request, words, handoff, messages.handed_back(handoff.language, console.knowledge().phrases))
    try:
        await run_in_threadpool(console.queue.close, handoff.id, request.state.counsellor.id, outcome)
    except HandoffError as error:
        raise Refusal(409, words("not_yours")) from error
    console.refresh(handoff.id)
    return {"url": f"/handoffs/{handoff.id}?notice=handed_back"}


ACTION_ROUTES = [
    Route("/handoffs/{handoff_id:int}/claim", claim, methods=["POST"]),
    Route("/handoffs/{handoff_id:int}/reply", reply, methods=["POST"]),
    Route("/handoffs/{handoff_id:int}/answer", insert_answer, methods=["POST"]),
    Route("/handoffs/{handoff_id:int}/notes", add_note, methods=["POST"]),
    Route("/handoffs/{handoff_id:int}/handback", hand_back, methods=["POST"]),
]

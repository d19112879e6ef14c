"""The console's line to the Rasa server: read a conversation, add a counsellor's messages to it.

Rasa's tracker store is the one record of a conversation, so the console
never keeps its own copy: it reads the tracker (``GET
/conversations/<id>/tracker``) and appends events to it (``POST
/conversations/<id>/tracker/events?execute_side_effects=true&output_channel=latest``),
which both stores a counsellor's message and delivers it on the user's own
channel (Telegram or the web chat). The Rasa server must run with
``--enable-api`` and the API token (see :func:`bot.serve.api_token`).

Every failure is a :class:`RasaError` saying which kind it is, so that the
console can tell the counsellor in plain words what happened and that
nothing was sent.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import httpx

logger = logging.getLogger(__name__)

#: Rasa answers a tracker request in milliseconds; a delivery to Telegram may take seconds.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)

#: Kinds of :class:`RasaError`.
UNREACHABLE = "unreachable"  # no connection, or no answer in time
UNAUTHORIZED = "unauthorized"  # the API token is wrong or the API is off
REFUSED = "refused"  # Rasa answered with an error, e.g. the delivery to Telegram failed
#: Enough of Rasa's error explanation to say what went wrong.
MAX_REASON_CHARS = 300


class RasaError(Exception):
    """Rasa did not do what was asked; ``kind`` says why (see the constants above).

    The message holds technical detail for the log and the counsellor's
    screen; it never contains the conversation's text.
    """

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class RasaClient:
    """An HTTP client of one Rasa server's conversation API.

    One :class:`httpx.AsyncClient` is opened on first use and kept (its
    connections are reused by every poll of the live views); :meth:`aclose`
    closes it, and the console does so when it shuts down.
    """

    def __init__(
        self,
        url: str,
        token: Optional[str],
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: Optional[httpx.AsyncBaseTransport] = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._transport = transport
        self._client: Optional[httpx.AsyncClient] = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(base_url=self.url, timeout=self._timeout, transport=self._transport)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def events(self, conversation_id: str) -> List[Dict[str, Any]]:
        """The events of a conversation, oldest first (an empty list for an unknown one)."""
        tracker = await self._request("GET", conversation_id, "tracker")
        return list(tracker.get("events") or [])

    async def append(self, conversation_id: str, events: List[Dict[str, Any]]) -> None:
        """Add ``events`` to a conversation and send its ``bot`` events to the user.

        Rasa stores the events only if every message was delivered: when this
        raises, the conversation is as it was.
        """
        await self._request(
            "POST",
            conversation_id,
            "tracker/events",
            json=events,
            params={"execute_side_effects": "true", "output_channel": "latest"},
        )

    async def _request(
        self, method: str, conversation_id: str, path: str, params: Optional[Dict[str, str]] = None, json: Any = None
    ) -> Dict[str, Any]:
        url = f"/conversations/{quote(conversation_id, safe='')}/{path}"
        query = dict(params or {})
        if self._token:
            query["token"] = self._token
        try:
            response = await self._http().request(method, url, params=query, json=json)
        except httpx.TimeoutException as error:
            raise RasaError(UNREACHABLE, f"Rasa at {self.url} did not answer in time") from error
        except httpx.TransportError as error:
            raise RasaError(UNREACHABLE, f"Rasa at {self.url} cannot be reached ({type(error).__name__})") from error
        if response.status_code in (401, 403):
            raise RasaError(UNAUTHORIZED, f"Rasa at {self.url} refused the API token (HTTP {response.status_code})")
        if response.status_code != 200:
            raise RasaError(REFUSED, f"Rasa answered HTTP {response.status_code}: {_reason(response)}")
        try:
            return response.json()
        except ValueError as error:
            raise RasaError(
                REFUSED, f"Rasa answered something that is not JSON (HTTP {response.status_code})"
            ) from error


def _reason(response: httpx.Response) -> str:
    """Rasa's own short explanation of an error answer, without echoing any message text."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    if not isinstance(body, dict):
        return response.reason_phrase
    # e.g. "An unexpected error occurred. Error: Forbidden: bot was blocked by the user"
    explanation = body.get("message") or body.get("reason")
    return str(explanation)[:MAX_REASON_CHARS] if explanation else response.reason_phrase

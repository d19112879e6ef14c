"""Live views: the queue and each conversation, pushed to the browsers as Server-Sent Events.

A console page opens one event stream; the server sends the page's data
again whenever it changed. The data is polled (the guide's database for the
queue, Rasa's tracker for the conversations) by one :class:`Feed` per view,
shared by every browser showing that view: ten counsellors looking at the
queue cause the requests of one. A feed polls only while someone watches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any, AsyncGenerator, AsyncIterator, Awaitable, Callable, Dict, Hashable, Optional

from sse_starlette.sse import EventSourceResponse, ServerSentEvent

logger = logging.getLogger(__name__)

#: How often a live stream checks that its counsellor is still logged in.
SESSION_CHECK_SECONDS = 15.0
#: A comment line now and then keeps proxies from closing a quiet stream.
PING_SECONDS = 15

Fetch = Callable[[], Awaitable[Any]]


class Feed:
    """One view's data, fetched every ``interval`` seconds for all who watch it."""

    def __init__(self, fetch: Fetch, interval: float, on_idle: Callable[[], object]) -> None:
        self._fetch = fetch
        self.interval = interval
        self._on_idle = on_idle
        self.value: Any = None
        self.version = 0
        self._changed = asyncio.Condition()
        self._wake = asyncio.Event()
        self._watchers = 0
        self._task: Optional[asyncio.Task] = None

    def refresh(self) -> None:
        """Fetch now rather than at the next tick (after a counsellor changed something)."""
        self._wake.set()

    async def watch(self, heartbeat: float) -> AsyncGenerator[Any, None]:
        """The data when first known and whenever it changes; at least every ``heartbeat`` seconds."""
        self._watchers += 1
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._poll())
        seen = 0
        try:
            while True:
                async with self._changed:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(
                            self._changed.wait_for(lambda: self.version != seen),  # noqa: B023
                            heartbeat,
                        )  # (awaited in this very iteration)
                if self.version:
                    seen = self.version
                    yield self.value
        finally:
            self._watchers -= 1
            if not self._watchers:
                self._stop()

    def _stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._on_idle()

    async def _poll(self) -> None:
        while True:
            self._wake.clear()  # before fetching: a refresh asked meanwhile fetches again
            try:
                value = await self._fetch()
            except Exception as error:  # noqa: BLE001 - a broken view must not end everyone's stream
                # The error's kind only: database errors quote their parameters (conversation ids).
                logger.error("A live view of the console could not be refreshed: %s", type(error).__name__)
            else:
                if self.version == 0 or value != self.value:
                    self.value = value
                    self.version += 1
                    async with self._changed:
                        self._changed.notify_all()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)


class Hub:
    """The feeds being watched now, one per key (``"queue"``, ``("handoff", 7)``)."""

    def __init__(self) -> None:
        self._feeds: Dict[Hashable, Feed] = {}

    def feed(self, key: Hashable, fetch: Fetch, interval: float) -> Feed:
        """The feed of ``key``, started with ``fetch`` if nobody watches it yet."""
        if key not in self._feeds:
            self._feeds[key] = Feed(fetch, interval, lambda: self._feeds.pop(key, None))
        return self._feeds[key]

    def refresh(self, key: Hashable) -> None:
        """Make the feed of ``key``, if watched, fetch at once."""
        feed = self._feeds.get(key)
        if feed is not None:
            feed.refresh()


def event_stream(
    feed: Feed, view: Callable[[Any], Any], still_allowed: Callable[[], Awaitable[bool]]
) -> EventSourceResponse:
    """An SSE response sending ``view(data)`` as a ``state`` event whenever it changes.

    Every :data:`SESSION_CHECK_SECONDS` the stream asks ``still_allowed()``;
    once the counsellor's session has ended it sends ``logout`` and stops, so
    a disabled account stops seeing conversations at once.
    """

    async def events() -> AsyncIterator[ServerSentEvent]:
        sent = None
        checked = time.monotonic()
        # aclosing: the feed learns at once that this watcher left, not when it is garbage.
        async with contextlib.aclosing(feed.watch(heartbeat=SESSION_CHECK_SECONDS)) as updates:
            async for data in updates:
                if time.monotonic() - checked >= SESSION_CHECK_SECONDS:
                    checked = time.monotonic()
                    if not await still_allowed():
                        yield ServerSentEvent(data="{}", event="logout")
                        return
                shown = view(data)
                if shown != sent:
                    sent = shown
                    yield ServerSentEvent(data=json.dumps(shown, ensure_ascii=False), event="state")

    return EventSourceResponse(events(), ping=PING_SECONDS, headers={"Cache-Control": "no-store"})

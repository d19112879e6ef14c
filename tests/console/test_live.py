"""Many open consoles share one poll of each view, and nothing is polled when nobody watches."""

from __future__ import annotations

import asyncio
import contextlib

from bot.console.live import Hub


async def _watch(feed, count: int):
    seen = []
    async with contextlib.aclosing(feed.watch(heartbeat=5)) as updates:
        async for value in updates:
            seen.append(value)
            if len(seen) == count:
                return seen


def test_watchers_of_one_view_share_its_polls_and_polling_stops_when_they_leave():
    async def scenario():
        hub = Hub()
        polls = []

        async def fetch():
            polls.append(len(polls))
            return {"version": len(polls) // 3}  # changes every third poll

        watchers = [asyncio.create_task(_watch(hub.feed("queue", fetch, 0.01), 2)) for _ in range(10)]
        results = await asyncio.gather(*watchers)
        assert all(seen == [{"version": 0}, {"version": 1}] for seen in results)
        assert len(polls) <= 5  # one poll per tick for all ten, not ten
        await asyncio.sleep(0.05)
        stopped_at = len(polls)
        await asyncio.sleep(0.05)
        assert len(polls) == stopped_at  # nobody watches: no more polls
        assert hub.feed("queue", fetch, 0.01).version == 0  # a new watcher starts afresh

    asyncio.run(scenario())


def test_a_refresh_shows_a_change_at_once_instead_of_at_the_next_tick():
    async def scenario():
        hub = Hub()
        state = {"notes": 0}

        async def fetch():
            return dict(state)

        feed = hub.feed(("handoff", 1), fetch, interval=60)
        seen = []

        async def watch():
            async with contextlib.aclosing(feed.watch(heartbeat=60)) as updates:
                async for value in updates:
                    seen.append(value)
                    if len(seen) == 2:
                        return

        watcher = asyncio.create_task(watch())
        while not seen:
            await asyncio.sleep(0.01)
        state["notes"] = 1
        hub.refresh(("handoff", 1))
        await asyncio.wait_for(watcher, timeout=2)  # far sooner than the 60 s tick
        assert seen == [{"notes": 0}, {"notes": 1}]

    asyncio.run(scenario())

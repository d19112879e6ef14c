"""Passing a conversation from the guide to a human counsellor, and back.

- :mod:`bot.handoff.settings`: office hours (``handoff.yml``) and retention;
- :mod:`bot.handoff.models` and :mod:`bot.handoff.queue`: the handoffs in the
  guide's database, and the rules for opening, claiming and closing them;
- :mod:`bot.handoff.messages`: the Rasa events a counsellor's work appends to
  the conversation (the counsellor console in :mod:`bot.console` sends them).

The guide's actions (``actions/handoff.py``) open handoffs and pause the
conversation; the console claims, answers and hands back.
"""

from __future__ import annotations

import functools

from bot.handoff.queue import HandoffQueue
from bot.handoff.settings import HandoffSettings, load_settings


@functools.lru_cache(maxsize=1)
def shared_queue() -> HandoffQueue:
    """The queue in the guide's database (``GUIDE_DATABASE_URL``), one per process."""
    from bot.storage import connect

    return HandoffQueue(connect())


@functools.lru_cache(maxsize=1)
def shared_settings() -> HandoffSettings:
    """The settings of ``handoff.yml`` (or ``HANDOFF_SETTINGS``), read once per process."""
    return load_settings()

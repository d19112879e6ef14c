"""The console's test fixtures: a real database, the real app, and, where needed, a real guide and browser.

- Every test gets its own SQLite database, migrated as in production.
- The end-to-end tests use the session's shared guide (``guide``, see
  ``tests/conftest.py``): Telegram is switched on there against the local
  Bot API stand-in, so that a reply can be followed to a Telegram chat and a
  failed delivery can be produced. Their console runs in the test process,
  on the test's own database, talking to that guide's Rasa server.
- Helpers that are not fixtures are in ``tests/console/support.py``.
"""

from __future__ import annotations

from typing import Dict, Iterator

import pytest
from starlette.testclient import TestClient

from bot.storage.handoffs import HandoffQueue
from tests.console.support import add_counsellor, console_app, rasa_down


@pytest.fixture
def engine(guide_sqlite):
    """An empty, migrated SQLite database of the guide's own (see ``tests/conftest.py``)."""
    return guide_sqlite


@pytest.fixture
def counsellors(engine) -> Dict[str, int]:
    """Two counsellors: Anna (console in English) and Ben (in German)."""
    return {
        "anna": add_counsellor(engine, "anna", "Anna Schmidt", "en"),
        "ben": add_counsellor(engine, "ben", "Ben Yılmaz", "de"),
    }


@pytest.fixture
def queue(engine) -> HandoffQueue:
    return HandoffQueue(engine)


@pytest.fixture
def app(engine):
    """The console, with the guide's Rasa server down."""
    return console_app(engine, rasa_down())


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client

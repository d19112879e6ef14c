"""Two counsellors click "Claim" on the same conversation at the same moment: exactly one gets it.

The console is served by uvicorn and two real HTTP clients, each logged in
as a different counsellor, send their claims at once, many times over. The
database decides (one conditional UPDATE, see ``bot.handoff.queue``); this
runs on SQLite and, when ``GUIDE_TEST_POSTGRES_URL`` is set, on PostgreSQL.
The race of bare database calls is in ``tests/test_handoff_queue.py``.
"""

from __future__ import annotations

import re
import threading

import httpx

from bot.storage.handoffs import HandoffQueue
from tests.console.support import PASSWORD, add_counsellor, console_app, rasa_down, serving

ROUNDS = 6


def logged_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/login").text).group(1)
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "csrftoken": token})
    assert answer.status_code == 303
    client.headers["x-csrftoken"] = token
    return client


def test_two_counsellors_claiming_at_once_exactly_one_gets_it(guide_database):
    names = {"anna": "Anna Schmidt", "ben": "Ben Yılmaz"}
    ids = {user: add_counsellor(guide_database, user, name, "en") for user, name in names.items()}
    queue = HandoffQueue(guide_database)
    with serving(console_app(guide_database, rasa_down())) as url:
        clients = {user: logged_in(url, user) for user in names}
        for round_ in range(ROUNDS):
            handoff = queue.open_handoff(f"race-{round_}", "socketio", "ar")
            start = threading.Barrier(len(clients))
            answers = {}

            def claim(user: str) -> None:
                start.wait()
                answers[user] = clients[user].post(f"/handoffs/{handoff.id}/claim")

            threads = [threading.Thread(target=claim, args=(user,)) for user in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

            winners = [user for user, answer in answers.items() if answer.status_code == 200]
            assert len(winners) == 1, {user: answer.text for user, answer in answers.items()}
            winner = winners[0]
            loser = next(user for user in answers if user != winner)
            assert answers[loser].status_code == 409
            assert answers[loser].json()["error"] == f"Already taken by {names[winner]}."
            assert answers[winner].json()["url"].startswith(f"/handoffs/{handoff.id}")
            assert queue.get(handoff.id).counsellor_id == ids[winner]
            # The winner's page offers the reply box; the loser's says who has it.
            assert 'id="reply-form"' in clients[winner].get(f"/handoffs/{handoff.id}").text
            assert (
                f"{names[winner]} is handling this conversation" in clients[loser].get(f"/handoffs/{handoff.id}").text
            )
        for client in clients.values():
            client.close()

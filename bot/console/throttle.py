"""Slowing down password guessing: failed logins are counted per user name and per address.

Argon2 makes each guess cost time; this makes many guesses impossible. After
:data:`PER_USER` failed logins for one user name, or :data:`PER_ADDRESS` from
one address, within a moving window, further attempts are refused (HTTP 429)
until the window has moved on, even with the right password. The counts live
in the console's memory (`limits`): a restart forgets them, which is fine for
a guard against guessing, not an audit log.
"""

from __future__ import annotations

import time
from typing import Optional

from limits import parse, storage, strategies

from bot.storage.accounts import normalise_username

PER_USER = parse("5/15 minutes")
PER_ADDRESS = parse("30/15 minutes")
_NAMESPACE = "console-login"


class LoginThrottle:
    """Counts failed logins; says when a user name or address must wait."""

    def __init__(self) -> None:
        # The limiter holds its storage only weakly: keep it here.
        self._counts = storage.MemoryStorage()
        self._limiter = strategies.MovingWindowRateLimiter(self._counts)

    def wait_seconds(self, username: str, address: Optional[str]) -> int:
        """How long a login attempt must wait (0: it may go ahead)."""
        waits = [self._wait(limit, key) for limit, key in self._keys(username, address)]
        return max(waits, default=0)

    def failed(self, username: str, address: Optional[str]) -> None:
        """Count a failed login."""
        for limit, key in self._keys(username, address):
            self._limiter.hit(limit, _NAMESPACE, key)

    def _wait(self, limit, key: str) -> int:
        if self._limiter.test(limit, _NAMESPACE, key):
            return 0
        reset_at, _ = self._limiter.get_window_stats(limit, _NAMESPACE, key)
        return max(1, int(reset_at - time.time()))

    @staticmethod
    def _keys(username: str, address: Optional[str]):
        yield PER_USER, "user:" + normalise_username(username)
        if address:
            yield PER_ADDRESS, "address:" + address

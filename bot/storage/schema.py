"""Every table of the guide's database, gathered for migrations and their tests.

Each table is defined in its own module of this package, with the functions
that read and write it; importing this module imports them all, so that
:data:`metadata` is complete.
"""

from bot.storage import accounts, handoffs, unanswered, votes  # noqa: F401  the tables
from bot.storage.base import metadata

__all__ = ["metadata"]

"""Every table of the guide's database, gathered for migrations and their tests.

Each table is defined where it is used; importing this module imports them
all, so that :data:`metadata` is complete.
"""

from bot.storage.base import metadata

import bot.feedback  # noqa: F401,E402  votes on answers
import bot.handoff.models  # noqa: F401,E402  handoffs and notes
import bot.console.accounts  # noqa: F401,E402  counsellors and their login sessions
import bot.editorial.unanswered  # noqa: F401,E402  questions the guide could not answer

__all__ = ["metadata"]

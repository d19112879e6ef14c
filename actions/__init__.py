"""The Rasa SDK actions of Welcome Guide: they decide what the guide says.

Every action answers in the language chosen by :mod:`bot.language.choice` and
returns one reply shaped by :mod:`bot.replies`. The action server
(:mod:`actions.server`) loads the knowledge base at start and refuses to run
with a broken one; later edits are picked up while it runs, once they are
valid (:mod:`bot.knowledge.live`).
"""

from __future__ import annotations

from typing import List

from actions.services import ActionServices
from actions.turn import GuideAction


def guide_actions(services: ActionServices) -> List[GuideAction]:
    """Every action of the guide, built with the action server's parts."""
    from actions.answer import ActionAnswer
    from actions.conversation import ActionChangeLanguage, ActionSmalltalk
    from actions.fallback import ActionFallback
    from actions.handoff import ActionHandoff, ActionLeaveMessage

    return [
        action(services)
        for action in (
            ActionAnswer,
            ActionSmalltalk,
            ActionChangeLanguage,
            ActionFallback,
            ActionHandoff,
            ActionLeaveMessage,
        )
    ]

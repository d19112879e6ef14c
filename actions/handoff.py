"""Answering a request to talk to a person.

Until counsellors can take over conversations in a console, the guide tells the
user how to reach the Welcome Center directly (handoff status ``offline``).
"""

from __future__ import annotations

from bot.knowledge import KnowledgeBase
from bot.replies import OFFLINE, Reply, handoff_element

from actions.turn import GuideAction, Turn


class ActionHandoff(GuideAction):
    """Tells the user how to reach a counsellor of the Welcome Center."""

    def name(self) -> str:
        return "action_handoff"

    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        return Reply(handoff_element(turn.lang, OFFLINE), [knowledge.phrases.get("handoff_offline", turn.lang)])

"""Saying honestly that the guide did not understand or cannot help."""

from __future__ import annotations

from bot.knowledge import KnowledgeBase
from bot.replies import Reply, fallback_element

from actions.turn import GuideAction, Turn

OUT_OF_SCOPE = "out_of_scope"


class ActionFallback(GuideAction):
    """Replies when the message was not understood, empty, or outside the guide's topics."""

    def name(self) -> str:
        return "action_fallback"

    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        if not turn.text.strip():
            phrase = "empty_message"
        elif turn.intent == OUT_OF_SCOPE:
            phrase = "out_of_scope"
        else:
            phrase = "fallback"
        return Reply(fallback_element(turn.lang), [knowledge.phrases.get(phrase, turn.lang)])

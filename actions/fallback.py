"""Saying honestly that the guide did not understand or cannot help."""

from __future__ import annotations

from actions.handoff import ACCEPT_OFFER_PAYLOAD, NO_THANKS_PAYLOAD
from actions.turn import GuideAction, Turn
from bot.knowledge import KnowledgeBase
from bot.replies import FALLBACK, Reply, fallback_element

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
        # Kept masked for the editors' report, on another thread: never delays or breaks the reply.
        self.services.feedback.note_unanswered(turn.text, turn.lang, turn.intent)
        texts = [knowledge.phrases.get(phrase, turn.lang)]
        if not failed_before(turn):
            return Reply(fallback_element(turn.lang), texts)
        # The second failure in a row: offer a person rather than a third guess.
        texts.append(knowledge.phrases.get("offer_counsellor", turn.lang))
        buttons = [
            {"title": knowledge.phrases.get("button_talk_to_counsellor", turn.lang), "payload": ACCEPT_OFFER_PAYLOAD},
            {"title": knowledge.phrases.get("button_no_thanks", turn.lang), "payload": NO_THANKS_PAYLOAD},
        ]
        return Reply(fallback_element(turn.lang), texts, buttons)


def failed_before(turn: Turn) -> bool:
    """Whether the guide's previous reply in this conversation did not help either."""
    earlier = turn.earlier_elements
    return bool(earlier) and earlier[-1].get("type") == FALLBACK

"""Answering a knowledge topic from the knowledge base."""

from __future__ import annotations

from actions.turn import GuideAction, Turn
from bot.knowledge import KnowledgeBase
from bot.replies import Reply, answer_element, fallback_element


class ActionAnswer(GuideAction):
    """Answers the topic the message was classified as, in the user's language."""

    def name(self) -> str:
        return "action_answer"

    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        if turn.intent is None or turn.intent not in knowledge:
            # The model knows a topic the content no longer has: say so honestly
            # rather than answering something else.
            return Reply(fallback_element(turn.lang), [knowledge.phrases.get("fallback", turn.lang)])
        topic = knowledge.topic(turn.intent)
        return Reply(
            answer_element(topic.topic, turn.lang, topic.sources),
            [topic.answer(turn.lang)],
        )

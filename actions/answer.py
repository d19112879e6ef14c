"""Answering a knowledge topic from the knowledge base."""

from __future__ import annotations

from typing import Dict, List

from actions.turn import GuideAction, Turn
from bot.knowledge import KnowledgeBase, Topic
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
            next_topic_buttons(topic, knowledge, turn.lang),
        )


def next_topic_buttons(topic: Topic, knowledge: KnowledgeBase, lang: str) -> List[Dict[str, str]]:
    """A button for each topic the answer offers next, titled in ``lang``; pressing it asks that topic."""
    return [
        {"title": knowledge.topic(next_id).title(lang), "payload": f"/{next_id}"}
        for next_id in topic.next_topics
        if next_id in knowledge
    ]

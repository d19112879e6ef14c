"""The editors' content: topics with answers and training questions, and the guide's phrases.

Use :func:`load_knowledge` to read and validate the whole ``knowledge/`` folder.
It returns a :class:`KnowledgeBase` or raises :class:`KnowledgeError` listing every
problem found, so the guide never starts with half its content. A running
process holds a :class:`LiveKnowledge` instead, which picks up editors'
changes without a restart (:mod:`bot.knowledge.live`). Editors' tools read a
folder with its problems through :func:`inspect_knowledge`, and learn which
translations are outdated from :mod:`bot.knowledge.status`.
"""

from bot.knowledge.errors import KnowledgeError, Problem
from bot.knowledge.live import LiveKnowledge
from bot.knowledge.loader import (
    DEFAULT_KNOWLEDGE_DIR,
    Inspection,
    TopicFile,
    inspect_knowledge,
    load_knowledge,
    load_phrases,
)
from bot.knowledge.model import KnowledgeBase, Phrases, Topic, Translation
from bot.knowledge.status import State, answer_version, original_version, topic_states, translation_state

__all__ = [
    "DEFAULT_KNOWLEDGE_DIR",
    "Inspection",
    "KnowledgeBase",
    "KnowledgeError",
    "LiveKnowledge",
    "Phrases",
    "Problem",
    "State",
    "Topic",
    "TopicFile",
    "Translation",
    "answer_version",
    "inspect_knowledge",
    "load_knowledge",
    "load_phrases",
    "original_version",
    "topic_states",
    "translation_state",
]

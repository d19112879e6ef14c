"""The editors' content: topics with answers and training questions, and the guide's phrases.

Use :func:`load_knowledge` to read and validate the whole ``knowledge/`` folder.
It returns a :class:`KnowledgeBase` or raises :class:`KnowledgeError` listing every
problem found, so the guide never starts with half its content.
"""

from bot.knowledge.errors import KnowledgeError, Problem
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, load_knowledge, load_phrases, shared_phrases
from bot.knowledge.model import KnowledgeBase, Phrases, Topic, Translation

__all__ = [
    "DEFAULT_KNOWLEDGE_DIR",
    "KnowledgeBase",
    "KnowledgeError",
    "Phrases",
    "Problem",
    "Topic",
    "Translation",
    "load_knowledge",
    "load_phrases",
    "shared_phrases",
]

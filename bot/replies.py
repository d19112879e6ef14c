"""The shape of every reply: its text bubbles, buttons and one machine-readable element.

The element is what ``docs/answer-contract.md`` (in the project's shared material)
specifies: exactly one per reply, with a ``type`` of ``answer``, ``fallback``,
``handoff`` or ``smalltalk`` and the language the reply is written in. Channels
pass it on unchanged; the web widget, analytics and the evaluation read it.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, List, Sequence

ANSWER = "answer"
FALLBACK = "fallback"
HANDOFF = "handoff"
SMALLTALK = "smalltalk"

#: Handoff statuses: a counsellor will take over, or nobody can now.
QUEUED = "queued"
OFFLINE = "offline"


@dataclasses.dataclass
class Reply:
    """One reply of the guide to one user message.

    Attributes:
        element: The contract's structured element (see the functions below).
        texts: The text bubbles, in order.
        buttons: Quick replies shown with the last bubble: dicts with
            ``title`` and ``payload``.
        hands_over: Whether a counsellor takes over after this reply: the
            guide then stays silent until the conversation is handed back.
    """

    element: Dict
    texts: List[str] = dataclasses.field(default_factory=list)
    buttons: List[Dict[str, str]] = dataclasses.field(default_factory=list)
    hands_over: bool = False

    @property
    def language(self) -> str:
        """The language the reply is written in."""
        return self.element["lang"]


def answer_element(topic: str, lang: str, sources: Sequence[str]) -> Dict:
    """The element of a reply that answers from the knowledge base."""
    return {"type": ANSWER, "topic": topic, "lang": lang, "sources": list(sources)}


def fallback_element(lang: str) -> Dict:
    """The element of a reply that did not understand or cannot help."""
    return {"type": FALLBACK, "lang": lang}


def handoff_element(lang: str, status: str) -> Dict:
    """The element of a reply that passes the conversation to a counsellor."""
    if status not in (QUEUED, OFFLINE):
        raise ValueError(f"unknown handoff status {status!r}")
    return {"type": HANDOFF, "lang": lang, "status": status}


def smalltalk_element(lang: str) -> Dict:
    """The element of a greeting, thanks, "what can you do" or language switch."""
    return {"type": SMALLTALK, "lang": lang}

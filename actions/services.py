"""What the actions need, built once by the action server's entry point and handed to each action."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Callable

from bot import clock
from bot.feedback import EditorsFeedback
from bot.handoff.settings import HandoffSettings
from bot.knowledge import LiveKnowledge
from bot.storage.handoffs import HandoffQueue


@dataclasses.dataclass(frozen=True)
class ActionServices:
    """The action server's parts.

    Attributes:
        knowledge: The knowledge base as editors last saved it validly (reloads by itself).
        handoffs: The queue of conversations waiting for a counsellor.
        settings: Office hours and retention (``handoff.yml``).
        feedback: Where questions the guide could not answer are kept for editors.
        now: The current moment (aware); tests pass their own.
    """

    knowledge: LiveKnowledge
    handoffs: HandoffQueue
    settings: HandoffSettings
    feedback: EditorsFeedback
    now: Callable[[], datetime.datetime] = clock.now

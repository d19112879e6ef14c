"""What every action needs: the message being answered, and how a reply is sent."""

from __future__ import annotations

import abc
import dataclasses
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import ActionServices
from bot.commands import START, command_of
from bot.conversations.events import reply_elements
from bot.knowledge import KnowledgeBase
from bot.language.choice import (
    CHOSEN_LANGUAGE_SLOT,
    DETECTION_KEY,
    LANGUAGE_HINT_METADATA_KEY,
    LANGUAGE_SLOT,
    ReplyLanguage,
    choose_reply_language,
)
from bot.language.supported import languages_line, supported_code
from bot.replies import Reply
from bot.text import MAX_UNDERSTOOD_CHARS


@dataclasses.dataclass(frozen=True)
class Turn:
    """The user message an action answers, and the language to answer it in."""

    text: str
    intent: Optional[str]
    entities: List[Dict[str, Any]]
    language: ReplyLanguage
    first_in_conversation: bool
    #: Rasa's id of the conversation, and the channel the message came through.
    conversation_id: str = ""
    channel: Optional[str] = None
    #: The structured elements of the guide's earlier replies, oldest first.
    earlier_elements: List[Dict[str, Any]] = dataclasses.field(default_factory=list)

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> Turn:
        message = tracker.latest_message or {}
        return cls(
            text=message.get("text") or "",
            intent=(message.get("intent") or {}).get("name"),
            entities=message.get("entities") or [],
            language=choose_reply_language(
                message.get(DETECTION_KEY),
                tracker.get_slot(LANGUAGE_SLOT),
                tracker.get_slot(CHOSEN_LANGUAGE_SLOT),
                hint=language_hint(tracker),
            ),
            first_in_conversation=not any(e.get("event") == "bot" for e in tracker.events),
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel(),
            earlier_elements=reply_elements(tracker.events),
        )

    @property
    def lang(self) -> str:
        """The code of the language to answer in."""
        return self.language.code

    def entity(self, name: str) -> Optional[str]:
        """The value of the first entity called ``name``, if the message has one."""
        return next((e.get("value") for e in self.entities if e.get("entity") == name), None)

    @property
    def opens_chat(self) -> bool:
        """Whether the message is ``/start``, which a chat app sends when a chat is opened."""
        return command_of(self.text) == START


def language_hint(tracker: Tracker) -> Optional[str]:
    """The supported language of the user's app, if the channel reported one.

    Channels put it in the user message's metadata (Telegram: the user's
    ``language_code``, e.g. "de" or "pt-br"). Rasa keeps metadata on the
    ``user`` event rather than in the parse data, so it is read from there
    when ``latest_message`` lacks it.
    """
    metadata = (tracker.latest_message or {}).get("metadata")
    if not metadata:
        metadata = (tracker.get_last_event_for("user") or {}).get("metadata")
    return supported_code((metadata or {}).get(LANGUAGE_HINT_METADATA_KEY))


class GuideAction(Action, abc.ABC):
    """An action that sends one :class:`~bot.replies.Reply` in the user's language.

    Subclasses say *what* to reply (:meth:`reply`); this class adds what every
    reply needs: a note when the message was cut or in an unsupported
    language, the privacy notice in a new conversation, the structured
    element, and remembering the conversation's language.

    Args:
        services: The action server's parts (knowledge, handoff queue, ...),
            built once at its entry point (:mod:`actions.server`).
    """

    def __init__(self, services: ActionServices) -> None:
        self.services = services

    @abc.abstractmethod
    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        """The reply to ``turn``."""

    def extra_events(self, turn: Turn, reply: Reply) -> List[Dict[str, Any]]:
        """Further events to apply after the reply (none by default)."""
        return []

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        turn = Turn.from_tracker(tracker)
        # The knowledge as editors last saved it validly: answer edits need no restart.
        kb = self.services.knowledge.current()
        reply = self.reply(turn, kb)
        texts = self._notes_before(turn, reply, kb) + reply.texts + self._notes_after(turn, reply, kb)
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            dispatcher.utter_message(text=text, buttons=reply.buttons if last else [])
        dispatcher.utter_message(json_message=reply.element)
        pause = [ConversationPaused()] if reply.hands_over else []
        return [SlotSet(LANGUAGE_SLOT, reply.language), *self.extra_events(turn, reply), *pause]

    @staticmethod
    def _notes_before(turn: Turn, reply: Reply, kb: KnowledgeBase) -> List[str]:
        if len(turn.text) > MAX_UNDERSTOOD_CHARS:
            return [kb.phrases.get("message_too_long", reply.language)]
        return []

    @staticmethod
    def _notes_after(turn: Turn, reply: Reply, kb: KnowledgeBase) -> List[str]:
        notes = []
        if turn.language.unsupported_input:
            notes.append(f"{kb.phrases.get('unsupported_language', reply.language)} {languages_line()}")
        if turn.first_in_conversation or turn.opens_chat:
            notes.append(kb.phrases.get("privacy_notice", reply.language))
        return notes

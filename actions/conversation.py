"""Greetings, thanks, "what can you do" and switching the language."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk.events import SlotSet

from actions.turn import GuideAction, Turn
from bot.knowledge import KnowledgeBase
from bot.language.choice import CHOSEN_LANGUAGE_SLOT
from bot.language.names import requested_language
from bot.language.supported import ENDONYMS, SUPPORTED_LANGUAGES
from bot.replies import Reply, smalltalk_element

#: Conversation intent -> the phrase that answers it.
SMALLTALK_PHRASES = {
    "greet": "greeting",
    "goodbye": "goodbye",
    "thanks": "thanks_reply",
    "affirm": "affirm_reply",
    "deny": "deny_reply",
    "ask_what_can_you_do": "capabilities",
    "bot_challenge": "bot_challenge",
}

#: Entity set by the language buttons' payloads.
LANGUAGE_CHOICE_ENTITY = "language_choice"


def language_buttons() -> List[Dict[str, str]]:
    """One button per supported language, titled in that language's own name."""
    return [
        {"title": ENDONYMS[code], "payload": f'/change_language{{"{LANGUAGE_CHOICE_ENTITY}":"{code}"}}'}
        for code in SUPPORTED_LANGUAGES
    ]


class ActionSmalltalk(GuideAction):
    """Answers greetings, thanks, goodbyes and questions about the guide itself."""

    def name(self) -> str:
        return "action_smalltalk"

    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        phrase = SMALLTALK_PHRASES.get(turn.intent or "", "capabilities")
        # "/start" opens a chat: the greeting is a guess at the language (the
        # app's), so the language menu comes with it.
        buttons = language_buttons() if turn.opens_chat else []
        return Reply(smalltalk_element(turn.lang), [knowledge.phrases.get(phrase, turn.lang)], buttons)


class ActionChangeLanguage(GuideAction):
    """Switches to the language the user asks for, or offers the choice."""

    def name(self) -> str:
        return "action_change_language"

    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        target = self._target(turn)
        if target:
            return Reply(smalltalk_element(target), [knowledge.phrases.get("language_changed", target)])
        return Reply(
            smalltalk_element(turn.lang), [knowledge.phrases.get("language_choice", turn.lang)], language_buttons()
        )

    def extra_events(self, turn: Turn, reply: Reply) -> List[Dict[str, Any]]:
        target = self._target(turn)
        return [SlotSet(CHOSEN_LANGUAGE_SLOT, target)] if target else []

    @staticmethod
    def _target(turn: Turn) -> str | None:
        chosen = turn.entity(LANGUAGE_CHOICE_ENTITY)
        if chosen in SUPPORTED_LANGUAGES:
            return chosen
        return requested_language(turn.text)

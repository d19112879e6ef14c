"""Chat commands and empty messages, understood without the classifier.

Telegram users and the web widget send commands such as ``/human`` or
``/language de``; they mean one thing in every language, so they map straight
to an intent. An empty message means nothing at all and is marked as not
understood (``nlu_fallback``), which the fallback action answers.

Rasa's own ``/intent_name`` payloads (from buttons) are left to Rasa's
RegexMessageHandler, which runs after this component.

``/delete`` (erase my conversation) is deliberately not here: a channel
handles it itself (see :mod:`bot.channels.telegram`), so the request never
passes through NLU and is not stored in the conversation it deletes.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.commands import command_of

#: Chat command -> the intent it stands for.
COMMANDS = {
    "start": "greet",
    "help": "ask_what_can_you_do",
    "human": "request_human",
    "language": "change_language",
}


def intent_for(text: str) -> str | None:
    """The intent a command or empty message stands for, else ``None``."""
    if not text.strip():
        return DEFAULT_NLU_FALLBACK_INTENT_NAME
    command = command_of(text)
    return COMMANDS.get(command) if command else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ChatCommands(GraphComponent):
    """Sets the intent of chat commands and empty messages, overriding the classifier."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ChatCommands:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = intent_for(message.get(TEXT) or "")
            if intent:
                ranking = {"name": intent, "confidence": 1.0}
                message.set(INTENT, ranking, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [ranking], add_to_output=True)
        return messages

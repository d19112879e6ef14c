"""A Rasa graph component that adds each message's language to the parse data."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.detection import shared_detector
from bot.nlu import LANGUAGE, MAX_UNDERSTOOD_CHARS


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class LanguageDetector(GraphComponent):
    """Detects the language of every message.

    The result (see :class:`bot.language.detection.Detection`) is stored under
    ``language`` and kept in the parse data, so the tokenizer can pick the
    language's rules and the actions can answer in the user's language.
    Training examples that already carry their language (the knowledge base
    knows it) keep it.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    def __init__(self) -> None:
        self._detector = shared_detector()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT) and not example.get(LANGUAGE):
                self._detect(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._detect(message)
        return messages

    def _detect(self, message: Message) -> None:
        text: Optional[str] = message.get(TEXT)
        detection = self._detector.detect(text[:MAX_UNDERSTOOD_CHARS]) if text else None
        message.set(LANGUAGE, detection.as_dict() if detection else None, add_to_output=True)

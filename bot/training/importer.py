"""A Rasa training-data importer that reads the topics from ``knowledge/``.

Listed under ``importers:`` in ``config.yml`` next to Rasa's own file importer,
it contributes, for every knowledge topic:

- an intent named after the topic id, with the topic's training questions in
  every language as examples (each tagged with its language, so the tokenizer
  applies that language's rules),
- the intent in the domain, and
- a rule: that intent is answered by ``action_answer``.

So a topic lives in exactly one file: adding a topic file adds its intent,
examples and rule at the next training, and nothing is generated on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.shared.core.constants import RULE_SNIPPET_ACTION_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.training_data.structures import (
    STORY_START,
    Checkpoint,
    RuleStep,
    StoryGraph,
)
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.common import cached_method

from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, load_knowledge
from bot.language.choice import DETECTION_KEY as LANGUAGE
from bot.language.detection import Detection

#: The action that answers every knowledge topic (see ``actions/answer.py``).
ANSWER_ACTION = "action_answer"


class KnowledgeImporter(TrainingDataImporter):
    """Provides intents, examples and rules for the knowledge topics."""

    def __init__(
        self,
        config_file: Optional[str] = None,
        domain_path: Optional[str] = None,
        training_data_paths: Optional[List[str]] = None,
        knowledge_dir: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        self._knowledge_dir = Path(knowledge_dir) if knowledge_dir else DEFAULT_KNOWLEDGE_DIR

    @cached_method
    def knowledge(self) -> KnowledgeBase:
        """The validated knowledge base; training stops with its problems if invalid."""
        return load_knowledge(self._knowledge_dir)

    def get_domain(self) -> Domain:
        return Domain.from_dict({"intents": [topic.topic for topic in self.knowledge().topics]})

    def get_stories(self, exclusion_percentage: Optional[int] = None) -> StoryGraph:
        return StoryGraph([_answer_rule(topic.topic) for topic in self.knowledge().topics])

    def get_conversation_tests(self) -> StoryGraph:
        return StoryGraph([])

    def get_config(self) -> Dict:
        return {}

    def get_config_file_for_auto_config(self) -> Optional[str]:
        return None

    def get_nlu_data(self, language: Optional[str] = "en") -> TrainingData:
        examples = [
            _example(question, topic.topic, code)
            for topic in self.knowledge().topics
            for code, translation in topic.languages.items()
            for question in translation.questions
        ]
        return TrainingData(training_examples=examples)


def _example(question: str, intent: str, language: str) -> Message:
    detection = Detection(language, confidence=1.0, supported=True, reliable=True)
    return Message(data={TEXT: question, INTENT: intent, LANGUAGE: detection.as_dict()})


def _answer_rule(topic_id: str) -> RuleStep:
    """The rule ``intent <topic_id> -> action_answer``, at any point of a conversation."""
    return RuleStep(
        block_name=f"answer {topic_id}",
        # Without the start checkpoint Rasa never reaches the rule in training.
        start_checkpoints=[Checkpoint(STORY_START)],
        events=[
            ActionExecuted(RULE_SNIPPET_ACTION_NAME),
            UserUttered(intent={"name": topic_id, "confidence": 1.0}),
            ActionExecuted(ANSWER_ACTION),
        ],
    )

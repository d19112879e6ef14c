"""A Rasa graph component that adds each message's language to the parse data.

Newcomers write their own language mixed with the German words on their
papers: "which Bürgerbüro do I go to for the Anmeldung?". A detector that
weighs every word reads that as German. So this component learns, from the
training questions, the *shared terms*: words that people use in questions
of several languages (Anmeldung, Kita, Bürgerbüro, Stuttgart, Blue Card).
It detects the language on the rest of the message, and on the whole message
only when nothing else is left ("Anmeldung Stuttgart").
"""

from __future__ import annotations

import collections
import json
import logging
import re
from typing import Any, Dict, FrozenSet, Iterable, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.commands import is_command_or_payload
from bot.language.detection import LanguageDetector as Detector
from bot.nlu import LANGUAGE, MAX_UNDERSTOOD_CHARS
from bot.text import fold

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
_SHARED_TERMS_FILE = "shared_terms.json"


def shared_terms(questions: Iterable[tuple[str, str]], min_languages: int, min_length: int) -> FrozenSet[str]:
    """Words (folded) that occur in questions of at least ``min_languages`` languages.

    Args:
        questions: ``(text, language)`` pairs.
        min_languages: In how many languages a word must occur to count as shared.
        min_length: Shorter words are never shared terms: they are too often
            real words of a language ("die", "in", "ya").
    """
    languages_of = collections.defaultdict(set)
    for text, language in questions:
        for word in _WORD.findall(fold(text)):
            if len(word) >= min_length and not word.isdigit():
                languages_of[word].add(language)
    return frozenset(word for word, langs in languages_of.items() if len(langs) >= min_languages)


def without_terms(text: str, terms: FrozenSet[str]) -> str:
    """``text`` without the shared terms, or all of it if nothing else is left.

    Even a short rest says more about the user's language than the German terms
    around it ("Basiskonto حق"); the detector marks such short texts unreliable,
    so they never override the language of a conversation.
    """
    kept = [word for word in _WORD.findall(text) if fold(word) not in terms]
    rest = " ".join(kept)
    return rest if any(ch.isalpha() for ch in rest) else text


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class LanguageDetector(GraphComponent):
    """Detects the language of every message and stores it under ``language``.

    The result (see :class:`bot.language.detection.Detection`) stays in the
    parse data, so the tokenizer can pick the language's rules and the actions
    can answer in the user's language. Training examples that already carry
    their language (the knowledge base knows it) keep it.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"shared_term_min_languages": 3, "shared_term_min_length": 4}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        terms: FrozenSet[str] = frozenset(),
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._terms = terms
        # lingua keeps its language models in one cache per process, however many detectors use them.
        self._detector = Detector()

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageDetector:
        try:
            with model_storage.read_from(resource) as directory:
                terms = json.loads((directory / _SHARED_TERMS_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            # A model trained before this component learned shared terms: detect
            # on whole messages rather than refuse to load.
            logger.warning("No shared terms in the model; retrain to detect mixed messages better.")
            terms = []
        return cls(config, model_storage, resource, frozenset(terms))

    def train(self, training_data: TrainingData) -> Resource:
        labelled = [
            (example.get(TEXT), example.get(LANGUAGE)["language"])
            for example in training_data.training_examples
            if example.get(TEXT) and example.get(LANGUAGE)
        ]
        self._terms = shared_terms(
            labelled, self._config["shared_term_min_languages"], self._config["shared_term_min_length"]
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _SHARED_TERMS_FILE).write_text(
                json.dumps(sorted(self._terms), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

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
        detection = None
        # A command or button payload says nothing about the user's language
        # ("/human" reads as Spanish): the conversation's language decides.
        if text and not is_command_or_payload(text):
            detection = self._detector.detect(without_terms(text[:MAX_UNDERSTOOD_CHARS], self._terms))
        message.set(LANGUAGE, detection.as_dict() if detection else None, add_to_output=True)

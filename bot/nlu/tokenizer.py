"""A Rasa tokenizer that splits and lemmatises each message by its own language.

One model serves six languages, so the usual single-language spaCy pipeline
does not fit. This tokenizer keeps a blank spaCy pipeline per language (its
tokenisation rules, plus the lookup lemmatizer from ``spacy-lookups-data``
where a table exists) and uses the one for the language the
:class:`~bot.nlu.language_detector.LanguageDetector` found.

Each token's lemma is folded (lower case, no diacritics), so "Öğrenim",
"ogrenim" and "öğrenimi" all feed the featurizers similar forms. A phone
number (a run of 7 or more digits, however it is spaced) becomes one
placeholder: people add theirs to any question, and its digits must not make
the question look like one about the emergency numbers (112, 116117).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Dict, List, Optional

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.language.supported import SUPPORTED_LANGUAGES
from bot.nlu import LANGUAGE, MAX_UNDERSTOOD_CHARS
from bot.text import fold

#: Languages whose lemma lookup table from spacy-lookups-data is used. Turkish
#: has one too, but it takes about 400 MB of memory and 5 s to load; its
#: suffixes are covered well enough by the character n-gram features.
LEMMA_TABLE_LANGUAGES = frozenset({"de", "en", "es"})
#: spaCy's language-neutral rules, for messages of unknown language.
MULTI_LANGUAGE = "xx"
#: A token that is part of a number: digits, maybe with a leading + or inner - and /.
_NUMERIC = re.compile(r"^\+?\d[\d/-]*$")
#: Fewest digits in a run of numeric tokens that make it a phone number (not 112, 116117, 2026, 551).
PHONE_DIGITS = 7
#: The lemma every token of a phone number gets.
PHONE_PLACEHOLDER = "phonenumber"


@functools.lru_cache(maxsize=None)
def spacy_pipeline(language: str) -> spacy.language.Language:
    """A blank spaCy pipeline for ``language``, with lookup lemmas when available."""
    if language not in SUPPORTED_LANGUAGES:
        language = MULTI_LANGUAGE
    nlp = spacy.blank(language)
    if language in LEMMA_TABLE_LANGUAGES:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    return nlp


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LanguageAwareTokenizer(Tokenizer):
    """Tokenizes with spaCy's rules for the message's detected language."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageAwareTokenizer:
        tokenizer = cls(config)
        # Build every pipeline now: loading lemma tables on the first message
        # of a language would make that user wait.
        for language in SUPPORTED_LANGUAGES + (MULTI_LANGUAGE,):
            spacy_pipeline(language)
        return tokenizer

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text: str = message.get(attribute)[:MAX_UNDERSTOOD_CHARS]
        detection: Optional[dict] = message.get(LANGUAGE)
        language = detection["language"] if detection else MULTI_LANGUAGE
        tokens = [
            Token(word.text, word.idx, lemma=fold(word.lemma_ or word.text))
            for word in spacy_pipeline(language)(text)
            if not (word.is_punct or word.is_space)
        ]
        # A message of only punctuation or emoji still needs one token.
        return mask_phone_numbers(tokens) or [Token(text, 0, lemma=fold(text))]


def mask_phone_numbers(tokens: List[Token]) -> List[Token]:
    """Give every token of a phone number (7+ digits in consecutive numeric tokens) the same lemma."""
    run: List[Token] = []
    for token in [*tokens, None]:
        if token is not None and _NUMERIC.match(token.text):
            run.append(token)
            continue
        if sum(ch.isdigit() for t in run for ch in t.text) >= PHONE_DIGITS:
            for number_token in run:
                number_token.lemma = PHONE_PLACEHOLDER
        run = []
    return tokens

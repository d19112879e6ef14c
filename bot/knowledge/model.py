"""The shape of the content files, and the knowledge base the guide answers from.

The pydantic models double as the schema editors' files are checked against:
a field that is missing, misspelt or of the wrong kind is reported with its
place in the file.
"""

from __future__ import annotations

import datetime
import re
from typing import Dict, List, Literal, Mapping, Optional
from urllib.parse import urlparse

from pydantic import BaseModel, Extra, validator

from bot.language.supported import SUPPORTED_LANGUAGES

#: Longest answer every channel can show in one bubble without scrolling for ages.
MAX_ANSWER_CHARS = 1000
#: Longest topic title: it must fit on a button on a phone.
MAX_TITLE_CHARS = 40
#: Fewest training questions per topic and language the classifier learns well from.
MIN_QUESTIONS = 15
TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: A version of an original answer: its language and a short hash of its text.
VERSION = re.compile(r"^[a-z]{2}-[0-9a-f]{8}$")
#: The status of the language the others are translated from.
ORIGINAL = "original"

#: The guide's own sentences; every one must exist in every language.
PHRASE_KEYS = (
    "greeting",
    "privacy_notice",
    "capabilities",
    "goodbye",
    "thanks_reply",
    "affirm_reply",
    "deny_reply",
    "bot_challenge",
    "fallback",
    "out_of_scope",
    "handoff_queued",
    "handoff_offline",
    "handoff_closed",
    "handoff_failed",
    "leave_message_prompt",
    "leave_message_contact_prompt",
    "offer_counsellor",
    "counsellor_joined",
    "handoff_returned",
    "button_talk_to_counsellor",
    "button_no_thanks",
    "button_leave_message",
    "button_leave_message_contact",
    "language_changed",
    "language_choice",
    "unsupported_language",
    "empty_message",
    "message_too_long",
    "sources_label",
    "error",
    "delete_confirm",
    "delete_done",
    "delete_cancelled",
    "button_yes",
    "button_no",
    "command_start",
    "command_help",
    "command_language",
    "command_human",
    "command_delete",
    # The web chat widget: feedback under answers, and its own labels.
    "feedback_question",
    "feedback_helpful",
    "feedback_not_helpful",
    "feedback_thanks",
    "web_title",
    "web_open",
    "web_close",
    "web_placeholder",
    "web_send",
    "web_language",
    "web_typing",
    "web_reconnecting",
    "web_messages",
    "web_counsellor",
)


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Translation(_Strict):
    """A topic in one language: the answer and the questions that lead to it.

    ``translated_from`` records the version of the original answer a
    translation was made from (see :mod:`bot.knowledge.status`), so that a
    later change of the original flags the translation as outdated by itself.
    """

    status: Literal["original", "translated", "machine"]
    translated_from: Optional[str] = None
    #: The topic's name in a few words, for buttons ("Register your address") and the console.
    title: Optional[str] = None
    answer: str
    questions: List[str]

    @validator("title")
    def _title_fits(cls, title: Optional[str]) -> Optional[str]:
        if title is not None and not 0 < len(title.strip()) <= MAX_TITLE_CHARS:
            raise ValueError(f"a title has 1 to {MAX_TITLE_CHARS} characters, to fit on a button")
        return title.strip() if title else title

    @validator("translated_from")
    def _is_version(cls, version: Optional[str]) -> Optional[str]:
        if version is not None and not VERSION.match(version):
            raise ValueError(f"'{version}' is not a version such as 'en-1a2b3c4d' (language, '-', 8 letters or digits)")
        return version

    @validator("answer")
    def _answer_fits(cls, answer: str) -> str:
        answer = answer.strip()
        if not answer:
            raise ValueError("the answer is empty")
        if len(answer) > MAX_ANSWER_CHARS:
            raise ValueError(f"the answer has {len(answer)} characters; at most {MAX_ANSWER_CHARS} fit every channel")
        return answer

    @validator("questions")
    def _enough_questions(cls, questions: List[str]) -> List[str]:
        questions = [q.strip() for q in questions]
        if any(not q for q in questions):
            raise ValueError("a question is empty")
        if len(questions) < MIN_QUESTIONS:
            raise ValueError(
                f"only {len(questions)} questions; write at least {MIN_QUESTIONS} so the guide recognises the topic"
            )
        return questions


class Topic(_Strict):
    """One FAQ topic: its answer and training questions in every language."""

    topic: str
    category: str
    reviewed: datetime.date
    sources: List[str] = []
    notes: Optional[str] = None
    #: Amounts and dates in the answer that change every year (a benefit, a fee, a deadline),
    #: each with the year it holds for: the content report lists them for the January check.
    yearly: List[str] = []
    #: Topics to offer as buttons under the answer (e.g. the next steps of a checklist).
    next_topics: List[str] = []
    languages: Dict[str, Translation]

    @validator("topic", "category")
    def _is_identifier(cls, value: str) -> str:
        if not TOPIC_ID.match(value):
            raise ValueError(f"'{value}' must be lower-case letters, digits and '_'")
        return value

    @validator("sources", each_item=True)
    def _is_url(cls, source: str) -> str:
        parsed = urlparse(source)
        if parsed.scheme not in ("https", "http") or not parsed.netloc:
            raise ValueError(f"'{source}' is not a web address (it must start with https://)")
        return source

    @validator("languages")
    def _known_languages(cls, languages: Dict[str, Translation]) -> Dict[str, Translation]:
        # A missing language is reported by the loader instead, so that editors'
        # tools can still read a topic whose translations are not written yet.
        unknown = sorted(set(languages) - set(SUPPORTED_LANGUAGES))
        if unknown:
            raise ValueError(
                f"unknown language {', '.join(unknown)}; the guide speaks {', '.join(SUPPORTED_LANGUAGES)}"
            )
        return languages

    @property
    def original_language(self) -> Optional[str]:
        """The language the others are translated from (status ``original``), if exactly one is."""
        originals = [code for code, translation in self.languages.items() if translation.status == ORIGINAL]
        return originals[0] if len(originals) == 1 else None

    def answer(self, language: str) -> str:
        """The answer text in ``language``."""
        return self.languages[language].answer

    def questions(self, language: str) -> List[str]:
        """The training questions in ``language``."""
        return self.languages[language].questions

    def title(self, language: str) -> str:
        """The topic's title in ``language``; the original's while it has none, else the topic's id."""
        original = self.languages.get(self.original_language or "")
        return self.languages[language].title or (original.title if original else None) or self.topic


class Phrases(_Strict):
    """The guide's own sentences (greeting, fallback, ...) in every language."""

    texts: Dict[str, Dict[str, str]]

    @validator("texts")
    def _complete(cls, texts: Dict[str, Dict[str, str]]) -> Dict[str, Dict[str, str]]:
        problems = [f"missing phrase '{key}'" for key in PHRASE_KEYS if key not in texts]
        for key, by_language in texts.items():
            missing = [c for c in SUPPORTED_LANGUAGES if not str(by_language.get(c) or "").strip()]
            if missing:
                problems.append(f"'{key}' is missing in {', '.join(missing)}")
        if problems:
            raise ValueError("; ".join(problems))
        return texts

    def get(self, key: str, language: str) -> str:
        """The phrase ``key`` in ``language``."""
        return self.texts[key][language].strip()


class KnowledgeBase:
    """Everything the guide knows, validated and ready to answer from."""

    def __init__(self, topics: Mapping[str, Topic], phrases: Phrases) -> None:
        self._topics = dict(topics)
        self.phrases = phrases

    def __contains__(self, topic_id: object) -> bool:
        return topic_id in self._topics

    def __len__(self) -> int:
        return len(self._topics)

    def topic(self, topic_id: str) -> Topic:
        """The topic with id ``topic_id``; raises ``KeyError`` for an unknown id."""
        return self._topics[topic_id]

    @property
    def topics(self) -> List[Topic]:
        """All topics, sorted by id."""
        return [self._topics[t] for t in sorted(self._topics)]

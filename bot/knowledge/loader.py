"""Reading and validating the ``knowledge/`` folder.

Every file is checked completely and all problems are collected before
anything is returned, so an editor sees the whole list at once, each with its
file, line and field.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple, TypeVar

import yaml
from pydantic import ValidationError

from bot.knowledge.errors import KnowledgeError, Problem
from bot.knowledge.model import KnowledgeBase, Phrases, Topic
from bot.text import fold

#: The content folder of this checkout; ``WELCOME_GUIDE_KNOWLEDGE`` points elsewhere.
DEFAULT_KNOWLEDGE_DIR = Path(
    os.environ.get("WELCOME_GUIDE_KNOWLEDGE", Path(__file__).resolve().parents[2] / "knowledge")
)
TOPICS_DIR = "topics"
PHRASES_FILE = "phrases.yml"

_Loc = Tuple[Any, ...]
T = TypeVar("T")


def load_knowledge(directory: Path | str = DEFAULT_KNOWLEDGE_DIR) -> KnowledgeBase:
    """Load and validate the whole knowledge base in ``directory``.

    Raises:
        KnowledgeError: listing every problem found in any file.
    """
    directory = Path(directory)
    problems: List[Problem] = []
    loaded: List[_LoadedTopic] = []
    for path in _topic_files(directory, problems):
        topic = _load_topic(path, directory, problems)
        if topic is not None:
            loaded.append(topic)
    problems += _duplicate_ids(loaded)
    problems += _duplicate_questions(loaded)
    phrases = _load_phrases(directory / PHRASES_FILE, directory, problems)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase({t.topic.topic: t.topic for t in loaded}, phrases)


def load_phrases(directory: Path | str = DEFAULT_KNOWLEDGE_DIR) -> Phrases:
    """Load and validate only the guide's own phrases (``phrases.yml``).

    Raises:
        KnowledgeError: if the file is broken.
    """
    directory = Path(directory)
    problems: List[Problem] = []
    phrases = _load_phrases(directory / PHRASES_FILE, directory, problems)
    if problems:
        raise KnowledgeError(problems)
    return phrases


@functools.lru_cache(maxsize=1)
def shared_phrases() -> Phrases:
    """The guide's phrases from the default folder, loaded once per process.

    For channels, which need a few sentences (apologies, labels) on their own.
    """
    return load_phrases()


class _LoadedTopic(NamedTuple):
    """A valid topic with where it came from, for problems found across files."""

    topic: Topic
    shown: str
    root: yaml.Node


def _topic_files(directory: Path, problems: List[Problem]) -> List[Path]:
    files = sorted((directory / TOPICS_DIR).glob("*/*.yml"))
    if not files:
        problems.append(Problem(_shown(directory / TOPICS_DIR, directory), None, "", "no topic files found"))
    return files


def _load_topic(path: Path, directory: Path, problems: List[Problem]) -> Optional[_LoadedTopic]:
    parsed = _parse(path, directory, problems, Topic.parse_obj)
    if parsed is None:
        return None
    topic, shown, root = parsed
    if topic.topic != path.stem:
        problems.append(Problem(shown, _line(root, ("topic",)), "topic",
                                f"the id '{topic.topic}' must match the file name '{path.stem}'"))
    if topic.category != path.parent.name:
        problems.append(Problem(shown, _line(root, ("category",)), "category",
                                f"'{topic.category}' must match the folder '{path.parent.name}'"))
    return _LoadedTopic(topic, shown, root)


def _load_phrases(path: Path, directory: Path, problems: List[Problem]) -> Optional[Phrases]:
    # The phrases are validated as the field ``texts``; drop it from reported places.
    parsed = _parse(path, directory, problems, lambda data: Phrases(texts=data), drop_prefix=1)
    return parsed[0] if parsed else None


def _parse(path: Path, directory: Path, problems: List[Problem], build: Callable[[dict], T],
           drop_prefix: int = 0) -> Optional[Tuple[T, str, yaml.Node]]:
    """Read ``path`` and ``build`` a model from it; problems go to ``problems``."""
    shown = _shown(path, directory)
    parsed = _read_yaml(path, shown, problems)
    if parsed is None:
        return None
    data, root = parsed
    try:
        return build(data), shown, root
    except ValidationError as error:
        problems += _validation_problems(error, shown, root, drop_prefix)
        return None


def _read_yaml(path: Path, shown: str, problems: List[Problem]) -> Optional[Tuple[Any, yaml.Node]]:
    """Parse a YAML file, keeping its node tree to find line numbers later."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(shown, None, "", f"cannot be read: {error}"))
        return None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem(shown, mark.line + 1 if mark else None, "",
                                f"is not valid YAML: {getattr(error, 'problem', error)}"))
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "", "must be a mapping of fields (key: value)"))
        return None
    return data, root


def _validation_problems(error: ValidationError, shown: str, root: yaml.Node,
                         drop_prefix: int = 0) -> List[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"][drop_prefix:])
        message = item["msg"]
        if item["type"] == "value_error.extra":
            message = "unknown field (misspelt?)"
        elif item["type"] == "value_error.missing":
            message = "this field is missing"
        problems.append(Problem(shown, _line(root, loc), ".".join(map(str, loc)), message))
    return problems


def _line(node: Optional[yaml.Node], loc: _Loc) -> Optional[int]:
    """The 1-based line of the YAML element at ``loc``, or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        node = _child(node, key)
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _child(node: Optional[yaml.Node], key: Any) -> Optional[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


_PUNCTUATION = re.compile(r"[\s?!.,;:¿¡؟،]+")


def question_key(question: str) -> str:
    """How two training questions are compared: case, accents and punctuation folded."""
    return _PUNCTUATION.sub(" ", fold(question)).strip()


def _duplicate_ids(loaded: List[_LoadedTopic]) -> Iterator[Problem]:
    seen: Dict[str, str] = {}
    for topic, shown, root in loaded:
        if topic.topic in seen:
            yield Problem(shown, _line(root, ("topic",)), "topic",
                          f"the id '{topic.topic}' is also used by {seen[topic.topic]}")
        seen.setdefault(topic.topic, shown)


def _duplicate_questions(loaded: List[_LoadedTopic]) -> Iterator[Problem]:
    """A question may lead to one topic only, or the guide cannot learn which."""
    first_seen: Dict[str, Tuple[str, str]] = {}
    for topic, shown, root in loaded:
        for language, translation in topic.languages.items():
            for index, question in enumerate(translation.questions):
                key = question_key(question)
                if key not in first_seen:
                    first_seen[key] = (topic.topic, language)
                    continue
                other_topic, other_language = first_seen[key]
                place = "this topic" if other_topic == topic.topic else f"topic '{other_topic}'"
                loc = ("languages", language, "questions", index)
                yield Problem(shown, _line(root, loc), ".".join(map(str, loc[:3])),
                              f"'{question}' also appears in {place} ({other_language})")


def _shown(path: Path, directory: Path) -> str:
    """A path as an editor knows it: relative to the project folder when possible."""
    try:
        return str(path.relative_to(directory.parent))
    except ValueError:
        return str(path)

"""Reading and validating the ``knowledge/`` folder.

Every file is checked completely and all problems are collected before
anything is returned, so an editor sees the whole list at once, each with its
file, line and field. :func:`load_knowledge` gives the guide a knowledge base
only when there is no problem at all; :func:`inspect_knowledge` gives editors'
tools whatever could be read, beside the problems, so that e.g. a topic whose
translations are not written yet can still be exported for translators.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple, TypeVar

import yaml
from pydantic import ValidationError

from bot.knowledge.errors import KnowledgeError, Problem
from bot.knowledge.model import ORIGINAL, KnowledgeBase, Phrases, Topic
from bot.language.supported import SUPPORTED_LANGUAGES
from bot.text import fold

#: The content folder of this checkout; ``WELCOME_GUIDE_KNOWLEDGE`` points elsewhere.
DEFAULT_KNOWLEDGE_DIR = Path(
    os.environ.get("WELCOME_GUIDE_KNOWLEDGE", Path(__file__).resolve().parents[2] / "knowledge")
)
TOPICS_DIR = "topics"
PHRASES_FILE = "phrases.yml"

_Loc = Tuple[Any, ...]
T = TypeVar("T")
# libyaml's parser reads the folder about 15 times faster than the pure-Python
# one (0.1 s instead of 1.3 s), which matters when the guide reloads it live.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_knowledge(directory: Path | str = DEFAULT_KNOWLEDGE_DIR) -> KnowledgeBase:
    """Load and validate the whole knowledge base in ``directory``.

    Raises:
        KnowledgeError: listing every problem found in any file.
    """
    inspection = inspect_knowledge(directory)
    if inspection.problems or inspection.phrases is None:
        raise KnowledgeError(inspection.problems)
    return KnowledgeBase({f.topic.topic: f.topic for f in inspection.files}, inspection.phrases)


class TopicFile(NamedTuple):
    """A topic read from its file, with where it came from, to point editors at lines."""

    topic: Topic
    shown: str
    root: yaml.Node
    path: Path

    def line(self, *loc: Any) -> Optional[int]:
        """The line of the element at ``loc`` (e.g. ``"languages", "de", "answer"``)."""
        return _line(self.root, loc)


class Inspection(NamedTuple):
    """Everything that could be read from a knowledge folder, and every problem found."""

    files: List[TopicFile]
    phrases: Optional[Phrases]
    problems: List[Problem]


def inspect_knowledge(directory: Path | str = DEFAULT_KNOWLEDGE_DIR) -> Inspection:
    """Read the whole knowledge base in ``directory`` without stopping at problems.

    The topics are those whose files could be read and match the schema; the
    problems include those of the other files and those found across files.
    """
    directory = Path(directory)
    problems: List[Problem] = []
    loaded: List[TopicFile] = []
    for path in _topic_files(directory, problems):
        topic = _load_topic(path, directory, problems)
        if topic is not None:
            loaded.append(topic)
    problems += _duplicate_ids(loaded)
    problems += _duplicate_questions(loaded)
    problems += _unknown_next_topics(loaded)
    phrases = _load_phrases(directory / PHRASES_FILE, directory, problems)
    return Inspection(loaded, phrases, problems)


def load_phrases(directory: Path | str = DEFAULT_KNOWLEDGE_DIR) -> Phrases:
    """Load and validate only the guide's own phrases (``phrases.yml``).

    Raises:
        KnowledgeError: if the file is broken.
    """
    directory = Path(directory)
    problems: List[Problem] = []
    phrases = _load_phrases(directory / PHRASES_FILE, directory, problems)
    if problems or phrases is None:
        raise KnowledgeError(problems)
    return phrases


def _topic_files(directory: Path, problems: List[Problem]) -> List[Path]:
    files = sorted((directory / TOPICS_DIR).glob("*/*.yml"))
    if not files:
        problems.append(Problem(_shown(directory / TOPICS_DIR, directory), None, "", "no topic files found"))
    return files


def _load_topic(path: Path, directory: Path, problems: List[Problem]) -> Optional[TopicFile]:
    parsed = _parse(path, directory, problems, Topic.parse_obj)
    if parsed is None:
        return None
    topic, shown, root = parsed
    if topic.topic != path.stem:
        problems.append(
            Problem(
                shown,
                _line(root, ("topic",)),
                "topic",
                f"the id '{topic.topic}' must match the file name '{path.stem}'",
            )
        )
    if topic.category != path.parent.name:
        problems.append(
            Problem(
                shown,
                _line(root, ("category",)),
                "category",
                f"'{topic.category}' must match the folder '{path.parent.name}'",
            )
        )
    loaded = TopicFile(topic, shown, root, path)
    problems += _language_problems(loaded)
    return loaded


def _language_problems(loaded: TopicFile) -> Iterator[Problem]:
    """Every language written, and exactly one of them the original the others are translated from."""
    topic, shown = loaded.topic, loaded.shown
    missing = [code for code in SUPPORTED_LANGUAGES if code not in topic.languages]
    if missing:
        yield Problem(shown, loaded.line("languages"), "languages", f"missing language {', '.join(missing)}")
    originals = [code for code, t in topic.languages.items() if t.status == ORIGINAL]
    if not originals:
        yield Problem(
            shown,
            loaded.line("languages"),
            "languages",
            "no language has 'status: original'; mark the one the others are translated from",
        )
    elif len(originals) > 1:
        yield Problem(
            shown,
            loaded.line("languages", originals[1], "status"),
            "languages",
            f"{' and '.join(originals)} are both 'original'; only one language can be, "
            "the others are translated from it",
        )
    for code in originals:
        if topic.languages[code].translated_from is not None:
            yield Problem(
                shown,
                loaded.line("languages", code, "translated_from"),
                f"languages.{code}.translated_from",
                "the original is not translated from anything; remove this line",
            )


def _load_phrases(path: Path, directory: Path, problems: List[Problem]) -> Optional[Phrases]:
    # The phrases are validated as the field ``texts``; drop it from reported places.
    parsed = _parse(path, directory, problems, lambda data: Phrases(texts=data), drop_prefix=1)
    return parsed[0] if parsed else None


def _parse(
    path: Path, directory: Path, problems: List[Problem], build: Callable[[dict], T], drop_prefix: int = 0
) -> Optional[Tuple[T, str, yaml.Node]]:
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
    loader = _YamlLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(
            Problem(
                shown, mark.line + 1 if mark else None, "", f"is not valid YAML: {getattr(error, 'problem', error)}"
            )
        )
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "", "must be a mapping of fields (key: value)"))
        return None
    return data, root


def _validation_problems(error: ValidationError, shown: str, root: yaml.Node, drop_prefix: int = 0) -> List[Problem]:
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


def _duplicate_ids(loaded: List[TopicFile]) -> Iterator[Problem]:
    seen: Dict[str, str] = {}
    for topic, shown, root, _ in loaded:
        if topic.topic in seen:
            yield Problem(
                shown, _line(root, ("topic",)), "topic", f"the id '{topic.topic}' is also used by {seen[topic.topic]}"
            )
        seen.setdefault(topic.topic, shown)


def _unknown_next_topics(loaded: List[TopicFile]) -> Iterator[Problem]:
    """A topic offered as a button must exist, or the button leads nowhere."""
    known = {topic.topic for topic, *_ in loaded}
    for topic, shown, root, _ in loaded:
        for index, next_topic in enumerate(topic.next_topics):
            if next_topic not in known:
                yield Problem(
                    shown,
                    _line(root, ("next_topics", index)),
                    "next_topics",
                    f"there is no topic '{next_topic}' to offer",
                )


def _duplicate_questions(loaded: List[TopicFile]) -> Iterator[Problem]:
    """A question may lead to one topic only, or the guide cannot learn which."""
    first_seen: Dict[str, Tuple[str, str]] = {}
    for topic, shown, root, _ in loaded:
        for language, translation in topic.languages.items():
            for index, question in enumerate(translation.questions):
                key = question_key(question)
                if key not in first_seen:
                    first_seen[key] = (topic.topic, language)
                    continue
                other_topic, other_language = first_seen[key]
                place = "this topic" if other_topic == topic.topic else f"topic '{other_topic}'"
                loc = ("languages", language, "questions", index)
                yield Problem(
                    shown,
                    _line(root, loc),
                    ".".join(map(str, loc[:3])),
                    f"'{question}' also appears in {place} ({other_language})",
                )


def _shown(path: Path, directory: Path) -> str:
    """A path as an editor knows it: relative to the project folder when possible."""
    try:
        return str(path.relative_to(directory.parent))
    except ValueError:
        return str(path)

"""Grouping the unanswered questions into similar ones, so editors see what is asked most.

Within each language, questions are compared by the character n-grams of
their content words (TF-IDF, scikit-learn), which copes with typos,
inflections and word order as chat messages have them; words such as "wo",
"ich", "in" are left out with spaCy's stop-word list for the language, as
they would make "Wo kann ich mein Fahrrad reparieren?" look like "Wo kann
ich mein Auto ummelden?". Questions are joined by average-linkage
clustering (SciPy) while their cosine distance stays below a threshold.
Each group is shown by its most frequent wording, with the others as examples.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import re
from typing import Counter, Dict, FrozenSet, List, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.storage.unanswered import UnansweredQuestion
from bot.text import fold

#: Cosine distance below which two wordings count as the same question
#: (chosen on the examples in tests/test_editorial_unanswered.py).
DISTANCE_THRESHOLD = 0.7
#: Most distinct wordings grouped per language (the clustering needs memory quadratic in them).
MAX_WORDINGS = 2000
#: Wordings shown per group beside the most frequent one.
MAX_EXAMPLES = 5

_PUNCTUATION = re.compile(r"[\W_]+")
#: Words in so many of this guide's questions that they tell nothing about the topic.
PLACE_WORDS = frozenset(
    {
        "stuttgart",
        "germany",
        "deutschland",
        "almanya",
        "alemania",
        "ألمانيا",
        "المانيا",
        "німеччина",
        "німеччині",
        "германия",
        "германии",
    }
)


@dataclasses.dataclass
class QuestionGroup:
    """Similar questions in one language.

    Attributes:
        lang: Their language.
        question: The most frequent wording.
        count: How often any of them was asked.
        examples: Other wordings, the most frequent first.
        reasons: How often each reason (low confidence, 👎, ...) occurred.
        topics: For 👎 votes: how often each topic was answered.
    """

    lang: str
    question: str
    count: int
    examples: List[str]
    reasons: Counter[str]
    topics: Counter[str]


def group_questions(
    questions: Sequence[UnansweredQuestion], threshold: float = DISTANCE_THRESHOLD
) -> Dict[str, List[QuestionGroup]]:
    """The questions grouped per language, each language's largest groups first."""
    by_language: Dict[str, List[UnansweredQuestion]] = collections.defaultdict(list)
    for question in questions:
        by_language[question.lang].append(question)
    return {lang: _groups(lang, items, threshold) for lang, items in sorted(by_language.items())}


def _groups(lang: str, questions: List[UnansweredQuestion], threshold: float) -> List[QuestionGroup]:
    wordings: Dict[str, List[UnansweredQuestion]] = collections.defaultdict(list)
    for question in questions:
        wordings[_key(question.text)].append(question)
    keys = sorted(wordings, key=lambda k: -len(wordings[k]))[:MAX_WORDINGS]
    stop_words = _stop_words(lang)
    labels = _cluster([_content(key, stop_words) for key in keys], threshold)
    members: Dict[int, List[str]] = collections.defaultdict(list)
    for key, label in zip(keys, labels, strict=True):
        members[label].append(key)
    groups = [_group(lang, [wordings[k] for k in member_keys]) for member_keys in members.values()]
    return sorted(groups, key=lambda g: (-g.count, g.question))


def _key(text: str) -> str:
    """How two wordings are compared: case, accents and punctuation ignored."""
    return _PUNCTUATION.sub(" ", fold(text)).strip() or text


@functools.lru_cache(maxsize=None)
def _stop_words(lang: str) -> FrozenSet[str]:
    """The language's function words, folded like the questions; none for a language spaCy lacks."""
    import spacy.util  # slow to import (it loads thinc); only the report needs it

    try:
        words = spacy.util.get_lang_class(lang).Defaults.stop_words
    except ImportError:
        words = set()
    return frozenset(fold(word) for word in words | PLACE_WORDS)


def _content(key: str, stop_words: FrozenSet[str]) -> str:
    """The content words of a question; all its words if it has nothing else ("wo?")."""
    return " ".join(word for word in key.split() if word not in stop_words) or key


def _cluster(keys: List[str], threshold: float) -> List[int]:
    if len(keys) < 2:
        return [1] * len(keys)
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(keys)
    distances = np.nan_to_num(pdist(vectors.toarray(), metric="cosine"), nan=1.0)
    return list(fcluster(linkage(distances, method="average"), t=threshold, criterion="distance"))


def _group(lang: str, wordings: List[List[UnansweredQuestion]]) -> QuestionGroup:
    """One group from its wordings, each a list of the questions asked that way."""
    wordings = sorted(wordings, key=lambda w: (-len(w), len(w[0].text)))
    asked = [question for wording in wordings for question in wording]
    return QuestionGroup(
        lang=lang,
        question=wordings[0][0].text,
        count=len(asked),
        examples=[wording[0].text for wording in wordings[1 : 1 + MAX_EXAMPLES]],
        reasons=collections.Counter(q.reason for q in asked),
        topics=collections.Counter(q.topic for q in asked if q.topic),
    )

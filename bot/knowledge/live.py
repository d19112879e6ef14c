"""The knowledge base as it is on disk now: edits take effect without a restart.

Editors change answers while the guide runs. :class:`LiveKnowledge` looks at
the files' modification times at most every ``interval`` seconds (49 ``stat``
calls, microseconds) and, when something changed, loads and validates the
whole folder again. The new content replaces the old in one assignment, and
only when all of it is valid:

- a file still being written is not read: changes younger than ``settle``
  seconds wait for the next look, and a folder that changed while it was being
  read is read again later rather than used;
- a broken file (invalid YAML, a missing field, a half-saved text) leaves the
  guide answering from the last good content, and the problems are logged
  with file and line, once per broken state.

Each process builds one holder at its entry point and passes it to every
reader: the action server's actions, the Rasa server's channels (phrases:
labels, apologies), the counsellor console.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable, Optional, Tuple

from bot.knowledge.errors import KnowledgeError
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, PHRASES_FILE, TOPICS_DIR, load_knowledge
from bot.knowledge.model import KnowledgeBase

logger = logging.getLogger(__name__)

#: How often the files are looked at, at most (seconds).
CHECK_INTERVAL_SECONDS = 2.0
#: How long a changed file must have been left alone before it is read (seconds).
SETTLE_SECONDS = 1.0

_FileState = Tuple[Tuple[str, int, int], ...]


class LiveKnowledge:
    """The knowledge base of one folder, reloaded when its files change and are valid.

    Safe to call from several threads: one caller reloads while the others
    keep getting the content they had.
    """

    def __init__(
        self,
        directory: Path | str = DEFAULT_KNOWLEDGE_DIR,
        *,
        interval: float = CHECK_INTERVAL_SECONDS,
        settle: float = SETTLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory)
        self._interval = interval
        self._settle = settle
        self._clock = clock
        self._lock = threading.Lock()
        self._knowledge: Optional[KnowledgeBase] = None
        self._loaded_state: Optional[_FileState] = None
        self._rejected_state: Optional[_FileState] = None
        self._next_check = 0.0

    def current(self) -> KnowledgeBase:
        """The newest valid knowledge base.

        Raises:
            KnowledgeError: only if the folder has never been valid since this
                holder was made (a guide must not start with broken content).
        """
        if self._knowledge is None:
            with self._lock:
                if self._knowledge is None:
                    state = _file_state(self.directory)
                    self._knowledge, self._loaded_state = load_knowledge(self.directory), state
                    self._next_check = self._clock() + self._interval
            return self._knowledge
        if self._clock() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                self._next_check = self._clock() + self._interval
                self._reload_if_changed()
            finally:
                self._lock.release()
        return self._knowledge

    def _reload_if_changed(self) -> None:
        state = _file_state(self.directory)
        if state in (self._loaded_state, self._rejected_state) or self._being_written(state):
            return
        try:
            knowledge = load_knowledge(self.directory)
        except KnowledgeError as error:
            self._rejected_state = state
            logger.error(
                "The changed knowledge base has problems; still answering from the previous content.\n%s",
                error.report(),
            )
            return
        if _file_state(self.directory) != state:
            return  # changed while it was read: read it again at the next look
        self._knowledge, self._loaded_state = knowledge, state
        logger.info("Reloaded the knowledge base: %d topics.", len(knowledge))

    def _being_written(self, state: _FileState) -> bool:
        newest = max((modified for _, modified, _ in state), default=0)
        return newest / 1e9 > time.time() - self._settle


def _file_state(directory: Path) -> _FileState:
    """Name, modification time and size of every content file: what changes when an editor saves."""
    paths = sorted((directory / TOPICS_DIR).glob("*/*.yml")) + [directory / PHRASES_FILE]
    state = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue  # removed meanwhile; the set of names tells
        state.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(state)

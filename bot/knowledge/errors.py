"""Problems found in content files, worded for editors."""

from __future__ import annotations

import dataclasses
from typing import Iterable, Optional


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one content file.

    Attributes:
        path: The file, relative to the project when possible.
        line: The line the problem is on (1-based), if known.
        field: Where in the file, e.g. ``languages.de.answer``.
        message: What is wrong, in plain words.
    """

    path: str
    line: Optional[int]
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class KnowledgeError(Exception):
    """The knowledge base cannot be used; ``problems`` says why, file by file."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field))
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, with a count first."""
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the knowledge base:"
        return "\n".join([header, *(f"  {problem}" for problem in self.problems)])

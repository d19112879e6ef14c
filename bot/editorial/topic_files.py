"""Changing topic files as an editor would: only the fields that change.

Tools that write translations back (import, minor changes) go through
ruamel.yaml's round trip, which keeps comments, key order, quoting and the
folded text blocks of the rest of the file exactly as the editor left them.
New answers are folded into lines like the existing ones. A file is written
to a temporary file beside it and then renamed over the old one, so the
running guide never reads it half-written.
"""

from __future__ import annotations

import io
import os
import tempfile
import textwrap
from pathlib import Path
from typing import List, Optional

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

#: Longest line of a folded answer, as the files are written by hand (6 spaces of indentation + 72).
TEXT_WIDTH = 72


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True  # type: ignore[assignment]  # (ruamel's stubs say None)
    yaml.width = 4096  # type: ignore[assignment]  # never re-wrap what editors wrapped
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_topic(path: Path) -> CommentedMap:
    """A topic file as an editable tree."""
    return _yaml().load(path.read_text(encoding="utf-8"))


def write_topic(path: Path, data: CommentedMap) -> None:
    """Write ``data`` to ``path`` at once: readers see the old file or the new one, never a part."""
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    # The suffix keeps the temporary file out of the loader's "*.yml".
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(buffer.getvalue())
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def set_translation(
    data: CommentedMap,
    language: str,
    *,
    status: str,
    translated_from: str,
    answer: Optional[str] = None,
    questions: Optional[List[str]] = None,
) -> None:
    """Record a translation of the topic in ``language``: its status, version and, if given, texts.

    A language the file does not have yet is added after the others.
    """
    languages = data["languages"]
    if language not in languages:
        languages[language] = CommentedMap()
    section = languages[language]
    _put_after(section, "status", status, None)
    _put_after(section, "translated_from", translated_from, "status")
    if answer is not None:
        _put_after(section, "answer", block_text(answer), "translated_from")
    if questions is not None:
        _put_after(section, "questions", CommentedSeq(questions), "answer")


def block_text(text: str) -> str:
    """``text`` as a YAML block: folded into lines of ``TEXT_WIDTH`` (``>-``), or literal if it has line breaks."""
    text = text.strip()
    if "\n" in text:
        return LiteralScalarString(text)
    text = " ".join(text.split())
    folded = FoldedScalarString(text)
    lines = textwrap.wrap(text, TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)
    positions, offset = [], 0
    for line in lines[:-1]:
        offset += len(line)
        positions.append(offset)  # the space between this line and the next
        offset += 1
    folded.fold_pos = positions
    return folded


def _put_after(section: CommentedMap, key: str, value, after: Optional[str]) -> None:
    """Set ``section[key]``, placing a new key right after ``after`` (or first)."""
    if key in section:
        section[key] = value
        return
    keys = list(section.keys())
    position = keys.index(after) + 1 if after in keys else 0
    section.insert(position, key, value)

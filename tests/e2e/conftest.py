"""The second guide of the end-to-end tests: the one whose settings differ from the shared guide's.

Most tests here use the session's shared guide (``guide``, see
``tests/conftest.py``). Some need what that guide cannot give, and share
:func:`plain_guide` instead, which runs only while this folder's tests run:

- the editors' tests change answers in the knowledge folder and count every
  unanswered question in the guide's database: a private copy of
  ``knowledge/`` and a database no other test writes to;
- a guide without Telegram credentials (its webhook must say so);
- counsellors off duty from the start (no action-server restart needed).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from bot.editorial.topic_files import read_topic, set_translation, write_topic
from bot.knowledge import load_knowledge
from bot.knowledge.status import answer_version
from tests.support import PROJECT_DIR, Guide, running_guide, settings_file

#: The topic the editors' tests change, relative to the knowledge folder.
DEPOSIT = Path("topics/housing/housing_deposit.yml")


def _german_original(knowledge: Path) -> None:
    """Make German the original of the deposit topic, as for a topic an editor wrote in German."""
    path = knowledge / DEPOSIT
    data = read_topic(path)
    german = " ".join(str(data["languages"]["de"]["answer"]).split())
    data["languages"]["de"]["status"] = "original"
    del data["languages"]["de"]["translated_from"]
    for language in ("en", "tr", "ar", "uk", "es"):
        set_translation(data, language, status="translated", translated_from=answer_version("de", german))
    write_topic(path, data)
    load_knowledge(knowledge)  # still valid


@pytest.fixture(scope="package")
def plain_guide(trained_model: Path, tmp_path_factory) -> Iterator[Guide]:
    """A guide without Telegram, counsellors off duty, on its own copy of knowledge/ (German deposit original)."""
    folder = tmp_path_factory.mktemp("plain-guide")
    knowledge = folder / "knowledge"
    shutil.copytree(PROJECT_DIR / "knowledge", knowledge)
    _german_original(knowledge)
    env = {
        "WELCOME_GUIDE_KNOWLEDGE": str(knowledge),
        "HANDOFF_SETTINGS": str(settings_file(folder, open_now=False)),
        "TELEGRAM_TOKEN": "",
        "TELEGRAM_WEBHOOK_SECRET": "",
        "TELEGRAM_API_BASE_URL": "",
    }
    with running_guide(trained_model, folder, env) as running:
        running.knowledge = knowledge
        yield running

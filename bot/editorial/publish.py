"""``make publish``: put the checked content into the running guide.

- Answer texts, sources and the guide's phrases need nothing: the action
  server reloads the files by itself (:mod:`bot.knowledge.live`).
- Training questions (and topics added or removed) change what the model
  must recognise: the model is retrained and the running Rasa server is told
  to load it through its HTTP API (``PUT /model``). Conversations are kept in
  the tracker store, so they go on with the new model.

Whether training is needed is decided by a fingerprint of exactly what the
training reads from the content (topic ids, languages, questions) plus the
other training files; it is kept beside the model after each publish. So
fixing a typo in an answer does not start a training run.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, List, Optional

from bot.editorial.check import check_content, render
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, inspect_knowledge
from bot.secret_files import API_TOKEN_FILE, API_TOKEN_VARIABLE, existing_secret

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = PROJECT_DIR / "models" / "guide.tar.gz"
DEFAULT_URL = "http://localhost:5005"
#: Loading a model takes Rasa some seconds; a slow machine gets this long.
SWAP_TIMEOUT_SECONDS = 300


def training_fingerprint(knowledge_dir: Path | str = DEFAULT_KNOWLEDGE_DIR, project_dir: Path = PROJECT_DIR) -> str:
    """A hash of everything the model is trained from, and of nothing else (answers are not)."""
    digest = hashlib.sha256()
    for name in training_code(project_dir):
        digest.update(name.encode() + b"\0" + (project_dir / name).read_bytes() + b"\0")
    for file in sorted(inspect_knowledge(knowledge_dir).files, key=lambda f: f.topic.topic):
        for language, translation in sorted(file.topic.languages.items()):
            digest.update("\0".join([file.topic.topic, language, *translation.questions]).encode() + b"\1")
    return digest.hexdigest()


def training_code(project_dir: Path = PROJECT_DIR) -> List[str]:
    """The training's files besides the knowledge base, as the Makefile lists them (``make training-code``)."""
    listed = subprocess.run(
        ["make", "-s", "--no-print-directory", "training-code"],
        cwd=project_dir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(listed.split())


def fingerprint_file(model: Path) -> Path:
    """Where the fingerprint of the data ``model`` was trained from is kept."""
    return model.with_name(model.name + ".training-data")


def api_token(project_dir: Path = PROJECT_DIR) -> Optional[str]:
    """The Rasa HTTP API's token, as ``python -m bot.serve`` keeps it."""
    return existing_secret(API_TOKEN_VARIABLE, project_dir / "var" / API_TOKEN_FILE)


def replace_model(url: str, model: Path, token: Optional[str]) -> None:
    """Tell the Rasa server at ``url`` to answer with ``model`` from now on.

    Raises:
        urllib.error.URLError: if no guide runs there or it refuses the model.
    """
    query = f"?{urllib.parse.urlencode({'token': token})}" if token else ""
    request = urllib.request.Request(
        f"{url.rstrip('/')}/model{query}",
        method="PUT",
        data=json.dumps({"model_file": str(model.resolve())}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=SWAP_TIMEOUT_SECONDS):
        pass


def publish(
    url: str = DEFAULT_URL,
    model: Path = DEFAULT_MODEL,
    knowledge_dir: Path | str = DEFAULT_KNOWLEDGE_DIR,
    train: Callable[[], None] = lambda: _make(["train"]),
    token: Optional[str] = None,
    say: Callable[[str], None] = print,
) -> int:
    """Check the content, retrain if the training data changed, and swap the model in; the exit status."""
    check = check_content(knowledge_dir)
    if not check.ok:
        say(render(check))
        return 1
    fingerprint = training_fingerprint(knowledge_dir)
    stamp = fingerprint_file(model)
    if model.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint:
        say(
            "Only answers or other texts changed: the running guide shows them within a few seconds, "
            "no training needed."
        )
        return 0
    say("The training questions changed: training the model (a few seconds to about 5 minutes) ...")
    train()
    stamp.write_text(fingerprint + "\n")
    try:
        replace_model(url, model, token or api_token())
    except urllib.error.HTTPError as error:
        say(f"The guide at {url} did not take the new model: {error}.")
        return 1
    except (urllib.error.URLError, OSError) as error:
        say(
            f"The new model is trained; no guide answers at {url} ({error}), so it is used at the next "
            "start (make run)."
        )
        return 0
    say(f"The guide at {url} now answers with the new model; conversations go on.")
    return 0


def _make(targets: List[str]) -> None:
    subprocess.run(["make", "-s", *targets], cwd=PROJECT_DIR, check=True)

"""A real guide for end-to-end tests: the trained model, the action server and the Rasa server.

The model is trained with ``make train`` (which does nothing when it is up to
date) and both servers are started with ``python -m bot.serve`` on free ports,
with their own SQLite database, exactly as ``make run`` does.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, NamedTuple, Optional

import pytest

from bot.serve import wait_until_up

PROJECT_DIR = Path(__file__).resolve().parents[2]
MODEL = PROJECT_DIR / "models" / "guide.tar.gz"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Guide:
    """A running guide, talked to over Rasa's REST channel like a chat widget would."""

    def __init__(self, process: subprocess.Popen, url: str) -> None:
        self.process = process
        self.url = url

    def ask(self, message: str, sender: str | None = None) -> List[dict]:
        body = json.dumps({"sender": sender or uuid.uuid4().hex, "message": message}).encode()
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))


def element(reply: List[dict]) -> dict:
    """The one structured element of a reply (docs/answer-contract.md)."""
    customs = [m["custom"] for m in reply if "custom" in m]
    assert len(customs) == 1, reply
    return customs[0]


def texts(reply: List[dict]) -> List[str]:
    return [m["text"] for m in reply if "text" in m]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    subprocess.run(["make", "-s", "train"], cwd=PROJECT_DIR, check=True)
    return MODEL


class RunningGuide(NamedTuple):
    """A guide started by :func:`running_guide`."""

    url: str
    process: subprocess.Popen
    var_dir: Path
    #: The counsellor console's address.
    console_url: str = ""

    @property
    def database_url(self) -> str:
        """The guide's database (handoffs, accounts), unless the test named another."""
        return os.environ.get("GUIDE_DATABASE_URL") or f"sqlite:///{self.var_dir / 'guide.db'}"


@contextlib.contextmanager
def running_guide(model: Path, var_dir: Path, env: Optional[Dict[str, str]] = None,
                  log: Optional[Path] = None, ready_path: str = "/webhooks/rest/") -> Iterator[RunningGuide]:
    """Start the guide as ``make run`` does (``python -m bot.serve``) on free ports, and stop it after.

    Args:
        model: The trained model.
        var_dir: The guide's own folder for its databases.
        env: Extra environment variables (channel settings, tokens).
        log: A file for the servers' output (default: the test's output).
        ready_path: The path that answers once the guide is up.
    """
    port, actions_port, console_port = _free_port(), _free_port(), _free_port()
    environment = {**os.environ, "RASA_API_TOKEN": "e2e-token", **(env or {})}
    with open(log, "wb") if log else contextlib.nullcontext() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.serve", "--model", str(model), "--port", str(port),
             "--actions-port", str(actions_port), "--console-port", str(console_port),
             "--var-dir", str(var_dir)],
            cwd=PROJECT_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT if log else None,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + ready_path, 300, {"guide": process})
        yield RunningGuide(url, process, var_dir, f"http://127.0.0.1:{console_port}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


@pytest.fixture(scope="session")
def guide(trained_model: Path, tmp_path_factory) -> Iterator[Guide]:
    with running_guide(trained_model, tmp_path_factory.mktemp("var")) as running:
        yield Guide(running.process, running.url)


def child_pid(parent: int, command_part: str) -> int:
    """The pid of ``parent``'s child process whose command line contains ``command_part``."""
    for task in Path(f"/proc/{parent}/task").iterdir():
        for pid in (task / "children").read_text().split():
            if command_part in Path(f"/proc/{pid}/cmdline").read_text():
                return int(pid)
    raise LookupError(command_part)

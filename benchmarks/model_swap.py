"""Measure what replacing the model of a running guide costs: time, memory, conversations.

    .venv/bin/python -m benchmarks.model_swap [--model models/guide.tar.gz] [--swaps 6]

Starts the guide with ``python -m bot.serve`` (its own databases in a
temporary folder), holds one conversation open, and replaces the model
through Rasa's HTTP API (``PUT /model``, what ``make publish`` does) several
times in a row. After each swap it asks the open conversation a question and
reads the Rasa server's resident memory from /proc (Linux). Prints a Markdown
table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import List, Tuple

from benchmarks.run import _ask, _children, _rss_mb
from bot.serve import free_port, start_in_background, wait_until_up

PROJECT_DIR = Path(__file__).resolve().parents[1]
TOKEN = "swap-benchmark"
#: Memory read this long after a swap, once Rasa has dropped what it will drop.
SETTLE_SECONDS = 3


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


def _swap(url: str, model: Path) -> float:
    request = urllib.request.Request(
        f"{url}/model?token={TOKEN}",
        method="PUT",
        data=json.dumps({"model_file": str(model.resolve())}).encode(),
        headers={"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        assert response.status == 204, response.status
    return time.perf_counter() - start


def _language_kept(url: str, sender: str) -> bool:
    """Whether the conversation still answers a short "ok" in Turkish: only its tracker knows that."""
    body = json.dumps({"sender": sender, "message": "ok"}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        reply = json.loads(response.read())
    return any(m.get("custom", {}).get("lang") == "tr" for m in reply)


def measure(model: Path, swaps: int) -> List[Tuple[str, str, str, str]]:
    port, actions_port, console_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory() as var_dir:
        env = {**os.environ, "RASA_API_TOKEN": TOKEN}
        guide = start_in_background(model, var_dir, (port, actions_port, console_port), env)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(f"{url}/webhooks/rest/", 300, {"guide": guide})
            rasa = next(pid for pid in _children(guide.pid) if "bot.rasa_server" in _command(pid))
            sender = f"swap-{uuid.uuid4().hex}"
            _ask(url, sender, "Merhaba, Kaution ne kadar olabilir?")
            time.sleep(SETTLE_SECONDS)
            rows = [("before", "", f"{_rss_mb(rasa):.0f}", "")]
            for number in range(1, swaps + 1):
                seconds = _swap(url, model)
                kept = _language_kept(url, sender)
                time.sleep(SETTLE_SECONDS)
                rows.append((str(number), f"{seconds:.1f}", f"{_rss_mb(rasa):.0f}", "yes" if kept else "NO"))
            return rows
        finally:
            guide.send_signal(signal.SIGTERM)
            guide.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.model_swap",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--model", default=str(PROJECT_DIR / "models" / "guide.tar.gz"))
    parser.add_argument("--swaps", type=int, default=6)
    args = parser.parse_args()
    rows = measure(Path(args.model), args.swaps)
    print("| swap | seconds | Rasa server memory (MB) | conversation went on |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

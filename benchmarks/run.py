"""Measure the guide on this machine: start-up time, reply latency, memory, training time.

    .venv/bin/python -m benchmarks.run [--model models/guide.tar.gz] [--train]

Starts the guide with ``python -m bot.serve`` on free ports (its own SQLite
database in a temporary folder), then sends the development questions
(``eval/dev``) as conversations of several messages each: once one
conversation at a time, once ten at the same time. Prints a Markdown table.
``--train`` also times a full training (``rasa train --force``) into a
temporary folder. Memory is the resident set size read from /proc (Linux).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List

from bot.serve import free_port, start_in_background, wait_until_up

PROJECT_DIR = Path(__file__).resolve().parents[1]
MESSAGES_PER_CONVERSATION = 6


def _questions() -> List[str]:
    lines = [
        json.loads(line)
        for path in sorted((PROJECT_DIR / "eval" / "dev").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [item["text"] for item in lines]


def _ask(url: str, sender: str, text: str) -> float:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return time.perf_counter() - start


def _conversation(url: str, texts: List[str]) -> List[float]:
    sender = f"bench-{uuid.uuid4().hex}"
    return [_ask(url, sender, text) for text in texts]


def measure_latency(url: str, questions: List[str], concurrency: int) -> Dict[str, float]:
    chunks = [questions[i : i + MESSAGES_PER_CONVERSATION] for i in range(0, len(questions), MESSAGES_PER_CONVERSATION)]
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = [t for result in pool.map(lambda c: _conversation(url, c), chunks) for t in result]
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "n": len(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "throughput": len(latencies) / elapsed,
    }


def _children(pid: int) -> List[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


#: What each of the guide's processes runs -> the name it is reported under.
PROCESS_NAMES = {
    "actions.server": "action server",
    "bot.console": "counsellor console",
    "bot.rasa_server": "rasa server",
}


def _process_name(pid: int) -> str:
    command = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    return next((name for module, name in PROCESS_NAMES.items() if module in command), " ".join(command[:3]))


def measure_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--force", "--out", out],
            cwd=PROJECT_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(PROJECT_DIR / "models" / "guide.tar.gz"))
    parser.add_argument("--train", action="store_true", help="also time a full training")
    args = parser.parse_args()

    rows = []
    if args.train:
        rows.append(("training time (rasa train --force)", f"{measure_training():.0f} s"))
    port, actions_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as var_dir:
        started = time.perf_counter()
        guide = start_in_background(
            args.model, var_dir, (port, actions_port, free_port()), dict(os.environ, RASA_API_TOKEN="bench")
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(f"{url}/webhooks/rest/", 300, {"guide": guide})
            rows.append(
                (
                    "start-up time (both servers, until the REST channel answers)",
                    f"{time.perf_counter() - started:.1f} s",
                )
            )
            questions = _questions()
            _conversation(url, questions[:5])  # warm-up
            for concurrency in (1, 10):
                result = measure_latency(url, questions, concurrency)
                rows.append(
                    (
                        f"reply latency, {concurrency} concurrent conversation(s), {result['n']} messages",
                        f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
                        f"{result['throughput']:.1f} replies/s",
                    )
                )
            for pid in _children(guide.pid):
                rows.append((f"resident memory, {_process_name(pid)}", f"{_rss_mb(pid):.0f} MB"))
        finally:
            guide.send_signal(signal.SIGTERM)
            guide.wait(timeout=60)

    print(f"| measure ({os.cpu_count()} CPU cores) | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()

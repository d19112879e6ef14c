#!/usr/bin/env python3
"""Score a running guide on a question set, through its REST channel.

Each line of a question file is a JSON object:
    {"id": "de-001", "lang": "de", "text": "...", "expect": "<topic id | out_of_scope | request_human>"}

Every question is sent as the first message of a fresh conversation to
POST <url>/webhooks/rest/webhook, and the reply is read as docs/answer-contract.md
describes. Standard library only, so it runs with any Python 3.8+.

    python3 ask_eval.py --url http://localhost:5005 questions.jsonl [more.jsonl ...]

Prints a table per language (right, abstained, wrong, reply language right)
and, last, one summary line. --errors FILE writes every miss as JSON lines.
"""

import argparse
import collections
import concurrent.futures
import json
import statistics
import sys
import time
import urllib.error
import urllib.request
import uuid

NOT_TOPICS = {"out_of_scope", "request_human"}


def load(paths):
    items = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if line:
                    try:
                        items.append(json.loads(line))
                    except ValueError as e:
                        sys.exit(f"{path}:{n}: not JSON: {e}")
    return items


def ask(url, sender, text, timeout):
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(
        url.rstrip("/") + "/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        reply = json.loads(resp.read().decode("utf-8"))
    return reply, time.perf_counter() - start


def classify(reply):
    """Return (kind, topic, lang) from the reply's custom element."""
    for msg in reply if isinstance(reply, list) else []:
        custom = msg.get("custom") if isinstance(msg, dict) else None
        if isinstance(custom, dict) and custom.get("type"):
            kind = custom["type"]
            if kind == "answer":
                return "answer", custom.get("topic"), custom.get("lang")
            if kind == "handoff":
                return "handoff", "request_human", custom.get("lang")
            if kind == "fallback":
                return "fallback", "out_of_scope", custom.get("lang")
            if kind == "ask" and custom.get("topic"):
                # Asking where the user lives (etc.) before answering the right topic counts as answering it.
                return "answer", custom["topic"], custom.get("lang")
            return kind, kind, custom.get("lang")
    return "none", None, None


def judge(item, kind, topic):
    expect = item["expect"]
    if expect == "out_of_scope":
        return "right" if kind in ("fallback", "handoff") else "wrong"
    if expect == "request_human":
        return "right" if kind == "handoff" else ("abstained" if kind == "fallback" else "wrong")
    if kind == "answer":
        return "right" if topic == expect else "wrong"
    return "abstained" if kind in ("fallback", "handoff") else "wrong"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("questions", nargs="+")
    ap.add_argument("--url", default="http://localhost:5005")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--langs", help="comma-separated languages to score (default: all in the files)")
    ap.add_argument("--errors", help="write misses as JSON lines to this file")
    args = ap.parse_args()

    items = load(args.questions)
    if args.langs:
        keep = set(args.langs.split(","))
        items = [i for i in items if i["lang"] in keep]
    if not items:
        sys.exit("no questions to ask")
    run = uuid.uuid4().hex[:8]

    def one(item):
        try:
            reply, secs = ask(args.url, f"eval-{run}-{item['id']}", item["text"], args.timeout)
        except (urllib.error.URLError, OSError, ValueError) as e:
            return item, "error", None, None, None, str(e)
        kind, topic, lang = classify(reply)
        return item, kind, topic, lang, secs, reply

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        results = list(pool.map(one, items))

    per = collections.defaultdict(collections.Counter)
    latencies, misses = [], []
    for item, kind, topic, lang, secs, reply in results:
        c = per[item["lang"]]
        c["n"] += 1
        if kind == "error":
            c["error"] += 1
            misses.append({"item": item, "error": reply})
            continue
        latencies.append(secs)
        verdict = judge(item, kind, topic)
        c[verdict] += 1
        if lang == item["lang"]:
            c["lang_ok"] += 1
        if verdict != "right" or lang != item["lang"]:
            misses.append({"item": item, "got": {"kind": kind, "topic": topic, "lang": lang}, "reply": reply})

    print(f"{'lang':6}{'n':>5}{'right':>8}{'abstain':>9}{'wrong':>7}{'error':>7}{'lang ok':>9}")
    total = collections.Counter()
    for lang_code in sorted(per):
        c = per[lang_code]
        total.update(c)
        n = c["n"]
        print(
            f"{lang_code:6}{n:>5}{c['right'] / n:>8.1%}{c['abstained'] / n:>9.1%}{c['wrong'] / n:>7.1%}"
            f"{c['error']:>7}{c['lang_ok'] / n:>9.1%}"
        )
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as f:
            for m in misses:
                f.write(json.dumps(m, ensure_ascii=False) + "\n")
    n = total["n"]
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    print(
        f"accuracy {total['right'] / n:.3f} wrong {total['wrong'] / n:.3f} lang_ok {total['lang_ok'] / n:.3f} "
        f"errors {total['error']} over {n} questions; latency p50 {p50:.0f} ms p95 {p95:.0f} ms"
    )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Score a running guide on short conversations, through its REST channel.

Each line of a dialogue file is a JSON object:

    {"id": "de-r01", "lang": "de",
     "turns": ["Ich wohne in Esslingen.", "Wo ist die Ausländerbehörde?"],
     "expect": {"type": "answer", "topic": "residence_foreigners_office",
                "district": "08116", "place": "Esslingen", "text_has": ["Esslingen"]}}

All turns go, in order, to one fresh conversation (POST <url>/webhooks/rest/webhook);
only the reply to the last turn is judged, against the `custom` element that
docs/answer-contract.md describes. Keys of `expect`, all optional but `type`:

    type      answer | ask | fallback | handoff | smalltalk
    topic     the custom element's topic
    slot      the custom element's slot (for type ask)
    district  custom.place.district
    place     a part of custom.place.name (case-insensitive)
    in_region custom.place.in_region (true/false)
    text_has  strings that must all occur in the reply's text (case-insensitive)

A reply is right when every expectation holds, abstained when the guide fell
back although an answer or question was expected, and wrong otherwise.
Standard library only:

    python3 dialogue_eval.py --url http://localhost:5005 dialogues.jsonl [more.jsonl ...]
"""

import argparse
import collections
import concurrent.futures
import json
import statistics
import sys
import time
import urllib.request
import uuid


def load(paths):
    items = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        items.append(json.loads(line))
                    except ValueError as e:
                        sys.exit(f"{path}:{n}: not JSON: {e}")
    return items


def post(url, sender, text, timeout):
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(
        url.rstrip("/") + "/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        reply = json.loads(resp.read().decode("utf-8"))
    return reply, time.perf_counter() - start


def custom_of(reply):
    for msg in reply if isinstance(reply, list) else []:
        c = msg.get("custom") if isinstance(msg, dict) else None
        if isinstance(c, dict) and c.get("type"):
            return c
    return {}


def text_of(reply):
    return "\n".join(m.get("text", "") for m in reply if isinstance(m, dict) and m.get("text"))


def judge(expect, custom, text):
    kind = custom.get("type")
    misses = []
    if kind != expect["type"]:
        misses.append(f"type {kind}")
    if "topic" in expect and custom.get("topic") != expect["topic"]:
        misses.append(f"topic {custom.get('topic')}")
    if "slot" in expect and custom.get("slot") != expect["slot"]:
        misses.append(f"slot {custom.get('slot')}")
    place = custom.get("place") if isinstance(custom.get("place"), dict) else {}
    if "district" in expect and place.get("district") != expect["district"]:
        misses.append(f"district {place.get('district')}")
    if "place" in expect and expect["place"].lower() not in str(place.get("name", "")).lower():
        misses.append(f"place {place.get('name')}")
    if "in_region" in expect and place.get("in_region") is not expect["in_region"]:
        misses.append(f"in_region {place.get('in_region')}")
    for s in expect.get("text_has", []):
        if s.lower() not in text.lower():
            misses.append(f"text lacks {s!r}")
    if not misses:
        return "right", misses
    if kind == "fallback" and expect["type"] in ("answer", "ask"):
        return "abstained", misses
    return "wrong", misses


def run_one(url, item, timeout):
    sender = f"dlg-{item['id']}-{uuid.uuid4().hex[:8]}"
    latencies = []
    reply = []
    try:
        for turn in item["turns"]:
            reply, took = post(url, sender, turn, timeout)
            latencies.append(took)
    except Exception as e:  # noqa: BLE001 - any failure is an error of this item
        return {"item": item, "verdict": "error", "why": [repr(e)], "latencies": latencies}
    custom = custom_of(reply)
    verdict, why = judge(item["expect"], custom, text_of(reply))
    return {
        "item": item,
        "verdict": verdict,
        "why": why,
        "got": custom,
        "lang_ok": custom.get("lang") == item["lang"],
        "latencies": latencies,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--url", default="http://localhost:5005")
    ap.add_argument("--langs", help="comma-separated languages to keep")
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--errors", help="write every miss here as JSON lines")
    args = ap.parse_args()
    items = load(args.files)
    if args.langs:
        keep = set(args.langs.split(","))
        items = [i for i in items if i["lang"] in keep]
    if not items:
        sys.exit("no dialogues to run")
    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        results = list(pool.map(lambda i: run_one(args.url, i, args.timeout), items))
    by_lang = collections.defaultdict(list)
    for r in results:
        by_lang[r["item"]["lang"]].append(r)
    print(f"{'lang':<5}{'n':>4}{'right':>9}{'abstain':>9}{'wrong':>8}{'error':>7}{'lang ok':>9}")
    for lang in sorted(by_lang):
        rs = by_lang[lang]
        n = len(rs)
        c = collections.Counter(r["verdict"] for r in rs)
        ok = sum(1 for r in rs if r.get("lang_ok"))
        print(
            f"{lang:<5}{n:>4}{100 * c['right'] / n:>8.1f}%{100 * c['abstained'] / n:>8.1f}%"
            f"{100 * c['wrong'] / n:>7.1f}%{c['error']:>7}{100 * ok / n:>8.1f}%"
        )
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as f:
            for r in results:
                if r["verdict"] != "right":
                    f.write(
                        json.dumps({k: r.get(k) for k in ("item", "verdict", "why", "got")}, ensure_ascii=False) + "\n"
                    )
    n = len(results)
    c = collections.Counter(r["verdict"] for r in results)
    lats = sorted(x for r in results for x in r["latencies"])
    p50 = statistics.median(lats) * 1000 if lats else 0
    p95 = lats[min(len(lats) - 1, int(0.95 * len(lats)))] * 1000 if lats else 0
    ok = sum(1 for r in results if r.get("lang_ok"))
    print(
        f"accuracy {c['right'] / n:.3f} wrong {c['wrong'] / n:.3f} lang_ok {ok / n:.3f} "
        f"errors {c['error']} over {n} dialogues; latency p50 {p50:.0f} ms p95 {p95:.0f} ms"
    )
    sys.exit(1 if c["error"] else 0)


if __name__ == "__main__":
    main()

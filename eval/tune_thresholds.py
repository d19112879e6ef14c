"""Choose the FallbackClassifier thresholds on the development questions.

Loads a trained model in-process, parses every question of the given sets and
shows, for a grid of confidence and ambiguity thresholds, how many questions
would be answered right, answered wrong, or declined ("abstained"). A wrong
answer costs more than an honest "I don't know", so pick the row with the most
right answers among those within the wrong-answer budget, and write it into
config.yml. Never tune on eval/test: that set measures the result.

    .venv/bin/python eval/tune_thresholds.py --model models/guide.tar.gz eval/dev/*.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import json
from pathlib import Path
from typing import Dict, List, Tuple

#: Intents that are answered by declining; they count as abstaining, not as an answer.
DECLINING_INTENTS = {"out_of_scope", "nlu_fallback"}
#: Topic-free intents whose "right" answer is a hand-over.
HANDOFF_INTENTS = {"request_human"}


def load_questions(paths: List[str]) -> List[dict]:
    return [
        json.loads(line)
        for path in paths
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


async def rankings(model: str, questions: List[dict]) -> List[List[Tuple[str, float]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    result = []
    for question in questions:
        parsed = await agent.parse_message(question["text"])
        ranking = [
            (r["name"], r["confidence"]) for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"
        ]
        result.append(ranking or [(parsed["intent"]["name"], parsed["intent"]["confidence"])])
    return result


def outcome(expect: str, ranking: List[Tuple[str, float]], threshold: float, ambiguity: float) -> str:
    (top, confidence), runner_up = ranking[0], (ranking[1][1] if len(ranking) > 1 else 0.0)
    declined = confidence < threshold or confidence - runner_up < ambiguity or top in DECLINING_INTENTS
    if expect == "out_of_scope":
        return "right" if declined or top in HANDOFF_INTENTS else "wrong"
    if declined:
        return "abstained"
    return "right" if top == expect else "wrong"


def _show(questions: List[dict], ranked: List[List[Tuple[str, float]]], threshold: float, ambiguity: float) -> None:
    per: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    print(f"\nat threshold {threshold}, ambiguity {ambiguity}: misses")
    for question, ranking in zip(questions, ranked, strict=True):
        verdict = outcome(question["expect"], ranking, threshold, ambiguity)
        per[question["lang"]][verdict] += 1
        if verdict != "right":
            top, confidence = ranking[0]
            print(
                f"  {verdict:9} {question['lang']} {question['expect']:30} got {top:30} {confidence:.2f}  "
                f"{question['text'][:70]}"
            )
    for lang, counts in sorted(per.items()):
        n = sum(counts.values())
        print(
            f"{lang}: right {counts['right'] / n:.1%}  abstained {counts['abstained'] / n:.1%}  "
            f"wrong {counts['wrong'] / n:.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="+")
    parser.add_argument("--model", default="models/guide.tar.gz")
    parser.add_argument("--show", help="print per-language results and misses for THRESHOLD,AMBIGUITY")
    parser.add_argument("--max-wrong", type=float, default=0.03, help="wrong-answer budget per language")
    args = parser.parse_args()

    questions = load_questions(args.questions)
    ranked = asyncio.run(rankings(args.model, questions))
    languages = sorted({q["lang"] for q in questions})
    print(f"{'threshold':>9} {'ambig':>6} {'right':>6} {'wrong':>6} {'worst-lang wrong':>17}")
    best = None
    for threshold, ambiguity in itertools.product([0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [0.0, 0.05, 0.1, 0.2]):
        per: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for question, ranking in zip(questions, ranked, strict=True):
            per[question["lang"]][outcome(question["expect"], ranking, threshold, ambiguity)] += 1
        total = sum(per.values(), collections.Counter())
        n = sum(total.values())
        worst = max(per[lang]["wrong"] / sum(per[lang].values()) for lang in languages)
        print(
            f"{threshold:>9.2f} {ambiguity:>6.2f} {total['right'] / n:>6.1%} {total['wrong'] / n:>6.1%} {worst:>17.1%}"
        )
        if worst <= args.max_wrong and (best is None or total["right"] > best[0]):
            best = (total["right"], threshold, ambiguity)
    if args.show:
        threshold, ambiguity = map(float, args.show.split(","))
        _show(questions, ranked, threshold, ambiguity)
    if best:
        print(
            f"\nbest within {args.max_wrong:.0%} wrong per language: threshold {best[1]}, ambiguity_threshold {best[2]}"
        )
    else:
        print(f"\nno setting keeps every language within {args.max_wrong:.0%} wrong answers")


if __name__ == "__main__":
    main()

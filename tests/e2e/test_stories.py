"""Rasa conversation tests: the test stories in ``tests/stories/`` against the trained model.

What ``rasa test core --stories tests/stories --fail-on-prediction-errors``
does, in-process and without a running guide: every user message of a story
goes through the model's NLU pipeline and must get the story's intent, and
every action must be the one the model's rules predict. The custom actions
do not run (their replies are tested over HTTP in the other tests here).

Besides the written stories, one story is generated from ``knowledge/``: each
topic's intent, one after the other, answered by ``action_answer`` (the rules
the KnowledgeImporter adds at training).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from bot.knowledge import load_knowledge
from bot.training.importer import ANSWER_ACTION
from tests.support import PROJECT_DIR

pytestmark = [
    pytest.mark.e2e,
    # Chat commands such as /human are not Rasa intents; the story reader says so, and keeps them as text.
    pytest.mark.filterwarnings("ignore:Failed to parse arguments in line"),
    pytest.mark.filterwarnings("ignore:Slot auto-fill has been removed"),
]

STORIES = PROJECT_DIR / "tests" / "stories"
ALL_PASSED = "None of the test stories failed - all good!"


@pytest.fixture(scope="module")
def agent(trained_model: Path):
    """The trained model, loaded as the Rasa server loads it (no action server: actions are not run)."""
    from rasa.core.agent import Agent

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RASA_TELEMETRY_ENABLED", "false")
        yield Agent.load(model_path=str(trained_model))


def run_stories(agent, stories: Path, results: Path) -> dict:
    """Run the test stories (files named ``test_*.yml``) in ``stories``; fail with the failed ones."""
    from rasa.core.test import test

    results.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RASA_TELEMETRY_ENABLED", "false")
        summary = asyncio.run(
            test(
                str(stories),
                agent,
                out_directory=str(results),
                e2e=True,
                disable_plotting=True,
                fail_on_prediction_errors=False,
            )
        )
    failed = (results / "failed_test_stories.yml").read_text(encoding="utf-8")
    assert ALL_PASSED in failed, f"failed test stories (predictions in comments):\n{failed}"
    return summary


def test_the_dialogue_follows_the_rules_in_the_written_stories(agent, tmp_path):
    summary = run_stories(agent, STORIES, tmp_path)
    actions = [step["action"] for step in summary["actions"]]
    # Every rule of data/stories/conversation.yml was exercised.
    assert {
        "action_smalltalk",
        "action_answer",
        "action_change_language",
        "action_handoff",
        "action_leave_message",
        "action_fallback",
    } <= set(actions)
    assert summary["accuracy"] == 1.0


def test_every_knowledge_topic_is_answered_by_the_answer_action(agent, tmp_path):
    topics = [topic.topic for topic in load_knowledge().topics]
    assert len(topics) > 40
    steps = [step for topic in topics for step in ({"intent": topic}, {"action": ANSWER_ACTION})]
    stories = tmp_path / "stories"
    stories.mkdir()
    story = {"version": "3.1", "stories": [{"story": "every topic, one after the other", "steps": steps}]}
    (stories / "test_topics.yml").write_text(yaml.safe_dump(story, allow_unicode=True), encoding="utf-8")

    summary = run_stories(agent, stories, tmp_path / "results")
    answered = [step for step in summary["actions"] if step["action"] == ANSWER_ACTION]
    assert len(answered) == len(topics)

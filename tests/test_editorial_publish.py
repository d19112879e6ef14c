"""`make publish` retrains only when the training questions changed, then swaps the model in."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from pathlib import Path
from typing import List

import pytest

from bot.editorial.publish import fingerprint_file, publish, training_fingerprint
from bot.editorial.topic_files import read_topic, write_topic

DEPOSIT = Path("topics/housing/housing_deposit.yml")


def _edit(folder: Path, change) -> None:
    data = read_topic(folder / DEPOSIT)
    change(data)
    write_topic(folder / DEPOSIT, data)


def test_answers_do_not_change_the_training_fingerprint_but_questions_do(knowledge_copy):
    before = training_fingerprint(knowledge_copy)
    _edit(knowledge_copy, lambda d: d["languages"]["de"].update(answer="Höchstens drei Nettokaltmieten."))
    _edit(knowledge_copy, lambda d: d.update(notes="checked again"))
    assert training_fingerprint(knowledge_copy) == before
    _edit(knowledge_copy, lambda d: d["languages"]["de"]["questions"].append("Kaution Obergrenze Gesetz"))
    assert training_fingerprint(knowledge_copy) != before


class FakeRasa(http.server.BaseHTTPRequestHandler):
    """Rasa's ``PUT /model``, recording what it was asked."""

    calls: List[dict] = []

    def do_PUT(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.calls.append({"path": self.path, "body": body})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def rasa_url():
    FakeRasa.calls = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def model(tmp_path) -> Path:
    path = tmp_path / "models" / "guide.tar.gz"
    path.parent.mkdir()
    path.write_bytes(b"a trained model")
    return path


def _publish(knowledge_copy: Path, model: Path, url: str, trainings: list) -> tuple:
    said: List[str] = []
    status = publish(url, model, knowledge_copy, train=lambda: trainings.append(1), token="t0ken", say=said.append)
    return status, " ".join(said)


def test_changed_questions_retrain_and_swap_the_model_then_answer_changes_need_nothing(knowledge_copy, model, rasa_url):
    trainings: list = []
    status, said = _publish(knowledge_copy, model, rasa_url, trainings)
    assert status == 0 and trainings == [1]
    assert FakeRasa.calls == [{"path": "/model?token=t0ken", "body": {"model_file": str(model.resolve())}}]
    assert fingerprint_file(model).read_text().strip() == training_fingerprint(knowledge_copy)
    assert "now answers with the new model" in said

    _edit(knowledge_copy, lambda d: d["languages"]["de"].update(answer="Höchstens drei Nettokaltmieten."))
    status, said = _publish(knowledge_copy, model, rasa_url, trainings)
    assert status == 0 and trainings == [1] and len(FakeRasa.calls) == 1
    assert "no training needed" in said

    _edit(knowledge_copy, lambda d: d["languages"]["de"]["questions"].append("Kaution Obergrenze Gesetz"))
    status, _ = _publish(knowledge_copy, model, rasa_url, trainings)
    assert status == 0 and trainings == [1, 1] and len(FakeRasa.calls) == 2


def test_broken_content_is_not_published(knowledge_copy, model, rasa_url):
    _edit(knowledge_copy, lambda d: d["languages"]["de"].update(answer=""))
    trainings: list = []
    status, said = _publish(knowledge_copy, model, rasa_url, trainings)
    assert status == 1 and trainings == [] and FakeRasa.calls == []
    assert "languages.de.answer: the answer is empty" in said


def test_without_a_running_guide_the_model_waits_for_the_next_start(knowledge_copy, model):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, said = _publish(knowledge_copy, model, f"http://127.0.0.1:{port}", [])
    assert status == 0 and "used at the next start" in said

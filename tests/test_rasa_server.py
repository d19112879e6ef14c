"""The faster action-response check accepts and rejects exactly what Rasa's own does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import validate_action_result

VALID = {
    "events": [{"event": "slot", "name": "language", "value": "de"}],
    "responses": [{"text": "Hallo", "custom": {"type": "smalltalk", "lang": "de"}}],
}
INVALID = {"events": [{"name": "language"}], "responses": []}


def test_a_valid_response_passes_both_checks():
    action = RemoteAction("action_answer", None)
    assert validate_action_result(action, VALID) is True
    assert action._validate_action_result(VALID) is True


def test_an_invalid_response_fails_both_checks():
    action = RemoteAction("action_answer", None)
    with pytest.raises(jsonschema.ValidationError) as ours:
        validate_action_result(action, INVALID)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        action._validate_action_result(INVALID)
    assert ours.value.message == rasas.value.message

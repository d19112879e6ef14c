"""An administrator manages the counsellors' accounts from a shell: create, list, disable, enable, password."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from bot.console.admin import main
from bot.storage import accounts, session_factory
from tests.console.support import PASSWORD, PROJECT_DIR


@pytest.fixture
def db(engine) -> str:
    return str(engine.url)


def run(db: str, *argv: str, stdin: str = "") -> int:
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--db", db, *argv])
    finally:
        sys.stdin = sys.__stdin__


def can_log_in(engine, username: str, password: str) -> bool:
    with session_factory(engine).begin() as session:
        return accounts.authenticate(session, username, password) is not None


def test_an_account_is_created_listed_and_can_log_in(engine, db, capsys):
    assert (
        run(
            db,
            "create",
            "Anna",
            "--name",
            "Anna Schmidt",
            "--language",
            "en",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        == 0
    )
    assert "Created the account 'anna' (Anna Schmidt)" in capsys.readouterr().out
    assert run(db, "list") == 0
    listed = capsys.readouterr().out
    assert "anna" in listed and "Anna Schmidt" in listed and "active" in listed
    assert can_log_in(engine, "anna", PASSWORD)
    assert not can_log_in(engine, "anna", PASSWORD + "!")


def test_the_password_is_asked_twice_and_must_match(engine, db, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + " typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert run(db, "create", "anna", "--name", "Anna") == 1
    assert "The two passwords differ" in capsys.readouterr().err
    assert run(db, "list") == 0
    assert "No accounts yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, stdin, message",
    [
        (("create", "anna", "--name", "Anna", "--password-stdin"), "short\n", "at least 10 characters"),
        (("create", "an na", "--name", "Anna", "--password-stdin"), PASSWORD + "\n", "letters, digits"),
        (("disable", "nobody"), "", "There is no account 'nobody'"),
        (("password", "nobody", "--password-stdin"), PASSWORD + "\n", "There is no account 'nobody'"),
    ],
)
def test_refusals_say_why_and_exit_with_1(db, capsys, argv, stdin, message):
    assert run(db, *argv, stdin=stdin) == 1
    assert message in capsys.readouterr().err


def test_a_user_name_is_taken_once(db, capsys):
    assert run(db, "create", "anna", "--name", "Anna", "--password-stdin", stdin=PASSWORD) == 0
    assert run(db, "create", "ANNA", "--name", "Anna Again", "--password-stdin", stdin=PASSWORD) == 1
    assert "There is already an account 'anna'" in capsys.readouterr().err


def test_disabling_ends_access_and_enabling_restores_it(engine, db, capsys):
    run(db, "create", "anna", "--name", "Anna", "--password-stdin", stdin=PASSWORD)
    with session_factory(engine).begin() as session:
        token = accounts.start_session(session, accounts.find_account(session, "anna"))
    assert run(db, "disable", "anna") == 0
    with session_factory(engine).begin() as session:
        assert accounts.session_account(session, token) is None
    assert not can_log_in(engine, "anna", PASSWORD)
    run(db, "list")
    assert "DISABLED" in capsys.readouterr().out
    assert run(db, "enable", "anna") == 0
    assert can_log_in(engine, "anna", PASSWORD)


def test_a_new_password_replaces_the_old_one(engine, db):
    run(db, "create", "anna", "--name", "Anna", "--password-stdin", stdin=PASSWORD)
    assert run(db, "password", "anna", "--password-stdin", stdin="another long password\n") == 0
    assert can_log_in(engine, "anna", "another long password")
    assert not can_log_in(engine, "anna", PASSWORD)


def test_the_command_runs_as_a_program(db):
    created = subprocess.run(
        [sys.executable, "-m", "bot.console.admin", "--db", db, "create", "anna", "--name", "Anna", "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        capture_output=True,
        cwd=PROJECT_DIR,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "bot.console.admin", "--db", db, "frobnicate"],
        text=True,
        capture_output=True,
        cwd=PROJECT_DIR,
        timeout=120,
    )
    assert usage.returncode == 2 and "invalid choice" in usage.stderr

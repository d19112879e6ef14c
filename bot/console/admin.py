"""Manage the counsellors' accounts from a shell.

    python -m bot.console.admin create USERNAME --name "Display Name" [--admin] [--language de|en]
    python -m bot.console.admin disable USERNAME
    python -m bot.console.admin enable USERNAME
    python -m bot.console.admin password USERNAME
    python -m bot.console.admin list

Passwords are asked twice without echo, or read from the first line of
standard input with ``--password-stdin`` (for scripts). Disabling an account
or changing its password logs it out everywhere at once. ``--db`` (or
``GUIDE_DATABASE_URL``) names the database; its schema is brought up to date
first. Exit status: 0 done, 1 refused (the message says why), 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Callable, List, Optional

from sqlalchemy.orm import Session

from bot.storage import accounts, open_database, session_factory
from bot.storage.accounts import UI_LANGUAGES, AccountError

DONE, REFUSED = 0, 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.console.admin", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=None, help="file or SQLAlchemy URL (default: $GUIDE_DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="add a counsellor")
    create.add_argument("username")
    create.add_argument("--name", required=True, help="the name colleagues see")
    create.add_argument("--admin", action="store_true", help="may manage the console (marked as such)")
    create.add_argument("--language", choices=UI_LANGUAGES, default=UI_LANGUAGES[0], help="console language")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    for name, text in (("disable", "end an account's access (and its sessions)"), ("enable", "restore access")):
        commands.add_parser(name, help=text).add_argument("username")
    password = commands.add_parser("password", help="set a new password (ends the account's sessions)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    commands.add_parser("list", help="show every account")
    return parser


def read_password(from_stdin: bool) -> str:
    """A new password: one line of standard input, or typed twice at the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("Repeat it: "):
        raise AccountError("The two passwords differ; nothing was changed.")
    return first


def _create(session: Session, args: argparse.Namespace) -> str:
    account = accounts.create_account(
        session,
        args.username,
        args.name,
        read_password(args.password_stdin),
        is_admin=args.admin,
        ui_language=args.language,
    )
    return f"Created the account '{account.username}' ({account.display_name})."


def _disable(session: Session, args: argparse.Namespace) -> str:
    account = accounts.set_active(session, args.username, False)
    return f"Disabled '{account.username}'; their sessions have ended."


def _enable(session: Session, args: argparse.Namespace) -> str:
    return f"Enabled '{accounts.set_active(session, args.username, True).username}'."


def _password(session: Session, args: argparse.Namespace) -> str:
    if accounts.find_account(session, args.username) is None:
        raise AccountError(f"There is no account '{args.username}'.")
    account = accounts.set_password(session, args.username, read_password(args.password_stdin))
    return f"Changed the password of '{account.username}'; their sessions have ended."


def _list(session: Session, args: argparse.Namespace) -> str:
    rows = [
        f"{a.username:<20} {a.display_name:<30} {a.ui_language}  "
        f"{'active' if a.active else 'DISABLED'}{'  admin' if a.is_admin else ''}"
        for a in accounts.list_accounts(session)
    ]
    return "\n".join(rows) if rows else "No accounts yet: create one with 'create USERNAME --name NAME'."


COMMANDS: dict[str, Callable[[Session, argparse.Namespace], str]] = {
    "create": _create,
    "disable": _disable,
    "enable": _enable,
    "password": _password,
    "list": _list,
}


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    engine = open_database(args.db)
    try:
        with session_factory(engine).begin() as session:
            print(COMMANDS[args.command](session, args))
    except AccountError as error:
        print(f"Error: {error}", file=sys.stderr)
        return REFUSED
    except (KeyboardInterrupt, EOFError):
        print("\nCancelled; nothing was changed.", file=sys.stderr)
        return REFUSED
    finally:
        engine.dispose()
    return DONE


if __name__ == "__main__":
    sys.exit(main())

"""Counsellors' accounts and login sessions, with passwords hashed by Argon2.

Accounts are created and disabled by an administrator from the command line
(``python -m bot.console.admin``). A login session is a random token in a
cookie; only its SHA-256 is stored, so the table leaks no usable session, and
disabling an account or logging out ends its sessions at once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import List, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session, relationship

from bot.clock import utcnow
from bot.storage.base import Base

#: A login session ends after this long without a request.
SESSION_IDLE_LIFETIME = datetime.timedelta(hours=12)
#: The console's languages; the first is the default.
UI_LANGUAGES = ("de", "en")
MIN_PASSWORD_CHARS = 10

_hasher = PasswordHasher()


class Counsellor(Base):
    """A person who answers handed-off conversations in the console."""

    __tablename__ = "counsellors"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(64), nullable=False, unique=True)
    display_name = sa.Column(sa.String(100), nullable=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    is_admin = sa.Column(sa.Boolean, nullable=False, default=False)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    ui_language = sa.Column(sa.String(8), nullable=False, default=UI_LANGUAGES[0])
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    sessions = relationship(
        "LoginSession", back_populates="counsellor", cascade="all, delete-orphan", passive_deletes=True
    )


class LoginSession(Base):
    """A counsellor's login, known by the SHA-256 of the token in their cookie."""

    __tablename__ = "login_sessions"

    token_hash = sa.Column(sa.String(64), primary_key=True)
    counsellor_id = sa.Column(
        sa.Integer, sa.ForeignKey("counsellors.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_seen_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    counsellor = relationship(Counsellor, back_populates="sessions", lazy="joined")


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"A password needs at least {MIN_PASSWORD_CHARS} characters.")
    return _hasher.hash(password)


def create_account(
    session: Session,
    username: str,
    display_name: str,
    password: str,
    is_admin: bool = False,
    ui_language: str = UI_LANGUAGES[0],
) -> Counsellor:
    """Add a counsellor (the caller commits)."""
    username = normalise_username(username)
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise AccountError("A user name may have letters, digits, '.', '-' and '_' only.")
    if session.scalar(sa.select(Counsellor.id).where(Counsellor.username == username)) is not None:
        raise AccountError(f"There is already an account '{username}'.")
    if ui_language not in UI_LANGUAGES:
        raise AccountError(f"The console speaks {', '.join(UI_LANGUAGES)} only.")
    account = Counsellor(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        is_admin=is_admin,
        ui_language=ui_language,
    )
    session.add(account)
    return account


def find_account(session: Session, username: str) -> Optional[Counsellor]:
    return session.scalar(sa.select(Counsellor).where(Counsellor.username == normalise_username(username)))


def set_active(session: Session, username: str, active: bool) -> Counsellor:
    """Enable or disable an account; disabling also ends its login sessions."""
    account = find_account(session, username)
    if account is None:
        raise AccountError(f"There is no account '{username}'.")
    account.active = active
    if not active:
        account.sessions.clear()
    return account


def set_password(session: Session, username: str, password: str) -> Counsellor:
    """Give an account a new password and end its login sessions."""
    account = find_account(session, username)
    if account is None:
        raise AccountError(f"There is no account '{username}'.")
    account.password_hash = hash_password(password)
    account.sessions.clear()
    return account


def authenticate(session: Session, username: str, password: str) -> Optional[Counsellor]:
    """The active account with this user name and password, else ``None``.

    A wrong user name costs as much time as a wrong password, so that the
    answer's speed does not tell which user names exist.
    """
    account = find_account(session, username)
    stored = account.password_hash if account is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or not account.active:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return account


_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, account: Counsellor) -> str:
    """Log ``account`` in; returns the token for its cookie (the caller commits)."""
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=_token_hash(token), counsellor=account))
    return token


def session_account(session: Session, token: Optional[str]) -> Optional[Counsellor]:
    """The active account logged in with ``token``, if the session is still valid.

    Touches the session, so that it lives on while it is used (the caller commits).
    """
    if not token:
        return None
    login = session.get(LoginSession, _token_hash(token))
    if login is None:
        return None
    now = utcnow()
    if now - login.last_seen_at > SESSION_IDLE_LIFETIME or not login.counsellor.active:
        session.delete(login)
        return None
    login.last_seen_at = now
    return login.counsellor


def end_session(session: Session, token: Optional[str]) -> None:
    """Log out: forget the session of ``token`` (the caller commits)."""
    if token:
        login = session.get(LoginSession, _token_hash(token))
        if login is not None:
            session.delete(login)


def set_ui_language(session: Session, counsellor_id: int, language: str) -> Counsellor:
    """Switch the language a counsellor reads the console in."""
    if language not in UI_LANGUAGES:
        raise AccountError(f"The console speaks {', '.join(UI_LANGUAGES)} only.")
    account = session.get(Counsellor, counsellor_id)
    if account is None:
        raise AccountError("There is no such account.")
    account.ui_language = language
    return account


def list_accounts(session: Session) -> List[Counsellor]:
    """Every account, by user name."""
    return list(session.scalars(sa.select(Counsellor).order_by(Counsellor.username)))

"""Secrets the guide's processes share: from the environment, else from a file only its owner reads.

``python -m bot.serve`` makes the Rasa API token; the console reads it to
talk to Rasa, ``make publish`` to swap the model. A secret is taken from its
environment variable when set; otherwise it is kept in a file of the var
folder, created with mode 0600 from the first byte (never readable by others,
not even for a moment) and read back by whoever needs it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Optional

#: The Rasa HTTP API's token: environment variable and file name.
API_TOKEN_VARIABLE = "RASA_API_TOKEN"
API_TOKEN_FILE = "api-token"


def secret(variable: str, path: Path, random_bytes: int = 32) -> str:
    """The secret from ``variable``, else from ``path``, which is made with a new random one if missing."""
    value = os.environ.get(variable)
    if value:
        return value
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(random_bytes))
    return path.read_text().strip()


def existing_secret(variable: str, path: Path) -> Optional[str]:
    """The secret from ``variable`` or ``path`` if either has one; never makes one."""
    value = os.environ.get(variable)
    if not value and path.exists():
        value = path.read_text().strip()
    return value or None


def api_token(var_dir: Path) -> str:
    """The token protecting the Rasa HTTP API (made on first use)."""
    return secret(API_TOKEN_VARIABLE, var_dir / API_TOKEN_FILE)

"""Serve the counsellors' console.

    python -m bot.console [--host 127.0.0.1] [--port 5006] [--rasa-url http://127.0.0.1:5005]
                          [--db URL] [--var-dir var]

The console needs the guide's database (``GUIDE_DATABASE_URL``, default
``var/guide.db``; its schema is brought up to date at start) and the Rasa
server with its HTTP API (``RASA_URL``), reached with the API token from
``RASA_API_TOKEN`` or ``var/api-token`` (as ``python -m bot.serve`` writes
it). Accounts are made with ``python -m bot.console.admin``. Serve it
behind HTTPS and set ``CONSOLE_SECURE_COOKIES=1`` anywhere but on localhost.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import List, Optional

from bot.console.app import create_app
from bot.console.rasa_client import RasaClient
from bot.handoff.settings import SettingsError, load_settings
from bot.knowledge import KnowledgeError, LiveKnowledge
from bot.secret_files import api_token, secret
from bot.storage import open_database

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 5006
#: Signs the CSRF cookie; kept in the var folder so that open pages survive a restart.
SECRET_VARIABLE = "CONSOLE_SECRET"
SECRET_FILE = "console-secret"
#: Seconds open live streams get to finish when the console stops.
GRACEFUL_SHUTDOWN_SECONDS = 3


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.console", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CONSOLE_PORT", DEFAULT_PORT)))
    parser.add_argument(
        "--rasa-url", default=os.environ.get("RASA_URL", f"http://127.0.0.1:{os.environ.get('RASA_PORT', 5005)}")
    )
    parser.add_argument("--db", default=None, help="file or SQLAlchemy URL (default: $GUIDE_DATABASE_URL)")
    parser.add_argument(
        "--var-dir", default=str(PROJECT_DIR / "var"), help="folder of the API token and the console's secret"
    )
    return parser.parse_args(argv)


def console_secret(var_dir: Path) -> str:
    """The key signing CSRF cookies: from the environment, else kept in var/."""
    return secret(SECRET_VARIABLE, var_dir / SECRET_FILE, random_bytes=48)


def main(argv: Optional[List[str]] = None) -> int:
    import uvicorn

    args = _arguments(argv)
    var_dir = Path(args.var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        settings = load_settings()
        knowledge = LiveKnowledge()
        knowledge.current()  # refuse to start on broken content, as the guide does
    except (SettingsError, KnowledgeError) as error:
        print(f"The console cannot start: {error}", file=sys.stderr)
        return 2
    engine = open_database(args.db)
    # After the migration, whose INFO lines say nothing an operator needs.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(
        engine,
        RasaClient(args.rasa_url, api_token(var_dir)),
        settings,
        knowledge.current,
        csrf_secret=console_secret(var_dir),
    )
    print(f"Counsellor console: http://{args.host}:{args.port}/ (Rasa at {args.rasa_url})", flush=True)
    # No access log: it would keep the counsellors' addresses, and the paths say nothing useful.
    # No WebSockets either (the live views are SSE), so uvicorn need not load a websockets
    # implementation (Rasa pins an old websockets that uvicorn's newest one cannot use).
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        access_log=False,
        ws="none",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

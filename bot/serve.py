"""Run the guide: the action server, the Rasa server and the counsellor console, together.

    python -m bot.serve [--model models/guide.tar.gz] [--port 5005] [--actions-port 5055]
                        [--console-port 5006]

Defaults need no external server: conversations are kept in SQLite under
``var/`` (``tracker.db``), and so are handoffs, counsellors' accounts and votes
(``guide.db``; ``GUIDE_DATABASE_URL`` names another database, e.g. PostgreSQL),
whose schema is brought up to date before anything starts. Telegram is served too when ``TELEGRAM_TOKEN`` and
``TELEGRAM_WEBHOOK_SECRET`` are set (see ``bot/channels/telegram.py``).
The web chat widget and a demo page are served at ``/widget/`` (see
``bot/channels/socketio.py``). The counsellors' console (:mod:`bot.console`)
is served on its own port. The Rasa HTTP API, which the console uses, is
enabled and protected by a token (``RASA_API_TOKEN``, or a random one written
to ``var/api-token``).
Ctrl-C (or SIGTERM) stops everything. A crashed action server or console is
restarted; if the Rasa server stops, or a helper keeps crashing, the others
are stopped too, so the guide never runs half-alive.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bot.secret_files import API_TOKEN_VARIABLE, api_token
from bot.storage.database import DATABASE_VARIABLE

PROJECT_DIR = Path(__file__).resolve().parents[1]
STOP_TIMEOUT_SECONDS = 20
#: A crashed action server is restarted, but not more than this often.
MAX_RESTARTS = 3
RESTART_WINDOW_SECONDS = 300
#: Environment variables credentials.yml reads for the Telegram channel.
TELEGRAM_VARIABLES = ("TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_BASE_URL")


def _arguments(argv: List[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.serve", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=str(PROJECT_DIR / "models" / "guide.tar.gz"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    parser.add_argument("--console-port", type=int, default=int(os.environ.get("CONSOLE_PORT", 5006)))
    parser.add_argument(
        "--var-dir", default=str(PROJECT_DIR / "var"), help="folder for the SQLite database and the API token"
    )
    return parser.parse_args(argv)


def _environment(args: argparse.Namespace, var_dir: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{args.actions_port}/webhook")
    env.setdefault("TRACKER_DB_DIALECT", "sqlite")
    env.setdefault("TRACKER_DB", str(var_dir / "tracker.db"))
    env.setdefault(DATABASE_VARIABLE, str(var_dir / "guide.db"))  # handoffs, accounts, votes (bot/storage)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # credentials.yml reads the Telegram channel's settings from these; Rasa
    # refuses a variable that is not set at all, and an empty one leaves the
    # channel off (its webhook answers 503).
    for name in TELEGRAM_VARIABLES:
        env.setdefault(name, "")
    return env


def _commands(args: argparse.Namespace, token: str) -> Dict[str, List[str]]:
    python = sys.executable
    return {
        "console": [
            python,
            "-m",
            "bot.console",
            "--port",
            str(args.console_port),
            "--rasa-url",
            f"http://127.0.0.1:{args.port}",
            "--var-dir",
            str(args.var_dir),
        ],
        "action server": [python, "-m", "actions.server", "--port", str(args.actions_port)],
        "rasa server": [
            python,
            "-m",
            "bot.rasa_server",
            "run",
            "--model",
            args.model,
            "--port",
            str(args.port),
            "--enable-api",
            "--auth-token",
            token,
            "--cors",
            "*",
            "--endpoints",
            str(PROJECT_DIR / "endpoints.yml"),
            "--credentials",
            str(PROJECT_DIR / "credentials.yml"),
        ],
    }


class DatabaseUnavailable(RuntimeError):
    """The guide's database cannot be reached or migrated."""


def _migrate(setting: str) -> None:
    """Bring the guide's database up to date before any process uses it."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage import connect, upgrade

    engine = connect(setting)
    try:
        upgrade(engine)
    except SQLAlchemyError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(
            f"the database {where} cannot be used: {error.__class__.__name__}: {str(error).splitlines()[0]}"
        ) from error
    finally:
        engine.dispose()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_in_background(
    model: Path | str,
    var_dir: Path | str,
    ports: Tuple[int, int, int],
    env: Optional[Dict[str, str]] = None,
    output: Any = subprocess.DEVNULL,
) -> subprocess.Popen:
    """Start the guide as ``make run`` does, in a child process (for tests and benchmarks).

    Args:
        model: The trained model.
        var_dir: The guide's own folder (its SQLite databases, the API token).
        ports: The Rasa server's, the action server's and the console's.
        env: The whole environment of the child.
        output: Where its output goes (a file, or DEVNULL).
    """
    port, actions_port, console_port = ports
    command = [
        sys.executable,
        "-m",
        "bot.serve",
        "--model",
        str(model),
        "--var-dir",
        str(var_dir),
        "--port",
        str(port),
        "--actions-port",
        str(actions_port),
        "--console-port",
        str(console_port),
    ]
    return subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_until_up(url: str, timeout: float, processes: Dict[str, subprocess.Popen] | None = None) -> None:
    """Wait until ``url`` answers 200; fail early if one of ``processes`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in (processes or {}).items():
            if process.poll() is not None:
                raise RuntimeError(f"the {name} exited with status {process.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def _stop(processes: Dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: Processes that keep no state of their own, so a crash is mended by starting them again.
RESTARTABLE = ("action server", "console")


def _supervise(processes: Dict[str, subprocess.Popen], commands: Dict[str, List[str]], env: Dict[str, str]) -> int:
    """Keep the guide running until the Rasa server stops.

    A crashed action server or console is restarted, unless it keeps
    crashing; then, as when the Rasa server stops, the whole guide stops.
    """
    restarts: Dict[str, List[float]] = {name: [] for name in RESTARTABLE}
    while True:
        time.sleep(0.5)
        if processes["rasa server"].poll() is not None:
            print("The Rasa server stopped; stopping the guide.", file=sys.stderr)
            return 1
        for name in RESTARTABLE:
            if processes[name].poll() is None:
                continue
            now = time.monotonic()
            restarts[name] = [t for t in restarts[name] if now - t < RESTART_WINDOW_SECONDS] + [now]
            if len(restarts[name]) > MAX_RESTARTS:
                print(f"The {name} keeps crashing; stopping the guide.", file=sys.stderr)
                return 1
            print(
                f"The {name} stopped (status {processes[name].returncode}); restarting it.", file=sys.stderr, flush=True
            )
            processes[name] = subprocess.Popen(commands[name], cwd=PROJECT_DIR, env=env)


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: List[str] | None = None) -> int:
    args = _arguments(argv)
    var_dir = Path(args.var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    if not Path(args.model).exists():
        print(f"No trained model at {args.model}; run 'make train' first.", file=sys.stderr)
        return 2
    env = _environment(args, var_dir)
    processes: Dict[str, subprocess.Popen] = {}
    # Handle both signals explicitly: a shell starting us in the background
    # ignores SIGINT, and the children are stopped by _stop either way.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    busy = [port for port in (args.port, args.actions_port, args.console_port) if _port_in_use(port)]
    if busy:
        print(f"Port {' and '.join(map(str, busy))} is already in use: is the guide already running?", file=sys.stderr)
        return 2
    try:
        _migrate(env[DATABASE_VARIABLE])
        token = api_token(var_dir)
        env.setdefault(API_TOKEN_VARIABLE, token)  # for the console
        commands = _commands(args, token)
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=PROJECT_DIR, env=env)
        wait_until_up(f"http://127.0.0.1:{args.actions_port}/health", 120, processes)
        wait_until_up(f"http://127.0.0.1:{args.port}/webhooks/rest/", 300, processes)
        wait_until_up(f"http://127.0.0.1:{args.console_port}/health", 60, processes)
        print(
            f"Welcome Guide is up: POST http://localhost:{args.port}/webhooks/rest/webhook "
            '{"sender": "me", "message": "Hallo"}  (Ctrl-C stops it)',
            flush=True,
        )
        print(f"Web chat: http://localhost:{args.port}/widget/demo.html (the widget on a demo page)", flush=True)
        print(
            f"Counsellor console: http://localhost:{args.console_port}/ (accounts: "
            "'python -m bot.console.admin create NAME --name \"Full Name\"')",
            flush=True,
        )
        if env.get("TELEGRAM_TOKEN"):
            print(
                f"Telegram: updates are received at http://localhost:{args.port}/webhooks/telegram/webhook "
                "(see 'python -m bot.channels.telegram_cli --help')",
                flush=True,
            )
        return _supervise(processes, commands, env)
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"The guide could not start: {error}", file=sys.stderr)
        return 1
    finally:
        _stop(processes)


if __name__ == "__main__":
    sys.exit(main())

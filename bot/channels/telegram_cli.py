"""Registering the guide's bot with Telegram, and long polling.

    python -m bot.channels.telegram_cli setup --webhook-url https://guide.example.org
    python -m bot.channels.telegram_cli poll

``setup`` registers the bot's menu commands in every supported language and
sets the webhook with its secret token. ``poll`` is for running without a
public URL: it fetches updates from Telegram (getUpdates) and forwards each
one to the running guide's Telegram webhook (:mod:`bot.channels.telegram`),
with the secret header, exactly as Telegram would. Both read
``TELEGRAM_TOKEN``, ``TELEGRAM_WEBHOOK_SECRET``, ``RASA_URL`` (default
http://localhost:5005) and ``TELEGRAM_API_BASE_URL`` (tests point it to a
local stand-in of the Bot API).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import signal
import sys
from typing import Any, Dict, List, Optional, Sequence
from urllib.parse import urlparse

import httpx
from telegram import Bot, BotCommand, Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from bot.channels.telegram_output import make_bot, seconds_of
from bot.commands import DELETE
from bot.knowledge import Phrases, load_phrases
from bot.language.supported import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)

#: The only updates the guide reads; Telegram need not send others.
ALLOWED_UPDATES = ("message", "callback_query")
#: The commands shown in Telegram's menu, each described by the phrase ``command_<name>``.
MENU_COMMANDS = ("start", "help", "language", "human", DELETE)
#: How long polling waits before trying an unreachable Telegram or guide again.
RETRY_SECONDS = 2.0


class SetupError(Exception):
    """The command cannot go on; its message says what to fix."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the commands read from the environment."""

    token: str
    webhook_secret: str
    rasa_url: str
    api_base_url: Optional[str]

    @classmethod
    def from_environment(cls, environ: Optional[Dict[str, str]] = None) -> Settings:
        environ = dict(os.environ if environ is None else environ)
        settings = cls(
            environ.get("TELEGRAM_TOKEN", ""),
            environ.get("TELEGRAM_WEBHOOK_SECRET", ""),
            environ.get("RASA_URL") or "http://localhost:5005",
            environ.get("TELEGRAM_API_BASE_URL") or None,
        )
        missing = [
            name
            for name, value in (
                ("TELEGRAM_TOKEN", settings.token),
                ("TELEGRAM_WEBHOOK_SECRET", settings.webhook_secret),
            )
            if not value
        ]
        if missing:
            raise SetupError(
                f"Set {' and '.join(missing)} (the token from @BotFather, and a secret of "
                "your choice: 1-256 characters A-Z, a-z, 0-9, _ and -)."
            )
        return settings


def menu_commands(phrases: Phrases, language: str) -> List[BotCommand]:
    """The bot's commands as Telegram's menu shows them, described in ``language``."""
    return [BotCommand(name, phrases.get(f"command_{name}", language)) for name in MENU_COMMANDS]


def webhook_url(url: str) -> str:
    """The full webhook address; a bare server address gets the channel's path."""
    return url.rstrip("/") + WEBHOOK_PATH if urlparse(url).path in ("", "/") else url


async def setup(bot: Bot, url: str, secret: str, phrases: Phrases) -> None:
    """Register the commands in every language (their texts from ``phrases``) and the webhook with its secret."""
    async with bot:
        for language in SUPPORTED_LANGUAGES:
            await bot.set_my_commands(menu_commands(phrases, language), language_code=language)
        # Users of other languages see the English menu.
        await bot.set_my_commands(menu_commands(phrases, DEFAULT_LANGUAGE))
        await bot.set_webhook(url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES))


async def poll(
    bot: Bot, rasa_url: str, secret: str, stop: Optional[asyncio.Event] = None, long_poll_seconds: int = 30
) -> None:
    """Fetch updates from Telegram and hand each to the guide's webhook, until ``stop`` is set.

    For running without a public address. Telegram delivers updates either to
    a webhook or by ``getUpdates``, so the webhook is removed first. An update
    is confirmed to Telegram (by the next ``offset``) only once the guide took
    it, so none is lost while the Rasa server is starting or restarting; on
    stopping, what was handed over is confirmed, so none is answered twice.
    """
    stop = stop or asyncio.Event()
    target = rasa_url.rstrip("/") + WEBHOOK_PATH
    async with bot, httpx.AsyncClient(timeout=120) as client:
        await bot.delete_webhook()
        logger.info("Polling Telegram for updates; forwarding them to %s.", target)
        offset: Optional[int] = None
        try:
            while not stop.is_set():
                for update in await _fetch_updates(bot, offset, long_poll_seconds, stop):
                    if not await forward_update(client, target, secret, update.to_dict(), stop):
                        break
                    offset = update.update_id + 1
        finally:
            await _confirm(bot, offset)


async def _fetch_updates(
    bot: Bot, offset: Optional[int], long_poll_seconds: int, stop: asyncio.Event
) -> Sequence[Update]:
    try:
        return await bot.get_updates(offset=offset, timeout=long_poll_seconds, allowed_updates=list(ALLOWED_UPDATES))
    except Conflict as error:
        raise SetupError(f"Telegram refuses polling: {error} (is another poller running?)") from error
    except (InvalidToken, Forbidden) as error:
        raise SetupError(f"Telegram refuses the token: {error}") from error
    except NetworkError as error:  # also TimedOut; RetryAfter is not a NetworkError
        logger.warning("Fetching updates failed (%s); trying again.", error)
        await _pause(RETRY_SECONDS, stop)
    except RetryAfter as error:
        await _pause(seconds_of(error.retry_after), stop)
    return []


async def _confirm(bot: Bot, offset: Optional[int]) -> None:
    """Tell Telegram the updates before ``offset`` were handled (it forgets them)."""
    if offset is None:
        return
    try:
        await asyncio.shield(bot.get_updates(offset=offset, limit=1, timeout=0))
    except (TelegramError, asyncio.CancelledError):
        logger.warning("Could not confirm the last updates; Telegram may deliver them again.")


async def forward_update(
    client: httpx.AsyncClient,
    url: str,
    secret: str,
    update: Dict[str, Any],
    stop: Optional[asyncio.Event] = None,
    retry_seconds: float = RETRY_SECONDS,
) -> bool:
    """Post one update to the guide's webhook, waiting while the guide is unreachable.

    Returns whether the guide took the update (``False``: stopped before it did).

    Raises:
        SetupError: if the guide refuses the secret or has no Telegram token.
    """
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            answer = await client.post(url, json=update, headers={SECRET_HEADER: secret})
        except httpx.TransportError as error:
            logger.warning("The guide at %s is not reachable (%s); trying again.", url, type(error).__name__)
            await _pause(retry_seconds, stop)
            continue
        if answer.status_code in (403, 503):
            raise SetupError(
                f"The guide answered {answer.status_code} {answer.text!r}: start it with the "
                "same TELEGRAM_TOKEN and TELEGRAM_WEBHOOK_SECRET as this command."
            )
        if answer.status_code != 200:
            logger.warning(
                "The guide answered %d to update %s; skipping it.", answer.status_code, update.get("update_id")
            )
        return True
    return False


async def _pause(seconds: float, stop: asyncio.Event) -> None:
    """Wait ``seconds``, or less if ``stop`` is set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except asyncio.TimeoutError:
        pass


async def poll_until_signalled(settings: Settings) -> None:
    """:func:`poll`, stopped cleanly by Ctrl-C or SIGTERM.

    The signal sets the stop flag, which every loop checks, and cancels what
    is being awaited (a long poll of Telegram may take 30 s): a cancellation
    that a library turns into a network error cannot keep the poller alive.
    """
    stop = asyncio.Event()
    task = asyncio.current_task()
    assert task is not None, "called from a running task"
    loop = asyncio.get_running_loop()

    def stop_now() -> None:
        stop.set()
        task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop_now)
    try:
        await poll(make_bot(settings.token, settings.api_base_url), settings.rasa_url, settings.webhook_secret, stop)
    except asyncio.CancelledError:
        if not stop.is_set():
            raise
    logger.info("Stopped polling.")


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.channels.telegram_cli",
        description="Register the guide's Telegram bot, or fetch its updates without a public URL. "
        "Reads TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET, RASA_URL (default "
        "http://localhost:5005) and TELEGRAM_API_BASE_URL (optional).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    setup_command = commands.add_parser("setup", help="set the bot's commands and its webhook")
    setup_command.add_argument(
        "--webhook-url", required=True, help=f"the guide's public HTTPS address (with or without {WEBHOOK_PATH})"
    )
    commands.add_parser("poll", help="fetch updates from Telegram and forward them to the local guide")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = _arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings: Optional[Settings] = None
    try:
        settings = Settings.from_environment()
        if args.command == "setup":
            url = webhook_url(args.webhook_url)
            asyncio.run(
                setup(make_bot(settings.token, settings.api_base_url), url, settings.webhook_secret, load_phrases())
            )
            print(
                f"Telegram now sends the bot's updates to {url}; commands are set in {', '.join(SUPPORTED_LANGUAGES)}."
            )
        else:
            asyncio.run(poll_until_signalled(settings))
    except KeyboardInterrupt:
        return 0
    except (SetupError, TelegramError) as error:
        # PTB names the token in some errors ("The token `...` was rejected").
        message = str(error).replace(settings.token, "<TELEGRAM_TOKEN>") if settings else str(error)
        print(f"Telegram {args.command} failed: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

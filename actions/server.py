"""The action server: Rasa SDK's executor with the guide's actions, built with what they need.

    python -m actions.server [--port 5055] [--host 127.0.0.1]

Rasa SDK's own server (``python -m rasa_sdk``) finds action classes in a
package and creates each without arguments, so actions would have to reach
for their database and settings through globals. This entry point builds
those parts once (:class:`~actions.services.ActionServices`), creates the
actions with them, and registers the instances with the SDK's
:class:`~rasa_sdk.executor.ActionExecutor`; the HTTP side is the SDK's
protocol (``POST /webhook``, ``GET /health``, ``GET /actions``).

It refuses to start with a broken knowledge base, listing every problem.
The guide's database must be migrated already (``python -m bot.serve`` does
that before it starts this server).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import List, Optional

from rasa_sdk import utils
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import guide_actions
from actions.services import ActionServices
from bot.feedback import EditorsFeedback
from bot.handoff.settings import load_settings
from bot.knowledge import KnowledgeError, LiveKnowledge
from bot.storage import connect
from bot.storage.handoffs import HandoffQueue

logger = logging.getLogger(__name__)


def build_services() -> ActionServices:
    """The action server's parts, from the environment (``GUIDE_DATABASE_URL``, ``HANDOFF_SETTINGS``).

    Raises:
        KnowledgeError: if the knowledge base has problems.
    """
    knowledge = LiveKnowledge()
    knowledge.current()  # refuse to start on broken content
    engine = connect()
    return ActionServices(
        knowledge=knowledge, handoffs=HandoffQueue(engine), settings=load_settings(), feedback=EditorsFeedback(engine)
    )


def create_app(executor: ActionExecutor) -> Sanic:
    """A Sanic app that runs ``executor``'s actions for the Rasa server."""
    app = Sanic("welcome_guide_actions", configure_logging=False)

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/actions")
    async def actions(_: Request) -> HTTPResponse:
        return response.json([{"name": name} for name in executor.actions])

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        action_call = request.json
        if action_call is None:
            return response.json({"error": "Invalid body request"}, status=400)
        utils.check_version_compatibility(action_call.get("version"))
        try:
            return response.json(await executor.run(action_call))
        except ActionExecutionRejection as rejection:
            return response.json({"error": rejection.message, "action_name": rejection.action_name}, status=400)
        except ActionNotFoundException as missing:
            logger.error(missing)
            return response.json({"error": missing.message, "action_name": missing.action_name}, status=404)

    return app


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m actions.server", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    parser.add_argument("--host", default="127.0.0.1", help="only the Rasa server talks to it (default: %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        services = build_services()
    except KnowledgeError as error:
        logger.error("The knowledge base cannot be loaded.\n%s", error.report())
        return 1
    executor = ActionExecutor()
    for action in guide_actions(services):
        executor.register_action(action)
    create_app(executor).run(args.host, args.port, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One conversation in the running Rasa server: its language, its pause, erasing it.

The channels run inside the Rasa server and reach its agent (tracker store
and lock store) through the Sanic app. :class:`Conversations` is built once
per app from that agent and the guide's handoff queue (see
:mod:`bot.channels.context`), so that channels stay adapters and this is the
one place that reads or erases a conversation.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from bot.conversations.records import delete_conversation
from bot.language.choice import CHOSEN_LANGUAGE_SLOT, DETECTION_KEY, LANGUAGE_SLOT, choose_reply_language
from bot.language.supported import DEFAULT_LANGUAGE, supported_code
from bot.storage.handoffs import HandoffQueue

logger = logging.getLogger(__name__)


class Conversations:
    """The conversations of a running Rasa agent.

    Args:
        agent: Rasa's ``Agent`` (``app.ctx.agent`` in the Rasa server).
        handoffs: The guide's handoff queue, whose records of a conversation
            are erased with it.
    """

    def __init__(self, agent: Any, handoffs: HandoffQueue) -> None:
        self._agent = agent
        self._handoffs = handoffs

    async def events(self, sender_id: str) -> Optional[List[Dict[str, Any]]]:
        """Every event of the conversation (Rasa's JSON form), or ``None`` if there is none."""
        tracker = await self._agent.tracker_store.retrieve_full_tracker(sender_id)
        if tracker is None:
            return None
        return [event.as_dict() for event in tracker.events]

    async def language(self, sender_id: str, hint: Optional[str] = None) -> str:
        """The language to answer the user's latest message in, as the actions choose it.

        For replies the actions do not send (an apology, the ``/delete``
        dialogue): the language the NLU pipeline detected in the latest
        message, the conversation's, the chosen one, the app's ``hint``, English. A tracker store that cannot be read
        leaves the hint or English.
        """
        try:
            tracker = await self._agent.tracker_store.retrieve(sender_id)
        except Exception:  # noqa: BLE001 - an apology in English beats none
            logger.exception("Could not read conversation %s for its language.", sender_id)
            tracker = None
        if tracker is None:
            return supported_code(hint) or DEFAULT_LANGUAGE
        return choose_reply_language(
            (tracker.latest_message.parse_data or {}).get(DETECTION_KEY),
            tracker.get_slot(LANGUAGE_SLOT),
            tracker.get_slot(CHOSEN_LANGUAGE_SLOT),
            hint=supported_code(hint),
        ).code

    async def is_paused(self, sender_id: str) -> bool:
        """Whether a counsellor has the conversation (Rasa has paused it), so the guide is silent on purpose.

        A tracker store that cannot be read counts as not paused: better an
        apology than silence.
        """
        try:
            tracker = await self._agent.tracker_store.retrieve(sender_id)
        except Exception:  # noqa: BLE001 - see above
            logger.exception("Could not read conversation %s to see whether it is paused.", sender_id)
            return False
        return tracker is not None and tracker.is_paused()

    async def erase(self, sender_id: str) -> int:
        """Delete everything kept of one conversation: its tracker events and its handoffs.

        Holds the conversation's lock meanwhile, so that a message being
        handled at the same time cannot write the conversation back. Returns
        the number of events (SQL) or conversations (in memory) removed.

        Raises:
            RuntimeError: if the tracker store is of a kind this cannot delete from.
        """
        from rasa.core.tracker_store import InMemoryTrackerStore  # the Rasa server has imported it anyway

        store = innermost_tracker_store(self._agent.tracker_store)
        async with self._agent.lock_store.lock(sender_id):
            self._handoffs.delete_conversation(sender_id)
            engine = getattr(store, "engine", None)
            if engine is not None:
                return delete_conversation(engine, sender_id)
            if isinstance(store, InMemoryTrackerStore):
                return int(store.store.pop(sender_id, None) is not None)
        raise RuntimeError(f"cannot delete conversations from a {type(store).__name__}")


def innermost_tracker_store(store: Any) -> Any:
    """The tracker store that holds the data, under Rasa's wrappers.

    Rasa wraps the configured store in ``FailSafeTrackerStore`` and
    ``AwaitableTrackerStore``; both keep it in ``_tracker_store``, and
    neither offers deletion.
    """
    while getattr(store, "_tracker_store", None) is not None:
        store = store._tracker_store
    return store

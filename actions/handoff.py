"""Passing the user to a human counsellor: within office hours, or as a message left for later.

Within office hours the conversation is queued for the counsellors and
*paused*: the guide stays silent and every message the user writes waits in
the conversation for the counsellor who takes it (in the console,
:mod:`bot.console`). Outside office hours the guide says when counsellors are
back and offers to leave a message, with or without consent to be contacted;
a left message waits in the same queue.

If the handoff cannot be recorded (the database is down), the user is told
how to reach the Welcome Center directly: no one is left waiting for a
counsellor who will never see them.
"""

from __future__ import annotations

import datetime
import logging
from typing import List, Optional

from babel.dates import format_date, format_time

from actions.turn import GuideAction, Turn
from bot.knowledge import KnowledgeBase
from bot.replies import ANSWER, OFFLINE, QUEUED, Reply, handoff_element
from bot.storage.handoffs import ASKED, OFFERED

logger = logging.getLogger(__name__)

#: Entities the guide's own buttons set (see domain.yml).
REASON_ENTITY = "handoff_reason"
CONSENT_ENTITY = "contact_consent"
#: Button payloads: ask for a counsellor after the guide's offer; leave a message.
ACCEPT_OFFER_PAYLOAD = f'/request_human{{"{REASON_ENTITY}":"{OFFERED}"}}'
LEAVE_MESSAGE_PAYLOAD = "/leave_message"
LEAVE_MESSAGE_WITH_CONTACT_PAYLOAD = f'/leave_message{{"{CONSENT_ENTITY}":"yes"}}'
NO_THANKS_PAYLOAD = "/deny"


def topics_tried(turn: Turn) -> List[str]:
    """The topics the guide answered in this conversation, most recent last, each once."""
    topics = [e.get("topic") for e in turn.earlier_elements if e.get("type") == ANSWER and e.get("topic")]
    return list(dict.fromkeys(reversed(topics)))[::-1]


class QueueingAction(GuideAction):
    """An action that may queue the conversation for a counsellor and pause the guide."""

    def queue(self, turn: Turn, knowledge: KnowledgeBase, outside_hours: bool, prompt: str, status: str) -> Reply:
        """Open a handoff, reply with ``prompt`` and pause; on failure, tell how to reach a person."""
        try:
            self.services.handoffs.open_handoff(
                turn.conversation_id,
                turn.channel or "unknown",
                turn.lang,
                topics_tried(turn),
                reason=OFFERED if turn.entity(REASON_ENTITY) == OFFERED else ASKED,
                outside_hours=outside_hours,
                contact_consent=turn.entity(CONSENT_ENTITY) == "yes",
            )
        except Exception:  # noqa: BLE001 - the user must hear what to do instead
            logger.exception("Could not queue conversation %s for a counsellor.", turn.conversation_id)
            return Reply(handoff_element(turn.lang, OFFLINE), [knowledge.phrases.get("handoff_failed", turn.lang)])
        # The widget shows no typing indicator while the user waits for a person.
        element = {**handoff_element(turn.lang, status), "waiting_for_counsellor": True}
        return Reply(element, [knowledge.phrases.get(prompt, turn.lang)], hands_over=True)


class ActionHandoff(QueueingAction):
    """Queues the conversation for a counsellor, or offers to leave a message outside office hours."""

    def name(self) -> str:
        return "action_handoff"

    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        hours, now = self.services.settings.office_hours, self.services.now()
        if hours.is_open(now):
            return self.queue(turn, knowledge, False, "handoff_queued", QUEUED)
        return offline_reply(turn, knowledge, hours.next_opening(now))


def offline_reply(turn: Turn, knowledge: KnowledgeBase, back: Optional[datetime.datetime]) -> Reply:
    """Outside office hours: when counsellors are back, and the offer to leave a message."""
    phrases = knowledge.phrases
    if back is None:
        text = phrases.get("handoff_closed", turn.lang)
    else:
        text = phrases.get("handoff_offline", turn.lang).format(back=back_at(back, turn.lang))
    buttons = [
        {"title": phrases.get("button_leave_message", turn.lang), "payload": LEAVE_MESSAGE_PAYLOAD},
        {
            "title": phrases.get("button_leave_message_contact", turn.lang),
            "payload": LEAVE_MESSAGE_WITH_CONTACT_PAYLOAD,
        },
        {"title": phrases.get("button_no_thanks", turn.lang), "payload": NO_THANKS_PAYLOAD},
    ]
    return Reply(handoff_element(turn.lang, OFFLINE), [text], buttons)


def back_at(when: datetime.datetime, lang: str) -> str:
    """``when`` as people of ``lang`` write a day and time ("Montag, 30. November 2026, 09:00")."""
    return f"{format_date(when, 'full', locale=lang)}, {format_time(when, 'short', tzinfo=when.tzinfo, locale=lang)}"


class ActionLeaveMessage(QueueingAction):
    """Queues a message left outside office hours; the user writes it next."""

    NAME = "action_leave_message"

    def name(self) -> str:
        return self.NAME

    def reply(self, turn: Turn, knowledge: KnowledgeBase) -> Reply:
        if self.services.settings.office_hours.is_open(self.services.now()):  # an old button, in office hours
            return self.queue(turn, knowledge, False, "handoff_queued", QUEUED)
        prompt = "leave_message_contact_prompt" if turn.entity(CONSENT_ENTITY) == "yes" else "leave_message_prompt"
        return self.queue(turn, knowledge, True, prompt, OFFLINE)

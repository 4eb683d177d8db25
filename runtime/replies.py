"""Answers the runtime gives outside the conversation (no stored tracker is touched)."""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger("runtime")


async def say(agent: Agent, message: UserMessage, response_name: str, **values: Any) -> None:
    """Send one domain response without touching the conversation's stored tracker."""
    if agent.nlg is None or agent.domain is None:
        return
    tracker = DialogueStateTracker(message.sender_id or "", agent.domain.slots)
    reply = await agent.nlg.generate(response_name, tracker, message.output_channel.name(),
                                     **values)
    if reply:
        await message.output_channel.send_response(message.sender_id, reply)
    else:
        logger.warning("The domain has no '%s' response.", response_name)


def collected(message: UserMessage):
    """What `Agent.handle_message` returns: the collected replies, for collecting channels."""
    out = message.output_channel
    return out.messages if isinstance(out, CollectingOutputChannel) else None

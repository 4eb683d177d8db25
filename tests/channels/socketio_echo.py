"""A socket.io server for tests: channels.socketio.SocketIOInput, registered on a Sanic app
the way `rasa run` registers input channels, in front of an echo handler instead of the
assistant.

    python -m tests.channels.socketio_echo PORT [JWT_KEY]

Each message is answered with ``echo: <text> | sender <sender id> | channel <channel>``
(and `` | timezone <zone>`` when the message's metadata holds one).
It runs in its own process because Sanic 21.12 cannot start a second app in one process.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from channels.socketio import SocketIOInput


def main(argv: list[str]) -> None:
    port = int(argv[0])
    credentials = {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
                   "session_persistence": True}
    if len(argv) > 1:
        credentials.update(jwt_key=argv[1], jwt_method="HS256")
    channel = SocketIOInput.from_credentials(credentials)

    async def echo(message: UserMessage) -> None:
        metadata = message.metadata if isinstance(message.metadata, dict) else {}
        zone = f" | timezone {metadata['timezone']}" if "timezone" in metadata else ""
        await message.output_channel.send_text_message(
            message.sender_id,
            f"echo: {message.text} | sender {message.sender_id} | "
            f"channel {message.input_channel}{zone}")

    app = Sanic("socketio_echo")
    register([channel], app, route="/webhooks/")
    app.ctx.agent = SimpleNamespace(handle_message=echo)  # Rasa calls agent.handle_message
    app.run(host="127.0.0.1", port=port, access_log=False, motd=False)


if __name__ == "__main__":
    main(sys.argv[1:])

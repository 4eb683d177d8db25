"""The widget's time zone reaches the actions: the socket.io channel reads a message's
``metadata`` object (where web/src/core.js messageMetadata puts ``timezone``), and the REST
channel passes a body's ``metadata`` on."""

from __future__ import annotations

import queue
import secrets

import socketio
import yaml

from channels.rest import rest_body_problem
from channels.socketio import SocketIOInput
from harness.paths import ROOT
from tests.channels.test_socketio_jwt import SocketServer


def test_the_socketio_channel_reads_the_metadata_key_the_widget_sends():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    channel = SocketIOInput.from_credentials(credentials["channels.socketio.SocketIOInput"])
    assert channel.metadata_key == "metadata"
    assert "metadata: messageMetadata()" in (ROOT / "web/src/widget.js").read_text("utf-8")


def test_rest_accepts_a_timezone_in_the_metadata_and_refuses_a_non_object():
    assert rest_body_problem(
        b'{"sender": "s", "message": "hi", "metadata": {"timezone": "Asia/Tokyo"}}', 10_000
    ) is None
    assert rest_body_problem(
        b'{"sender": "s", "message": "hi", "metadata": "Asia/Tokyo"}', 10_000
    ) == (400, "'metadata' must be a JSON object")


def test_the_widgets_time_zone_reaches_the_message_over_socketio(tmp_path):
    server = SocketServer(tmp_path).start()
    client = socketio.Client(reconnection=False)
    replies: queue.Queue = queue.Queue()
    confirmed: queue.Queue = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", replies.put)
    try:
        client.connect(server.url, socketio_path="/socket.io", transports=["websocket"],
                       wait_timeout=10)
        session_id = secrets.token_hex(16)
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.get(timeout=10) == session_id
        # the shape web/src/widget.js sends
        client.emit("user_uttered", {"message": "I had a banana", "session_id": session_id,
                                     "metadata": {"timezone": "Asia/Tokyo"}})
        reply = replies.get(timeout=10)
        assert reply["text"].endswith("| channel socketio | timezone Asia/Tokyo")
    finally:
        client.disconnect()
        server.stop()

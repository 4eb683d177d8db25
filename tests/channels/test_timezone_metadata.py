"""The widget's time zone reaches the actions: the socket.io channel reads a message's
``metadata`` object (where web/src/core.js messageMetadata puts ``timezone``), and the REST
channel passes a body's ``metadata`` on."""

from __future__ import annotations

import yaml

from channels.rest import rest_body_problem
from channels.socketio import SocketIOInput
from harness.paths import ROOT


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

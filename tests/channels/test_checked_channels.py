"""credentials.yml's REST and readiness channels, mounted by Rasa's own code: the paths
clients, load balancers and deploy/'s health checks use stay where they were."""

from __future__ import annotations

from pathlib import Path

from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.run import configure_app, create_http_input_channels
from sanic import Sanic

from channels.ready import ReadyInput
from channels.rest import RestInput

ROOT = Path(__file__).resolve().parents[2]


def test_credentials_mount_checked_rest_and_ready_at_the_usual_paths(monkeypatch):
    monkeypatch.setattr(Sanic, "test_mode", True)  # several apps named alike in one process
    channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    kinds = {type(channel) for channel in channels}
    assert {RestInput, ReadyInput} <= kinds and RasaRestInput not in kinds
    app = configure_app(channels, enable_api=False, use_uvloop=False)
    routes = {(route.path.rstrip("/"), tuple(sorted(route.methods)))
              for route in app.router.routes}
    assert ("webhooks/rest/webhook", ("POST",)) in routes
    assert ("webhooks/rest", ("GET",)) in routes
    assert ("ready", ("GET",)) in routes


def test_the_rest_channel_keeps_rasas_name():
    """Stored conversations record the input channel "rest", as before."""
    assert RestInput.name() == RasaRestInput.name() == "rest"
    assert RestInput().url_prefix() == "rest"

"""The HTTP surface as `make run` really starts it (issue 8, "Security").

- Rasa 3.6.21 is the first release without CVE-2024-49375, and the API stays off unless
  authentication comes with it: without RASA_AUTH_TOKEN/JWT_SECRET the API routes don't
  exist (404); with a token they refuse requests without it (401).
- scripts/run.sh binds every server to 127.0.0.1; the action server only there.
- CORS: only the configured origins get Access-Control-Allow-Origin.
- The action server checks the shared secret header when one is configured.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.net import free_port, http, log_tail, wait_until
from harness.paths import ROOT
from harness.run_script import RunScript
from tests.reliability.support import new_secret

pytestmark = pytest.mark.integration

API_ROUTES = [
    ("GET", "/status"),
    ("GET", "/version"),
    ("GET", "/domain"),
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
]
EVIL = "https://evil.example"


def _cors_header(url: str, origin: str, method: str = "POST") -> str | None:
    """Access-Control-Allow-Origin of a preflight and of a real request from `origin`."""
    import urllib.request

    found = []
    for verb, headers in (("OPTIONS", {"Access-Control-Request-Method": method}), (method, {})):
        body = json.dumps({"sender": "cors", "message": "hi"}).encode() if verb == "POST" else None
        req = urllib.request.Request(url, data=body, method=verb, headers={
            "Origin": origin, "Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                found.append(resp.headers.get("Access-Control-Allow-Origin"))
        except urllib.error.HTTPError as err:
            found.append(err.headers.get("Access-Control-Allow-Origin"))
    values = {v for v in found if v}
    assert len(values) <= 1
    return values.pop() if values else None


def test_api_routes_do_not_exist_without_auth_settings(bot):
    for method, path in API_ROUTES:
        status, _ = http(method, f"{bot.rasa_url}{path}", {} if method != "GET" else None)
        assert status == 404, f"{method} {path} answered {status}"
    assert http("GET", f"{bot.rasa_url}/")[0] == 200


def test_cors_without_configured_origins_allows_none(bot):
    assert _cors_header(f"{bot.rasa_url}/webhooks/rest/webhook", EVIL) is None
    assert _cors_header(f"{bot.rasa_url}/socket.io/?EIO=4&transport=polling", EVIL,
                        "GET") is None


# ------------------------------------------------------------------- scripts/run.sh


def _listening(port: int) -> set[str]:
    """Local addresses listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, size in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, hexport = local.split(":")
            if state != "0A" or int(hexport, 16) != port:
                continue
            raw = bytes.fromhex(address)
            if size == 4:
                found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
            else:
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


@pytest.fixture(scope="module")
def run_script(trained_model, tmp_path_factory):
    """scripts/run.sh in a sandbox: the checkout's files linked, its own var/ (logs and
    conversations), free ports and RASA_AUTH_TOKEN set. With the action server
    (ACTIONS_MODULE empty; by default the actions run inside the Rasa server), so that every
    server run.sh can start is checked."""
    token = new_secret()
    script = RunScript(tmp_path_factory.mktemp("run-sh"),
                       {"RASA_AUTH_TOKEN": token, "ACTIONS_MODULE": ""})
    try:
        script.start()
        yield {"proc": script.proc, "script": script, "sandbox": script.sandbox,
               "token": token, "out": script.out, **script.ports}
    finally:
        script.close()


def _servers() -> tuple[str, ...]:
    # run.sh serves the demo page only when the widget is built (make web)
    return ("RASA_PORT", "ACTIONS_PORT") + (("WEB_PORT",) if (ROOT / "web" / "dist").is_dir()
                                            else ())


def test_run_script_binds_every_server_to_loopback(run_script):
    for name in _servers():
        assert _listening(run_script[name]) == {"127.0.0.1"}, name
    assert http("GET", f"http://127.0.0.1:{run_script['ACTIONS_PORT']}/health")[0] == 200
    printed = run_script["out"].read_text()
    assert "HTTP API:  on, authentication required" in printed
    assert run_script["token"] not in printed


def test_run_script_api_needs_the_token(run_script):
    base, token = f"http://127.0.0.1:{run_script['RASA_PORT']}", run_script["token"]
    for method, path in API_ROUTES:
        if path == "/version":  # Rasa serves its version number to anyone
            continue
        body = {} if method != "GET" else None
        assert http(method, f"{base}{path}", body)[0] == 401, (method, path)
        assert http(method, f"{base}{path}?token=wrong-{token}", body)[0] == 401, (method, path)
    assert http("GET", f"{base}/conversations/someone/tracker?token={token}")[0] == 200
    assert http("GET", f"{base}/status?token={token}")[0] == 200


def test_run_script_keeps_the_token_off_command_lines(run_script):
    token = run_script["token"]
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc_dir / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        assert token not in cmdline, f"token visible in `ps` for pid {proc_dir.name}"


def test_run_script_cors_allows_only_the_web_page(run_script):
    url = f"http://127.0.0.1:{run_script['RASA_PORT']}/webhooks/rest/webhook"
    page = f"http://127.0.0.1:{run_script['WEB_PORT']}"
    assert _cors_header(url, page) == page
    assert _cors_header(url, EVIL) is None
    assert _cors_header(url, "null") is None


def test_run_script_stops_cleanly(run_script):
    """Ctrl-C stops every server within a bounded time (STOP_WAIT, 10 s, then SIGKILL)."""
    script = run_script["script"]
    programs = ("actions", "rasa") + (("web",) if "WEB_PORT" in _servers() else ())
    servers = [script.pid(p) for p in programs]
    assert all(servers), servers
    code, seconds = script.interrupt(timeout=60)
    print(f"\nrun.sh stopped in {seconds:.1f} s")
    assert code == 0, script.output()[-2000:]
    assert seconds < 30, f"stopping took {seconds:.1f} s"
    assert "==> stopped after" in script.output()
    for name in _servers():
        assert wait_until(lambda n=name: not _listening(run_script[n]), 20), f"{name} still open"
    assert not [pid for pid in servers if Path(f"/proc/{pid}").exists()], "a server survived"


# ------------------------------------------------------------------ action server


@pytest.fixture(scope="module")
def guarded_actions(tmp_path_factory):
    port, secret = free_port(), new_secret()
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    env = {**os.environ, "ACTION_SERVER_SECRET": secret, "SANIC_HOST": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-m", "runtime.actions", "--actions", "actions",
                             "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        assert wait_until(lambda: proc.poll() is None and _listening(port), 60), log_tail(log)
        yield f"http://127.0.0.1:{port}", secret
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_action_server_requires_the_secret_header(guarded_actions):
    base, secret = guarded_actions
    call = {"next_action": "action_explain_topic", "sender_id": "x", "version": "3.6.21",
            "tracker": {"sender_id": "x", "slots": {}, "latest_message": {}, "events": []},
            "domain": {}}
    assert http("GET", f"{base}/health")[0] == 200  # probes need no secret
    assert http("GET", f"{base}/actions")[0] == 401
    assert http("POST", f"{base}/webhook", call)[0] == 401
    assert http("POST", f"{base}/webhook", call, headers={"X-Action-Secret": "nope"})[0] == 403
    status, body = http("GET", f"{base}/actions", headers={"X-Action-Secret": secret})
    assert status == 200 and {"name": "action_explain_topic"} in json.loads(body)


def test_action_server_refuses_a_public_address_without_secret():
    env = {**os.environ, "SANIC_HOST": "0.0.0.0"}
    env.pop("ACTION_SERVER_SECRET", None)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "runtime.actions", "--actions", "actions",
                           "--port", str(free_port())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "ACTION_SERVER_SECRET" in done.stderr
    assert time.monotonic() - started < 60

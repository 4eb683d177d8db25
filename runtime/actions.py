"""`python -m runtime.actions [rasa_sdk options]`: the action server, bound and guarded.

A thin wrapper around rasa_sdk's own app (same options as `python -m rasa_sdk`):

- it listens on SANIC_HOST, which defaults to 127.0.0.1 here (rasa_sdk's default is
  0.0.0.0, every interface);
- with ACTION_SERVER_SECRET set, every request except `GET /health` must carry the header
  `X-Action-Secret: <secret>` (401 when missing, 403 when wrong). Rasa sends it from the
  `headers:` of `action_endpoint` in endpoints.scaled.yml;
- it refuses to listen on a non-loopback address without a secret, because the action
  server has no authentication of its own.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import sys
from collections.abc import Sequence

SECRET_HEADER = "X-Action-Secret"
OPEN_PATHS = {"/health"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def add_secret_check(app, secret: str) -> None:
    """Refuse every request but the health check that lacks the shared secret header."""
    from sanic import response

    expected = secret.encode()

    async def check_secret(request):
        if request.path in OPEN_PATHS or request.method == "OPTIONS":
            return None
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return response.json({"error": f"missing {SECRET_HEADER} header"}, status=401)
        if not hmac.compare_digest(given.encode(), expected):
            return response.json({"error": f"wrong {SECRET_HEADER} header"}, status=403)
        return None

    app.register_middleware(check_secret, "request")


def main(argv: Sequence[str] | None = None) -> None:
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    args = create_argument_parser().parse_args(sys.argv[1:] if argv is None else argv)
    host = os.environ.get("SANIC_HOST", "").strip() or "127.0.0.1"
    secret = os.environ.get("ACTION_SERVER_SECRET", "").strip()
    if not secret and not is_loopback(host):
        raise SystemExit(
            f"error: refusing to listen on {host} without ACTION_SERVER_SECRET: the action "
            "server has no authentication of its own (README: 'Scaled-out profile')."
        )

    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
                                 args.log_file, args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()

    app = create_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    if secret:
        add_secret_check(app, secret)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    logging.getLogger("runtime").info(
        "Action server on %s:%s (%s)", host, args.port,
        "shared secret required" if secret else "loopback only, no secret")
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()

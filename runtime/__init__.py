"""Runtime hardening around Rasa 3.6 and rasa_sdk, without changing either.

- `python -m runtime run ...`   Rasa's CLI with the guards of runtime/guards.py
                                 (see runtime/__main__.py for the API/auth rules).
- `python -m runtime.actions`    the action server, loopback by default, with an optional
                                 shared-secret header (runtime/actions.py).
- runtime/settings.py            every limit, read from environment variables.
- `python -m runtime.retention`  deletes conversations older than RETENTION_DAYS (`make
                                 purge`); the Rasa server runs the same purge on a schedule.
- `python -m runtime.supervision` supervisord's event listener for `make run` (restarts).
"""

"""Runtime hardening around Rasa 3.6 and rasa_sdk, without changing either.

- `python -m runtime run ...`   Rasa's CLI with the guards of runtime/guards.py
                                 (see runtime/__main__.py for the API/auth rules).
- `python -m runtime.actions`    the action server, loopback by default, with an optional
                                 shared-secret header (runtime/actions.py).
- runtime/settings.py            every limit, read from environment variables.
"""

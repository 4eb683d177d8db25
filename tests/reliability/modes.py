"""Which of the two action modes the integration tests run in (README "Actions in the
server or apart"): ACTIONS_MODULE set means the actions run inside the Rasa server."""

from __future__ import annotations

import os

import pytest

IN_PROCESS = bool(os.environ.get("ACTIONS_MODULE", "").strip())

needs_action_server = pytest.mark.skipif(
    IN_PROCESS,
    reason="ACTIONS_MODULE is set: the actions run inside the Rasa server, there is no action "
           "server to stop, hang or restart (tests/reliability/test_inprocess_actions.py "
           "covers a hanging or failing action there)")

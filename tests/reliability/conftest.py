import pytest

from harness.stack import BotStack
from tests.reliability.support import new_secret, tracker


class ApiBot:
    """A running BotStack whose HTTP API is on, with a token from the environment (the
    same path as `RASA_AUTH_TOKEN=... make run`), for reading back stored trackers."""

    def __init__(self, stack: BotStack, token: str) -> None:
        self.stack = stack
        self.token = token

    @property
    def url(self) -> str:
        return self.stack.rasa_url

    def tracker(self, sender: str) -> dict:
        return tracker(self.url, sender, token=self.token)

    def events(self, sender: str) -> list[dict]:
        return self.tracker(sender)["events"]


@pytest.fixture(scope="session")
def api_bot(trained_model, tmp_path_factory):
    token = new_secret()
    stack = BotStack(workdir=tmp_path_factory.mktemp("api-bot"),
                     env={"RASA_AUTH_TOKEN": token}).start()
    yield ApiBot(stack, token)
    stack.stop()

import pytest

from harness.paths import MODEL
from harness.stack import BotStack


@pytest.fixture(scope="session")
def trained_model():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` before integration tests")
    return MODEL


@pytest.fixture(scope="session")
def bot(trained_model, tmp_path_factory):
    """One running assistant shared by the integration tests of a session."""
    stack = BotStack(workdir=tmp_path_factory.mktemp("bot")).start()
    yield stack
    stack.stop()

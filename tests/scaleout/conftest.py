"""Two Rasa servers sharing PostgreSQL + Redis (endpoints.scaled.yml), for the scale-out and
outage tests. They reach both services through TCP proxies the tests can cut, so an
outage is simulated without touching the machine's shared PostgreSQL and Redis.

Each test session gets a fresh database and a fresh Redis key prefix, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from dataclasses import dataclass

import jwt
import pytest

from harness.faults import TcpProxy
from harness.net import reachable, start_parallel
from harness.paths import ROOT
from harness.stack import BotStack
from tests.reliability.support import new_secret, tracker

PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
REDIS_PORT = int(os.environ.get("TEST_REDIS_PORT", "6379"))
PG_USER = os.environ.get("TEST_PG_USER", "postgres")


@pytest.fixture(scope="session")
def services():
    """PostgreSQL and Redis on this machine; started if they aren't (CI), else skip."""
    if not (reachable(PG_PORT) and reachable(REDIS_PORT)):
        subprocess.run([str(ROOT / "scripts" / "ensure-services.sh"), "postgres", "redis"],
                       timeout=120, check=False)
    missing = [name for name, port in (("PostgreSQL", PG_PORT), ("Redis", REDIS_PORT))
               if not reachable(port)]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not reachable on 127.0.0.1 and "
                    "scripts/ensure-services.sh could not start them")


def _pg(dbname: str = "postgres"):
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user=PG_USER, dbname=dbname,
                            connect_timeout=5)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="session")
def fresh_database(services):
    name = f"rasa_scaleout_{secrets.token_hex(6)}"
    try:
        conn = _pg()
    except Exception as error:  # e.g. no trust authentication for this user
        pytest.skip(f"cannot log in to PostgreSQL as {PG_USER!r}: {error}")
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    yield name
    conn = _pg()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@dataclass
class Cluster:
    a: BotStack
    b: BotStack
    pg: TcpProxy
    redis: TcpProxy
    jwt_secret: str
    action_secret: str
    database: str

    @property
    def jwt(self) -> str:
        """A JWT for Rasa's HTTP API (HS256, signed with JWT_SECRET)."""
        return jwt.encode({"user": {"username": "tester", "role": "admin"}},
                          self.jwt_secret, algorithm="HS256")

    def tracker(self, sender: str, stack: BotStack | None = None) -> dict:
        return tracker((stack or self.a).rasa_url, sender, jwt_token=self.jwt)

    def events(self, sender: str, stack: BotStack | None = None) -> list[dict]:
        return self.tracker(sender, stack)["events"]


@pytest.fixture(scope="session")
def cluster(trained_model, fresh_database, tmp_path_factory):
    pg, redis = TcpProxy(PG_PORT), TcpProxy(REDIS_PORT)
    jwt_secret, action_secret = new_secret(), new_secret()
    env = {
        "DB_HOST": "127.0.0.1", "DB_PORT": str(pg.port), "DB_USER": PG_USER,
        "DB_PASSWORD": "", "DB_NAME": fresh_database, "DB_LOGIN_DB": "postgres",
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port), "REDIS_PASSWORD": "",
        "REDIS_DB": "1", "REDIS_KEY_PREFIX": f"scaleout{secrets.token_hex(6)}",
        "ACTION_SERVER_SECRET": action_secret, "JWT_SECRET": jwt_secret,
    }
    endpoints = ROOT / "endpoints.scaled.yml"
    a = BotStack(workdir=tmp_path_factory.mktemp("rasa-a"), endpoints=endpoints, env=env)
    b = BotStack(workdir=tmp_path_factory.mktemp("rasa-b"), endpoints=endpoints, env=env,
                 actions_port=a.actions_port)
    try:
        a.start_actions()
        start_parallel(a.start_rasa, b.start_rasa)
        yield Cluster(a, b, pg, redis, jwt_secret, action_secret, fresh_database)
    finally:
        b.stop_rasa()
        a.stop()
        pg.close()
        redis.close()

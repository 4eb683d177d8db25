"""Load: 20 simultaneous users for 60 s, realistic multi-turn conversations over REST.

Loopback only and bounded (each user pauses 0.5-1.5 s between messages, like a fast
typist), so it stays fair to others on a 2-core machine. Afterwards every conversation's
stored tracker is read back through the HTTP API (token auth) and must hold exactly the
messages sent and the texts received: zero errors, zero lost or duplicated events.

While the users talk, `make purge`'s command (python -m runtime.retention, another process
on the same SQLite file) deletes BACKDATED conversations stored 40 days ago; those idle for
29 days and every conversation of the load must stay.

Results (requests, errors, latency p50/p95, purge) are printed and written to
test-artifacts/load-test.json. LOAD_USERS / LOAD_SECONDS override the size.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa

from harness.paths import ROOT
from tests.reliability.backdated import insert_conversation, senders
from tests.reliability.support import (
    FORM_ANSWERS,
    FORM_TRIGGER,
    bot_texts,
    response_text,
    user_texts,
)

pytestmark = pytest.mark.integration

USERS = int(os.environ.get("LOAD_USERS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
THINK = (0.5, 1.5)
BACKDATED = 300  # conversations last active 40 days ago: the purge deletes them
RECENT = 20  # last active 29 days ago: they stay
# Replies that mean the assistant could not really answer: errors too.
DEGRADED = {response_text("utter_action_server_unavailable"),
            response_text("utter_storage_unavailable")}

CONVERSATIONS = [
    ["hi", "what is magnesium?", "why does it matter for my bones?", "thanks", "bye"],
    ["hello", FORM_TRIGGER, FORM_ANSWERS["age"], FORM_ANSWERS["sex"],
     FORM_ANSWERS["life_stage"], "thank you"],
    ["hey", "how much magnesium is in almonds?", "and in 100 g of spinach?", "goodbye"],
    ["are you a bot?", "can magnesium supplements interact with my medicines?", "ok thanks"],
    ["good morning", "which foods are rich in magnesium?", "I ate 30 g of almonds and a banana",
     "bye"],
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _user(index: int, url: str, session, deadline: float, results: dict, rng) -> None:
    n = 0
    while time.monotonic() < deadline:
        sender = f"load-{index}-{n}"
        script = CONVERSATIONS[(index + n) % len(CONVERSATIONS)]
        n += 1
        conv = results["conversations"][sender] = {"sent": [], "received": []}
        for text in script:
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": text},
                                        timeout=aiohttp.ClientTimeout(total=60)) as resp:
                    status = resp.status
                    body = await resp.read()
            except Exception as error:  # counted as an error, never raised
                results["errors"].append(f"{sender}: {type(error).__name__}: {error}")
                conv["sent"].append(text)  # it may still have been processed
                conv["uncertain"] = True
                continue
            results["latencies"].append(time.perf_counter() - started)
            if status != 200:
                results["errors"].append(f"{sender}: HTTP {status}: {body[:200]!r}")
                continue
            messages = json.loads(body)
            conv["sent"].append(text)
            conv["received"] += [m["text"] for m in messages if m.get("text")]
            if not messages:
                results["silent"].append(f"{sender}: {text!r}")
            degraded = DEGRADED & {m.get("text") for m in messages}
            if degraded:  # an action timed out or storage failed under load
                results["errors"].append(f"{sender}: {text!r} got {degraded.pop()!r}")
            await asyncio.sleep(rng.uniform(*THINK))


async def _purge_meanwhile(tracker_db: Path, results: dict) -> None:
    """`make purge` (default profile) a third into the load, as another process."""
    await asyncio.sleep(SECONDS / 3)
    env = {**os.environ, "TRACKER_DB": str(tracker_db), "RETENTION_DAYS": "30",
           "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook"}  # endpoints.yml needs one
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "runtime.retention", "--endpoints", str(ROOT / "endpoints.yml"),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await proc.communicate()
    results["purge"] = {"exit_code": proc.returncode, "seconds": time.monotonic() - started,
                        "output": output.decode(errors="replace").strip().splitlines()[-1:]}


async def _run_load(base_url: str, tracker_db: Path) -> dict:
    results = {"conversations": {}, "errors": [], "latencies": [], "silent": []}
    deadline = time.monotonic() + SECONDS
    connector = aiohttp.TCPConnector(limit=USERS)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(_purge_meanwhile(tracker_db, results), *[
            _user(i, f"{base_url}/webhooks/rest/webhook", session, deadline, results,
                  random.Random(i))
            for i in range(USERS)
        ])
    return results


async def _check_trackers(base_url: str, token: str, conversations: dict) -> dict:
    problems: list[str] = []
    counted = {"user_events": 0, "bot_events": 0, "conversations": 0}
    semaphore = asyncio.Semaphore(8)

    async def one(session, sender: str, conv: dict) -> None:
        async with semaphore:
            url = f"{base_url}/conversations/{sender}/tracker"
            async with session.get(url, params={"token": token, "include_events": "ALL"}) as r:
                if r.status != 200:
                    problems.append(f"{sender}: tracker HTTP {r.status}")
                    return
                events = (await r.json())["events"]
        users, bots = user_texts(events), bot_texts(events)
        counted["user_events"] += len(users)
        counted["bot_events"] += len(bots)
        counted["conversations"] += 1
        if conv.get("uncertain"):
            return
        if users != conv["sent"]:
            problems.append(f"{sender}: stored user messages {users} != sent {conv['sent']}")
        if bots != conv["received"]:
            problems.append(f"{sender}: stored bot texts differ from the {len(conv['received'])}"
                            f" received ({len(bots)} stored)")

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*[one(session, s, c) for s, c in conversations.items() if c["sent"]])
    return {"problems": problems, **counted}


def test_twenty_users_for_a_minute(api_bot):
    tracker_db = api_bot.stack.workdir / "tracker.db"
    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    for i in range(BACKDATED):
        insert_conversation(engine, f"backdated-{i}", 40)
    for i in range(RECENT):
        insert_conversation(engine, f"recent-{i}", 29)
    started = time.monotonic()
    results = asyncio.run(_run_load(api_bot.url, tracker_db))
    wall = time.monotonic() - started
    check = asyncio.run(_check_trackers(api_bot.url, api_bot.token, results["conversations"]))

    latencies = results["latencies"]
    summary = {
        "users": USERS,
        "seconds": round(wall, 1),
        "requests": len(latencies) + len(results["errors"]),
        "errors": len(results["errors"]),
        "silent_replies": len(results["silent"]),
        "requests_per_second": round(len(latencies) / wall, 1),
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(1000 * percentile(latencies, 0.95), 1) if latencies else None,
        "latency_max_ms": round(1000 * max(latencies), 1) if latencies else None,
        "conversations_checked": check["conversations"],
        "user_events_checked": check["user_events"],
        "bot_events_checked": check["bot_events"],
        "tracker_problems": len(check["problems"]),
        "purge_seconds": round(results["purge"]["seconds"], 2),
        "purge_output": results["purge"]["output"],
    }
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    Path(out / "load-test.json").write_text(json.dumps(
        {**summary, "first_errors": results["errors"][:20],
         "first_problems": check["problems"][:20], "first_silent": results["silent"][:20]},
        indent=2))
    print("\nload test:", json.dumps(summary))

    assert summary["requests"] >= USERS * 10, "the load really ran"
    assert results["errors"] == []
    assert check["problems"] == []
    assert results["silent"] == [], "every message got an answer"
    assert results["purge"]["exit_code"] == 0, results["purge"]
    assert f"deleted {BACKDATED} conversations" in results["purge"]["output"][0]
    stored = senders(engine)
    engine.dispose()
    assert not [s for s in stored if s.startswith("backdated-")], "purged"
    assert sum(s.startswith("recent-") for s in stored) == RECENT, "idle 29 days: kept"

"""Time (and optionally profile) our assistant turn by turn, in one process, without HTTP.

    .venv/bin/python -m bench.profile_turns [--rounds 3] [--profile out.prof]

Runs the custom actions as `make run` does: inside this process by default
(ACTIONS_MODULE=actions), or with ACTIONS_MODULE set empty in the action server
(`python -m runtime.actions` on a free port, started with harness.stack.BotStack as the
tests start it). Loads the trained model with endpoints.yml
(tracker store in a temporary SQLite file) and the runtime guards and speed-ups as
`python -m runtime` installs them, then plays every test story's user turns through
`Agent.handle_message`, `--rounds` times, each conversation with a fresh sender.
Prints the model loading time, the first turn after loading, and per round the mean time
per turn and the median of custom-action ("computed") turns and of the others. With
`--profile`, the last round runs under cProfile and the statistics are written to that
file (read them with `python -m pstats`). Set RUNTIME_SPEEDUPS=off to leave the
speed-ups out, as `python -m runtime` does.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.run_bench import load_conversations
from harness.paths import ROOT
from harness.stack import DEFAULT_ACTIONS_MODULE, BotStack


async def play(agent, conversations, profile: cProfile.Profile | None = None) -> dict:
    from rasa.core.channels import CollectingOutputChannel, UserMessage

    computed, plain = [], []
    began = time.perf_counter()
    if profile:
        profile.enable()
    for conversation in conversations:
        sender = uuid.uuid4().hex
        for turn in conversation:
            start = time.perf_counter()
            await agent.handle_message(UserMessage(turn.text, CollectingOutputChannel(), sender))
            (computed if turn.computed else plain).append(time.perf_counter() - start)
    if profile:
        profile.disable()
    turns = len(computed) + len(plain)
    return {"turns": turns, "mean_ms": 1000 * (time.perf_counter() - began) / turns,
            "computed_p50_ms": 1000 * statistics.median(computed),
            "other_p50_ms": 1000 * statistics.median(plain)}


async def measure(args, endpoints: Path) -> None:
    from rasa.core.agent import load_agent
    from rasa.core.channels import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints

    began = time.perf_counter()
    agent = await load_agent(model_path=str(ROOT / "models" / "assistant.tar.gz"),
                             endpoints=AvailableEndpoints.read_endpoints(str(endpoints)))
    loaded = time.perf_counter()
    await agent.handle_message(UserMessage("hi", CollectingOutputChannel(), "first-turn"))
    print(f"model loading {loaded - began:.2f} s; first turn after loading "
          f"{1000 * (time.perf_counter() - loaded):.0f} ms")
    conversations = load_conversations(ROOT / "tests" / "stories")
    for number in range(1, args.rounds + 1):
        profile = cProfile.Profile() if args.profile and number == args.rounds else None
        result = await play(agent, conversations, profile)
        print(f"round {number}{' (profiled)' if profile else ''}: {result['turns']} turns, "
              f"{result['mean_ms']:.1f} ms per turn; median computed turn "
              f"{result['computed_p50_ms']:.1f} ms, other turns {result['other_p50_ms']:.1f} ms")
        if profile:
            profile.dump_stats(args.profile)
            print(f"profile written to {args.profile}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="write cProfile statistics of the last round here")
    args = parser.parse_args()

    os.chdir(ROOT)
    os.environ.setdefault("ACTIONS_MODULE", DEFAULT_ACTIONS_MODULE)  # before runtime's ""
    remote = not os.environ["ACTIONS_MODULE"].strip()
    from runtime.__main__ import install_runtime

    install_runtime(os.environ)
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        stack = BotStack(workdir=Path(tmp))
        os.environ.update(ACTION_ENDPOINT_URL=f"{stack.actions_url}/webhook",
                          TRACKER_DB=str(Path(tmp) / "tracker.db"))
        if remote:
            stack.start_actions()
        try:
            asyncio.run(measure(args, ROOT / "endpoints.yml"))
        finally:
            stack.stop_actions()


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the assistant against a stock Rasa bot on this machine.

    .venv/bin/python -m bench.run_bench [--duration 30] [--levels 1 20 50] [--skip-quality]

What it does, in one run:
1. Builds the reference bot once (`rasa init --no-prompt`: default DIET + TED config, trained),
   cached in build/bench/reference/ and reused by later runs.
2. Starts both bots side by side (harness.stack.BotStack: REST channel; our action server too)
   and records start-up time to the first answer, then resident memory of each server process.
3. For each concurrency level, runs our bot and the reference bot alternately for `--duration`
   seconds each: every virtual user plays whole conversations from the bot's own test stories
   (a fresh sender per conversation) and every request's latency is recorded.
4. Times a full `rasa train --force` of both projects.
5. Unless --skip-quality: trains NLU-only models for each candidate config in bench/configs/ and
   scores held-out intent macro-F1 and entity F1 (tests/nlu_holdout/, tests/nlu_entities/).
6. Writes bench/results/latest.md (a Markdown report with the command, date, machine and
   versions), bench/results/latest.json and bench/results/latency.png.

Load is generated on the same machine over loopback only, and every run is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import aiohttp
import yaml

from harness.paths import ROOT
from harness.stack import BotStack

BIN = Path(sys.executable).parent
CACHE = ROOT / "build" / "bench"
RESULTS = ROOT / "bench" / "results"
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


# ----------------------------------------------------------------------------- conversations
@dataclass
class Turn:
    text: str
    computed: bool  # the bot answers this turn with a custom action or a form


def load_conversations(stories_path: Path) -> list[list[Turn]]:
    """User turns of every test story (one file, or every .yml of a folder), markup
    stripped, each flagged if a custom action answers."""
    files = sorted(stories_path.glob("*.yml")) if stories_path.is_dir() else [stories_path]
    stories = [s for f in files for s in yaml.safe_load(f.read_text()).get("stories", [])]
    conversations = []
    for story in stories:
        turns: list[Turn] = []
        for step in story.get("steps", []):
            if "user" in step:
                text = ENTITY_MARKUP.sub(r"\1", step["user"]).strip()
                turns.append(Turn(text, computed=False))
            elif turns and "action" in step:
                name = step["action"]
                if name.startswith("action_") or name.endswith("_form"):
                    turns[-1].computed = True
        if turns:
            conversations.append(turns)
    return conversations


# ----------------------------------------------------------------------------- bots
@dataclass
class Bot:
    """A bot under load: its servers (a harness BotStack), the test stories it plays, and
    its start-up time to the first answer."""

    name: str
    stack: BotStack
    stories: Path
    startup_s: float = 0.0

    @property
    def url(self) -> str:
        return f"{self.stack.rasa_url}/webhooks/rest/webhook"

    def start(self) -> None:
        """Start both servers at once (a fresh tracker file) and time the first answer."""
        (self.stack.workdir / "tracker.db").unlink(missing_ok=True)
        began = time.monotonic()
        self.stack.launch()
        try:
            self.stack.wait_first_answer(timeout=300)
        except RuntimeError as error:
            raise RuntimeError(f"{self.name}: {error}") from error
        self.startup_s = time.monotonic() - began

    def memory(self) -> dict[str, float]:
        return self.stack.memory()

    def stop(self) -> None:
        self.stack.stop()


def our_bot(logdir: Path, endpoints: str = "endpoints.yml",
            env: dict[str, str] | None = None) -> Bot:
    """Our assistant, started as `make run` starts it, with an endpoints file (a path
    relative to the repository) and extra environment for its servers."""
    stack = BotStack(workdir=logdir / "ours", endpoints=ROOT / endpoints, env=dict(env or {}))
    return Bot("ours", stack, ROOT / "tests" / "stories")


def reference_bot(project: Path, logdir: Path) -> Bot:
    """The stock `rasa init` bot: plain `rasa run` in its own folder, no action server."""
    stack = BotStack(workdir=logdir / "reference", project=project, model=latest_model(project),
                     endpoints=project / "endpoints.yml",
                     credentials=project / "credentials.yml", shipped=False, with_actions=False)
    return Bot("reference", stack, project / "tests" / "test_stories.yml")


# ----------------------------------------------------------------------------- load
def percentile(values: list[float], q: float) -> float | None:
    """The value below which a share ``q`` of ``values`` lie (the sorted value at index
    ``int(q * n)``, the largest at most); ``None`` for no values. Every benchmark uses it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class LoadResult:
    users: int
    duration_s: float
    latencies_ms: list[float] = field(default_factory=list)
    computed_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict:
        pct = percentile
        n = len(self.latencies_ms)
        return {
            "users": self.users, "requests": n, "errors": self.errors,
            "throughput_rps": n / self.duration_s,
            "p50_ms": pct(self.latencies_ms, 0.50), "p95_ms": pct(self.latencies_ms, 0.95),
            "p99_ms": pct(self.latencies_ms, 0.99),
            "computed_requests": len(self.computed_ms),
            "computed_p50_ms": pct(self.computed_ms, 0.50),
            "computed_p99_ms": pct(self.computed_ms, 0.99),
        }


async def run_load(bot: Bot, conversations: list[list[Turn]], users: int,
                   duration: float, tag: str) -> LoadResult:
    result = LoadResult(users=users, duration_s=duration)
    deadline = time.monotonic() + duration
    connector = aiohttp.TCPConnector(limit=users + 5)
    timeout = aiohttp.ClientTimeout(total=60)

    async def user(uid: int, session: aiohttp.ClientSession) -> None:
        i = uid
        while time.monotonic() < deadline:
            conversation = conversations[i % len(conversations)]
            sender = f"{tag}-u{uid}-c{i}"
            i += users
            for turn in conversation:
                if time.monotonic() >= deadline:
                    return
                began = time.perf_counter()
                try:
                    async with session.post(bot.url, json={"sender": sender, "message": turn.text},
                                            timeout=timeout) as r:
                        body = await r.json(content_type=None)
                        ok = r.status == 200 and isinstance(body, list) and len(body) > 0
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                elapsed = (time.perf_counter() - began) * 1000
                if ok:
                    result.latencies_ms.append(elapsed)
                    if turn.computed:
                        result.computed_ms.append(elapsed)
                else:
                    result.errors += 1

    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(user(u, session) for u in range(users)))
    return result


# ----------------------------------------------------------------------------- building
def run_timed(args: list[str], cwd: Path, log: Path) -> float:
    began = time.monotonic()
    with log.open("w") as out:
        subprocess.run(args, cwd=cwd, check=True, stdout=out, stderr=subprocess.STDOUT,
                       env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    return time.monotonic() - began


def reference_project() -> Path:
    ref = CACHE / "reference"
    if not (ref / "models").exists() or not list((ref / "models").glob("*.tar.gz")):
        shutil.rmtree(ref, ignore_errors=True)
        ref.mkdir(parents=True)
        print("==> building the reference bot (rasa init --no-prompt, default DIET + TED config)")
        run_timed([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(ref)], CACHE,
                  CACHE / "reference-init.log")
    return ref


def latest_model(project: Path) -> Path:
    return max((project / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


# ----------------------------------------------------------------------------- quality
def nlu_quality(config: Path, workdir: Path) -> dict:
    """Train an NLU-only model with `config` and score it on the held-out sets."""
    from bench.quality import score_model

    out = workdir / f"{config.parent.name}-{config.stem}"
    train_s = run_timed([str(BIN / "rasa"), "train", "nlu", "--config", str(config),
                         "--nlu", "data/nlu", "--out", str(out), "--fixed-model-name", "nlu"],
                        ROOT, workdir / f"{config.stem}-train.log")
    scores = score_model(out / "nlu.tar.gz")
    scores["nlu_train_s"] = train_s
    return scores


# ----------------------------------------------------------------------------- report
def versions() -> dict:
    import rasa
    import spacy

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"rasa": rasa.__version__, "spacy": spacy.__version__,
            "python": platform.python_version(), "cpu": cpu, "cores": os.cpu_count(),
            "kernel": platform.release()}


def chart(load: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for name, style in (("ours", "o-"), ("reference", "s--")):
        rows = [r for r in load[name]]
        users = [r["users"] for r in rows]
        ax1.plot(users, [r["p50_ms"] for r in rows], style, label=f"{name} p50")
        ax1.plot(users, [r["p99_ms"] for r in rows], style, alpha=0.5, label=f"{name} p99")
        ax2.plot(users, [r["throughput_rps"] for r in rows], style, label=name)
    ax1.set(xlabel="concurrent users", ylabel="latency (ms)", title="Latency vs concurrency",
            yscale="log")
    ax2.set(xlabel="concurrent users", ylabel="requests / s", title="Throughput")
    ax1.legend()
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def fmt(value, digits=0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def report(data: dict, command: str) -> str:
    v = data["versions"]
    lines = [
        f"Measured {data['date']} on {v['cores']} cores ({v['cpu']}), Python {v['python']}, "
        f"Rasa {v['rasa']}, spaCy {v['spacy']}.",
        "",
        f"Command: `{command}`",
        "",
        "| concurrent users | bot | requests/s | p50 ms | p95 ms | p99 ms | errors | "
        "computed-turn p50 / p99 ms |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for ours, ref in zip(data["load"]["ours"], data["load"]["reference"]):
        for name, row in (("ours", ours), ("reference", ref)):
            lines.append(
                f"| {row['users']} | {name} | {fmt(row['throughput_rps'], 1)} | "
                f"{fmt(row['p50_ms'], 1)} | {fmt(row['p95_ms'], 1)} | {fmt(row['p99_ms'], 1)} | "
                f"{row['errors']} | {fmt(row['computed_p50_ms'], 1)} / "
                f"{fmt(row['computed_p99_ms'], 1)} |")
        ratio = ours["throughput_rps"] / ref["throughput_rps"] if ref["throughput_rps"] else None
        lines.append(f"| {ours['users']} | **ratio ours/reference** | **{fmt(ratio, 2)}x** | "
                     "| | | | |")
    s = data["static"]
    lines += [
        "",
        "| | ours | reference | ratio |",
        "|---|---:|---:|---:|",
    ]
    for key, label in (("startup_s", "start-up to first answer (s)"),
                       ("rasa_rss_mb", "Rasa server RSS after load (MB)"),
                       ("actions_rss_mb", "action server RSS (MB)"),
                       ("rasa_pss_mb", "Rasa server PSS after load (MB)"),
                       ("actions_pss_mb", "action server PSS (MB)"),
                       ("train_s", "full `rasa train --force` (s)")):
        o, r = s["ours"].get(key), s["reference"].get(key)
        ratio = fmt(o / r, 2) if o and r else "-"
        lines.append(f"| {label} | {fmt(o, 1)} | {fmt(r, 1)} | {ratio} |")
    if data.get("quality"):
        lines += ["", "| NLU config | held-out intent macro-F1 | entity F1 | NLU training (s) |",
                  "|---|---:|---:|---:|"]
        for name, q in data["quality"].items():
            lines.append(f"| {name} | {fmt(q.get('intent_macro_f1'), 3)} | "
                         f"{fmt(q.get('entity_f1'), 3)} | {fmt(q.get('nlu_train_s'), 1)} |")
    lines += ["", "![latency and throughput vs concurrency](bench/results/latency.png)", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per load run")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 20, 50])
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-train-timing", action="store_true")
    parser.add_argument("--skip-reference", action="store_true",
                        help="measure our bot only (for comparing variants of it)")
    parser.add_argument("--endpoints", default="endpoints.yml",
                        help="endpoints file for our bot (a variant to measure)")
    parser.add_argument("--env", nargs="*", default=[], metavar="NAME=VALUE",
                        help="extra environment for our bot's servers")
    parser.add_argument("--out", default="latest", help="name of the result files")
    args = parser.parse_args()
    command = "make bench" if os.environ.get("MAKELEVEL") else " ".join(
        [".venv/bin/python -m bench.run_bench", *sys.argv[1:]])

    RESULTS.mkdir(parents=True, exist_ok=True)
    logdir = CACHE / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    ref = reference_project()
    ours = our_bot(logdir, args.endpoints, dict(e.split("=", 1) for e in args.env))
    reference = reference_bot(ref, logdir)
    bots = [ours] if args.skip_reference else [ours, reference]
    conv = {b.name: load_conversations(b.stories) for b in bots}

    data: dict = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                  "versions": versions(), "load": {"ours": [], "reference": []},
                  "static": {"ours": {}, "reference": {}}}
    try:
        for bot in reversed(bots):
            print(f"==> starting {bot.name}")
            bot.start()
            data["static"][bot.name]["startup_s"] = bot.startup_s
            print(f"    first answer after {bot.startup_s:.1f} s")
        for users in args.levels:
            for bot in bots:
                print(f"==> {bot.name}: {users} users for {args.duration:.0f} s")
                res = asyncio.run(run_load(bot, conv[bot.name], users, args.duration,
                                           tag=f"{bot.name}-{users}-{time.time_ns()}"))
                summary = res.summary()
                data["load"][bot.name].append(summary)
                print(f"    {summary['throughput_rps']:.1f} req/s, p50 {summary['p50_ms']} ms, "
                      f"errors {summary['errors']}")
        for bot in bots:
            data["static"][bot.name].update(bot.memory())
    finally:
        for bot in bots:
            bot.stop()

    if not args.skip_train_timing:
        for bot in bots:
            print(f"==> timing a full rasa train of {bot.name}")
            out = CACHE / f"train-{bot.name}"
            project = bot.stack.project
            # Our domain is a directory of files (domain/); the stock bot's one domain.yml.
            domain = "domain" if (project / "domain").is_dir() else "domain.yml"
            data["static"][bot.name]["train_s"] = run_timed(
                [str(BIN / "rasa"), "train", "--force", "--domain", domain, "--out", str(out)],
                project, logdir / f"train-{bot.name}.log")
            shutil.rmtree(out, ignore_errors=True)

    if not args.skip_quality:
        data["quality"] = {}
        workdir = CACHE / "quality"
        workdir.mkdir(parents=True, exist_ok=True)
        candidates = [ROOT / "config.yml", *sorted((ROOT / "bench" / "configs").glob("*.yml"))]
        for config in candidates:
            name = ("shipped (config.yml)" if config.parent == ROOT
                    else f"bench/configs/{config.name}")
            print(f"==> NLU quality of {name}")
            data["quality"][name] = nlu_quality(config, workdir)

    data["command"] = command
    (RESULTS / f"{args.out}.json").write_text(json.dumps(data, indent=2))
    if args.skip_reference:
        return
    chart(data["load"], RESULTS / "latency.png")
    (RESULTS / f"{args.out}.md").write_text(report(data, command))
    print((RESULTS / f"{args.out}.md").read_text())
    ratios = [o["throughput_rps"] / r["throughput_rps"]
              for o, r in zip(data["load"]["ours"], data["load"]["reference"])
              if r["throughput_rps"]]
    if ratios:
        print(f"throughput ratio ours/reference: {statistics.mean(ratios):.2f}x on average")


if __name__ == "__main__":
    main()

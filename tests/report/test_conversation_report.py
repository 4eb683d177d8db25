"""The conversation review (ops.report) on a seeded tracker store: every table's figures,
the period, the empty store, the one-file HTML page, the CLI, and PostgreSQL."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from harness.paths import ROOT
from ops.report.__main__ import main
from ops.report.domain_text import unknown_foods_in
from ops.report.render import SECTIONS, write_report
from ops.report.review import Review, review_rows
from ops.report.store import StoreSettings, read_rows
from tests.report.conftest import DRAGON_MATCHES, NOV, SENDERS, SINCE, UNTIL
from tests.report.seed import reply


def review_of(path: Path, since=SINCE, until=UNTIL) -> Review:
    settings = StoreSettings.sqlite(path)
    return review_rows(read_rows(settings, since, until), since, until, settings.description)


@pytest.fixture(scope="module")
def review(seeded_sqlite) -> Review:
    return review_of(seeded_sqlite)


# ------------------------------------------------------------------------------ figures


def test_summary(review):
    summary = dict(review.summary())
    assert summary["period"] == "2026-11-02 to 2026-11-04 (UTC)"
    assert {k: summary[k] for k in list(summary)[2:]} == {
        "conversations": 6,  # A's two sessions are two conversations
        "user messages": 17,
        "assistant messages": 17,
        "user messages per conversation, mean": 2.83,
        "user messages per conversation, median": 3.0,
        "messages not answered": 5,
        "fallback rate (%)": 29.4,
        "foods asked for that the table lacks": 3,
        "computed answers": 8,
    }


def test_conversations_and_messages_per_day(review):
    assert review.daily() == [
        {"day": "2026-11-02", "conversations": 2, "user messages": 6,
         "assistant messages": 6, "not answered": 2, "fallback rate (%)": 33.3},
        {"day": "2026-11-03", "conversations": 2, "user messages": 7,
         "assistant messages": 7, "not answered": 1, "fallback rate (%)": 14.3},
        {"day": "2026-11-04", "conversations": 2, "user messages": 4,
         "assistant messages": 4, "not answered": 2, "fallback rate (%)": 50.0},
    ]


def test_turns_per_conversation(review):
    assert [(r["user messages"], r["conversations"], r["share (%)"])
            for r in review.turn_distribution()] == [
        ("1", 1, 16.7), ("2", 1, 16.7), ("3", 2, 33.3), ("4-5", 2, 33.3),
        ("6-10", 0, 0.0), ("11-20", 0, 0.0), ("21+", 0, 0.0)]


def test_intents(review):
    assert [(r["intent"], r["messages"], r["not answered"]) for r in review.intents()] == [
        ("ask_food_magnesium", 5, 1), ("inform_profile", 2, 0), ("nlu_fallback", 2, 2),
        ("out_of_scope", 2, 2), ("ask_calcium_ratio", 1, 0), ("ask_magnesium_need", 1, 0),
        ("goodbye", 1, 0), ("greet", 1, 0), ("log_food_diary", 1, 0), ("thank", 1, 0)]
    assert review.intents()[0]["share (%)"] == 29.4


def test_fallback_rate_by_reason(review):
    assert review.not_answered_by_reason() == [
        {"reason": "not understood", "messages": 2, "share of all messages (%)": 11.8},
        {"reason": "out of scope", "messages": 2, "share of all messages (%)": 11.8},
        {"reason": "technical fault", "messages": 1, "share of all messages (%)": 5.9},
    ]


def test_most_frequent_messages_not_answered(review):
    assert review.unanswered_messages() == [
        {"message": "What's the weather in Paris?", "times": 2, "conversations": 2,
         "reason": "out of scope"},
        {"message": "blorp zzz", "times": 1, "conversations": 1, "reason": "not understood"},
        {"message": "how much magnesium is in almonds", "times": 1, "conversations": 1,
         "reason": "technical fault"},
        {"message": "¿cuánto magnesio necesito?", "times": 1, "conversations": 1,
         "reason": "not understood"},
    ]


def test_foods_the_table_lacks(review):
    assert review.missing_foods() == [
        {"food asked for": "dragonfruit", "times": 2, "conversations": 2,
         "suggested instead": DRAGON_MATCHES, "in table now": ""},
        {"food asked for": "almonds", "times": 1, "conversations": 1,
         "suggested instead": "cashews", "in table now": "yes (almonds (dry roasted))"},
        {"food asked for": "quinoa puffs", "times": 1, "conversations": 1,
         "suggested instead": "quinoa (cooked)", "in table now": ""},
        {"food asked for": "zzkrbl", "times": 1, "conversations": 1,
         "suggested instead": "", "in table now": ""},
    ]


def test_computed_answers_by_kind(review):
    assert [(r["action"], r["answers"], r["conversations"], r["share (%)"])
            for r in review.computed_answers()] == [
        ("action_food_magnesium", 5, 3, 62.5), ("action_calcium_ratio", 1, 1, 12.5),
        ("action_food_diary", 1, 1, 12.5), ("action_recommended_intake", 1, 1, 12.5),
        ("action_amount_for_target", 0, 0, 0.0), ("action_another_menu", 0, 0, 0.0),
        ("action_answer_knowledge", 0, 0, 0.0), ("action_close_gap", 0, 0, 0.0),
        ("action_day_menu", 0, 0, 0.0),
        ("action_diary_clear", 0, 0, 0.0), ("action_diary_correct", 0, 0, 0.0),
        ("action_diary_remove", 0, 0, 0.0), ("action_diary_total", 0, 0, 0.0),
        ("action_explain_topic", 0, 0, 0.0), ("action_followup", 0, 0, 0.0),
        ("action_inform_diet", 0, 0, 0.0), ("action_rich_foods", 0, 0, 0.0),
        ("action_supplement_elemental", 0, 0, 0.0)]


def test_languages_recorded_or_assumed_english(review):
    assert review.languages() == [
        {"language": "en", "user messages": 16, "conversations": 6,
         "recorded in the message": 3, "assumed (none recorded)": 13},
        {"language": "es", "user messages": 1, "conversations": 1,
         "recorded in the message": 1, "assumed (none recorded)": 0},
    ]


def test_what_to_add_next(review):
    steps = review.next_steps()
    assert steps[0] == ("Foods to add to the food table: dragonfruit (2x), quinoa puffs (1x), "
                        "zzkrbl (1x).")
    assert steps[1].startswith("Questions it could not answer most often: \u201cWhat's the "
                               "weather in Paris?\u201d (2x); \u201cblorp zzz\u201d (1x)")
    assert steps[2].startswith("1 message got a technical-fault reply")


def test_unknown_foods_are_read_with_the_domain_wording():
    text = "\n".join([reply("utter_diary_not_counted"),
                      reply("utter_diary_unknown_item", text="kelp crisps", matches="kelp"),
                      reply("utter_diary_unknown_item_no_match", text="zzz")])
    assert unknown_foods_in(text) == [("kelp crisps", "kelp"), ("zzz", "")]
    assert unknown_foods_in(reply("utter_food_unknown_no_match", text="sea moss")) == [
        ("sea moss", "")]
    # a food the assistant did find is not taken for a missing one
    assert unknown_foods_in(reply("utter_food_magnesium", food="Tofu", portion="1 cup",
                                  magnesium_mg=73)) == []


# ------------------------------------------------------------------------------ period


def test_the_period_is_whole_utc_days(seeded_sqlite):
    before = review_of(seeded_sqlite, NOV[1], NOV[1])
    assert [t.text for t in before.turns] == ["tell me a joke", "magnesium in durian"]
    assert [f["food asked for"] for f in before.missing_foods()] == ["durian"]
    after = review_of(seeded_sqlite, NOV[5], NOV[5])
    assert [t.text for t in after.turns] == ["magnesium in sea moss"]
    everything = review_of(seeded_sqlite, NOV[1], NOV[5])
    assert len(everything.turns) == 17 + 2 + 1
    assert dict(everything.summary())["conversations"] == 8
    # the last 0.2 s of 4 November are in a period ending that day, not in the next
    assert [t.text for t in review_of(seeded_sqlite, NOV[4], NOV[4]).turns][-1] == "bye"
    assert "bye" not in [t.text for t in after.turns]


# ------------------------------------------------------------------------------ empty store


def empty_checks(review: Review, out: Path) -> None:
    assert review.empty
    summary = dict(review.summary())
    assert (summary["conversations"], summary["user messages"]) == (0, 0)
    assert summary["fallback rate (%)"] == ""
    files = write_report(review, out)
    page = (out / "report.html").read_text()
    assert "No conversations in this period" in page
    assert "data:image/svg+xml" not in page  # no empty charts
    for section in SECTIONS:  # every CSV file still has its header
        with (out / f"{section.key}.csv").open() as handle:
            assert next(csv.reader(handle)) == list(section.columns)
    assert len(files) == len(SECTIONS) + 2


def test_empty_store_no_file_yet(tmp_path):
    missing = tmp_path / "var" / "tracker.db"
    empty_checks(review_of(missing), tmp_path / "out")
    assert not missing.exists(), "the report must not create the store"


def test_cli_on_a_store_not_created_yet(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PROFILE", "default")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    assert main(["--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert "tracker.db does not exist yet" in err
    assert "no conversations in this period" in out
    assert (tmp_path / "out" / "report.html").is_file()
    assert not (tmp_path / "tracker.db").exists()


def test_empty_store_without_events_table_and_with_no_events(tmp_path):
    bare = tmp_path / "bare.db"
    sqlite3.connect(bare).close()
    empty_checks(review_of(bare), tmp_path / "bare")
    no_rows = tmp_path / "no-rows.db"
    with sqlite3.connect(no_rows) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                           "type_name TEXT, timestamp FLOAT, intent_name TEXT, "
                           "action_name TEXT, data TEXT)")
    empty_checks(review_of(no_rows), tmp_path / "no-rows")


def test_a_period_without_conversations(seeded_sqlite, tmp_path):
    empty_checks(review_of(seeded_sqlite, dt.date(2025, 1, 1), dt.date(2025, 1, 31)), tmp_path)


# ------------------------------------------------------------------------------ the files


@pytest.fixture(scope="module")
def written(review, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_report(review, out)
    return out


def test_html_is_one_file_with_its_charts_embedded(written):
    assert sorted(p.name for p in written.iterdir()) == sorted(
        ["report.html", "summary.csv"] + [f"{s.key}.csv" for s in SECTIONS])
    page = (written / "report.html").read_text()
    # nothing is loaded from elsewhere: no external scripts, styles, images or links
    assert not re.search(r"<(script|link|iframe)\b", page)
    sources = re.findall(r'src="([^"]*)"', page)
    assert len(sources) == 7  # one chart per section that has one
    assert all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    for source in sources:
        svg = base64.b64decode(source.split(",", 1)[1]).decode()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "</svg>" in svg
    assert not re.search(r'(href|src)="(https?:)?//', page)
    alts = re.findall(r'<img alt="([^"]+)"', page)
    assert len(alts) == 7 and all(len(a) > 20 for a in alts)
    # the figures a reader looks for first
    assert "What to add next" in page and "dragonfruit (2x)" in page
    assert "<td class=num>29.4</td>" in page


def test_no_sender_ids_anywhere(written):
    for path in written.iterdir():
        text = path.read_text()
        if path.suffix == ".html":  # also inside the embedded charts
            text += "".join(base64.b64decode(s).decode() for s in
                            re.findall(r"base64,([A-Za-z0-9+/=]+)", text))
        for sender in SENDERS.values():
            assert sender not in text and sender[:12] not in text, path.name


def test_csv_files_hold_the_same_tables(written, review):
    for section in SECTIONS:
        with (written / f"{section.key}.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        expected = section.rows(review)
        assert [list(r) for r in rows] == [list(section.columns)] * len(expected)
        assert rows == [{k: str(v) for k, v in r.items()} for r in expected], section.key


def test_messages_are_shortened_and_masked(tmp_path):
    from tests.report.seed import Conversation, at, save, tracker_store

    long = ("please email me at jane.doe@example.org or call +1 555 010 9999 about "
            + "the weather " * 12)
    conversation = Conversation().session(at(NOV[2], 9) - 1)
    conversation.turn(at(NOV[2], 9), long, "out_of_scope", "utter_out_of_scope")
    path = tmp_path / "t.db"
    save(tracker_store(path), [conversation])
    [row] = review_of(path).unanswered_messages()
    assert row["message"].startswith("please email me at <email> or call <number> about")
    assert len(row["message"]) == 80 and row["message"].endswith("\u2026")
    assert "jane.doe" not in row["message"] and "555" not in row["message"]


# ------------------------------------------------------------------------------ CLI


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ops.report", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180,
                          env={**os.environ, **(env or {})})


def test_cli_reads_the_store_of_the_default_profile(seeded_sqlite, tmp_path):
    result = run_cli("--since", "2026-11-02", "--until", "2026-11-04", "--out", str(tmp_path),
                     env={"PROFILE": "default", "TRACKER_DB": str(seeded_sqlite)})
    assert result.returncode == 0, result.stderr
    assert "6 conversations, 17 user messages, fallback rate 29.4%" in result.stdout
    assert (tmp_path / "report.html").is_file()


@pytest.mark.parametrize("args, message", [
    (["--since", "2026-13-01"], "'2026-13-01' is not a date like 2026-11-30"),
    (["--since", "2026-11-05", "--until", "2026-11-04"], "is after --until"),
    (["--db", "not a url"], "is not a database URL"),
])
def test_cli_refuses_bad_arguments_clearly(args, message):
    result = run_cli(*args)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_says_when_the_store_cannot_be_read(tmp_path, capsys):
    url = sa.engine.URL.create("postgresql", username="postgres", password="not-shown",
                               host="127.0.0.1", port=1, database="nowhere")
    code = main(["--out", str(tmp_path), "--db", url.render_as_string(hide_password=False)])
    assert code == 1
    error = capsys.readouterr().err
    # named with its password hidden
    assert error.startswith(f"error: cannot read the database "
                            f"{url.render_as_string(hide_password=True)}: ")
    assert "not-shown" not in error and "Traceback" not in error
    assert not (tmp_path / "report.html").exists()


# ------------------------------------------------------------------------------ PostgreSQL


def test_postgresql_store_gives_the_same_report(seeded_postgres, review):
    settings = StoreSettings.from_env(seeded_postgres)
    assert settings.description.startswith("PostgreSQL database 'report_test_")
    pg = review_rows(read_rows(settings, SINCE, UNTIL), SINCE, UNTIL, settings.description)
    for section in SECTIONS:
        assert section.rows(pg) == section.rows(review), section.key
    assert dict(pg.summary())["conversations"] == 6

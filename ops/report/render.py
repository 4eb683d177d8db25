"""The review as files: ``report.html`` (one self-contained page: styles inline, charts as
SVG images embedded in the page as data URIs, nothing fetched from anywhere) and one CSV
file per table. Sender ids never appear: the review holds none of them in its tables."""

from __future__ import annotations

import base64
import csv
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.ticker import MaxNLocator

from ops.report.review import Review


@dataclass(frozen=True)
class Section:
    key: str  # also the CSV file name
    title: str
    intro: str
    rows: Callable[[Review], list[dict[str, Any]]]
    columns: tuple[str, ...]
    chart: Callable[[Review, list[dict[str, Any]]], tuple[str, str] | None] | None = None


# ------------------------------------------------------------------------------ charts


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "review",
                                "font.size": 9, "axes.spines.top": False,
                                "axes.spines.right": False})
    import matplotlib.pyplot as plt

    return plt


def _svg(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    _pyplot().close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _bars(labels: list[str], values: list[float], xlabel: str, color: str = "#1f5f8b"):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(labels) + 0.8))
    positions = range(len(labels))
    ax.barh(list(positions), values, color=color)
    ax.set_yticks(list(positions))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, value in zip(positions, values):
        ax.text(value, y, f" {value:g}", va="center")
    return _svg(fig)


def daily_chart(review: Review, rows: list[dict[str, Any]]) -> tuple[str, str] | None:
    if not rows:
        return None
    plt = _pyplot()
    days = [r["day"] for r in rows]
    fig, ax = plt.subplots(figsize=(8, 3.2))
    positions = list(range(len(days)))
    ax.bar(positions, [r["user messages"] for r in rows], color="#9cc3de",
           label="user messages")
    ax.plot(positions, [r["conversations"] for r in rows], color="#1f5f8b", marker="o",
            label="conversations")
    ax.plot(positions, [r["not answered"] for r in rows], color="#b3261e", marker=".",
            label="not answered")
    step = max(1, len(days) // 12)
    ax.set_xticks(positions[::step])
    ax.set_xticklabels(days[::step], rotation=45, ha="right")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False)
    total = sum(r["user messages"] for r in rows)
    return _svg(fig), (f"Chart of conversations, user messages and messages not answered per "
                       f"day from {days[0]} to {days[-1]}; {total} user messages in all.")


def turns_chart(review: Review, rows: list[dict[str, Any]]) -> tuple[str, str] | None:
    if review.empty:
        return None
    labels = [r["user messages"] for r in rows]
    values = [r["conversations"] for r in rows]
    return _bars(labels, values, "conversations"), (
        "Bar chart of conversations by their number of user messages: "
        + ", ".join(f"{label}: {value}" for label, value in zip(labels, values)) + ".")


def _top_bars(rows, label_key, value_key, xlabel, limit=15, color="#1f5f8b"):
    top = [r for r in rows if r[value_key]][:limit]
    if not top:
        return None
    labels = [str(r[label_key]) for r in top]
    values = [r[value_key] for r in top]
    return _bars(labels, values, xlabel, color), (
        f"Bar chart, {xlabel} by {label_key}: "
        + ", ".join(f"{label} {value}" for label, value in zip(labels, values)) + ".")


def intents_chart(review, rows):
    return _top_bars(rows, "intent", "messages", "user messages")


def reasons_chart(review, rows):
    return _top_bars(rows, "reason", "messages", "messages not answered", color="#b3261e")


def foods_chart(review, rows):
    return _top_bars([r for r in rows if not r["in table now"]], "food asked for", "times",
                     "times asked", color="#b3261e")


def computed_chart(review, rows):
    return _top_bars(rows, "action", "answers", "answers")


def languages_chart(review, rows):
    return _top_bars(rows, "language", "user messages", "user messages")


SECTIONS = (
    Section("daily", "Conversations and messages per day",
            "Days are UTC. A conversation counts on the day of its first user message.",
            Review.daily,
            ("day", "conversations", "user messages", "assistant messages", "not answered",
             "fallback rate (%)"), daily_chart),
    Section("turns", "User messages per conversation",
            "How long conversations are: the number of user messages in each.",
            Review.turn_distribution, ("user messages", "conversations", "share (%)"), turns_chart),
    Section("intents", "Intents",
            "What the assistant understood each user message to be.",
            Review.intents, ("intent", "messages", "share (%)", "not answered"), intents_chart),
    Section("not_answered", "Messages not answered (fallback rate)",
            "Not understood: the NLU fallback or Rasa's default fallback reply. Out of scope: "
            "recognised as outside what the assistant covers. Technical fault: the action "
            "server or conversation store failed, or the message was too long.",
            Review.not_answered_by_reason, ("reason", "messages", "share of all messages (%)"),
            reasons_chart),
    Section("unanswered_messages", "Messages it could not answer, most frequent first",
            "Shortened to 80 characters; e-mail addresses and long numbers are masked. "
            "Candidates for new training examples or new topics.",
            Review.unanswered_messages, ("message", "times", "conversations", "reason")),
    Section("missing_foods", "Foods asked for that the food table lacks",
            "Words the assistant named back as not in its food table, with what it "
            "suggested instead. \u201cIn table now\u201d marks names the food table has gained "
            "since. README \u201cEntities, and how to add a food\u201d says how to add one.",
            Review.missing_foods,
            ("food asked for", "times", "conversations", "suggested instead", "in table now"),
            foods_chart),
    Section("computed_answers", "Computed answers by kind",
            "Runs of each custom action of the domain (figures worked out from the cited "
            "tables, and the topic answers of action_explain_topic).",
            Review.computed_answers, ("action", "answers", "conversations", "share (%)"),
            computed_chart),
    Section("languages", "Languages",
            "The assistant answers in English only today. Messages count in the language "
            "their metadata records; messages without one are counted as English (en), "
            "shown in the last column.",
            Review.languages,
            ("language", "user messages", "conversations", "recorded in the message",
             "assumed (none recorded)"), languages_chart),
)


# ------------------------------------------------------------------------------ files


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _table_html(rows: list[dict[str, Any]], columns: list[str]) -> str:
    if not rows:
        return '<p class="none">Nothing in this period.</p>'
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td{" class=num" if isinstance(row.get(c), int | float) else ""}>'
            f"{html.escape(str(row.get(c, '')))}</td>" for c in columns) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;
max-width:980px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}
.next{background:#fff7e0;border:1px solid #e8c66a;border-radius:6px;padding:.6rem 1rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;display:block;margin:.6rem 0}.none,.muted{color:#666}
"""


def render_html(review: Review, tables: dict[str, list[dict[str, Any]]] | None = None) -> str:
    """The page; ``tables`` are the sections' rows when already worked out."""
    tables = tables if tables is not None else {s.key: s.rows(review) for s in SECTIONS}
    title = f"Conversation review, {review.since.isoformat()} to {review.until.isoformat()}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="muted">{html.escape(review.source)}. Days are UTC.</p>',
        '<section class="next"><h2 style="margin-top:.4rem">What to add next</h2><ul>',
        *(f"<li>{html.escape(step)}</li>" for step in review.next_steps()),
        "</ul></section>",
        "<h2>Summary</h2>",
        _table_html([{"figure": k, "value": v} for k, v in review.summary()],
                    ["figure", "value"]),
    ]
    for section in SECTIONS:
        rows = tables[section.key]
        parts.append(f'<h2 id="{section.key}">{html.escape(section.title)}</h2>')
        parts.append(f"<p>{html.escape(section.intro)}</p>")
        chart = section.chart(review, rows) if section.chart and not review.empty else None
        if chart:
            svg, alt = chart
            parts.append(f'<img alt="{html.escape(alt)}" '
                         f'src="data:image/svg+xml;base64,{svg}">')
        parts.append(_table_html(rows, list(section.columns)))
        parts.append(f'<p class="muted">CSV: {section.key}.csv</p>')
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(review: Review, out: Path) -> list[Path]:
    """Write report.html and the CSV files into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    summary = out / "summary.csv"
    write_csv(summary, [{"figure": k, "value": v} for k, v in review.summary()],
              ["figure", "value"])
    written.append(summary)
    tables = {section.key: section.rows(review) for section in SECTIONS}
    for section in SECTIONS:
        path = out / f"{section.key}.csv"
        write_csv(path, tables[section.key], list(section.columns))
        written.append(path)
    page = out / "report.html"
    page.write_text(render_html(review, tables), encoding="utf-8")
    written.append(page)
    return written

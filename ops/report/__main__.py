"""python -m ops.report [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--out DIR] [--db URL]

Writes DIR/report.html (self-contained: open it in any browser, also offline) and a CSV
file per table. The store is the one `make run` uses (PROFILE, TRACKER_DB, DB_*; see
ops/report/store.py); --db names another (an SQLAlchemy URL). The period defaults to the
last 30 days up to today (UTC).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from ops.report.render import write_report
from ops.report.review import review_rows
from ops.report.store import StoreError, StoreSettings, read_rows

DEFAULT_DAYS = 30


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-30") from None


def _url(text: str) -> StoreSettings:
    try:
        url = sa.engine.make_url(text)
    except sa.exc.ArgumentError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a database URL like sqlite:///var/tracker.db") from None
    if url.get_backend_name() == "sqlite" and url.database:
        return StoreSettings.sqlite(Path(url.database))
    return StoreSettings(url, f"database {url.render_as_string(hide_password=True)}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ops.report",
        description="Review the assistant's conversations: an HTML report with charts "
                    "and CSV files of the same tables.")
    parser.add_argument("--since", type=_date, help="first day (UTC), YYYY-MM-DD; "
                        f"default: {DEFAULT_DAYS - 1} days before --until")
    parser.add_argument("--until", type=_date, help="last day (UTC), YYYY-MM-DD; "
                        "default: today")
    parser.add_argument("--out", type=Path, default=Path("var/report"),
                        help="folder for report.html and the CSV files (default: var/report)")
    parser.add_argument("--db", type=_url, help="read this database (SQLAlchemy URL) "
                        "instead of the one PROFILE / TRACKER_DB / DB_* name")
    args = parser.parse_args(argv)
    args.until = args.until or dt.datetime.now(dt.timezone.utc).date()
    args.since = args.since or args.until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if args.since > args.until:
        parser.error(f"--since {args.since} is after --until {args.until}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        settings = args.db or StoreSettings.from_env()
        rows = read_rows(settings, args.since, args.until)
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    path = settings.sqlite_path
    if path is not None and not path.is_file():
        print(f"note: {path} does not exist yet (no conversation stored there); "
              "the report is empty", file=sys.stderr)
    review = review_rows(rows, args.since, args.until, settings.description)
    files = write_report(review, args.out)
    seconds = time.perf_counter() - started
    summary = dict(review.summary())
    figures = (f"{summary['conversations']} conversations, {summary['user messages']} user "
               f"messages, fallback rate {summary['fallback rate (%)']}%"
               if not review.empty else "no conversations in this period")
    print(f"{files[-1]}: {figures} ({args.since} to {args.until}, {settings.description}); "
          f"{len(files) - 1} CSV files beside it; {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

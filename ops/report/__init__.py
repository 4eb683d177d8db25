"""Conversation review: what people asked the assistant, and what it could not answer.

    python -m ops.report --since 2026-11-01 --until 2026-11-30 --out var/report

reads the tracker store (`store`), works out the figures (`review`, with the foods
replies named as unknown read back by `domain_text`) and writes one
self-contained HTML file with its charts embedded plus a CSV file per table (`render`).
"""

from ops.report.review import Review, review_rows
from ops.report.store import StoreSettings, read_rows

__all__ = ["Review", "StoreSettings", "read_rows", "review_rows"]

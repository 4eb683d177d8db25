"""Entity scoring: the labelled entity sentences (tests/nlu_entities/*.yml) and how an
entity is keyed and counted, for the entity tests and the benchmarks' NLU quality."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import yaml

from harness.paths import ROOT

LABELLED_DIR = ROOT / "tests" / "nlu_entities"
ENTITY_TYPES = (
    "food",
    "amount",
    "age",
    "sex",
    "life_stage",
    "supplement_form",
    "medication",
    "nutrient",
    "diet",
)

# An entity's identity for scoring: type, normalised value and its qualifier (the unit of
# an amount or age; the role of an amount or medication). Numbers compare to 3 decimals.
Key = tuple[str, Any, Any, Any]


def labelled_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for path in sorted(LABELLED_DIR.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            items.append({**item, "file": path.name})
    return items


def _number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 3)
    return value


def gold_key(entry: list[Any]) -> Key:
    """[type, value, unit?, role?] for amount/age; [type, value, role?] for medication."""
    kind, value, *rest = entry
    if kind in ("amount", "age"):
        unit = rest[0] if rest else None
        role = rest[1] if len(rest) > 1 else None
        return (kind, _number(value), unit, role)
    if kind == "medication":
        return (kind, value, None, rest[0] if rest else None)
    return (kind, value, None, None)


def predicted_key(entity: dict[str, Any]) -> Key:
    kind = entity["entity"]
    if kind in ("amount", "age"):
        return (kind, _number(entity["value"]), entity.get("unit"), entity.get("role"))
    if kind == "medication":
        return (kind, entity["value"], None, entity.get("role"))
    return (kind, entity["value"], None, None)


def score(items: list[dict[str, Any]], extract) -> dict[str, Any]:  # noqa: ANN001
    """Micro precision/recall over multisets of entity keys, per sentence.

    A predicted entity is a true positive when an identical gold key (type, value and
    qualifier) is still unmatched in the same sentence; offsets are not scored here.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: list[str] = []
    for item in items:
        gold = Counter(gold_key(e) for e in item.get("entities") or [])
        predicted = Counter(predicted_key(e) for e in extract(item["text"]))
        for key in gold | predicted:
            hit = min(gold[key], predicted[key])
            tp[key[0]] += hit
            fp[key[0]] += predicted[key] - hit
            fn[key[0]] += gold[key] - hit
        if gold != predicted:
            missing = sorted(map(str, (gold - predicted).elements()))
            extra = sorted(map(str, (predicted - gold).elements()))
            errors.append(f"{item['text']!r}: missing {missing} extra {extra}")
    rows = {}
    for kind in (*ENTITY_TYPES, "all"):
        t = sum(tp.values()) if kind == "all" else tp[kind]
        f_p = sum(fp.values()) if kind == "all" else fp[kind]
        f_n = sum(fn.values()) if kind == "all" else fn[kind]
        precision = t / (t + f_p) if t + f_p else math.nan
        recall = t / (t + f_n) if t + f_n else math.nan
        rows[kind] = {"tp": t, "fp": f_p, "fn": f_n, "precision": precision, "recall": recall}
    return {"rows": rows, "errors": errors, "sentences": len(items)}


def format_report(result: dict[str, Any]) -> str:
    lines = [
        f"entity extraction on {result['sentences']} labelled sentences "
        "(micro-averaged; an entity counts when type, normalised value and unit/role match)",
        f"{'entity':16s} {'gold':>5s} {'pred':>5s} {'tp':>5s} {'precision':>9s} {'recall':>7s}",
    ]
    for kind, row in result["rows"].items():
        gold = row["tp"] + row["fn"]
        predicted = row["tp"] + row["fp"]
        lines.append(
            f"{kind:16s} {gold:5d} {predicted:5d} {row['tp']:5d} "
            f"{row['precision']:9.3f} {row['recall']:7.3f}"
        )
    return "\n".join(lines)

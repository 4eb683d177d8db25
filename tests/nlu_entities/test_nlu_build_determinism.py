"""The build is deterministic, skips work when its inputs are unchanged, and works offline."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest


def digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, built_pipeline):
    """Two builds into fresh directories, the second one with the network switched off."""
    from nlu import build_pipeline

    def no_network(*args, **kwargs):
        raise OSError("network disabled in this test")

    root = tmp_path_factory.mktemp("builds")
    first = build_pipeline.build(root / "first")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", no_network)
        patch.setattr(socket, "create_connection", no_network)
        second = build_pipeline.build(root / "second")
    return root / "first", root / "second", first, second


def test_building_twice_gives_byte_identical_files(two_builds):
    first, second, _summary1, _summary2 = two_builds
    a, b = digests(first), digests(second)
    assert "patterns/entity_ruler.jsonl" in a and "patterns/food_ruler.jsonl" in a
    assert "patterns/context.json" in a and "entity_ruler/patterns.jsonl" in a
    assert a == b


def test_pattern_files_are_sorted_canonical_json(two_builds):
    import json

    from nlu.patterns import dumps, sort_patterns

    first = two_builds[0]
    for name in ("entity_ruler.jsonl", "food_ruler.jsonl"):
        lines = (first / "patterns" / name).read_text(encoding="utf-8").splitlines()
        patterns = [json.loads(line) for line in lines]
        assert [dumps(p) for p in patterns] == lines
        assert sort_patterns(patterns) == patterns


def test_build_reports_no_data_problems(two_builds):
    assert two_builds[2]["problems"] == []
    counts = two_builds[2]["patterns"]
    for label in ("FOOD", "AMOUNT", "AGE", "SEX", "LIFE_STAGE", "SUPPLEMENT_FORM", "MEDICATION"):
        assert counts.get(label, 0) > 0, label


def test_offline_build_is_complete(two_builds):
    second = two_builds[1]
    assert (second / "config.cfg").is_file() and (second / "lemmatizer" / "lookups").is_dir()
    assert two_builds[3]["problems"] == []


def test_up_to_date_build_is_skipped_and_changed_inputs_rebuild(
    tmp_path, monkeypatch, capsys, built_pipeline
):
    from nlu import build_pipeline

    out = tmp_path / "pipeline"
    assert build_pipeline.main(["--out", str(out)]) == 0
    assert "built spaCy pipeline" in capsys.readouterr().out
    stamp = out / build_pipeline.STAMP_FILE
    before = stamp.stat().st_mtime_ns
    assert build_pipeline.main(["--out", str(out)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert stamp.stat().st_mtime_ns == before
    assert build_pipeline.main(["--out", str(out), "--check"]) == 0

    monkeypatch.setattr(build_pipeline, "inputs_fingerprint", lambda: "0" * 64)
    assert not build_pipeline.is_up_to_date(out)
    assert build_pipeline.main(["--out", str(out), "--check"]) == 1
    assert "needs a rebuild" in capsys.readouterr().out


def test_fingerprint_follows_the_inputs(tmp_path, monkeypatch):
    from nlu import build_pipeline

    data = tmp_path / "nutrition" / "data"
    data.mkdir(parents=True)
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "patterns.py").write_text("# v1\n")
    (data / "foods.json").write_text('{"foods": []}')
    monkeypatch.setattr(build_pipeline, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(build_pipeline, "NUTRITION_DIR", tmp_path / "nutrition")
    names = [p.relative_to(tmp_path).as_posix() for p in build_pipeline.input_files()]
    assert names == ["nlu/patterns.py", "nutrition/data/foods.json"]
    first = build_pipeline.inputs_fingerprint()
    assert build_pipeline.inputs_fingerprint() == first
    (data / "foods.json").write_text('{"foods": [1]}')
    second = build_pipeline.inputs_fingerprint()
    assert second != first
    (tmp_path / "nlu" / "patterns.py").write_text("# v2\n")
    assert build_pipeline.inputs_fingerprint() not in (first, second)


def test_pattern_generation_is_repeatable():
    from nlu import context_patterns, patterns

    def tokenize(text):  # the real tokenizer is not needed for this comparison
        return text.replace("-", " - ").split()

    assert patterns.word_patterns(tokenize) == patterns.word_patterns(tokenize)
    assert patterns.all_food_patterns() == patterns.all_food_patterns()
    assert context_patterns.context_data(tokenize) == context_patterns.context_data(tokenize)

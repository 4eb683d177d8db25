"""Rasa reads a file of tests/stories/ as test stories only when its name starts with
"test_" (YAMLStoryReader.is_test_stories_file); any other file is silently skipped and
`make story-test` would pass on no story at all."""

from harness.paths import ROOT


def test_every_story_file_is_read_as_test_stories():
    files = sorted((ROOT / "tests" / "stories").glob("*.yml"))
    assert files
    skipped = [path.name for path in files if not path.name.startswith("test_")]
    assert skipped == [], f"rasa test would skip these story files: {skipped}"

"""Clinical wording of the knowledge answers and the demo page (clinical review, issue #15).

Each test reads the replies as a user gets them: the domain response with the values the
action sends (actions/topics.py, from the data tables), or the text of web/site/index.html.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from actions import replies, topics
from harness.paths import ROOT
from nutrition.data_files import load
from nutrition.topic_figures import body_figures

PAGE = ROOT / "web" / "site" / "index.html"
FACTS = load("topic_facts.yml")


def reply(intent: str) -> str:
    """The reply to a topic intent, its placeholders filled as Rasa fills them."""
    topic = topics.TOPICS[intent]
    text = str(replies.responses(None)[topic.response][0]["text"])
    return re.sub(r"\{(\w+)\}", lambda match: topic.values[match.group(1)], text)


def every_response_text() -> dict[str, str]:
    return {name: " ".join(str(v.get("text") or "") for v in variations)
            for name, variations in replies.responses(None).items()}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text() -> str:
    parser = _Text()
    parser.feed(PAGE.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", " ".join(text.split()))


# ------------------------------------------------ magnesium and active vitamin D (item 8)

# A statement that magnesium turns vitamin D into its active form (activates it).
ACTIVATION = re.compile(r"\b(turns?|activates?|converts?)\b[^.]*\bvitamin D\b[^.]*\bactive\b"
                        r"|\bactivates? vitamin D\b", re.IGNORECASE)
HEDGE = "not yet been shown in people"


def test_magnesium_activating_vitamin_d_is_hedged_alike_in_answers_and_on_the_page():
    texts = {**every_response_text(), "web/site/index.html": page_text()}
    claims = {name: text for name, text in texts.items() if ACTIVATION.search(text)}
    # the two places the review found must still say it, hedged, not drop it silently
    assert {"utter_topic_vitamin_d_calcium", "web/site/index.html"} <= set(claims)
    for name, text in claims.items():
        for sentence in sentences(text):
            if ACTIVATION.search(sentence):
                assert re.search(r"\blab studies suggest\b", sentence, re.IGNORECASE), (
                    f"{name} states it as fact: {sentence}")
                assert HEDGE in sentence, f"{name}: {sentence}"
    # the mechanism answer gives the same uncertainty in the same words
    mechanism = reply("ask_magnesium_mechanism")
    assert "active vitamin D" in mechanism and HEDGE in mechanism
    assert "lab studies suggest" in mechanism.lower()


def test_no_answer_says_the_body_needs_magnesium_to_activate_vitamin_d():
    flat = re.compile(r"\b(needs?|needed|requires?|required)\b[^.]*\b(turn|activate|convert)\b"
                      r"[^.]*\bvitamin D\b", re.IGNORECASE)
    for name, text in {**every_response_text(), "web/site/index.html": page_text()}.items():
        assert not flat.search(text), name


# ------------------------------------------------------ magnesium held in bone (item 9)


def test_the_share_of_magnesium_in_bone_is_the_nih_ods_figure():
    body = FACTS["body_magnesium"]
    assert "NIH Office of Dietary Supplements" in body["source"]
    assert body["bone_share_percent"] == {"low": 50, "high": 60}  # NIH ODS: 50% to 60%
    assert (body_figures()["bone_share_low"], body_figures()["bone_share_high"]) == (50, 60)
    text = reply("ask_what_is_magnesium")
    assert "about 50 to 60% of the body's total" in text
    assert "NIH Office of Dietary Supplements" in text  # the source it is credited to


# ------------------------------------------------ observational studies of bone density (10)


def test_the_evidence_answer_gives_the_observational_studies_with_their_strength_and_source():
    studies = FACTS["studies"]
    abc, whi = studies["health_abc_2005"], studies["whi_2014"]
    assert abc["kind"] == whi["kind"] == "observational"
    assert abc["citation"] and whi["citation"]
    text = reply("ask_magnesium_evidence")
    # the studies, with their figures from the table
    assert f"Health ABC study ({abc['year']})" in text
    ages = f"aged {abc['ages']['low']} to {abc['ages']['high']}"
    assert f"{abc['participants']:,} adults {ages}" in text
    assert f"Women's Health Initiative ({whi['year']})" in text
    assert f"{whi['participants']:,} women after the menopause" in text
    assert f"about {whi['hip_bmd_higher_percent']}% higher" in text
    assert f"about {whi['whole_body_bmd_higher_percent']}% higher" in text
    assert "somewhat higher bone density" in text
    assert "did not have fewer broken bones" in text
    # how strong the evidence is
    for words in ("observational", "mixed", "few and small", "not that magnesium is the cause"):
        assert words in text, words
    # the summary's source and the studies' own
    assert f"{studies['bone_density_summary']['short_source']}, summing up" in text
    assert abc["short_source"] in text and whi["short_source"] in text
    # the celiac study is still there, no longer alone
    assert f"published in {studies['celiac_1996']['year']}" in text


# ---------------------------------------------- what too much from supplements does (11)

OVERSTATED = re.compile(r"\b(usually|often|mainly|mostly|always|generally|typically)\s+"
                        r"(causes?|gives?|leads? to|shows? up as)\b", re.IGNORECASE)
EFFECT = re.compile(r"loose stools|diarrh|upset stomach|stomach cramps", re.IGNORECASE)


def test_too_much_magnesium_can_cause_loose_stools_not_usually():
    texts = {**every_response_text(), "web/site/index.html": page_text()}
    for name, text in texts.items():
        for sentence in sentences(text):
            if EFFECT.search(sentence):
                assert not OVERSTATED.search(sentence), f"{name}: {sentence}"
    assert "Going above it can cause loose stools" in reply("ask_too_much_magnesium")
    assert "Too much from supplements can cause loose stools" in reply("ask_supplement_advice")
    for name in ("utter_supplement_above_ul", "utter_supplement_above_ul_adult",
                 "utter_supplement_dose_above_ul"):
        assert "too much can cause diarrhoea" in texts[name], name
    assert "It can cause diarrhoea" in texts["utter_supplement_laxative"]
    assert "too much can cause loose stools" in texts["web/site/index.html"]

"""The criteria an organisation's application answers: the eight the issue names, each with
guidance an applicant can act on."""

import re

from lms.accreditation import criteria


def test_the_eight_criteria_in_the_order_applicants_meet_them():
    assert [c.title for c in criteria.CRITERIA] == [
        "Safeguarding policy",
        "Supervision arrangements for advocates",
        "Independence of the advocate role",
        "Data protection and confidentiality",
        "Complaints procedure",
        "Involvement of people with lived experience",
        "Protected time for CPD",
        "At least one advocate employed or in training",
    ]


def test_keys_are_unique_short_and_safe_in_a_url():
    keys = [c.key for c in criteria.CRITERIA]
    assert len(set(keys)) == len(keys) == len(criteria.KEYS)
    for key in keys:
        assert re.fullmatch(r"[a-z][a-z_]{1,39}", key), key  # the answer's column is 40 long


def test_independence_covers_law_enforcement_and_support_contracts():
    text = " ".join(criteria.BY_KEY["independence"].good).lower()
    assert "police" in text and "support contract" in text


def test_every_criterion_says_what_good_looks_like_and_what_to_attach():
    for c in criteria.CRITERIA:
        assert c.summary.endswith(".") and len(c.good) >= 2 and c.evidence, c.key
        for line in (c.summary, *c.good, *c.evidence):
            assert line[0].isupper() and line.endswith("."), line
            assert ".." not in line


def test_no_legal_claim_without_a_source():
    """The guidance names no Act or regulation: an organisation cites its own duties."""
    for c in criteria.CRITERIA:
        for line in (c.summary, *c.good, *c.evidence):
            assert not re.search(r"\b(Act|Regulations?|GDPR|section \d)\b", line), line


def test_lookup_by_key():
    assert criteria.criterion("complaints").title == "Complaints procedure"
    assert criteria.criterion("nonsense") is None
    assert criteria.title_of("supervision") == "Supervision arrangements for advocates"
    assert criteria.title_of("retired_key") == "retired_key"
    assert criteria.title_of(None) == ""

"""Advocates download their CPD record for a year or any range, as PDF and as CSV."""

import csv
import io

from pypdf import PdfReader

from tests.integration.cpd.conftest import days_ago, post_entry


def log(client, **fields):
    response = post_entry(client, "/cpd/entries/new", "log", **fields)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]


def test_the_year_record_as_pdf_holds_the_entries_and_the_requirement(advocate_client):
    log(advocate_client, title="Training on the NRM <and> reconsideration",
        start=days_ago(10).isoformat(), hours="3.5")
    log(advocate_client, title="Peer group on trauma", start=days_ago(20).isoformat(),
        hours="2", what_happened="We met & talked <b>openly</b>.")
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "Download your record" in page and "/cpd/record.pdf?year=" in page
    response = advocate_client.get("/cpd/record.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment; filename=\"cpd-record-" in response.headers["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    assert "Training on the NRM <and> reconsideration" in flat
    assert "Peer group on trauma" in flat and "We met & talked <b>openly</b>." in flat
    assert "Hours: 20 hours" in flat  # the year's requirement, from the scheme's defaults


def test_the_record_for_a_range_as_csv_has_only_that_range(advocate_client):
    log(advocate_client, title="Inside the range", start=days_ago(10).isoformat())
    log(advocate_client, title="Before the range", start=days_ago(60).isoformat())
    response = advocate_client.get(
        f"/cpd/record.csv?from={days_ago(30).isoformat()}&to={days_ago(1).isoformat()}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r for r in rows if "Inside the range" in r.values()]
    assert not [r for r in rows if "Before the range" in r.values()]


def test_a_range_that_ends_before_it_starts_is_refused_plainly(advocate_client):
    response = advocate_client.get(
        f"/cpd/record.pdf?from={days_ago(1).isoformat()}&to={days_ago(30).isoformat()}")
    assert response.status_code == 422
    assert "the end on or after the start" in response.get_data(as_text=True)


def test_nobody_downloads_another_persons_record(app, advocate_client, create_advocate):
    from tests.conftest import sign_in

    log(advocate_client, title="Private to its author", start=days_ago(5).isoformat())
    other = app.test_client()
    sign_in(other, create_advocate(email="someone.else@example.org"))
    text = "\n".join(p.extract_text() for p in PdfReader(
        io.BytesIO(other.get("/cpd/record.pdf").data)).pages)
    assert "Private to its author" not in text

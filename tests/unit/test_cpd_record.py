"""The CPD record documents: the PDF an advocate downloads reads right, and the CSV is safe."""

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from lms.cpd.pdflayout import TextStyle, WordCache, layout
from lms.cpd.record import (
    CSV_HEADER,
    Confirmation,
    CpdRecord,
    RecordEntry,
    dates,
    duration,
    font_files,
    record_csv,
    record_pdf,
)

PART_HEADINGS = ("What I did", "What I learned", "What I will change")


def entry(n: int = 1, **changes) -> RecordEntry:
    base = RecordEntry(
        starts_on=date(2026, 5, n % 28 + 1), ends_on=date(2026, 5, n % 28 + 1), minutes=75,
        activity_type="Training course", participatory=True,
        topics=("National Referral Mechanism", "CICA"),
        title=f"Reconsideration requests, session {n}",
        did=f"Attended a workshop on reconsideration, number {n}.",
        learned=f"What new evidence the decision maker looks for (lesson {n}).\n\n"
                "How to explain the process without promising an outcome.",
        change=f"- Check the decision letter date first (change {n})\n- Keep a template ready",
        confirmed_by=Confirmation("Sam Patel", "Service manager", "Hope Trust",
                                  date(2026, 6, 1)),
        source="manual")
    return replace(base, **changes)


def record(entries=(), **changes) -> CpdRecord:
    base = CpdRecord(
        advocate_name="Alex Morgan", accreditation_number="IMSA-2026-0042",
        organisation="Hope Trust", period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
        requirements=("30 hours of CPD each year", "At least 15 hours participatory"),
        progress=("12 hours 30 minutes logged; 17 hours 30 minutes to go.",),
        generated_on=date(2026, 11, 2), entries=tuple(entries))
    return replace(base, **changes)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squashed(pdf: bytes) -> str:
    """The text of every page without footers or whitespace, so cut words read whole again."""
    lines = [line for text in pages_text(pdf) for line in text.splitlines()
             if not line.startswith(("CPD record:", "Page "))]
    return without_spaces("".join(lines))


def without_spaces(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def long_record() -> CpdRecord:
    return record([entry(n) for n in range(1, 41)])


@pytest.fixture(scope="module")
def long_pdf(long_record) -> bytes:
    return record_pdf(long_record)


def test_the_pdf_carries_title_author_subject_language_and_the_generated_on_date(long_pdf):
    reader = PdfReader(io.BytesIO(long_pdf))
    meta = reader.metadata
    assert meta.title == "CPD record: Alex Morgan, 1 April 2026 to 31 March 2027"
    assert meta.author == "Alex Morgan"
    assert meta.subject == "Continuing professional development record"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert meta["/CreationDate"].startswith("D:20261102")


def test_every_page_says_which_page_of_how_many(long_pdf):
    texts = pages_text(long_pdf)
    assert len(texts) > 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert "CPD record: Alex Morgan, 1 April 2026 to 31 March 2027" in text


def test_the_pdf_embeds_its_font_and_names_no_standard_font(long_pdf):
    reader = PdfReader(io.BytesIO(long_pdf))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_the_summary_shows_the_advocate_period_totals_and_the_callers_lines(long_pdf):
    first = pages_text(long_pdf)[0]
    for text in ("Continuing professional development record", "Alex Morgan",
                 "IMSA-2026-0042", "Hope Trust", "1 April 2026 to 31 March 2027", "40 entries",
                 "50 hours", "2 November 2026", "30 hours of CPD each year",
                 "At least 15 hours participatory",
                 "12 hours 30 minutes logged; 17 hours 30 minutes to go."):
        assert text in first


def test_each_entry_shows_its_details_and_all_three_reflections(long_pdf):
    text = "\n".join(pages_text(long_pdf))
    for n in (1, 17, 40):
        assert f"{n}. Reconsideration requests, session {n}" in text
        assert f"Attended a workshop on reconsideration, number {n}." in text
        assert f"What new evidence the decision maker looks for (lesson {n})." in text
        assert f"- Check the decision letter date first (change {n})" in text
    assert text.count("Time: 1 hour 15 minutes") == 40
    assert text.count("Type: Training course, participatory") == 40
    assert text.count("Topics: National Referral Mechanism; CICA") == 40
    assert text.count("Confirmed by: Sam Patel, Service manager, Hope Trust, on 1 June 2026") == 40
    for heading in PART_HEADINGS:
        assert text.count(heading) == 40


def test_no_page_ends_on_a_heading(long_pdf):
    footer = ("CPD record:", "Page ")
    for text in pages_text(long_pdf)[:-1]:
        lines = [line for line in text.splitlines() if not line.startswith(footer)]
        assert lines[-1] not in PART_HEADINGS
        assert "Reconsideration requests, session" not in lines[-1]


def test_a_part_left_empty_says_so_and_an_unconfirmed_entry_says_so():
    pdf = record_pdf(record([entry(change="  \n ", confirmed_by=None, source="module",
                                   participatory=False, activity_type="Reading")]))
    text = pages_text(pdf)[0]
    assert "Type: Reading, non-participatory" in text
    assert "Nothing written." in text
    assert "Confirmed by: Not confirmed" in text
    assert "Source: Module completed on the platform" in text


def test_markup_in_what_people_typed_prints_as_typed():
    typed = "<script>alert(1)</script> & <b>bold</b> &amp;"
    pdf = record_pdf(record([entry(title=f"Title {typed}", did=f"Did {typed}",
                                   topics=(f"Topic {typed}",))],
                            advocate_name="Jo <i>&", organisation="A & B <Ltd>"))
    text = pages_text(pdf)[0]
    assert f"1. Title {typed}" in text
    assert f"Did {typed}" in text
    assert f"Topic {typed}" in text
    assert "Jo <i>&" in text
    assert "A & B <Ltd>" in text


def test_markdown_shows_as_plain_paragraphs_never_as_html():
    pdf = record_pdf(record([entry(did="**Bold** and _this_\n<em>not html</em>\n\n# Heading")]))
    text = pages_text(pdf)[0]
    assert "**Bold** and _this_\n<em>not html</em>" in text
    assert "# Heading" in text


def test_the_same_record_gives_the_same_bytes_and_a_new_date_does_not(long_record, long_pdf):
    assert record_pdf(long_record) == long_pdf
    assert record_pdf(replace(long_record, generated_on=date(2026, 11, 3))) != long_pdf


def test_a_record_with_no_entries_is_one_page_that_says_so():
    pdf = record_pdf(record([], accreditation_number=None))
    texts = pages_text(pdf)
    assert len(texts) == 1
    assert "No CPD entries in this period." in texts[0]
    assert "Accreditation number\nNone recorded" in texts[0]
    assert "0 entries" in texts[0]
    assert "Page 1 of 1" in texts[0]


def test_a_5000_character_word_anywhere_wraps_instead_of_failing():
    word = "".join(chr(ord("a") + n % 26) for n in range(5000))
    pdf = record_pdf(record(
        [entry(title=word, did=word, learned=f"Before {word} after", topics=(word,),
               activity_type=word)],
        advocate_name=word, organisation=word, requirements=(word,)))
    text = squashed(pdf)
    assert text.count(word) >= 6
    assert f"Before{word}after" in text


@pytest.mark.skipif(not font_files()[0].endswith("DejaVuSans.ttf"),
                    reason="needs DejaVu Sans (Debian: fonts-dejavu-core) for these letters")
def test_names_beyond_latin_1_print_and_read_back():
    # More than 256 distinct characters: ReportLab needs a second font subset for them.
    letters = "".join(chr(code) for code in range(0xC0, 0x180)) + "ȘșȚțẞ"
    names = "Ștefan Nguyễn Łódź Αλέξης Дмитрий"
    pdf = record_pdf(record([entry(title=names, did=letters)], advocate_name=names))
    text = squashed(pdf)
    assert without_spaces(names) in text
    assert letters in text


def test_control_characters_are_dropped_not_drawn():
    pdf = record_pdf(record([entry(title="Bell\x07 and\x00 null", did="Tab\there")]))
    text = pages_text(pdf)[0]
    assert "Bell and null" in text
    assert "Tab here" in text


@pytest.mark.parametrize(("minutes", "words"), [
    (0, "0 minutes"), (1, "1 minute"), (45, "45 minutes"), (60, "1 hour"),
    (75, "1 hour 15 minutes"), (121, "2 hours 1 minute"), (72000, "1,200 hours"),
])
def test_time_spent_reads_in_hours_and_minutes(minutes, words):
    assert duration(minutes) == words


def test_an_activity_over_several_days_shows_its_first_and_last_day():
    assert dates(date(2026, 3, 3), date(2026, 3, 3)) == "3 March 2026"
    assert dates(date(2026, 3, 3), date(2026, 3, 5)) == "3 March 2026 to 5 March 2026"


def test_an_entry_refuses_an_unknown_source_negative_minutes_or_ending_before_it_starts():
    with pytest.raises(ValueError, match="source"):
        entry(source="import")
    with pytest.raises(ValueError, match="negative"):
        entry(minutes=-5)
    with pytest.raises(ValueError, match="end before"):
        entry(starts_on=date(2026, 5, 2), ends_on=date(2026, 5, 1))


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_a_header_and_one_row_per_entry_with_iso_dates_and_decimal_hours():
    rows = csv_rows(record_csv(record([
        entry(1, starts_on=date(2026, 5, 2), ends_on=date(2026, 5, 4), minutes=75),
        entry(2, minutes=20, participatory=False, confirmed_by=None, source="module"),
    ])))
    assert rows[0] == list(CSV_HEADER)
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Start date"] == "2026-05-02"
    assert first["End date"] == "2026-05-04"
    assert first["Hours"] == "1.25"
    assert first["Minutes"] == "75"
    assert first["Participatory"] == "Yes"
    assert first["Topics"] == "National Referral Mechanism; CICA"
    assert first["Confirmed by"] == "Sam Patel"
    assert first["Confirmed on"] == "2026-06-01"
    assert first["What I learned"].startswith("What new evidence")
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["Hours"] == "0.33"
    assert second["Participatory"] == "No"
    assert second["Confirmed by"] == ""
    assert second["Source"] == "Module completed on the platform"


def test_a_csv_with_no_entries_is_just_the_header():
    assert csv_rows(record_csv(record([]))) == [list(CSV_HEADER)]


def test_the_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    rows = csv_rows(record_csv(record([entry(
        title="=cmd()", did="+SUM(A1)", learned="@HYPERLINK(x)", change="-2+3",
        topics=("=evil()",), activity_type="\tTab")])))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Title"] == "'=cmd()"
    assert row["What I did"] == "'+SUM(A1)"
    assert row["What I learned"] == "'@HYPERLINK(x)"
    assert row["What I will change"] == "'-2+3"
    assert row["Topics"] == "'=evil()"
    assert row["Activity type"] == "'\tTab"


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.sampled_from("aiWmé ł\n-"), max_size=300),
       width=st.floats(min_value=20, max_value=400))
def test_lines_never_run_wider_than_the_page_and_keep_every_word_in_order(text, width):
    font_files()
    style = TextStyle(size=10, leading=13.5, space_before=6)
    lines = layout(style, [("CpdSans-Bold", "Label:"), ("CpdSans", text)], width, WordCache())
    for line in lines:
        drawn = sum(stringWidth(run, font, 10) for font, run in line.runs)
        letters = "".join(run for _, run in line.runs).strip()
        # A single letter wider than the line still has to go on one.
        assert drawn <= width + 0.01 or len(letters) == 1
    assert without_spaces("".join(run for line in lines for _, run in line.runs)) == (
        without_spaces("Label:" + text))
    assert lines[0].space_before == 6
    assert all(line.space_before == 0 for line in lines[1:])

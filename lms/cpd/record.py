"""An advocate's CPD record as a PDF and as CSV: plain data in, bytes or text out (no Flask, no DB).

The caller (a view or a command) loads the entries for a year or a range, asks the CPD rules for
the requirement and progress lines, and passes everything here as plain values. The documents
show the entries in the order given.

The PDF embeds a TrueType font so names like "Ștefan" or "Nguyễn" print on any reader: DejaVu
Sans, or Liberation Sans, where the system has them (Debian's fonts-dejavu-core, Fedora's
dejavu-sans-fonts), otherwise Bitstream Vera, which ReportLab ships (Latin-1 glyphs only).
The same record gives the same bytes on the same machine: ReportLab runs in invariant mode and
the creation date is the record's generated-on date, never the clock.

Nothing a person typed is ever read as markup: the summary escapes it for ReportLab's paragraph
markup, and the entries are drawn by pdflayout.TextBlock, which reads no markup at all. The
reflections are Markdown source, shown as typed in plain paragraphs.
"""

import io
import re
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFStream, PDFZCompress
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from certificates.fonts import register_family
from certificates.pdf import counted_pages_canvas
from lms.cpd.pdflayout import TextBlock, TextStyle, WordCache
from lms.csvsafe import csv_text
from lms.formatting import plural, uk_date

SOURCES = {"manual": "Logged by the advocate", "module": "Module completed on the platform"}
PARTS = (("did", "What I did"), ("learned", "What I learned"), ("change", "What I will change"))
CSV_HEADER = ("Start date", "End date", "Hours", "Minutes", "Activity type", "Participatory",
              "Topics", "Title", "What I did", "What I learned", "What I will change",
              "Confirmed by", "Confirmer's role", "Confirmer's organisation", "Confirmed on",
              "Source")


@dataclass(frozen=True)
class Confirmation:
    """Who confirmed (verified) an entry, and when."""

    name: str
    role: str
    organisation: str
    on: date


@dataclass(frozen=True)
class RecordEntry:
    """One CPD activity as the record shows it; labels are already in the users' words."""

    starts_on: date
    ends_on: date
    minutes: int
    activity_type: str
    participatory: bool
    topics: tuple[str, ...]
    title: str
    did: str
    learned: str
    change: str
    confirmed_by: Confirmation | None = None
    source: str = "manual"

    def __post_init__(self):
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {sorted(SOURCES)}, not {self.source!r}")
        if self.minutes < 0:
            raise ValueError("minutes cannot be negative")
        if self.ends_on < self.starts_on:
            raise ValueError("an activity cannot end before it starts")


@dataclass(frozen=True)
class CpdRecord:
    """An advocate's CPD for one period, with the caller's requirement and progress lines."""

    advocate_name: str
    accreditation_number: str | None
    organisation: str
    period_start: date
    period_end: date
    requirements: tuple[str, ...]
    progress: tuple[str, ...]
    generated_on: date
    entries: tuple[RecordEntry, ...]


def duration(minutes: int) -> str:
    """Time spent in words: "1 hour 15 minutes", "3 hours", "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    words = [plural(hours, "hour")] if hours else []
    if rest or not hours:
        words.append(plural(rest, "minute"))
    return " ".join(words)


def decimal_hours(minutes: int) -> str:
    """Time spent as hours to two places, for spreadsheets: 75 minutes is "1.25"."""
    return f"{minutes / 60:.2f}"


def dates(starts_on: date, ends_on: date) -> str:
    """One day, or the first and last day: "3 March 2026 to 5 March 2026"."""
    if ends_on == starts_on:
        return uk_date(starts_on)
    return f"{uk_date(starts_on)} to {uk_date(ends_on)}"


def record_csv(record: CpdRecord) -> str:
    """Return the record's entries as CSV, one row per entry, no cell able to run as a formula."""
    rows = [CSV_HEADER]
    for entry in record.entries:
        who = entry.confirmed_by
        rows.append((
            entry.starts_on.isoformat(), entry.ends_on.isoformat(),
            decimal_hours(entry.minutes), entry.minutes, entry.activity_type,
            "Yes" if entry.participatory else "No", "; ".join(entry.topics), entry.title,
            entry.did, entry.learned, entry.change,
            who.name if who else "", who.role if who else "", who.organisation if who else "",
            who.on.isoformat() if who else "", SOURCES[entry.source]))
    return csv_text(rows)


# --- PDF -------------------------------------------------------------------------------------

FONT = "CpdSans"
BOLD = "CpdSans-Bold"
FOOTER_SIZE = 8.5


def font_files() -> tuple[str, str]:
    """Return the regular and bold TrueType files the PDF embeds (registered once): the same
    search as the certificates', under the record's own font names."""
    return register_family(FONT, BOLD)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _clean(text: str) -> str:
    """Text without control characters, which no font can draw."""
    return _CONTROL.sub("", text.replace("\t", " "))


def _markup(text: str) -> str:
    """Text a person typed, safe inside ReportLab's paragraph markup."""
    return escape(_clean(text))


def _blocks(source: str) -> list[list[str]]:
    """Markdown source as plain paragraphs of lines: blank lines part them, line breaks stay."""
    source = source.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = []
    for block in _BLANK_LINE.split(source):
        lines = [_clean(line).strip() for line in block.split("\n")]
        if any(lines):
            blocks.append([line for line in lines if line])
    return blocks


# Entries are TextBlocks (see pdflayout), not Paragraphs: 2,000 entries take under a second of
# CPU that way, against six with a Paragraph per line of detail and keep-with-next headings.
_ENTRY_TITLE = TextStyle(size=11.5, leading=15, space_before=16)
_DETAIL = TextStyle(size=10, leading=13.5)
_PART = TextStyle(size=10, leading=13.5, space_before=6)
_LINE = TextStyle(size=10, leading=13.5)
_NEXT_BLOCK = TextStyle(size=10, leading=13.5, space_before=5)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=4,
                          bulletFontName=FONT)
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=18, leading=22,
                                spaceAfter=10),
        "section": ParagraphStyle("section", body, fontName=BOLD, fontSize=13, leading=17,
                                  spaceBefore=10, spaceAfter=6),
        "bullet": ParagraphStyle("bullet", body, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "cell": ParagraphStyle("cell", body, spaceAfter=0),
    }


def _summary(record: CpdRecord, style: dict[str, ParagraphStyle], width: float) -> Table:
    total = sum(entry.minutes for entry in record.entries)
    participatory = sum(entry.minutes for entry in record.entries if entry.participatory)
    rows = [
        ("Advocate", record.advocate_name),
        ("Accreditation number", record.accreditation_number or "None recorded"),
        ("Organisation", record.organisation),
        ("Period", dates(record.period_start, record.period_end)),
        ("Entries", plural(len(record.entries), "entry", "entries")),
        ("Time in these entries", duration(total)),
        ("Of which participatory", duration(participatory)),
        ("Generated on", uk_date(record.generated_on)),
    ]
    data = [[Paragraph(f"<b>{label}</b>", style["cell"]), Paragraph(_markup(value), style["cell"])]
            for label, value in rows]
    table = Table(data, colWidths=(48 * mm, width - 48 * mm), splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # not Helvetica, which is not embedded
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f2f1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _entry(number: int, entry: RecordEntry, words: WordCache) -> TextBlock:
    kind = _clean(entry.activity_type) + (
        ", participatory" if entry.participatory else ", non-participatory")
    who = entry.confirmed_by
    confirmed = (f"{_clean(who.name)}, {_clean(who.role)}, {_clean(who.organisation)}, "
                 f"on {uk_date(who.on)}" if who else "Not confirmed")
    details = (
        ("Date:", dates(entry.starts_on, entry.ends_on)),
        ("Time:", duration(entry.minutes)),
        ("Type:", kind),
        ("Topics:", "; ".join(_clean(topic) for topic in entry.topics) or "None given"),
        ("Confirmed by:", confirmed),
        ("Source:", SOURCES[entry.source]),
    )
    # The title and details keep together; each part's heading keeps with its first line.
    paragraphs = [(_ENTRY_TITLE, [(BOLD, f"{number}. {_clean(entry.title)}")], True)]
    paragraphs += [(_DETAIL, [(FONT, label), (FONT, value)], n < len(details) - 1)
                   for n, (label, value) in enumerate(details)]
    for field, heading in PARTS:
        paragraphs.append((_PART, [(BOLD, heading)], True))
        blocks = _blocks(getattr(entry, field)) or [["Nothing written."]]
        for b, block in enumerate(blocks):
            paragraphs += [(_NEXT_BLOCK if b and not n else _LINE, [(FONT, line)], False)
                           for n, line in enumerate(block)]
    return TextBlock(paragraphs, words)


def _story(record: CpdRecord, style: dict[str, ParagraphStyle], width: float) -> list:
    story = [Paragraph("Continuing professional development record", style["title"]),
             _summary(record, style, width)]
    for heading, lines in (("Requirements", record.requirements), ("Progress", record.progress)):
        if lines:
            story.append(Paragraph(heading, style["section"]))
            story.extend(Paragraph(_markup(line), style["bullet"], bulletText="•")
                         for line in lines)
    story.append(Paragraph("Entries", style["section"]))
    if not record.entries:
        story.append(Paragraph("No CPD entries in this period.", style["body"]))
    words = WordCache()
    story.extend(_entry(number, entry, words)
                 for number, entry in enumerate(record.entries, start=1))
    return story


def _fit(text: str, width: float) -> str:
    """Shorten footer text with an ellipsis so it never runs into the page number."""
    if pdfmetrics.stringWidth(text, FONT, FOOTER_SIZE) <= width:
        return text
    text = text[:200]  # a footer never holds more, so trimming stays cheap for a huge name
    while text and pdfmetrics.stringWidth(text + "…", FONT, FOOTER_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _numbered_canvas(footer: str, created: str):
    """A canvas class that writes the footer and "Page N of M" once the page count is known."""

    def decorate(canvas, number: int, count: int) -> None:
        canvas.setFont(FONT, FOOTER_SIZE)
        canvas.setFillColor(colors.HexColor("#505a5f"))
        canvas.drawString(20 * mm, 12 * mm, footer)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Page {number} of {count}")

    def compress(canvas) -> None:
        # Compress the page with Flate alone. By default ReportLab wraps it in ASCII85 as well
        # (a global setting), which makes the file a quarter bigger and, in pure Python, took a
        # third of the time for a long record.
        page = canvas._doc.Pages[-1]
        page.Contents = PDFStream(content=page.stream, filters=[PDFZCompress])

    return counted_pages_canvas(created, decorate, compress)


def record_pdf(record: CpdRecord) -> bytes:
    """Return the advocate's CPD record as an A4 PDF (the same bytes for the same record)."""
    font_files()
    out = io.BytesIO()
    period = dates(record.period_start, record.period_end)
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
        bottomMargin=22 * mm, title=f"CPD record: {record.advocate_name}, {period}",
        author=record.advocate_name, subject="Continuing professional development record",
        creator="PG Cert in independent advocacy: learning platform", lang="en-GB",
        invariant=1, initialFontName=FONT, initialFontSize=10)
    footer = _fit(_CONTROL.sub("", f"CPD record: {record.advocate_name}, {period}"),
                  doc.width - 30 * mm)
    created = f"D:{record.generated_on:%Y%m%d}000000+00'00'"
    doc.build(_story(record, _styles(), doc.width),
              canvasmaker=_numbered_canvas(footer, created))
    return out.getvalue()


__all__ = ["CSV_HEADER", "Confirmation", "CpdRecord", "RecordEntry", "decimal_hours",
           "dates", "duration", "record_csv", "record_pdf"]

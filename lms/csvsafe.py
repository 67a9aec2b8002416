"""Write CSV that spreadsheets open as data: no cell a trainee or importer typed runs as a formula.

A cell that starts with =, +, -, @, tab or carriage return is read as a formula by Excel,
LibreOffice and Google Sheets; a leading single quote makes it text (OWASP, CSV injection).
Numbers the application writes stay numbers, so a negative mark sorts as a number."""

import csv
import io
from collections.abc import Iterable

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return a string that starts a formula with a quote before it; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable]) -> str:
    """Return rows as CSV text, every string cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def csv_response(rows: Iterable[Iterable], filename: str) -> Response:
    """Return rows as a CSV download with every string cell made safe."""
    return Response(csv_text(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})

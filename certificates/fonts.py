"""The TrueType fonts the certificates embed, found on the system (no standard-14 font).

Names like "Ștefan" or "Nguyễn" must print on any reader, so the PDFs embed DejaVu Sans, or
Liberation Sans, where the system has them (Debian's fonts-dejavu-core, Fedora's
dejavu-sans-fonts), otherwise Bitstream Vera, which ReportLab ships (Latin-1 glyphs only).
The same search as the CPD record's (lms/cpd/record.py), under names of our own.
"""

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "CertSans"
BOLD = "CertSans-Bold"
_FONT_FILES = (  # (folder, regular, bold), first found wins
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation", "LiberationSans-Regular.ttf",
     "LiberationSans-Bold.ttf"),
    (str(Path(reportlab.__file__).parent / "fonts"), "Vera.ttf", "VeraBd.ttf"),
)


@cache
def font_files() -> tuple[str, str]:
    """Return the regular and bold TrueType files the certificates embed (registered once)."""
    for folder, regular, bold in _FONT_FILES:
        paths = (Path(folder) / regular, Path(folder) / bold)
        if all(path.is_file() for path in paths):
            pdfmetrics.registerFont(TTFont(REGULAR, str(paths[0])))
            pdfmetrics.registerFont(TTFont(BOLD, str(paths[1])))
            # Italic maps to the upright faces: no certificate uses it, and <i> must not fail.
            pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                          boldItalic=BOLD)
            return str(paths[0]), str(paths[1])
    raise RuntimeError("no TrueType font found for certificates, not even ReportLab's Vera")

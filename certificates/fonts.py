"""The TrueType fonts the certificates embed, found on the system (no standard-14 font).

Names like "Ștefan" or "Nguyễn" must print on any reader, so the PDFs embed DejaVu Sans, or
Liberation Sans, where the system has them (Debian's fonts-dejavu-core, Fedora's
dejavu-sans-fonts), otherwise Bitstream Vera, which ReportLab ships (Latin-1 glyphs only).
The CPD record (lms/cpd/record.py) registers the same files under its own names.
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
def system_font_files() -> tuple[str, str]:
    """The regular and bold TrueType files found first on this system."""
    for folder, regular, bold in _FONT_FILES:
        paths = (Path(folder) / regular, Path(folder) / bold)
        if all(path.is_file() for path in paths):
            return str(paths[0]), str(paths[1])
    raise RuntimeError("no TrueType font found, not even ReportLab's Vera")


@cache
def register_family(regular_name: str, bold_name: str) -> tuple[str, str]:
    """Register the system's fonts under these names (once) and return their files. Italic
    maps to the upright faces: no document here uses it, and <i> must not fail."""
    regular, bold = system_font_files()
    pdfmetrics.registerFont(TTFont(regular_name, regular))
    pdfmetrics.registerFont(TTFont(bold_name, bold))
    pdfmetrics.registerFontFamily(regular_name, normal=regular_name, bold=bold_name,
                                  italic=regular_name, boldItalic=bold_name)
    return regular, bold


def font_files() -> tuple[str, str]:
    """Return the regular and bold TrueType files the certificates embed (registered once)."""
    return register_family(REGULAR, BOLD)

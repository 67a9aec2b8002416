"""Show a captured plain-text email as HTML with its web links clickable."""

import re

from markupsafe import Markup, escape

# A web address runs to the next space or angle bracket; trailing punctuation ends a sentence.
URL = re.compile(r"https?://[^\s<>\"']+")
TRAILING = ".,;:!?)"


def linkify(text: str) -> Markup:
    """Escape the text and turn each http(s) address in it into a link to itself."""
    parts, end = [], 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        start = match.start()
        parts.append(escape(text[end:start]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        end = start + len(url)
    parts.append(escape(text[end:]))
    return Markup("").join(parts)

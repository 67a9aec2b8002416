"""Does a piece of anonymous work give away its author's name?

Markers of anonymous work see candidate numbers only, but a trainee can undo that by typing
their name into an answer or leaving it in a file's header. These rules find the full name
(first and last, in that order, ignoring case, spacing and line breaks) so the trainee is
told as they write, while the work can still be changed. A surname alone is not checked:
too many are ordinary words.
"""

import re


def _pattern(full_name: str) -> re.Pattern | None:
    words = [re.escape(word) for word in full_name.split()]
    if len(words) < 2:
        return None
    return re.compile(r"(?<!\w)" + r"[\s\u00a0]+".join(words) + r"(?!\w)", re.IGNORECASE)


def shows_name(text: str, full_name: str) -> bool:
    """Whether the text contains the person's full name as words."""
    pattern = _pattern(full_name)
    return bool(pattern and pattern.search(text or ""))

"""Users' Markdown built to be slow to render, at the longest length a field allows.

Shared by the unit test that counts the work of a render and by the benchmark that times it.
"""

import random

from lms import limits
from lms.courses.render import MARKUP_BUDGET_US, markup_cost

LENGTH = limits.USER_MARKDOWN


def fill(unit: str, length: int = LENGTH) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def adversarial(length: int = LENGTH) -> dict[str, str]:
    """Return text built to be slow to parse: the cases of the cmark and markdown-it suites."""
    rng = random.Random(20240611)
    half = length // 2
    return {
        "[": fill("[", length), "![": fill("![", length), "<a ": fill("<a ", length),
        "*": fill("*", length), "_": fill("_", length), "`": fill("`", length),
        ">": fill(">", length), "- - - -": fill("- ", length),
        "deep indentation": fill("".join(" " * 2 * i + "- x\n" for i in range(60)), length),
        "[a](": fill("[a](", length), "<": fill("<", length), "&#": fill("&#", length),
        "long line": fill("word ", length), "many lines": fill("a\n", length),
        "emphasis mix": fill("*a_ **b__ ", length),
        "mixed random": "".join(rng.choice("[]()!<>*_`#-+.&;\\:\"' \n\ta1")
                                for _ in range(length)),
        "nested strong emphasis": fill("*a **a ", half) + fill(" a** a*", length - half),
        "emphasis closers": fill("a_ ", length), "emphasis openers": fill("_a ", length),
        "link closers": fill("a]", length), "link openers": fill("[a", length),
        "a![": fill("a![", length), "multiple of 3": fill("c* a**b", length),
        "link openers, emphasis closers": fill("[ a_", length), "[ (](": fill("[ (](", length),
        "nested brackets": "[" * half + "]" * (length - half),
        "NUL": fill("abc\u0000de\u0000", length),
        "backtick runs": fill("".join("e" + "`" * i for i in range(1, 300)), length),
        "unclosed links": fill("[a](b", length), "unclosed <links": fill("[a](<b", length),
        "<!--": fill("<!--", length), "references": fill("[x]: u\n", length),
        "references used": fill("[x] [x]: u\n", length), "autolinks": fill("<http://a> ", length),
        "entities": fill("&amp;", length), "escapes": fill("\\*", length),
        "hard breaks": fill("a  \n", length), "paragraphs": fill("a\n\n", length),
        "headings": fill("# h\n", length), "setext headings": fill("a\n=\n", length),
        "list items": fill("- a\n", length), "ordered items": fill("1. a\n", length),
        "nested quotes": fill("> " * 19 + "a\n", length),
        "nested lists": fill("- " * 19 + "a\n", length),
        "nested ordered lists": fill("1. " * 19 + "a\n", length),
        "fences": fill("```\n", length), "open fence": "````\n" + fill("a\n", length - 5),
        "inline links": fill("[a](http://b) ", length), "images": fill("![a](b) ", length),
        "code spans": fill("`a` ", length), "strong": fill("**a** ", length),
        "links in emphasis": fill("*[a](http://b)* ", length),
    }


def most_markup_parsed(text: str) -> str:
    """Return the longest start of text the parser takes, made up to full length with prose."""
    low, high = 0, LENGTH - 2
    while low < high:
        middle = (low + high + 1) // 2
        candidate = text[:middle] + "\n\n" + fill("word ", LENGTH - middle - 2)
        low, high = (middle, high) if markup_cost(candidate) <= MARKUP_BUDGET_US else (
            low, middle - 1)
    return text[:low] + "\n\n" + fill("word ", LENGTH - low - 2)


PROSE = ("the advocate met the person at home and explained independent advocacy under the Care "
         "Act 2014, section 67; they agreed a plan with steps and a review date. Well-being, "
         "consent, capacity: each was recorded.")


def long_answer() -> str:
    """Return a written answer of the longest length, formatted as trainees do."""
    rng = random.Random(3)
    words = PROSE.split()
    parts = []
    while sum(map(len, parts)) < LENGTH:
        roll = rng.random()
        if roll < 0.05:
            parts.append("## " + " ".join(rng.choices(words, k=4)) + "\n\n")
        elif roll < 0.25:
            parts.append("".join("- " + " ".join(rng.choices(words, k=10)) + "\n"
                                 for _ in range(rng.randint(2, 6))) + "\n")
        elif roll < 0.3:
            parts.append("> " + " ".join(rng.choices(words, k=30)) + "\n\n")
        else:
            sentence = rng.choices(words, k=rng.randint(60, 120))
            sentence[2] = f"**{sentence[2]}**"
            sentence[5] = f"[{sentence[5]}](https://www.legislation.gov.uk/ukpga/2014/23)"
            parts.append(" ".join(sentence) + ".\n\n")
    return "".join(parts)[:LENGTH]


def every_case() -> dict[str, str]:
    """Return each adversarial text as typed, the most of it the parser takes, and an answer."""
    texts = {}
    for name, text in adversarial().items():
        texts[name] = text
        texts[name + " (most parsed)"] = most_markup_parsed(text)
    texts["long ordinary answer"] = long_answer()
    return texts

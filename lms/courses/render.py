"""Render lesson Markdown to safe HTML once per content version (no Flask, no database)."""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import lru_cache

import bleach
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

CALLOUTS = {
    "key": "Key point",
    "law": "The law",
    "tip": "Practice tip",
    "case": "Case study",
    "content-note": "Content note",
}
JURISDICTION_BLOCKS = {
    "england-wales": "england_wales",
    "scotland": "scotland",
    "northern-ireland": "northern_ireland",
}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
    "strong", "summary", "sup", "sub", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "class", "id"],
    "img": ["src", "alt", "title"],
    "div": ["class", "role", "id"],
    "details": ["class", "data-jurisdiction"],
    "p": ["class"],
    "sup": ["id"],
    "li": ["id"],
    "h2": ["id"], "h3": ["id"], "h4": ["id"], "h5": ["id"], "h6": ["id"],
    "th": ["align", "scope"], "td": ["align"],
    "span": ["class"],
}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


@dataclass
class Rendered:
    html: str
    text: str
    links: list[str] = field(default_factory=list)  # lesson: targets, as written
    unresolved: list[str] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)
    stripped: bool = False  # True if sanitising changed the HTML
    heading_problems: list[str] = field(default_factory=list)


class _CourseTree(Treeprocessor):
    def __init__(self, md, options):
        super().__init__(md)
        self.options = options

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "div" and "admonition" in element.get("class", "").split():
                self._callout(element)
            elif element.tag == "a" and element.get("href", "").startswith("lesson:"):
                self._lesson_link(element)
            elif element.tag == "img":
                self.options["images"].append((element.get("src", ""), element.get("alt", "")))
                element.set("src", self.options["image_base"] + element.get("src", ""))
            elif element.tag == "th":
                element.set("scope", "col")

    def _callout(self, element: etree.Element) -> None:
        classes = [c for c in element.get("class", "").split() if c != "admonition"]
        title = element.find("p")
        if classes and classes[0] == "jurisdiction":
            nation = classes[1] if len(classes) > 1 else ""
            element.tag = "details"
            element.attrib.clear()
            element.set("class", "jurisdiction")
            element.set("data-jurisdiction", JURISDICTION_BLOCKS.get(nation, nation))
            if title is not None and title.get("class") == "admonition-title":
                title.tag = "summary"
                title.attrib.clear()
            return
        kind = classes[0] if classes else "note"
        element.attrib.clear()
        element.set("class", f"callout callout-{kind}")
        element.set("role", "note")
        if title is not None and title.get("class") == "admonition-title":
            title.set("class", "callout-title")
            if not (title.text or "").strip():
                title.text = CALLOUTS.get(kind, kind)

    def _lesson_link(self, element: etree.Element) -> None:
        target = element.get("href")[len("lesson:"):]
        self.options["links"].append(target)
        module, _, slug = target.rpartition("/")
        module = module or self.options["module"]
        if (module, slug) not in self.options["lessons"]:
            self.options["unresolved"].append(target)
        # Relative links work wherever the app is mounted: /modules/<module>/<lesson>.
        element.set("href", f"../{module}/{slug}")


class _CourseExtension(Extension):
    def __init__(self, options):
        super().__init__()
        self.options = options

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_CourseTree(md, self.options), "course", 0)


def render_markdown(text: str, *, module: str, lessons: set[tuple[str, str]],
                    image_base: str = "") -> Rendered:
    """Render Markdown with callouts, jurisdiction blocks and lesson links, then sanitise."""
    options = {"module": module, "lessons": lessons, "links": [], "unresolved": [],
               "images": [], "image_base": image_base}
    md = markdown.Markdown(
        extensions=["tables", "footnotes", "admonition", "sane_lists", "toc",
                    _CourseExtension(options)],
        extension_configs={"tables": {"use_align_attribute": True},
                           "toc": {"permalink": False, "toc_depth": "2-3"},
                           "footnotes": {"BACKLINK_TITLE": "Back to reference %d"}},
        output_format="html",
    )
    raw = md.convert(text)
    clean = sanitise(raw)
    return Rendered(html=clean, text=plain_text(clean), links=options["links"],
                    unresolved=options["unresolved"], images=options["images"],
                    stripped=_normalise(raw) != clean, heading_problems=heading_problems(raw))


def sanitise(html: str) -> str:
    """Remove anything not on the allowlist (tags, attributes, URL schemes)."""
    return bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True)


def _normalise(html: str) -> str:
    """Serialise HTML the way bleach does, removing nothing, so the two can be compared."""
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))
    return bleach.clean(html, tags=tags, attributes=lambda tag, name, value: True,
                        protocols=ALLOWED_PROTOCOLS | {"lesson", "data", "javascript"},
                        strip=False, strip_comments=False)


def plain_text(html: str) -> str:
    """Return the words of rendered HTML, for search and word counts."""
    text = re.sub(r"<[^>]+>", " ", html)
    text = bleach.clean(text, tags=set(), strip=True)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = text.replace("&quot;", '"').replace("&#39;", "'").replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", text).strip()


def heading_problems(html: str) -> list[str]:
    """Return problems with heading order: the body starts at h2 and never skips a level."""
    problems, previous = [], 1
    for level in (int(n) for n in re.findall(r"<h([1-6])[\s>]", html)):
        if level == 1:
            problems.append("use ## for sections: the page title is the only level-1 heading")
        elif level > previous + 1:
            problems.append(f"heading level {level} follows level {previous}; do not skip levels")
        previous = max(level, 2)
    return problems


def open_jurisdiction(html: str, jurisdiction: str | None) -> str:
    """Open the reader's own jurisdiction blocks (a string edit, not a re-render)."""
    if not jurisdiction:
        return html
    marker = f'<details class="jurisdiction" data-jurisdiction="{jurisdiction}">'
    return html.replace(marker, marker[:-1] + " open>")


USER_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "h4", "h5", "h6", "blockquote",
             "code", "pre", "a"}
USER_LINK = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)
# Everything the user renderer can emit. Anything else means a bug: the text is shown plain.
_USER_HTML = re.compile(r"<(?!/?(?:" + "|".join(sorted(USER_TAGS - {"a"})) + r")>"
                        r'|/a>|a href="(?i:https?://|mailto:)[^"<>]*">)')
# markdown-it-py is linear but pure Python: a markup character can cost several microseconds,
# so text made mostly of markup (a line of "[[[[", thousands of one-word list items) would take
# longer than a page can wait. markup_cost() bounds the work from above; past the budget the
# text is shown as typed, in plain paragraphs. The weights are microseconds per character,
# fitted with a margin to the adversarial inputs in tests/unit/test_user_markdown_cost.py.
_COST_US = {"[": 18, "]": 2, "(": 6, ")": 2, "!": 16, "<": 26, ">": 4, "*": 8, "_": 14, "`": 4,
            "#": 2, "-": 10, "+": 2, ".": 2, "&": 46, "\\": 10, "\n": 28, "\t": 2}
MARKUP_BUDGET_US = 40_000  # well under the 100 ms a render may take, for slower machines


def _user_parser() -> MarkdownIt:
    """Build a CommonMark parser with only what users' text needs: no HTML, images or rules."""
    md = MarkdownIt("zero", {"html": False, "xhtmlOut": False, "maxNesting": 20})
    md.enable(["normalize", "block", "inline", "text_join",
               "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
               "autolink", "backticks", "emphasis", "entity", "escape", "image", "link",
               "newline", "text", "balance_pairs", "fragments_join"])
    # Only the characters the enabled inline rules start on interrupt a run of text.
    md.inline.terminator_re = re.compile(r"[\n!&*<\[\\\]_`]")
    md.validateLink = lambda url: USER_LINK.match(url) is not None
    md.normalizeLinkText = lambda url: url  # an autolink shows what was typed (and costs less)
    for name, rule in _USER_RENDER_RULES.items():
        md.add_render_rule(name, rule)
    return md


def _link_open(self, tokens, idx, options, env) -> str:
    href = tokens[idx].attrGet("href") or ""
    allowed = USER_LINK.match(href) is not None
    env.setdefault("links", []).append(allowed)
    return f'<a href="{escapeHtml(href)}">' if allowed else ""


def _link_close(self, tokens, idx, options, env) -> str:
    return "</a>" if env.get("links") and env["links"].pop() else ""


def _code(self, tokens, idx, options, env) -> str:
    # No language class: users' code blocks carry no attributes.
    return "<pre><code>" + escapeHtml(tokens[idx].content) + "</code></pre>\n"


def _image(self, tokens, idx, options, env) -> str:
    # Users' images are not shown (no tracking pixels, nothing loaded): their words are.
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_USER_RENDER_RULES = {
    "link_open": _link_open, "link_close": _link_close, "code_block": _code, "fence": _code,
    "image": _image, "ordered_list_open": lambda self, tokens, idx, options, env: "<ol>\n",
    "hr": lambda self, tokens, idx, options, env: "",
}
_USER_MARKDOWN = _user_parser()


def markup_cost(text: str) -> int:
    """Estimate, in microseconds, the work of parsing text as Markdown (an upper bound)."""
    return sum(cost * text.count(c) for c, cost in _COST_US.items()) + len(text) // 10


def plain_paragraphs(text: str) -> str:
    """Show text as it was typed: escaped, in paragraphs, with its line breaks."""
    text = text.replace("\r\n", "\n").replace("\0", "\ufffd")  # as the parser would
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    return "".join("<p>" + escapeHtml(b.strip()).replace("\n", "<br>\n") + "</p>\n"
                   for b in blocks if b.strip())


# A per-process cache, and safe on several nodes: the HTML is a pure function of the text, so
# every process computes the same. Lessons never come from here: they are rendered once, at
# sync, into the database that every node reads.
@lru_cache(maxsize=128)
def render_user_markdown(text: str) -> str:
    """Render a user's Markdown safely and in bounded time: a small allowlist, safe links."""
    text = text or ""
    if markup_cost(text) > MARKUP_BUDGET_US:
        return plain_paragraphs(text)
    env: dict = {}
    tokens = _USER_MARKDOWN.parse(text, env)
    # The page's own headings end at h3: the user's top heading level becomes h4.
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if headings:
        shift = 4 - min(int(t.tag[1]) for t in headings)
        for token in headings:
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    html = _USER_MARKDOWN.renderer.render(tokens, _USER_MARKDOWN.options, env)
    return plain_paragraphs(text) if _USER_HTML.search(html) else html

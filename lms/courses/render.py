"""Render lesson Markdown to safe HTML once per content version (no Flask, no database)."""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import bleach
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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


def render_user_markdown(text: str) -> str:
    """Render a trainee's Markdown safely: a small allowlist, links without scripts."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    # The page's own headings end at h3: the trainee's top heading level becomes h4.
    levels = [int(n) for n in re.findall(r"<h([1-6])>", html)]
    shift = 4 - min(levels) if levels else 0
    html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}>", html)
    return bleach.clean(html, tags=USER_TAGS, attributes={"a": ["href"]},
                        protocols={"http", "https", "mailto"}, strip=True)

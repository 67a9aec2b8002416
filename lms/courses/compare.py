"""What changed between two versions of a module, for the programme board (pure: two dicts in).

A version dict holds the module's fields (title, credits, level, kind, last_reviewed), `meta`
(outcomes, components, pass_mark, ...), `lessons` (a list of dicts: slug, title, minutes,
outcomes, sources, questions, content_note, last_reviewed and the Markdown `body`, or only the
plain `text` for versions synced before the Markdown was kept) and `scenarios` ({slug: dict}).
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from lms.formatting import plural, uk_date

RENDERED = ("narrative_html", "body_html")  # made from the Markdown at sync: not a change


@dataclass(frozen=True)
class Change:
    what: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same" or "gap" (lines left out between changes)
    text: str


@dataclass
class ItemChanges:
    """A lesson or scenario in both versions, and what differs."""

    slug: str
    title: str
    changes: list[Change] = field(default_factory=list)
    body: list[DiffLine] = field(default_factory=list)
    body_as: str = "Markdown"

    @property
    def body_counts(self) -> tuple[int, int]:
        return (sum(d.kind == "added" for d in self.body),
                sum(d.kind == "removed" for d in self.body))


@dataclass
class Comparison:
    module: list[Change] = field(default_factory=list)
    lessons_added: list[tuple[str, str]] = field(default_factory=list)
    lessons_removed: list[tuple[str, str]] = field(default_factory=list)
    lessons_changed: list[ItemChanges] = field(default_factory=list)
    scenarios_added: list[tuple[str, str]] = field(default_factory=list)
    scenarios_removed: list[tuple[str, str]] = field(default_factory=list)
    scenarios_changed: list[ItemChanges] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not any((self.module, self.lessons_added, self.lessons_removed,
                        self.lessons_changed, self.scenarios_added, self.scenarios_removed,
                        self.scenarios_changed))

    def rows(self) -> list[list[str]]:
        """Every change as (area, item, change, before, after): for a CSV the board can sort."""
        rows = [["Module", "", c.what, c.before, c.after] for c in self.module]
        for kind, added, removed, changed in (
                ("Lesson", self.lessons_added, self.lessons_removed, self.lessons_changed),
                ("Scenario", self.scenarios_added, self.scenarios_removed,
                 self.scenarios_changed)):
            rows += [[kind, title, "Added", "", title] for _slug, title in added]
            rows += [[kind, title, "Removed", title, ""] for _slug, title in removed]
            for item in changed:
                rows += [[kind, item.title, c.what, c.before, c.after] for c in item.changes]
                if item.body:
                    more, fewer = item.body_counts
                    rows.append([kind, item.title, f"Text ({item.body_as})",
                                 f"{plural(fewer, 'line')} removed",
                                 f"{plural(more, 'line')} added"])
        return rows


def shown(value) -> str:
    """A value as the report prints it: lists joined, dates in the UK format."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {shown(v)}" for k, v in value.items())
    return str(value)


def _field(changes: list[Change], what: str, before, after, as_date: bool = False) -> None:
    if before != after:
        changes.append(Change(what, uk_date(before) if as_date else shown(before),
                              uk_date(after) if as_date else shown(after)))


def _keyed(old: list[dict], new: list[dict], key: str):
    """Pair items by key: (added, removed, in both as (old, new))."""
    before = {item.get(key): item for item in old}
    after = {item.get(key): item for item in new}
    added = [item for k, item in after.items() if k not in before]
    removed = [item for k, item in before.items() if k not in after]
    both = [(before[k], item) for k, item in after.items() if k in before]
    return added, removed, both


def line_diff(before: str, after: str, context: int = 2) -> list[DiffLine]:
    """A readable line diff: changed lines with a little context, gaps between changes."""
    lines = []
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=context)
    for text in list(diff)[2:]:
        if text.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        elif text.startswith("+"):
            lines.append(DiffLine("added", text[1:]))
        elif text.startswith("-"):
            lines.append(DiffLine("removed", text[1:]))
        else:
            lines.append(DiffLine("same", text[1:]))
    return lines[1:] if lines and lines[0].kind == "gap" else lines


def compare_versions(old: dict, new: dict) -> Comparison:
    """Return what changed from one version of a module to another."""
    result = Comparison(module=_module_changes(old, new))
    added, removed, both = _keyed(old.get("lessons", []), new.get("lessons", []), "slug")
    result.lessons_added = [(lesson["slug"], lesson["title"]) for lesson in added]
    result.lessons_removed = [(lesson["slug"], lesson["title"]) for lesson in removed]
    for before, after in both:
        item = _lesson_changes(before, after)
        if item.changes or item.body:
            result.lessons_changed.append(item)
    old_s, new_s = old.get("scenarios", {}), new.get("scenarios", {})
    result.scenarios_added = [(s, new_s[s].get("title", s)) for s in new_s if s not in old_s]
    result.scenarios_removed = [(s, old_s[s].get("title", s)) for s in old_s if s not in new_s]
    for slug in (s for s in new_s if s in old_s):
        item = _scenario_changes(slug, old_s[slug], new_s[slug])
        if item.changes:
            result.scenarios_changed.append(item)
    return result


def _module_changes(old: dict, new: dict) -> list[Change]:
    changes: list[Change] = []
    for key, what in (("title", "Title"), ("credits", "Credits"), ("level", "FHEQ level"),
                      ("kind", "Kind"), ("specialism", "Specialism")):
        _field(changes, what, old.get(key), new.get(key))
    _field(changes, "Last reviewed", old.get("last_reviewed"), new.get("last_reviewed"), True)
    om, nm = old.get("meta", {}), new.get("meta", {})
    for key, what in (("summary", "Summary"), ("pass_mark", "Pass mark"),
                      ("component_minimum", "Component minimum"),
                      ("content_notes", "Content notes"), ("authors", "Authors"),
                      ("cpd_hours", "CPD hours"), ("cpd_topics", "CPD topic areas")):
        _field(changes, what, om.get(key), nm.get(key))
    added, removed, both = _keyed(om.get("outcomes", []), nm.get("outcomes", []), "id")
    changes += [Change(f"Outcome {o['id']} added", "", o.get("text", "")) for o in added]
    changes += [Change(f"Outcome {o['id']} removed", o.get("text", ""), "") for o in removed]
    for before, after in both:
        _field(changes, f"Outcome {after['id']}", before.get("text"), after.get("text"))
    added, removed, both = _keyed(om.get("components", []), nm.get("components", []), "id")
    changes += [Change(f"Component {c['id']} added", "", _component(c)) for c in added]
    changes += [Change(f"Component {c['id']} removed", _component(c), "") for c in removed]
    for before, after in both:
        for key, what in (("title", "title"), ("kind", "kind"), ("weight", "weight"),
                          ("outcomes", "outcomes"), ("scenario", "scenario"),
                          ("jurisdictions", "scenarios by nation"), ("brief", "brief")):
            _field(changes, f"Component {after['id']}: {what}", before.get(key), after.get(key))
    return changes


def _component(component: dict) -> str:
    return f"{component.get('title', '')} ({component.get('weight', 0)}%)"


def _lesson_changes(old: dict, new: dict) -> ItemChanges:
    item = ItemChanges(new["slug"], new.get("title", new["slug"]))
    changes = item.changes
    _field(changes, "Title", old.get("title"), new.get("title"))
    _field(changes, "Study time (minutes)", old.get("minutes"), new.get("minutes"))
    _field(changes, "Outcomes", old.get("outcomes"), new.get("outcomes"))
    _field(changes, "Content note", old.get("content_note"), new.get("content_note"))
    _field(changes, "Last reviewed", old.get("last_reviewed"), new.get("last_reviewed"), True)
    _field(changes, "Review notes", old.get("review_notes"), new.get("review_notes"))
    added, removed, both = _keyed(old.get("sources", []), new.get("sources", []), "cite")
    changes += [Change("Source added", "", s["cite"]) for s in added]
    changes += [Change("Source removed", s["cite"], "") for s in removed]
    changes += [Change("Source link changed", shown(b.get("url")), shown(a.get("url")))
                for b, a in both if b.get("url") != a.get("url")]
    added, removed, both = _keyed(old.get("questions", []), new.get("questions", []), "prompt")
    changes += [Change("Question added", "", q["prompt"]) for q in added]
    changes += [Change("Question removed", q["prompt"], "") for q in removed]
    changes += [Change(f"Question changed: {a['prompt']}", _options(b), _options(a))
                for b, a in both if b.get("options") != a.get("options")]
    if old.get("body") is not None and new.get("body") is not None:
        item.body = line_diff(old["body"], new["body"])
    else:  # a version synced before the Markdown was kept: compare the plain text, by sentence
        item.body_as = "plain text"
        item.body = line_diff(_sentences(old.get("text", "")), _sentences(new.get("text", "")))
    return item


def _options(question: dict) -> str:
    return "; ".join(o.get("text", "") + (" (correct)" if o.get("correct") else "")
                     for o in question.get("options", []))


def _sentences(text: str) -> str:
    return re.sub(r"(?<=[.!?])\s+", "\n", " ".join(text.split()))


def _scenario_changes(slug: str, old: dict, new: dict) -> ItemChanges:
    item = ItemChanges(slug, new.get("title", slug))
    changes = item.changes
    for key, what in (("title", "Title"), ("summary", "Summary"), ("summative", "Summative"),
                      ("scoring", "Scoring"), ("allow_back", "May go back"),
                      ("allow_loops", "Loops allowed"), ("start", "First stage"),
                      ("outcomes", "Outcomes"), ("content_note", "Content note"),
                      ("estimated_minutes", "Estimated minutes"), ("weights", "Mark weights"),
                      ("review_notes", "Review notes")):
        _field(changes, what, old.get(key), new.get(key))
    _field(changes, "Last reviewed", old.get("last_reviewed"), new.get("last_reviewed"), True)
    added, removed, both = _keyed(old.get("stages", []), new.get("stages", []), "id")
    changes += [Change("Stage added", "", _stage(s)) for s in added]
    changes += [Change("Stage removed", _stage(s), "") for s in removed]
    for before, after in both:
        parts = [what for key, what in (
            ("title", "title"), ("narrative", "narrative"), ("documents", "case documents"),
            ("decision", "decision"), ("task", "written task"), ("end", "ending"))
            if _plain(before.get(key)) != _plain(after.get(key))]
        if parts:
            changes.append(Change(f"Stage changed: {_stage(after)}", "", ", ".join(parts)))
    added, removed, both = _keyed(old.get("rubric", []), new.get("rubric", []), "id")
    changes += [Change("Rubric criterion added", "", _criterion(c)) for c in added]
    changes += [Change("Rubric criterion removed", _criterion(c), "") for c in removed]
    for before, after in both:
        for key, what in (("title", "title"), ("outcome", "outcome"), ("weight", "weight")):
            _field(changes, f"Rubric {after['id']}: {what}", before.get(key), after.get(key))
        bands_before, bands_after = before.get("bands", {}), after.get("bands", {})
        for band in dict.fromkeys([*bands_before, *bands_after]):
            _field(changes, f"Rubric {after['id']}: {band} band", bands_before.get(band),
                   bands_after.get(band))
    return item


def _stage(stage: dict) -> str:
    return f"{stage.get('id', '')} ({stage.get('title', '')})"


def _criterion(criterion: dict) -> str:
    return f"{criterion.get('id', '')} {criterion.get('title', '')} ({criterion.get('weight', 0)}%)"


def _plain(value):
    """A stage part without what sync rendered from it."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in RENDERED}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value

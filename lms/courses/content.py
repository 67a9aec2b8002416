"""Load course content from files and check it, naming file and line (no Flask, no database)."""

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assessments.scenario import JURISDICTIONS, validate_scenario, variant_problem
from lms.courses.render import Rendered, render_markdown
from lms.cpd.rules import TOPIC_AREAS, module_hours_problem
from lms.vocab import SPECIALISMS

LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9-]+)\.md$")
SOURCE_BLOCK = re.compile(r"^!!! (law|jurisdiction)\b")


@dataclass(frozen=True)
class Standards:
    """The programme's minimums for a module (the PG Cert's, unless a test says otherwise)."""

    lessons: int = 8
    questions: int = 4
    words: int = 800


PROGRAMME = Standards()


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


@dataclass
class LessonContent:
    path: Path
    position: int
    slug: str
    title: str
    meta: dict
    body: str
    body_line: int
    rendered: Rendered | None = None

    @property
    def questions(self) -> list[dict]:
        return self.meta.get("questions", [])

    @property
    def words(self) -> int:
        return len(self.rendered.text.split()) if self.rendered else len(self.body.split())


@dataclass
class ModuleContent:
    path: Path
    meta: dict
    lessons: list[LessonContent] = field(default_factory=list)
    scenarios: dict[str, dict] = field(default_factory=dict)
    digest: str = ""

    @property
    def slug(self) -> str:
        return self.meta.get("slug", "")

    @property
    def code(self) -> str:
        return self.meta.get("code", "")

    @property
    def outcome_ids(self) -> set[str]:
        return {o.get("id") for o in self.meta.get("outcomes", [])}


@dataclass
class Programme:
    modules: list[ModuleContent]
    problems: list[Problem]


def _toml_error(path: Path, error: tomllib.TOMLDecodeError, offset: int = 0) -> Problem:
    match = re.search(r"line (\d+)", str(error))
    line = int(match.group(1)) + offset if match else None
    return Problem(path, line, f"not valid TOML: {error}")


def line_of(text: str, pattern: str, default: int | None = None) -> int | None:
    """Return the 1-based line of the first match of a regex in text."""
    match = re.search(pattern, text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else default


def module_dirs(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("module.toml"))


def load_programme(root: Path, standards: Standards = PROGRAMME) -> Programme:
    """Load every module under root, render its lessons and check all of it."""
    modules, problems = [], []
    for folder in module_dirs(root):
        module, found = _load_module(folder)
        problems.extend(found)
        if module is not None:
            modules.append(module)
    lessons = {(m.slug, lesson.slug) for m in modules for lesson in m.lessons}
    for module in modules:
        for lesson in module.lessons:
            lesson.rendered = render_markdown(
                lesson.body, module=module.slug, lessons=lessons,
                image_base=f"../../course-media/{module.slug}/")
        problems.extend(check_module(module, standards))
    problems.extend(_check_unique(modules))
    modules.sort(key=lambda m: (m.meta.get("order", 99), m.code))
    return Programme(modules, problems)


def _load_module(folder: Path) -> tuple[ModuleContent | None, list[Problem]]:
    path = folder / "module.toml"
    text = path.read_text(encoding="utf-8")
    try:
        meta = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [_toml_error(path, error)]
    module = ModuleContent(path=path, meta=meta, digest=_digest(folder))
    problems = []
    for lesson_path in sorted((folder / "lessons").glob("*.md")):
        lesson, found = _load_lesson(lesson_path)
        problems.extend(found)
        if lesson is not None:
            module.lessons.append(lesson)
    for scenario_path in sorted((folder / "scenarios").glob("*.toml")):
        try:
            module.scenarios[scenario_path.stem] = tomllib.loads(
                scenario_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            problems.append(_toml_error(scenario_path, error))
    return module, problems


def _digest(folder: Path) -> str:
    """Hash every file of a module, so any change makes a new version."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def _load_lesson(path: Path) -> tuple[LessonContent | None, list[Problem]]:
    match = LESSON_FILE.match(path.name)
    if not match:
        return None, [Problem(path, None, "lesson files are named NN-slug.md, e.g. 01-intro.md")]
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        return None, [Problem(path, 1, "a lesson starts with TOML front matter between +++ lines")]
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "+++")
    except StopIteration:
        return None, [Problem(path, 1, "the front matter has no closing +++ line")]
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        return None, [_toml_error(path, error, offset=1)]
    lesson = LessonContent(path=path, position=int(match.group(1)), slug=meta.get("slug", ""),
                           title=meta.get("title", ""), meta=meta,
                           body="\n".join(lines[end + 1:]), body_line=end + 2)
    return lesson, []


def _check_unique(modules: list[ModuleContent]) -> list[Problem]:
    problems, seen = [], {}
    for module in modules:
        for key in ("code", "slug"):
            value = module.meta.get(key)
            if (key, value) in seen:
                problems.append(Problem(module.path, line_of(module.path.read_text(), f"^{key}"),
                                        f"{key} '{value}' is also used by {seen[(key, value)]}"))
            seen[(key, value)] = module.path
    return problems


def check_module(module: ModuleContent, standards: Standards = PROGRAMME) -> list[Problem]:
    """Return every problem with one module's metadata, lessons and scenarios."""
    problems = _check_module_meta(module)
    slugs: dict[str, Path] = {}
    for lesson in module.lessons:
        problems.extend(_check_lesson(module, lesson, standards))
        if lesson.slug in slugs:
            problems.append(Problem(lesson.path, 2, f"slug '{lesson.slug}' is also used by "
                                                     f"{slugs[lesson.slug].name}"))
        slugs[lesson.slug] = lesson.path
    if len(module.lessons) < standards.lessons:
        problems.append(Problem(module.path, None, f"a module needs at least {standards.lessons} "
                                                    f"lessons; this has {len(module.lessons)}"))
    taught = {o for lesson in module.lessons for o in lesson.meta.get("outcomes", [])}
    assessed = {o for c in module.meta.get("components", []) for o in c.get("outcomes", [])}
    text = module.path.read_text(encoding="utf-8")
    for outcome in sorted(module.outcome_ids - taught):
        problems.append(Problem(module.path, line_of(text, f'id = "{outcome}"'),
                                f"outcome {outcome} is not taught by any lesson"))
    for outcome in sorted(module.outcome_ids - assessed):
        problems.append(Problem(module.path, line_of(text, f'id = "{outcome}"'),
                                f"outcome {outcome} is not assessed by any component"))
    for slug, scenario in module.scenarios.items():
        path = module.path.parent / "scenarios" / f"{slug}.toml"
        source = path.read_text(encoding="utf-8")
        if scenario.get("slug") != slug:
            problems.append(Problem(path, line_of(source, "^slug"),
                                    f"the slug must match the file name ('{slug}')"))
        for found in validate_scenario(scenario, outcomes=module.outcome_ids):
            line = line_of(source, rf'^id = "{re.escape(found.anchor)}"') if found.anchor else None
            problems.append(Problem(path, line, found.message))
    return problems


def _check_module_meta(module: ModuleContent) -> list[Problem]:
    meta, path = module.meta, module.path
    text = path.read_text(encoding="utf-8")
    problems = []

    def need(key, kind, message=None):
        if not isinstance(meta.get(key), kind) or meta.get(key) in ("", []):
            problems.append(Problem(path, line_of(text, f"^{key}"),
                                    message or f"'{key}' is required"))

    for key in ("code", "slug", "title", "summary"):
        need(key, str)
    for key in ("credits", "level", "order"):
        need(key, int, f"'{key}' must be a whole number")
    need("last_reviewed", date, "'last_reviewed' must be a date like 2026-11-20 (no quotes)")
    need("outcomes", list)
    need("components", list)
    if meta.get("kind") not in ("core", "specialism"):
        problems.append(Problem(path, line_of(text, "^kind"), "'kind' is 'core' or 'specialism'"))
    if meta.get("kind") == "specialism" and meta.get("specialism") not in SPECIALISMS:
        problems.append(Problem(path, line_of(text, "^specialism"),
                                f"'specialism' must be one of {', '.join(SPECIALISMS)}"))
    for outcome in meta.get("outcomes", []):
        if not outcome.get("id") or not outcome.get("text"):
            problems.append(Problem(path, line_of(text, r"^\[\[outcomes\]\]"),
                                    "every outcome needs an id and a text"))
    problems.extend(_cpd_problems(meta, path, text))
    components = meta.get("components", [])
    if components and sum(c.get("weight", 0) for c in components) != 100:
        problems.append(Problem(path, line_of(text, r"^\[\[components\]\]"),
                                "component weights must add up to 100"))
    for component in components:
        line = line_of(text, f'id = "{component.get("id")}"')
        if component.get("kind") not in ("scenario", "written"):
            problems.append(Problem(path, line, "component 'kind' is 'scenario' or 'written'"))
        if component.get("kind") == "scenario" and component.get("scenario") not in \
                module.scenarios:
            problems.append(Problem(path, line, f"component '{component.get('id')}' names "
                                                f"scenario '{component.get('scenario')}', which "
                                                "is not in scenarios/"))
        problems.extend(Problem(path, line, message)
                        for message in _variant_problems(module, component))
        unknown = set(component.get("outcomes", [])) - module.outcome_ids
        if unknown:
            problems.append(Problem(path, line, f"component names unknown outcomes "
                                                f"{sorted(unknown)}"))
    return problems


def _cpd_problems(meta: dict, path: Path, text: str) -> list[Problem]:
    """The optional CPD metadata: the hours a completed module counts for, and its topics."""
    problems = []
    if "cpd_hours" in meta and (why := module_hours_problem(meta["cpd_hours"])):
        problems.append(Problem(path, line_of(text, "^cpd_hours"), why))
    topics = meta.get("cpd_topics", [])
    if not isinstance(topics, list) or any(t not in TOPIC_AREAS for t in topics):
        problems.append(Problem(path, line_of(text, "^cpd_topics"),
                                f"'cpd_topics' is a list of CPD topic areas: "
                                f"{', '.join(TOPIC_AREAS)}"))
    return problems


def _variant_problems(module: ModuleContent, component: dict) -> list[str]:
    """A component's scenarios for particular jurisdictions must exist and be marked alike."""
    variants = component.get("jurisdictions", {})
    default = module.scenarios.get(component.get("scenario"))
    if variants and (component.get("kind") != "scenario" or not isinstance(variants, dict)):
        return [f"component '{component.get('id')}': [components.jurisdictions] maps a "
                "jurisdiction to a scenario, on scenario components only"]
    problems = []
    for jurisdiction, slug in variants.items():
        where = f"component '{component.get('id')}', {jurisdiction}"
        if jurisdiction not in JURISDICTIONS:
            problems.append(f"{where}: jurisdictions are {', '.join(JURISDICTIONS)}")
        elif slug not in module.scenarios:
            problems.append(f"{where}: scenario '{slug}' is not in scenarios/")
        elif default is not None and (why := variant_problem(default, module.scenarios[slug])):
            problems.append(f"{where}: scenario '{slug}' cannot replace '{default['slug']}': "
                            f"{why}")
    return problems


def _check_lesson(module: ModuleContent, lesson: LessonContent,
                  standards: Standards) -> list[Problem]:
    meta, path = lesson.meta, lesson.path
    head = path.read_text(encoding="utf-8")
    problems = []

    def at(pattern):
        return line_of(head, pattern, 2)

    for key in ("slug", "title"):
        if not isinstance(meta.get(key), str) or not meta.get(key):
            problems.append(Problem(path, at(f"^{key}"), f"'{key}' is required"))
    if meta.get("slug") and not re.fullmatch(r"[a-z0-9-]+", meta["slug"]):
        problems.append(Problem(path, at("^slug"), "slugs use a-z, 0-9 and hyphens"))
    if not isinstance(meta.get("last_reviewed"), date):
        problems.append(Problem(path, at("^last_reviewed"),
                                "'last_reviewed' must be a date like 2026-11-20 (no quotes)"))
    if not isinstance(meta.get("minutes"), int):
        problems.append(Problem(path, at("^minutes"), "'minutes' must be a whole number"))
    outcomes = meta.get("outcomes", [])
    if not outcomes or set(outcomes) - module.outcome_ids:
        problems.append(Problem(path, at("^outcomes"), "'outcomes' must name outcomes of the "
                                                       f"module ({sorted(module.outcome_ids)})"))
    for source in meta.get("sources", []):
        if not source.get("cite"):
            problems.append(Problem(path, at(r"^\[\[sources\]\]"), "every source needs a 'cite'"))
    problems.extend(_check_questions(path, head, meta.get("questions", []), standards.questions))
    problems.extend(_check_body(lesson, standards.words))
    return problems


def _check_questions(path: Path, head: str, questions: list[dict],
                     minimum: int) -> list[Problem]:
    problems = []
    if len(questions) < minimum:
        problems.append(Problem(path, 2, f"a knowledge check needs at least {minimum} "
                                         f"questions; this has {len(questions)}"))
    for number, question in enumerate(questions, start=1):
        line = line_of(head, re.escape(question.get("prompt", "")[:40]) or "^$", 2)
        options = question.get("options", [])
        if not question.get("prompt"):
            problems.append(Problem(path, line, f"question {number} has no prompt"))
        if len(options) < 2:
            problems.append(Problem(path, line, f"question {number} needs at least two options"))
        if sum(1 for o in options if o.get("correct") is True) != 1:
            problems.append(Problem(path, line, f"question {number} needs exactly one correct "
                                                "option"))
        if any(not o.get("text") or not o.get("feedback") for o in options):
            problems.append(Problem(path, line, f"every option of question {number} needs text "
                                                "and feedback"))
    return problems


def _check_body(lesson: LessonContent, min_words: int) -> list[Problem]:
    path, problems = lesson.path, []
    lines = lesson.body.split("\n")
    for index, line in enumerate(lines):
        if SOURCE_BLOCK.match(line):
            block = []
            for following in lines[index + 1:]:
                if following.strip() and not following.startswith("    "):
                    break
                block.append(following)
            if not any(b.strip().startswith("Source:") for b in block):
                problems.append(Problem(path, lesson.body_line + index,
                                        "a law or jurisdiction block must contain a 'Source:' "
                                        "line naming the act and section or guidance and date"))
    rendered = lesson.rendered
    if rendered is None:
        return problems
    for target in rendered.unresolved:
        problems.append(Problem(path, lesson.body_line + _body_line(lines, f"lesson:{target}"),
                                f"link to lesson '{target}' does not resolve"))
    for src, alt in rendered.images:
        if not alt.strip():
            problems.append(Problem(path, lesson.body_line + _body_line(lines, src),
                                    f"image {src} has no alt text"))
        if not (path.parent.parent / src).is_file():
            problems.append(Problem(path, lesson.body_line + _body_line(lines, src),
                                    f"image {src} does not exist"))
    if rendered.stripped:
        problems.append(Problem(path, lesson.body_line, "the sanitiser removed something from "
                                "this lesson (raw HTML or an unsafe link); remove it"))
    for message in rendered.heading_problems:
        problems.append(Problem(path, lesson.body_line, message))
    if re.search(r"<th[^>]*>\s*</th>", rendered.html):
        line = next((i for i, text in enumerate(lines) if re.match(r"^\|\s*\|", text)), 0)
        problems.append(Problem(path, lesson.body_line + line, "every table header cell needs "
                                "text (screen readers announce it); name the first column too"))
    if lesson.words < min_words:
        problems.append(Problem(path, lesson.body_line, f"a lesson needs at least {min_words} "
                                                        f"words; this has {lesson.words}"))
    return problems


def _body_line(lines: list[str], needle: str) -> int:
    return next((i for i, line in enumerate(lines) if needle in line), 0)

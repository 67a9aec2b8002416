"""Course writes: sync content files into versions, pin a trainee's version, record progress."""

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.audit.services import record
from lms.courses.content import ModuleContent, Programme
from lms.courses.models import (
    CheckAttempt,
    ContentReview,
    Lesson,
    LessonProgress,
    Module,
    ModuleStudy,
    ModuleVersion,
)
from lms.courses.render import render_markdown
from lms.courses.rules import visit_due
from lms.db import insert_missing, utcnow
from lms.extensions import db


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sync_programme(programme: Programme, *, actor=None) -> SyncReport:
    """Load checked content into the database; a changed module gets a new version."""
    if programme.problems:
        raise ValueError(f"content has {len(programme.problems)} problems; run courses check")
    report = SyncReport()
    for content in programme.modules:
        module = db.session.scalar(select(Module).where(Module.code == content.code))
        if module is None:
            module = Module(code=content.code, slug=content.slug)
            db.session.add(module)
            db.session.flush()
        module.slug = content.slug
        current = module.current_version
        if current is not None and current.digest == content.digest:
            report.unchanged.append(content.code)
            continue
        version = _new_version(module, content, (current.number if current else 0) + 1)
        module.current_version = version
        record("module_version_synced", version, actor=actor,
               after={"module": content.code, "number": version.number})
        report.created.append(f"{content.code} v{version.number}")
    db.session.flush()
    return report


def _new_version(module: Module, content: ModuleContent, number: int) -> ModuleVersion:
    meta = content.meta
    version = ModuleVersion(
        module_id=module.id, number=number, digest=content.digest, title=meta["title"],
        kind=meta["kind"], specialism=meta.get("specialism"), credits=meta["credits"],
        level=meta["level"], position=meta["order"], last_reviewed=meta["last_reviewed"],
        scenarios=_render_scenarios(module.slug, _jsonable(content.scenarios)),
        meta=_jsonable({k: meta.get(k) for k in (
            "summary", "authors", "outcomes", "components", "content_notes", "pass_mark",
            "component_minimum")}),
    )
    # CPD metadata only when the module sets it, so versions without it compare as before.
    version.meta.update(_jsonable({k: meta[k] for k in ("cpd_hours", "cpd_topics") if k in meta}))
    db.session.add(version)
    db.session.flush()
    for lesson in content.lessons:
        lm = lesson.meta
        db.session.add(Lesson(
            version_id=version.id, position=lesson.position, slug=lesson.slug,
            title=lesson.title, minutes=lm["minutes"], words=lesson.words,
            last_reviewed=lm["last_reviewed"], content_note=lm.get("content_note"),
            review_notes=lm.get("review_notes"), outcomes=lm.get("outcomes", []),
            sources=lm.get("sources", []), questions=lm.get("questions", []),
            html=lesson.rendered.html, text=lesson.rendered.text, body=lesson.body))
    return version


def _render_scenarios(module_slug: str, scenarios: dict) -> dict:
    """Render each stage's narrative and documents once, at sync, like lessons."""
    for scenario in scenarios.values():
        for stage in scenario.get("stages", []):
            stage["narrative_html"] = render_markdown(
                stage.get("narrative", ""), module=module_slug, lessons=set()).html
            for document in stage.get("documents", []):
                document["body_html"] = render_markdown(
                    document.get("body", ""), module=module_slug, lessons=set()).html
    return scenarios


def _jsonable(value):
    """Turn TOML values (dates) into JSON-safe ones."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def study_for(user, module: Module) -> ModuleStudy:
    """Return the trainee's study of a module, pinning the current version on first open."""
    query = select(ModuleStudy).where(ModuleStudy.user_id == user.id,
                                      ModuleStudy.module_id == module.id)
    study = db.session.scalar(query)
    if study is None:  # another tab may be pinning it at this moment: its version stands
        insert_missing(db.session, ModuleStudy, {"user_id": user.id, "module_id": module.id},
                       version_id=module.current_version_id)
        study = db.session.scalar(query)
    return study


def _progress(user, lesson: Lesson) -> LessonProgress:
    query = select(LessonProgress).where(LessonProgress.user_id == user.id,
                                         LessonProgress.lesson_id == lesson.id)
    row = db.session.scalar(query)
    if row is None:  # a double click or another tab may be inserting it at this moment
        insert_missing(db.session, LessonProgress, {"user_id": user.id, "lesson_id": lesson.id})
        row = db.session.scalar(query)
    return row


def note_visit(study: ModuleStudy, lesson: Lesson) -> bool:
    """Note the lesson a trainee is on; return whether anything was written (see visit_due)."""
    now = utcnow()
    if not visit_due(study.last_lesson_id, study.last_active_at, lesson.id, now):
        return False
    study.last_lesson_id = lesson.id
    study.last_active_at = now
    return True


def acknowledge_content_note(user, lesson: Lesson) -> None:
    row = _progress(user, lesson)
    row.content_note_seen_at = row.content_note_seen_at or utcnow()


def mark_done(user, lesson: Lesson, done: bool = True) -> None:
    row = _progress(user, lesson)
    row.completed_at = (row.completed_at or utcnow()) if done else None


def record_check(user, lesson: Lesson, answers: list, correct: int) -> CheckAttempt:
    attempt = CheckAttempt(user_id=user.id, lesson_id=lesson.id, answers=answers,
                           correct=correct, total=len(lesson.questions))
    db.session.add(attempt)
    return attempt


def record_review(module: Module, kind: str, slug: str, reviewer, *, checked: str,
                  outcome: str) -> ContentReview:
    """Record a review of a lesson or scenario against the module's current version, audited."""
    review = ContentReview(module_id=module.id, version_id=module.current_version_id, kind=kind,
                           slug=slug, reviewer_id=reviewer.id, checked=checked, outcome=outcome,
                           reviewed_at=utcnow())
    db.session.add(review)
    db.session.flush()
    record("content_reviewed", review, actor=reviewer,
           after={"module": module.code, "version": module.current_version.number,
                  "kind": kind, "slug": slug, "outcome": outcome, "checked": checked})
    return review

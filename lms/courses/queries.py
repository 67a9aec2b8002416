"""Reads shared by the course pages: a constant number of queries whatever the data size."""

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import aliased, contains_eager, defer, selectinload

from assessments.deadlines import LONDON
from lms.cohorts.models import Enrolment
from lms.courses.models import (
    ContentReview,
    Lesson,
    LessonProgress,
    Module,
    ModuleStudy,
    ModuleVersion,
)
from lms.courses.permissions import can_study, is_course_staff
from lms.courses.review import ReviewItem
from lms.extensions import db


@dataclass
class Learner:
    specialisms: set[str]
    jurisdiction: str | None


# The study pages' reads are built once, with parameters: building a statement costs about
# 0.2 ms of Python, and a lesson page makes three of them.
_LEARNER = (select(Enrolment.specialism, Enrolment.jurisdiction)
            .where(Enrolment.user_id == bindparam("user_id"), Enrolment.status == "active")
            .order_by(Enrolment.id.desc()))


def learner(user) -> Learner:
    """Return the trainee's specialisms and jurisdiction from their active enrolments."""
    rows = db.session.execute(_LEARNER, {"user_id": user.id}).all()
    return Learner({r.specialism for r in rows}, rows[0].jurisdiction if rows else None)


# A version's scenarios (rendered narratives and documents) are large and only the assessment
# pages read them: the study pages leave them out (they load on first use if ever read).
_NO_SCENARIOS = defer(ModuleVersion.scenarios)


def programme_studies(user, who: Learner) -> list[tuple[ModuleVersion, ModuleStudy | None]]:
    """Return each version a person studies (pinned, else the module's current) with their
    study of it, in programme order, in one query."""
    study = aliased(ModuleStudy)
    rows = db.session.execute(
        select(ModuleVersion, study)
        .join(Module, Module.id == ModuleVersion.module_id)
        .outerjoin(study, and_(study.module_id == Module.id, study.user_id == user.id))
        .where(Module.current_version_id.is_not(None),
               ModuleVersion.id == func.coalesce(study.version_id, Module.current_version_id))
        .options(contains_eager(ModuleVersion.module), _NO_SCENARIOS)
        .order_by(ModuleVersion.position)).all()
    return [(version, found) for version, found in rows
            if can_study(user, version.kind, version.specialism, who.specialisms)]


def programme_versions(user, who: Learner) -> list[ModuleVersion]:
    """Return the versions a person studies: pinned ones first, else each module's current."""
    return [version for version, _study in programme_studies(user, who)]


def completed_ids(user, lesson_ids) -> set[int]:
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids),
        LessonProgress.completed_at.is_not(None))))


# A version's lessons never change once synced (changed content makes a new version), so each
# process keeps their outlines. The key holds the digest and sync time as well as the id, so a
# database rebuilt with the same ids (a restore, the tests) never meets an old outline.
_OUTLINES: dict[tuple, tuple[tuple[int, str, str], ...]] = {}
_OUTLINES_KEPT = 512


def lesson_outline(versions) -> dict[int, tuple[tuple[int, str, str], ...]]:
    """Return (id, slug, title) of every lesson per version, in order, without the bodies."""
    outline, missing = {}, {}
    for version in versions:
        key = (version.id, version.digest, version.synced_at)
        if key in _OUTLINES:
            outline[version.id] = _OUTLINES[key]
        else:
            missing[version.id] = key
    if missing:
        found: dict[int, list] = {v: [] for v in missing}
        for row in db.session.execute(
                select(Lesson.version_id, Lesson.id, Lesson.slug, Lesson.title)
                .where(Lesson.version_id.in_(missing))
                .order_by(Lesson.version_id, Lesson.position)):
            found[row.version_id].append((row.id, row.slug, row.title))
        if len(_OUTLINES) + len(missing) > _OUTLINES_KEPT:
            _OUTLINES.clear()
        for version_id, key in missing.items():
            outline[version_id] = _OUTLINES[key] = tuple(found[version_id])
    return outline


# The module, the trainee's study of it and the version studied, in one query.
_MODULE_STUDIED = (
    select(Module, ModuleStudy, ModuleVersion)
    .outerjoin(ModuleStudy, and_(ModuleStudy.module_id == Module.id,
                                 ModuleStudy.user_id == bindparam("user_id")))
    .outerjoin(ModuleVersion, ModuleVersion.id == func.coalesce(
        ModuleStudy.version_id, Module.current_version_id))
    .where(Module.slug == bindparam("slug")).options(_NO_SCENARIOS))


def module_for(user, slug: str, who: Learner, version_number: int | None = None):
    """Return (module, version, study) the person may see, or abort 404/403."""
    study = None
    if is_course_staff(user) and not user.has_role("trainee"):
        module = db.session.scalar(select(Module).where(Module.slug == slug))
        if module is None or module.current_version_id is None:
            abort(404)
        if version_number is not None:
            version = db.session.scalar(select(ModuleVersion).where(
                ModuleVersion.module_id == module.id, ModuleVersion.number == version_number)
                .options(_NO_SCENARIOS))
        else:
            version = db.session.get(ModuleVersion, module.current_version_id,
                                     options=[_NO_SCENARIOS])
        if version is None:
            abort(404)
    else:
        row = db.session.execute(_MODULE_STUDIED, {"user_id": user.id, "slug": slug}).first()
        if row is None or row.Module.current_version_id is None:
            abort(404)
        module, study, version = row
    if not can_study(user, version.kind, version.specialism, who.specialisms):
        abort(403)
    return module, version, study


# The lesson with this person's progress in it; the Markdown and the search text stay behind
# (only comparing versions and search read them).
_LESSON_WITH_PROGRESS = (
    select(Lesson, LessonProgress)
    .outerjoin(LessonProgress, and_(LessonProgress.lesson_id == Lesson.id,
                                    LessonProgress.user_id == bindparam("user_id")))
    .where(Lesson.version_id == bindparam("version_id"), Lesson.slug == bindparam("slug"))
    .options(defer(Lesson.body), defer(Lesson.text)))


def lesson_with_progress(user, version: ModuleVersion, slug: str):
    """Return (lesson, progress or None) for a lesson of a version, or None if there is none."""
    return db.session.execute(_LESSON_WITH_PROGRESS, {
        "user_id": user.id, "version_id": version.id, "slug": slug}).first()


def trainees_per_version() -> dict[int, int]:
    return dict(db.session.execute(select(ModuleStudy.version_id, func.count(ModuleStudy.id))
                                   .group_by(ModuleStudy.version_id)).all())



def latest_reviews() -> dict[tuple[int, str, str], ContentReview]:
    """Return the last recorded review of each (module id, kind, slug), in one query."""
    last = (select(func.max(ContentReview.id))
            .group_by(ContentReview.module_id, ContentReview.kind, ContentReview.slug))
    return {(r.module_id, r.kind, r.slug): r for r in db.session.scalars(
        select(ContentReview).where(ContentReview.id.in_(last))
        .options(selectinload(ContentReview.reviewer)))}


def review_items(latest: dict) -> list[ReviewItem]:
    """Return every lesson and scenario of the current versions as items to review."""
    versions = db.session.scalars(select(ModuleVersion).join(
        Module, Module.current_version_id == ModuleVersion.id)
        .options(selectinload(ModuleVersion.module))).all()
    by_id = {v.id: v for v in versions}

    def recorded(version, kind, slug):
        review = latest.get((version.module_id, kind, slug))
        return review.reviewed_at.astimezone(LONDON).date() if review else None

    items = []
    for row in db.session.execute(
            select(Lesson.version_id, Lesson.slug, Lesson.title, Lesson.last_reviewed,
                   Lesson.review_notes).where(Lesson.version_id.in_(by_id))
            .order_by(Lesson.position)):
        version = by_id[row.version_id]
        items.append(ReviewItem(version.module.slug, version.title, "lesson", row.slug,
                                row.title, row.last_reviewed, row.review_notes,
                                recorded(version, "lesson", row.slug)))
    for version in versions:
        for slug, scenario in version.scenarios.items():
            items.append(ReviewItem(
                version.module.slug, version.title, "scenario", slug, scenario.get("title", slug),
                _day(scenario.get("last_reviewed"), version.last_reviewed),
                scenario.get("review_notes"), recorded(version, "scenario", slug)))
    return items


def _day(value, default: date) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return default


def version_snapshot(version: ModuleVersion) -> dict:
    """Return a version as the plain dict compare_versions reads."""
    lessons = db.session.scalars(select(Lesson).where(Lesson.version_id == version.id)
                                 .order_by(Lesson.position)).all()
    return {
        "number": version.number, "title": version.title, "credits": version.credits,
        "level": version.level, "kind": version.kind, "specialism": version.specialism,
        "last_reviewed": version.last_reviewed, "meta": version.meta,
        "scenarios": version.scenarios,
        "lessons": [{"slug": lesson.slug, "title": lesson.title, "minutes": lesson.minutes,
                     "outcomes": lesson.outcomes, "sources": lesson.sources,
                     "questions": lesson.questions, "content_note": lesson.content_note,
                     "review_notes": lesson.review_notes, "last_reviewed": lesson.last_reviewed,
                     "body": lesson.body, "text": lesson.text} for lesson in lessons],
    }

"""CPD entries the platform makes when a person completes a module (issue 9).

A module is complete when every lesson of the version the person studies (pinned in
ModuleStudy when they first opened it, else the module's current version) is marked done.
The entry's hours come from the module's metadata (`cpd_hours`, else its lessons' minutes) and
its dates from the lessons' completion days. At most one module entry is made per person and
module: one the person withdrew is not made again (their withdrawal stands). If a lesson is
later marked not done, the entry is left as it is: the module was completed, and the person
can withdraw the entry themselves, with a reason, like any other.

Services flush, never commit."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select

from assessments.deadlines import LONDON
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.courses.models import Lesson, LessonProgress, Module, ModuleStudy, ModuleVersion
from lms.cpd import rules
from lms.cpd.models import CpdEntry
from lms.cpd.services import TITLE
from lms.extensions import db

CPD_ROLES = ("trainee", "advocate")  # the people who log CPD
ACTIVITY = "self_directed_study"


@dataclass(frozen=True)
class Completion:
    """A module completed: the version studied, its first and last lesson completion days and
    the CPD minutes it counts for."""

    version: ModuleVersion
    first: date
    last: date
    minutes: int


def _day(moment) -> date:
    return moment.astimezone(LONDON).date()


def studied_version_id(user_id: int, module: Module) -> int | None:
    """Return the id of the version the person studies: their pinned one, else the current."""
    pinned = db.session.scalar(select(ModuleStudy.version_id).where(
        ModuleStudy.user_id == user_id, ModuleStudy.module_id == module.id))
    return pinned or module.current_version_id


def completion(user_id: int, module: Module) -> Completion | None:
    """Return the person's completion of the module, or None while a lesson is not done."""
    version_id = studied_version_id(user_id, module)
    if version_id is None:
        return None
    rows = db.session.execute(
        select(Lesson.minutes, LessonProgress.completed_at)
        .outerjoin(LessonProgress, and_(LessonProgress.lesson_id == Lesson.id,
                                        LessonProgress.user_id == user_id))
        .where(Lesson.version_id == version_id)).all()
    if not rows or any(row.completed_at is None for row in rows):
        return None
    version = db.session.get(ModuleVersion, version_id)
    days = [_day(row.completed_at) for row in rows]
    minutes = rules.module_minutes((version.meta or {}).get("cpd_hours"),
                                   [row.minutes for row in rows])
    return Completion(version, min(days), max(days), minutes)


def _has_module_entry(user_id: int, module_id: int) -> bool:
    return db.session.scalar(select(CpdEntry.id).where(
        CpdEntry.user_id == user_id, CpdEntry.source == "module",
        CpdEntry.module_id == module_id).limit(1)) is not None


def log_module_completion(user: User, module: Module) -> CpdEntry | None:
    """Make the CPD entry for a module the person has just completed; return it, or None when
    they do not log CPD, have not completed it, or already have its entry."""
    if not user.has_any_role(CPD_ROLES):
        return None
    # The unique guard: lock the person's row (PostgreSQL; SQLite writes one at a time anyway)
    # so two lessons marked done at the same moment cannot both make an entry.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    if _has_module_entry(user.id, module.id):
        return None
    done = completion(user.id, module)
    if done is None or done.minutes <= 0:  # a module without study time counts for nothing
        return None
    topics = (done.version.meta or {}).get("cpd_topics") or []
    entry = CpdEntry(
        user_id=user.id, status="logged", source="module", module_id=module.id,
        title=f"Completed the module: {done.version.title}"[:TITLE],
        start=done.first, end=done.last, minutes=done.minutes, activity=ACTIVITY,
        participatory=False, topics=[t for t in rules.TOPIC_AREAS if t in topics])
    db.session.add(entry)
    db.session.flush()
    record("cpd.entry.module", entry, actor=user, after={
        "module": module.code, "version": done.version.number, "title": entry.title,
        "start": entry.start.isoformat(), "end": entry.end.isoformat(),
        "minutes": entry.minutes, "topics": entry.topics})
    return entry


def backfill_module_entries() -> int:
    """Make the entries for modules completed before the platform made them; return how many.
    Running it again makes none."""
    pairs = db.session.execute(
        select(LessonProgress.user_id, ModuleVersion.module_id).distinct()
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(ModuleVersion, ModuleVersion.id == Lesson.version_id)
        .join(RoleGrant, RoleGrant.user_id == LessonProgress.user_id)
        .where(LessonProgress.completed_at.is_not(None), RoleGrant.role.in_(CPD_ROLES))
        .order_by(LessonProgress.user_id, ModuleVersion.module_id)).all()
    made = 0
    for user_id, module_id in pairs:
        if _has_module_entry(user_id, module_id):
            continue
        user, module = db.session.get(User, user_id), db.session.get(Module, module_id)
        made += log_module_completion(user, module) is not None
    return made

"""Course staff pages: every module and version, the content report, review dates, progress."""

from datetime import date

from flask import abort, current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.access import allow
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.courses import bp
from lms.courses.models import Lesson, LessonProgress, Module, ModuleStudy, ModuleVersion
from lms.courses.queries import latest_reviews, review_items, trainees_per_version
from lms.courses.review import counts, review_schedule
from lms.courses.rules import ReportLesson, behind, report_row
from lms.extensions import db

STAFF = ("marker", "moderator", "examiner", "admin")


def _report_lessons(version_ids) -> dict[int, list[ReportLesson]]:
    rows: dict[int, list[ReportLesson]] = {v: [] for v in version_ids}
    for lesson in db.session.execute(
            select(Lesson.version_id, Lesson.words, Lesson.questions, Lesson.sources,
                   Lesson.last_reviewed).where(Lesson.version_id.in_(version_ids))):
        rows[lesson.version_id].append(ReportLesson(
            lesson.words, len(lesson.questions), tuple(s["cite"] for s in lesson.sources),
            lesson.last_reviewed))
    return rows


@bp.route("/staff/content")
@allow(*STAFF)
def staff_content():
    today = date.today()
    months = current_app.config["CONTENT_REVIEW_MONTHS"]
    versions = db.session.scalars(select(ModuleVersion).join(
        Module, Module.current_version_id == ModuleVersion.id).order_by(
        ModuleVersion.position).options(selectinload(ModuleVersion.module))).all()
    lessons = _report_lessons([v.id for v in versions])
    report = [(v, report_row({"code": v.module.code, "title": v.title, "credits": v.credits,
                              "kind": v.kind, "last_reviewed": v.last_reviewed,
                              "outcomes": len(v.meta["outcomes"]),
                              "scenarios": len(v.scenarios)}, lessons[v.id]))
              for v in versions]
    due = counts(review_schedule(review_items(latest_reviews()), today, months,
                                 current_app.config["CONTENT_REVIEW_FLAGGED_MONTHS"]))
    per_module = dict(db.session.execute(
        select(ModuleVersion.module_id, func.count(ModuleVersion.id))
        .group_by(ModuleVersion.module_id)).all())
    return render_template("courses/staff_content.html", report=report, due=due,
                           months=months, version_counts=per_module,
                           trainees=trainees_per_version())


@bp.route("/staff/content/<slug>")
@allow(*STAFF)
def staff_module(slug: str):
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    if module is None:
        abort(404)
    versions = db.session.scalars(select(ModuleVersion).where(
        ModuleVersion.module_id == module.id).order_by(ModuleVersion.number.desc())).all()
    lessons = db.session.execute(
        select(Lesson.title, Lesson.slug, Lesson.words, Lesson.last_reviewed, Lesson.review_notes,
               Lesson.content_note).where(Lesson.version_id == module.current_version_id)
        .order_by(Lesson.position)).all()
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.starts_on.desc())).all()
    due = {s.item.slug: s for s in review_schedule(
        [i for i in review_items(latest_reviews()) if i.module == slug and i.kind == "lesson"],
        date.today(), current_app.config["CONTENT_REVIEW_MONTHS"],
        current_app.config["CONTENT_REVIEW_FLAGGED_MONTHS"])}
    return render_template("courses/staff_module.html", module=module, versions=versions,
                           lessons=lessons, trainees=trainees_per_version(), cohorts=cohorts,
                           due=due)


@bp.route("/staff/content/<slug>/progress")
@allow(*STAFF)
def staff_progress(slug: str):
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    cohort = db.session.get(Cohort, request.args.get("cohort", type=int) or 0)
    if module is None or cohort is None:
        abort(404)
    version = module.current_version
    applies = Enrolment.specialism == version.specialism if version.kind == "specialism" else True
    people = db.session.execute(
        select(User.id, User.name, Enrolment.status).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.cohort_id == cohort.id, applies).order_by(User.name)).all()
    ids = [p.id for p in people]
    studies = {s.user_id: s for s in db.session.scalars(select(ModuleStudy).where(
        ModuleStudy.module_id == module.id, ModuleStudy.user_id.in_(ids))
        .options(selectinload(ModuleStudy.version)))}
    version_ids = {s.version_id for s in studies.values()} | {version.id}
    totals = dict(db.session.execute(select(Lesson.version_id, func.count(Lesson.id)).where(
        Lesson.version_id.in_(version_ids)).group_by(Lesson.version_id)).all())
    done = dict(db.session.execute(
        select(LessonProgress.user_id, func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(ModuleVersion, ModuleVersion.id == Lesson.version_id)
        .where(ModuleVersion.module_id == module.id, LessonProgress.user_id.in_(ids),
               LessonProgress.completed_at.is_not(None))
        .group_by(LessonProgress.user_id)).all())
    percent = {}
    for person in people:
        study = studies.get(person.id)
        total = totals.get(study.version_id if study else version.id, 0)
        percent[person.id] = round(100 * done.get(person.id, 0) / total) if total else 0
    return render_template("courses/staff_progress.html", module=module, version=version,
                           cohort=cohort, people=people, studies=studies, done=done,
                           percent=percent, behind=behind(percent))

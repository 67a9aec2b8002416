"""Trainee pages: the programme, modules, lessons, content notes, knowledge checks, search."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from lms.access import PUBLIC, allow
from lms.certs.issuing import module_certificate
from lms.courses import bp
from lms.courses.models import Lesson
from lms.courses.permissions import STUDY_ROLES
from lms.courses.queries import (
    completed_ids,
    learner,
    lesson_outline,
    lesson_with_progress,
    module_for,
    programme_studies,
    programme_versions,
)
from lms.courses.render import open_jurisdiction
from lms.courses.rules import Progress, mark_check, resume_target
from lms.courses.services import (
    acknowledge_content_note,
    mark_done,
    note_visit,
    record_check,
    study_for,
)
from lms.cpd.module_entries import log_module_completion
from lms.cpd.rules import hours_text
from lms.db import commit_keeping_loaded
from lms.extensions import db


def _studying() -> bool:
    return current_user.has_role("trainee")


@bp.route("/programme")
@allow(*STUDY_ROLES)
def programme():
    who = learner(current_user)
    studies = programme_studies(current_user, who)
    versions = [version for version, _study in studies]
    outline = lesson_outline(versions)
    done = completed_ids(current_user, [lid for rows in outline.values() for lid, *_ in rows])
    last = {version.id: study.last_lesson_id for version, study in studies if study is not None}
    rows = []
    for version in versions:
        ids = [lid for lid, *_ in outline[version.id]]
        nxt = resume_target(ids, done, last.get(version.id))
        slug = next((s for lid, s, _ in outline[version.id] if lid == nxt), None)
        rows.append((version, Progress(len(done & set(ids)), len(ids)), slug,
                     version.id in last))
    return render_template("courses/programme.html", rows=rows, who=who,
                           credits=sum(v.credits for v in versions))


@bp.route("/modules/<slug>")
@allow(*STUDY_ROLES)
def module(slug: str):
    who = learner(current_user)
    module, version, study = module_for(current_user, slug, who,
                                        request.args.get("version", type=int))
    lessons = lesson_outline([version])[version.id]
    done = completed_ids(current_user, [lid for lid, *_ in lessons])
    nxt = resume_target([lid for lid, *_ in lessons], done, study.last_lesson_id if study else None)
    return render_template("courses/module.html", module=module, version=version, study=study,
                           lessons=lessons, done=done, resume=nxt,
                           progress=Progress(len(done), len(lessons)),
                           certificate=module_certificate(current_user, module.id))


def _lesson(slug: str, lesson_slug: str):
    who = learner(current_user)
    module, version, study = module_for(current_user, slug, who,
                                        request.args.get("version", type=int))
    row = lesson_with_progress(current_user, version, lesson_slug)
    if row is None:
        abort(404)
    return who, module, version, study, row.Lesson, row.LessonProgress


@bp.route("/modules/<slug>/<lesson_slug>")
@allow(*STUDY_ROLES)
def lesson(slug: str, lesson_slug: str):
    who, module, version, study, lesson, progress = _lesson(slug, lesson_slug)
    if _studying():
        if lesson.content_note and not (progress and progress.content_note_seen_at):
            return render_template("courses/content_note.html", version=version, lesson=lesson)
        if note_visit(study or study_for(current_user, module), lesson):
            commit_keeping_loaded(db.session)
    outline = lesson_outline([version])[version.id]
    index = next(i for i, (lid, *_) in enumerate(outline) if lid == lesson.id)
    jurisdiction = request.args.get("jurisdiction") or who.jurisdiction
    return render_template(
        "courses/lesson.html", module=module, version=version, lesson=lesson,
        body=open_jurisdiction(lesson.html, jurisdiction), jurisdiction=jurisdiction,
        done=bool(progress and progress.completed_at), position=index + 1, count=len(outline),
        previous=outline[index - 1] if index > 0 else None,
        following=outline[index + 1] if index + 1 < len(outline) else None)


@bp.route("/modules/<slug>/<lesson_slug>/content-note", methods=["POST"])
@allow("trainee")
def content_note(slug: str, lesson_slug: str):
    _who, _module, _version, _study, lesson, _progress = _lesson(slug, lesson_slug)
    acknowledge_content_note(current_user, lesson)
    db.session.commit()
    return redirect(url_for("courses.lesson", slug=slug, lesson_slug=lesson_slug))


@bp.route("/modules/<slug>/<lesson_slug>/done", methods=["POST"])
@allow("trainee")
def done(slug: str, lesson_slug: str):
    _who, module, _version, study, lesson, _progress = _lesson(slug, lesson_slug)
    finished = request.form.get("done") != "0"
    mark_done(current_user, lesson, finished)
    # The last lesson done completes the module: it becomes a CPD entry. Marking a lesson not
    # done later leaves that entry (see lms.cpd.module_entries).
    entry = log_module_completion(current_user, module) if finished else None
    db.session.commit()
    flash(f"'{lesson.title}' marked as done." if finished else
          f"'{lesson.title}' marked as not done.", "success")
    if entry is not None:
        flash(f"You have completed the module. It is in your CPD as "
              f"{hours_text(entry.minutes)} of self-directed study.", "success")
    target = request.form.get("next")
    if finished and target:
        return redirect(url_for("courses.lesson", slug=slug, lesson_slug=target))
    return redirect(url_for("courses.lesson", slug=slug, lesson_slug=lesson_slug))


@bp.route("/modules/<slug>/<lesson_slug>/check", methods=["GET", "POST"])
@allow(*STUDY_ROLES)
def check(slug: str, lesson_slug: str):
    _who, module, version, _study, lesson, _progress = _lesson(slug, lesson_slug)
    results = None
    if request.method == "POST":
        answers = [request.form.get(f"q{i}", type=int) for i in range(len(lesson.questions))]
        results = mark_check(lesson.questions, answers)
        if _studying():
            record_check(current_user, lesson, answers, sum(r.right for r in results))
            db.session.commit()
    return render_template("courses/check.html", module=module, version=version, lesson=lesson,
                           results=results)


@bp.route("/search")
@allow(*STUDY_ROLES)
def search():
    query = request.args.get("q", "").strip()[:100]
    hits = []
    if len(query) >= 3:
        versions = {v.id: v for v in programme_versions(current_user, learner(current_user))}
        like = f"%{query.lower()}%"
        lessons = db.session.scalars(
            select(Lesson).where(Lesson.version_id.in_(versions),
                                 or_(Lesson.text.ilike(like), Lesson.title.ilike(like)))
            .order_by(Lesson.version_id, Lesson.position).limit(50))
        hits = [(versions[lesson.version_id], lesson, _snippet(lesson.text, query))
                for lesson in lessons]
    return render_template("courses/search.html", query=query, hits=hits)


def _snippet(text: str, query: str, width: int = 90) -> str:
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: width * 2] + "…"
    start = max(0, at - width)
    return ("…" if start else "") + text[start: at + len(query) + width] + "…"


@bp.route("/support")
@allow(PUBLIC)
def support():
    return render_template("courses/support.html")

"""The content review cycle for course staff: what is due, recording a review, comparing versions.

The platform never writes the content files: a review that finds the text must change is
recorded here, and the change takes effect when the files are edited and synced (a new version).
"""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessments.deadlines import LONDON
from lms.access import allow
from lms.courses import bp
from lms.courses.compare import compare_versions
from lms.courses.forms import ReviewForm
from lms.courses.models import REVIEW_OUTCOMES, ContentReview, Lesson, Module, ModuleVersion
from lms.courses.queries import latest_reviews, review_items, version_snapshot
from lms.courses.review import (
    SHOWS,
    ReviewItem,
    choose,
    counts,
    review_schedule,
    schedule_one,
)
from lms.courses.services import record_review
from lms.courses.staff_routes import STAFF
from lms.csvsafe import csv_response
from lms.extensions import db

REVIEWERS = ("marker", "moderator")  # course staff; the external examiner reads, never records
KINDS = {"lesson": "Lesson", "scenario": "Scenario"}


def _months() -> tuple[int, int]:
    config = current_app.config
    return config["CONTENT_REVIEW_MONTHS"], config["CONTENT_REVIEW_FLAGGED_MONTHS"]


def _module(slug: str) -> Module:
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    if module is None or module.current_version_id is None:
        abort(404)
    return module


@bp.route("/staff/content-review")
@allow(*STAFF)
def review_cycle():
    months, flagged = _months()
    latest = latest_reviews()
    scheduled = review_schedule(review_items(latest), date.today(), months, flagged)
    show = request.args.get("show", "all")
    text = request.args.get("facts", "")[:200]
    modules = {m.slug: m for m in db.session.scalars(select(Module))}
    return render_template(
        "courses/review_cycle.html", rows=choose(scheduled, show, text), counts=counts(scheduled),
        show=show if show in SHOWS else "all", shows=SHOWS, text=text, months=months,
        flagged_months=flagged, latest=latest, modules=modules, kinds=KINDS,
        outcomes=REVIEW_OUTCOMES)


def _item(module: Module, kind: str, slug: str) -> tuple[str, str | None, object]:
    """Return the title, review notes and file review date of one item of the current version."""
    version = module.current_version
    if kind == "lesson":
        lesson = db.session.scalar(select(Lesson).where(Lesson.version_id == version.id,
                                                        Lesson.slug == slug))
        if lesson is not None:
            return lesson.title, lesson.review_notes, lesson.last_reviewed
    elif kind == "scenario" and slug in version.scenarios:
        scenario = version.scenarios[slug]
        return (scenario.get("title", slug), scenario.get("review_notes"),
                date.fromisoformat(str(scenario.get("last_reviewed") or version.last_reviewed)))
    abort(404)


@bp.route("/staff/content/<slug>/review/<kind>/<item>")
@allow(*STAFF)
def review_item(slug: str, kind: str, item: str):
    return _item_page(_module(slug), kind, item, ReviewForm(formdata=None))


@bp.route("/staff/content/<slug>/review/<kind>/<item>", methods=["POST"])
@allow(*REVIEWERS)  # course staff record reviews; the external examiner reads them
def record_item_review(slug: str, kind: str, item: str):
    module = _module(slug)
    _item(module, kind, item)  # 404 for an item the module does not have
    form = ReviewForm()
    if form.validate_on_submit():
        record_review(module, kind, item, current_user, checked=form.checked.data.strip(),
                      outcome=form.outcome.data)
        db.session.commit()
        flash(_recorded_message(form.outcome.data, module), "success")
        return redirect(url_for("courses.review_item", slug=slug, kind=kind, item=item))
    return _item_page(module, kind, item, form)


def _item_page(module: Module, kind: str, item: str, form: ReviewForm):
    title, notes, reviewed = _item(module, kind, item)
    may_record = current_user.has_any_role(REVIEWERS)
    history = db.session.scalars(select(ContentReview).where(
        ContentReview.module_id == module.id, ContentReview.kind == kind,
        ContentReview.slug == item).options(selectinload(ContentReview.reviewer),
                                            selectinload(ContentReview.version))
        .order_by(ContentReview.reviewed_at.desc(), ContentReview.id.desc())).all()
    months, flagged = _months()
    recorded = history[0].reviewed_at.astimezone(LONDON).date() if history else None
    due = schedule_one(ReviewItem(module.slug, module.current_version.title, kind, item, title,
                                  reviewed, notes, recorded), date.today(), months, flagged)
    return render_template(
        "courses/review_item.html", module=module, kind=kind, kinds=KINDS, item=item,
        title=title, due=due, history=history, form=form, may_record=may_record,
        outcomes=REVIEW_OUTCOMES), 422 if form.errors else 200


def _recorded_message(outcome: str, module: Module) -> str:
    if outcome == "text_changed":
        return (f"Review recorded against version {module.current_version.number}. The new "
                "text takes effect when the content files are edited and synced, which makes "
                "a new version.")
    return "Review recorded. The next review is due from today."


def _versions(module: Module) -> list[ModuleVersion]:
    return db.session.scalars(select(ModuleVersion).where(
        ModuleVersion.module_id == module.id).order_by(ModuleVersion.number)).all()


def _pair(module: Module):
    """The two versions asked for; by default the one before the current and the current."""
    versions = {v.number: v for v in _versions(module)}
    newest = max(versions)
    after = request.args.get("to", type=int) or newest
    before = request.args.get("from", type=int) or max(after - 1, 1)
    if before not in versions or after not in versions:
        abort(404)
    return versions, versions[before], versions[after]


@bp.route("/staff/content/<slug>/compare")
@allow(*STAFF)
def compare(slug: str):
    module = _module(slug)
    versions, before, after = _pair(module)
    comparison = (compare_versions(version_snapshot(before), version_snapshot(after))
                  if before.id != after.id else None)
    return render_template("courses/compare.html", module=module, versions=versions,
                           before=before, after=after, comparison=comparison)


@bp.route("/staff/content/<slug>/compare.csv")
@allow(*STAFF)
def compare_csv(slug: str):
    module = _module(slug)
    _, before, after = _pair(module)
    comparison = compare_versions(version_snapshot(before), version_snapshot(after))
    rows = [["Area", "Item", "Change", f"Version {before.number}", f"Version {after.number}"],
            *comparison.rows()]
    return csv_response(rows, f"{module.code}-v{before.number}-v{after.number}-changes.csv")

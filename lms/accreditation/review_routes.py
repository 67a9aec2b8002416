"""Course staff review organisations' applications: the queue, each criterion's review, the
thread of questions, and the decision."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from lms.access import allow
from lms.accreditation import applications as apps
from lms.accreditation import bp, criteria, orgrules
from lms.auth.models import User
from lms.extensions import db
from lms.organisations.models import HostOrganisation

STAFF = ("moderator", "admin")


@bp.route("/staff/organisations/applications")
@allow(*STAFF)
def review_queue():
    return render_template("accreditation/review_queue.html", waiting=apps.queue(date.today()),
                           decided=apps.recently_decided(), total=len(criteria.CRITERIA),
                           apps=apps)


def _submitted(application_id: int):
    application = apps.load(application_id)
    if application is None or application.status == "draft":
        abort(404)  # a draft is the organisation's own until it is submitted
    return application


def _people(application) -> dict[int, User]:
    ids = {a.reviewed_by_id for a in application.answers} | {
        a.updated_by_id for a in application.answers}
    ids.discard(None)
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} \
        if ids else {}


def _page(application, *, problems=None, typed=None, message=None, decision_typed=None,
          not_ready=(), status=200):
    today = date.today()
    organisation = db.session.get(HostOrganisation, application.organisation_id)
    decided = apps.decision_of(application) if application.status == "decided" else None
    return render_template(
        "accreditation/review_application.html", application=application,
        organisation=organisation, answers=apps.answers_by_key(application),
        evidence=apps.evidence_of(application), people=_people(application),
        criteria=criteria, apps=apps, problems=problems or {}, typed=typed or {},
        message=message or {}, decision=decision_typed or apps.DecisionTyped(
            version=str(application.version)),
        not_ready=not_ready or apps.not_ready(application), decided=decided,
        default_until=orgrules.default_valid_until(today), today=today), status


@bp.route("/staff/organisations/applications/<int:application_id>")
@allow(*STAFF)
def review_application(application_id: int):
    return _page(_submitted(application_id))


@bp.route("/staff/organisations/applications/<int:application_id>/criteria/<criterion>",
          methods=["POST"])
@allow(*STAFF)
def review_criterion(application_id: int, criterion: str):
    application = _submitted(application_id)
    answer = apps.answers_by_key(application).get(criterion)
    if answer is None:
        abort(404)
    verdict, note = request.form.get("review", ""), request.form.get("note", "")
    typed = {criterion: {"review": verdict, "note": note}}
    if application.status != "submitted":
        return _page(application, typed=typed, status=409, problems={criterion: {
            "form": "The application is decided: reviews cannot change. Nothing was saved."}})
    problems = apps.review_problems(verdict, note)
    if problems:
        return _page(application, typed=typed, problems={criterion: problems}, status=422)
    version = request.form.get("version", "")
    try:
        apps.review(application, answer, verdict, note.strip(), actor=current_user,
                    version=int(version) if version.isdigit() else None, today=date.today())
        db.session.commit()
    except (apps.Conflict, StaleDataError):
        db.session.rollback()
        application = _submitted(application_id)
        return _page(application, typed=typed, status=409, problems={criterion: {
            "form": "This criterion changed after you opened the page (another review, or the "
                    "organisation changed its answer). Nothing was overwritten: the saved "
                    "version is shown above, and your review below. Save it again to keep it."}})
    flash(f"Review saved: {criteria.title_of(criterion)}, {apps.REVIEWS[verdict].lower()}."
          + (" The organisation has been emailed." if verdict == "more_info" else ""), "success")
    return redirect(url_for("accreditation.review_application", application_id=application_id)
                    + f"#criterion-{criterion}")


@bp.route("/staff/organisations/applications/<int:application_id>/messages",
          methods=["POST"])
@allow(*STAFF)
def review_message(application_id: int):
    application = _submitted(application_id)
    typed = {"body": request.form.get("body", ""), "criterion": request.form.get("criterion", "")}
    if typed["criterion"] not in criteria.BY_KEY:
        typed["criterion"] = ""
    if application.status != "submitted":
        return _page(application, message=typed, status=409, problems={"message": {
            "body": "The application is decided: the thread is closed. Nothing was sent."}})
    problem = apps.message_problem(typed["body"])
    if problem:
        return _page(application, message=typed, problems={"message": {"body": problem}},
                     status=422)
    apps.post_message(application, author=current_user, body=typed["body"].strip(),
                      criterion=typed["criterion"], from_staff=True, today=date.today())
    db.session.commit()
    flash("Question sent. The organisation's admins have been emailed.", "success")
    return redirect(url_for("accreditation.review_application", application_id=application_id)
                    + "#thread")


@bp.route("/staff/organisations/applications/<int:application_id>/decision",
          methods=["POST"])
@allow(*STAFF)
def review_decide(application_id: int):
    application = _submitted(application_id)
    typed = apps.DecisionTyped.from_form(request.form)
    if application.status != "submitted" or typed.version != str(application.version):
        return _conflict(application, typed)
    today = date.today()
    until, problems = apps.decision_problems(typed, today)
    not_ready = apps.not_ready(application)
    if not_ready:
        problems["ready"] = "Review every criterion before deciding: " + "; ".join(
            f"{c.title} ({why})" for c, why in not_ready) + "."
    if problems:
        return _page(application, decision_typed=typed, problems={"decision": problems},
                     status=422)
    try:
        decision = apps.decide(application, typed, until, actor=current_user, today=today)
        db.session.commit()
    except (apps.Conflict, StaleDataError):
        db.session.rollback()
        return _conflict(_submitted(application_id), typed)
    flash(f"Decision recorded: {apps.DECISIONS[decision.kind].lower()}. The organisation's "
          "admins have been emailed the decision and its reasons.", "success")
    return redirect(url_for("accreditation.review_application", application_id=application_id))


def _conflict(application, typed):
    """Someone else decided (or changed) the application: say who and when, keep the typing."""
    return render_template(
        "accreditation/review_conflict.html", application=application,
        organisation=db.session.get(HostOrganisation, application.organisation_id),
        decided=apps.decision_of(application), typed=typed, apps=apps), 409


"""An organisation's admins apply for accreditation: start, answer each criterion with a
statement and evidence (saved as they go), submit, and answer staff's questions."""

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename

from assessments.deadlines import LONDON
from lms.access import allow
from lms.accreditation import applications as apps
from lms.accreditation import bp, criteria
from lms.accreditation.models import OrgApplication
from lms.db import utcnow
from lms.extensions import db
from lms.organisations.models import HostOrganisation
from lms.organisations.services import administered_organisations
from lms.uploads import EXTENSIONS, Refused, prepare

CHANGED_ELSEWHERE = ("This answer was changed in another tab, by another admin or by staff. "
                     "Nothing was overwritten: save with the button to see both versions.")
STAFF = ("moderator", "admin")


def _version() -> int | None:
    value = request.form.get("version", "")
    return int(value) if value.isdigit() else None


def _administered(org_id: int) -> HostOrganisation:
    organisation = db.get_or_404(HostOrganisation, org_id)
    if org_id not in {o.id for o in administered_organisations(current_user, date.today())}:
        abort(403)
    return organisation


def _application(org_id: int) -> OrgApplication | None:
    latest = apps.latest_application(org_id)
    return apps.load(latest.id) if latest is not None else None


def _overview(organisation, application, *, problems=None, missing=(), typed=None, status=200):
    from lms.accreditation import services

    today = date.today()
    org_status = services.org_status_of(organisation, today)
    current = application if application is not None and application.status != "decided" \
        else None
    kind, why_not = apps.may_start(org_status, current)
    evidence = apps.evidence_of(application) if application is not None else {}
    return render_template(
        "accreditation/apply_overview.html", organisation=organisation,
        application=application, answers=apps.answers_by_key(application) if application else {},
        evidence=evidence, criteria=criteria, apps=apps, org_status=org_status,
        start_kind=kind, why_not=why_not, problems=problems or {}, missing=missing,
        typed=typed or {}, decision=apps.decision_of(application)
        if application is not None and application.status == "decided" else None), status


@bp.route("/organisations/<int:org_id>/application")
@allow("org_admin")
def apply_overview(org_id: int):
    organisation = _administered(org_id)
    return _overview(organisation, _application(org_id))


@bp.route("/organisations/<int:org_id>/application/start", methods=["POST"])
@allow("org_admin")
def apply_start(org_id: int):
    from lms.accreditation import services

    organisation = _administered(org_id)
    kind, why_not = apps.may_start(services.org_status_of(organisation, date.today()),
                                   apps.open_application(org_id))
    if kind is None:
        flash(why_not, "info")
    else:
        apps.start_application(organisation, kind, actor=current_user)
        db.session.commit()
        flash("Application started. Answer each criterion: your answers are saved as you go, "
              "and nothing is sent to staff until you submit.", "success")
    return redirect(url_for("accreditation.apply_overview", org_id=org_id))


@bp.route("/organisations/<int:org_id>/application/submit", methods=["POST"])
@allow("org_admin")
def apply_submit(org_id: int):
    organisation = _administered(org_id)
    application = _application(org_id)
    if application is None or application.status != "draft":
        flash("There is no draft application to submit.", "info")
        return redirect(url_for("accreditation.apply_overview", org_id=org_id))
    missing = apps.missing_statements(application)
    if missing:
        return _overview(organisation, application, missing=missing, status=422)
    apps.submit(application, actor=current_user)
    db.session.commit()
    flash("Application submitted. Course staff will review each criterion and may ask "
          "questions in the thread below; we email you when they do.", "success")
    return redirect(url_for("accreditation.apply_overview", org_id=org_id))


@bp.route("/organisations/<int:org_id>/application/messages", methods=["POST"])
@allow("org_admin")
def apply_message(org_id: int):
    organisation = _administered(org_id)
    application = _application(org_id)
    if application is None or application.status != "submitted":
        flash("Messages can be sent while staff review a submitted application.", "info")
        return redirect(url_for("accreditation.apply_overview", org_id=org_id))
    typed = {"body": request.form.get("body", ""), "criterion": request.form.get("criterion", "")}
    problem = apps.message_problem(typed["body"])
    if typed["criterion"] and typed["criterion"] not in criteria.BY_KEY:
        typed["criterion"] = ""
    if problem:
        return _overview(organisation, application, problems={"body": problem}, typed=typed,
                         status=422)
    apps.post_message(application, author=current_user, body=typed["body"].strip(),
                      criterion=typed["criterion"], from_staff=False, today=date.today())
    db.session.commit()
    flash("Message sent. The staff reviewing your application have been emailed.", "success")
    return redirect(url_for("accreditation.apply_overview", org_id=org_id) + "#thread")


# --------------------------------------------------------------------------- one criterion


def _criterion_page(organisation, application, criterion, answer, *, typed, problems=None,
                    conflict=None, status=200):
    return render_template(
        "accreditation/apply_criterion.html", organisation=organisation,
        application=application, criterion=criterion, answer=answer, typed=typed,
        problems=problems or {}, conflict=conflict, editable=apps.can_edit(application, answer),
        evidence=apps.evidence_of(application).get(answer.id, []), limit=apps.STATEMENT,
        max_evidence=apps.MAX_EVIDENCE, reviews=apps.REVIEWS), status


def _answer_of(org_id: int, key: str):
    criterion = criteria.criterion(key)
    application = _application(org_id)
    if criterion is None or application is None:
        abort(404)
    answer = apps.answers_by_key(application).get(key)
    if answer is None:
        abort(404)
    return application, criterion, answer


@bp.route("/organisations/<int:org_id>/application/criteria/<criterion>",
          methods=["GET", "POST"])
@allow("org_admin")
def apply_criterion(org_id: int, criterion: str):
    organisation = _administered(org_id)
    application, found, answer = _answer_of(org_id, criterion)
    if request.method == "GET":
        return _criterion_page(organisation, application, found, answer,
                               typed=answer.statement)
    typed = request.form.get("statement", "")
    if not apps.can_edit(application, answer):
        if request.form.get("action") == "autosave":
            return {"saved": False, "conflict": True,
                    "message": "This application is submitted: this answer cannot be changed "
                               "unless staff ask for more information on it."}, 409
        return _criterion_page(organisation, application, found, answer, typed=typed, problems={
            "statement": "This answer cannot be changed now: the application is submitted. "
                         "Nothing was saved."}, status=409)
    if request.form.get("action") == "autosave":
        return _autosave(application, answer, typed)
    return _save(organisation, application, found, answer, typed)


def _save(organisation, application, found, answer, typed):
    if _version() != answer.version:
        return _criterion_page(organisation, application, found, answer, typed=typed,
                               conflict=answer.statement, status=409)
    problems = {}
    problem = apps.statement_problem(typed)
    if problem:
        problems["statement"] = problem
    upload, attach = request.files.get("attachment"), None
    if upload and upload.filename:
        data = upload.read()
        try:
            if apps.evidence_count(answer) >= apps.MAX_EVIDENCE:
                raise Refused(f"A criterion can have up to {apps.MAX_EVIDENCE} files.")
            attach = (upload.filename, data, prepare(data))
        except Refused as refused:
            problems["attachment"] = refused.reason + " The file was not attached."
    if problems:
        return _criterion_page(organisation, application, found, answer, typed=typed,
                               problems=problems, status=422)
    try:
        apps.save_statement(answer, typed, actor=current_user, version=_version())
        if attach:
            apps.add_evidence(answer, current_user, *attach)
        db.session.commit()
    except (apps.Conflict, StaleDataError):
        db.session.rollback()
        answer = db.session.get(type(answer), answer.id)
        return _criterion_page(organisation, application, found, answer, typed=typed,
                               conflict=answer.statement, status=409)
    flash(f"Saved: {found.title}." + (" The file is attached." if attach else ""), "success")
    if request.form.get("action") == "back":
        return redirect(url_for("accreditation.apply_overview", org_id=organisation.id))
    return redirect(url_for("accreditation.apply_criterion", org_id=organisation.id,
                            criterion=found.key))


def _autosave(application, answer, typed):
    """The page's script saves the statement as the admin types: answered in JSON."""
    problem = apps.statement_problem(typed)
    if problem:
        return {"saved": False, "message": f"Not saved automatically: {problem}"}, 422
    try:
        apps.save_statement(answer, typed, actor=current_user, version=_version(),
                            how="autosave")
        db.session.commit()
    except (apps.Conflict, StaleDataError):
        db.session.rollback()
        return {"saved": False, "conflict": True, "message": CHANGED_ELSEWHERE}, 409
    return {"saved": True, "version": answer.version,
            "at": utcnow().astimezone(LONDON).strftime("%H:%M")}


@bp.route("/organisations/<int:org_id>/application/criteria/<criterion>/evidence/"
          "<int:attachment_id>/remove", methods=["POST"])
@allow("org_admin")
def apply_evidence_remove(org_id: int, criterion: str, attachment_id: int):
    _administered(org_id)
    application, found, answer = _answer_of(org_id, criterion)
    if not apps.can_edit(application, answer):
        flash("This answer cannot be changed now: the file was not removed.", "info")
    elif apps.remove_evidence(answer, attachment_id, actor=current_user):
        db.session.commit()
        flash("File removed from this criterion.", "success")
    return redirect(url_for("accreditation.apply_criterion", org_id=org_id,
                            criterion=found.key))


@bp.route("/organisations/<int:org_id>/application/evidence/<int:attachment_id>")
@allow("org_admin", *STAFF)
def apply_evidence(org_id: int, attachment_id: int):
    if not current_user.has_any_role(STAFF):
        _administered(org_id)
    attachment = apps.evidence_file(org_id, attachment_id)
    if attachment is None:
        abort(404)
    # Everyone gets the copy cleaned at upload; a file with no clean copy is not served.
    data = attachment.clean_data
    if data is None:
        abort(404)
    stem = secure_filename(attachment.filename.rsplit(".", 1)[0]) or "evidence"
    name = f"{stem}.{EXTENSIONS.get(attachment.content_type, 'bin')}"
    return Response(data, mimetype=attachment.content_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store"})

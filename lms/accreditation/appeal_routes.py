"""Appeals against decisions on an organisation: the organisation's side (its decisions, and
an appeal within 28 days) and course staff's (the queue, and deciding an appeal)."""

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from lms.access import allow
from lms.accreditation import appeals, bp, orgmail
from lms.accreditation.appeal_forms import AppealDecisionForm, AppealForm
from lms.accreditation.models import ORG_DECISIONS, OrgAppeal, OrgDecision
from lms.auth.models import User
from lms.extensions import db
from lms.organisations.models import HostOrganisation
from lms.organisations.services import administered_organisations

WORDS = {"kinds": ORG_DECISIONS, "outcomes": appeals.OUTCOMES, "new_kinds": appeals.NEW_KINDS}


def administered_org(org_id: int) -> HostOrganisation:
    """The organisation, if the signed-in org admin works for it now; else 404 or 403."""
    org = db.get_or_404(HostOrganisation, org_id)
    if org.id not in {o.id for o in administered_organisations(current_user, date.today())}:
        abort(403)
    return org


# ---------------------------------------------------------------------------- the organisation


@bp.route("/organisations/<int:org_id>/decisions")
@allow("org_admin")
def org_decisions(org_id: int):
    org = administered_org(org_id)
    decisions = appeals.decisions_of(org.id)
    lodged = appeals.appeals_of(d.id for d in decisions)
    today = date.today()
    problems = {d.id: appeals.appeal_problem(d, lodged.get(d.id), today) for d in decisions}
    return render_template("accreditation/appeal_org_decisions.html", org=org,
                           decisions=decisions, lodged=lodged, problems=problems,
                           last_days={d.id: appeals.last_day(d) for d in decisions}, **WORDS)


def _decision(org: HostOrganisation, decision_id: int) -> OrgDecision:
    decision = db.session.get(OrgDecision, decision_id)
    if decision is None or decision.organisation_id != org.id:
        abort(404)
    return decision


def _appeal_page(org, decision, form, *, refused=None, status=200):
    lodged = appeals.appeal_of(decision.id)
    return render_template(
        "accreditation/appeal_form.html", org=org, decision=decision, form=form,
        lodged=lodged, refused=refused, last_day=appeals.last_day(decision),
        problem=appeals.appeal_problem(decision, lodged, date.today()), **WORDS), status


@bp.route("/organisations/<int:org_id>/decisions/<int:decision_id>/appeal")
@allow("org_admin")
def org_appeal(org_id: int, decision_id: int):
    org = administered_org(org_id)
    return _appeal_page(org, _decision(org, decision_id), AppealForm(formdata=None))


@bp.route("/organisations/<int:org_id>/decisions/<int:decision_id>/appeal", methods=["POST"])
@allow("org_admin")
def org_appeal_lodge(org_id: int, decision_id: int):
    org = administered_org(org_id)
    decision = _decision(org, decision_id)
    form = AppealForm()
    if not form.validate_on_submit():
        return _appeal_page(org, decision, form, status=422)
    try:
        appeals.lodge(org, decision, form.grounds.data.strip(), actor=current_user,
                      today=date.today())
        db.session.commit()
    except (appeals.Refused, IntegrityError) as refusal:
        db.session.rollback()
        message = str(refusal) if isinstance(refusal, appeals.Refused) else (
            "An appeal against this decision was lodged a moment ago by someone else. "
            "A decision can be appealed against once.")
        return _appeal_page(org, decision, form, refused=message, status=409 if isinstance(
            refusal, IntegrityError) else 422)
    flash("Your appeal is lodged. A member of course staff who took no part in the decision "
          "will decide it, and we will email the outcome.", "success")
    return redirect(url_for("accreditation.org_decisions", org_id=org.id))


# ---------------------------------------------------------------------------- course staff


def _names(ids) -> dict[int, str]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _orgs(ids) -> dict[int, HostOrganisation]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {o.id: o for o in db.session.scalars(
        select(HostOrganisation).where(HostOrganisation.id.in_(ids)))}


@bp.route("/staff/organisations/appeals")
@allow(*orgmail.STAFF)
def staff_appeals():
    listed = appeals.queue()
    orgs = _orgs(a.decision.organisation_id for a in listed)
    names = _names([a.decided_by_id for a in listed] + [a.submitted_by_id for a in listed])
    return render_template("accreditation/appeal_queue.html", appeals=listed, orgs=orgs,
                           names=names, mine={a.id for a in listed
                                              if not appeals.may_decide(current_user, a)},
                           **WORDS)


def _staff_page(appeal: OrgAppeal, form=None, *, refused=None, stale=False, status=200):
    today = date.today()
    org = db.session.get(HostOrganisation, appeal.decision.organisation_id)
    if form is None and appeal.outcome is None:
        form = AppealDecisionForm(formdata=None, version=str(appeal.version),
                                  valid_until=appeals.default_term_end(appeal, today))
    new = db.session.get(OrgDecision, appeal.new_decision_id) if appeal.new_decision_id else None
    return render_template(
        "accreditation/appeal_decide.html", appeal=appeal, decision=appeal.decision, org=org,
        form=form, refused=refused, stale=stale, new=new,
        may_decide=appeals.may_decide(current_user, appeal),
        names=_names([appeal.submitted_by_id, appeal.decided_by_id]), **WORDS), status


@bp.route("/staff/organisations/appeals/<int:appeal_id>")
@allow(*orgmail.STAFF)
def staff_appeal(appeal_id: int):
    return _staff_page(db.get_or_404(OrgAppeal, appeal_id))


@bp.route("/staff/organisations/appeals/<int:appeal_id>", methods=["POST"])
@allow(*orgmail.STAFF)
def staff_appeal_decide(appeal_id: int):
    appeal = db.get_or_404(OrgAppeal, appeal_id)
    form = AppealDecisionForm()
    if not appeals.may_decide(current_user, appeal):
        return _staff_page(appeal, form, refused=(
            "You made the decision appealed against, so you cannot decide the appeal: a "
            "different member of course staff must. Nothing was saved."), status=403)
    today = date.today()
    valid = form.validate_on_submit()
    problems = form.problems(today)
    for name, message in problems.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    if not valid or problems:
        return _staff_page(appeal, form, status=422)
    try:
        appeals.decide(appeal, form.opened_at(), form.outcome.data, form.reasons.data.strip(),
                       actor=current_user, today=today, new_kind=form.new_kind.data,
                       valid_until=form.valid_until.data,
                       conditions=(form.conditions.data or "").strip())
        db.session.commit()
    except (appeals.Stale, StaleDataError):
        db.session.rollback()
        return _staff_page(db.get_or_404(OrgAppeal, appeal_id), form, stale=True, status=409)
    except appeals.Refused as refusal:
        db.session.rollback()
        return _staff_page(db.get_or_404(OrgAppeal, appeal_id), form, refused=str(refusal),
                           status=409)
    flash("The decision on the appeal is recorded and the organisation has been emailed.",
          "success")
    return redirect(url_for("accreditation.staff_appeal", appeal_id=appeal_id))

"""Course staff's decisions on an accredited organisation (suspend, lift, withdraw, conditions
met), with the organisation's status and the history of decisions on one page."""

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from lms.access import allow
from lms.accreditation import appeals, bp, org_decisions, orgmail, services
from lms.accreditation.appeal_forms import (
    ConditionsMetForm,
    LiftForm,
    SuspendForm,
    WithdrawForm,
)
from lms.accreditation.models import ORG_DECISIONS
from lms.extensions import db
from lms.organisations.models import HostOrganisation

FORMS = {"suspend": SuspendForm, "lift": LiftForm, "conditions_met": ConditionsMetForm,
         "withdraw": WithdrawForm}
DONE = {"suspend": "Accreditation is suspended", "lift": "The suspension is lifted",
        "conditions_met": "The conditions are recorded as met",
        "withdraw": "Accreditation is withdrawn"}


def _page(org: HostOrganisation, given: dict, *, stale=False, refused=None, status=200):
    today = date.today()
    org_status = services.org_status_of(org, today)
    seen = str(org_decisions.latest_decision_id(org.id))
    forms = {action: given.get(action) or FORMS[action](formdata=None, prefix=action, seen=seen)
             for action in org_decisions.open_actions(org_status.state)}
    if stale:  # the typed text stays; the form now carries the decision just seen
        for form in forms.values():
            form.seen.data = seen
    unsent = {a: f for a, f in given.items() if a not in forms}
    decisions = appeals.decisions_of(org.id)
    return render_template(
        "accreditation/org_decision_staff.html", org=org, status=org_status, forms=forms,
        unsent=unsent, decisions=decisions, lodged=appeals.appeals_of(d.id for d in decisions),
        stale=stale, refused=refused, kinds=ORG_DECISIONS, actions=org_decisions.ACTIONS), status


@bp.route("/staff/organisations/<int:org_id>/decisions")
@allow(*orgmail.STAFF)
def staff_org_decisions(org_id: int):
    return _page(db.get_or_404(HostOrganisation, org_id), {})


def _decide(org_id: int, action: str):
    org = db.get_or_404(HostOrganisation, org_id)
    form = FORMS[action](prefix=action)
    if not form.validate_on_submit():
        return _page(org, {action: form}, status=422)
    try:
        org_decisions.decide(org, action, form.seen_id(), form.reason.data.strip(),
                             actor=current_user, today=date.today())
        db.session.commit()
    except org_decisions.Stale:
        db.session.rollback()
        return _page(org, {action: form}, stale=True, status=409)
    except org_decisions.Refused as refusal:
        db.session.rollback()
        return _page(org, {action: form}, refused=str(refusal), status=409)
    flash(f"{DONE[action]}, and the organisation’s administrators have been emailed.",
          "success")
    return redirect(url_for("accreditation.staff_org_decisions", org_id=org.id))


@bp.route("/staff/organisations/<int:org_id>/decisions/suspend", methods=["POST"])
@allow(*orgmail.STAFF)
def staff_org_suspend(org_id: int):
    return _decide(org_id, "suspend")


@bp.route("/staff/organisations/<int:org_id>/decisions/lift", methods=["POST"])
@allow(*orgmail.STAFF)
def staff_org_lift(org_id: int):
    return _decide(org_id, "lift")


@bp.route("/staff/organisations/<int:org_id>/decisions/conditions-met", methods=["POST"])
@allow(*orgmail.STAFF)
def staff_org_conditions_met(org_id: int):
    return _decide(org_id, "conditions_met")


@bp.route("/staff/organisations/<int:org_id>/decisions/withdraw", methods=["POST"])
@allow(*orgmail.STAFF)
def staff_org_withdraw(org_id: int):
    return _decide(org_id, "withdraw")

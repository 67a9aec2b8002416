"""The yearly return: the organisation sends it, course staff read the returns received and
see those due or overdue."""

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.access import allow
from lms.accreditation import bp, orgmail, renewals, returns, services
from lms.accreditation.appeal_forms import ReturnForm
from lms.accreditation.appeal_routes import administered_org
from lms.extensions import db
from lms.organisations.models import HostOrganisation


def _return_page(org, form=None, *, refused=None, status=200):
    today = date.today()
    org_status = services.org_status_of(org, today)
    received = returns.returns_of(org.id)
    due = returns.outstanding(org_status, {r.due_on for r in received}, today)
    if form is None and due:
        form = ReturnForm(formdata=None, due_on=due[0].isoformat())
    return render_template("accreditation/return_form.html", org=org, status=org_status,
                           received=received, due=due, form=form, refused=refused,
                           today=today), status


@bp.route("/organisations/<int:org_id>/yearly-return")
@allow("org_admin")
def org_return(org_id: int):
    return _return_page(administered_org(org_id))


@bp.route("/organisations/<int:org_id>/yearly-return", methods=["POST"])
@allow("org_admin")
def org_return_send(org_id: int):
    org = administered_org(org_id)
    form = ReturnForm()
    valid = form.validate_on_submit()
    problems = form.problems()
    for name, message in problems.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    due_on = form.due_date()
    if not valid or problems or due_on is None:
        return _return_page(org, form, status=422)
    today = date.today()
    try:
        returns.send_return(org, services.org_status_of(org, today), due_on,
                            bool(form.nothing_changed.data), (form.changes.data or "").strip(),
                            actor=current_user, today=today)
        db.session.commit()
    except (returns.Refused, IntegrityError) as refusal:
        db.session.rollback()
        message = str(refusal) if isinstance(refusal, returns.Refused) else (
            "Someone else sent this return a moment ago. It is shown below.")
        return _return_page(org, form, refused=message,
                            status=409 if isinstance(refusal, IntegrityError) else 422)
    flash("Your yearly return is sent. Thank you.", "success")
    return redirect(url_for("accreditation.org_return", org_id=org.id))


@bp.route("/staff/organisations/returns")
@allow(*orgmail.STAFF)
def staff_returns():
    today = date.today()
    received = returns.every_return()
    org_ids = list(db.session.scalars(select(HostOrganisation.id)))
    waiting = [(s, day) for s in renewals.snapshots(org_ids, today)
               for day in returns.outstanding(s.status, s.returns_sent, today,
                                              ahead=renewals.RETURN_DAYS)]
    waiting.sort(key=lambda pair: pair[1])
    return render_template("accreditation/return_list.html", received=received,
                           waiting=waiting, today=today)

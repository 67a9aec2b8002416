"""Pages for host organisations: the dashboard of their accreditation and their advocates."""

from datetime import date

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.access import allow
from lms.accreditation import bulk, services
from lms.accreditation.orgrules import STATES as ORG_STATES
from lms.cpd.services import progress_of_all
from lms.extensions import db
from lms.organisations import bp, dashboard
from lms.organisations.models import Employment, HostOrganisation
from lms.organisations.permissions import can_view_organisation
from lms.organisations.services import administered_organisations

ADVOCATE_ROLES = frozenset({"advocate", "trainee"})


@bp.route("/organisation")
@allow("org_admin")
def index():
    organisations = administered_organisations(current_user, date.today())
    if len(organisations) == 1:
        return redirect(url_for("organisations.detail", org_id=organisations[0].id))
    return render_template("organisations/index.html", organisations=organisations)


def _advocate_rows(employments: list[Employment], today: date,
                   ours: str) -> list[dashboard.AdvocateRow]:
    """Each current advocate's and trainee's status and CPD, batched for all of them."""
    people = list({e.user_id: e.user for e in employments}.values())
    statuses = services.advocate_statuses(people, today)
    progress = progress_of_all([p for p in people if p.has_role("advocate")], today)
    seen, rows = set(), []
    for e in sorted(employments, key=lambda e: e.user.name.casefold()):
        if e.user_id not in seen:
            seen.add(e.user_id)
            rows.append(dashboard.AdvocateRow(e, dashboard.as_seen_by(statuses[e.user_id], ours),
                                              progress.get(e.user_id)))
    return rows


@bp.route("/organisations/<int:org_id>")
@allow("org_admin", "admin", "moderator")
def detail(org_id: int):
    organisation = db.get_or_404(HostOrganisation, org_id)
    today = date.today()
    administered = {o.id for o in administered_organisations(current_user, today)}
    if not can_view_organisation(current_user, org_id, administered):
        abort(403)
    employments = db.session.scalars(
        select(Employment).where(Employment.organisation_id == org_id)
        .options(selectinload(Employment.user)).order_by(Employment.start_date.desc())
    ).all()
    current = [e for e in employments if e.is_current(today)]
    past = [e for e in employments if not e.is_current(today)]
    rows = _advocate_rows([e for e in current if e.user.has_any_role(ADVOCATE_ROLES)], today,
                          organisation.name)
    status = services.org_status_of(organisation, today)
    may_check = bulk.can_bulk_check(
        staff=current_user.has_any_role({"admin", "moderator"}),
        administers=org_id in administered, accredited=status.accredited)
    return render_template(
        "organisations/detail.html", organisation=organisation, status=status, rows=rows,
        others=[e for e in current if not e.user.has_any_role(ADVOCATE_ROLES)], past=past,
        due=dashboard.coming_up(organisation.name, status, rows, today),
        renewal_opens=dashboard.renewal_opens(status), horizon=dashboard.HORIZON_DAYS,
        may_check=may_check, today=today, status_words=ORG_STATES,
        waiting_question=_waiting_question(org_id))


def _waiting_question(org_id: int):
    """The staff question the organisation has not answered yet on its open application: the
    last message in the thread, when staff wrote it."""
    from lms.accreditation.applications import open_application
    from lms.accreditation.models import OrgMessage

    application = open_application(org_id)
    if application is None:
        return None
    last = db.session.scalar(select(OrgMessage).where(
        OrgMessage.application_id == application.id).order_by(OrgMessage.id.desc()).limit(1))
    return last if last is not None and last.from_staff else None

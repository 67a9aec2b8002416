"""Pages for host organisations: their accreditation status and their advocates."""

from datetime import date

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.access import allow
from lms.accreditation.services import org_status_of
from lms.extensions import db
from lms.organisations import bp
from lms.organisations.models import Employment, HostOrganisation
from lms.organisations.permissions import can_view_organisation
from lms.organisations.services import administered_organisations


@bp.route("/organisation")
@allow("org_admin")
def index():
    organisations = administered_organisations(current_user, date.today())
    if len(organisations) == 1:
        return redirect(url_for("organisations.detail", org_id=organisations[0].id))
    return render_template("organisations/index.html", organisations=organisations)


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
    return render_template("organisations/detail.html", organisation=organisation,
                           current=current, past=past,
                           status=org_status_of(organisation, today))

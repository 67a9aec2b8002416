"""Host organisations: list, create, edit."""

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from lms.access import allow
from lms.accreditation.services import org_statuses
from lms.admin import bp
from lms.admin.forms import OrganisationForm, status_for
from lms.audit.services import record
from lms.extensions import db
from lms.organisations.models import HostOrganisation
from lms.organisations.services import update_organisation

FIELDS = ("name", "kind", "nation", "region")


def _name_taken(name: str, except_id: int | None = None) -> bool:
    query = select(HostOrganisation.id).where(
        func.lower(HostOrganisation.name) == name.strip().lower())
    if except_id is not None:
        query = query.where(HostOrganisation.id != except_id)
    return db.session.scalar(query) is not None


@bp.route("/organisations")
@allow("admin", "moderator")
def organisations():
    rows = db.session.scalars(select(HostOrganisation).order_by(HostOrganisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows,
                           statuses=org_statuses(rows, date.today()))


@bp.route("/organisations/new", methods=["GET", "POST"])
@allow("admin", "moderator")
def organisation_new():
    form = OrganisationForm()
    if form.validate_on_submit():
        if _name_taken(form.name.data):
            form.name.errors = ["An organisation with this name already exists."]
        else:
            organisation = HostOrganisation(**{f: (getattr(form, f).data or "").strip()
                                               for f in FIELDS})
            db.session.add(organisation)
            db.session.flush()
            record("organisation_created", organisation, actor=current_user,
                   after={f: getattr(organisation, f) for f in FIELDS})
            db.session.commit()
            flash(f"{organisation.name} added.", "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=None), (
        status_for(form))


@bp.route("/organisations/<int:org_id>/edit", methods=["GET", "POST"])
@allow("admin", "moderator")
def organisation_edit(org_id: int):
    organisation = db.get_or_404(HostOrganisation, org_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        if _name_taken(form.name.data, except_id=org_id):
            form.name.errors = ["An organisation with this name already exists."]
        else:
            changes = {f: (getattr(form, f).data or "").strip() for f in FIELDS}
            update_organisation(organisation, changes, actor=current_user,
                                reason=form.reason.data or None)
            db.session.commit()
            flash("Organisation saved.", "success")
            return redirect(url_for("organisations.detail", org_id=org_id))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation), (
        status_for(form))

"""Cohorts, enrolments and roster import."""

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.access import allow
from lms.admin import bp
from lms.admin.forms import (
    CohortForm,
    EnrolForm,
    EnrolmentForm,
    RosterConfirmForm,
    RosterUploadForm,
)
from lms.admin.roster import COLUMNS, decode_upload, parse_roster
from lms.auth.models import User
from lms.auth.services import find_user_by_email
from lms.cohorts.models import Cohort, Enrolment
from lms.cohorts.services import change_enrolment, create_cohort, enrol, import_roster
from lms.extensions import db
from lms.formatting import plural
from lms.organisations.models import HostOrganisation


@bp.route("/cohorts")
@allow("admin", "moderator")
def cohorts():
    rows = db.session.execute(
        select(Cohort, func.count(Enrolment.id)).outerjoin(Enrolment)
        .group_by(Cohort.id).order_by(Cohort.starts_on.desc())).all()
    return render_template("admin/cohorts.html", rows=rows)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@allow("admin", "moderator")
def cohort_new():
    form = CohortForm()
    if form.validate_on_submit():
        if db.session.scalar(select(Cohort.id).where(Cohort.name == form.name.data.strip())):
            form.name.errors = ["A cohort with this name already exists."]
        else:
            cohort = create_cohort(form.name.data, form.starts_on.data, form.ends_on.data,
                                   actor=current_user)
            db.session.commit()
            flash(f"Cohort {cohort.name} created.", "success")
            return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))
    return render_template("admin/cohort_new.html", form=form)


@bp.route("/cohorts/<int:cohort_id>")
@allow("admin", "moderator")
def cohort_detail(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.cohort_id == cohort_id)
        .options(selectinload(Enrolment.user)).join(User).order_by(User.name)).all()
    return render_template("admin/cohort_detail.html", cohort=cohort, enrolments=enrolments,
                           enrol_form=EnrolForm())


@bp.route("/cohorts/<int:cohort_id>/enrolments", methods=["POST"])
@allow("admin", "moderator")
def cohort_enrol(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    form = EnrolForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        taken = user and db.session.scalar(select(Enrolment.id).where(
            Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id))
        if user is None:
            flash("No account uses that email address. Create the account first.", "error")
        elif taken:
            flash(f"{user.name} is already enrolled on this cohort.", "error")
        else:
            enrol(user, cohort, form.specialism.data, form.jurisdiction.data, actor=current_user)
            db.session.commit()
            flash(f"{user.name} enrolled.", "success")
    else:
        flash("Enter a valid email address and choose a specialism and jurisdiction.", "error")
    return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))


@bp.route("/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
@allow("admin", "moderator")
def enrolment_edit(enrolment_id: int):
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    form = EnrolmentForm(obj=enrolment)
    if form.validate_on_submit():
        change_enrolment(enrolment, {k: getattr(form, k).data
                                     for k in ("status", "specialism", "jurisdiction")},
                         actor=current_user, reason=form.reason.data)
        db.session.commit()
        flash("Enrolment saved.", "success")
        return redirect(url_for("admin.cohort_detail", cohort_id=enrolment.cohort_id))
    return render_template("admin/enrolment_edit.html", form=form, enrolment=enrolment)


def _parse(cohort: Cohort, text: str):
    organisations = {name.lower(): name for name in db.session.scalars(
        select(HostOrganisation.name))}
    existing = set(db.session.scalars(select(User.email)))
    enrolled = set(db.session.scalars(select(User.email).join(Enrolment).where(
        Enrolment.cohort_id == cohort.id)))
    return parse_roster(text, organisations=organisations, existing_emails=existing,
                        enrolled_emails=enrolled)


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@allow("admin", "moderator")
def cohort_import(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    form = RosterUploadForm()
    roster, text, problem = None, None, None
    if form.validate_on_submit():
        try:
            text = decode_upload(form.roster.data.read())
        except ValueError as error:
            problem = str(error)
        else:
            roster = _parse(cohort, text)
    return render_template("admin/cohort_import.html", cohort=cohort, form=form, roster=roster,
                           problem=problem, columns=COLUMNS,
                           confirm_form=RosterConfirmForm(csv_text=text) if roster else None)


@bp.route("/cohorts/<int:cohort_id>/import/confirm", methods=["POST"])
@allow("admin", "moderator")
def cohort_import_confirm(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    form = RosterConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    roster = _parse(cohort, form.csv_text.data)
    if not roster.valid:  # something changed since the preview: show it again, write nothing
        return render_template("admin/cohort_import.html", cohort=cohort,
                               form=RosterUploadForm(), roster=roster, problem=None,
                               columns=COLUMNS, confirm_form=None), 409
    enrolments = import_roster(cohort, roster, actor=current_user, today=date.today())
    db.session.commit()
    flash(f"Imported {plural(len(enrolments), 'person', 'people')} into {cohort.name}. New "
          "accounts were emailed a link to set their password.", "success")
    return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))

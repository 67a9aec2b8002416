"""Confirmers and employers: single-use confirmation links, organisations' advocates."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from wtforms import EmailField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from lms import limits
from lms.access import PUBLIC, allow
from lms.admin.forms import choices
from lms.cpd import bp, rules
from lms.cpd import confirmations as service
from lms.cpd.models import CpdConfirmation, CpdEntry
from lms.csvsafe import csv_response
from lms.extensions import db, limiter
from lms.organisations.models import HostOrganisation
from lms.organisations.permissions import can_view_organisation
from lms.organisations.services import administered_organisations
from lms.validators import EmailAddress, MaxLength


def _strip(text):
    return text.strip() if isinstance(text, str) else text


class ConfirmerForm(FlaskForm):
    name = StringField("Confirmer's full name", filters=[_strip], validators=[
        DataRequired("Enter the confirmer's full name."), MaxLength(limits.NAME)])
    role = StringField("Their job title or role", filters=[_strip], validators=[
        DataRequired("Enter the confirmer's job title or role."), MaxLength(limits.SHORT_TEXT)])
    organisation = StringField("Their organisation", filters=[_strip], validators=[
        DataRequired("Enter the confirmer's organisation."), MaxLength(limits.NAME)])
    email = EmailField("Their work email address", filters=[_strip], validators=[
        DataRequired("Enter the confirmer's work email address."), MaxLength(limits.EMAIL),
        EmailAddress("Enter an email address like name@example.org.")])


ANSWERS = {"confirmed": "Confirm: it took place as described",
           "queried": "Query it: something is not right"}


class AnswerForm(FlaskForm):
    outcome = RadioField(
        "Did this activity take place as described?", choices=choices(ANSWERS),
        validators=[InputRequired("Choose whether you confirm this activity or query it.")],
        validate_choice=False)
    comment = TextAreaField("Comment", validators=[MaxLength(limits.CPD_CONFIRMER_COMMENT)])
    name = StringField("Your full name", validators=[
        DataRequired("Enter your full name."), MaxLength(limits.NAME)])
    role = StringField("Your job title or role", validators=[
        DataRequired("Enter your job title or role."), MaxLength(limits.SHORT_TEXT)])
    version = HiddenField(validators=[InputRequired("The form expired. Open the page again.")])

    def validate_outcome(self, field):
        if field.data not in service.OUTCOMES:
            raise ValidationError("Choose whether you confirm this activity or query it.")

    def validate_comment(self, field):
        if self.outcome.data == "queried" and not (field.data or "").strip():
            raise ValidationError("Say what you are querying, so the advocate can answer it.")


def _status(form) -> int:
    return 422 if form.errors else 200


def _confirm_address_key() -> str:
    return "cpd-confirm-address:" + (request.remote_addr or "unknown")


# ---------------------------------------------------------------------------- the advocate


@bp.route("/cpd/entries/<int:entry_id>/confirmation", methods=["GET", "POST"])
@allow("trainee", "advocate")
def request_confirmation(entry_id: int):
    entry = db.get_or_404(CpdEntry, entry_id)
    if entry.user_id != current_user.id:
        abort(404)
    form = ConfirmerForm()
    refused = None
    if request.method == "POST" and not service.can_request(entry):
        refused = "Only a logged entry that is not yet confirmed can be sent for confirmation."
    elif form.validate_on_submit():
        if service.is_self(current_user, form.email.data):
            form.email.errors = ["You cannot confirm your own CPD. Name someone else, such as "
                                 "your manager or supervisor."]
        else:
            sent = service.request_confirmation(
                entry, name=form.name.data, role=form.role.data,
                organisation=form.organisation.data, email=form.email.data,
                actor=current_user._get_current_object())
            db.session.commit()
            flash(f"We have emailed {sent.name} a link to confirm this activity.", "success")
            return redirect(url_for("cpd.request_confirmation", entry_id=entry.id))
    status = 409 if refused else (422 if form.errors else 200)
    return render_template("cpd/confirm_request.html", entry=entry, form=form, refused=refused,
                           rules=rules, dates=service.dates_text(entry),
                           requests=service.requests_for(entry), status_of=service.status_of,
                           can_request=service.can_request(entry)), status


# ---------------------------------------------------------------------------- the confirmer


def _answer_form(confirmation: CpdConfirmation, name: str, role: str) -> AnswerForm:
    if request.method == "POST":
        return AnswerForm()
    return AnswerForm(name=name, role=role, version=str(confirmation.entry.version))


def _answer(form: AnswerForm, confirmation: CpdConfirmation, actor=None) -> str | None:
    """Record a valid answer and commit; return the conflict message if the entry changed."""
    try:
        service.answer(confirmation, outcome=form.outcome.data, comment=form.comment.data or "",
                       name=form.name.data, role=form.role.data,
                       seen_version=int(form.version.data or 0), actor=actor)
        db.session.commit()
        return None
    except (service.Conflict, StaleDataError, ValueError):
        db.session.rollback()
        return ("The advocate changed this entry after you opened it, so nothing was recorded. "
                "Read it again below, then confirm or query it.")


def _render_entry(confirmation, form, conflict, status, **extra):
    entry = confirmation.entry
    if conflict:
        form.version.data = str(entry.version)
        form.version.raw_data = [form.version.data]
    return render_template("cpd/confirm_entry.html", confirmation=confirmation, entry=entry,
                           form=form, conflict=conflict, rules=rules,
                           open=service.can_request(entry),
                           dates=service.dates_text(entry), **extra), status


@bp.route("/cpd/confirm/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(lambda: current_app.config["CPD_CONFIRM_LIMIT_PER_ADDRESS"],
               key_func=_confirm_address_key)
def confirm(token: str):
    confirmation = service.find_open(token)
    if confirmation is None:
        return render_template("cpd/confirm_gone.html"), 410
    if current_user.is_authenticated and current_user.id == confirmation.entry.user_id:
        return render_template("cpd/confirm_own.html"), 403  # nobody confirms their own CPD
    form = _answer_form(confirmation, confirmation.name, confirmation.role)
    conflict = None
    if form.validate_on_submit():
        outcome = form.outcome.data
        conflict = _answer(form, confirmation)
        if conflict is None:
            return render_template("cpd/confirm_done.html", outcome=outcome,
                                   advocate=confirmation.entry.user)
        confirmation = service.find_open(token)
        if confirmation is None:
            return render_template("cpd/confirm_gone.html"), 410
    status = 409 if conflict else _status(form)
    return _render_entry(confirmation, form, conflict, status)


# ---------------------------------------------------------------------------- organisations


def _organisation(org_id: int) -> HostOrganisation:
    organisation = db.get_or_404(HostOrganisation, org_id)
    administered = {o.id for o in administered_organisations(current_user, date.today())}
    if not can_view_organisation(current_user, org_id, administered):
        abort(403)
    return organisation


@bp.route("/organisations/<int:org_id>/cpd")
@allow("org_admin", "admin", "moderator")
def organisation_cpd(org_id: int):
    organisation = _organisation(org_id)
    today = date.today()
    awaiting = (service.awaiting(org_id, current_user, today)
                if current_user.has_role("org_admin") else [])
    return render_template("cpd/org_summary.html", organisation=organisation,
                           summaries=service.organisation_summary(org_id, today),
                           awaiting=awaiting, rules=rules, dates_text=service.dates_text)


def _hours(minutes: int) -> float | int:
    hours = round(minutes / 60, 2)
    return int(hours) if hours == int(hours) else hours


@bp.route("/organisations/<int:org_id>/cpd.csv")
@allow("org_admin", "admin", "moderator")
def organisation_cpd_csv(org_id: int):
    organisation = _organisation(org_id)
    rows = [["Name", "Job title", "CPD year starts", "CPD year ends", "Hours",
             "Hours required", "Participatory hours", "Participatory hours required",
             "Supervision hours", "Supervision hours required", "Reflections",
             "Reflections required", "Confirmed hours", "Topic areas not yet covered",
             "Requirement met"]]
    for s in service.organisation_summary(org_id, date.today()):
        p = s.progress
        r = p.requirement
        rows.append([
            s.employment.user.name, s.employment.job_title, r.year.start.isoformat(),
            r.year.end.isoformat(), _hours(p.minutes), _hours(r.minutes),
            _hours(p.participatory_minutes), _hours(r.participatory_minutes),
            _hours(p.supervision_minutes), _hours(r.supervision_minutes), p.reflections,
            r.reflections, _hours(p.confirmed_minutes),
            "; ".join(rules.TOPIC_AREAS.get(t, t) for t in p.topics_missing),
            "Yes" if s.met else "No"])
    slug = "".join(c if c.isalnum() else "-" for c in organisation.name.lower()).strip("-")
    return csv_response(rows, f"cpd-summary-{slug}-{date.today().isoformat()}.csv")


@bp.route("/organisations/<int:org_id>/cpd/entries/<int:entry_id>", methods=["GET", "POST"])
@allow("org_admin")
def organisation_confirm(org_id: int, entry_id: int):
    organisation = _organisation(org_id)
    found = [c for c in service.awaiting(org_id, current_user, date.today())
             if c.entry_id == entry_id]
    if not found:
        abort(404)
    confirmation = found[0]
    form = _answer_form(confirmation, current_user.name, confirmation.role)
    conflict = None
    if form.validate_on_submit():
        conflict = _answer(form, confirmation, actor=current_user._get_current_object())
        if conflict is None:
            flash(f"Your answer on {confirmation.entry.user.name}'s activity is recorded.",
                  "success")
            return redirect(url_for("cpd.organisation_cpd", org_id=org_id))
        found = [c for c in service.awaiting(org_id, current_user, date.today())
                 if c.entry_id == entry_id]
        if not found:
            abort(404)
        confirmation = found[0]
    status = 409 if conflict else _status(form)
    return _render_entry(confirmation, form, conflict, status, organisation=organisation)

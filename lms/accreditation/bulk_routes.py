"""A host organisation's bulk check of accreditation numbers, on screen and as CSV.

The numbers travel only in POST bodies (the CSV is the same form posted again), so they never
appear in an address, a browser's history or an access log."""

from datetime import date

from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.access import allow
from lms.accreditation import bp, bulk, services
from lms.accreditation.models import BulkCheck, RegisterEntry
from lms.accreditation.rules import SPECIALISM_WORDS
from lms.auth.models import User
from lms.csvsafe import csv_response
from lms.extensions import db, limiter
from lms.organisations.models import HostOrganisation
from lms.organisations.services import administered_organisations

RECENT = 10


def _organisation(org_id: int, today: date) -> HostOrganisation:
    organisation = db.get_or_404(HostOrganisation, org_id)
    staff = current_user.has_any_role({"admin", "moderator"})
    administers = not staff and org_id in {
        o.id for o in administered_organisations(current_user, today)}
    accredited = administers and services.org_status_of(organisation, today).accredited
    if not bulk.can_bulk_check(staff=staff, administers=administers, accredited=accredited):
        abort(403)
    return organisation


def _register(numbers: set[str], today: date) -> dict[str, bulk.Found]:
    """What the register says about each number, withheld entries included, in a fixed
    number of queries however many numbers there are."""
    if not numbers:
        return {}
    entries = db.session.scalars(
        select(RegisterEntry).where(RegisterEntry.number.in_(sorted(numbers)))
        .options(joinedload(RegisterEntry.user))).all()
    statuses = services.advocate_statuses([e.user for e in entries], today)
    found = {}
    for entry in entries:
        status = statuses[entry.user_id]
        found[entry.number] = bulk.Found(
            entry.user.name, status.label,
            SPECIALISM_WORDS.get(status.specialism, status.specialism or ""), status.valid_until)
    return found


def _uploaded() -> str:
    """The chosen file's text ("" when no file was chosen)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return ""
    return bulk.read_upload(upload.filename, upload.read(bulk.MAX_FILE_BYTES + 1))


def _recent(org_id: int) -> list:
    return db.session.execute(
        select(BulkCheck.checked_at, BulkCheck.count, User.name)
        .join(User, User.id == BulkCheck.user_id).where(BulkCheck.organisation_id == org_id)
        .order_by(BulkCheck.checked_at.desc(), BulkCheck.id.desc()).limit(RECENT)).all()


def _per_person() -> str:
    return f"bulk-check:{current_user.get_id()}"


@bp.route("/organisations/<int:org_id>/check", methods=["GET", "POST"])
@allow("org_admin", "admin", "moderator")
# Bulk checks see entries the public check withholds: a budget per person keeps them checks of
# the organisation's own advocates and partners, not a way to sweep the register.
@limiter.limit(lambda: current_app.config.get("BULK_CHECK_LIMITS", "20 per hour;60 per day"),
               key_func=_per_person, methods=["POST"])
def bulk_check(org_id: int):
    today = date.today()
    organisation = _organisation(org_id, today)
    pasted, answers, problem, problem_at = request.form.get("numbers", ""), None, None, None
    if request.method == "POST":
        try:
            problem_at = "file"
            uploaded = _uploaded()
            problem_at = "numbers"
            typed = bulk.numbers_to_check(pasted, uploaded)
        except bulk.Refused as refused:
            problem = str(refused)
        else:
            answers = bulk.answer(typed, _register(bulk.wanted(typed), today))
            db.session.add(BulkCheck(organisation_id=org_id, user_id=current_user.id,
                                     count=len(typed)))
            db.session.commit()
            if request.form.get("action") == "csv":
                return csv_response(bulk.csv_rows(answers),
                                    f"accreditation-check-{today.isoformat()}.csv")
            pasted = "\n".join(typed)  # so "Download CSV" posts what was checked
    return render_template("accreditation/bulk_check.html", organisation=organisation,
                           pasted=pasted, answers=answers, problem=problem,
                           problem_at=problem_at, recent=_recent(org_id), bulk=bulk
                           ), 422 if problem else 200

"""Advocates' pages: the CPD year, entries, plans, leave and evidence."""

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename

from assessments.deadlines import LONDON
from lms.access import allow
from lms.charts import bar_chart
from lms.cpd import bp, downloads, rules
from lms.cpd import services as cpd
from lms.cpd.models import CpdEvidence
from lms.cpd.record import record_csv as render_record_csv
from lms.cpd.record import record_pdf as render_record_pdf
from lms.db import utcnow
from lms.extensions import db
from lms.uploads import EXTENSIONS, Refused, prepare
from lms.validators import length_problem

SAVED = {"draft": "Draft saved. You can come back to it from any device.",
         "planned": "Plan saved. Log it when you have done the activity.",
         "logged": "Activity logged."}
CHANGED_ELSEWHERE = ("This entry was changed in another tab or on another device. Nothing was "
                     "overwritten: save with a button to see both versions.")


def _version() -> int | None:
    value = request.form.get("version", "")
    return int(value) if value.isdigit() else None


def _own(entry_id: int):
    entry = cpd.own_entry(current_user, entry_id)
    if entry is None:
        abort(404)  # another person's entry does not exist for you
    return entry


@bp.route("/cpd")
@allow("trainee", "advocate")
def year():
    chosen = request.args.get("year", "")
    start = date.fromisoformat(chosen) if _is_date(chosen) else None
    view = cpd.year_view(current_user, date.today(), start,
                         page=request.args.get("page", 1, type=int))
    month_bars = [(f"{day:%b %Y}", minutes / 60) for day, minutes in view.by_month]
    type_bars = [(rules.ACTIVITY_TYPES[key].label, minutes / 60) for key, minutes in view.by_type]
    charts = {
        "month": bar_chart(month_bars, title="Hours by month", chart_id="hours-by-month",
                           unit=" h", places=2),
        "type": bar_chart(type_bars, title="Hours by type of activity", chart_id="hours-by-type",
                          unit=" h", places=2),
    }
    return render_template("cpd/year.html", view=view, charts=charts, rules=rules,
                           current=view.year == view.years[-1], per_page=cpd.LOGGED_PER_PAGE,
                           year_param=view.year.start.isoformat())


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _form(entry, typed, *, problems=None, conflict=None, status=200, plan=False):
    scheme = rules.scheme_on(cpd.scheme_history(), date.today())
    return render_template(
        "cpd/entry_form.html", entry=entry, typed=typed, problems=problems or {},
        conflict=conflict, plan=plan or (entry is not None and entry.status == "planned"),
        evidence=cpd.evidence_of(entry) if entry is not None else [], rules=rules,
        required_topics=scheme.required_topics, parts=cpd.REFLECTION_PARTS,
        limits={"title": cpd.TITLE, "reflection": cpd.REFLECTION}), status


def _view(entry, *, problems=None, status=200):
    return render_template("cpd/entry_view.html", entry=entry, problems=problems or {},
                           evidence=cpd.evidence_of(entry), rules=rules,
                           parts=cpd.REFLECTION_PARTS, reason_limit=cpd.REASON), status


@bp.route("/cpd/entries/new", methods=["GET", "POST"])
@allow("trainee", "advocate")
def entry_new():
    if request.method == "GET":
        return _form(None, cpd.Typed(), plan=request.args.get("plan") == "1")
    return _save(None)


@bp.route("/cpd/entries/<int:entry_id>", methods=["GET", "POST"])
@allow("trainee", "advocate")
def entry(entry_id: int):
    found = _own(entry_id)
    locked = found.confirmed_at is not None or found.status == "withdrawn"
    if request.method == "GET":
        return _view(found) if locked else _form(found, cpd.Typed.from_entry(found))
    if locked:
        if request.form.get("action") == "autosave":
            return {"saved": False, "conflict": True,
                    "message": "This entry is confirmed or withdrawn: it cannot be changed."}, 409
        return _view(found, problems={"form": "A confirmed or withdrawn entry cannot be changed. "
                                              "Nothing was saved."}, status=409)
    return _save(found)


def _save(entry):
    typed = cpd.Typed.from_form(request.form)
    platform = entry is not None and entry.source == "module"
    if platform:  # a completed module's dates and hours come from the platform, not the form
        saved = cpd.Typed.from_entry(entry)
        typed.start, typed.end, typed.hours = saved.start, saved.end, saved.hours
    action = request.form.get("action", "draft")
    if action == "autosave":
        return _autosave(entry, typed)
    status = cpd.BUTTONS.get(action, "draft")
    if entry is not None and entry.status == "logged":
        status = "logged"  # a logged activity stays logged: its changes are checked as such
    if entry is not None and _version() != entry.version:
        return _form(entry, typed, conflict=cpd.Typed.from_entry(entry), status=409)
    values, problems = cpd.problems_for(typed, status, date.today())
    if platform:
        values.update(start=entry.start, end=entry.end, minutes=entry.minutes)
        for name in ("start", "end", "minutes"):
            problems.pop(name, None)
    upload, attach = request.files.get("attachment"), None
    if upload and upload.filename:
        data = upload.read()
        try:
            if entry is not None and len(cpd.evidence_of(entry)) >= cpd.MAX_EVIDENCE:
                raise Refused(f"An entry can have up to {cpd.MAX_EVIDENCE} files.")
            attach = (upload.filename, data, prepare(data))
        except Refused as refused:
            problems["attachment"] = refused.reason + " The file was not attached."
    if problems:
        return _form(entry, typed, problems=problems, status=422, plan=status == "planned")
    try:
        entry = cpd.save_entry(current_user, entry, values, status,
                               action="create" if entry is None else status)
        if attach:
            cpd.add_evidence(current_user, entry, *attach)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return _form(entry, typed, conflict=cpd.Typed.from_entry(entry), status=409)
    flash(SAVED[status], "success")
    if status == "draft":
        return redirect(url_for("cpd.entry", entry_id=entry.id))
    return redirect(url_for("cpd.year"))


def _autosave(entry, typed):
    """The page's script saves a draft as the person types: answered in JSON."""
    if entry is not None and (entry.status == "logged" or _version() != entry.version):
        message = (CHANGED_ELSEWHERE if entry.status != "logged" else
                   "Changes to a logged activity are saved with the button.")
        return {"saved": False, "conflict": entry.status != "logged", "message": message}, 409
    values, problems = cpd.problems_for(typed, "draft", date.today())
    if problems:
        return {"saved": False, "message": "Not saved automatically: "
                + "; ".join(problems.values()) + "."}, 422
    try:
        status = entry.status if entry is not None else "draft"
        entry = cpd.save_entry(current_user, entry, values, status,
                               action="create" if entry is None else "autosave")
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return {"saved": False, "conflict": True, "message": CHANGED_ELSEWHERE}, 409
    return {"saved": True, "version": entry.version,
            "at": utcnow().astimezone(LONDON).strftime("%H:%M"),
            "action": url_for("cpd.entry", entry_id=entry.id)}


@bp.route("/cpd/entries/<int:entry_id>/withdraw", methods=["GET", "POST"])
@allow("trainee", "advocate")
def entry_withdraw(entry_id: int):
    found = _own(entry_id)
    if request.method == "GET" and found.status != "withdrawn":
        return render_template("cpd/entry_withdraw.html", entry=found, problem=None, typed="",
                               reason_limit=cpd.REASON)
    if found.status == "withdrawn":
        flash("This entry is already withdrawn.", "info")
        return redirect(url_for("cpd.entry", entry_id=found.id))
    reason = request.form.get("reason", "").strip()
    problem = _reason_problem(reason, "why you are withdrawing this entry")
    if problem:
        return _withdraw_refused(found, problem)
    cpd.withdraw_entry(found, reason)
    db.session.commit()
    flash("Entry withdrawn. It is kept, marked as withdrawn, and no longer counts.", "success")
    return redirect(url_for("cpd.year"))


def _withdraw_refused(found, problem):
    return render_template("cpd/entry_withdraw.html", entry=found, problem=problem,
                           typed=request.form.get("reason", ""), reason_limit=cpd.REASON), 422


def _reason_problem(reason: str, what: str) -> str | None:
    if not reason:
        return f"Enter {what}"
    return length_problem(reason, cpd.REASON, "The reason")


@bp.route("/cpd/entries/<int:entry_id>/unconfirm", methods=["POST"])
@allow("trainee", "advocate")
def entry_unconfirm(entry_id: int):
    found = _own(entry_id)
    if found.confirmed_at is None:
        flash("This entry is not confirmed: you can edit it.", "info")
        return redirect(url_for("cpd.entry", entry_id=found.id))
    reason = request.form.get("unconfirm_reason", "").strip()
    problem = _reason_problem(reason, "why you need to change a confirmed entry")
    if problem:
        return _view(found, problems={"unconfirm_reason": problem}, status=422)
    cpd.unconfirm_entry(found, reason)
    db.session.commit()
    flash("The confirmation is cleared and the reason recorded. You can now edit the entry; "
          "ask for it to be confirmed again when you are done.", "success")
    return redirect(url_for("cpd.entry", entry_id=found.id))


@bp.route("/cpd/entries/<int:entry_id>/evidence/<int:attachment_id>")
@allow("trainee", "advocate")
def evidence(entry_id: int, attachment_id: int):
    from lms.assessments.models import Attachment

    found = _own(entry_id)
    linked = db.session.scalar(select(CpdEvidence.id).where(
        CpdEvidence.entry_id == found.id, CpdEvidence.attachment_id == attachment_id))
    attachment = db.session.get(Attachment, attachment_id) if linked else None
    if attachment is None or attachment.owner_id != current_user.id:
        abort(404)
    stem = secure_filename(attachment.filename.rsplit(".", 1)[0]) or "evidence"
    name = f"{stem}.{EXTENSIONS.get(attachment.content_type, 'bin')}"
    return Response(attachment.data, mimetype=attachment.content_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store"})


@bp.route("/cpd/leave/new", methods=["GET", "POST"])
@allow("trainee", "advocate")
def leave_new():
    if request.method == "GET":
        return _leave_form({}, {})
    typed, problems = cpd.read_leave(request.form)
    if problems:
        return _leave_form(typed, problems, status=422)
    cpd.add_leave(current_user, typed)
    db.session.commit()
    flash("Leave recorded. This year's requirement is reduced to match.", "success")
    return redirect(url_for("cpd.year"))


def _leave_form(typed, problems, status=200):
    return render_template("cpd/leave_form.html", typed=typed, problems=problems,
                           kinds=rules.LEAVE_KINDS, note_limit=cpd.LEAVE_NOTE), status


@bp.route("/cpd/leave/<int:leave_id>/withdraw", methods=["POST"])
@allow("trainee", "advocate")
def leave_withdraw(leave_id: int):
    row = cpd.own_leave(current_user, leave_id)
    if row is None:
        abort(404)
    if row.withdrawn_at is None:
        cpd.withdraw_leave(row, "")  # the year page's button asks for no reason
        db.session.commit()
        flash("Leave withdrawn. It is kept, marked as withdrawn, and no longer reduces the "
              "requirement.", "success")
    return redirect(url_for("cpd.year"))


# --------------------------------------------------------------------------- the record


def _record_or_refusal():
    """The record asked for: a CPD year (?year=its start) or a range (?from=&to=); a range
    whose dates make no sense is refused plainly."""
    today = date.today()
    if "from" in request.args or "to" in request.args:
        first, last = request.args.get("from", ""), request.args.get("to", "")
        if not (_is_date(first) and _is_date(last)) or (
                date.fromisoformat(first) > date.fromisoformat(last)):
            return None, (render_template("cpd/record_dates.html"), 422)
        return downloads.range_record(current_user, date.fromisoformat(first),
                                      date.fromisoformat(last), today), None
    chosen = request.args.get("year", "")
    view = cpd.year_view(current_user, today,
                         date.fromisoformat(chosen) if _is_date(chosen) else None)
    return downloads.year_record(current_user, view, today), None


def _record_name(record, extension: str) -> str:
    return f"cpd-record-{record.period_start.isoformat()}-to-{record.period_end.isoformat()}" \
           f".{extension}"


RECORD_FORMATS = {"pdf": (render_record_pdf, "application/pdf"),
                  "csv": (render_record_csv, "text/csv")}


def _download(extension: str):
    record, refusal = _record_or_refusal()
    if refusal:
        return refusal
    render, mimetype = RECORD_FORMATS[extension]
    return Response(render(record), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{_record_name(record, extension)}"',
        "Cache-Control": "private, no-store"})


@bp.route("/cpd/record.pdf")
@allow("trainee", "advocate")
def record_pdf():
    return _download("pdf")


@bp.route("/cpd/record.csv")
@allow("trainee", "advocate")
def record_csv():
    return _download("csv")

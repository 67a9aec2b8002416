"""Course staff: the CPD scheme and the yearly audit; and, at the end, the advocate's own
audit notice (/cpd/audit), which belongs with the audit it answers.

Moderators (programme leads) and platform admins set the scheme and run the audit; the
external examiner reads every page and changes nothing."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from lms.access import allow
from lms.auth.models import User
from lms.cpd import audits, bp, rules
from lms.cpd.models import CpdAudit, CpdAuditCase
from lms.cpd.staff_forms import (
    LEAVE_RULES,
    MONTHS,
    AppealDecisionForm,
    AppealForm,
    AssessForm,
    AuditForm,
    DeferForm,
    SchemeForm,
    SecondForm,
    SubmitForm,
)
from lms.extensions import db
from lms.formatting import plural, uk_date

SETTERS = ("moderator", "admin")  # set the scheme, run the audit, assess
READERS = (*SETTERS, "examiner")  # the external examiner reads, never changes
WORDS = {"topics": rules.TOPIC_AREAS, "activities": rules.ACTIVITY_TYPES,
         "hours": rules.hours_text, "statuses": audits.STATUSES, "outcomes": audits.OUTCOMES,
         "leave_rules": LEAVE_RULES, "months": MONTHS}


# ---------------------------------------------------------------------------- the scheme


@bp.route("/staff/cpd/scheme")
@allow(*READERS)
def staff_scheme():
    form = SchemeForm(formdata=None)
    form.fill_from(rules.scheme_on(audits.scheme_history(), date.today()))
    return _scheme_page(form)


@bp.route("/staff/cpd/scheme", methods=["POST"])
@allow(*SETTERS)
def staff_scheme_add():
    form = SchemeForm()
    valid = form.validate_on_submit()
    scheme, problems = form.scheme(date.today())
    if valid and scheme is not None and not problems:
        audits.add_scheme(scheme, form.note.data.strip(), current_user)
        db.session.commit()
        flash(f"The new scheme version takes effect on {uk_date(scheme.effective_from)}. "
              "Years that ended before then keep the rule they were measured against.",
              "success")
        return redirect(url_for("cpd.staff_scheme"))
    for name, message in problems.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    return _scheme_page(form), 422


def _scheme_page(form: SchemeForm):
    today = date.today()
    rows = audits.scheme_rows()
    current = max((i for i, r in enumerate(rows) if r.effective_from <= today), default=0)
    states = []
    for i, row in enumerate(rows):
        if any(o.effective_from == row.effective_from for o in rows[i + 1:]):
            states.append("Replaced by a later version with the same date")
        elif i == current:
            states.append("In force today")
        elif row.effective_from > today:
            states.append("Takes effect later")
        else:
            states.append("Earlier version")
    authors = _names({r.created_by_id for r in rows})
    in_force = rules.scheme_on(audits.scheme_history(), today)
    return render_template("cpd/staff_scheme.html", rows=rows, states=states, form=form,
                           authors=authors, in_force=in_force, today=today,
                           may_change=current_user.has_any_role(SETTERS), **WORDS)


def _names(ids) -> dict[int, str]:
    ids = [i for i in ids if i]
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


# ---------------------------------------------------------------------------- the audit


@bp.route("/staff/cpd/audits")
@allow(*READERS)
def staff_audits():
    today = date.today()
    form = AuditForm(formdata=None, label=f"CPD audit {today.year}")
    return _audits_page(form)


@bp.route("/staff/cpd/audits", methods=["POST"])
@allow(*SETTERS)
def staff_audit_run():
    today = date.today()
    form = AuditForm()
    valid = form.validate_on_submit()
    problems = form.problems(today)
    if valid and not problems:
        try:
            audit = audits.run_audit(form.label.data.strip(), form.rate_fraction(),
                                     int(form.minimum.data.strip()), form.deadline.data,
                                     current_user, today)
        except audits.Refused as refusal:
            db.session.rollback()
            return _audits_page(form, refused=str(refusal)), 422
        db.session.commit()
        drawn = db.session.scalar(select(func.count()).where(CpdAuditCase.audit_id == audit.id))
        flash(f"{plural(drawn, 'advocate')} drawn and emailed, with the deadline "
              f"{uk_date(audit.deadline)}.", "success")
        return redirect(url_for("cpd.staff_audit", audit_id=audit.id))
    for name, message in problems.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    return _audits_page(form), 422


def _audits_page(form: AuditForm, refused: str | None = None):
    listed = db.session.execute(
        select(CpdAudit, func.count(CpdAuditCase.id))
        .outerjoin(CpdAuditCase, CpdAuditCase.audit_id == CpdAudit.id)
        .group_by(CpdAudit.id).order_by(CpdAudit.drawn_at.desc(), CpdAudit.id.desc())).all()
    open_counts = dict(db.session.execute(
        select(CpdAuditCase.audit_id, func.count()).where(
            CpdAuditCase.status.not_in(audits.CLOSED)).group_by(CpdAuditCase.audit_id)).all())
    return render_template(
        "cpd/staff_audits.html", listed=listed, open_counts=open_counts, form=form,
        refused=refused, who=audits.eligibility(date.today()),
        advised=audits.advised_last_time(), may_run=current_user.has_any_role(SETTERS))


@bp.route("/staff/cpd/audits/<int:audit_id>")
@allow(*READERS)
def staff_audit(audit_id: int):
    audit = db.get_or_404(CpdAudit, audit_id)
    cases = list(db.session.scalars(select(CpdAuditCase).where(CpdAuditCase.audit_id == audit.id)
                                    .options(selectinload(CpdAuditCase.user))
                                    .order_by(CpdAuditCase.user_id)))
    repeated = audits.repeat_draw(audit) if request.args.get("repeat") else None
    return render_template(
        "cpd/staff_audit.html", audit=audit, cases=cases, repeated=repeated,
        percent=audits.percent_text(audit.rate),
        sample=sorted(c.user_id for c in cases), drawn_by=_names([audit.drawn_by_id]),
        names={c.user_id: c.user.name for c in cases}, **WORDS)


# ---------------------------------------------------------------------------- one case

STEP_FORMS = {"defer": DeferForm, "submitted": SubmitForm, "assess": AssessForm,
              "second": SecondForm, "appeal": AppealForm, "decide": AppealDecisionForm}
DONE = {
    "defer": "The deadline is moved and the advocate has been emailed.",
    "submitted": "The profile is marked as submitted.",
    "assess": "Your assessment is recorded.",
    "second": "Your decision is recorded: the outcome is final and the advocate has been "
              "emailed.",
    "appeal": "The appeal is recorded. Someone who did not assess the profile decides it.",
    "decide": "The decision on the appeal is recorded and the advocate has been emailed.",
}


def _case(audit_id: int, case_id: int) -> CpdAuditCase:
    case = db.session.get(CpdAuditCase, case_id)
    if case is None or case.audit_id != audit_id:
        abort(404)
    return case


def _open_steps(case: CpdAuditCase, today: date) -> list[str]:
    steps = []
    if case.status in audits.BEFORE_SUBMISSION:
        steps += ["defer", "submitted"]
    if audits.may_assess(case, today):
        steps.append("assess")
    if case.status == "pending_second":
        steps.append("second")
    if case.status == "decided" and case.outcome == "not_met":
        steps.append("appeal")
    if case.status == "appealed":
        steps.append("decide")
    return steps


def _case_page(case: CpdAuditCase, given: dict, *, stale: bool = False,
               refused: str | None = None, status: int = 200):
    today = date.today()
    may_change = current_user.has_any_role(SETTERS) and case.user_id != current_user.id
    forms = {}
    if may_change:
        forms = {step: given.get(step) or STEP_FORMS[step](
            formdata=None, prefix=step, version=str(case.version))
            for step in _open_steps(case, today)}
    unsent = {step: form for step, form in given.items() if step not in forms}
    return render_template(
        "cpd/staff_case.html", case=case, audit=case.audit,
        profile=audits.profile(case.audit, case.user_id), forms=forms, unsent=unsent,
        stale=stale, refused=refused, history=audits.case_history(case),
        deadline=audits.effective_deadline(case), may_change=may_change,
        show_reflections=current_user.has_any_role(SETTERS), steps=audits.STEP_WORDS,
        assessors=_names({case.assessor_id, case.second_assessor_id}), **WORDS), status


@bp.route("/staff/cpd/audits/<int:audit_id>/cases/<int:case_id>")
@allow(*READERS)
def staff_case(audit_id: int, case_id: int):
    return _case_page(_case(audit_id, case_id), {})


def _case_step(audit_id: int, case_id: int, step: str):
    """Check the form, take the step at the version it was opened at, commit once."""
    case = _case(audit_id, case_id)
    if case.user_id == current_user.id:
        abort(403)  # nobody takes a step on their own audit
    form = STEP_FORMS[step](prefix=step)
    if not form.validate_on_submit():
        return _case_page(case, {step: form}, status=422)
    today, actor = date.today(), current_user
    note = (getattr(form, "note", None) or getattr(form, "reason", None))
    text = note.data.strip() if note is not None else ""
    try:
        if step == "defer":
            audits.defer(case, form.opened_at(), form.until.data, text, actor, today)
        elif step == "submitted":
            audits.mark_submitted(case, form.opened_at(), actor)
        elif step == "assess":
            audits.assess(case, form.opened_at(), form.outcome.data, text, actor, today)
        elif step == "second":
            audits.second_assessment(case, form.opened_at(), form.outcome.data, text, actor)
        elif step == "appeal":
            audits.record_appeal(case, form.opened_at(), text, actor)
        else:
            audits.decide_appeal(case, form.opened_at(), form.outcome.data, text, actor)
        db.session.commit()
    except (audits.StaleCase, StaleDataError):
        db.session.rollback()
        case = _case(audit_id, case_id)
        form.version.data = str(case.version)
        return _case_page(case, {step: form}, stale=True, status=409)
    except audits.Refused as refusal:
        db.session.rollback()
        return _case_page(_case(audit_id, case_id), {step: form}, refused=str(refusal),
                          status=422)
    flash(DONE[step], "success")
    return redirect(url_for("cpd.staff_case", audit_id=audit_id, case_id=case_id))


@bp.route("/staff/cpd/audits/<int:audit_id>/cases/<int:case_id>/defer", methods=["POST"])
@allow(*SETTERS)
def staff_case_defer(audit_id: int, case_id: int):
    return _case_step(audit_id, case_id, "defer")


@bp.route("/staff/cpd/audits/<int:audit_id>/cases/<int:case_id>/submitted", methods=["POST"])
@allow(*SETTERS)
def staff_case_submitted(audit_id: int, case_id: int):
    return _case_step(audit_id, case_id, "submitted")


@bp.route("/staff/cpd/audits/<int:audit_id>/cases/<int:case_id>/assess", methods=["POST"])
@allow(*SETTERS)
def staff_case_assess(audit_id: int, case_id: int):
    return _case_step(audit_id, case_id, "assess")


@bp.route("/staff/cpd/audits/<int:audit_id>/cases/<int:case_id>/second", methods=["POST"])
@allow(*SETTERS)
def staff_case_second(audit_id: int, case_id: int):
    return _case_step(audit_id, case_id, "second")


@bp.route("/staff/cpd/audits/<int:audit_id>/cases/<int:case_id>/appeal", methods=["POST"])
@allow(*SETTERS)
def staff_case_appeal(audit_id: int, case_id: int):
    return _case_step(audit_id, case_id, "appeal")


@bp.route("/staff/cpd/audits/<int:audit_id>/cases/<int:case_id>/appeal-decision",
          methods=["POST"])
@allow(*SETTERS)
def staff_case_decide(audit_id: int, case_id: int):
    return _case_step(audit_id, case_id, "decide")


# ---------------------------------------------------------------------------- the advocate
# A separate section: the advocate's own notice of an audit, and "Submit my profile".


def _notice_page(message: str | None = None, status: int = 200):
    cases = list(db.session.scalars(
        select(CpdAuditCase).where(CpdAuditCase.user_id == current_user.id)
        .options(selectinload(CpdAuditCase.audit)).order_by(CpdAuditCase.id.desc())))
    forms = {c.id: SubmitForm(formdata=None, prefix=f"case{c.id}", version=str(c.version))
             for c in cases if c.status in audits.BEFORE_SUBMISSION}
    years = {c.id: audits.audited_year(c.audit, c.user_id) for c in cases}
    return render_template("cpd/staff_audit_notice.html", cases=cases, forms=forms, years=years,
                           deadlines={c.id: audits.effective_deadline(c) for c in cases},
                           message=message, **WORDS), status


@bp.route("/cpd/audit")
@allow("trainee", "advocate")
def audit_notice():
    return _notice_page()


@bp.route("/cpd/audit/cases/<int:case_id>/submit", methods=["POST"])
@allow("trainee", "advocate")
def audit_submit(case_id: int):
    case = db.session.get(CpdAuditCase, case_id)
    if case is None or case.user_id != current_user.id:
        abort(404)
    form = SubmitForm(prefix=f"case{case.id}")
    if not form.validate_on_submit():
        return _notice_page("The form expired. Please try again.", 422)
    try:
        audits.mark_submitted(case, form.opened_at(), current_user)
        db.session.commit()
    except (audits.StaleCase, StaleDataError):
        db.session.rollback()
        return _notice_page("Your audit changed since you opened this page (the course team "
                            "may have moved your deadline). Nothing was submitted: check the "
                            "details below and submit again.", 409)
    except audits.Refused as refusal:
        db.session.rollback()
        return _notice_page(str(refusal), 422)
    flash("Your CPD profile is submitted. The course team will assess it and email you the "
          "outcome.", "success")
    return redirect(url_for("cpd.audit_notice"))
